"""OCR of image-only PDFs: real Tesseract runs skip when it is not installed; the "not
installed" reason is always tested.  Every scan here is drawn by the test with Pillow and
saved as an image-only PDF (no text layer)."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont
from plantrail.ingest.pipeline import process_file
from plantrail.parsers import ParseError
from plantrail.parsers.ocr import INSTALL_HINT, _paragraphs, available, ocr_pages, ocr_pdf
from plantrail.parsers.pdf import parse_pdf

needs_tesseract = pytest.mark.skipif(not available(), reason="Tesseract / pytesseract not installed")

LINES = ["Improvement Plan 2016", "",
         "1.1 Publish the housing strategy by October.",
         "1.2 Review the allocations policy with members."]


def scanned_pdf(lines: list[str] = LINES, rotate: int = 0, pages: int = 1) -> bytes:
    """A "scan": text drawn into a greyscale image, saved by Pillow as an image-only PDF."""
    font = ImageFont.load_default(size=36)
    images = []
    for _ in range(pages):
        img = Image.new("L", (1275, 600), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            draw.text((80, 60 + 70 * i), line, fill=0, font=font)
        images.append(img.rotate(rotate, expand=True) if rotate else img)
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return buf.getvalue()


def _no_tesseract(monkeypatch):
    monkeypatch.delenv("PLANTRAIL_TESSERACT", raising=False)
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)


def test_without_tesseract_the_reason_names_what_to_install(monkeypatch):
    _no_tesseract(monkeypatch)
    assert not available()
    with pytest.raises(ParseError) as err:
        parse_pdf("scan.pdf", scanned_pdf(), "0" * 64)
    assert str(err.value) == INSTALL_HINT == \
        "no text layer (scanned PDF); install Tesseract and plantrail[ocr] for OCR"
    with pytest.raises(ParseError, match=r"install Tesseract and plantrail\[ocr\]"):
        ocr_pdf(scanned_pdf(), "scan.pdf", "0" * 64)


def test_pipeline_row_without_tesseract(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTRAIL_TESSERACT", "plantrail-no-such-tesseract")  # reaches worker processes
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf())
    rec = process_file(tmp_path / "scan.pdf").document
    assert (rec.format, rec.status, rec.reason) == ("pdf", "error", INSTALL_HINT)


def test_paragraphs_group_words_scale_boxes_and_drop_noise():
    words = {  # what pytesseract.image_to_data gives, cut down to two paragraphs and noise
        "text": ["", "Review", "the", "policy", "|", "~", "zzq"],
        "conf": ["-1", "96", "95.5", "91", "40", "35", "12"],
        "block_num": [1, 1, 1, 1, 2, 2, 3],
        "par_num": [1, 1, 1, 1, 1, 1, 1],
        "left": [0, 100, 300, 400, 10, 20, 50],
        "top": [0, 50, 52, 50, 500, 500, 700],
        "width": [0, 180, 80, 150, 5, 5, 60],
        "height": [0, 40, 38, 44, 30, 30, 30],
    }
    blocks, confs = _paragraphs(words, page=3, scale=2.0)
    assert [(b.kind, b.text, b.prov.page, b.prov.bbox) for b in blocks] == [
        ("paragraph", "Review the policy", 3, (50.0, 25.0, 275.0, 47.0))]
    assert confs == [96.0, 95.5, 91.0]  # "| ~" has no letter; "zzq" is below the confidence floor


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr():
    doc = parse_pdf("scan.pdf", scanned_pdf(pages=2), "0" * 64)
    assert (doc.format, doc.pages, doc.meta["ocr"], doc.meta["ocr_lang"]) == ("pdf", 2, "tesseract", "eng")
    assert doc.warnings[0].startswith("text from OCR (tesseract, eng)")
    assert int(doc.meta["ocr_confidence"]) >= 80
    texts = [(b.prov.page, b.text) for b in doc.blocks]
    assert texts == [(p, t) for p in (1, 2) for t in LINES if t]
    x0, top, x1, bottom = doc.blocks[1].prov.bbox  # points on a 612 x 288 pt page
    assert 30 < x0 < 50 and 90 < top < 110 and 300 < x1 < 420 and top < bottom < 130


@needs_tesseract
def test_chosen_pages_only_for_partly_scanned_pdfs():
    res = ocr_pages(scanned_pdf(pages=3), [3, 9])  # a page past the end is ignored
    assert (res.page_count, list(res.blocks), res.failed, res.lang) == (3, [3], [], "eng")
    assert [b.text for b in res.blocks[3]][0] == "Improvement Plan 2016"
    assert {b.prov.page for b in res.blocks[3]} == {3}


@needs_tesseract
def test_sideways_scan_is_turned_upright():
    doc = ocr_pdf(scanned_pdf(rotate=90), "scan.pdf", "0" * 64)
    assert [b.text for b in doc.blocks] == [t for t in LINES if t]


@needs_tesseract
def test_blank_scan_is_an_error_not_an_empty_document():
    with pytest.raises(ParseError, match=r"^no text layer \(scanned PDF\), and OCR found no text"):
        parse_pdf("blank.pdf", scanned_pdf(lines=[]), "0" * 64)


@needs_tesseract
def test_scanned_plan_through_the_pipeline(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf())
    rec = process_file(tmp_path / "scan.pdf").document
    assert (rec.format, rec.pages) == ("pdf", 1)
    assert rec.status in ("ok", "no_actions")
    assert rec.warnings >= 1  # the OCR warning at least
