"""Excel (.xlsx/.xlsm) workbooks into the document model.

openpyxl opens the workbook in read-only mode with ``data_only=True`` and supplies what is
workbook-wide: sheet list and state, shared strings, styles, date formats, theme.  The cells
of each sheet are then streamed with one lxml ``iterparse`` pass over the sheet XML that also
collects ``<mergeCells>`` (read-only worksheets do not expose merges).  That pass is ours rather
than openpyxl's ``iter_rows`` because openpyxl's pure-Python cell parser takes ~30 us per cell,
i.e. 10 s for a 100k-row tracker; this one is several times faster, and memory stays flat
because elements are cleared as they stream.  Values follow openpyxl's rules (cached formula
results, so a formula never recalculated reads as ""; dates by number format, both epochs).
Fills and bold come from the cell's style record; theme and indexed colours are resolved to RGB
here, because the normaliser reads RAG status from the colour alone when a cell has no text.

Layout rule (:mod:`.sheet_layout`, shared with the .xls parser), kept simple on purpose: a
visible sheet's used range (trimmed of empty edges) is ONE table, except that rows at the top
with a single non-empty cell (title banner, a key line) come out as heading/paragraph blocks
before it.  One-cell section rows inside the table stay
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
from decimal import Decimal

from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601

from .colors import font_color
from .model import Block, Document, ParseError, SheetInfo
from .ooxml import XLSX_THEME_ORDER, apply_tint, normalise_fill, open_zip, theme_colors
from .sheet_layout import add_sheets, fold_merges, layout_sheet

_DIGITS = "0123456789"


def parse_xlsx(path: str, data: bytes, sha256: str) -> Document:
    zf = open_zip(data, "XLSX", required=("[Content_Types].xml",))
    try:
        wb, sheets, shared = _open_workbook(data)
    except ParseError:
        raise
    except Exception as e:  # openpyxl: InvalidFileException, KeyError, lxml and value errors
        raise ParseError(f"unreadable XLSX: {_reason(e)}") from None
    doc = Document(path=path, sha256=sha256, format="xlsx")
    try:
        _meta(wb, doc)
        styles = _StyleCache(wb)
        # a hidden sheet is not read: its size comes from its <dimension> alone
        add_sheets(doc, (_read_sheet(name, member, zf, shared, wb, styles) if state == "visible"
                         else (SheetInfo(name, True, *_declared_size(zf, member)), [])
                         for name, state, member in sheets))
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        raise ParseError("corrupt XLSX: damaged zip member") from None
    except Exception as e:  # malformed sheet XML surfaces only while streaming
        raise ParseError(f"unreadable XLSX content: {_reason(e)}") from None
    if not doc.blocks:
        doc.warnings.append("no cell content")
    return doc


def _open_workbook(data: bytes):
    """openpyxl's read-only loader minus its per-sheet size scan: ``load_workbook`` builds a
    ReadOnlyWorksheet per sheet, and each one parses its whole sheet XML when the file has no
    ``<dimension>`` (openpyxl's own write-only output, many exporters) -- a second full pass
    we do not need.  Returns (workbook with styles/theme/properties, [(name, state, part)],
    shared strings)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    reader.read_properties()
    reader.read_theme()
    apply_stylesheet(reader.archive, reader.wb)
    sheets = []
    for sheet, rel in reader.parser.find_sheets():
        if "chartsheet" in (rel.Type or "") or rel.target not in reader.valid_files:
            continue
        sheets.append((sheet.name, sheet.state or "visible", rel.target))
    reader.archive.close()
    return reader.wb, sheets, reader.shared_strings


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']+)[\"']")


def _declared_size(zf: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """Rows/cols from a sheet's ``<dimension>`` (first few KB only): enough to list a sheet
    we do not read; (0, 0) when absent."""
    try:
        with zf.open(member.lstrip("/")) as fh:
            head = fh.read(8192)
    except (KeyError, zipfile.BadZipFile):
        return 0, 0
    m = _DIMENSION.search(head)
    if not m:
        return 0, 0
    try:
        c1, r1, c2, r2 = range_boundaries(m.group(1).decode("ascii", "replace"))
    except (ValueError, TypeError):
        return 0, 0
    if r1 is None or c1 is None:
        return 0, 0
    return (r2 or r1) - r1 + 1, (c2 or c1) - c1 + 1


def _reason(e: Exception) -> str:
    msg = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {msg}"[:200]


def _meta(wb, doc: Document) -> None:
    p = wb.properties
    for key, val in (("title", p.title), ("author", p.creator), ("created", p.created),
                     ("modified", p.modified)):
        if val:
            doc.meta[key] = val.isoformat() if hasattr(val, "isoformat") else str(val)


# ---------------------------------------------------------------------------------------------
# Styles and colours


_Style = tuple[bool, str | None, float, str | None, str | None]
_PLAIN: _Style = (False, None, 0.0, None, None)


class _StyleCache:
    """(bold, fill, font size, font colour, number format) per style index, resolved once: a
    sheet has thousands of cells but a handful of styles."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.theme = theme_colors(getattr(wb, "loaded_theme", None))
        custom = getattr(wb, "_colors", None)
        from openpyxl.styles.colors import COLOR_INDEX

        self.indexed = list(custom) if custom else list(COLOR_INDEX)
        self.cache: dict[int, _Style] = {}

    def get(self, sid: int) -> _Style:
        """(bold, fill, font size, font colour, number format) of the cellXfs record ``sid``."""
        hit = self.cache.get(sid)
        if hit is None:
            try:
                xf = self.wb._cell_styles[sid]
                font = self.wb._fonts[xf.fontId]
                hit = (bool(font.b), self.fill(self.wb._fills[xf.fillId]),
                       float(font.sz) if font.sz else 0.0, font_color(self.rgb(font.color)),
                       _format_code(self.wb, sid) or None)
            except (IndexError, AttributeError, TypeError, ValueError):
                hit = _PLAIN
            self.cache[sid] = hit
        return hit

    def fill(self, fill) -> str | None:
        if fill is None:
            return None
        if getattr(fill, "tagname", "") == "gradientFill":
            stops = getattr(fill, "stop", None) or []
            return self.color(stops[0].color) if stops else None
        if not getattr(fill, "fill_type", None):  # patternType none: no fill at all
            return None
        fg = fill.fgColor
        # openpyxl's stand-in for an absent fgColor is rgb "00000000"; reading it as black
        # would paint every gray125 (the mandatory second fill) and colourless pattern black
        if getattr(fg, "type", None) == "rgb" and fg.rgb == "00000000":
            return None
        return self.color(fg)

    def color(self, c) -> str | None:
        """A fill colour: "RRGGBB", None for white or none."""
        return normalise_fill(self.rgb(c))

    def rgb(self, c) -> str | None:
        """The RGB hex a colour reference (rgb, theme with tint, indexed) resolves to."""
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
        return rgb


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
# Streaming the sheet XML


class _CellReader:
    """(row, col, value, style id) for every ``<c>`` of a sheet, and its merged ranges, in one
    iterparse pass.  Value rules are openpyxl's (``WorkSheetParser.parse_cell``) with
    ``data_only``: the cached ``<v>`` of a formula, shared/inline strings, booleans, errors as
    their text, serial numbers as dates when the style's number format is a date."""

    def __init__(self, shared: list, wb) -> None:
        self.shared = shared
        self.date_styles = set(getattr(wb, "_date_formats", None) or ())
        self.timedelta_styles = set(getattr(wb, "_timedelta_formats", None) or ())
        self.month_styles = {sid for sid in self.date_styles if _shows_no_day(_format_code(wb, sid))}
        self.epoch = wb.epoch

    def cells(self, fh, merge_refs: list[str]):
        from lxml import etree

        pos = _Position()
        local: dict[str, str] = {}  # qualified tag -> local name, so any namespace works
        events = etree.iterparse(fh, events=("end",), tag=("{*}row", "{*}c", "{*}mergeCell"),
                                 huge_tree=True, resolve_entities=False, no_network=True)
        for _, el in events:
            tag = el.tag
            name = local.get(tag)
            if name is None:
                name = local[tag] = tag.rpartition("}")[2]
            if name == "c":
                row_no, col_no = pos.cell(el)
                sid = el.get("s")
                sid = int(sid) if sid and sid.isdigit() else 0
                yield row_no, col_no, self._value(el, sid, tag), sid
                el.clear()
            elif name == "row":
                pos.end_row(el)
            else:
                ref = el.get("ref")
                if ref:
                    merge_refs.append(ref)

    def _value(self, el, sid: int, c_tag: str):
        kind = el.get("t", "n")
        if kind == "inlineStr":
            return _inline_text(el)
        v = el.findtext(c_tag[:-1] + "v")  # <v> in the cell's own namespace
        if not v:
            return None
        try:
            if kind == "n":
                num = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                if sid in self.date_styles:
                    return from_excel(num, self.epoch, timedelta=sid in self.timedelta_styles)
                return num
            if kind == "s":
                return self.shared[int(v)]
            if kind == "b":
                return bool(int(v))
            if kind == "d":
                return from_ISO8601(v)
        except (ValueError, IndexError, OverflowError, TypeError):
            return v  # keep what the file says rather than lose the cell
        return v  # str (formula result), e (error value such as #N/A)


class _Position:
    """Where each ``<c>`` sits: its ``r`` address ("B7"), or, when a writer leaves addresses
    out, the next column of its row (a row without ``r`` follows the previous row)."""

    def __init__(self) -> None:
        self.row_no = self.col_no = 0
        self.row_el = None
        self.col_cache: dict[str, int] = {}

    def cell(self, el) -> tuple[int, int]:
        ref = el.get("r")
        letters = ref.rstrip(_DIGITS) if ref else ""
        col = self.col_cache.get(letters) if letters else None
        if col is None and letters and letters.isalpha() and len(letters) <= 3:
            col = self.col_cache[letters] = column_index_from_string(letters.upper())
        if col is not None and len(letters) < len(ref):
            self.col_no = col
            self.row_no = int(ref[len(letters):])
            return self.row_no, self.col_no
        parent = el.getparent()  # no address: position follows the row and the previous cell
        if parent is not self.row_el:
            self.row_el = parent
            r = parent.get("r") if parent is not None else None
            self.row_no = int(r) if r and r.isdigit() else self.row_no + 1
            self.col_no = 0
        self.col_no += 1
        return self.row_no, self.col_no

    def end_row(self, el) -> None:
        """A finished ``<row>``: counted when it had no address and no cell, then dropped with
        the rows before it so memory stays flat."""
        if el.get("r") is None and self.row_el is not el:
            self.row_no += 1  # an empty row without an address still takes a row
        self.row_el = el
        el.clear()
        parent = el.getparent()
        if parent is not None:
            while el.getprevious() is not None:
                del parent[0]


def _format_code(wb, sid: int) -> str:
    """The number format a style id shows its value with ("mmm-yy", "dd/mm/yyyy", ...)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    try:
        fmt_id = wb._cell_styles[sid].numFmtId
        if fmt_id in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[fmt_id]
        return wb._number_formats[fmt_id - 164]
    except (AttributeError, IndexError, KeyError, TypeError):
        return ""


def _shows_no_day(code: str) -> bool:
    """A date format with month and year but no day ("mmm-yy"): the cell reads as a month, so
    the text we give must not claim a day the reader never saw."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^]]*\]', "", code.lower())
    return "y" in bare and "m" in bare and "d" not in bare and "h" not in bare


def _inline_text(el) -> str:
    """Text of ``<is>``: plain ``<t>`` or rich-text runs; phonetic guides (``<rPh>``) skipped."""
    parts: list[str] = []
    for is_el in el:
        if not is_el.tag.endswith("is"):
            continue
        if len(is_el) == 1 and is_el[0].tag.endswith("}t"):  # the usual single <t>
            return is_el[0].text or ""
        for ch in is_el:
            local = ch.tag.rpartition("}")[2]
            if local == "t":
                parts.append(ch.text or "")
            elif local == "r":
                for t in ch:
                    if t.tag.rpartition("}")[2] == "t":
                        parts.append(t.text or "")
    return "".join(parts)


def _merge_ranges(refs: list[str]):
    """``<mergeCell ref="B2:D3">`` as (first row, first col, row end, col end), ends exclusive,
    the form :func:`.sheet_layout.fold_merges` takes; whole-row/column refs are skipped."""
    for ref in refs:
        try:
            c1, r1, c2, r2 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if None in (c1, r1, c2, r2):
            continue
        yield r1, c1, r2 + 1, c2 + 1


# ---------------------------------------------------------------------------------------------
# Sheets


def _read_sheet(name: str, member: str, zf: zipfile.ZipFile, shared: list, wb,
                styles: _StyleCache) -> tuple[SheetInfo, list[Block]]:
    member = member.lstrip("/")
    if member not in zf.NameToInfo:
        raise ParseError(f"corrupt XLSX: sheet {name!r} has no part {member!r}")
    # 1-based (row, col) -> [text, bold, fill, font size], the form sheet_layout takes
    raws: dict[tuple[int, int], list] = {}
    merge_refs: list[str] = []
    reader = _CellReader(shared, wb)
    style_of = styles.get
    month_styles = reader.month_styles
    with zf.open(member) as fh:
        for r, c, value, sid in reader.cells(fh, merge_refs):
            stored = None
            if value is None:
                if not sid:
                    continue
                text = ""
            elif type(value) is str:
                text = value.strip()
            else:
                text, stored = _text_and_value(value, sid in month_styles)
            bold, fill, size, color, numfmt = style_of(sid) if sid else _PLAIN
            if text or fill:
                raws[(r, c)] = [text, bold, fill, size, color if text else None, stored,
                                numfmt if stored is not None else None]
    return layout_sheet(name, raws, fold_merges(raws, _merge_ranges(merge_refs)))


def _text_and_value(value: object, month_only: bool) -> tuple[str, str | None]:
    """The text a reader sees and, for a date or number, the stored value (ISO datetime,
    exact number).  A date formatted without a day ("mmm-yy") reads as "2017-04": the text
    must not claim a day the reader never saw, while the value keeps what is stored."""
    if isinstance(value, dt.datetime):
        text = f"{value.year:04d}-{value.month:02d}" if month_only else cell_text(value)
        return text, value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return cell_text(value), value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell_text(value), repr(value)
    return cell_text(value), None
