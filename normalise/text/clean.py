"""Text clean-up that is certain: whitespace, line-break hyphens, look-alike letters.

Extraction (PDF text layers, OCR, copy-paste into Word) leaves three kinds of damage that
never carry meaning: runs of whitespace (NBSP, newlines), the space after a hyphen where a
word was broken across lines ("Multi- Agency"), and Cyrillic/Greek letters that look exactly
like Latin ones ("СР" for "CP").  Everything else is wording, and wording is kept as printed;
anything less certain belongs to the caller, not here.
"""

from __future__ import annotations

import re
import unicodedata

# Look-alike letters -> the Latin letter they imitate.  Only letters that render identically in
# ordinary fonts; e.g. Cyrillic "п" or Greek "ν" are not here because they are distinguishable.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic capitals
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H",
    "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0405": "S",
    "\u0406": "I", "\u0408": "J", "\u04ae": "Y",
    # Cyrillic small
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0455": "s", "\u0456": "i", "\u0458": "j", "\u04bb": "h",
    # Greek capitals
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I",
    "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T",
    "\u03a5": "Y", "\u03a7": "X",
    # Greek small
    "\u03bf": "o",
}

# Characters that are invisible and carry nothing (zero-width space/joiners, BOM, soft hyphen).
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Words after which "pre- and post-" style suspended hyphens are real, so "x- and" keeps its space.
SUSPENDED_HYPHEN_NEXT = ("and", "or", "nor", "to")

_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_WORD = re.compile(r"[^\W\d_]+")  # maximal run of letters (any script)
_BREAK_HYPHEN = re.compile(r"(?<=[^\W\d_])- (?=([^\W\d_]+))")


def _is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")


def _fix_word(m: re.Match[str]) -> str:
    word = m.group(0)
    if not any(ch in HOMOGLYPHS for ch in word):
        return word
    has_latin = any(_is_latin(ch) for ch in word)
    foreign = [ch for ch in word if not _is_latin(ch)]
    if has_latin and all(ch in HOMOGLYPHS for ch in foreign):
        # A Latin word with a few look-alikes mixed in: no real word mixes scripts.
        return "".join(HOMOGLYPHS.get(ch, ch) for ch in word)
    if not has_latin and all(ch in HOMOGLYPHS and ch.isupper() for ch in word):
        # All-caps token made only of look-alikes ("СР"): in an English paper these are
        # initials or acronyms typed on a foreign keyboard layout.
        return "".join(HOMOGLYPHS[ch] for ch in word)
    return word


def fix_homoglyphs(s: str) -> str:
    """Replace look-alike Cyrillic/Greek letters where the word is evidently Latin."""
    if s.isascii():
        return s  # every look-alike is non-ASCII: most text needs no word-by-word pass
    return _WORD.sub(_fix_word, s)


def _join_break_hyphen(m: re.Match[str]) -> str:
    return "- " if m.group(1).lower() in SUSPENDED_HYPHEN_NEXT else "-"


def clean_text(s: str) -> str:
    """Whitespace collapsed, line-break hyphen spaces removed, look-alike letters fixed.

    Idempotent, and never removes a letter or digit: the sequence of non-space characters
    is unchanged apart from homoglyph substitution and invisible characters.
    """
    if not s:
        return ""
    s = _INVISIBLE_RE.sub("", s)
    s = " ".join(s.split())
    if "- " in s:
        s = _BREAK_HYPHEN.sub(_join_break_hyphen, s)
    return fix_homoglyphs(s)


def clean_cell(s: str | None) -> str:
    """``clean_text`` for a table cell that may be missing (None)."""
    return clean_text(s) if s else ""
