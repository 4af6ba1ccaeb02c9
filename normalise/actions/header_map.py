"""Recognise an action table's header row and score what each header cell names.

The vocabulary lives in data files: ``headers.json`` (whole phrases per field, in English,
Welsh and French) and ``header_words.json`` (single words that hint at a field, and the
modifier words "revised", "original", "support").  A header cell is scored against every
field by, best first: its whole text (or one half of a bilingual "Cymraeg / English" label)
being a known phrase, a rapidfuzz match for OCR damage ("Pof:", "Massura /autsama:"), a known
phrase printed inside a longer label ("Original target date"), and single hint words ("Key
*activity*", "Accountable *officer*").  A row counts as a header when enough of its cells
name distinct fields and one of them (or a blank first column) holds the actions (``header_rows.py``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from .settings import ActionSettings

FIELDS = ("section", "ref", "action", "aim", "start", "end", "measure", "lead", "dlt_lead", "comments", "rag")
DEFAULT = ActionSettings()
FUZZY_CUTOFF = DEFAULT.fuzzy_cutoff
MIN_FIELDS = DEFAULT.min_header_fields

Scores = dict[str, tuple[float, str]]  # field -> (score 0..1, why)


def _load(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))


def fold(text: str) -> str:
    """Lower case without accents ("Échéance" -> "echeance"), so one phrase serves both."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_MARKER = re.compile(r"^(?:[a-z]|\d+)[.)]\s+")
_PUNCT = re.compile(r"[^\w#]+")
_SPACES = re.compile(r"\s+")


def header_key(text: str) -> str:
    """Lower-case, fold accents, drop list markers ("c)"), punctuation and spacing."""
    t = fold(text.strip())
    t = _MARKER.sub("", t)
    t = _PUNCT.sub(" ", t)
    return _SPACES.sub(" ", t).strip()


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """phrase key -> field, from headers.json."""
    data = _load("headers.json")
    return {header_key(p): fld for fld, phrases in data.items() if not fld.startswith("_") for p in phrases
            if header_key(p)}


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    """header_words.json with every word folded like a header key."""
    data = _load("header_words.json")
    out: dict[str, Any] = {"tokens": {f: {header_key(w): s for w, s in ws.items()} for f, ws in data["tokens"].items()}}
    for k, v in data.items():
        if isinstance(v, list):
            out[k] = frozenset(header_key(w) for w in v)
    return out


@lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in vocabulary():
        toks = tuple(phrase.split())
        index.setdefault(toks[0], []).append(toks)
    return index


@lru_cache(maxsize=16384)  # every row is tried as a header: statuses, dates, leads repeat
def match_field(text: str) -> tuple[str, int] | None:
    """The field a header cell names by a whole phrase (exact or fuzzy), with its score."""
    key = header_key(text)
    if not key or len(key) > DEFAULT.max_header_len:
        return None
    vocab = vocabulary()
    if key in vocab:
        return vocab[key], 100
    if len(key) < 3:
        return None
    hit = process.extractOne(key, vocab.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if hit:
        return vocab[hit[0]], int(hit[1])
    return None


def _parts(text: str) -> list[str]:
    """The whole label and, for a bilingual or compound label, each half."""
    key = header_key(text)
    halves = [header_key(p) for p in re.split(r"\s*[/|\n]\s*", text) if header_key(p)]
    return [key] + [h for h in halves if h != key] if len(halves) > 1 else [key]


def _keep(out: Scores, fld: str, score: float, why: str) -> None:
    if score > out.get(fld, (0.0, ""))[0]:
        out[fld] = (round(score, 3), why)


def _phrase_scores(part: str, out: Scores, s: ActionSettings) -> None:
    vocab = vocabulary()
    if part in vocab:
        _keep(out, vocab[part], 1.0, f"header '{part}' is a known name")
        return
    if len(part) >= 3:
        hit = process.extractOne(part, vocab.keys(), scorer=fuzz.ratio, score_cutoff=s.fuzzy_cutoff)
        if hit:
            _keep(out, vocab[hit[0]], hit[1] / 100 * 0.98, f"header '{part}' reads like '{hit[0]}'")
    toks = part.split()
    index = _phrases_by_first_word()
    for i, tok in enumerate(toks):
        for phrase in index.get(tok, ()):
            text = " ".join(phrase)
            share = len(text) / len(part)
            if len(text) >= s.contained_min_len and share >= s.contained_min_share \
                    and tuple(toks[i:i + len(phrase)]) == phrase:
                _keep(out, vocab[text], 0.6 + 0.4 * share, f"header contains '{text}'")


def _word_scores(part: str, out: Scores, s: ActionSettings) -> None:
    """Hint words count in short labels only: in a longer text they are just words."""
    toks = part.split()
    if len(toks) > s.hint_max_words:
        return
    for tok in toks:
        for fld, table in words()["tokens"].items():
            w = table.get(tok)
            if w:
                _keep(out, fld, w, f"header word '{tok}'")


def _modifiers(key: str, out: Scores, s: ActionSettings) -> None:
    toks = set(key.split())
    w = words()
    if toks & w["latest"] and "end" in out:
        score, why = out["end"]
        out["end"] = (round(score + s.latest_bonus, 3), f"{why}; '{sorted(toks & w['latest'])[0]}' is the latest target")
    if toks & w["earliest"] and "end" in out:
        score, why = out["end"]
        out["end"] = (round(score - s.latest_bonus / 2, 3), f"{why}; an earlier target than a revised one")
    if toks & w["not_lead"]:
        for fld in ("lead", "dlt_lead"):
            out.pop(fld, None)


def header_scores(text: str, settings: ActionSettings = DEFAULT) -> Scores:
    """Every field a header cell may name, with a score in 0..1 and the reason."""
    return _header_scores(text, settings)


@lru_cache(maxsize=16384)
def _header_scores(text: str, s: ActionSettings) -> Scores:
    key = header_key(text)
    if not key or len(key) > s.max_header_len:
        return {}
    out: Scores = {}
    for part in _parts(text):
        _phrase_scores(part, out, s)
        _word_scores(part, out, s)
    _modifiers(key, out, s)
    return out


def best_field(text: str, settings: ActionSettings = DEFAULT) -> tuple[str, float] | None:
    scores = header_scores(text, settings)
    if not scores:
        return None
    fld = max(scores, key=lambda f: scores[f][0])
    return fld, scores[fld][0]
