"""Content-based format detection and file discovery."""

from __future__ import annotations

import os

import pytest
from badfiles import (
    TEXT_PLAN,
    declare_huge,
    docx_bytes,
    encrypted_xlsx_bytes,
    junk_bytes,
    minimal_pdf,
    ole_bytes,
    xlsx_bytes,
    zip_bytes,
)
from plantrail.ingest.detect import detect, extension_format, mislabel_note
from plantrail.ingest.discover import discover, missing_paths
from plantrail.ingest.hashing import sha256_bytes


@pytest.mark.parametrize("data, fmt", [
    (minimal_pdf(), "pdf"),
    (b"\r\n\x00junk before the header\n" + minimal_pdf(), "pdf"),  # leading junk within 1 KB
    (docx_bytes(), "docx"),
    (xlsx_bytes(), "xlsx"),
    (TEXT_PLAN.encode("utf-8"), "text"),
    (TEXT_PLAN.encode("cp1252"), "text"),
    ("Ref\tAction\n1.1\tCafé £5\n".encode("utf-16"), "text"),  # with BOM
    ("Ref\tAction\n1.1\tDo it\n".encode("utf-16-le"), "text"),  # without BOM
    (ole_bytes("WordDocument"), "doc"),  # legacy Office: parsers say what they need
    (ole_bytes("Workbook"), "xls"),
])
def test_readable_formats(data, fmt):
    found = detect(data)
    assert (found.fmt, found.ok, found.note) == (fmt, True, "")


def test_pdf_header_too_far_in_is_not_pdf():
    assert detect(b"x" * 2000 + minimal_pdf()).fmt == "text"


@pytest.mark.parametrize("data, fmt, note", [
    (b"", "empty", "empty file (0 bytes)"),
    (encrypted_xlsx_bytes(), "ole", "password-protected Office file"),
    (ole_bytes("Something"), "ole", "OLE compound file, not a Word (.doc) or Excel (.xls) file"),
    (b"<!DOCTYPE html>\n<html><body>Not found</body></html>", "html",
     "HTML page, not a document (mislabelled?)"),
    (b"\xef\xbb\xbf  <HTML><head>", "html", "HTML page, not a document (mislabelled?)"),
    (junk_bytes(), "binary", "binary content, not a recognised document format"),
    (b"\x89PNG\r\n\x1a\n" + junk_bytes(100), "binary", "PNG image, not a document"),
    (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.presentation"}), "zip",
     "OpenDocument presentation (.odp) not supported"),
    (zip_bytes({"[Content_Types].xml": b"<Types><Override ContentType='application/vnd.openxmlformats-"
                                       b"officedocument.presentationml.presentation.main+xml'/></Types>"}),
     "zip", "PowerPoint presentation (.pptx) not supported"),
    (zip_bytes({"notes.txt": b"hello"}), "zip", "zip archive, not an Office document"),
])
def test_unreadable_formats_are_named(data, fmt, note):
    found = detect(data)
    assert (found.fmt, found.ok, found.note) == (fmt, False, note)


def test_truncated_office_files_are_named_from_local_headers():
    docx = detect(docx_bytes()[:1500])
    xlsx = detect(xlsx_bytes()[:1500])
    assert (docx.fmt, docx.ok) == ("docx", False)
    assert docx.note.startswith("corrupt or truncated DOCX file (bad zip:")
    assert (xlsx.fmt, xlsx.ok) == ("xlsx", False)
    assert xlsx.note.startswith("corrupt or truncated XLSX file (bad zip:")


def test_zip_declaring_huge_size_is_refused_before_parsing():
    found = detect(declare_huge(docx_bytes(), "word/document.xml"))
    assert (found.fmt, found.ok) == ("docx", False)
    assert found.note.startswith("zip declares 1.5 GB uncompressed, too large")


def test_docx_is_found_by_content_type_even_with_odd_part_names():
    types = (b"<Types><Override PartName='/word/document2.xml' ContentType='application/vnd."
             b"openxmlformats-officedocument.wordprocessingml.document.main+xml'/></Types>")
    assert detect(zip_bytes({"[Content_Types].xml": types, "word/document2.xml": b"<w/>"})).fmt == "docx"


def test_extension_and_mislabel_notes():
    assert extension_format("Plan.DOCX") == "docx"
    assert extension_format("tracker.xlsm") == "xlsx"
    assert extension_format("notes.csv") == "text"
    assert extension_format("README") == ""
    assert extension_format(".hidden") == ""
    assert mislabel_note("pdf", "plan.docx") == "named .docx"
    assert mislabel_note("docx", "plan.docx") == ""
    assert mislabel_note("text", "data.csv") == ""
    assert mislabel_note("pdf", "download") == ""
    assert mislabel_note("binary", "junk.txt") == ""  # "binary" is not a claim about a format


def test_sha256():
    assert sha256_bytes(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_discover_is_sorted_recursive_and_skips_hidden_and_output(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "out").mkdir()
    for rel in ["z.txt", "b/2.pdf", "b/1.docx", "a/x.txt", ".hidden.txt", ".git/config", "out/actions.csv"]:
        (tmp_path / rel).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path], exclude=[tmp_path / "out"])]
    assert found == ["a/x.txt", "b/1.docx", "b/2.pdf", "z.txt"]


def test_discover_keeps_argument_order_and_drops_repeats(tmp_path):
    for name in ["one.txt", "two.txt"]:
        (tmp_path / name).write_text("x")
    found = list(discover([tmp_path / "two.txt", tmp_path, tmp_path / "one.txt"]))
    assert [p.name for p in found] == ["two.txt", "one.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_inside_a_folder_gets_a_row_and_is_never_opened(tmp_path):
    from plantrail.ingest.pipeline import process_file

    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "plan.txt").write_text("x")
    found = list(discover([tmp_path]))
    assert [p.name for p in found] == ["pipe", "plan.txt"]
    doc = process_file(found[0]).document  # opening a FIFO would block this test for ever
    assert doc.status == "skipped" and "FIFO" in doc.reason


def test_missing_paths(tmp_path):
    (tmp_path / "here.txt").write_text("x")
    assert missing_paths([tmp_path / "here.txt", tmp_path / "gone.txt"]) == [str(tmp_path / "gone.txt")]
