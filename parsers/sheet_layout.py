"""One sheet's cells into blocks: the layout rule shared by the .xlsx and .xls parsers.

Both spreadsheet parsers read cells their own way (an lxml stream, xlrd records) but must lay a
sheet out identically, or a tracker would read differently depending on which Excel saved it.
So each reader only collects ``raws`` and merged ranges in the form below, and this module
decides the rest: the used range (trimmed of empty edges) is ONE table (a region far from the
rest, past :data:`REGION_GAP` empty rows or columns, is a table of its own), except leading rows
with a single non-empty cell (title banner, a key line) while a wider row follows, which come
out as heading/paragraph blocks before it; the table's columns are trimmed to its own rows;
merged ranges become spans on their anchor cell.

``raws`` maps 1-based (row, col), as Excel numbers them, to a plain list
``[text, bold, fill, font size]`` (index with TEXT, BOLD, FILL, SIZE), optionally followed by
``font colour, stored value, number format`` (COLOR, VALUE, NUMFMT; see ``Cell``).  Plain lists
and no per-cell callbacks: a 100k-row sheet makes hundreds of thousands of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.utils import get_column_letter

from .model import Block, Cell, Document, Provenance, SheetInfo, Table, TableBlock

TEXT, BOLD, FILL, SIZE, COLOR, VALUE, NUMFMT = range(7)

Raws = dict[tuple[int, int], list]
# merged-range anchor -> (row end, col end), both exclusive
Anchors = dict[tuple[int, int], tuple[int, int]]


def add_sheets(doc: Document, sheets: Iterable[tuple[SheetInfo, list[Block]]]) -> None:
    """Every sheet of a workbook into ``doc``, in workbook order: its SheetInfo, and the blocks
    of a visible one with tables numbered across the workbook.  Hidden sheets come as
    ``(SheetInfo(hidden=True), [])`` and are named in one warning: they hold lookups and old
    copies, but a reader should know they were there."""
    hidden: list[str] = []
    n_tables = 0
    for info, blocks in sheets:
        doc.sheets.append(info)
        if info.hidden:
            hidden.append(info.name)
            continue
        for b in blocks:
            if isinstance(b, TableBlock):
                b.table.index = n_tables
                n_tables += 1
        doc.blocks.extend(blocks)
    if hidden:
        doc.warnings.append("hidden sheets not parsed: " + ", ".join(hidden))


def fold_merges(raws: Raws, ranges: Iterable[tuple[int, int, int, int]]) -> Anchors:
    """Fold each merged range (first row, first col, row end, col end; ends exclusive) into its
    anchor: the anchor exists even when its cell is empty or absent, covered cells go, and any
    text they held joins the anchor's (Excel drops it on merge; other writers keep it, and the
    words matter more than the layout).  Empty, inverted and 1x1 ranges and a second range on
    the same anchor are no merge.  Works in whatever indexing ``raws`` uses."""
    anchors: Anchors = {}
    for r1, c1, r_end, c_end in ranges:
        if r_end - r1 < 1 or c_end - c1 < 1 or (r_end - r1 == 1 and c_end - c1 == 1) or (r1, c1) in anchors:
            continue
        anchors[(r1, c1)] = (r_end, c_end)
        anchor = raws.get((r1, c1))
        if anchor is None:
            anchor = raws[(r1, c1)] = ["", False, None, 0.0]
        for pos in _covered(raws, r1, c1, r_end, c_end):
            hidden = raws.pop(pos)[TEXT]
            if hidden:
                anchor[TEXT] = f"{anchor[TEXT]}\n{hidden}" if anchor[TEXT] else hidden
    return anchors


def _covered(raws: Raws, r1: int, c1: int, r_end: int, c_end: int) -> list[tuple[int, int]]:
    """Positions with a cell inside the range other than its anchor, in sheet order."""
    if (r_end - r1) * (c_end - c1) <= 4 * len(raws) + 16:
        inside = [(r, c) for r in range(r1, r_end) for c in range(c1, c_end) if (r, c) in raws]
    else:  # a whole-row/column merge: look at the cells we have instead of every position
        inside = [(r, c) for (r, c) in raws if r1 <= r < r_end and c1 <= c < c_end]
    return [pos for pos in sorted(inside) if pos != (r1, c1)]


# Empty rows/columns that separate two regions of a sheet: cells further apart than this are
# not one table.  A stray cell at XFD1048576 beside a 20-row tracker would otherwise make a
# table of a million rows by 16,384 columns.
REGION_GAP = 100


def _runs(sorted_keys: list[int], gap: int) -> list[list[int]]:
    """Sorted integers split where two neighbours are more than ``gap`` apart."""
    runs: list[list[int]] = [[sorted_keys[0]]]
    for k in sorted_keys[1:]:
        if k - runs[-1][-1] > gap:
            runs.append([k])
        else:
            runs[-1].append(k)
    return runs


def _regions(per_row: dict[int, list[int]], gap: int = REGION_GAP) -> list[dict[int, list[int]]]:
    """The sheet's text cells grouped into regions that are far apart (more than ``gap`` empty
    rows or columns between them), in reading order; each maps row -> its columns there."""
    out: list[dict[int, list[int]]] = []
    for rows in _runs(sorted(per_row), gap):
        cols_sorted = sorted({c for r in rows for c in per_row[r]})
        for cols in _runs(cols_sorted, gap):
            lo, hi = cols[0], cols[-1]
            region = {r: [c for c in per_row[r] if lo <= c <= hi] for r in rows}
            out.append({r: cs for r, cs in region.items() if cs})
    return out


def layout_sheet(name: str, raws: Raws, anchors: Anchors) -> tuple[SheetInfo, list[Block]]:
    """The sheet's SheetInfo and its blocks (banner headings/paragraphs, then a table per
    region of the sheet, whose ``index`` :func:`add_sheets` sets); no blocks for a sheet
    without text."""
    # used range and the text columns of each row, in one pass
    per_row: dict[int, list[int]] = {}
    for (r, c), raw in raws.items():
        if raw[TEXT]:
            cols = per_row.get(r)
            if cols is None:
                per_row[r] = [c]
            else:
                cols.append(c)
    if not per_row:
        return SheetInfo(name, rows=0, cols=0), []
    rows_sorted = sorted(per_row)
    left = min(min(cols) for cols in per_row.values())
    right = max(max(cols) for cols in per_row.values())
    info = SheetInfo(name, rows=rows_sorted[-1] - rows_sorted[0] + 1, cols=right - left + 1)
    blocks: list[Block] = []
    for region in _regions(per_row):
        blocks += _region_blocks(name, raws, anchors, region)
    return info, blocks


def _region_blocks(name: str, raws: Raws, anchors: Anchors, per_row: dict[int, list[int]]) -> list[Block]:
    """Banner rows (leading rows with one non-empty cell, while a wider row follows) as headings
    or paragraphs, then the rest of the region as one table."""
    rows_sorted = sorted(per_row)
    first_wide = next((r for r in rows_sorted if len(per_row[r]) >= 2), None)
    blocks: list[Block] = []
    table_top = rows_sorted[0]
    if first_wide is not None:
        blocks = _banners(name, raws, per_row, [r for r in rows_sorted if r < first_wide])
        table_top = first_wide
    body_rows = [r for r in rows_sorted if r >= table_top]
    blocks.append(_table_block(name, raws, anchors, per_row, body_rows))
    return blocks


def _banners(name: str, raws: Raws, per_row: dict[int, list[int]], rows: list[int]) -> list[Block]:
    """One-cell rows above the table: a heading when bold or bigger than the body text (or
    the first), else a paragraph."""
    blocks: list[Block] = []
    default_size = _default_size(raws)
    for r in rows:
        c = per_row[r][0]
        raw = raws[(r, c)]
        text, bold, size = raw[TEXT], raw[BOLD], raw[SIZE]
        prov = Provenance(sheet=name, cell=f"{get_column_letter(c)}{r}")
        if not blocks or bold or size > default_size:
            blocks.append(Block("heading", text, level=1, bold=bold, prov=prov))
        else:
            blocks.append(Block("paragraph", text, bold=bold, prov=prov))
    return blocks


def _table_block(name: str, raws: Raws, anchors: Anchors, per_row: dict[int, list[int]],
                 body_rows: list[int]) -> Block:
    """The table of a region: its rows, columns trimmed to those rows."""
    table_top, bottom = body_rows[0], body_rows[-1]
    tleft = min(min(per_row[r]) for r in body_rows)
    tright = max(max(per_row[r]) for r in body_rows)
    keys = [k for k in raws if table_top <= k[0] <= bottom and tleft <= k[1] <= tright]
    keys.sort()  # linear when already in sheet order; merge anchors may have come in late
    letters = {c: get_column_letter(c) for c in range(tleft, tright + 1)}
    cells: list[Cell] = []
    for key in keys:
        r, c = key
        raw = raws[key]
        extra = (raw[COLOR], raw[VALUE], raw[NUMFMT]) if len(raw) > NUMFMT else (None, None, None)
        row_span = col_span = 1
        m = anchors.get(key) if anchors else None
        if m:  # a merge reaching past the used range is cut at its edge
            row_span = min(m[0], bottom + 1) - r
            col_span = min(m[1], tright + 1) - c
        cells.append(Cell(r - table_top, c - tleft, raw[TEXT], row_span, col_span, raw[BOLD], raw[FILL],
                          Provenance(None, name, f"{letters[c]}{r}"), [], *extra))
    ref = f"{letters[tleft]}{table_top}:{letters[tright]}{bottom}"
    table = Table(cells=cells, n_rows=bottom - table_top + 1, n_cols=tright - tleft + 1,
                  prov=Provenance(sheet=name, cell=ref))
    return Block("table", table=table, prov=table.prov)


def _default_size(raws: Raws) -> float:
    """The most common font size among text cells: banners in a bigger font are titles."""
    counts: dict[float, int] = {}
    for raw in raws.values():
        if raw[TEXT]:
            counts[raw[SIZE]] = counts.get(raw[SIZE], 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else 0.0
