"""Doc -> XLSX (openpyxl): one worksheet per sheet, title rows above the table, the table
possibly starting in column B, group headers merged over their columns, banner and update rows
merged across, real date cells with their number format, fills and font colours, print
settings that fit the width and repeat the header rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bench.variety.model import Cell, Doc, Table

WRAP = Alignment(wrap_text=True, vertical="top")


def _put(ws, r: int, c: int, cell: Cell, wrap: bool = True) -> None:
    x = ws.cell(row=r, column=c, value=cell.value if cell.value is not None else (cell.text or None))
    if wrap:
        x.alignment = WRAP
    if cell.number_format:
        x.number_format = cell.number_format
    if cell.fill:
        x.fill = PatternFill("solid", start_color=cell.fill, end_color=cell.fill)
    if cell.colour or cell.bold:
        x.font = Font(bold=cell.bold, color=cell.colour or None)


def _header(ws, table: Table, r: int, c0: int) -> int:
    grouped = any(c.group for c in table.cols)
    fill = table.header_fill
    for i, col in enumerate(table.cols):
        c = c0 + i
        if grouped and col.group:
            _put(ws, r + 1, c, Cell(col.header, bold=True, fill=fill))
            first = i == 0 or table.cols[i - 1].group != col.group
            if first:
                j = i
                while j + 1 < len(table.cols) and table.cols[j + 1].group == col.group:
                    j += 1
                _put(ws, r, c, Cell(col.group, bold=True, fill=fill))
                if j > i:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c0 + j)
        else:
            _put(ws, r, c, Cell(col.header, bold=True, fill=fill))
            if grouped:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
    return r + (2 if grouped else 1)


def _height(ws, r: int, texts: list[tuple[int, str]]) -> None:
    """Row height from the wrapped line count (LibreOffice keeps Excel's default height)."""
    lines = 1
    for c, text in texts:
        width = ws.column_dimensions[get_column_letter(c)].width or 10
        lines = max(lines, -(-len(text) * 11 // (10 * int(width))))
    ws.row_dimensions[r].height = 13 * lines + 2


def _table(ws, table: Table, r: int, c0: int) -> int:
    head = r
    r = _header(ws, table, r, c0)
    ws.print_title_rows = f"{head}:{r - 1}"
    n = len(table.cols)
    runs: dict[int, tuple[int, str]] = {}
    for row in table.rows:
        if row.kind != "data":
            _close(ws, runs, r, c0)
            _put(ws, r, c0, Cell(row.text, bold=row.kind == "banner"))
            ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c0 + n - 1)
            r += 1
            continue
        for ci, cell in enumerate(row.cells):
            if table.cols[ci].key in table.merge:
                top = runs.get(ci)
                if top and top[1] == cell.text:
                    continue
                _close(ws, {ci: top} if top else {}, r, c0)
                runs[ci] = (r, cell.text)
            _put(ws, r, c0 + ci, cell)
        _height(ws, r, [(c0 + ci, cell.text) for ci, cell in enumerate(row.cells)])
        r += 1
    _close(ws, runs, r, c0)
    return r + 1


def _close(ws, runs: dict, r: int, c0: int) -> None:
    for ci, (top, _) in list(runs.items()):
        if r - 1 > top:
            ws.merge_cells(start_row=top, start_column=c0 + ci, end_row=r - 1, end_column=c0 + ci)
        runs.pop(ci, None)


def render_xlsx(doc: Doc, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in doc.sheets:
        ws = wb.create_sheet(sheet.name[:31])
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        r, c0 = 1, sheet.start_col
        for b in sheet.blocks:
            if b.table is not None:
                total = sum(c.width for c in b.table.cols)
                for i, col in enumerate(b.table.cols):
                    ws.column_dimensions[get_column_letter(c0 + i)].width = max(8.0, 150 * col.width / total)
                r = _table(ws, b.table, r, c0)
            else:
                _put(ws, r, c0, Cell(b.text, bold=b.kind == "heading"), wrap=False)
                r += 1 if b.kind == "heading" else 2
    wb.save(str(path))
