"""What DOCX and XLSX have in common: a zip container that must be checked before any
library touches it, and theme colours that must be resolved to RGB before a fill means
anything to the normaliser.

The zip guard only looks at the central directory (declared sizes); that is enough because
python-docx and openpyxl both read members through :mod:`zipfile`, which stops at the declared
``file_size`` and fails the CRC check if a member inflates to more than it declared.  So a
bomb that lies about its sizes cannot inflate past what we already accepted.
"""

from __future__ import annotations

import colorsys
import io
import re
import zipfile

from .model import ParseError

MAX_TOTAL_UNCOMPRESSED = 1 << 30  # 1 GiB: far above any real plan, far below harm
MAX_RATIO = 200  # deflate reaches ~100x on XML; only crafted data goes much beyond
RATIO_MIN_SIZE = 100 << 20  # the ratio only matters once the total is big enough to hurt
MAX_MEMBERS = 20000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_zip(data: bytes, kind: str, required: tuple[str, ...] = ()) -> zipfile.ZipFile:
    """Open ``data`` as the zip container of a ``kind`` ("DOCX"/"XLSX") file, or raise
    ParseError with the reason a person would want to read in documents.csv."""
    if data[:8] == OLE_MAGIC:
        raise ParseError(f"encrypted or legacy binary {kind}: OLE container, not a zip archive")
    if not data:
        raise ParseError(f"empty {kind} file")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ParseError(f"corrupt {kind}: not a valid zip archive") from None
    if len(infos) > MAX_MEMBERS:
        raise ParseError(f"suspicious {kind}: {len(infos)} zip members")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise ParseError(f"suspicious {kind}: {total // (1 << 20)} MB uncompressed (zip bomb guard)")
    if total > RATIO_MIN_SIZE and total > MAX_RATIO * max(packed, 1):
        raise ParseError(f"suspicious {kind}: compression ratio {total // max(packed, 1)}x (zip bomb guard)")
    if any(i.flag_bits & 0x1 for i in infos):
        raise ParseError(f"encrypted {kind}: zip members are password-protected")
    names = set(zf.namelist())
    for name in required:
        if name not in names:
            raise ParseError(f"corrupt {kind}: missing {name}")
    return zf


# ---------------------------------------------------------------------------------------------
# Theme colours

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_SCHEME_NAMES = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4",
                 "accent5", "accent6", "hlink", "folHlink")
# SpreadsheetML numbers theme colours with the first two pairs swapped (0 = lt1 "Background 1",
# 1 = dk1 "Text 1"), which is why a default font colour of theme="1" is black.
XLSX_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4",
                    "accent5", "accent6", "hlink", "folHlink")
# WordprocessingML names theme colours in words; background/text are aliases.
WORD_THEME_NAMES = {
    "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2",
    "text1": "dk1", "background1": "lt1", "text2": "dk2", "background2": "lt2",
    "accent1": "accent1", "accent2": "accent2", "accent3": "accent3", "accent4": "accent4",
    "accent5": "accent5", "accent6": "accent6", "hyperlink": "hlink", "followedHyperlink": "folHlink",
}

_HEX6 = re.compile(r"^[0-9A-Fa-f]{6}$")


def theme_colors(theme_xml: bytes | None) -> dict[str, str]:
    """Scheme name (dk1, lt1, accent1 ...) -> "RRGGBB" from a theme part; {} when unreadable."""
    if not theme_xml:
        return {}
    from lxml import etree

    try:
        root = etree.fromstring(theme_xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return {}
    scheme = root.find(f".//{{{_A}}}clrScheme")
    if scheme is None:
        return {}
    out: dict[str, str] = {}
    for name in _SCHEME_NAMES:
        el = scheme.find(f"{{{_A}}}{name}")
        if el is None or len(el) == 0:
            continue
        clr = el[0]
        val = clr.get("lastClr") if clr.tag == f"{{{_A}}}sysClr" else clr.get("val")
        if val and _HEX6.match(val):
            out[name] = val.upper()
    return out


def apply_tint(rgb: str, tint: float) -> str:
    """Excel's tint: negative darkens (L * (1 + tint)), positive lightens towards white
    (L * (1 - tint) + tint), in HLS space (ECMA-376 18.8.19 / CT_Color@tint)."""
    if not tint:
        return rgb
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    lum = min(1.0, max(0.0, lum))
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return "".join(f"{round(x * 255):02X}" for x in (r, g, b))


def normalise_fill(rgb: str | None) -> str | None:
    """"RRGGBB" upper case from an RGB/ARGB string; None for white, automatic or garbage,
    because "no fill" and "white fill" look the same to a reader."""
    if not rgb or not isinstance(rgb, str):
        return None
    rgb = rgb.strip()
    if len(rgb) == 8:
        rgb = rgb[2:]
    if not _HEX6.match(rgb):
        return None
    rgb = rgb.upper()
    return None if rgb == "FFFFFF" else rgb
