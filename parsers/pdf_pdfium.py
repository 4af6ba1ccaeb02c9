"""The PDF page interface (:mod:`.pdf_page`) over pypdfium2's raw PDFium API.

PDFium parses a page in C; pdfminer does it in Python and builds a layout tree we mostly
throw away, so this backend reads the same glyphs, rules and fills for a fraction of the
time.  It reproduces the pdfplumber backend's numbers rather than PDFium's own notions,
so both give the same Document:

* glyph boxes as pdfminer draws them: from the baseline origin, the advance width, and a
  box one font size tall starting at the font's descent (PDFium's "loose" box uses the
  font's ascent-descent span instead, a little taller);
* paths split into subpaths at each move and classified line / rect / curve with
  pdfminer's rules (:func:`_classify`), so edges and fills go through the same
  :class:`~.pdf_page.ShapePage` code;
* page coordinates through the same media-box and /Rotate transform.

Known differences: fill colours come from PDFium's conversion to RGB (CMYK is converted
with a colour profile, not pdfminer's naive formula), glyphs PDFium cannot map to
Unicode are not written "(cid:N)", and descents from a font descriptor are rounded to a
whole unit by PDFium.

Selecting the backend: this one is the default; ``open_pdf(data, backend="pdfplumber")``
or the environment variable ``PLANTRAIL_PDF_BACKEND=pdfplumber`` selects the other (see
:func:`.pdf_page.backend_name`).
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator

from .colors import font_color
from .model import ParseError
from .pdf_page import MAX_EDGES, Char, ShapePage, _is_bold, _reason

_DESCRIPTOR = re.compile(rb"/Type\s*/FontDescriptor")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
_DESCENT = re.compile(rb"/Descent\s+(-?[\d.]+)")
_META_KEYS = ("Title", "Author", "Creator", "Producer", "CreationDate", "ModDate", "Subject")


def _raw():
    import pypdfium2.raw as raw

    return raw


class PdfiumPdf:
    """:class:`~.pdf_page.PdfSource` over pypdfium2; maps PDFium errors to ParseError reasons."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium

        raw = _raw()
        try:
            self._pdf = pdfium.PdfDocument(data, password=None)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code == raw.FPDF_ERR_PASSWORD:
                raise ParseError("encrypted PDF: password required") from None
            if code == raw.FPDF_ERR_SECURITY:
                raise ParseError(f"encrypted PDF: unsupported encryption ({_reason(e)})") from None
            raise ParseError(f"corrupt PDF: {_reason(e)}") from None
        except Exception as e:  # noqa: BLE001 - any failure to open is a corrupt file
            raise ParseError(f"corrupt PDF: {_reason(e)}") from None
        self._doc = self._pdf.raw
        self._descents = _descents(data)
        self.page_count = len(self._pdf)
        self.metadata = {k: v for k in _META_KEYS if (v := _meta(raw, self._doc, k))}

    def pages(self) -> Iterator[PdfiumPage]:
        for i in range(self.page_count):
            yield PdfiumPage(self._doc, i, self._descents)

    def close(self) -> None:
        try:
            self._pdf.close()
        except Exception:  # noqa: BLE001
            pass


def _descents(data: bytes) -> dict[str, float]:
    """/Descent of each font descriptor written out in the file, by font name.

    pdfminer takes a glyph's box from the descriptor's /Descent as written (0 included,
    which LibreOffice writes); PDFium ignores a 0 and measures the font, and its API does
    not show the descriptor.  Descriptors inside compressed object streams are not found
    here; those fonts get PDFium's descent.
    """
    out: dict[str, float] = {}
    for m in _DESCRIPTOR.finditer(data):
        start = max(data.rfind(b" obj", max(0, m.start() - 2000), m.start()), m.start() - 2000, 0)
        end = data.find(b"endobj", m.end(), m.end() + 2000)
        chunk = data[start:end if end > 0 else m.end() + 2000]
        name, desc = _FONT_NAME.search(chunk), _DESCENT.search(chunk)
        if name and desc:
            try:
                value = -abs(float(desc.group(1))) / 1000
            except ValueError:
                continue
            full = name.group(1).decode("latin-1")
            out[full] = out[full.split("+", 1)[-1]] = value  # PDFium names fonts without the subset tag
    return out


def _meta(raw, doc, key: str) -> str:
    n = raw.FPDF_GetMetaText(doc, key.encode(), None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    raw.FPDF_GetMetaText(doc, key.encode(), buf, n)
    return buf.raw[: n - 2].decode("utf-16-le", errors="replace")


def _page_transform(mb: tuple[float, float, float, float], rotate: int) -> tuple[tuple, float, float, float, float]:
    """pdfminer's page matrix for /Rotate and pdfplumber's offsets and size: user space to
    (x, top) is ``x = a*ux + c*uy + e + mb_x0``, ``top = height - (b*ux + d*uy + f) + mb_top``."""
    x0, y0, x1, y1 = mb
    if rotate == 90:
        ctm = (0.0, -1.0, 1.0, 0.0, -y0, x1)
    elif rotate == 180:
        ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
    elif rotate == 270:
        ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
    else:
        ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
    nx0, nx1 = sorted((x0, x1))
    ny0, ny1 = sorted((y0, y1))
    if rotate in (90, 270):
        nx0, ny0, nx1, ny1 = ny0, nx0, ny1, nx1
    height = ny1 - ny0
    return ctm, nx0, -ny0, nx1 - nx0, height


def _mul(m: tuple, n: tuple) -> tuple:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class PdfiumPage(ShapePage):
    """:class:`~.pdf_page.PageSource` over one PDFium page, loaded on first use and freed by
    :meth:`close` (a page's objects are the bulk of PDFium's memory)."""

    def __init__(self, doc, index: int, descents: dict[str, float] | None = None) -> None:
        super().__init__()
        raw = _raw()
        self._doc = doc
        self._descents = descents or {}
        self._index = index
        self.number = index + 1
        self._page = None
        self._text = None
        page = raw.FPDF_LoadPage(doc, index)
        if not page:  # reported by _load, inside the parser's per-page guard
            self._ctm, self._mb_x0, self._mb_top, self.width, self.height = _page_transform((0, 0, 0, 0), 0)
            return
        self._page = page
        box = [ctypes.c_float() for _ in range(4)]  # left, bottom, right, top
        if raw.FPDFPage_GetMediaBox(page, *box):
            mb = (box[0].value, box[1].value, box[2].value, box[3].value)
        else:  # inherited from the page tree: PDFium answers only for the page's own entry
            rect = raw.FS_RECTF()
            if raw.FPDF_GetPageBoundingBox(page, rect):  # media box clipped by the crop box, unturned
                mb = (rect.left, rect.bottom, rect.right, rect.top)
            else:
                mb = (0.0, 0.0, raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page))
        rotate = (raw.FPDFPage_GetRotation(page) % 4) * 90
        self._ctm, self._mb_x0, self._mb_top, self.width, self.height = _page_transform(mb, rotate)

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        if self._chars is not None:
            return
        if self._page is None:
            raise RuntimeError("PDFium could not load the page")
        self._chars = self._read_chars()
        shapes: list[tuple] = []
        self._read_objects(self._page, None, shapes)
        self._shapes = shapes

    def _to_page(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self._ctm
        return a * x + c * y + e + self._mb_x0, self.height - (b * x + d * y + f) + self._mb_top

    def _read_chars(self) -> list[Char]:
        raw = _raw()
        tp = raw.FPDFText_LoadPage(self._page)
        if not tp:
            return []
        self._text = tp
        n = raw.FPDFText_CountChars(tp)
        out: list[Char] = []
        m = raw.FS_MATRIX()
        box = raw.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        fonts: dict[int, tuple[bool, float, str | None]] = {}
        widths: dict[tuple[int, int], float] = {}
        last: tuple = ()
        is_generated = raw.FPDFText_IsGenerated
        get_unicode = raw.FPDFText_GetUnicode
        get_matrix = raw.FPDFText_GetMatrix
        get_origin = raw.FPDFText_GetCharOrigin
        get_loose = raw.FPDFText_GetLooseCharBox
        get_size = raw.FPDFText_GetFontSize
        get_obj = raw.FPDFText_GetTextObject
        for i in range(n):
            if is_generated(tp, i):
                continue  # spaces and line breaks PDFium inferred; pdfminer has none
            u = get_unicode(tp, i)
            text = _glyph_text(u)
            obj = get_obj(tp, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            info = fonts.get(key)
            if info is None:
                info = fonts[key] = (*_font_info(raw, obj, self._descents), _fill_color(raw, obj))
            bold, descent, color = info
            fs = get_size(tp, i)
            if not get_matrix(tp, i, m):
                continue
            get_origin(tp, i, ox, oy)
            x, y = ox.value, oy.value
            a, b, c, d = m.a, m.b, m.c, m.d
            merge = bool(out) and last == (x, y, key)
            if merge:
                # a ligature ("fi"): PDFium splits it into characters at one origin, pdfminer
                # keeps one glyph; its loose box is the ligature's advance
                text = out[-1].text + text
                get_loose(tp, i, box)
                adv = (box.right - box.left) / abs(a) if (not b and not c and a) else 0.0
            else:
                wkey = (key, u)
                w1 = widths.get(wkey)
                if w1 is None:
                    w1 = widths[wkey] = _advance(raw, obj, u)
                adv = w1 * fs if w1 >= 0 else _loose_advance(get_loose, tp, i, box, a, b, c, fs)
            last = (x, y, key)
            ch = self._char(text, (x, y), (a, b, c, d), adv, fs, descent)
            ch.bold, ch.color = bold, color
            if merge:
                out[-1] = ch
            else:
                out.append(ch)
        return out

    def _char(self, text: str, origin: tuple[float, float], mat: tuple[float, float, float, float],
              adv: float, fs: float, descent: float) -> Char:
        """A glyph's box as pdfminer computes it: corners (0, descent) and (advance,
        descent + size) in text space, into page space (the page's /Rotate), then
        pdfplumber's top-down coordinates; upright and diagonal from the combined matrix."""
        x, y = origin
        a, b, c, d = mat
        ca, cb, cc, cd, ce, cf = self._ctm
        h, mbx, mbt = self.height, self._mb_x0, self._mb_top
        ds = descent * fs
        px0, py0 = x + c * ds, y + d * ds
        px1, py1 = x + a * adv + c * (ds + fs), y + b * adv + d * (ds + fs)
        qx0, qy0 = ca * px0 + cc * py0 + ce, cb * px0 + cd * py0 + cf
        qx1, qy1 = ca * px1 + cc * py1 + ce, cb * px1 + cd * py1 + cf
        qx0, qx1 = min(qx0, qx1), max(qx0, qx1)
        qy0, qy1 = min(qy0, qy1), max(qy0, qy1)
        la, lb, lc, ld = (a * ca + b * cc, a * cb + b * cd, c * ca + d * cc, c * cb + d * cd)
        upright = 0 < la * ld and lb * lc <= 0
        diagonal = bool(lb and la) or bool(lc and ld)
        return Char(text, qx0 + mbx, qx1 + mbx, h - qy1 + mbt, h - qy0 + mbt, qy1 - qy0, False, upright, diagonal)

    def _read_objects(self, parent, form_matrix: tuple | None, shapes: list[tuple]) -> None:
        raw = _raw()
        m = raw.FS_MATRIX()
        if form_matrix is None:
            count, get = raw.FPDFPage_CountObjects(parent), raw.FPDFPage_GetObject
        else:
            count, get = raw.FPDFFormObj_CountObjects(parent), raw.FPDFFormObj_GetObject
        for i in range(count):
            if len(shapes) > 4 * MAX_EDGES:
                return  # a chart or a map: past the caps anyway, stop collecting
            obj = get(parent, i)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                continue
            mat = (m.a, m.b, m.c, m.d, m.e, m.f) if raw.FPDFPageObj_GetMatrix(obj, m) else (1, 0, 0, 1, 0, 0)
            if form_matrix is not None:
                mat = _mul(mat, form_matrix)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                self._read_objects(obj, mat, shapes)
            else:
                self._read_path(raw, obj, _mul(mat, self._ctm), shapes)

    def _read_path(self, raw, obj, mat: tuple, shapes: list[tuple]) -> None:
        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            return
        fill, stroke_b = fill_mode.value != 0, bool(stroke.value)
        if not (fill or stroke_b):
            return  # pdfminer sees no path painted with "n"
        color = _path_fill(raw, obj) if fill else None
        ma, mb, mc, md, me, mf = mat
        x, y = ctypes.c_float(), ctypes.c_float()
        sub: list[tuple[str, tuple[float, float]]] = []
        n_bez = 0
        for k in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, k)
            if not seg or not raw.FPDFPathSegment_GetPoint(seg, x, y):
                continue
            t = raw.FPDFPathSegment_GetType(seg)
            pt = (ma * x.value + mc * y.value + me, mb * x.value + md * y.value + mf)
            if t == raw.FPDF_SEGMENT_MOVETO:
                if sub:
                    self._add_subpath(sub, stroke_b, fill, color, shapes)
                sub = [("m", pt)]
                n_bez = 0
                continue
            if not sub:
                sub = [("m", pt)]
                continue
            if t == raw.FPDF_SEGMENT_BEZIERTO:
                n_bez += 1
                if n_bez % 3:
                    continue  # control points: pdfminer keeps only a curve's end point
                sub.append(("c", pt))
            else:
                sub.append(("l", pt))
            if raw.FPDFPathSegment_GetClose(seg):
                sub.append(("h", sub[0][1]))
        if sub:
            self._add_subpath(sub, stroke_b, fill, color, shapes)

    def _add_subpath(self, sub: list, stroke: bool, fill: bool, color: str | None, shapes: list[tuple]) -> None:
        kind, pts = _classify("".join(op for op, _ in sub), [p for _, p in sub])
        h, mbx, mbt = self.height, self._mb_x0, self._mb_top
        if kind == "rect":
            (ax, ay), (bx, by) = pts[0], pts[2]
            xs, ys = [ax, bx], [ay, by]
        else:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        page_pts = [(px + mbx, h - py + mbt) for px, py in pts]
        shapes.append((kind, x0 + mbx, h - y1 + mbt, x1 + mbx, h - y0 + mbt, page_pts, stroke, fill, color))

    def close(self) -> None:
        raw = _raw()
        self._drop()
        if self._text is not None:
            raw.FPDFText_ClosePage(self._text)
            self._text = None
        if self._page is not None:
            raw.FPDF_ClosePage(self._page)
            self._page = None


def _classify(shape: str, pts: list[tuple[float, float]]) -> tuple[str, list[tuple[float, float]]]:
    """pdfminer's ``paint_path`` rules for one subpath: "line", "rect" or "curve", and the
    points pdfminer keeps (one per operator; "h" repeats the start)."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            return "rect", pts
    return "curve", pts


def _path_fill(raw, obj) -> str | None:
    """A filled path's colour as pdfminer reports it; None for white."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    color = f"{r.value:02X}{g.value:02X}{b.value:02X}"
    return None if color == "FFFFFF" else color


def _glyph_text(u: int) -> str:
    if u == 2:
        return "-"  # PDFium's mark for a hyphen ending a line
    if u in (0, 0xFFFE, 0xFFFF) or 0xD800 <= u <= 0xDFFF:
        return "\ufffd"
    return chr(u)


def _loose_advance(get_loose, tp, i: int, box, a: float, b: float, c: float, fs: float) -> float:
    """A glyph's advance when its font has no width for it: an unrotated glyph's loose box
    runs from the origin, ``a`` x advance wide (wider for a glyph that overhangs its advance,
    like "f" in some fonts); otherwise half the font size."""
    if not b and not c and a:
        get_loose(tp, i, box)
        return float((box.right - box.left) / abs(a))
    return 0.5 * fs


def _fill_color(raw, text_obj) -> str | None:
    """The fill colour of a text object (what its glyphs are painted with) as a font colour;
    one text object has one colour, so this runs once per object, not per glyph."""
    if not text_obj:
        return None
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(text_obj, r, g, b, a):
        return None
    return font_color(f"{r.value:02X}{g.value:02X}{b.value:02X}")


def _font_info(raw, text_obj, descents: dict[str, float]) -> tuple[bool, float]:
    """(bold, descent per unit of font size) of a text object's font.

    The descent is pdfminer's: the descriptor's /Descent (see :func:`_descents`), or for
    the standard 14 fonts (which carry no descriptor) the Adobe metrics pdfminer ships -
    PDFium would measure its substitute font instead.
    """
    font = raw.FPDFTextObj_GetFont(text_obj) if text_obj else None
    if not font:
        return False, 0.0
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    name = ""
    if n > 1:
        buf = ctypes.create_string_buffer(n)
        raw.FPDFFont_GetBaseFontName(font, buf, n)
        name = buf.value.decode("utf-8", errors="replace")
    weight = raw.FPDFFont_GetWeight(font)
    bold = _is_bold(name) or weight >= 600
    descent = descents.get(name)
    if descent is None and not raw.FPDFFont_GetIsEmbedded(font):
        from pdfminer.fontmetrics import FONT_METRICS

        base = name.split("+", 1)[-1]
        metric = FONT_METRICS[base][0].get("Descent", 0) if base in FONT_METRICS else None
        if isinstance(metric, int | float):
            descent = -abs(float(metric)) / 1000
    if descent is None:
        d = ctypes.c_float()
        descent = -abs(d.value) / 1000 if raw.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), d) else 0.0
    return bold, descent


def _advance(raw, text_obj, u: int) -> float:
    """A glyph's advance per unit of font size from the font's widths; -1 when PDFium
    cannot map the character back to the font's code."""
    font = raw.FPDFTextObj_GetFont(text_obj) if text_obj else None
    w = ctypes.c_float()
    if font and u and raw.FPDFFont_GetGlyphWidth(font, u, ctypes.c_float(1000.0), w):
        return w.value / 1000
    return -1.0
