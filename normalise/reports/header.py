"""Read the label/value header block a committee report or plan opens with.

Three layouts occur in the papers we have seen, and all three reduce to "a label, then its
value" once the right column is read:

* a two-column cover sheet: ``Committee(s) | Dated:`` on top, then the left column
  alternates labels (Subject:, Report of:, Report author:) and their wrapped values while the
  right column carries the date and the paper's status (Public, For Information);
* a key/value table with the label in the first cell (``<b>Report Title</b> | ...``), where a
  label with an empty value cell takes the rows below it as its value (Key Issues:, ...);
* the plan header table (Name:, Duration:, Review Date:, Owner:, Board responsible ...).

Key/value blocks and "Label: value" paragraphs (what DOCX/PDF parsers may give) are read the
same way.  Only the top of the document is searched: deeper tables hold actions, not headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...parsers.model import Block, Cell, Document, Provenance, Table
from .fused import split_fused_labels


@dataclass(frozen=True)
class HeaderSettings:
    """Thresholds of the header reader (today's values as defaults)."""

    header_blocks: int = 30  # how far into the reading order a header may start
    max_value_lines: int = 6  # lines a label-only line takes as its value ("From:" with four signatories)
    max_value_words: int = 40  # a longer line is prose, not a header value (a long "Subject:" fits)
    kv_label_share: float = 0.4  # share of a table's first cells that must be labels for a header table


SETTINGS = HeaderSettings()
HEADER_BLOCKS = SETTINGS.header_blocks

# normalised label -> field; None marks a label that only ends the previous value.
_LABELS: list[tuple[str, str | None]] = [
    (r"committees?|committee\(s\)|committee name|meeting|decision maker|to", "committee"),
    (r"dated?|dates?|date\(s\)|date of meeting|meeting date|date of decision", "date"),
    (r"subject|report title|title|title of report|eqia title|name of activity.*|title of decision", "title"),
    (r"report of|report by|report from|report of the|from|by", "report_of"),
    (r"report authors?|report author\(s\)|authors?|contact officer|report writer", "author"),
    (r"recommendations?(?:\(s\))?(?: to (?:the )?(?:committee|members|cabinet|board|council))?", "recommendation"),
    (r"name|plan name|name of plan|name of action plan", "plan_name"),
    (r"duration|plan duration|period covered|period", "duration"),
    (r"review date|date of review|next review date", "review_date"),
    (r"owner|plan owner|action plan owner", "owner"),
    (r"board responsible for monitoring.*|monitoring body|monitored by|governance", "monitoring_body"),
    (r"frequency of monitoring.*|frequency of review.*|frequency", "frequency"),
    (r"implementation date", "implementation"),
    (r"purpose of report|purpose|summary|key issues|aims?|relevant strategies|previous version.*|"
     r"is this for information or decision\??|status|financial.*implications|wards? affected|"
     r"classification|public|appendices|decision (?:number|no\.?)|key decision|past pathway|future pathway|"
     r"electoral divisions?|background documents?|contact details", None),
]
_LABEL_RES = [(re.compile(rf"^(?:{pat})$"), key) for pat, key in _LABELS]
# A paper's publication/decision status ("Public", "For decision") is never the value of any label.
PAPER_STATUS = re.compile(r"^(?:public|non-public|not for publication|for (?:information|decision|discussion|"
                          r"approval|noting))\.?$", re.I)
_STATUS_SUFFIX = re.compile(r"\s*[\u2013\u2014-]\s*for (?:information|decision|discussion|approval)\s*$", re.I)


@dataclass
class HeaderValue:
    value: str
    where: str  # human-readable provenance: "line 2", "table 0 row 1"
    line: int | None = None
    page: int | None = None
    label: str = ""


def norm_label(text: str) -> str:
    """Label text compared with the vocabulary: tags, list numbers ("7. Report Authors:"),
    a trailing note ("Officer completing EQIA Note: This should be ...") and colons removed."""
    t = re.sub(r"<[^>]+>", "", text or "").strip().lower()
    t = re.sub(r"^(?:\(?\d{1,2}[.)]\s*|[a-z]\)\s+)", "", t)
    t = re.sub(r"\s+note:.*$", "", t)
    t = t.replace("\u2019", "'").rstrip(":").strip().rstrip(":").strip()
    return re.sub(r"\s+", " ", t)


def label_key(text: str) -> tuple[bool, str | None]:
    """(is it a label?, which field) for a cell or line that is only a label."""
    t = norm_label(text)
    if not t or len(t) > 80:
        return False, None
    for rx, key in _LABEL_RES:
        if rx.match(t):
            return True, key
    return False, None


def _inline_label(text: str) -> tuple[str | None, str]:
    """"Owner: Jane Doe" -> ("owner", "Jane Doe"); only known labels count."""
    m = re.match(r"^\s*([^:]{2,60}):\s*(\S.*)$", text or "")
    if not m:
        return None, ""
    is_label, key = label_key(m.group(1))
    if not is_label or key is None:
        return None, ""
    return key, m.group(2).strip()


def _where(prov: Provenance, table: Table | None = None, row: int | None = None) -> str:
    parts = []
    if prov.page:
        parts.append(f"page {prov.page}")
    if prov.sheet:
        parts.append(f"sheet {prov.sheet}")
    if table is not None:
        parts.append(f"table {table.index} row {row}")
    if prov.line:
        parts.append(f"line {prov.line}")
    if prov.cell:
        parts.append(f"cell {prov.cell}")
    return " ".join(parts)


def clean_value(v: str) -> str:
    v = re.sub(r"\s+", " ", v or "").strip()
    return v.strip(" ;,")


class _Collector:
    """First value per field wins; continuation lines are appended to the open field."""

    def __init__(self) -> None:
        self.out: dict[str, HeaderValue] = {}
        self.status: list[str] = []

    def put(self, key: str, value: str, prov: Provenance, table: Table | None = None,
            row: int | None = None, label: str = "") -> None:
        value = clean_value(value)
        if not value or key in self.out:
            return
        self.out[key] = HeaderValue(value, _where(prov, table, row), prov.line, prov.page, label)


def _cell_lines(table: Table, col: int) -> list[tuple[int, str, Provenance]]:
    """Column ``col`` as (row, line, provenance) with multi-line cells split into lines."""
    out = []
    for r in range(table.n_rows):
        grid_row = table.grid()[r]
        cell = grid_row[col] if col < len(grid_row) else None
        if cell is None or cell.row != r or cell.col != col:
            continue
        for ln in (cell.text or "").split("\n"):
            if ln.strip():
                out.append((r, ln.strip(), cell.prov))
    return out


def _is_cover_table(table: Table) -> bool:
    if table.n_cols < 2 or table.n_rows < 2:
        return False
    first = table.row_texts(0)
    left = first[0].split("\n")[0]
    right = " ".join(first[1:])
    return label_key(left)[1] == "committee" and bool(re.match(r"^\s*dated?|^\s*date\(?s?\)?", right, re.I))


def _read_stream(col: _Collector, lines: list[tuple[int, str, Provenance]], table: Table,
                 first_key: str | None = None) -> None:
    """Label line, then value lines until the next label: the cover sheet's left column."""
    key = first_key
    buf: list[str] = []
    start: tuple[int, Provenance] | None = None

    def flush() -> None:
        if key and buf and start is not None:
            col.put(key, " ".join(buf), start[1], table, start[0])

    for r, text, prov in lines:
        is_label, k = label_key(text)
        inline_k, inline_v = _inline_label(text)
        if is_label or inline_k:
            flush()
            key, buf, start = (inline_k or k), ([inline_v] if inline_k else []), (r, prov)
        elif PAPER_STATUS.match(text):
            col.status.append(text)
        elif key:
            start = (r, prov) if start is None or not buf else start
            buf.append(text)
    flush()


def _read_cover(col: _Collector, table: Table) -> None:
    left = _cell_lines(table, 0)
    _read_stream(col, left, table)
    if "committee" in col.out:  # "Safeguarding Sub Committee – For Information"
        hv = col.out["committee"]
        m = _STATUS_SUFFIX.search(hv.value)
        if m:
            col.status.append(hv.value[m.start():].strip(" \u2013\u2014-"))
            hv.value = hv.value[: m.start()].strip()
    for r, text, prov in _cell_lines(table, 1)[1:]:
        if PAPER_STATUS.match(text):
            col.status.append(text)
        elif re.search(r"\d", text) and "date" not in col.out:
            col.put("date", text, prov, table, r)


def _is_header_table(grid: list[list[Cell | None]]) -> bool:
    """Enough first cells are labels: a data table that happens to have a "Recommendation"
    column is not a header block."""
    firsts = [next((c.text for c in row if c is not None and c.text.strip()), "") for row in grid]
    firsts = [t for t in firsts if t]
    labelled = sum(1 for t in firsts if label_key(t)[0] or t.strip().endswith(":"))
    return bool(firsts) and labelled >= SETTINGS.kv_label_share * len(firsts)


def _row_cells(grid: list[list[Cell | None]], r: int) -> list[Cell]:
    """The distinct cells of row ``r`` that start in it and hold text; a merged region the
    reader repeated cell by cell ("EQIA Title | EQIA Title | value") is read once."""
    cells: list[Cell] = []
    for c in grid[r]:
        if c is None or c.row != r or not c.text.strip():
            continue
        if cells and (cells[-1] is c or cells[-1].text.strip() == c.text.strip()):
            continue
        cells.append(c)
    return cells


def _is_column_header_row(cells: list[Cell], flags: list[tuple[bool, str | None]]) -> bool:
    """"Ref: | Action: | Start:": three or more labels in a row head columns, not values."""
    labels = sum(f[0] or c.text.strip().endswith(":") for f, c in zip(flags, cells, strict=True))
    return len(cells) >= 3 and labels >= 2


class _KvState:
    """A label whose value is in the rows below it (a label cell with an empty value cell)."""

    def __init__(self, col: _Collector, table: Table) -> None:
        self.col, self.table = col, table
        self.pending: tuple[str, int, Provenance] | None = None
        self.buf: list[str] = []

    def close(self) -> None:
        if self.pending and self.buf:
            self.col.put(self.pending[0], " ".join(self.buf), self.pending[2], self.table, self.pending[1])
        self.pending, self.buf = None, []


def _read_label_row(st: _KvState, r: int, cells: list[Cell], flags: list[tuple[bool, str | None]]) -> None:
    """label, value, label, value ... across one row; a trailing label waits for the rows below."""
    i = 0
    while i < len(cells):
        lab, k = flags[i]
        if not lab:
            i += 1
            continue
        j = i + 1
        vals = []
        while j < len(cells) and not flags[j][0]:
            if not PAPER_STATUS.match(cells[j].text.strip()):
                vals.append(cells[j].text)
            j += 1
        if k is not None and vals:
            st.col.put(k, " ".join(vals), cells[i].prov, st.table, r, cells[i].text)
        elif k is not None and j == len(cells) and i == len(cells) - 1:
            st.pending = (k, r, cells[i].prov)
        i = j


def _read_kv_table(col: _Collector, table: Table) -> None:
    """Label in the first non-empty cell, value in the rest of the row or in the rows below."""
    grid = table.grid()
    if not _is_header_table(grid):
        return
    st = _KvState(col, table)
    for r in range(table.n_rows):
        cells = _row_cells(grid, r)
        if not cells:
            continue
        flags = [label_key(c.text) for c in cells]
        if _is_column_header_row(cells, flags):
            st.close()
            continue
        if flags[0][0]:
            st.close()
            _read_label_row(st, r, cells, flags)
            continue
        ik, iv = _inline_label(cells[0].text)
        if ik:
            st.close()
            rest = [c.text for c in cells[1:] if not PAPER_STATUS.match(c.text.strip())]
            col.put(ik, " ".join([iv, *rest]), cells[0].prov, table, r, cells[0].text)
        elif st.pending and len(cells) == 1:
            st.buf.append(cells[0].text)
        else:
            st.close()
    st.close()


def _single_column_lines(table: Table) -> list[Block]:
    """A table the text layer made of one column (a whole report in one box) is running text:
    its lines are read like paragraphs."""
    out: list[Block] = []
    for c in sorted(table.cells, key=lambda c: c.row):
        for ln in (c.text or "").split("\n"):
            if ln.strip():
                out.append(Block("paragraph", text=ln.strip(), prov=c.prov))
    return out


class _LineValue:
    """The label-only line being read and the value lines collected under it."""

    def __init__(self, col: _Collector) -> None:
        self.col = col
        self.key: str | None = None
        self.buf: list[str] = []
        self.start: Block | None = None

    def begin(self, key: str | None, start: Block | None) -> None:
        self.close()
        self.key, self.buf, self.start = key, [], start

    def close(self) -> None:
        # separate lines of a cover sheet are separate entries (two signatories, say)
        if self.key and self.buf and self.start is not None:
            self.col.put(self.key, "; ".join(x.rstrip(" ,;") for x in self.buf), self.start.prov, label=self.key)
        self.key, self.buf = None, []


def _ends_value(text: str, has_value: bool) -> bool:
    """A line that is another label: "Decision Number: 24/00115", "Project ID:", or any short
    "Label: value" line after the value's first line ("Previous Pathway: Governance ...")."""
    m = re.match(r"^\s*([^:]{2,60}):", text)
    if m:
        unknown = has_value and len(m.group(1).split()) <= 4 and m.group(1)[:1].isupper()
        if label_key(m.group(1))[0] or unknown:
            return True
    return text.strip().endswith(":") and len(text) < 60


def _is_value_line(text: str, lv: _LineValue) -> bool:
    return bool(lv.key) and len(lv.buf) < SETTINGS.max_value_lines \
        and len(text.split()) <= SETTINGS.max_value_words and not PAPER_STATUS.match(text.strip())


def _read_block_stream(col: _Collector, blocks: list[Block]) -> None:
    """Cover sheets printed as separate lines ("From:" / "Roger Gough, Leader" / "To:" /
    "Cabinet, 30 January 2025" / "Subject:" / ...): a label-only line takes the short lines
    after it as its value."""
    lv = _LineValue(col)
    for b in blocks:
        if b.kind not in ("paragraph", "heading", "list_item") or not b.text:
            lv.close()
            continue
        is_label, k = label_key(b.text)
        if is_label and (b.text.strip().endswith(":") or k is None):
            lv.begin(k, b)
        elif _ends_value(b.text, bool(lv.buf)):
            lv.close()
        elif _is_value_line(b.text, lv):
            lv.buf.append(b.text.strip())
        else:
            lv.close()
    lv.close()


def _split_committee_date(col: _Collector) -> None:
    """"Cabinet, 30 January 2025" / "Cabinet – 4 March 2025": the date goes to its own field."""
    hv = col.out.get("committee")
    if hv is None:
        return
    m = re.search(r"(?:[,:\u2013\u2014-]\s*|\s+)(\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+,?\s+\d{4}|"
                  r"\d{1,2}/\d{1,2}/\d{2,4})\s*$", hv.value)
    if m:
        if "date" not in col.out:
            col.out["date"] = HeaderValue(m.group(1), hv.where, hv.line, hv.page, hv.label)
        hv.value = hv.value[: m.start()].strip(" ,")


def _read_table(col: _Collector, table: Table, stream: list[Block]) -> None:
    """A cover table, a one-column table (read as lines), or a key/value table."""
    if _is_cover_table(table):
        _read_cover(col, table)
    elif table.n_cols == 1:
        for line in _single_column_lines(table):
            for part in _unfused(line):
                _read_block(col, part, stream)
    else:
        _read_kv_table(col, table)


def _read_block(col: _Collector, b: Block, stream: list[Block]) -> None:
    """One block of the top of the document: tables by their shape, key/value blocks and
    "Label: value" lines directly; paragraphs also go to ``stream`` for label-only lines."""
    stream.append(b)
    if b.kind == "table" and b.table is not None:
        _read_table(col, b.table, stream)
    elif b.kind == "key_value" and b.key:
        _, key = label_key(b.key)
        if key and b.value and not PAPER_STATUS.match(b.value.strip()):
            col.put(key, b.value, b.prov, label=b.key)
    elif b.kind in ("paragraph", "heading", "list_item"):
        ik, iv = _inline_label(b.text)
        # a list item "Title: ..." inside a report's body is not the paper's own title
        if ik and (b.kind != "list_item" or ik not in ("duration", "title", "plan_name", "date", "committee",
                                                         "report_of")):
            col.put(ik, iv, b.prov, label=b.text.split(":")[0])


def _unfused(b: Block) -> list[Block]:
    """A paragraph that runs several "Label: value" pairs together, as separate lines."""
    if b.kind not in ("paragraph", "heading") or not b.text:
        return [b]
    segs = split_fused_labels(b.text, lambda t: label_key(t)[0])
    return [Block("paragraph", text=seg, prov=b.prov) for seg in segs] if segs else [b]


def read_header(doc: Document) -> tuple[dict[str, HeaderValue], list[str]]:
    """Header fields found at the top of ``doc`` and the status words of its cover."""
    col = _Collector()
    stream: list[Block] = []  # what is read as label lines: paragraphs, and one-column tables' lines
    for b in doc.blocks[:HEADER_BLOCKS]:
        for part in _unfused(b):
            _read_block(col, part, stream)
    _read_block_stream(col, stream)
    _split_committee_date(col)
    return col.out, col.status
