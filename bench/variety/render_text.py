"""Doc -> plain text, space-aligned text (as `pdftotext -layout` prints a table), CSV/TSV
exports, and PPTX slide decks (python-pptx); and PDF through LibreOffice."""

from __future__ import annotations

import csv
import shutil
import subprocess
import textwrap
from pathlib import Path

from bench.variety.model import Doc, Table

PAGE_LINES = 56


def render_plain(doc: Doc, path: Path) -> None:
    """Headings and paragraphs as lines (the labelled-block style); tables tab-separated."""
    out = [doc.title, ""]
    for sheet in doc.sheets:
        for b in sheet.blocks:
            if b.table is not None:
                out.append("\t".join(c.header for c in b.table.cols))
                for row in b.table.rows:
                    out.append(row.text if row.kind != "data" else "\t".join(c.text for c in row.cells))
            else:
                out.append(b.text)
            out.append("")
    path.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")


def _layout_rows(table: Table, width: int) -> tuple[list[str], list[list[str]], list[int]]:
    total = sum(c.width for c in table.cols)
    widths = [max(6, int(width * c.width / total) - 2) for c in table.cols]
    head = _wrap_row([c.header for c in table.cols], widths)
    rows = []
    for row in table.rows:
        if row.kind != "data":
            rows.append(textwrap.wrap(row.text, width - 2) or [""])
        else:
            rows.append(_wrap_row([c.text for c in row.cells], widths))
    return head, rows, widths


def _wrap_row(texts: list[str], widths: list[int]) -> list[str]:
    cols = [textwrap.wrap(t, w) or [""] for t, w in zip(texts, widths, strict=True)]
    n = max(len(c) for c in cols)
    lines = []
    for i in range(n):
        parts = [(c[i] if i < len(c) else "").ljust(w) for c, w in zip(cols, widths, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return lines


def _layout_pages(doc: Doc, width: int) -> list[list[str]]:
    pages: list[list[str]] = [[doc.title.center(width).rstrip(), ""]]
    for sheet in doc.sheets:
        for b in sheet.blocks:
            if b.table is None:
                pages[-1] += [b.text, ""]
                continue
            head, rows, _ = _layout_rows(b.table, width)
            pages[-1] += head + [""]
            for lines in rows:
                if len(pages[-1]) + len(lines) > PAGE_LINES:
                    pages.append(head + [""])
                pages[-1] += lines + [""]
    return pages


def render_layout(doc: Doc, path: Path, width: int = 170) -> None:
    """Space-aligned columns, wrapped cells, the header repeated on every page, form feeds."""
    pages = _layout_pages(doc, width)
    n = len(pages)
    text = "\f".join("\n".join(p + ["", f"Page {i + 1} of {n}".rjust(width)]) + "\n" for i, p in enumerate(pages))
    path.write_text(text, encoding="utf-8")


def render_layout_pdf(doc: Doc, path: Path, width: int = 170) -> None:
    """The same layout drawn as a PDF (fpdf2, Courier, no ruling lines): an unruled table
    whose columns are only whitespace, as many report generators print them."""
    from fpdf import FPDF

    pages = _layout_pages(doc, width)
    pdf = FPDF(orientation="L", unit="mm", format="A3")
    pdf.set_auto_page_break(False)
    for i, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Courier", size=8.5)
        for k, line in enumerate(lines + ["", f"Page {i} of {len(pages)}".rjust(width)]):
            pdf.text(12, 14 + k * 4.6, line.encode("latin-1", "replace").decode("latin-1"))
    pdf.output(str(path))


def render_csv(doc: Doc, path: Path, delimiter: str = ",") -> None:
    """The data rows of every table under one header row (an export from a performance system)."""
    tables = [b.table for s in doc.sheets for b in s.blocks if b.table is not None]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow([c.header for c in tables[0].cols])
        for t in tables:
            for row in t.rows:
                if row.kind == "data":
                    w.writerow([c.text for c in row.cells])


def render_pptx(doc: Doc, path: Path) -> None:
    """One slide per sheet: the slide title, then one table whose first row is a banner."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.33), Inches(7.5)
    for sheet in doc.sheets:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = sheet.slide_title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(24)
        table = next(b.table for b in sheet.blocks if b.table is not None)
        n_rows = 1 + len(table.rows)
        shape = slide.shapes.add_table(n_rows, len(table.cols), Inches(0.4), Inches(1.4), Inches(12.5),
                                       Inches(0.3 * n_rows))
        t = shape.table
        total = sum(c.width for c in table.cols)
        for i, col in enumerate(table.cols):
            t.columns[i].width = int(Inches(12.5) * col.width / total)
            t.cell(0, i).text = col.header
        for ri, row in enumerate(table.rows, start=1):
            if row.kind != "data":
                t.cell(ri, 0).merge(t.cell(ri, len(table.cols) - 1))
                t.cell(ri, 0).text = row.text
                continue
            for ci, c in enumerate(row.cells):
                cell = t.cell(ri, ci)
                cell.text = c.text
                if c.fill:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(c.fill)
        for r in range(n_rows):
            for ci in range(len(table.cols)):
                for p in t.cell(r, ci).text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(10)
    prs.save(str(path))


def to_pdf(files: list[Path], outdir: Path, profile: Path) -> None:
    """Convert office files to PDF with LibreOffice, in one soffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) not found: install libreoffice-*-nogui to render PDFs")
    if not files:
        return
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(outdir)] + [str(f) for f in files]
    subprocess.run(cmd, check=True, capture_output=True, timeout=900)
