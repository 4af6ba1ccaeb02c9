"""Match the actions of two versions of a plan: one-to-one links, then splits and merges.

The steps, each kept simple enough to explain to an auditor:

1. **Candidates.**  Small plans compare every old action with every new one.  Big plans
   (more than :data:`FULL_PAIRS_LIMIT` pairs) are blocked: pairs sharing uncommon words, pairs
   with the same wording, and pairs in the same gap between neighbouring matches; so a
   10,000 x 10,000 reconcile never builds a dense matrix or a Python double loop.
2. **Anchors.**  Pairs whose wording is nearly identical and that are each other's best
   match; the longest run of them that keeps plan order (moved actions fall out) tells
   every other action where it should sit and how its ref should have been renumbered.
3. **Evidence.**  Every candidate is scored with :mod:`.compare` (wording, aim, measure,
   comments, section, lead, dates, ref-as-tree-path, position); the match weight is the sum.
4. **Assignment.**  One-to-one over the whole version pair, maximising the total weight
   above :data:`THRESHOLD` (scipy ``linear_sum_assignment``; its sparse twin for big plans),
   so a pair is linked only when it beats every alternative for both of its actions.
5. **Splits and merges.**  An unmatched new action whose words come from an old action that
   is already linked, and which together with that link covers the old wording, is a part
   of a split (merges the other way round).
6. **Relation.**  same, reworded, renumbered, moved, split or merged, with the reasons.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from ..records import ActionRecord
from . import compare as C

THRESHOLD = 3.0  # total match weight (log2 odds) a pair needs to be linked
LOW_CONFIDENCE = 0.9  # links scoring below this (or with a close runner-up) go to review
RUNNER_UP_MARGIN = 2.0  # weight by which a link must beat the next best for either action
ANCHOR_TEXT = 0.9  # wording similarity of an anchor
FULL_PAIRS_LIMIT = 40_000  # above this many pairs, block instead of comparing all
DENSE_LIMIT = 4_000_000  # above this many cells, use the sparse assignment
TOP_K = 6  # blocking: best candidates kept per action by wording
WINDOW_MAX = 12  # blocking: candidates taken from a gap between anchors
PREFIX = 5  # blocking: rarest words per action used to find partners
# Split / merge: the part's words must come from the whole, and the parts must cover it.
PART_CONTAINED = 0.6
PART_CONTAINED_FAR = 0.75  # ... when the part is neither next to its sibling nor in its section
COVER = 0.7
COVER_GAIN = 0.15
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


def score_of(weight: float) -> float:
    """Match weight -> [0, 1] (logistic in log2 odds, centred on the threshold)."""
    return float(1.0 / (1.0 + 2.0 ** (-(weight - THRESHOLD))))


# ---------------------------------------------------------------------------- candidates


def _text_sims(po: list[C.Prepared], pn: list[C.Prepared], oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
    """Wording similarity of each candidate pair (vectorised; both scorers of text_similarity)."""
    if len(oi) == 0:
        return np.zeros(0, dtype=np.float32)
    a = [po[i].text for i in oi.tolist()]
    b = [pn[j].text for j in nj.tolist()]
    r = process.cpdist(a, b, scorer=fuzz.ratio, workers=-1, dtype=np.float32)
    t = process.cpdist(a, b, scorer=fuzz.token_sort_ratio, workers=-1, dtype=np.float32)
    s = np.maximum(r, t) / np.float32(100.0)
    empty = np.array([not po[i].text or not pn[j].text for i, j in zip(oi.tolist(), nj.tolist(), strict=True)])
    s[empty] = 0.0
    return s


def _token_blocks(po: list[C.Prepared], pn: list[C.Prepared]) -> tuple[np.ndarray, np.ndarray]:
    """Pairs sharing an uncommon content word (prefix filtering: one side contributes only its
    RAREST words, the other all of its uncommon ones, in both directions), so the sparse
    product stays small while a reworded action keeps a good chance of meeting its old self."""
    vocab: dict[str, int] = {}
    docs_o = [[vocab.setdefault(t, len(vocab)) for t in sorted(p.tokens)] for p in po]
    docs_n = [[vocab.setdefault(t, len(vocab)) for t in sorted(p.tokens)] for p in pn]
    if not vocab:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    v = len(vocab)
    df = np.zeros(v, dtype=np.int64)
    for d in docs_o + docs_n:
        df[d] += 1
    # Words in more than ~0.2% of actions cannot tell actions apart; leave them out.
    cap = max(20, (len(po) + len(pn)) // 500)

    def matrix(docs: list[list[int]], rarest: int | None) -> csr_matrix:
        rows, cols = [], []
        for r, d in enumerate(docs):
            kept = [t for t in d if df[t] <= cap]
            if rarest is not None:
                kept = sorted(kept, key=lambda t: (df[t], t))[:rarest]
            rows.extend([r] * len(kept))
            cols.extend(kept)
        return csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(docs), v))

    pairs = []
    for a, b, flip in ((matrix(docs_o, PREFIX), matrix(docs_n, None), False),
                       (matrix(docs_n, PREFIX), matrix(docs_o, None), True)):
        shared = (a @ b.T).tocoo()
        # Two shared rare words, or the one an action with few rare words has.
        few = np.asarray(a.sum(axis=1)).ravel()[shared.row] <= 2
        ok = (shared.data >= 2) | few
        r, c = shared.row[ok].astype(np.int64), shared.col[ok].astype(np.int64)
        pairs.append((c, r) if flip else (r, c))
    return np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])


def _exact_blocks(po: list[C.Prepared], pn: list[C.Prepared]) -> tuple[np.ndarray, np.ndarray]:
    by_text: dict[str, list[int]] = {}
    for p in pn:
        if p.text:
            by_text.setdefault(p.text, []).append(p.idx)
    oi, nj = [], []
    for p in po:
        for j in by_text.get(p.text, ()) if p.text else ():
            oi.append(p.idx)
            nj.append(j)
    return np.array(oi, dtype=np.int64), np.array(nj, dtype=np.int64)


def _top_k(oi: np.ndarray, nj: np.ndarray, sims: np.ndarray, k: int) -> np.ndarray:
    """Mask of pairs among the k most similar for their old or for their new action."""
    keep = np.zeros(len(oi), dtype=bool)
    for key in (oi, nj):
        order = np.lexsort((-sims, key))  # by action, then best first
        ks = key[order]
        starts = np.r_[0, np.flatnonzero(np.diff(ks)) + 1]
        rank = np.arange(len(ks)) - np.repeat(starts, np.diff(np.r_[starts, len(ks)]))
        keep[order[rank < k]] = True
    return keep


def _unique_pairs(oi: np.ndarray, nj: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    code = np.unique(oi * m + nj)
    return code // m, code % m


# ---------------------------------------------------------------------------- anchors & context


def _anchors(oi: np.ndarray, nj: np.ndarray, sims: np.ndarray, n_old: int, n_new: int) -> list[tuple[int, int]]:
    """Near-identical, mutually-best pairs, reduced to the longest run that keeps plan order."""
    best_o = np.full(n_old, -1.0)
    best_n = np.full(n_new, -1.0)
    np.maximum.at(best_o, oi, sims)
    np.maximum.at(best_n, nj, sims)
    cnt_o = np.zeros(n_old, dtype=np.int64)
    cnt_n = np.zeros(n_new, dtype=np.int64)
    top = sims >= ANCHOR_TEXT
    is_best_o = top & (sims >= best_o[oi])
    is_best_n = top & (sims >= best_n[nj])
    np.add.at(cnt_o, oi[is_best_o], 1)
    np.add.at(cnt_n, nj[is_best_n], 1)
    sel = is_best_o & is_best_n & (cnt_o[oi] == 1) & (cnt_n[nj] == 1)
    pairs = sorted(zip(oi[sel].tolist(), nj[sel].tolist(), strict=True))
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs sorted by old index -> the longest subsequence with increasing new index."""
    tails: list[int] = []  # new index ending the best run of each length
    tail_at: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos] = j
            tail_at[pos] = k
        prev[k] = tail_at[pos - 1] if pos else -1
    out = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def _label(p: C.Prepared) -> str:
    return p.ref or f"#{p.idx + 1}"


def _contexts(po: list[C.Prepared], pn: list[C.Prepared], anchors: list[tuple[int, int]]
              ) -> tuple[list[C.Window | None], list[C.RefContext | None]]:
    """For each old action: the new-version gap it should sit in, and its expected new ref."""
    a_old = [a for a, _ in anchors]
    wins: list[C.Window | None] = []
    refs: list[C.RefContext | None] = []
    for p in po:
        i = p.idx
        k = bisect_left(a_old, i)
        prev_k = k - 1
        next_k = k + 1 if k < len(a_old) and a_old[k] == i else k
        if not anchors:
            wins.append(None)
        else:
            lo = anchors[prev_k][1] if prev_k >= 0 else -1
            hi = anchors[next_k][1] if next_k < len(anchors) else len(pn)
            before = f"after {_label(po[anchors[prev_k][0]])}" if prev_k >= 0 else "at the start"
            after = f"before {_label(po[anchors[next_k][0]])}" if next_k < len(anchors) else "at the end"
            wins.append(C.Window(lo, hi, f"{before}, {after}"))
        refs.append(_ref_context(p, po, pn, anchors, prev_k, next_k))
    return wins, refs


def _ref_context(p: C.Prepared, po: list[C.Prepared], pn: list[C.Prepared], anchors: list[tuple[int, int]],
                 prev_k: int, next_k: int, reach: int = 4) -> C.RefContext | None:
    """Nearest comparable matched neighbour on each side, within the same section."""
    if not p.path:
        return None
    ctx = C.RefContext()
    expected: list[tuple[str, ...]] = []
    because: list[str] = []
    for start, step in ((prev_k, -1), (next_k, 1)):
        k = start
        for _ in range(reach):
            if not 0 <= k < len(anchors):
                break
            ao, an = po[anchors[k][0]], pn[anchors[k][1]]
            if ao.section != p.section:
                break
            if ao.path and an.path and C.expected_path(p.path, ao.path, ao.path) is not None:
                e = C.expected_path(p.path, ao.path, an.path)
                if e is not None and e not in expected:
                    expected.append(e)
                if step < 0:
                    ctx.lo = an.path
                else:
                    ctx.hi = an.path
                ctx.section = an.section
                because.append(f"{ao.ref} -> {an.ref}")
                break
            k += step
    if ctx.lo is None and ctx.hi is None:
        return None
    # A shift that lands on or past a neighbour's new ref is impossible: that slot is taken.
    ctx.expected = tuple(e for e in expected if C.fits(e, ctx))
    ctx.because = ", ".join(because)
    return ctx


# ---------------------------------------------------------------------------- scoring


class _Scorer:
    def __init__(self, po, pn, wins, refs):
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


# ---------------------------------------------------------------------------- assignment


def _assign(oi: np.ndarray, nj: np.ndarray, w: np.ndarray, n_old: int, n_new: int) -> list[tuple[int, int]]:
    """Maximise the summed (weight - THRESHOLD) over one-to-one pairs above the threshold."""
    gain = w - THRESHOLD
    ok = gain > 0
    oi, nj, gain = oi[ok], nj[ok], gain[ok]
    if len(oi) == 0:
        return []
    if n_old * n_new <= DENSE_LIMIT:
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


# ---------------------------------------------------------------------------- split / merge


def _parts(po, pn, match_old, match_new, cand_new_to_old, whole_side: str) -> list[tuple[int, int, float, float]]:
    """Split parts (whole_side="old": one old action -> an extra new one) or merge parts
    (whole_side="new").  Returns (old, new, part_contained, cover) for each extra link."""
    if whole_side == "old":
        wholes, parts, match_whole, match_part = po, pn, match_old, match_new
        cands = cand_new_to_old
    else:
        wholes, parts, match_whole, match_part = pn, po, match_new, match_old
        cands = {}
        for j, olds in cand_new_to_old.items():
            for i in olds:
                cands.setdefault(i, []).append(j)
    covered: dict[int, frozenset[str]] = {}
    out = []
    for q in range(len(parts)):
        if match_part[q] >= 0:
            continue
        part = parts[q]
        if len(part.tokens) < 2:
            continue
        best = None
        for w_idx in sorted(cands.get(q, ())):
            sib = match_whole[w_idx]
            if sib < 0:
                continue
            whole, sibling = wholes[w_idx], parts[sib]
            if not whole.tokens or C.containment(sibling.tokens, whole.tokens) < 0.5:
                continue
            c_part = C.containment(part.tokens, whole.tokens)
            old_p, new_p = (whole, part) if whole_side == "old" else (part, whole)
            if C.date_evidence(old_p, new_p).score == 0.0:
                continue  # starts after the other ended: a follow-up, not a part
            near = abs(q - sib) <= 2 or part.section == whole.section
            if c_part < (PART_CONTAINED if near else PART_CONTAINED_FAR):
                continue
            have = covered.get(w_idx, sibling.tokens)
            cov0 = C.containment(whole.tokens, have)
            cov = C.containment(whole.tokens, have | part.tokens)
            if cov < COVER or cov - cov0 < COVER_GAIN:
                continue
            key = (cov, c_part, -abs(q - sib))
            if best is None or key > best[0]:
                best = (key, w_idx, c_part, cov)
        if best is not None:
            _, w_idx, c_part, cov = best
            covered[w_idx] = covered.get(w_idx, parts[match_whole[w_idx]].tokens) | part.tokens
            out.append((w_idx, q, c_part, cov) if whole_side == "old" else (q, w_idx, c_part, cov))
    return out


# ---------------------------------------------------------------------------- relation


def relation_of(a: C.Prepared, b: C.Prepared, sim: float) -> str:
    if a.section and b.section and C.text_similarity(a.section, b.section) < 0.8:
        return "moved"
    if a.text != b.text and (a.text or b.text):
        return "reworded"
    if a.path != b.path:
        return "renumbered"
    return "same"


# ---------------------------------------------------------------------------- main


def reconcile_pair(old: list[ActionRecord], new: list[ActionRecord], *,
                   full_pairs_limit: int = FULL_PAIRS_LIMIT) -> PairResult:
    """Link the actions of ``old`` to those of ``new`` (both in document order)."""
    po, pn = C.prepare(old), C.prepare(new)
    n_old, n_new = len(po), len(pn)
    stats = {"old": n_old, "new": n_new}
    if not n_old or not n_new:
        return PairResult([], list(range(n_new)), list(range(n_old)), stats)
    m = n_new
    if n_old * n_new <= full_pairs_limit:
        oi = np.repeat(np.arange(n_old, dtype=np.int64), n_new)
        nj = np.tile(np.arange(n_new, dtype=np.int64), n_old)
        sims = _text_sims(po, pn, oi, nj)
        stats["blocking"] = 0
    else:
        to, tn = _token_blocks(po, pn)
        eo, en = _exact_blocks(po, pn)
        oi, nj = _unique_pairs(np.concatenate([to, eo]), np.concatenate([tn, en]), m)
        sims = _text_sims(po, pn, oi, nj)
        keep = _top_k(oi, nj, sims, TOP_K)
        oi, nj, sims = oi[keep], nj[keep], sims[keep]
        stats["blocking"] = 1
    anchors = _anchors(oi, nj, sims, n_old, n_new)
    wins, refs = _contexts(po, pn, anchors)
    if stats["blocking"]:
        oi, nj, sims = _add_window_pairs(po, pn, oi, nj, sims, wins)
    stats["candidates"] = int(len(oi))
    stats["anchors"] = len(anchors)
    scorer = _Scorer(po, pn, wins, refs)
    # A pair whose two actions are each anchored to a different partner (near-verbatim, mutually
    # best, in order) would have to break two such matches to win: not worth scoring.
    anchor_o = np.full(n_old, -1, dtype=np.int64)
    anchor_n = np.full(n_new, -1, dtype=np.int64)
    for i, j in anchors:
        anchor_o[i], anchor_n[j] = j, i
    scored = ~((anchor_o[oi] >= 0) & (anchor_o[oi] != nj) & (anchor_n[nj] >= 0) & (anchor_n[nj] != oi))
    w = np.full(len(oi), -np.inf)
    for q in np.flatnonzero(scored).tolist():
        w[q] = scorer.weight(int(oi[q]), int(nj[q]), float(sims[q]))
    stats["scored"] = int(scored.sum())
    pairs = _assign(oi, nj, w, n_old, n_new)
    match_old = [-1] * n_old
    match_new = [-1] * n_new
    for i, j in pairs:
        match_old[i], match_new[j] = j, i
    # runner-up weights for the review flag
    best_other = _runner_up(oi, nj, w, match_old, n_old, n_new)
    cand_new_to_old: dict[int, list[int]] = {}
    for i, j in zip(oi.tolist(), nj.tolist(), strict=True):
        cand_new_to_old.setdefault(j, []).append(i)
    splits = _parts(po, pn, match_old, match_new, cand_new_to_old, "old")
    merges = _parts(po, pn, match_old, match_new, cand_new_to_old, "new")
    split_old = {i for i, *_ in splits}
    merge_new = {j for _, j, *_ in merges}
    links: list[Link] = []
    for i, j in pairs:
        ev = scorer.evidence(i, j)
        wt = sum(C.weight(e) for e in ev)
        sim = C.text_similarity(po[i].text, pn[j].text) if po[i].text and pn[j].text else 0.0
        if i in split_old:
            rel = "split"
        elif j in merge_new:
            rel = "merged"
        else:
            rel = relation_of(po[i], pn[j], sim)
        runner = best_other.get((i, j))
        sc = score_of(wt)
        low = sc < LOW_CONFIDENCE or (runner is not None and wt - runner < RUNNER_UP_MARGIN)
        reasons = explain(ev)
        if runner is not None and wt - runner < RUNNER_UP_MARGIN:
            reasons += f"; runner-up weight {runner:+.1f} is close"
        links.append(Link(i, j, rel, round(wt, 3), round(sc, 4), ev, reasons, round(sim, 4),
                          low_confidence=low, runner_up=None if runner is None else round(runner, 3)))
    for i, j, c_part, cov in splits + merges:
        kind = "split" if (i, j) in {(a, b) for a, b, *_ in splits} else "merged"
        ev = scorer.evidence(i, j)
        wt = sum(C.weight(e) for e in ev)
        sim = C.text_similarity(po[i].text, pn[j].text)
        if kind == "split":
            why = (f"split: {c_part:.0%} of this part's words come from old {_label(po[i])}; with "
                   f"new {_label(pn[match_old[i]])} the parts cover {cov:.0%} of the old wording")
        else:
            why = (f"merged: {c_part:.0%} of old {_label(po[i])}'s words are in this action; with old "
                   f"{_label(po[match_new[j]])} the parts cover {cov:.0%} of the new wording")
        links.append(Link(i, j, kind, round(wt, 3), round(max(score_of(wt), cov * c_part), 4), ev,
                          why + "; " + explain(ev), round(sim, 4), primary=False,
                          low_confidence=cov * c_part < LOW_CONFIDENCE))
    _choose_primaries(links)
    links.sort(key=lambda lk: (lk.old, lk.new))
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
            best = max(group, key=lambda lk: (lk.text_similarity, -getattr(lk, other)))
            for lk in group:
                lk.primary = lk is best


def _runner_up(oi, nj, w, match_old, n_old, n_new) -> dict[tuple[int, int], float]:
    """For each linked pair, the best weight any alternative candidate has for either side."""
    best_o: dict[int, float] = {}
    best_n: dict[int, float] = {}
    for i, j, x in zip(oi.tolist(), nj.tolist(), w.tolist(), strict=True):
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
        if r > THRESHOLD - 1e-9:
            out[(i, j)] = r
    return out


def _add_window_pairs(po, pn, oi, nj, sims, wins):
    """Blocking misses rewordings with no shared uncommon word; the gap between neighbouring
    anchors is where such an action must sit, so its few occupants become candidates too."""
    extra_o, extra_n = [], []
    for p in po:
        win = wins[p.idx]
        if win is None:
            continue
        lo, hi = win.lo + 1, win.hi  # new indexes strictly inside the gap
        if hi - lo > WINDOW_MAX:
            centre = lo + (hi - lo) // 2
            lo, hi = max(lo, centre - WINDOW_MAX // 2), min(hi, centre + WINDOW_MAX // 2)
        for j in range(lo, hi):
            extra_o.append(p.idx)
            extra_n.append(j)
    if not extra_o:
        return oi, nj, sims
    m = len(pn)
    eo, en = np.array(extra_o, dtype=np.int64), np.array(extra_n, dtype=np.int64)
    have = set((oi * m + nj).tolist())
    new_mask = np.array([c not in have for c in (eo * m + en).tolist()])
    eo, en = eo[new_mask], en[new_mask]
    if len(eo):
        eo, en = _unique_pairs(eo, en, m)
    es = _text_sims(po, pn, eo, en)
    oi, nj, sims = np.concatenate([oi, eo]), np.concatenate([nj, en]), np.concatenate([sims, es])
    order = np.lexsort((nj, oi))
    return oi[order], nj[order], sims[order]
