"""A PDF's pages into blocks in reading order: lines grouped into headings, paragraphs and
list items, tables stitched across page breaks.

Runs once every page is read (:mod:`.pdf`), because only then is the body text size known,
and a heading is text bigger (or bolder) than the body.  Heading levels follow the distinct
bigger sizes, largest first; bold body-size lines are the level below those.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .model import Block, Cell, Document, Provenance, Table, make_block
from .pdf_stitch import PTable, TableAcc
from .pdf_text import Line, is_bullet_line, join_lines, strip_bullet

HEADING_MIN_STEP = 1.0  # points above the body size that make a size a heading size
HEADING_MAX_CHARS = 200  # a longer line at a big size is not a heading (a pull quote, a banner)
BOLD_HEADING_MAX_CHARS = 150
SAME_SIZE = 0.5  # points: lines of one paragraph differ by less
LINE_GAP = 0.8  # of the font size: a bigger gap between lines starts a new block
INDENT = 2.0  # points: a continuation line of a list item is indented past its bullet


class PageLike(Protocol):
    tables: list[PTable]
    lines: list[Line]


def body_size(pages: Iterable[PageLike]) -> float:
    """The font size most text is set in (by characters); table text when there is no other."""
    pages = list(pages)
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[ln.size] += len(ln.text)
    if not sizes:
        for p in pages:
            for t in p.tables:
                for c in t.cells:
                    for ln in c.lines:
                        sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


@dataclass
class LineKinds:
    """What a line outside tables is: heading (with level), list item or paragraph."""

    body: float
    level_of: dict[float, int]
    bold_level: int

    @classmethod
    def of_pages(cls, pages: list[PageLike]) -> LineKinds:
        body = body_size(pages)
        sizes = sorted({ln.size for p in pages for ln in p.lines
                        if ln.size >= body + HEADING_MIN_STEP and len(ln.text) <= HEADING_MAX_CHARS},
                       reverse=True)
        return cls(body, {s: min(i + 1, 6) for i, s in enumerate(sizes)}, min(len(sizes) + 1, 6))

    def kind(self, ln: Line) -> tuple[str, int]:
        if ln.size in self.level_of:
            return "heading", self.level_of[ln.size]
        bullet = is_bullet_line(ln.text)
        if ln.bold and ln.size >= self.body - SAME_SIZE and len(ln.text) <= BOLD_HEADING_MAX_CHARS \
                and not bullet:
            return "heading", self.bold_level
        if bullet:
            return "list_item", 0
        return "paragraph", 0


@dataclass
class _Prose:
    """Lines being gathered into one block."""

    kind: str
    level: int
    bold: bool
    prov: Provenance
    lines: list[Line] = field(default_factory=list)

    def takes(self, ln: Line, kind: str, level: int) -> bool:
        """Does ``ln`` (of ``kind``/``level``) continue this block: close below the last line,
        and the same heading, or a paragraph line in the same size and weight (indented past
        the bullet when continuing a list item)?"""
        prev = self.lines[-1]
        if not (ln.top - prev.bottom <= LINE_GAP * max(ln.size, prev.size)
                and ln.top >= prev.top + 0.3 * prev.size):
            return False
        if kind == "heading":
            return self.kind == "heading" and self.level == level
        return self.kind in ("paragraph", "list_item") and kind == "paragraph" \
            and abs(ln.size - prev.size) <= SAME_SIZE and ln.bold == prev.bold \
            and (self.kind == "paragraph" or ln.x0 > self.lines[0].x0 + INDENT)

    def block(self) -> Block | None:
        text = join_lines(self.lines)
        if self.kind == "list_item":
            text = strip_bullet(text)
        if not text:
            return None
        return make_block(self.kind, text, level=self.level, bold=self.bold, prov=self.prov)


def assemble(pages: list, doc: Document) -> None:
    """Every page's tables and lines into ``doc.blocks``, in reading order."""
    kinds = LineKinds.of_pages(pages)
    items: list[Block | TableAcc] = []
    open_acc: TableAcc | None = None  # a table that ended its page: may continue
    notes: list[str] = []
    for p in pages:
        open_acc = _assemble_page(p, kinds, items, open_acc, notes)
    if notes:
        doc.meta["pdf_stitching"] = "; ".join(notes)[:2000]
    index = 0
    for it in items:
        if isinstance(it, TableAcc):
            table = acc_table(it, index)
            index += 1
            doc.blocks.append(make_block("table", table=table, prov=table.prov))
        else:
            doc.blocks.append(it)


def _assemble_page(p, kinds: LineKinds, items: list[Block | TableAcc], open_acc: TableAcc | None,
                   notes: list[str]) -> TableAcc | None:
    """One page's tables and lines, top to bottom; returns the table still open at the foot
    of the page (the next page's first table may continue it)."""
    entries: list[tuple[float, int, PTable | Line]] = [(t.ys[0], 0, t) for t in p.tables]
    entries += [(ln.top, 1, ln) for ln in p.lines]
    entries.sort(key=lambda e: (e[0], e[1]))
    prose: _Prose | None = None
    for i, (_, _, obj) in enumerate(entries):
        if isinstance(obj, PTable):
            _flush(prose, items)
            prose = None
            if i == 0 and open_acc is not None and open_acc.continues(obj):
                notes += open_acc.append(obj)
            else:
                open_acc = TableAcc(obj)
                items.append(open_acc)
            continue
        open_acc = None
        k, level = kinds.kind(obj)
        if prose is not None and prose.takes(obj, k, level):
            prose.lines.append(obj)
            continue
        _flush(prose, items)
        prose = _Prose(k, level, obj.bold, Provenance(page=p.number, bbox=_r((obj.x0, obj.top, obj.x1, obj.bottom))),
                       [obj])
    _flush(prose, items)
    if not entries or not isinstance(entries[-1][2], PTable):
        open_acc = None
    return open_acc


def _flush(prose: _Prose | None, items: list[Block | TableAcc]) -> None:
    if prose is not None:
        block = prose.block()
        if block is not None:
            items.append(block)


def _r(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


def acc_table(acc: TableAcc, index: int) -> Table:
    """A stitched table as the model's Table: anchor cells in row-major order."""
    cells: list[Cell] = []
    for c in sorted(acc.cells, key=lambda c: (c.row, c.col)):
        if c.row_span <= 0:
            continue
        cells.append(Cell(row=c.row, col=c.col, text=c.text(), row_span=c.row_span, col_span=c.col_span,
                          bold=c.bold, fill=c.fill, prov=Provenance(page=c.page, bbox=c.bbox), color=c.color()))
    first = acc.first
    return Table(cells=cells, n_rows=acc.n_rows, n_cols=acc.n_cols, index=index,
                 prov=Provenance(page=first.page, bbox=_r(first.bbox)))
