"""Plan date cells ("Apr-17", "31 st March 2016", "Q3 2017/18", "tbc") to ISO 8601.

Precision is kept rather than invented: "Apr-17" becomes "2017-04", not "2017-04-01", because a
plan that says April does not say which day, and a reader comparing deadlines must know that.
UK conventions apply: day before month, and financial years run April to March (Q1 = Apr-Jun).

Cells are often damaged by extraction (stray characters from a neighbouring column, OCR "l"
for "J", a day that does not exist).  Repairs are made only where the intended date is
certain, and each repair is reported in ``warning``; anything else gives an empty value with a
warning, never a guess.

Output grammar (``value``): "" | YYYY | YYYY-MM | YYYY-MM-DD | <one of those>/<one of those>
| "tbc" | "??" | "ongoing".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .clean import clean_text

PRECISIONS = ("day", "month", "quarter", "financial_year", "year", "range", "literal", "")

# month name or abbreviation (lower case, as printed) -> month number
MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9

# OCR confusions tried on a month token that is not a month; a fix is kept only when the result
# IS a month name ("lan" -> "jan"), so ordinary words are never turned into dates.
OCR_MONTH_FIXES: tuple[tuple[str, str], ...] = (
    ("l", "j"), ("i", "j"), ("1", "j"), ("0", "o"), ("5", "s"), ("rn", "m"),
)

# Literal cell values kept as printed (normalised spelling); matched at the start of the cell.
LITERALS: tuple[tuple[str, str], ...] = (
    (r"t\.?\s?b\.?\s?c\b\.?|to be (?:confirmed|agreed|decided)\b", "tbc"),
    (r"[?\s]*\?[?\s]*$", "??"),
    (r"on[\s-]?going\b", "ongoing"),
)
# Status words that sometimes sit in a date cell: not a date, and not worth a literal.
STATUS_WORDS = r"(?:complete|completed|done|achieved)\b"

# Words that may stand before a date without changing it ("by 31st March 2016").
LEAD_IN = r"(?:by\s+(?:the\s+)?end\s+of|by\s+end|by|end\s+of|from|before|w/c|week\s+commencing)\s+"

# Day values that spreadsheets show for an empty date cell (Excel serial 0/1): not a date.
SPREADSHEET_NULL_DATES = frozenset({"1900-01-00", "1900-01-01", "1899-12-30", "1899-12-31"})

# A date range is a short cell; a long text with dashes in it is a comment, not a range.
MAX_RANGE_LEN = 80

_MON = r"(?P<mon>[a-z0-9]{3,9})"
_Y = r"(?P<y>\d{4}|\d{2})(?!\d)"
_ISO_DAY = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_ISO_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})(?!\d)")
_DAY_MON_YEAR = re.compile(
    rf"(?P<d>\d{{1,2}})\s*(?:st|nd|rd|th)?\.?(?P<s1>\s+|-)(?:of\s+)?{_MON}\.?,?(?P<s2>\s+|-)'?{_Y}")
_MON_DAY_YEAR = re.compile(rf"{_MON}\.?\s+(?P<d>\d{{1,2}})\s*(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)")
_NUMERIC = re.compile(r"(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)")
_MON_YEAR = re.compile(rf"{_MON}\.?(?:\s*[-/]?\s*)'?{_Y}")
_NUM_MON_YEAR = re.compile(r"(?P<m>\d{1,2})/(?P<y>\d{4})(?!\d)")
_QUARTER = re.compile(r"q(?P<q>[1-4])\s*(?:fy\s*)?(?P<y1>\d{4}|\d{2})\s*[/-]\s*(?P<y2>\d{4}|\d{2})(?!\d)")
_QUARTER_AFTER = re.compile(r"(?:fy\s*)?(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{4}|\d{2})\s*q(?P<q>[1-4])(?!\d)")
_FIN_YEAR = re.compile(r"(?:fy\s*)?(?P<y1>\d{4})\s*/\s*(?P<y2>\d{4}|\d{2})(?!\d)|"
                       r"(?:fy\s*)?(?P<y3>\d{4})\s*-\s*(?P<y4>\d{4})(?!\d)")
_FIN_YEAR_HYPHEN = re.compile(r"(?:fy\s*)?(?P<y1>\d{4})-(?P<y2>\d{2})(?!\d)")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})(?!\d)")
_MON_ONLY = re.compile(rf"{_MON}\.?")
_RANGE_SEP = re.compile(r"\s+(?:to|until|till|-|\u2013|\u2014)\s+|\s*[\u2013\u2014]\s*")
_STRAY = re.compile(r"(?P<stray>[a-z0-9])\s+(?=[a-z])")
_DATEISH = re.compile(r"(?:19|20)\d{2}|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b")


@dataclass
class DateValue:
    value: str
    precision: str
    warning: str = ""


def _year(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


def _month(token: str) -> tuple[int | None, str]:
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


@dataclass
class _Hit:
    """One date form matched at the start of a string: its value, precision, interval ends."""

    value: str
    precision: str
    first: str  # earliest ISO value covered (for ranges)
    last: str  # latest ISO value covered
    end: int  # characters consumed
    note: str = ""
    hyphen_month_year: bool = False  # "Mon-YY" form: a stray digit before it is junk


def _day_hit(y: int, m: int, d: int, end: int, note: str = "") -> _Hit | None:
    if not (1 <= m <= 12) or not (1 <= d <= 31) or not (1900 <= y <= 2099):
        return None
    last = calendar.monthrange(y, m)[1]
    if d > last:
        where = calendar.month_name[m] + (f" {y}" if m == 2 else "")
        clamp = f"day {d} does not exist in {where}; clamped"
        note = f"{note}; {clamp}" if note else clamp
        d = last
    v = f"{y:04d}-{m:02d}-{d:02d}"
    return _Hit(v, "day", v, v, end, note)


def _month_hit(y: int, m: int, end: int, note: str = "", hyphen: bool = False) -> _Hit | None:
    if not (1 <= m <= 12) or not (1900 <= y <= 2099):
        return None
    v = f"{y:04d}-{m:02d}"
    return _Hit(v, "month", v, v, end, note, hyphen)


def _fy_years(y1s: str, y2s: str) -> tuple[int, int] | None:
    y1 = _year(y1s)
    y2 = _year(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
    if y2 != y1 + 1 or not (1900 <= y1 <= 2098):
        return None
    return y1, y2


def _match_one(s: str) -> _Hit | None:
    """The single date form at the start of ``s`` (lower case, whitespace collapsed)."""
    for form in _FORMS:
        hit = form(s)
        if hit is not None:
            return hit
    return None


def _iso_day(s: str) -> _Hit | None:
    m = _ISO_DAY.match(s)
    return _day_hit(int(m["y"]), int(m["m"]), int(m["d"]), m.end()) if m else None


def _quarter(s: str) -> _Hit | None:
    m = _QUARTER.match(s) or _QUARTER_AFTER.match(s)
    ys = _fy_years(m["y1"], m["y2"]) if m else None
    if m is None or ys is None:
        return None
    start_month = 4 + 3 * (int(m["q"]) - 1)  # Q1 = Apr-Jun ... Q4 = Jan-Mar of the next year
    y = ys[0] if start_month <= 12 else ys[1]
    start_month = (start_month - 1) % 12 + 1
    first, last = f"{y:04d}-{start_month:02d}", f"{y:04d}-{start_month + 2:02d}"
    return _Hit(f"{first}/{last}", "quarter", first, last, m.end())


def _fy_hit(ys: tuple[int, int] | None, end: int) -> _Hit | None:
    """A UK financial year runs April to March."""
    if ys is None:
        return None
    first, last = f"{ys[0]:04d}-04", f"{ys[1]:04d}-03"
    return _Hit(f"{first}/{last}", "financial_year", first, last, end)


def _fin_year(s: str) -> _Hit | None:
    m = _FIN_YEAR.match(s)
    return _fy_hit(_fy_years(m["y1"] or m["y3"], m["y2"] or m["y4"]), m.end()) if m else None


def _fin_year_hyphen(s: str) -> _Hit | None:
    """'2017-18' is a financial year; '2017-12' stays an ISO month (checked first)."""
    m = _FIN_YEAR_HYPHEN.match(s)
    return _fy_hit(_fy_years(m["y1"], m["y2"]), m.end()) if m else None


def _iso_month(s: str) -> _Hit | None:
    m = _ISO_MONTH.match(s)
    return _month_hit(int(m["y"]), int(m["m"]), m.end()) if m else None


def _numeric(s: str) -> _Hit | None:
    m = _NUMERIC.match(s)
    return _day_hit(_year(m["y"]), int(m["m"]), int(m["d"]), m.end()) if m else None


def _day_mon_year(s: str) -> _Hit | None:
    m = _DAY_MON_YEAR.match(s)
    if m is None or (m["s1"] == "-") != (m["s2"] == "-"):
        return None  # "6 Mar-17" is a stray digit before a month, not the 6th
    mon, note = _month(m["mon"])
    return _day_hit(_year(m["y"]), mon, int(m["d"]), m.end(), note) if mon else None


def _mon_day_year(s: str) -> _Hit | None:
    m = _MON_DAY_YEAR.match(s)
    mon, note = _month(m["mon"]) if m else (None, "")
    return _day_hit(_year(m["y"]), mon, int(m["d"]), m.end(), note) if m and mon else None


def _mon_year(s: str) -> _Hit | None:
    m = _MON_YEAR.match(s)
    mon, note = _month(m["mon"]) if m else (None, "")
    if m is None or mon is None:
        return None
    hyphen = "-" in s[m.end("mon"):m.start("y")]
    return _month_hit(_year(m["y"]), mon, m.end(), note, hyphen)


def _num_mon_year(s: str) -> _Hit | None:
    m = _NUM_MON_YEAR.match(s)
    return _month_hit(int(m["y"]), int(m["m"]), m.end()) if m else None


def _year_only(s: str) -> _Hit | None:
    m = _YEAR.match(s)
    return _Hit(m["y"], "year", m["y"], m["y"], m.end()) if m else None


_FORMS = (_iso_day, _quarter, _fin_year, _iso_month, _fin_year_hyphen, _numeric, _day_mon_year,
          _mon_day_year, _mon_year, _num_mon_year, _year_only)


def _match_with_stray(s: str) -> _Hit | None:
    """A date at the start of ``s``, allowing one stray character before it.

    A stray letter before any date is junk ("e Sep-16").  A stray digit is junk only before a
    hyphenated month-year ("6 Mar-17"); before "March 2017" it is the day and matched above.
    """
    hit = _match_one(s)
    if hit is not None:
        return hit
    m = _STRAY.match(s)
    if m is None:
        return None
    hit = _match_one(s[m.end():])
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


def _parse_single(s: str) -> _Hit | None:
    hit = _match_with_stray(s)
    if hit is None:
        return None
    rest = s[hit.end:]
    if rest and not rest[0].isspace() and re.search(r"\w", rest.split(" ", 1)[0]):
        return None  # the match stopped inside a token ("2015-18", "Apr-17x")
    ok, note = _trailing_ok(rest)
    if not ok:
        return None
    if note:
        hit.note = f"{hit.note}; {note}" if hit.note else note
    return hit


def _parse_range(s: str) -> tuple[str, str] | None:
    """'Apr-17 to Mar-18' -> ('2017-04/2018-03', note); left side may omit its year."""
    for sep in _RANGE_SEP.finditer(s):
        left, right = s[: sep.start()].strip(), s[sep.end():].strip()
        b = _parse_single(right)
        if b is None or not left:
            continue
        a = _parse_single(left)
        if a is None and b.precision in ("month", "day"):
            # "April to June 2017": the left month borrows the right year.
            m = _MON_ONLY.fullmatch(left)
            mon = _month(m["mon"])[0] if m else None
            if mon is not None:
                y = int(b.first[:4]) - (1 if mon > int(b.first[5:7]) else 0)
                a = _month_hit(y, mon, len(left))
        if a is None:
            continue
        notes = [n for n in (a.note, b.note) if n]
        if a.first > b.last:
            notes.append("range ends before it starts")
        return f"{a.first}/{b.last}", "; ".join(notes)
    return None


def _is_null_date(s: str) -> bool:
    if _ISO_DAY.fullmatch(s):
        return s[:10] in SPREADSHEET_NULL_DATES
    m = _NUMERIC.fullmatch(s)
    return bool(m) and f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}" in SPREADSHEET_NULL_DATES


def parse_date(raw: str, *, role: str = "") -> DateValue:
    """One date cell to ISO at the printed precision.  Never raises on any text.

    ``role`` names the field the cell came from ("start", "end"); it only words the warning
    for status text found in a date cell, so the result is the same for every role.
    """
    s = clean_text(raw or "").lower()
    if not s:
        return DateValue("", "")
    printed = clean_text(raw)

    for pattern, literal in LITERALS:
        if re.match(pattern, s):
            return DateValue(literal, "literal")
    if re.fullmatch(STATUS_WORDS + r"\W*", s):
        where = f"{role} date cell" if role else "date cell"
        return DateValue("", "", f"status text in {where}: '{printed}'")

    body = re.sub(rf"^{LEAD_IN}", "", s)
    rng = _parse_range(body) if len(body) <= MAX_RANGE_LEN else None
    if rng is not None:
        return DateValue(rng[0], "range", rng[1])
    if _is_null_date(body):
        return DateValue("", "", f"spreadsheet empty-date placeholder: '{printed}'")
    hit = _parse_single(body)
    if hit is None:
        return DateValue("", "", f"unparseable date: '{printed}'")
    return DateValue(hit.value, hit.precision, hit.note)
