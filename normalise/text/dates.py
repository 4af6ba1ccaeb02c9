"""The one date reader: plan date cells ("Apr-17", "Q3 2024/25", "Spring 2025") to ISO 8601.

Public API (stable; the action extractor and the report reader call these):

- ``parse_date(raw, *, role="", settings=DEFAULT_SETTINGS) -> DateValue``: one date cell.
  ``role`` is the field the cell fills: ``"end"`` gives the LAST month/day of a printed period
  (Q3 2024/25 -> 2024-12, 2024-25 -> 2025-03, Spring 2025 -> 2025-05), ``"start"`` its FIRST;
  ``""`` (any other caller) gives a period as an ISO interval "first/last".  ``value`` is always
  "" or an ISO date at the precision printed (YYYY, YYYY-MM, YYYY-MM-DD), or for role "" an
  interval of those.  ``precision`` names the printed form (day, month, year, quarter,
  financial_year, season, range).  ``first``/``last`` hold both ends of a period or of a range
  printed in one cell ("Apr 24 - Mar 25"), so an extractor can fill start AND end from it.
- ``parse_date_cell(text, value=None, number_format=None, *, role="", settings=...)``: a
  spreadsheet cell whose stored value is a date: read at the precision its number format shows
  ("mmm-yy" -> month, "dd/mm/yyyy" -> day, "yyyy" -> year); otherwise as ``parse_date(text)``.
- ``read_start_end(start_raw, end_raw, *, settings=...) -> (DateValue, DateValue)``: both
  cells of an action; a range printed with both ends in one of them ("Apr 24 - Mar 25") fills
  the other when it is empty (a quarter or season in the end column does not invent a start).
- ``detect_day_first(texts) -> bool | None``: one pass over a document's date cells; True for
  UK day-first, False when unambiguous dates are month-first (US "03/31/2025"), None when no
  date decides.  Pass ``DateSettings(day_first=False)`` to ``parse_date`` for such a document.
- ``settings_for_document(texts, settings)``: ``settings`` with ``day_first`` decided by
  ``detect_day_first``.
- ``find_dates``, ``find_periods``, ``parse_period``, ``parse_report_date``: dates inside
  running text (``date_prose``), by the same calendar rules.

Precision is kept rather than invented: "Apr-17" becomes "2017-04", not "2017-04-01".  Cells
damaged by extraction (a stray character, OCR "l" for "J", a day that does not exist) are
repaired only where the intended date is certain, with a warning; words that are not a date
("TBC", "Ongoing", "Annual", "Completed") give an empty value with a warning, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .clean import clean_text
from .date_forms import MONTH_ONLY, Hit, is_null_date, month_hit, parse_month, parse_single
from .date_prose import ISODate, ISOPeriod, find_dates, find_periods, parse_period, parse_report_date
from .date_rules import DEFAULT_SETTINGS, DateSettings
from .vocab import COMPLETION_WORDS, DATE_LEAD_IN, REVISION_WORDS, UNDATED_WORDS

__all__ = [
    "DEFAULT_SETTINGS", "PRECISIONS", "DateSettings", "DateValue", "ISODate", "ISOPeriod", "detect_day_first", "find_dates",
    "find_periods", "parse_date", "parse_date_cell", "parse_period", "parse_report_date", "read_start_end",
    "settings_for_document",
]

PRECISIONS = ("day", "month", "quarter", "financial_year", "season", "year", "range", "")
ROLES = ("", "start", "end")

_UNDATED = re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(UNDATED_WORDS, key=len, reverse=True))
                      + r")(?![a-z0-9])")
_COMPLETION = re.compile(r"(?:" + "|".join(sorted(COMPLETION_WORDS)) + r")\W*")
_LEAD_IN = re.compile(r"^(?:" + "|".join(re.escape(w) for w in DATE_LEAD_IN) + r")[\s:]+")
_RANGE_SEP = re.compile(r"\s+(?:to|until|till|-|\u2013|\u2014)\s+|\s*[\u2013\u2014]\s*")
_REVISED = "|".join(REVISION_WORDS)
# "Dec 24 (revised from Sep 24)": the new date first.
_REVISED_FROM = re.compile(rf"^(?P<new>.+?)\s*[(\[]?\s*(?:{_REVISED})\s+from\s*:?\s*(?P<old>[^)\]]+?)[)\]]?$")
# "Sep 24 revised to Dec 24", "Original: Sep 24 Revised: Dec 24", "31/03/24 - extended to 30/06/24".
_REVISED_TO = re.compile(rf"^(?:original(?:ly)?\s*(?:date|target)?\s*:?\s*)?(?P<old>.+?)\s*[,;(\[\-\u2013]?\s*"
                         rf"(?:{_REVISED})\s*(?:to|date|target(?: date)?)?\s*:?\s*(?P<new>[^)\]]+?)[)\]]?$")
_NUMERIC_ANY = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](?:\d{4}|\d{2})(?!\d)")
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass
class DateValue:
    value: str
    precision: str
    warning: str = ""
    first: str = field(default="", compare=False)  # earliest ISO value the printed text covers
    last: str = field(default="", compare=False)  # latest ISO value the printed text covers

    @property
    def is_range(self) -> bool:
        """Two different ends printed in one cell (a period or "Apr 24 - Mar 25")."""
        return bool(self.first) and self.first != self.last


def _value_for_role(hit: Hit, role: str) -> str:
    if role == "end":
        return hit.last
    if role == "start":
        return hit.first
    return hit.value


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def _parse_range(s: str, settings: DateSettings) -> Hit | None:
    """'Apr-17 to Mar-18' -> one Hit spanning both; the left side may omit its year."""
    for sep in _RANGE_SEP.finditer(s):
        left, right = s[: sep.start()].strip(), s[sep.end():].strip()
        b = parse_single(right, settings)
        if b is None or not left:
            continue
        a = parse_single(left, settings)
        if a is None and b.precision in ("month", "day"):
            # "April to June 2017": the left month borrows the right year.
            m = MONTH_ONLY.fullmatch(left)
            mon = parse_month(m["mon"])[0] if m else None
            if mon is not None:
                y = int(b.first[:4]) - (1 if mon > int(b.first[5:7]) else 0)
                a = month_hit(y, mon, len(left), settings)
        if a is None:
            continue
        note = _join(a.note, b.note, "range ends before it starts" if a.first > b.last else "")
        return Hit(f"{a.first}/{b.last}", "range", a.first, b.last, len(s), note)
    return None


def _revised(body: str, settings: DateSettings) -> Hit | None:
    """A revised target printed beside the original: the revised date, with the original noted."""
    for pattern in (_REVISED_FROM, _REVISED_TO):
        m = pattern.match(body)
        if m is None:
            continue
        new = parse_single(_LEAD_IN.sub("", m["new"].strip()), settings)
        if new is not None:
            new.note = _join(f"revised date taken; original '{m['old'].strip()}'", new.note)
            return new
    return None


def _word_value(s: str, printed: str, role: str) -> DateValue | None:
    """Cells that hold a word, not a date: empty value, and a warning that says which word."""
    where = f"{role} date cell" if role else "date cell"
    if _COMPLETION.fullmatch(s):
        return DateValue("", "", f"status text in {where}: '{printed}'")
    if _UNDATED.match(s) or re.fullmatch(r"[?\s]+", s):
        return DateValue("", "", f"no date in {where}: '{printed}'")
    return None


def parse_date(raw: str, *, role: str = "", settings: DateSettings = DEFAULT_SETTINGS) -> DateValue:
    """One date cell to ISO at the printed precision (see the module docstring).  Never raises."""
    s = clean_text(raw or "").lower()
    if not s:
        return DateValue("", "")
    printed = clean_text(raw)
    word = _word_value(s, printed, role)
    if word is not None:
        return word
    body = _LEAD_IN.sub("", s)
    revised = _revised(body, settings)
    if revised is not None:
        return DateValue(_value_for_role(revised, role), revised.precision, revised.note, revised.first,
                         revised.last)
    hit = _parse_range(body, settings) if len(body) <= settings.max_range_len else None
    if hit is None:
        if is_null_date(body):
            return DateValue("", "", f"spreadsheet empty-date placeholder: '{printed}'")
        hit = parse_single(body, settings)
    if hit is None:
        return DateValue("", "", f"unparseable date: '{printed}'")
    return DateValue(_value_for_role(hit, role), hit.precision, hit.note, hit.first, hit.last)


def _format_precision(number_format: str) -> str:
    """"dd/mm/yyyy" -> day, "mmm-yy" / "mmmm yyyy" -> month, "yyyy" -> year, "" when not a date."""
    f = _FORMAT_LITERAL.sub("", number_format.lower())
    if "d" in f:
        return "day"
    if "m" in f and "y" in f:
        return "month"
    if "y" in f:
        return "year"
    return ""


def parse_date_cell(text: str, value: str | None = None, number_format: str | None = None, *,
                    role: str = "", settings: DateSettings = DEFAULT_SETTINGS) -> DateValue:
    """A spreadsheet date cell at the precision its number format shows; else its text."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    precision = _format_precision(number_format or "") if m else ""
    if m is None or not precision:
        return parse_date(text, role=role, settings=settings)
    got = parse_date(m.group(0), role=role, settings=settings)
    if not got.value:
        return got
    cut = {"day": 10, "month": 7, "year": 4}[precision]
    iso = got.value[:cut]
    return DateValue(iso, precision, got.warning, iso, iso)


def detect_day_first(texts: Iterable[str]) -> bool | None:
    """Day-first (UK) or month-first (US) for a whole document, from its unambiguous dates.

    A numeric date whose first number is over 12 ("31/03/2025") can only be day-first; one whose
    second number is over 12 ("03/31/2025") only month-first.  The document's dates vote; a tie
    or no deciding date gives None (keep the default, day-first)."""
    votes = {True: 0, False: 0}
    for t in texts:
        for m in _NUMERIC_ANY.finditer(t or ""):
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12 >= b:
                votes[True] += 1
            elif b > 12 >= a:
                votes[False] += 1
    if votes[True] == votes[False]:
        return None
    return votes[True] > votes[False]


def settings_for_document(texts: Iterable[str], settings: DateSettings = DEFAULT_SETTINGS) -> DateSettings:
    """``settings`` with ``day_first`` decided by ``detect_day_first`` over the document's cells."""
    decided = detect_day_first(texts)
    return settings if decided is None else replace(settings, day_first=decided)


def read_start_end(start_raw: str, end_raw: str, *,
                   settings: DateSettings = DEFAULT_SETTINGS) -> tuple[DateValue, DateValue]:
    """An action's start and end cells read together.

    A range printed with both ends in one cell ("Apr 24 - Mar 25" under "Timescale" or "End")
    fills both ends when the other cell is empty; the value taken from the other cell says so.
    A period named by one word ("Spring 2025", "Q3 2024/25") in an end cell is a deadline, not a
    start: it fills only its own field."""
    start = parse_date(start_raw, role="start", settings=settings)
    end = parse_date(end_raw, role="end", settings=settings)
    if not (start_raw or "").strip() and end.precision == "range":
        start = DateValue(end.first, end.precision, f"start taken from the range in the end cell: '{end_raw}'",
                          end.first, end.last)
    elif not (end_raw or "").strip() and start.precision == "range":
        end = DateValue(start.last, start.precision, f"end taken from the range in the start cell: '{start_raw}'",
                        start.first, start.last)
    return start, end
