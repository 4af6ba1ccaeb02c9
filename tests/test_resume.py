"""Kill -9 in the middle of a batch, run again: the same records as a run that was never
interrupted, none lost, none twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from badfiles import TEXT_PLAN
from plantrail import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
N_FILES = 60


def _corpus(folder: Path) -> None:
    """59 small plans (two actions each, refs of their own) and one committee report whose
    mentions get linked to plan actions."""
    folder.mkdir()
    for i in range(N_FILES - 1):
        text = TEXT_PLAN.replace("1.1", f"{i + 1}.1").replace("1.2", f"{i + 1}.2")
        (folder / f"plan-{i:02d}.txt").write_text(text.replace("Do a thing", f"Do thing number {i}"),
                                                  encoding="utf-8")
    report = (SAMPLES / "000_43f0da0be2bf896d.txt").read_text(encoding="utf-8")
    (folder / "report.txt").write_text(report, encoding="utf-8")


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM _documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def _kill_mid_batch(src: Path, out: Path) -> int:
    """Start a run, SIGKILL it (parent and workers) once some files are stored; returns how
    many files the store had when the run died."""
    proc = subprocess.Popen([sys.executable, "-m", "plantrail.cli", "ingest", str(src), "--out", str(out),
                             "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _stored(out / "plantrail.sqlite") < 3:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run stored nothing within a minute"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return _stored(out / "plantrail.sqlite")


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in ("documents", "actions", "reports", "figures", "mentions"):
        df = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        tables[name] = df.drop(columns="seconds") if name == "documents" else df
    return tables


def test_sigkill_mid_batch_then_resume_equals_an_uninterrupted_run(tmp_path, capsys):
    src = tmp_path / "in"
    _corpus(src)
    out = tmp_path / "killed"
    stored = _kill_mid_batch(src, out)
    assert 3 <= stored < N_FILES - 10  # it really died half way
    assert not (out / "actions.csv").exists()  # no outputs yet: they come after all files
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    capsys.readouterr()
    assert cli.main(["ingest", str(src), "--out", str(out), "--jobs", "2", "--json"]) == 0
    resumed = json.loads(capsys.readouterr().out)
    assert resumed["already_stored"] == stored and resumed["processed"] == N_FILES - stored
    assert resumed["store_documents"] == N_FILES

    whole = tmp_path / "whole"
    assert cli.main(["ingest", str(src), "--out", str(whole), "--jobs", "2", "--quiet"]) == 0
    got, want = _tables(out), _tables(whole)
    assert len(want["actions"]) == 2 * (N_FILES - 1) and len(want["mentions"]) == 8
    # linking ran over every plan in the store, also those stored by the killed run
    assert got["mentions"]["reason"].str.contains(f"chosen from {N_FILES - 1} in batch").all()
    assert got["actions"]["action_id"].is_unique
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)

    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        runs = conn.execute("SELECT status, processed, already_stored FROM runs ORDER BY run_id").fetchall()
    assert runs == [("killed", None, None), ("done", N_FILES - stored, stored)]
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".plantrail.lock"]
