"""Where ``shared/`` (seeds, dev corpus, gold, scorers) is, or a clear failure.

A benchmark that cannot find its inputs must stop with a non-zero exit and one line that says
what is missing, never print a partial table.  ``PLANTRAIL_SHARED`` names the folder; otherwise
the nearest ``shared/`` beside the checkout or one of its parents (a git worktree lives deeper).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def find_shared() -> Path:
    env = os.environ.get("PLANTRAIL_SHARED")
    if env:
        return Path(env)
    for parent in REPO.parents:
        cand = parent / "shared"
        if (cand / "corpus").is_dir():
            return cand
    return REPO.parent / "shared"


SHARED = find_shared()


def require(*paths: Path) -> None:
    """Exit 2 with one line naming every missing input."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"bench: missing input(s), nothing measured: {', '.join(missing)} "
              "(set PLANTRAIL_SHARED to the shared/ folder)", file=sys.stderr)
        sys.exit(2)
