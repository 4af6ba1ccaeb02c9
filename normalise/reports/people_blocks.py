"""Who wrote a paper: the author or contact officer, name and role without phone or e-mail.

Contact blocks come in many shapes: "Report Author: Ben Sherreard Job title: Programme
Manager ... Telephone number: ... Email address: ..."; a label line ("Author", "Contact
details") followed by one line per person; "Ask for:" on an agenda; "Lead inspector:" on an
inspection; a letter's signature under "Yours sincerely".  Labels printed side by side
("Report Author | Relevant Director") arrive as tab-separated cells of one line, so every
cell is read as its own line: one person's name is never joined to the next person's role.
Several people are kept in order, joined with "; ".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ...parsers.model import Document

_PHONE = re.compile(r"(?:\+?\d[\d ()-]{6,}\d)")
_EMAIL = re.compile(r"\b[\w.'-]+@[\w-]+(?:\s?\.[\w-]+)+\b")
_CONTACT_LABEL = re.compile(r"\b(?:tel(?:ephone)?(?: number| no\.?)?|t|e|e-?mail(?: address)?|mobile|phone|fax|"
                            r"textphone|job title|name|phone number)\s*:\s*", re.I)
_NAME = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof|Cllr|Councillor|Sir|Dame)\.?\s+)?[A-Z][a-z'\u2019-]+(?:\s+[A-Z]\.?)*"
                   r"(?:\s+[A-Z][a-zA-Z'\u2019-]+){1,2}")


@dataclass(frozen=True)
class PeopleSettings:
    tail_lines: int = 60  # contact blocks sit at the end of a report
    max_people: int = 4  # more names than this under one label is a list, not a contact block
    max_entry_words: int = 25


@dataclass
class Person:
    text: str  # "Name, Role" as printed, phone and e-mail removed
    line: str  # the printed line it was read from


@lru_cache(maxsize=1)
def _labels() -> dict[str, re.Pattern[str]]:
    raw = json.loads(resources.files(__package__).joinpath("people_labels.json").read_text(encoding="utf-8"))
    out = {k: re.compile(rf"^(?:\d+\.?\s*)?(?:{'|'.join(v)})\s*:?\s*$", re.I) for k, v in raw.items()
           if k not in ("about", "role_start")}
    out["prefix"] = re.compile(rf"^(?:{'|'.join(raw['author'])})\s+(?=[A-Z])", re.I)
    out["inline"] = re.compile(rf"\b(?:{'|'.join(raw['author'])})\s*:(?:\s|$)", re.I)
    out["role_start"] = re.compile(rf"^(?:{'|'.join(raw['role_start'])})\b", re.I)
    return out


def strip_contact(text: str) -> str:
    """Name and role only: phone numbers, e-mail addresses and their labels removed."""
    t = _EMAIL.sub(" ", text)
    t = _CONTACT_LABEL.sub(", ", t)
    t = _PHONE.sub(" ", t)
    t = re.sub(r"\s+", " ", t)
    t = re.sub(r"(?:\s*,\s*)+", ", ", t)
    return t.strip(" ,;:-\u2013")


def _split_long(line: str, long_line: int) -> list[str]:
    """A page of text run into one line ("... Appendices ... Contact Details: Jane Doe ..."):
    the author label starts a line of its own."""
    if len(line) <= long_line:
        return [line]
    found = list(_labels()["inline"].finditer(line))
    m = found[-1] if found else None  # the last author label of the page
    return [line[:m.start()].strip(), line[m.start():].strip()] if m and m.start() > 0 else [line]


def cell_lines(doc: Document, long_line: int = 300) -> list[str]:
    """Every non-empty line of the text, table cells (tab-separated) as lines of their own."""
    out: list[str] = []
    for line in doc.text().split("\n"):
        for cell in line.split("\t"):
            for c in _split_long(cell.strip(), long_line):
                if c and (not out or out[-1] != c):
                    out.append(c)
    return out


def interleaved_label(lines: list[str]) -> str:
    """An author label with no value whose next line is another label with one ("Report
    Author:" / "Director: Ingrid Crisan"): two blocks printed side by side whose lines the
    text layer interleaved, so no line below can be given to either person."""
    author, stop = _labels()["author"], _labels()["stop"]
    for i, line in enumerate(lines[:-1]):
        if author.match(line) and line.rstrip().endswith(":"):
            head, colon, rest = lines[i + 1].partition(":")
            if colon and rest.strip() and stop.match(head + ":"):
                return line
    return ""


def has_contact_label(lines: list[str]) -> bool:
    """Whether any of ``lines`` carries an author/contact label ("... 10.00 am Ask for:")."""
    rx = _labels()["inline"]
    return any(rx.search(x) for x in lines)


def ambiguous_label(lines: list[str]) -> str:
    """A label over author and director together ("Report Author and Relevant Director")."""
    rx = _labels()["ambiguous"]
    return next((ln for ln in lines if rx.match(ln)), "")


def _split_label(line: str, label: re.Pattern[str]) -> tuple[bool, str]:
    """(line starts with the label, what follows it on the same line)."""
    if label.match(line):
        return True, ""
    m = re.match(r"^((?:\d+\.?\s*)?[^:]{2,60}):\s*(.*)$", line)
    if m and label.match(m.group(1) + ":"):
        return True, m.group(2)
    return False, ""


def _is_stop(line: str) -> bool:
    """A label that ends the author block: "Relevant Director:", or such a label alone on its
    line ("Head of Service North 0300 ..." is a role under a name, not a label)."""
    labels = _labels()
    head, colon, _ = line.partition(":")
    if not colon and (re.search(r"[\d@]", line) or len(line.split()) > 6):
        return False
    return bool(labels["stop"].match(head + ":") or labels["author"].match(head + ":"))


def _block_lines(lines: list[str], start: int, first: str, settings: PeopleSettings, column: bool) -> list[str]:
    """The printed lines of one author block: the rest of the label line, then (in a table
    column, or when the label stands alone) the lines below it up to the next label."""
    out = [first] if first.strip() else []
    if out and not column:
        return out
    for line in lines[start + 1:start + 1 + 5 * settings.max_people]:
        if _is_stop(line):
            break
        out.append(line)
    return out


def _entries(lines: list[str], start: int, first: str, settings: PeopleSettings,
             column: bool = False) -> list[Person]:
    """People under a label, name and role each; a role line under a name joins that name.

    In running text a value on the label's own line ("Lead inspector: Jane Doe, HMI") is the
    whole entry; in a table column the cells below it belong to the same block."""
    out: list[Person] = []
    role = _labels()["role_start"]
    for raw in _block_lines(lines, start, first, settings, column):
        text = strip_contact(_labels()["prefix"].sub("", raw))  # "Report Author Dave Shipton (...)"
        is_name = bool(_NAME.match(text)) and not role.match(text)
        if text and is_name and len(text.split()) <= settings.max_entry_words:
            out.append(Person(text, raw))
        elif out and text and not is_name and len(text.split()) <= 8:
            out[-1].text += ", " + text  # a role printed on the line under the name
    # more names than a contact block holds is a list of contacts: who wrote the paper is not plain
    return out if len(out) <= settings.max_people else []


def author_from_labels(lines: list[str], settings: PeopleSettings | None = None) -> list[Person]:
    """The people under the last author label of the paper (contact blocks close a report)."""
    settings = settings or PeopleSettings()
    label = _labels()["author"]
    found: list[Person] = []
    for i, line in enumerate(lines):
        hit, rest = _split_label(line, label)
        if hit:
            people = _entries(lines, i, rest, settings)
            if people:
                found = people
                if i < len(lines) - settings.tail_lines:
                    return found  # a label near the top (Lead inspector:, Ask for:) is the author
    return found


def _columns(doc: Document) -> list[list[str]]:
    """Each table column as its cells' lines, top to bottom (anchor cells only, so a merged
    cell is read once): side-by-side blocks are read down their own column."""
    out: list[list[str]] = []
    for table in doc.tables():
        for col in range(table.n_cols):
            cells = sorted((c for c in table.cells if c.col == col and c.text.strip()), key=lambda c: c.row)
            out.append([ln.strip() for c in cells for ln in c.text.split("\n") if ln.strip()])
    return out


def author_from_tables(doc: Document, settings: PeopleSettings | None = None) -> list[Person]:
    """The people under an author label printed in a table cell, read down that column."""
    settings = settings or PeopleSettings()
    label = _labels()["author"]
    found: list[Person] = []
    for lines in _columns(doc):
        for i, line in enumerate(lines):
            hit, rest = _split_label(line, label)
            if hit:
                found = _entries(lines, i, rest, settings, column=True) or found
    return found


def author_from_sign_off(lines: list[str]) -> list[Person]:
    """A letter's sender: the name (and role) under "Yours sincerely"."""
    sign = _labels()["sign_off"]
    for i in range(len(lines) - 1, -1, -1):
        if sign.match(lines[i].rstrip(",") + ":"):
            after = [x for x in (strip_contact(x) for x in lines[i + 1:i + 3]) if x]
            if not after:
                return []
            # the role on the line under the name ("George Lewis" / "Democratic Services Assistant")
            role = len(after) > 1 and len(after[0].split()) <= 5 and _labels()["role_start"].match(after[1])
            return [Person(f"{after[0]}, {after[1]}" if role else after[0], lines[i + 1])]
    return []


def name_from_email(lines: list[str], text: str) -> str:
    """"Ask for: ... georgina.little@..." : the printed name that the address spells."""
    m = re.search(r"\b([a-z]+)[._]([a-z]+)@", text, re.I)
    if not m:
        return ""
    rx = re.compile(rf"\b{m.group(1)}\s+{m.group(2)}\b", re.I)
    for line in lines:
        n = rx.search(line)
        if n and "@" not in n.group(0):
            return n.group(0)
    return ""
