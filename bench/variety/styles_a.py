"""Styles 1-8: inspection, SEND, audit, delivery, peer-challenge, partnership, Welsh, multi-row header.

Each style function takes a seeded rng and returns the document and its actions in printed
order; the formats each style is rendered to are listed in `styles.STYLES`.
"""

from __future__ import annotations

import random

from bench.variety import dates
from bench.variety.model import Action, Block, Col, Doc, Printed, Sheet, Table
from bench.variety.plan import Spec, build, rows


def _by_section(actions: list[Action]) -> list[tuple[str, list[Action]]]:
    out: list[tuple[str, list[Action]]] = []
    for a in actions:
        if not out or out[-1][0] != a.section:
            out.append((a.section, []))
        out[-1][1].append(a)
    return out


def _tables_under_headings(actions: list[Action], cols: list[Col], **kw) -> list[Block]:
    merge = kw.pop("merge", ())
    repeat = kw.pop("repeat", True)
    blocks = []
    for section, acts in _by_section(actions):
        blocks.append(Block("heading", section, level=2))
        blocks.append(Block("table", table=Table(cols, rows(acts, cols, **kw), merge=merge, repeat_header=repeat)))
    return blocks


def ilacs(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Post-ILACS improvement plan: priority headings, a merged Ofsted-recommendation column."""
    acts = build(rng, Spec("children", refs="ilacs", start_form="mon_yy", end_form="q_fy", vocab="rag_words",
                           lead="role", per_aim=(2, 3)))
    cols = [Col("Ref", "ref", 1), Col("Ofsted recommendation", "aim", 3), Col("Action", "action", 4),
            Col("Lead officer", "lead", 2), Col("Start", "start", 1.2), Col("Target date", "end", 1.4),
            Col("Success measure", "measure", 3), Col("Progress update", "comments", 3.5), Col("RAG", "status", 1)]
    blocks = [Block("para", "Improvement plan in response to the inspection of local authority children's services "
                    "(ILACS). Progress is reported to the Improvement Board every eight weeks."),
              Block("para", "RAG: Green - on track; Amber - some delay; Red - off track; Blue - complete.")]
    blocks += _tables_under_headings(acts, cols, merge=("aim",), status_mode="fill")
    return Doc("Children's Services Improvement Plan 2024-26", [Sheet("Plan", blocks)]), acts


def wsoa(rng: random.Random) -> tuple[Doc, list[Action]]:
    """SEND written statement of action: areas of weakness as headings, outcomes as banner rows."""
    acts = build(rng, Spec("send", refs="wsoa", end_form="season", p_words=0.1, vocab="slippage", lead="name",
                           support=True, per_aim=(2, 4)))
    cols = [Col("Ref", "ref", 1), Col("Action", "action", 4), Col("Lead", "lead", 1.8),
            Col("Partners involved", "support", 1.8), Col("By when", "end", 1.6),
            Col("Success criteria / impact", "measure", 3), Col("Progress", "comments", 3), Col("Status", "status", 1.6)]
    blocks = [Block("para", "Joint written statement of action of the local authority and the integrated care board "
                    "following the local area SEND inspection.")]
    blocks += _tables_under_headings(acts, cols, banner="aim", repeat=False)  # header printed once
    return Doc("Written Statement of Action: Special Educational Needs and Disabilities", [Sheet("WSOA", blocks)]), acts


def audit(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Internal-audit tracker: audits as banner rows, recommendation = aim, management response
    = action, a revised target date that wins over the original."""
    form = rng.choice(["excel_day", "excel_day", "dmy"])
    acts = build(rng, Spec("audit", refs="audit", end_form=form, vocab="audit", lead="role", per_aim=(1, 3)))
    for a in acts:
        a.aim = "Management should ensure that " + a.aim[0].lower() + a.aim[1:] + "."
        a.extra["original"] = a.end
        a.extra["priority"] = Printed(rng.choice(["High", "Medium", "Medium", "Low"]), "")
        if a.end.gold and rng.random() < 0.35:
            m = int(a.end.gold[:4]) * 12 + int(a.end.gold[5:7]) - 1 + rng.randint(2, 6)
            a.end = dates.printed(form, m, "end", rng)
            a.extra["revised"] = a.end
        else:
            a.extra["revised"] = Printed("", "")
    cols = [Col("Ref", "ref", 0.8), Col("Recommendation", "aim", 3.5), Col("Priority", "priority", 1),
            Col("Management response", "action", 3.5), Col("Responsible officer", "lead", 1.8),
            Col("Original target date", "original", 1.3), Col("Revised target date", "revised", 1.3),
            Col("Status", "status", 1.4), Col("Comments", "comments", 3)]
    blocks = [Block("heading", "Internal Audit - Recommendation Tracker"),
              Block("para", "Position at 30 September 2024. Reported to Audit and Governance Committee.")]
    blocks.append(Block("table", table=Table(cols, rows(acts, cols, banner="section"))))
    return Doc("Internal Audit Recommendations", [Sheet("Tracker", blocks, start_col=2)]), acts


def delivery(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Corporate delivery plan: priority headings, objective banners, milestones, RAG letters."""
    acts = build(rng, Spec("corporate", refs="pip", end_form=rng.choice(["sept", "apos"]), vocab="letters",
                           lead="role", dlt=True, per_aim=(2, 3)))
    cols = [Col("Ref", "ref", 1), Col("Key activity", "action", 4), Col("Milestone", "measure", 3),
            Col("Accountable officer", "lead", 2), Col("Lead director", "dlt_lead", 2), Col("Due", "end", 1.2),
            Col("RAG", "status", 0.8)]
    blocks = [Block("para", "Key: B = complete, G = on track, A = at risk of delay, R = off track, C = closed.")]
    blocks += _tables_under_headings(acts, cols, banner="aim", status_mode="fill")
    return Doc("Corporate Delivery Plan 2024-27: Year One Milestones", [Sheet("Delivery plan", blocks)]), acts


def peer(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Response to a corporate peer challenge: merged recommendation cells, range timescales."""
    acts = build(rng, Spec("peer", refs="paren", end_form="end_of", vocab="risk", lead="name", per_aim=(2, 3)))
    for a in acts:
        roll = rng.random()
        if roll < 0.5:
            m0 = 2024 * 12 + rng.randint(3, 8)
            a.start, a.end, text = dates.month_range(m0, m0 + rng.randint(4, 12))
            a.extra["timescale"] = Printed(text, "")
        elif roll < 0.6:
            a.end = dates.words(0, "end", rng)
            a.extra["timescale"] = a.end
        else:
            a.extra["timescale"] = a.end
    cols = [Col("Ref", "ref", 0.8), Col("Recommendation", "aim", 3), Col("What we will do", "action", 4),
            Col("Lead", "lead", 1.6), Col("Timescale", "timescale", 1.6), Col("Progress", "comments", 3),
            Col("Status", "status", 1.2)]
    blocks = [Block("para", "The peer team made five recommendations. This plan sets out how we will respond; "
                    "the peer team will return for a progress review in ten months.")]
    blocks += _tables_under_headings(acts, cols, merge=("aim",))
    return Doc("Corporate Peer Challenge Action Plan", [Sheet("Plan", blocks)]), acts


def partnership(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Community safety partnership plan: numbering inside the action text, lead agencies."""
    acts = build(rng, Spec("safety", refs="in_text", end_form=rng.choice(["fin_year", "q_fy"]), vocab="risk",
                           lead="agency", support=True, per_aim=(3, 5)))
    for a in acts:
        a.extra["numbered"] = Printed(f"{a.ref} {a.action}", "")
    cols = [Col("Action", "numbered", 4), Col("Lead agency", "lead", 1.8), Col("Supporting partners", "support", 2),
            Col("Timescale", "end", 1.2), Col("How we will know", "measure", 2.6), Col("Update", "comments", 3),
            Col("RAG", "status", 1)]
    for a in acts:
        a.aim = "Outcome: " + a.aim
    blocks = [Block("para", "Status key: On track (green), At risk (amber), Off track (red), Complete.")]
    blocks += _tables_under_headings(acts, cols, banner="aim", status_mode="fill")
    return Doc("Safer Communities Partnership: Business Plan", [Sheet("Plan", blocks)]), acts


def welsh(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Bilingual plan: "Cymraeg / English" headers and statuses, dd.mm.yy dates."""
    acts = build(rng, Spec("wales", refs="a_dot", start_form="dots", end_form="dots", vocab="welsh", lead="role",
                           per_aim=(3, 5)))
    cols = [Col("Cyf. / Ref", "ref", 0.9), Col("Cam gweithredu / Action", "action", 4),
            Col("Swyddog Arweiniol / Lead Officer", "lead", 2), Col("Dyddiad cychwyn / Start date", "start", 1.3),
            Col("Dyddiad targed / Target date", "end", 1.3), Col("Mesur llwyddiant / Success measure", "measure", 2.5),
            Col("Diweddariad / Update", "comments", 3), Col("Statws / Status", "status", 1.6)]
    blocks = _tables_under_headings(acts, cols, banner="aim")
    return Doc("Cynllun Gweithredu / Action Plan 2024-25", [Sheet("Cynllun", blocks)]), acts


def multihead(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Two header rows ("Timescale" over Start|End, "Responsibility" over Lead|Support), PH-01 refs,
    the sheet's table in column B under title rows."""
    acts = build(rng, Spec("adults", refs="ph", start_form="wc", end_form="apos", vocab="slippage", lead="name",
                           support=True, per_aim=(2, 3)))
    cols = [Col("Ref", "ref", 0.8), Col("Objective", "aim", 2.5), Col("Action", "action", 4),
            Col("Start", "start", 1.5, group="Timescale"), Col("End", "end", 1.3, group="Timescale"),
            Col("Lead", "lead", 1.6, group="Responsibility"), Col("Support", "support", 1.8, group="Responsibility"),
            Col("Measure of success", "measure", 2.6), Col("RAG", "status", 1.2)]
    blocks = [Block("heading", "Adult Social Care: Assessment Readiness Improvement Plan"),
              Block("para", "Version 3 - for Health and Adult Social Care Scrutiny")]
    blocks += _tables_under_headings(acts, cols, merge=("aim",), status_mode="fill")
    return Doc("Adult Social Care Improvement Plan", [Sheet("Plan", blocks, start_col=2)]), acts
