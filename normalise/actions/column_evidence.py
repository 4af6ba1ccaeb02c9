"""What a column's cells say about its role, whatever its header says.

Councils name columns in endless ways, but the cells are more alike: a target column holds
dates and periods, a lead column short names, roles or initials, a status column status words,
letters or colours, a ref column short numbered tokens, and action, measure, comment and aim
columns prose (actions open with a verb; an aim repeats over the actions it groups).  Each
reader used here is the one that later reads the field (``parse_date``, ``normalise_rag``,
``parse_ref``), so "the column holds dates" means exactly "the date reader reads its cells".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.dates import parse_date
from .header_map import header_key, words
from .rag import classify_fill
from .refs import parse_ref
from .settings import ActionSettings
from .status import read_status

_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class ColumnEvidence:
    """Shares (0..1) of a column's filled cells that read as each kind of value."""

    filled: int = 0
    dates: float = 0.0
    rag: float = 0.0
    refs: float = 0.0
    short_names: float = 0.0
    prose: float = 0.0  # mean words, scaled so a full sentence scores 1
    verbs: float = 0.0  # cells that open with a verb of commitment ("Review", "Develop", "We will")
    grouping: float = 0.0  # rows repeating the row above (a merged cell or a printed group)

    def scores(self) -> dict[str, tuple[float, str]]:
        """Content score per field, with the reason in words."""
        if not self.filled:
            return {}
        n = self.filled
        out = {
            "ref": (self.refs, f"{self.refs:.0%} of {n} cells are refs"),
            "start": (self.dates * 0.95, f"{self.dates:.0%} of {n} cells are dates"),
            "end": (self.dates, f"{self.dates:.0%} of {n} cells are dates"),
            "rag": (self.rag, f"{self.rag:.0%} of {n} cells are statuses or colours"),
            "lead": (self.short_names * 0.85, f"{self.short_names:.0%} of {n} cells are short names"),
            "dlt_lead": (self.short_names * 0.5, f"{self.short_names:.0%} of {n} cells are short names"),
            "action": (self.prose * 0.6 + self.verbs * 0.4, f"prose {self.prose:.2f}, {self.verbs:.0%} open with a verb"),
            "measure": (self.prose * 0.5, f"prose {self.prose:.2f}"),
            "comments": (self.prose * 0.45, f"prose {self.prose:.2f}"),
            "aim": (self.prose * 0.4 + self.grouping * 0.4,
                    f"prose {self.prose:.2f}, {self.grouping:.0%} of rows repeat the one above"),
        }
        return {f: (round(s, 3), why) for f, (s, why) in out.items()}


def _is_rag(text: str, fill: str | None, color: str | None) -> bool:
    """The RAG reader reads the cell: a status word or letter, a glyph's colour, a fill, or a
    status with no colour ("Not started")."""
    t = text.strip()
    if not t:
        return bool(classify_fill(fill)[0])
    rv = read_status(t, fill, color=color, damaged=False)
    return bool(rv.value) or "no rag colour" in rv.warning.lower()


def _is_date(text: str) -> bool:
    dv = parse_date(text, role="end")
    return bool(dv.value) and dv.precision != "literal"


def _opens_with_verb(text: str) -> bool:
    key = header_key(text[:40])
    first = key.split(" ", 1)[0] if key else ""
    return first in words()["action_verbs"]


@dataclass
class _Tally:
    n: int = 0
    dates: int = 0
    rag: int = 0
    refs: int = 0
    short: int = 0
    verbs: int = 0
    repeats: int = 0
    words: int = 0


def _is_short_name(t: str, s: ActionSettings) -> bool:
    """A name, role, team or initials: a few words, capitalised, with letters."""
    n_words = len(t.split())
    return 0 < n_words <= s.short_words and len(t) <= s.short_chars and t[:1].isupper() \
        and bool(_HAS_LETTER.search(t))


def _count(tally: _Tally, t: str, fill: str | None, color: str | None, prev: str, s: ActionSettings) -> None:
    is_rag = _is_rag(t, fill, color)
    is_date = bool(t) and not is_rag and _is_date(t)
    is_ref = bool(t) and not is_date and len(t) <= s.ref_chars and bool(parse_ref(t).value)
    tally.n += 1
    tally.words += len(t.split())
    tally.rag += is_rag
    tally.dates += is_date
    tally.refs += is_ref
    tally.short += not (is_rag or is_date or is_ref) and _is_short_name(t, s)
    tally.verbs += _opens_with_verb(t)
    tally.repeats += bool(t) and t == prev


def column_evidence(cells: list[str], fills: list[str | None] | None = None,
                    colors: list[str | None] | None = None,
                    settings: ActionSettings | None = None) -> ColumnEvidence:
    """Evidence from one column's data cells (one entry per data row, "" when empty)."""
    s = settings or ActionSettings()
    fills = fills or [None] * len(cells)
    colors = colors or [None] * len(cells)
    tally = _Tally()
    prev = ""
    for text, fill, color in zip(cells, fills, colors, strict=False):
        t = text.strip()
        if t or classify_fill(fill)[0]:
            _count(tally, t, fill, color, prev, s)
            prev = t
    n = tally.n
    if not n:
        return ColumnEvidence()
    return ColumnEvidence(filled=n, dates=tally.dates / n, rag=tally.rag / n, refs=tally.refs / n,
                          short_names=tally.short / n, prose=min(1.0, tally.words / n / s.prose_words),
                          verbs=tally.verbs / n, grouping=tally.repeats / max(1, n - 1))
