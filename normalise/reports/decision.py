"""Decision forms ("Record of Decision", "Proposed Record of Decision"): who decides and what.

The form prints "DECISION TO BE TAKEN BY:" and "DECISION NO:" side by side, so their values
often arrive on one line in either order ("24/00096 Cabinet").  The decision number has a
shape of its own (digits, slash, digits); what is left is the decision maker.  Only a body
(Cabinet, a committee) is a decision maker for the ``committee`` field: a named person
("Mrs Sue Chandler, Cabinet Member for ...") is left out, as the conventions say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MAKER = re.compile(r"^(?:decision (?:to be )?taken by|decision maker)\s*:?\s*(?P<rest>.*)$", re.I)
_NUMBER_LABEL = re.compile(r"^decision (?:no\.?|number|ref(?:erence)?)\s*:?\s*(?P<rest>.*)$", re.I)
_NUMBER = re.compile(r"\b\d{2,4}\s*/\s*\d{3,6}\b")
_TITLE = re.compile(r"^(?:subject matter\s*/\s*)?title of decision\s*:?\s*(?P<rest>.*?)\s*(?:\bdecision\s*:.*)?$", re.I)
_BODY_WORD = re.compile(r"\b(?:Cabinet|Committee|Sub-Committee|Board|Panel|Council|Executive)$", re.I)
_PERSON = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\b|,", re.I)


@dataclass
class DecisionForm:
    decision_maker: str = ""
    maker_line: str = ""
    number: str = ""
    title: str = ""
    title_line: str = ""


def _maker_value(lines: list[str], i: int, first: str) -> tuple[str, str]:
    """The value of "DECISION TO BE TAKEN BY:": on its line, or the next value line (skipping
    the side-by-side "DECISION NO:" label), with the decision number taken out."""
    candidates = [first] if first else []
    for line in lines[i + 1:i + 4]:
        m = _NUMBER_LABEL.match(line)
        if m:
            if m.group("rest"):
                candidates.append(m.group("rest"))
            continue
        candidates.append(line)
        break
    for cand in candidates:
        rest = _NUMBER.sub(" ", cand).strip(" :,")
        if rest:
            return rest, cand
    return "", ""


def read_decision_form(lines: list[str], window: int = 40) -> DecisionForm:
    out = DecisionForm()
    for i, line in enumerate(lines[:window]):
        m = _MAKER.match(line)
        if m and not out.maker_line:
            maker, src = _maker_value(lines, i, m.group("rest"))
            out.maker_line = src
            if maker and _BODY_WORD.search(maker) and not _PERSON.search(maker):
                out.decision_maker = maker
        t = _TITLE.match(line)
        if t and not out.title:
            value = t.group("rest") or (lines[i + 1] if i + 1 < len(lines) else "")
            out.title, out.title_line = value.strip(), line
        n = _NUMBER.search(line)
        if n and not out.number:
            out.number = n.group(0)
    return out
