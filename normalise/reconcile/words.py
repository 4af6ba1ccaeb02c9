"""Shared distinctive words: wording evidence that discounts a plan's boilerplate.

Character similarity (``compare.text_evidence``) counts every shared word alike, so two
different actions that end in the same stock sentence ("Learning will be shared through
practice briefings.") look half alike, and a heavy reword that keeps only the object ("the
graduated approach toolkit") looks unrelated.  Weighting each content word by how rare it is
across both versions (inverse document frequency, as in TF-IDF) separates the two: what an
action and its reword share is their object, which few other actions mention; what two
unrelated actions share is the plan's stock wording, which many do.  Computed once per version
pair from the token sets, so it stays linear in the plan size.
"""

from __future__ import annotations

import math
from collections import Counter

from . import compare as C


class WordWeights:
    """Inverse document frequency of every content word over the actions of both versions."""

    def __init__(self, po: list[C.Prepared], pn: list[C.Prepared]) -> None:
        df: Counter[str] = Counter()
        for p in po:
            df.update(p.tokens)
        for p in pn:
            df.update(p.tokens)
        n = max(len(po) + len(pn), 1)
        self.idf = {w: math.log((n + 1) / (k + 0.5)) for w, k in df.items()}
        self.default = math.log(n + 1)
        self._mass: dict[frozenset[str], float] = {}

    def mass(self, words: frozenset[str]) -> float:
        get = self.idf.get
        return sum(get(w, self.default) for w in words)

    def action_mass(self, p: C.Prepared) -> float:
        """Mass of an action's whole token set (cached: every candidate pair asks again)."""
        m = self._mass.get(p.tokens)
        if m is None:
            m = self._mass[p.tokens] = self.mass(p.tokens)
        return m


def words_evidence(a: C.Prepared, b: C.Prepared, ww: WordWeights) -> C.Evidence:
    """Share of the rarer words that the two actions have in common (weighted by rarity):
    shared weight over the weight of the smaller side, so a part of a longer action counts."""
    if not a.tokens or not b.tokens:
        return C.Evidence("words", None, "no content words on one side")
    shared = a.tokens & b.tokens
    if not shared:
        return C.Evidence("words", 0.0, "no word in common")
    s = ww.mass(shared) / min(ww.action_mass(a), ww.action_mass(b))
    top = sorted(shared, key=lambda w: (-ww.idf.get(w, ww.default), w))[:3]
    what = ", ".join(top)
    if s >= 0.7:
        return C.Evidence("words", round(s, 4), f"shares its distinctive words ({what}; {s:.2f})")
    if s >= 0.4:
        return C.Evidence("words", round(s, 4), f"shares some distinctive words ({what}; {s:.2f})")
    return C.Evidence("words", round(s, 4), f"shares only common words ({what}; {s:.2f})")
