"""What kind of paper a document is: committee_report, action_plan, minutes, agenda,
decision_record, appendix or other, with a finer ``doc_subkind`` where the paper says it plainly.

The cues are data (``doc_kinds.json``): a paper says what it is in its opening lines ("MINUTES
of a meeting of the Cabinet", "RECORD OF DECISION", "AGENDA").  Those come first because an
agenda or minutes also carry "To: All Members of the County Council", which alone would look
like a report header.  A plan is known by its action table, a report by its header block; the
file name is only a last resort ("Appendix 7 - ...pdf").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ...parsers.model import Document
from ..records import ActionRecord
from .header import HeaderValue

KINDS = ("committee_report", "action_plan", "minutes", "agenda", "decision_record", "appendix", "other")
_FIRST = ("decision_record", "agenda", "minutes")  # kinds whose opening-line cue beats any header block
_REPORT_MARKERS = re.compile(r"\bMembers are (?:asked|requested)\b|\bReport of\b|\bReport author\b|"
                             r"\bRecommendations? to (?:the )?(?:Committee|Members|Cabinet)\b|"
                             r"\bPurpose of (?:the )?Report\b", re.I)


@dataclass(frozen=True)
class KindSettings:
    head_lines: int = 8  # opening non-empty lines a kind cue is looked for in (per-cue "window" overrides)
    plan_fields: int = 2  # plan header labels (Name:, Duration:, Owner: ...) that make a plan
    report_fields: int = 1  # report labels besides the title (From:, To:, Date: ...) that make a report


@dataclass
class Cue:
    kind: str
    subkind: str
    head: tuple[re.Pattern[str], ...]
    name: tuple[re.Pattern[str], ...]
    window: int


@dataclass
class KindFinding:
    kind: str
    subkind: str = ""
    evidence: str = ""  # the line (or file name) that decided it


@lru_cache(maxsize=1)
def _cues() -> tuple[Cue, ...]:
    raw = json.loads(resources.files(__package__).joinpath("doc_kinds.json").read_text(encoding="utf-8"))
    return tuple(Cue(k["kind"], k.get("subkind", ""), tuple(re.compile(p, re.I) for p in k.get("head", ())),
                     tuple(re.compile(p, re.I) for p in k.get("name", ())), k.get("window", 0))
                 for k in raw["kinds"])


def _block_lines(doc: Document) -> Iterator[str]:
    """The document's text lines in reading order, table cells one by one, produced lazily so
    that reading the opening lines never builds the whole text."""
    for b in doc.blocks:
        if b.kind == "table" and b.table is not None:
            for r in range(b.table.n_rows):
                yield from b.table.row_texts(r)
        elif b.kind == "key_value":
            yield f"{b.key}\t{b.value}"
        else:
            yield b.text


def head_lines(doc: Document, n: int) -> list[str]:
    """The first ``n`` non-empty lines of the text (a table cell is a line; a cell repeated
    across a merged region is read once)."""
    out: list[str] = []
    for text in _block_lines(doc):
        for line in (text or "").split("\n"):
            for part in line.split("\t"):
                if part.strip() and (not out or out[-1] != part.strip()):
                    out.append(part.strip())
                    if len(out) >= n:
                        return out
    return out


def _head_cue(doc: Document, cue: Cue, settings: KindSettings) -> str:
    for line in head_lines(doc, cue.window or settings.head_lines):
        if any(p.search(line) for p in cue.head):
            return line
    return ""


def _file_name(doc: Document) -> str:
    return re.split(r"[\\/]", doc.path or "")[-1]


def classify(doc: Document, header: dict[str, HeaderValue], actions: list[ActionRecord], status: list[str],
             title_guess: str, settings: KindSettings | None = None) -> KindFinding:
    """The paper's kind and the evidence for it; never empty (``other`` when nothing says)."""
    settings = settings or KindSettings()
    cues = _cues()
    for cue in cues:
        if cue.kind in _FIRST and cue.head:
            line = _head_cue(doc, cue, settings)
            if line:
                return KindFinding(cue.kind, cue.subkind, line)
    plan = _plan_or_report(doc, header, actions, status, title_guess, settings)
    if plan is not None:
        return plan
    for cue in cues:
        if cue.kind not in _FIRST and cue.head:
            line = _head_cue(doc, cue, settings)
            if line:
                return KindFinding(cue.kind, cue.subkind, line)
    name = _file_name(doc)
    for cue in cues:
        if any(p.search(name) for p in cue.name):
            return KindFinding(cue.kind, cue.subkind, f"file name: {name}")
    if _REPORT_MARKERS.search(doc.text()[:20000]):
        return KindFinding("committee_report", "", "report wording")
    return KindFinding("other", "", "")


def _is_report_header(header: dict[str, HeaderValue], status: list[str], settings: KindSettings) -> list[str]:
    """The report labels that make ``header`` a report's cover (empty when it is not one)."""
    report: list[str] = [k for k in ("report_of", "author", "committee", "date") if k in header]
    plan = [k for k in ("plan_name", "duration", "owner", "review_date", "monitoring_body") if k in header]
    cover = bool(status) or ("committee" in header and ("date" in header or "report_of" in header))
    titled = len(report) >= settings.report_fields and "title" in header and len(plan) < settings.plan_fields
    return (report or ["status"]) if cover or titled else []


def _plan_or_report(doc: Document, header: dict[str, HeaderValue], actions: list[ActionRecord],
                    status: list[str], title_guess: str, settings: KindSettings) -> KindFinding | None:
    report = _is_report_header(header, status, settings)
    if report:
        return KindFinding("committee_report", "", "header: " + ", ".join(report))
    plan = [k for k in ("plan_name", "duration", "owner", "review_date", "monitoring_body") if k in header]
    if actions or len(plan) >= settings.plan_fields:
        return KindFinding("action_plan", "", "action table" if actions else "header: " + ", ".join(plan))
    if title_guess and re.search(r"\bplan\b", title_guess, re.I) and doc.tables():
        return KindFinding("action_plan", "", f"title: {title_guess}")
    return None
