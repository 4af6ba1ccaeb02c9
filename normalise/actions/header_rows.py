"""Header rows: which row of a table names its columns, and what each column is.

A header row names at least three distinct fields, one of them the actions (or leaves the
action column's header blank).  Headers come in more shapes than one row of labels:

* two rows, a group cell over its parts ("Timescale" over "Start | End", "Responsibility"
  over "Lead | Support"): the labels under a spanning cell are the columns' names;
* the first row of a table whose title and notes come first, or which starts in column B;
* a colour key / legend row (``legend.py``): never an action, it tells the RAG reader what
  the colours mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...parsers.model import Cell
from .columns import assign_roles
from .header_map import best_field, header_key, match_field, words
from .settings import ActionSettings

DEFAULT = ActionSettings()


@dataclass
class HeaderMap:
    """Column index -> field, plus the printed header of every column (kept for ``extra``)."""

    columns: dict[int, str]
    labels: dict[int, str]
    n_cols: int
    fused: dict[int, str] = field(default_factory=dict)  # col -> value printed after the label
    implied: dict[int, str] = field(default_factory=dict)  # col -> field the layout implies
    evidence: list[str] = field(default_factory=list)  # why each column got its role
    fallbacks: dict[str, list[int]] = field(default_factory=dict)  # end <- original when revised empty

    def col(self, fld: str) -> int | None:
        for c, f in self.columns.items():
            if f == fld:
                return c
        return None


_FUSED = re.compile(r"^\s*([A-Za-z/ ]{2,25}):\s*(\S.*)$")


def _cell_field(text: str, allow_fused: bool, s: ActionSettings) -> tuple[str, float, str]:
    """(field, score, fused value) for one header cell; ("", 0, "") when it names nothing.

    A whole known phrase first, then a label fused with its first value ("Ref: 5.1"), then
    partial evidence (a known phrase inside the label, hint words)."""
    whole = match_field(text)
    if whole:
        return whole[0], whole[1] / 100, ""
    if allow_fused:
        m = _FUSED.match(text)
        label = match_field(m.group(1)) if m else None
        if m and label:
            return label[0], label[1] / 100, m.group(2).strip()
    hit = best_field(text, s)
    if hit and hit[1] >= s.header_min:
        return hit[0], hit[1], ""
    return "", 0.0, ""


def _named_cells(cells: list[str], allow_fused: bool,
                 s: ActionSettings) -> tuple[dict[int, tuple[str, float]], dict[int, str]]:
    """The cells that name a field.  Stops early once too many cells name nothing for the row
    to be a header (most of a header's cells name a field): data rows cost little."""
    filled = sum(1 for t in cells if t.strip())
    may_miss = filled - max(s.min_header_fields, (filled + 1) // 2)
    named: dict[int, tuple[str, float]] = {}
    fused: dict[int, str] = {}
    missed = 0
    for i, text in enumerate(cells):
        if not text.strip():
            continue
        fld, score, value = _cell_field(text, allow_fused, s)
        if not fld:
            missed += 1
            if missed > may_miss:
                return {}, {}
            continue
        named[i] = (fld, score)
        if value:
            fused[i] = value
    return named, fused


def map_header(cells: list[str], *, allow_fused: bool = False,
               settings: ActionSettings = DEFAULT) -> HeaderMap | None:
    """Map a row's cells to fields, or None when the row is not an action-table header.

    With ``allow_fused`` a cell such as "Ref: 5.1" (label and first value fused by a bad text
    layer) maps by its label and keeps the value in ``fused``.  Most of a header's cells name
    a field; a data row with a few header-like words does not qualify.
    """
    filled = [t for t in cells if t.strip()]
    if len(filled) < settings.min_header_fields - 1:
        return None
    named, fused = _named_cells(cells, allow_fused, settings)
    if len({f for f, _ in named.values()}) < settings.min_header_fields or len(named) * 2 < len(filled):
        return None
    implied = _implied_action(cells, named, settings)
    if implied is None:
        return None
    roles = assign_roles(cells, None, implied=implied, settings=settings)
    columns = dict(roles.columns)
    for c in fused:  # a fused label names its column whatever the content says
        columns.setdefault(c, named[c][0])
    if "action" not in columns.values() or len(set(columns.values())) < settings.min_header_fields:
        return None
    labels = {i: t for i, t in enumerate(cells) if t.strip()}
    return HeaderMap(columns=dict(sorted(columns.items())), labels=labels, n_cols=len(cells), fused=fused,
                     implied=implied, evidence=roles.lines(), fallbacks=roles.fallbacks)


def _implied_action(cells: list[str], named: dict[int, tuple[str, float]],
                    s: ActionSettings) -> dict[int, str] | None:
    """{} when a cell names the action column; else a header whose action column is blank
    ("", "By when", "By whom", "Status"): the first unlabelled column before the named ones
    holds the actions, but only when the named ones are whole known phrases (a blank cell is
    weak evidence, so the rest must be strong).  None when neither."""
    if any(fld == "action" for fld, _ in named.values()):
        return {}
    blank = [i for i, t in enumerate(cells) if not t.strip() and i not in named]
    if not blank or blank[0] > min(named):
        return None
    whole = {hit[0] for c in named if (hit := match_field(cells[c]))}
    if len(whole) < s.min_header_fields:
        return None
    return {blank[0]: "action"}


# -- two-row headers -----------------------------------------------------------------------

def _spans_columns(row: list[Cell | None], c: int) -> bool:
    cell = row[c]
    return cell is not None and cell.col_span > 1


def _is_group_row(top: list[Cell | None]) -> bool:
    """A row with a cell spanning columns beside others; one cell across the whole row is a
    title or banner, not a group of columns."""
    spans = any(_spans_columns(top, c) for c in range(len(top)))
    return spans and len({id(c) for c in top if c is not None and c.text.strip()}) >= 2


def _sub_label(up: Cell | None, down: Cell | None, spanned: bool, s: ActionSettings) -> str | None:
    """The label of one column of a two-row header; None when ``down`` is not a sub-label."""
    parent = up.text.strip() if up is not None else ""
    if down is None or down is up or not down.text.strip():
        return parent
    text = down.text.strip()
    if not spanned or len(text) > s.max_sub_header_chars:
        return None
    return text if best_field(text, s) or _not_lead(text) else f"{parent} {text}".strip()


def combined_labels(top: list[Cell | None], below: list[Cell | None],
                    settings: ActionSettings = DEFAULT) -> list[str] | None:
    """Labels of a two-row header, or None when ``below`` is not a row of sub-labels.

    Under a cell that spans columns ("Timescale"), each column is named by the label printed
    beneath it ("Start", "End"); a cell spanning both rows names its column once.  ``below``
    qualifies only when every new text in it sits under a spanning cell, is short, and at
    least two of them differ (a data row under a wide title does not).
    """
    if not _is_group_row(top):
        return None
    labels: list[str] = []
    subs: set[str] = set()
    for c, (up, down) in enumerate(zip(top, below, strict=False)):
        label = _sub_label(up, down, _spans_columns(top, c), settings)
        if label is None:
            return None
        if down is not None and down is not up and down.text.strip():
            subs.add(down.text.strip())
        labels.append(label)
    return labels if len(subs) >= 2 else None


def _not_lead(text: str) -> bool:
    return bool(set(header_key(text).split()) & words()["not_lead"])
