"""One report record per committee report or plan: who saw which paper, when, from whom.

The header block (``report_header.py``) gives most fields; running prose fills the gaps a
header leaves (a plan's monitoring body, a contact block's author, the period an update
covers).  Nothing is invented: a field the text does not state stays empty, and each value
carries the place it was read from.  Key figures and mentions of plan actions come from
``figures.py`` and ``mentions.py``; this module only wires them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...parsers.model import Document
from ..records import ActionRecord
from ..text.dates import find_periods, parse_date, parse_period, parse_report_date
from .header import PAPER_STATUS, HeaderValue, clean_value, read_header
from .records import FigureRecord, MentionRecord, ReportRecord


@dataclass
class ReportResult:
    reports: list[ReportRecord] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)
    mentions: list[MentionRecord] = field(default_factory=list)


def extract_report(doc: Document, actions: list[ActionRecord]) -> ReportResult:
    from .figures import extract_figures
    from .mentions import find_mentions

    rec = read_report(doc, actions)
    if rec is None:
        return ReportResult()
    figures = extract_figures(doc, actions)
    mentions = find_mentions(doc, rec) if rec.doc_kind == "committee_report" else []
    return ReportResult([rec], figures, mentions)


# ---------------------------------------------------------------------------------------------
# dates


def iso_date(raw: str) -> tuple[str, str]:
    """(ISO value, warning) for a header date cell."""
    got = parse_date(raw)
    if got.value and got.precision in ("day", "month", "year"):
        return got.value, got.warning
    mine = parse_report_date(raw)
    return (mine.value, mine.warning) if mine else ("", f"unparseable date: '{raw}'")


def iso_period(raw: str) -> tuple[str, str]:
    got = parse_date(raw)
    if got.value and "/" in got.value:
        return got.value, got.warning
    mine = parse_period(raw)
    return (mine.value, mine.warning) if mine else ("", f"unparseable period: '{raw}'")


# ---------------------------------------------------------------------------------------------
# authority: only names the text itself prints

_CITY_OF_LONDON = re.compile(
    r"\b(?:City of London Corporation|Corporation of London|City of London)\b"
    r"(?!\s+(?:Police|School|Academy|Freemen|Girls|Boys|Cemetery|Law|Festival|Corporation\b))")
_LONDON_BOROUGH = re.compile(r"\b(?:London|Royal) Borough of (?:[A-Z][a-z]+)(?: (?:and|upon) [A-Z][a-z]+)?")
_TYPED_COUNCIL = re.compile(
    r"\b(?:[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|upon|on|and))*) (?:County|City|Borough|District|Metropolitan Borough|"
    r"Town) Council\b")
_PLAIN_COUNCIL = re.compile(r"\b(?:[A-Z][a-z]+ ){1,2}Council\b")
_NOT_AUTHORITY = {
    "Care", "Youth", "School", "Schools", "Children", "Parish", "County", "City", "Borough", "Town", "The",
    "Executive", "Cabinet", "Safeguarding", "Research", "Arts", "Sports", "Medical", "Privy", "Security",
    "European", "Regional", "Local", "Our", "This", "Full", "Sector", "Student", "Students", "Faith",
    "Parents", "Parent", "Carers", "Family", "Families", "Leaders", "Advisory", "District", "Metropolitan",
}
_PARTNER_CONTEXT = re.compile(r"(?:\bwith|\band|\bbetween|\bpartners?:?|[;,])\s*(?:the\s+)?$", re.I)
_EMAIL_DOMAIN = re.compile(r"@(?:[a-z0-9-]+\.)*?([a-z0-9-]+)\.gov\.uk\b", re.I)


def _authority_name(found: str) -> str:
    if found.startswith("City of London") or found == "Corporation of London":
        return "City of London Corporation"  # the City's local authority is styled the Corporation
    return found


def find_authority(text: str) -> tuple[str, str]:
    """(authority, evidence) from names the text prints; ("", "") when it names none.

    Candidates are "London Borough of X", "X County Council" and the like, the City of London
    (its authority is the City of London Corporation), and an author's ``@x.gov.uk`` address
    when it spells out a candidate or a "cityof..." name.  The most often named wins."""
    counts: dict[str, list[str]] = {}

    def add(name: str, evidence: str, at: int | None = None) -> None:
        # "partners; Croydon Council", "peer challenge with Croydon Council": someone else
        if at is not None and _PARTNER_CONTEXT.search(text[max(0, at - 30):at]):
            return
        counts.setdefault(name, []).append(evidence)

    for m in _CITY_OF_LONDON.finditer(text):
        add(_authority_name(m.group(0)), m.group(0), m.start())
    for m in _LONDON_BOROUGH.finditer(text):
        add(m.group(0), m.group(0), m.start())
    for m in _TYPED_COUNCIL.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _NOT_AUTHORITY:
            words.pop(0)
        if len(words) >= 3:
            add(" ".join(words), m.group(0), m.start())
    for m in _PLAIN_COUNCIL.finditer(text):
        words = m.group(0).split()
        if not any(w in _NOT_AUTHORITY for w in words[:-1]) and not re.search(
                r"(?:County|City|Borough|District|Town) Council$", m.group(0)):
            pre = text[max(0, m.start() - 4):m.start()].lower()
            if "the " not in pre:
                add(m.group(0), m.group(0), m.start())
    for m in _EMAIL_DOMAIN.finditer(text):
        label = m.group(1).lower()
        matched = [n for n in counts if re.sub(r"[^a-z]", "", n.lower()).startswith(label)
                   or label in re.sub(r"[^a-z]", "", n.lower())]
        if matched:
            add(matched[0], m.group(0))
        elif label.startswith("cityof") and len(label) > 6:
            add(_authority_name("City of " + label[6:].title()), m.group(0))
    if not counts:
        return "", ""

    def weight(name: str) -> tuple[int, int]:
        # A paper names its own authority's place all through ("Lewisham Safeguarding Children
        # Board"), a partner council only in passing: count the place word, not the full name.
        key = _place_word(name)
        hits = len(re.findall(rf"\b{re.escape(key)}\b", text)) if key else len(counts[name])
        first = text.find(counts[name][0])
        return hits + len(counts[name]) + (3 if 0 <= first < max(2000, len(text) // 7) else 0), -first

    best = max(counts, key=weight)
    own = _own_place_word(text)
    if own and own[0] not in best and own[1] >= 3 and own[1] > weight(best)[0]:
        return "", ""  # the paper's own bodies are named after another place: best is a partner
    return best, counts[best][0]


_LOCAL_BODY = re.compile(r"\b([A-Z][a-z]{3,})\s+(?:Safeguarding|Children(?:'s)?|Strategic|Local|Youth|Corporate|"
                         r"Select|Health and Wellbeing|Council)\b")


def _own_place_word(text: str) -> tuple[str, int] | None:
    """The place a paper names its own bodies after ("Lewisham Safeguarding Children Board")."""
    counts: dict[str, int] = {}
    for m in _LOCAL_BODY.finditer(text):
        w = m.group(1)
        if w not in _NOT_AUTHORITY and w not in ("Early", "Looked", "Corporate", "Improvement", "Service", "Senior"):
            counts[w] = counts.get(w, 0) + 1
    if not counts:
        return None
    w = max(counts, key=counts.get)
    return w, counts[w]


def _place_word(name: str) -> str:
    if name == "City of London Corporation":
        return "City of London"
    key = re.sub(r"^(?:London|Royal) Borough of |\s*(?:(?:County|City|Borough|District|Metropolitan Borough|"
                 r"Town)\s+)?Council$", "", name)
    return key.strip()


# ---------------------------------------------------------------------------------------------
# prose fallbacks

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
_REPORT_MARKERS = re.compile(r"\bMembers are (?:asked|requested)\b|\bReport of\b|\bReport author\b|"
                             r"\bRecommendations? to (?:the )?(?:Committee|Members|Cabinet)\b|"
                             r"\bPurpose of (?:the )?Report\b", re.I)


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


def leading_title(doc: Document) -> TitleBlock:
    """A plan's title printed as its first short lines, and what is folded into them.

    "Early Help, Protection and Looked After Children" / "Post-Ofsted Inspection Improvement
    Plan" / "February 2016" -> joined title and the date printed under it."""
    tb = TitleBlock()
    lines: list[str] = []
    titled = False  # a title word has been read: only a date line may follow
    for b in doc.blocks[:6]:
        if b.kind not in ("heading", "paragraph") or not b.text:
            break
        t = b.text.strip()
        d = parse_report_date(t)
        if d and len(t) <= len(d.raw) + 3:
            tb.date_raw = t
            break
        if titled:
            break
        if lines and (len(t.split()) > 12 or t.endswith((".", ":", ";"))):
            break
        if len(t.split()) > 25 or t.lower() in ("introduction", "summary", "contents"):
            break
        if not tb.where:
            tb.where = f"line {b.prov.line}" if b.prov.line else (f"page {b.prov.page}" if b.prov.page else "first line")
        lines.append(_split_title_line(t, tb))
        titled = bool(re.search(r"\b(?:plan|report|strategy|update)\b", lines[-1], re.I))
        if not re.search(r"\bplan\b", " ".join(lines), re.I) and len(lines) >= 3:
            break
    tb.title = " ".join(x for x in lines if x).strip()
    if not re.search(r"\b(?:plan|report|strategy|update|review)\b", tb.title, re.I):
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


def author_from_contact(doc: Document) -> tuple[str, str]:
    """The contact block at the end: name (checked against the e-mail address), job, department."""
    blocks = [b for b in doc.blocks[-12:] if b.kind in ("paragraph", "list_item", "heading") and b.text]
    for i in range(len(blocks) - 1, -1, -1):
        m = re.search(r"\b([a-z]+)[._]([a-z]+)@", blocks[i].text, re.I)
        if not m:
            continue
        first, last = m.group(1).lower(), m.group(2).lower()
        for j in range(i, max(-1, i - 6), -1):
            t = blocks[j].text.strip()
            nm = re.match(rf"^({first}\s+{last})\b[\s,]*(.*)$", t, re.I)
            if not nm:
                continue
            name = nm.group(1)
            rest = [nm.group(2)] if nm.group(2) and not _CONTACT.match(nm.group(2)) else []
            for k in range(j + 1, i + 1):
                nt = blocks[k].text.strip()
                if _CONTACT.match(nt) or "@" in nt or re.search(r"\d{3,}", nt):
                    break
                rest.append(nt)
            job = _split_job(re.split(r"\s+(?:Tel(?:ephone)?|T|E|Email)\s*:", " ".join(rest))[0].strip(" ,"))
            where = f"line {blocks[j].prov.line}" if blocks[j].prov.line else f"page {blocks[j].prov.page}"
            return (f"{name}, {job}" if job else name), where
    return "", ""


# ---------------------------------------------------------------------------------------------


def _kind(doc: Document, header: dict[str, HeaderValue], actions: list[ActionRecord], status: list[str],
          title_guess: str) -> str:
    cover = bool(status) or ("committee" in header and ("date" in header or "report_of" in header))
    report_fields = sum(k in header for k in ("report_of", "author", "committee", "date"))
    plan_fields = sum(k in header for k in ("plan_name", "duration", "owner", "review_date", "monitoring_body"))
    text = doc.text()[:20000]
    if cover or (report_fields >= 1 and "title" in header and plan_fields < 2):
        return "committee_report"
    if actions or plan_fields >= 2:
        return "action_plan"
    if report_fields or _REPORT_MARKERS.search(text):
        return "committee_report"
    if title_guess and re.search(r"\bplan\b", title_guess, re.I) and doc.tables():
        return "action_plan"
    return ""


def read_report(doc: Document, actions: list[ActionRecord]) -> ReportRecord | None:
    header, status = read_header(doc)
    tb = leading_title(doc)
    title_guess, date_raw, title_where = tb.title, tb.date_raw, tb.where
    kind = _kind(doc, header, actions, status, title_guess)
    if not kind:
        return None
    rec = ReportRecord(source_file=doc.path, sha256=doc.sha256, doc_kind=kind)
    prov = rec.provenance

    def take(key: str, hv: HeaderValue | None) -> str:
        if hv is None:
            return ""
        if hv.where:
            prov[key] = hv.where
        return hv.value

    text = doc.text()
    rec.authority, rec.authority_evidence = find_authority(text)
    rec.title = take("title", header.get("title"))
    rec.plan_name = take("plan_name", header.get("plan_name"))
    rec.report_of = take("report_of", header.get("report_of"))
    rec.author = take("author", header.get("author"))
    rec.committee = take("committee", header.get("committee"))
    rec.owner = take("owner", header.get("owner"))
    rec.monitoring_body = take("monitoring_body", header.get("monitoring_body"))
    rec.frequency = take("frequency", header.get("frequency"))
    rec.recommendation = take("recommendation", header.get("recommendation"))

    if "date" in header:
        rec.meeting_date_raw = take("meeting_date", header["date"])
        rec.meeting_date, warn = iso_date(rec.meeting_date_raw)
        if warn:
            rec.warnings.append(f"meeting_date: {warn}")
    if "review_date" in header or (kind == "action_plan" and tb.review_raw):
        rec.review_date_raw = take("review_date", header.get("review_date"))
        if not rec.review_date_raw:
            rec.review_date_raw, prov["review_date"] = tb.review_raw, tb.where
        rec.review_date, warn = iso_date(rec.review_date_raw)
        if warn:
            rec.warnings.append(f"review_date: {warn}")
    dur = header.get("duration") or header.get("implementation")
    if dur is not None or (kind == "action_plan" and tb.duration_raw):
        rec.duration_raw = take("duration", dur)
        if not rec.duration_raw:
            rec.duration_raw, prov["duration"] = tb.duration_raw, tb.where
        rec.duration, warn = iso_period(rec.duration_raw)
        if warn:
            rec.warnings.append(f"duration: {warn}")
    if date_raw:
        rec.document_date_raw = date_raw
        rec.document_date, _ = iso_date(date_raw)

    if not rec.monitoring_body:
        body, where = monitoring_body_from_prose(doc)
        if body:
            rec.monitoring_body, prov["monitoring_body"] = body, where
    if not rec.recommendation:
        rec.recommendation = recommendation_from_prose(doc)

    if kind == "action_plan":
        if not rec.plan_name and title_guess:
            rec.plan_name, prov["plan_name"] = title_guess, title_where
        rec.title = rec.title or rec.plan_name
        if not rec.committee and rec.monitoring_body:
            rec.committee, prov["committee"] = rec.monitoring_body, prov.get("monitoring_body", "")
        if not rec.report_of and rec.owner:
            rec.report_of, prov["report_of"] = rec.owner, prov.get("owner", "")
        rec.period_covered, rec.period_raw = rec.duration, rec.duration_raw
    else:
        if not rec.committee:
            rec.committee = take("committee", committee_from_heading(doc))
        if not rec.title and title_guess:
            rec.title, prov["title"] = title_guess, title_where
        if not rec.author:
            author, where = author_from_contact(doc)
            if author:
                rec.author, prov["author"] = author, where
                rec.warnings.append("author taken from the contact block")
        period, raw, where = period_from_prose(doc)
        if period:
            rec.period_covered, rec.period_raw, prov["period_covered"] = period, raw, where
    for name in ("title", "committee", "report_of", "author", "owner", "monitoring_body"):
        v = getattr(rec, name)
        if v and PAPER_STATUS.match(v):
            setattr(rec, name, "")
        else:
            setattr(rec, name, clean_value(v))
    if not rec.authority:
        rec.warnings.append("authority not named in the text")
    return rec
