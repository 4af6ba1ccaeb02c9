"""Paper metadata for every kind of committee paper (issue 11), on small documents built in memory:
doc_kind per kind, header shapes (side-by-side, numbered, fused, one-column table, decision
form, contact blocks), and the authority rules."""

from __future__ import annotations

import json

import pytest
from plantrail.normalise.reports.authority import authority_names, find_authority
from plantrail.normalise.reports.extract import extract_report
from plantrail.normalise.reports.records import ReportRecord
from plantrail.parsers.model import Block, Cell, Document, Table
from plantrail.parsers.text import parse_text


def text_doc(text: str, name: str = "mem.txt") -> Document:
    return parse_text(name, text.encode("utf-8"), "0" * 64)


def table_doc(rows: list[list[str]], before: list[str] = (), name: str = "mem.pdf") -> Document:
    cells = [Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row) if t is not None]
    ncols = max(len(r) for r in rows)
    blocks = [Block("paragraph", text=t) for t in before]
    blocks.append(Block("table", table=Table(cells=cells, n_rows=len(rows), n_cols=ncols)))
    return Document(path=name, sha256="ab" * 32, format="pdf", blocks=blocks)


def only(doc: Document) -> ReportRecord:
    res = extract_report(doc, [])
    assert len(res.reports) == 1
    return res.reports[0]


# ----------------------------------------------------------------------------- doc kinds


def test_agenda_front_sheet_is_an_agenda_not_a_report():
    rec = only(text_doc(
        "AGENDA\nCABINET\nThursday, 30th January, 2025, at 10.00 am Ask for:\n"
        "Jane Doe Council Chamber, Sessions House, Tel: 03000 000000\nEmail: jane.doe@example.gov.uk\n"
        "To: All Members of the County Council\n1. Apologies\n"
        "2. Minutes of the Meeting held on 9th January 2025 (Pages 1 - 10)\n"))
    assert rec.doc_kind == "agenda"
    assert (rec.committee, rec.meeting_date, rec.title, rec.report_of) == ("CABINET", "2025-01-30", "", "")
    assert rec.author == "Jane Doe"  # "Ask for:" spelled by the e-mail address, without the room beside it
    assert rec.evidence["committee"] == "CABINET"


def test_summons_names_the_meeting_in_a_sentence():
    rec = only(text_doc(
        "Summons to and Agenda for the Budget County Council Meeting on Thursday, 13th February, 2025 at 9.30 am\n"
        "Wednesday, 5 February 2025\nTo:\nAll Members of the County Council\n"
        "A meeting of the County Council will be held in the Council Chamber on Thursday, 13th February, 2025.\n"))
    assert (rec.doc_kind, rec.committee, rec.meeting_date) == ("agenda", "County Council", "2025-02-13")


def test_agenda_never_dates_itself_by_the_minutes_it_approves():
    rec = only(text_doc("AGENDA\nI. ROLL CALL\nII. APPROVAL OF THE MINUTES June 25, 2019\nIII. REPORTS\n"))
    assert (rec.doc_kind, rec.meeting_date, rec.committee) == ("agenda", "", "")


def test_minutes_name_the_meeting_minuted_and_the_council():
    rec = only(text_doc(
        "KENT COUNTY COUNCIL\nCABINET\n"
        "MINUTES of a meeting of the Cabinet held in the Council Chamber on Thursday, 30 January 2025.\n"
        "PRESENT: Mr A Person (Chairman)\n"
        "RESOLVED that the minutes of the meeting held on 9 January 2025 be approved.\n"))
    assert rec.doc_kind == "minutes"
    assert (rec.authority, rec.committee, rec.meeting_date) == ("Kent County Council", "Cabinet", "2025-01-30")
    assert (rec.title, rec.report_of, rec.author) == ("", "", "")


def test_decision_form_side_by_side_labels():
    rec = only(text_doc(
        "KENT COUNTY COUNCIL \u2013 PROPOSED RECORD OF DECISION\nDECISION TO BE TAKEN BY:\nDECISION NO:\n"
        "24/00096 Cabinet\nKey decision: YES\nTitle of Decision: Commissioning Plan for Education 2025-29\n"))
    assert rec.doc_kind == "decision_record"
    assert (rec.committee, rec.title) == ("Cabinet", "Commissioning Plan for Education 2025-29")


def test_decision_taken_by_a_person_leaves_committee_empty():
    rec = only(text_doc(
        "RECORD OF DECISION\nDECISION TO BE TAKEN BY:\nDECISION NUMBER:\n"
        "24/00093 Mrs Sue Chandler, Cabinet Member for Integrated Children's Services\n"
        "Subject Matter / Title of Decision\nCommissioned Family Hub Contracts\n"))
    assert (rec.doc_kind, rec.committee, rec.title) == ("decision_record", "", "Commissioned Family Hub Contracts")


def test_inspection_report():
    rec = only(text_doc(
        "Inspection of Kent County Council children\u2019s services\nInspection dates: 3 to 7 November 2025\n"
        "Lead inspector: Steve Lowe, His Majesty\u2019s Inspector\nJudgement\tGrade\nOverall effectiveness\tGood\n"))
    assert (rec.doc_kind, rec.doc_subkind) == ("other", "inspection_report")
    assert rec.title == "Inspection of Kent County Council children\u2019s services"
    assert rec.author == "Steve Lowe, His Majesty\u2019s Inspector"
    assert (rec.committee, rec.meeting_date, rec.authority) == ("", "", "Kent County Council")


def test_letter_author_is_the_signatory():
    rec = only(text_doc(
        "To Joanna Geary,\nFreedom of Information Request: 141/2015\n"
        "Thank you for your request received by Sevenoaks District Council on 9 March 2015.\n"
        "Dear Ms Geary\nPlease find attached.\nYours sincerely,\nGeorge Lewis\n"
        "Democratic Services Administration Assistant\n"))
    assert (rec.doc_kind, rec.doc_subkind) == ("other", "letter")
    assert rec.author == "George Lewis, Democratic Services Administration Assistant"
    assert rec.authority == "Sevenoaks District Council"
    assert (rec.committee, rec.meeting_date) == ("", "")


def test_eqia_as_one_big_single_column_table():
    rows = [["EQIA Submission Form"], ["EQIA Title"], ["Commissioning Plan for Education 2025-29"],
            ["Responsible Officer"], ["Paul Wilson - CY EPA"], ["Type of Activity"], ["Service Change"]]
    rec = only(table_doc(rows))
    assert (rec.doc_kind, rec.doc_subkind) == ("appendix", "equality_impact_assessment")
    assert rec.title == "Commissioning Plan for Education 2025-29"
    assert rec.author == "Paul Wilson - CY EPA"


def test_eqia_numbered_labels_with_notes_and_repeated_merged_cells():
    note = "1. Name of Activity (EQIA Title):"
    rows = [["Equality Impact Assessment (EQIA) Submission", "Equality Impact Assessment (EQIA) Submission", ""],
            [note, note, "Commissioned Family Hub Contracts"],
            ["4. Officer completing EQIA Note: This should be the name of the officer.",
             "4. Officer completing EQIA Note: This should be the name of the officer.",
             "Ben Sherreard Programme Manager \u2013 Family Hubs"],
            ["5. Head of Service Note: approving officer", "5. Head of Service Note: approving officer",
             "Dan Bride, Director of Youth Justice"]]
    rec = only(table_doc(rows))
    assert rec.doc_subkind == "equality_impact_assessment"
    assert rec.title == "Commissioned Family Hub Contracts"
    assert rec.author == "Ben Sherreard Programme Manager \u2013 Family Hubs"


def test_appendix_by_its_heading_and_by_its_file_name():
    rec = only(text_doc("Appendix 1: Service Offer Comparison\nPart 1: Millmead\nSessions on offer.\n"))
    assert (rec.doc_kind, rec.title) == ("appendix", "Service Offer Comparison")
    rec = only(text_doc("CONSULTATION FEEDBACK\nThe themes of the feedback.\n", name="Appendix 7 - Feedback.txt"))
    assert rec.doc_kind == "appendix"
    assert rec.evidence["doc_kind"] == "file name: Appendix 7 - Feedback.txt"


def test_every_document_gets_a_record_and_unknown_ones_are_other():
    rec = only(text_doc("Hello world.\n"))
    assert (rec.doc_kind, rec.doc_subkind, rec.title, rec.authority) == ("other", "", "", "")
    assert not rec.identified()


# ----------------------------------------------------------------------------- header shapes


def test_report_cover_with_labels_on_their_own_lines_and_several_signatories():
    rec = only(text_doc(
        "From:\nSue Chandler, Cabinet Member for Children\nDan Watkins, Cabinet Member for Adults\n"
        "Sarah Hammond, Corporate Director\nRichard Smith, Corporate Director\nTo:\nCabinet - 30 January 2025\n"
        "Subject:\nTransfer the 18-25 section of the Strengthening Independence Service from the Children Young "
        "People and Education Directorate to the Adult Social Care and Health Directorate\nClassification:\n"
        "Unrestricted\nSummary: Transitions involve facilitating young people's move.\n"))
    assert rec.doc_kind == "committee_report"
    assert rec.report_of == ("Sue Chandler, Cabinet Member for Children; Dan Watkins, Cabinet Member for Adults; "
                             "Sarah Hammond, Corporate Director; Richard Smith, Corporate Director")
    assert (rec.committee, rec.meeting_date) == ("Cabinet", "2025-01-30")
    assert rec.title.startswith("Transfer the 18-25 section") and rec.title.endswith("Health Directorate")


def test_from_and_to_printed_side_by_side_are_not_fused():
    rec = only(text_doc(
        "From:\nRoger Gough, Leader of the Council\nCounty Council \u2013 9th January 2025\nTo:\nSubject:\n"
        "English Devolution White Paper\nClassification: Unrestricted\nSummary:\nThe paper sets out policy.\n"))
    assert rec.report_of == "Roger Gough, Leader of the Council"
    assert (rec.committee, rec.meeting_date) == ("County Council", "2025-01-09")
    assert rec.title == "English Devolution White Paper"


def test_by_label_and_numbered_report_authors():
    rec = only(text_doc(
        "By:\nAnna Taylor, Scrutiny Research Officer\nTo:\nCabinet - 4 March 2025\nSubject: Call-in of a decision\n"
        "Summary: Cabinet must reconsider the decision.\n1. Introduction\nText.\n"
        "6. Relevant Director:\nAmanda Beer, Chief Executive Officer\n7. Report Authors:\n"
        "David Whittle, Director of Strategy\nBen Watts, General Counsel\n8. Appendices:\nAppendix 1: Letter\n"))
    assert rec.report_of == "Anna Taylor, Scrutiny Research Officer"
    assert rec.author == "David Whittle, Director of Strategy; Ben Watts, General Counsel"


def test_side_by_side_author_and_director_read_down_their_columns():
    rows = [["Report Authors: Ann One Assistant Director Early Help +443000412070 ann.one@example.gov.uk",
             "Lead Directors Cee Three, Director of Services +443000416334 cee.three@example.gov.uk"],
            ["Bee Two", "Dee Four, Director of Adult Social Care +443000417578"],
            ["Head of Service North +443000412483 bee.two@example.gov.uk", "dee.four@example.gov.uk"]]
    rec = only(table_doc(rows, before=["From:", "Jo Bloggs, Director", "To:", "Cabinet - 30 January 2025",
                                       "Subject:", "A decision"]))
    assert rec.author == "Ann One Assistant Director Early Help; Bee Two, Head of Service North"
    assert "Cee" not in rec.author and "Dee" not in rec.author and "@" not in rec.author


def test_labels_fused_with_values_lose_phone_and_email():
    rec = only(text_doc(
        "From:\nJo Bloggs, Director\nTo:\nCabinet - 30 January 2025\nSubject:\nA decision\n"
        "16. Contact details\n"
        "Report Author: Ben Sherreard Job title: Programme Manager, Family Hubs Telephone number: 0300 0419815 "
        "Email address: ben.sherreard@example.gov.uk\n"))
    assert rec.author == "Ben Sherreard, Programme Manager, Family Hubs"


def test_author_block_interleaved_with_a_director_block_is_left_empty():
    rec = only(text_doc(
        "From:\nJo Bloggs, Director\nTo:\nCabinet - 30 January 2025\nSubject:\nA decision\nContact Details\n"
        "Report Author:\nDirector: Ingrid Crisan\nSarah Hammond Director of Integrated\n"
        "Corporate Director for Children, Operational Services\nSarah.hammond@example.gov.uk\n"))
    assert rec.author == ""
    assert any("does not say which person" in w for w in rec.warnings)


def test_an_attendance_list_makes_minutes_even_under_an_agenda_heading():
    rec = only(text_doc("TMG 14 November 2024\nAgenda\n1. Market update 2. AOB\nAttendance:\n"
                        "Harry Rayner (Chair)\nDiscussion Summary:\nThe group noted the update.\n"))
    assert (rec.doc_kind, rec.meeting_date) == ("minutes", "2024-11-14")


def test_labels_run_together_in_one_line_are_split_back():
    page = ("From: Roger Gough, Leader of the Council Dylan Jeffrey, Cabinet Member for Communications Ben Watts "
            "\u2013 General Counsel To: County Council, 13 March 2025 Subject: Governance Update Status: Unrestricted "
            "1. Introduction a) The Governance Working Party was established to consider recommendations.")
    rec = only(table_doc([[page], ["Contact Details: Benjamin Watts \u2013 General Counsel benjamin.watts@example.gov.uk"]]))
    assert rec.doc_kind == "committee_report"
    assert (rec.committee, rec.meeting_date, rec.title) == ("County Council", "2025-03-13", "Governance Update")
    assert rec.report_of == ("Roger Gough, Leader of the Council; Dylan Jeffrey, Cabinet Member for Communications; "
                             "Ben Watts \u2013 General Counsel")
    assert rec.author == "Benjamin Watts \u2013 General Counsel"


@pytest.mark.parametrize("value, want", [
    ("Deputy Leader and Cabinet Member for Finance, Corporate and Traded Services Interim Corporate Director \u2013 "
     "Finance", "Deputy Leader and Cabinet Member for Finance, Corporate and Traded Services; Interim Corporate "
     "Director \u2013 Finance"),
    ("Strategic Director Corporate Resources", "Strategic Director Corporate Resources"),
    ("Chief Executive Officer", "Chief Executive Officer"),
    ("Roger Gough, Leader of the Council", "Roger Gough, Leader of the Council"),
])
def test_two_roles_joined_on_one_line_are_split_only_where_a_role_starts(value, want):
    from plantrail.normalise.reports.fused import split_roles
    assert split_roles(value) == want


def test_one_big_single_column_table_still_gives_the_header():
    rows = [["From:"], ["Jane Smith, Director of Governance"], ["To:"], ["Governance and Audit Committee \u2013 3 March 2025"],
            ["Subject:"], ["Annual Governance Statement"], ["Summary: the statement for the year."]]
    rec = only(table_doc(rows))
    assert rec.doc_kind == "committee_report"
    assert (rec.report_of, rec.committee, rec.meeting_date, rec.title) == (
        "Jane Smith, Director of Governance", "Governance and Audit Committee", "2025-03-03",
        "Annual Governance Statement")


def test_evidence_column_is_json_of_printed_lines():
    rec = only(text_doc("From:\nJo Bloggs, Director\nTo:\nCabinet - 30 January 2025\nSubject:\nA decision\n"))
    row = rec.to_row()
    ev = json.loads(str(row["evidence"]))
    assert ev["report_of"].endswith("Jo Bloggs, Director")
    assert list(row)[-2:] == ["doc_subkind", "evidence"]  # new columns at the end


# ----------------------------------------------------------------------------- authority


@pytest.mark.parametrize("text, want", [
    ("Budget County Council meeting. That Council agreed the Collection Fund Council tax.", ""),
    ("The KCC budget was agreed by KCC members.", ""),  # an abbreviation alone names nobody
    ("KCC report. Kent County Council agreed.", "Kent County Council"),
    ("KENT COUNTY COUNCIL\nCABINET", "Kent County Council"),
    ("Report of Lewisham London Borough Council on housing.", "London Borough of Lewisham"),
    ("Report to the Cabinet of Cardiff Council.", "Cardiff Council"),
    ("Report to The Highland Council.", "The Highland Council"),
    ("A report of the City of London Corporation. The City of London Police attended.", "City of London Corporation"),
])
def test_authority_only_from_names_in_the_data_file(text, want):
    assert find_authority(text).name == want


def test_the_papers_own_council_wins_over_a_partner_named_more_often():
    text = ("Report of Kent County Council to its Cabinet.\n" + "Background text. " * 50
            + "We will work jointly with Medway Council. Medway Council and partners. " * 3)
    assert find_authority(text).name == "Kent County Council"


def test_a_partner_named_in_full_while_the_paper_calls_itself_by_abbreviation_is_not_taken():
    text = ("Summary of the devolution paper. " * 60 + "Medway Council has agreed a proposal. KCC will submit it "
            "too. KCC agrees.")
    found = find_authority(text)
    assert found.name == ""
    assert "KCC" in found.warning


def test_report_to_of_names_the_papers_council_even_after_a_partner():
    text = ("Medway Council has a transport plan. Medway Council agreed it. " * 2 + "Background. " * 200
            + "This is a report to the Cabinet of Kent County Council on the joint plan.")
    assert find_authority(text).name == "Kent County Council"


def test_data_file_covers_the_kinds_of_uk_authority():
    names = authority_names()
    assert len(names) >= 400
    for name in ("Kent County Council", "Medway Council", "London Borough of Lewisham", "Birmingham City Council",
                 "Cardiff Council", "Glasgow City Council", "Greater Manchester Combined Authority",
                 "Kent and Medway Fire and Rescue Authority", "Sevenoaks District Council", "Belfast City Council"):
        assert name in names
