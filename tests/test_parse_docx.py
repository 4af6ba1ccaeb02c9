"""DOCX parser: reading order, merged regions as one cell, fills, lists, and refusal of bad zips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from badfiles import declare_huge, saved_bytes, with_member
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from plantrail.parsers import ooxml
from plantrail.parsers.docx import parse_docx
from plantrail.parsers.model import ParseError

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _parse_bytes(data: bytes):
    return parse_docx("t.docx", data, "0" * 64)


def _shade(cell, **attrs: str) -> None:
    shd = OxmlElement("w:shd")
    for k, v in attrs.items():
        shd.set(qn(f"w:{k}"), v)
    cell._tc.get_or_add_tcPr().append(shd)


@pytest.fixture(scope="module")
def sample():
    data = (SAMPLES / "sample-plan.docx").read_bytes()
    return parse_docx("samples/sample-plan.docx", data, "x" * 64)


# ---- the committed sample ------------------------------------------------------------------


def test_sample_reading_order(sample):
    kinds = [(b.kind, b.level) for b in sample.blocks]
    assert kinds == [
        ("heading", 1), ("paragraph", 0), ("heading", 2), ("table", 0), ("heading", 2),
        ("table", 0), ("heading", 2), ("paragraph", 0), ("paragraph", 0), ("list_item", 0),
        ("list_item", 0), ("table", 0)]
    assert sample.blocks[2].text.startswith("Priority 1: Safeguarding & Early Help")
    assert sample.blocks[4].text.startswith("Priority 2: Close the gap")
    assert [t.index for t in sample.tables()] == [0, 1, 2]
    assert sample.format == "docx" and sample.sha256 == "x" * 64


def test_sample_merged_aim_and_measure_are_one_cell(sample):
    t = sample.tables()[0]
    assert (t.n_rows, t.n_cols) == (7, 10)
    by_pos = {(c.row, c.col): c for c in t.cells}
    aim = by_pos[(4, 0)]
    assert aim.text == "Effective application of threshold at front door."
    assert aim.row_span == 3 and aim.col_span == 1
    assert (5, 0) not in by_pos and (6, 0) not in by_pos
    measure = by_pos[(2, 5)]
    assert measure.row_span == 2 and measure.text.startswith("Self referrals increase.")
    assert (3, 5) not in by_pos
    grid = t.grid()
    assert grid[6][0] is aim and grid[3][5] is measure
    assert t.row_texts(3)[1] == "1.5.1"
    # 70 positions, minus 2 covered by the 1.13 aim, 1 by the 1.5 aim and 1 by the measure
    assert len(t.cells) == 66
    assert aim.prov.cell == "R5C1"


def test_sample_fills_and_bold(sample):
    t = sample.tables()[0]
    by_pos = {(c.row, c.col): c for c in t.cells}
    assert [(by_pos[(r, 9)].text, by_pos[(r, 9)].fill) for r in range(1, 7)] == [
        ("Green", "00B050"), ("Amber", "FFC000"), ("Green", "00B050"), ("Completed", "0070C0"),
        ("Green", "00B050"), ("", "00B050")]
    header = [c for c in t.cells if c.row == 0]
    assert all(c.bold and c.fill == "D9D9D9" for c in header)
    assert not by_pos[(1, 2)].bold and by_pos[(1, 2)].fill is None
    lew = sample.blocks[8]
    assert lew.bold and lew.text == "a) Expected outcome (what will be different?)"
    assert not sample.blocks[7].bold


# ---- tables built in the test ----------------------------------------------------------------


def test_gridspan_gridbefore_and_hmerge_positions():
    d = docx.Document()
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 1))  # gridSpan=2
    t.cell(0, 0).text = "wide"
    t.cell(0, 2).text = "c"
    t.cell(0, 3).text = "d"
    t.cell(2, 0).text = "h-merged"  # before row 1 loses cells (python-docx indexes a flat grid)
    # row 1: one grid column skipped before, one after -> cells sit at columns 1 and 2
    tr = t.rows[1]._tr
    for tc in list(tr.tc_lst)[2:]:
        tr.remove(tc)
    trpr = tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    trpr.append(parse_xml(f'<w:gridAfter {nsdecls("w")} w:val="1"/>'))
    tr.tc_lst[0].append(parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>after gap</w:t></w:r></w:p>'))
    tr.tc_lst[1].append(parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>next</w:t></w:r></w:p>'))
    # row 2: legacy hMerge across the first two cells
    tcs = t.rows[2]._tr.tc_lst
    tcs[0].get_or_add_tcPr().append(parse_xml(f'<w:hMerge {nsdecls("w")} w:val="restart"/>'))
    tcs[1].get_or_add_tcPr().append(parse_xml(f'<w:hMerge {nsdecls("w")}/>'))
    doc = _parse_bytes(saved_bytes(d))
    table = doc.tables()[0]
    cells = {(c.row, c.col): (c.text, c.col_span, c.row_span) for c in table.cells}
    assert cells[(0, 0)] == ("wide", 2, 1)
    assert cells[(0, 2)] == ("c", 1, 1) and cells[(0, 3)] == ("d", 1, 1)
    assert cells[(1, 1)] == ("after gap", 1, 1) and cells[(1, 2)] == ("next", 1, 1)
    assert (1, 0) not in cells
    assert cells[(2, 0)] == ("h-merged", 2, 1) and (2, 1) not in cells
    assert table.n_cols == 4


def test_vmerge_continuation_text_is_kept_and_spans_counted():
    d = docx.Document()
    t = d.add_table(rows=4, cols=2)
    t.cell(0, 0).merge(t.cell(2, 0))
    t.cell(0, 0).text = "aim"
    for r in range(4):
        t.cell(r, 1).text = f"action {r}"
    # text that Word would hide under the merge must not be lost
    t.rows[2]._tr.tc_lst[0].append(parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>stray</w:t></w:r></w:p>'))
    table = _parse_bytes(saved_bytes(d)).tables()[0]
    anchor = next(c for c in table.cells if (c.row, c.col) == (0, 0))
    assert anchor.row_span == 3
    assert anchor.text.split("\n") == ["aim", "stray"]
    assert table.row_texts(3) == ["", "action 3"]


def test_fill_variants_theme_auto_white_and_pattern():
    d = docx.Document()
    t = d.add_table(rows=1, cols=6)
    for i in range(6):
        t.cell(0, i).text = str(i)
    _shade(t.cell(0, 0), val="clear", color="auto", fill="auto")
    _shade(t.cell(0, 1), val="clear", color="auto", fill="ffffff")
    _shade(t.cell(0, 2), val="clear", color="auto", themeFill="accent1")
    _shade(t.cell(0, 3), val="clear", color="auto", themeFill="accent1", themeFillTint="99")
    _shade(t.cell(0, 4), val="clear", color="auto", themeFill="background1", themeFillShade="D9")
    _shade(t.cell(0, 5), val="solid", color="FF0000", fill="auto")
    fills = [c.fill for c in _parse_bytes(saved_bytes(d)).tables()[0].cells]
    # python-docx's template carries the Office 2007 theme (accent1 4F81BD); Word itself
    # shows "Accent 1, Lighter 40%" as 95B3D7 and "Background 1, Darker 15%" as D9D9D9
    assert fills == [None, None, "4F81BD", "95B3D7", "D9D9D9", "FF0000"]


def test_nested_table_kept_in_cell_and_text_not_lost():
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "outer"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"in{r}{c}"
    d.add_table(rows=1, cols=1).cell(0, 0).text = "second"
    doc = _parse_bytes(saved_bytes(d))
    tables = doc.tables()
    assert [t.index for t in tables] == [0, 1]
    host = next(c for c in tables[0].cells if c.col == 1)
    assert len(host.nested) == 1
    nested = host.nested[0]
    assert (nested.n_rows, nested.n_cols) == (2, 2)
    assert nested.row_texts(1) == ["in10", "in11"]
    assert "in01" in host.text and "in11" in host.text


def test_headings_lists_and_content_controls():
    d = docx.Document()
    d.add_heading("Plan title", level=0)  # Title style
    d.add_heading("Section", level=3)
    d.add_paragraph("bullet", style="List Bullet")
    d.add_paragraph("bullet two", style="List Bullet 2")
    p = d.add_paragraph("numbered deeper")
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>'))
    d.add_paragraph("")  # empty: no block
    # a paragraph and a table inside a block-level content control (w:sdt)
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent>'
        '<w:p><w:r><w:t xml:space="preserve">inside </w:t></w:r>'
        '<w:hyperlink><w:r><w:t>control</w:t></w:r></w:hyperlink>'
        '<w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del>'
        '<w:ins><w:r><w:t> added</w:t></w:r></w:ins></w:p>'
        '<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>sdt cell</w:t></w:r></w:p>'
        '</w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>')
    d.element.body.insert(len(d.element.body) - 1, sdt)  # before sectPr
    bold = d.add_paragraph()
    bold.add_run("All ").bold = True
    bold.add_run("bold").bold = True
    mixed = d.add_paragraph()
    mixed.add_run("half ").bold = True
    mixed.add_run("plain")
    doc = _parse_bytes(saved_bytes(d))
    got = [(b.kind, b.level, b.text) for b in doc.blocks if b.kind != "table"]
    assert got == [
        ("heading", 1, "Plan title"), ("heading", 3, "Section"), ("list_item", 0, "bullet"),
        ("list_item", 1, "bullet two"), ("list_item", 2, "numbered deeper"),
        ("paragraph", 0, "inside control added"), ("paragraph", 0, "All bold"),
        ("paragraph", 0, "half plain")]
    assert [b.bold for b in doc.blocks[-2:]] == [True, False]
    assert doc.blocks[6].kind == "table" and doc.tables()[0].cells[0].text == "sdt cell"


def test_macro_enabled_content_type_is_read():
    d = docx.Document()
    d.add_paragraph("macro plan")
    src = zipfile.ZipFile(io.BytesIO(saved_bytes(d)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"wordprocessingml.document.main+xml",
                                    b"PLACEHOLDER").replace(
                    b"application/vnd.openxmlformats-officedocument.PLACEHOLDER",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
                assert b"macroEnabled" in blob
            z.writestr(info, blob)
    doc = _parse_bytes(out.getvalue())
    assert [b.text for b in doc.blocks] == ["macro plan"]


# ---- bad input -------------------------------------------------------------------------------


def test_not_a_zip():
    with pytest.raises(ParseError, match="corrupt DOCX: not a valid zip archive"):
        _parse_bytes(b"PK\x03\x04 this is not really a zip")


def test_empty_and_ole_container():
    with pytest.raises(ParseError, match="empty DOCX"):
        _parse_bytes(b"")
    with pytest.raises(ParseError, match="OLE container"):
        _parse_bytes(ooxml.OLE_MAGIC + b"\x00" * 512)


def test_zip_without_document_xml():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/other.xml", "<x/>")
    with pytest.raises(ParseError, match="missing word/document.xml"):
        _parse_bytes(buf.getvalue())


def test_xlsx_given_as_docx_is_a_parse_error():
    data = (SAMPLES / "sample-tracker.xlsx").read_bytes()
    with pytest.raises(ParseError):
        _parse_bytes(data)


def test_malformed_document_xml_is_a_parse_error():
    src = zipfile.ZipFile(io.BytesIO(saved_bytes(docx.Document())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            blob = b"<w:document><oops" if info.filename == "word/document.xml" else src.read(info)
            z.writestr(info, blob)
    with pytest.raises(ParseError, match="unreadable DOCX"):
        _parse_bytes(out.getvalue())


def test_zip_bomb_declared_size_refused():
    d = docx.Document()
    d.add_paragraph("x")
    data = declare_huge(saved_bytes(d), "word/document.xml", 0xFFFF0000)  # ~4 GB declared
    with pytest.raises(ParseError, match="zip bomb"):
        _parse_bytes(data)


def test_zip_bomb_total_and_ratio_limits(monkeypatch):
    d = docx.Document()
    d.add_paragraph("x")
    data = with_member(saved_bytes(d), "word/media/zeros.bin", b"\0" * (16 << 20))
    assert _parse_bytes(data).blocks[0].text == "x"  # fine under the real limits
    monkeypatch.setattr(ooxml, "RATIO_MIN_SIZE", 1 << 20)
    with pytest.raises(ParseError, match="compression ratio"):
        _parse_bytes(data)
    monkeypatch.setattr(ooxml, "MAX_TOTAL_UNCOMPRESSED", 1 << 20)
    with pytest.raises(ParseError, match="MB uncompressed"):
        _parse_bytes(data)
