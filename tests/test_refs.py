import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from plantrail.normalise.actions.refs import RefValue, is_code, parse_ref, ref_levels, split_leading_number
from plantrail.normalise.text.clean import clean_text


@pytest.mark.parametrize("raw, value, path", [
    ("1.5.1", "1.5.1", ("1", "5", "1")),
    ("1.", "1", ("1",)),
    ("1)", "1", ("1",)),
    ("(2)", "2", ("2",)),
    ("4.1", "4.1", ("4", "1")),  # printed 4.1 for 4.10 stays as printed
    ("A5.1", "A5.1", ("A5", "1")),
    ("A7", "A7", ("A7",)),
    (" 2.2.1 ", "2.2.1", ("2", "2", "1")),
    ("3a", "3a", ("3a",)),
])
def test_parse_ref(raw, value, path):
    assert parse_ref(raw) == RefValue(value, path, "")


def test_fused_label_is_dropped_with_warning():
    r = parse_ref("Ref: 5.1")
    assert (r.value, r.path) == ("5.1", ("5", "1"))
    assert "label" in r.warning


@pytest.mark.parametrize("raw", ["/.1", "1 4 - 66", "F", "2017", "x", "Ref:", "_"])
def test_junk_is_empty_with_warning(raw):
    r = parse_ref(raw)
    assert r.value == "" and r.path == ()
    assert r.warning.startswith("not a ref")


def test_empty_ref_is_silent():
    assert parse_ref("") == RefValue("", (), "")


@pytest.mark.parametrize("text, expected", [
    ("3. Implement MASH (Multi-agency safeguarding Hub) development plan",
     ("3", "Implement MASH (Multi-agency safeguarding Hub) development plan")),
    ("10. Procure external performance partner", ("10", "Procure external performance partner")),
    ("1.2 Do x", ("1.2", "Do x")),
    ("1.2. Do x", ("1.2", "Do x")),
    ("A5.1 Review cases", ("A5.1", "Review cases")),
    ("1) Written plans", ("1", "Written plans")),
    ("(2) Item", ("2", "Item")),
    ("3.", ("3", "")),
    ("2017 plans were agreed", ("", "2017 plans were agreed")),
    ("1.5 million people", ("", "1.5 million people")),
    ("9 Improve performance", ("", "9 Improve performance")),
    ("Review the plan", ("", "Review the plan")),
])
def test_split_leading_number(text, expected):
    assert split_leading_number(text) == expected


def test_split_leading_number_options():
    assert split_leading_number("1) Written plans", allow_paren=False) == ("", "1) Written plans")
    assert split_leading_number("9 Improve performance", allow_bare=True) == ("9", "Improve performance")
    assert split_leading_number("6 March meeting", allow_bare=True) == ("", "6 March meeting")
    assert split_leading_number("2017 Plans", allow_bare=True) == ("", "2017 Plans")


@given(st.text(max_size=30))
def test_parse_ref_never_raises(raw):
    r = parse_ref(raw)
    assert (r.value == "") == (r.path == ())
    assert r.path == ref_levels(r.value)
    assert r.value == "" or is_code(r.value)


@given(st.text(max_size=30), st.booleans(), st.booleans())
@example("(2) Item", True, False)
@example("1.2  Do\nx", True, False)
def test_split_never_raises_and_keeps_text(text, paren, bare):
    ref, rest = split_leading_number(text, allow_paren=paren, allow_bare=bare)
    assert ref == "" or ref[0].isalnum()
    cleaned = clean_text(text)
    assert rest == cleaned if ref == "" else cleaned.endswith(rest) and cleaned.lstrip("(").startswith(ref)


@pytest.mark.parametrize("raw, value, path", [
    ("ILACS-4", "ILACS-4", ("ILACS", "4")),
    ("WSOA 2.3", "WSOA 2.3", ("WSOA", "2", "3")),
    ("R1.a", "R1.a", ("R1", "a")),
    ("PIP 1.1", "PIP 1.1", ("PIP", "1", "1")),
    ("PH-01", "PH-01", ("PH", "01")),
    ("A6.2", "A6.2", ("A6", "2")),
    ("3(b)", "3(b)", ("3", "b")),
    ("4.10", "4.10", ("4", "10")),
    ("R1.a.", "R1.a", ("R1", "a")),  # as printed, without trailing punctuation
    ("2.1;", "2.1", ("2", "1")),
    ("Action 2.3", "2.3", ("2", "3")),
])
def test_printed_ref_forms(raw, value, path):
    r = parse_ref(raw)
    assert (r.value, r.path) == (value, path)


@pytest.mark.parametrize("raw", ["Page three", "Review", "1 4", "ABC", "2017/18", "12345", "The 1",
                                 "Improve outcomes for children 1.2"])
def test_words_and_years_are_not_refs(raw):
    assert parse_ref(raw).value == ""


@given(st.from_regex(r"[A-Z]{1,5}[ -]?[1-9][0-9]?(?:\.[1-9][0-9]?){0,2}[a-z]?", fullmatch=True))
def test_any_prefix_code_is_a_ref(code):
    assert parse_ref(code).value == code
    assert parse_ref(code + ".").value == code


@given(st.sampled_from(["review", "Review", "Improve", "children", "Plan", "Total", "Lead"]))
def test_plain_words_are_never_refs(word):
    assert parse_ref(word).value == ""
    assert not is_code(word)


@pytest.mark.parametrize("text, expected", [
    ("PH-01 Review the plan", ("PH-01", "Review the plan")),
    ("R1.a Ensure every child has a plan", ("R1.a", "Ensure every child has a plan")),
    ("3(b) Do things", ("3(b)", "Do things")),
    ("WSOA 2.3 Improve transition", ("WSOA 2.3", "Improve transition")),
    ("COVID-19 Recovery plan", ("", "COVID-19 Recovery plan")),
])
def test_split_leading_code(text, expected):
    assert split_leading_number(text) == expected
