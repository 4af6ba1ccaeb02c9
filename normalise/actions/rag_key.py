"""The colour key (legend) a plan prints, mapping its colours and letters to statuses.

Plans that show status only as colour usually print what the colours mean: a line "R = Off
track, A = At risk, G = On track, B = Complete", a small table of swatches beside their
meaning, or a legend row of shaded status words.  That key is the document's own definition
and wins over the general hue buckets: a plan whose key says "Blue = Completed" has no "blue"
actions, only completed ones.  A label the key defines twice, differently, is dropped.

``build_key(doc, read)`` reads the key; ``read`` turns a meaning ("On track") into a status value
("green"), "" for a status with no colour, or None when the text is not a status.  The public
entry point is ``rag.build_rag_key(doc)``, which passes the RAG vocabulary reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# Colour names a key may print as its labels.
COLOUR_NAMES = ("red", "amber", "green", "blue", "yellow", "orange", "purple", "grey", "gray", "black",
                "white", "pink", "brown")
MAX_KEY_TABLE_ROWS = 12  # a table this small whose rows are swatch + meaning is a key
MIN_LEGEND_ENTRIES = 2  # a row of a larger table is a legend row only with several entries

_PIECE = re.compile(r"(?:^|[\s:(])(?P<label>" + "|".join(COLOUR_NAMES) + r"|[a-z])\s*(?:=|:|-|\u2013|\u2014)\s*"
                    r"(?P<meaning>[a-z][a-z /'-]{1,40}?)\s*\.?\s*$", re.I)
_SPLIT = re.compile(r"[,;|\t]|\s{2,}")


@dataclass
class RagKey:
    """A document's colour key.  Empty when the document prints none."""

    words: dict[str, str] = field(default_factory=dict)  # colour word -> value ("blue" -> completed)
    letters: dict[str, str] = field(default_factory=dict)  # "c" -> completed
    colours: dict[str, str] = field(default_factory=dict)  # "RRGGBB" -> value
    hues: dict[str, str] = field(default_factory=dict)  # hue bucket ("blue") -> value
    warnings: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.words or self.letters or self.colours or self.hues)


def _norm_hex(colour: str) -> str:
    h = colour.strip().lstrip("#").upper()
    return h[2:] if len(h) == 8 else h


def key_colour(key: RagKey, colour: str, hue: str) -> str | None:
    """The key's value for a colour: the exact colour first, then its hue bucket."""
    exact = key.colours.get(_norm_hex(colour))
    if exact is not None:
        return exact
    return key.hues.get(hue) if hue else None


def _put(store: dict[str, str], label: str, value: str, key: RagKey, conflicts: set[str]) -> None:
    if label in conflicts:
        return
    have = store.get(label)
    if have is not None and have != value:
        del store[label]
        conflicts.add(label)
        key.warnings.append(f"colour key defines '{label}' twice ({have}, {value}); ignored")
    else:
        store[label] = value


def _text_entries(line: str, read: Callable[[str], str | None]) -> Iterable[tuple[str, str]]:
    """("label", value) for each "G = On track" piece of a line."""
    for piece in _SPLIT.split(line):
        m = _PIECE.search(piece)
        if m is None:
            continue
        value = read(m["meaning"])
        if value is not None:
            yield m["label"].lower(), value


def _cells_by_row(table: Any) -> dict[int, list[Any]]:
    rows: dict[int, list[Any]] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c)
    for cells in rows.values():
        cells.sort(key=lambda c: c.col)
    return rows


def _swatches(cells: list[Any], read: Callable[[str], str | None]) -> list[tuple[str, str]]:
    """(fill, value) pairs of a row: a shaded empty cell before its meaning, or a shaded status."""
    out = []
    for i, c in enumerate(cells):
        fill = getattr(c, "fill", None)
        if not fill:
            continue
        text = (c.text or "").strip()
        meaning = text or (cells[i + 1].text.strip() if i + 1 < len(cells) else "")
        value = read(meaning) if meaning else None
        if value is not None:
            out.append((_norm_hex(fill), value))
    return out


class _KeyReader:
    """Collects key entries from text lines and tables into one ``RagKey``."""

    def __init__(self, read: Callable[[str], str | None]) -> None:
        self.read = read
        self.key = RagKey()
        self.conflicts: set[str] = set()

    def put(self, store: dict[str, str], label: str, value: str) -> None:
        _put(store, label, value, self.key, self.conflicts)

    def line(self, text: str) -> None:
        for label, value in _text_entries(text, self.read):
            self.put(self.key.letters if len(label) == 1 else self.key.words, label, value)

    def table(self, table: Any) -> None:
        small = table.n_rows <= MAX_KEY_TABLE_ROWS
        for cells in _cells_by_row(table).values():
            for c in cells:
                self.line(c.text or "")
            found = _swatches(cells, self.read)
            if len(found) >= MIN_LEGEND_ENTRIES or (small and found and len(cells) <= 3):
                for fill, value in found:
                    self.put(self.key.colours, fill, value)

    def hues(self, hue: Callable[[str], str]) -> None:
        """Colour words and swatches also define their hue bucket ("blue" fills -> completed)."""
        for word, value in list(self.key.words.items()):
            if word in COLOUR_NAMES:
                self.put(self.key.hues, "amber" if word in ("yellow", "orange") else word, value)
        for fill, value in list(self.key.colours.items()):
            bucket = hue(fill)
            if bucket and bucket != "other":
                self.put(self.key.hues, bucket, value)


def build_key(doc: Any, read: Callable[[str], str | None], hue: Callable[[str], str]) -> RagKey:
    """The colour key printed anywhere in ``doc`` (text lines, key tables, legend rows)."""
    reader = _KeyReader(read)
    for block in getattr(doc, "blocks", []):
        table = getattr(block, "table", None)
        if table is not None:
            reader.table(table)
        elif block.kind == "key_value":
            reader.line(f"{block.key}: {block.value}")
        else:
            reader.line(block.text or "")
    reader.hues(hue)
    return reader.key
