"""First and last day of an ISO date value as :mod:`.dates` writes it.

``2017-04`` is April 2017 at month precision: it starts on 2017-04-01 and ends on 2017-04-30;
``2017-10/2017-12`` (a quarter) starts on 2017-10-01 and ends on 2017-12-31.  A start is read as
its first day and an end as its last, so "end slipped by N days" and a typed ``end_date`` never
claim more precision than the plan printed.  Literals (tbc, ongoing, ??) have no bounds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _bound(text: Any, *, last: bool) -> dt.date | None:
    if not isinstance(text, str) or not text:
        return None
    parts = text.split("/")
    if len(parts) > 2:
        return None
    m = _ISO.match(parts[-1] if last else parts[0])
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if last else 1)
    try:
        if m.group(3):
            return dt.date(year, month, int(m.group(3)))
        day = calendar.monthrange(year, month)[1] if last else 1
        return dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        return None


def first_day(text: Any) -> dt.date | None:
    """The first day of an ISO date, month, year or interval; None for anything else."""
    return _bound(text, last=False)


def last_day(text: Any) -> dt.date | None:
    """The last day of an ISO date, month, year or interval; None for anything else."""
    return _bound(text, last=True)
