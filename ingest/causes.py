"""Why a file failed, as a class a later run can act on.

Every ``error`` row of the documents table gets a ``cause`` beside its one-line reason:

- ``missing_tool``: an optional program is not installed (LibreOffice for .doc/.odt/.rtf/.ods,
  Tesseract for scanned PDFs).  Retried by a later run once the tool is there.
- ``limit``: the file hit a limit of the run (time, memory, size, a conversion time-out, a
  crashed worker).  Retried by a later run whose limit is higher.
- ``encrypted``: password-protected.  Not retried (the same bytes stay locked).
- ``not_document``: empty, a lock file, HTML, an image, a format we do not read.  Not retried.
- ``unreadable``: everything else: corrupt, truncated, or a parser failure.  Not retried
  unless the pipeline changes (a new version re-reads every file) or ``--retry-errors``.

The classes are read from our own reason messages (written by the parsers and the run),
never from a document's text, so the patterns below change only when a message does.
"""

from __future__ import annotations

import re

CAUSES = ("missing_tool", "limit", "encrypted", "not_document", "unreadable")

# First match wins; the messages are plantrail's own (parsers/, ingest/detect.py, ingest/pool.py).
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("missing_tool", re.compile(r"\binstall (?:LibreOffice|Tesseract)\b|cannot start LibreOffice", re.I)),
    ("limit", re.compile(r"^(?:timed out|out of memory|file too large|worker |zip declares .* too large)"
                         r"|took over .* s to convert|crashed|killed", re.I)),
    ("encrypted", re.compile(r"password|encrypted", re.I)),
    ("not_document", re.compile(r"^(?:empty |Office lock file|not a regular file|unsupported format"
                                r"|not a PDF)|not a (?:document|text file|recognised document format)"
                                r"|not supported|, not a Word|mislabelled", re.I)),
)

# Tools a missing_tool reason can name -> how to tell whether it is installed now.
_TOOLS = {"libreoffice": re.compile(r"LibreOffice", re.I), "tesseract": re.compile(r"Tesseract", re.I)}


def classify(reason: str, limit_kind: str = "") -> str:
    """The cause class of an error with this reason ('' for an empty reason)."""
    if limit_kind:
        return "limit"
    if not reason:
        return ""
    for cause, pattern in _RULES:
        if pattern.search(reason):
            return cause
    return "unreadable"


def missing_tool(reason: str) -> str:
    """The tool a missing_tool reason names ("libreoffice" | "tesseract"), or ''."""
    return next((name for name, pattern in _TOOLS.items() if pattern.search(reason)), "")


def tool_available(name: str) -> bool:
    """Is the optional tool installed now (so a file that failed for want of it may succeed)?"""
    if name == "libreoffice":
        from ..parsers.convert import find_soffice

        return find_soffice() is not None
    if name == "tesseract":
        from ..parsers.ocr import available

        return available()
    return False


_CONVERT_LIMIT = re.compile(r"took over (\d+(?:\.\d+)?) s to convert")


def limit_raised(reason: str) -> bool:
    """For a limit error not recorded by the worker pool (those carry their limit in the
    store): is the limit it hit higher now?  Only LibreOffice's conversion time-out
    (``PLANTRAIL_CONVERT_TIMEOUT``) qualifies; a file too large is re-checked every run anyway
    (it is never hashed), and the zip-bomb guard is fixed."""
    m = _CONVERT_LIMIT.search(reason)
    if m is None:
        return False
    from ..parsers.convert import timeout_seconds

    return timeout_seconds() > float(m.group(1))
