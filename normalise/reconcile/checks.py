"""Is this reconciliation worth trusting?  Warnings a script must not miss.

Two plans that are not versions of one another still "reconcile": nearly everything comes out
dropped and added, and the report looks like a plan in crisis ("dropped while not completed
61").  So a result is checked before anyone reads it: a version without actions, or a pair in
which only a small share of the older version's actions link to the newer one, is reported
with its numbers, and the command exits 1 (outputs are still written, to look at).
"""

from __future__ import annotations

from dataclasses import dataclass

from .history import Reconciliation


@dataclass
class CheckSettings:
    # below this share of the older version's actions linked, the pair is called unrelated
    min_linked_share: float = 0.20


def reconcile_warnings(rec: Reconciliation, settings: CheckSettings | None = None) -> list[str]:
    """One line per problem, with the numbers; [] when the result looks like versions of one plan."""
    s = settings or CheckSettings()
    out = [f"version {v.label} ({v.source_file}) has no actions: nothing to compare it with"
           for v in rec.versions if not v.actions]
    for k, pr in enumerate(rec.pairs):
        old, new = rec.versions[k], rec.versions[k + 1]
        if not old.actions or not new.actions:
            continue
        linked = len({lk.old for lk in pr.links})
        share = linked / len(old.actions)
        if share < s.min_linked_share:
            out.append(f"{old.label} -> {new.label}: only {linked} of {len(old.actions)} actions "
                       f"({share:.0%}) of the older version link to the newer one (expected at least "
                       f"{s.min_linked_share:.0%}): are these versions of the same plan?")
    return out
