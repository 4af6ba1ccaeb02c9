"""Report records: each header layout on small documents built in memory, then the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from plantrail.normalise.records import ActionRecord
from plantrail.normalise.reports.authority import find_authority
from plantrail.normalise.reports.extract import extract_report
from plantrail.normalise.reports.records import REPORT_CORE, ReportRecord
from plantrail.parsers.model import Block, Cell, Document, Provenance, Table
from plantrail.parsers.text import parse_text

PLAN = [ActionRecord("a-1", "plan.txt", "")]  # "normalise found actions in this document"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def text_doc(text: str, name: str = "mem.txt") -> Document:
    return parse_text(name, text.encode("utf-8"), "0" * 64)


def sample(prefix: str) -> Document:
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return parse_text(path.name, path.read_bytes(), prefix * 20)


def only(doc: Document, actions=None) -> ReportRecord:
    res = extract_report(doc, actions or [])
    assert len(res.reports) == 1
    return res.reports[0]


COVER = (
    "Committee(s):\tDate(s):\n"
    "Housing Sub Committee \u2013 For Decision\t3 March 2016\n"
    "Subject:\tPublic\n"
    "Homelessness Action Plan progress\t\n"
    "Report of:\tFor Decision\n"
    "Jane Smith, Director of Housing and\t\n"
    "Neighbourhoods\t\n"
    "Report author:\t\n"
    "Sam Jones, Policy Officer\t\n"
    "\n"
    "Summary\n"
    "\n"
    "This update covers the period October 2015 to January 2016.\n"
    "\n"
    "Recommendation\n"
    "\n"
    "Members are asked to approve the plan.\n"
    "\n"
    "Main Report\n"
)


def test_two_column_cover_sheet():
    rec = only(text_doc(COVER))
    assert rec.doc_kind == "committee_report"
    assert rec.committee == "Housing Sub Committee"  # the "– For Decision" status is dropped
    assert rec.meeting_date == "2016-03-03"
    assert rec.meeting_date_raw == "3 March 2016"
    assert rec.title == "Homelessness Action Plan progress"
    assert rec.report_of == "Jane Smith, Director of Housing and Neighbourhoods"  # wrapped value joined
    assert rec.author == "Sam Jones, Policy Officer"
    assert rec.period_covered == "2015-10/2016-01"
    assert rec.recommendation == "Members are asked to approve the plan."
    assert rec.provenance["meeting_date"] == "table 0 row 1 line 2"


def test_key_value_table_with_bold_labels_and_heading_committee():
    text = (
        "## Adult Social Care Scrutiny Committee\n\n"
        "<b>Report Title</b>\tCare Quality Improvement Plan update\n"
        "<b>Purpose of Report</b>\tTo inform the Committee\n"
        "<b>Author</b>\tAlex Brown, Head of Quality\n"
        "<b>Date of meeting</b>\t12/01/2019\n"
        "<b>Recommendations to the Committee:</b>\t\n"
        "<p>To note the report.</p>\t\n"
        "<b>Key Issues:</b>\t\n"
        "<p>Lots happened.</p>\t\n"
    )
    rec = only(text_doc(text))
    assert rec.doc_kind == "committee_report"
    assert rec.committee == "Adult Social Care Scrutiny Committee"
    assert rec.title == "Care Quality Improvement Plan update"
    assert rec.author == "Alex Brown, Head of Quality"
    assert rec.meeting_date == "2019-01-12"
    assert rec.recommendation == "To note the report."  # the value sits in the row below its label
    assert rec.report_of == ""


def test_plan_header_table():
    text = (
        "Name:\tEarly Years Improvement Plan\n"
        "Duration:\tSeptember 2018 to August 2019\n"
        "Board responsible for monitoring action plan:\tEarly Years Board\n"
        "Owner:\tHead of Early Years\n"
        "Review Date:\tJan-19\n"
        "Frequency of monitoring/reporting\tTermly\n"
    )
    rec = only(text_doc(text))
    assert rec.doc_kind == "action_plan"
    assert (rec.plan_name, rec.title) == ("Early Years Improvement Plan", "Early Years Improvement Plan")
    assert rec.duration == rec.period_covered == "2018-09/2019-08"
    assert rec.review_date == "2019-01" and rec.review_date_raw == "Jan-19"
    assert rec.committee == rec.monitoring_body == "Early Years Board"
    assert rec.report_of == rec.owner == "Head of Early Years"
    assert rec.frequency == "Termly"
    assert rec.meeting_date == "" and rec.author == ""


def test_plan_in_running_prose_uses_title_lines_and_monitoring_sentence():
    text = (
        "Youth Justice\n\nImprovement Plan\n\nMay 2018\n\nIntroduction\n\n"
        "The London Borough of Lewisham was inspected in March 2018.\n\n"
        "This Improvement Plan will be subject to a monthly review by the Lewisham Youth Justice "
        "Management Board as agreed.\n"
    )
    rec = only(text_doc(text), actions=PLAN)  # actions were found => a plan
    assert rec.doc_kind == "action_plan"
    assert rec.title == "Youth Justice Improvement Plan"
    assert rec.document_date == "2018-05"
    assert rec.committee == "Lewisham Youth Justice Management Board"
    assert rec.authority == "London Borough of Lewisham"
    assert rec.period_covered == ""


def test_title_line_with_period_review_date_and_date_folded_in():
    doc = Document(path="p.docx", sha256="ef" * 32, format="docx", blocks=[
        Block("heading", text="Children & Families Service Improvement Plan \u2014 April 2017 to March 2018 "
                              "(review date Aug-17)", level=1),
        Block("heading", text="Priority 1: Safeguarding", level=2),
    ])
    rec = only(doc, actions=PLAN)
    assert rec.title == "Children & Families Service Improvement Plan"
    assert (rec.duration, rec.period_covered, rec.review_date) == ("2017-04/2018-03", "2017-04/2018-03", "2017-08")
    assert rec.review_date_raw == "Aug-17"
    doc.blocks[0].text = "Early Help and Protection \u2014 Post-Ofsted Improvement Plan, February 2016"
    rec = only(doc, actions=PLAN)
    assert (rec.title, rec.document_date, rec.duration) == (
        "Early Help and Protection Post-Ofsted Improvement Plan", "2016-02", "")


def test_key_value_blocks_from_a_structured_parser():
    doc = Document(path="r.docx", sha256="ab" * 32, format="docx", blocks=[
        Block("key_value", key="Committee", value="Cabinet", prov=Provenance(page=1)),
        Block("key_value", key="Date", value="14 July 2020", prov=Provenance(page=1)),
        Block("key_value", key="Subject", value="Budget monitoring", prov=Provenance(page=1)),
        Block("key_value", key="Report of", value="Chief Finance Officer", prov=Provenance(page=1)),
        Block("paragraph", text="Members are asked to note the report.", prov=Provenance(page=2)),
    ])
    rec = only(doc)
    assert (rec.committee, rec.meeting_date, rec.title, rec.report_of) == (
        "Cabinet", "2020-07-14", "Budget monitoring", "Chief Finance Officer")
    assert rec.provenance["report_of"] == "page 1"


def test_a_document_that_is_neither_report_nor_plan_gives_an_other_record_with_no_fields():
    cells = [Cell(r, c, str(r * 10 + c)) for r in range(4) for c in range(3)]
    doc = Document(path="numbers.xlsx", sha256="cd" * 32, format="xlsx",
                   blocks=[Block("table", table=Table(cells=cells, n_rows=4, n_cols=3))])
    res = extract_report(doc, [])
    assert len(res.reports) == 1 and (res.figures, res.mentions) == ([], [])
    rec = res.reports[0]
    assert rec.doc_kind == "other"
    assert (rec.authority, rec.committee, rec.meeting_date, rec.title, rec.report_of, rec.author) == ("",) * 6


def test_contact_block_gives_author_with_job_and_department_separated():
    text = COVER.replace("Report author:\t\nSam Jones, Policy Officer\t\n", "") + (
        "\nSam Jones Senior Policy Officer Housing and Neighbourhoods\n\n"
        "Telephone: 020 7332 1215 Email: sam.jones@example.gov.uk\n")
    rec = only(text_doc(text))
    assert rec.author == "Sam Jones, Senior Policy Officer, Housing and Neighbourhoods"
    assert "author taken from the contact block" in rec.warnings


@pytest.mark.parametrize("text, want", [
    ("Report to the Cabinet of Kent County Council. Kent residents ...", "Kent County Council"),
    ("Budget County Council met. That Council agreed.", ""),  # capitalised words before "Council" are not names
    ("The London Borough of Lewisham works with Croydon Council; Lewisham Board; Lewisham Partnership; "
     "and Croydon Council again", "London Borough of Lewisham"),
    ("Leader of the County Council, Chief Executive GCC", ""),  # no name printed: nothing invented
    ("A report of the City of London Corporation. The City of London Police attended.", "City of London Corporation"),
    ("Key partners: Police; Croydon Council. Undertake a peer challenge with Croydon Council.", ""),
    ("Contact: a.person@cityoflondon.gov.uk", ""),  # an e-mail domain alone never names the authority
    ("the Children in Care Council met the Youth Council", ""),
])
def test_authority_only_where_the_text_names_it(text, want):
    assert find_authority(text).name == want


def test_row_starts_with_the_fixed_columns():
    row = only(text_doc(COVER)).to_row()
    assert tuple(row)[: len(REPORT_CORE)] == REPORT_CORE
    assert all(not isinstance(v, (list, dict)) for v in row.values())


# ------------------------------------------------------------------------------------ seeds


def test_seed_000_cover_sheet():
    rec = only(sample("000"))
    assert rec.authority == "City of London Corporation"
    assert rec.committee == "Safeguarding Sub Committee"
    assert rec.meeting_date == "2017-09-27"
    assert rec.title == "Service Improvement Plan and Ofsted Improvement"
    assert rec.report_of == "Andrew Carter, Director of Community and Children's Services"
    assert rec.author == "Rachel Green, Service Manager, Children's Social Care and Early Help"
    assert rec.period_covered == "2017-04/2017-08"
    assert rec.doc_kind == "committee_report"


def test_seed_002_author_from_contact_block_and_recommendation():
    rec = only(sample("002"))
    assert rec.meeting_date == "2014-11-27"
    assert rec.report_of == "Director of Community and Children's Services"
    assert rec.author == "Pat Dixon, Children's Social Care Service Manager, Community and Children's Services"
    assert rec.recommendation == "Members are asked to note this report."
    assert rec.period_covered == ""  # "in place since March 2012" is not a reporting period


def test_seed_003_key_value_table():
    rec = only(sample("003"))
    assert rec.committee == "Children and Families Scrutiny Committee"
    assert rec.title == "Children's Services Improvement Board (CSIB) update"
    assert rec.author == "Chris Spencer, Director of Children's Services"
    assert rec.authority == ""  # only "the County Council" and "GCC" are printed
    assert rec.meeting_date == rec.report_of == ""


def test_seed_001_plan_header():
    rec = only(sample("001"), actions=PLAN)
    assert rec.doc_kind == "action_plan"
    assert rec.title == "Children & Families Service Improvement Plan"
    assert rec.committee == "Service Improvement Board/Executive Group/DLT"
    assert rec.report_of == "Service Manager Children's Social Care and Early Help"
    assert rec.period_covered == "2017-04/2018-03"
    assert rec.review_date == "2017-08"
    assert rec.frequency == "Quarterly"


def test_seed_004_plan_in_prose():
    rec = only(sample("004"), actions=PLAN)
    assert rec.authority == "London Borough of Lewisham"  # not Croydon, a partner named twice
    assert rec.title == "Early Help, Protection and Looked After Children Post-Ofsted Inspection Improvement Plan"
    assert rec.committee == "Lewisham Children and Young People's Strategic Partnership"
    assert rec.document_date == "2016-02"
    assert rec.meeting_date == rec.period_covered == ""


def test_cover_printed_as_separate_label_and_value_lines():
    lines = ["From:", "Ann Lee, Leader,", "Dr Bo Chan, Director of Public Health", "To:", "Cabinet, 30 January 2025",
             "Decision Number: 24/00115", "Subject:", "Health Strategy Delivery Plan", "Classification:",
             "Unrestricted", "Summary: The plan sets out 12 priorities.",
             "Recommendation(s): Cabinet is asked to agree the plan."]
    doc = Document(path="c.pdf", sha256="12" * 32, format="pdf",
                   blocks=[Block("paragraph", text=t, prov=Provenance(page=1)) for t in lines])
    rec = only(doc)
    assert rec.doc_kind == "committee_report"
    assert (rec.committee, rec.meeting_date) == ("Cabinet", "2025-01-30")
    assert rec.report_of == "Ann Lee, Leader; Dr Bo Chan, Director of Public Health"
    assert rec.title == "Health Strategy Delivery Plan"
    assert rec.recommendation == "Cabinet is asked to agree the plan."
