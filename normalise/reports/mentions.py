"""Mentions of plan actions in a report, and their links to the actions themselves.

A report discusses a plan's actions in its own words ("There are six actions classed as
amber: 1. Common Assessment Framework (CAF) completion by partner agencies remains low ...").
``find_mentions`` reads those items: a numbered or bulleted list under a lead-in sentence that
talks about actions, or a clause list after "The two actions that ... have been completed;"
when the number of clauses matches the number stated.  ``link_mentions`` then links each item
to the action of another document in the batch that says the same thing.

Linking is fuzzy text matching, kept explainable: the mention and each action's action, aim
and comments text are reduced to word stems, compared with rapidfuzz, and the best field
counts.  A report that says "amber" about an item gets a bonus for an amber action and a
penalty for one the plan marks otherwise.  All of a report's mentions link into one plan
document (the one they agree with best, and when report dates are known, the latest plan
version not after the meeting), since a report discusses one version of one plan.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from ...parsers.model import Block, Document
from ..records import ActionRecord
from ..text.vocab import (
    COMPLETION_WORDS,
    LINKING_STOPWORDS,
    NUMBER_UNITS,
    RAG_STATUSES,
    REPORT_STATUS_CONTEXT,
    stem,
)
from .records import MentionRecord, ReportRecord

THRESHOLD = 55.0  # below this the best candidate is reported, not linked
STATUS_BONUS = 12.0
STATUS_PENALTY = 12.0

# A colour or completion word a report says about a list of actions ("six actions classed as
# amber"): colour names and completion words only, because prose uses "delayed" or "on track"
# loosely (they count as context, not as a claimed colour).
_CLAIMED_STATUS = {w: v for w, v in RAG_STATUSES.items() if w == v or w in COMPLETION_WORDS}
_STATUS_RE = re.compile(r"\b(" + "|".join(sorted(_CLAIMED_STATUS, key=len, reverse=True)) + r")\b", re.I)
_CONTEXT_RE = re.compile(r"\b(" + "|".join(
    re.escape(w).replace("\\-", "[- ]").replace("\\ ", "[- ]")
    for w in sorted(set(_CLAIMED_STATUS) | REPORT_STATUS_CONTEXT, key=len, reverse=True)) + r")\b", re.I)
_LEAD_IN = re.compile(r"\b(?:actions?|items?|recommendations?|tasks?)\b", re.I)
_ITEM_NUMBER = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[-*\u2022\u25cf\u25aa\u2013])\s+")
_COUNT_LEAD = re.compile(r"\b(?P<n>\d{1,2}|" + "|".join(NUMBER_UNITS) + r")\s+(?:\w+\s+){0,2}?"
                         r"(?:actions|items|recommendations|tasks)\b", re.I)


def _where(b: Block) -> tuple[int | None, int | None]:
    return b.prov.page, b.prov.line


def _status(text: str) -> str:
    m = _STATUS_RE.search(text)
    return _CLAIMED_STATUS[m.group(1).lower()] if m else ""


def _context(text: str) -> str:
    m = _CONTEXT_RE.search(text)
    return m.group(1).lower() if m else ""


def _is_item(b: Block) -> bool:
    return b.kind == "list_item" or (b.kind == "paragraph" and bool(re.match(r"^\s*\d{1,2}[.)]\s+\S", b.text)))


def _lead_in(text: str) -> bool:
    t = text.strip()
    return bool(t.endswith(":") and _LEAD_IN.search(t)) or bool(
        re.search(r"\b(?:actions?|items?)\b.*\b(?:are|is|include|includes|as follows|below)\s*:?\s*$", t, re.I)
        and t.endswith(":"))


def find_mentions(doc: Document, report: ReportRecord | None = None) -> list[MentionRecord]:
    """Items of the report that name plan actions, in reading order (unlinked)."""
    out: list[MentionRecord] = []
    stem = (doc.sha256 or "doc")[:12]
    report_date = ""
    if report is not None:
        report_date = report.meeting_date or report.period_covered.split("/")[-1]

    lists = 0

    def add(text: str, lead: str, b: Block) -> None:
        text = _ITEM_NUMBER.sub("", text, count=1).strip()
        if len(text.split()) < 2:
            return
        page, line = _where(b)
        out.append(MentionRecord(
            mention_id=f"{stem}-M{len(out) + 1:03d}", source_file=doc.path, sha256=doc.sha256, text=text,
            context=_context(lead), status_claimed=_status(lead), page=page, line=line,
            list_id=f"L{lists}", report_date=report_date))

    blocks = [b for b in doc.blocks if b.kind != "table"]
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind in ("paragraph", "heading", "list_item") and b.text and _lead_in(b.text):
            lists += 1
            j = i + 1
            while j < len(blocks) and _is_item(blocks[j]):
                add(blocks[j].text, b.text, blocks[j])
                j += 1
            if j > i + 1:
                i = j
                continue
        if b.text:
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", b.text):
                if _clause_list(sentence):
                    lists += 1
                    for part in _clause_list(sentence):
                        add(part, sentence, b)
        i += 1
    return out


def _clause_list(sentence: str) -> list[str]:
    """"The two actions that needed attention have been completed; X has been launched, and Y."

    Read only when the clauses after the semicolon or colon are exactly as many as the number
    of actions the lead clause states, so ordinary prose is not cut into fake items."""
    m = re.match(r"^(?P<lead>[^;:]{10,200})[;:]\s*(?P<rest>.+)$", sentence)
    if not m:
        return []
    cm = _COUNT_LEAD.search(m.group("lead"))
    if not cm:
        return []
    n_txt = cm.group("n").lower()
    n = int(n_txt) if n_txt.isdigit() else NUMBER_UNITS.get(n_txt, 0)
    parts = [p.strip(" .") for p in re.split(r";\s*|,\s*and\s+|\s+and\s+(?=the\b)|,\s+(?=the\b)", m.group("rest"))]
    parts = [p for p in parts if len(p.split()) >= 3]
    return parts if n >= 2 and len(parts) == n else []


# ---------------------------------------------------------------------------------------------
# linking



MAX_PLANS = 5  # plans per report scored in full, after the word-overlap shortlist


@lru_cache(maxsize=65536)
def stems(text: str) -> str:
    """Stemmed content words; cached because every mention is scored against every action."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text or "")
    expanded = []
    for w in words:
        expanded.append(w)
        if "-" in w:
            expanded.extend(w.split("-"))
    return " ".join(stem(w) for w in expanded if w.lower() not in LINKING_STOPWORDS and len(w) > 1)


def _acronyms(text: str) -> set[str]:
    return set(re.findall(r"\b[A-Z]{2,6}s?\b", text or ""))


def _text_score(mention: str, candidate: str) -> float:
    """Similarity of a short mention to one action field, 0..100.

    token_set_ratio rewards a mention whose words all occur in a longer action, but also a short
    action whose few words occur in a long mention; the share of the mention's own words found in
    the action (coverage) and partial_ratio temper that."""
    a, b = stems(mention), stems(candidate)
    if not a or not b:
        return 0.0
    mine, theirs = set(a.split()), set(b.split())
    coverage = 100.0 * len(mine & theirs) / len(mine)
    # a field much shorter than the mention ("complete") cannot vouch for all of it
    shortness = min(1.0, len(theirs) / len(mine))
    return shortness * (0.5 * fuzz.token_set_ratio(a, b) + 0.2 * fuzz.partial_ratio(a, b)) + 0.3 * coverage


def score_action(m: MentionRecord, a: ActionRecord) -> tuple[float, str, float]:
    """(final score, best field, text score before status adjustment)."""
    fields = {"action": a.action, "aim": a.aim, "comments": a.comments}
    scores = {k: _text_score(m.text, v) for k, v in fields.items() if v}
    if not scores:
        return 0.0, "", 0.0
    best_field = max(scores, key=lambda k: scores[k])
    text = scores[best_field]
    # a second field that also agrees is further evidence
    others = sorted((v for k, v in scores.items() if k != best_field), reverse=True)
    if others:
        text = min(100.0, text + 0.1 * others[0])
    shared = {x.rstrip("s") for x in _acronyms(m.text)} & {x.rstrip("s") for x in _acronyms(" ".join(fields.values()))}
    if shared:
        text = min(100.0, text + 5.0)
    final = text
    rag = (a.rag or "").lower()
    if m.status_claimed and rag:
        final += STATUS_BONUS if rag == m.status_claimed else -STATUS_PENALTY
    return max(0.0, min(100.0, final)), best_field, text


def _label(a: ActionRecord) -> str:
    return f"{a.ref or '(no ref)'} [{(a.section or '')[:40]}]"


def _plan_dates(reports: list[ReportRecord] | None) -> dict[str, str]:
    out = {}
    for r in reports or []:
        if r.doc_kind == "action_plan":
            out[r.source_file] = r.review_date or r.document_date or r.duration.split("/")[0]
    return out


def link_mentions(mentions: list[MentionRecord], actions: list[ActionRecord],
                  reports: list[ReportRecord] | None = None) -> None:
    """Fill each mention's link in place, to an action of another document of the batch.

    ``reports`` is optional; with it, plan versions dated after a report's meeting are not
    used for that report when an earlier version is in the batch."""
    plan_dates = _plan_dates(reports)
    vocab: dict[str, set[str]] = {}
    by_doc: dict[str, list[ActionRecord]] = {}
    for a in actions:
        by_doc.setdefault(a.source_file, []).append(a)
        vocab.setdefault(a.source_file, set()).update(
            stems(" ".join((a.action or "", a.aim or "", a.comments or ""))).split())
    by_report: dict[str, list[MentionRecord]] = {}
    for m in mentions:
        by_report.setdefault(m.source_file, []).append(m)
    for source, group in by_report.items():
        docs = {d: acts for d, acts in by_doc.items() if d != source}
        if not docs:
            for m in group:
                _unlink(m, "no plan actions from another document in this batch")
            continue
        _link_report(group, docs, plan_dates, vocab)


def _eligible(group: list[MentionRecord], docs: dict[str, list[ActionRecord]], plan_dates: dict[str, str]
              ) -> tuple[dict[str, list[ActionRecord]], str]:
    """The plans a report may speak of: not versions dated after its meeting (unless all are)."""
    report_date = next((m.report_date for m in group if m.report_date), "")
    eligible = {d: acts for d, acts in docs.items()
                if not (report_date and plan_dates.get(d) and plan_dates[d][:7] > report_date[:7])}
    if not eligible:
        return docs, " (every plan in the batch is dated after the report)"
    return eligible, ""


def _link_report(group: list[MentionRecord], docs: dict[str, list[ActionRecord]], plan_dates: dict[str, str],
                 vocab: dict[str, set[str]]) -> None:
    """One report's mentions: the plan that fits them best, then one action per mention."""
    eligible, note = _eligible(group, docs, plan_dates)
    n_plans = len(eligible)
    eligible = _shortlist(group, eligible, vocab)
    matrices = {d: [[score_action(m, a) for a in acts] for m in group] for d, acts in eligible.items()}

    def mean_best(d: str) -> tuple[float, str]:
        rows = matrices[d]
        return round(sum(max(s[0] for s in row) for row in rows) / len(rows), 1), plan_dates.get(d, "")

    chosen = max(matrices, key=mean_best)
    shortlist = f", {len(matrices)} shortlisted by shared words" if len(matrices) < n_plans else ""
    why_doc = (f"plan {chosen} chosen from {n_plans} in batch (best mean score{shortlist})" if n_plans > 1
               else f"only plan in batch: {chosen}") + note
    _assign(group, eligible[chosen], matrices[chosen], why_doc)


def _shortlist(group: list[MentionRecord], docs: dict[str, list[ActionRecord]],
               vocab: dict[str, set[str]]) -> dict[str, list[ActionRecord]]:
    """Only the plans whose wording covers most of the report's mentions are scored in full:
    an archive run holds thousands of plans and a report talks about one of them."""
    words = set(stems(" ".join(m.text for m in group)).split())
    if len(docs) <= MAX_PLANS or not words:
        return docs
    ranked = sorted(docs, key=lambda d: (-len(words & vocab.get(d, set())), d))
    return {d: docs[d] for d in ranked[:MAX_PLANS]}


def _picks(group: list[MentionRecord], acts: list[ActionRecord], matrix: list[list[tuple[float, str, float]]]
           ) -> dict[int, int]:
    """Mention index -> action index: one-to-one within each list (Hungarian), best otherwise."""
    from scipy.optimize import linear_sum_assignment

    lists: dict[str, list[int]] = {}
    for i, m in enumerate(group):
        lists.setdefault(m.list_id or f"single{i}", []).append(i)
    pick: dict[int, int] = {}
    for idx in lists.values():
        if len(idx) > 1 and len(acts) >= len(idx):
            cost = [[-matrix[i][j][0] for j in range(len(acts))] for i in idx]
            rows, cols = linear_sum_assignment(cost)
            for r, c in zip(rows, cols, strict=True):
                pick[idx[r]] = int(c)
        else:
            for i in idx:
                pick[i] = max(range(len(acts)), key=lambda j, i=i: (matrix[i][j][0], -acts[j].seq))  # type: ignore[misc]
    return pick


def _assign(group: list[MentionRecord], acts: list[ActionRecord], matrix: list[list[tuple[float, str, float]]],
            why_doc: str) -> None:
    """Items of one list name distinct actions: solve the one-to-one assignment per list
    (scipy's Hungarian method) so two items never share an action; single items take their best."""

    pick = _picks(group, acts, matrix)
    for i, m in enumerate(group):
        j = pick[i]
        score, fld, _ = matrix[i][j]
        a = acts[j]
        order = sorted(range(len(acts)), key=lambda k, i=i: (-matrix[i][k][0], acts[k].seq))  # type: ignore[misc]
        alt = next((k for k in order if k != j), None)
        tail = f"; next best {_label(acts[alt])} {matrix[i][alt][0]:.0f}" if alt is not None else ""
        if order[0] != j:
            tail += " (assigned to another item of this list: one action per item)"
        if score >= THRESHOLD:
            m.action_id, m.action_source_file, m.action_ref = a.action_id, a.source_file, a.ref
            m.score, m.matched_on = round(score, 1), fld
            status = ""
            if m.status_claimed and a.rag:
                status = "; status agrees" if a.rag.lower() == m.status_claimed else \
                    f"; status differs (plan: {a.rag})"
            m.reason = f"best match on {fld}{status}{tail}; {why_doc}"
        else:
            _unlink(m, f"best candidate {_label(a)} scored {score:.0f} < {THRESHOLD:.0f}; {why_doc}")
            m.score = round(score, 1)


def _unlink(m: MentionRecord, reason: str) -> None:
    m.action_id = m.action_source_file = m.action_ref = m.matched_on = ""
    m.score = None
    m.reason = reason
