"""What is a number stated as a fact, and in what unit: the pattern half of the figure reader.

A committee paper is full of numbers that are not facts about the world: dates ("April 10,
2020", "10 April 2020", "2024/25"), years, list and paragraph numbers ("3.2", "1.5.1",
"paragraph 3.2"), page numbers, labels ("Priority 5", "Appendix 2"), codes ("SS1"), times,
phone numbers.  They are found first and their spans *masked*, so no later pattern reads a
digit inside them.  What is left is read in a fixed order (money, percentages, amounts of
time, frequencies, ranges, fractions), each reading taking its span; plain counts come last
(in :mod:`.figures`, where the noun they count is found).

Sign and unit are kept as printed: "-£290.5m" and "£(290.5)m" are ``-290.5`` in ``£m``;
"£12k" is ``12`` in ``£k``; "£1,200" is ``1200`` in ``£``.  Parentheses make a number
negative only where accounting prints it so, a number that is the whole of a table cell
(:func:`cell_number`); in prose "(32.7%)" is an aside, not a loss.

The words that label a number ("page", "paragraph", "appendix" ...) are data:
``figure_labels.json`` beside this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources

from ..text.dates import find_dates, find_periods
from ..text.vocab import NUMBER_TENS, NUMBER_UNITS, NUMBER_WORDS

_TENS = "|".join(NUMBER_TENS)
_WORD_NUM = (rf"(?:(?:{_TENS})[\s-](?:{'|'.join(w for w, v in NUMBER_UNITS.items() if v < 10)})|"
             + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")")
_DIGITS = r"(?<![\d.,£/])\d{1,3}(?:,\d{3})+(?![\d.,]\d)|(?<![\d.,£/])\d+(?:\.\d+)?(?![\d,]|\.\d)"
NUM = rf"(?:{_DIGITS}|\b{_WORD_NUM}\b)"
COUNT_RE = re.compile(NUM, re.I)
_MINUS = "-\u2212\u2013"  # hyphen, minus sign, en dash (printed as a minus by some word processors)

_LABELS = json.loads(resources.files(__package__).joinpath("figure_labels.json").read_text("utf-8"))
_LABEL_WORDS = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _LABELS["labels"]),
                               key=len, reverse=True))
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")

# Spans that hold numbers which are not figures, in the order they are masked.
_DATE_MASKS = [
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(?:19|20)\d{{2}}\b", re.I),  # April 10, 2020
    re.compile(rf"\b\d{{1,2}}(?:\s*(?:st|nd|rd|th))?\s+(?:of\s+)?{_MONTH}(?![a-z])", re.I),  # 10 April, 10th of May
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:%|per\s?cent))", re.I),  # April 10
    re.compile(rf"\b{_MONTH}[\s\-']+\d{{2}}\b", re.I),  # Aug-17, March '18
    re.compile(r"\b(?:19|20)\d{2}\s*[/\-\u2013]\s*(?:19|20)?\d{2}\b(?!\s*%)"),  # 2024/25, 2018-21, 2024-2025
    re.compile(r"(?<![\d.,£])(?:19[5-9]|20\d)\d(?![\d%]|\.\d|,\d{3})"),  # a year
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b"),  # 27/09/2017
    re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b", re.I),  # times
    re.compile(r"\b(?:Q[1-4]|FY\s?\d{2,4}|H[12])\b"),  # quarters, financial years
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b"),  # ordinals ("the 3rd", a day without its month)
]
_LABEL_MASKS = [
    re.compile(r"^\s*\(?\d+(?:\.\d+)*[.)]\s+"),  # list numbering: "2. This plan", "1.2. We have", "3)"
    re.compile(r"^\s*\d+\.\d+(?:\.\d+)*\s+"),  # "1.1 An update"
    re.compile(rf"\b(?:{_LABEL_WORDS})\.?\s*\(?\d+(?:\.\d+)*[a-z]?\)?"
               r"(?:\s*(?:-|\u2013|to|and|&|,)\s*\d+(?:\.\d+)*[a-z]?)*(?:\s+of\s+\d+)?\b", re.I),
    re.compile(r"\b\d+(?:\.\d+){2,}\b"),  # refs "1.5.1", "2.2.1.3"
    re.compile(r"\b[A-Za-z]+\d+[A-Za-z\d]*\b|(?<![£\d.,])\b\d+[A-Za-z]{2,}\b(?<!\d(?:st|nd|rd|th))"),  # SS1, 3G
    re.compile(r"\b[A-Za-z]+-\d+\b"),  # COVID-19, M-20
]
_CONTACT_MASKS = [
    re.compile(r"\S+@\S+|https?://\S+|www\.\S+"),
    re.compile(r"(?:\+\s?44\s?(?:\(0\)\s?)?|\(?\b0)\d{2,5}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"),  # phone numbers
    re.compile(r"\b(?:tel(?:ephone)?|phone|mob(?:ile)?|fax|ext(?:ension)?|[TMF])\s*[.:]?\s*[\d ()+-]{3,}\d", re.I),
]

_MONEY_RE = re.compile(
    rf"(?P<sign1>[{_MINUS}]\s?)?£\s?(?P<sign2>[{_MINUS}])?(?P<open>\()?\s?(?P<n>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<close>\))?\s?(?P<s>m\b|mn\b|million\b|bn\b|billion\b|k\b|thousand\b|000s?\b|'000s?)?", re.I)
_SCALE = {"m": "£m", "mn": "£m", "million": "£m", "bn": "£bn", "billion": "£bn", "k": "£k", "thousand": "£k",
          "000": "£k", "000s": "£k", "'000": "£k", "'000s": "£k"}
_PERCENT_RE = re.compile(rf"(?P<sign>(?<![\w.])[{_MINUS}])?(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s?"
                         r"(?P<u>%|per\s?cent\b|percentage\s+points?\b|pp\b)", re.I)
_TIME_UNITS = {"minute": "minutes", "hour": "hours", "day": "days", "week": "weeks", "month": "months",
               "year": "years"}
_UNIT_RE = re.compile(
    rf"(?P<n>{NUM})(?:\s+|-)(?P<q>working|calendar|school|subsequent|consecutive|further|more|additional|full)?"
    rf"\s*(?P<u>minute|hour|day|week|month|year)s?\b(?!\s*(?:old|on|olds)\b)", re.I)
_FREQ_RE = re.compile(rf"(?P<n>{NUM})[\s-](?P<u>week|month|year)ly\b", re.I)
_FTE_RE = re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s?(?P<u>FTEs?|WTEs?)\b")
_RANGE_RE = re.compile(r"(?<![\d.£/])(?P<a>\d{1,3})\s?(?:-|\u2013|to)\s?(?P<b>\d{1,3})(?![\d.%])")
_HALF_RE = re.compile(r"\b(?:just\s+(?:under|over)\s+|around\s+|about\s+|over\s+|nearly\s+)?half\b", re.I)
_CELL_NUMBER = re.compile(
    rf"^\s*(?P<sign>[{_MINUS}])?\s*(?P<open>\()?\s*(?P<cur>£)?\s*(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<dec>\.\d+)?"
    r"\s*(?P<s>m|bn|k)?\s*(?P<pct>%)?\s*(?P<close>\))?\s*$", re.I)
_LABEL_ONLY = re.compile(rf"(?:{_LABEL_WORDS})\.?(?:\s*(?:no\.?|number|nos?\.?))?\s*[:.]?", re.I)
_MAX_LABEL_WORDS = 8
_HEADER_UNIT = re.compile(r"£\s?(?:m|mn|bn|k|'?000s?)\b|£|%|\bper\s?cent\b|\bFTE\b", re.I)


@dataclass
class Reading:
    """One number read from a sentence: where, what value and unit, and where to look for
    the noun it is about ("after": the words that follow, else those that precede;
    "after_only"; "before"; "of": after when "of" follows, else before)."""

    start: int
    end: int
    value: str
    unit: str
    raw: str
    look: str = "after"
    warnings: list[str] = field(default_factory=list)


class Taken:
    """Character spans already masked or read, so nothing is read twice."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in self.spans)

    def take(self, a: int, b: int) -> None:
        self.spans.append((a, b))


def num_value(tok: str) -> float | None:
    """12 / 1,200 / 3.5 / "twenty-one" -> the number; None for anything else."""
    t = tok.lower().replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    parts = re.split(r"[\s-]+", t)
    if all(p in NUMBER_WORDS for p in parts):
        return float(sum(NUMBER_WORDS[p] for p in parts))
    return None


def fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def _signed(text: str, negative: bool) -> str:
    """The printed digits (commas dropped) with a leading minus when negative."""
    digits = text.replace(",", "")
    return "-" + digits if negative and float(digits) != 0 else digits


# -- masking --------------------------------------------------------------------------------
def mask_non_figures(sentence: str) -> Taken:
    """Spans of dates, years, periods, labels, refs, list numbers, times, codes and contact
    details: none of their digits is a figure."""
    taken = Taken()
    for a, b in _date_spans(sentence):
        taken.take(a, b)
    for rx in _LABEL_MASKS + _CONTACT_MASKS:
        for m in rx.finditer(sentence):
            taken.take(m.start(), m.end())
    return taken


def _date_spans(sentence: str) -> Iterator[tuple[int, int]]:
    for p in find_periods(sentence):
        yield p.start, p.end
    for a, b, _ in find_dates(sentence):
        yield a, b
    for rx in _DATE_MASKS:
        for m in rx.finditer(sentence):
            if not re.fullmatch(r"may\s.*", m.group(0)):  # lower-case "may" is the verb
                yield m.start(), m.end()


# -- readings -------------------------------------------------------------------------------
def quantities(sentence: str, taken: Taken) -> list[Reading]:
    """Every money amount, percentage, amount of time, frequency, FTE, range and "half" in the
    sentence, in that order of precedence; each takes its span in ``taken``."""
    out: list[Reading] = []
    for step in (_money, _percent, _frequency, _duration, _fte, _range, _half):
        for r in step(sentence):
            if taken.free(r.start, r.end):
                taken.take(r.start, r.end)
                out.append(r)
    return out


def _money(sentence: str) -> Iterator[Reading]:
    for m in _MONEY_RE.finditer(sentence):
        if (m.group("open") and not m.group("close")) or re.fullmatch(r"0{3}", m.group("n")):
            continue  # half a bracket; "£000" / "£000s" is the thousand-pound unit of a table
        negative = bool(m.group("sign1") or m.group("sign2")) and _is_sign(sentence, m.start())
        negative = negative or bool(m.group("open"))  # "£(290.5)m": accounting brackets after the £
        unit = _SCALE.get((m.group("s") or "").lower().replace("\u2019", "'"), "£")
        yield Reading(m.start(), m.end(), _signed(m.group("n"), negative), unit, m.group(0).strip())


def _is_sign(sentence: str, start: int) -> bool:
    """A dash before a number is a minus unless it joins two numbers ("10 - 20", "2019-20")."""
    before = sentence[:start].rstrip()
    return not before or not before[-1].isdigit()


def _percent(sentence: str) -> Iterator[Reading]:
    for m in _PERCENT_RE.finditer(sentence):
        negative = bool(m.group("sign")) and _is_sign(sentence, m.start())
        unit = "percentage_points" if m.group("u").lower().startswith(("percentage", "pp")) else "percent"
        yield Reading(m.start(), m.end(), _signed(m.group("n"), negative), unit, m.group(0).strip(), look="of")


def _frequency(sentence: str) -> Iterator[Reading]:
    for m in _FREQ_RE.finditer(sentence):
        v = num_value(m.group("n"))
        if v is not None:
            yield Reading(m.start(), m.end(), fmt(v), _TIME_UNITS[m.group("u").lower()], m.group(0),
                          look="after_only", warnings=["frequency: every " + m.group(0)[:-2] + "s"])


def _duration(sentence: str) -> Iterator[Reading]:
    for m in _UNIT_RE.finditer(sentence):
        v = num_value(m.group("n"))
        if v is None:
            continue
        unit = _TIME_UNITS[m.group("u").lower()]
        if (m.group("q") or "").lower() == "working" and unit == "days":
            unit = "working_days"
        yield Reading(m.start(), m.end(), fmt(v), unit, m.group(0), look="before")


def _fte(sentence: str) -> Iterator[Reading]:
    for m in _FTE_RE.finditer(sentence):
        yield Reading(m.start(), m.end(), m.group("n"), "FTE", m.group(0))


def _range(sentence: str) -> Iterator[Reading]:
    for m in _RANGE_RE.finditer(sentence):
        if int(m.group("a")) < int(m.group("b")):
            yield Reading(m.start(), m.end(), f"{m.group('a')}-{m.group('b')}", "range", m.group(0), look="after_only")


def _half(sentence: str) -> Iterator[Reading]:
    for m in _HALF_RE.finditer(sentence):
        yield Reading(m.start(), m.end(), "0.5", "fraction", m.group(0), look="after_only")


# -- table cells ----------------------------------------------------------------------------
def cell_number(text: str, header: str = "") -> tuple[str, str] | None:
    """(value, unit) of a cell that holds one number and nothing else ("(290.5)", "-12",
    "£1.2m", "45%"), its unit from the cell or else from ``header`` (the column or row
    label: "£m", "£'000", "%"); None for any other cell.  Brackets make it negative: in a
    table that is how accounts print a loss."""
    m = _CELL_NUMBER.match(text)
    if not m or bool(m.group("open")) != bool(m.group("close")):
        return None
    negative = bool(m.group("open")) or (bool(m.group("sign")) and not m.group("open"))
    value = _signed(m.group("n") + (m.group("dec") or ""), negative)
    if m.group("cur"):
        return value, _SCALE.get((m.group("s") or "").lower(), "£")
    if m.group("pct"):
        return value, "percent"
    if m.group("s"):
        return None  # "12k" without a currency: a code or a size, not read
    return value, header_unit(header)


def is_label(text: str) -> bool:
    """A column or row heading that makes its numbers labels ("Page", "No.", "Ref")."""
    return bool(_LABEL_ONLY.fullmatch(text.strip()))


def header_unit(header: str) -> str:
    """The unit a column or row label gives its numbers ("Forecast £m" -> "£m"), else count.
    Only a short label gives one: a sentence that mentions a percentage is not a unit."""
    if len((header or "").split()) > _MAX_LABEL_WORDS:
        return "count"
    m = _HEADER_UNIT.search(header or "")
    if not m:
        return "count"
    u = m.group(0).lower().replace(" ", "")
    if u in ("%", "percent"):
        return "percent"
    if u == "fte":
        return "FTE"
    return _SCALE.get(u[1:], "£") if u.startswith("£") and len(u) > 1 else "£"
