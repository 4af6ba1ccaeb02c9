"""Action reference numbers as printed ("1.5.1", "A5.1", "ILACS-4", "WSOA 2.3", "3(b)").

A ref is a short code: digit groups and capital-letter prefixes joined by ".", "-", "/" or a
space, with at most a one-letter suffix ("R1.a", "12b", "3(b)").  What makes it a code and not
a word is its shape, not a list of prefixes: it holds a digit group of at most
``max_digits`` digits (so a year is not a ref), its letter groups are capitals ("PIP") or one
letter, and it is short.  Refs are kept as printed (a plan that prints "4.1" for 4.10 is quoted,
not corrected); only list punctuation ("1." -> "1") and fused labels ("Ref: 5.1") are removed.

Public API (stable; the action extractor calls these):

- ``parse_ref(raw, settings=REF_SETTINGS) -> RefValue(value, path, warning)``: a ref cell.
  ``path`` is the ref's levels ("WSOA 2.3" -> ("WSOA", "2", "3"), "A5.1" -> ("A5", "1")).
- ``split_leading_number(text, *, allow_paren=True, allow_bare=False) -> (ref, rest)``: the
  numbering printed at the start of an action's text ("1. Review ...", "A5.1 Review ...",
  "PH-01 Review ..."), for tables with no ref column; ("", text) when there is none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from ..text.clean import clean_text


@dataclass(frozen=True)
class RefSettings:
    """Shape limits of a ref (today's values are the defaults)."""

    max_len: int = 16  # "ILACS-4.2.1b" fits; a sentence does not
    max_digits: int = 3  # "2017" is a year, not a ref level
    max_prefix: int = 6  # capital letters before the numbers: "ILACS", "WSOA", "PIP"
    max_levels: int = 5


REF_SETTINGS = RefSettings()

# Labels that a ref cell or a numbered line may carry before the ref ("Ref: 5.1", "No. 3").
REF_LABELS: tuple[str, ...] = tuple(json.loads(
    resources.files(__package__).joinpath("ref_labels.json").read_text("utf-8"))["labels"])

_LABEL = re.compile(r"^(?:" + "|".join(re.escape(x) for x in sorted(REF_LABELS, key=len, reverse=True))
                    + r")\s*[:.#]?\s*(?=\w)", re.I)
# One level: capitals + digits + one-letter suffix ("A5", "R1", "12b"), or one letter ("a").
_LEVEL = r"(?:[A-Z]{1,6}\d{1,3}[a-z]?|\d{1,3}[A-Za-z]?|[A-Za-z])"
# An optional capital prefix set off by a space or hyphen ("WSOA 2.3", "ILACS-4"), levels joined
# by ".", "-" or "/", and an optional bracketed suffix ("3(b)").
_CODE = re.compile(rf"(?:[A-Z]{{1,6}}[\s-])?{_LEVEL}(?:[.\-/]{_LEVEL})*(?:\([A-Za-z0-9]{{1,3}}\))?")
_SPLIT = re.compile(r"[.\-/\s()]+")

# Leading numbers: "3. Text", "1.2 Text", "1) Text", "A5.1 Text", "PH-01 Text".  Digit groups are
# at most 3 digits so a year ("2017 plans") is never taken for a ref.
_NUM = r"\d{1,3}(?:\.\d{1,3})*"
_LEAD_DOT = re.compile(rf"(?P<ref>{_NUM})\.(?:\s+|(?=[A-Za-z])|$)(?P<rest>.*)", re.S)
_LEAD_MULTI = re.compile(
    r"(?P<ref>\d{1,3}(?:\.\d{1,3})+[a-z]?"  # 1.2, 1.2.3a
    r"|[A-Z]{1,5}\s?\d{1,3}(?:\.(?:\d{1,3}|[a-z]))+"  # A5.1, WSOA 2.3, PIP 1.1, R1.a
    r"|[A-Z]{1,5}-0\d{1,2}"  # PH-01 (zero-padded: a code, unlike "COVID-19")
    r"|[A-Z]\d{1,3}[a-z]?"  # A7
    r"|\d{1,3}\([a-z]\))"  # 3(b)
    r"[.:]?\s+(?P<rest>[A-Z(\"'].*)", re.S)
_LEAD_PAREN = re.compile(rf"\(?(?P<ref>{_NUM})\)\s*(?P<rest>.*)", re.S)
_LEAD_BARE = re.compile(r"(?P<ref>\d{1,2})\s+(?P<rest>[A-Z][a-z].*)", re.S)
_MONTH_START = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


@dataclass
class RefValue:
    value: str
    path: tuple[str, ...]
    warning: str = ""


def ref_levels(ref: str) -> tuple[str, ...]:
    """"WSOA 2.3" -> ("WSOA", "2", "3"); "A5.1" -> ("A5", "1"); "3(b)" -> ("3", "b")."""
    return tuple(p for p in _SPLIT.split(ref) if p)


def is_code(token: str, settings: RefSettings = REF_SETTINGS) -> bool:
    """A short token of capitals/digits with separators that is mostly a code, not a word."""
    if not token or len(token) > settings.max_len or not _CODE.fullmatch(token):
        return False
    levels = ref_levels(token)
    if len(levels) > settings.max_levels or not any(ch.isdigit() for ch in token):
        return False
    digits = re.findall(r"\d+", token)
    prefixes = re.findall(r"[A-Z]+", token)
    return all(len(d) <= settings.max_digits for d in digits) and all(
        len(p) <= settings.max_prefix for p in prefixes)


def parse_ref(raw: str, settings: RefSettings = REF_SETTINGS) -> RefValue:
    """A ref cell to its printed value and levels; junk gives an empty value and a warning."""
    s = clean_text(raw or "")
    if not s:
        return RefValue("", ())
    label = _LABEL.match(s)
    body = s[label.end():] if label else s
    body = re.sub(r"\s*\.\s*(?=\d)", ".", body)  # "1. 5" / "1 .5" from wrapped text layers
    body = body.rstrip(".:;,").lstrip("(").strip()
    if body.endswith(")") and "(" not in body:
        body = body[:-1]  # "1)" list numbering
    if is_code(body, settings):
        return RefValue(body, ref_levels(body), f"dropped label from ref '{s}'" if label else "")
    return RefValue("", (), f"not a ref: '{s}'")


def split_leading_number(text: str, *, allow_paren: bool = True, allow_bare: bool = False) -> tuple[str, str]:
    """("3", "Implement MASH ...") from "3. Implement MASH ..."; ("", text) when none.

    Accepted: "3. x", "3.x", "1.2 X", "1.2. x", "A5.1 X", "PH-01 X", "R1.a X", "3(b) X", and with
    ``allow_paren`` "1) x" / "(1) x".  ``allow_bare`` also takes "9 Improve ..." (a number, a
    space, a capitalised word that is not a month): off by default because "6 March ..." or
    "3 Children ..." read the same way.  A decimal such as "1.5 million" is not a ref (the next
    word must be capitalised).  Both parts come back through ``clean_text``, matched or not.
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
        if pattern is _LEAD_MULTI and not is_code(m["ref"]):
            continue
        return m["ref"], rest
    return "", s
