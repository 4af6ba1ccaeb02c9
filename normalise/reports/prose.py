"""Fields that running prose gives when a header block leaves them out: a plan's title printed
as its first lines, the body that monitors it, the period an update covers, a recommendation
paragraph, and the author in a closing contact block checked against the e-mail address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...parsers.model import Block, Document
from ..text.dates import find_periods, parse_report_date
from .header import HeaderValue

_BODY_WORDS = r"(?:Committee|Sub[- ]Committee|Board|Cabinet|Panel|Council|Forum|Partnership|Group)"
_COMMITTEE_LINE = re.compile(rf"^[A-Z][\w&'\u2019,()\- ]{{3,100}}\b{_BODY_WORDS}$")
_PROPER = r"[A-Z][\w'\u2019&\-]*"
_MONITOR = re.compile(
    rf"\b(?:review(?:ed)?|monitor(?:ed|ing)?|overseen|scrutinised|scrutinized|reported)\s+"
    rf"(?:\w+\s+){{0,3}}?(?:by|through|to)\s+the\s+(?P<body>{_PROPER}(?:\s+(?:{_PROPER}|and|of|for|the|&)){{0,12}})")
_PERIOD_CUE = re.compile(r"\b(?:covers?|covering|for)\s+the\s+period\b|\bperiod\s+(?:covered|from|of)\b|"
                         r"\bperiod\s*:", re.I)
_CONTACT = re.compile(r"^(?:t(?:el(?:ephone)?)?|e(?:-?mail)?|m(?:obile)?|phone)\s*[:.]", re.I)
_JOB_END = re.compile(r"\b(Manager|Officer|Director|Head|Lead|Adviser|Advisor|Co-?ordinator|Worker|Clerk|"
                      r"Executive|Administrator|Analyst|Consultant|Principal|Partner)\s+(?=[A-Z])")


def _trim_body(body: str) -> str:
    words = body.split()
    while words and words[-1].lower() in ("and", "of", "for", "the", "&"):
        words.pop()
    return " ".join(words)


def monitoring_body_from_prose(doc: Document) -> tuple[str, str]:
    for b in doc.blocks[:60]:
        if b.kind in ("paragraph", "list_item") and b.text:
            m = _MONITOR.search(b.text)
            if m and re.search(r"\bplan\b", b.text, re.I):
                body = _trim_body(m.group("body"))
                # "the X and the Y": two bodies, both kept
                parts = [p for p in re.split(r"\s+and\s+the\s+", body) if re.search(rf"{_BODY_WORDS}$", p)]
                if parts:
                    return "; ".join(parts), f"line {b.prov.line}" if b.prov.line else f"page {b.prov.page}"
    return "", ""


def committee_from_heading(doc: Document) -> HeaderValue | None:
    for b in doc.blocks[:4]:
        if b.kind in ("heading", "paragraph") and b.text and len(b.text) < 110 and _COMMITTEE_LINE.match(b.text):
            return HeaderValue(b.text.strip(), f"line {b.prov.line}" if b.prov.line else "top", b.prov.line)
    return None


@dataclass
class TitleBlock:
    """What a plan prints as its opening line(s): title, and sometimes its period, review date
    and own date folded into the same line ("... Plan — April 2017 to March 2018 (review date
    Aug-17)", "... Improvement Plan, February 2016")."""

    title: str = ""
    where: str = ""
    date_raw: str = ""
    duration_raw: str = ""
    review_raw: str = ""


_REVIEW_IN_TITLE = re.compile(r"\(\s*review(?:\s+date)?\s*:?\s*([^)]+)\)", re.I)


def _split_title_line(t: str, tb: TitleBlock) -> str:
    m = _REVIEW_IN_TITLE.search(t)
    if m:
        tb.review_raw = tb.review_raw or m.group(1).strip()
        t = t[:m.start()] + t[m.end():]
    for p in find_periods(t):
        if re.search(r"[a-z]", p.raw, re.I):  # month words: a plan's duration, not "2015-18"
            tb.duration_raw = tb.duration_raw or p.raw.strip()
            t = t.replace(p.raw, " ")
            break
    m = re.search(r"[,\u2013\u2014-]?\s*((?:\d{1,2}(?:st|nd|rd|th)?\s+)?[A-Z][a-z]+\s+\d{4})\s*$", t)
    if m and parse_report_date(m.group(1)):
        tb.date_raw = tb.date_raw or m.group(1)
        t = t[:m.start()]
    parts = [x.strip(" ,;") for x in re.split(r"\s+[\u2013\u2014]\s+|\s+-\s+", t)]
    return " ".join(x for x in parts if x)


_DOC_STATUS = re.compile(r"\s*\b(?:DRAFT|FINAL|Draft|Final)\s*$")


def _title_line_ends(lines: list[str], t: str, titled: bool) -> bool:
    """Whether ``t`` can no longer belong to the title read so far."""
    if titled:
        return True
    if lines and (len(t.split()) > 12 or t.endswith((".", ":", ";"))):
        return True
    return len(t.split()) > 25 or t.lower() in ("introduction", "summary", "contents")


def _is_date_line(t: str) -> bool:
    """A line that is only a date ("February 2016"): the plan's own date under its title."""
    d = parse_report_date(t)
    return d is not None and len(t) <= len(d.raw) + 3


def _title_block_line(b: Block, tb: TitleBlock, lines: list[str]) -> tuple[bool, bool]:
    """Read one opening block into ``tb``: (go on reading?, was a whole title line read?)."""
    t = b.text.strip()
    if _is_date_line(t):
        tb.date_raw = t
        return False, False
    if not tb.where:
        tb.where = f"line {b.prov.line}" if b.prov.line else (f"page {b.prov.page}" if b.prov.page else "first line")
    status = _DOC_STATUS.search(t)
    lines.append(_split_title_line(t[:status.start()] if status else t, tb))
    titled = bool(status) or bool(re.search(r"\b(?:plan|report|strategy|update)\b", lines[-1], re.I))
    return True, titled


def leading_title(doc: Document) -> TitleBlock:
    """A plan's title printed as its first short lines, and what is folded into them.

    "Early Help, Protection and Looked After Children" / "Post-Ofsted Inspection Improvement
    Plan" / "February 2016" -> joined title and the date printed under it.  A line that ends
    in a status word ("... Priorities and Actions DRAFT") is a whole title."""
    tb = TitleBlock()
    lines: list[str] = []
    titled = False  # a title word (or a status word) has been read: only a date line may follow
    for b in doc.blocks[:6]:
        if b.kind not in ("heading", "paragraph") or not b.text:
            break
        if not _is_date_line(b.text.strip()) and _title_line_ends(lines, b.text.strip(), titled):
            break
        go_on, titled = _title_block_line(b, tb, lines)
        if not go_on or (not re.search(r"\bplan\b", " ".join(lines), re.I) and len(lines) >= 3):
            break
    tb.title = " ".join(x for x in lines if x).strip()
    if not re.search(r"\b(?:plan|report|strategy|update|review|actions?|priorities)\b", tb.title, re.I):
        tb.title, tb.where = "", ""
    return tb


def period_from_prose(doc: Document) -> tuple[str, str, str]:
    for b in doc.blocks[:40]:
        text = b.text if b.kind != "key_value" else f"{b.key}: {b.value}"
        if not text:
            continue
        for cue in _PERIOD_CUE.finditer(text):
            for p in find_periods(text[cue.end():cue.end() + 80]):
                if p.start <= 12:
                    return p.value, p.raw, f"line {b.prov.line}" if b.prov.line else f"page {b.prov.page}"
    return "", "", ""


def recommendation_from_prose(doc: Document) -> str:
    """The paragraph(s) under a "Recommendation(s)" heading line, until the next short heading."""
    out: list[str] = []
    on = False
    for b in doc.blocks:
        t = (b.text or "").strip()
        if b.kind == "table":
            if on:
                break
            continue
        if re.fullmatch(r"recommendations?:?", t, re.I):
            on = True
            continue
        if on:
            if b.kind == "heading" or (len(t.split()) <= 5 and not t.endswith(".")):
                break
            out.append(t)
    return " ".join(out)


def _split_job(text: str) -> str:
    """"Children's Social Care Service Manager Community and Children's Services" gets the comma
    the layout lost between job title and department."""
    if "," in text:
        return text
    m = _JOB_END.search(text)
    if m and m.end() < len(text):
        return text[:m.end(1)] + ", " + text[m.end():]
    return text


def _job_after_name(blocks: list[Block], j: int, i: int, first_rest: str) -> str:
    """The job and department printed after the name (same line or the lines below it, up to
    the phone / e-mail lines)."""
    rest = [first_rest] if first_rest and not _CONTACT.match(first_rest) else []
    for k in range(j + 1, i + 1):
        nt = blocks[k].text.strip()
        if _CONTACT.match(nt) or "@" in nt or re.search(r"\d{3,}", nt):
            break
        rest.append(nt)
    return _split_job(re.split(r"\s+(?:Tel(?:ephone)?|T|E|Email)\s*:", " ".join(rest))[0].strip(" ,"))


def _named_block(blocks: list[Block], i: int, first: str, last: str) -> tuple[str, str]:
    """"Name, job" from the lines above an e-mail address that spell the same name."""
    for j in range(i, max(-1, i - 6), -1):
        nm = re.match(rf"^({first}\s+{last})\b[\s,]*(.*)$", blocks[j].text.strip(), re.I)
        if nm:
            job = _job_after_name(blocks, j, i, nm.group(2))
            where = f"line {blocks[j].prov.line}" if blocks[j].prov.line else f"page {blocks[j].prov.page}"
            return (f"{nm.group(1)}, {job}" if job else nm.group(1)), where
    return "", ""


def author_from_contact(doc: Document) -> tuple[str, str]:
    """The contact block at the end: name (checked against the e-mail address), job, department."""
    blocks = [b for b in doc.blocks[-12:] if b.kind in ("paragraph", "list_item", "heading") and b.text]
    for i in range(len(blocks) - 1, -1, -1):
        m = re.search(r"\b([a-z]+)[._]([a-z]+)@", blocks[i].text, re.I)
        if m:
            found = _named_block(blocks, i, m.group(1).lower(), m.group(2).lower())
            if found[0]:
                return found
    return "", ""
