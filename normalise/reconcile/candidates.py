"""Candidate pairs and anchors for matching two versions, in time linear in the plan size.

Small plans compare every old action with every new one.  Big plans are blocked: pairs sharing
uncommon words, pairs with the same wording, and pairs in the same gap between neighbouring
anchors, so a 10,000 x 10,000 reconcile never builds a dense matrix or a Python double loop.
Anchors are near-identical, mutually-best pairs reduced to the longest run that keeps plan order.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy.sparse import csr_matrix

from . import compare as C
from .settings import ReconcileSettings


@dataclass
class Candidates:
    """Parallel arrays: old index, new index and wording similarity of each candidate pair."""

    oi: np.ndarray
    nj: np.ndarray
    sims: np.ndarray
    blocked: bool


def text_sims(po: list[C.Prepared], pn: list[C.Prepared], oi: np.ndarray, nj: np.ndarray) -> np.ndarray:
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
    return np.asarray(s)


def _token_matrix(docs: list[list[int]], df: np.ndarray, cap: int, v: int, rarest: int | None) -> csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for r, d in enumerate(docs):
        kept = [t for t in d if df[t] <= cap]
        if rarest is not None:
            kept = sorted(kept, key=lambda t: (df[t], t))[:rarest]
        rows.extend([r] * len(kept))
        cols.extend(kept)
    return csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(docs), v))


def token_blocks(po: list[C.Prepared], pn: list[C.Prepared], s: ReconcileSettings
                 ) -> tuple[np.ndarray, np.ndarray]:
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
    # Words in a large share of actions cannot tell actions apart; leave them out.
    cap = max(s.rare_floor, (len(po) + len(pn)) // s.rare_share)
    pairs = []
    for a, b, flip in ((_token_matrix(docs_o, df, cap, v, s.prefix), _token_matrix(docs_n, df, cap, v, None), False),
                       (_token_matrix(docs_n, df, cap, v, s.prefix), _token_matrix(docs_o, df, cap, v, None), True)):
        shared = (a @ b.T).tocoo()
        # Two shared rare words, or the one an action with few rare words has.
        few = np.asarray(a.sum(axis=1)).ravel()[shared.row] <= 2
        ok = (shared.data >= 2) | few
        r, c = shared.row[ok].astype(np.int64), shared.col[ok].astype(np.int64)
        pairs.append((c, r) if flip else (r, c))
    return np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])


def exact_blocks(po: list[C.Prepared], pn: list[C.Prepared]) -> tuple[np.ndarray, np.ndarray]:
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


def top_k(oi: np.ndarray, nj: np.ndarray, sims: np.ndarray, k: int) -> np.ndarray:
    """Mask of pairs among the k most similar for their old or for their new action."""
    keep = np.zeros(len(oi), dtype=bool)
    for key in (oi, nj):
        order = np.lexsort((-sims, key))  # by action, then best first
        ks = key[order]
        starts = np.r_[0, np.flatnonzero(np.diff(ks)) + 1]
        rank = np.arange(len(ks)) - np.repeat(starts, np.diff(np.r_[starts, len(ks)]))
        keep[order[rank < k]] = True
    return keep


def unique_pairs(oi: np.ndarray, nj: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    code = np.unique(oi * m + nj)
    return code // m, code % m


def candidates(po: list[C.Prepared], pn: list[C.Prepared], s: ReconcileSettings) -> Candidates:
    """All pairs of a small plan pair; blocked pairs (shared rare words, same wording, the best
    ``top_k`` per action) of a big one."""
    n_old, n_new = len(po), len(pn)
    if n_old * n_new <= s.full_pairs_limit:
        oi = np.repeat(np.arange(n_old, dtype=np.int64), n_new)
        nj = np.tile(np.arange(n_new, dtype=np.int64), n_old)
        return Candidates(oi, nj, text_sims(po, pn, oi, nj), blocked=False)
    to, tn = token_blocks(po, pn, s)
    eo, en = exact_blocks(po, pn)
    oi, nj = unique_pairs(np.concatenate([to, eo]), np.concatenate([tn, en]), n_new)
    sims = text_sims(po, pn, oi, nj)
    keep = top_k(oi, nj, sims, s.top_k)
    return Candidates(oi[keep], nj[keep], sims[keep], blocked=True)


# ---------------------------------------------------------------------------- anchors & context


def anchors(c: Candidates, n_old: int, n_new: int, s: ReconcileSettings) -> list[tuple[int, int]]:
    """Near-identical, mutually-best pairs, reduced to the longest run that keeps plan order."""
    oi, nj, sims = c.oi, c.nj, c.sims
    best_o = np.full(n_old, -1.0)
    best_n = np.full(n_new, -1.0)
    np.maximum.at(best_o, oi, sims)
    np.maximum.at(best_n, nj, sims)
    cnt_o = np.zeros(n_old, dtype=np.int64)
    cnt_n = np.zeros(n_new, dtype=np.int64)
    top = sims >= s.anchor_text
    is_best_o = top & (sims >= best_o[oi])
    is_best_n = top & (sims >= best_n[nj])
    np.add.at(cnt_o, oi[is_best_o], 1)
    np.add.at(cnt_n, nj[is_best_n], 1)
    sel = is_best_o & is_best_n & (cnt_o[oi] == 1) & (cnt_n[nj] == 1)
    pairs = sorted(zip(oi[sel].tolist(), nj[sel].tolist(), strict=True))
    return longest_increasing(pairs)


def longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def label(p: C.Prepared) -> str:
    return p.ref or f"#{p.idx + 1}"


def contexts(po: list[C.Prepared], pn: list[C.Prepared], anchor_pairs: list[tuple[int, int]],
             s: ReconcileSettings) -> tuple[list[C.Window | None], list[C.RefContext | None]]:
    """For each old action: the new-version gap it should sit in, and its expected new ref."""
    a_old = [a for a, _ in anchor_pairs]
    wins: list[C.Window | None] = []
    refs: list[C.RefContext | None] = []
    for p in po:
        i = p.idx
        k = bisect_left(a_old, i)
        prev_k = k - 1
        next_k = k + 1 if k < len(a_old) and a_old[k] == i else k
        wins.append(_window(po, pn, anchor_pairs, prev_k, next_k) if anchor_pairs else None)
        refs.append(_ref_context(p, po, pn, anchor_pairs, prev_k, next_k, s.ref_reach))
    return wins, refs


def _window(po: list[C.Prepared], pn: list[C.Prepared], anchor_pairs: list[tuple[int, int]],
            prev_k: int, next_k: int) -> C.Window:
    lo = anchor_pairs[prev_k][1] if prev_k >= 0 else -1
    hi = anchor_pairs[next_k][1] if next_k < len(anchor_pairs) else len(pn)
    before = f"after {label(po[anchor_pairs[prev_k][0]])}" if prev_k >= 0 else "at the start"
    after = f"before {label(po[anchor_pairs[next_k][0]])}" if next_k < len(anchor_pairs) else "at the end"
    return C.Window(lo, hi, f"{before}, {after}")


def _neighbour(p: C.Prepared, po: list[C.Prepared], pn: list[C.Prepared], anchor_pairs: list[tuple[int, int]],
               start: int, step: int, reach: int) -> tuple[C.Prepared, C.Prepared] | None:
    """The nearest matched neighbour on one side, in the same section, whose ref is comparable."""
    k = start
    for _ in range(reach):
        if not 0 <= k < len(anchor_pairs):
            return None
        ao, an = po[anchor_pairs[k][0]], pn[anchor_pairs[k][1]]
        if ao.section != p.section:
            return None
        if ao.path and an.path and C.expected_path(p.path, ao.path, ao.path) is not None:
            return ao, an
        k += step
    return None


def _ref_context(p: C.Prepared, po: list[C.Prepared], pn: list[C.Prepared], anchor_pairs: list[tuple[int, int]],
                 prev_k: int, next_k: int, reach: int) -> C.RefContext | None:
    """Nearest comparable matched neighbour on each side, within the same section."""
    if not p.path:
        return None
    ctx = C.RefContext()
    expected: list[tuple[str, ...]] = []
    because: list[str] = []
    for start, step in ((prev_k, -1), (next_k, 1)):
        found = _neighbour(p, po, pn, anchor_pairs, start, step, reach)
        if found is None:
            continue
        ao, an = found
        e = C.expected_path(p.path, ao.path, an.path)
        if e is not None and e not in expected:
            expected.append(e)
        if step < 0:
            ctx.lo = an.path
        else:
            ctx.hi = an.path
        ctx.section = an.section
        because.append(f"{ao.ref} -> {an.ref}")
    if ctx.lo is None and ctx.hi is None:
        return None
    # A shift that lands on or past a neighbour's new ref is impossible: that slot is taken.
    ctx.expected = tuple(e for e in expected if C.fits(e, ctx))
    ctx.because = ", ".join(because)
    return ctx


def add_window_pairs(po: list[C.Prepared], pn: list[C.Prepared], c: Candidates,
                     wins: list[C.Window | None], s: ReconcileSettings) -> Candidates:
    """Blocking misses rewordings with no shared uncommon word; the gap between neighbouring
    anchors is where such an action must sit, so its few occupants become candidates too."""
    extra_o, extra_n = [], []
    for p in po:
        win = wins[p.idx]
        if win is None:
            continue
        lo, hi = win.lo + 1, win.hi  # new indexes strictly inside the gap
        if hi - lo > s.window_max:
            centre = lo + (hi - lo) // 2
            lo, hi = max(lo, centre - s.window_max // 2), min(hi, centre + s.window_max // 2)
        for j in range(lo, hi):
            extra_o.append(p.idx)
            extra_n.append(j)
    if not extra_o:
        return c
    m = len(pn)
    eo, en = np.array(extra_o, dtype=np.int64), np.array(extra_n, dtype=np.int64)
    have = set((c.oi * m + c.nj).tolist())
    new_mask = np.array([code not in have for code in (eo * m + en).tolist()])
    eo, en = eo[new_mask], en[new_mask]
    if len(eo):
        eo, en = unique_pairs(eo, en, m)
    es = text_sims(po, pn, eo, en)
    oi, nj, sims = np.concatenate([c.oi, eo]), np.concatenate([c.nj, en]), np.concatenate([c.sims, es])
    order = np.lexsort((nj, oi))
    return Candidates(oi[order], nj[order], sims[order], c.blocked)
