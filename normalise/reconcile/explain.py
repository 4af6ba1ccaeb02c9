"""Flags and matches in words, for the auditor's report and workbook.

An auditor reads "end date slipped: 2017-06 -> 2017-09 (92 days later)", not a flag code, and
"low-confidence match: another candidate is almost as good (+4.1 against +5.0)", not
"score 0.85".  Both writers (HTML and XLSX) take their wording from here, so they agree.
"""

from __future__ import annotations

from ..records import ActionRecord
from ..text.iso_bounds import last_day
from . import compare as C
from .match import Link
from .settings import DEFAULT, ReconcileSettings


def _or_empty(v: str) -> str:
    return v if v else "(empty)"


def days_slipped(old_end: str, new_end: str) -> int | None:
    """Days between the last day of the old end period and of the new one (None: not dates)."""
    a, b = last_day(old_end), last_day(new_end)
    return None if a is None or b is None else (b - a).days


def flag_detail(flag: str, a: ActionRecord, b: ActionRecord | None, link: Link | None) -> str:
    """What the flag means for this action, with the old and new values."""
    if flag == "dropped_not_completed" or b is None:
        return f"status {_or_empty(a.rag)} when dropped"
    if flag == "status_backwards":
        return f"status {_or_empty(a.rag)} -> {_or_empty(b.rag)}"
    if flag == "end_slipped":
        days = days_slipped(a.end, b.end)
        later = f" ({days} days later)" if days is not None and days > 0 else ""
        return f"end {_or_empty(a.end)} -> {_or_empty(b.end)}{later}"
    if flag == "lead_changed":
        return f"lead {_or_empty(a.lead)} -> {_or_empty(b.lead)}"
    if flag == "low_confidence" and link is not None:
        return low_confidence_reason(link)
    return ""


def low_confidence_reason(link: Link, settings: ReconcileSettings = DEFAULT) -> str:
    """Why a link goes to review, in words (with the numbers)."""
    s = settings
    parts = []
    if not link.primary:
        first = link.reasons.split("; ")[0]
        parts.append(f"only part of the wording carries over ({first})")
    if link.runner_up is not None and link.weight - link.runner_up < s.runner_up_margin:
        parts.append(f"another candidate is almost as good (weight {link.runner_up:+.1f} against "
                     f"{link.weight:+.1f}; a clear match leads by {s.runner_up_margin:g})")
    if link.primary and link.score < s.low_confidence:
        parts.append(f"weak evidence: total weight {link.weight:+.1f}, close to the linking threshold "
                     f"{s.threshold:+.1f}")
    strongest = _strongest(link)
    if strongest:
        parts.append(strongest)
    return "; ".join(parts) or f"score {link.score:.2f}"


def _strongest(link: Link) -> str:
    """The piece of evidence that counts most for and against the match."""
    weighed = [(C.weight(e), e) for e in link.evidence if e.score is not None]
    pro = max(weighed, key=lambda t: t[0], default=None)
    con = min(weighed, key=lambda t: t[0], default=None)
    out = []
    if pro is not None and pro[0] > 0:
        out.append(f"most for it: {pro[1].reason} ({pro[0]:+.1f})")
    if con is not None and con[0] < 0:
        out.append(f"most against: {con[1].reason} ({con[0]:+.1f})")
    return "; ".join(out)
