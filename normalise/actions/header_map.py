"""Recognise an action table's header row and map its cells to fields.

The vocabulary lives in ``headers.json`` so a new council's wording is a data change.  A cell
matches a field exactly first, then by rapidfuzz (OCR'd headers such as "Pof:" or
"Massura /autsama:" still score high against their field's phrases).  A row counts as a
header when enough cells map to distinct fields and one of them is the action text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

FIELDS = ("ref", "action", "aim", "start", "end", "measure", "lead", "dlt_lead", "comments", "rag")
FUZZY_CUTOFF = 86
MIN_FIELDS = 3


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """phrase -> field, from headers.json."""
    data = json.loads(resources.files(__package__).joinpath("headers.json").read_text("utf-8"))
    return {phrase: fld for fld, phrases in data.items() if not fld.startswith("_") for phrase in phrases}


_MARKER = re.compile(r"^(?:[a-z]|\d+)[.)]\s+")
_PUNCT = re.compile(r"[^\w#]+")
_SPACES = re.compile(r"\s+")


def header_key(text: str) -> str:
    """Lower-case, drop list markers ("c)"), punctuation and a fused value after a colon."""
    t = text.strip().lower()
    t = _MARKER.sub("", t)
    t = _PUNCT.sub(" ", t)
    return _SPACES.sub(" ", t).strip()


@lru_cache(maxsize=16384)  # every row is tried as a header: statuses, dates, leads repeat
def match_field(text: str) -> tuple[str, int] | None:
    """The field a header cell names, with its match score, or None."""
    key = header_key(text)
    if not key or len(key) > 60:
        return None
    vocab = vocabulary()
    if key in vocab:
        return vocab[key], 100
    if len(key) < 3:
        return None
    hit = process.extractOne(key, vocab.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if hit:
        return vocab[hit[0]], int(hit[1])
    return None


@dataclass
class HeaderMap:
    """Column index -> field, plus the printed header of every column (kept for ``extra``)."""

    columns: dict[int, str]
    labels: dict[int, str]
    n_cols: int
    fused: dict[int, str] = field(default_factory=dict)  # col -> value printed after the label

    def col(self, fld: str) -> int | None:
        for c, f in self.columns.items():
            if f == fld:
                return c
        return None


_FUSED = re.compile(r"^\s*([A-Za-z/ ]{2,25}):\s*(\S.*)$")


def map_header(cells: list[str], *, allow_fused: bool = False) -> HeaderMap | None:
    """Map a row's cells to fields, or None when the row is not an action-table header.

    With ``allow_fused`` a cell such as "Ref: 5.1" (label and first value fused by a bad text
    layer) maps by its label and keeps the value in ``fused``.
    """
    cols: dict[int, str] = {}
    scores: dict[int, int] = {}
    fused: dict[int, str] = {}
    for i, text in enumerate(cells):
        hit = match_field(text)
        value = ""
        if hit is None and allow_fused:
            m = _FUSED.match(text)
            if m:
                hit = match_field(m.group(1))
                value = m.group(2).strip()
        if hit is None:
            continue
        fld, score = hit
        # one column per field: the better-scoring cell wins; "lead" + "lead" -> second is dlt?
        prev = next((c for c, f in cols.items() if f == fld), None)
        if prev is not None:
            if scores[prev] >= score:
                continue
            del cols[prev]
        cols[i] = fld
        scores[i] = score
        if value:
            fused[i] = value
    if len(set(cols.values())) < MIN_FIELDS:
        return None
    if "action" not in cols.values():
        # a header whose action column is blank ("", "By when", "By whom", "Status"): the
        # first unlabelled column before the mapped ones holds the actions.
        blank = [i for i, t in enumerate(cells) if not t.strip() and i not in cols]
        if not blank or blank[0] > min(cols):
            return None
        cols[blank[0]] = "action"
    labels = {i: t for i, t in enumerate(cells) if t.strip()}
    return HeaderMap(columns=dict(sorted(cols.items())), labels=labels, n_cols=len(cells), fused=fused)
