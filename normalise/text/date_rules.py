"""The calendar rules every date reader shares: month names, the two-digit year, the valid range.

There is one rule for each, in one settings dataclass, so a plan cell and a report sentence
that print "Aug-17" read the same date: a two-digit year below ``two_digit_pivot`` is 20yy,
otherwise 19yy; a year outside ``min_year``..``max_year`` is not a date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass


@dataclass(frozen=True)
class DateSettings:
    """Thresholds of the date readers (today's values are the defaults)."""

    two_digit_pivot: int = 70  # "17" -> 2017, "85" -> 1985
    min_year: int = 1900
    max_year: int = 2099
    max_range_len: int = 80  # a longer text with a dash in it is a comment, not a range
    fy_start_month: int = 4  # UK financial year: April to March (Q1 = Apr-Jun)
    day_first: bool = True  # UK order "03/04/2024" = 3 April; a document pass may switch it
    max_year_span: int = 10  # "2015-2025" is a period; "1990-2040" is not


DEFAULT_SETTINGS = DateSettings()

# Month name or abbreviation (lower case, as printed) -> month number.
MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9

# A month word as printed in running text (full name or abbreviation, optional full stop).
MONTH_WORD = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
              r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# Apostrophes that stand for the century ("March '25", "March ’25").
APOSTROPHES = "'\u2019\u2018`"


def month_number(word: str) -> int | None:
    """"Sept." -> 9, "march" -> 3; None when the word is not a month."""
    w = word.lower().rstrip(".")
    return MONTHS.get(w)


def full_year(text: str, settings: DateSettings = DEFAULT_SETTINGS) -> int:
    """The year a printed year means: four digits as printed, two digits by the pivot rule."""
    y = int(text)
    if len(text) <= 2:
        return 2000 + y if y < settings.two_digit_pivot else 1900 + y
    return y


def year_ok(y: int, settings: DateSettings = DEFAULT_SETTINGS) -> bool:
    return settings.min_year <= y <= settings.max_year


def days_in_month(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def valid_date(y: int, m: int, d: int | None = None, settings: DateSettings = DEFAULT_SETTINGS) -> bool:
    """A real calendar date (or month when ``d`` is None) inside the valid year range."""
    if not (year_ok(y, settings) and 1 <= m <= 12):
        return False
    return d is None or 1 <= d <= days_in_month(y, m)


def second_year(y1: int, y2_text: str) -> int:
    """The second year of "2024/25" or "2024/2025" (two digits take the first year's century)."""
    return int(y2_text) if len(y2_text) == 4 else (y1 // 100) * 100 + int(y2_text)


def shift_month(y: int, m: int, months: int) -> tuple[int, int]:
    """(year, month) ``months`` after (y, m); negative goes back."""
    idx = y * 12 + (m - 1) + months
    return idx // 12, idx % 12 + 1
