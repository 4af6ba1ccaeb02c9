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
from ..text.vocab import FUNCTION_WORDS, VERB_FORMS, is_verb_or_adverb_form
from .figure_cells import cell_figures, is_number_cell
from .figure_patterns import (
    COUNT_RE,
    NUMBER_WORDS,
    Reading,
    Taken,
    fmt,
    mask_non_figures,
    num_value,
    quantities,
)
from .records import FigureRecord

# Words that end a noun phrase, by rule: the shared function words and listed verb forms
# (``text/stopwords.json``); regular participles and adverbs are told by ``_verb_like``.
_STOP = FUNCTION_WORDS | VERB_FORMS
_INNER = {"of", "for", "in", "and"}  # may sit inside a noun phrase ("areas for improvement")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*\b(?!\d)")  # not the "Q" of "Q3"
_SENT_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'\u2018\u201c\d])")


@dataclass
class Segment:
    """A piece of running text with where it came from."""

    text: str
    prov: Provenance
    block: int
    kind: str = "paragraph"  # block kind, "cell" for a table cell


# Degree words between a number and the phrase before it ("rates will have fallen from 7.3%",
# "at least 1.5%", "no more than 5%"): skipped like function words, never the phrase.
_DEGREE = {"least", "most", "than", "no"}
_NP_LEAD = re.compile(r"\s*(?:or\s+(?:fewer|more|less|over|under)\s+|of\s+(?:the\s+|our\s+|all\s+|these\s+)?)?")


def _verb_like(lw: str) -> bool:
    """A past participle or an adverb ("rated", "completed", "persistently") ends a noun phrase
    once it has a word: "six actions classed as amber", "93% of contacts decided within".
    As the phrase's first word it stays ("6 qualified social workers").  The form rule is the
    shared one (``vocab.is_verb_or_adverb_form``)."""
    return is_verb_or_adverb_form(lw)


def _np_after(text: str, pos: int, max_words: int = 5) -> str:
    """The noun phrase that follows ``pos``: "areas for improvement", "social workers"."""
    rest = text[pos:]
    m = _NP_LEAD.match(rest)
    i = m.end() if m else 0
    words: list[str] = []
    for wm in _WORD.finditer(rest, i):
        if rest[i:wm.start()].strip() or not _joins_after(rest, wm, words):
            break  # punctuation, or a word that is not part of the phrase
        words.append(wm.group(0))
        i = wm.end()
        if len(words) >= max_words:
            break
    while words and words[-1].lower() in _INNER:
        words.pop()
    return " ".join(words)


def _joins_after(rest: str, wm: re.Match[str], words: list[str]) -> bool:
    lw = wm.group(0).lower()
    if lw in _INNER and lw != "and" and words:  # "areas for improvement", not "areas for the"
        nxt = _WORD.match(rest, wm.end() + 1) if wm.end() + 1 < len(rest) else None
        return nxt is not None and nxt.group(0).lower() not in _STOP and not rest[wm.end():nxt.start()].strip()
    return not (lw in _STOP or lw in NUMBER_WORDS or lw == "and" or (words and _verb_like(lw)))


def _np_before(text: str, pos: int, max_words: int = 4) -> str:
    """The noun phrase just before ``pos``, skipping "at", "remains high", "(": "vacancy figure"."""
    head = text[:pos]
    words: list[str] = []
    end = len(head)
    for wm in reversed(list(_WORD.finditer(head))):
        if wm.start() > 0 and head[wm.start() - 1].isdigit():
            break  # "£1.2m": the unit of a number, not a word
        step = _step_before(head[wm.end():end], wm.group(0).lower(), bool(words))
        if step == "stop":
            break
        if step == "take":
            words.insert(0, wm.group(0))
        end = wm.start()
        if len([x for x in words if x.lower() not in _INNER]) >= max_words:
            break
    while words and words[0].lower() in _INNER:
        words.pop(0)
    return " ".join(words)


def _step_before(gap: str, lw: str, started: bool) -> str:
    """Walking back from a number: "skip" a word between it and its phrase, "take" a word of
    the phrase, or "stop" at punctuation or a word outside it."""
    if not started:
        if gap.strip(" ("):
            return "stop"
        return "skip" if lw in _STOP or lw in _DEGREE or _verb_like(lw) else "take"
    if gap.strip() or (lw in _STOP and (lw not in _INNER or lw == "and")):
        return "stop"
    return "take"


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


def figures_in_sentence(sentence: str) -> Iterator[tuple[str, str, str, str, list[str]]]:
    """(value, unit, counts_what, raw, warnings) for every figure stated in ``sentence``.

    Steps: mask what is not a figure (dates, years, labels, refs, list numbers, contact
    details), read the quantities with a unit (money, percentages, time ...), then plain
    counts, each with the noun phrase it is about."""
    taken = mask_non_figures(sentence)
    found = [(r.start, (r.value, r.unit, what, r.raw, r.warnings))
             for r in quantities(sentence, taken)
             if (what := _what(sentence, r)) or r.unit != "range"]  # "16 – 18" alone: a page range
    found += list(_counts(sentence, taken))
    found.sort(key=lambda x: x[0])
    for _, item in found:
        yield item


def _what(sentence: str, r: Reading) -> str:
    """What a quantity is about, looking where its kind of figure names it."""
    if r.look == "before":
        return _np_before(sentence, r.start)
    if r.look == "after_only":
        return _np_after(sentence, r.end)
    if r.look == "of" and not re.match(r"\s*of\b", sentence[r.end:]):
        return _np_before(sentence, r.start)
    return _np_after(sentence, r.end) or _np_before(sentence, r.start)


_FIGURE = tuple[str, str, str, str, list[str]]


def _counts(sentence: str, taken: Taken) -> Iterator[tuple[int, _FIGURE]]:
    """Plain numbers (digits or words) that count something named next to them."""
    last_what = ""
    for m in COUNT_RE.finditer(sentence):
        if not taken.free(m.start(), m.end()):
            continue
        item = _count(sentence, m, last_what)
        if item is None:
            continue
        taken.take(m.start(), m.end())
        last_what = item[2]
        yield m.start(), item


def _count(sentence: str, m: re.Match[str], last_what: str) -> _FIGURE | None:
    tok, after = m.group(0), sentence[m.end():]
    v = num_value(tok)
    if v is None or re.match(r"\s*(?:st|nd|rd|th)\b", after):
        return None
    is_word = not tok[0].isdigit()
    what = _np_after(sentence, m.end())
    if is_word and not _word_counts(sentence[:m.start()].lower(), tok.lower(), what, after):
        return None
    if not what and re.search(r"\bout\s+of\s*$", sentence[:m.start()], re.I):
        what = last_what  # "101 actions ... out of 133"
    if not what and not is_word:
        what = _np_before(sentence, m.start())
    if not what and (of := re.match(r"\s*(?:of|out of)\b", after)):
        what = _np_after(sentence, m.end() + len(of.group(0)))
    if not what:
        return None  # a bare number (a page number, a stray digit) states nothing
    value = ("-" if _minus_before(sentence, m.start()) else "") + fmt(v)
    printed = _np_after(sentence, m.end())  # raw: as printed, the number with the phrase after it
    return value, "count", what, f"{tok} {printed}" if printed == what else tok, []


def _word_counts(before: str, lw: str, what: str, after: str) -> bool:
    """A number word counts only when a noun follows ("six actions"); "one" only when stressed
    ("only one partner"), since "one of", "no one" and "one-off" count nothing."""
    if lw == "one" and not re.search(r"\b(?:only|just|at least|exactly|over|than)\s*$", before):
        return False
    return bool(what) and not re.match(r"[\s-]+(?:to|way|off|another|by)\b", after, re.I)


def _minus_before(sentence: str, start: int) -> bool:
    """"-12 places": a minus right before the digits, not a hyphen inside a word or a range."""
    if start == 0 or sentence[start - 1] not in "-\u2212":
        return False
    before = sentence[:start - 1].rstrip()
    return not before or not (before[-1].isalnum() and start - 1 == len(before))


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
            for anchors in t.rows_of_cells():
                row = [c for c in anchors if c.text.strip()]
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
    """Figures of sentences and of table cells in reading order, then counts of numbered
    headings; ids in that order."""
    out = _sentence_figures(doc, actions) + [
        FigureRecord(figure_id="", source_file=doc.path, sha256=doc.sha256, value=f.value, unit=f.unit,
                     counts_what=f.counts_what, sentence=f.sentence, raw=f.raw, page=f.prov.page,
                     line=f.prov.line, block=f.block)
        for f in cell_figures(doc, _action_tables(doc, actions))]
    out.sort(key=lambda f: f.block if f.block is not None else -1)
    for value, what, raw, seg in series_figures(doc):
        out.append(FigureRecord(
            figure_id="", source_file=doc.path, sha256=doc.sha256, value=value,
            unit="count", counts_what=what, sentence=seg.text.strip()[:300], raw=raw, page=seg.prov.page,
            line=seg.prov.line, block=seg.block, warnings=["counted from numbered headings"]))
    stem = _id_stem(doc)
    for n, f in enumerate(out, start=1):
        f.figure_id = f"{stem}-F{n:03d}"
    return out


def _sentence_figures(doc: Document, actions: list[ActionRecord]) -> list[FigureRecord]:
    out: list[FigureRecord] = []
    seen: set[tuple[str, str, str, int | None]] = set()
    for seg in segments(doc, actions):
        if seg.kind == "cell" and is_number_cell(seg.text):
            continue  # read with its row and column by figure_cells
        for _, sentence in split_sentences(strip_numbering(seg.text, seg.kind)):
            for value, unit, what, raw, warns in figures_in_sentence(sentence):
                key = (value, unit, raw, seg.prov.line if seg.prov.line else seg.block)
                if key in seen:
                    continue
                seen.add(key)
                out.append(FigureRecord(
                    figure_id="", source_file=doc.path, sha256=doc.sha256,
                    value=value, unit=unit, counts_what=what, sentence=sentence.strip(), raw=raw,
                    page=seg.prov.page, line=seg.prov.line, block=seg.block, warnings=warns))
    return out


def _id_stem(doc: Document) -> str:
    return (doc.sha256 or "doc")[:12]
