"""Word (.docx) files into the document model.

The body is walked as XML in reading order (paragraphs and tables interleaved, content
controls and custom-XML wrappers flattened), because python-docx's ``paragraphs`` and
``tables`` lists lose the order between them, and its ``Table.cell`` grid repeats a merged cell
in every position it covers, which is exactly what the model must not do.  python-docx is used
to open and validate the package and to reach the style and theme parts.

What is read:
- headings by style (Heading 1..9 clamped to 6, Title = 1, styles based on a heading, and
  paragraph outline levels), list items (List Bullet/Number styles or numbering), paragraphs;
- tables with one Cell per merged region (gridSpan, vMerge, legacy hMerge, gridBefore/After),
  cell fill from ``w:shd`` (theme fills resolved through the document theme), bold, and nested
  tables in ``Cell.nested`` whose text is also kept in the parent cell's text.

Deliberately ignored (they do not hold plan tables in the papers we see, and reading them
would put text out of reading order): headers and footers, footnotes/endnotes, comments,
text boxes and shapes (``w:txbxContent``, drawings, VML), deleted text of tracked changes
(inserted text is kept), field codes (field results are kept), fills coming from a table
style rather than the cell itself.

Provenance: DOCX has no pages, so cells carry ``cell="R{row}C{col}"`` (1-based within their
table).  ``Table.index`` is the position among top-level tables (what ``Document.tables()``
returns); a nested table's index is its position inside its cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .colors import font_color, one_color
from .docx_styles import _HEADING, _LIST, _W, _int, _num_pr, _on, _q, _Style, _Styles, run_color_attr
from .model import Block, Cell, Document, ParseError, Provenance, Table
from .ooxml import WORD_THEME_NAMES, apply_tint, normalise_fill, open_zip, theme_colors

# Elements whose content never reaches the reader in reading order (see module docstring).
_SKIP = {_q(t) for t in ("pPr", "rPr", "del", "moveFrom", "sdtPr", "sdtEndPr", "customXmlPr",
                          "proofErr", "bookmarkStart", "bookmarkEnd", "commentRangeStart",
                          "commentRangeEnd")}

_MAIN_CT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAIN_CTS = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def parse_docx(path: str, data: bytes, sha256: str) -> Document:
    zf = open_zip(data, "DOCX", required=("[Content_Types].xml",))
    _check_main_part(zf)
    data = _as_plain_document(zf, data)
    try:
        import docx

        wdoc = docx.Document(io.BytesIO(data))
    except ParseError:
        raise
    except Exception as e:  # python-docx raises KeyError/ValueError/lxml errors on bad parts
        raise ParseError(f"unreadable DOCX: {_reason(e)}") from None
    doc = Document(path=path, sha256=sha256, format="docx")
    try:
        _meta(wdoc, doc)
        reader = _Reader(_Styles(wdoc), _theme(wdoc))
        reader.read_body(wdoc.element.body, doc)
    except ParseError:
        raise
    except Exception as e:  # malformed attribute values and the like in an otherwise valid zip
        raise ParseError(f"unreadable DOCX content: {_reason(e)}") from None
    if not doc.blocks:
        doc.warnings.append("no text content")
    return doc


def _reason(e: Exception) -> str:
    msg = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {msg}"[:200]


_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"\b(Type|Target)\s*=\s*[\"']([^\"']*)[\"']")


def _check_main_part(zf: zipfile.ZipFile) -> None:
    """The body must exist before python-docx is asked (its errors for this are cryptic).
    It is normally word/document.xml, but the package relationships are what count."""
    names = set(zf.namelist())
    rels = zf.read("_rels/.rels") if "_rels/.rels" in names else b""
    if b"purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in rels:
        raise ParseError("unsupported DOCX: Strict Open XML conformance (python-docx reads Transitional only)")
    if "word/document.xml" in names:
        return
    for rel in _REL.findall(rels):
        attrs = dict(_ATTR.findall(rel))
        if attrs.get(b"Type", b"").endswith(b"/officeDocument"):
            target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
            if target in names:
                return
    raise ParseError("corrupt DOCX: missing word/document.xml")


def _as_plain_document(zf: zipfile.ZipFile, data: bytes) -> bytes:
    """python-docx refuses .docm/.dotx/.dotm main parts although their body XML is the same;
    rewrite the content type so those files read like any .docx."""
    ct = zf.read("[Content_Types].xml")
    if not any(other in ct for other in _OTHER_MAIN_CTS):
        return data
    for other in _OTHER_MAIN_CTS:
        ct = ct.replace(other, _MAIN_CT)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in zf.infolist():
            blob = ct if info.filename == "[Content_Types].xml" else zf.read(info)
            new.writestr(info.filename, blob)
    return out.getvalue()


def _meta(wdoc, doc: Document) -> None:
    cp = wdoc.core_properties
    for key, val in (("title", cp.title), ("author", cp.author), ("created", cp.created),
                     ("modified", cp.modified)):
        if val:
            doc.meta[key] = val.isoformat() if hasattr(val, "isoformat") else str(val)


def _theme(wdoc) -> dict[str, str]:
    for rel in wdoc.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            return theme_colors(rel.target_part.blob)
    return {}


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Para:
    text: str
    bold: bool  # every run that carries text is bold (False when there is no text)
    color: str | None = None  # the one non-black colour of every run that carries text


class _Reader:
    def __init__(self, styles: _Styles, theme: dict[str, str]) -> None:
        self.styles = styles
        self.theme = theme

    # ---- body ----------------------------------------------------------------------------
    def read_body(self, body, doc: Document) -> None:
        n_tables = 0
        for el in _block_children(body):
            if el.tag == _q("p"):
                block = self._para_block(el)
                if block is not None:
                    doc.blocks.append(block)
            elif el.tag == _q("tbl"):
                table = self._table(el, n_tables)
                n_tables += 1
                doc.blocks.append(Block("table", table=table, prov=table.prov))

    def _para_block(self, p) -> Block | None:
        para = self._para(p)
        text = para.text.strip()
        if not text:
            return None
        ppr = p.find(_q("pPr"))
        sid = None
        if ppr is not None:
            ps = ppr.find(_q("pStyle"))
            sid = ps.get(_q("val")) if ps is not None else None
        sid = sid or self.styles.default_para
        chain = self.styles.chain(sid)
        level = self._heading_level(ppr, chain)
        if level:
            return Block("heading", text, level=level, bold=para.bold)
        list_level = self._list_level(ppr, chain)
        if list_level is not None:
            return Block("list_item", text, level=list_level, bold=para.bold)
        return Block("paragraph", text, bold=para.bold)

    @staticmethod
    def _heading_level(ppr, chain: list[_Style]) -> int:
        for st in chain:
            if st.kind != "paragraph":
                continue
            m = _HEADING.match(st.name)
            if m:
                return min(int(m.group(1)), 6)
            if st.name == "title":
                return 1
        outline = None
        if ppr is not None:
            ol = ppr.find(_q("outlineLvl"))
            outline = _int(ol.get(_q("val"))) if ol is not None else None
        if outline is None:
            outline = next((st.outline for st in chain if st.outline is not None), None)
        if outline is not None and 0 <= outline <= 5:
            return outline + 1
        return 0

    @staticmethod
    def _list_level(ppr, chain: list[_Style]) -> int | None:
        """Nesting depth (0-based) of a list paragraph, None when it is not one.  The depth
        comes from the paragraph's own ilvl, else from a "List Bullet 2"-style name (whose
        level Word takes from the numbering definition), else from the style's ilvl."""
        num_id = ilvl = None
        if ppr is not None:
            num_id, ilvl = _num_pr(ppr)
        if num_id == "0":  # numbering explicitly switched off
            return None
        named = _named_list_level(chain)
        if ilvl is not None and (num_id is not None or named is not None):
            return max(0, ilvl)
        if named is not None:
            return named
        if num_id is None:
            style = next((st for st in chain if st.num_id is not None), None)
            if style is None or style.num_id == "0":
                return None
            return max(0, style.ilvl or 0)
        return 0

    # ---- paragraphs ----------------------------------------------------------------------
    def _para(self, p) -> _Para:
        ppr = p.find(_q("pPr"))
        sid = None
        if ppr is not None:
            ps = ppr.find(_q("pStyle"))
            sid = ps.get(_q("val")) if ps is not None else None
        para_bold = self.styles.bold(sid or self.styles.default_para)
        para_color = self.styles.color(sid or self.styles.default_para)
        parts: list[str] = []
        bolds: list[bool] = []
        colors: list[str | None] = []
        for r in _runs(p):
            text = _run_text(r)
            if not text:
                continue
            parts.append(text)
            if text.strip():
                bolds.append(self._run_bold(r, para_bold))
                colors.append(self._run_color(r, para_color))
        return _Para("".join(parts), bool(bolds) and all(bolds), one_color(colors))

    def _run_color(self, r, para_color: str | None) -> str | None:
        """The font colour of a run: its own w:color, else its character style's, else the
        paragraph style's; theme colours resolved through the document theme."""
        rpr = r.find(_q("rPr"))
        raw = run_color_attr(rpr)
        if raw is None and rpr is not None:
            rs = rpr.find(_q("rStyle"))
            raw = self.styles.color(rs.get(_q("val"))) if rs is not None else None
        raw = raw if raw is not None else para_color
        if raw is None or raw.lower() == "auto":
            return None
        if raw.startswith("theme:"):
            return font_color(self.theme.get(WORD_THEME_NAMES.get(raw[6:], ""), ""))
        return font_color(raw)

    def _run_bold(self, r, para_bold: bool | None) -> bool:
        rpr = r.find(_q("rPr"))
        if rpr is not None:
            b = _on(rpr.find(_q("b")))
            if b is not None:
                return b
            rs = rpr.find(_q("rStyle"))
            if rs is not None:
                b = self.styles.bold(rs.get(_q("val")))
                if b is not None:
                    return b
        if para_bold is not None:
            return para_bold
        return self.styles.default_bold

    # ---- tables --------------------------------------------------------------------------
    def _table(self, tbl, index: int) -> Table:
        grid = tbl.find(_q("tblGrid"))
        n_cols = len(grid.findall(_q("gridCol"))) if grid is not None else 0
        tblpr = tbl.find(_q("tblPr"))
        table_fill = self._shd_fill(tblpr.find(_q("shd"))) if tblpr is not None else None
        cells: list[Cell] = []
        last: dict[int, Cell] = {}  # grid column -> the region that last covered it
        rows = [el for el in _block_children(tbl, ("tr",))]
        for r, tr in enumerate(rows):
            n_cols = max(n_cols, self._row(tr, r, last, cells, table_fill))
        return Table(cells=cells, n_rows=len(rows), n_cols=n_cols, index=index, prov=Provenance())

    def _row(self, tr, r: int, last: dict[int, Cell], cells: list[Cell], table_fill: str | None) -> int:
        """The cells of row ``r`` into ``cells`` (merges extend earlier cells instead);
        returns how many grid columns the row takes, gridAfter included."""
        trpr = tr.find(_q("trPr"))
        col = _val_int(trpr, "gridBefore") if trpr is not None else 0
        after = _val_int(trpr, "gridAfter") if trpr is not None else 0
        prev: Cell | None = None
        for tc in _block_children(tr, ("tc",)):
            tcpr = tc.find(_q("tcPr"))
            span = max(1, _val_int(tcpr, "gridSpan", 1)) if tcpr is not None else 1
            text, bold, color, nested = self._cell_content(tc)
            # a continuation extends the region above it in the same column, even across a
            # row that is short of cells there (seen in the wild; Word draws it merged)
            above = last.get(col) if _merge_state(tcpr, "vMerge") == "continue" else None
            if above is not None and above.col == col and above.row < r:
                above.row_span = r - above.row + 1
                _absorb(above, text, nested)
            else:
                if _merge_state(tcpr, "hMerge") == "continue" and prev is not None:
                    prev.col_span += span
                    _absorb(prev, text, nested)
                else:
                    fill = (self._shd_fill(tcpr.find(_q("shd"))) if tcpr is not None else None) or table_fill
                    prev = Cell(row=r, col=col, text=text, col_span=span, bold=bold, fill=fill,
                                prov=Provenance(cell=f"R{r + 1}C{col + 1}"), nested=nested, color=color)
                    cells.append(prev)
                for k in range(col, col + span):
                    last[k] = prev
            col += span
        return col + after

    def _cell_content(self, tc) -> tuple[str, bool, str | None, list[Table]]:
        """Text, bold (every paragraph bold), font colour (one colour throughout) and nested
        tables of a cell."""
        lines: list[str] = []
        bolds: list[bool] = []
        colors: list[str | None] = []
        nested: list[Table] = []
        for el in _block_children(tc):
            if el.tag == _q("p"):
                para = self._para(el)
                if para.text.strip():
                    lines.append(para.text.strip())
                    bolds.append(para.bold)
                    colors.append(para.color)
            elif el.tag == _q("tbl"):
                t = self._table(el, len(nested))
                nested.append(t)
                lines.extend(_table_lines(t))
                colors.extend(c.color for c in t.cells if c.text.strip())
        return "\n".join(lines), bool(bolds) and all(bolds), one_color(colors), nested

    def _shd_fill(self, shd) -> str | None:
        if shd is None:
            return None
        fill = shd.get(_q("fill"))
        if fill and fill.lower() != "auto":
            return normalise_fill(fill)
        theme = shd.get(_q("themeFill"))
        if theme and WORD_THEME_NAMES.get(theme) in self.theme:
            rgb = self.theme[WORD_THEME_NAMES[theme]]
            tint, shade = shd.get(_q("themeFillTint")), shd.get(_q("themeFillShade"))
            if tint:
                rgb = _word_tint(rgb, tint, lighten=True)
            elif shade:
                rgb = _word_tint(rgb, shade, lighten=False)
            return normalise_fill(rgb)
        # a 100% pattern paints the pattern colour, not the (automatic) fill
        color = shd.get(_q("color"))
        if shd.get(_q("val")) == "solid" and color and color.lower() != "auto":
            return normalise_fill(color)
        return None


def _named_list_level(chain: list[_Style]) -> int | None:
    """The depth a "List Bullet 2"-style name gives (0-based), None without such a name."""
    for st in chain:
        m = _LIST.match(st.name)
        if m:
            return int(m.group(1)) - 1 if m.group(1) else 0
    return None


def _word_tint(rgb: str, value: str, lighten: bool) -> str:
    """Word's themeFillTint/Shade are bytes: tint t keeps t/255 of the colour and adds white,
    shade keeps s/255 of the luminance; expressed as Excel-style tints for apply_tint."""
    try:
        frac = int(value, 16) / 255
    except ValueError:
        return rgb
    return apply_tint(rgb, (1 - frac) if lighten else (frac - 1))


def _absorb(anchor: Cell, text: str, nested: list[Table]) -> None:
    """Text in a cell that a merge hides is rare, but losing words is worse than showing them."""
    if text:
        anchor.text = f"{anchor.text}\n{text}" if anchor.text else text
    anchor.nested.extend(nested)


def _table_lines(t: Table) -> list[str]:
    return ["\t".join(t.row_texts(r)) for r in range(t.n_rows)]


def _val_int(parent, tag: str, default: int = 0) -> int:
    el = parent.find(_q(tag))
    if el is None:
        return default
    v = _int(el.get(_q("val")))
    return default if v is None else max(0, v)


def _merge_state(tcpr, tag: str) -> str | None:
    """None (not merged), "restart" or "continue" (an element without w:val continues)."""
    if tcpr is None:
        return None
    el = tcpr.find(_q(tag))
    if el is None:
        return None
    return "restart" if el.get(_q("val")) == "restart" else "continue"


def _block_children(parent, want: tuple[str, ...] = ("p", "tbl")):
    """Children of ``parent`` with the wanted local names, looking through content controls
    (w:sdt/w:sdtContent) and custom-XML wrappers that Word puts around them."""
    tags = {_q(t) for t in want}
    for el in parent:
        if el.tag in tags:
            yield el
        elif el.tag == _q("sdt"):
            content = el.find(_q("sdtContent"))
            if content is not None:
                yield from _block_children(content, want)
        elif el.tag in (_q("customXml"), _q("ins"), _q("moveTo")):
            yield from _block_children(el, want)


def _runs(p):
    """Runs of a paragraph in order, including those inside hyperlinks, fields, insertions,
    smart tags and inline content controls; not those inside deletions or text boxes."""
    for el in p:
        tag = el.tag
        if tag == _q("r"):
            yield el
        elif tag in _SKIP or not isinstance(tag, str):
            continue
        elif tag.startswith(_W):
            yield from _runs(el)


def _run_text(r) -> str:
    out: list[str] = []
    for el in r:
        tag = el.tag
        if tag == _q("t"):
            out.append(el.text or "")
        elif tag == _q("tab"):
            out.append("\t")
        elif tag in (_q("br"), _q("cr")):
            out.append("\n")
        elif tag == _q("noBreakHyphen"):
            out.append("-")
    return "".join(out)
