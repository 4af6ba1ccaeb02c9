"""Parallel runs: the worker pool's per-item limits, --jobs N giving the same tables as one
process, files past a limit recorded (and retried only when the limit is raised), the Dask
executor on a LocalCluster, and Parquet dataset folders that other engines read."""

from __future__ import annotations

import faulthandler
import json
import multiprocessing as mp
import os
import signal
import time
from pathlib import Path

import pandas as pd
import pytest
from badfiles import TEXT_PLAN, declare_huge, docx_bytes, encrypted_xlsx_bytes, minimal_pdf
from plantrail import cli
from plantrail.ingest import pipeline
from plantrail.ingest.discover import discover
from plantrail.ingest.pool import LimitedPool, crash_reason
from plantrail.ingest.run import run_batch
from plantrail.output.readers import read_output

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TABLES = ("documents", "actions", "reports", "figures", "mentions")
needs_fork = pytest.mark.skipif("fork" not in mp.get_all_start_methods(),
                                reason="workers inherit test patches only when forked")


def _work(item):
    kind, n = item
    if kind == "sleep":
        time.sleep(60)
    if kind == "memory":
        return len(bytearray(n * 1024 * 1024))
    if kind == "segv":
        faulthandler.disable()  # pytest's handler would print the worker's stack
        os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "exit":
        os._exit(3)
    if kind == "raise":
        raise ValueError(f"bad item {n}")
    return n * 10


def test_pool_gives_every_item_one_outcome_whatever_it_does():
    items = [("ok", 1), ("sleep", 0), ("ok", 2), ("memory", 400), ("ok", 3), ("segv", 0), ("ok", 4),
             ("exit", 0), ("raise", 7), ("ok", 5)]
    with LimitedPool(_work, 2, timeout=0.5, max_memory_mb=64) as pool:
        outcomes = {o.item: o for o in pool.run(items)}
    assert sorted(outcomes) == sorted(items)
    assert {i[1]: outcomes[i].value for i in items if i[0] == "ok"} == {1: 10, 2: 20, 3: 30, 4: 40, 5: 50}
    assert (outcomes[("sleep", 0)].kind, outcomes[("sleep", 0)].failure) == ("timeout", "timed out after 0.5 s")
    assert (outcomes[("memory", 400)].kind, outcomes[("memory", 400)].failure) == (
        "memory", "out of memory (cap 64 MB)")
    assert (outcomes[("segv", 0)].kind, outcomes[("segv", 0)].failure) == (
        "crash", "worker process crashed (SIGSEGV)")
    assert outcomes[("exit", 0)].failure == "worker process exited unexpectedly (exit code 3)"
    assert (outcomes[("raise", 7)].kind, outcomes[("raise", 7)].failure) == ("exception", "ValueError: bad item 7")
    assert not mp.active_children()  # killed and finished workers are all reaped


def test_memory_cap_is_on_top_of_what_the_worker_starts_with():
    with LimitedPool(_work, 1, max_memory_mb=256) as pool:
        assert pool.map([("memory", 100), ("memory", 600)], on_failure=lambda o: o.failure) == [
            100 * 1024 * 1024, "out of memory (cap 256 MB)"]


def test_pool_map_keeps_input_order_and_recycles_workers():
    with LimitedPool(_work, 2, max_tasks=3) as pool:
        assert pool.map([("ok", i) for i in range(20)], on_failure=lambda o: None) == [i * 10 for i in range(20)]


def test_crash_reasons():
    assert crash_reason(-9) == "worker process was killed (SIGKILL; out of memory?)"
    assert crash_reason(-11) == "worker process crashed (SIGSEGV)"
    assert crash_reason(1) == "worker process exited unexpectedly (exit code 1)"


def _plans(folder: Path, n: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"plan{i}.txt").write_text(TEXT_PLAN.replace("1.1", f"{i + 1}.1"), encoding="utf-8")
    return folder


def _frames(out: Path) -> dict[str, pd.DataFrame]:
    tables = read_output(out, "csv")
    tables["documents"] = tables["documents"].drop(columns="seconds")
    return tables


def test_jobs_n_gives_the_same_tables_as_one_process(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in SAMPLES.iterdir():
        if p.suffix in (".txt", ".docx", ".xlsx"):
            (src / p.name).write_bytes(p.read_bytes())
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "one"), "--jobs", "0", "--quiet"]) == 0
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "two"), "--jobs", "2", "--quiet"]) == 0
    one, two = _frames(tmp_path / "one"), _frames(tmp_path / "two")
    assert len(one["actions"]) > 100 and one["mentions"]["action_id"].ne("").any()
    for name in TABLES:
        pd.testing.assert_frame_equal(one[name], two[name], obj=name)


def test_bad_files_in_parallel_each_get_a_status_and_reason(tmp_path, capsys):
    src = _plans(tmp_path / "in", 2)
    (src / "empty.pdf").write_bytes(b"")
    (src / "locked.xlsx").write_bytes(encrypted_xlsx_bytes())
    (src / "cut.docx").write_bytes(docx_bytes()[:2000])
    (src / "bomb.docx").write_bytes(declare_huge(docx_bytes(), "word/document.xml"))
    (src / "page.pdf").write_bytes(b"<!DOCTYPE html><html><body>404 Not Found</body></html>")
    (src / "hello.pdf").write_bytes(minimal_pdf("Hello plan"))
    (src / "zcopy.txt").write_text(TEXT_PLAN.replace("1.1", "1.1"), encoding="utf-8")
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--jobs", "2", "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    docs = read_output(tmp_path / "out", "csv")["documents"]
    assert len(docs) == summary["files"] == 9
    assert docs["status"].isin(["ok", "no_actions", "error", "skipped"]).all()
    assert (docs.loc[docs["status"] != "ok", "reason"] != "").all()
    by_name = dict(zip(docs["path"].map(lambda p: Path(p).name), docs["status"], strict=True))
    assert by_name == {"bomb.docx": "error", "cut.docx": "error", "empty.pdf": "error", "locked.xlsx": "error",
                       "page.pdf": "error", "plan0.txt": "ok", "plan1.txt": "ok", "hello.pdf": "no_actions",
                       "zcopy.txt": "skipped"}
    assert summary["by_status"] == {"error": 5, "no_actions": 1, "ok": 2, "skipped": 1}
    assert docs.loc[docs["path"].str.endswith("zcopy.txt"), "reason"].tolist() == [f"same content as {src / 'plan0.txt'}"]
    assert [e["path"] for e in summary["errors"]] == sorted(str(src / n) for n in (
        "bomb.docx", "cut.docx", "empty.pdf", "locked.xlsx", "page.pdf"))
    assert not any(e["reason"].startswith("internal error") for e in summary["errors"])


@pytest.fixture
def slow_parse(monkeypatch):
    """Make parsing misbehave for one named file (in forked workers too)."""
    real = pipeline.parse
    behaviour = {}

    def parse(path, data, sha256, fmt):
        what = behaviour.get(os.path.basename(path))
        if what == "hang":
            time.sleep(60)
        elif what == "memory":
            return bytearray(1024 * 1024 * 1024)
        elif what == "crash":
            os._exit(9)
        return real(path, data, sha256, fmt)

    monkeypatch.setattr(pipeline, "parse", parse)
    return behaviour


def _statuses(batch) -> dict[str, tuple[str, str]]:
    return {Path(d.path).name: (d.status, d.reason) for d in batch.documents}


@needs_fork
def test_a_hanging_file_times_out_and_the_batch_goes_on(tmp_path, slow_parse):
    src = _plans(tmp_path / "in", 3)
    slow_parse["plan1.txt"] = "hang"
    out = tmp_path / "out"
    batch = run_batch(discover([src]), out, jobs=2, timeout=0.5)
    assert _statuses(batch) == {"plan0.txt": ("ok", ""), "plan1.txt": ("error", "timed out after 0.5 s"),
                                "plan2.txt": ("ok", "")}
    hung = next(d for d in batch.documents if d.path.endswith("plan1.txt"))
    assert len(hung.sha256) == 64 and hung.extension_format == "text"
    again = run_batch(discover([src]), out, jobs=2, timeout=0.5)  # same limit: not tried again
    assert again.already_stored == 3
    slow_parse.clear()
    raised = run_batch(discover([src]), out, jobs=2, timeout=5)  # higher limit: tried again, now fine
    assert raised.already_stored == 2 and _statuses(raised)["plan1.txt"] == ("ok", "")


@needs_fork
def test_memory_hog_and_crash_are_recorded_per_file(tmp_path, slow_parse):
    src = _plans(tmp_path / "in", 3)
    slow_parse.update({"plan0.txt": "memory", "plan2.txt": "crash"})
    batch = run_batch(discover([src]), tmp_path / "out", jobs=2, max_memory_mb=200)
    assert _statuses(batch) == {
        "plan0.txt": ("error", "out of memory (cap 200 MB)"), "plan1.txt": ("ok", ""),
        "plan2.txt": ("error", "internal error: worker process exited unexpectedly (exit code 9)")}
    slow_parse.clear()
    again = run_batch(discover([src]), tmp_path / "out", jobs=2, max_memory_mb=200)
    assert again.already_stored == 2  # the crash is retried (maybe the machine), the memory hog is not
    assert _statuses(again)["plan2.txt"] == ("ok", "") and _statuses(again)["plan0.txt"][0] == "error"


def test_limit_options_are_checked(tmp_path, capsys):
    src = _plans(tmp_path / "in", 1)
    for bad in (["--jobs", "-1"], ["--jobs", "x"], ["--timeout", "-2"], ["--max-memory", "lots"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), *bad])
        assert exc.value.code == 2
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--scheduler", "tcp://x:1"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_dask_missing_is_a_usage_error(tmp_path, monkeypatch, capsys):
    from plantrail.ingest import command

    monkeypatch.setattr(command, "dask_available", lambda: False)
    src = _plans(tmp_path / "in", 1)
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--executor", "dask"]) == 2
    assert "pip install 'plantrail[dask]'" in capsys.readouterr().err


def test_dask_executor_gives_the_same_records_as_local(tmp_path, capsys):
    distributed = pytest.importorskip("dask.distributed")
    src = tmp_path / "in"
    src.mkdir()
    for p in SAMPLES.iterdir():
        if p.suffix in (".txt", ".docx", ".xlsx"):
            (src / p.name).write_bytes(p.read_bytes())
    (src / "broken.docx").write_bytes(docx_bytes()[:2000])
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "local"), "--jobs", "2", "--quiet"]) == 1
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=2,
                                  dashboard_address=None) as cluster:
        code = cli.main(["ingest", str(src), "--out", str(tmp_path / "dask"), "--executor", "dask",
                         "--scheduler", cluster.scheduler_address, "--json"])
    assert code == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["processed"] == 8 and summary["by_status"] == {"error": 1, "ok": 7}
    local, dask = _frames(tmp_path / "local"), _frames(tmp_path / "dask")
    assert len(local["actions"]) > 100
    for name in TABLES:
        pd.testing.assert_frame_equal(local[name], dask[name], obj=name)


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys):
    pytest.importorskip("dask.distributed")
    src = _plans(tmp_path / "in", 1)
    code = cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--executor", "dask",
                     "--scheduler", "not-a-scheme://nowhere"])
    assert code == 2
    assert "cannot reach the Dask scheduler not-a-scheme://nowhere" in capsys.readouterr().err


def test_parquet_dataset_folders_read_by_other_engines(tmp_path):
    src = _plans(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert cli.main(["ingest", str(src), "--out", str(out), "--format", "parquet", "--quiet"]) == 0
    single = pd.read_parquet(out / "actions.parquet")
    dataset = pd.read_parquet(out / "parquet" / "actions")
    assert len(single) == 6
    pd.testing.assert_frame_equal(single, dataset)
    assert list(pd.read_parquet(out / "parquet" / "mentions").columns) == list(
        pd.read_parquet(out / "mentions.parquet").columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert "parquet/actions/part-00000.parquet" in manifest["files"] and "plantrail.sqlite" in manifest["files"]
    duckdb = pytest.importorskip("duckdb")
    got = duckdb.sql(f"SELECT ref FROM read_parquet('{out / 'parquet' / 'actions'}/*.parquet') ORDER BY ref")
    assert [r[0] for r in got.fetchall()] == ["1.1", "1.2", "1.2", "1.2", "2.1", "3.1"]


@needs_fork
def test_api_ingest_with_workers_matches_in_process_and_applies_limits(tmp_path, slow_parse):
    from plantrail.api import ingest

    src = _plans(tmp_path / "in", 3)
    plain = ingest(src)
    slow_parse["plan2.txt"] = "hang"
    limited = ingest(src, jobs=2, timeout=0.5)
    assert limited["documents"]["reason"].fillna("").tolist() == ["", "", "timed out after 0.5 s"]
    pd.testing.assert_frame_equal(limited["actions"], plain["actions"][plain["actions"]["source_file"] != str(
        src / "plan2.txt")].reset_index(drop=True))
