"""Shared vocabularies: statuses, stop-words, number words, date words, and stemming.

Every room reads words the same way, so the word lists live once, as data files beside this
module (``statuses.json``, ``stopwords.json``, ``number_words.json``, ``date_words.json``), and
code holds only the rules that use them.  A list is extended by editing its JSON, never by
adding a literal to a module.

Public names (stable; other rooms import them):

- ``RAG_STATUSES`` printed status phrase -> red | amber | green | blue | completed
- ``NO_COLOUR_STATUSES`` printed statuses with no colour ("not started", "on hold")
- ``RAG_LETTERS`` one-letter codes (R/A/G/B/C), ``STATUS_LABELS``, ``STATUS_QUALIFIERS``
- ``COMPLETION_WORDS`` words saying an action is finished ("completed", "implemented")
- ``RAG_RANK`` value -> progress order (0 = completed ... 3 = red)
- ``REPORT_STATUS_CONTEXT`` words a report uses about progress that are not a colour
- ``FUNCTION_WORDS`` English words with no content; ``is_phrase_boundary(word)`` a word that
  ends a noun phrase (function word, verb or adverb form)
- ``AGGREGATE_LABELS`` labels of a summary row ("Total", "Average")
- ``NUMBER_WORDS`` word -> value ("six" -> 6, "twenty" -> 20, "dozen" -> 12)
- ``SEASONS``, ``UNDATED_WORDS``, ``DATE_LEAD_IN``, ``QUARTER_WORDS``, ``REVISION_WORDS`` (date cells)
- ``stem(word)`` suffix stripping for matching wording ("publishing" ~ "publish")
- ``fold_plural(word)`` plural folding only ("workers" -> "worker")
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


def _load(name: str) -> dict[str, Any]:
    """A JSON word list shipped beside this module (package data, not a user file)."""
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))
    return data


_STATUS = _load("statuses.json")
_STOP = _load("stopwords.json")
_NUMBERS = _load("number_words.json")
_DATES = _load("date_words.json")

RAG_STATUSES: dict[str, str] = dict(_STATUS["rag"])
NO_COLOUR_STATUSES: frozenset[str] = frozenset(_STATUS["no_colour"])
RAG_LETTERS: dict[str, str] = dict(_STATUS["letters"])
STATUS_LABELS: frozenset[str] = frozenset(_STATUS["labels"])
STATUS_QUALIFIERS: frozenset[str] = frozenset(_STATUS["qualifiers"])
COMPLETION_WORDS: frozenset[str] = frozenset(_STATUS["completion"])
REPORT_STATUS_CONTEXT: frozenset[str] = frozenset(_STATUS["report_context"])
RAG_RANK: dict[str, int] = dict(_STATUS["progress_rank"])

FUNCTION_WORDS: frozenset[str] = frozenset(_STOP["function_words"])
LINKING_STOPWORDS: frozenset[str] = FUNCTION_WORDS | frozenset(_STOP["linking_extra"])
VERB_FORMS: frozenset[str] = frozenset(_STOP["verb_forms"]) | frozenset(_STOP["trend_verbs"])
AGGREGATE_LABELS: frozenset[str] = frozenset(_STOP["aggregate_labels"])

NUMBER_UNITS: dict[str, int] = dict(_NUMBERS["units"])
NUMBER_TENS: dict[str, int] = dict(_NUMBERS["tens"])
NUMBER_WORDS: dict[str, int] = {**NUMBER_UNITS, **NUMBER_TENS, **_NUMBERS["scales"]}

SEASONS: dict[str, tuple[int, int]] = {k: (int(v[0]), int(v[1])) for k, v in _DATES["seasons"].items()}
UNDATED_WORDS: tuple[str, ...] = tuple(_DATES["undated"])
DATE_LEAD_IN: tuple[str, ...] = tuple(sorted(_DATES["lead_in"], key=len, reverse=True))
QUARTER_WORDS: tuple[str, ...] = tuple(_DATES["quarter_words"])
REVISION_WORDS: tuple[str, ...] = tuple(_DATES["revision_words"])


@dataclass(frozen=True)
class WordFormSettings:
    """Lengths for the verb/adverb-by-form rule (short words are too often nouns: "need", "family")."""

    min_ed_len: int = 5  # "rated", "classed"; "need", "bed" are shorter
    min_ly_len: int = 8  # "persistently", "currently"; "family", "early", "supply" are shorter
    noun_ly_endings: tuple[str, ...] = ("mbly", "ply", "ily")  # "assembly", "supply", "family"
    noun_ed_endings: tuple[str, ...] = ("eed",)  # "need", "speed"


WORD_FORMS = WordFormSettings()


def is_verb_or_adverb_form(word: str, settings: WordFormSettings = WORD_FORMS) -> bool:
    """A past participle ("classed", "rated") or -ly adverb ("persistently") by its form, or a
    listed irregular / change verb.  Lower-case nouns rarely take these endings at these
    lengths; a capitalised word ("Ofsted") is a name, not a verb form."""
    w = word.lower()
    if w in VERB_FORMS:
        return True
    if word[:1].isupper():
        return False  # "Ofsted", "Early": names and headings, not verb forms
    if len(w) >= settings.min_ed_len and w.endswith("ed") and not w.endswith(settings.noun_ed_endings):
        return True
    return len(w) >= settings.min_ly_len and w.endswith("ly") and not w.endswith(settings.noun_ly_endings)


def is_phrase_boundary(word: str) -> bool:
    """A word that cannot sit inside a noun phrase such as "areas for improvement"."""
    return word.lower() in FUNCTION_WORDS or is_verb_or_adverb_form(word)


# Suffixes removed by ``stem`` (longest first); a suffix is removed only when at least this many
# letters remain, so "ring" or "bed" are never cut.
STEM_SUFFIXES: tuple[str, ...] = ("ations", "ation", "ions", "ion", "ing", "ed", "es", "s")
STEM_MIN_REMAINDER = 4


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude English stemming for matching wording: "Publishing"/"Publish", "completion"/"complete"."""
    w = word.lower().replace("'", "")
    if len(w) > 5 and w.endswith("ies"):
        return w[:-3] + "y"
    for suf in STEM_SUFFIXES:
        if len(w) >= len(suf) + STEM_MIN_REMAINDER and w.endswith(suf):
            w = w[: -len(suf)]
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


@lru_cache(maxsize=200_000)
def fold_plural(word: str) -> str:
    """Plural folding only ("workers" -> "worker", "authorities" -> "authority"); keeps "process"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def number_value(token: str) -> int | None:
    """"six" -> 6, "twenty-one" / "twenty one" -> 21; None when a part is not a number word."""
    parts = token.lower().replace("-", " ").split()
    if not parts or not all(p in NUMBER_WORDS for p in parts):
        return None
    return sum(NUMBER_WORDS[p] for p in parts)
