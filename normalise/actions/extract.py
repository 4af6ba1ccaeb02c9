"""Document model -> action records.

Walks the blocks in reading order (``table_reader``), settles each table's column roles from
headers and content (``row_fields``, ``columns``), groups rows into actions (``drafts``) and
normalises every field while keeping its raw text.

Two kinds of source reach this module.  Where the format keeps merged cells (DOCX, XLSX,
PDF), a merged aim or measure is already one cell spanning rows and applies to each row it
covers.  Plain-text extracts lose the spans: there the merged text sits on one row of its
group (not always the first) or is split over several rows, so ``fragments.py`` rebuilds the
groups from evidence in the text itself (refs sharing a parent, wrapped sentences).

Headings come in two levels: an outer one (document heading, page or slide title) and an inner
one (a banner row inside the table).  When a plan prints both, and the outer one changes
through the document (it is not just the document's title), the outer is the section and the
inner the aim (unless an aim column exists); neither overwrites the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...parsers.model import Document
from ..records import ActionRecord
from ..text.clean import clean_text
from ..text.dates import parse_date
from .drafts import Draft, build_drafts
from .fragments import assign_fragments
from .legend import Legend
from .missed import diagnose
from .people import Person, clean_lead, find_people, resolve_lead
from .rag import RagValue, normalise_rag
from .row_fields import map_rows
from .sections import repair_clipped
from .settings import ActionSettings
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
        drafts.extend(seg_drafts)
    levels = _two_levels(drafts)
    people = find_people(doc)
    fixes = repair_clipped([d.rows[0].section for d in drafts])
    result.actions = [to_record(doc, d, i, people, fixes, reading.legend, levels)
                      for i, d in enumerate(drafts, start=1)]
    if not result.actions:
        result.missed, result.missed_tables = diagnose(doc, s)
    return result


def _two_levels(drafts: list[Draft]) -> bool:
    """Both levels printed over tables with no aim column, and the outer one is a real grouping
    (it changes through the document), not just the title."""
    open_aim = [d.rows[0] for d in drafts if "aim" not in d.rows[0].fields]
    outers = {r.outer for r in open_aim if r.outer}
    return len(outers) >= 2 and any(r.inner for r in open_aim)


# -- drafts to records ---------------------------------------------------------------------

def to_record(doc: Document, d: Draft, seq: int, people: dict[str, Person], fixes: dict[str, str],
              legend: Legend | None = None, two_levels: bool = False) -> ActionRecord:
    first = d.rows[0]
    rec = ActionRecord(action_id=f"{doc.sha256[:12]}-{seq:04d}", source_file=doc.path, sha256=doc.sha256,
                       format=doc.format, seq=seq, table=first.table, row=first.row,
                       page=first.prov.page, sheet=first.prov.sheet or "", line=first.prov.line,
                       ocr=bool(doc.meta.get("ocr")))
    rec.rows = _row_span([r.row for r in d.rows])
    _set_grouping(rec, d, fixes, two_levels)
    _set_text(rec, d.fields)
    rec.ref_raw, rec.ref = d.ref_raw, d.ref
    _set_dates(rec, d.fields)
    _set_people(rec, d.fields, people)
    _set_rag(rec, d, legend or Legend())
    if not rec.action:
        rec.warnings.append("action text empty in the source")
    rec.extra = dict(first.extra)
    rec.warnings = d.warnings + rec.warnings
    return rec


def _set_grouping(rec: ActionRecord, d: Draft, fixes: dict[str, str], two_levels: bool) -> None:
    first = d.rows[0]
    split = two_levels and bool(first.inner and first.outer) and "aim" not in first.fields
    section_raw = first.outer if split else first.section
    rec.section_raw = section_raw
    rec.section = fixes.get(section_raw, section_raw)
    if split:
        d.fields["aim"] = first.inner
        d.warnings.append("aim from the banner row inside the table; section from the heading above it")


def _set_text(rec: ActionRecord, f: dict[str, str]) -> None:
    for fld in ("aim", "action", "measure", "comments"):
        raw = f.get(fld, "")
        setattr(rec, f"{fld}_raw", raw)
        setattr(rec, fld, clean_text(raw))


def _set_dates(rec: ActionRecord, f: dict[str, str]) -> None:
    for fld in ("start", "end"):
        raw = f.get(fld, "").strip()
        dv = parse_date(raw, role=fld)
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


def _set_rag(rec: ActionRecord, d: Draft, legend: Legend) -> None:
    rag_raw = d.fields.get("rag", "").strip()
    fill = next((r.fills.get("rag") for r in d.rows if r.fills.get("rag")), None)
    keyed = legend.read(rag_raw, fill)
    rv = _read_status(rag_raw, fill)
    rec.rag_raw, rec.rag = rag_raw, keyed or rv.value
    if rv.source == "fill" and fill:
        rec.rag_fill = fill
    if keyed and keyed != rv.value:
        rec.warnings.append(f"rag: read by the plan's own key ({'; '.join(legend.printed)})")
    elif rv.warning:
        rec.warnings.append(f"rag: {rv.warning}")


def _read_status(raw: str, fill: str | None) -> RagValue:
    """A status cell; a bilingual one ("Ar y trywydd / On track") by whichever half reads."""
    rv = normalise_rag(raw, fill)
    if rv.value or "/" not in raw:
        return rv
    for half in raw.split("/"):
        if half.strip():
            hv = normalise_rag(half.strip(), fill)
            if hv.value:
                return RagValue(hv.value, hv.source, f"read '{half.strip()}' of the bilingual status '{raw}'")
    return rv


def _row_span(rows: list[int]) -> str:
    return str(rows[0]) if len(rows) == 1 or rows[-1] == rows[0] else f"{rows[0]}-{rows[-1]}"
