"""Which heading an action sits under.

Plans put the heading in different places: a Word heading style, a numbered recommendation
paragraph ("1. Review processes ..."), a banner row inside the table ("Priority 2: ..."), a
banner wrapped over two rows, or the first cell of a header row.  The tracker sees every
candidate in reading order; the newest one wins.  Fragments are repaired only where the
document itself has the full text (a wrapped tail that ends an earlier numbered item, a
heading missing its first letter that is printed in full elsewhere).
"""

from __future__ import annotations

import re

from ..text.clean import clean_text

_NUMBERED = re.compile(r"^\d{1,2}\.?\s+\S")
_LETTERED = re.compile(r"^[a-z]\)\s")
_TERMINAL = (".", ":", "!", "?")
_KEY_LINE = re.compile(r"^\S{1,5}\s*=\s*\S")  # "$$$ = 100 000 $", "R = off track": a key, not a heading
MAX_HEADING = 160  # longer one-cell rows are content (a list, a note), not a heading
MAX_BANNER_IN_TABLE = 300


def is_heading_text(text: str, max_len: int = MAX_HEADING) -> bool:
    """Plausible section text: has words, is not a lettered sub-item or an all-caps label."""
    t = text.strip()
    letters = [ch for ch in t if ch.isalpha()]
    if len(letters) < 4 or _LETTERED.match(t) or t.endswith(":") or len(t) > max_len or _KEY_LINE.match(t):
        return False
    return not (t.upper() == t and len(t) < 80)


class SectionTracker:
    """The newest heading (``current``), and the two levels it came from: ``outer`` (document
    headings, paragraphs, banners outside an action table) and ``inner`` (a banner row inside
    one).  A new outer heading closes the inner one."""

    def __init__(self) -> None:
        self.current = ""
        self.outer = ""
        self.inner = ""
        self._level = "outer"  # the level the newest heading was set at
        self._banner_open = False  # the last candidate was a banner row that may continue
        self.numbered_items: list[str] = []  # every "N. text" seen, to repair tails

    # -- observation -------------------------------------------------------------------
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
            full = self._complete_tail(t)
            if full:
                self._set(full)
        elif (bold or not is_list) and is_heading_text(t):
            self._set(t)

    def cell_text(self, text: str) -> None:
        """Remember numbered items printed in tables (summary tables list recommendations)."""
        t = clean_text(text)
        if _NUMBERED.match(t) and len(t) >= 40:
            self.numbered_items.append(t)

    def banner(self, text: str, in_table: bool = False) -> None:
        """A one-cell row; consecutive ones wrap a single heading unless a full stop ends it.
        Inside an action table a banner may be longer (a priority written out in full)."""
        t = clean_text(text)
        limit = MAX_BANNER_IN_TABLE if in_table else MAX_HEADING
        if not is_heading_text(t, limit) and not (self._banner_open and t[:1].islower()):
            return
        if self._banner_open and self.current:
            if self.current.endswith(t):  # the same wrapped line printed twice
                return
            if t[:1].islower():
                self._put(f"{self.current} {t}", self._level)
                return
        self._set(t, "inner" if in_table else "outer")
        self._banner_open = True

    def promote(self) -> None:
        """The newest heading was a banner printed just above a (repeated) header row: it
        heads what follows as an outer heading, not as a group inside the table above."""
        if self.inner and self._level == "inner":
            self.outer, self.inner, self._level = self.inner, "", "outer"

    def other(self) -> None:
        """Anything else ends a run of banner rows."""
        self._banner_open = False

    # -- helpers -----------------------------------------------------------------------
    def _set(self, text: str, level: str = "outer") -> None:
        self._put(text, level)
        self._banner_open = False

    def _put(self, text: str, level: str) -> None:
        self.current = text
        self._level = level
        if level == "inner":
            self.inner = text
        else:
            self.outer, self.inner = text, ""

    def _complete_tail(self, tail: str) -> str:
        for item in reversed(self.numbered_items):
            if item.endswith(tail) and len(item) > len(tail) + 10:
                return item
        return ""


def repair_clipped(sections: list[str]) -> dict[str, str]:
    """Map a heading printed with its first letter(s) lost to the full form printed elsewhere."""
    fixes: dict[str, str] = {}
    distinct = set(sections)
    for s in distinct:
        for t in distinct:
            if t != s and t.endswith(s) and 0 < len(t) - len(s) <= 2 and s[:1].islower():
                fixes[s] = t
    return fixes
