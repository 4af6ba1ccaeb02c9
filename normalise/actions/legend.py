"""A plan's colour key / legend: which colour or letter means which status.

Plans that show status only as a colour usually print the key once: a row "Key: | Complete |
On track | ..." with each cell filled in its colour, or cells such as "R = off track".  The
key row is never an action; what it says is handed to the RAG reader so a cell filled in the
key's purple reads as the key's "complete", whatever hue-guessing would say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...parsers.model import Cell
from .header_map import header_key, words
from .rag import classify_fill, normalise_rag
from .settings import ActionSettings

DEFAULT = ActionSettings()

_KEY_PAIR = re.compile(r"^\s*(?P<a>[^=:–—-]{1,30}?)\s*[=:–—-]\s*(?P<b>.{2,60})$")


@dataclass
class Legend:
    """What a plan's colour key says: fill or font colour -> status, letter -> status."""

    colours: dict[str, str] = field(default_factory=dict)
    letters: dict[str, str] = field(default_factory=dict)
    printed: list[str] = field(default_factory=list)

    def read(self, text: str, fill: str | None) -> str:
        """The status the key gives a cell, or "" when the key says nothing about it."""
        t = text.strip().lower()
        if t and t in self.letters:
            return self.letters[t]
        if not t and fill and fill.upper() in self.colours:
            return self.colours[fill.upper()]
        return ""


def _key_entry(cell: Cell) -> tuple[str, str, str] | None:
    """(colour, letter, status) from one key cell, or None when the cell is not a key entry."""
    text = cell.text.strip()
    colour = cell.fill or cell.color or ""
    m = _KEY_PAIR.match(text)
    if m:
        a, b = m["a"].strip(), m["b"].strip()
        first, second = normalise_rag(a).value, normalise_rag(b).value
        if first:
            return colour, a.lower() if len(a) <= 2 else "", second or first
        return None
    value = normalise_rag(text, None).value if text else ""
    if value and len(text) <= 40 and (colour or len(text) > 2):
        return colour, "", value
    return None


def _entries(cells: list[Cell]) -> tuple[list[tuple[str, str, str]], int, bool]:
    """The key entries of a row, how many cells could have been entries, and whether the row
    opens with a "Key"/"Legend" label."""
    keyed = header_key(cells[0].text) in words()["legend_words"]
    candidates = cells[1:] if keyed else cells
    return [e for c in candidates if (e := _key_entry(c))], len(candidates), keyed


def read_legend(cells: list[Cell], settings: ActionSettings = DEFAULT) -> Legend | None:
    """A colour key row: "Key" followed by statuses, or statuses each on its own colour or
    given by a letter ("G = on track").  Every filled cell must be an entry."""
    filled = [c for c in cells if c.text.strip() or c.fill]
    if not filled:
        return None
    entries, candidates, keyed = _entries(filled)
    if len(entries) < max(settings.min_legend_cells, candidates):
        return None
    if not (keyed or _says_what_colours_mean(entries, settings)):
        return None
    legend = Legend(printed=[c.text.strip() for c in filled])
    for colour, letter, value in entries:
        if colour:
            legend.colours[colour.upper()] = value
        if letter:
            legend.letters[letter] = value
    return legend


def _says_what_colours_mean(entries: list[tuple[str, str, str]], s: ActionSettings) -> bool:
    """Unlabelled, a row of statuses is a key only when it gives letters or colours."""
    coloured = sum(1 for col, _, _ in entries if col and classify_fill(col)[0])
    return coloured >= s.min_legend_cells or any(letter for _, letter, _ in entries)
