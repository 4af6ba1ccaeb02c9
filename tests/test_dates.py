import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plantrail.normalise.text.dates import PRECISIONS, DateValue, parse_date

ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
GRAMMAR = re.compile(rf"(?:{ISO}(?:/{ISO})?|tbc|\?\?|ongoing)")


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
    ("tbc", "tbc", "literal"),
    ("TBC", "tbc", "literal"),
    ("t.b.c.", "tbc", "literal"),
    ("tbc with IT provider", "tbc", "literal"),
    ("??", "??", "literal"),
    ("ongoing", "ongoing", "literal"),
    ("on-going", "ongoing", "literal"),
    ("Ongoing", "ongoing", "literal"),
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


@pytest.mark.parametrize("raw", ["1", "1 '", "hello", "1 4 - 66", "q3 2017", "2015-18", "Apr-17x",
                                 "Apr-17 (revised Jun-17)", "31st March", "32/01/2017", "12/13/2017"])
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
