"""RAG status cells (printed words, letters, or only a colour) to one small vocabulary.

Plans print status in many ways: "Green", "G", "On track", "Partly implemented", a cell
shaded green with no text, a coloured dot (a "●" whose font colour is the status), or OCR
damage such as "Arnber".  Downstream counts need one value per action, so every form maps to
red | amber | green | blue | completed, or "" when the cell says nothing certain.

Rules, in order of the evidence they trust:

1. the document's own colour key (``build_rag_key``: "Blue = Completed", a swatch beside
   "On track") wins over the general vocabulary, for words, letters and colours;
2. printed words are read with an exact vocabulary (``text/statuses.json``) plus qualifiers
   ("Green - on track", "Amber (improving)") and explicit OCR confusions ("rn" for "m", "0"
   for "o"), never a fuzzy cut-off, so "Chamber" is not amber and "Screen" is not green;
3. with no readable text, the font colour of a glyph ("●", "■") and then the cell fill, by hue.

A value that took judgement carries a warning; conflicting evidence keeps the printed text's
value and says so.  Statuses with no colour ("Not started", "On hold") give "" and keep raw.

Public API (stable; the action extractor calls these):

- ``read_rag(text, fill=None, color=None, key=None, settings=RAG_SETTINGS) -> RagValue``: one
  cell; ``RagValue(value, source, warning, raw, evidence)``, ``source`` one of "text", "key",
  "color", "fill", "".
- ``read_rag_cell(cell, key=None)``: the same for a parsed ``Cell`` (text, fill, color).
- ``build_rag_key(doc) -> RagKey``: the colour key / legend a document prints (may be empty).
- ``normalise_rag(text, fill=None)``: ``read_rag`` without glyph colour or key (old callers).
- ``classify_fill(hex) -> (value, warning)``: a colour by hue.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass, field
from typing import Any

from ...parsers.model import Cell
from ..text.clean import clean_text
from ..text.vocab import NO_COLOUR_STATUSES, RAG_LETTERS, RAG_STATUSES, STATUS_LABELS, STATUS_QUALIFIERS
from .rag_key import RagKey, build_key, key_colour

__all__ = ["VALUES", "RagKey", "RagSettings", "RagValue", "build_rag_key", "classify_fill", "hue_name",
           "normalise_rag", "read_rag", "read_rag_cell"]

VALUES = ("red", "amber", "green", "blue", "completed", "")

# OCR confusions (what was printed -> what was meant), applied at most ``max_ocr_edits`` times
# to a single unrecognised word; the result must be a status word exactly.
OCR_EDITS: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("m", "rn"), ("vv", "w"), ("ri", "n"), ("li", "h"), ("ii", "u"), ("cl", "d"),
    ("0", "o"), ("1", "l"), ("1", "i"), ("l", "i"), ("i", "l"), ("|", "l"), ("!", "l"), ("5", "s"),
    ("8", "b"), ("6", "b"), ("e", "c"), ("c", "e"),
)
# Characters that are a status marker when a cell holds nothing else (its colour is the status).
GLYPHS = "\u25cf\u25a0\u25b2\u25c6\u2b24\u25cb\u25a1\u25c9\u2022\u25aa\u25fc\u25fe\u2b1b\u26ab\u26aa\u2605\u25b6"


@dataclass(frozen=True)
class RagSettings:
    """Thresholds of the RAG reader (today's values are the defaults)."""

    fill_min_saturation: float = 0.15  # below: white, grey or black (no status)
    fill_min_value: float = 0.25
    # hue (degrees) buckets, checked in order; anything else (purple, pink) is not a RAG colour
    hues: tuple[tuple[float, float, str], ...] = (
        (0, 15, "red"), (15, 70, "amber"), (70, 170, "green"), (170, 260, "blue"), (330, 360, "red"))
    max_ocr_edits: int = 2
    min_ocr_len: int = 4  # shorter words are too easily another word
    max_ocr_len: int = 24  # longer texts are comments, not a damaged status
    # in a column already known to hold statuses, one damaged word this close to exactly one
    # colour word of its length is that colour (with a warning); never outside such a column
    column_min_len: int = 5
    column_max_edits: int = 2
    max_comment_words: int = 6  # "Green - work on track for June" reads green; a sentence does not
    max_phrase_words: int = 4


RAG_SETTINGS = RagSettings()


@dataclass
class RagValue:
    value: str
    source: str  # "text" | "key" | "color" | "fill" | ""
    warning: str = ""
    raw: str = field(default="", compare=False)  # the printed text, as given
    evidence: str = field(default="", compare=False)  # what decided: "text 'G'", "fill #00B050", ...


def _rgb(hexcolour: str | None) -> tuple[float, float, float] | None:
    h = (hexcolour or "").strip().lstrip("#")
    if len(h) == 8:
        h = h[2:]
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", h):
        return None
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def hue_name(hexcolour: str | None, settings: RagSettings = RAG_SETTINGS) -> str:
    """"red" | "amber" | "green" | "blue" | "other" (purple, pink) | "" (white/grey/black/unreadable)."""
    rgb = _rgb(hexcolour)
    if rgb is None:
        return ""
    hue, sat, val = colorsys.rgb_to_hsv(*rgb)
    if sat < settings.fill_min_saturation or val < settings.fill_min_value:
        return ""
    deg = hue * 360
    return next((name for lo, hi, name in settings.hues if lo <= deg < hi), "other")


def classify_fill(fill: str | None, settings: RagSettings = RAG_SETTINGS) -> tuple[str, str]:
    """RGB hex ("RRGGBB", "#RRGGBB" or ARGB "AARRGGBB") -> (value, warning) by hue."""
    if not fill:
        return "", ""
    if _rgb(fill) is None:
        return "", f"unreadable fill colour {fill!r}"
    name = hue_name(fill, settings)
    if name == "other":
        return "", f"fill colour #{fill.strip().lstrip('#')[-6:].upper()} is not a RAG colour"
    return name, ""


# -- printed text ----------------------------------------------------------------------------

_STRIP = " .,;:!-_*()[]\u2013\u2014"
_LABEL_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(x) for x in sorted(STATUS_LABELS, key=len, reverse=True))
                           + r")\s*[:=\-\u2013]\s*")
_MIXED = re.compile(r"^([a-z]+)\s*[/\\]\s*([a-z]+)$|^([a-z]{3,})\s*-\s*([a-z]{3,})$")
_TOKEN = re.compile(r"[a-z0-9|!]+(?:[-'][a-z]+)*")
_OCR_TARGETS = {**{w: "" for w in NO_COLOUR_STATUSES}, **RAG_STATUSES}


def _lookup(t: str, key: RagKey | None) -> tuple[str | None, str]:
    """Value of a whole status text (lower case), or None when it is not one."""
    if key is not None and t in key.words:
        return key.words[t], "key"
    if t in RAG_STATUSES:
        return RAG_STATUSES[t], "text"
    if t in NO_COLOUR_STATUSES:
        return "", "text"
    if len(t) == 1:
        if key is not None and t in key.letters:
            return key.letters[t], "key"
        if t in RAG_LETTERS:
            return RAG_LETTERS[t], "text"
    return None, ""


def _ocr_candidates(word: str, edits_left: int) -> set[str]:
    out: set[str] = set()
    for seen, meant in OCR_EDITS:
        start = word.find(seen)
        while start >= 0:
            fixed = word[:start] + meant + word[start + len(seen):]
            out.add(fixed)
            if edits_left > 1:
                out |= _ocr_candidates(fixed, edits_left - 1)
            start = word.find(seen, start + 1)
    return out


def _ocr_repair(t: str, settings: RagSettings) -> str | None:
    """The one status an OCR-damaged text stands for ("arnber" -> "amber"), else None."""
    if not settings.min_ocr_len <= len(t) <= settings.max_ocr_len:
        return None
    hits = {c for c in _ocr_candidates(t, settings.max_ocr_edits) if c in _OCR_TARGETS}
    return hits.pop() if len(hits) == 1 else None


def read_damaged_in_status_column(raw: str, settings: RagSettings = RAG_SETTINGS) -> RagValue | None:
    """A cell of a RAG column whose one word is no status but is within ``column_max_edits``
    letters of exactly one colour word of the same length ("dieen" -> green in an OCR'd plan).
    The column is the evidence, so this is only for cells of a column mapped to ``rag``."""
    from rapidfuzz.distance import Levenshtein

    word = raw.strip(_STRIP).lower()
    if not word.isalpha() or len(word) < settings.column_min_len:
        return None
    near = {v for w, v in RAG_STATUSES.items() if v and " " not in w and len(w) == len(word)
            and Levenshtein.distance(word, w, score_cutoff=settings.column_max_edits) <= settings.column_max_edits}
    if len(near) != 1:
        return None
    value = near.pop()
    return RagValue(value, "text", f"'{raw.strip()}' read as {value}: the one status word within "
                    f"{settings.column_max_edits} letters, in a status column", raw, f"damaged text '{raw.strip()}'")


def _phrases(tokens: list[str], key: RagKey | None, settings: RagSettings) -> list[tuple[str | None, str]]:
    """Tokens grouped into status phrases (value, text) or other words (None, word), longest first."""
    out: list[tuple[str | None, str]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(settings.max_phrase_words, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i:i + n])
            value, _ = _lookup(phrase, key) if n > 1 or len(phrase) > 1 else (None, "")
            if value is not None and phrase not in STATUS_QUALIFIERS:
                out.append((value, phrase))
                i += n
                break
        else:
            out.append((None, tokens[i]))
            i += 1
    return out


_Reading = tuple[str | None, str, str]  # (value or None when not a status, source, warning)
_NOT_READ: _Reading = (None, "", "")


def _mixed(t: str, printed: str, key: RagKey | None) -> _Reading:
    """"Amber/Green": two statuses; the first is taken, with a warning when they differ."""
    m = _MIXED.match(t)
    if m is None:
        return _NOT_READ
    a, b = (m[1], m[2]) if m[1] else (m[3], m[4])
    va, vb = _lookup(a, key)[0], _lookup(b, key)[0]
    if not (va and vb):
        return _NOT_READ
    return va, "text", ("" if va == vb else f"mixed status '{printed}'; took {va}")


def _qualified(parts: list[tuple[str | None, str]], printed: str) -> _Reading:
    """Statuses with only qualifiers around them: "Green - on track", "Amber (improving)"."""
    found = [v for v, _ in parts if v is not None]
    others = [w for v, w in parts if v is None]
    if not found or not all(w in STATUS_QUALIFIERS or RAG_LETTERS.get(w) in found for w in others):
        return _NOT_READ
    if len(set(found)) == 1:
        return found[0], "text", ""
    return found[0], "text", f"mixed status '{printed}'; took {found[0] or 'no colour'}"


def _commented(parts: list[tuple[str | None, str]], n_tokens: int, printed: str, s: RagSettings) -> _Reading:
    """A stray letter before a status ("c Completed"), or a status then a short comment."""
    if len(parts) == 2 and parts[0][0] is None and len(parts[0][1]) == 1 and parts[1][0] is not None:
        return parts[1][0], "text", f"ignored stray '{parts[0][1]}'"
    first = parts[0][0] if parts else None
    if first is not None and len(parts[0][1]) > 1 and n_tokens <= s.max_comment_words:
        return first, "text", f"took {first or 'no colour'} from '{printed}'"
    return _NOT_READ


def _read_words(t: str, printed: str, key: RagKey | None, s: RagSettings) -> _Reading:
    """(value, source, warning) for a text that is not one whole status."""
    got = _mixed(t, printed, key)
    if got[0] is not None:
        return got
    tokens = _TOKEN.findall(t)
    parts = _phrases(tokens, key, s)
    got = _qualified(parts, printed)
    return got if got[0] is not None else _commented(parts, len(tokens), printed, s)


def _read_text(raw: str, key: RagKey | None, s: RagSettings) -> tuple[str | None, str, str]:
    """(value or None when not a status, source, warning) from the printed text alone."""
    printed = clean_text(raw)
    t = printed.lower().strip(_STRIP)
    if not t:
        return "", "", ""
    t = _LABEL_PREFIX.sub("", t).strip(_STRIP)
    if t in STATUS_LABELS:
        return "", "", f"header text, not a status: '{printed}'"
    value, source = _lookup(t, key)
    if value is not None:
        return value, source, ("" if value else f"status '{printed}' has no RAG colour")
    fixed = _ocr_repair(t, s)
    if fixed is not None:
        value = _OCR_TARGETS[fixed]
        return value, "text", f"read '{printed}' as {fixed!r} (OCR)" + ("" if value else "; no RAG colour")
    value, source, warning = _read_words(t, printed, key, s)
    if value == "" and not warning:
        warning = f"status '{printed}' has no RAG colour"
    return value, source, warning


# -- colour evidence -------------------------------------------------------------------------

def _colour_value(colour: str | None, what: str, key: RagKey | None,
                  s: RagSettings) -> tuple[str | None, str, str]:
    """(value or None, source, warning) for a fill or glyph colour, the document's key first."""
    if not colour:
        return None, "", ""
    if key is not None:
        got = key_colour(key, colour, hue_name(colour, s))
        if got is not None:
            return got, "key", ""
    value, warning = classify_fill(colour, s)
    return (value or None), (what if value else ""), warning


def _is_glyphs(text: str) -> bool:
    t = (text or "").replace(" ", "")
    return bool(t) and all(ch in GLYPHS for ch in t)


def _combine(text_v: str | None, text_src: str, text_warn: str, colour: tuple[str | None, str, str],
             printed: str) -> RagValue:
    c_value, c_src, c_warn = colour
    if text_v:
        warn = text_warn
        if c_value and c_value != text_v and "completed" not in (text_v, c_value):
            warn = "; ".join(w for w in (warn, f"text says {text_v} but {c_src} is {c_value}") if w)
        return RagValue(text_v, text_src, warn)
    if c_value:
        if text_v is None:
            return RagValue(c_value, c_src, f"unrecognised status text '{printed}'; used {c_src}")
        return RagValue(c_value, c_src, text_warn)
    if text_v is None:
        return RagValue("", "", f"unrecognised status: '{printed}'")
    return RagValue("", "", text_warn or c_warn)


def read_rag(text: str, fill: str | None = None, color: str | None = None, key: RagKey | None = None,
             settings: RagSettings = RAG_SETTINGS) -> RagValue:
    """One status cell from its printed text, the font colour of a glyph, and its fill.

    ``color`` is used only when the text is empty or only glyphs ("●"): the colour of words
    is styling, the colour of a lone dot is the status.  Never raises."""
    printed = clean_text(text or "")
    glyphs = _is_glyphs(printed)
    text_v, text_src, text_warn = ("", "", "") if glyphs else _read_text(printed, key, settings)
    colour: tuple[str | None, str, str] = (None, "", "")
    if glyphs or not printed:
        colour = _colour_value(color, "color", key, settings)
    if colour[0] is None:
        fill_c = _colour_value(fill, "fill", key, settings)
        colour = fill_c if fill_c[0] is not None or not colour[2] else colour
    rv = _combine(text_v, text_src, text_warn, colour, printed)
    rv.raw = text or ""
    rv.evidence = _evidence(rv.source, printed, fill, color)
    return rv


def _evidence(source: str, printed: str, fill: str | None, color: str | None) -> str:
    if source in ("text", "key") and printed:
        return f"{source} '{printed}'"
    if source == "color" or (source == "key" and color and not printed):
        return f"glyph colour #{color}"
    if source in ("fill", "key"):
        return f"fill #{fill}"
    return ""


def _key_meaning(text: str) -> str | None:
    """What a key's meaning text ("On track", "Complete") says, by the general vocabulary only:
    a whole status or status phrase, never a status with a comment."""
    t = clean_text(text).lower().strip(_STRIP)
    value, _ = _lookup(t, None)
    if value is not None:
        return value
    parts = _phrases(_TOKEN.findall(t), None, RAG_SETTINGS)
    found = {v for v, _ in parts if v is not None}
    if len(found) == 1 and all(v is not None or w in STATUS_QUALIFIERS for v, w in parts):
        return found.pop()
    return None


def build_rag_key(doc: Any, settings: RagSettings = RAG_SETTINGS) -> RagKey:
    """The colour key / legend ``doc`` prints (empty ``RagKey`` when none); pass it to ``read_rag``."""
    return build_key(doc, _key_meaning, lambda c: hue_name(c, settings))


def read_rag_cell(cell: Cell | None, key: RagKey | None = None, settings: RagSettings = RAG_SETTINGS) -> RagValue:
    """``read_rag`` for a parsed cell: its text, fill and font colour."""
    if cell is None:
        return read_rag("", key=key, settings=settings)
    return read_rag(cell.text, cell.fill, cell.color, key, settings)


def normalise_rag(text: str, fill: str | None = None) -> RagValue:
    """Status from the printed text, else from the cell's fill colour (``read_rag`` without a key)."""
    return read_rag(text, fill)
