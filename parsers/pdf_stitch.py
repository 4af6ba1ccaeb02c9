"""One logical table from its pieces on consecutive pages.

Council plans are long landscape tables that a word processor splits over many pages,
repeating the header row and often cutting a row in two at the page break.  Here a piece
that continues the previous page's table (same column rules, nothing in between) is
appended to it: a repeated header row is dropped, and a first row that was cut by the break
is joined to the row it belongs to.  All decisions are geometric or about empty cells; no
knowledge of what the columns mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .colors import one_color
from .pdf_tables import RuledShape
from .pdf_text import Line, join_lines

COL_TOL = 3.0  # column rules of two pieces of one table line up within this many points


@dataclass
class PCell:
    row: int
    col: int
    row_span: int
    col_span: int
    lines: list[Line]
    fill: str | None
    bold: bool
    page: int
    bbox: tuple[float, float, float, float]

    def text(self) -> str:
        return join_lines(self.lines)

    def color(self) -> str | None:
        return one_color(ln.color for ln in self.lines)


@dataclass
class PTable(RuledShape):
    """One table piece as found on one page."""

    page: int
    xs: list[float]
    ys: list[float]
    cells: list[PCell]
    hr: list[list[bool]]  # hr[i][c]: a rule at row boundary i over column c
    open_top: bool
    open_bottom: bool


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


@dataclass
class TableAcc:
    """A table being assembled from pieces; ``cover[r][c]`` is the cell covering a slot."""

    first: PTable
    cells: list[PCell] = field(default_factory=list)
    cover: list[list[PCell | None]] = field(default_factory=list)
    last: PTable | None = None
    pages: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._add_rows(self.first, 0, 0)
        self.last = self.first
        self.pages = [self.first.page]
        self.header = [self._row_norm(r) for r in range(min(3, self.n_rows))]

    @property
    def n_rows(self) -> int:
        return len(self.cover)

    @property
    def n_cols(self) -> int:
        return self.first.n_cols

    def _row_norm(self, r: int) -> list[str]:
        return [_norm(c.text()) if c else "" for c in self.cover[r]]

    def _add_rows(self, t: PTable, from_row: int, offset: int) -> None:
        """Append rows ``from_row``.. of ``t`` with absolute index row + offset."""
        need = offset + t.n_rows
        while len(self.cover) < need:
            self.cover.append([None] * self.n_cols)
        for c in t.cells:
            if c.row + c.row_span <= from_row:
                continue
            if c.row < from_row:  # a header cell spanning into the body: keep the body part
                c.row_span -= from_row - c.row
                c.row = from_row
                c.lines = []
            c.row += offset
            self.cells.append(c)
            self._paint(c)
        # a dropped header leaves unused trailing rows
        del self.cover[offset + t.n_rows:]

    def _paint(self, c: PCell) -> None:
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, min(c.col + c.col_span, self.n_cols)):
                self.cover[r][k] = c

    # ------------------------------------------------------------------ continuation

    def continues(self, t: PTable) -> bool:
        """Same column rules as the first piece: a table cannot change its columns at a
        page break, two different tables usually do (or are separated by text)."""
        a = self.last.xs if self.last else self.first.xs
        return len(a) == len(t.xs) and all(abs(x - y) <= COL_TOL for x, y in zip(a, t.xs, strict=True))

    def append(self, t: PTable) -> list[str]:
        """Stitch ``t`` (next page) to the table; returns notes on what was done."""
        notes: list[str] = []
        k = self._repeated_header_rows(t)
        if k:
            notes.append(f"header row repeated on page {t.page} dropped")
        if self._is_cut(t, k):
            notes.append(f"row cut by the break to page {t.page} joined")
            self._join_cut_row(t, k)
        elif self._add_after(t, k):
            notes.append(f"merged cell continued over the break to page {t.page}")
        self.last = t
        if t.page not in self.pages:
            self.pages.append(t.page)
        return notes

    def _repeated_header_rows(self, t: PTable) -> int:
        """How many of ``t``'s first rows repeat the table's header (dropped)."""
        k = 0
        while (k < min(len(self.header), t.n_rows - 1)
               and any(self.header[k])
               and [_norm(c.text()) if c else "" for c in _row(t, k)] == self.header[k]):
            k += 1
        return k

    def _join_cut_row(self, t: PTable, k: int) -> None:
        """Row ``k`` of ``t`` is the rest of the table's last row: its text joins the last
        row's cells, and the rows after it follow."""
        last = self.n_rows - 1
        rest = [c for c in t.cells if c.row != k]
        for c in t.cells:
            if c.row == k:
                self._absorb(c, last, rest)
        t.cells = [c for c in rest if c.row_span > 0]
        self._add_rows(t, k, last - k)
        for c in list(self.cells):
            if c.row_span > 1 and c.row <= last < c.row + c.row_span - 1:
                self._paint(c)

    def _absorb(self, c: PCell, last: int, rest: list[PCell]) -> None:
        """Cell ``c`` of a cut row's remainder into the cell above it; a taller ``c`` that
        does not match that cell keeps its lower part as a cell of its own (into ``rest``)."""
        target = self.cover[last][c.col]
        if target is None:
            return
        target.lines = target.lines + c.lines
        if target.fill is None:
            target.fill = c.fill
        if c.row_span > 1 and (target.col, target.col_span) == (c.col, c.col_span):
            target.row_span += c.row_span - 1
            c.row_span = 0  # absorbed
        elif c.row_span > 1:
            c.row += 1
            c.row_span -= 1
            c.lines = []
            rest.append(c)
        else:
            c.row_span = 0

    def _add_after(self, t: PTable, k: int) -> bool:
        """Rows ``k``.. of ``t`` after the table's last row; True when a merged cell ran
        over the break.  Such a cell's continuation slot is empty and has no rule above it
        (or is merged on either page), so it is the same cell."""
        offset = self.n_rows - k
        merged = [c for c in t.cells if c.row == k and self._continues_cell_above(t, k, c)]
        ids = {id(c) for c in merged}
        t.cells = [c for c in t.cells if id(c) not in ids]
        self._add_rows(t, k, offset)
        for c in self.cells:
            if c.row + c.row_span > offset and c.row < offset:
                self._paint(c)
        return bool(merged)

    def _continues_cell_above(self, t: PTable, k: int, c: PCell) -> bool:
        """Empty cell ``c`` in row ``k`` continues the last row's cell of the same columns
        (which then grows by ``c``'s height)."""
        if c.lines or c.fill or not self.n_rows:
            return False
        target = self.cover[self.n_rows - 1][c.col]
        if target is None or (target.col, target.col_span) != (c.col, c.col_span):
            return False
        # ruled at the break (most writers close the cell on each page): still one
        # merged cell when it was merged on the previous page or is on this one
        ruled = any(t.hr[k][j] for j in range(c.col, c.col + c.col_span))
        if ruled and target.row_span <= 1 and c.row_span <= 1:
            return False
        target.row_span += c.row_span
        return True

    def _is_cut(self, t: PTable, k: int) -> bool:
        """Is row ``k`` of ``t`` the rest of a row the page break cut?"""
        if k >= t.n_rows or not self.n_rows:
            return False
        texts = [c.text() if c and c.row == k else "" for c in _row(t, k)]
        if not any(texts):
            return False
        if self._open_at_break(t, k):
            return True
        key = self._key_column(t, k)
        if key is None:
            return not texts[0] and any(texts[1:])
        if texts[key]:
            return False
        return self._last_row_reads_on(texts)

    def _open_at_break(self, t: PTable, k: int) -> bool:
        """No rule closes the table at the foot of the previous page or above row ``k``."""
        prev = self.last
        if (prev is not None and prev.open_bottom) or (t.open_top and k == 0):
            return True
        return k < len(t.hr) and not any(t.hr[k])  # no rule between the repeated header and the row

    def _last_row_reads_on(self, texts: list[str]) -> bool:
        """The row's short cells ended on the previous page, so the last row has something
        this one lacks; and where both have text, it reads on (no full stop before, or a
        lower-case start after) - a new row whose key cell is merely empty does not."""
        last = self.n_rows - 1
        lrow = self.cover[last]
        lacks = any(c is not None and c.row == last and c.text() and not texts[c.col] for c in lrow)
        reads_on = any(_reads_on(lrow[c], texts[c]) for c in range(self.n_cols))
        n_r = sum(1 for x in texts if x)
        n_l = len({id(c) for c in lrow if c is not None and c.lines})
        return lacks and (reads_on or 2 * n_r <= n_l)

    def _key_column(self, t: PTable, k: int) -> int | None:
        """The column that best tells a new row from the rest of a cut one: filled in
        (nearly) every row, with the shortest texts (an id, a date, initials).  A cut row's
        remainder holds only the overflow of long cells, so it is empty there."""
        filled = [0] * self.n_cols
        length = [0] * self.n_cols
        n = 0
        for r in range(1, self.n_rows):
            n += 1
            for c in range(self.n_cols):
                cell = self.cover[r][c]
                if cell is not None and cell.row == r and cell.col == c and cell.lines:
                    filled[c] += 1
                    length[c] += len(cell.text())
        for r in range(k + 1, t.n_rows):
            n += 1
            for cell in t.cells:
                if cell.row == r and cell.lines:
                    filled[cell.col] += 1
                    length[cell.col] += len(cell.text())
        if n < 2:
            return None
        cands = [c for c in range(self.n_cols) if filled[c] >= 0.75 * n]
        if not cands:
            return None
        return min(cands, key=lambda c: (length[c] / filled[c], c))


def _reads_on(above: PCell | None, text: str) -> bool:
    """``text`` continues the cell above: it starts in lower case, or that cell's text does not
    end a sentence."""
    if above is None or not text or not above.lines:
        return False
    end = above.text().rstrip()
    return text[:1].islower() or bool(end and end[-1] not in ".!?")


def _row(t: PTable, r: int) -> list[PCell | None]:
    out: list[PCell | None] = [None] * t.n_cols
    for c in t.cells:
        if c.row <= r < c.row + c.row_span:
            for k in range(c.col, min(c.col + c.col_span, t.n_cols)):
                out[k] = c
    return out
