"""Key figures: numbers stated as facts, with unit and what they count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from plantrail.normalise.actions.extract import extract_actions
from plantrail.normalise.reports.figures import extract_figures, figures_in_sentence
from plantrail.normalise.reports.records import FIGURE_COLUMNS
from plantrail.parsers.text import parse_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sample(prefix: str):
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return parse_text(path.name, path.read_bytes(), prefix * 20)


def figs(sentence: str) -> list[tuple[str, str, str]]:
    return [(v, u, what) for v, u, what, _raw, _w in figures_in_sentence(sentence)]


@pytest.mark.parametrize("sentence, want", [
    ("A review in November 2014 identified that 101 actions had successfully been completed out of 133.",
     [("101", "count", "actions"), ("133", "count", "actions")]),
    ("There are six actions classed as amber.", [("6", "count", "actions")]),
    ("Case loads are manageable (86% of social workers have 20 or fewer children).",
     [("86", "percent", "social workers"), ("20", "count", "children")]),
    ("93% of contacts are subject to a decision within 48 hours.",
     [("93", "percent", "contacts"), ("48", "hours", "decision")]),
    ("All activity will be completed within 45 working days.", [("45", "working_days", "activity")]),
    ("The budget is \u00a31.2m this year.", [("1.2", "\u00a3m", "budget")]),
    ("There have been no children requiring the service for the past two years.",
     [("2", "years", "past")]),
    ("three monthly chronologies are now tracked", [("3", "months", "chronologies")]),
    ("the overall vacancy figure remains high (32.7%)", [("32.7", "percent", "overall vacancy figure")]),
    ("Ofsted identified 9 areas for improvement", [("9", "count", "areas for improvement")]),
    ("just under half of children were seen", [("0.5", "fraction", "children")]),
])
def test_sentence_figures(sentence, want):
    assert figs(sentence) == want


@pytest.mark.parametrize("sentence", [
    "T: 020 7332 3501",
    "following the commencement of Section 47 enquiries",
    "Priority 5: improvements following from the Ofsted",
    "Linked plan: SS1 CYPP and BR2",
    "E: rachel.green@cityoflondon.gov.uk",
    "one of the partners said no one knew",
])
def test_labels_and_contact_numbers_are_not_figures(sentence):
    assert figs(sentence) == []


def test_list_numbers_are_not_counts():
    doc = parse_text("m.txt", b"- 1. Common Assessment Framework completion remains low.\n"
                              b"1.2. We have progressed 3 areas.\n", "0" * 64)
    got = [(f.value, f.unit, f.counts_what) for f in extract_figures(doc, [])]
    assert got == [("3", "count", "areas")]


def test_provenance_and_flat_rows():
    doc = parse_text("m.txt", b"Intro\n\nThe Board meets every two months.\n", "ab" * 32)
    (f,) = extract_figures(doc, [])
    assert (f.value, f.unit, f.counts_what, f.raw, f.line, f.block) == ("2", "months", "Board", "two months", 3, 1)
    assert f.sentence == "The Board meets every two months."
    assert f.figure_id == "abababababab-F001"
    assert tuple(f.to_row()) == FIGURE_COLUMNS


def test_seed_003_performance_figures():
    got = {(f.value, f.unit): f.counts_what for f in extract_figures(sample("003"), [])}
    assert got[("86", "percent")] == "social workers"
    assert got[("20", "count")] == "children"
    assert got[("97.8", "percent")] == "Children in Care"
    assert got[("47", "percent")] == "agency staffing proportion"
    assert ("5", "working_days") in got and ("48", "hours") in got
    assert not [u for _, u in got if u in ("date", "period", "year")]


def test_seed_002_counts_of_actions():
    counts = [(f.value, f.counts_what) for f in extract_figures(sample("002"), []) if f.unit == "count"]
    assert ("101", "actions") in counts and ("133", "actions") in counts and ("32", "actions") in counts
    # paragraph numbers "2.", "3." ... "12." are not counts
    assert not [v for v, what in counts if what == ""]


def test_seed_001_skips_action_tables_but_reads_header_and_headings():
    doc = sample("001")
    actions = extract_actions(doc)
    figures = extract_figures(doc, actions)
    action_lines = {a.line for a in actions}
    from_sentences = [f for f in figures if "counted from numbered headings" not in f.warnings]
    assert not [f for f in from_sentences if f.line in action_lines]
    got = {(f.value, f.unit, f.counts_what) for f in figures}
    assert not [f for f in figures if f.unit in ("date", "period", "year")]  # Duration, Review Date Aug-17
    assert ("5", "count", "priorities") in got
    assert ("6", "count", "ofsted recommendations") in got


@pytest.mark.parametrize("sentence, want", [
    ("An overspend of -\u00a3290.5m is forecast.", [("-290.5", "\u00a3m", "overspend")]),
    ("The variance is \u00a3(290.5)m.", [("-290.5", "\u00a3m", "variance")]),
    ("Savings of \u00a312k, \u00a31,200 and \u00a33bn were found.",
     [("12", "\u00a3k", "Savings"), ("1200", "\u00a3", ""), ("3", "\u00a3bn", "")]),
    ("Attendance fell by -3.5% to 91.2 per cent.", [("-3.5", "percent", "Attendance"), ("91.2", "percent", "")]),
    ("The service employs 12.5 FTE staff and 30 volunteers.", [("12.5", "FTE", "staff"), ("30", "count", "volunteers")]),
    ("In 2019 there were 12 referrals.", [("12", "count", "referrals")]),
    ("The 2024/25 budget is \u00a33m.", [("3", "\u00a3m", "budget")]),
    ("Since the COVID-19 pandemic, 40 schools closed.", [("40", "count", "schools")]),
    ("There were 6 serious incidents in Q3 2023/24.", [("6", "count", "serious incidents")]),
    ("There are 1,234 people on the list.", [("1234", "count", "people")]),
])
def test_sign_and_unit_are_kept(sentence, want):
    assert figs(sentence) == want


@pytest.mark.parametrize("sentence", [
    "The Board met on April 10, 2020.",
    "The Board met on 10 April 2020 and on 3rd May.",
    "The plan for 2024/25 and 2018-21 was agreed in 2019.",
    "As set out in paragraph 3.2 and at 1.5.1 above.",
    "See page 4 of 12 and Appendix 2.",
    "Tel: 01622 694000 or 03000 416123 (ext. 4321), mobile +44 7700 900123.",
    "The meeting starts at 10.30am.",
    "12",
])
def test_dates_years_refs_pages_and_phones_are_not_figures(sentence):
    assert figs(sentence) == []


def test_table_cells_are_figures_named_by_row_and_column():
    from plantrail.parsers.model import Block, Cell, Document, Table

    rows = [["No.", "Service", "Budget \u00a3m", "Variance %", "Opened"], ["1", "Highways", "(290.5)", "-2.5", "1998"],
            ["2", "Libraries", "12.0", "3", "2024"]]
    cells = [Cell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    doc = Document("b.docx", "cd" * 32, "docx", blocks=[Block("table", table=Table(cells, 3, 5))])
    got = [(f.value, f.unit, f.counts_what, f.sentence) for f in extract_figures(doc, [])]
    assert got == [("-290.5", "\u00a3m", "Highways", "Highways | Budget \u00a3m: (290.5)"),
                   ("-2.5", "percent", "Highways", "Highways | Variance %: -2.5"),
                   ("12.0", "\u00a3m", "Libraries", "Libraries | Budget \u00a3m: 12.0"),
                   ("3", "percent", "Libraries", "Libraries | Variance %: 3")]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_date_year_or_page_number_among_the_figures_of_the_sample_papers(prefix):
    doc = sample(prefix)
    for f in extract_figures(doc, extract_actions(doc)):
        assert f.unit not in ("date", "period", "year"), f
        assert not (f.unit == "count" and 1950 <= float(f.value) <= 2099), f
        digits = f.value.lstrip("-")
        assert not re.search(rf"\b(?:page|paragraph|section)\s+{re.escape(digits)}\b", f.sentence, re.I), f
        assert not re.search(rf"\b{re.escape(digits)}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
                             f.raw), f
