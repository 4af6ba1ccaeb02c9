"""Who the initials in a plan's Lead column are, and lead cells cleaned of artefacts.

Plans name their leads by initials ("SK/TB") and, sometimes, print a key-leads table that maps
each person to initials and a job title ("Stephen Kitchman (SK)" | "Director of ...").  The
table is found by its shape, not by its heading, so it is read whatever the plan calls it.
Lead cells keep their printed form; only artefacts that are certainly not a person are removed
(see the rules below), because a guessed lead is worse than a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...parsers.model import Document, Table
from ..text.clean import clean_text
from ..text.vocab import AGGREGATE_LABELS

# ---- rules for clean_lead (summary-row labels are data in text/stopwords.json) -----------------
# Punctuation tokens that join two leads and are kept between them ("SK & TB").
CONNECTORS: frozenset[str] = frozenset({"&", "+", "-", "\u2013", ","})
# Header words that mark the job-title column of a key-leads table.
TITLE_HEADER = re.compile(r"job|title|role|position|designation", re.I)
# A key-leads table: at least this many rows, and this share of its data rows, read "Name (XX)".
MIN_PEOPLE = 2
MIN_SHARE = 0.5

# Lower-case words allowed inside a person's name.
NAME_PARTICLES: frozenset[str] = frozenset({"de", "da", "van", "von", "der", "den", "la", "le", "du", "di", "bin"})

# "Barry Quirk (BQ)", "Jackie Stirling(JSt)", "DCI Andy Furphy (AF)"
NAME_INITIALS = re.compile(r"(?P<name>[^()]*[A-Za-z][^()]*?)\s*\(\s*(?P<init>[A-Z][A-Za-z]{0,4})\s*\)")
_INITIALS = re.compile(r"[A-Z][A-Za-z]{0,3}")
_PUNCT_OR_DIGITS = re.compile(r"[\W\d_]+")
_NAME_WORD = re.compile(r"\b[A-Z][a-z]+(?:['\u2019-][A-Za-z]+)?\b")  # "Paul", "O'Neil"


@dataclass
class Person:
    initials: str
    name: str
    job_title: str


def _all_tables(doc: Document) -> list[Table]:
    out: list[Table] = []
    todo = list(doc.tables())
    while todo:
        t = todo.pop(0)
        out.append(t)
        for c in t.cells:
            todo.extend(c.nested)
    return out


def _person_match(text: str) -> re.Match[str] | None:
    """"Name (INITIALS)" where the name looks like a person and the initials fit it, so that
    "Costs of running our premises (CLL)" in a budget table is not taken for a person."""
    if not text.endswith(")"):
        return None  # cheap pre-check: the pattern backtracks quadratically on long prose
    m = NAME_INITIALS.fullmatch(text)
    if m is None:
        return None
    words = m["name"].split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in m["name"]):
        return None
    if not all(w[0].isupper() or w.lower() in NAME_PARTICLES for w in words):
        return None
    firsts = iter(w[0].upper() for w in words)
    if not all(any(ch == f for f in firsts) for ch in m["init"] if ch.isupper()):
        return None  # capitals of the initials must start words of the name, in order
    return m


def _name_column(data: list[list[str]], n_cols: int) -> tuple[int, int]:
    """(column, hits) of the column with most "Name (XX)" cells; (-1, 0) when none."""
    best_col, best = -1, 0
    for col in range(n_cols):
        hits = sum(1 for r in data if _person_match(r[col]))
        if hits > best:
            best_col, best = col, hits
    return best_col, best


def _people_in_table(table: Table) -> list[Person]:
    rows = [[clean_text(x) for x in table.row_texts(r)] for r in range(table.n_rows)]
    data = [r for r in rows if any(r)]
    if not data:
        return []
    best_col, best = _name_column(data, table.n_cols)
    header = data[0] if not _person_match(data[0][best_col] if best_col >= 0 else "") else None
    n_data = len(data) - (1 if header else 0)
    if best < MIN_PEOPLE or best < MIN_SHARE * n_data:
        return []
    title_col = _title_column(data, header, best_col)
    people = []
    for r in data:
        m = _person_match(r[best_col])
        if m:
            title = r[title_col] if title_col >= 0 else ""
            people.append(Person(m["init"], m["name"].strip(), title))
    return people


def _title_column(data: list[list[str]], header: list[str] | None, name_col: int) -> int:
    """The job-title column: named so in the header, else the other column with most text."""
    others = [c for c in range(len(data[0])) if c != name_col]
    if header:
        for c in others:
            if TITLE_HEADER.search(header[c]) and header[c] != header[name_col]:
                return c
    filled = {c: sum(1 for r in data if r[c] and r[c] != r[name_col]) for c in others}
    best = max(filled, key=lambda c: filled[c], default=-1)
    return best if best >= 0 and filled[best] else -1


def find_people(doc: Document) -> dict[str, Person]:
    """Initials -> Person from every key-leads-shaped table; the first entry for initials wins."""
    people: dict[str, Person] = {}
    for table in _all_tables(doc):
        for p in _people_in_table(table):
            people.setdefault(p.initials, p)
    return people


def _looks_initials(tok: str) -> bool:
    """'SK', 'JSt', 'RdP' are initials; 'Paul', 'King' are not (mostly capitals, at most 4)."""
    if not _INITIALS.fullmatch(tok):
        return False
    upper = sum(ch.isupper() for ch in tok)
    return upper >= max(1, len(tok) - 1)


def _is_summary_label(tok: str) -> bool:
    """A summary row's label printed in capitals ("TOTAL", "AVERAGE") that extraction glued onto
    the initials before it: a spreadsheet artefact, never a person."""
    return tok.isupper() and tok.lower() in AGGREGATE_LABELS


def _is_artefact(tok: str, keep: list[str]) -> bool:
    """A token of a lead cell that is certainly not part of a lead, given the tokens kept so far."""
    if not tok or (_PUNCT_OR_DIGITS.fullmatch(tok) and tok not in CONNECTORS):
        return True
    if _is_summary_label(tok) and keep and all(_looks_initials(x) for x in keep[-1].split("/")):
        return True
    return bool(keep) and tok == keep[-1]


def clean_lead(raw: str) -> str:
    """A lead cell as printed, minus artefacts: homoglyphs fixed, slashes tightened
    ("JF / RG" -> "JF/RG"), tokens of only digits/punctuation dropped ("1 '" -> ""), exact
    repeated tokens collapsed ("PD PD" -> "PD"), artefact words after initials dropped
    ("IA TOTAL" -> "IA": a summary-row label in capitals).  Spacing between leads is otherwise kept ("BN SW" stays)."""
    s = clean_text(raw or "")
    s = re.sub(r"\s*/\s*", "/", s)
    keep: list[str] = []
    for tok in s.split(" "):
        if not _is_artefact(tok, keep):
            keep.append(tok)
    while keep and keep[0] in CONNECTORS:
        keep.pop(0)
    while keep and keep[-1] in CONNECTORS:
        keep.pop()
    return " ".join(keep).strip("/")


def _lookup(tok: str, people: dict[str, Person]) -> Person | None:
    if tok in people:
        return people[tok]
    folded = [p for k, p in people.items() if k.lower() == tok.lower()]
    return folded[0] if len(folded) == 1 else None


def resolve_lead(raw: str, people: dict[str, Person]) -> str:
    """Initials to names through the key-leads table: "BN/SW" and "BN SW" ->
    "Barrie Neale/Sara Williams".  Unknown initials stay as printed next to resolved ones;
    parts that are already names ("Paul King") are returned unchanged.  "" when nothing in the
    cell is a resolvable person or a name."""
    s = clean_lead(raw)
    out: list[str] = []
    useful = False
    for part in (p.strip() for p in s.split("/")):
        if not part:
            continue
        toks = [t for t in part.split(" ") if t not in CONNECTORS]
        if toks and all(_looks_initials(t) or _lookup(t, people) for t in toks):
            for t in toks:
                person = _lookup(t, people)
                out.append(person.name if person else t)
                useful = useful or person is not None
        else:
            out.append(part)
            useful = useful or bool(_NAME_WORD.search(part))
    return "/".join(out) if useful else ""
