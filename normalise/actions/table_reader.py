"""Document blocks -> segments: the rows of each action table, read under their header.

Walks the blocks in reading order.  A table's header row may come after title and note rows,
start in column B, span two rows (a group cell over its parts), be repeated on every page or
printed once for several tables of the same grid.  One-cell rows are banners (headings inside
the table), colour-key rows go to the legend, a garbled copy of the header is skipped, and
every other row under a header is data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...parsers.model import Cell, Document, Provenance, Table
from .header_map import match_field
from .header_rows import HeaderMap, combined_labels, map_header
from .labels import progress_note
from .legend import Legend, read_legend, read_legend_text
from .refs import parse_ref
from .sections import SectionTracker, is_heading_text, sheet_heading
from .settings import ActionSettings

_LOWER_WORD = re.compile(r"[a-z]{2}")  # a word in lower case; "d) Progress" is a list label
_LIST_LABEL = re.compile(r"^\(?(?:[a-zA-Z]|\d{1,2}|[ivx]{1,4})[.)]\s")
_STOPS = (".", ":", ";", "!", "?")

Grid = list[list[Cell | None]]


@dataclass
class Row:
    """One table row read under a header mapping: raw cell texts, then texts by field."""

    texts: list[str]
    fill_list: list[str | None]
    table: int
    row: int
    prov: Provenance
    section: str
    group: str = ""  # the inner heading (banner row) over this row when there is no aim column
    color_list: list[str | None] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    fills: dict[str, str | None] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # "Update: ..." rows printed under this one
    field_notes: list[str] = field(default_factory=list)  # how a field was read, for the record's warnings


@dataclass
class Segment:
    """The rows read under one header row (continued across page breaks and blank lines)."""

    header: HeaderMap
    rows: list[Row] = field(default_factory=list)
    table: int = 0


@dataclass
class Reading:
    """Everything the table walk found: segments, the colour key, candidate tables."""

    segments: list[Segment] = field(default_factory=list)
    legend: Legend = field(default_factory=Legend)


def read_segments(doc: Document, settings: ActionSettings | None = None) -> Reading:
    s = settings or ActionSettings()
    reader = _TableReader(SectionTracker(), Reading(), s)
    active: Segment | None = None
    aligned = _aligned_tables(doc)
    sheet: str | None = None
    for block in doc.blocks:
        if block.prov.sheet != sheet:  # a new sheet: its name is the outer heading
            sheet, active = block.prov.sheet, None
            reader.tracker.start_part(sheet_heading(sheet))
        if block.kind == "table" and block.table is not None:
            active = reader.read(block.table, active, block.table.index in aligned)
            continue
        reader.tracker.other()
        text = (block.text or "").strip()
        if reader.legend_text(text):
            continue
        if block.kind == "heading":
            reader.tracker.heading(text)
        elif block.kind in ("paragraph", "list_item"):
            reader.tracker.paragraph(text, block.bold, is_list=block.kind == "list_item")
        if text or block.kind == "key_value":
            active = None  # prose between tables ends the action table
    reader.found.segments = [seg for seg in reader.found.segments if seg.rows]
    return reader.found


def _aligned_tables(doc: Document) -> set[int]:
    """Indices of the text tables whose columns the parser found from positions."""
    return {int(i) for i in doc.meta.get("aligned_tables", "").split(",") if i.strip().isdigit()}


def _spans_half(cell: Cell | None, table: Table) -> bool:
    """A merged cell as wide as half the table (and at least two columns)."""
    return cell is not None and cell.col_span >= max(2, table.n_cols // 2)


def _inner(active: Segment | None) -> bool:
    """A banner inside an action table without an aim column is the inner heading."""
    return active is not None and active.header.col("aim") is None


def _wrapped_cell(text: str, r: int, table: Table, active: Segment, aligned: bool) -> bool:
    """A lone first-column line of a text extract continues the cell above it when it opens
    with a lower-case word, or, in a table whose columns come from positions (where a heading
    would print across the columns), when the row right above has unfinished text in that
    column and this line does not look like a heading (capitals, a list label "d)")."""
    if _LOWER_WORD.match(text):
        return True
    above = active.rows[-1]
    if not aligned or above.table != table.index or above.row != r - 1:
        return False
    head = above.texts[0].strip() if above.texts else ""
    return bool(head) and not head.endswith(_STOPS) and not text.isupper() and not _LIST_LABEL.match(text)


def _texts(cells: list[Cell | None]) -> list[str]:
    return [c.text.strip() if c else "" for c in cells]


def _is_key_value(texts: list[str]) -> bool:
    filled = [t for t in texts if t.strip()]
    return len(filled) == 2 and texts[0].strip().endswith(":") and len(texts[0]) < 60


def _merge_headers(first: HeaderMap, fused: HeaderMap) -> HeaderMap:
    """Two header rows in a row, the second fused with data: labels from both."""
    columns = {c: f for c, f in first.columns.items() if f not in fused.columns.values()}
    columns.update(fused.columns)
    return HeaderMap(columns=dict(sorted(columns.items())), labels={**first.labels, **fused.labels},
                     n_cols=fused.n_cols, fused=fused.fused, evidence=fused.evidence)


class _TableReader:
    def __init__(self, tracker: SectionTracker, found: Reading, settings: ActionSettings) -> None:
        self.tracker = tracker
        self.found = found
        self.s = settings
        self._data_since_banner = True  # a data row came after the newest banner
        self._aligned = False

    def legend_text(self, text: str) -> bool:
        legend = read_legend_text(text) if text else None
        if legend is not None:
            self._add_legend(legend)
        return legend is not None

    def _add_legend(self, legend: Legend) -> None:
        self.found.legend.colours.update(legend.colours)
        self.found.legend.letters.update(legend.letters)
        self.found.legend.printed.extend(legend.printed)

    # -- one table ---------------------------------------------------------------------
    def read(self, table: Table, active: Segment | None, aligned: bool = False) -> Segment | None:
        """The rows of one table; ``aligned``: a text table whose columns the parser found
        from positions (a lone first-column line is then a wrapped cell)."""
        self._aligned = aligned
        grid = table.grid()
        tolerance = 0 if table.prov.line is None else 1  # text extracts may drop one empty column
        if active is not None and abs(active.header.n_cols - table.n_cols) > tolerance:
            active = None  # a different grid is a different table
        kv_box = any(_is_key_value(_texts(row)) for row in grid)
        r = 0
        while r < len(grid):
            active, used = self._row(grid, r, table, active, kv_box)
            r += used
        return active

    def _row(self, grid: Grid, r: int, table: Table, active: Segment | None,
             kv_box: bool) -> tuple[Segment | None, int]:
        """Read row ``r``; returns the active segment and how many rows were consumed."""
        cells = grid[r]
        texts = _texts(cells)
        if not any(texts):
            return active, 1
        found = self._header(grid, r)
        if found is not None:
            header, used = found
            return self._start_segment(header, texts, cells, table, r, active), used
        if self._legend(cells):
            return active, 1
        if self._progress(texts, cells, table, active):
            self.tracker.other()
            return active, 1
        if self._banner(cells, texts, table, r, active, kv_box):
            return active, 1
        self.tracker.other()
        if active is None:
            for t in texts:
                if t:
                    self.tracker.cell_text(t)
            return active, 1
        if self._garbled_header(texts, active):
            return active, 1
        active.rows.append(self._make_row(texts, cells, table, r))
        self._data_since_banner = True
        return active, 1

    # -- steps -------------------------------------------------------------------------
    def _header(self, grid: Grid, r: int) -> tuple[HeaderMap, int] | None:
        """The header starting at row ``r`` (one or two rows), with the rows it takes."""
        if r + 1 < len(grid):
            labels = combined_labels(grid[r], grid[r + 1], self.s)
            if labels is not None:
                two = map_header(labels, settings=self.s)
                if two is not None:
                    two.evidence.insert(0, f"two header rows: {' | '.join(t for t in labels if t)}")
                    return two, 2
        one = map_header(_texts(grid[r]), allow_fused=True, settings=self.s)
        return (one, 1) if one is not None else None

    def _start_segment(self, header: HeaderMap, texts: list[str], cells: list[Cell | None], table: Table,
                       r: int, active: Segment | None) -> Segment:
        if not self._data_since_banner:
            self.tracker.promote()
        self._header_section(texts, header)
        segments = self.found.segments
        if header.fused and active is not None and not active.rows and active.header.n_cols == header.n_cols:
            header = _merge_headers(active.header, header)
            segments.pop()
        seg = Segment(header, table=table.index)
        segments.append(seg)
        if {header.columns.get(c) for c in header.fused} & {"ref", "action"}:
            # "Ref: 5.1 | Action: ..." is a data row; "Specific aim: Gain ..." alone is a
            # table-level caption, not an aim of the first action.
            seg.rows.append(self._make_row(self._fused_values(texts, header), cells, table, r))
        return seg

    def _header_section(self, texts: list[str], header: HeaderMap) -> None:
        """A section name printed in the first cell of the header row itself."""
        first = texts[0] if texts else ""
        if first and 0 not in header.columns and 0 not in header.fused and is_heading_text(first) \
                and len(first) > 10:
            self.tracker.banner(first)
        self.tracker.other()

    def _legend(self, cells: list[Cell | None]) -> bool:
        unique = list({id(c): c for c in cells if c is not None}.values())
        legend = read_legend(unique, self.s)
        if legend is None:
            return False
        self._add_legend(legend)
        return True

    def _progress(self, texts: list[str], cells: list[Cell | None], table: Table, active: Segment | None) -> bool:
        """A full-width "Update: ..." row reports on the action above it: its comments."""
        if active is None or not active.rows:
            return False
        note = progress_note(texts, _spans_half(cells[-1] if cells else None, table))
        if note:
            active.rows[-1].notes.append(note)
        return bool(note)

    def _banner(self, cells: list[Cell | None], texts: list[str], table: Table, r: int, active: Segment | None,
                kv_box: bool) -> bool:
        """A row with one distinct text in its first cell or across half the row: a heading."""
        filled = [(i, t) for i, t in enumerate(texts) if t]
        if not self._is_banner(filled, cells, table, r, active):
            return False
        if active is not None or not kv_box:  # in a key/value box a lone cell is content
            self.tracker.banner(filled[0][1], in_table=active is not None, inner=_inner(active))
            self._data_since_banner = False
        return True

    def _is_banner(self, filled: list[tuple[int, str]], cells: list[Cell | None], table: Table, r: int,
                   active: Segment | None) -> bool:
        """One text in the first column or in a cell across half the table, unless in a text
        extract it is the rest of the first-column cell above (see :func:`_wrapped_cell`)."""
        spanning = {id(cells[i]) for i, _ in filled}
        wide = len(spanning) == 1 and _spans_half(cells[filled[0][0]], table)
        if len({t for _, t in filled}) != 1 or not (filled[0][0] == 0 or wide):
            return False
        if wide or table.prov.line is None or active is None or not active.rows or self.tracker.banner_continues:
            return True
        return not (0 in active.header.columns and _wrapped_cell(filled[0][1], r, table, active, self._aligned))

    def _garbled_header(self, texts: list[str], active: Segment) -> bool:
        """A header row garbled by a bad text layer: not data; its first cell may name the section."""
        ref_col = active.header.col("ref")
        has_ref = ref_col is not None and ref_col < len(texts) and bool(parse_ref(texts[ref_col]).value)
        if has_ref or sum(1 for t in texts if (m := match_field(t)) and m[1] == 100) < 2:
            return False
        if texts[0] and not match_field(texts[0]) and is_heading_text(texts[0]):
            self.tracker.banner(texts[0])
            self.tracker.other()
        return True

    def _fused_values(self, texts: list[str], header: HeaderMap) -> list[str]:
        """The data half of a header row fused with the first data row ("Ref: 5.1")."""
        values = []
        for c, text in enumerate(texts):
            if c in header.fused:
                values.append(header.fused[c])
            elif c in header.columns and match_field(text):
                values.append("")
            else:
                values.append(text)
        return values

    def _make_row(self, texts: list[str], cells: list[Cell | None], table: Table, r: int) -> Row:
        first = next((c for c in cells if c is not None), None)
        prov = first.prov if first else table.prov
        t = self.tracker
        return Row(list(texts), [c.fill if c else None for c in cells], table.index, r, prov, t.current,
                   group=t.inner, color_list=[c.color if c else None for c in cells])
