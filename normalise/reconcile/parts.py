"""Splits and merges: the extra links after the one-to-one assignment.

A split's parts (a merge's sources) are found in two ways, each explainable:

* **by wording**: the part's words come from the whole, and together with the whole's linked
  partner (the sibling) the parts now cover the whole's wording;
* **by context**, when the wording of the part differs: it sits next to its sibling in the
  same section, the whole was rewritten (a whole carried over word for word was not split),
  and for a split the pair's own match weight (aim, measure, lead, position, shared
  distinctive words; no follow-up wording) is high; for a merge, the words the merged row
  has beyond its first source come from this old row, under the same aim.

A part already linked one-to-one is taken for the split (merge) only when its link to the
whole weighs more than the link it has and that link is not near-verbatim; its old partner
is then left unlinked.  So a merge takes every source row, not only the unlinked ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import compare as C
from .settings import ReconcileSettings
from .words import WordWeights


@dataclass
class Part:
    """One extra link: old and new index, how much of the part comes from the whole, how much
    of the whole the parts now cover, and which rule found it."""

    old: int
    new: int
    contained: float
    cover: float
    route: str = "wording"  # or "context"


@dataclass
class PartContext:
    """What the part finder needs from the matching."""

    po: list[C.Prepared]
    pn: list[C.Prepared]
    match_old: list[int]
    match_new: list[int]
    cand_new_to_old: dict[int, list[int]]
    weight: Callable[[int, int], float]  # match weight of (old index, new index)
    words: WordWeights
    settings: ReconcileSettings
    released: list[tuple[int, int]] = field(default_factory=list)  # one-to-one links given up


@dataclass
class _Sides:
    """The two versions seen from the whole's side (old for a split, new for a merge)."""

    wholes: list[C.Prepared]
    parts: list[C.Prepared]
    match_whole: list[int]
    match_part: list[int]
    cands: dict[int, list[int]]  # part index -> candidate whole indexes
    whole_is_old: bool


def _sides(pc: PartContext, whole_side: str) -> _Sides:
    if whole_side == "old":
        return _Sides(pc.po, pc.pn, pc.match_old, pc.match_new, pc.cand_new_to_old, True)
    cands: dict[int, list[int]] = {}
    for j, olds in pc.cand_new_to_old.items():
        for i in olds:
            cands.setdefault(i, []).append(j)
    return _Sides(pc.pn, pc.po, pc.match_new, pc.match_old, cands, False)


def _oriented(sd: _Sides, part: int, whole: int) -> tuple[int, int]:
    """(old index, new index) of a part and its whole."""
    return (whole, part) if sd.whole_is_old else (part, whole)


def _by_wording(sd: _Sides, q: int, w_idx: int, have: frozenset[str], s: ReconcileSettings
                ) -> tuple[float, float] | None:
    """(containment, cover) when the part's words come from the whole and complete it."""
    part, whole, sibling = sd.parts[q], sd.wholes[w_idx], sd.parts[sd.match_whole[w_idx]]
    if C.containment(sibling.tokens, whole.tokens) < s.sibling_contained:
        return None
    c_part = C.containment(part.tokens, whole.tokens)
    near = abs(q - sibling.idx) <= s.part_near or part.section == whole.section
    if c_part < (s.part_contained if near else s.part_contained_far):
        return None
    cov0 = C.containment(whole.tokens, have)
    cov = C.containment(whole.tokens, have | part.tokens)
    if cov < s.cover or cov - cov0 < s.cover_gain:
        return None
    return c_part, cov


def _by_context(sd: _Sides, pc: PartContext, q: int, w_idx: int) -> tuple[float, float] | None:
    """(share of the whole's words, weight or excess share) when the part's place and cells
    say it is a part although its wording differs."""
    s = pc.settings
    part, whole, sibling = sd.parts[q], sd.wholes[w_idx], sd.parts[sd.match_whole[w_idx]]
    if abs(q - sibling.idx) > s.part_near or part.section != sibling.section:
        return None
    if C.text_similarity(sibling.text, whole.text) >= s.part_rewritten:
        return None  # the whole goes on unchanged in its sibling: this row is something else
    old_p, new_p = (whole, part) if sd.whole_is_old else (part, whole)
    # A split's parts inherit the whole's cells; a merged row keeps its first source's, so
    # only the aim they were merged under is asked of a merge's other source.
    cells = [C.aim_evidence(old_p, new_p)]
    if sd.whole_is_old:
        cells += [C.measure_evidence(old_p, new_p), C.lead_evidence(old_p, new_p)]
    if any(e.score is not None and e.score < s.part_same_cell for e in cells):
        return None
    shared = part.tokens & whole.tokens
    if len(shared) < 2:
        return None
    if sd.whole_is_old:
        share = pc.words.mass(shared) / max(pc.words.mass(whole.tokens), 1e-9)
        wt = pc.weight(*_oriented(sd, q, w_idx))
        return (share, wt) if wt >= s.part_weight and share >= s.part_words else None
    # A merge: what the merged row says beyond its first source must come from this row.
    extra = whole.tokens - sibling.tokens
    got = extra & part.tokens
    if len(got) < 2:
        return None
    explained = pc.words.mass(got) / max(pc.words.mass(extra), 1e-9)
    return (explained, explained) if explained >= s.merge_explained else None


def _takeable(sd: _Sides, pc: PartContext, q: int, w_idx: int) -> bool:
    """A part linked elsewhere (not near-verbatim: see _best_whole) may join this whole only
    if its link here weighs more than its present link."""
    other = sd.match_part[q]
    if other < 0:
        return True
    if other == w_idx or sd.match_whole[other] != q:
        return False
    here = pc.weight(*_oriented(sd, q, w_idx))
    return here > pc.weight(*_oriented(sd, q, other)) + pc.settings.part_take_margin


def _best_whole(sd: _Sides, pc: PartContext, q: int, covered: dict[int, frozenset[str]]
                ) -> tuple[tuple[int, float, float, int], int, Part] | None:
    other = sd.match_part[q]
    if other >= 0 and C.text_similarity(sd.parts[q].text, sd.wholes[other].text) >= pc.settings.anchor_text:
        return None  # linked near-verbatim: never given up to be a part
    best = None
    for w_idx in sorted(sd.cands.get(q, ())):
        sib = sd.match_whole[w_idx]
        if sib < 0 or sib == q or not sd.wholes[w_idx].tokens:
            continue
        old_p, new_p = _oriented(sd, q, w_idx)
        # Starting after the old row ended says follow-up, not part; but a merged row keeps
        # its first source's dates, so for a merge's other source only its words can tell.
        after = C.date_evidence(pc.po[old_p], pc.pn[new_p]).score == 0.0
        got = None if after else _by_wording(sd, q, w_idx, covered.get(w_idx, sd.parts[sib].tokens), pc.settings)
        route = "wording"
        if got is None and not (after and sd.whole_is_old):
            got, route = _by_context(sd, pc, q, w_idx), "context"
        if got is None or not _takeable(sd, pc, q, w_idx):
            continue
        key = (int(route == "wording"), got[1], got[0], -abs(q - sib))
        if best is None or key > best[0]:
            best = (key, w_idx, Part(old_p, new_p, round(got[0], 4), round(got[1], 4), route))
    return best


def find_parts(pc: PartContext, whole_side: str) -> list[Part]:
    """Split parts (whole_side="old": one old action -> an extra new one) or merge parts
    (whole_side="new").  Links given up to a part are appended to ``pc.released`` and removed
    from the match lists."""
    sd = _sides(pc, whole_side)
    covered: dict[int, frozenset[str]] = {}
    out: list[Part] = []
    for q, part in enumerate(sd.parts):
        if len(part.tokens) < 2:
            continue
        best = _best_whole(sd, pc, q, covered)
        if best is None:
            continue
        _, w_idx, p = best
        other = sd.match_part[q]
        if other >= 0:
            pc.released.append(_oriented(sd, q, other))
            sd.match_part[q] = sd.match_whole[other] = -1
        covered[w_idx] = covered.get(w_idx, sd.parts[sd.match_whole[w_idx]].tokens) | part.tokens
        out.append(p)
    return out
