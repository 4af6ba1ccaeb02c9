"""Legacy and OpenDocument formats: .xls through xlrd; .doc/.odt/.rtf/.ods through LibreOffice.

The fixtures under tests/fixtures/ were made once by make_fixtures.py (same plan in every
format).  Tests that need LibreOffice skip when it is absent; the "not installed" path is
always tested.
"""

from __future__ import annotations

import os
import shutil
import stat
import struct
from pathlib import Path

import pytest
from badfiles import ole_bytes, zip_bytes
from plantrail.ingest.detect import _ole_root_names, detect, extension_format, mislabel_note
from plantrail.ingest.pipeline import process_file
from plantrail.parsers import ParseError, parse
from plantrail.parsers.convert import NOT_INSTALLED, convert, find_soffice
from plantrail.parsers.xls import _apply_merges, parse_xls

FIXTURES = Path(__file__).resolve().parent / "fixtures"
needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _cells(doc) -> dict[str, tuple[str, int, int, bool, str | None]]:
    return {c.prov.cell: (c.text, c.row_span, c.col_span, c.bold, c.fill) for c in doc.tables()[0].cells}


# ------------------------------------------------------------------------------ detection


@pytest.mark.parametrize("name, fmt", [
    ("plan.xls", "xls"), ("plan.doc", "doc"), ("plan.odt", "odt"), ("plan.ods", "ods"), ("plan.rtf", "rtf"),
])
def test_legacy_formats_are_detected_and_parseable(name, fmt):
    assert detect(fixture(name)) == (fmt, True, "")
    assert extension_format(name) == fmt
    assert mislabel_note(fmt, name) == ""


def test_ole_kind_comes_from_the_root_directory():
    assert {"workbook", "\x05summaryinformation"} <= _ole_root_names(fixture("plan.xls"))
    assert "worddocument" in _ole_root_names(fixture("plan.doc"))
    assert "workbook" not in _ole_root_names(fixture("plan.doc"))


@pytest.mark.parametrize("data, note", [
    (ole_bytes("PowerPoint Document"), "legacy PowerPoint (.ppt) not supported"),
    (ole_bytes("__substg1.0_0037001F"), "OLE compound file, not a Word (.doc) or Excel (.xls) file"),
])
def test_other_ole_files_are_named(data, note):
    assert detect(data) == ("ole", False, note)


def test_odf_by_mimetype_and_presentations_refused():
    odt = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    ods = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    odp = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.presentation"})
    assert detect(odt) == ("odt", True, "")
    assert detect(ods) == ("ods", True, "")
    assert detect(odp) == ("zip", False, "OpenDocument presentation (.odp) not supported")


def test_rtf_and_utf16_without_bom_are_readable():
    assert detect(b"{\\rtf1\\ansi Hello}") == ("rtf", True, "")
    assert detect("Ref\tAction\n1.1\tDo it\n".encode("utf-16-le")) == ("text", True, "")
    assert detect("Ref\tAction\n1.1\tDo it\n".encode("utf-16-be")) == ("text", True, "")


def _biff4(*records: bytes) -> bytes:
    def rec(rid: int, body: bytes) -> bytes:
        return struct.pack("<HH", rid, len(body)) + body

    def label(r: int, c: int, text: str) -> bytes:
        raw = text.encode("latin-1")
        return rec(0x0204, struct.pack("<HHHH", r, c, 0, len(raw)) + raw)

    body = [label(0, 0, "Ref"), label(0, 1, "Action"), label(1, 0, "1.1"),
            rec(0x0203, struct.pack("<HHHd", 1, 1, 0, 2.5))]
    return rec(0x0409, struct.pack("<HHH", 0, 0x0010, 0)) + b"".join(body) + rec(0x000A, b"")


def test_excel4_raw_biff_stream_has_no_ole_container_and_still_reads():
    data = _biff4()
    assert detect(data) == ("xls", True, "")
    doc = parse_xls("old.xls", data, "0" * 64)
    assert doc.meta["biff_version"] == "40"
    assert {c.prov.cell: c.text for c in doc.tables()[0].cells} == {"A1": "Ref", "B1": "Action", "A2": "1.1",
                                                                    "B2": "2.5"}


# ------------------------------------------------------------------------------ .xls


def test_xls_layout_values_fills_merges_and_provenance():
    doc = parse_xls("plan.xls", fixture("plan.xls"), "a" * 64)
    assert doc.format == "xls"
    heading = doc.blocks[0]
    assert (heading.kind, heading.text, heading.bold, heading.prov.sheet, heading.prov.cell) == \
        ("heading", "Improvement Plan 2016-17", True, "Plan", "A1")
    table = doc.tables()[0]
    assert (table.n_rows, table.n_cols, table.prov.sheet, table.prov.cell) == (6, 7, "Plan", "A3:G8")
    cells = _cells(doc)
    assert cells["A3"] == ("Ref", 1, 1, True, "C0C0C0")
    assert cells["A4"] == ("Priority 1: Housing", 1, 6, False, None)  # merged section row
    assert "B4" not in cells
    assert cells["D5"][0] == "2016-04-01" and cells["E6"][0] == "2017-03-31"  # date cells as ISO
    assert cells["G5"][0] == "42" and cells["G6"][0] == "2.5"  # integers without ".0"
    assert cells["F5"] == ("Green", 1, 1, False, "00FF00")
    assert cells["F6"][4] == "FFCC00"
    assert cells["F8"] == ("", 1, 1, False, "FF0000")  # RAG by colour alone
    assert table.row_texts(1) == ["Priority 1: Housing"] * 6 + [""]


def test_xls_hidden_sheet_listed_not_parsed():
    doc = parse_xls("plan.xls", fixture("plan.xls"), "a" * 64)
    assert [(s.name, s.hidden) for s in doc.sheets] == [("Plan", False), ("Lookup", True)]
    assert "hidden sheets not parsed: Lookup" in doc.warnings
    assert all(b.prov.sheet == "Plan" for b in doc.blocks)


def test_xls_plan_gives_actions_through_the_pipeline(tmp_path):
    (tmp_path / "plan.xls").write_bytes(fixture("plan.xls"))
    result = process_file(tmp_path / "plan.xls")
    rec = result.document
    assert (rec.format, rec.status, rec.actions, rec.sheets) == ("xls", "ok", 3, "Plan; Lookup (hidden)")
    got = [(a.ref, a.action, a.end) for a in result.normalised.actions]
    assert got == [("1.1", "Publish the housing strategy", "2016-10-31"),
                   ("1.2", "Review the allocations policy", "2017-03-31"),
                   ("2.1", "Train all ward councillors", "2016-12-01")]


def test_encrypted_xls_says_password(tmp_path):
    data = bytearray(fixture("plan.xls"))
    bof = data.index(b"\x09\x08\x10\x00")  # workbook globals BOF; INTERFACEHDR follows it
    assert data[bof + 20: bof + 24] == b"\xe1\x00\x02\x00"
    data[bof + 20: bof + 22] = b"\x2f\x00"  # ... now a FILEPASS record: what encryption writes
    with pytest.raises(ParseError, match="^password-protected Excel file$"):
        parse_xls("locked.xls", bytes(data), "0" * 64)
    (tmp_path / "locked.xls").write_bytes(bytes(data))
    rec = process_file(tmp_path / "locked.xls").document
    assert (rec.format, rec.status, rec.reason) == ("xls", "error", "password-protected Excel file")


@pytest.mark.parametrize("data", [
    fixture("plan.xls")[:3000],
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8,
    b"\x09\x08\x10\x00" + b"\xff" * 40,
])
def test_broken_xls_is_a_parse_error(data):
    with pytest.raises(ParseError, match="^unreadable XLS"):
        parse_xls("bad.xls", data, "0" * 64)


def test_merge_folds_covered_text_into_the_anchor():
    raws = {(0, 0): ["a", False, None, 0.0], (0, 1): ["b", True, None, 0.0], (3, 3): ["x", False, None, 0.0]}
    anchors = _apply_merges(raws, [(0, 1, 0, 2), (2, 3, 2, 4), (5, 6, 5, 6)])
    assert anchors == {(0, 0): (1, 2), (2, 2): (3, 4)}  # a 1x1 "merge" is no merge
    assert raws == {(0, 0): ["a\nb", False, None, 0.0], (2, 2): ["", False, None, 0.0],
                    (3, 3): ["x", False, None, 0.0]}


# ------------------------------------------------------------------------------ LibreOffice


def _no_soffice(monkeypatch):
    monkeypatch.delenv("PLANTRAIL_SOFFICE", raising=False)
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    monkeypatch.setattr("plantrail.parsers.convert._KNOWN_PATHS", ())


@pytest.mark.parametrize("name, fmt", [("plan.doc", "doc"), ("plan.odt", "odt"), ("plan.rtf", "rtf")])
def test_without_libreoffice_the_reason_names_what_to_install(monkeypatch, name, fmt):
    _no_soffice(monkeypatch)
    assert find_soffice() is None
    with pytest.raises(ParseError) as err:
        parse(name, fixture(name), "0" * 64, fmt)
    assert str(err.value) == NOT_INSTALLED == "legacy Word/OpenDocument file: install LibreOffice (soffice) to read it"


def test_without_libreoffice_ods_names_what_to_install(monkeypatch):
    _no_soffice(monkeypatch)
    with pytest.raises(ParseError, match=r"^OpenDocument spreadsheet: install LibreOffice \(soffice\) to read it$"):
        parse("plan.ods", fixture("plan.ods"), "0" * 64, "ods")


def test_pipeline_row_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTRAIL_SOFFICE", "plantrail-no-such-soffice")  # reaches worker processes too
    (tmp_path / "plan.doc").write_bytes(fixture("plan.doc"))
    rec = process_file(tmp_path / "plan.doc").document
    assert (rec.format, rec.status, rec.reason) == ("doc", "error", NOT_INSTALLED)


def test_password_protected_odf_is_named_before_conversion(monkeypatch):
    _no_soffice(monkeypatch)  # the check needs no LibreOffice
    manifest = (b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
                b'</manifest:file-entry></manifest:manifest>')
    data = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                      "META-INF/manifest.xml": manifest, "content.xml": b"\x8f\x01garbage"})
    with pytest.raises(ParseError, match=r"^password-protected OpenDocument spreadsheet \(\.ods\)$"):
        parse("locked.ods", data, "0" * 64, "ods")


@needs_soffice
@pytest.mark.parametrize("name, fmt", [("plan.doc", "doc"), ("plan.odt", "odt"), ("plan.rtf", "rtf")])
def test_word_family_through_libreoffice(name, fmt):
    doc = parse(name, fixture(name), "0" * 64, fmt)
    assert (doc.format, doc.meta["converted_via"]) == (fmt, "libreoffice")
    assert [(b.kind, b.text) for b in doc.blocks[:2]] == [
        ("heading", "Improvement Plan 2016-17"), ("paragraph", "Progress against the actions agreed by Cabinet.")]
    table = doc.tables()[0]
    assert (table.n_rows, table.n_cols) == (4, 6)
    assert table.row_texts(2) == ["1.2", "Review the allocations policy", "AB", "01/05/2016", "31/03/2017", "Amber"]
    assert [c.fill for c in table.cells if c.col == 5 and c.row > 0] == ["00FF00", "FFCC00", "FF0000"]


@needs_soffice
def test_ods_through_libreoffice_matches_the_xls():
    doc = parse("plan.ods", fixture("plan.ods"), "0" * 64, "ods")
    assert (doc.format, doc.meta["converted_via"]) == ("ods", "libreoffice")
    assert [(s.name, s.hidden) for s in doc.sheets] == [("Plan", False), ("Lookup", True)]
    assert _cells(doc) == _cells(parse_xls("plan.xls", fixture("plan.xls"), "0" * 64))


@needs_soffice
def test_doc_gives_actions_through_the_pipeline(tmp_path):
    (tmp_path / "plan.doc").write_bytes(fixture("plan.doc"))
    result = process_file(tmp_path / "plan.doc")
    assert (result.document.format, result.document.status, result.document.actions) == ("doc", "ok", 3)
    assert [a.ref for a in result.normalised.actions] == ["1.1", "1.2", "2.1"]


@needs_soffice
def test_garbage_doc_is_a_conversion_error():
    with pytest.raises(ParseError, match=r"^LibreOffice could not convert the legacy Word \(\.doc\)"):
        parse("bad.doc", ole_bytes("WordDocument"), "0" * 64, "doc")


def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_conversion_time_limit_kills_the_whole_process_group(tmp_path):
    pidfile = tmp_path / "child.pid"
    soffice = _fake_soffice(tmp_path, f"sleep 60 &\necho $! > {pidfile}\nwait\n")
    with pytest.raises(ParseError, match=r"^LibreOffice took over 0\.5 s to convert the legacy Word \(\.doc\); gave up$"):
        convert(b"x", "doc", "docx", soffice=soffice, timeout=0.5, what="legacy Word (.doc)")
    child = int(pidfile.read_text())
    stat_file = Path(f"/proc/{child}/stat")
    if stat_file.exists():  # killed but not yet reaped by init: a zombie at most
        assert stat_file.read_text().split(") ")[1].startswith("Z")


@pytest.mark.skipif(os.name != "posix", reason="shell script stand-in for soffice")
def test_conversion_without_output_is_an_error_and_leaves_no_temp_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    soffice = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 0\n")
    with pytest.raises(ParseError, match=r"^LibreOffice could not convert the \.doc file "
                                         r"\(Error: source file could not be loaded\)"):
        convert(b"x", "doc", "docx", soffice=soffice, timeout=30)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("plantrail-lo-")]


@pytest.mark.skipif(os.name != "posix", reason="shell script stand-in for soffice")
def test_conversion_uses_a_private_profile_and_returns_the_output(tmp_path):
    # the stand-in writes its arguments as the "converted" file, so the command line is checked
    soffice = _fake_soffice(tmp_path, 'prev=""\nfor a; do [ "$prev" = "--outdir" ] && dir="$a"; prev="$a"; done\n'
                                      'echo "$@" > "$dir/input.docx"\n')
    args = convert(b"x", "doc", "docx", soffice=soffice, timeout=30).decode()
    assert "--headless" in args and "--convert-to docx" in args
    assert "-env:UserInstallation=file:///" in args and "/profile" in args
    assert args.rstrip().endswith("input.doc")


def test_converted_xlsx_reader_errors_say_what_happened(monkeypatch):
    """A conversion whose output the .xlsx reader refuses names both steps."""
    monkeypatch.setattr("plantrail.parsers.convert.find_soffice", lambda: "soffice")
    monkeypatch.setattr("plantrail.parsers.convert.convert", lambda *a, **k: b"PK\x05\x06" + b"\x00" * 18)
    ods = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    with pytest.raises(ParseError, match=r"^OpenDocument spreadsheet \(\.ods\) converted by LibreOffice, then: "):
        parse("x.ods", ods, "0" * 64, "ods")

