"""Property tests: whatever text arrives, the text reader gives a Document or a ParseError and
the normalising functions give a value, never another exception.

Examples are kept few (about 10 s for the file) and deterministic in CI via the database-less
``derandomize`` profile; a failure prints the falsifying example to reproduce it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plantrail.normalise.actions.extract import extract_actions
from plantrail.normalise.actions.rag import normalise_rag
from plantrail.normalise.actions.refs import parse_ref
from plantrail.normalise.text.dates import parse_date
from plantrail.parsers import ParseError
from plantrail.parsers.model import Document
from plantrail.parsers.text import decode, parse_text

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# Words that make the normaliser work: headers, refs, dates, statuses, markup the text
# reader strips, and plain words.
TOKENS = [
    "Ref", "Ref:", "No.", "Action", "Actions", "Aim", "Outcome", "Lead", "Lead officer:", "DLT lead",
    "Start", "End date", "Deadline", "Target date", "Measure", "Success measure", "Comments",
    "RAG", "RAG status:", "Progress", "Status",
    "1", "1.1", "1.2", "2.3a", "10.1.4", "A1", "(i)", "3)", "Priority 1", "Theme 2:",
    "Apr-17", "31/03/2017", "1 April 2016", "Q1 2017/18", "Spring 2018", "2016-17", "ongoing",
    "TBC", "Sept 17", "31.12.16", "1900-01-01",
    "Green", "Amber", "Red", "G", "A", "R", "Complete", "Completed", "On track", "Blue", "Amber/Green",
    "RG", "AB", "Head of Housing", "Chief Executive", "Cllr Smith",
    "<b>", "</b>", "#", "##", "*", "-", "\u2022", "&amp;", "**", "<sup>1</sup>",
    "Review", "the", "policy", "and", "publish", "by", "March", "", " ", "\u00a0", "£5", "é",
]

printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)
cell = st.lists(st.sampled_from(TOKENS) | printable, max_size=5).map(" ".join)
line = st.lists(cell, min_size=1, max_size=8).map("\t".join) | cell
tabbed_text = st.lists(line, max_size=25).map("\n".join)


@FUZZ
@given(st.binary(max_size=2000))
def test_text_reader_on_random_bytes_only_raises_parse_error(data):
    try:
        doc = parse_text("x.txt", data, "0" * 64)
    except ParseError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert doc.format == "text"
    for t in doc.tables():
        assert all(0 <= c.row < t.n_rows and 0 <= c.col < t.n_cols for c in t.cells)


@FUZZ
@given(st.lists(st.sampled_from(["\x00", "A", "b", "\t", "\n", "1", "\xe9", " "]), max_size=200).map("".join),
       st.sampled_from(["utf-16-le", "utf-16-be", "utf-16", "utf-8", "cp1252"]))
def test_decode_round_trips_or_refuses(text, encoding):
    data = text.encode(encoding, errors="replace")
    try:
        out, _ = decode(data)
    except ParseError:
        return
    assert isinstance(out, str)


@FUZZ
@given(tabbed_text)
def test_tab_heavy_text_reads_and_extracts_without_error(text):
    doc = parse_text("plan.txt", text.encode("utf-8"), "0" * 64)
    assert isinstance(doc, Document)
    for record in extract_actions(doc):
        assert isinstance(record.action, str)


@FUZZ
@given(st.text(max_size=60) | cell)
def test_field_readers_never_raise(raw):
    for role in ("", "start", "end"):
        assert isinstance(parse_date(raw, role=role).value, str)
    assert isinstance(parse_ref(raw).value, str)
    assert isinstance(normalise_rag(raw).value, str)


@pytest.mark.parametrize("raw", ["", "\x00", "\ufffd" * 3, "1" * 500, "31/02/2017", "0.0.0.0", "R" * 40])
def test_field_readers_on_edge_cases(raw):
    parse_date(raw)
    parse_ref(raw)
    normalise_rag(raw, raw)
