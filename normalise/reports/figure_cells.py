"""Figures printed as table cells: a number alone in a cell, named by its row and column.

Finance and performance papers print their key figures in tables ("Highways | Forecast £m |
(290.5)"), where no sentence says what the number is.  The cell's row label (its first cell
that is not a number) says what it is about, its column header (the nearest cell above that
is not a number) gives the unit when the cell does not ("£m", "£'000", "%"), and brackets
make it negative, as accounts print a loss.  Left out: cells that number rows (a column
holding 1, 2, 3 ...), years, and cells with neither a row label nor a header.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...parsers.model import Cell, Document, Provenance, Table
from .figure_patterns import cell_number, header_unit, is_label

_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class CellFigure:
    value: str
    unit: str
    counts_what: str
    raw: str
    sentence: str  # "row label | column header: cell text"
    prov: Provenance
    block: int


def cell_figures(doc: Document, skip: set[int]) -> Iterator[CellFigure]:
    """Every figure printed alone in a cell of a table not in ``skip`` (action tables)."""
    for i, b in enumerate(doc.blocks):
        if b.kind == "table" and b.table is not None and b.table.index not in skip:
            yield from _table_figures(b.table, i)


def is_number_cell(text: str) -> bool:
    return cell_number(text) is not None


def _table_figures(t: Table, block: int) -> Iterator[CellFigure]:
    grid = t.grid()
    numbering = {c for c in range(t.n_cols) if _numbers_rows(grid, c)}
    for r, row in enumerate(grid):
        label = _row_label(row)
        for c, cell in enumerate(row):
            if cell is None or cell.row != r or cell.col != c or c in numbering:
                continue
            fig = _cell_figure(cell, label, _column_header(grid, r, c), t, block)
            if fig is not None:
                yield fig


def _named(label: str, header: str) -> bool:
    """A row label or a column header says what the number is, and neither makes it a
    label ("Page", "No.", "Ref")."""
    return bool(label or header) and not is_label(label) and not is_label(header)


def _cell_figure(cell: Cell, label: str, header: str, t: Table, block: int) -> CellFigure | None:
    own = cell_number(cell.text) if _named(label, header) else None
    if own is None or (own[1] == "count" and _looks_like_year(own[0])):
        return None
    value, unit = own
    if unit == "count":  # the column's unit, else the row's ("Spend (£m)")
        unit = next((u for u in (header_unit(header), header_unit(label)) if u != "count"), "count")
    text = cell.text.strip()
    sentence = " | ".join(x for x in (label, header) if x) + ": " + text
    prov = cell.prov if (cell.prov.page or cell.prov.line or cell.prov.cell) else t.prov
    return CellFigure(value, unit, label or header, text, sentence, prov, block)


def _looks_like_year(value: str) -> bool:
    return value.isdigit() and 1950 <= int(value) <= 2099


def _text(cell: Cell | None) -> str:
    return " ".join(cell.text.split()) if cell is not None else ""


def _words(text: str) -> bool:
    """Text that can name a number: it has letters ("27 – 30" is a page range, not a name)."""
    return bool(_LETTER.search(text))


def _row_label(row: list[Cell | None]) -> str:
    return next((t for t in map(_text, row) if _words(t)), "")


def _column_header(grid: list[list[Cell | None]], r: int, c: int) -> str:
    for above in range(r - 1, -1, -1):
        t = _text(grid[above][c])
        if _words(t):
            return t
    return ""


def _numbers_rows(grid: list[list[Cell | None]], c: int) -> bool:
    """A column whose numbers run 1, 2, 3 ... numbers the rows; it states no figure."""
    nums = [_text(row[c]) for row in grid if c < len(row)]
    nums = [n for n in nums if n and is_number_cell(n)]
    return len(nums) >= 2 and nums == [str(i) for i in range(1, len(nums) + 1)]
