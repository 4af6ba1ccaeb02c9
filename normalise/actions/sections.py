"""Which heading an action sits under.

Plans put the heading in different places: a Word heading style, a numbered recommendation
paragraph ("1. Review processes ..."), a banner row inside the table ("Priority 2: ..."), a
banner wrapped over two rows, or the first cell of a header row.  The tracker sees every
candidate in reading order; the newest one wins.  Fragments are repaired only where the
document itself has the full text (a wrapped tail that ends an earlier numbered item, a
heading missing its first letter that is printed in full elsewhere).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from ..text.clean import clean_text

_NUMBERED = re.compile(r"^\d{1,2}\.?\s+\S")
_LETTERED = re.compile(r"^[a-z]\)\s")
_LOWER_WORD = re.compile(r"[a-z]{2}")
_LEGEND = re.compile(r"\S\s+=\s+\S")  # "$$ = 50 000 to 100 000", "R = Red": a key, not a heading
_TERMINAL = (".", ":", "!", "?")
MAX_HEADING = 160  # longer one-cell rows are content (a list, a note), not a heading
MAX_BANNER_IN_TABLE = 300
MAX_INNER = 1200  # an inner banner may state its objective in full (a paragraph)


def is_heading_text(text: str, max_len: int = MAX_HEADING) -> bool:
    """Plausible section text: has words, is not a lettered sub-item, an all-caps label or
    a key line ("G = on track")."""
    t = text.strip()
    letters = [ch for ch in t if ch.isalpha()]
    if len(letters) < 4 or _LETTERED.match(t) or t.endswith(":") or len(t) > max_len or _LEGEND.search(t):
        return False
    return not (t.upper() == t and len(t) < 80)


class SectionTracker:
    """The outer heading (``current``: a heading, a page or slide title, a banner above the
    header row) and, when the table has no aim column, the inner one (``inner``: a banner
    row inside the table, which groups the actions under it and becomes their aim).  A new
    outer heading clears the inner one, unless it only repeats the current heading (a slide
    or page title printed again over a continued table)."""

    def __init__(self) -> None:
        self.current = ""
        self.inner = ""
        self._inner_open = False
        self._banner_open = False  # the last candidate was a banner row that may continue
        self._seq = 0  # blocks and rows seen (``other`` counts them)
        self._para_at = -1  # when a paragraph last set the heading
        self.numbered_items: list[str] = []  # every "N. text" seen, to repair tails

    @property
    def banner_continues(self) -> bool:
        """The last candidate was a banner row that the next one-cell row may continue."""
        return self._banner_open

    # -- observation -------------------------------------------------------------------
    def start_part(self, heading: str) -> None:
        """A new part of the document (a spreadsheet's next sheet): its own heading, or
        none; nothing carries over from the part before."""
        self.current, self.inner = clean_text(heading), ""
        self._banner_open = self._inner_open = False

    def heading(self, text: str) -> None:
        t = clean_text(text)
        if is_heading_text(t):
            self._set(t)

    def paragraph(self, text: str, bold: bool = False, is_list: bool = False) -> None:
        """Numbered recommendations and short heading-like paragraphs are candidates; of
        list items only numbered ones (a bullet under a heading is content)."""
        t = clean_text(text)
        if _NUMBERED.match(t) and len(t) >= 40:
            self.numbered_items.append(t)
            self._set(t)
        elif t[:1].islower():
            full = self._complete_tail(t) or self._wrapped(t)
            if full:
                self._set(full)
        elif (bold or not is_list) and is_heading_text(t):
            self._set(t)
        else:
            return
        self._para_at = self._seq

    def _wrapped(self, t: str) -> str:
        """A heading paragraph wrapped onto the next line of a text extract: the line right
        after it, opening with a lower-case word, while the heading has no final stop."""
        if self._para_at != self._seq - 1 or not self.current or not _LOWER_WORD.match(t):
            return ""
        return "" if self.current.endswith(_TERMINAL) else f"{self.current} {t}"

    def cell_text(self, text: str) -> None:
        """Remember numbered items printed in tables (summary tables list recommendations)."""
        t = clean_text(text)
        if _NUMBERED.match(t) and len(t) >= 40:
            self.numbered_items.append(t)

    def banner(self, text: str, in_table: bool = False, inner: bool = False) -> None:
        """A one-cell row; consecutive ones wrap a single heading unless a full stop ends it.
        Inside an action table a banner may be longer (a priority written out in full).
        With ``inner`` (a banner inside a table without an aim column, under an outer
        heading) it is the inner heading and the outer one stays."""
        t = clean_text(text)
        limit = MAX_BANNER_IN_TABLE if in_table else MAX_HEADING
        if inner and self.current:
            if is_heading_text(t, MAX_INNER) or (self._inner_open and t[:1].islower()):
                self._set_inner(t)
            return
        if not is_heading_text(t, limit) and not (self._banner_open and t[:1].islower()):
            return
        if self._banner_open and self.current:
            if self.current.endswith(t):  # the same wrapped line printed twice
                return
            if t[:1].islower():
                self.current = f"{self.current} {t}"
                return
        self._set(t)
        self._banner_open = True

    def promote(self) -> None:
        """The inner heading was a banner printed just above a (repeated) header row: it heads
        what follows as the outer heading, not as a group inside the table above."""
        if self.inner:
            t, self.inner = self.inner, ""
            self._set(t)

    def other(self) -> None:
        """Anything else ends a run of banner rows."""
        self._banner_open = False
        self._inner_open = False
        self._seq += 1

    # -- helpers -----------------------------------------------------------------------
    def _set(self, text: str) -> None:
        if _key(text) != _key(self.current):
            self.inner = ""
        self.current = text
        self._banner_open = False

    def _set_inner(self, t: str) -> None:
        if self._inner_open and self.inner:
            if self.inner.endswith(t):  # the same wrapped line printed twice
                return
            if t[:1].islower():
                self.inner = f"{self.inner} {t}"
                return
        self.inner = t
        self._inner_open = True

    def _complete_tail(self, tail: str) -> str:
        for item in reversed(self.numbered_items):
            if item.endswith(tail) and len(item) > len(tail) + 10:
                return item
        return ""


@lru_cache(maxsize=1)
def _default_sheet_name() -> re.Pattern[str]:
    data = json.loads(resources.files(__package__).joinpath("sheets.json").read_text("utf-8"))
    names = "|".join(re.escape(n) for n in data["default_names"])
    return re.compile(rf"^(?:{names})\s*\d*$", re.I)


def sheet_heading(name: str | None) -> str:
    """A sheet's name as a heading ("Priority 2 - Safeguarding"), or "" for a name the
    spreadsheet program gave it ("Sheet1"), which says nothing about its content."""
    t = clean_text(name) if name else ""
    return "" if not t or _default_sheet_name().match(t) else t


def _key(text: str) -> str:
    """A heading compared without spacing, punctuation or case ("Plan ~ Health" is
    "Plan~ Health" printed again)."""
    return re.sub(r"\W+", "", text).casefold()


def repair_clipped(sections: list[str]) -> dict[str, str]:
    """Map a heading printed with its first letter(s) lost to the full form printed elsewhere."""
    fixes: dict[str, str] = {}
    distinct = set(sections)
    for s in distinct:
        for t in distinct:
            if t != s and t.endswith(s) and 0 < len(t) - len(s) <= 2 and s[:1].islower():
                fixes[s] = t
    return fixes
