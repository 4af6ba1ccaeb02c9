"""RAG status cells (printed words, letters, or only a fill colour) to one small vocabulary.

Plans print status in many ways: "Green", "G", "On track", "Completed", a cell coloured green
with no text, or OCR damage such as "dieen".  Downstream counts (how many actions are amber?)
need one value per action, so every form is mapped to red | amber | green | blue | completed,
or "" when the cell says nothing certain.  A value that took judgement carries a warning.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..text.clean import clean_text

VALUES = ("red", "amber", "green", "blue", "completed", "")

# Printed status (lower case, whitespace collapsed, trailing punctuation removed) -> value.
VOCABULARY: dict[str, str] = {
    "red": "red", "r": "red", "off track": "red", "off-track": "red", "significant delay": "red",
    "amber": "amber", "a": "amber", "at risk": "amber", "some delay": "amber", "slippage": "amber",
    "delayed": "amber", "some risk": "amber",
    "green": "green", "g": "green", "on track": "green", "on-track": "green", "on target": "green",
    "blue": "blue", "b": "blue",
    "completed": "completed", "complete": "completed", "done": "completed", "achieved": "completed",
    "closed": "completed",
}
# Printed statuses that are real but have no colour: empty value, with a warning.
NO_COLOUR = ("not started", "not yet started", "n/a", "na", "tbc")
# Header labels that end up in a status cell when a header row fuses with data.
LABELS = ("rag status", "rag rating", "rag", "status", "pac status", "progress")
# Fuzzy matching (OCR garbles): only single words of this length, against these words.
FUZZY_WORDS = ("amber", "green", "completed", "complete", "achieved")
FUZZY_MIN_LEN = 5
FUZZY_CUTOFF = 60.0
# Real words that score over the cut-off but are never a garbled status.
NOT_GARBLES = ("given", "queen", "seven", "eleven", "eaten", "order", "number", "member", "amend", "agreed")
# Fill colour: below this HSV saturation/value a fill is white, grey or black (no status).
FILL_MIN_SATURATION = 0.15
FILL_MIN_VALUE = 0.25
# Hue (degrees) buckets, checked in order; anything else (purple, pink) is not a RAG colour.
HUES: tuple[tuple[float, float, str], ...] = (
    (0, 15, "red"), (15, 70, "amber"), (70, 170, "green"), (170, 260, "blue"), (330, 360, "red"),
)

_LABEL_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(x) for x in LABELS) + r")\s*:\s*")
_MIXED = re.compile(r"^([a-z]+)\s*[/\\-]\s*([a-z]+)$")


@dataclass
class RagValue:
    value: str
    source: str  # "text" | "fill" | ""
    warning: str = ""


def classify_fill(fill: str | None) -> tuple[str, str]:
    """RGB hex ("RRGGBB", "#RRGGBB" or ARGB "AARRGGBB") -> (value, warning) by hue."""
    if not fill:
        return "", ""
    h = fill.strip().lstrip("#")
    if len(h) == 8:
        h = h[2:]
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", h):
        return "", f"unreadable fill colour {fill!r}"
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, sat, val = colorsys.rgb_to_hsv(r, g, b)
    if sat < FILL_MIN_SATURATION or val < FILL_MIN_VALUE:
        return "", ""
    deg = hue * 360
    for lo, hi, name in HUES:
        if lo <= deg < hi:
            return name, ""
    return "", f"fill colour #{h.upper()} is not a RAG colour"


def _lookup(t: str) -> tuple[str | None, str]:
    """Value for a cleaned, lower-case text, or None when the text is not a status."""
    if t in VOCABULARY:
        return VOCABULARY[t], ""
    if t in NO_COLOUR:
        return "", f"status '{t}' has no RAG colour"
    m = _MIXED.match(t)
    if m and m[1] in VOCABULARY and m[2] in VOCABULARY and len(m[1]) > 1 and len(m[2]) > 1:
        first = VOCABULARY[m[1]]
        if first == VOCABULARY[m[2]]:
            return first, ""
        return first, f"mixed status '{t}'; took {first}"
    return None, ""


def _read_text(raw: str) -> tuple[str | None, str]:
    t = clean_text(raw).lower().strip(" .,;:!-_*")
    if not t:
        return "", ""
    t = _LABEL_PREFIX.sub("", t)
    if t in LABELS:
        return "", f"header text, not a status: '{clean_text(raw)}'"
    value, warning = _lookup(t)
    if value is not None:
        return value, warning
    words = t.split()
    # A stray letter from a neighbouring column: "c Completed", "s Completed".
    if len(words) == 2 and len(words[0]) == 1 and len(words[1]) > 1:
        value, warning = _lookup(words[1])
        if value is not None:
            return value, warning or f"ignored stray '{words[0]}'"
    # A status word followed by a short comment: "Green - on track", "Complete and ongoing".
    if 1 < len(words) <= 6:
        for lead in (" ".join(words[:2]), words[0]):
            if len(lead) > 1 and lead in VOCABULARY:
                return VOCABULARY[lead], f"took {VOCABULARY[lead]} from '{clean_text(raw)}'"
    # OCR garble of a single word: "dieen" -> green.
    if len(words) == 1 and t.isalpha() and len(t) >= FUZZY_MIN_LEN and t not in NOT_GARBLES:
        best = process.extractOne(t, FUZZY_WORDS, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is not None and abs(len(best[0]) - len(t)) <= 2:
            value = VOCABULARY[best[0]]
            return value, f"read '{clean_text(raw)}' as {value}"
    return None, ""


def normalise_rag(text: str, fill: str | None = None) -> RagValue:
    """Status from the printed text, else from the cell's fill colour.  Never raises."""
    value, warning = _read_text(text or "")
    fill_value, fill_warning = classify_fill(fill)
    if value:
        if fill_value and fill_value != value and value != "completed":
            warning = "; ".join(w for w in (warning, f"text says {value} but fill is {fill_value}") if w)
        return RagValue(value, "text", warning)
    if value is None and fill_value:
        return RagValue(fill_value, "fill", f"unrecognised status text '{clean_text(text)}'; used fill")
    if value is None:
        return RagValue("", "", f"unrecognised status: '{clean_text(text)}'")
    if fill_value:  # empty text, or a status with no colour ("Not started") on a coloured cell
        return RagValue(fill_value, "fill", warning)
    return RagValue("", "", warning or fill_warning)
