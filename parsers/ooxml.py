"""What DOCX and XLSX have in common: a zip container that must be checked before any
library touches it, and theme colours that must be resolved to RGB before a fill means
anything to the normaliser.

The zip guard first checks the central directory (declared sizes, ratio, member count), then
inflates every member once as a stream, counting the bytes that really come out and discarding
them: python-docx and openpyxl inflate a member whole before zipfile's CRC check could notice a
size lie, so a 3 MB file declaring 1 KB for a member that inflates to 2 GB must be stopped here.
A member that inflates past its declared size, or past a hard cap per member or per archive, is
refused whatever the memory cap is.  The extra pass costs one inflate (~0.3 s per 100 MB of XML).
"""

from __future__ import annotations

import colorsys
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .model import ParseError

MAX_TOTAL_UNCOMPRESSED = 1 << 30  # 1 GiB: far above any real plan, far below harm
MAX_RATIO = 200  # deflate reaches ~100x on XML; only crafted data goes much beyond
RATIO_MIN_SIZE = 100 << 20  # the ratio only matters once the total is big enough to hurt
MAX_MEMBERS = 20000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ZipLimits:
    """Hard caps on what a DOCX/XLSX may inflate to, independent of what it declares."""

    max_member: int = 256 << 20  # one part (a 50,000-row sheet is ~50-100 MB of XML)
    max_total: int = 512 << 20  # all parts together
    chunk: int = 1 << 20  # inflate this much at a time


ZIP_LIMITS = ZipLimits()
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


class ZipBomb(ParseError):
    """A container that inflates past its declared sizes or the hard caps."""


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
    check_inflation(data, infos, kind)
    return zf


def check_inflation(data: bytes, infos: list[zipfile.ZipInfo], kind: str, limits: ZipLimits = ZIP_LIMITS) -> None:
    """Inflate every member as a stream and count the real output; raise :class:`ZipBomb` past
    a member's declared size or the caps, :class:`ParseError` when a member cannot be inflated."""
    total = 0
    for info in infos:
        if info.file_size > limits.max_member:
            raise ZipBomb(f"suspicious {kind}: member {info.filename} declares "
                          f"{info.file_size >> 20} MB (zip bomb guard, cap {limits.max_member >> 20} MB)")
        cap = min(info.file_size, limits.max_member, limits.max_total - total)
        got = _inflated_size(data, info, cap + 1, limits.chunk, kind)
        if got > info.file_size:
            raise ZipBomb(f"suspicious {kind}: member {info.filename} inflates past its declared "
                          f"{info.file_size} bytes (zip bomb guard)")
        if got > cap:
            raise ZipBomb(f"suspicious {kind}: over {limits.max_total >> 20} MB uncompressed (zip bomb guard)")
        total += got


def _inflated_size(data: bytes, info: zipfile.ZipInfo, stop: int, chunk: int, kind: str) -> int:
    """Bytes ``info`` really inflates to, counting at most ``stop`` (raw deflate read from the
    local header on, so neither the declared sizes nor zipfile's bookkeeping are trusted)."""
    raw = _member_data(data, info, kind)
    if info.compress_type == zipfile.ZIP_STORED:
        return min(len(raw), stop)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ParseError(f"corrupt {kind}: member {info.filename} uses an unsupported compression")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    try:
        for start in range(0, len(raw), chunk):
            buf: bytes = bytes(raw[start:start + chunk])
            while buf and not inflater.eof:
                size += len(inflater.decompress(buf, chunk))
                if size >= stop:
                    return size
                buf = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        raise ParseError(f"corrupt {kind}: member {info.filename} cannot be inflated") from None
    return size


def _member_data(data: bytes, info: zipfile.ZipInfo, kind: str) -> memoryview:
    off = info.header_offset
    head = data[off:off + _LOCAL_HEADER.size]
    if len(head) < _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        raise ParseError(f"corrupt {kind}: member {info.filename} has no local header")
    fields = _LOCAL_HEADER.unpack(head)
    start = off + _LOCAL_HEADER.size + fields[-2] + fields[-1]
    # the compressed size may be a lie too: never read past the end of the file
    return memoryview(data)[start:min(len(data), start + max(info.compress_size, 0))]


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
