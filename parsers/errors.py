"""Exceptions that damaged bytes raise inside the libraries we parse with.

Each parser turns the failures it expects into :class:`~.model.ParseError`, but a byte-flipped
file can fail deeper and later (a CRC error while python-docx reads a part, an inflate error in
openpyxl's streaming reader, a struct error in xlrd).  Those are facts about the file, not bugs of
ours: :func:`as_parse_error` names them so the file gets a clean ``error`` row; anything else
stays an exception and is recorded as an internal error.  MemoryError is never one of them (it is
the process's limit).
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from .model import ParseError


def _library_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = []
    try:
        from lxml.etree import LxmlError

        found.append(LxmlError)
    except ImportError:
        pass
    try:
        from xml.etree.ElementTree import ParseError as EtreeParseError

        found.append(EtreeParseError)
    except ImportError:
        pass
    for mod, name in (("docx.opc.exceptions", "OpcError"), ("docx.exceptions", "PythonDocxError"),
                      ("openpyxl.utils.exceptions", "InvalidFileException"),
                      ("pdfminer.psparser", "PSException"), ("pdfminer.pdfparser", "PDFSyntaxError"),
                      ("pypdfium2", "PdfiumError"), ("xlrd", "XLRDError")):
        try:
            cls = getattr(__import__(mod, fromlist=[name]), name)
        except (ImportError, AttributeError):
            continue
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


_BASE: tuple[type[BaseException], ...] = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError,
                                          struct.error, UnicodeDecodeError)
_cache: tuple[type[BaseException], ...] | None = None


def bad_bytes_errors() -> tuple[type[BaseException], ...]:
    global _cache
    if _cache is None:
        _cache = _BASE + _library_errors()
    return _cache


def as_parse_error(exc: BaseException, fmt: str) -> ParseError | None:
    """A ParseError for an exception that damaged input explains; None for anything else."""
    if isinstance(exc, MemoryError):
        return None
    zip_key = isinstance(exc, KeyError) and "There is no item named" in str(exc)
    if zip_key or isinstance(exc, bad_bytes_errors()):
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return ParseError(f"corrupt {fmt.upper()}: {type(exc).__name__}" + (f": {detail}" if detail else ""))
    return None
