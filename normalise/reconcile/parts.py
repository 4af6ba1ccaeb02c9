"""Splits and merges: the extra links after the one-to-one assignment.

An unmatched new action whose words come from an old action that is already linked, and which
together with that link covers the old wording, is a part of a split (merges the other way
round: an unmatched old action whose words are in a linked new one).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import compare as C
from .settings import ReconcileSettings


@dataclass
class Part:
    """One extra link: old and new index, how much of the part comes from the whole, and how
    much of the whole the parts now cover."""

    old: int
    new: int
    contained: float
    cover: float


@dataclass
class _Sides:
    """The two versions seen from the whole's side (old for a split, new for a merge)."""

    wholes: list[C.Prepared]
    parts: list[C.Prepared]
    match_whole: list[int]
    match_part: list[int]
    cands: dict[int, list[int]]  # part index -> candidate whole indexes
    whole_is_old: bool


def _sides(po: list[C.Prepared], pn: list[C.Prepared], match_old: list[int], match_new: list[int],
           cand_new_to_old: dict[int, list[int]], whole_side: str) -> _Sides:
    if whole_side == "old":
        return _Sides(po, pn, match_old, match_new, cand_new_to_old, True)
    cands: dict[int, list[int]] = {}
    for j, olds in cand_new_to_old.items():
        for i in olds:
            cands.setdefault(i, []).append(j)
    return _Sides(pn, po, match_new, match_old, cands, False)


def _candidate_key(sd: _Sides, q: int, w_idx: int, covered: dict[int, frozenset[str]],
                   s: ReconcileSettings) -> tuple[tuple[float, float, int], float, float] | None:
    """(ranking key, containment, cover) of part ``q`` joining whole ``w_idx``, or None when
    the evidence says it is not a part of it."""
    sib = sd.match_whole[w_idx]
    if sib < 0:
        return None
    part, whole, sibling = sd.parts[q], sd.wholes[w_idx], sd.parts[sib]
    if not whole.tokens or C.containment(sibling.tokens, whole.tokens) < s.sibling_contained:
        return None
    c_part = C.containment(part.tokens, whole.tokens)
    old_p, new_p = (whole, part) if sd.whole_is_old else (part, whole)
    if C.date_evidence(old_p, new_p).score == 0.0:
        return None  # starts after the other ended: a follow-up, not a part
    near = abs(q - sib) <= s.part_near or part.section == whole.section
    if c_part < (s.part_contained if near else s.part_contained_far):
        return None
    have = covered.get(w_idx, sibling.tokens)
    cov0 = C.containment(whole.tokens, have)
    cov = C.containment(whole.tokens, have | part.tokens)
    if cov < s.cover or cov - cov0 < s.cover_gain:
        return None
    return (cov, c_part, -abs(q - sib)), c_part, cov


def find_parts(po: list[C.Prepared], pn: list[C.Prepared], match_old: list[int], match_new: list[int],
               cand_new_to_old: dict[int, list[int]], whole_side: str, s: ReconcileSettings) -> list[Part]:
    """Split parts (whole_side="old": one old action -> an extra new one) or merge parts
    (whole_side="new")."""
    sd = _sides(po, pn, match_old, match_new, cand_new_to_old, whole_side)
    covered: dict[int, frozenset[str]] = {}
    out: list[Part] = []
    for q, part in enumerate(sd.parts):
        if sd.match_part[q] >= 0 or len(part.tokens) < 2:
            continue
        best = None
        for w_idx in sorted(sd.cands.get(q, ())):
            got = _candidate_key(sd, q, w_idx, covered, s)
            if got is not None and (best is None or got[0] > best[0]):
                best = (got[0], w_idx, got[1], got[2])
        if best is None:
            continue
        _, w_idx, c_part, cov = best
        covered[w_idx] = covered.get(w_idx, sd.parts[sd.match_whole[w_idx]].tokens) | part.tokens
        out.append(Part(w_idx, q, c_part, cov) if sd.whole_is_old else Part(q, w_idx, c_part, cov))
    return out
