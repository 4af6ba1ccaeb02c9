"""The run store: re-runs skip what is stored, --force and changed content redo, copies are
read once across runs, the store's tables equal the exports, and a full disk on the store or
on the outputs fails the run cleanly with everything committed kept."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from badfiles import TEXT_PLAN, docx_bytes
from plantrail import cli
from plantrail.ingest import incremental, run
from plantrail.ingest import store as store_mod
from plantrail.ingest.incremental import needs_retry
from plantrail.ingest.store import FolderLock, Store, StoredDocument
from plantrail.normalise.records import DocumentRecord
from plantrail.output import write_outputs
from plantrail.output.readers import read_output
from plantrail.output.tables import build_table

TABLES = ("documents", "actions", "reports", "figures", "mentions")


def _src(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT_PLAN, encoding="utf-8")
    (src / "b.txt").write_text(TEXT_PLAN.replace("1.1", "2.1").replace("1.2", "2.2"), encoding="utf-8")
    (src / "broken.docx").write_bytes(docx_bytes()[:2500])
    return src


def _ingest(capsys, *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = cli.main(["ingest", *args, "--json", "--jobs", "0"])
    return code, json.loads(capsys.readouterr().out)


def _actions(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "actions.csv", dtype=str, keep_default_na=False)


def _runs(out: Path) -> list[tuple]:
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        return conn.execute("SELECT status, files, processed, already_stored, errors FROM runs "
                            "ORDER BY run_id").fetchall()


def test_rerun_skips_stored_files_and_outputs_hold_each_once(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    code, first = _ingest(capsys, str(src), "--out", str(out))
    assert code == 1 and (first["processed"], first["already_stored"]) == (3, 0)
    before = _actions(out)
    code, again = _ingest(capsys, str(src), "--out", str(out))
    assert code == 1  # the broken file is still broken: same exit code as the first run
    assert (again["processed"], again["already_stored"], again["by_status"]) == (0, 3, {"error": 1, "ok": 2})
    assert again["actions"] == first["actions"] == 4
    assert [e["path"] for e in again["errors"]] == [str(src / "broken.docx")]
    after = _actions(out)
    pd.testing.assert_frame_equal(before, after)
    assert after["action_id"].is_unique and len(after) == 4
    assert len(pd.read_csv(out / "documents.csv")) == 3
    assert _runs(out) == [("done", 3, 3, 0, 1), ("done", 3, 0, 3, 1)]


def test_summary_says_how_many_were_already_stored(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    cli.main(["ingest", str(src), "--out", str(out), "--jobs", "0"])
    capsys.readouterr()
    cli.main(["ingest", str(src), "--out", str(out), "--jobs", "0"])
    text = capsys.readouterr().out
    assert "already stored: 3 of 3 (done by an earlier run; --force redoes them)" in text
    assert "plantrail ingest: 3 files read" in text and "actions found: 4" in text


def test_force_redoes_every_file(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    _ingest(capsys, str(src), "--out", str(out))
    code, forced = _ingest(capsys, str(src), "--out", str(out), "--force")
    assert (forced["processed"], forced["already_stored"]) == (3, 0)
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        assert conn.execute("SELECT DISTINCT run_id FROM _documents").fetchall() == [(2,)]
        assert conn.execute("SELECT count(*) FROM actions").fetchone() == (4,)
    assert _actions(out)["action_id"].is_unique


def test_changed_and_new_files_are_the_only_work(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    _ingest(capsys, str(src), "--out", str(out))
    old_ids = set(_actions(out)["action_id"])
    (src / "a.txt").write_text(TEXT_PLAN.replace("Do a thing", "Do something else"), encoding="utf-8")
    (src / "c.txt").write_text(TEXT_PLAN.replace("1.1", "3.1").replace("1.2", "3.2"), encoding="utf-8")
    code, summary = _ingest(capsys, str(src), "--out", str(out))
    assert (summary["processed"], summary["already_stored"]) == (2, 2)
    actions = _actions(out)
    assert len(actions) == 6 and actions["action_id"].is_unique
    a_rows = actions[actions["source_file"] == str(src / "a.txt")]
    assert sorted(a_rows["action"]) == ["Do something else", "Review the second thing"]
    stale = old_ids - set(actions["action_id"])
    assert stale and all(i.startswith(a_rows["sha256"].iloc[0][:0]) for i in stale)  # a.txt's old version gone
    assert not set(a_rows["action_id"]) & old_ids


def test_copies_are_read_once_across_runs_and_the_stored_one_keeps_its_records(tmp_path, capsys):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "m.txt").write_text(TEXT_PLAN, encoding="utf-8")
    _ingest(capsys, str(src), "--out", str(out))
    (src / "a-copy.txt").write_text(TEXT_PLAN, encoding="utf-8")  # sorts first, but m.txt is stored
    code, summary = _ingest(capsys, str(src), "--out", str(out))
    assert (summary["processed"], summary["already_stored"]) == (1, 1)
    docs = read_output(out, "csv")["documents"]
    assert docs[["status", "reason"]].fillna("").values.tolist() == [["skipped", f"same content as {src / 'm.txt'}"],
                                                          ["ok", ""]]
    assert docs["sha256"].nunique() == 1 and docs["format"].tolist() == ["text", "text"]
    assert len(_actions(out)) == 2
    code, third = _ingest(capsys, str(src), "--out", str(out))
    assert third["already_stored"] == 2  # the copy's row is current too


def test_new_pipeline_version_redoes_files(tmp_path, capsys, monkeypatch):
    src, out = _src(tmp_path), tmp_path / "out"
    _ingest(capsys, str(src), "--out", str(out))
    version = incremental.pipeline_version()
    assert version.startswith("0.") and "+" in version
    monkeypatch.setattr(run, "pipeline_version", lambda: version + "-next")
    code, summary = _ingest(capsys, str(src), "--out", str(out))
    assert summary["processed"] == 3
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        assert conn.execute("SELECT DISTINCT pipeline_version FROM _documents").fetchall() == [(version + "-next",)]


def test_store_tables_equal_the_exports(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    (src / "report.txt").write_text(Path(__file__).resolve().parents[1].joinpath(
        "samples", "000_43f0da0be2bf896d.txt").read_text(encoding="utf-8"), encoding="utf-8")
    cli.main(["ingest", str(src), "--out", str(out), "--format", "csv,jsonl", "--jobs", "0", "--quiet"])
    from_store, from_csv = read_output(out, "sqlite"), read_output(out, "csv")
    assert read_output(out).keys() == from_store.keys()
    for name in TABLES:
        pd.testing.assert_frame_equal(from_store[name], from_csv[name], obj=name)
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"runs", "_documents", "_actions", *TABLES} <= names


def test_retry_rules_for_files_that_hit_a_limit():
    doc = DocumentRecord(path="x.pdf", status="error")
    timed_out = StoredDocument(doc, limit_kind="timeout", limit_value=300)
    assert not needs_retry(timed_out, 300, 2048) and not needs_retry(timed_out, 120, 2048)
    assert needs_retry(timed_out, 600, 2048) and needs_retry(timed_out, 0, 2048)
    hog = StoredDocument(doc, limit_kind="memory", limit_value=2048)
    assert not needs_retry(hog, 300, 2048) and needs_retry(hog, 300, 4096) and needs_retry(hog, 300, None)
    assert needs_retry(StoredDocument(doc, limit_kind="crash"), 300, 2048)
    assert not needs_retry(StoredDocument(doc), 300, 2048)


def test_deleted_file_and_unreadable_paths_get_a_row(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    batch = run.run_batch([src / "a.txt", src / "gone.txt"], out, jobs=0)
    rows = {Path(d.path).name: (d.status, d.reason) for d in batch.documents}
    assert rows == {"a.txt": ("ok", ""), "gone.txt": ("error", "cannot read file: No such file or directory")}


def test_old_plantrail_sqlite_export_is_kept_aside(tmp_path, capsys):
    out = tmp_path / "out"
    write_outputs(out, [build_table("documents", [DocumentRecord(path="old.txt")])], ["sqlite"])
    src = _src(tmp_path)
    code, summary = _ingest(capsys, str(src), "--out", str(out))
    assert code == 1 and summary["store_documents"] == 3
    with sqlite3.connect(out / "plantrail.sqlite.old") as conn:
        assert conn.execute("SELECT path FROM documents").fetchall() == [("old.txt",)]


def test_a_folder_in_use_is_refused(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    out.mkdir()
    with FolderLock(out):
        assert cli.main(["ingest", str(src), "--out", str(out), "--jobs", "0"]) == 3
    assert "is in use by another plantrail ingest run" in capsys.readouterr().err
    assert cli.main(["ingest", str(src), "--out", str(out), "--jobs", "0", "--quiet"]) == 1


def test_full_disk_on_the_store_stops_the_run_and_keeps_what_was_committed(tmp_path, capsys, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(12):
        (src / f"p{i:02d}.txt").write_text(TEXT_PLAN.replace("1.1", f"{i + 1}.1") * 5, encoding="utf-8")
    real_open = Store.open.__func__

    def small_disk(cls, out_dir):
        store = real_open(cls, out_dir)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 30}")  # SQLite's own "disk full"
        return store

    monkeypatch.setattr(Store, "open", classmethod(small_disk))
    assert cli.main(["ingest", str(src), "--out", str(out), "--jobs", "0"]) == 3
    err = capsys.readouterr().err
    assert "cannot write to the store" in err and "database or disk is full" in err
    assert "files already in the store are kept (re-run to finish)" in err
    monkeypatch.undo()
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        kept = conn.execute("SELECT count(*) FROM _documents").fetchone()[0]
        assert conn.execute("SELECT status FROM runs").fetchall() == [("failed",)]
    assert 0 < kept < 12
    code, summary = _ingest(capsys, str(src), "--out", str(out))
    assert code == 0 and (summary["already_stored"], summary["processed"]) == (kept, 12 - kept)
    actions = _actions(out)
    assert len(actions) == 12 * 10 and actions["action_id"].is_unique


def test_full_disk_on_the_outputs_keeps_the_store_and_earlier_outputs(tmp_path, capsys, monkeypatch):
    src, out = _src(tmp_path), tmp_path / "out"
    assert cli.main(["ingest", str(src / "a.txt"), "--out", str(out), "--format", "csv,parquet", "--quiet"]) == 0

    def outputs() -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                if p.is_file() and not p.name.startswith(("plantrail.sqlite", "."))}

    before = outputs()

    def no_space(src_path, dst_path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    assert cli.main(["ingest", str(src), "--out", str(out), "--format", "csv,parquet", "--jobs", "0"]) == 3
    monkeypatch.undo()
    assert "No space left on device" in capsys.readouterr().err
    assert outputs() == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".plantrail.lock"]
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM _documents").fetchone() == (3,)
    code, summary = _ingest(capsys, str(src), "--out", str(out), "--format", "csv,parquet")
    assert summary["already_stored"] == 3 and len(_actions(out)) == 4
    assert len(pd.read_parquet(out / "parquet" / "actions")) == 4


@pytest.mark.parametrize("kind", ["actions", "mentions"])
def test_rebuilt_records_serialise_like_the_originals(tmp_path, kind):
    from plantrail.ingest.pipeline import process_file

    sample = "001_6c3b3558f498e180.txt" if kind == "actions" else "000_43f0da0be2bf896d.txt"
    result = process_file(Path(__file__).resolve().parents[1] / "samples" / sample)
    records = getattr(result.normalised, kind)
    assert records
    rebuilt = [store_mod.rebuild(type(r), store_mod.record_json(r)) for r in records]
    assert rebuilt == records


def test_ctrl_c_keeps_finished_files_and_stops_the_workers(tmp_path, capsys, monkeypatch):
    import multiprocessing as mp

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(8):
        (src / f"p{i}.txt").write_text(TEXT_PLAN.replace("1.1", f"{i + 1}.1"), encoding="utf-8")
    real_save = Store.save
    saved = []

    def save(self, outcome, **kw):
        if len(saved) == 3:
            raise KeyboardInterrupt
        real_save(self, outcome, **kw)
        saved.append(outcome.document.path)

    monkeypatch.setattr(Store, "save", save)
    assert cli.main(["ingest", str(src), "--out", str(out), "--jobs", "2"]) == 130
    assert "files finished so far are kept in the store (re-run to finish)" in capsys.readouterr().err
    assert not mp.active_children()  # workers stopped with the run
    monkeypatch.undo()
    assert _runs(out)[0][0] == "interrupted" and not (out / "actions.csv").exists()
    code, summary = _ingest(capsys, str(src), "--out", str(out))
    assert (code, summary["already_stored"], summary["processed"]) == (0, 3, 5)


def test_links_are_redone_only_when_documents_changed(tmp_path, capsys, monkeypatch):
    from plantrail.ingest import pipeline

    src, out = _src(tmp_path), tmp_path / "out"
    calls = []
    real_link = pipeline.link_batch
    monkeypatch.setattr(pipeline, "link_batch", lambda results: calls.append(len(results)) or real_link(results))
    _ingest(capsys, str(src), "--out", str(out))
    _ingest(capsys, str(src), "--out", str(out))  # nothing changed: links in the store are current
    assert calls == [2]  # the two plans (the broken file has no records)
    (src / "c.txt").write_text(TEXT_PLAN.replace("1.1", "3.1"), encoding="utf-8")
    code, summary = _ingest(capsys, str(src), "--out", str(out), "--no-link")
    assert calls == [2] and code == 1
    assert summary["notes"] == ["report mentions not linked to plan actions (--no-link): a run without "
                                "--no-link links them"]
    _ingest(capsys, str(src), "--out", str(out))
    assert calls == [2, 3]  # the run after --no-link links everything in the store
