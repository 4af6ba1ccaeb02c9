"""Doc -> DOCX (python-docx): headings, paragraphs and tables with two-row group headers,
full-width banner and update rows, vertically merged cells, shading and coloured glyphs, and
header rows marked to repeat on every page."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from bench.variety.model import Cell, Doc, Table


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _write(cell, c: Cell, size: float) -> None:
    p = cell.paragraphs[0]
    run = p.add_run(c.text)
    run.font.size = Pt(size)
    run.bold = c.bold
    if c.colour:
        run.font.color.rgb = RGBColor.from_string(c.colour)
    if c.fill:
        _shade(cell, c.fill)


def _groups(table: Table) -> list[tuple[int, int, str]]:
    """Runs of consecutive columns sharing a group label: (first, last, label)."""
    out: list[tuple[int, int, str]] = []
    for i, col in enumerate(table.cols):
        if col.group and out and out[-1][2] == col.group and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i, col.group)
        elif col.group:
            out.append((i, i, col.group))
    return out


def _header(t, table: Table, size: float) -> int:
    groups = _groups(table)
    n = 2 if groups else 1
    for i, col in enumerate(table.cols):
        if col.group:
            _write(t.cell(1, i), Cell(col.header, bold=True), size)
        else:
            top = t.cell(0, i).merge(t.cell(1, i)) if groups else t.cell(0, i)
            _write(top, Cell(col.header, bold=True), size)
    for first, last, label in groups:
        merged = t.cell(0, first).merge(t.cell(0, last)) if last > first else t.cell(0, first)
        _write(merged, Cell(label, bold=True), size)
    for r in range(n):
        if table.header_fill:
            for i in range(len(table.cols)):
                _shade(t.cell(r, i), table.header_fill)
        if table.repeat_header:
            _repeat(t.rows[r])
    return n


def _merge_runs(t, table: Table, first: int) -> None:
    """Vertically merge equal consecutive cells of the `merge` columns (text kept once)."""
    for ci, col in enumerate(table.cols):
        if col.key not in table.merge:
            continue
        start = None
        prev = None
        for ri, row in enumerate([*table.rows, None]):
            text = row.cells[ci].text if row is not None and row.kind == "data" else None
            if text != prev or text is None:
                if start is not None and ri - 1 > start:
                    t.cell(first + start, ci).merge(t.cell(first + ri - 1, ci))
                start = ri if text is not None else None
            prev = text


def _table(d, table: Table, size: float) -> None:
    nh = 2 if any(c.group for c in table.cols) else 1
    t = d.add_table(rows=nh + len(table.rows), cols=len(table.cols))
    t.style = "Table Grid"
    total = sum(c.width for c in table.cols)
    t.autofit = False
    for i, col in enumerate(table.cols):
        t.columns[i].width = Cm(24.0 * col.width / total)
        for cell in t.columns[i].cells:
            cell.width = Cm(24.0 * col.width / total)
    first = _header(t, table, size)
    seen: dict[int, str] = {}
    for ri, row in enumerate(table.rows):
        r = first + ri
        if row.kind != "data":
            merged = t.cell(r, 0).merge(t.cell(r, len(table.cols) - 1))
            _write(merged, Cell(row.text, bold=row.kind == "banner"), size)
            seen.clear()
            continue
        for ci, c in enumerate(row.cells):
            col = table.cols[ci]
            if col.key in table.merge and seen.get(ci) == c.text:
                continue  # the merged cell's text is written once, at its top
            seen[ci] = c.text
            _write(t.cell(r, ci), c, size)
    _merge_runs(t, table, first)


def render_docx(doc: Doc, path: Path) -> None:
    d = Document()
    sec = d.sections[0]
    if doc.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.5))
    d.styles["Normal"].font.size = Pt(doc.font_size + 1)
    d.add_heading(doc.title, 0)
    for si, sheet in enumerate(doc.sheets):
        if si:
            d.add_page_break()
        for b in sheet.blocks:
            if b.kind == "heading":
                d.add_heading(b.text, b.level)
            elif b.kind == "para":
                d.add_paragraph(b.text)
            elif b.table is not None:
                _table(d, b.table, doc.font_size)
                d.add_paragraph("")
    d.save(str(path))
