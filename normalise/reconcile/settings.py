"""Every threshold of reconciling in one place (pdfplumber's ``TableSettings`` is the model).

The defaults are the values the matcher has always used; pass a ``ReconcileSettings`` to
:func:`plantrail.normalise.reconcile.match.reconcile_pair` (or ``reconcile_versions``) to change one
for a run without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReconcileSettings:
    threshold: float = 3.0  # total match weight (log2 odds) a pair needs to be linked
    low_confidence: float = 0.9  # links scoring below this (or with a close runner-up) go to review
    runner_up_margin: float = 2.0  # weight by which a link must beat the next best for either action
    anchor_text: float = 0.9  # wording similarity of an anchor
    full_pairs_limit: int = 40_000  # above this many pairs, block instead of comparing all
    dense_limit: int = 4_000_000  # above this many cells, use the sparse assignment
    top_k: int = 6  # blocking: best candidates kept per action by wording
    window_max: int = 12  # blocking: candidates taken from a gap between anchors
    prefix: int = 5  # blocking: rarest words per action used to find partners
    rare_share: int = 500  # blocking: a word in more than 1/rare_share of actions is common
    rare_floor: int = 20  # ... but a word in at most this many actions is never common
    ref_reach: int = 4  # matched neighbours looked at on each side for the expected new ref
    # Split / merge: the part's words must come from the whole, and the parts must cover it.
    part_contained: float = 0.6
    part_contained_far: float = 0.75  # ... when the part is neither next to its sibling nor in its section
    sibling_contained: float = 0.5  # the linked sibling must itself come from the whole
    part_near: int = 2  # positions within which a part counts as next to its sibling
    cover: float = 0.7
    cover_gain: float = 0.15
    moved_section_similarity: float = 0.8  # sections less alike than this: the action moved


DEFAULT = ReconcileSettings()
