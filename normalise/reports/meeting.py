"""The meeting an agenda, minutes or decision record belongs to: the body and the date.

These papers have no "To:" / "Date:" header block; they name the meeting in their opening
lines: "AGENDA / CABINET / Thursday, 30th January, 2025", "MINUTES of a meeting of the
Cabinet held ... on Thursday, 30 January 2025", "CORPORATE PARENTING PANEL - 10th December
2024", "A meeting of the County Council will be held ... on Thursday, 13th February, 2025".
Only the opening lines are read: later lines name other meetings (minutes to approve, the
next meeting) and the date a notice was published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...parsers.model import Document
from ..text.dates import parse_date
from .kinds import head_lines

_MONTH = r"[A-Za-z]{3,9}\.?"
_DATE = re.compile(rf"\b(\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
                   r"\d{1,2}[./]\d{1,2}[./]\d{2,4})\b")
_BODY = r"(?:Committee|Sub[- ]Committee|Board|Cabinet|Panel|Council|Forum|Partnership|Group|Commission|Authority|Assembly)"
_MEETING_OF = re.compile(rf"\bmeeting of (?:the )?(?P<body>(?:[A-Z][\w&'\u2019 -]*?\s)?{_BODY}(?: [A-Z][\w&'\u2019-]*)*?)\s+"
                         r"(?:will be |was )?held\b")
_AGENDA_FOR = re.compile(rf"\bagenda for (?:the )?(?P<body>[A-Z][\w&'\u2019 -]*?{_BODY})\s+meeting\b", re.I)
_BODY_LINE = re.compile(rf"^(?P<body>(?:[A-Z][\w&'\u2019,() -]{{0,80}}?\s)?{_BODY}S?)"
                        rf"(?:\s*(?:[\u2013\u2014,-]|\bmeeting\b)\s*(?P<rest>.*))?$", re.I)
_NOT_BODY = re.compile(r"^(?:agenda|minutes|a g e n d a|unrestricted items|exempt items|present|record of decision|"
                       r"disposition of items|[\w' ]*department)$", re.I)


# lines that date another meeting or the notice itself
_OTHER_MEETING = re.compile(r"\bapprov\w*\b.*\bminutes\b|\bminutes of the (?:meeting|previous)\b|\bpublished\b|"
                            r"\bnext meeting\b", re.I)
_HEADING_WORDS = re.compile(r"^(?:[A-Z(&\u2013\u2014-][\w&'\u2019()-]*|of|and|for|the|on|in|&)$")
_NOT_HEADING = re.compile(r"\b(?:agenda|minutes|notice)\b", re.I)


@dataclass(frozen=True)
class MeetingSettings:
    head_lines: int = 8  # opening lines the meeting is named in


@dataclass
class Meeting:
    body: str = ""
    body_line: str = ""
    date: str = ""  # ISO day
    date_raw: str = ""
    date_line: str = ""


def find_date(text: str) -> tuple[str, str]:
    """(ISO day, printed form) of the first whole date in ``text``; ("", "") when none."""
    for m in _DATE.finditer(text):
        raw = m.group(1)
        got = parse_date(raw.replace(",", ""))
        if got.value and got.precision == "day":
            return got.value, raw
    return "", ""


def _body_from_line(line: str, authority: str) -> tuple[int, str]:
    """(priority, body) a line names; lower priority wins: "a meeting of the X held" is the
    plainest, a heading line "CABINET" next, "Agenda for the X Meeting" last."""
    m = _MEETING_OF.search(line)
    if m:
        return 0, m.group("body").strip()
    m = _BODY_LINE.match(line)
    if m:
        body = m.group("body").strip(" ,")
        own = authority and body.casefold() == authority.casefold()
        heading = all(_HEADING_WORDS.match(w) for w in body.split()) and not _NOT_HEADING.search(line)
        if heading and not _NOT_BODY.match(body) and not own and not re.search(r"\d", body) and len(body.split()) <= 10:
            return 1, body
    m = _AGENDA_FOR.search(line)
    if m:
        return 2, m.group("body").strip()
    return 9, ""


def find_meeting(doc: Document, authority: str = "", settings: MeetingSettings | None = None) -> Meeting:
    """The body and date a meeting paper names in its opening lines."""
    settings = settings or MeetingSettings()
    out = Meeting()
    best = 9
    for line in head_lines(doc, settings.head_lines):
        rank, body = _body_from_line(line, authority)
        if rank < best:
            best, out.body, out.body_line = rank, body, line
        if not out.date and not _OTHER_MEETING.search(line):
            out.date, out.date_raw = find_date(line)
            out.date_line = line if out.date else ""
    return out
