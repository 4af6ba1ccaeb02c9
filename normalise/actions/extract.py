"""Document model -> action records.

Walks the blocks in reading order, finds action tables by their header row, reads each row
into fields, tells action rows from banner rows, repeated headers and continuation rows, and
normalises every field while keeping its raw text.

Two kinds of source reach this module.  Where the format keeps merged cells (DOCX, XLSX,
PDF), a merged aim or measure is already one cell spanning rows and applies to each row it
covers.  Plain-text extracts lose the spans: there the merged text sits on one row of its
group (not always the first) or is split over several rows, so ``fragments.py`` rebuilds the
groups from evidence in the text itself (refs sharing a parent, wrapped sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...parsers.model import Cell, Document, Provenance, Table
from ..records import ActionRecord
from ..text.clean import clean_text
from ..text.dates import DEFAULT_SETTINGS, DateSettings, read_start_end, settings_for_document
from .fragments import assign_fragments
from .header_map import HeaderMap, map_header, match_field
from .labels import progress_note
from .people import clean_lead, find_people, resolve_lead
from .rag import RagKey, RagValue, build_rag_key, read_damaged_in_status_column, read_rag
from .refs import parse_ref, split_leading_number
from .sections import SectionTracker, is_heading_text, repair_clipped, sheet_heading

# Fields appended to the previous action when a row continues it.
_APPENDED = ("action", "comments", "start", "end", "lead", "dlt_lead", "rag")
_ACTIVITY = ("start", "end", "lead", "dlt_lead", "comments", "rag")
_TERMINAL = re.compile(r"[.!?;:)]\s*$")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_LOWER_WORD = re.compile(r"[a-z]{2}")  # a word in lower case; "d) Progress" is a list label
_LIST_LABEL = re.compile(r"^\(?(?:[a-zA-Z]|\d{1,2}|[ivx]{1,4})[.)]\s")
_STOPS = (".", ":", ";", "!", "?")


@dataclass
class Row:
    """One table row read under a header mapping: raw cell texts, then texts by field."""

    texts: list[str]
    fill_list: list[str | None]
    table: int
    row: int
    prov: Provenance
    section: str
    fields: dict[str, str] = field(default_factory=dict)
    fills: dict[str, str | None] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # "Update: ..." rows printed under this one
    group: str = ""  # the inner heading (banner row) over this row when there is no aim column


@dataclass
class Draft:
    """An action being assembled from one or more rows."""

    ref: str
    ref_raw: str
    rows: list[Row]
    fields: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Segment:
    """The rows read under one header row (continued across page breaks and blank lines)."""

    header: HeaderMap
    rows: list[Row] = field(default_factory=list)


def extract_actions(doc: Document) -> list[ActionRecord]:
    segments = read_segments(doc)
    spans_known = doc.format != "text"
    drafts: list[Draft] = []
    for seg in segments:
        seg_drafts, pieces = build_drafts(seg, spans_known)
        if not spans_known:
            for fld in ("aim", "measure"):
                assign_fragments(seg_drafts, pieces[fld], fld)
        for d in seg_drafts:  # the inner heading over an action is its aim (no aim column)
            if d.rows[0].group and not d.fields.get("aim", "").strip():
                d.fields["aim"] = d.rows[0].group
        drafts.extend(seg_drafts)
    if not drafts:  # no action table: the plan may print each action as labelled lines
        from .labelled import extract_labelled
        return extract_labelled(doc)
    people = find_people(doc)
    fixes = repair_clipped([d.rows[0].section for d in drafts])
    key = build_rag_key(doc)
    dates = settings_for_document(d.fields.get(f, "") for d in drafts for f in ("start", "end"))
    return [to_record(doc, d, i, people, fixes, key=key, dates=dates) for i, d in enumerate(drafts, start=1)]


# -- reading tables ------------------------------------------------------------------------

def read_segments(doc: Document) -> list[Segment]:
    tracker = SectionTracker()
    segments: list[Segment] = []
    active: Segment | None = None
    aligned = _aligned_tables(doc)
    sheet: str | None = None
    for block in doc.blocks:
        if block.prov.sheet != sheet:  # a new sheet: its name is the outer heading
            sheet, active = block.prov.sheet, None
            tracker.start_part(sheet_heading(sheet))
        if block.kind == "table" and block.table is not None:
            active = _read_table(block.table, active, tracker, segments, block.table.index in aligned)
            continue
        tracker.other()
        text = (block.text or "").strip()
        if block.kind == "heading":
            tracker.heading(text)
        elif block.kind in ("paragraph", "list_item"):
            tracker.paragraph(text, block.bold, is_list=block.kind == "list_item")
        if text or block.kind == "key_value":
            active = None  # prose between tables ends the action table
    segments = [s for s in segments if s.rows]
    for seg in segments:
        map_rows(seg)
    return segments


def _aligned_tables(doc: Document) -> set[int]:
    """Indices of the text tables whose columns the parser found from positions."""
    return {int(i) for i in doc.meta.get("aligned_tables", "").split(",") if i.strip().isdigit()}


def _read_table(table: Table, active: Segment | None, tracker: SectionTracker,
                segments: list[Segment], aligned: bool = False) -> Segment | None:
    """The rows of one table into ``segments``; ``aligned``: a text table whose columns the
    parser found from positions (a lone first-column line is then a wrapped cell, since a
    heading would have printed across the columns)."""
    grid = table.grid()
    if active is not None and abs(active.header.n_cols - table.n_cols) > (0 if table.prov.line is None else 1):
        active = None  # a different grid is a different table (text extracts may drop one empty column)
    kv_rows = sum(1 for r in range(table.n_rows) if _is_key_value(table.row_texts(r)))
    for r, cells in enumerate(grid):
        texts = [c.text.strip() if c else "" for c in cells]
        filled = [(i, t) for i, t in enumerate(texts) if t]
        if not filled:
            continue
        header = map_header(texts, allow_fused=True)
        if header is not None:
            _header_section(texts, header, tracker)
            if header.fused and active is not None and not active.rows \
                    and active.header.n_cols == header.n_cols:
                header = _merge_headers(active.header, header)
                segments.pop()
            active = Segment(header)
            segments.append(active)
            if {header.columns.get(c) for c in header.fused} & {"ref", "action"}:
                # "Ref: 5.1 | Action: ..." is a data row; "Specific aim: Gain ..." alone is a
                # table-level caption, not an aim of the first action.
                active.rows.append(_fused_row(texts, cells, header, table, r, tracker))
            continue
        if _progress(texts, cells, table, active):
            tracker.other()
            continue
        if _is_banner(filled, cells, table, r, active, tracker, aligned):
            if active is not None or not kv_rows:  # in a key/value box a lone cell is content
                tracker.banner(filled[0][1], in_table=active is not None, inner=_inner(active))
            continue
        tracker.other()
        if active is None:
            for _, t in filled:
                tracker.cell_text(t)
            continue
        ref_col = active.header.col("ref")
        has_ref = ref_col is not None and ref_col < len(texts) and bool(parse_ref(texts[ref_col]).value)
        if not has_ref and sum(1 for t in texts if (m := match_field(t)) and m[1] == 100) >= 2:
            # a header row garbled by a bad text layer: not data; its first cell may name the section
            if texts[0] and not match_field(texts[0]) and is_heading_text(texts[0]):
                tracker.banner(texts[0])
                tracker.other()
            continue
        active.rows.append(_row(texts, cells, table, r, tracker.current))
        active.rows[-1].group = tracker.inner
    return active


def _progress(texts: list[str], cells: list, table: Table, active: Segment | None) -> bool:
    """A full-width "Update: ..." row reports on the action above it: its comments."""
    if active is None or not active.rows:
        return False
    note = progress_note(texts, _spans_half(cells[-1] if cells else None, table))
    if note:
        active.rows[-1].notes.append(note)
    return bool(note)


def _is_banner(filled: list[tuple[int, str]], cells: list, table: Table, r: int, active: Segment | None,
               tracker: SectionTracker, aligned: bool) -> bool:
    """One text in the first column or in a cell across half the table, unless in a text
    extract it is the rest of the first-column cell above (see :func:`_wrapped_cell`)."""
    spanning = {id(cells[i]) for i, _ in filled}
    wide = len(spanning) == 1 and _spans_half(cells[filled[0][0]], table)
    if len({t for _, t in filled}) != 1 or not (filled[0][0] == 0 or wide):
        return False
    if wide or table.prov.line is None or active is None or not active.rows or tracker.banner_continues:
        return True
    return not (0 in active.header.columns and _wrapped_cell(filled[0][1], r, table, active, aligned))


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


def _spans_half(cell: Cell | None, table: Table) -> bool:
    """A merged cell as wide as half the table (and at least two columns)."""
    return cell is not None and cell.col_span >= max(2, table.n_cols // 2)


def _inner(active: Segment | None) -> bool:
    """A banner inside an action table without an aim column is the inner heading."""
    return active is not None and active.header.col("aim") is None


def _is_key_value(texts: list[str]) -> bool:
    filled = [t for t in texts if t.strip()]
    return len(filled) == 2 and texts[0].strip().endswith(":") and len(texts[0]) < 60


def _merge_headers(first: HeaderMap, fused: HeaderMap) -> HeaderMap:
    """Two header rows in a row, the second fused with data: labels from both."""
    columns = {c: f for c, f in first.columns.items() if f not in fused.columns.values()}
    columns.update(fused.columns)
    return HeaderMap(columns=dict(sorted(columns.items())), labels={**first.labels, **fused.labels},
                     n_cols=fused.n_cols, fused=fused.fused)


def _header_section(texts: list[str], header: HeaderMap, tracker: SectionTracker) -> None:
    """A section name printed in the first cell of the header row itself."""
    first = texts[0] if texts else ""
    if first and 0 not in header.columns and 0 not in header.fused and is_heading_text(first) \
            and len(first) > 10:
        tracker.banner(first)
    tracker.other()


def _row(texts: list[str], cells: list, table: Table, r: int, section: str) -> Row:
    first = next((c for c in cells if c is not None), None)
    prov = first.prov if first else table.prov
    return Row(list(texts), [c.fill if c else None for c in cells], table.index, r, prov, section)


def map_rows(seg: Segment) -> None:
    """Texts by field for every row of a segment.

    Text extracts sometimes print a header label one column away from its values (an empty
    column crept in) and drop that empty column on later rows; the mapping follows the data.
    """
    header = seg.header
    columns = dict(header.columns)
    full = [r for r in seg.rows if len(r.texts) == header.n_cols]

    def filled(c: int) -> float:
        return sum(1 for r in full if c < len(r.texts) and r.texts[c]) / max(1, len(full))

    if len(full) >= 3:
        for c, fld in sorted(columns.items()):
            if filled(c) > 0.2:
                continue
            for n in (c + 1, c - 1):
                if 0 <= n < header.n_cols and n not in columns and filled(n) >= 0.5:
                    del columns[c]
                    columns[n] = fld
                    break
    phantom = [c for c in range(header.n_cols) if c not in columns and filled(c) == 0]
    for row in seg.rows:
        cols = columns
        if len(row.texts) == header.n_cols - 1 and phantom:
            p = phantom[0]
            cols = {(c - 1 if c > p else c): f for c, f in columns.items() if c != p}
        for c, text in enumerate(row.texts):
            name = cols.get(c)
            if name:
                row.fields[name] = text
                row.fills[name] = row.fill_list[c] if c < len(row.fill_list) else None
            elif text and c in header.labels:
                row.extra[header.labels[c]] = text
        _add_notes(row)


def _add_notes(row: Row) -> None:
    """"Update:" rows printed under a row join its comments."""
    if row.notes:
        row.fields["comments"] = " ".join([row.fields.get("comments", "").strip(), *row.notes]).strip()


def _fused_row(texts: list[str], cells: list, header: HeaderMap, table: Table, r: int,
               tracker: SectionTracker) -> Row:
    """The data half of a header row fused with the first data row ("Ref: 5.1")."""
    values = []
    for c, text in enumerate(texts):
        if c in header.fused:
            values.append(header.fused[c])
        elif c in header.columns and match_field(text):
            values.append("")
        else:
            values.append(text)
    return _row(values, cells, table, r, tracker.current)


# -- rows to actions -----------------------------------------------------------------------

def build_drafts(seg: Segment, spans_known: bool) -> tuple[list[Draft], dict[str, list]]:
    """Group a segment's rows into actions; returns the drafts and, for text extracts, the
    aim/measure fragments with the draft each was printed on (None: before any action)."""
    drafts: list[Draft] = []
    pieces: dict[str, list[tuple[int | None, str]]] = {"aim": [], "measure": []}
    has_ref_col = seg.header.col("ref") is not None
    needed = _activity_needed(seg.header)
    for row in seg.rows:
        ref_raw = row.fields.get("ref", "").strip()
        ref = parse_ref(ref_raw).value if ref_raw else ""
        action = row.fields.get("action", "").strip()
        if not ref and action:
            num, rest = split_leading_number(action)
            if num and (not has_ref_col or not ref_raw):
                ref, ref_raw, action = num, num, rest
                row.fields["action"] = rest
        activity = sum(1 for f in _ACTIVITY if row.fields.get(f, "").strip())
        starts_lower = action[:1].islower()
        if _lists_under(drafts, row, ref, activity, spans_known):
            _continue(drafts[-1], row)
            continue
        if ref or (action and (spans_known or (not starts_lower and activity >= needed))):
            if not spans_known and drafts and starts_lower:
                _move_overflow(drafts[-1], row)
            draft = Draft(ref=ref, ref_raw=ref_raw, rows=[row], fields=dict(row.fields))
            if ref_raw and not ref:
                draft.warnings.append(f"unreadable ref {ref_raw!r}")
            drafts.append(draft)
        elif drafts and not spans_known:
            _continue(drafts[-1], row)
        elif drafts:
            continue  # a stray row in a clean table: nothing to add
        owner = len(drafts) - 1 if drafts else None
        if not spans_known:
            for fld in pieces:
                text = row.fields.get(fld, "").strip()
                if text:
                    pieces[fld].append((owner, text))
    return drafts, pieces


def _activity_needed(header: HeaderMap) -> int:
    """Text extracts: a row without a ref starts an action when it fills three activity
    columns, or every one the table has (a plan with only "Led by" and "Timescale")."""
    return min(3, max(2, sum(1 for f in header.columns.values() if f in _ACTIVITY)))


def _lists_under(drafts: list[Draft], row: Row, ref: str, activity: int, spans_known: bool) -> bool:
    """An action that ends "... include:" goes on in the rows below it, each naming one
    item and nothing else (no ref, who, when, measure or status): those rows are its list."""
    if not spans_known or not drafts or ref or activity:
        return False
    opener = drafts[-1].rows[0].fields.get("action", "").rstrip()
    return opener.endswith(":") and not row.fields.get("measure", "").strip()


def _continue(draft: Draft, row: Row) -> None:
    """Text that spilled into a row of its own belongs to the action above."""
    draft.rows.append(row)
    for fld in _APPENDED:
        text = row.fields.get(fld, "").strip()
        if not text:
            continue
        have = draft.fields.get(fld, "").strip()
        if not have or clean_text(have) == clean_text(text) and fld not in ("action", "comments"):
            draft.fields[fld] = text if not have else have
        else:
            draft.fields[fld] = f"{have} {text}"
    for k, v in row.extra.items():
        draft.rows[0].extra[k] = f"{draft.rows[0].extra.get(k, '')} {v}".strip()


def _move_overflow(prev: Draft, row: Row) -> None:
    """"research to the SIB and CEB Develop and implement ..." printed on the next row: the
    lower-case head finishes the previous (unfinished) action, the rest is this row's."""
    have = prev.fields.get("action", "").strip()
    action = row.fields.get("action", "")
    if not have or _TERMINAL.search(have):
        return
    m = _CAPITALISED.search(action)
    if not m or m.start() == 0:
        return
    head, rest = action[: m.start()].strip(), action[m.start():].strip()
    prev.fields["action"] = f"{have} {head}"
    prev.warnings.append(f"text {head!r} printed on the next row moved back to this action")
    row.fields["action"] = rest


# -- drafts to records ---------------------------------------------------------------------

def to_record(doc: Document, d: Draft, seq: int, people: dict, fixes: dict[str, str], *,
              key: RagKey | None = None, dates: DateSettings = DEFAULT_SETTINGS) -> ActionRecord:
    f = d.fields
    first = d.rows[0]
    section_raw = first.section
    rec = ActionRecord(action_id=f"{doc.sha256[:12]}-{seq:04d}", source_file=doc.path, sha256=doc.sha256,
                       format=doc.format, seq=seq, table=first.table, row=first.row,
                       page=first.prov.page, sheet=first.prov.sheet or "", line=first.prov.line,
                       ocr=bool(doc.meta.get("ocr")))
    rec.rows = _row_span([r.row for r in d.rows])
    rec.section_raw = section_raw
    rec.section = fixes.get(section_raw, section_raw)
    for fld in ("aim", "action", "measure", "comments"):
        raw = f.get(fld, "")
        setattr(rec, f"{fld}_raw", raw)
        setattr(rec, fld, clean_text(raw))
    rec.ref_raw, rec.ref = d.ref_raw, d.ref
    start_end = read_start_end(f.get("start", "").strip(), f.get("end", "").strip(), settings=dates)
    for fld, dv in zip(("start", "end"), start_end, strict=True):
        raw = f.get(fld, "").strip()
        setattr(rec, f"{fld}_raw", raw)
        setattr(rec, fld, dv.value)
        setattr(rec, f"{fld}_precision", dv.precision)
        if dv.warning:
            rec.warnings.append(f"{fld}: {dv.warning}")
    for fld in ("lead", "dlt_lead"):
        raw = f.get(fld, "").strip()
        setattr(rec, f"{fld}_raw", raw)
        value = clean_lead(raw)
        setattr(rec, fld, value)
        setattr(rec, f"{fld}_name", resolve_lead(value, people) if people and value else "")
    rag_raw = f.get("rag", "").strip()
    fill = next((r.fills.get("rag") for r in d.rows if r.fills.get("rag")), None)
    rv = _read_rag(rag_raw, fill, key)
    rec.rag_raw, rec.rag = rag_raw, rv.value
    if fill and rv.evidence.startswith("fill"):  # read from the colour (or the key for it)
        rec.rag_fill = fill
    if rv.warning:
        rec.warnings.append(f"rag: {rv.warning}")
    if not rec.action:
        rec.warnings.append("action text empty in the source")
    rec.extra = dict(first.extra)
    rec.warnings = d.warnings + rec.warnings
    return rec


def _read_rag(raw: str, fill: str | None, key: RagKey | None) -> RagValue:
    """The status; a status word wrapped mid-word in a narrow column ("Complet" / "ed" in
    a text extract) is read again without the break when it is unreadable with it."""
    rv = read_rag(raw, fill, key=key)
    if rv.value or not raw.strip():
        return rv
    if " " not in raw.strip():
        return read_damaged_in_status_column(raw) or rv
    joined = read_rag(raw.replace(" ", ""), fill, key=key)
    return joined if joined.value and joined.source == "text" else rv


def _row_span(rows: list[int]) -> str:
    return str(rows[0]) if len(rows) == 1 or rows[-1] == rows[0] else f"{rows[0]}-{rows[-1]}"
