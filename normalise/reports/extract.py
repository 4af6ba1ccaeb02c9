"""One metadata record per paper: what kind of paper, whose, for which meeting, from whom.

Every document gets a record, whatever its kind (``kinds.py``).  The header block
(``header.py``) gives most fields of a report; agendas, minutes and decision records name
their meeting in their opening lines (``meeting.py``); the authority comes only from names in
the authorities data file (``authority.py``); authors from contact blocks (``people_blocks.py``);
running prose fills what a header leaves (``prose.py``).  Nothing is invented: a field the
text does not state stays empty, and each value keeps the line and place it was read from
(``provenance`` and ``evidence``).  Key figures and mentions come from ``figures.py`` and
``mentions.py``; this module only wires them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...parsers.model import Document
from ..records import ActionRecord
from ..text.dates import parse_date as _parse_date
from ..text.dates import parse_period, parse_report_date
from .authority import find_authority
from .decision import read_decision_form
from .fused import split_people, split_roles
from .header import PAPER_STATUS, HeaderValue, clean_value, label_key, read_header
from .kinds import classify, head_lines
from .meeting import find_date, find_meeting
from .people_blocks import (
    Person,
    ambiguous_label,
    author_from_labels,
    author_from_sign_off,
    author_from_tables,
    cell_lines,
    has_contact_label,
    interleaved_label,
    name_from_email,
    strip_contact,
)
from .prose import (
    TitleBlock,
    author_from_contact,
    committee_from_heading,
    leading_title,
    monitoring_body_from_prose,
    period_from_prose,
    recommendation_from_prose,
)
from .records import FigureRecord, MentionRecord, ReportRecord

MEETING_KINDS = ("agenda", "minutes", "decision_record")


@dataclass(frozen=True)
class ReportSettings:
    """Thresholds of the paper-record assembly (each reader has its own settings too)."""

    own_title_lines: int = 6  # opening lines an inspection's or appendix's own title line is looked for in
    form_title_lines: int = 60  # lines of a form searched for its title cell
    form_title_words: int = 30  # a longer "title" cell is prose, not a title
    contact_lines: int = 12  # opening lines an agenda's "Ask for:" contact is looked for in


SETTINGS = ReportSettings()


@dataclass
class ReportResult:
    reports: list[ReportRecord] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)
    mentions: list[MentionRecord] = field(default_factory=list)


def extract_report(doc: Document, actions: list[ActionRecord]) -> ReportResult:
    from .figures import extract_figures
    from .mentions import find_mentions

    rec = read_report(doc, actions)
    # a paper of no known kind (a bare table of numbers) has no key figures to speak of
    plain_other = rec.doc_kind == "other" and not rec.doc_subkind
    figures = [] if plain_other else extract_figures(doc, actions)
    mentions = find_mentions(doc, rec) if rec.doc_kind == "committee_report" else []
    return ReportResult([rec], figures, mentions)


# ---------------------------------------------------------------------------------------------
# dates


def iso_date(raw: str) -> tuple[str, str]:
    """(ISO value, warning) for a header date cell."""
    got = _parse_date(raw)
    if got.value and got.precision in ("day", "month", "year"):
        return got.value, got.warning
    mine = parse_report_date(raw)
    return (mine.value, mine.warning) if mine else ("", f"unparseable date: '{raw}'")


def iso_period(raw: str) -> tuple[str, str]:
    got = _parse_date(raw)
    if got.value and "/" in got.value:
        return got.value, got.warning
    mine = parse_period(raw)
    return (mine.value, mine.warning) if mine else ("", f"unparseable period: '{raw}'")


# ---------------------------------------------------------------------------------------------
# steps


class _Filler:
    """Sets a field with where it was read and the printed line it came from."""

    def __init__(self, rec: ReportRecord) -> None:
        self.rec = rec

    def set(self, name: str, value: str, where: str = "", line: str = "") -> None:
        if not value:
            return
        setattr(self.rec, name, value)
        if where:
            self.rec.provenance[name] = where
        if line:
            self.rec.evidence[name] = line

    def take(self, name: str, hv: HeaderValue | None) -> str:
        if hv is None:
            return ""
        self.set(name, hv.value, hv.where, f"{hv.label}: {hv.value}" if hv.label else hv.value)
        return hv.value


def _fill_header(f: _Filler, header: dict[str, HeaderValue]) -> None:
    for name in ("title", "plan_name", "report_of", "author", "committee", "owner", "monitoring_body",
                 "frequency", "recommendation"):
        f.take(name, header.get(name))


def _fill_dates(f: _Filler, header: dict[str, HeaderValue], tb: TitleBlock, kind: str) -> None:
    rec = f.rec
    if "date" in header:
        rec.meeting_date_raw = f.take("meeting_date_raw", header["date"])
        rec.provenance["meeting_date"] = rec.provenance.pop("meeting_date_raw", "")
        rec.meeting_date, warn = iso_date(rec.meeting_date_raw)
        if warn:
            rec.warnings.append(f"meeting_date: {warn}")
    if "review_date" in header or (kind == "action_plan" and tb.review_raw):
        rec.review_date_raw = f.take("review_date", header.get("review_date")) or tb.review_raw
        rec.provenance.setdefault("review_date", tb.where)
        rec.review_date, warn = iso_date(rec.review_date_raw)
        if warn:
            rec.warnings.append(f"review_date: {warn}")
    dur = header.get("duration") or header.get("implementation")
    if dur is not None or (kind == "action_plan" and tb.duration_raw):
        rec.duration_raw = f.take("duration", dur) or tb.duration_raw
        rec.provenance.setdefault("duration", tb.where)
        rec.duration, warn = iso_period(rec.duration_raw)
        if warn:
            rec.warnings.append(f"duration: {warn}")
    if tb.date_raw:
        rec.document_date_raw = tb.date_raw
        rec.document_date, _ = iso_date(tb.date_raw)


def _fill_plan(f: _Filler, tb: TitleBlock) -> None:
    rec = f.rec
    if not rec.plan_name and tb.title:
        f.set("plan_name", tb.title, tb.where, tb.title)
    rec.title = rec.title or rec.plan_name
    if not rec.committee and rec.monitoring_body:
        f.set("committee", rec.monitoring_body, rec.provenance.get("monitoring_body", ""))
    if not rec.report_of and rec.owner:
        f.set("report_of", rec.owner, rec.provenance.get("owner", ""))
    rec.period_covered, rec.period_raw = rec.duration, rec.duration_raw


def _unfuse_to_line(f: _Filler) -> None:
    """"From:" and "To:" printed side by side can put the To: line ("County Council - 9th
    January 2025") among the From: values: a body followed by a date is a meeting, never a
    person, so it moves to committee and meeting_date (and a committee that repeats a From:
    person was read from the wrong column)."""
    rec = f.rec
    parts = [p.strip() for p in rec.report_of.split(";")]
    for part in parts:
        m = re.match(r"^(?P<body>(?:.+?\s)?(?:Council|Cabinet|Committee|Board|Panel))\s*[,:\u2013\u2014-]?\s*(?P<date>.+)$", part)
        date, raw = find_date(m.group("date")) if m else ("", "")
        if not m or not date:
            continue
        rest = [p for p in parts if p != part]
        rec.report_of = "; ".join(rest)
        if not rec.committee or rec.committee in rest:
            f.set("committee", m.group("body"), rec.provenance.get("report_of", ""), part)
        if not rec.meeting_date:
            f.set("meeting_date", date, rec.provenance.get("report_of", ""), part)
            rec.meeting_date_raw = raw
        return


def _meeting_line(f: _Filler, doc: Document) -> None:
    """A cover whose labels lost their layout: the opening line that names a body and a date
    together ("Cabinet \u2013 30 January 2025 Unrestricted") is the meeting the report goes to."""
    meeting = find_meeting(doc, f.rec.authority)
    if meeting.body and meeting.date and meeting.body_line == meeting.date_line:
        f.set("committee", meeting.body, "opening lines", meeting.body_line)
        f.set("meeting_date", meeting.date, "opening lines", meeting.date_line)
        f.rec.meeting_date_raw = meeting.date_raw


def _fill_report(f: _Filler, doc: Document, tb: TitleBlock) -> None:
    rec = f.rec
    _unfuse_to_line(f)
    rec.report_of = split_roles(split_people(rec.report_of))
    if not rec.committee:
        f.take("committee", committee_from_heading(doc))
    if not rec.title and tb.title:
        f.set("title", tb.title, tb.where, tb.title)
    if not rec.committee and not rec.meeting_date:
        _meeting_line(f, doc)
    period, raw, where = period_from_prose(doc)
    if period:
        rec.period_covered, rec.period_raw, rec.provenance["period_covered"] = period, raw, where


def _fill_meeting(f: _Filler, doc: Document, kind: str) -> None:
    """Agendas, minutes and decision records: the meeting named in the opening lines; they
    have no title, From: or report author of their own."""
    rec = f.rec
    for name in ("title", "report_of", "author", "committee", "meeting_date", "meeting_date_raw"):
        setattr(rec, name, "")
        rec.provenance.pop(name, None)
        rec.evidence.pop(name, None)
    rec.warnings = [w for w in rec.warnings if not w.startswith("meeting_date")]
    if kind == "decision_record":
        form = read_decision_form(cell_lines(doc))
        f.set("committee", form.decision_maker, "decision form", form.maker_line)
        f.set("title", form.title, "decision form", form.title_line)
        if form.decision_maker or form.title:
            return
    meeting = find_meeting(doc, rec.authority)
    f.set("committee", meeting.body, "opening lines", meeting.body_line)
    f.set("meeting_date", meeting.date, "opening lines", meeting.date_line)
    rec.meeting_date_raw = meeting.date_raw


_OWN_TITLE = {
    "inspection_report": re.compile(r"^(?P<t>(?:area send )?(?:re-?)?inspection of .+)$", re.I),
    "": re.compile(r"^(?:appendix|annex|annexe)\s*[\w.]{0,4}\s*[:\u2013\u2014-]\s*(?P<t>.{4,150})$", re.I),
}


def _fill_own_title(f: _Filler, doc: Document) -> None:
    """An inspection's "Inspection of X" line, an appendix's "Appendix 1: Title" line."""
    rx = _OWN_TITLE.get(f.rec.doc_subkind)
    if f.rec.title or rx is None or f.rec.doc_kind not in ("appendix", "other"):
        return
    for line in head_lines(doc, SETTINGS.own_title_lines):
        m = rx.match(line)
        if m:
            f.set("title", m.group("t").strip(), "opening lines", line)
            return


def _fill_form_title(f: _Filler, lines: list[str]) -> None:
    """A form's title cell ("EQIA Title" | value, "1. Name of Activity (EQIA Title):" | value):
    the line after a title label, when the paper has no title yet."""
    if f.rec.title or f.rec.doc_kind not in ("appendix", "other"):
        return
    for i, line in enumerate(lines[:SETTINGS.form_title_lines]):
        if label_key(line) == (True, "title") and i + 1 < len(lines):
            value = lines[i + 1]
            if not label_key(value)[0] and len(value.split()) <= SETTINGS.form_title_words:
                f.set("title", value, "form", f"{line}: {value}")
            return


def _clear_meeting_fields(rec: ReportRecord) -> None:
    """Letters, inspections and impact assessments are not addressed to a meeting."""
    if rec.doc_subkind in ("letter", "inspection_report", "equality_impact_assessment",
                           "data_protection_impact_assessment"):
        for name in ("committee", "meeting_date", "meeting_date_raw"):
            setattr(rec, name, "")
            rec.provenance.pop(name, None)
            rec.evidence.pop(name, None)


def _agenda_contact(f: _Filler, doc: Document, lines: list[str]) -> None:
    """An agenda's "Ask for:" contact, named as the e-mail address beside it spells it."""
    if has_contact_label(lines[:SETTINGS.contact_lines]):
        name = name_from_email(lines, doc.text()[:3000])
        f.set("author", name, "opening lines", name)


def _people(doc: Document, lines: list[str], subkind: str) -> list[Person]:
    people = author_from_tables(doc) or author_from_labels(lines)
    if not people and subkind == "letter":
        people = author_from_sign_off(lines)
    return people


def _fill_author(f: _Filler, doc: Document, kind: str, lines: list[str]) -> None:
    """Report author or contact officer; an agenda's contact; a letter's signatory.  Minutes,
    decision records and plans have none of their own (a plan's labelled cells are actions)."""
    rec = f.rec
    if kind in ("minutes", "decision_record", "action_plan"):
        return
    if kind == "agenda":
        _agenda_contact(f, doc, lines)
        return
    both = ambiguous_label(lines) or interleaved_label(lines)
    if both:
        rec.author = ""
        rec.provenance.pop("author", None)
        rec.evidence.pop("author", None)
        rec.warnings.append(f"author: '{both}' does not say which person is the author; left empty")
        return
    if rec.author:
        rec.author = strip_contact(rec.author)  # "Report Author: X Job title: Y Telephone: ..."
        return
    people = _people(doc, lines, rec.doc_subkind)
    if people:
        f.set("author", "; ".join(p.text for p in people), "contact block", " | ".join(p.line for p in people))
        return
    author, where = author_from_contact(doc)
    if author:
        f.set("author", strip_contact(author), where, author)
        rec.warnings.append("author taken from the contact block")


def _finish(rec: ReportRecord) -> None:
    for name in ("title", "committee", "report_of", "author", "owner", "monitoring_body"):
        v = getattr(rec, name)
        if v and PAPER_STATUS.match(v):
            setattr(rec, name, "")
        else:
            setattr(rec, name, clean_value(v))
    if not rec.authority:
        rec.warnings.append("authority not named in the text")


def read_report(doc: Document, actions: list[ActionRecord]) -> ReportRecord:
    """The metadata record of ``doc``; every document gets one (kind ``other`` at worst)."""
    header, status = read_header(doc)
    tb = leading_title(doc)
    kind = classify(doc, header, actions, status, tb.title)
    rec = ReportRecord(source_file=doc.path, sha256=doc.sha256, doc_kind=kind.kind, doc_subkind=kind.subkind)
    rec.evidence["doc_kind"] = kind.evidence
    f = _Filler(rec)
    found = find_authority(doc.text())
    rec.authority, rec.authority_evidence = found.name, found.evidence
    if found.warning:
        rec.warnings.append(found.warning)
    if found.name:
        rec.evidence["authority"] = found.evidence
    _fill_header(f, header)
    _fill_dates(f, header, tb, kind.kind)
    if not rec.monitoring_body:
        body, where = monitoring_body_from_prose(doc)
        f.set("monitoring_body", body, where)
    if not rec.recommendation:
        rec.recommendation = recommendation_from_prose(doc)
    if kind.kind == "action_plan":
        _fill_plan(f, tb)
    elif kind.kind in MEETING_KINDS:
        _fill_meeting(f, doc, kind.kind)
    elif kind.kind == "committee_report":
        _fill_report(f, doc, tb)
    _clear_meeting_fields(rec)
    _fill_own_title(f, doc)
    lines = cell_lines(doc)  # once per paper: contact blocks and form cells are read from it
    _fill_form_title(f, lines)
    _fill_author(f, doc, kind.kind, lines)
    _finish(rec)
    return rec
