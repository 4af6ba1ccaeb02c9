"""Ruled tables from ruling lines: grid, merged cells, which chars fall in which cell.

The grid is built from the rules themselves rather than from pdfplumber's cell list, so
that two things pdfplumber's ``extract_tables`` loses survive: a merged cell (no rule
between two slots -> one cell with a span, as a DOCX reader sees it) and a row left open at
the page edge (vertical rules run past the last horizontal one: a row cut by the page
break with no closing rule).  Everything works on :class:`~.pdf_page.Edge` values, so any
backend can feed it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .pdf_page import Char, Edge, Fill

SNAP = 3.0  # rules closer than this are one rule (pdfplumber's default snap tolerance)
JOIN = 3.0  # collinear pieces with a gap up to this are one rule
TOL = 3.0  # how far a rule may miss another and still meet it
MIN_LEN = 3.0


class RuledShape:
    """Size and extent of anything laid on column rules ``xs`` and row rules ``ys`` (both
    sorted, in points): a page's Grid here and the per-page table pieces pdf_stitch joins
    (``PTable``), which must agree on what a row and a column are."""

    xs: list[float]
    ys: list[float]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char] = field(default_factory=list)
    fill: str | None = None


@dataclass
class Grid(RuledShape):
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    slot: list[list[int]]  # [row][col] -> index into cells
    open_top: bool = False  # vertical rules rise above the first horizontal rule
    open_bottom: bool = False  # ... or run below the last one
    top_rule: list[bool] = field(default_factory=list)  # per column: rule above row 0
    bottom_rule: list[bool] = field(default_factory=list)  # per column: rule below last row

    def locate(self, x: float, y: float) -> GridCell | None:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(max(bisect.bisect_right(self.xs, x) - 1, 0), self.n_cols - 1)
        r = min(max(bisect.bisect_right(self.ys, y) - 1, 0), self.n_rows - 1)
        return self.cells[self.slot[r][c]]


def _snap(vals: list[Edge]) -> None:
    """Move rules within SNAP of each other (chained) to their mean position, in place."""
    vals.sort(key=lambda e: e.pos)
    i = 0
    while i < len(vals):
        j = i + 1
        while j < len(vals) and vals[j].pos - vals[j - 1].pos <= SNAP:
            j += 1
        if j - i > 1:
            m = sum(e.pos for e in vals[i:j]) / (j - i)
            for e in vals[i:j]:
                e.pos = m
        i = j


def _join(edges: list[Edge]) -> list[Edge]:
    out: list[Edge] = []
    edges.sort(key=lambda e: (e.pos, e.start))
    for e in edges:
        last = out[-1] if out else None
        if last is not None and last.pos == e.pos and e.start <= last.end + JOIN:
            last.end = max(last.end, e.end)
        else:
            out.append(Edge(e.orientation, e.pos, e.start, e.end))
    return [e for e in out if e.end - e.start >= MIN_LEN]


def merge_edges(edges: list[Edge]) -> tuple[list[Edge], list[Edge]]:
    h = [Edge("h", e.pos, e.start, e.end) for e in edges if e.orientation == "h"]
    v = [Edge("v", e.pos, e.start, e.end) for e in edges if e.orientation == "v"]
    _snap(h)
    _snap(v)
    return _join(h), _join(v)


def _components(h: list[Edge], v: list[Edge]) -> list[tuple[list[Edge], list[Edge]]]:
    """Groups of rules that touch each other: one group per table."""
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hpos = [e.pos for e in h]  # h is sorted by pos after _join
    for j, ve in enumerate(v):
        lo = bisect.bisect_left(hpos, ve.start - TOL)
        hi = bisect.bisect_right(hpos, ve.end + TOL)
        for i in range(lo, hi):
            he = h[i]
            if he.start - TOL <= ve.pos <= he.end + TOL:
                a, b = find(i), find(len(h) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, e in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(e)
    for j, e in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(e)
    return [g for g in groups.values() if len(g[0]) >= 1 and len(g[1]) >= 2 and len(g[0]) + len(g[1]) >= 4]


def _covers(rules: list[Edge], a: float, b: float) -> bool:
    need = 0.5 * (b - a)
    got = 0.0
    for e in rules:
        got += max(0.0, min(e.end, b) - max(e.start, a))
    return got >= need


def _uniq(vals: list[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(vals):
        if not out or x - out[-1] > SNAP:
            out.append(x)
    return out


def find_grids(edges: list[Edge]) -> list[Grid]:
    h_all, v_all = merge_edges(edges)
    grids: list[Grid] = []
    for h, v in _components(h_all, v_all):
        g = _grid(h, v)
        if g is not None:
            grids.append(g)
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


def _grid(h: list[Edge], v: list[Edge]) -> Grid | None:
    """The grid of one connected set of rules: column and row positions, the rules present
    between slots, and one cell per region no rule divides; None when it is no table."""
    axes = _axes(h, v)
    if axes is None:
        return None
    xs, ys, open_top, open_bottom = axes
    hr, vr = _rules(h, v, xs, ys)
    cells = _cells(_regions(hr, vr, len(ys) - 1, len(xs) - 1), xs, ys, len(xs) - 1)
    if len(cells) < 2:
        return None  # a box around some text, not a table
    cells.sort(key=lambda k: (k.row, k.col))
    slot = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for i, k in enumerate(cells):
        for r in range(k.row, k.row + k.row_span):
            for c in range(k.col, k.col + k.col_span):
                slot[r][c] = i
    return Grid(xs, ys, cells, slot, open_top, open_bottom, top_rule=hr[0], bottom_rule=hr[-1])


def _axes(h: list[Edge], v: list[Edge]) -> tuple[list[float], list[float], bool, bool] | None:
    """Column and row rule positions; a table whose vertical rules run past its first or
    last horizontal rule is open there (it continues from or onto another page)."""
    xs = _uniq([e.pos for e in v])
    ys = _uniq([e.pos for e in h])
    if len(xs) < 2:
        return None
    vtop = min(e.start for e in v)
    vbot = max(e.end for e in v)
    open_top = open_bottom = False
    if not ys or vtop < ys[0] - 2 * TOL:
        ys.insert(0, vtop)
        open_top = True
    if vbot > ys[-1] + 2 * TOL:
        ys.append(vbot)
        open_bottom = True
    if len(ys) < 2:
        return None
    return xs, ys, open_top, open_bottom


def _rules(h: list[Edge], v: list[Edge], xs: list[float],
           ys: list[float]) -> tuple[list[list[bool]], list[list[bool]]]:
    """``hr[i][c]``: a rule along row line i over column c; ``vr[r][j]``: a rule along
    column line j beside row r."""
    h_at: dict[int, list[Edge]] = {}
    for e in h:
        i = min(range(len(ys)), key=lambda k: abs(ys[k] - e.pos))
        h_at.setdefault(i, []).append(e)
    v_at: dict[int, list[Edge]] = {}
    for e in v:
        j = min(range(len(xs)), key=lambda k: abs(xs[k] - e.pos))
        v_at.setdefault(j, []).append(e)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    hr = [[_covers(h_at.get(i, []), xs[c], xs[c + 1]) for c in range(n_cols)] for i in range(len(ys))]
    vr = [[_covers(v_at.get(j, []), ys[r], ys[r + 1]) for j in range(len(xs))] for r in range(n_rows)]
    return hr, vr


def _regions(hr: list[list[bool]], vr: list[list[bool]], n_rows: int, n_cols: int) -> list[list[int]]:
    """Slots (r * n_cols + c) joined where no rule separates them; each connected group,
    in order of its first slot, is one region."""
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(n_rows):
        for c in range(n_cols):
            if r + 1 < n_rows and not hr[r + 1][c]:
                union(r * n_cols + c, (r + 1) * n_cols + c)
            if c + 1 < n_cols and not vr[r][c + 1]:
                union(r * n_cols + c, r * n_cols + c + 1)
    members: dict[int, list[int]] = {}
    for s in range(n_rows * n_cols):
        members.setdefault(find(s), []).append(s)
    return [members[root] for root in sorted(members)]


def _cells(regions: list[list[int]], xs: list[float], ys: list[float], n_cols: int) -> list[GridCell]:
    """One cell per rectangular region; a region that is not a rectangle (rules missing in
    odd places) falls back to runs of adjacent slots within each row."""
    cells: list[GridCell] = []

    def add(r0: int, c0: int, r1: int, c1: int) -> None:
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))

    for ss in regions:
        rows = [s // n_cols for s in ss]
        cols = [s % n_cols for s in ss]
        r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
        if (r1 - r0 + 1) * (c1 - c0 + 1) == len(ss):
            add(r0, c0, r1, c1)
            continue
        for r in sorted(set(rows)):
            for start, end in _runs(sorted(s % n_cols for s in ss if s // n_cols == r)):
                add(r, start, r, end)
    return cells


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    """Sorted column numbers as runs of adjacent ones: [1, 2, 4] -> [(1, 2), (4, 4)]."""
    out: list[tuple[int, int]] = []
    for c in cols:
        if out and c == out[-1][1] + 1:
            out[-1] = (out[-1][0], c)
        else:
            out.append((c, c))
    return out


def assign(grids: list[Grid], chars: list[Char]) -> list[Char]:
    """Put each glyph into the cell under its centre; return the glyphs outside all tables."""
    if not grids:
        return chars
    rest: list[Char] = []
    for ch in chars:
        x = (ch.x0 + ch.x1) / 2
        y = (ch.top + ch.bottom) / 2
        for g in grids:
            cell = g.locate(x, y)
            if cell is not None:
                cell.chars.append(ch)
                break
        else:
            rest.append(ch)
    return rest


def apply_fills(grids: list[Grid], fills: list[Fill]) -> None:
    """Give each cell the colour of the topmost fill covering most of it.

    A fill that is itself white (rgb None) still counts: drawn on top, it hides what is
    below.  Fills much larger than the whole table (page backgrounds) are ignored.
    """
    if not fills:
        return
    for g in grids:
        gx0, gy0, gx1, gy1 = g.bbox
        garea = (gx1 - gx0) * (gy1 - gy0)
        relevant = [f for f in fills if f.x1 > gx0 and f.x0 < gx1 and f.bottom > gy0 and f.top < gy1
                    and (f.x1 - f.x0) * (f.bottom - f.top) <= 1.5 * garea]
        if not relevant:
            continue
        for cell in g.cells:
            top = _top_fill(cell, relevant)
            if top is not None:
                cell.fill = top.rgb


def _top_fill(cell: GridCell, fills: list[Fill]) -> Fill | None:
    """The last-drawn (topmost) fill covering at least half of ``cell``."""
    area = (cell.x1 - cell.x0) * (cell.bottom - cell.top)
    if area <= 0:
        return None
    top = None
    for f in fills:
        w = min(f.x1, cell.x1) - max(f.x0, cell.x0)
        hgt = min(f.bottom, cell.bottom) - max(f.top, cell.top)
        if w > 0 and hgt > 0 and w * hgt >= 0.5 * area:
            top = f
    return top
