"""Plans laid out as something other than one table: labelled blocks, space-aligned text,
CSV/TSV exports, one sheet per priority, "Update:" rows, slide decks.  Every file is made
here (python-docx, openpyxl, fpdf2)."""

from __future__ import annotations

import hashlib
import io

import pytest
from plantrail.ingest.detect import detect
from plantrail.normalise.actions.extract import extract_actions
from plantrail.normalise.records import ActionRecord
from plantrail.parsers import parse
from plantrail.parsers.delimited import sniff
from plantrail.parsers.text import parse_text


def actions_of(data: bytes, name: str) -> list[ActionRecord]:
    found = detect(data)
    assert found.ok, found.note
    doc = parse(name, data, hashlib.sha256(data).hexdigest(), found.fmt)
    return extract_actions(doc)


def text_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- labelled blocks --------------------------------------------------------------------------

LABELLED = (
    "# Improvement plan 2024/25",
    "",
    "## Priority 1: Early help",
    "",
    "Action 1.1: Review the referral pathway so that",
    "families get help sooner.",
    "Lead: Head of Early Help",
    "Deadline: March 2025",
    "Status: On track",
    "",
    "Action 1.2: Train all staff in the new model.",
    "Lead officer: Principal Social Worker",
    "Target date: 31/12/2024",
    "Status: Complete",
    "Update: 40 staff trained so far.",
    "",
    "## Priority 2: Quality",
    "",
    "Objective: Better case audits",
    "Ref: 2.1",
    "Action: Audit twenty cases a month.",
    "Owner: QA Manager",
    "Due date: June 2025",
    "Ref: 2.2",
    "Action: Report audit findings to the board.",
    "Owner: QA Manager",
    "Due date: September 2025",
)


def test_labelled_blocks_in_text_become_actions():
    acts = actions_of(text_bytes(*LABELLED), "plan.txt")
    assert [a.ref for a in acts] == ["1.1", "1.2", "2.1", "2.2"]
    a, b, c, d = acts
    assert a.action == "Review the referral pathway so that families get help sooner."
    assert (a.lead, a.end, a.rag, a.section) == ("Head of Early Help", "2025-03", "green",
                                                "Priority 1: Early help")
    assert (b.end, b.rag, b.comments) == ("2024-12-31", "completed", "40 staff trained so far.")
    assert (c.aim, c.lead, c.end, c.section) == ("Better case audits", "QA Manager", "2025-06",
                                                "Priority 2: Quality")
    assert d.aim == "Better case audits" and d.action == "Report audit findings to the board."
    assert a.line == 5 and a.table is None
    assert any("labelled lines" in w for w in a.warnings)


def test_one_labelled_line_in_a_letter_is_not_a_plan():
    data = text_bytes("Dear Ms Smith,", "", "Action: we will reply within 20 days.", "Lead: Customer team",
                      "", "Yours sincerely")
    assert actions_of(data, "letter.txt") == []


def test_labels_without_who_when_or_status_are_not_actions():
    data = text_bytes("Action: Review the policy.", "Notes: none", "", "Action: Write the guide.",
                      "Notes: none")
    assert actions_of(data, "notes.txt") == []


def test_labelled_blocks_in_docx_paragraphs_and_label_boxes():
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("Outcome 1: Safer children", level=1)
    for ref, text, who, when in (("1.1", "Recruit two advanced practitioners", "Head of Service", "April 2025"),
                                 ("1.2", "Launch the new front door", "Service Manager", "July 2025")):
        d.add_paragraph(f"Action {ref}: {text}")
        d.add_paragraph(f"Responsible officer: {who}")
        d.add_paragraph(f"Target date: {when}")
    d.add_heading("Outcome 2: Better records", level=1)
    for text, who in (("Audit case records monthly", "QA Lead"), ("Publish a recording policy", "PSW")):
        t = d.add_table(rows=3, cols=2)
        for r, (k, v) in enumerate((("Action", text), ("Lead", who), ("Status", "Amber"))):
            t.cell(r, 0).text, t.cell(r, 1).text = k, v
        d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    acts = actions_of(buf.getvalue(), "plan.docx")
    assert [(a.ref, a.action, a.lead) for a in acts] == [
        ("1.1", "Recruit two advanced practitioners", "Head of Service"),
        ("1.2", "Launch the new front door", "Service Manager"),
        ("", "Audit case records monthly", "QA Lead"),
        ("", "Publish a recording policy", "PSW")]
    assert acts[0].end == "2025-04" and acts[0].section == "Outcome 1: Safer children"
    assert acts[2].rag == "amber" and acts[2].section == "Outcome 2: Better records"


def _pdf(pages: list[list[str]], landscape: bool = False) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(orientation="L" if landscape else "P")
    pdf.set_font("helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_labelled_blocks_in_pdf_text():
    data = _pdf([["Delivery plan", "Action 3.1: Open two family hubs", "Lead: Director of Children's Services",
                  "Deadline: Q4 2024/25", "Status: At risk"],
                 ["Action 3.2: Review the hub offer with parents", "Lead: Family Hubs Manager",
                  "Deadline: 30 June 2025", "Status: Not started"]])
    acts = actions_of(data, "plan.pdf")
    assert [(a.ref, a.page) for a in acts] == [("3.1", 1), ("3.2", 2)]
    assert acts[0].lead == "Director of Children's Services"
    assert acts[1].end == "2025-06-30"


# -- space-aligned text -----------------------------------------------------------------------

ALIGNED = (
    "Improvement Plan 2024/25",
    "",
    "This plan sets out what we will do.  It is reviewed every quarter by the board and",
    "published on the website.",
    "",
    "Ref    Action                              Lead officer          Target date    RAG",
    "1.1    Review the referral pathway so      Head of Early Help    March 2025     Green",
    "       that families get help sooner",
    "1.2    Train all staff in the new model    Principal SW          Dec 2024       Amber",
    "",
    "2.1    Audit twenty cases a month          QA Manager            Q3 2024/25     Red",
    "",
    "Signed off by the Director.",
)


def test_space_aligned_columns_are_a_table():
    data = text_bytes(*ALIGNED)
    doc = parse_text("layout.txt", data, "0" * 64)
    (table,) = doc.tables()
    assert table.n_cols == 5
    assert table.row_texts(0) == ["Ref", "Action", "Lead officer", "Target date", "RAG"]
    assert table.row_texts(2) == ["", "that families get help sooner", "", "", ""]
    assert [b.kind for b in doc.blocks].count("paragraph") == 4  # title, prose x2, sign-off
    acts = actions_of(data, "layout.txt")
    assert [(a.ref, a.lead, a.rag) for a in acts] == [("1.1", "Head of Early Help", "green"),
                                                     ("1.2", "Principal SW", "amber"),
                                                     ("2.1", "QA Manager", "red")]
    assert acts[0].action == "Review the referral pathway so that families get help sooner"


def test_prose_with_double_spaces_is_not_a_table():
    data = text_bytes("The board met on Monday.  It agreed the plan.",
                      "Members asked for a report.  Officers will bring it in June.",
                      "The chair thanked officers.  The meeting closed at 8pm.",
                      "Next meeting:  14 July.")
    assert parse_text("minutes.txt", data, "0" * 64).tables() == []


def test_text_whose_lines_cross_the_columns_is_not_a_table():
    data = text_bytes("Name      Role", "Jo Bloggs  Chair of the board and lead member for children",
                      "A very long line of ordinary prose that runs right across the page", "Al  Clerk")
    assert parse_text("x.txt", data, "0" * 64).tables() == []


# -- CSV / TSV --------------------------------------------------------------------------------

def test_excel_csv_with_title_row_quoted_newlines_and_cp1252():
    csv_text = ('Corporate delivery plan 2024-25,,,,\r\n'
                'Ref,Action,Lead officer,Deadline,RAG\r\n'
                '1.1,"Deliver the new housing strategy, phase 1\r\nincluding the consultation",'
                'Head of Housing,31/03/2025,Green\r\n'
                '1.2,Review the \u2018front door\u2019 for adults,Director of Adults,Q2 2025/26,Amber\r\n')
    data = csv_text.encode("cp1252")
    assert detect(data).fmt == "csv"
    acts = actions_of(data, "plan.csv")
    assert [a.ref for a in acts] == ["1.1", "1.2"]
    assert acts[0].action == "Deliver the new housing strategy, phase 1 including the consultation"
    assert acts[0].action_raw == "Deliver the new housing strategy, phase 1\r\nincluding the consultation"
    assert (acts[0].lead, acts[0].end, acts[0].rag) == ("Head of Housing", "2025-03-31", "green")
    assert acts[1].action == "Review the \u2018front door\u2019 for adults"
    assert acts[0].line == 3 and acts[1].line == 5


def test_semicolon_csv_and_quoted_tsv():
    semi = "Ref;Action;Lead;Due date\n1;Write the plan, then consult;Jo Smith;May 2025\n2;Publish it;Al Jones;June 2025\n"
    assert sniff(semi) == ";"
    acts = actions_of(semi.encode(), "plan.csv")
    assert [(a.ref, a.action) for a in acts] == [("1", "Write the plan, then consult"), ("2", "Publish it")]
    tsv = 'Ref\tAction\tLead\tDue date\n1\t"Write the plan\nand consult"\tJo Smith\tMay 2025\n2\tPublish it\tAl Jones\tJune 2025\n'
    assert detect(tsv.encode()).fmt == "csv"
    assert [a.action for a in actions_of(tsv.encode(), "plan.tsv")] == ["Write the plan and consult", "Publish it"]


def test_plain_tab_text_and_prose_stay_text():
    assert detect(b"Ref\tAction\tLead\n1\tDo it\tJo\n2\tCheck it\tAl\n").fmt == "text"
    assert detect(b"We met, as agreed, on Monday.\nThe plan, the budget and the risks were discussed.\n").fmt == "text"
    assert sniff("one line, only\n") is None


# -- spreadsheets: a cover sheet and one sheet per priority ------------------------------------

def test_one_sheet_per_priority_with_a_cover_sheet():
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Children's services improvement plan"
    cover["A3"] = "Owner: Director of Children's Services"
    cover["A4"] = "Version 3, January 2025"
    for name, ref in (("Priority 1 - Front door", "1.1"), ("Priority 2 - Quality", "2.1")):
        ws = wb.create_sheet(name)
        ws.append(["Ref", "Action", "Lead", "Target date", "Status"])
        ws.append([ref, f"First action of {name}", "Head of Service", "March 2025", "On track"])
        ws.append([ref[:-1] + "2", f"Second action of {name}", "Team Manager", "June 2025", "Complete"])
    plain = wb.create_sheet("Sheet3")
    plain.append(["Ref", "Action", "Lead", "Target date", "Status"])
    plain.append(["9.1", "An action on an unnamed sheet", "Lead", "May 2025", "Red"])
    buf = io.BytesIO()
    wb.save(buf)
    acts = actions_of(buf.getvalue(), "plan.xlsx")
    assert [(a.ref, a.section, a.sheet) for a in acts] == [
        ("1.1", "Priority 1 - Front door", "Priority 1 - Front door"),
        ("1.2", "Priority 1 - Front door", "Priority 1 - Front door"),
        ("2.1", "Priority 2 - Quality", "Priority 2 - Quality"),
        ("2.2", "Priority 2 - Quality", "Priority 2 - Quality"),
        ("9.1", "", "Sheet3")]


# -- an "Update:" row under each action --------------------------------------------------------

def test_full_width_update_row_is_the_comments_not_a_section():
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("Priority 1: Early help", level=1)
    t = d.add_table(rows=5, cols=4)
    for c, h in enumerate(("Ref", "Action", "Lead", "Deadline")):
        t.cell(0, c).text = h
    for r, (ref, act, note) in enumerate((("1.1", "Open the hub", "Update: hub opened in May."),
                                          ("1.2", "Staff the hub", "Progress - two posts filled"))):
        row = 1 + 2 * r
        for c, v in enumerate((ref, act, "Hub Manager", "June 2025")):
            t.cell(row, c).text = v
        merged = t.cell(row + 1, 0).merge(t.cell(row + 1, 3))
        merged.text = note
    buf = io.BytesIO()
    d.save(buf)
    acts = actions_of(buf.getvalue(), "plan.docx")
    assert [(a.ref, a.comments, a.section) for a in acts] == [
        ("1.1", "hub opened in May.", "Priority 1: Early help"),
        ("1.2", "two posts filled", "Priority 1: Early help")]


# -- slide decks exported to PDF: slide title = section, banner row = aim -----------------------

def test_slide_deck_pdf_title_is_section_and_banner_is_aim():
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(orientation="L", format=(190.5, 338.7))
    pdf.set_font("helvetica", size=10)
    slides = (("Priorities ~ Children", "Give every child the best start in life",
               [("Open two family hubs", "Hub Lead", "Mar 2026", "Hubs open"),
                ("Train hub staff", "Workforce Lead", "Dec 2025", "Staff trained")]),
              ("Priorities ~ Adults", "Help people live well at home",
               [("Expand the falls service", "ASC Lead", "June 2025", "Fewer falls")]))
    for title, banner, rows in slides:
        pdf.add_page()
        pdf.set_font("helvetica", "B", 16)
        pdf.cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=10)
        with pdf.table(col_widths=(40, 20, 15, 25)) as table:
            table.row(("What we have committed to", "Led by", "Timescale", "Measure"))
            table.row().cell(banner, colspan=4)
            for r in rows:
                table.row(r)
    acts = actions_of(bytes(pdf.output()), "deck.pdf")
    assert [(a.page, a.section, a.aim, a.action, a.lead) for a in acts] == [
        (1, "Priorities ~ Children", "Give every child the best start in life", "Open two family hubs", "Hub Lead"),
        (1, "Priorities ~ Children", "Give every child the best start in life", "Train hub staff", "Workforce Lead"),
        (2, "Priorities ~ Adults", "Help people live well at home", "Expand the falls service", "ASC Lead")]
    assert acts[0].measure == "Hubs open" and acts[2].end == "2025-06"


def test_aim_column_keeps_banners_as_sections():
    data = text_bytes("# Plan", "", "Ref\tAim\tAction\tLead\tDeadline",
                      "Priority A: Safer services\t\t\t\t", "1.1\tKeep children safe\tDo a thing\tJo\tMay 2025")
    (a,) = actions_of(data, "plan.txt")
    assert (a.section, a.aim) == ("Priority A: Safer services", "Keep children safe")


# -- pdftotext -layout style: banners across the columns, wrapped cells, page breaks -----------

LAYOUT_DECK = (
    "Priorities ~ Children",
    "What we have committed to                  Led by            Timescale   Measure",
    "Give every child the best start in life: we will work with partners across the whole county",
    "and with schools on the priorities below.",
    "",
    "Open two family hubs in the north of      Hub Lead          Mar         Hubs open and",
    "the county                                                  2026        visited",
    "Train hub staff in the new                Workforce Lead    Dec         Staff trained",
    "Model of practice                                           2025",
    "\fPriorities ~ Children",
    "What we have committed to                  Led by            Timescale   Measure",
    "Review the offer with parents             Hub Lead          June        Survey done",
    "                                                            2025",
    "Publish the results                       Hub Lead          July        Report out",
    "                                                            2025",
)


def test_layout_text_banner_across_columns_is_the_aim_under_the_title():
    doc = parse_text("deck.txt", text_bytes(*LAYOUT_DECK), "0" * 64)
    first = doc.tables()[0]
    banner = [c for c in first.cells if c.col_span == first.n_cols]
    assert [c.text for c in banner][0].startswith("Give every child")
    acts = extract_actions(doc)
    assert [(a.action, a.lead, a.end) for a in acts] == [
        ("Open two family hubs in the north of the county", "Hub Lead", "2026-03"),
        ("Train hub staff in the new Model of practice", "Workforce Lead", "2025-12"),
        ("Review the offer with parents", "Hub Lead", "2025-06"),
        ("Publish the results", "Hub Lead", "2025-07")]
    assert {a.section for a in acts} == {"Priorities ~ Children"}
    assert acts[0].aim == ("Give every child the best start in life: we will work with partners across "
                           "the whole county and with schools on the priorities below.")
    assert acts[0].measure == "Hubs open and visited"


def test_page_break_ends_an_aligned_table():
    doc = parse_text("deck.txt", text_bytes(*LAYOUT_DECK), "0" * 64)
    assert len(doc.tables()) == 2
    assert doc.meta["aligned_tables"] == "0,1"


def test_wrapped_status_word_and_capitalised_cell_continuation():
    data = text_bytes(
        "Specific aim          Ref    Action                      Lead    RAG",
        "Better early help     1.1    Open the hub                JS      Complet",
        "for families in       ",
        "Tower Hamlets                                                    ed",
        "                      1.2    Staff the hub               AB      Green",
        "MONITORING",
    )
    acts = actions_of(data, "plan.txt")
    assert [(a.ref, a.aim, a.rag) for a in acts] == [
        ("1.1", "Better early help for families in Tower Hamlets", "completed"),
        ("1.2", "Better early help for families in Tower Hamlets", "green")]  # one merged aim
    assert acts[0].section == ""


def test_indented_line_under_a_bullet_continues_it():
    doc = parse_text("x.txt", text_bytes("\uf0b7   Audit activity shows the processes are", "    followed",
                                         "Next paragraph"), "0" * 64)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("list_item", "Audit activity shows the processes are followed"), ("paragraph", "Next paragraph")]


def test_a_key_line_is_not_a_section():
    from plantrail.normalise.actions.sections import is_heading_text

    assert not is_heading_text("$$$ = 100 000 $ et plus")
    assert not is_heading_text("G = on track, A = some slippage")
    assert is_heading_text("Plan d’action du transport actif 2021-2026")


def test_label_on_its_own_line_takes_the_next_line():
    data = text_bytes("Action 1:", "Review the duty rota.", "Lead officer:", "Head of Service", "Deadline:",
                      "May 2025", "", "Action 2:", "Publish the rota.", "Lead officer:", "Team Manager",
                      "Deadline:", "June 2025")
    acts = actions_of(data, "plan.txt")
    assert [(a.ref, a.action, a.lead, a.end) for a in acts] == [
        ("1", "Review the duty rota.", "Head of Service", "2025-05"),
        ("2", "Publish the rota.", "Team Manager", "2025-06")]
