"""Header text whose line breaks were lost: labels run together with their values in one line
("From: Roger Gough, Leader of the Council Dylan Jeffrey, Cabinet Member ... To: County
Council, 13 March 2025 Subject: Governance Update Status: Unrestricted 1. Introduction ..."),
and several people run together in one value.

A text layer that came out as one big single-column table, one cell per page, looks like
this.  The known labels are the cut points: each becomes a "Label: value" line again, and the
last value ends where the body begins (a numbered section "1. Introduction").
"""

from __future__ import annotations

import re
from collections.abc import Callable

_COLON = re.compile(r":(?=\s)")
_BODY_START = re.compile(r"\s(?:\d{1,2}\.|[a-z]\))\s+[A-Z]")
# "... of the Council Dylan Jeffrey, Cabinet Member ...": a name, then a comma or dash and a role
_PERSON_AT = re.compile(r"(?<=[a-z)])\s+(?=(?:(?:Dr|Mr|Mrs|Ms|Cllr)\.?\s+)?[A-Z][a-z'\u2019-]+\s+[A-Z][a-zA-Z'\u2019-]+"
                        r"(?:,|\s[\u2013\u2014-])\s)")
_ROLE_WORD = re.compile(r"^(?:Corporate|Director|Deputy|Cabinet|Member|Leader|Chief|Head|Service|Services|Manager|"
                        r"Officer|Counsel|General|Executive|Strategic|Interim|Assistant|Senior|Lead|Finance|County|"
                        r"Council|Public|Health|Adult|Social|Care|Children|Young|People|Education)$")


def _label_starts(text: str, is_label: Callable[[str], bool], max_words: int = 5) -> list[int]:
    """Where each known label starts: before every ": " the shortest run of up to ``max_words``
    capitalised-first words that is a label ("... General Counsel To:" -> "To")."""
    starts: list[int] = []
    for m in _COLON.finditer(text):
        before = text[:m.start()]
        words = list(re.finditer(r"\S+", before[-80:]))
        offset = max(0, len(before) - 80)
        for n in range(1, min(max_words, len(words)) + 1):
            first = words[-n]
            cand = before[offset + first.start():]
            if cand[:1].isupper() and is_label(cand):
                starts.append(offset + first.start())
                break
    return starts


def split_fused_labels(text: str, is_label: Callable[[str], bool], min_labels: int = 2) -> list[str]:
    """"From: A To: B Subject: C 1. Introduction ..." -> ["From: A", "To: B", "Subject: C"];
    [] when the text does not open with a run of at least ``min_labels`` known labels."""
    cuts = _label_starts(text, is_label)
    if len(cuts) < min_labels or cuts[0] != 0:
        return []
    out: list[str] = []
    for i, start in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else len(text)
        seg = text[start:end].strip()
        if i + 1 == len(cuts):
            body = _BODY_START.search(seg)
            seg = seg[: body.start()].strip() if body else seg
        out.append(seg)
    return out


def _person_cuts(value: str) -> list[int]:
    """Where a second, third ... person starts: a name (not two role words) then "," or a dash."""
    return [m.end() for m in _PERSON_AT.finditer(value)
            if not _ROLE_WORD.match(value[m.end():].split()[0]) and not _ROLE_WORD.match(value[m.end():].split()[1])]


def split_people(value: str) -> str:
    """"Roger Gough, Leader of the Council Dylan Jeffrey, Cabinet Member ..." -> people joined
    with "; ".  Left as it is when it already has separators or names no second person."""
    if ";" in value:
        return value
    cuts = _person_cuts(value)
    if not cuts:
        return value
    parts, start = [], 0
    for c in cuts:
        parts.append(value[start:c].strip())
        start = c
    parts.append(value[start:].strip())
    return "; ".join(p for p in parts if p)


_ROLE_HEAD = ("Interim", "Acting", "Deputy", "Corporate", "Chief", "Cabinet")  # words a role opens with
_MODIFIER = ("Interim", "Acting", "Deputy", "Chief", "Senior", "Assistant", "Strategic", "Corporate", "Executive",
             "Principal", "Lead", "Head")  # words inside a role before its noun
_ROLE_NOUN = re.compile(r"^(?:Director|Manager|Officer|Leader|Member|Head|Executive|Counsel|Accountant|Adviser|Advisor)$")


def _starts_role(words: list[str], i: int) -> bool:
    prev = words[i - 1] if i else ""
    return (words[i] in _ROLE_HEAD and prev[:1].isupper() and prev[-1:].isalpha() and prev not in _MODIFIER
            and any(_ROLE_NOUN.match(w.strip(",")) for w in words[i + 1:i + 4]))


def split_roles(value: str) -> str:
    """"Deputy Leader and Cabinet Member for Finance, Corporate and Traded Services Interim
    Corporate Director \u2013 Finance": two roles printed on two lines and joined by the text
    layer.  A new role starts at a word roles open with ("Interim", "Corporate", "Cabinet" ...)
    followed by a role noun ("Director"), right after a capitalised word that ends the previous
    role ("Services"); never after a comma, a small word or a modifier ("Interim Corporate
    Director" stays whole), and never in a value that names people."""
    if ";" in value or _person_cuts(value):
        return value
    words = value.split(" ")
    out: list[list[str]] = [[]]
    for i, w in enumerate(words):
        if out[-1] and _starts_role(words, i):
            out.append([])
        out[-1].append(w)
    return "; ".join(" ".join(p) for p in out)
