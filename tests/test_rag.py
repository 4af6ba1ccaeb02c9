import pytest
from hypothesis import given
from hypothesis import strategies as st
from plantrail.normalise.actions.rag import VALUES, RagValue, classify_fill, normalise_rag


@pytest.mark.parametrize("text, value", [
    ("Green", "green"), ("GREEN", "green"), ("green ", "green"), ("G", "green"),
    ("Amber", "amber"), ("a", "amber"), ("Red", "red"), ("R", "red"),
    ("Blue", "blue"), ("B", "blue"),
    ("Completed", "completed"), ("Complete", "completed"), ("complete.", "completed"),
    ("Done", "completed"), ("Achieved", "completed"),
    ("On track", "green"), ("At risk", "amber"), ("Some delay", "amber"), ("Slippage", "amber"),
    ("Off track", "red"), ("Significant delay", "red"),
    ("RAG status: Completed", "completed"),  # header fused into the first data row
])
def test_vocabulary(text, value):
    assert normalise_rag(text) == RagValue(value, "text", "")


@pytest.mark.parametrize("text, value, warning_part", [
    ("c Completed", "completed", "stray 'c'"),
    ("s Completed", "completed", "stray 's'"),
    ("dieen", "green", "read 'dieen' as green"),
    ("Amber/Green", "amber", "mixed"),
    ("Green/Amber", "green", "mixed"),
    ("Green - on track", "green", "took green"),
])
def test_judged_values_carry_a_warning(text, value, warning_part):
    r = normalise_rag(text)
    assert (r.value, r.source) == (value, "text")
    assert warning_part in r.warning


@pytest.mark.parametrize("text", ["Not started", "PAC status", "RAG status", "Now embedded in practice.",
                                  "A review is due", "given", "xyz"])
def test_non_values_are_empty_with_warning(text):
    r = normalise_rag(text)
    assert r.value == "" and r.source == "" and r.warning


def test_empty_text_without_fill_is_silent():
    assert normalise_rag("") == RagValue("", "", "")
    assert normalise_rag("   ", None) == RagValue("", "", "")


@pytest.mark.parametrize("fill, value", [
    ("FF0000", "red"), ("C00000", "red"), ("FFC7CE", "red"),
    ("FFC000", "amber"), ("FFFF00", "amber"), ("FFEB9C", "amber"), ("F79646", "amber"),
    ("00B050", "green"), ("92D050", "green"), ("C6EFCE", "green"),
    ("0070C0", "blue"), ("00B0F0", "blue"),
    ("FFFFFF", ""), ("D9D9D9", ""), ("808080", ""), ("000000", ""),
    ("#00FF00", "green"), ("FF00FF00", "green"),  # '#' prefix and ARGB
])
def test_fill_classification(fill, value):
    assert classify_fill(fill)[0] == value
    r = normalise_rag("", fill)
    assert r.value == value
    assert r.source == ("fill" if value else "")


def test_text_beats_fill_and_disagreement_is_reported():
    r = normalise_rag("Green", "FF0000")
    assert (r.value, r.source) == ("green", "text")
    assert "fill is red" in r.warning
    assert normalise_rag("Green", "00B050") == RagValue("green", "text", "")


def test_fill_used_when_text_says_no_colour():
    r = normalise_rag("Not started", "FF0000")
    assert (r.value, r.source) == ("red", "fill")
    assert normalise_rag("", "7030A0").warning.startswith("fill colour")
    assert normalise_rag("", "nonsense").warning.startswith("unreadable fill")


@given(st.text(max_size=30), st.none() | st.text(max_size=10) | st.from_regex(r"[0-9A-F]{6}", fullmatch=True))
def test_never_raises_and_stays_in_vocabulary(text, fill):
    r = normalise_rag(text, fill)
    assert r.value in VALUES
    assert r.source in ("text", "fill", "")
    assert (r.source == "") == (r.value == "")
    assert "\n" not in r.warning
