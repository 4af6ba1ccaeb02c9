"""Printed date forms councils use, each with the value gold records for it.

A month is an int `m = year * 12 + (month - 1)`.  Gold follows issue 10's convention: an ISO
date at the precision printed; a period (quarter, financial year, season) in an end column
gives its last month, in a start column its first month; words ("Ongoing", "TBC") give an
empty date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable

from bench.variety.model import Printed

MONTHS = list(calendar.month_name)[1:]
ABBR = [m[:3] for m in MONTHS]
WORDS = ("Ongoing", "TBC", "Annual", "Quarterly", "Ongoing - quarterly review")


def ym(m: int) -> tuple[int, int]:
    return m // 12, m % 12 + 1


def iso_month(m: int) -> str:
    y, mo = ym(m)
    return f"{y}-{mo:02d}"


def last_day(m: int) -> dt.date:
    y, mo = ym(m)
    return dt.date(y, mo, calendar.monthrange(y, mo)[1])


def mon_yy(m: int, role: str, rng: random.Random) -> Printed:
    y, mo = ym(m)
    return Printed(f"{ABBR[mo - 1]}-{y % 100:02d}", iso_month(m))


def month_year(m: int, role: str, rng: random.Random) -> Printed:
    y, mo = ym(m)
    return Printed(f"{MONTHS[mo - 1]} {y}", iso_month(m))


def sept(m: int, role: str, rng: random.Random) -> Printed:
    y, mo = ym(m)
    name = "Sept" if mo == 9 else ABBR[mo - 1]
    return Printed(f"{name} {y % 100:02d}", iso_month(m))


def apos(m: int, role: str, rng: random.Random) -> Printed:
    y, mo = ym(m)
    mark = rng.choice(["'", "\u2019"])
    return Printed(f"{MONTHS[mo - 1]} {mark}{y % 100:02d}", iso_month(m))


def end_of(m: int, role: str, rng: random.Random) -> Printed:
    y, mo = ym(m)
    word = "End of" if role == "end" else "Beginning of"
    return Printed(f"{word} {MONTHS[mo - 1]} {y}", iso_month(m))


def q_fy(m: int, role: str, rng: random.Random) -> Printed:
    """Financial-year quarter (April start): Q3 2024/25 is Oct-Dec 2024."""
    y, mo = ym(m)
    fy = y if mo >= 4 else y - 1
    q = (mo - 4) % 12 // 3 + 1
    first = fy * 12 + 3 + (q - 1) * 3
    gold = iso_month(first + 2 if role == "end" else first)
    return Printed(f"Q{q} {fy}/{(fy + 1) % 100:02d}", gold)


def fin_year(m: int, role: str, rng: random.Random) -> Printed:
    y, mo = ym(m)
    fy = y if mo >= 4 else y - 1
    sep = rng.choice(["-", "/"])
    gold = f"{fy + 1}-03" if role == "end" else f"{fy}-04"
    return Printed(f"{fy}{sep}{(fy + 1) % 100:02d}", gold)


SEASONS = {3: "Spring", 4: "Spring", 5: "Spring", 6: "Summer", 7: "Summer", 8: "Summer",
           9: "Autumn", 10: "Autumn", 11: "Autumn"}
SEASON_FIRST = {"Spring": 3, "Summer": 6, "Autumn": 9}


def season(m: int, role: str, rng: random.Random) -> Printed:
    y, mo = ym(m)
    name = SEASONS.get(mo)
    if name is None:  # winter straddles two years: councils write a month there
        return end_of(m, role, rng)
    first = SEASON_FIRST[name]
    gold = f"{y}-{first + 2:02d}" if role == "end" else f"{y}-{first:02d}"
    return Printed(f"{name} {y}", gold)


def dots(m: int, role: str, rng: random.Random) -> Printed:
    d = last_day(m) if role == "end" else dt.date(*ym(m), 1)
    return Printed(d.strftime("%d.%m.%y"), d.isoformat())


def week_commencing(m: int, role: str, rng: random.Random) -> Printed:
    first = dt.date(*ym(m), 1)
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    return Printed(f"w/c {monday.day} {MONTHS[monday.month - 1]} {monday.year}", monday.isoformat())


def dmy(m: int, role: str, rng: random.Random) -> Printed:
    d = last_day(m) if role == "end" else dt.date(*ym(m), 1)
    return Printed(d.strftime("%d/%m/%Y"), d.isoformat())


def ordinal(m: int, role: str, rng: random.Random) -> Printed:
    d = last_day(m) if role == "end" else dt.date(*ym(m), 1)
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return Printed(f"{d.day}{suffix} {MONTHS[d.month - 1]} {d.year}", d.isoformat())


def excel_month(m: int, role: str, rng: random.Random) -> Printed:
    """A real date cell shown as mmm-yy: gold keeps the month the format shows."""
    d = dt.datetime(*ym(m), 1)
    return Printed(d.strftime("%b-%y"), iso_month(m), value=d, number_format="mmm-yy")


def excel_day(m: int, role: str, rng: random.Random) -> Printed:
    d = last_day(m) if role == "end" else dt.date(*ym(m), 1)
    return Printed(d.strftime("%d/%m/%Y"), d.isoformat(), value=dt.datetime(d.year, d.month, d.day),
                   number_format="dd/mm/yyyy")


def words(m: int, role: str, rng: random.Random) -> Printed:
    return Printed(rng.choice(WORDS), "")


Form = Callable[[int, str, random.Random], Printed]

FORMS: dict[str, Form] = {
    "mon_yy": mon_yy, "month_year": month_year, "sept": sept, "apos": apos, "end_of": end_of,
    "q_fy": q_fy, "fin_year": fin_year, "season": season, "dots": dots, "wc": week_commencing,
    "dmy": dmy, "ordinal": ordinal, "excel_month": excel_month, "excel_day": excel_day,
}


def printed(form: str, m: int, role: str, rng: random.Random, p_words: float = 0.0) -> Printed:
    """One date in `form`; with probability `p_words` a word such as "Ongoing" instead."""
    if p_words and rng.random() < p_words:
        return words(m, role, rng)
    return FORMS[form](m, role, rng)


def month_range(start: int, end: int) -> tuple[Printed, Printed, str]:
    """"Apr 24 – Mar 25" in one column: it fills both start and end."""
    a, b = sept(start, "start", random.Random(0)), sept(end, "end", random.Random(0))
    return a, b, f"{a.text} \u2013 {b.text}"
