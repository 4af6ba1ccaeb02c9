"""Bad input is normal: every broken file becomes one documents row with status "error" (or
a named skip) and a one-line reason, and the files around it are processed exactly as if it
were not there."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from badfiles import (
    TEXT_PLAN,
    declare_huge,
    docx_bytes,
    encrypted_xlsx_bytes,
    junk_bytes,
    minimal_pdf,
    xlsx_bytes,
)
from openpyxl import load_workbook
from plantrail.ingest import pipeline
from plantrail.ingest.discover import discover
from plantrail.ingest.pipeline import process_batch, process_file, run_batch
from plantrail.output import OutputError, parquet_writer

GOOD_BEFORE = "a-plan.txt"
GOOD_AFTER = "z-plan.txt"


def _without_time(rec) -> dict:
    d = rec.to_row()
    d.pop("seconds")
    return d


def _batch_around(tmp_path: Path, name: str, data: bytes):
    """Run a batch of good plan, bad file, good plan; check the good ones are untouched by the
    bad one and return the bad file's DocumentRecord."""
    (tmp_path / GOOD_BEFORE).write_text(TEXT_PLAN, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    (tmp_path / GOOD_AFTER).write_text(TEXT_PLAN.replace("Do a thing", "Do a different thing"),
                                       encoding="utf-8")
    batch = process_batch(discover([tmp_path]))
    by_name = {Path(r.document.path).name: r for r in batch.results}
    assert sorted(by_name) == sorted([GOOD_BEFORE, name, GOOD_AFTER])
    for good in (GOOD_BEFORE, GOOD_AFTER):
        alone = process_file(tmp_path / good)
        in_batch = by_name[good]
        assert _without_time(in_batch.document) == _without_time(alone.document)
        assert in_batch.document.format == "text"
        got = [a.to_row() for a in in_batch.normalised.actions] if in_batch.normalised else []
        want = [a.to_row() for a in alone.normalised.actions] if alone.normalised else []
        assert got == want
    bad = by_name[name]
    assert bad.normalised is None or bad.document.status != "error"
    return bad.document


def test_zero_byte_file(tmp_path):
    rec = _batch_around(tmp_path, "empty.pdf", b"")
    assert (rec.status, rec.reason, rec.size, rec.format) == ("error", "empty file (0 bytes)", 0, "empty")
    assert rec.extension_format == "pdf"


def test_truncated_docx(tmp_path):
    rec = _batch_around(tmp_path, "plan.docx", docx_bytes()[:3000])
    assert (rec.status, rec.format) == ("error", "docx")
    assert rec.reason.startswith("corrupt or truncated DOCX file (bad zip:")
    assert rec.size == 3000 and len(rec.sha256) == 64


def test_corrupt_xlsx(tmp_path):
    data = bytearray(xlsx_bytes())
    data[-200:] = b"\x00" * 200  # central directory wiped
    rec = _batch_around(tmp_path, "tracker.xlsx", bytes(data))
    assert (rec.status, rec.format) == ("error", "xlsx")
    assert rec.reason.startswith("corrupt or truncated XLSX file (bad zip:")


def test_password_protected_xlsx(tmp_path):
    rec = _batch_around(tmp_path, "locked.xlsx", encrypted_xlsx_bytes())
    assert (rec.status, rec.format, rec.reason) == ("error", "ole", "password-protected Office file")


def test_legacy_doc_renamed_docx_says_both(tmp_path, monkeypatch):
    from badfiles import ole_bytes
    from plantrail.parsers.convert import NOT_INSTALLED

    monkeypatch.setenv("PLANTRAIL_SOFFICE", "plantrail-no-such-soffice")  # as if LibreOffice were absent
    rec = _batch_around(tmp_path, "old.docx", ole_bytes("WordDocument"))
    assert (rec.status, rec.format, rec.reason) == ("error", "doc", f"{NOT_INSTALLED} (named .docx)")


def test_pdf_named_docx_is_read_as_pdf(tmp_path):
    rec = _batch_around(tmp_path, "really-a-pdf.docx", minimal_pdf("Hello plan"))
    assert (rec.format, rec.extension_format, rec.pages) == ("pdf", "docx", 1)
    assert rec.status in ("ok", "no_actions")
    assert rec.reason.endswith("read as pdf (named .docx)")


def test_binary_junk_named_txt(tmp_path):
    rec = _batch_around(tmp_path, "notes.txt", junk_bytes())
    assert (rec.status, rec.format, rec.reason) == (
        "error", "binary", "binary content, not a recognised document format")


def test_html_error_page_named_pdf(tmp_path):
    rec = _batch_around(tmp_path, "report.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>")
    assert (rec.status, rec.format) == ("error", "html")
    assert rec.reason == "HTML page, not a document (mislabelled?) (named .pdf)"


def test_docx_declaring_over_a_gigabyte(tmp_path):
    rec = _batch_around(tmp_path, "bomb.docx", declare_huge(docx_bytes(), "word/document.xml"))
    assert rec.status == "error"
    assert "zip" in rec.reason or "large" in rec.reason


def test_file_over_size_limit(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 3000)
    (tmp_path / "plan.txt").write_text(TEXT_PLAN)
    batch = process_batch(discover([tmp_path]), max_bytes=2000)
    big, plan = (r.document for r in batch.results)
    assert (big.status, big.size, big.sha256) == ("error", 3000, "")
    assert big.reason.startswith("file too large (")
    assert plan.status != "error" or "too large" not in plan.reason
    assert plan.sha256 and plan.size == len(TEXT_PLAN)


def test_file_vanishing_between_discovery_and_processing(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT_PLAN)
    (tmp_path / "gone.txt").write_text(TEXT_PLAN)
    (tmp_path / "z.txt").write_text(TEXT_PLAN)
    paths = list(discover([tmp_path]))
    (tmp_path / "gone.txt").unlink()
    batch = process_batch(paths)
    statuses = {Path(d.path).name: (d.status, d.reason) for d in batch.documents}
    assert statuses["gone.txt"] == ("error", "cannot read file: No such file or directory")
    assert statuses["a.txt"][0] != "error" and statuses["z.txt"][0] != "error"


def test_parser_crash_is_an_internal_error_not_a_dead_batch(tmp_path, monkeypatch):
    real_parse = pipeline.parse

    def parse(path, data, sha256, fmt):
        if path.endswith("crash.txt"):
            raise RuntimeError("table 3 went wrong\nTraceback line two")
        return real_parse(path, data, sha256, fmt)

    monkeypatch.setattr(pipeline, "parse", parse)
    rec = _batch_around(tmp_path, "crash.txt", b"anything")
    assert (rec.status, rec.reason) == ("error", "internal error: RuntimeError: table 3 went wrong")


def test_byte_identical_copy_is_skipped_not_duplicated(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT_PLAN)
    (tmp_path / "b-copy.txt").write_text(TEXT_PLAN)
    a, b = process_batch(discover([tmp_path])).results
    assert (b.document.status, b.document.reason) == ("skipped", f"same content as {tmp_path / 'a.txt'}")
    assert b.normalised is None and b.document.actions == 0
    assert a.document.sha256 == b.document.sha256


def test_office_lock_file_is_skipped(tmp_path):
    rec = _batch_around(tmp_path, "~$plan.docx", b"\x05owner" + b"\x00" * 100)
    assert (rec.status, rec.reason) == ("skipped", "Office lock file (~$), not a document")


def test_failed_write_keeps_previous_outputs_complete(tmp_path, monkeypatch):
    src = tmp_path / "in"
    out = tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT_PLAN)
    run_batch([src / "plan.txt"], out, ["csv", "parquet"])

    def outputs() -> dict[str, bytes]:  # every output file; the store (not an output) gets plan2
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                if p.is_file() and not p.name.startswith(("plantrail.sqlite", "."))}

    before = outputs()
    assert before["actions.csv"].startswith(b"action_id,") and "parquet/actions/part-00000.parquet" in before

    (src / "plan2.txt").write_text(TEXT_PLAN.replace("Do a thing", "Something new"))

    def broken(path, table):
        if table.name == "mentions":
            raise OSError(28, "No space left on device")
        pd.DataFrame().to_parquet(path)

    monkeypatch.setattr(parquet_writer, "dump", broken)
    with pytest.raises(OutputError, match="No space left on device"):
        run_batch(discover([src]), out, ["csv", "parquet"])
    assert outputs() == before  # actions.csv (written before the failure) complete and unchanged
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".plantrail.lock"]  # no temp files


def test_formulas_in_source_are_guarded_in_csv_and_text_cells_in_xlsx(tmp_path):
    plan = TEXT_PLAN.replace("Do a thing", '=HYPERLINK("http://x.example","click")').replace("RG", "@RG")
    (tmp_path / "plan.txt").write_text(plan)
    out = tmp_path / "out"
    batch = run_batch([tmp_path / "plan.txt"], out, ["csv", "xlsx", "jsonl"])
    assert batch.documents[0].status == "ok"
    actions = pd.read_csv(out / "actions.csv", dtype=str, keep_default_na=False)
    formula = actions[actions["ref"] == "1.1"]
    assert formula["action"].tolist() == ['\'=HYPERLINK("http://x.example","click")']
    ws = load_workbook(out / "plantrail.xlsx")["actions"]
    header = [c.value for c in ws[1]]
    col = header.index("action") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    hit = [c for c in cells if "HYPERLINK" in (c.value or "")]
    # XLSX: the exact text, as a text cell (never a formula), no apostrophe added
    assert [c.value for c in hit] == ['=HYPERLINK("http://x.example","click")'] and hit[0].data_type == "s"
    # every text cell of the CSV is safe to open
    for col_name in actions.columns:
        assert not actions[col_name].str.match(r"^[=+\-@\t\r]").any(), col_name
    # typed formats keep the exact text
    assert '"action": "=HYPERLINK(' in (out / "actions.jsonl").read_text(encoding="utf-8")


def test_unreadable_folder_entry_does_not_stop_discovery(tmp_path):
    (tmp_path / "plan.txt").write_text(TEXT_PLAN)
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    found = list(discover([tmp_path]))
    assert [p.name for p in found] == ["dangling.txt", "plan.txt"]  # the link gets a row, not silence
    doc = process_file(found[0]).document
    assert doc.status == "skipped" and "broken symbolic link" in doc.reason


def test_linking_failure_is_a_warning_not_a_dead_batch(tmp_path, monkeypatch, capsys):
    from plantrail import cli

    def broken_link(results):
        raise ValueError("mention table\nsecond line")

    monkeypatch.setattr(pipeline, "link_batch", broken_link)
    (tmp_path / "plan.txt").write_text(TEXT_PLAN)
    batch = process_batch([tmp_path / "plan.txt"])
    assert batch.warnings == ["linking report mentions failed: internal error: ValueError: mention table"]
    assert batch.documents[0].status == "ok" and batch.documents[0].actions == 2
    assert cli.main(["ingest", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out")]) == 1
    assert "warning: linking report mentions failed" in capsys.readouterr().out


def test_same_input_gives_byte_identical_tables(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.txt").write_text(TEXT_PLAN)
    (tmp_path / "in" / "a.txt").write_text(TEXT_PLAN.replace("1.1", "3.1"))
    (tmp_path / "in" / "bad.xlsx").write_bytes(b"")
    for out in ("o1", "o2"):
        run_batch(discover([tmp_path / "in"]), tmp_path / out, "csv,jsonl")
    for name in ("actions.csv", "reports.csv", "figures.csv", "mentions.csv", "actions.jsonl"):
        assert (tmp_path / "o1" / name).read_bytes() == (tmp_path / "o2" / name).read_bytes(), name
    docs = [pd.read_csv(tmp_path / out / "documents.csv").drop(columns="seconds") for out in ("o1", "o2")]
    pd.testing.assert_frame_equal(*docs)
    assert [Path(p).name for p in docs[0]["path"]] == ["a.txt", "b.txt", "bad.xlsx"]


def test_file_name_that_is_not_utf8_does_not_break_outputs(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9 plan.txt")
    try:
        with open(raw, "wb") as fh:
            fh.write(TEXT_PLAN.encode())
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    out = tmp_path / "out"
    batch = run_batch(discover([tmp_path]), out, "csv,xlsx,parquet,sqlite,jsonl")
    assert batch.documents[0].path == str(tmp_path / "caf\\xe9 plan.txt")  # the byte, visibly
    assert batch.documents[0].status == "ok"
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert docs["path"].tolist() == [str(tmp_path / "caf\\xe9 plan.txt")]
