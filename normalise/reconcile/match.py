"""Match the actions of two versions of a plan: one-to-one links, then splits and merges.

The steps, each kept simple enough to explain to an auditor:

1. **Candidates.**  Small plans compare every old action with every new one.  Big plans
   (more than ``ReconcileSettings.full_pairs_limit`` pairs) are blocked: pairs sharing uncommon words, pairs
   with the same wording, and pairs in the same gap between neighbouring matches; so a
   10,000 x 10,000 reconcile never builds a dense matrix or a Python double loop.
2. **Anchors.**  Pairs whose wording is nearly identical and that are each other's best
   match; the longest run of them that keeps plan order (moved actions fall out) tells
   every other action where it should sit and how its ref should have been renumbered.
3. **Evidence.**  Every candidate is scored with :mod:`.compare` (wording, aim, measure,
   comments, section, lead, dates, ref-as-tree-path, position); the match weight is the sum.
4. **Assignment.**  One-to-one over the whole version pair, maximising the total weight
   above the threshold (scipy ``linear_sum_assignment``; its sparse twin for big plans),
   so a pair is linked only when it beats every alternative for both of its actions.
5. **Splits and merges.**  An unmatched new action whose words come from an old action that
   is already linked, and which together with that link covers the old wording, is a part
   of a split (merges the other way round).
6. **Relation.**  same, reworded, renumbered, moved, split or merged, with the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from ..records import ActionRecord
from . import compare as C
from .candidates import Candidates, add_window_pairs, anchors, candidates, contexts, label
from .parts import Part, find_parts
from .settings import DEFAULT, ReconcileSettings

RELATION_ORDER = ("same", "reworded", "renumbered", "moved", "split", "merged")


@dataclass
class Link:
    old: int  # index of the action in the old version
    new: int  # index in the new version
    relation: str
    weight: float  # summed match weight
    score: float  # in [0, 1]: 0.5 at the threshold
    evidence: list[C.Evidence]
    reasons: str
    text_similarity: float
    primary: bool = True  # the one-to-one link; False for the extra parts of a split/merge
    low_confidence: bool = False
    runner_up: float | None = None  # weight of the best alternative for either action


@dataclass
class PairResult:
    links: list[Link]
    added: list[int]  # new indexes with no link
    dropped: list[int]  # old indexes with no link
    stats: dict[str, int] = field(default_factory=dict)


def score_of(weight: float, threshold: float = DEFAULT.threshold) -> float:
    """Match weight -> [0, 1] (logistic in log2 odds, centred on the threshold)."""
    return float(1.0 / (1.0 + 2.0 ** (-(weight - threshold))))


# ---------------------------------------------------------------------------- scoring


class Scorer:
    """Every piece of evidence for one candidate pair (see :mod:`.compare`)."""

    def __init__(self, po: list[C.Prepared], pn: list[C.Prepared], wins: list[C.Window | None],
                 refs: list[C.RefContext | None]) -> None:
        self.po, self.pn, self.wins, self.refs = po, pn, wins, refs
        self.cache: dict = {}

    def evidence(self, i: int, j: int, sim: float | None = None) -> list[C.Evidence]:
        a, b = self.po[i], self.pn[j]
        return [
            C.text_evidence(a, b, sim),
            C.aim_evidence(a, b, self.cache),
            C.measure_evidence(a, b, self.cache),
            C.comments_evidence(a, b),
            C.section_evidence(a, b, self.cache),
            C.lead_evidence(a, b),
            C.date_evidence(a, b),
            C.ref_evidence(a, b, self.refs[i]),
            C.position_evidence(a, b, self.wins[i]),
        ]

    def weight(self, i: int, j: int, sim: float | None = None) -> float:
        return sum(C.weight(e) for e in self.evidence(i, j, sim))


def explain(evidence: list[C.Evidence]) -> str:
    """"text: reworded (0.72) +3.4; aim: ..." - every piece of evidence with its weight."""
    parts = []
    for e in evidence:
        if e.score is None:
            continue
        parts.append(f"{e.name}: {e.reason} {C.weight(e):+.1f}")
    return "; ".join(parts)


def _weights(c: Candidates, scorer: Scorer, anchor_pairs: list[tuple[int, int]], n_old: int, n_new: int
             ) -> tuple[np.ndarray, int]:
    """Match weight of every candidate; -inf for pairs not worth scoring.  A pair whose two
    actions are each anchored to a different partner (near-verbatim, mutually best, in order)
    would have to break two such matches to win."""
    anchor_o = np.full(n_old, -1, dtype=np.int64)
    anchor_n = np.full(n_new, -1, dtype=np.int64)
    for i, j in anchor_pairs:
        anchor_o[i], anchor_n[j] = j, i
    oi, nj = c.oi, c.nj
    scored = ~((anchor_o[oi] >= 0) & (anchor_o[oi] != nj) & (anchor_n[nj] >= 0) & (anchor_n[nj] != oi))
    w = np.full(len(oi), -np.inf)
    for q in np.flatnonzero(scored).tolist():
        w[q] = scorer.weight(int(oi[q]), int(nj[q]), float(c.sims[q]))
    return w, int(scored.sum())


# ---------------------------------------------------------------------------- assignment


def assign(oi: np.ndarray, nj: np.ndarray, w: np.ndarray, n_old: int, n_new: int,
           s: ReconcileSettings = DEFAULT) -> list[tuple[int, int]]:
    """Maximise the summed (weight - threshold) over one-to-one pairs above the threshold."""
    gain = w - s.threshold
    ok = gain > 0
    oi, nj, gain = oi[ok], nj[ok], gain[ok]
    if len(oi) == 0:
        return []
    if n_old * n_new <= s.dense_limit:
        benefit = np.zeros((n_old, n_new))
        benefit[oi, nj] = gain
        rows, cols = linear_sum_assignment(benefit, maximize=True)
        return sorted((int(r), int(c)) for r, c in zip(rows, cols, strict=True) if benefit[r, c] > 0)
    # Sparse twin: every old action may instead take its own "unmatched" slot and every new
    # action likewise; a full matching always exists, and its optimum is the partial optimum.
    # Costs are shifted to stay non-zero (zero entries would not be edges).
    n_e = len(oi)
    big = float(gain.max()) + 1.0
    rows = np.concatenate([oi, np.arange(n_old), n_old + nj, n_old + np.arange(n_new)])
    cols = np.concatenate([nj, n_new + np.arange(n_old), n_new + oi, np.arange(n_new)])
    cost = np.concatenate([big - gain, np.full(n_old, big), np.full(n_e, big), np.full(n_new, big)])
    g = coo_matrix((cost, (rows, cols)), shape=(n_old + n_new, n_new + n_old)).tocsr()
    r, c = min_weight_full_bipartite_matching(g)
    return sorted((int(a), int(b)) for a, b in zip(r, c, strict=True) if a < n_old and b < n_new)


def runner_up(c: Candidates, w: np.ndarray, match_old: list[int], s: ReconcileSettings
              ) -> dict[tuple[int, int], float]:
    """For each linked pair, the best weight any alternative candidate has for either side."""
    best_o: dict[int, float] = {}
    best_n: dict[int, float] = {}
    for i, j, x in zip(c.oi.tolist(), c.nj.tolist(), w.tolist(), strict=True):
        if match_old[i] == j:
            continue
        if x > best_o.get(i, -1e9):
            best_o[i] = x
        if x > best_n.get(j, -1e9):
            best_n[j] = x
    out = {}
    for i, j in enumerate(match_old):
        if j < 0:
            continue
        r = max(best_o.get(i, -1e9), best_n.get(j, -1e9))
        if r > s.threshold - 1e-9:
            out[(i, j)] = r
    return out


# ---------------------------------------------------------------------------- relation


def relation_of(a: C.Prepared, b: C.Prepared, sim: float, s: ReconcileSettings = DEFAULT) -> str:
    if a.section and b.section and C.text_similarity(a.section, b.section) < s.moved_section_similarity:
        return "moved"
    if a.text != b.text and (a.text or b.text):
        return "reworded"
    if a.path != b.path:
        return "renumbered"
    return "same"


@dataclass
class _Match:
    """What one version pair's matching knows once the one-to-one assignment is made."""

    po: list[C.Prepared]
    pn: list[C.Prepared]
    scorer: Scorer
    match_old: list[int]
    match_new: list[int]
    settings: ReconcileSettings


def _primary_link(m: _Match, i: int, j: int, rel_override: str | None, runner: float | None) -> Link:
    s = m.settings
    ev = m.scorer.evidence(i, j)
    wt = sum(C.weight(e) for e in ev)
    a, b = m.po[i], m.pn[j]
    sim = C.text_similarity(a.text, b.text) if a.text and b.text else 0.0
    rel = rel_override or relation_of(a, b, sim, s)
    sc = score_of(wt, s.threshold)
    close = runner is not None and wt - runner < s.runner_up_margin
    reasons = explain(ev)
    if close:
        reasons += f"; runner-up weight {runner:+.1f} is close"
    return Link(i, j, rel, round(wt, 3), round(sc, 4), ev, reasons, round(sim, 4),
                low_confidence=sc < s.low_confidence or close,
                runner_up=None if runner is None else round(runner, 3))


def _part_link(m: _Match, p: Part, kind: str) -> Link:
    ev = m.scorer.evidence(p.old, p.new)
    wt = sum(C.weight(e) for e in ev)
    sim = C.text_similarity(m.po[p.old].text, m.pn[p.new].text)
    if kind == "split":
        why = (f"split: {p.contained:.0%} of this part's words come from old {label(m.po[p.old])}; with "
               f"new {label(m.pn[m.match_old[p.old]])} the parts cover {p.cover:.0%} of the old wording")
    else:
        why = (f"merged: {p.contained:.0%} of old {label(m.po[p.old])}'s words are in this action; with old "
               f"{label(m.po[m.match_new[p.new]])} the parts cover {p.cover:.0%} of the new wording")
    conf = p.cover * p.contained
    return Link(p.old, p.new, kind, round(wt, 3), round(max(score_of(wt, m.settings.threshold), conf), 4), ev,
                why + "; " + explain(ev), round(sim, 4), primary=False,
                low_confidence=conf < m.settings.low_confidence)


def _links(m: _Match, pairs: list[tuple[int, int]], best_other: dict[tuple[int, int], float],
           splits: list[Part], merges: list[Part]) -> list[Link]:
    split_old = {p.old for p in splits}
    merge_new = {p.new for p in merges}
    links: list[Link] = []
    for i, j in pairs:
        rel = "split" if i in split_old else "merged" if j in merge_new else None
        links.append(_primary_link(m, i, j, rel, best_other.get((i, j))))
    links += [_part_link(m, p, "split") for p in splits]
    links += [_part_link(m, p, "merged") for p in merges]
    _choose_primaries(links)
    links.sort(key=lambda lk: (lk.old, lk.new))
    return links


# ---------------------------------------------------------------------------- main


def reconcile_pair(old: list[ActionRecord], new: list[ActionRecord], *,
                   settings: ReconcileSettings | None = None,
                   full_pairs_limit: int | None = None) -> PairResult:
    """Link the actions of ``old`` to those of ``new`` (both in document order)."""
    s = settings or DEFAULT
    if full_pairs_limit is not None:
        from dataclasses import replace

        s = replace(s, full_pairs_limit=full_pairs_limit)
    po, pn = C.prepare(old), C.prepare(new)
    n_old, n_new = len(po), len(pn)
    stats = {"old": n_old, "new": n_new}
    if not n_old or not n_new:
        return PairResult([], list(range(n_new)), list(range(n_old)), stats)
    cand = candidates(po, pn, s)
    stats["blocking"] = int(cand.blocked)
    anchor_pairs = anchors(cand, n_old, n_new, s)
    wins, refs = contexts(po, pn, anchor_pairs, s)
    if cand.blocked:
        cand = add_window_pairs(po, pn, cand, wins, s)
    stats["candidates"] = int(len(cand.oi))
    stats["anchors"] = len(anchor_pairs)
    scorer = Scorer(po, pn, wins, refs)
    w, stats["scored"] = _weights(cand, scorer, anchor_pairs, n_old, n_new)
    pairs = assign(cand.oi, cand.nj, w, n_old, n_new, s)
    match_old = [-1] * n_old
    match_new = [-1] * n_new
    for i, j in pairs:
        match_old[i], match_new[j] = j, i
    cand_new_to_old: dict[int, list[int]] = {}
    for i, j in zip(cand.oi.tolist(), cand.nj.tolist(), strict=True):
        cand_new_to_old.setdefault(j, []).append(i)
    splits = find_parts(po, pn, match_old, match_new, cand_new_to_old, "old", s)
    merges = find_parts(po, pn, match_old, match_new, cand_new_to_old, "new", s)
    m = _Match(po, pn, scorer, match_old, match_new, s)
    links = _links(m, pairs, runner_up(cand, w, match_old, s), splits, merges)
    linked_old = {lk.old for lk in links}
    linked_new = {lk.new for lk in links}
    stats["links"] = len(links)
    return PairResult(links, [j for j in range(n_new) if j not in linked_new],
                      [i for i in range(n_old) if i not in linked_old], stats)


def _choose_primaries(links: list[Link]) -> None:
    """In a split (merge), the part closest in wording to the whole continues the lineage;
    the others start (end) their own.  Ties go to the earlier action."""
    for rel, key in (("split", "old"), ("merged", "new")):
        groups: dict[int, list[Link]] = {}
        for lk in links:
            if lk.relation == rel:
                groups.setdefault(getattr(lk, key), []).append(lk)
        for group in groups.values():
            other = "new" if key == "old" else "old"
            best = max(group, key=lambda lk, o=other: (lk.text_similarity, -getattr(lk, o)))  # type: ignore[misc]
            for lk in group:
                lk.primary = lk is best
