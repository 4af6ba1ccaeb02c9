"""The shared vocabularies: loaded from their JSON files, consistent, and the rules that use them."""

import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plantrail.normalise.text import vocab
from plantrail.normalise.text.vocab import (
    COMPLETION_WORDS,
    FUNCTION_WORDS,
    NO_COLOUR_STATUSES,
    NUMBER_WORDS,
    RAG_LETTERS,
    RAG_RANK,
    RAG_STATUSES,
    SEASONS,
    fold_plural,
    is_phrase_boundary,
    is_verb_or_adverb_form,
    number_value,
    stem,
)

VALUES = {"red", "amber", "green", "blue", "completed"}


@pytest.mark.parametrize("name", ["statuses.json", "stopwords.json", "number_words.json", "date_words.json"])
def test_word_lists_are_data_files(name):
    data = json.loads(resources.files(vocab.__package__).joinpath(name).read_text("utf-8"))
    assert data["_about"]


def test_status_vocabulary_is_consistent():
    assert set(RAG_STATUSES.values()) <= VALUES
    assert set(RAG_LETTERS.values()) <= VALUES
    assert not set(RAG_STATUSES) & NO_COLOUR_STATUSES  # a status has a colour or has none, not both
    assert all(RAG_STATUSES.get(w) == "completed" for w in COMPLETION_WORDS)
    assert set(RAG_RANK) == VALUES
    assert all(k == k.lower().strip() for k in RAG_STATUSES)


@pytest.mark.parametrize("printed, value", [
    ("on track", "green"), ("some slippage", "amber"), ("off track", "red"), ("at risk", "amber"),
    ("overdue", "red"), ("implemented", "completed"), ("partly implemented", "amber"), ("closed", "completed"),
])
def test_statuses_councils_print(printed, value):
    assert RAG_STATUSES[printed] == value


@pytest.mark.parametrize("printed", ["not started", "in progress", "on hold"])
def test_statuses_with_no_colour(printed):
    assert printed in NO_COLOUR_STATUSES


def test_number_words():
    assert NUMBER_WORDS["six"] == 6 and NUMBER_WORDS["twenty"] == 20 and NUMBER_WORDS["dozen"] == 12
    assert number_value("twenty-one") == 21
    assert number_value("Thirty two") == 32
    assert number_value("twenty apples") is None


@given(st.integers(1, 99))
def test_number_words_round_trip(n):
    units = {v: k for k, v in vocab.NUMBER_UNITS.items()}
    tens = {v: k for k, v in vocab.NUMBER_TENS.items()}
    word = units[n] if n in units else tens[n - n % 10] + ("" if n % 10 == 0 else "-" + units[n % 10])
    assert number_value(word) == n


def test_seasons_cover_the_year_once():
    months: list[int] = []
    for first, last in (SEASONS[s] for s in ("spring", "summer", "autumn", "winter")):
        months += [(first - 1 + i) % 12 + 1 for i in range((last - first) % 12 + 1)]
    assert sorted(months) == list(range(1, 13))


@pytest.mark.parametrize("word, boundary", [
    ("classed", True), ("rated", True), ("stubbornly", True), ("approximately", True), ("held", True),
    ("the", True), ("remains", True),
    ("workers", False), ("children", False), ("family", False), ("early", False), ("assembly", False),
    ("need", False), ("improvement", False), ("supply", False), ("hundred", True),
])
def test_phrase_boundary_by_rule(word, boundary):
    assert (is_phrase_boundary(word) or word in NUMBER_WORDS) == boundary


@given(st.from_regex(r"[a-z]{5,10}ed", fullmatch=True))
def test_long_ed_words_are_verb_forms(word):
    assert is_verb_or_adverb_form(word) or word.endswith("eed")


def test_function_words_are_lower_case_words():
    assert all(w.isalpha() and w == w.lower() for w in FUNCTION_WORDS)


@pytest.mark.parametrize("a, b", [("Publishing", "publish"), ("completion", "complete"), ("authorities", "authority"),
                                  ("workers", "worker")])
def test_stem_brings_forms_together(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("word, folded", [("workers", "worker"), ("authorities", "authority"),
                                          ("process", "process"), ("bus", "bus"), ("is", "is")])
def test_fold_plural(word, folded):
    assert fold_plural(word) == folded


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'", max_size=15))
def test_stem_never_grows_and_is_idempotent_on_short_words(word):
    s = stem(word)
    assert len(s) <= len(word)
    if len(word) <= 3:
        assert s == word.replace("'", "")


@pytest.mark.parametrize("sentence, what", [
    ("There are six actions classed as amber.", "actions"),  # a participle after the noun ends it
    ("We have 20 qualified social workers in the team.", "qualified social workers"),  # before: adjective
    ("The vacancy rate remains stubbornly high at 20%.", "vacancy rate"),  # adverb by its -ly form
    ("Caseloads were assessed as manageable in 12 teams.", "teams"),
    ("Contacts completed stood at 93%.", "Contacts"),  # a participle after the noun ends it
    ("The Ofsted rating is at 20%.", "Ofsted rating"),
])
def test_figures_noun_phrases_end_by_rule(sentence, what):
    from plantrail.normalise.reports.figures import figures_in_sentence

    assert [w for _, _, w, _, _ in figures_in_sentence(sentence)][0] == what
