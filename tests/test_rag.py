import pytest
from hypothesis import given
from hypothesis import strategies as st
from plantrail.normalise.actions.rag import (
    VALUES,
    RagValue,
    build_rag_key,
    classify_fill,
    normalise_rag,
    read_rag,
)
from plantrail.normalise.text.vocab import NO_COLOUR_STATUSES, RAG_STATUSES
from plantrail.parsers.model import Block, Cell, Document, Table


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
    ("s Completed", "completed", "stray 's'"),
    ("Arnber", "amber", "read 'Arnber' as 'amber'"),
    ("Cornpleted", "completed", "(OCR)"),
    ("0n track", "green", "OCR"),
    ("Amber/Green", "amber", "mixed"),
    ("Green/Amber", "green", "mixed"),
    ("Complete and ongoing", "completed", "took completed"),
    ("Amber - awaiting data", "amber", "took amber"),
])
def test_judged_values_carry_a_warning(text, value, warning_part):
    r = normalise_rag(text)
    assert (r.value, r.source) == (value, "text")
    assert warning_part in r.warning


@pytest.mark.parametrize("text", ["Not started", "PAC status", "RAG status", "Now embedded in practice.",
                                  "A review is due", "given", "xyz",
                                  "Chamber", "Timber", "Screen", "Gardens", "queen", "seven", "member",
                                  "dieen"])
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


# -- what councils print ------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("On track", "green"), ("Some slippage", "amber"), ("Off track", "red"), ("At risk", "amber"),
    ("Overdue", "red"), ("Implemented", "completed"), ("Partly implemented", "amber"),
    ("Partially implemented", "amber"), ("Complete", "completed"), ("Completed", "completed"),
    ("Closed", "completed"), ("R", "red"), ("A", "amber"), ("G", "green"), ("B", "blue"), ("C", "completed"),
    ("GREEN", "green"), ("Green - on track", "green"), ("Amber (improving)", "amber"),
    ("Red: off track", "red"), ("RAG: Amber", "amber"), ("BRAG status - Blue", "blue"),
    ("Green (G)", "green"), ("C Completed", "completed"), ("Amber - some slippage", "amber"),
])
def test_council_statuses(text, value):
    r = read_rag(text)
    assert (r.value, r.source, r.warning) == (value, "text", "")
    assert r.raw == text and text.strip() in r.evidence


@pytest.mark.parametrize("text", ["Not started", "In progress", "On hold", "Not yet started", "Deferred",
                                  "N/A", "Superseded"])
def test_statuses_without_colour_are_empty_with_raw_kept(text):
    r = read_rag(text)
    assert (r.value, r.source) == ("", "")
    assert r.raw == text and "no RAG colour" in r.warning


# Ordinary English words (none of them a status): the property test draws from these, alone and
# in pairs, and from OCR-like variants of them.
ENGLISH = """
about above account across action activity actually address agency agenda agreed amend amount
annual answer apply approach april area around article aspect assess assist audit august authority
average award balance bank barrier basis became become before begin behalf being belief benefit
better between beyond board body border branch bridge brief bring broad budget build burden
business cabinet called campaign capital career carry cases centre chair chamber change chapter
charge check chief child choice circle citizen city claim class clean clear client climate close
coach code college comment common community company compare concern council country county course
court cover create credit culture current customer damage dealt debate decide define degree deliver
demand design detail develop digital direct district doctor document during early east economy
education effect effort eight either eleven email ember employ energy engage ensure enter equal
estate evening event every evidence exact example expect extra faced factor family federal figure
final finance first floor focus follow force forest formal forum forward frame friend front funding
future gardens garden general given global governor graduate grant great greet ground group growth
guidance handle health hearing heart heavy helping higher history holiday homes hospital housing
human impact improve income index inform inside inspect issue journey judge junior keeper kitchen
labour ladder large later leader learning legal letter level library licence light limit listen
local london lower machine manage manner market master matter meeting member memory method middle
minute model moment money month morning mother motion moving nation nature nearly needs network
never number nurse object offer office older opening option order orange other output owner paper
parent parish partner patient people period person phase place planning police policy power
practice premise press prison process program project proper public purpose quality quarter queen
question quick range rated reader reason record reduce region report rescue result review river
safety salary scheme school scope screen season second sector secure select senior service seven
share sheet short signal simple single social source space speech staff stage standard state
station status stream street strong student study subject summer supply support survey system
table target teacher team tender theatre timber title today total tower trade traffic training
travel treasury trust under union update urban value venue village visit volume wales water weekly
welfare whole window winter within worker workforce written yellow young youth
""".split()


def test_english_word_list_has_no_status():
    for w in ENGLISH:
        assert w not in RAG_STATUSES and w not in NO_COLOUR_STATUSES and len(w) > 1, w


@given(st.lists(st.sampled_from(ENGLISH), min_size=1, max_size=3), st.sampled_from(["lower", "title", "upper"]))
def test_ordinary_english_never_reads_as_a_status(words, case):
    text = getattr(" ".join(words), case)()
    assert read_rag(text).value == "", text


@given(st.sampled_from(ENGLISH), st.integers(0, 5))
def test_ordinary_words_with_ocr_noise_never_read_as_a_status(word, i):
    i = min(i, len(word) - 1)
    for noise in ("0", "1", "l", "rn", "5"):
        assert read_rag(word[:i] + noise + word[i + 1:]).value == ""


# -- colour evidence ---------------------------------------------------------------------------

@pytest.mark.parametrize("glyph", ["\u25cf", "\u25a0", "\u2b24", "\u25cf \u25cf"])
def test_glyph_colour_is_the_status(glyph):
    cell = Cell(row=1, col=3, text=glyph, color="00B050")
    r = read_rag(cell.text, cell.fill, cell.color)
    assert (r.value, r.source) == ("green", "color")
    assert "glyph colour #00B050" == r.evidence


def test_colour_of_words_is_not_the_status():
    cell = Cell(row=1, col=3, text="Amber", color="FF0000")
    assert read_rag(cell.text, cell.fill, cell.color).value == "amber"
    assert read_rag("", None, "C00000").value == "red"  # a coloured empty cell (e.g. a space glyph)


def test_fill_behind_text_and_disagreement():
    cell = Cell(row=1, col=3, text="", fill="FFC000")
    assert read_rag(cell.text, cell.fill, cell.color).value == "amber"
    r = read_rag("On track", "FF0000")
    assert r.value == "green" and "fill is red" in r.warning


def _doc(*blocks: Block) -> Document:
    return Document(path="x", sha256="0" * 64, format="docx", blocks=list(blocks))


def test_key_printed_as_a_line_wins():
    doc = _doc(Block(kind="paragraph", text="Key: R = Off track, A = At risk, G = On track, B = Complete"))
    key = build_rag_key(doc)
    assert key.letters == {"r": "red", "a": "amber", "g": "green", "b": "completed"}
    assert read_rag("B").value == "blue"
    r = read_rag("B", key=key)
    assert (r.value, r.source) == ("completed", "key")


def test_key_table_of_swatches_maps_colours():
    t = Table(cells=[Cell(0, 0, "", fill="7030A0"), Cell(0, 1, "Completed"),
                     Cell(1, 0, "", fill="00B050"), Cell(1, 1, "On track"),
                     Cell(2, 0, "", fill="FF0000"), Cell(2, 1, "Off track")], n_rows=3, n_cols=2)
    key = build_rag_key(_doc(Block(kind="table", table=t)))
    assert key.colours == {"7030A0": "completed", "00B050": "green", "FF0000": "red"}
    assert read_rag("", "7030A0").value == ""  # purple means nothing in general ...
    r = read_rag("", "7030A0", key=key)
    assert (r.value, r.source) == ("completed", "key")  # ... but this document says completed
    assert read_rag("\u25cf", None, "7030A0", key=key).value == "completed"
    assert read_rag("", "92D050", key=key).value == "green"  # same hue bucket as the key's green


def test_legend_row_inside_a_large_table():
    cells = [Cell(0, 0, "Blue", fill="0070C0"), Cell(0, 1, "Green", fill="00B050"), Cell(0, 2, "Amber", fill="FFC000")]
    cells += [Cell(r, 0, f"Action {r}") for r in range(1, 30)]
    key = build_rag_key(_doc(Block(kind="table", table=Table(cells=cells, n_rows=30, n_cols=3))))
    assert key.colours == {"0070C0": "blue", "00B050": "green", "FFC000": "amber"}


def test_key_with_conflicting_entries_drops_them():
    doc = _doc(Block(kind="paragraph", text="G = On track"), Block(kind="paragraph", text="G = Complete"))
    key = build_rag_key(doc)
    assert "g" not in key.letters and key.warnings


def test_document_without_key_gives_empty_key():
    doc = _doc(Block(kind="paragraph", text="The council will review the plan - every quarter."))
    assert not build_rag_key(doc)


@given(st.text(max_size=30), st.none() | st.from_regex(r"[0-9A-F]{6}", fullmatch=True),
       st.none() | st.from_regex(r"[0-9A-F]{6}", fullmatch=True))
def test_read_rag_never_raises(text, fill, color):
    r = read_rag(text, fill, color)
    assert r.value in VALUES and r.source in ("text", "fill", "color", "key", "")
    assert r.raw == text


def test_extractor_uses_the_documents_key():
    from plantrail.normalise.actions.extract import extract_actions

    header = ["Ref", "Action", "Status"]
    rows = [["1", "Review the front door", "B"], ["2", "Train all staff", "G"], ["3", "Publish it", "Chamber"]]
    cells = [Cell(r, c, t) for r, row in enumerate([header, *rows]) for c, t in enumerate(row)]
    table = Table(cells=cells, n_rows=4, n_cols=3)
    key = Block(kind="paragraph", text="Status key: B = Complete; G = On track; A = At risk; R = Off track")
    doc = Document(path="p.docx", sha256="b" * 64, format="docx", blocks=[key, Block(kind="table", table=table)])
    got = [(a.rag, a.rag_raw) for a in extract_actions(doc)]
    assert got == [("completed", "B"), ("green", "G"), ("", "Chamber")]


def test_read_rag_cell_uses_text_fill_and_glyph_colour():
    from plantrail.normalise.actions.rag import read_rag_cell

    assert read_rag_cell(Cell(0, 0, "\u25cf", color="FF0000")).value == "red"
    assert read_rag_cell(Cell(0, 0, "", fill="00B050")).value == "green"
    assert read_rag_cell(Cell(0, 0, "Overdue", fill="00B050")).value == "red"
    assert read_rag_cell(None) == RagValue("", "", "")


def test_a_damaged_word_in_a_status_column_reads_as_the_one_status_it_is_close_to():
    from plantrail.normalise.actions.rag import read_damaged_in_status_column

    got = read_damaged_in_status_column("dieen")
    assert got is not None and got.value == "green" and "status column" in got.warning
    assert read_damaged_in_status_column("Amher").value == "amber"
    # short words, words far from every colour word, and phrases are never guessed
    for text in ("Met", "Red", "Chamber", "Timber", "On hold", "tbc", "12345"):
        assert read_damaged_in_status_column(text) is None, text
