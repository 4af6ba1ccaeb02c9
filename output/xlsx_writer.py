"""One workbook, one sheet per table, for people who live in Excel.

Text is never changed: every text cell is written as a string cell (``data_type`` "s"),
so Excel shows "=1+1" or "- on track" as text and never runs it, without the apostrophe a CSV
needs.  Only characters XML cannot hold (control codes left by some DOCX files) are dropped and text
beyond Excel's 32,767-character cell limit is cut, because either would otherwise make
openpyxl fail or Excel "repair" the file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .atomic import StagedFiles, atomic_path
from .tables import TableData

WORKBOOK_NAME = "plantrail.xlsx"
EXCEL_CELL_LIMIT = 32767
_CUT_MARK = " [...cut]"


def dump(path: Path, tables: list[TableData]) -> None:
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for t in tables:
        ws = wb.create_sheet(title=t.name[:31])
        ws.freeze_panes = "A2"
        header = []
        for c in t.columns:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in t.rows:
            ws.append([_cell(ws, row.get(c)) for c in t.columns])
    if not tables:
        wb.create_sheet(title="documents")
    wb.save(path)


def _cell(ws: Any, v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, dt.date)):
        return v
    text = ILLEGAL_CHARACTERS_RE.sub("", str(v))
    if len(text) > EXCEL_CELL_LIMIT - 1:
        text = text[: EXCEL_CELL_LIMIT - 1 - len(_CUT_MARK)] + _CUT_MARK
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # never a formula, whatever the text
    return cell


def stage(staged: StagedFiles, tables: list[TableData]) -> None:
    dump(staged.stage(WORKBOOK_NAME), tables)


def write_xlsx(out_dir: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], columns: list[str],
               types: dict[str, str] | None = None) -> Path:
    """Write ``name``.xlsx (one sheet named ``name``) atomically; returns its path."""
    final = Path(out_dir) / (name + ".xlsx")
    with atomic_path(final) as tmp:
        dump(tmp, [TableData(name, list(columns), rows, dict(types or {}))])
    return final
