"""Build one plan's actions from a style's choices (service area, ref scheme, date forms, status
vocabulary, lead form), and turn actions into table rows for the renderers."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from bench.variety import dates
from bench.variety.content import AREAS, DIRECTORS, PARTNERS, Writer
from bench.variety.model import COLOURS, Action, Cell, Col, Printed, Row

# printed status -> gold rag (each style prints its own vocabulary, and a key where needed)
VOCABS: dict[str, tuple[tuple[str, str], ...]] = {
    "slippage": (("On track", "green"), ("Some slippage", "amber"), ("Off track", "red"), ("Not started", ""),
                 ("Complete", "completed")),
    "rag_words": (("Green", "green"), ("Amber", "amber"), ("Red", "red"), ("Blue", "blue")),
    "audit": (("Implemented", "completed"), ("Partly implemented", "amber"), ("Overdue", "red"),
              ("Not started", "")),
    "letters": (("G", "green"), ("A", "amber"), ("R", "red"), ("B", "blue"), ("C", "completed")),
    "risk": (("On track", "green"), ("At risk", "amber"), ("Off track", "red"), ("Complete", "completed"),
             ("Closed", "completed")),
    "welsh": (("Ar y trywydd / On track", "green"), ("Peth llithriad / Some slippage", "amber"),
              ("Oddi ar y trywydd / Off track", "red"), ("Wedi'i gwblhau / Complete", "completed")),
    "colour": (("", "green"), ("", "amber"), ("", "red"), ("", "blue")),
}
WEIGHTS = (5, 3, 1, 1, 2)
AGENCIES = ("Police", "Council ASB Team", "Probation Service", "Youth Justice Service", "Fire and Rescue Service",
            "Public Health", "Domestic Abuse Coordinator")


@dataclass
class Spec:
    area: str
    refs: str = "dotted"            # see ref()
    start_form: str | None = None   # None: the style prints no start date
    end_form: str = "mon_yy"
    p_words: float = 0.0            # share of end dates printed as words (Ongoing, TBC)
    vocab: str = "slippage"
    lead: str = "role"              # name / initials / role / agency
    dlt: bool = False
    support: bool = False
    per_aim: tuple[int, int] = (2, 4)
    plan_start: int = 2024 * 12 + 3  # April 2024


def ref(scheme: str, s: int, a: int, k: int, j: int, g: int) -> str:
    """s section, a aim (global), k action in section, j action in aim, g action in plan: 1-based."""
    letter = string.ascii_lowercase[(j - 1) % 26]
    forms = {"ilacs": f"ILACS-{g}", "wsoa": f"WSOA {s}.{k}", "audit": f"R{a}.{letter}", "pip": f"PIP {s}.{k}",
             "ph": f"PH-{g:02d}", "a_dot": f"A{s}.{k}", "paren": f"{a}({letter})", "dotted": f"{s}.{k}",
             "in_text": f"{g}.", "none": ""}
    return forms[scheme]


def status(rng: random.Random, vocab: str) -> Printed:
    options = VOCABS[vocab]
    text, gold = rng.choices(options, WEIGHTS[: len(options)])[0]
    return Printed(text, gold, colour=COLOURS[gold] if gold else "")


def _lead(w: Writer, kind: str) -> str:
    return w.rng.choice(AGENCIES) if kind == "agency" else w.lead(kind)


# A next-version transform (bench/variety/versions.py) set while a style is rendered again:
# it receives the plan's actions as first built and returns the next version's.
Hook = Callable[[Spec, list[Action]], list[Action]]
HOOK: list[Hook] = []


def build(rng: random.Random, spec: Spec, sections: int | None = None) -> list[Action]:
    acts = _build(rng, spec, sections)
    return HOOK[-1](spec, acts) if HOOK else acts


def _build(rng: random.Random, spec: Spec, sections: int | None = None) -> list[Action]:
    w = Writer(rng, AREAS[spec.area])
    out: list[Action] = []
    a_no = 0
    for s, (section, aims) in enumerate(AREAS[spec.area].sections[:sections], start=1):
        k = 0
        for aim in aims:
            a_no += 1
            for j in range(1, rng.randint(*spec.per_aim) + 1):
                k += 1
                out.append(_one(rng, w, spec, section, aim, ref(spec.refs, s, a_no, k, j, len(out) + 1)))
    return out


def _one(rng: random.Random, w: Writer, spec: Spec, section: str, aim: str, r: str) -> Action:
    m0 = spec.plan_start + rng.randint(0, 8)
    m1 = m0 + rng.randint(2, 12)
    start = dates.printed(spec.start_form, m0, "start", rng) if spec.start_form else Printed("", "")
    end = dates.printed(spec.end_form, m1, "end", rng, spec.p_words)
    lead = _lead(w, spec.lead)
    return Action(section=section, aim=aim, ref=r, action=w.action(), start=start, end=end, measure=w.measure(),
                  lead=lead, dlt_lead=rng.choice(DIRECTORS) if spec.dlt else "",
                  support=", ".join(rng.sample(PARTNERS, 2)) if spec.support else "", comments=w.comment(),
                  status=status(rng, spec.vocab), months=(m0, m1))


# ----------------------------------------------------------------------------- rows


def cell(a: Action, key: str, status_mode: str = "text") -> Cell:
    if key in ("start", "end"):
        p: Printed = getattr(a, key)
        return Cell(p.text, value=p.value, number_format=p.number_format)
    if key == "status":
        return status_cell(a.status, status_mode)
    if key in a.extra:
        p = a.extra[key]
        return Cell(p.text, value=p.value, number_format=p.number_format)
    return Cell(getattr(a, key))


def status_cell(p: Printed, mode: str) -> Cell:
    if mode == "fill":
        return Cell(p.text, fill=p.colour)
    if mode == "fill_only":
        return Cell("", fill=p.colour)
    if mode == "glyph":
        return Cell("\u25cf", colour=p.colour) if p.colour else Cell("")
    return Cell(p.text)


def rows(actions: list[Action], cols: list[Col], banner: str | None = None, update: str | None = None,
         status_mode: str = "text") -> list[Row]:
    """Data rows; a banner row whenever `banner` (an Action attribute) changes; after each
    action a full-width update row ("Update: ...") when `update` names its label."""
    out: list[Row] = []
    last = None
    for a in actions:
        if banner and getattr(a, banner) != last:
            last = getattr(a, banner)
            out.append(Row("banner", text=last))
        out.append(Row("data", [cell(a, c.key, status_mode) for c in cols]))
        if update:
            out.append(Row("update", text=f"{update} {a.comments}"))
    return out
