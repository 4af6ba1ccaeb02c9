import pytest
from hypothesis import given
from hypothesis import strategies as st
from plantrail.normalise.text.clean import HOMOGLYPHS, INVISIBLE, clean_cell, clean_text, fix_homoglyphs


@pytest.mark.parametrize("raw, expected", [
    ("  a\u00a0 b\n\nc\t d ", "a b c d"),
    ("Multi- Agency audits", "Multi-Agency audits"),
    ("single- agency", "single-agency"),
    ("non- engagement", "non-engagement"),
    ("on- going", "on-going"),
    ("up-to- date", "up-to-date"),
    ("Multi-\nAgency", "Multi-Agency"),
    ("Early Help - Close the gap", "Early Help - Close the gap"),
    ("1) - item", "1) - item"),
    ("2016 - 17", "2016 - 17"),
    ("pre- and post-natal", "pre- and post-natal"),  # suspended hyphen is real
    ("Year- 2", "Year- 2"),  # digit after the space: not a broken word
    ("\u0421\u0420", "CP"),  # Cyrillic ES + ER
    ("J\u0397", "JH"),  # Latin J + Greek Eta
    ("R\u0435view", "Review"),  # Cyrillic ie inside a Latin word
    ("\u041f\u0440\u0438\u0432\u0435\u0442", "\u041f\u0440\u0438\u0432\u0435\u0442"),  # real Russian kept
    ("\u0441\u043e\u0440", "\u0441\u043e\u0440"),  # lower-case Cyrillic-only word kept
    ("\u03b1\u03b2", "\u03b1\u03b2"),  # Greek word kept
    ("carry outa lpad", "carry outa lpad"),  # wording never changed
    ("zero\u200bwidth", "zerowidth"),
    ("", ""),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_fix_homoglyphs_only_touches_letters_in_latin_context():
    assert fix_homoglyphs("\u0421\u0420/RG") == "CP/RG"
    assert fix_homoglyphs("\u0421\u0420 \u0421\u0420") == "CP CP"
    assert fix_homoglyphs("Cafe\u0301") == "Cafe\u0301"


def test_clean_cell_accepts_none():
    assert clean_cell(None) == ""
    assert clean_cell(" x ") == "x"


def _skeleton(s: str) -> list[str]:
    """Non-space characters with look-alikes mapped: what clean_text must preserve."""
    return [HOMOGLYPHS.get(ch, ch) for ch in s if not ch.isspace() and ch not in INVISIBLE]


TEXTS = st.text(alphabet=st.sampled_from(list("aAzZ09-) ./\u00a0\n\t") + list(HOMOGLYPHS) + list("\u041f\u03b1")),
                max_size=40) | st.text(max_size=40)


@given(TEXTS)
def test_idempotent(s):
    once = clean_text(s)
    assert clean_text(once) == once


@given(TEXTS)
def test_never_drops_letters_or_digits(s):
    out = clean_text(s)
    assert _skeleton(out) == _skeleton(s)
    assert out == out.strip() and "  " not in out
