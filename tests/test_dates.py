import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plantrail.normalise.text.dates import (
    PRECISIONS,
    DateSettings,
    DateValue,
    detect_day_first,
    find_dates,
    find_periods,
    parse_date,
    parse_date_cell,
    parse_period,
    parse_report_date,
    read_start_end,
    settings_for_document,
)
from plantrail.parsers.model import Block, Cell, Document, Table

ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
GRAMMAR = re.compile(rf"{ISO}(?:/{ISO})?")
ROLE_GRAMMAR = re.compile(ISO)


@pytest.mark.parametrize("raw, value, precision", [
    ("Apr-17", "2017-04", "month"),
    ("Apr 17", "2017-04", "month"),
    ("April 2017", "2017-04", "month"),
    ("April. 2017", "2017-04", "month"),
    ("Apr-2017", "2017-04", "month"),
    ("Dec 17", "2017-12", "month"),
    ("Sept 2017", "2017-09", "month"),
    ("Aug-17 ", "2017-08", "month"),
    ("31 st March 2016", "2016-03-31", "day"),
    ("31st March 2016", "2016-03-31", "day"),
    ("31/03/2016", "2016-03-31", "day"),
    ("31.03.2016", "2016-03-31", "day"),
    ("30 th Sep 16", "2016-09-30", "day"),
    ("30th September 2016", "2016-09-30", "day"),
    ("2016-03-31", "2016-03-31", "day"),
    ("2017-04-01T00:00:00", "2017-04-01", "day"),
    ("2017-04-01 00:00:00", "2017-04-01", "day"),
    ("6 March 2017", "2017-03-06", "day"),
    ("6-Mar-17", "2017-03-06", "day"),
    ("by 31st March 2016", "2016-03-31", "day"),
    ("Q1 2017/18", "2017-04/2017-06", "quarter"),
    ("Q3 2017/18", "2017-10/2017-12", "quarter"),
    ("Q4 2017/18", "2018-01/2018-03", "quarter"),
    ("2017/18", "2017-04/2018-03", "financial_year"),
    ("2017/2018", "2017-04/2018-03", "financial_year"),
    ("2017-18", "2017-04/2018-03", "financial_year"),
    ("2017-12", "2017-12", "month"),  # ISO month wins over a financial-year reading
    ("2017", "2017", "year"),
    ("Apr-17 to Mar-18", "2017-04/2018-03", "range"),
    ("April 2017 - March 2018", "2017-04/2018-03", "range"),
    ("Sep-16 \u2013 Mar-17", "2016-09/2017-03", "range"),
    ("April to June 2017", "2017-04/2017-06", "range"),
    ("1st April 2017 to 31st March 2018", "2017-04-01/2018-03-31", "range"),
])
def test_printed_forms(raw, value, precision):
    d = parse_date(raw)
    assert (d.value, d.precision) == (value, precision)
    assert d.warning == ""


@pytest.mark.parametrize("raw, value, warning_part", [
    ("6 Mar-17", "2017-03", "stray '6'"),
    ("5 Mar-17", "2017-03", "stray '5'"),
    ("e Sep-16", "2016-09", "stray 'e'"),
    ("7 Sep-17", "2017-09", "stray '7'"),
    ("7 Jun-17", "2017-06", "stray '7'"),
    ("7 Jun-2017", "2017-06", "stray '7'"),
    ("5 Jun-2017", "2017-06", "stray '5'"),
    ("lan-17", "2017-01", "'lan' as 'Jan'"),
    ("0ct-17", "2017-10", "'0ct' as 'Oct'"),
    ("30 th Sep 16 20", "2016-09-30", "trailing '20'"),
    ("April 2017 onwards", "2017-04", "trailing 'onwards'"),
])
def test_extraction_artefacts_are_repaired_and_reported(raw, value, warning_part):
    d = parse_date(raw)
    assert d.value == value
    assert warning_part in d.warning


def test_stray_digit_versus_day():
    assert parse_date("6 Mar-17").precision == "month"
    assert parse_date("6 March 2017") == DateValue("2017-03-06", "day")
    assert parse_date("6 Mar 17") == DateValue("2017-03-06", "day")


def test_nonexistent_day_is_clamped_with_warning():
    assert parse_date("31 st April 2016") == DateValue(
        "2016-04-30", "day", "day 31 does not exist in April; clamped")
    d = parse_date("29/02/2017")
    assert d.value == "2017-02-28" and "February 2017" in d.warning
    assert parse_date("29/02/2016") == DateValue("2016-02-29", "day")


@pytest.mark.parametrize("raw", ["1", "1 '", "hello", "1 4 - 66", "q3 20", "2015-18", "Apr-17x",
                                 "Apr-17 (Jun-17)", "31st March", "32/01/2017", "12/13/2017"])
def test_unparseable_is_empty_and_never_guessed(raw):
    d = parse_date(raw)
    assert d.value == "" and d.precision == ""
    assert d.warning == f"unparseable date: '{raw}'"


def test_empty_and_status_words():
    assert parse_date("") == DateValue("", "", "")
    assert parse_date("   \n") == DateValue("", "", "")
    for raw in ("complete", "Completed", "complete."):
        d = parse_date(raw)
        assert d.value == "" and d.warning.startswith("status text in date cell")
    assert "end date cell" in parse_date("Completed", role="end").warning


def test_spreadsheet_null_date_is_empty():
    for raw in ("01/01/1900", "1900-01-01T00:00:00", "1899-12-30 00:00:00"):
        d = parse_date(raw)
        assert d.value == "" and "placeholder" in d.warning
    assert parse_date("02/01/1900").value == "1900-01-02"


def test_two_digit_year_pivot():
    assert parse_date("Jan-69").value == "2069-01"
    assert parse_date("Jan-70").value == "1970-01"
    assert parse_date("Jan-00").value == "2000-01"


def test_range_that_ends_before_it_starts_is_kept_with_warning():
    d = parse_date("Mar-18 to Apr-17")
    assert d.value == "2018-03/2017-04" and "before it starts" in d.warning


@given(st.text(max_size=40))
def test_never_raises_and_output_is_in_grammar(raw):
    d = parse_date(raw, role="start")
    assert d.precision in PRECISIONS
    assert d.value == "" or GRAMMAR.fullmatch(d.value), d
    assert "\n" not in d.warning
    assert (d.value == "") == (d.precision == "")


@given(st.text(alphabet="0123456789 -/.stndrhJanFebMrApyulgSOcNovDe'?tbcq", max_size=25))
def test_never_raises_on_date_like_text(raw):
    d = parse_date(raw)
    assert d.value == "" or GRAMMAR.fullmatch(d.value), d


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))
def test_round_trip(d):
    assert parse_date(d.strftime("%d %B %Y")) == DateValue(d.isoformat(), "day")
    assert parse_date(d.strftime("%d/%m/%Y")) == DateValue(d.isoformat(), "day")
    assert parse_date(d.isoformat()) == DateValue(d.isoformat(), "day")
    assert parse_date(d.strftime("%b-%y")) == DateValue(d.strftime("%Y-%m"), "month")
    assert parse_date(d.strftime("%B %Y")) == DateValue(d.strftime("%Y-%m"), "month")


@pytest.mark.parametrize("raw", ["tbc", "TBC", "t.b.c.", "tbc with IT provider", "??", "ongoing", "on-going",
                                 "Ongoing", "Annual", "Annually", "Quarterly", "To be confirmed", "N/A"])
def test_words_are_not_dates(raw):
    for role in ("", "start", "end"):
        d = parse_date(raw, role=role)
        assert (d.value, d.precision) == ("", "")
        assert d.warning.startswith("no date in") and raw in d.warning


# (printed, start value, end value, precision): a period gives its first month in a start
# column and its last month in an end column.
@pytest.mark.parametrize("raw, start, end, precision", [
    ("Q3 2024/25", "2024-10", "2024-12", "quarter"),
    ("Q4 2024/25", "2025-01", "2025-03", "quarter"),
    ("Q1 24/25", "2024-04", "2024-06", "quarter"),
    ("Quarter 2 2024/25", "2024-07", "2024-09", "quarter"),
    ("2024/25 Q2", "2024-07", "2024-09", "quarter"),
    ("Q3 2024", "2024-07", "2024-09", "quarter"),  # no financial year printed: calendar quarter
    ("2024-25", "2024-04", "2025-03", "financial_year"),
    ("2024/25", "2024-04", "2025-03", "financial_year"),
    ("FY 2024/2025", "2024-04", "2025-03", "financial_year"),
    ("Spring 2025", "2025-03", "2025-05", "season"),
    ("Summer 2024", "2024-06", "2024-08", "season"),
    ("Autumn '24", "2024-09", "2024-11", "season"),
    ("Winter 2024/25", "2024-12", "2025-02", "season"),
    ("Apr 24 \u2013 Mar 25", "2024-04", "2025-03", "range"),
    ("April 2024 to March 2025", "2024-04", "2025-03", "range"),
    ("End of March 2025", "2025-03", "2025-03", "month"),
    ("Sept 24", "2024-09", "2024-09", "month"),
    ("March '25", "2025-03", "2025-03", "month"),
    ("March \u201925", "2025-03", "2025-03", "month"),
    ("31.03.25", "2025-03-31", "2025-03-31", "day"),
    ("w/c 4 March 2024", "2024-03-04", "2024-03-04", "day"),
    ("Week commencing 4 March 2024", "2024-03-04", "2024-03-04", "day"),
    ("by the end of Q4 2024/25", "2025-01", "2025-03", "quarter"),
])
def test_periods_by_role(raw, start, end, precision):
    s, e = parse_date(raw, role="start"), parse_date(raw, role="end")
    assert (s.value, s.precision) == (start, precision)
    assert (e.value, e.precision) == (end, precision)
    assert (e.first, e.last) == (start, end)
    assert e.is_range == (start != end)


@pytest.mark.parametrize("raw", ["Winter 2025", "Spring 2024/25", "Q5 2024/25", "Q3 2024/26"])
def test_ambiguous_periods_are_not_guessed(raw):
    assert parse_date(raw, role="end").value == ""


@given(st.integers(2000, 2090), st.integers(1, 4))
def test_quarter_ends_inside_its_financial_year(y, q):
    raw = f"Q{q} {y}/{(y + 1) % 100:02d}"
    s, e = parse_date(raw, role="start"), parse_date(raw, role="end")
    assert f"{y}-04" <= s.value < e.value <= f"{y + 1}-03"
    assert s.value[:4] == e.value[:4]


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)), st.sampled_from(["", "start", "end"]))
def test_role_values_are_plain_iso(d, role):
    for raw in (d.strftime("%d %B %Y"), d.strftime("%b-%y"), f"Q{(d.month - 1) // 3 + 1} {d.year}"):
        v = parse_date(raw, role=role).value
        assert ROLE_GRAMMAR.fullmatch(v) if role else GRAMMAR.fullmatch(v)


def test_two_digit_year_rule_is_shared_with_prose():
    assert parse_date("Aug-17").value == "2017-08"
    assert parse_report_date("Aug-17").value == "2017-08"
    assert parse_date("Jan-85").value == "1985-01"
    assert parse_report_date("January 85").value == "1985-01"
    assert parse_date("March 2150").value == "" and parse_report_date("March 2150") is None


def test_settings_override_pivot_and_range():
    s = DateSettings(two_digit_pivot=90, min_year=1990)
    assert parse_date("Jan-85", settings=s).value == "2085-01"
    assert parse_date("1985", settings=s).value == ""


@pytest.mark.parametrize("texts, expected", [
    (["31/03/2025", "01/04/2025", "15/06/2025"], True),
    (["03/31/2025", "04/01/2025", "06/15/2025"], False),
    (["01/04/2025", "02/05/2025"], None),
    (["Apr-25", "nothing"], None),
])
def test_day_first_decided_per_document(texts, expected):
    assert detect_day_first(texts) is expected


def test_month_first_document_reads_us_dates():
    us = settings_for_document(["03/31/2025", "12/15/2024"])
    assert parse_date("04/01/2025", settings=us).value == "2025-04-01"
    assert parse_date("04/01/2025").value == "2025-01-04"
    assert settings_for_document(["31/03/2025"]).day_first


@pytest.mark.parametrize("value, fmt, role, expected, precision", [
    ("2024-03-31T00:00:00", "mmm-yy", "end", "2024-03", "month"),
    ("2024-03-31T00:00:00", "mmmm yyyy", "", "2024-03", "month"),
    ("2024-03-31T00:00:00", "dd/mm/yyyy", "end", "2024-03-31", "day"),
    ("2024-03-31T00:00:00", "[$-809]dd mmmm yyyy;@", "", "2024-03-31", "day"),
    ("2024-03-31T00:00:00", "yyyy", "start", "2024", "year"),
])
def test_excel_cell_at_the_precision_its_format_shows(value, fmt, role, expected, precision):
    cell = Cell(row=0, col=0, text="shown text", value=value, number_format=fmt)
    d = parse_date_cell(cell.text, cell.value, cell.number_format, role=role)
    assert (d.value, d.precision) == (expected, precision)


def test_excel_cell_without_date_value_reads_its_text():
    cell = Cell(row=0, col=0, text="Q3 2024/25", value=None, number_format="General")
    assert parse_date_cell(cell.text, cell.value, cell.number_format, role="end").value == "2024-12"
    assert parse_date_cell("5", "5", "0", role="end").value == ""


def test_prose_finders_share_the_reader():
    text = "The plan runs from April 2024 to March 2025; it was agreed on 27/09/2023 and reviewed in Aug-24."
    assert [d.value for _, _, d in find_dates(text)] == ["2024-04", "2025-03", "2023-09-27", "2024-08"]
    assert [p.value for p in find_periods(text)] == ["2024-04/2025-03"]
    assert parse_period("April to August 2017").value == "2017-04/2017-08"


# -- through the action extractor: the readers as the extractor uses them ----------------------

def _plan(rows: list[list[str]], header: list[str], *extra: Block) -> Document:
    cells = [Cell(r, c, t) for r, row in enumerate([header, *rows]) for c, t in enumerate(row)]
    table = Table(cells=cells, n_rows=len(rows) + 1, n_cols=len(header))
    return Document(path="plan.docx", sha256="a" * 64, format="docx",
                    blocks=[*extra, Block(kind="table", table=table)])


def test_range_in_one_cell_fills_start_and_end():
    from plantrail.normalise.actions.extract import extract_actions

    doc = _plan([["1.1", "Review the front door", "Apr 24 \u2013 Mar 25"],
                 ["1.2", "Train all staff", "Q3 2024/25"],
                 ["1.3", "Publish the strategy", "TBC"]], ["Ref", "Action", "Timescale"])
    got = [(a.ref, a.start, a.end, a.end_raw) for a in extract_actions(doc)]
    assert got == [("1.1", "2024-04", "2025-03", "Apr 24 \u2013 Mar 25"),
                   ("1.2", "", "2024-12", "Q3 2024/25"),
                   ("1.3", "", "", "TBC")]
    assert any("no date" in w for w in extract_actions(doc)[2].warnings)


def test_document_with_us_dates_reads_month_first():
    from plantrail.normalise.actions.extract import extract_actions

    doc = _plan([["1", "Review the front door", "03/31/2025"], ["2", "Train all staff", "04/01/2025"]],
                ["Ref", "Action", "Due date"])
    assert [a.end for a in extract_actions(doc)] == ["2025-03-31", "2025-04-01"]


@pytest.mark.parametrize("raw, end", [
    ("Dec 2024 (revised from Sep 2024)", "2024-12"),
    ("Sep 2024 revised to Dec 2024", "2024-12"),
    ("Original: Sep 2024 Revised: Dec 2024", "2024-12"),
    ("31/03/2024 - extended to 30/06/2024", "2024-06-30"),
    ("Apr-17 (revised Jun-17)", "2017-06"),
    ("Mar 25 - now Jun 25", "2025-06"),
])
def test_revised_target_wins(raw, end):
    d = parse_date(raw, role="end")
    assert d.value == end and "revised date taken" in d.warning


def test_read_start_end_fills_only_from_a_printed_range():
    s, e = read_start_end("", "Apr 24 \u2013 Mar 25")
    assert (s.value, e.value) == ("2024-04", "2025-03") and "range in the end cell" in s.warning
    s, e = read_start_end("Apr 24 to Mar 25", "")
    assert (s.value, e.value) == ("2024-04", "2025-03")
    s, e = read_start_end("", "Spring 2025")  # a deadline, not a start
    assert (s.value, e.value) == ("", "2025-05")
    s, e = read_start_end("Jan-24", "Apr 24 \u2013 Mar 25")  # a printed start is kept
    assert (s.value, e.value) == ("2024-01", "2025-03")


def test_prose_finders_take_the_same_settings():
    s = DateSettings(two_digit_pivot=10)
    assert parse_report_date("Aug-17", s).value == "1917-08"
    assert [d.value for _, _, d in find_dates("seen in Aug-17", s)] == ["1917-08"]
    assert find_periods("from 2015 to 2022", DateSettings(max_year_span=5)) == []
    assert parse_period("2015 to 2022").value == "2015/2022"
