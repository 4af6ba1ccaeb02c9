"""XLSX parser: banners before the table, merged regions, fills incl. theme and indexed colours,
cached formula values, hidden sheets, big sheets, and refusal of bad zips."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from badfiles import saved_bytes, with_member
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color
from plantrail.parsers import ooxml
from plantrail.parsers.model import ParseError
from plantrail.parsers.xlsx import cell_text, parse_xlsx

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _parse_bytes(data: bytes):
    return parse_xlsx("t.xlsx", data, "0" * 64)


def _by_addr(table):
    return {c.prov.cell: c for c in table.cells}


@pytest.fixture(scope="module")
def sample():
    data = (SAMPLES / "sample-tracker.xlsx").read_bytes()
    return parse_xlsx("samples/sample-tracker.xlsx", data, "x" * 64)


# ---- the committed sample ------------------------------------------------------------------


def test_sample_sheets_and_hidden_sheet(sample):
    assert [(s.name, s.hidden) for s in sample.sheets] == [
        ("Tracker", False), ("Summary", False), ("Lookups", True)]
    assert (sample.sheets[0].rows, sample.sheets[0].cols) == (14, 10)
    assert sample.sheets[2].rows == 4  # from the sheet's declared dimension, not parsed
    assert sample.warnings == ["hidden sheets not parsed: Lookups"]
    assert all(b.prov.sheet != "Lookups" for b in sample.blocks)


def test_sample_banner_heading_comes_before_table(sample):
    kinds = [b.kind for b in sample.blocks]
    assert kinds == ["heading", "table", "table"]
    title = sample.blocks[0]
    assert title.text == "Children & Families Service Improvement Plan — tracker (sample)"
    assert title.level == 1 and title.prov.sheet == "Tracker" and title.prov.cell == "A1"
    t = sample.tables()[0]
    assert t.prov.sheet == "Tracker" and t.prov.cell == "A3:J14"
    assert (t.n_rows, t.n_cols, t.index) == (12, 10, 0)
    assert t.row_texts(0)[0] == "Specific aim:" and t.row_texts(0)[9] == "RAG status:"
    assert sample.tables()[1].index == 1 and sample.tables()[1].prov.sheet == "Summary"


def test_sample_merged_cells_are_one_cell(sample):
    t = sample.tables()[0]
    cells = _by_addr(t)
    aim = cells["A8"]
    assert aim.text == "Effective application of threshold at front door."
    assert (aim.row, aim.col, aim.row_span, aim.col_span) == (5, 0, 3, 1)
    assert "A9" not in cells and "A10" not in cells
    measure = cells["F6"]
    assert measure.row_span == 2 and measure.text.startswith("Self referrals increase.")
    banner = cells["A4"]  # section banner inside the table stays a (wide) table row
    assert banner.col_span == 10 and banner.bold and banner.text.startswith("Priority 1:")
    assert t.grid()[7][0] is aim
    assert t.row_texts(7)[1] == "1.15"


def test_sample_fills_rgb_theme_and_colour_only(sample):
    cells = _by_addr(sample.tables()[0])
    # header: theme 0 (Background 1 = white) darkened by tint -0.15 -> D9D9D9
    assert cells["A3"].fill == "D9D9D9" and cells["A3"].bold
    # J5 is a theme colour: accent3 of the workbook's theme (9BBB59)
    assert (cells["J5"].text, cells["J5"].fill) == ("Green", "9BBB59")
    assert (cells["J6"].text, cells["J6"].fill) == ("Amber", "FFC000")
    assert (cells["J8"].text, cells["J8"].fill) == ("Completed", "0070C0")
    assert (cells["J10"].text, cells["J10"].fill) == ("", "00B050")  # colour only
    assert cells["C5"].fill is None and not cells["C5"].bold


def test_sample_dates_and_cached_formulas(sample):
    cells = _by_addr(sample.tables()[0])
    assert (cells["D5"].text, cells["E5"].text) == ("2017-04", "2017-10")  # shown as mmm-yy
    summary = sample.tables()[1]
    assert [summary.row_texts(r) for r in range(summary.n_rows)] == [
        ["Measure", "Value"], ["Actions in plan", "9"], ["Actions completed", "2"],
        ["Review date", "2017-08-01"]]


# ---- workbooks built in the test -------------------------------------------------------------


def test_values_as_text():
    assert cell_text(None) == ""
    assert cell_text(3.0) == "3"
    assert cell_text(2.5) == "2.5"
    assert cell_text(0.1 + 0.2) == "0.3"
    assert cell_text(12) == "12"
    assert cell_text(True) == "TRUE"
    assert cell_text(dt.datetime(2017, 4, 1)) == "2017-04-01"
    assert cell_text(dt.datetime(2017, 4, 1, 10, 0)) == "2017-04-01T10:00:00"
    assert cell_text(dt.date(2016, 3, 31)) == "2016-03-31"
    assert cell_text("  padded ") == "padded"


def test_trimming_values_indexed_colours_and_uncached_formula():
    wb = Workbook()
    ws = wb.active
    # table starts at C5: empty rows/columns around it are trimmed
    ws["C5"], ws["D5"], ws["E5"] = "Ref", "When", "Status"
    ws["C6"], ws["D6"], ws["E6"] = 1.0, dt.datetime(2017, 4, 1, 10, 0), "Red"
    ws["E6"].fill = PatternFill("solid", fgColor=Color(indexed=10))  # palette red
    ws["C7"], ws["D7"], ws["E7"] = 2.25, "=1+1", "White"
    ws["E7"].fill = PatternFill("solid", fgColor="FFFFFFFF")  # white counts as no fill
    ws["C8"], ws["D8"] = "tail", "pattern"
    ws["D8"].fill = PatternFill("gray125")  # no colour given: not black
    ws["H20"].fill = PatternFill("solid", fgColor="FF00FF00")  # a stray fill is not content
    doc = _parse_bytes(saved_bytes(wb))
    t = doc.tables()[0]
    assert t.prov.cell == "C5:E8" and (t.n_rows, t.n_cols) == (4, 3)
    assert t.row_texts(1) == ["1", "2017-04-01T10:00:00", "Red"]
    assert t.row_texts(2) == ["2.25", "", "White"]  # openpyxl writes no cached value
    cells = _by_addr(t)
    assert cells["E6"].fill == "FF0000" and cells["E7"].fill is None and cells["D8"].fill is None
    assert (cells["C5"].row, cells["C5"].col) == (0, 0)
    assert doc.sheets[0].rows == 4 and doc.sheets[0].cols == 3


def test_leading_one_cell_rows_become_heading_then_paragraph():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Plan title"
    ws["A2"] = "RAG key: Green = on track"
    ws["B4"] = "Bold subtitle"
    ws["B4"].font = Font(bold=True)
    ws.append(["Ref", "Action"])
    ws.append(["1.1", "Do it"])
    ws.append(["Section banner"])  # one-cell row inside the table stays in the table
    ws.append(["1.2", "Do more"])
    doc = _parse_bytes(saved_bytes(wb))
    assert [(b.kind, b.text) for b in doc.blocks[:3]] == [
        ("heading", "Plan title"), ("paragraph", "RAG key: Green = on track"),
        ("heading", "Bold subtitle")]
    t = doc.tables()[0]
    assert t.prov.cell == "A5:B8" and t.row_texts(2) == ["Section banner", ""]


def test_merge_with_text_underneath_and_missing_anchor_cell():
    wb = Workbook()
    ws = wb.active
    ws.append(["Aim", "Ref", "Note"])
    ws.append(["shared aim", "1"])
    ws.append([None, "2"])
    ws.append([None, "3"])
    ws.merge_cells("A2:A4")
    data = saved_bytes(wb)
    # a writer that left text under a merge, and a merge whose anchor cell is absent
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                blob = blob.replace(b'<c r="B3"', b'<c r="A3" t="inlineStr"><is><t>hidden</t></is></c><c r="B3"')
                blob = blob.replace(b'<mergeCell ref="A2:A4"/>',
                                    b'<mergeCell ref="A2:A4"/><mergeCell ref="C2:C3"/>')
                blob = blob.replace(b'<mergeCells count="1">', b'<mergeCells count="2">')
            z.writestr(info, blob)
    assert b"hidden" in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    t = _parse_bytes(out.getvalue()).tables()[0]
    cells = _by_addr(t)
    assert cells["A2"].row_span == 3 and cells["A2"].text.split("\n") == ["shared aim", "hidden"]
    assert "A3" not in cells
    note = cells["C2"]  # merged region with no cell in the XML at all: still one region
    assert (note.text, note.row_span, note.col) == ("", 2, 2)


def test_theme_colour_with_positive_tint_and_indexed_custom_palette():
    wb = Workbook()
    ws = wb.active
    ws.append(["a", "b"])
    ws["A1"].fill = PatternFill("solid", fgColor=Color(theme=4, tint=0.3999755851924192))
    ws["B1"].fill = PatternFill("solid", fgColor=Color(theme=4, tint=-0.249977111117893))
    cells = _by_addr(_parse_bytes(saved_bytes(wb)).tables()[0])
    # accent1 4F81BD: Excel shows "lighter 40%" as 95B3D7 and "darker 25%" as 376092
    assert (cells["A1"].fill, cells["B1"].fill) == ("95B3D7", "376092")


def test_hundred_thousand_rows_stream():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Big")
    ws.append(["Ref", "Status"])
    for i in range(100_000):
        ws.append([i, i % 3])
    doc = _parse_bytes(saved_bytes(wb))
    t = doc.tables()[0]
    assert (t.n_rows, t.n_cols) == (100_001, 2)
    assert t.cells[-1].prov.cell == "B100001" and t.cells[-2].text == "99999"
    assert doc.sheets[0].rows == 100_001


# ---- bad input -------------------------------------------------------------------------------


def test_not_a_zip_ole_and_empty():
    with pytest.raises(ParseError, match="corrupt XLSX: not a valid zip archive"):
        _parse_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ParseError, match="OLE container"):
        _parse_bytes(ooxml.OLE_MAGIC + b"\x00" * 512)
    with pytest.raises(ParseError, match="empty XLSX"):
        _parse_bytes(b"")


def test_docx_given_as_xlsx_is_a_parse_error():
    with pytest.raises(ParseError, match="unreadable XLSX"):
        _parse_bytes((SAMPLES / "sample-plan.docx").read_bytes())


def test_corrupt_sheet_xml_is_a_parse_error():
    wb = Workbook()
    wb.active["A1"] = "x"
    src = zipfile.ZipFile(io.BytesIO(saved_bytes(wb)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                blob = blob[: len(blob) // 2]
            z.writestr(info, blob)
    with pytest.raises(ParseError, match="unreadable XLSX content"):
        _parse_bytes(out.getvalue())


def test_zip_bomb_guard(monkeypatch):
    wb = Workbook()
    wb.active["A1"] = "x"
    data = with_member(saved_bytes(wb), "xl/media/zeros.bin", b"\0" * (2 << 20))
    assert _parse_bytes(data).tables()[0].cells[0].text == "x"
    monkeypatch.setattr(ooxml, "MAX_TOTAL_UNCOMPRESSED", 1 << 20)
    with pytest.raises(ParseError, match="zip bomb"):
        _parse_bytes(data)


def test_month_formatted_date_cell_reads_as_a_month(tmp_path):
    """A cell shown as "Apr-17" must not gain a day the reader never saw."""
    import datetime
    import hashlib

    import openpyxl
    from plantrail.parsers.xlsx import parse_xlsx

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Action", "Start", "End"])
    ws.append(["1", "Do", datetime.datetime(2017, 4, 1), datetime.datetime(2017, 10, 31)])
    ws["C2"].number_format = "mmm-yy"
    ws["D2"].number_format = "dd/mm/yyyy"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    data = path.read_bytes()
    doc = parse_xlsx(str(path), data, hashlib.sha256(data).hexdigest())
    assert doc.tables()[0].row_texts(1)[2:] == ["2017-04", "2017-10-31"]
