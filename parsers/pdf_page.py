"""The few things the PDF parser reads from a page, behind an interface.

Everything above this module (table finding, text lines, stitching) works on plain
:class:`Char`, :class:`Edge` and :class:`Fill` values, never on a PDF library's objects.
That keeps the layout logic testable on hand-made pages and lets a second backend
implement :class:`PageSource` / :class:`PdfSource` only.

Two backends: PDFium through pypdfium2 (:mod:`.pdf_pdfium`, the default: same tables and
records on the dev plans, about 1.7x faster) and pdfplumber/pdfminer (here).  Choose with
``open_pdf(data, backend=...)`` or the environment variable
``PLANTRAIL_PDF_BACKEND=pdfium|pdfplumber``.

Coordinates are PDF points with the origin at the top-left of the page (``top`` grows
downwards), as pdfplumber reports them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from .colors import rgb_floats
from .model import ParseError

# Upper bounds on what one page may cost us.  Charts and maps drawn as thousands of tiny
# paths would make edge merging quadratic; past these numbers the page is read as text.
MAX_EDGES = 5000
MAX_CURVES = 2000


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    upright: bool = True
    diagonal: bool = False  # rotated by something other than a multiple of 90 degrees
    color: str | None = None  # fill colour of the glyph, "RRGGBB"; None for black or unknown


@dataclass(slots=True)
class Edge:
    """A ruling line: ``orientation`` "h" (x0..x1 at y) or "v" (top..bottom at x)."""

    orientation: str
    pos: float  # y for "h", x for "v"
    start: float  # x0 for "h", top for "v"
    end: float  # x1 for "h", bottom for "v"


@dataclass(slots=True)
class Fill:
    """A filled area; ``rgb`` is "RRGGBB" (white already mapped to None by the caller)."""

    x0: float
    top: float
    x1: float
    bottom: float
    rgb: str | None


class PageSource(Protocol):
    number: int  # 1-based
    width: float
    height: float

    def chars(self) -> list[Char]: ...

    def edges(self) -> list[Edge]:
        """Axis-parallel ruling segments (stroked lines, rectangle sides, thin filled bars).
        Empty when the page has more than MAX_EDGES of them (see ``too_many_edges``)."""
        ...

    def fills(self) -> list[Fill]: ...

    @property
    def too_many_edges(self) -> bool: ...

    def close(self) -> None: ...


class PdfSource(Protocol):
    page_count: int
    metadata: dict[str, str]

    def pages(self) -> Iterator[PageSource]: ...

    def close(self) -> None: ...


def color_to_hex(color: object) -> str | None:
    """A PDF fill colour in any device space (gray, RGB, CMYK) as "RRGGBB"; None for
    patterns, unknown spaces and white, since white is what an unfilled cell looks like."""
    if color is None:
        return None
    if isinstance(color, int | float):
        comps: tuple = (color,)
    elif isinstance(color, list | tuple):
        comps = tuple(color)
    else:
        return None
    if not comps or not all(isinstance(v, int | float) for v in comps):
        return None
    v = [min(1.0, max(0.0, float(x))) for x in comps]
    if len(v) == 1:
        r = g = b = v[0]
    elif len(v) == 3:
        r, g, b = v
    elif len(v) == 4:
        c, m, y, k = v
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    else:
        return None
    out = "".join(f"{round(x * 255):02X}" for x in (r, g, b))
    return None if out == "FFFFFF" else out


def pdf_font_color(color: object) -> str | None:
    """A glyph's PDF fill colour (gray, RGB, CMYK components in 0..1) as a font colour:
    "RRGGBB", white kept, None for black, patterns and unknown spaces."""
    if isinstance(color, int | float):
        comps: tuple = (color,)
    elif isinstance(color, list | tuple):
        comps = tuple(color)
    else:
        return None
    if len(comps) not in (1, 3, 4) or not all(isinstance(v, int | float) for v in comps):
        return None
    return rgb_floats(comps)


def _is_bold(fontname: str) -> bool:
    f = fontname.lower()
    return any(w in f for w in ("bold", "black", "heavy", "semibold", "demi")) or f.endswith(",b")


# ------------------------------------------------------------- shared by the backends


class ShapePage:
    """Edges and fills from a page's painted shapes, shared by the backends.

    A backend's ``_load`` fills ``_chars`` and ``_shapes``: one tuple per painted subpath,
    ``(kind, x0, top, x1, bottom, pts, stroke, fill, color)`` with kind "line", "rect" or
    "curve" as pdfminer classifies a path, and ``color`` the fill colour as "RRGGBB" (or
    pdfminer's raw components).  Keeping this step common is what makes two backends give
    the same rules.
    """

    number: int
    width: float
    height: float

    def __init__(self) -> None:
        self._chars: list[Char] | None = None
        self._shapes: list[tuple] = []
        self._edges: list[Edge] | None = None
        self._too_many = False

    def _load(self) -> None:
        raise NotImplementedError

    def chars(self) -> list[Char]:
        self._load()
        return self._chars or []

    @property
    def too_many_edges(self) -> bool:
        self.edges()
        return self._too_many

    def edges(self) -> list[Edge]:
        if self._edges is not None:
            return self._edges
        self._load()
        if self._over_caps():
            self._too_many = True
            self._edges = []
            return self._edges
        out: list[Edge] = []
        for kind, x0, top, x1, bottom, pts, stroke, fill, _ in self._shapes:
            if kind == "line":
                _segments(pts or [(x0, top), (x1, bottom)], out)
            elif kind == "rect":
                if stroke or fill:
                    _rect_edges(x0, top, x1, bottom, out)
            elif stroke or fill:
                _segments(pts, out)
        if len(out) > MAX_EDGES:
            self._too_many = True
            out = []
        self._edges = out
        return out

    def _over_caps(self) -> bool:
        """More rules or curves than any table page has: a chart, a map or a drawing."""
        n_curves = sum(1 for s in self._shapes if s[0] == "curve")
        n_edges = sum(4 if s[0] == "rect" else 1 for s in self._shapes if s[0] != "curve")
        return n_edges > MAX_EDGES or n_curves > MAX_CURVES

    def fills(self) -> list[Fill]:
        self._load()
        out: list[Fill] = []
        n_curves = sum(1 for s in self._shapes if s[0] == "curve")
        for kind, x0, top, x1, bottom, pts, _stroke, fill, color in self._shapes:
            if not fill or kind == "line" or x1 - x0 <= 3 or bottom - top <= 3:
                continue  # rules, not backgrounds
            if kind == "curve" and (n_curves > MAX_CURVES or not 4 <= len(pts) <= 8 or not _rectilinear(pts)):
                continue
            out.append(Fill(x0, top, x1, bottom, color if isinstance(color, str) else color_to_hex(color)))
        return out

    def _drop(self) -> None:
        self._chars = None
        self._shapes = []
        self._edges = None


# ---------------------------------------------------------------- pdfplumber backend


class PlumberPage(ShapePage):
    """:class:`PageSource` over a pdfplumber page.

    Reads pdfminer's layout objects (``page.layout``) directly instead of pdfplumber's
    ``page.chars``/``page.rects`` dicts: building those dicts (every attribute resolved
    and copied for every glyph) costs about as much as parsing the page, and we need five
    numbers per glyph.  Coordinates are converted exactly as pdfplumber does.
    """

    def __init__(self, page) -> None:  # page: pdfplumber.page.Page
        super().__init__()
        self._page = page
        self.number = page.page_number
        self.width = float(page.width)
        self.height = float(page.height)

    def _load(self) -> None:
        if self._chars is not None:
            return
        from pdfminer.layout import LTChar, LTContainer, LTCurve

        page = self._page
        conv = _Plumbed(float(page.height), *(float(v) for v in page.mediabox[:2]))
        chars: list[Char] = []
        shapes: list[tuple] = []
        stack = [iter(page.layout._objs)]
        while stack:
            obj = next(stack[-1], None)
            if obj is None:
                stack.pop()
            elif isinstance(obj, LTChar):
                chars.append(conv.char(obj))
            elif isinstance(obj, LTCurve):
                if len(shapes) <= 4 * MAX_EDGES:  # past that a chart or a map: stop collecting
                    shapes.append(conv.shape(obj))
            elif isinstance(obj, LTContainer):
                stack.append(iter(obj._objs))
        self._chars = chars
        self._shapes = shapes

    def close(self) -> None:
        # Page objects are cached on the page and on the document; dropping them as we go is
        # what keeps memory flat in the page count.
        self._drop()
        try:
            self._page.close()
        except Exception:  # noqa: BLE001 - closing must never fail a parse
            pass


class _Plumbed:
    """pdfminer layout objects in pdfplumber's top-down page coordinates."""

    def __init__(self, height: float, mb_x0: float, mb_top: float) -> None:
        self.h, self.mb_x0, self.mb_top = height, mb_x0, mb_top
        self.bold_cache: dict[str, bool] = {}
        self.color_cache: dict[object, str | None] = {}

    def char(self, obj) -> Char:
        fn = obj.fontname if isinstance(obj.fontname, str) else str(obj.fontname)
        bold = self.bold_cache.get(fn)
        if bold is None:
            bold = self.bold_cache[fn] = _is_bold(fn)
        m = obj.matrix
        diagonal = bool(m[1] and m[0]) or bool(m[2] and m[3])
        h, mb_x0, mb_top = self.h, self.mb_x0, self.mb_top
        return Char(obj.get_text(), obj.x0 + mb_x0, obj.x1 + mb_x0, h - obj.y1 + mb_top,
                    h - obj.y0 + mb_top, float(obj.size), bold, bool(obj.upright), diagonal,
                    _char_color(obj, self.color_cache))

    def shape(self, obj) -> tuple:
        from pdfminer.layout import LTLine, LTRect

        kind = "rect" if isinstance(obj, LTRect) else "line" if isinstance(obj, LTLine) else "curve"
        h, mb_x0, mb_top = self.h, self.mb_x0, self.mb_top
        pts = [(x + mb_x0, h - y + mb_top) for x, y in obj.pts]
        return (kind, obj.x0 + mb_x0, h - obj.y1 + mb_top, obj.x1 + mb_x0, h - obj.y0 + mb_top,
                pts, bool(obj.stroke), bool(obj.fill), obj.non_stroking_color)


def _char_color(obj, cache: dict[object, str | None]) -> str | None:
    """A pdfminer glyph's fill colour (its graphic state's non-stroking colour) as a font
    colour; cached by colour value, since a page has thousands of glyphs in a few colours."""
    gs = getattr(obj, "graphicstate", None)
    ncolor = getattr(gs, "ncolor", None) if gs is not None else None
    key = tuple(ncolor) if isinstance(ncolor, list | tuple) else ncolor
    try:
        hit = cache[key]
    except (KeyError, TypeError):
        hit = pdf_font_color(ncolor)
        try:
            cache[key] = hit
        except TypeError:
            pass
    return hit


def _rect_edges(x0: float, top: float, x1: float, bottom: float, out: list[Edge]) -> None:
    """A rectangle's rules: a thin bar is one rule along its length, a box is four."""
    if bottom - top <= 3 and x1 - x0 > 3:  # a bar drawn as a thin filled rectangle
        out.append(Edge("h", (top + bottom) / 2, x0, x1))
    elif x1 - x0 <= 3 and bottom - top > 3:
        out.append(Edge("v", (x0 + x1) / 2, top, bottom))
    else:
        out += [Edge("h", top, x0, x1), Edge("h", bottom, x0, x1),
                Edge("v", x0, top, bottom), Edge("v", x1, top, bottom)]


def _segments(pts, out: list[Edge]) -> None:
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        ax, ay, bx, by = float(ax), float(ay), float(bx), float(by)
        if abs(ay - by) < 0.5 and abs(ax - bx) >= 1:
            out.append(Edge("h", (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= 1:
            out.append(Edge("v", (ax + bx) / 2, min(ay, by), max(ay, by)))


def _rectilinear(pts) -> bool:
    return all(abs(a[0] - b[0]) < 0.5 or abs(a[1] - b[1]) < 0.5 for a, b in zip(pts, pts[1:], strict=False))


class PlumberPdf:
    """:class:`PdfSource` over pdfplumber; maps library errors to ParseError reasons."""

    def __init__(self, data: bytes) -> None:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        try:
            self._pdf = pdfplumber.open(io.BytesIO(data), password="")
        except (PDFPasswordIncorrect, PDFEncryptionError) as e:
            if isinstance(e, PDFPasswordIncorrect):
                raise ParseError("encrypted PDF: password required") from None
            raise ParseError(f"encrypted PDF: unsupported encryption ({_reason(e)})") from None
        except Exception as exc:  # noqa: BLE001 - any failure to open is a corrupt file
            cause = unwrap(exc)
            if isinstance(cause, PDFPasswordIncorrect):
                raise ParseError("encrypted PDF: password required") from None
            if isinstance(cause, PDFEncryptionError):
                raise ParseError(f"encrypted PDF: unsupported encryption ({_reason(cause)})") from None
            raise ParseError(f"corrupt PDF: {_reason(cause)}") from None
        try:
            self.page_count = len(self._pdf.pages)
        except Exception as e:  # noqa: BLE001
            self.close()
            raise ParseError(f"corrupt PDF: page tree unreadable ({_reason(e)})") from None
        meta = {}
        try:
            for k, v in (self._pdf.metadata or {}).items():
                if isinstance(v, str | int | float) and k in ("Title", "Author", "Creator", "Producer",
                                                                 "CreationDate", "ModDate", "Subject"):
                    meta[k] = str(v)
        except Exception:  # noqa: BLE001 - metadata is optional
            pass
        self.metadata = meta

    def pages(self) -> Iterator[PageSource]:
        pages = self._pdf.pages
        for i in range(self.page_count):
            yield PlumberPage(pages[i])

    def close(self) -> None:
        try:
            self._pdf.close()
        except Exception:  # noqa: BLE001
            pass


def unwrap(e: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's errors (PdfminerException(original)); the original
    names the reason."""
    for _ in range(3):
        inner = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e.__cause__
        if inner is None or inner is e:
            break
        e = inner
    return e


def _reason(e: BaseException) -> str:
    msg = " ".join(str(e).split())[:160]
    return f"{type(e).__name__}: {msg}" if msg else type(e).__name__


BACKENDS = ("pdfplumber", "pdfium")
BACKEND_ENV = "PLANTRAIL_PDF_BACKEND"


def backend_name(backend: str | None = None) -> str:
    """The backend to use: ``backend`` if given, else $PLANTRAIL_PDF_BACKEND, else pdfium."""
    name = (backend or os.environ.get(BACKEND_ENV) or "pdfium").strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"unknown PDF backend {name!r} (expected one of {', '.join(BACKENDS)})")
    return name


def open_pdf(data: bytes, backend: str | None = None) -> PdfSource:
    """Open ``data`` with ``backend`` ("pdfplumber" or "pdfium"; default: see :func:`backend_name`)."""
    if backend_name(backend) == "pdfium":
        from .pdf_pdfium import PdfiumPdf

        return PdfiumPdf(data)
    return PlumberPdf(data)
