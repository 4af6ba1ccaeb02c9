"""Column roles from evidence: plans in styles no header list was tuned for.

Every document here is built in memory from the parser model, in the shapes councils print:
audit recommendation trackers, corporate delivery plans, Welsh bilingual plans, two-row
headers, colour keys, and plans whose columns only their content names.
"""

from __future__ import annotations

from plantrail.normalise.actions import explain_columns
from plantrail.normalise.actions.columns import assign_roles
from plantrail.normalise.actions.extract import extract_actions, read_plan
from plantrail.parsers.model import Block, Cell, Document, Table


def table(rows: list[list[str]], fills: dict[tuple[int, int], str] | None = None,
          spans: dict[tuple[int, int], int] | None = None, colors: dict[tuple[int, int], str] | None = None,
          index: int = 0) -> Table:
    """A table from rows of texts; ``spans`` gives a cell's col_span (the covered cells are
    left out of the row lists' meaning: their text is ignored)."""
    fills, spans, colors = fills or {}, spans or {}, colors or {}
    cells: list[Cell] = []
    n_cols = max(len(r) for r in rows)
    for r, row in enumerate(rows):
        covered: set[int] = set()
        for c, text in enumerate(row):
            if c in covered:
                continue
            span = spans.get((r, c), 1)
            covered.update(range(c, c + span))
            cells.append(Cell(r, c, text, col_span=span, fill=fills.get((r, c)), color=colors.get((r, c))))
    return Table(cells=cells, n_rows=len(rows), n_cols=n_cols, index=index)


def doc_of(*blocks: Block, fmt: str = "docx") -> Document:
    return Document(path="plan.docx", sha256="ab" * 32, format=fmt, blocks=list(blocks))


def tb(t: Table) -> Block:
    return Block("table", table=t)


def test_audit_recommendation_tracker():
    rows = [["Ref", "Recommendation", "Management response", "Responsible officer", "Original target date",
             "Revised target date", "Status"],
            ["R1", "Contracts should be reviewed annually.", "Agreed. A contracts register will be kept and "
             "reviewed each April.", "Head of Procurement", "31/03/2024", "30/09/2024", "Implemented"],
            ["R2", "Access rights should be checked.", "Agreed. Quarterly access reviews will be introduced.",
             "IT Manager", "30/06/2024", "", "Partly implemented"],
            ["R3", "Training records should be complete.", "Records will be completed for all staff.",
             "HR Business Partner", "31/12/2024", "31/03/2025", "Not started"]]
    acts = extract_actions(doc_of(tb(table(rows))))
    assert [a.ref for a in acts] == ["R1", "R2", "R3"]
    a = acts[0]
    assert a.action.startswith("Agreed. A contracts register") and a.aim == "Contracts should be reviewed annually."
    assert a.lead == "Head of Procurement"
    assert a.end == "2024-09-30"  # the revised target wins over the original
    assert acts[1].end == "2024-06-30"  # no revised date printed: the original is the latest
    assert acts[2].end == "2025-03-31"
    assert any("taken from 'Original target date'" in w for w in acts[1].warnings)
    assert not any("taken from" in w for w in acts[0].warnings)
    assert any("end <-" in w and "Revised target date" in w for w in a.warnings)  # the evidence travels


def test_corporate_delivery_plan():
    rows = [["Key activity", "Milestone", "Accountable officer", "Target date", "RAG"],
            ["Deliver the new waste contract", "Contract signed and mobilised", "Director of Environment",
             "March 2025", "G"],
            ["Open two family hubs", "Hubs open to the public", "Head of Early Help", "Sept 2024", "A"]]
    acts = extract_actions(doc_of(tb(table(rows))))
    assert len(acts) == 2
    a = acts[0]
    assert (a.action, a.measure, a.lead, a.end, a.rag) == (
        "Deliver the new waste contract", "Contract signed and mobilised", "Director of Environment", "2025-03", "green")
    assert acts[1].rag == "amber"


def test_welsh_bilingual_headers():
    rows = [["Cyf / Ref", "Cam Gweithredu / Action", "Swyddog Arweiniol / Lead Officer",
             "Dyddiad Targed / Target Date"],
            ["1.1", "Adolygu'r polisi / Review the policy", "Pennaeth Gwasanaeth", "31/03/2025"],
            ["1.2", "Hyfforddi staff / Train staff", "Rheolwr Tim", "30/06/2025"]]
    acts = extract_actions(doc_of(tb(table(rows))))
    assert [(a.ref, a.lead, a.end) for a in acts] == [("1.1", "Pennaeth Gwasanaeth", "2025-03-31"),
                                                     ("1.2", "Rheolwr Tim", "2025-06-30")]
    assert acts[0].action == "Adolygu'r polisi / Review the policy"


def test_french_headers():
    rows = [["N°", "Action à mener", "Responsable", "Échéance", "Indicateur de suivi"],
            ["1", "Réviser le règlement intérieur", "Direction générale", "31/12/2024", "Règlement adopté"],
            ["2", "Former les agents", "DRH", "30/06/2025", "Agents formés"]]
    acts = extract_actions(doc_of(tb(table(rows))))
    assert [(a.ref, a.lead, a.end, a.measure) for a in acts] == [
        ("1", "Direction générale", "2024-12-31", "Règlement adopté"), ("2", "DRH", "2025-06-30", "Agents formés")]


def test_improvement_action_and_success_measure_and_colour_only_brag():
    green, red = "00B050", "FF0000"
    rows = [["No", "Improvement action", "Lead", "Due", "How we will know (success measure)", "BRAG"],
            ["1", "Refresh the audit framework", "PSW", "Dec 2024", "Audits show 80% good", ""],
            ["2", "Recruit permanent managers", "HR", "Mar 2025", "Agency use below 10%", ""],
            ["3", "Launch the practice model", "PSW", "Jan 2025", "All staff trained", ""]]
    t = table(rows, fills={(1, 5): green, (2, 5): red, (3, 5): green})
    acts = extract_actions(doc_of(tb(t)))
    assert [a.action for a in acts] == ["Refresh the audit framework", "Recruit permanent managers",
                                       "Launch the practice model"]
    assert [a.measure for a in acts] == ["Audits show 80% good", "Agency use below 10%", "All staff trained"]
    assert [a.rag for a in acts] == ["green", "red", "green"]


def test_a_column_no_header_names_gets_its_role_from_content():
    roles = assign_roles(["Ref", "Action", "Lead", "Column 4"],
                         [["1", "2", "3"], ["Review X", "Develop Y", "Train Z"], ["AB", "CD", "EF"],
                          ["31/03/2025", "30/06/2025", "Q3 2024/25"]])
    assert roles.columns[3] == "end"
    assert any("content" in line for line in roles.lines())


def test_an_unknown_label_over_names_is_not_a_lead():
    roles = assign_roles(["Ref", "Action", "Lead officer", "Budget code"],
                         [["1", "2", "3"], ["Review X", "Develop Y", "Train Z"], ["Ann", "Bo", "Cy"],
                          ["Ab", "Cd", "Ef"]])
    assert 3 not in roles.columns


def test_lead_and_accountable_director_share_out():
    roles = assign_roles(["Action", "Lead officer", "Accountable officer", "Sponsor", "Deadline"])
    assert roles.columns == {0: "action", 1: "lead", 3: "dlt_lead", 4: "end"}
    pair = assign_roles(["Action", "Lead officer", "Executive director", "Deadline"])
    assert pair.columns == {0: "action", 1: "lead", 2: "dlt_lead", 3: "end"}
    alone = assign_roles(["Action", "Accountable director", "Deadline"])
    assert alone.columns[1] == "lead"  # the only accountable column is the lead


def test_status_column_of_sentences_is_not_rag():
    roles = assign_roles(["Action", "Lead", "Status"],
                         [["Do A", "Do B", "Do C"], ["X", "Y", "Z"],
                          ["Work began in May and a draft is with the board for approval.",
                           "Consultation closed; responses being analysed by the team now.",
                           "Delayed by the restructure; new owner appointed last month."]])
    assert roles.columns.get(2) == "comments"


def test_outcome_grouping_several_actions_is_the_aim():
    outcome = "Children are safer at home"
    rows = [["Outcome", "Action", "Lead", "By when"],
            [outcome, "Review the threshold document", "AB", "Mar 2025"],
            [outcome, "Train partners on thresholds", "CD", "Jun 2025"],
            ["Fewer children wait for help", "Open a duty line", "EF", "Apr 2025"]]
    t = Table(cells=[Cell(0, i, x) for i, x in enumerate(rows[0])]
              + [Cell(1, 0, outcome, row_span=2)]
              + [Cell(r, c, rows[r][c]) for r in (1, 2) for c in (1, 2, 3)]
              + [Cell(3, c, rows[3][c]) for c in range(4)], n_rows=4, n_cols=4)
    acts = extract_actions(doc_of(tb(t)))
    assert [a.aim for a in acts] == [outcome, outcome, "Fewer children wait for help"]
    assert all(a.measure == "" for a in acts)


def test_outcome_one_per_action_is_the_measure():
    rows = [["Objective", "Action", "Outcome", "Lead"],
            ["Improve practice", "Audit 20 cases a month", "Audits show improvement", "AB"],
            ["Improve practice", "Run practice weeks", "Staff report better support", "CD"]]
    acts = extract_actions(doc_of(tb(table(rows))))
    assert [a.measure for a in acts] == ["Audits show improvement", "Staff report better support"]
    assert acts[0].aim == "Improve practice"


def test_two_row_header_group_cells():
    rows = [["Action", "Timescale", "", "Responsibility", ""],
            ["Action", "Start", "End", "Lead", "Support"],
            ["Set up a panel", "Apr 2024", "Jun 2024", "Head of Service", "Partners"],
            ["Publish the guide", "May 2024", "Sep 2024", "Team Manager", "Comms"]]
    cells = [Cell(0, 0, "Action", row_span=2), Cell(0, 1, "Timescale", col_span=2),
             Cell(0, 3, "Responsibility", col_span=2)]
    cells += [Cell(1, c, rows[1][c]) for c in range(1, 5)]
    cells += [Cell(r, c, rows[r][c]) for r in (2, 3) for c in range(5)]
    acts = extract_actions(doc_of(tb(Table(cells=cells, n_rows=4, n_cols=5))))
    assert [(a.action, a.start, a.end, a.lead) for a in acts] == [
        ("Set up a panel", "2024-04", "2024-06", "Head of Service"),
        ("Publish the guide", "2024-05", "2024-09", "Team Manager")]
    assert acts[0].extra == {"Support": "Partners"}


def test_title_and_note_rows_before_the_header_and_table_in_column_b():
    rows = [["", "Children's Services Improvement Plan 2024", "", ""],
            ["", "Updated monthly. Owners confirm progress by the 5th.", "", ""],
            ["", "Ref", "Action", "Owner", "Deadline"],
            ["", "1", "Review the front door", "AB", "Mar 2025"]]
    acts = extract_actions(doc_of(tb(table(rows))))
    assert [(a.ref, a.action, a.lead, a.end) for a in acts] == [("1", "Review the front door", "AB", "2025-03")]


def test_header_printed_once_for_tables_on_later_pages():
    head = ["Ref", "Action", "Lead", "Due date"]
    t1 = table([head, ["1", "Do one", "AB", "Mar 2025"]], index=0)
    t2 = table([["2", "Do two", "CD", "Apr 2025"]], index=1)
    t3 = table([head, ["3", "Do three", "EF", "May 2025"]], index=2)  # repeated on a later page
    acts = extract_actions(doc_of(tb(t1), tb(t2), tb(t3)))
    assert [a.ref for a in acts] == ["1", "2", "3"]


def test_colour_key_row_is_not_an_action_and_maps_colours():
    purple, teal = "7030A0", "00B0F0"
    rows = [["Key:", "Complete", "On track"],
            ["Ref", "Action", "Lead", "Status"],
            ["1", "Do one", "AB", ""],
            ["2", "Do two", "CD", ""]]
    t = table([r + [""] * (4 - len(r)) for r in rows],
              fills={(0, 1): purple, (0, 2): teal, (2, 3): purple, (3, 3): teal})
    acts = extract_actions(doc_of(tb(t)))
    assert [a.ref for a in acts] == ["1", "2"]
    assert [a.rag for a in acts] == ["completed", "green"]


def test_glyph_colour_is_the_status():
    rows = [["Ref", "Action", "Lead", "RAG"], ["1", "Do one", "AB", "●"], ["2", "Do two", "CD", "●"],
            ["3", "Do three", "EF", "●"]]
    t = table(rows, colors={(1, 3): "FF0000", (2, 3): "00B050", (3, 3): "FFC000"})
    acts = extract_actions(doc_of(tb(t)))
    assert [a.rag for a in acts] == ["red", "green", "amber"]


def test_slide_title_is_section_and_banner_inside_the_table_is_aim():
    def slide(title: str, banner: str, ref: str, index: int) -> list[Block]:
        rows = [["Ref", "Action", "Lead", "Date"], [banner, "", "", ""], [ref, "Do " + ref, "AB", "Mar 2025"]]
        return [Block("heading", text=title, level=1),
                tb(table(rows, spans={(1, 0): 4}, index=index))]

    blocks = slide("Priority 1: Inclusion", "Outcome 1a: Fewer exclusions", "1", 0) + \
        slide("Priority 2: Transitions", "Outcome 2a: Better moves to adult services", "2", 1)
    acts = extract_actions(doc_of(*blocks))
    assert [(a.section, a.aim) for a in acts] == [
        ("Priority 1: Inclusion", "Outcome 1a: Fewer exclusions"),
        ("Priority 2: Transitions", "Outcome 2a: Better moves to adult services")]


def test_document_heading_is_section_and_banners_are_aims():
    rows = [["Ref", "Action", "Lead", "Date"], ["Priority 1: Safe children", "", "", ""],
            ["1", "Do one", "AB", "Mar 2025"], ["Priority 2: Good schools", "", "", ""],
            ["2", "Do two", "CD", "Apr 2025"]]
    acts = extract_actions(doc_of(Block("heading", text="Service Improvement Plan 2024", level=1),
                                  tb(table(rows, spans={(1, 0): 4, (3, 0): 4}))))
    assert [(a.section, a.aim) for a in acts] == [("Service Improvement Plan 2024", "Priority 1: Safe children"),
                                                 ("Service Improvement Plan 2024", "Priority 2: Good schools")]


def test_missed_plan_says_so():
    rows = [["Action", "Lead", "Deadline"], ["", "", ""]]
    res = read_plan(doc_of(Block("heading", text="Improvement plan 2024", level=1), tb(table(rows))))
    assert res.actions == [] and res.missed.startswith("looks like an action plan")
    assert res.missed_tables == 1 and "Action/End/Lead columns" in res.missed
    report = read_plan(doc_of(Block("paragraph", text="The committee noted the budget.")))
    assert report.missed == ""


def test_explain_columns_lists_every_column():
    t = table([["Ref", "Key activity", "Accountable officer", "Target date"],
               ["1", "Deliver the plan", "AB", "Mar 2025"], ["2", "Review it", "CD", "Jun 2025"]])
    lines = explain_columns(t)
    assert any("'Key activity'" in ln and "-> action" in ln for ln in lines)
    assert any("'Target date'" in ln and "-> end" in ln for ln in lines)


def test_prose_table_is_not_an_action_table():
    rows = [["Year", "Budget", "Spend"], ["2023", "£1m", "£0.9m"], ["2024", "£1.1m", "£1.2m"]]
    assert extract_actions(doc_of(tb(table(rows)))) == []


def test_missed_plan_file_gets_no_actions_with_the_reason(tmp_path):
    from plantrail.ingest.pipeline import process_batch

    plan = tmp_path / "plan.txt"
    plan.write_text("Corporate Improvement Plan 2024\n\nAction\tLead\nReview the front door\tAB\n"
                    "Train staff\tCD\n", encoding="utf-8")
    (res,) = process_batch([plan]).results
    assert res.document.status == "no_actions"
    assert res.document.reason.startswith("looks like an action plan: 1 table with Action/Lead columns")


def test_key_printed_as_a_table_of_swatches_and_as_a_line_of_text():
    purple = "7030A0"
    key = table([["Key", "Meaning"], ["", "Complete"], ["", "On track"]], fills={(1, 0): purple, (2, 0): "00B0F0"})
    plan = table([["Ref", "Action", "Lead", "RAG"], ["1", "Do one", "AB", ""], ["2", "Do two", "CD", "C"]],
                 fills={(1, 3): purple}, index=1)
    acts = extract_actions(doc_of(Block("paragraph", text="Key: B = complete, C = closed, G = on track"),
                                  tb(key), tb(plan)))
    assert [a.rag for a in acts] == ["completed", "completed"]
    assert [a.ref for a in acts] == ["1", "2"]  # the key's rows are not actions


def test_bilingual_status_cell():
    rows = [["Cyf / Ref", "Cam gweithredu / Action", "Swyddog Arweiniol / Lead Officer", "Statws / Status"],
            ["1", "Adolygu / Review", "AB", "Ar y trywydd / On track"]]
    (a,) = extract_actions(doc_of(tb(table(rows))))
    assert a.rag == "green" and a.rag_raw == "Ar y trywydd / On track"


def test_repeated_header_under_an_outer_banner_keeps_both_levels():
    rows = [["Ref", "Action", "Lead", "Due"], ["Group A1", "", "", ""], ["1", "Do one", "AB", "Mar 2025"],
            ["Theme B", "", "", ""], ["Ref", "Action", "Lead", "Due"], ["Group B1", "", "", ""],
            ["2", "Do two", "CD", "Apr 2025"]]
    t = table(rows, spans={(1, 0): 4, (3, 0): 4, (5, 0): 4})
    acts = extract_actions(doc_of(Block("heading", text="Theme A", level=2), tb(t)))
    assert [(a.section, a.aim) for a in acts] == [("Theme A", "Group A1"), ("Theme B", "Group B1")]


def test_a_key_line_is_not_a_section():
    rows = [["Ref", "Action", "Lead", "Due"], ["1", "Do one", "AB", "Mar 2025"]]
    acts = extract_actions(doc_of(Block("heading", text="Priority 1: Safer streets", level=2),
                                  Block("paragraph", text="$$$ = 100 000 $ and over"), tb(table(rows))))
    assert acts[0].section == "Priority 1: Safer streets"


def test_theme_column_is_the_section_beside_an_objective_column():
    rows = [["Plan Ref", "Theme", "Objective", "Action Description", "Owner", "Due Date"],
            ["1.1", "A thriving economy", "Fewer empty shops", "Pilot the town centre fund", "AB", "31/05/2025"],
            ["2.1", "Homes", "More homes", "Review the housing register", "CD", "31/03/2025"]]
    acts = extract_actions(doc_of(Block("heading", text="Delivery plan", level=1), tb(table(rows))))
    assert [(a.section, a.aim) for a in acts] == [("A thriving economy", "Fewer empty shops"), ("Homes", "More homes")]
