"""Each break found by an attack run, reproduced on small generated inputs and shown held.

Every attack here is bounded in time and memory: the bombs are built in the test and stopped by
the guards long before they could hurt, processes are killed by the test if a check fails.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from badfiles import TEXT_PLAN
from plantrail import cli
from plantrail.ingest import execute, pipeline, reconcile_command
from plantrail.ingest.limited_call import call_limited
from plantrail.ingest.pool import LimitedPool
from plantrail.ingest.store_check import refuse_read_only
from plantrail.output import OutputError
from plantrail.parsers import ParseError
from plantrail.parsers.ooxml import ZipBomb, ZipLimits, check_inflation

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------------------- helpers


def _plan_text(i: int, rows: int) -> str:
    head, *body = TEXT_PLAN.strip("\n").split("\n")
    lines = [head] + [f"{i}.{k}\tReview the partnership arrangement number {k}\tApr-17\tOct-17\tRG\tGreen"
                      for k in range(1, rows + 1)]
    return "\n".join(lines) + "\n"


def _slow_corpus(folder: Path, files: int = 16, rows: int = 1500) -> None:
    folder.mkdir()
    for i in range(files):
        (folder / f"plan-{i:02d}.txt").write_text(_plan_text(i + 1, rows), encoding="utf-8")


def _descendants(pid: int) -> set[int]:
    """Every live process whose parent chain reaches ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    out: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier and p not in out}
        out |= frontier
    return out


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for p in pids:
        try:
            with open(f"/proc/{p}/stat", encoding="ascii", errors="replace") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(p)
        except OSError:
            continue
    return alive


def _start_run(src: Path, out: Path) -> tuple[subprocess.Popen, set[int]]:
    """A run with two workers, once both workers exist: (process, worker pids)."""
    proc = subprocess.Popen([sys.executable, "-m", "plantrail.cli", "ingest", str(src), "--out", str(out),
                             "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2:
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("the run ended (or stalled) before its workers could be seen")
        workers = _descendants(proc.pid)
        time.sleep(0.02)
    return proc, workers


# ---------------------------------------------------------------------------- 1, 2: processes


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_1_sigkill_of_the_parent_leaves_no_worker_alive(tmp_path):
    _slow_corpus(tmp_path / "in")
    proc, workers = _start_run(tmp_path / "in", tmp_path / "out")
    try:
        proc.kill()  # the parent alone, as `kill -9 $!` does
        proc.wait()
        time.sleep(2)
        assert _alive(workers) == set(), "workers outlived their parent"
    finally:
        for p in _alive(workers):
            os.kill(p, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(("signame", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_2_sigterm_and_sighup_stop_the_run_like_ctrl_c(tmp_path, signame, code):
    _slow_corpus(tmp_path / "in")
    proc, workers = _start_run(tmp_path / "in", tmp_path / "out")
    try:
        proc.send_signal(getattr(signal, signame))
        _, err = proc.communicate(timeout=60)
    finally:
        os.killpg(proc.pid, signal.SIGKILL) if proc.poll() is None else None
    assert proc.returncode == code
    assert f"stopped by {signame}" in err.decode()
    time.sleep(0.5)
    assert _alive(workers) == set()
    with sqlite3.connect(tmp_path / "out" / "plantrail.sqlite") as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]


# ---------------------------------------------------------------------------- 3, 9: zips


def _with_lying_member(data: bytes, name: str, real_size: int, declared: int) -> bytes:
    """``data`` plus a member that inflates to ``real_size`` bytes but declares ``declared``
    (both the local header and the central directory lie)."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, b"<x/>" + b" " * (real_size - 4))
    out = bytearray(buf.getvalue())
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = out.rfind(sig + b"", 0, len(out))
        while pos >= 0:
            name_len = struct.unpack_from("<H", out, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(out[start:start + name_len]) == name.encode():
                struct.pack_into("<L", out, pos + size_at, declared)
                break
            pos = out.rfind(sig, 0, pos)
    return bytes(out)


def test_3_a_member_that_lies_about_its_size_is_refused_without_inflating_it(tmp_path):
    data = _with_lying_member((SAMPLES / "sample-plan.docx").read_bytes(), "word/bomb.xml",
                              real_size=64 << 20, declared=1024)
    assert len(data) < 2 << 20  # 64 MB of XML packs small: that is the attack
    (tmp_path / "bomb.docx").write_bytes(data)
    doc = pipeline.process_file(tmp_path / "bomb.docx").document
    assert doc.status == "error" and "inflates past its declared" in doc.reason


def test_3_padded_xml_past_the_hard_cap_is_refused_whatever_it_declares():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", os.urandom(1 << 20).hex())  # 2 MB of honest, incompressible-ish XML
    zf = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    small = ZipLimits(max_member=4 << 20, max_total=1 << 20)
    with pytest.raises(ZipBomb, match="zip bomb guard"):
        check_inflation(buf.getvalue(), zf.infolist(), "DOCX", small)
    check_inflation(buf.getvalue(), zf.infolist(), "DOCX", ZipLimits())  # under the default caps: fine


def _mutations(data: bytes, n: int, seed: int) -> list[bytes]:
    import random

    rng = random.Random(seed)
    out = []
    for k in range(n):
        b = bytearray(data)
        if k % 3 == 0:
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif k % 3 == 1:
            b = b[: rng.randrange(len(b))]
        else:  # swap two members' names in the central directory: the wrong part where one is expected
            cd = b.rfind(b"PK\x01\x02")
            if cd > 0:
                b[cd + 46: cd + 50] = b"word"[::-1]
        out.append(bytes(b))
    return out


@pytest.mark.parametrize("sample", ["sample-plan.docx", "sample-tracker.xlsx"])
def test_9_damaged_office_files_are_clean_errors_never_internal(tmp_path, sample):
    data = (SAMPLES / sample).read_bytes()
    for k, bad in enumerate(_mutations(data, 45, seed=7)):
        path = tmp_path / f"bad-{k}{Path(sample).suffix}"
        path.write_bytes(bad)
        doc = pipeline.process_file(path).document
        assert not doc.reason.startswith("internal error"), (k, doc.reason)


# ---------------------------------------------------------------------------- 4, 5: limits


def test_4_a_memory_error_inside_a_parser_is_the_memory_limit(tmp_path, monkeypatch):
    import plantrail.ingest.pipeline as pl

    def parse_out_of_memory(*_a, **_k):
        try:
            raise MemoryError
        except MemoryError as exc:
            raise ParseError("unreadable DOCX: MemoryError") from exc

    monkeypatch.setattr(pl, "parse", parse_out_of_memory)
    (tmp_path / "a.docx").write_bytes((SAMPLES / "sample-plan.docx").read_bytes())
    done = list(execute.run_local([tmp_path / "a.docx"], pipeline.process_file, jobs=0, timeout=None,
                                  max_memory_mb=None))
    assert [d.limit_kind for d in done] == ["memory"]


def test_5_reconcile_reads_plan_files_under_the_time_limit(tmp_path, monkeypatch):
    def endless(_path):
        time.sleep(60)

    monkeypatch.setattr(reconcile_command, "process_file", endless)  # forked workers inherit it
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT_PLAN, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(reconcile_command.VersionError, match="timed out after 1 s"):
        reconcile_command.load_versions([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], timeout=1,
                                        max_memory_mb=None)
    assert time.monotonic() - started < 30


# ---------------------------------------------------------------------------- 6, 7: walking


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_6_names_that_differ_only_in_undecodable_bytes_stay_apart(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for k, byte in enumerate((b"\xff", b"\xfe")):
        text = TEXT_PLAN.replace("Do a thing", f"Do thing {k}")
        with open(os.path.join(os.fsencode(src), b"plan" + byte + b".txt"), "wb") as fh:
            fh.write(text.encode())
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str)
    assert sorted(Path(p).name for p in docs["path"]) == ["plan\\xfe.txt", "plan\\xff.txt"]
    actions = pd.read_csv(tmp_path / "out" / "actions.csv", dtype=str)
    assert {"Do thing 0", "Do thing 1"} <= set(actions["action"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")
def test_7_every_walk_entry_gets_a_row(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    os.mkfifo(src / "pipe")
    (src / "dangling").symlink_to(src / "nowhere")
    (src / "loop").symlink_to(src / "loop")
    (src / "null").symlink_to("/dev/null")
    locked = src / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(TEXT_PLAN.replace("Do a thing", "Another"), encoding="utf-8")
    locked.chmod(0)
    try:
        assert cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--quiet", "--jobs", "0"]) == 0
    finally:
        locked.chmod(stat.S_IRWXU)
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str).set_index("path")
    reason = {Path(p).name: (r["status"], r["reason"]) for p, r in docs.iterrows()}
    assert reason["pipe"] == ("skipped", "not a regular file (a FIFO (named pipe)), not read")
    assert reason["dangling"][0] == "skipped" and "broken symbolic link" in reason["dangling"][1]
    assert reason["loop"][0] == "skipped" and "loop" in reason["loop"][1]
    assert reason["null"][0] == "skipped" and "character device" in reason["null"][1]
    if not IS_ROOT:  # root lists any folder
        assert reason["locked"][0] == "skipped" and "cannot be listed" in reason["locked"][1]
    assert reason["plan.txt"][0] == "ok"


# ---------------------------------------------------------------------------- 8: the store


def _ingest(src: Path, out: Path, capsys) -> tuple[int, str]:
    code = cli.main(["ingest", str(src), "--out", str(out), "--quiet", "--jobs", "0"])
    return code, capsys.readouterr().err


def test_8_a_record_with_bad_json_stops_cleanly_and_repair_keeps_the_rest(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for k in range(3):
        (src / f"plan{k}.txt").write_text(TEXT_PLAN.replace("Do a thing", f"Do thing {k}"), encoding="utf-8")
    out = tmp_path / "out"
    assert _ingest(src, out, capsys)[0] == 0
    before = (out / "actions.csv").read_bytes()
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        conn.execute("UPDATE _actions SET _record='{bad' WHERE rowid=(SELECT min(rowid) FROM _actions)")
    code, err = _ingest(src, out, capsys)
    assert code == 3 and "is damaged" in err and "plantrail repair" in err and "Traceback" not in err
    assert (out / "actions.csv").read_bytes() == before  # nothing half-written
    assert cli.main(["repair", str(out)]) == 0
    said = capsys.readouterr().out
    assert "dropped 1 document(s)" in said and "plan0.txt" in said
    assert len(pd.read_csv(out / "actions.csv")) == 4  # the two intact plans
    assert _ingest(src, out, capsys)[0] == 0
    assert (out / "actions.csv").read_bytes() == before  # the dropped plan read again


def test_8_a_dropped_record_table_is_not_exported_as_empty(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    out = tmp_path / "out"
    assert _ingest(src, out, capsys)[0] == 0
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        conn.execute("DROP VIEW actions")
        conn.execute("DROP TABLE _actions")
    code, err = _ingest(src, out, capsys)
    assert code == 3 and "table _actions is missing" in err
    assert len(pd.read_csv(out / "actions.csv")) == 2  # the last good export stands
    assert cli.main(["repair", str(out)]) == 0
    assert _ingest(src, out, capsys)[0] == 0
    assert len(pd.read_csv(out / "actions.csv")) == 2


def test_8_a_read_only_folder_says_read_only(tmp_path, monkeypatch):
    (tmp_path / "plantrail.sqlite").write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
    with pytest.raises(OutputError, match="read-only: nothing was changed"):
        refuse_read_only(tmp_path / "plantrail.sqlite")


# ---------------------------------------------------------------------------- 10: Dask


def test_10_the_limited_call_dask_tasks_run_enforces_time_and_memory():
    slow = call_limited(time.sleep, 30, timeout=1, max_memory_mb=None)
    assert slow.kind == "timeout" and slow.seconds >= 1
    greedy = call_limited(bytearray, 8 << 30, timeout=60, max_memory_mb=200)
    assert greedy.kind == "memory" and "cap 200 MB" in greedy.failure
    assert call_limited(len, "abc", timeout=60, max_memory_mb=200).value == 3


def test_10_run_dask_takes_the_limits():
    import inspect

    params = inspect.signature(execute.run_dask).parameters
    assert "timeout" in params and "max_memory_mb" in params


# ---------------------------------------------------------------------------- 11, 12: content


def test_11_control_characters_never_reach_the_outputs(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    filler = "".join(f"Note line {k} about the plan.\n" for k in range(3000))  # past the first 64 KB
    text = filler + TEXT_PLAN.replace("Do a thing", "Do a\x00 thing\x1b[31m now\x07")
    (src / "plan.txt").write_text(text, encoding="utf-8")
    (src / "evil\x1b]0;owned\x07.txt").write_bytes(b"")  # an error row: its name is printed
    code = cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--jobs", "0"])
    shown = capsys.readouterr()
    assert code == 1
    printed = shown.out + shown.err
    assert "\x1b" not in printed and "\x07" not in printed and "evil\\x1b]0;owned\\x07.txt" in printed
    body = (tmp_path / "out" / "actions.csv").read_text(encoding="utf-8")
    assert "Do a thing[31m now" in body
    assert not any(ch in body for ch in "\x00\x1b\x07")


def test_11_utf16_with_a_stray_trailing_byte_is_read(tmp_path):
    (tmp_path / "plan.txt").write_bytes(TEXT_PLAN.encode("utf-16") + b"\x00")
    doc = pipeline.process_file(tmp_path / "plan.txt").document
    assert doc.status == "ok" and doc.actions == 2


def test_11_a_file_that_times_out_records_the_time_it_took():
    with LimitedPool(time.sleep, 1, timeout=1) as pool:
        (outcome,) = list(pool.run([30]))
    assert outcome.kind == "timeout" and outcome.seconds >= 1


def test_12_a_stray_far_cell_does_not_make_a_sheet_of_a_million_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in range(1, 6):
        for c in range(1, 4):
            ws.cell(r, c, f"v{r}{c}")
    ws["XFD1048576"] = "stray"
    wb.save(tmp_path / "far.xlsx")
    assert (tmp_path / "far.xlsx").stat().st_size < 10_000
    from plantrail.parsers import parse

    data = (tmp_path / "far.xlsx").read_bytes()
    doc = parse("far.xlsx", data, "0", "xlsx")
    sizes = sorted((t.n_rows, t.n_cols) for t in doc.tables())
    assert sizes == [(1, 1), (5, 3)]
