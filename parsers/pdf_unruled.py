"""Tables drawn with no rules: columns of text aligned by whitespace alone.

Used only on text left over after ruled tables are taken, and deliberately strict (three
or more columns, each starting at the same x in at least half of the rows, several rows
with text in three columns), because ordinary prose also has aligned left edges: a false
table is worse than a table read as lines.  A row with a single piece of text under one
column continues the cell above (a cell that wraps onto several lines).
"""

from __future__ import annotations

from .pdf_stitch import PCell, PTable
from .pdf_text import Line

X_TOL = 5.0  # text of one column starts within this many points


def find_unruled(lines: list[Line], page: int, page_width: float) -> tuple[list[PTable], list[Line]]:
    """Tables found among ``lines`` and the lines that are not in any of them."""
    if len(lines) < 6:
        return [], lines
    rows = _rows(lines)
    text_w = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    tables: list[PTable] = []
    used: set[int] = set()
    run: list[list[Line]] = []

    def close_run() -> None:
        while run and len(run[-1]) < 2:  # trailing one-piece rows are text after the table
            run.pop()
        t = _table(run, page)
        if t is not None:
            tables.append(t)
            for r in run:
                used.update(id(x) for x in r)
        run.clear()

    for r in rows:
        size = max(x.size for x in r)
        if run:
            gap = r[0].top - max(x.bottom for x in run[-1])
            wide = len(r) == 1 and r[0].x1 - r[0].x0 > 0.6 * text_w
            if gap > 1.5 * size or wide:
                close_run()
        if not run and len(r) < 2:
            continue  # a table starts with a row of several pieces
        run.append(r)
    close_run()
    rest = [ln for ln in lines if id(ln) not in used]
    return tables, rest


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines sharing a top (within a third of their size) as rows, each left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: (x.top, x.x0)):
        if rows and abs(ln.top - rows[-1][0].top) <= 0.3 * max(ln.size, 1.0):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    for r in rows:
        r.sort(key=lambda x: x.x0)
    return rows


def _table(run: list[list[Line]], page: int) -> PTable | None:
    """The run of rows as a table, or None: at least three rows of several pieces, and
    every piece within one of at least three shared column starts."""
    anchors = _anchors(run)
    if len(anchors) < 3:
        return None
    pieces = [x for r in run for x in r]
    if any(_spans_columns(x, anchors) for x in pieces):
        return None  # a piece that spans two columns is prose
    grid, tops = _fill_grid(run, anchors)
    xs = anchors + [max(x.x1 for x in pieces) + 1.0]
    ys = tops + [max(x.bottom for x in pieces) + 1.0]
    hr = [[True] * len(anchors) for _ in ys]
    return PTable(page, xs, ys, _cells(grid, xs, ys, page), hr, False, False)


def _cells(grid: list[list[list[Line]]], xs: list[float], ys: list[float], page: int) -> list[PCell]:
    cells: list[PCell] = []
    for i, row in enumerate(grid):
        for c, pieces in enumerate(row):
            for ln in pieces:
                ln.limit = 0.0  # no cell edge known: never rejoin a word as if cut there
            bold = bool(pieces) and all(p.bold for p in pieces)
            cells.append(PCell(i, c, 1, 1, pieces, None, bold, page,
                               (round(xs[c], 2), round(ys[i], 2), round(xs[c + 1], 2), round(ys[i + 1], 2))))
    return cells


def _anchors(run: list[list[Line]]) -> list[float]:
    """Column starts: x positions where pieces of at least half the rows of several pieces
    begin; none unless three or more rows have several pieces, two of them three or more."""
    multi = [r for r in run if len(r) >= 2]
    if len(multi) < 3 or sum(1 for r in multi if len(r) >= 3) < 2:
        return []
    clusters: list[list[float]] = []
    for x0 in sorted(x.x0 for r in multi for x in r):
        if clusters and x0 - clusters[-1][-1] <= X_TOL:
            clusters[-1].append(x0)
        else:
            clusters.append([x0])
    return [min(c) for c in clusters if len(c) >= max(2, 0.5 * len(multi))]


def _col_of(x: Line, anchors: list[float]) -> int:
    k = 0
    for i, a in enumerate(anchors):
        if x.x0 >= a - X_TOL:
            k = i
    return k


def _spans_columns(x: Line, anchors: list[float]) -> bool:
    c = _col_of(x, anchors)
    return c + 1 < len(anchors) and x.x1 > anchors[c + 1] + X_TOL


def _fill_grid(run: list[list[Line]], anchors: list[float]) -> tuple[list[list[list[Line]]], list[float]]:
    """Pieces by row and column; a one-piece row continues the row above (a wrapped cell)."""
    grid: list[list[list[Line]]] = []
    tops: list[float] = []
    for r in run:
        if len(r) >= 2 or not grid:
            grid.append([[] for _ in anchors])
            tops.append(min(x.top for x in r))
        for x in r:
            grid[-1][_col_of(x, anchors)].append(x)
    return grid, tops
