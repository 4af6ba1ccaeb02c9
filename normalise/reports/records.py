"""Records for committee reports: header facts, key figures and mentions of plan actions.

Kept apart from ``records.py`` (action rows) because they are produced by a different reader
(``normalise/reports/extract.py``) and land in their own tables: reports.csv, figures.csv, mentions.csv.
Like actions, every normalised value keeps its printed form (``*_raw``) and where it came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from ..records import plain

# reports.csv opens with exactly these columns, in this order (issue #4).
REPORT_CORE = ("source_file", "sha256", "authority", "committee", "meeting_date", "title", "report_of",
               "author", "doc_kind", "period_covered")


def _flat(d: dict[str, object]) -> dict[str, object]:
    """Lists become "; "-joined text so every writer (CSV, parquet, xlsx) sees scalars."""
    return {k: "; ".join(str(x) for x in v) if isinstance(v, list) else v for k, v in d.items()}


@dataclass
class ReportRecord:
    source_file: str
    sha256: str
    authority: str = ""
    committee: str = ""
    meeting_date: str = ""  # ISO
    title: str = ""
    report_of: str = ""
    author: str = ""
    doc_kind: str = ""  # committee_report | action_plan | minutes | agenda | decision_record | appendix | other
    period_covered: str = ""  # ISO interval, e.g. 2017-04/2017-08
    recommendation: str = ""
    # the plan's own header block
    plan_name: str = ""
    duration: str = ""  # ISO interval
    review_date: str = ""  # ISO
    owner: str = ""
    monitoring_body: str = ""
    frequency: str = ""
    document_date: str = ""  # a date printed as the document's own date ("February 2016")
    # raw values of normalised fields
    meeting_date_raw: str = ""
    period_raw: str = ""
    duration_raw: str = ""
    review_date_raw: str = ""
    document_date_raw: str = ""
    authority_evidence: str = ""  # the text the authority was read from
    # provenance: field -> where it was read ("line 2", "table 0 row 1", "page 1")
    provenance: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # added by issue 11 (kept at the end so existing readers see the same columns first)
    doc_subkind: str = ""  # equality_impact_assessment | inspection_report | letter | ... when plain
    evidence: dict[str, str] = field(default_factory=dict)  # field -> the printed line it was read from

    def identified(self) -> bool:
        """Whether the paper is of a known kind (a document of kind ``other`` with no subkind is
        a record of nothing found: its file's status stays ``no_actions``)."""
        return self.doc_kind not in ("", "other") or bool(self.doc_subkind)

    def to_row(self) -> dict[str, object]:
        d = _flat(plain(self))
        d["provenance"] = "; ".join(f"{k}={v}" for k, v in sorted(self.provenance.items()))
        d["evidence"] = json.dumps(self.evidence, ensure_ascii=False, sort_keys=True) if self.evidence else ""
        return d


@dataclass
class FigureRecord:
    figure_id: str
    source_file: str
    sha256: str
    value: str  # the number as printed, sign kept, commas dropped ("6", "97.8", "-290.5"); "11-24" for a range
    # count | percent | percentage_points | £ | £k | £m | £bn | FTE | minutes | hours | days | working_days |
    # weeks | months | years | fraction | range  (dates, years and periods are never figures)
    unit: str
    counts_what: str = ""  # noun phrase the number is about
    sentence: str = ""
    raw: str = ""  # the figure as printed ("six actions", "86%", "April to August 2017")
    page: int | None = None
    line: int | None = None
    block: int | None = None  # index of the block in the document's reading order
    warnings: list[str] = field(default_factory=list)

    def to_row(self) -> dict[str, object]:
        return _flat(plain(self))


@dataclass
class MentionRecord:
    mention_id: str
    source_file: str
    sha256: str
    text: str
    context: str = ""  # what the report says the list is ("amber", "completed", ...)
    status_claimed: str = ""  # rag word the report gives the item: red | amber | green | completed
    action_id: str = ""
    action_source_file: str = ""
    action_ref: str = ""
    score: float | None = None  # 0..100
    matched_on: str = ""  # which action field(s) matched best: action | aim | comments
    reason: str = ""  # why linked, or why not
    page: int | None = None
    line: int | None = None
    list_id: str = ""  # items of one list in the report share it; they name distinct actions
    report_date: str = ""  # meeting date (or period end) of the report: lets linking prefer the right plan version

    def to_row(self) -> dict[str, object]:
        return _flat(plain(self))


REPORT_COLUMNS = tuple(f.name for f in fields(ReportRecord))
FIGURE_COLUMNS = tuple(f.name for f in fields(FigureRecord))
MENTION_COLUMNS = tuple(f.name for f in fields(MentionRecord))
assert REPORT_COLUMNS[: len(REPORT_CORE)] == REPORT_CORE
