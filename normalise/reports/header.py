"""Read the label/value header block a committee report or plan opens with.

Three layouts occur in the papers we have seen, and all three reduce to "a label, then its
value" once the right column is read:

* the City of London two-column cover: ``Committee(s) | Dated:`` on top, then the left column
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

from ...parsers.model import Block, Document, Provenance, Table

HEADER_BLOCKS = 30  # how far into the reading order a header may start

# normalised label -> field; None marks a label that only ends the previous value.
_LABELS: list[tuple[str, str | None]] = [
    (r"committees?|committee\(s\)|committee name|meeting|decision maker|to", "committee"),
    (r"dated?|dates?|date\(s\)|date of meeting|meeting date|date of decision", "date"),
    (r"subject|report title|title|title of report", "title"),
    (r"report of|report by|report from|report of the|from", "report_of"),
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
     r"is this for information or decision\??|financial.*implications|wards? affected|"
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
    t = re.sub(r"<[^>]+>", "", text or "").strip().lower()
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
    key, buf, start = first_key, [], None
    for r, text, prov in lines:
        is_label, k = label_key(text)
        inline_k, inline_v = _inline_label(text)
        if is_label or inline_k:
            if key and buf:
                col.put(key, " ".join(buf), start[1], table, start[0])
            key, buf, start = (inline_k or k), ([inline_v] if inline_k else []), (r, prov)
            continue
        if PAPER_STATUS.match(text):
            col.status.append(text)
            continue
        if key:
            if start is None or not buf:
                start = (r, prov)
            buf.append(text)
    if key and buf:
        col.put(key, " ".join(buf), start[1], table, start[0])


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


def _read_kv_table(col: _Collector, table: Table) -> None:
    """Label in the first non-empty cell, value in the rest of the row or in the rows below."""
    pending: tuple[str, int, Provenance] | None = None
    buf: list[str] = []

    def close() -> None:
        nonlocal pending, buf
        if pending and buf:
            col.put(pending[0], " ".join(buf), pending[2], table, pending[1])
        pending, buf = None, []

    grid = table.grid()
    firsts = [next((c.text for c in row if c is not None and c.text.strip()), "") for row in grid]
    firsts = [t for t in firsts if t]
    labelled = sum(1 for t in firsts if label_key(t)[0] or t.strip().endswith(":"))
    if not firsts or labelled < 0.4 * len(firsts):
        return  # a data table that happens to have a "Recommendation" column, not a header block
    for r in range(table.n_rows):
        cells = []
        for c in grid[r]:
            if c is not None and c.row == r and (not cells or cells[-1] is not c) and c.text.strip():
                cells.append(c)
        if not cells:
            continue
        flags = [label_key(c.text) for c in cells]
        if len(cells) >= 3 and sum(f[0] or c.text.strip().endswith(":") for f, c in zip(flags, cells, strict=True)) >= 2:
            close()  # a column-header row ("Ref: | Action: | Start:"), not label/value pairs
            continue
        first = cells[0]
        is_label, key = flags[0]
        if is_label:
            close()
            # label, value, label, value ... across the row
            i = 0
            while i < len(cells):
                lab, k = flags[i]
                if not lab:
                    i += 1
                    continue
                vals = []
                j = i + 1
                while j < len(cells) and not flags[j][0]:
                    if not PAPER_STATUS.match(cells[j].text.strip()):
                        vals.append(cells[j].text)
                    j += 1
                if k is not None and vals:
                    col.put(k, " ".join(vals), cells[i].prov, table, r, cells[i].text)
                elif k is not None and j == len(cells) and i == len(cells) - 1:
                    pending = (k, r, cells[i].prov)
                i = j
            continue
        ik, iv = _inline_label(first.text)
        if ik:
            close()
            rest = [c.text for c in cells[1:] if not PAPER_STATUS.match(c.text.strip())]
            col.put(ik, " ".join([iv, *rest]), first.prov, table, r, first.text)
            continue
        if pending and len(cells) == 1:
            buf.append(first.text)
        else:
            close()
    close()


def _read_block_stream(col: _Collector, blocks: list[Block]) -> None:
    """Cover sheets printed as separate lines ("From:" / "Roger Gough, Leader" / "To:" /
    "Cabinet, 30 January 2025" / "Subject:" / ...): a label-only line takes the short lines
    after it as its value."""
    key: str | None = None
    buf: list[str] = []
    start: Block | None = None

    def close() -> None:
        # separate lines of a cover sheet are separate entries (two signatories, say)
        if key and buf and start is not None:
            col.put(key, "; ".join(x.rstrip(" ,;") for x in buf), start.prov, label=key)

    for b in blocks:
        if b.kind not in ("paragraph", "heading", "list_item") or not b.text:
            close()
            key, buf = None, []
            continue
        is_label, k = label_key(b.text)
        if is_label and (b.text.strip().endswith(":") or k is None):
            close()
            key, buf, start = k, [], b
            continue
        m = re.match(r"^\s*([^:]{2,60}):", b.text)
        if m and label_key(m.group(1))[0]:  # "Decision Number: 24/00115" ends the open value
            close()
            key, buf = None, []
            continue
        if key and len(buf) < 3 and len(b.text.split()) <= 20 and not PAPER_STATUS.match(b.text.strip()):
            buf.append(b.text.strip())
            continue
        close()
        key, buf = None, []
    close()


def _split_committee_date(col: _Collector) -> None:
    """"Cabinet, 30 January 2025" / "Cabinet – 4 March 2025": the date goes to its own field."""
    hv = col.out.get("committee")
    if hv is None:
        return
    m = re.search(r"[,\u2013\u2014-]\s*(\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})\s*$",
                  hv.value)
    if m:
        if "date" not in col.out:
            col.out["date"] = HeaderValue(m.group(1), hv.where, hv.line, hv.page, hv.label)
        hv.value = hv.value[: m.start()].strip(" ,")


def read_header(doc: Document) -> tuple[dict[str, HeaderValue], list[str]]:
    """Header fields found at the top of ``doc`` and the status words of its cover."""
    col = _Collector()
    blocks: list[Block] = doc.blocks[:HEADER_BLOCKS]
    for b in blocks:
        if b.kind == "table" and b.table is not None:
            if _is_cover_table(b.table):
                _read_cover(col, b.table)
            elif b.table.n_cols >= 1:
                _read_kv_table(col, b.table)
        elif b.kind == "key_value" and b.key:
            is_label, key = label_key(b.key)
            if key and b.value and not PAPER_STATUS.match(b.value.strip()):
                col.put(key, b.value, b.prov, label=b.key)
        elif b.kind in ("paragraph", "heading", "list_item"):
            ik, iv = _inline_label(b.text)
            if ik and ik not in ("duration", "title", "plan_name", "date", "committee", "report_of"):
                col.put(ik, iv, b.prov, label=b.text.split(":")[0])
            elif ik and b.kind != "list_item":
                col.put(ik, iv, b.prov, label=b.text.split(":")[0])
    _read_block_stream(col, blocks)
    _split_committee_date(col)
    return col.out, col.status
