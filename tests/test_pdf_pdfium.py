"""The pypdfium2 page backend: glyphs, rules and fills read from PDFs drawn here (fpdf2), and
the same Document from both backends."""

from __future__ import annotations

import pytest

fpdf = pytest.importorskip("fpdf")
pytest.importorskip("pypdfium2")

from plantrail.parsers.model import ParseError  # noqa: E402
from plantrail.parsers.pdf import parse_pdf  # noqa: E402
from plantrail.parsers.pdf_page import MAX_EDGES, backend_name, open_pdf  # noqa: E402
from test_parse_pdf import HEADER, Drawer, three_page_plan  # noqa: E402


def one_page(data: bytes, backend: str = "pdfium"):
    src = open_pdf(data, backend)
    page = next(src.pages())
    out = (page.width, page.height, page.chars(), page.edges(), page.fills(), page.too_many_edges)
    page.close()
    src.close()
    return out


def drawn() -> bytes:
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.text(50, 100, "Ab")
    pdf.set_font("Helvetica", "B", 12)
    pdf.text(50, 130, "C")
    with pdf.rotation(90, 300, 300):
        pdf.set_font("Helvetica", "", 10)
        pdf.text(300, 300, "V")
    with pdf.rotation(30, 400, 400):
        pdf.text(400, 400, "W")
    pdf.set_line_width(0.5)
    pdf.line(50, 200, 250, 200)  # horizontal rule
    pdf.line(60, 210, 60, 290)  # vertical rule
    pdf.line(100, 220, 180, 280)  # slanted: no edge
    pdf.set_fill_color(0, 176, 80)
    pdf.rect(300, 200, 100, 50, style="F")  # green background
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(300, 260, 100, 50, style="F")  # white: a fill with no colour
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(50, 320, 200, 1, style="F")  # thin bar: a rule, not a background
    pdf.set_draw_color(0, 0, 0)
    pdf.rect(300, 320, 100, 40, style="D")  # stroked box: four edges, no fill
    return bytes(pdf.output())


def test_chars_boxes_size_bold_and_turns():
    width, height, chars, *_ = one_page(drawn())
    assert (round(width, 2), round(height, 2)) == (595.28, 841.89)
    by = {c.text: c for c in chars}
    a = by["A"]
    # pdfminer's box: baseline 100, Helvetica descent 0.207 em, one font size tall
    assert (round(a.x0, 2), round(a.top, 2), round(a.bottom, 2), a.size) == (50.0, 92.07, 102.07, 10.0)
    assert round(a.x1 - a.x0, 2) == 6.67  # Helvetica "A" is 667/1000 em
    assert not a.bold and a.upright and not a.diagonal
    assert by["C"].bold and by["C"].size == 12.0
    assert not by["V"].upright and not by["V"].diagonal  # turned by 90 degrees
    assert by["W"].diagonal


def test_edges_and_fills():
    _, _, _, edges, fills, too_many = one_page(drawn())
    assert not too_many
    got = {(e.orientation, round(e.pos, 1), round(e.start, 1), round(e.end, 1)) for e in edges}
    assert ("h", 200.0, 50.0, 250.0) in got
    assert ("v", 60.0, 210.0, 290.0) in got
    assert ("h", 320.5, 50.0, 250.0) in got  # the thin bar, at its middle
    assert {("h", 320.0, 300.0, 400.0), ("h", 360.0, 300.0, 400.0),
            ("v", 300.0, 320.0, 360.0), ("v", 400.0, 320.0, 360.0)} <= got
    assert not any(e[1] in (220.0, 280.0) for e in got)  # nothing from the slanted line
    colours = {(round(f.x0), round(f.top), round(f.x1), round(f.bottom)): f.rgb for f in fills}
    assert colours == {(300, 200, 400, 250): "00B050", (300, 260, 400, 310): None}


def test_chars_edges_fills_equal_pdfplumber_backend():
    a, b = one_page(drawn(), "pdfplumber"), one_page(drawn(), "pdfium")
    assert a[0] == pytest.approx(b[0]) and a[1] == pytest.approx(b[1])
    key = lambda c: (round(c.top, 1), round(c.x0, 1))  # noqa: E731
    ca, cb = sorted(a[2], key=key), sorted(b[2], key=key)
    assert [c.text for c in ca] == [c.text for c in cb]
    for x, y in zip(ca, cb, strict=True):
        assert (x.bold, x.upright, x.diagonal) == (y.bold, y.upright, y.diagonal)
        if not x.diagonal:
            assert (x.x0, x.x1, x.top, x.bottom, x.size) == pytest.approx((y.x0, y.x1, y.top, y.bottom, y.size),
                                                                          abs=0.01)

    def edges(es):
        return sorted((e.orientation, round(e.pos, 2), round(e.start, 2), round(e.end, 2)) for e in es)

    assert edges(a[3]) == edges(b[3])
    assert sorted((round(f.x0, 2), round(f.top, 2), f.rgb) for f in a[4]) == \
        sorted((round(f.x0, 2), round(f.top, 2), f.rgb) for f in b[4])


def _doc(data: bytes, backend: str, monkeypatch):
    monkeypatch.setenv("PLANTRAIL_PDF_BACKEND", backend)
    return parse_pdf("p.pdf", data, "0" * 64)


@pytest.mark.parametrize("make", ["plan", "separate", "hyphen"])
def test_same_document_from_both_backends(make, monkeypatch):
    if make == "plan":
        data = three_page_plan()
    else:
        d = Drawer()
        d.page(1)
        d.heading("Priority 1")
        d.row([[h] for h in HEADER], bold=True)
        words = ["Co-", "ordinate"] if make == "hyphen" else ["First"]
        d.row([["1"], words, ["AB"], ["Done"]], fills={3: (255, 192, 0)})
        d.close_table()
        d.page(2)
        d.para("Closing remarks.")
        data = d.output()
    a = _doc(data, "pdfplumber", monkeypatch)
    b = _doc(data, "pdfium", monkeypatch)
    assert a.tables() and a == b
    if make == "hyphen":
        assert b.tables()[0].row_texts(1)[1] == "Co-ordinate"  # PDFium's line-end hyphen mark undone


def test_backend_selection(monkeypatch):
    monkeypatch.delenv("PLANTRAIL_PDF_BACKEND", raising=False)
    assert backend_name() == "pdfium"
    assert type(open_pdf(three_page_plan())).__name__ == "PdfiumPdf"
    monkeypatch.setenv("PLANTRAIL_PDF_BACKEND", " PDFplumber")
    assert backend_name() == "pdfplumber"
    assert type(open_pdf(three_page_plan())).__name__ == "PlumberPdf"
    assert backend_name("pdfium") == "pdfium"
    with pytest.raises(ValueError, match="unknown PDF backend"):
        backend_name("poppler")


def test_encrypted_and_corrupt_are_parse_errors():
    pdf = fpdf.FPDF(unit="pt")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.text(50, 80, "Secret plan")
    with pytest.raises(ParseError, match="^encrypted PDF: password required$"):
        open_pdf(bytes(pdf.output()), "pdfium")
    for bad in (b"%PDF-1.7\n%garbage\n" + b"\x00" * 200, b""):
        with pytest.raises(ParseError, match="^corrupt PDF"):
            open_pdf(bad, "pdfium")


def test_rotated_page_matches_pdfplumber():
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.text(50, 100, "Turned page")
    pdf.line(50, 120, 250, 120)
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(bytes(pdf.output()))
    doc[0].set_rotation(90)  # /Rotate 90: shown in landscape
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    a, b = one_page(data, "pdfplumber"), one_page(data, "pdfium")
    assert (round(a[0], 2), round(a[1], 2)) == (round(b[0], 2), round(b[1], 2)) == (841.89, 595.28)
    assert [(c.text, round(c.x0, 2), round(c.top, 2)) for c in a[2]] == \
        [(c.text, round(c.x0, 2), round(c.top, 2)) for c in b[2]]
    assert [(e.orientation, round(e.pos, 2)) for e in a[3]] == [(e.orientation, round(e.pos, 2)) for e in b[3]]


def test_too_many_edges_gives_none():
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    for k in range(MAX_EDGES // 4 + 10):  # each stroked box is four edges
        x, y = 20 + (k % 50) * 11, 20 + (k // 50) * 30
        pdf.rect(x, y, 10, 10, style="D")
    *_, edges, _, too_many = one_page(bytes(pdf.output()))
    assert too_many and edges == []
