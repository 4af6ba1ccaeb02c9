"""The printed forms of one date, each read at the start of a cleaned, lower-case string.

Used by ``dates.parse_date``; each form returns a :class:`Hit` with the ISO value at the
printed precision, the first and last ISO value it covers (a quarter covers three months), and
how many characters it used.  Forms are tried in a fixed order so the more specific wins
("2017-12" is an ISO month before it could be a financial year).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .date_rules import (
    APOSTROPHES,
    DEFAULT_SETTINGS,
    MONTHS,
    DateSettings,
    days_in_month,
    full_year,
    second_year,
    shift_month,
    year_ok,
)
from .vocab import QUARTER_WORDS, SEASONS

# OCR confusions tried on a month token that is not a month; a fix is kept only when the result
# IS a month name ("lan" -> "jan"), so ordinary words are never turned into dates.
OCR_MONTH_FIXES: tuple[tuple[str, str], ...] = (
    ("l", "j"), ("i", "j"), ("1", "j"), ("0", "o"), ("5", "s"), ("rn", "m"),
)
# Day values that spreadsheets show for an empty date cell (Excel serial 0/1): not a date.
SPREADSHEET_NULL_DATES = frozenset({"1900-01-00", "1900-01-01", "1899-12-30", "1899-12-31"})

_APOS = f"[{APOSTROPHES}]?"
_MON = r"(?P<mon>[a-z0-9]{3,9})"
_Y = r"(?P<y>\d{4}|\d{2})(?!\d)"
_QW = "|".join(sorted(QUARTER_WORDS, key=len, reverse=True))
_SEASON = "|".join(sorted(SEASONS, key=len, reverse=True))
_ISO_DAY = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_ISO_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})(?!\d)")
_DAY_MON_YEAR = re.compile(
    rf"(?P<d>\d{{1,2}})\s*(?:st|nd|rd|th)?\.?(?P<s1>\s+|-)(?:of\s+)?{_MON}\.?,?(?P<s2>\s+|-){_APOS}{_Y}")
_MON_DAY_YEAR = re.compile(rf"{_MON}\.?\s+(?P<d>\d{{1,2}})\s*(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)")
_NUMERIC = re.compile(r"(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)")
_MON_YEAR = re.compile(rf"{_MON}\.?(?:\s*[-/]?\s*){_APOS}{_Y}")
_NUM_MON_YEAR = re.compile(r"(?P<m>\d{1,2})/(?P<y>\d{4})(?!\d)")
_FY = r"(?:fy\s*)?(?P<y1>\d{4}|\d{2})\s*[/-]\s*(?P<y2>\d{4}|\d{2})(?!\d)"
_QUARTER = re.compile(rf"(?:{_QW})\.?\s*(?P<q>[1-4])\s*(?:of\s+)?{_FY}")
_QUARTER_AFTER = re.compile(r"(?:fy\s*)?(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{4}|\d{2})\s*q(?P<q>[1-4])(?!\d)")
_QUARTER_CAL = re.compile(rf"(?:{_QW})\.?\s*(?P<q>[1-4])\s*(?:of\s+)?(?P<y>\d{{4}})(?![\d/-])")
_SEASON_RE = re.compile(rf"(?P<season>{_SEASON})\s*(?:of\s+)?{_APOS}(?P<y1>\d{{4}}|\d{{2}})"
                        r"(?:\s*[/-]\s*(?P<y2>\d{4}|\d{2}))?(?!\d)")
_FIN_YEAR = re.compile(r"(?:fy\s*)?(?P<y1>\d{4})\s*/\s*(?P<y2>\d{4}|\d{2})(?!\d)|"
                       r"(?:fy\s*)?(?P<y3>\d{4})\s*-\s*(?P<y4>\d{4})(?!\d)")
_FIN_YEAR_HYPHEN = re.compile(r"(?:fy\s*)?(?P<y1>\d{4})-(?P<y2>\d{2})(?!\d)")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})(?!\d)")
MONTH_ONLY = re.compile(rf"{_MON}\.?")
_STRAY = re.compile(r"(?P<stray>[a-z0-9])\s+(?=[a-z])")
_DATEISH = re.compile(r"(?:19|20)\d{2}|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b")


@dataclass
class Hit:
    """One date form matched at the start of a string: its value, precision, interval ends."""

    value: str  # the printed date, or "first/last" for a period
    precision: str
    first: str  # earliest ISO value covered
    last: str  # latest ISO value covered
    end: int  # characters consumed
    note: str = ""
    hyphen_month_year: bool = False  # "Mon-YY" form: a stray digit before it is junk


def parse_month(token: str) -> tuple[int | None, str]:
    """Month number for a printed token, with an OCR repair note when one was needed."""
    token = token.lower()
    if token in MONTHS:
        return MONTHS[token], ""
    for wrong, right in OCR_MONTH_FIXES:
        if token.startswith(wrong):
            fixed = right + token[len(wrong):]
            if fixed in MONTHS:
                return MONTHS[fixed], f"read '{token}' as '{fixed.capitalize()}'"
    return None, ""


def day_hit(y: int, m: int, d: int, end: int, s: DateSettings, note: str = "") -> Hit | None:
    if not (1 <= m <= 12) or not (1 <= d <= 31) or not year_ok(y, s):
        return None
    last = days_in_month(y, m)
    if d > last:
        where = calendar.month_name[m] + (f" {y}" if m == 2 else "")
        clamp = f"day {d} does not exist in {where}; clamped"
        note = f"{note}; {clamp}" if note else clamp
        d = last
    v = f"{y:04d}-{m:02d}-{d:02d}"
    return Hit(v, "day", v, v, end, note)


def month_hit(y: int, m: int, end: int, s: DateSettings, note: str = "", hyphen: bool = False) -> Hit | None:
    if not (1 <= m <= 12) or not year_ok(y, s):
        return None
    v = f"{y:04d}-{m:02d}"
    return Hit(v, "month", v, v, end, note, hyphen)


def _period_hit(y: int, m: int, months: int, precision: str, end: int) -> Hit:
    """A period of ``months`` months starting at (y, m): "first/last" at month precision."""
    ly, lm = shift_month(y, m, months - 1)
    first, last = f"{y:04d}-{m:02d}", f"{ly:04d}-{lm:02d}"
    return Hit(f"{first}/{last}", precision, first, last, end)


def _fy_years(y1s: str, y2s: str, s: DateSettings) -> tuple[int, int] | None:
    y1 = full_year(y1s, s)
    y2 = full_year(y2s, s) if len(y1s) <= 2 else second_year(y1, y2s)
    if y2 != y1 + 1 or not (year_ok(y1, s) and year_ok(y2, s)):
        return None
    return y1, y2


def _iso_day(t: str, s: DateSettings) -> Hit | None:
    m = _ISO_DAY.match(t)
    return day_hit(int(m["y"]), int(m["m"]), int(m["d"]), m.end(), s) if m else None


def _quarter(t: str, s: DateSettings) -> Hit | None:
    """Financial quarter: Q1 of 2024/25 is the first three months of the financial year."""
    m = _QUARTER.match(t) or _QUARTER_AFTER.match(t)
    ys = _fy_years(m["y1"], m["y2"], s) if m else None
    if m is None or ys is None:
        return None
    y, mon = shift_month(ys[0], s.fy_start_month, 3 * (int(m["q"]) - 1))
    return _period_hit(y, mon, 3, "quarter", m.end())


def _calendar_quarter(t: str, s: DateSettings) -> Hit | None:
    """"Q3 2024" names a calendar quarter (Jul-Sep) when no financial year is printed."""
    m = _QUARTER_CAL.match(t)
    if m is None or not year_ok(int(m["y"]), s):
        return None
    return _period_hit(int(m["y"]), 3 * (int(m["q"]) - 1) + 1, 3, "quarter", m.end())


def _season(t: str, s: DateSettings) -> Hit | None:
    """"Spring 2025" -> Mar-May 2025; a season that spans new year needs both years printed."""
    m = _SEASON_RE.match(t)
    if m is None:
        return None
    first, last = SEASONS[m["season"]]
    y = full_year(m["y1"], s)
    if m["y2"]:
        ys = _fy_years(m["y1"], m["y2"], s)
        if ys is None or first <= last:
            return None  # "Spring 2024/25" does not say which spring
    elif first > last:
        return None  # "Winter 2025": December 2025 or January 2025? Not guessed.
    if not year_ok(y, s):
        return None
    return _period_hit(y, first, (last - first) % 12 + 1, "season", m.end())


def _fy_hit(ys: tuple[int, int] | None, end: int, s: DateSettings) -> Hit | None:
    """A financial year runs from ``fy_start_month`` (April in the UK) for twelve months."""
    return _period_hit(ys[0], s.fy_start_month, 12, "financial_year", end) if ys else None


def _fin_year(t: str, s: DateSettings) -> Hit | None:
    m = _FIN_YEAR.match(t)
    return _fy_hit(_fy_years(m["y1"] or m["y3"], m["y2"] or m["y4"], s), m.end(), s) if m else None


def _fin_year_hyphen(t: str, s: DateSettings) -> Hit | None:
    """'2017-18' is a financial year; '2017-12' stays an ISO month (checked first)."""
    m = _FIN_YEAR_HYPHEN.match(t)
    return _fy_hit(_fy_years(m["y1"], m["y2"], s), m.end(), s) if m else None


def _iso_month(t: str, s: DateSettings) -> Hit | None:
    m = _ISO_MONTH.match(t)
    return month_hit(int(m["y"]), int(m["m"]), m.end(), s) if m else None


def _numeric(t: str, s: DateSettings) -> Hit | None:
    m = _NUMERIC.match(t)
    if m is None:
        return None
    d, mon = (int(m["d"]), int(m["m"])) if s.day_first else (int(m["m"]), int(m["d"]))
    return day_hit(full_year(m["y"], s), mon, d, m.end(), s)


def _day_mon_year(t: str, s: DateSettings) -> Hit | None:
    m = _DAY_MON_YEAR.match(t)
    if m is None or (m["s1"] == "-") != (m["s2"] == "-"):
        return None  # "6 Mar-17" is a stray digit before a month, not the 6th
    mon, note = parse_month(m["mon"])
    return day_hit(full_year(m["y"], s), mon, int(m["d"]), m.end(), s, note) if mon else None


def _mon_day_year(t: str, s: DateSettings) -> Hit | None:
    m = _MON_DAY_YEAR.match(t)
    mon, note = parse_month(m["mon"]) if m else (None, "")
    return day_hit(full_year(m["y"], s), mon, int(m["d"]), m.end(), s, note) if m and mon else None


def _mon_year(t: str, s: DateSettings) -> Hit | None:
    m = _MON_YEAR.match(t)
    mon, note = parse_month(m["mon"]) if m else (None, "")
    if m is None or mon is None:
        return None
    hyphen = "-" in t[m.end("mon"):m.start("y")]
    return month_hit(full_year(m["y"], s), mon, m.end(), s, note, hyphen)


def _num_mon_year(t: str, s: DateSettings) -> Hit | None:
    m = _NUM_MON_YEAR.match(t)
    return month_hit(int(m["y"]), int(m["m"]), m.end(), s) if m else None


def _year_only(t: str, s: DateSettings) -> Hit | None:
    m = _YEAR.match(t)
    if m is None or not year_ok(int(m["y"]), s):
        return None
    return Hit(m["y"], "year", m["y"], m["y"], m.end())


_FORMS = (_iso_day, _quarter, _calendar_quarter, _season, _fin_year, _iso_month, _fin_year_hyphen, _numeric,
          _day_mon_year, _mon_day_year, _mon_year, _num_mon_year, _year_only)


def _match_one(t: str, s: DateSettings) -> Hit | None:
    for form in _FORMS:
        hit = form(t, s)
        if hit is not None:
            return hit
    return None


def _match_with_stray(t: str, s: DateSettings) -> Hit | None:
    """A date at the start of ``t``, allowing one stray character before it.

    A stray letter before any date is junk ("e Sep-16").  A stray digit is junk only before a
    hyphenated month-year ("6 Mar-17"); before "March 2017" it is the day and matched above.
    """
    hit = _match_one(t, s)
    if hit is not None:
        return hit
    m = _STRAY.match(t)
    if m is None:
        return None
    hit = _match_one(t[m.end():], s)
    if hit is None or hit.precision == "range":
        return None
    if m["stray"].isdigit() and not hit.hyphen_month_year:
        return None
    note = f"dropped stray '{m['stray']}' before date"
    hit.note = f"{note}; {hit.note}" if hit.note else note
    hit.end += m.end()
    return hit


def _trailing_ok(rest: str) -> tuple[bool, str]:
    """Text left after a date: fine if it holds no second date (which would need judging)."""
    rest = rest.strip(" .,;:)(")
    if not rest:
        return True, ""
    if _DATEISH.search(rest):
        return False, ""
    return True, f"ignored trailing '{rest}'"


def parse_single(t: str, s: DateSettings = DEFAULT_SETTINGS) -> Hit | None:
    """One date (not a range) filling ``t`` apart from harmless trailing words."""
    hit = _match_with_stray(t, s)
    if hit is None:
        return None
    rest = t[hit.end:]
    if rest and not rest[0].isspace() and re.search(r"\w", rest.split(" ", 1)[0]):
        return None  # the match stopped inside a token ("2015-18", "Apr-17x")
    ok, note = _trailing_ok(rest)
    if not ok:
        return None
    if note:
        hit.note = f"{hit.note}; {note}" if hit.note else note
    return hit


def is_null_date(t: str) -> bool:
    """A spreadsheet's empty-date placeholder (Excel serial 0 or 1)."""
    if _ISO_DAY.fullmatch(t):
        return t[:10] in SPREADSHEET_NULL_DATES
    m = _NUMERIC.fullmatch(t)
    return m is not None and f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}" in SPREADSHEET_NULL_DATES
