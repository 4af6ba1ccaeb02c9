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
MAX_ENTRY_CHARS = 70  # a key entry ("R = off track, escalate to the board") is short

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
    entries: list[tuple[str, str, str]] = []
    for c in candidates:  # every cell must be an entry: stop at the first that is not
        e = _key_entry(c) if len(c.text) <= MAX_ENTRY_CHARS else None
        if e is None:
            break
        entries.append(e)
    return entries, len(candidates), keyed


def _coloured(colour: str | None) -> bool:
    """A real colour (not white, grey or black), whether or not its hue is a RAG colour: a
    key exists to say what its colours mean, purple included."""
    value, warning = classify_fill(colour)
    return bool(value) or "not a RAG colour" in warning


def _swatch(cell: Cell) -> str:
    """The colour of a cell that is only a colour: filled and empty, or a glyph ("●")."""
    if any(ch.isalnum() for ch in cell.text):
        return ""
    colour = cell.fill or cell.color or ""
    return colour if _coloured(colour) else ""


def _swatch_row(filled: list[Cell]) -> Legend | None:
    """One line of a key printed as a table: a colour swatch beside the status it means."""
    if len(filled) != 2:
        return None
    colour = _swatch(filled[0])
    value = normalise_rag(filled[1].text).value if colour else ""
    if not value:
        return None
    return Legend(colours={colour.upper(): value}, printed=[f"{colour} = {filled[1].text.strip()}"])


def read_legend(cells: list[Cell], settings: ActionSettings = DEFAULT) -> Legend | None:
    """A colour key row: "Key" followed by statuses, or statuses each on its own colour or
    given by a letter ("G = on track"), or one swatch beside its status.  Every filled cell
    must be an entry."""
    filled = [c for c in cells if c.text.strip() or c.fill]
    if not filled:
        return None
    swatch = _swatch_row(filled)
    if swatch is not None:
        return swatch
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
    coloured = sum(1 for col, _, _ in entries if _coloured(col))
    return coloured >= s.min_legend_cells or any(letter for _, letter, _ in entries)


_TEXT_PAIR = re.compile(r"(?P<a>[^,;=:–—]{1,20}?)\s*[=:–—-]\s*(?P<b>[^,;]{2,40})")


def read_legend_text(text: str) -> Legend | None:
    """A key printed as a line of text: "Key: B = complete, G = on track, R = off track"."""
    head, sep, rest = text.partition(":")
    if not sep or header_key(head) not in words()["legend_words"]:
        return None
    legend = Legend(printed=[text.strip()])
    for m in _TEXT_PAIR.finditer(rest):
        a, b = m["a"].strip(), m["b"].strip()
        value = normalise_rag(b).value
        if value and len(a) <= 2:
            legend.letters[a.lower()] = value
    return legend if len(legend.letters) >= DEFAULT.min_legend_cells else None
