"""Action reference numbers ("1.5.1", "A5.1", "3.") and numbers that open a line of text.

Refs are kept as printed (a plan that prints "4.1" for 4.10 is quoted, not corrected); what is
removed is only list punctuation ("1." -> "1") and fused header labels ("Ref: 5.1").  The
``path`` splits a ref into its levels so callers can nest actions under their parents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.clean import clean_text

# One level of a ref: digits with an optional trailing letter ("3", "12b"), or a short letter
# prefix with digits ("A5", "SS1").  Pure letters are not refs (a stray "F" is not one).
_SEGMENT = r"(?:[A-Za-z]{1,3}\d{1,3}[a-z]?|\d{1,3}[a-z]?)"
_REF = re.compile(rf"{_SEGMENT}(?:\.{_SEGMENT})*")
_LABEL = re.compile(r"^(?:ref(?:erence)?|no|number|action no)\s*[:.]?\s*(?=\w)", re.I)

# Leading numbers: "3. Text", "1.2 Text", "1) Text", "A5.1 Text".  Segments are at most 3
# digits so a year ("2017 plans") is never taken for a ref.
_NUM = r"\d{1,3}(?:\.\d{1,3})*"
_LEAD_DOT = re.compile(rf"(?P<ref>{_NUM})\.(?:\s+|(?=[A-Za-z])|$)(?P<rest>.*)", re.S)
_LEAD_MULTI = re.compile(r"(?P<ref>\d{1,3}(?:\.\d{1,3})+|[A-Z]\d{1,3}(?:\.\d{1,3})+)\s+(?P<rest>[A-Z(\"'].*)",
                         re.S)
_LEAD_PAREN = re.compile(rf"\(?(?P<ref>{_NUM})\)\s*(?P<rest>.*)", re.S)
_LEAD_BARE = re.compile(r"(?P<ref>\d{1,2})\s+(?P<rest>[A-Z][a-z].*)", re.S)
_MONTH_START = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


@dataclass
class RefValue:
    value: str
    path: tuple[str, ...]
    warning: str = ""


def parse_ref(raw: str) -> RefValue:
    """A ref cell to its printed value and levels; junk gives an empty value and a warning."""
    s = clean_text(raw or "")
    if not s:
        return RefValue("", ())
    label = _LABEL.match(s)
    body = s[label.end():] if label else s
    body = re.sub(r"\s*\.\s*", ".", body)  # "1. 5" / "1 .5" from wrapped text layers
    body = body.rstrip(".)").lstrip("(")
    if _REF.fullmatch(body):
        return RefValue(body, tuple(body.split(".")), f"dropped label from ref '{s}'" if label else "")
    return RefValue("", (), f"not a ref: '{s}'")


def split_leading_number(text: str, *, allow_paren: bool = True, allow_bare: bool = False) -> tuple[str, str]:
    """("3", "Implement MASH ...") from "3. Implement MASH ..."; ("", text) when none.

    Accepted: "3. x", "3.x", "1.2 X", "1.2. x", "A5.1 X", and with ``allow_paren`` "1) x" / "(1) x".
    ``allow_bare`` also takes "9 Improve ..." (a number, a space, a capitalised word that is not
    a month): off by default because "6 March ..." or "3 Children ..." read the same way.
    A decimal such as "1.5 million" is not a ref (the next word must be capitalised).
    Both parts come back through ``clean_text`` (whitespace collapsed), matched or not.
    """
    s = clean_text(text or "")
    for pattern, enabled in ((_LEAD_DOT, True), (_LEAD_MULTI, True), (_LEAD_PAREN, allow_paren),
                             (_LEAD_BARE, allow_bare)):
        if not enabled:
            continue
        m = pattern.fullmatch(s)
        if m is None:
            continue
        rest = m["rest"].strip()
        if pattern is _LEAD_BARE and _MONTH_START.match(rest):
            continue
        if pattern is _LEAD_DOT and re.match(r"\d", rest):
            continue  # "3. 5" is not a numbered line
        return m["ref"], rest
    return "", s
