"""Document model -> action records.

Walks the blocks in reading order (``table_reader``), settles each table's column roles from
headers and content (``row_fields``, ``columns``), groups rows into actions (``drafts``) and
normalises every field while keeping its raw text.

Two kinds of source reach this module.  Where the format keeps merged cells (DOCX, XLSX,
PDF), a merged aim or measure is already one cell spanning rows and applies to each row it
covers.  Plain-text extracts lose the spans: there the merged text sits on one row of its
group (not always the first) or is split over several rows, so ``fragments.py`` rebuilds the
groups from evidence in the text itself (refs sharing a parent, wrapped sentences).

Headings come in two levels (``sections.SectionTracker``): an outer one (document heading,
page or slide title, sheet name, a banner above a repeated header row) and an inner one (a
banner row inside a table without an aim column).  The outer is the section, the inner the
aim; neither overwrites the other.  A plan with no action table may print each action as
labelled lines (``labelled.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...parsers.model import Document
from ..records import ActionRecord
from ..text.clean import clean_text
from ..text.dates import DEFAULT_SETTINGS, DateSettings, read_start_end, settings_for_document
from .drafts import Draft, build_drafts
from .fragments import assign_fragments
from .missed import diagnose
from .people import Person, clean_lead, find_people, resolve_lead
from .rag import RagKey, build_rag_key
from .row_fields import map_rows
from .sections import repair_clipped
from .settings import ActionSettings
from .status import read_status
from .table_reader import read_segments


@dataclass
class ActionResult:
    """The actions of one document, the evidence for each table's column roles, and, when a
    document that looks like a plan gave none, the reason."""

    actions: list[ActionRecord] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    missed: str = ""
    missed_tables: int = 0  # tables with action-like columns, when none gave an action


def extract_actions(doc: Document, settings: ActionSettings | None = None) -> list[ActionRecord]:
    return read_plan(doc, settings).actions


def read_plan(doc: Document, settings: ActionSettings | None = None) -> ActionResult:
    s = settings or ActionSettings()
    reading = read_segments(doc, s)
    spans_known = doc.format != "text"
    drafts: list[Draft] = []
    result = ActionResult()
    for seg in reading.segments:
        notes = map_rows(seg, s)
        result.columns.append(f"table {seg.table + 1}: " + " / ".join(seg.header.evidence))
        seg_drafts, pieces = build_drafts(seg, spans_known)
        if not spans_known:
            for fld in ("aim", "measure"):
                assign_fragments(seg_drafts, pieces[fld], fld, s.merged_at_most)
        for d in seg_drafts:
            d.warnings.extend(notes)
            _inner_heading_is_aim(d)
        drafts.extend(seg_drafts)
    if not drafts:  # no action table: the plan may print each action as labelled lines
        from .labelled import extract_labelled

        result.actions = extract_labelled(doc)
    else:
        result.actions = _records(doc, drafts)
    if not result.actions:
        result.missed, result.missed_tables = diagnose(doc, s)
    return result


def _inner_heading_is_aim(d: Draft) -> None:
    """The inner heading (a banner row) over an action is its aim when there is no aim column."""
    if d.rows[0].group and not d.fields.get("aim", "").strip():
        d.fields["aim"] = d.rows[0].group


def _records(doc: Document, drafts: list[Draft]) -> list[ActionRecord]:
    people = find_people(doc)
    fixes = repair_clipped([d.rows[0].section for d in drafts])
    key = build_rag_key(doc)
    dates = settings_for_document(d.fields.get(f, "") for d in drafts for f in ("start", "end"))
    return [to_record(doc, d, i, people, fixes, key=key, dates=dates) for i, d in enumerate(drafts, start=1)]


# -- drafts to records ---------------------------------------------------------------------

def to_record(doc: Document, d: Draft, seq: int, people: dict[str, Person], fixes: dict[str, str], *,
              key: RagKey | None = None, dates: DateSettings = DEFAULT_SETTINGS) -> ActionRecord:
    first = d.rows[0]
    rec = ActionRecord(action_id=f"{doc.sha256[:12]}-{seq:04d}", source_file=doc.path, sha256=doc.sha256,
                       format=doc.format, seq=seq, table=first.table, row=first.row,
                       page=first.prov.page, sheet=first.prov.sheet or "", line=first.prov.line,
                       ocr=bool(doc.meta.get("ocr")))
    rec.rows = _row_span([r.row for r in d.rows])
    section = d.fields.get("section", "").strip() or first.section  # a theme column beats a heading
    rec.section_raw = section
    rec.section = fixes.get(section, section)
    _set_text(rec, d.fields)
    rec.ref_raw, rec.ref = d.ref_raw, d.ref
    _set_dates(rec, d.fields, dates)
    _set_people(rec, d.fields, people)
    _set_rag(rec, d, key)
    if not rec.action:
        rec.warnings.append("action text empty in the source")
    rec.extra = dict(first.extra)
    rec.warnings = d.warnings + rec.warnings
    return rec


def _set_text(rec: ActionRecord, f: dict[str, str]) -> None:
    for fld in ("aim", "action", "measure", "comments"):
        raw = f.get(fld, "")
        setattr(rec, f"{fld}_raw", raw)
        setattr(rec, fld, clean_text(raw))


def _set_dates(rec: ActionRecord, f: dict[str, str], dates: DateSettings) -> None:
    start_end = read_start_end(f.get("start", "").strip(), f.get("end", "").strip(), settings=dates)
    for fld, dv in zip(("start", "end"), start_end, strict=True):
        raw = f.get(fld, "").strip()
        setattr(rec, f"{fld}_raw", raw)
        setattr(rec, fld, dv.value)
        setattr(rec, f"{fld}_precision", dv.precision)
        if dv.warning:
            rec.warnings.append(f"{fld}: {dv.warning}")


def _set_people(rec: ActionRecord, f: dict[str, str], people: dict[str, Person]) -> None:
    for fld in ("lead", "dlt_lead"):
        raw = f.get(fld, "").strip()
        setattr(rec, f"{fld}_raw", raw)
        value = clean_lead(raw)
        setattr(rec, fld, value)
        setattr(rec, f"{fld}_name", resolve_lead(value, people) if people and value else "")


def _set_rag(rec: ActionRecord, d: Draft, key: RagKey | None) -> None:
    rag_raw = d.fields.get("rag", "").strip()
    fill = next((r.fills.get("rag") for r in d.rows if r.fills.get("rag")), None)
    rv = read_status(rag_raw, fill, key)
    rec.rag_raw, rec.rag = rag_raw, rv.value
    if fill and rv.evidence.startswith("fill"):  # read from the colour (or the key for it)
        rec.rag_fill = fill
    if rv.warning:
        rec.warnings.append(f"rag: {rv.warning}")


def _row_span(rows: list[int]) -> str:
    return str(rows[0]) if len(rows) == 1 or rows[-1] == rows[0] else f"{rows[0]}-{rows[-1]}"
