"""What a file really is, decided from its bytes, never from its name.

Council websites mislabel files all the time (a PDF saved as ``.docx``, an HTML error
page saved as ``.pdf``, a legacy ``.doc`` renamed ``.docx``).  Trusting the extension would
send such a file to the wrong parser and turn a readable document into an error, or a
harmless error page into a confusing parser traceback.  So the format comes from magic
bytes and, for zip containers, from what is inside; the extension is only kept to tell the
user about the mislabel.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from typing import NamedTuple

# Formats the parsers can read (keys of plantrail.parsers.parse).
PARSEABLE = frozenset({"text", "csv", "docx", "xlsx", "pdf", "xls", "doc", "odt", "ods", "rtf"})

# A zip that says it unpacks to more than this is refused before any parser inflates it.
MAX_ZIP_UNCOMPRESSED = 1024 ** 3

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"

_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".dotm": "docx",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xltx": "xlsx", ".xltm": "xlsx",
    ".txt": "text", ".csv": "text", ".tsv": "text", ".tab": "text", ".md": "text", ".text": "text",
    ".doc": "doc", ".dot": "doc", ".xls": "xls", ".xlt": "xls", ".ppt": "ole", ".msg": "ole",
    ".htm": "html", ".html": "html", ".xhtml": "html",
    ".odt": "odt", ".ott": "odt", ".ods": "ods", ".ots": "ods",
    ".odp": "zip", ".pptx": "zip", ".zip": "zip", ".epub": "zip",
    ".rtf": "rtf",
}

# Zip [Content_Types].xml main parts -> our format (None = a known but unsupported kind).
_OOXML_MAIN = (
    ("wordprocessingml.document.main+xml", "docx"),
    ("wordprocessingml.template.main+xml", "docx"),
    ("ms-word.document.macroenabled.main+xml", "docx"),
    ("ms-word.template.macroenabledtemplate.main+xml", "docx"),
    ("spreadsheetml.sheet.main+xml", "xlsx"),
    ("spreadsheetml.template.main+xml", "xlsx"),
    ("ms-excel.sheet.macroenabled.main+xml", "xlsx"),
    ("ms-excel.template.macroenabled.main+xml", "xlsx"),
)

# ODF ``mimetype`` member -> our format (read through LibreOffice), or the name of a kind
# we do not read.
_ODF_READ = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
}
_ODF = {
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation (.odp)",
}

# Other magic numbers worth naming in a reason, so the user knows what they have.
_OTHER_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
)


class Detection(NamedTuple):
    """``fmt`` is what the bytes are; ``ok`` says whether a parser should be called; ``note``
    is the one-line reason when ``ok`` is False (and may add detail when it is True)."""

    fmt: str
    ok: bool
    note: str = ""


def extension_format(name: str) -> str:
    """What the file name claims ('' when the extension means nothing to us)."""
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:].lower(), "") if dot > 0 else ""


def mislabel_note(fmt: str, name: str) -> str:
    """``"named .docx"`` when the extension claims another format than the content, else ''.

    Unknown extensions and a text file under any text-ish name are not mislabels.
    """
    claimed = extension_format(name)
    if not claimed or claimed == fmt or fmt in ("empty", "binary") or {claimed, fmt} <= {"text", "csv"}:
        return ""
    return f"named {name[name.rfind('.'):]}"


def detect(data: bytes) -> Detection:
    """Format of ``data`` from its content."""
    if not data:
        return Detection("empty", False, "empty file (0 bytes)")
    head = data[:1024]
    if head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP):
        return _detect_zip(data)
    if head.startswith(_OLE_MAGIC):
        return _detect_ole(data)
    if _looks_raw_biff(head):
        return Detection("xls", True)
    if b"%PDF-" in head:
        return Detection("pdf", True)
    if _looks_html(head):
        return Detection("html", False, "HTML page, not a document (mislabelled?)")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return Detection("rtf", True)
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            return Detection("binary", False, f"{what}, not a document")
    if _looks_text(data[:65536]) or _looks_utf16_without_bom(head):
        return Detection("csv" if _looks_delimited(data) else "text", True)
    return Detection("binary", False, "binary content, not a recognised document format")


def _detect_zip(data: bytes) -> Detection:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # zipfile raises many types on corrupt input
        kind = _guess_zip_kind_from_raw(data)
        label = kind.upper() if kind in ("docx", "xlsx") else "zip"
        reason = _one_line(exc) or type(exc).__name__
        return Detection(kind, False, f"corrupt or truncated {label} file (bad zip: {reason})")
    with zf:
        names = {i.filename for i in infos}
        kind, what = _zip_kind(zf, names)
        declared = sum(i.file_size for i in infos)
        if kind in PARSEABLE and declared > MAX_ZIP_UNCOMPRESSED:
            return Detection(kind, False,
                             f"zip declares {declared / 1024 ** 3:.1f} GB uncompressed, too large "
                             f"(limit {MAX_ZIP_UNCOMPRESSED / 1024 ** 3:.0f} GB; zip bomb?)")
    if kind in PARSEABLE:
        return Detection(kind, True)
    return Detection("zip", False, what)


def _zip_kind(zf: zipfile.ZipFile, names: set[str]) -> tuple[str, str]:
    if "[Content_Types].xml" in names:
        try:
            types = zf.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace").lower()
        except Exception:  # a damaged member: fall back to member names
            types = ""
        for marker, kind in _OOXML_MAIN:
            if marker in types:
                return kind, ""
        if "presentationml" in types:
            return "zip", "PowerPoint presentation (.pptx) not supported"
    if any(n.startswith("word/") for n in names):
        return "docx", ""
    if any(n.startswith("xl/") for n in names):
        return "xlsx", ""
    if any(n.startswith("ppt/") for n in names):
        return "zip", "PowerPoint presentation (.pptx) not supported"
    if "mimetype" in names:
        try:
            mime = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
        except Exception:
            mime = ""
        if mime in _ODF_READ:
            return _ODF_READ[mime], ""
        if mime in _ODF:
            return "zip", f"{_ODF[mime]} not supported"
        if mime == "application/epub+zip":
            return "zip", "EPUB book, not supported"
    return "zip", "zip archive, not an Office document"


def _guess_zip_kind_from_raw(data: bytes) -> str:
    """Member names sit uncompressed in local headers, so a zip whose directory is lost
    (truncated download) still says what it was meant to be."""
    for pos, name in _local_members(data):
        if name.startswith("word/"):
            return "docx"
        if name.startswith("xl/"):
            return "xlsx"
        if name == "[Content_Types].xml":
            types = _inflate_member(data, pos).lower()
            for marker, kind in _OOXML_MAIN:
                if marker in types:
                    return kind
    return "zip"


def _local_members(data: bytes):
    """(offset, name) of every plausible local file header."""
    pos = 0
    while (pos := data.find(_ZIP_MAGIC, pos)) >= 0 and pos + 30 <= len(data):
        name_len = struct.unpack_from("<H", data, pos + 26)[0]
        raw = data[pos + 30: pos + 30 + name_len]
        if 0 < name_len < 1024 and len(raw) == name_len and all(32 <= b < 127 for b in raw):
            yield pos, raw.decode("ascii")
        pos += 4


def _inflate_member(data: bytes, pos: int) -> str:
    """As much of the member at ``pos`` as survives, decompressed."""
    method, csize = struct.unpack_from("<H", data, pos + 8)[0], struct.unpack_from("<I", data, pos + 18)[0]
    name_len, extra_len = struct.unpack_from("<HH", data, pos + 26)
    start = pos + 30 + name_len + extra_len
    body = data[start: start + csize] if csize else data[start: start + 262144]
    try:
        raw = zlib.decompressobj(-15).decompress(body, 262144) if method == 8 else body
    except zlib.error:
        return ""
    return raw.decode("utf-8", "replace")


def _detect_ole(data: bytes) -> Detection:
    """Compound File Binary: the container of legacy Office files and of *encrypted* OOXML.

    What it holds is told by the streams at the root of its directory: ``WordDocument``
    (.doc), ``Workbook``/``Book`` (.xls), ``EncryptedPackage`` (password-protected
    .docx/.xlsx).  Only the root counts: a .xls with an embedded Word object has a
    ``WordDocument`` stream one storage down.  When the directory cannot be walked
    (truncated file), the names are searched as UTF-16LE bytes instead; a false hit there
    only sends a damaged file to the wrong parser, which then gives the error.
    """
    names = _ole_root_names(data)

    def has(stream: str) -> bool:
        if names is not None:  # CFB compares names case-insensitively ("WorkBook" is seen)
            return stream.casefold() in names
        return stream.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return Detection("ole", False, "password-protected Office file")
    if has("WordDocument"):
        return Detection("doc", True)
    if has("Workbook") or has("Book"):
        return Detection("xls", True)
    if has("PowerPoint Document"):
        return Detection("ole", False, "legacy PowerPoint (.ppt) not supported")
    return Detection("ole", False, "OLE compound file, not a Word (.doc) or Excel (.xls) file")


_END = 0xFFFFFFFA  # sector ids at or above this are markers (end of chain, free, FAT, DIFAT)


def _ole_root_names(data: bytes) -> set[str] | None:
    """Names (casefolded) of the entries directly under the root storage of a Compound File, or None
    when the header, FAT or directory chain does not hold together."""
    try:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            return None
        size = 1 << shift
        per = size // 4
        n_fat, dir_start = struct.unpack_from("<II", data, 0x2C)
        next_difat, n_difat = struct.unpack_from("<II", data, 0x44)
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        seen: set[int] = set()
        while next_difat < _END and next_difat not in seen and len(seen) < n_difat:
            seen.add(next_difat)
            more = struct.unpack_from(f"<{per}I", _sector(data, next_difat, size))
            fat_sectors.extend(more[:-1])
            next_difat = more[-1]
        fat_sectors = fat_sectors[:max(n_fat, 1)]

        def next_sector(n: int) -> int:
            return struct.unpack_from("<I", _sector(data, fat_sectors[n // per], size), (n % per) * 4)[0]

        directory = bytearray()
        seen = set()
        sector = dir_start
        while sector < _END and sector not in seen and len(seen) < 4096:
            seen.add(sector)
            directory += _sector(data, sector, size)
            sector = next_sector(sector)
        if len(directory) < 128 or directory[0x42] != 5:  # entry 0 must be the root storage
            return None
        names: set[str] = set()
        todo = [struct.unpack_from("<I", directory, 0x4C)[0]]  # the root's child: a tree of siblings
        visited: set[int] = set()
        while todo:
            i = todo.pop()
            if i >= _END or i in visited or (i + 1) * 128 > len(directory):
                continue
            visited.add(i)
            entry = directory[i * 128:(i + 1) * 128]
            n = min(struct.unpack_from("<H", entry, 0x40)[0], 64)
            names.add(bytes(entry[: max(n - 2, 0)]).decode("utf-16-le", "replace").casefold())
            todo += struct.unpack_from("<II", entry, 0x44)
        return names or None
    except (struct.error, IndexError, ValueError):
        return None


def _sector(data: bytes, n: int, size: int) -> bytes:
    start = (n + 1) * size
    if start + size > len(data):
        raise ValueError("sector beyond end of file")
    return data[start:start + size]


def _looks_raw_biff(head: bytes) -> bool:
    """Excel 2-4 (and some exporters' Excel 5+) workbooks are a bare BIFF record stream, no
    OLE container: the first record is a BOF (id 0x0009/0x0209/0x0409/0x0809) of sensible
    length whose sheet type is globals/worksheet/chart/macro/workspace."""
    if len(head) < 8 or head[0] != 0x09 or head[1] not in (0x00, 0x02, 0x04, 0x08):
        return False
    length = struct.unpack_from("<H", head, 2)[0]
    if not 4 <= length <= 20:
        return False
    sheet_type = struct.unpack_from("<H", head, 6)[0]
    return sheet_type in (0x0005, 0x0006, 0x0010, 0x0020, 0x0040, 0x0100)


def _looks_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return True
    return start.startswith((b"<?xml", b"<!--")) and b"<html" in start


def _looks_delimited(data: bytes) -> bool:
    """A text whose records a delimiter splits alike (CSV/TSV exports), decided on a prefix."""
    from ..parsers.delimited import sniff
    from ..parsers.model import ParseError
    from ..parsers.text import decode

    sample = data[:131072]
    if b"\x00" in sample[:1024]:
        sample = sample[: len(sample) // 2 * 2]  # UTF-16: whole code units
    elif len(sample) < len(data):
        sample = sample[: sample.rfind(b"\n") + 1] or sample  # whole lines, whole characters
    try:
        text, _ = decode(sample)
    except (ParseError, UnicodeDecodeError):
        return False
    return sniff(text) is not None


def _looks_text(sample: bytes) -> bool:
    """Text when it decodes (UTF-8, UTF-16 with BOM, else cp1252) with almost no control
    characters; NUL bytes outside UTF-16 mean binary."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = sample[: len(sample) // 2 * 2].decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        if b"\x00" in sample:
            return False
        text = _decode_prefix(sample)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= 0.02 * max(1, len(text))


def _looks_utf16_without_bom(head: bytes) -> bool:
    """Mostly-ASCII UTF-16: a NUL in every other byte, the other half printable."""
    n = len(head) // 2 * 2
    if n < 16:
        return False
    even, odd = head[0:n:2], head[1:n:2]
    for zeros, chars in ((odd, even), (even, odd)):
        if zeros.count(0) > 0.9 * len(zeros) and sum(32 <= b < 127 or b in (9, 10, 13) for b in chars) \
                > 0.9 * len(chars):
            return True
    return False


def _decode_prefix(sample: bytes) -> str:
    # The 64 KB sample may cut a UTF-8 character in half: allow up to 3 dangling bytes.
    for cut in range(4):
        try:
            return sample[: len(sample) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return sample.decode("cp1252", errors="replace")


def _one_line(exc: BaseException) -> str:
    return re.sub(r"\s+", " ", str(exc)).strip()[:200]
