"""PDF parser on PDFs the tests draw themselves (fpdf2), so every rule and page break is
where the test says it is.  Every test runs once per page backend (pdfplumber, pdfium)."""

from __future__ import annotations

import pytest

fpdf = pytest.importorskip("fpdf")

from plantrail.parsers.model import ParseError  # noqa: E402
from plantrail.parsers.pdf import parse_pdf  # noqa: E402
from plantrail.parsers.pdf_page import Edge, color_to_hex  # noqa: E402
from plantrail.parsers.pdf_tables import find_grids  # noqa: E402


@pytest.fixture(scope="module", params=["pdfplumber", "pdfium"], autouse=True)
def backend(request):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANTRAIL_PDF_BACKEND", request.param)
        yield request.param


XS = [40, 90, 330, 420, 480]  # column rules: Key | Description | Owner | Status
HEADER = ["Key", "Description", "Owner", "Status"]
GREEN = (0, 176, 80)
PAD = 3.0
SIZE = 9.0
LINE_H = 11.0


class Drawer:
    """Ruled table rows drawn cell by cell, the way a word processor exports them."""

    def __init__(self) -> None:
        self.pdf = fpdf.FPDF(orientation="P", unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.y = 0.0

    def page(self, number: int) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.text(40, 30, "Council improvement plan - working copy")  # running header
        pdf.text(290, 820, f"Page {number}")  # page number
        with pdf.rotation(45, 300, 420):  # watermark
            pdf.set_font("Helvetica", "B", 60)
            pdf.set_text_color(200, 200, 200)
            pdf.text(200, 420, "DRAFT")
        pdf.set_text_color(0, 0, 0)
        self.y = 60.0

    def heading(self, text: str) -> None:
        self.pdf.set_font("Helvetica", "B", 16)
        self.pdf.text(40, self.y + 16, text)
        self.y += 30

    def para(self, text: str) -> None:
        self.pdf.set_font("Helvetica", "", SIZE)
        self.pdf.text(40, self.y + SIZE, text)
        self.y += 20

    def row(self, cells: list[list[str]], *, bold: bool = False, fills: dict[int, tuple] | None = None,
            top_rule: bool = True, open_cols: set[int] | None = None, right: dict[int, int] | None = None) -> float:
        """One table row; ``cells[c]`` are the text lines of column c.  ``open_cols``: columns
        with no rule above this row (a vertically merged cell).  ``right``: column -> index
        of a line to right-align to the cell's text edge (a word cut at the edge)."""
        pdf = self.pdf
        n = max(1, max(len(c) for c in cells))
        h = n * LINE_H + 2 * PAD
        top, bottom = self.y, self.y + h
        for c, color in (fills or {}).items():
            pdf.set_fill_color(*color)
            pdf.rect(XS[c], top, XS[c + 1] - XS[c], h, style="F")
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.5)
        if top_rule:
            for c in range(len(XS) - 1):
                if c not in (open_cols or set()):
                    pdf.line(XS[c], top, XS[c + 1], top)
        for x in XS:
            pdf.line(x, top, x, bottom)
        pdf.set_font("Helvetica", "B" if bold else "", SIZE)
        for c, lines in enumerate(cells):
            for i, text in enumerate(lines):
                x = XS[c] + PAD
                if right and right.get(c) == i:
                    x = XS[c + 1] - PAD - pdf.get_string_width(text)
                pdf.text(x, top + PAD + (i + 1) * LINE_H - 2.5, text)
        self.y = bottom
        return bottom

    def close_table(self) -> None:
        self.pdf.line(XS[0], self.y, XS[-1], self.y)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def three_page_plan() -> bytes:
    d = Drawer()
    d.page(1)
    d.heading("Improvement Plan 2024")
    d.para("This plan sets out the actions agreed by the board.")
    d.row([[h] for h in HEADER], bold=True)
    d.row([["1"], ["Agree the scope"], ["AB"], ["Done"]], fills={3: GREEN})
    d.row([["2"], ["Publish the leaflet"], ["CD"], []], fills={3: (255, 255, 255)})
    # row 3 is cut by the page break: the rest of its description is on page 2
    d.row([["3"], ["Train the staff in the new", "procedure and record the"], ["EF"], ["Complet", "ed"]],
          fills={3: GREEN}, right={3: 0})
    d.close_table()
    d.page(2)
    d.row([[h] for h in HEADER], bold=True)  # repeated header
    d.row([[], ["attendance of every co-", "ordinator"], [], []], fills={3: GREEN})
    d.row([["4"], ["Review the policy"], ["Team A", "(shared)"], ["On track"]])
    d.row([["5"], ["Audit twenty cases"], [], ["On track"]], open_cols={2})  # owner merged with 4
    # row 6 cut by the break to page 3
    d.row([["6"], ["Report to the", "committee on"], ["GH"], []], fills={3: (0, 112, 192)})
    d.close_table()
    d.page(3)
    d.row([[h] for h in HEADER], bold=True)
    d.row([[], ["progress each quarter"], [], []], fills={3: (0, 112, 192)})
    d.row([["7"], ["Close the plan"], ["IJ"], ["Not started"]])
    d.close_table()
    d.y += 20
    d.para("Next review: March.")
    return d.output()


@pytest.fixture(scope="module")
def plan_doc(backend):
    data = three_page_plan()
    return parse_pdf("plan.pdf", data, "0" * 64)


def test_table_over_three_pages_is_one_table(plan_doc):
    tables = plan_doc.tables()
    assert len(tables) == 1
    t = tables[0]
    assert (t.n_rows, t.n_cols) == (8, 4)  # header + 7 rows: repeated headers dropped
    assert t.row_texts(0) == HEADER
    assert [t.row_texts(r)[0] for r in range(1, 8)] == ["1", "2", "3", "4", "5", "6", "7"]


def test_rows_cut_by_each_page_break_are_joined(plan_doc):
    t = plan_doc.tables()[0]
    assert t.row_texts(3) == ["3", "Train the staff in the new procedure and record the attendance of "
                              "every co-ordinator", "EF", "Completed"]
    assert t.row_texts(6) == ["6", "Report to the committee on progress each quarter", "GH", ""]


def test_merged_cell_recovered_from_missing_rule(plan_doc):
    t = plan_doc.tables()[0]
    owner = [c for c in t.cells if c.col == 2 and c.row == 4][0]
    assert (owner.text, owner.row_span) == ("Team A (shared)", 2)
    assert t.row_texts(5)[2] == "Team A (shared)"
    assert not [c for c in t.cells if c.col == 2 and c.row == 5]


def test_fills_and_provenance(plan_doc):
    t = plan_doc.tables()[0]
    status = {c.row: c for c in t.cells if c.col == 3}
    assert status[1].fill == "00B050"
    assert status[2].fill is None  # white fill = no fill
    assert status[6].fill == "0070C0" and status[6].text == ""
    assert status[1].prov.page == 1 and status[4].prov.page == 2 and status[7].prov.page == 3
    x0, top, x1, bottom = status[1].prov.bbox
    assert (round(x0), round(x1)) == (420, 480) and bottom > top
    assert t.prov.page == 1 and round(t.prov.bbox[0]) == 40
    assert t.cells[0].bold and not status[1].bold


def test_headings_paragraphs_and_dropped_page_furniture(plan_doc):
    kinds = [(b.kind, b.text) for b in plan_doc.blocks]
    assert kinds[0] == ("heading", "Improvement Plan 2024")
    assert plan_doc.blocks[0].level == 1
    assert kinds[1] == ("paragraph", "This plan sets out the actions agreed by the board.")
    assert kinds[2][0] == "table"
    assert kinds[3] == ("paragraph", "Next review: March.")
    assert len(kinds) == 4
    text = plan_doc.text()
    assert "working copy" not in text and "DRAFT" not in text and "Page 2" not in text
    assert "running header" in plan_doc.meta["pdf_dropped"]
    assert "DRAFT" in plan_doc.meta["pdf_dropped"]
    assert plan_doc.pages == 3


def test_separate_tables_are_not_stitched():
    d = Drawer()
    d.page(1)
    d.heading("Priority 1")
    d.row([[h] for h in HEADER], bold=True)
    d.row([["1"], ["First"], ["AB"], ["Done"]])
    d.close_table()
    d.page(2)
    d.heading("Priority 2")
    d.row([[h] for h in HEADER], bold=True)
    d.row([["1"], ["Second"], ["CD"], ["Done"]])
    d.close_table()
    doc = parse_pdf("two.pdf", d.output(), "0" * 64)
    assert [t.n_rows for t in doc.tables()] == [2, 2]
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["Priority 1", "Priority 2"]


def test_new_row_at_page_top_is_not_joined():
    d = Drawer()
    d.page(1)
    d.row([[h] for h in HEADER], bold=True)
    for k in range(1, 4):
        d.row([[str(k)], [f"Action number {k}."], ["AB"], ["Done"]])
    d.close_table()
    d.page(2)
    d.row([[h] for h in HEADER], bold=True)
    d.row([["4"], ["Another action."], ["CD"], ["Done"]])
    d.close_table()
    t = parse_pdf("p.pdf", d.output(), "0" * 64).tables()[0]
    assert t.n_rows == 5
    assert t.row_texts(4) == ["4", "Another action.", "CD", "Done"]


def test_grid_spans_from_edges_alone():
    # 3x2 grid; no rule between rows 1 and 2 in column 0 -> one cell spanning two rows
    e = [Edge("h", 0, 0, 200), Edge("h", 20, 0, 200), Edge("h", 40, 100, 200), Edge("h", 60, 0, 200),
         Edge("v", 0, 0, 60), Edge("v", 100, 0, 60), Edge("v", 200, 0, 60)]
    (g,) = find_grids(e)
    assert (g.n_rows, g.n_cols) == (3, 2)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in g.cells}
    assert spans == {(0, 0): (1, 1), (0, 1): (1, 1), (1, 0): (2, 1), (1, 1): (1, 1), (2, 1): (1, 1)}


def test_color_spaces_to_rgb_hex():
    assert color_to_hex((0.0, 0.6901960784, 0.3137254901)) == "00B050"
    assert color_to_hex((0.5,)) == "808080"
    assert color_to_hex((0.0, 0.0, 0.0, 1.0)) == "000000"
    assert color_to_hex((1.0, 0.0, 1.0, 0.0)) == "00FF00"
    assert color_to_hex((1.0, 1.0, 1.0)) is None
    assert color_to_hex((0, 0, 0, 0)) is None
    assert color_to_hex(("P0",)) is None


def test_no_text_layer_is_a_parse_error():
    pdf = fpdf.FPDF(unit="pt")
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    pdf.rect(50, 50, 300, 400, style="F")  # a "scanned" page: pixels, no glyphs
    with pytest.raises(ParseError, match="no text layer"):
        parse_pdf("scan.pdf", bytes(pdf.output()), "0" * 64)


def test_encrypted_pdfs():
    def make(user: str) -> bytes:
        pdf = fpdf.FPDF(unit="pt")
        pdf.set_encryption(owner_password="owner", user_password=user)
        pdf.add_page()
        pdf.set_font("Helvetica", "", 12)
        pdf.text(50, 80, "Secret plan")
        return bytes(pdf.output())

    doc = parse_pdf("open.pdf", make(""), "0" * 64)
    assert [b.text for b in doc.blocks] == ["Secret plan"]
    with pytest.raises(ParseError, match="encrypted PDF: password required"):
        parse_pdf("locked.pdf", make("secret"), "0" * 64)


@pytest.mark.parametrize("data", [b"", b"hello world", b"%PDF-1.7\n%garbage\n" + b"\x00" * 200,
                                  three_page_plan()[:2000]])
def test_corrupt_input_raises_parse_error_only(data):
    with pytest.raises(ParseError):
        parse_pdf("bad.pdf", data, "0" * 64)


def test_unruled_table_from_aligned_columns_and_prose_left_alone():
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    y = 80.0
    for line in ("The board agreed the following actions at its meeting in May. Progress will be",
                 "reported to the next meeting of the committee, with any slippage explained."):
        pdf.text(40, y, line)
        y += 13
    y += 20
    cols = [40, 90, 300, 420]
    rows = [["Ref", "Action", "Owner", "Due"], ["1", "Agree the scope", "AB", "May"],
            ["2", "Publish the leaflet", "CD", "June"], ["", "for families", "", ""],
            ["3", "Train the staff", "EF", "July"]]
    for row in rows:
        for x, text in zip(cols, row, strict=True):
            if text:
                pdf.text(x, y, text)
        y += 13
    pdf.set_font("Helvetica", "B", 60)
    pdf.text(150, 600, "DRAFT")  # a huge stamp, upright
    doc = parse_pdf("u.pdf", bytes(pdf.output()), "0" * 64)
    (t,) = doc.tables()
    assert (t.n_rows, t.n_cols) == (4, 4)
    assert t.row_texts(0) == ["Ref", "Action", "Owner", "Due"]
    assert t.row_texts(2) == ["2", "Publish the leaflet for families", "CD", "June"]
    assert doc.blocks[0].kind == "paragraph" and doc.blocks[0].text.endswith("slippage explained.")
    assert "DRAFT" not in doc.text() and "DRAFT" in doc.meta["pdf_dropped"]


def test_merged_cell_running_over_a_page_break_stays_one_cell():
    d = Drawer()
    d.page(1)
    d.row([[h] for h in HEADER], bold=True)
    d.row([["1"], ["Draft the strategy."], ["Policy team"], ["Done"]])
    d.row([["2"], ["Consult on it."], [], ["Done"]], open_cols={2})  # owner merged over 1-2
    d.row([["3"], ["Sign it off."], ["Board"], ["Done"]])
    d.close_table()
    d.page(2)
    d.row([[h] for h in HEADER], bold=True)
    d.row([["4"], ["Publish it."], [], ["Due"]])  # ruled, empty: Board's cell was one row
    d.close_table()
    d.page(3)
    d.row([[h] for h in HEADER], bold=True)
    d.row([["5"], ["Review it."], ["Audit"], ["Due"]])
    d.row([["6"], ["Report on it."], [], ["Due"]], open_cols={2})
    d.close_table()
    d.page(4)
    d.row([[h] for h in HEADER], bold=True)
    d.row([["7"], ["Close it."], [], ["Due"]])  # continues the merged Audit cell of page 3
    d.close_table()
    t = parse_pdf("m.pdf", d.output(), "0" * 64).tables()[0]
    assert t.n_rows == 8
    assert [t.row_texts(r)[2] for r in range(1, 8)] == [
        "Policy team", "Policy team", "Board", "", "Audit", "Audit", "Audit"]
    audit = [c for c in t.cells if c.text == "Audit"][0]
    assert (audit.row, audit.row_span, audit.prov.page) == (5, 3, 3)
