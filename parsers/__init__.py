"""One parser per format, all filling :mod:`plantrail.parsers.model`.

``parse`` is the only entry point the rest of the pipeline uses; it takes bytes already read
(ingest owns the file system) and the format ingest detected from content.
"""

from __future__ import annotations

from .model import (
    AnyBlock,
    Block,
    Cell,
    Document,
    Heading,
    KeyValue,
    ListItem,
    Paragraph,
    ParseError,
    Provenance,
    SheetInfo,
    Table,
    TableBlock,
    make_block,
)

__all__ = ["AnyBlock", "Block", "Cell", "Document", "Heading", "KeyValue", "ListItem", "Paragraph", "ParseError",
           "Provenance", "SheetInfo", "Table", "TableBlock", "make_block", "parse"]


def parse(path: str, data: bytes, sha256: str, fmt: str) -> Document:
    """Parse ``data`` (the bytes of ``path``) as ``fmt``; raises ParseError with a one-line reason.

    Damage that surfaces deep inside a library (a CRC or inflate error, malformed XML) becomes a
    ParseError too (:mod:`.errors`); other exceptions are bugs and pass through."""
    try:
        return _dispatch(path, data, sha256, fmt)
    except ParseError:
        raise
    except Exception as exc:
        from .errors import as_parse_error

        mapped = as_parse_error(exc, fmt)
        if mapped is None:
            raise
        raise mapped from exc


def _dispatch(path: str, data: bytes, sha256: str, fmt: str) -> Document:
    if fmt == "text":
        from .text import parse_text
        return parse_text(path, data, sha256)
    if fmt == "csv":
        from .delimited import parse_delimited
        return parse_delimited(path, data, sha256)
    if fmt == "docx":
        from .docx import parse_docx
        return parse_docx(path, data, sha256)
    if fmt == "xlsx":
        from .xlsx import parse_xlsx
        return parse_xlsx(path, data, sha256)
    if fmt == "pdf":
        from .pdf import parse_pdf
        return parse_pdf(path, data, sha256)
    if fmt == "xls":
        from .xls import parse_xls
        return parse_xls(path, data, sha256)
    if fmt in ("doc", "odt", "ods", "rtf"):
        from .convert import parse_converted
        return parse_converted(path, data, sha256, fmt)
    raise ParseError(f"unsupported format: {fmt}")
