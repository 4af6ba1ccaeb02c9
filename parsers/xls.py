"""Legacy Excel (.xls, BIFF2-8) workbooks into the document model, through xlrd.

Council archives are full of Excel 97-2003 trackers; xlrd is the standard pure-Python reader
for them (it reads the OLE container and the BIFF records itself; no LibreOffice needed).
The workbook is opened with ``formatting_info=True`` because the two things the normaliser
needs beyond text live in the formatting records: merged ranges (one Cell with spans) and
cell fills (RAG status is often a colour alone).

The layout rule is the one :mod:`.xlsx` uses (both call :mod:`.sheet_layout`), so a tracker
reads the same whichever Excel saved it: a visible sheet's used range is ONE table, except
leading rows with a single non-empty cell (title banner, a key line), which come out as
heading/paragraph blocks before it.  Hidden sheets are listed in ``Document.sheets`` with ``hidden=True`` and named in a
warning, never read.  Cells are sparse (no Cell where there is no text, fill or merge),
``row``/``col`` are 0-based within the table, ``prov.cell`` is the A1 address on the sheet.

Values: text stripped; numbers as Excel shows them (integers without ".0"); date cells (by
number format) as ISO dates; booleans TRUE/FALSE; errors as their text (#N/A).  A formula
reads as its cached result, as in the .xlsx parser.
"""

from __future__ import annotations

import datetime as dt
import io

from .model import Block, Document, ParseError, SheetInfo
from .ooxml import normalise_fill
from .sheet_layout import add_sheets, fold_merges, layout_sheet
from .xlsx import cell_text

# xlrd cell types (xlrd.XL_CELL_*), spelled out so this module imports xlrd lazily.
_EMPTY, _TEXT, _NUMBER, _DATE, _BOOLEAN, _ERROR, _BLANK = range(7)


def parse_xls(path: str, data: bytes, sha256: str) -> Document:
    book, warnings = _open(data)
    doc = Document(path=path, sha256=sha256, format="xls")
    doc.warnings.extend(warnings)
    try:
        if book.user_name:
            doc.meta["author"] = str(book.user_name).strip()
        doc.meta["biff_version"] = str(book.biff_version)
        styles = _Styles(book)
        # visibility: 0 visible, 1 hidden, 2 very hidden
        add_sheets(doc, (_read_sheet(sheet, book, styles) if not sheet.visibility
                         else (SheetInfo(sheet.name, True, sheet.nrows, sheet.ncols), [])
                         for sheet in book.sheets()))
    except ParseError:
        raise
    except Exception as e:  # damaged records surface while reading cells
        raise ParseError(f"unreadable XLS content: {_reason(e)}") from None
    finally:
        book.release_resources()
    if not doc.blocks:
        doc.warnings.append("no cell content")
    return doc


def _open(data: bytes):
    """The xlrd Book, plus warnings; ParseError for encrypted or unreadable files.

    A container xlrd calls corrupt ("Workbook corruption": a sector chain that revisits a
    sector) is often still readable, and Excel opens such files, so it is retried with
    ``ignore_workbook_corruption``.  A workbook whose formatting records xlrd cannot read is
    retried without them (no fills or merges).  Both retries leave a warning.
    """
    import xlrd
    from xlrd.compdoc import CompDocError

    log = io.StringIO()  # xlrd prints its complaints; keep them out of the user's terminal
    opts = {"formatting_info": True, "ignore_workbook_corruption": False}
    warnings: list[str] = []
    while True:
        try:
            book = xlrd.open_workbook(file_contents=data, logfile=log, verbosity=0, on_demand=False, **opts)
            return book, warnings
        except xlrd.XLRDError as e:
            msg = str(e).lower()
            if "encrypted" in msg:
                raise ParseError("password-protected Excel file") from None
            if "unsupported format" in msg or not opts["formatting_info"]:
                raise ParseError(f"unreadable XLS: {_reason(e)}") from None
            err: Exception = e
        except CompDocError as e:
            if "corruption" in str(e).lower() and not opts["ignore_workbook_corruption"]:
                opts["ignore_workbook_corruption"] = True
                warnings.append("damaged OLE container (sector chain loops); read what could be read")
                continue
            raise ParseError(f"unreadable XLS: {_reason(e)}") from None
        except Exception as e:  # xlrd on damaged records: struct/index/assertion/value errors
            err = e
        if not opts["formatting_info"]:
            raise ParseError(f"unreadable XLS: {_reason(err)}") from None
        opts["formatting_info"] = False
        warnings.append("formatting records unreadable: no fills or merged cells")


def _reason(e: BaseException | None) -> str:
    if e is None:
        return "unknown error"
    msg = " ".join(str(e).split())
    return f"{type(e).__name__}: {msg}"[:200] if msg else type(e).__name__


class _Styles:
    """(bold, fill, font size in points) per XF index, resolved once."""

    def __init__(self, book) -> None:
        self.book = book
        self.formatted = bool(getattr(book, "xf_list", None))
        self.cache: dict[int, tuple[bool, str | None, float]] = {}
        self.formats: dict[int, str | None] = {}

    def get(self, xf_index: int) -> tuple[bool, str | None, float]:
        hit = self.cache.get(xf_index)
        if hit is None:
            hit = self.cache[xf_index] = self._resolve(xf_index)
        return hit

    def number_format(self, xf_index: int) -> str | None:
        """The number format string of an XF record ("dd/mm/yyyy", "General")."""
        fmt = self.formats.get(xf_index, "")
        if fmt == "":
            try:
                key = self.book.xf_list[xf_index].format_key
                fmt = self.formats[xf_index] = self.book.format_map[key].format_str or None
            except (IndexError, AttributeError, KeyError, TypeError):
                fmt = self.formats[xf_index] = None
        return fmt

    def _resolve(self, xf_index: int) -> tuple[bool, str | None, float]:
        try:
            xf = self.book.xf_list[xf_index]
            font = self.book.font_list[xf.font_index]
            bold = bool(font.bold or font.weight >= 700)
            size = font.height / 20.0
            fill = None
            bg = xf.background
            if bg.fill_pattern:  # 0 = no fill
                # 64/65 are "system foreground/background" (no colour of the cell's own);
                # colour_map holds None for them and for unknown indexes
                rgb = self.book.colour_map.get(bg.pattern_colour_index)
                if rgb:
                    fill = normalise_fill("".join(f"{v:02X}" for v in rgb))
            return bold, fill, size
        except (IndexError, AttributeError, TypeError, ValueError, KeyError):
            return False, None, 0.0


def _stored_value(ctype: int, value, datemode: int) -> str | None:
    """A number or date cell's stored value (``Cell.value``): the number without a needless
    ".0", the date as ISO datetime text; None for other cells."""
    if ctype == _NUMBER and isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if ctype == _DATE:
        import xlrd

        try:
            return xlrd.xldate_as_datetime(value, datemode).isoformat()
        except (xlrd.xldate.XLDateError, ValueError, OverflowError, TypeError):
            return None
    return None


def _value_text(ctype: int, value, datemode: int) -> str:
    if ctype == _TEXT:
        return value.strip() if isinstance(value, str) else str(value).strip()
    if ctype == _NUMBER:
        return cell_text(value)
    if ctype == _DATE:
        import xlrd

        try:
            d = xlrd.xldate_as_datetime(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError, TypeError):
            return cell_text(value)
        if value < 1 and d.date() == dt.date(1899, 12, 31):  # a time of day alone
            return d.time().isoformat(timespec="seconds")
        return cell_text(d)
    if ctype == _BOOLEAN:
        return "TRUE" if value else "FALSE"
    if ctype == _ERROR:
        import xlrd

        return xlrd.error_text_from_code.get(value, "#ERR")
    return ""


def _read_sheet(sheet, book, styles: _Styles) -> tuple[SheetInfo, list[Block]]:
    # xlrd counts from 0; sheet_layout takes 1-based (row, col) -> [text, bold, fill, font size]
    raws: dict[tuple[int, int], list] = {}
    datemode = book.datemode
    formatted = styles.formatted
    for r in range(sheet.nrows):
        types = sheet.row_types(r)
        values = sheet.row_values(r)
        row = r + 1
        for c, ctype in enumerate(types):
            if ctype == _EMPTY:
                continue
            text = _value_text(ctype, values[c], datemode) if ctype != _BLANK else ""
            xf = sheet.cell_xf_index(r, c) if formatted else -1
            bold, fill, size = styles.get(xf) if formatted else (False, None, 0.0)
            if text or fill:
                stored = _stored_value(ctype, values[c], datemode)
                numfmt = styles.number_format(xf) if stored is not None and formatted else None
                raws[(row, c + 1)] = [text, bold, fill, size, None, stored, numfmt]
    merged = getattr(sheet, "merged_cells", None) or []
    merged = [(rlo + 1, rhi + 1, clo + 1, chi + 1) for rlo, rhi, clo, chi in merged]
    return layout_sheet(sheet.name, raws, _apply_merges(raws, merged))


def _apply_merges(raws: dict[tuple[int, int], list],
                  merged: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """xlrd's merged ranges (rlo, rhi, clo, chi; highs exclusive, in the indexing ``raws``
    uses) folded into their anchors; returns anchor -> (row end, col end), exclusive."""
    return fold_merges(raws, [(rlo, clo, rhi, chi) for rlo, rhi, clo, chi in merged])
