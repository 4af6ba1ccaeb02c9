"""Styles 9-15: colour-only RAG, labelled blocks, layout text, sheet per priority, update rows,
slide deck, flat CSV export."""

from __future__ import annotations

import random

from bench.variety.model import COLOURS, Action, Block, Cell, Col, Doc, Row, Sheet, Table
from bench.variety.plan import Spec, build, rows, status_cell
from bench.variety.styles_a import _by_section, _tables_under_headings


def colour_rag(rng: random.Random, glyph: bool) -> tuple[Doc, list[Action]]:
    """RAG shown only by colour (a coloured ● in Word/PDF, a filled cell in Excel) with a key."""
    acts = build(rng, Spec("children", refs="dotted", end_form="excel_month", vocab="colour", lead="initials",
                           per_aim=(2, 4)))
    key = [("blue", "Complete"), ("green", "On track"), ("amber", "Some concerns"), ("red", "Off track")]
    mode = "glyph" if glyph else "fill_only"
    legend = Table([Col("Key", "k", 0.6), Col("Meaning", "m", 3)],
                   [Row("data", [Cell("\u25cf", colour=COLOURS[c]) if glyph else Cell("", fill=COLOURS[c]),
                                 Cell(t)]) for c, t in key], repeat_header=False)
    cols = [Col("No.", "ref", 0.8), Col("Area for development", "aim", 3), Col("Action", "action", 4),
            Col("Owner", "lead", 1), Col("Deadline", "end", 1.2), Col("Evidence of impact", "measure", 3),
            Col("Comments", "comments", 3), Col("RAG", "status", 0.8)]
    blocks = [Block("para", "Practice improvement plan following the focused visit. RAG key:"),
              Block("table", table=legend)]
    blocks += _tables_under_headings(acts, cols, merge=("aim",), status_mode=mode)
    return Doc("Practice Improvement Plan", [Sheet("Plan", blocks, start_col=1)]), acts


def colour_docx(rng: random.Random) -> tuple[Doc, list[Action]]:
    return colour_rag(rng, glyph=True)


def colour_xlsx(rng: random.Random) -> tuple[Doc, list[Action]]:
    return colour_rag(rng, glyph=False)


def blocks(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Each action as a block of labelled lines, no table."""
    acts = build(rng, Spec("corporate", refs="dotted", end_form=rng.choice(["end_of", "month_year"]),
                           p_words=0.1, vocab="slippage", lead="role", per_aim=(2, 3)))
    out: list[Block] = [Block("para", "Quarter 2 progress report on the council plan actions.")]
    for section, group in _by_section(acts):
        out.append(Block("heading", section, level=2))
        for a in group:
            lines = [f"Action {a.ref}: {a.action}", f"Objective: {a.aim}", f"Lead: {a.lead}",
                     f"Deadline: {a.end.text}", f"Status: {a.status.text}", f"Success measure: {a.measure}",
                     f"Update: {a.comments}"]
            out.append(Block("para", "\n".join(lines)))
    shown = ("section", "aim", "ref", "action", "lead", "end", "status", "measure", "comments")
    return Doc("Council Plan Actions: Quarter 2 Progress", [Sheet("Report", out)], landscape=False, fields=shown), acts


def layout(rng: random.Random) -> tuple[Doc, list[Action]]:
    """A wide table as `pdftotext -layout` prints it: space-aligned, wrapped, header per page."""
    acts = build(rng, Spec("children", refs="dotted", start_form="mon_yy", end_form="month_year", vocab="rag_words",
                           lead="initials", per_aim=(2, 4)))
    cols = [Col("Ref", "ref", 0.7), Col("Action", "action", 4), Col("Lead", "lead", 0.8), Col("Start", "start", 1),
            Col("End", "end", 1.5), Col("Measure", "measure", 3), Col("RAG", "status", 0.9)]
    tbl = Table(cols, rows(acts, cols, banner="section"))
    return Doc("Early Help Strategy Action Plan 2024-25", [Sheet("Plan", [Block("table", table=tbl)])]), acts


def sheets(rng: random.Random) -> tuple[Doc, list[Action]]:
    """A workbook with a cover sheet, then one sheet per priority; Excel month cells."""
    acts = build(rng, Spec("adults", refs="a_dot", start_form="excel_month", end_form="excel_month", vocab="risk",
                           lead="role", per_aim=(2, 4)))
    cover = [Block("heading", "Health and Wellbeing Board Delivery Plan 2024-25"),
             Block("para", "Contents: one sheet per priority."),
             Block("para", "Status: On track, At risk (amber), Off track (red), Complete / Closed.")]
    out = [Sheet("Cover", cover)]
    cols = [Col("Ref", "ref", 0.8), Col("Objective", "aim", 2.5), Col("Action", "action", 4),
            Col("Lead", "lead", 1.8), Col("Start", "start", 1), Col("Due", "end", 1), Col("Status", "status", 1.2),
            Col("Commentary", "comments", 3)]
    for i, (section, group) in enumerate(_by_section(acts), start=1):
        tbl = Table(cols, rows(group, cols), merge=("aim",))
        out.append(Sheet(f"Priority {i}", [Block("heading", section), Block("table", table=tbl)]))
    return Doc("Health and Wellbeing Board Delivery Plan", out), acts


def update_rows(rng: random.Random) -> tuple[Doc, list[Action]]:
    """Each action row followed by a full-width "Update:" row holding its progress comments."""
    acts = build(rng, Spec("send", refs="dotted", end_form="end_of", p_words=0.12, vocab="risk", lead="name",
                           per_aim=(2, 4)))
    cols = [Col("Ref", "ref", 0.7), Col("Action", "action", 5), Col("Owner", "lead", 1.8),
            Col("Target", "end", 1.6), Col("Status", "status", 1.2)]
    body = _tables_under_headings(acts, cols, banner="aim", update="Update:")
    return Doc("SEND Improvement Plan: Monitoring Return", [Sheet("Plan", body)]), acts


def slides(rng: random.Random) -> tuple[Doc, list[Action]]:
    """A deck: slide title = section, the table's first row a banner = aim, at most 4 rows a slide."""
    acts = build(rng, Spec("children", refs="dotted", end_form="month_year", vocab="rag_words", lead="role",
                           per_aim=(2, 5)))
    cols = [Col("Ref", "ref", 0.7), Col("Action", "action", 4), Col("Owner", "lead", 2), Col("Due", "end", 1.4),
            Col("Progress", "comments", 3.5), Col("RAG", "status", 0.9)]
    out: list[Sheet] = []
    for section, group in _by_section(acts):
        aims: list[tuple[str, list[Action]]] = []
        for a in group:
            if not aims or aims[-1][0] != a.aim:
                aims.append((a.aim, []))
            aims[-1][1].append(a)
        for aim, items in aims:
            for i in range(0, len(items), 4):
                data = [Row("data", [status_cell(a.status, "fill") if c.key == "status" else
                                     Cell(getattr(a, c.key) if c.key not in ("end",) else a.end.text) for c in cols])
                        for a in items[i:i + 4]]
                tbl = Table(cols, [Row("banner", text=aim)] + data)
                out.append(Sheet("slide", [Block("table", table=tbl)], slide_title=section))
    return Doc("Children's Services Improvement Programme", out), acts


def csv_export(rng: random.Random) -> tuple[Doc, list[Action]]:
    """A flat export from a performance system: theme and objective as columns, dd/mm/yyyy dates."""
    acts = build(rng, Spec("corporate", refs="dotted", start_form="dmy", end_form="dmy", vocab="risk", lead="name",
                           dlt=True, per_aim=(2, 4)))
    cols = [Col("Plan Ref", "ref"), Col("Theme", "section"), Col("Objective", "aim"),
            Col("Action Description", "action"), Col("Owner", "lead"), Col("Director", "dlt_lead"),
            Col("Start Date", "start"), Col("Due Date", "end"), Col("Status", "status"),
            Col("Latest Update", "comments"), Col("Measure", "measure")]
    tbl = Table(cols, rows(acts, cols))
    return Doc("Council plan export", [Sheet("Export", [Block("table", table=tbl)])]), acts


def outcome_aim(rng: random.Random) -> tuple[Doc, list[Action]]:
    """An "Outcome" column that groups several actions (merged cells): by structure it is the aim."""
    acts = build(rng, Spec("adults", refs="dotted", end_form=rng.choice(["mon_yy", "month_year"]), vocab="risk",
                           lead="role", per_aim=(2, 4)))
    cols = [Col("Outcome", "aim", 2.6), Col("Ref", "ref", 0.7), Col("Action", "action", 4), Col("Lead", "lead", 1.8),
            Col("Deadline", "end", 1.2), Col("Progress", "comments", 3), Col("RAG", "status", 1)]
    body = [Block("para", "Status key: On track (green), At risk (amber), Off track (red), Complete / Closed.")]
    body += _tables_under_headings(acts, cols, merge=("aim",), status_mode="fill")
    return Doc("Adult Social Care: Improvement Plan for the CQC Assessment", [Sheet("Plan", body)]), acts


def outcome_measure(rng: random.Random) -> tuple[Doc, list[Action]]:
    """An "Outcome" column with one statement per action (evidence of success): the measure."""
    acts = build(rng, Spec("safety", refs="dotted", end_form="q_fy", vocab="slippage", lead="agency",
                           per_aim=(3, 5)))
    cols = [Col("Ref", "ref", 0.7), Col("Action", "action", 4), Col("Outcome", "measure", 3),
            Col("Owner", "lead", 1.8), Col("Due", "end", 1.2), Col("Status", "status", 1.3)]
    body = [Block("heading", "Serious Violence Duty: Partnership Response Plan")]
    for section, group in _by_section(acts):
        body.append(Block("para", section))
        body.append(Block("table", table=Table(cols, rows(group, cols))))
    doc = Doc("Serious Violence Duty: Partnership Response Plan", [Sheet("Response plan", body, start_col=2)])
    return doc, acts
