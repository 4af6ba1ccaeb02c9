"""OCR for PDFs without a text layer (scans), when Tesseract is installed.

Archives hold plans that were printed, signed and scanned; without OCR they are an error
row.  With the optional extra ``plantrail[ocr]`` (pytesseract) and the ``tesseract``
program installed, each page is rendered with pdfium (pypdfium2 comes with pdfplumber) and
read by Tesseract; its paragraphs become paragraph blocks with ``Provenance(page, bbox)``.
No tables are rebuilt from word boxes: a scanned table reads as its rows of text, which the
text reader and the normaliser already cope with better than a guessed grid.

OCR text is never as good as a text layer, so the document says where its text came from:
``meta["ocr"] = "tesseract"``, ``meta["ocr_confidence"]`` (mean word confidence, 0-100), and
a warning.  Paragraphs with no letter or digit, or whose mean word confidence is very low,
are dropped: they are specks, stamps and photographs read as text.

The ``bbox`` of an OCR block is in points of the page as rendered, i.e. after the page's
/Rotate is applied, which is how a person sees it.  A page read with low confidence gets
Tesseract's orientation check, and is read again turned upright when the check is sure: a
sideways scan otherwise comes out as confident-looking gibberish.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass, field

from .model import Block, Document, ParseError, Provenance

INSTALL_HINT = "no text layer (scanned PDF); install Tesseract and plantrail[ocr] for OCR"

DPI = 300  # what Tesseract is trained for; lower loses small print
MAX_PIXELS = 40_000_000  # an A0 drawing at 300 dpi would be 140 Mpx: scale down instead
MAX_PAGES = 200  # past this an archive scan becomes hours of OCR for one file
PAGE_TIMEOUT = 120  # seconds of Tesseract per page
MIN_CONFIDENCE = 30.0  # mean word confidence under which a paragraph is noise


def tesseract_path() -> str | None:
    """The tesseract program: $PLANTRAIL_TESSERACT, else ``tesseract`` on PATH."""
    forced = os.environ.get("PLANTRAIL_TESSERACT")
    return shutil.which(forced) if forced else shutil.which("tesseract")


def available() -> bool:
    """True when pytesseract, pypdfium2 and the tesseract program are all there."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return tesseract_path() is not None


@dataclass
class OcrPages:
    """What OCR read from some pages of a PDF."""

    blocks: dict[int, list[Block]] = field(default_factory=dict)  # page number -> its paragraphs
    confidences: list[float] = field(default_factory=list)  # of every word kept
    failed: list[str] = field(default_factory=list)  # "page N: reason"
    lang: str = "eng"
    page_count: int = 0

    def mean_confidence(self) -> str:
        return f"{sum(self.confidences) / len(self.confidences):.0f}" if self.confidences else ""


def ocr_pdf(data: bytes, path: str, sha256: str, *, lang: str | None = None, dpi: int = DPI,
            max_pages: int = MAX_PAGES) -> Document:
    """A Document read from the page images of the PDF ``data``; ParseError naming what to
    install when OCR is not available, or when the PDF cannot be rendered."""
    doc = Document(path=path, sha256=sha256, format="pdf")
    res = ocr_pages(data, None, lang=lang, dpi=dpi, max_pages=max_pages, meta=doc.meta)
    doc.pages = res.page_count
    for number in sorted(res.blocks):
        doc.blocks.extend(res.blocks[number])
    done = min(res.page_count, max_pages)
    if done and len(res.failed) == done:
        raise ParseError(f"scanned PDF: OCR failed on every page ({res.failed[0]})")
    doc.warnings.append(f"text from OCR (tesseract, {res.lang}): no text layer, words may be misread")
    doc.warnings.extend(f"OCR failed on {f}" for f in res.failed)
    if res.page_count > max_pages:
        doc.warnings.append(f"OCR stopped after {max_pages} of {res.page_count} pages")
    doc.meta["ocr"] = "tesseract"
    doc.meta["ocr_lang"] = res.lang
    if res.confidences:
        doc.meta["ocr_confidence"] = res.mean_confidence()
    if not doc.blocks:  # blank pages, photographs: nothing a later stage could use
        raise ParseError("no text layer (scanned PDF), and OCR found no text in the page images")
    return doc


def ocr_pages(data: bytes, numbers: list[int] | None = None, *, lang: str | None = None, dpi: int = DPI,
              max_pages: int = MAX_PAGES, meta: dict[str, str] | None = None) -> OcrPages:
    """OCR of the pages ``numbers`` (1-based; None = all, up to ``max_pages``) of the PDF
    ``data``.  For a PDF that is only partly scanned, the PDF reader can call this for its
    pages without text.  ParseError when OCR is not available or the PDF cannot be
    rendered; a page that fails is listed in ``failed`` and the others go on.  ``meta``, when
    given, receives the PDF's document information (Title, Author, ...)."""
    if not available():
        raise ParseError(INSTALL_HINT)
    import pypdfium2 as pdfium
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = tesseract_path()
    res = OcrPages(lang=lang or os.environ.get("PLANTRAIL_OCR_LANG") or "eng")
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # noqa: BLE001 - pdfium raises PdfiumError and friends
        raise ParseError(f"scanned PDF that cannot be rendered for OCR: {_reason(e)}") from None
    try:
        if meta is not None:
            meta.update(_metadata(pdf))
        res.page_count = len(pdf)
        wanted = range(1, res.page_count + 1) if numbers is None else \
            sorted({n for n in numbers if 1 <= n <= res.page_count})
        for number in list(wanted)[:max_pages]:
            try:
                blocks, confs = _ocr_page(pdf, number, dpi, res.lang, pytesseract)
            except Exception as e:  # noqa: BLE001 - one bad page must not lose the others
                res.failed.append(f"page {number}: {_reason(e)}")
                continue
            res.blocks[number] = blocks
            res.confidences.extend(confs)
    finally:
        pdf.close()
    return res


def _ocr_page(pdf, number: int, dpi: int, lang: str, pytesseract) -> tuple[list[Block], list[float]]:
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        scale = dpi / 72.0
        if width * height * scale * scale > MAX_PIXELS:
            scale = math.sqrt(MAX_PIXELS / max(width * height, 1.0))
        image = page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()
    blocks, confs = _paragraphs(_read(image, lang, pytesseract), number, scale)
    if _weak(confs):  # upside down or sideways? Tesseract's orientation check says
        turn = _orientation(image, pytesseract)
        if turn:
            turned = image.rotate(-turn, expand=True)
            blocks2, confs2 = _paragraphs(_read(turned, lang, pytesseract), number, scale)
            if sum(confs2) > sum(confs):
                return blocks2, confs2
    return blocks, confs


def _read(image, lang: str, pytesseract) -> dict:
    try:
        return pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT,
                                         timeout=PAGE_TIMEOUT)
    except RuntimeError as e:  # pytesseract's timeout; other errors are the page's failure
        if "timeout" not in str(e).lower():
            raise
        raise RuntimeError(f"took over {PAGE_TIMEOUT} s") from None


def _weak(confs: list[float]) -> bool:
    """Few words, or words read with low confidence: what a sideways scan gives."""
    return len(confs) < 5 or sum(confs) / len(confs) < 60


def _orientation(image, pytesseract) -> int:
    """Degrees (90/180/270) to turn the page clockwise so its text stands upright; 0 when
    upright or when Tesseract cannot tell (too little text, no osd data)."""
    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT)
        turn = int(osd.get("rotate", 0)) % 360
        sure = float(osd.get("orientation_conf", 0.0))
    except Exception:  # noqa: BLE001 - "Too few characters", missing osd.traineddata, timeouts
        return 0
    return turn if turn in (90, 180, 270) and sure >= 1.0 else 0


def _paragraphs(words: dict, page: int, scale: float) -> tuple[list[Block], list[float]]:
    """Tesseract's words grouped into its paragraphs, in its reading order."""
    blocks: list[Block] = []
    confs: list[float] = []
    for idx in _word_groups(words).values():  # dicts keep Tesseract's order
        text = " ".join(str(words["text"][i]).strip() for i in idx)
        conf = sum(float(words["conf"][i]) for i in idx) / len(idx)
        if not any(ch.isalnum() for ch in text) or conf < MIN_CONFIDENCE:
            continue
        confs.extend(float(words["conf"][i]) for i in idx)
        blocks.append(Block("paragraph", text, prov=Provenance(page=page, bbox=_bbox(words, idx, scale))))
    return blocks, confs


def _word_groups(words: dict) -> dict[tuple[int, int], list[int]]:
    """Indexes of the recognised words (text, confidence >= 0) by (block, paragraph)."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, text in enumerate(words["text"]):
        if not str(text).strip():
            continue
        try:
            if float(words["conf"][i]) < 0:
                continue
        except (TypeError, ValueError):
            continue
        groups.setdefault((words["block_num"][i], words["par_num"][i]), []).append(i)
    return groups


def _bbox(words: dict, idx: list[int], scale: float) -> tuple[float, float, float, float]:
    x0 = min(words["left"][i] for i in idx) / scale
    top = min(words["top"][i] for i in idx) / scale
    x1 = max(words["left"][i] + words["width"][i] for i in idx) / scale
    bottom = max(words["top"][i] + words["height"][i] for i in idx) / scale
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


def _metadata(pdf) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - metadata is a nicety
        return out
    for key in ("Title", "Author", "Creator", "Producer", "CreationDate", "ModDate", "Subject"):
        value = info.get(key)  # the keys parsers/pdf.py keeps, so both paths look alike
        if value:
            out[key] = " ".join("".join(ch for ch in str(value) if ch >= " ").split())[:300]
    return out


def _reason(e: BaseException) -> str:
    msg = " ".join(str(e).split())
    return f"{type(e).__name__}: {msg}"[:160] if msg else type(e).__name__
