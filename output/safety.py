"""Keep spreadsheet programs from executing text we copied out of council papers.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is run as a
formula by Excel/LibreOffice when a CSV or XLSX is opened (CSV injection; OWASP advises a
leading apostrophe).  The documents we read are public and anyone can put ``=HYPERLINK(..)``
into an action plan, so CSV text cells are neutralised by default (``--csv-raw`` turns it off).
XLSX does not need it: its text is written as text cells, which Excel never runs.  Typed formats
(JSONL, Parquet, SQLite) and XLSX keep the exact text.

The escape is reversible: text that already starts with apostrophes followed by a trigger
character gets one more, so :func:`restore` gives back exactly the original string.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_escape(s: str) -> bool:
    return s.lstrip("'").startswith(TRIGGERS)


def neutralise(value: Any) -> Any:
    """``"=1+1"`` -> ``"'=1+1"``; other values (numbers, None, empty and harmless text)
    unchanged."""
    if isinstance(value, str) and value and _needs_escape(value):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """Undo :func:`neutralise` (for reading our own CSV back)."""
    if isinstance(value, str) and value.startswith("'") and _needs_escape(value):
        return value[1:]
    return value
