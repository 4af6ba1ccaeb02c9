"""Errors carry a cause class; a later run retries what may now succeed (issue 12, point 4)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from badfiles import TEXT_PLAN, docx_bytes
from plantrail import cli
from plantrail.ingest import causes, incremental
from plantrail.ingest.causes import classify
from plantrail.ingest.incremental import needs_retry
from plantrail.ingest.store import StoredDocument
from plantrail.normalise.records import DocumentRecord
from plantrail.output.readers import read_output


@pytest.mark.parametrize(("reason", "limit_kind", "cause"), [
    ("legacy Word/OpenDocument file: install LibreOffice (soffice) to read it", "", "missing_tool"),
    ("no text layer (scanned PDF); install Tesseract and plantrail[ocr] for OCR", "", "missing_tool"),
    ("timed out after 300 s", "timeout", "limit"),
    ("out of memory (cap 2048 MB)", "memory", "limit"),
    ("file too large (600 MB; limit 500 MB, see --max-size)", "", "limit"),
    ("LibreOffice took over 120 s to convert the Word document; gave up", "", "limit"),
    ("encrypted PDF: password required", "", "encrypted"),
    ("password-protected Office file", "", "encrypted"),
    ("empty file (0 bytes)", "", "not_document"),
    ("HTML page, not a document (mislabelled?)", "", "not_document"),
    ("binary content, not a recognised document format", "", "not_document"),
    ("corrupt or truncated DOCX file (bad zip: File is not a zip file)", "", "unreadable"),
    ("internal error: KeyError: 'x'", "", "unreadable"),
])
def test_classify(reason, limit_kind, cause):
    assert classify(reason, limit_kind) == cause


def _ingest(capsys, *args: str) -> tuple[int, dict]:
    code = cli.main(["ingest", *args, "--json", "--jobs", "0"])
    return code, json.loads(capsys.readouterr().out)


def test_error_rows_have_a_cause(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "broken.docx").write_bytes(docx_bytes()[:2500])
    (src / "empty.pdf").write_bytes(b"")
    (src / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    _ingest(capsys, str(src), "--out", str(tmp_path / "out"))
    docs = read_output(tmp_path / "out")["documents"]
    assert docs["cause"].tolist()[:2] == ["unreadable", "not_document"] and pd.isna(docs["cause"][2])


def test_missing_tool_error_is_retried_once_the_tool_is_there(tmp_path, capsys, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)  # stands for a legacy Word file
    from plantrail.ingest import pipeline

    real = pipeline.process_file
    tool = {"installed": False}

    def process_file(path, max_bytes=pipeline.DEFAULT_MAX_BYTES):
        if str(path).endswith(".doc") and not tool["installed"]:
            result = real(path, max_bytes)
            result.document.status = "error"
            result.document.reason = "legacy Word/OpenDocument file: install LibreOffice (soffice) to read it"
            result.document.cause = "missing_tool"
            return result
        return real(path, max_bytes)

    from plantrail.ingest import run

    monkeypatch.setattr(run, "process_file", process_file)
    monkeypatch.setattr(causes, "tool_available", lambda name: tool["installed"])
    monkeypatch.setattr(incremental, "tool_available", lambda name: tool["installed"])
    _, first = _ingest(capsys, str(src), "--out", str(out))
    assert first["processed"] == 2
    _, again = _ingest(capsys, str(src), "--out", str(out))
    assert (again["processed"], again["already_stored"]) == (0, 2)  # tool still missing: kept
    tool["installed"] = True
    _, retried = _ingest(capsys, str(src), "--out", str(out))
    assert (retried["processed"], retried["already_stored"]) == (1, 1)  # only the .doc, now the tool is there


def test_retry_errors_retries_every_error(tmp_path, capsys):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "broken.docx").write_bytes(docx_bytes()[:2500])
    (src / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    _ingest(capsys, str(src), "--out", str(out))
    _, again = _ingest(capsys, str(src), "--out", str(out))
    assert again["processed"] == 0  # a corrupt file stays as it was
    _, forced = _ingest(capsys, str(src), "--out", str(out), "--retry-errors")
    assert (forced["processed"], forced["already_stored"]) == (1, 1)


def test_empty_and_lock_files_are_stored_like_any_outcome(tmp_path, capsys):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "empty.pdf").write_bytes(b"")
    (src / "empty2.docx").write_bytes(b"")
    (src / "~$plan.docx").write_bytes(b"\x05Owner" + b" " * 100)
    (src / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    _, first = _ingest(capsys, str(src), "--out", str(out))
    assert first["processed"] == 4 and first["by_status"] == {"error": 2, "ok": 1, "skipped": 1}
    _, again = _ingest(capsys, str(src), "--out", str(out))
    assert (again["processed"], again["already_stored"]) == (0, 4)
    docs = read_output(out)["documents"].set_index("path")
    assert docs.loc[str(src / "empty2.docx"), "reason"] == "empty file (0 bytes)"  # not "a copy of" empty.pdf
    assert docs.loc[str(src / "~$plan.docx"), "status"] == "skipped"


def test_limit_retry_rules():
    doc = DocumentRecord(path="x.doc", status="error", reason="LibreOffice took over 1 s to convert the file; gave up",
                         cause="limit")
    assert needs_retry(StoredDocument(doc), 300, 2048)  # the conversion limit (120 s by default) is higher now
    doc = DocumentRecord(path="x.pdf", status="error", reason="encrypted PDF: password required", cause="encrypted")
    assert not needs_retry(StoredDocument(doc), 300, 2048) and needs_retry(StoredDocument(doc), 300, 2048,
                                                                          retry_errors=True)
    ok = DocumentRecord(path="y.txt", status="ok")
    assert not needs_retry(StoredDocument(ok), 300, 2048, retry_errors=True)
