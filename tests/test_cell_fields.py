"""Cell.color (font colour of the visible text) and Cell.value / Cell.number_format
(spreadsheet dates and numbers), read from small files made here with python-docx, openpyxl
and fpdf2: a red "●" status cell, a black cell, and a date shown as "mmm-yy"."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from plantrail.parsers import parse
from plantrail.parsers.model import Cell, Document

DOT = "\u25cf"
RED = "FF0000"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def cell_with(doc: Document, text: str) -> Cell:
    for t in doc.tables():
        for c in t.cells:
            if c.text == text:
                return c
    raise AssertionError(f"no cell {text!r} in {[c.text for t in doc.tables() for c in t.cells]}")


def test_docx_run_colour_and_mixed_colours():
    docx = pytest.importorskip("docx")
    from docx.shared import RGBColor

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for i, h in enumerate(("Action", "Status", "Lead")):
        t.cell(0, i).text = h
    t.cell(1, 0).text = "Publish the plan"
    run = t.cell(1, 1).paragraphs[0].add_run(DOT)
    run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    p = t.cell(1, 2).paragraphs[0]
    p.add_run("J. Smith ").font.color.rgb = RGBColor(0x00, 0x80, 0x00)
    p.add_run("(JS)").font.color.rgb = RGBColor(0x00, 0x00, 0xFF)
    buf = io.BytesIO()
    d.save(buf)
    doc = parse("t.docx", buf.getvalue(), "0" * 64, "docx")
    assert cell_with(doc, DOT).color == RED
    assert cell_with(doc, "Publish the plan").color is None  # automatic colour
    assert cell_with(doc, "J. Smith (JS)").color is None  # two colours: no one colour


def test_xlsx_font_colour_date_value_and_format():
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Action", "Status", "Due", "Budget"])
    ws.append(["Publish the plan", DOT, dt.datetime(2024, 3, 31), 0.25])
    ws["B2"].font = Font(color="FFFF0000")
    ws["A2"].font = Font(color="FF000000")  # black: says nothing
    ws["C2"].number_format = "mmm-yy"
    ws["D2"].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    doc = parse("t.xlsx", buf.getvalue(), "0" * 64, "xlsx")
    assert cell_with(doc, DOT).color == RED
    assert cell_with(doc, DOT).value is None  # text is text: no stored value beside it
    assert cell_with(doc, "Publish the plan").color is None
    due = cell_with(doc, "2024-03")  # shown as a month: the text claims no day
    assert (due.value, due.number_format) == ("2024-03-31T00:00:00", "mmm-yy")
    budget = cell_with(doc, "0.25")
    assert (budget.value, budget.number_format) == ("0.25", "0%")


def _pdf_with_red_status() -> tuple[bytes, str]:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    if DEJAVU.exists():
        pdf.add_font("DejaVu", "", str(DEJAVU))
        pdf.set_font("DejaVu", "", 10)
        mark = DOT
    else:  # no font with the dot on this machine: a red word shows the same thing
        pdf.set_font("Helvetica", "", 10)
        mark = "Red"
    rows = [("Action", "Status", "Lead"), ("Publish the plan", mark, "J. Smith"),
            ("Agree the budget", "Green", "A. Patel")]
    y = 60.0
    for r, row in enumerate(rows):
        x = 40.0
        for c, text in enumerate(row):
            pdf.set_draw_color(0, 0, 0)
            pdf.rect(x, y, 150, 24, style="D")
            pdf.set_text_color(*((255, 0, 0) if (r, c) == (1, 1) else (0, 128, 0) if (r, c) == (2, 1)
                                 else (0, 0, 0)))
            pdf.text(x + 4, y + 16, text)
            x += 150
        y += 24
    return bytes(pdf.output()), mark


@pytest.mark.parametrize("backend", ["pdfplumber", "pdfium"])
def test_pdf_glyph_fill_colour_both_backends(backend, monkeypatch):
    if backend == "pdfium":
        pytest.importorskip("pypdfium2")
    data, mark = _pdf_with_red_status()
    monkeypatch.setenv("PLANTRAIL_PDF_BACKEND", backend)
    doc = parse("t.pdf", data, "0" * 64, "pdf")
    assert cell_with(doc, mark).color == RED
    assert cell_with(doc, "Green").color == "008000"
    assert cell_with(doc, "Publish the plan").color is None


def test_xls_date_and_number_values():
    pytest.importorskip("xlrd")
    data = (Path(__file__).resolve().parent / "fixtures" / "plan.xls").read_bytes()
    doc = parse("plan.xls", data, "0" * 64, "xls")
    cells = {c.prov.cell: c for t in doc.tables() for c in t.cells}
    assert (cells["D5"].value, cells["D5"].number_format) == ("2016-04-01T00:00:00", "dd/mm/yyyy")
    assert (cells["G5"].value, cells["G5"].number_format) == ("42", "General")
    assert cells["G6"].value == "2.5"
    assert all(c.value is None for c in cells.values() if c.text and not c.text[:1].isdigit())
