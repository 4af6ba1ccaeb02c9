"""Excel (.xlsx/.xlsm) workbooks into the document model.

Cells are streamed with openpyxl in read-only mode (a 100k-row tracker must not be held as
openpyxl cell objects) with ``data_only=True``, so formulas give the value Excel cached when it
last saved the file (a formula never recalculated has no value and reads as "").  Read-only
worksheets do not expose merged ranges, so those are read straight from each sheet's XML
``<mergeCells>``.  Fills and bold come from the cell's style record; theme and indexed colours
are resolved to RGB here, because the normaliser reads RAG status from the colour alone when a
cell has no text.

Layout rule, kept simple on purpose: a visible sheet's used range (trimmed of empty edges) is
ONE table, except that rows at the top with a single non-empty cell (title banner, a key line)
come out as heading/paragraph blocks before it.  One-cell section rows inside the table stay
table rows; the normaliser knows what they mean.  Hidden sheets are listed in
``Document.sheets`` and named in a warning but not read: they hold lookups and old copies.

Not read: conditional formatting (colours computed from rules), rich-text runs inside a cell,
comments, charts and chart sheets, data validation lists, pictures.

Table cells are sparse: positions with no text, no fill and no merge have no Cell
(``Table.grid()`` gives None there), so a wide, mostly empty sheet stays small.  Cell
``row``/``col`` are 0-based within the table; ``prov.cell`` is the A1 address on the sheet and
``Table.prov.cell`` the table's A1 range.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter, range_boundaries

from .model import Block, Cell, Document, ParseError, Provenance, SheetInfo, Table
from .ooxml import XLSX_THEME_ORDER, apply_tint, normalise_fill, open_zip, theme_colors

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)[\"']")


def parse_xlsx(path: str, data: bytes, sha256: str) -> Document:
    zf = open_zip(data, "XLSX", required=("[Content_Types].xml",))
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except ParseError:
        raise
    except Exception as e:  # openpyxl: InvalidFileException, KeyError, lxml and value errors
        raise ParseError(f"unreadable XLSX: {_reason(e)}") from None
    doc = Document(path=path, sha256=sha256, format="xlsx")
    try:
        _meta(wb, doc)
        styles = _StyleCache(wb)
        hidden: list[str] = []
        n_tables = 0
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                hidden.append(ws.title)
                doc.sheets.append(SheetInfo(ws.title, hidden=True, rows=_dim(ws.max_row),
                                            cols=_dim(ws.max_column)))
                continue
            merges = _merged_ranges(zf, getattr(ws, "_worksheet_path", None))
            info, blocks = _read_sheet(ws, merges, styles, n_tables)
            doc.sheets.append(info)
            doc.blocks.extend(blocks)
            n_tables += sum(1 for b in blocks if b.kind == "table")
        if hidden:
            doc.warnings.append("hidden sheets not parsed: " + ", ".join(hidden))
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        raise ParseError("corrupt XLSX: damaged zip member") from None
    except Exception as e:  # malformed sheet XML surfaces only while streaming
        raise ParseError(f"unreadable XLSX content: {_reason(e)}") from None
    finally:
        wb.close()
    if not doc.blocks:
        doc.warnings.append("no cell content")
    return doc


def _reason(e: Exception) -> str:
    msg = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {msg}"[:200]


def _dim(v) -> int:
    return v if isinstance(v, int) else 0


def _meta(wb, doc: Document) -> None:
    p = wb.properties
    for key, val in (("title", p.title), ("author", p.creator), ("created", p.created),
                     ("modified", p.modified)):
        if val:
            doc.meta[key] = val.isoformat() if hasattr(val, "isoformat") else str(val)


def _merged_ranges(zf: zipfile.ZipFile, member: str | None) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, from the sheet XML.  A regex over the
    streamed bytes is enough (``<`` cannot occur unescaped in cell text) and is far cheaper
    than parsing a 100k-row sheet a second time."""
    if not member:
        return []
    name = member.lstrip("/")
    if name not in zf.namelist():
        return []
    refs: set[bytes] = set()
    tail = b""
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            refs.update(_MERGE.findall(buf))
            tail = buf[-512:]
    out = []
    for ref in sorted(refs):
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
        except (ValueError, TypeError):
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue
        if (max_row - min_row) or (max_col - min_col):
            out.append((min_row, min_col, max_row, max_col))
    return out


# ---------------------------------------------------------------------------------------------
# Styles and colours


class _StyleCache:
    """(bold, fill) per style index, resolved once: a sheet has thousands of cells but a
    handful of styles."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.theme = theme_colors(getattr(wb, "loaded_theme", None))
        custom = getattr(wb, "_colors", None)
        from openpyxl.styles.colors import COLOR_INDEX

        self.indexed = list(custom) if custom else list(COLOR_INDEX)
        self.cache: dict[int, tuple[bool, str | None, float]] = {}

    def get(self, cell) -> tuple[bool, str | None, float]:
        """(bold, fill, font size) of a ReadOnlyCell."""
        sid = getattr(cell, "_style_id", 0)
        hit = self.cache.get(sid)
        if hit is None:
            try:
                font = cell.font
                bold = bool(font.b) if font is not None else False
                size = float(font.sz) if font is not None and font.sz else 0.0
                fill = self.fill(cell.fill)
            except (IndexError, AttributeError, TypeError, ValueError):
                bold, fill, size = False, None, 0.0
            hit = self.cache[sid] = (bold, fill, size)
        return hit

    def fill(self, fill) -> str | None:
        if fill is None:
            return None
        if getattr(fill, "tagname", "") == "gradientFill":
            stops = getattr(fill, "stop", None) or []
            return self.color(stops[0].color) if stops else None
        if not getattr(fill, "fill_type", None):  # patternType none: no fill at all
            return None
        return self.color(fill.fgColor)

    def color(self, c) -> str | None:
        if c is None:
            return None
        kind = getattr(c, "type", None)
        rgb: str | None = None
        if kind == "rgb":
            rgb = c.rgb if isinstance(c.rgb, str) else None
        elif kind == "theme":
            idx = c.theme
            if isinstance(idx, int) and 0 <= idx < len(XLSX_THEME_ORDER):
                rgb = self.theme.get(XLSX_THEME_ORDER[idx])
        elif kind == "indexed":
            idx = c.indexed
            # 64/65 are "system foreground/background": no colour of the cell's own
            if isinstance(idx, int) and 0 <= idx < len(self.indexed) and idx < 64:
                rgb = self.indexed[idx]
        if not rgb:
            return None
        rgb = rgb[-6:]
        tint = getattr(c, "tint", 0.0) or 0.0
        if tint:
            try:
                rgb = apply_tint(rgb, float(tint))
            except ValueError:
                return None
        return normalise_fill(rgb)


# ---------------------------------------------------------------------------------------------
# Values


def cell_text(v) -> str:
    """A cell value as the text a reader would quote: ISO dates, integers without ".0",
    15 significant digits for other numbers (what Excel shows), "" for empty."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
            return v.date().isoformat()
        return v.isoformat(timespec="seconds")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (float, Decimal)):
        f = float(v)
        if f != f or f in (float("inf"), float("-inf")):
            return str(v)
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        return format(f, ".15g")
    if isinstance(v, dt.timedelta):
        return str(v)
    return str(v).strip()


# ---------------------------------------------------------------------------------------------
# Sheets


@dataclass
class _Raw:
    row: int  # 1-based sheet coordinates
    col: int
    text: str
    bold: bool
    fill: str | None
    size: float


def _read_sheet(ws, merges: list[tuple[int, int, int, int]], styles: _StyleCache,
                table_index: int) -> tuple[SheetInfo, list[Block]]:
    name = ws.title
    covered: dict[tuple[int, int], tuple[int, int]] = {}  # position -> merge anchor
    anchors = {(m[0], m[1]): m for m in merges}
    for r1, c1, r2, c2 in merges:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:  # a whole-column merge: keep the anchor only
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    covered[(r, c)] = (r1, c1)

    raws: dict[tuple[int, int], _Raw] = {}
    hidden_text: dict[tuple[int, int], list[str]] = {}
    ws.reset_dimensions()  # the <dimension> element is often wrong; stream what is there
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None and not getattr(cell, "has_style", False):
                continue
            r, c = cell.row, cell.column
            text = cell_text(value)
            bold, fill, size = styles.get(cell)
            if (r, c) in covered:
                if text:
                    hidden_text.setdefault(covered[(r, c)], []).append(text)
                continue
            if text or fill or (r, c) in anchors:
                raws[(r, c)] = _Raw(r, c, text, bold, fill, size)
    for pos, texts in hidden_text.items():  # text under a merge: keep the words
        raw = raws.get(pos) or raws.setdefault(pos, _Raw(pos[0], pos[1], "", False, None, 0.0))
        raw.text = "\n".join([raw.text, *texts]) if raw.text else "\n".join(texts)

    texted = [k for k, v in raws.items() if v.text]
    if not texted:
        return SheetInfo(name, rows=0, cols=0), []
    top = min(r for r, _ in texted)
    bottom = max(r for r, _ in texted)
    left = min(c for _, c in texted)
    right = max(c for _, c in texted)
    info = SheetInfo(name, rows=bottom - top + 1, cols=right - left + 1)

    # banner rows: leading rows with one non-empty cell, while a wider row follows
    per_row: dict[int, list[_Raw]] = {}
    for (r, _), raw in raws.items():
        if raw.text:
            per_row.setdefault(r, []).append(raw)
    first_wide = next((r for r in sorted(per_row) if len(per_row[r]) >= 2), None)
    blocks: list[Block] = []
    table_top = top
    if first_wide is not None:
        default_size = _default_size(raws.values())
        for r in sorted(per_row):
            if r >= first_wide:
                break
            raw = per_row[r][0]
            prov = Provenance(sheet=name, cell=f"{get_column_letter(raw.col)}{raw.row}")
            big = raw.size > default_size
            if not blocks or raw.bold or big:
                blocks.append(Block("heading", raw.text, level=1, bold=raw.bold, prov=prov))
            else:
                blocks.append(Block("paragraph", raw.text, bold=raw.bold, prov=prov))
        table_top = first_wide

    # the table: the rest of the used range, columns trimmed to the table rows
    body = [raw for (r, _), raw in raws.items() if r >= table_top]
    tleft = min(raw.col for raw in body if raw.text)
    tright = max(raw.col for raw in body if raw.text)
    cells: list[Cell] = []
    for raw in sorted(body, key=lambda x: (x.row, x.col)):
        if not (tleft <= raw.col <= tright) or raw.row > bottom:
            continue
        m = anchors.get((raw.row, raw.col))
        row_span = col_span = 1
        if m:
            row_span = min(m[2], bottom) - m[0] + 1
            col_span = min(m[3], tright) - m[1] + 1
        cells.append(Cell(
            row=raw.row - table_top, col=raw.col - tleft, text=raw.text, row_span=row_span,
            col_span=col_span, bold=raw.bold, fill=raw.fill,
            prov=Provenance(sheet=name, cell=f"{get_column_letter(raw.col)}{raw.row}")))
    ref = f"{get_column_letter(tleft)}{table_top}:{get_column_letter(tright)}{bottom}"
    table = Table(cells=cells, n_rows=bottom - table_top + 1, n_cols=tright - tleft + 1,
                  index=table_index, prov=Provenance(sheet=name, cell=ref))
    blocks.append(Block("table", table=table, prov=table.prov))
    return info, blocks


def _default_size(raws) -> float:
    """The most common font size among text cells: banners in a bigger font are titles."""
    counts: dict[float, int] = {}
    for raw in raws:
        if raw.text:
            counts[raw.size] = counts.get(raw.size, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else 0.0
