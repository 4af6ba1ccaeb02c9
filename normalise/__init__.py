"""Document model -> records.  Nothing here opens a file: input is a parsed Document.

``normalise_document`` is what the pipeline calls per file; ``link_batch`` runs once per batch
for what needs several documents at once (report mentions -> plan actions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..parsers.model import Document
from .records import ActionRecord


@dataclass
class Normalised:
    """Every record kind one document yields; each list becomes one output table."""

    actions: list[ActionRecord] = field(default_factory=list)
    reports: list = field(default_factory=list)  # ReportRecord (normalise/reports/extract.py)
    figures: list = field(default_factory=list)  # FigureRecord
    mentions: list = field(default_factory=list)  # MentionRecord
    warnings: list[str] = field(default_factory=list)
    # why each action table's columns got their roles (one line per table)
    columns: list[str] = field(default_factory=list)
    # set when the document looks like an action plan yet gave no actions: the one-line reason
    missed: str = ""
    missed_tables: int = 0  # ...and how many of its tables have action-like columns

    def tables(self) -> dict[str, list]:
        return {"actions": self.actions, "reports": self.reports, "figures": self.figures,
                "mentions": self.mentions}


def normalise_document(doc: Document) -> Normalised:
    """Every record kind from one parsed document; pure (no I/O), so it runs in any worker."""
    from .actions.extract import read_plan
    from .reports.extract import extract_report

    out = Normalised()
    plan = read_plan(doc)
    out.actions, out.columns = plan.actions, plan.columns
    out.missed, out.missed_tables = plan.missed, plan.missed_tables
    rep = extract_report(doc, out.actions)
    out.reports, out.figures, out.mentions = rep.reports, rep.figures, rep.mentions
    return out


def link_batch(results: list[Normalised]) -> None:
    """Cross-document work after a batch: link report mentions to actions of plans in the run."""
    from .reports.mentions import link_mentions

    actions = [a for r in results for a in r.actions]
    reports = [rep for r in results for rep in r.reports]
    # reports let a mention pick the plan version the committee actually saw (not a later one)
    link_mentions([m for r in results for m in r.mentions], actions, reports=reports)
