"""Key figures: every number a report states as a fact, with its unit and what it counts.

Officers summarise a plan in numbers ("101 actions had successfully been completed out of 133",
"86% of social workers have 20 or fewer children", "six actions classed as amber"); those
numbers are what a longitudinal dataset compares between meetings.  Reading them is done one
sentence at a time with ordered patterns: money, percentages, periods, dates, years, ranges,
amounts of time, then plain counts (digits or number words).  A span taken by an earlier
pattern is not read again, and numbers that are labels rather than facts (list numbering,
"Priority 5", "Section 47", phone numbers, codes like "SS1") are masked first.

Action tables are skipped: their dates and refs are the actions' own fields (actions.csv).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...parsers.model import Document, Provenance
from ..records import ActionRecord
from ..text.dates import find_dates, find_periods
from ..text.vocab import (
    FUNCTION_WORDS,
    NUMBER_TENS,
    NUMBER_UNITS,
    NUMBER_WORDS,
    VERB_FORMS,
    is_phrase_boundary,
)
from .records import FigureRecord

_TENS = "|".join(NUMBER_TENS)
_WORD_NUM = (rf"(?:(?:{_TENS})[\s-](?:{'|'.join(w for w, v in NUMBER_UNITS.items() if v < 10)})|"
             + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")")
_DIGITS = r"(?<![\d.,£/])\d{1,3}(?:,\d{3})+(?![\d.,]\d)|(?<![\d.,£/])\d+(?:\.\d+)?(?![\d,]|\.\d)"
NUM = rf"(?:{_DIGITS}|\b{_WORD_NUM}\b)"

_TIME_UNITS = {"minute": "minutes", "hour": "hours", "day": "days", "week": "weeks", "month": "months",
               "year": "years"}
_UNIT_RE = re.compile(
    rf"(?P<n>{NUM})(?:\s+|-)(?P<q>working|calendar|school|subsequent|consecutive|further|more|additional|full)?"
    rf"\s*(?P<u>minute|hour|day|week|month|year)s?\b(?!\s*(?:old|on|olds)\b)", re.I)
_FREQ_RE = re.compile(rf"(?P<n>{NUM})[\s-](?P<u>week|month|year)ly\b", re.I)
_PERCENT_RE = re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b)", re.I)
_MONEY_RE = re.compile(
    r"£\s?(?P<n>\d[\d,]*(?:\.\d+)?)\s?(?P<s>m\b|million\b|bn\b|billion\b|k\b|thousand\b)?", re.I)
_YEAR_RE = re.compile(r"(?<![\d/\-])(?P<n>(?:19[5-9]|20[0-9])\d)(?![\d/%]|\s*-\s*\d)")
_RANGE_RE = re.compile(r"(?<![\d.£/])(?P<a>\d{1,3})\s?(?:-|\u2013|to)\s?(?P<b>\d{1,3})(?![\d.%])")
_COUNT_RE = re.compile(NUM, re.I)
_HALF_RE = re.compile(r"\b(?:just\s+(?:under|over)\s+|around\s+|about\s+|over\s+|nearly\s+)?half\b", re.I)

# Numbers that label things rather than state facts.
_MASKS = [
    re.compile(r"^\s*\(?\d+(?:\.\d+)*[.)]\s+"),  # list numbering: "2. This plan", "1.2. We have"
    re.compile(r"^\s*\d+\.\d+(?:\.\d+)*\s+"),  # "1.1 An update"
    re.compile(r"\b(?:priority|priorities|(?:ofsted\s+)?recommendations?|rec|section|s\.|appendix|annex|"
               r"table|page|paragraph|para|item|point|tier|level|stage|key stage|phase|chapter|figure|"
               r"question|option|part|case|step|action|ref|objective|outcome|theme|area|year|room|"
               r"floor|ks|no\.?|number)\s*\d+(?:\.\d+)*[a-z]?\b", re.I),
    re.compile(r"(?<!\d)0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"),  # phone numbers
    re.compile(r"\S+@\S+|https?://\S+|www\.\S+"),
    re.compile(r"\b[A-Za-z]+\d+[A-Za-z\d]*\b|\b\d+[A-Za-z]{2,}\b(?<!\d(?:st|nd|rd|th))"),  # SS1, BR2, A5.1, 3G
    re.compile(r"\b\d+\.\d+\.\d+\b"),  # action refs "2.2.1"
]

class _PhraseBoundary:
    """``word in _STOP``: a word (as printed) that ends a noun phrase, by rule
    (``vocab.is_phrase_boundary``: function words, and lower-case verb or adverb forms such as
    "classed", "rated", "stubbornly")."""

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and is_phrase_boundary(word)


_STOP = _PhraseBoundary()


def _participle(word: str) -> bool:
    """A regular past participle ("qualified", "allocated"): before a noun it is an adjective."""
    return word.endswith("ed") and word not in FUNCTION_WORDS and word not in VERB_FORMS
_INNER = {"of", "for", "in", "and"}  # may sit inside a noun phrase ("areas for improvement")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*")
_SENT_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'\u2018\u201c\d])")


@dataclass
class Segment:
    """A piece of running text with where it came from."""

    text: str
    prov: Provenance
    block: int
    kind: str = "paragraph"  # block kind, "cell" for a table cell


def _num_value(tok: str) -> float | None:
    t = tok.lower().replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    parts = re.split(r"[\s-]+", t)
    if all(p in NUMBER_WORDS for p in parts):
        return float(sum(NUMBER_WORDS[p] for p in parts))
    return None


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def _np_after(text: str, pos: int, max_words: int = 5) -> str:
    """The noun phrase that follows ``pos``: "areas for improvement", "social workers"."""
    rest = text[pos:]
    m = re.match(r"\s*(?:or\s+(?:fewer|more|less|over|under)\s+|of\s+(?:the\s+|our\s+|all\s+|these\s+)?)?", rest)
    i = m.end() if m else 0
    words: list[str] = []
    for wm in _WORD.finditer(rest, i):
        gap = rest[i:wm.start()]
        if gap.strip():  # punctuation ends the phrase
            break
        w = wm.group(0)
        lw = w.lower()
        if lw in _INNER and lw != "and" and words:
            nxt = _WORD.match(rest, wm.end() + 1) if wm.end() + 1 < len(rest) else None
            if nxt is None or nxt.group(0) in _STOP or rest[wm.end():nxt.start()].strip():
                break
            words.append(w)
        elif w in _STOP and (words or not _participle(lw)) or lw in NUMBER_WORDS or lw == "and":
            # a participle right after the number describes the noun ("20 qualified staff")
            break
        else:
            words.append(w)
        i = wm.end()
        if len(words) >= max_words:
            break
    while words and words[-1].lower() in _INNER:
        words.pop()
    return " ".join(words)


def _np_before(text: str, pos: int, max_words: int = 4) -> str:
    """The noun phrase just before ``pos``, skipping "at", "remains high", "(": "vacancy figure"."""
    head = text[:pos]
    toks = list(_WORD.finditer(head))
    words: list[str] = []
    end = len(head)
    started = False
    for wm in reversed(toks):
        gap = head[wm.end():end]
        w = wm.group(0)
        lw = w.lower()
        if wm.start() > 0 and head[wm.start() - 1].isdigit():
            break  # "£1.2m": the unit of a number, not a word
        if not started:
            if gap.strip(" (") or w in _STOP:
                if gap.strip(" (") and not started:
                    break
                end = wm.start()
                continue
            started = True
            words.insert(0, w)
        else:
            if gap.strip():
                break
            if lw in _INNER and lw != "and":
                words.insert(0, w)
            elif w in _STOP and not _participle(lw):  # "new refreshed version": an adjective
                break
            else:
                words.insert(0, w)
        end = wm.start()
        if len([x for x in words if x.lower() not in _INNER]) >= max_words:
            break
    while words and words[0].lower() in _INNER:
        words.pop(0)
    return " ".join(words)


_NUMBERING = re.compile(r"^\s*\(?\d{1,3}(?:\.\d{1,3})*[.)]\s+(?=\S)")
_NUMBERING_LOOSE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s+(?=\*?[A-Z][a-z])")


def strip_numbering(text: str, kind: str) -> str:
    """Drop the paragraph/list number ("2. This plan", "1.1. An update") before sentences are
    split, so it is neither read as a count nor cut off as a one-word sentence.  Headings, list
    items and cells also lose a number without a full stop ("9 Improve performance ...")."""
    m = _NUMBERING.match(text)
    if m:
        return " " * m.end() + text[m.end():]
    if kind in ("heading", "list_item", "cell") or re.match(r"\s*\d{1,2}\s+\*", text):
        m = _NUMBERING_LOOSE.match(text)
        if m and not re.match(r"\s*\d+\s+(?:[A-Z][a-z]+\s+)?(?:[a-z]|%)", text):
            return " " * m.end() + text[m.end():]
    return text


def split_sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in _SENT_SPLIT.finditer(text):
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]


class _Taken:
    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in self.spans)

    def take(self, a: int, b: int) -> None:
        self.spans.append((a, b))


def figures_in_sentence(sentence: str) -> Iterator[tuple[str, str, str, str, list[str]]]:
    """(value, unit, counts_what, raw, warnings) for every figure stated in ``sentence``."""
    taken = _Taken()
    for rx in _MASKS:
        for m in rx.finditer(sentence):
            if not _is_date_ordinal(sentence, m):
                taken.take(m.start(), m.end())
    found: list[tuple[int, tuple[str, str, str, str, list[str]]]] = []

    def add(a: int, b: int, item: tuple[str, str, str, str, list[str]]) -> None:
        taken.take(a, b)
        found.append((a, item))

    for m in _MONEY_RE.finditer(sentence):
        if taken.free(m.start(), m.end()):
            v = float(m.group("n").replace(",", ""))
            scale = {"m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3, "thousand": 1e3}
            v *= scale.get((m.group("s") or "").lower(), 1)
            add(m.start(), m.end(), (_fmt(v), "money", _np_after(sentence, m.end()) or _np_before(sentence, m.start()),
                                     m.group(0).strip(), []))
    for m in _PERCENT_RE.finditer(sentence):
        if taken.free(m.start(), m.end()):
            what = _np_after(sentence, m.end()) if re.match(r"\s*of\b", sentence[m.end():]) else ""
            add(m.start(), m.end(), (m.group("n"), "percent", what or _np_before(sentence, m.start()),
                                     m.group(0), []))
    for p in find_periods(sentence):
        if taken.free(p.start, p.end):
            add(p.start, p.end, (p.value, "period", _np_before(sentence, p.start), p.raw.strip(),
                                 [p.warning] if p.warning else []))
    for a, b, d in find_dates(sentence):
        if taken.free(a, b):
            add(a, b, (d.value, "date", _np_before(sentence, a), d.raw, [d.warning] if d.warning else []))
    for m in _FREQ_RE.finditer(sentence):
        v = _num_value(m.group("n"))
        if v is not None and taken.free(m.start(), m.end()):
            add(m.start(), m.end(), (_fmt(v), _TIME_UNITS[m.group("u").lower()], _np_after(sentence, m.end()),
                                     m.group(0), ["frequency: every " + m.group(0)[:-2] + "s"]))
    for m in _UNIT_RE.finditer(sentence):
        v = _num_value(m.group("n"))
        if v is None or not taken.free(m.start(), m.end()):
            continue
        unit = _TIME_UNITS[m.group("u").lower()]
        if (m.group("q") or "").lower() == "working" and unit == "days":
            unit = "working_days"
        add(m.start(), m.end(), (_fmt(v), unit, _np_before(sentence, m.start()), m.group(0), []))
    for m in _YEAR_RE.finditer(sentence):
        if taken.free(m.start(), m.end()):
            add(m.start(), m.end(), (m.group("n"), "year", _np_after(sentence, m.end()) or
                                     _np_before(sentence, m.start()), m.group(0), []))
    for m in _RANGE_RE.finditer(sentence):
        if taken.free(m.start(), m.end()) and int(m.group("a")) < int(m.group("b")):
            add(m.start(), m.end(), (f"{m.group('a')}-{m.group('b')}", "range", _np_after(sentence, m.end()),
                                     m.group(0), []))
    last_what = ""
    for m in _COUNT_RE.finditer(sentence):
        if not taken.free(m.start(), m.end()):
            continue
        tok = m.group(0)
        v = _num_value(tok)
        if v is None:
            continue
        is_word = not tok[0].isdigit()
        after = sentence[m.end():]
        if re.match(r"\s*(?:st|nd|rd|th)\b", after):
            continue
        out_of = re.search(r"\bout\s+of\s*$", sentence[:m.start()], re.I)
        what = _np_after(sentence, m.end())
        if is_word:
            lw = tok.lower()
            before = sentence[:m.start()].lower()
            if lw == "one" and not re.search(r"\b(?:only|just|at least|exactly|over|than)\s*$", before):
                continue
            if not what or re.match(r"[\s-]+(?:to|way|off|another|by)\b", after, re.I):
                continue
        if out_of and not what:
            what = last_what
        if not what and not is_word:
            what = _np_before(sentence, m.start())
        if not what and re.match(r"\s*(?:of|out)\b", after):
            what = _np_after(sentence, m.end() + len(re.match(r"\s*(?:of|out of)", after).group(0)))
        add(m.start(), m.end(), (_fmt(v), "count", what, (tok + " " + what).strip() if what else tok, []))
        last_what = what or last_what
    for m in _HALF_RE.finditer(sentence):
        if taken.free(m.start(), m.end()):
            add(m.start(), m.end(), ("0.5", "fraction", _np_after(sentence, m.end()), m.group(0), []))
    found.sort(key=lambda x: x[0])
    for _, item in found:
        yield item


def _is_date_ordinal(sentence: str, m: re.Match[str]) -> bool:
    """Keep "13th" and "26th" (day ordinals) out of the code mask so dates still read."""
    return bool(re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)", m.group(0)))


def _action_tables(doc: Document, actions: list[ActionRecord]) -> set[int]:
    """Tables that actions were read from; their rows are the actions' business, not figures."""
    idx = {a.table for a in actions if a.table is not None}
    lines = {a.line for a in actions if a.line is not None}
    for t in doc.tables():
        if lines and any(c.prov.line in lines for c in t.cells):
            idx.add(t.index)
    return idx


def segments(doc: Document, actions: list[ActionRecord]) -> Iterator[Segment]:
    """Running text of ``doc`` in reading order; action-table rows are left out except rows
    with one filled cell (section headings printed inside the table)."""
    skip = _action_tables(doc, actions)
    for i, b in enumerate(doc.blocks):
        if b.kind == "table" and b.table is not None:
            t = b.table
            for r in range(t.n_rows):
                row = [c for c in t.cells if c.row == r and c.text.strip()]
                if t.index in skip and len(row) > 1:
                    continue
                for c in row:
                    yield Segment(c.text, c.prov if (c.prov.line or c.prov.page) else t.prov, i, "cell")
        elif b.kind == "key_value":
            yield Segment(f"{b.key}: {b.value}", b.prov, i, b.kind)
        elif b.text:
            yield Segment(b.text, b.prov, i, b.kind)


_SERIES = re.compile(r"^\s*(?P<label>priority|(?:ofsted\s+)?recommendation|area for improvement|objective|"
                     r"theme|outcome|workstream)\s+(?P<n>\d{1,2})\s*[:.\-\u2013]", re.I)


def _plural(label: str) -> str:
    label = re.sub(r"\s+", " ", label.lower())
    if label.endswith("y"):
        return label[:-1] + "ies"
    return label.replace("area for improvement", "areas for improvement") if "area" in label else label + "s"


def series_figures(doc: Document) -> Iterator[tuple[str, str, str, Segment]]:
    """Numbered headings as a count: "Priority 1" .. "Priority 5" -> 5 priorities.

    A plan's structure is a stated fact too ("Priorities 1-5", "Ofsted recommendations 1-6"),
    but it is printed as labels, which the sentence reader masks."""
    seen: dict[str, tuple[set[int], Segment]] = {}
    for seg in segments(doc, []):
        for line in seg.text.split("\n"):
            m = _SERIES.match(line)
            if m:
                key = re.sub(r"\s+", " ", m.group("label").lower())
                nums, first = seen.setdefault(key, (set(), Segment(line, seg.prov, seg.block)))
                nums.add(int(m.group("n")))
    for key, (nums, first) in seen.items():
        if len(nums) >= 2:
            lo, hi = min(nums), max(nums)
            raw = f"{key.title()} {lo}\u2013{hi}" if nums == set(range(lo, hi + 1)) else \
                f"{key.title()} " + ", ".join(map(str, sorted(nums)))
            yield str(len(nums)), _plural(key), raw, first


def extract_figures(doc: Document, actions: list[ActionRecord]) -> list[FigureRecord]:
    out: list[FigureRecord] = []
    seen: set[tuple[str, str, str, int | None]] = set()
    stem = _id_stem(doc)
    for seg in segments(doc, actions):
        for _, sentence in split_sentences(strip_numbering(seg.text, seg.kind)):
            for value, unit, what, raw, warns in figures_in_sentence(sentence):
                key = (value, unit, raw, seg.prov.line if seg.prov.line else seg.block)
                if key in seen:
                    continue
                seen.add(key)
                out.append(FigureRecord(
                    figure_id=f"{stem}-F{len(out) + 1:03d}", source_file=doc.path, sha256=doc.sha256,
                    value=value, unit=unit, counts_what=what, sentence=sentence.strip(), raw=raw,
                    page=seg.prov.page, line=seg.prov.line, block=seg.block, warnings=warns))
    for value, what, raw, seg in series_figures(doc):
        out.append(FigureRecord(
            figure_id=f"{stem}-F{len(out) + 1:03d}", source_file=doc.path, sha256=doc.sha256, value=value,
            unit="count", counts_what=what, sentence=seg.text.strip()[:300], raw=raw, page=seg.prov.page,
            line=seg.prov.line, block=seg.block, warnings=["counted from numbered headings"]))
    return out


def _id_stem(doc: Document) -> str:
    return (doc.sha256 or "doc")[:12]
