"""Dates and periods found inside running text, turned into ISO text.

Reports state dates in a handful of ways ("27/09/2017", "27 November 2014", "13th June 2017",
"Aug-17", "April 2017 to March 2018", "April to August 2017").  Where ``dates.parse_date``
reads one whole cell, these functions find every date or period inside a sentence or header
line.  Both share the calendar rules of ``date_rules`` (one two-digit-year rule, one valid
year range).  Every function returns ISO text at the precision printed, never a guessed day,
so a month stays ``2017-08``.

Public (re-exported by ``dates``): ``find_dates(text)``, ``find_periods(text)``,
``parse_period(raw)``, ``parse_report_date(raw)``, ``ISODate``, ``ISOPeriod``; each takes an
optional ``DateSettings`` (``s=``) as its last argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .date_rules import (
    APOSTROPHES,
    DEFAULT_SETTINGS,
    MONTH_WORD,
    DateSettings,
    full_year,
    month_number,
    second_year,
    valid_date,
)

_MONTH_WORD = MONTH_WORD
_ORD = r"(?:\s*(?:st|nd|rd|th))?"
_DASH = r"\s*(?:-|\u2013|\u2014|to|until|till)\s*"

# Building blocks, each with named groups so one matcher can read them all.
DAY_MONTH_YEAR = rf"(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_MONTH_WORD})\s*,?\s+(?P<y>\d{{4}})"
NUMERIC_DATE = r"(?P<nd>\d{1,2})[/.](?P<nm>\d{1,2})[/.](?P<ny>\d{4}|\d{2})"
MONTH_YEAR = rf"(?P<m2>{_MONTH_WORD})[\s\-{APOSTROPHES}]+(?P<y2>\d{{4}}|\d{{2}})"

_DATE_RE = re.compile(rf"\b(?:{DAY_MONTH_YEAR}|{NUMERIC_DATE}|{MONTH_YEAR})\b(?!\s*%)", re.I)


@dataclass
class ISODate:
    """An ISO value with the precision it was printed at and the text it came from."""

    value: str
    precision: str  # day | month | year
    raw: str
    warning: str = ""


def _year(text: str, s: DateSettings = DEFAULT_SETTINGS) -> tuple[int, str]:
    """A printed year by the shared rule; a two-digit year says how it was read."""
    y = full_year(text, s)
    return y, (f"two-digit year read as {y}" if len(text) == 2 else "")


def _valid(y: int, m: int, d: int | None = None, s: DateSettings = DEFAULT_SETTINGS) -> bool:
    return valid_date(y, m, d, s)


def _from_match(m: re.Match[str], s: DateSettings = DEFAULT_SETTINGS) -> ISODate | None:
    g = m.groupdict()
    if re.search(r"\bmay\b", m.group(0)):  # lower-case "may" is the verb, not the month
        return None
    if g.get("d"):
        mon = month_number(g["m"])
        y, warn = _year(g["y"], s)
        d = int(g["d"])
        if mon and _valid(y, mon, d, s):
            return ISODate(f"{y:04d}-{mon:02d}-{d:02d}", "day", m.group(0), warn)
        return None
    if g.get("nd"):
        d, mon = int(g["nd"]), int(g["nm"])
        y, warn = _year(g["ny"], s)
        if _valid(y, mon, d, s):  # UK order: day/month/year
            return ISODate(f"{y:04d}-{mon:02d}-{d:02d}", "day", m.group(0), warn)
        return None
    if g.get("m2"):
        mon = month_number(g["m2"])
        y, warn = _year(g["y2"], s)
        if mon and _valid(y, mon, None, s):
            return ISODate(f"{y:04d}-{mon:02d}", "month", m.group(0), warn)
    return None


def parse_report_date(raw: str, s: DateSettings = DEFAULT_SETTINGS) -> ISODate | None:
    """The first date in ``raw`` ("27/09/2017", "27 November 2014", "Aug-17"), or None."""
    for m in _DATE_RE.finditer(raw or ""):
        got = _from_match(m, s)
        if got:
            return got
    return None


def find_dates(text: str, s: DateSettings = DEFAULT_SETTINGS) -> list[tuple[int, int, ISODate]]:
    """Every date in ``text`` as (start, end, date), in order."""
    out = []
    for m in _DATE_RE.finditer(text):
        got = _from_match(m, s)
        if got:
            out.append((m.start(), m.end(), got))
    return out


# Periods: "April 2017 to March 2018", "April 2017–March 2018", "April to August 2017",
# "26th October - 20th November 2015", "Apr-Aug 2017".
_PERIOD_FULL = re.compile(
    rf"(?P<a>(?:\d{{1,2}}{_ORD}\s+)?{_MONTH_WORD}(?:[\s\-{APOSTROPHES}]+(?:\d{{4}}|\d{{2}}))?){_DASH}"
    rf"(?P<b>(?:\d{{1,2}}{_ORD}\s+)?{_MONTH_WORD}[\s\-{APOSTROPHES}]+(?:\d{{4}}|\d{{2}}))\b",
    re.I,
)
_DAY_RANGE = re.compile(
    rf"\b(?:between\s+)?(?P<d1>\d{{1,2}}){_ORD}\s*(?:-|\u2013|and|to)\s*(?P<d2>\d{{1,2}}){_ORD}\s+"
    rf"(?P<m>{_MONTH_WORD})(?:\s+(?P<y>\d{{4}}))?\b",
    re.I,
)
_YEAR_RANGE = re.compile(r"\b(?P<a>(?:19|20)\d{2})\s*(?:-|\u2013|/|to)\s*(?P<b>(?:19|20)?\d{2})\b(?!\s*%)")


@dataclass
class ISOPeriod:
    value: str  # ISO interval "start/end"
    raw: str
    start: int
    end: int
    warning: str = ""


def _endpoint(text: str, year_hint: int | None, s: DateSettings = DEFAULT_SETTINGS) -> ISODate | None:
    got = parse_report_date(text, s)
    if got:
        return got
    m = re.match(rf"\s*(?:(?P<d>\d{{1,2}}){_ORD}\s+)?(?P<m>{_MONTH_WORD})\s*$", text, re.I)
    if m and year_hint:
        mon = month_number(m.group("m"))
        if mon is None:
            return None
        if m.group("d"):
            d = int(m.group("d"))
            if not _valid(year_hint, mon, d, s):
                return None
            return ISODate(f"{year_hint:04d}-{mon:02d}-{d:02d}", "day", text.strip(), "year taken from period end")
        return ISODate(f"{year_hint:04d}-{mon:02d}", "month", text.strip(), "year taken from period end")
    return None


def _month_periods(text: str, s: DateSettings = DEFAULT_SETTINGS) -> list[ISOPeriod]:
    """"April 2017 to March 2018", "April to August 2017"."""
    out: list[ISOPeriod] = []
    for m in _PERIOD_FULL.finditer(text):
        end = parse_report_date(m.group("b"), s)
        if not end:
            continue
        start = _endpoint(m.group("a"), int(end.value[:4]), s)
        if not start or start.value > end.value:
            continue
        warn = "; ".join(w for w in (start.warning, end.warning) if w)
        out.append(ISOPeriod(f"{start.value}/{end.value}", m.group(0), m.start(), m.end(), warn))
    return out


def _day_range(m: re.Match[str], s: DateSettings = DEFAULT_SETTINGS) -> ISOPeriod | None:
    """"26th - 30th October 2015"; without a year, ISO 8601 "--MM-DD" days of an unstated year."""
    mon = month_number(m.group("m"))
    d1, d2 = int(m.group("d1")), int(m.group("d2"))
    if not mon or not (1 <= d1 < d2 <= 31):
        return None
    if m.group("y"):
        y = int(m.group("y"))
        if not _valid(y, mon, d2, s):
            return None
        return ISOPeriod(f"{y:04d}-{mon:02d}-{d1:02d}/{y:04d}-{mon:02d}-{d2:02d}", m.group(0).strip(),
                         m.start(), m.end())
    return ISOPeriod(f"--{mon:02d}-{d1:02d}/--{mon:02d}-{d2:02d}", m.group(0).strip(), m.start(), m.end(),
                     "year not stated")


def _year_range(m: re.Match[str], s: DateSettings = DEFAULT_SETTINGS) -> ISOPeriod | None:
    """"2015-2018", "2017/18": a span of whole years no longer than ``max_year_span``."""
    a = int(m.group("a"))
    b = second_year(a, m.group("b"))
    if not (a < b <= a + s.max_year_span):
        return None
    return ISOPeriod(f"{a:04d}/{b:04d}", m.group(0), m.start(), m.end())


def find_periods(text: str, s: DateSettings = DEFAULT_SETTINGS) -> list[ISOPeriod]:
    """Every stated period in ``text``; an open start borrows the end's year."""
    out = _month_periods(text, s)
    for pattern, read in ((_DAY_RANGE, _day_range), (_YEAR_RANGE, _year_range)):
        for m in pattern.finditer(text):
            if any(p.start <= m.start() < p.end for p in out):
                continue
            got = read(m, s)
            if got is not None:
                out.append(got)
    out.sort(key=lambda p: p.start)
    return out


def parse_period(raw: str, s: DateSettings = DEFAULT_SETTINGS) -> ISOPeriod | None:
    """The first period in ``raw``; a lone month or date counts as a one-point period."""
    found = find_periods(raw or "", s)
    if found:
        return found[0]
    d = parse_report_date(raw or "", s)
    if d:
        return ISOPeriod(f"{d.value}/{d.value}", d.raw, 0, len(raw), d.warning)
    return None
