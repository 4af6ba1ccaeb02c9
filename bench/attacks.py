#!/usr/bin/env python3
"""The heavy versions of tests/test_attacks.py, measured: peak RSS of the whole process tree,
wall time, rows lost, orphaned processes, internal errors.

    python bench/attacks.py [--fuzz-seconds 300] [--only NAME,...] [--out bench/results/attacks.md]

Attacks: a 10,000-page PDF under --timeout; a 9 MB DOCX whose padded XML inflates to ~900 MB;
a DOCX whose member declares 1 KB and inflates to 2 GB; a 10,000-row sheet with one far cell
at XFD1048576; five SIGKILLs and a SIGTERM of a 300-file run, then a finishing run compared with
an uninterrupted one; byte-level fuzzing of every parser for a fixed time.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
ENV = dict(os.environ, PYTHONPATH=str(REPO.parent) + os.pathsep + os.environ.get("PYTHONPATH", ""))


# ---------------------------------------------------------------------------- measuring


def _tree(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if fields[0] != "Z":
                    parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                pass
    out, frontier = {pid}, {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier and p not in out}
        out |= frontier
    return {p for p in out if p in parents}


def _rss_mb(pids: set[int]) -> float:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total / (1 << 20)


def run_measured(cmd: list[str], timeout: float = 900) -> dict:
    """Run ``cmd``; wall time, exit code, and the peak summed RSS of its process tree."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, start_new_session=True)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _rss_mb(_tree(proc.pid)))
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    stop.set()
    t.join()
    return {"seconds": round(time.monotonic() - started, 1), "code": proc.returncode, "peak_mb": round(peak),
            "stdout": out.decode(errors="replace"), "stderr": err.decode(errors="replace")}


def ingest_cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "plantrail.cli", "ingest", str(src), "--out", str(out), "--quiet", *extra]


def documents(out: Path) -> list[dict]:
    import csv

    with open(out / "documents.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------------------- inputs


def big_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for k in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"Page {k + 1}", new_x="LMARGIN", new_y="NEXT")
        # different words on every page: a line repeated on each page is a running header
        words = ("review", "plan", "housing", "social", "care", "budget", "school", "audit", "roads",
                 "waste", "parks", "library", "youth", "health", "transport", "planning", "safety")
        pdf.multi_cell(0, 6, " ".join(words[(k * 7 + j * 3) % len(words)] for j in range(12)))
    pdf.output(str(path))


def padded_docx(path: Path, inflated_mb: int) -> None:
    """A DOCX whose document.xml is ``inflated_mb`` of honest XML text with a little randomness
    (ratio ~100: under the ratio guard), as a padded attack builds it."""
    base = (SAMPLES / "sample-plan.docx").read_bytes()
    rng = random.Random(5)
    chunk = ("<w:p><w:r><w:t>" + "padding " * 120 + "</w:t></w:r></w:p>").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            written = 0
            while written < inflated_mb << 20:
                piece = chunk + rng.randbytes(8).hex().encode()
                fh.write(piece)
                written += len(piece)
    path.write_bytes(buf.getvalue())


def lying_docx(path: Path, real_mb: int) -> None:
    base = (SAMPLES / "sample-plan.docx").read_bytes()
    buf = io.BytesIO(base)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("word/bomb.xml", "w", force_zip64=True) as fh:
        block = b" " * (1 << 20)
        for _ in range(real_mb):
            fh.write(block)
    data = bytearray(buf.getvalue())
    for sig, size_at, name_at, head in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = data.rfind(sig)
        while pos >= 0:
            n = struct.unpack_from("<H", data, pos + name_at)[0]
            if bytes(data[pos + head: pos + head + n]) == b"word/bomb.xml":
                struct.pack_into("<L", data, pos + size_at, 1024)
                break
            pos = data.rfind(sig, 0, pos)
    path.write_bytes(bytes(data))


def far_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tracker")
    ws.append(["Ref", "Action", "Lead officer", "Target date", "RAG"])
    for r in range(rows):
        ws.append([f"{r // 50 + 1}.{r % 50 + 1}", f"Deliver improvement step {r}", "Head of Service", "Mar-25", "Green"])
    wb.save(path)
    from openpyxl import load_workbook

    wb2 = load_workbook(path)
    wb2["Tracker"]["XFD1048576"] = "stray"
    wb2.save(path)


# ---------------------------------------------------------------------------- attacks


def attack_big_pdf(tmp: Path) -> dict:
    src = tmp / "pdf"
    src.mkdir()
    t0 = time.monotonic()
    big_pdf(src / "big.pdf", 10_000)
    made = round(time.monotonic() - t0, 1)
    res = run_measured(ingest_cmd(src, tmp / "pdf-out", "--timeout", "60", "--jobs", "1"))
    doc = documents(tmp / "pdf-out")[0]
    return {"attack": "10,000-page PDF, --timeout 60", **res, "outcome": f"{doc['status']}: {doc['reason']}"[:120],
            "note": f"generated in {made} s"}


def attack_padded(tmp: Path) -> dict:
    src = tmp / "padded"
    src.mkdir()
    padded_docx(src / "padded.docx", 900)
    size = (src / "padded.docx").stat().st_size >> 20
    res = run_measured(ingest_cmd(src, tmp / "padded-out", "--jobs", "1"))
    doc = documents(tmp / "padded-out")[0]
    return {"attack": f"padded DOCX ({size} MB -> ~900 MB of XML)", **res,
            "outcome": f"{doc['status']}: {doc['reason']}"[:120]}


def attack_lying(tmp: Path, jobs: str) -> dict:
    src = tmp / f"lying{jobs}"
    src.mkdir()
    lying_docx(src / "lying.docx", 2048)
    size = (src / "lying.docx").stat().st_size >> 20
    res = run_measured(ingest_cmd(src, tmp / f"lying{jobs}-out", "--jobs", jobs, "--max-memory", "0"))
    doc = documents(tmp / f"lying{jobs}-out")[0]
    return {"attack": f"DOCX member declares 1 KB, inflates to 2 GB ({size} MB file, --jobs {jobs}, --max-memory 0)",
            **res, "outcome": f"{doc['status']}: {doc['reason']}"[:120]}


def attack_far_cell(tmp: Path) -> dict:
    src = tmp / "far"
    src.mkdir()
    far_sheet(src / "far.xlsx", 10_000)
    res = run_measured(ingest_cmd(src, tmp / "far-out", "--jobs", "1"))
    doc = documents(tmp / "far-out")[0]
    return {"attack": "10,000-row sheet + one cell at XFD1048576", **res,
            "outcome": f"{doc['status']}: {doc['actions']} actions, {doc['tables']} tables"}


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    head = "Ref:\tAction:\tStart:\tEnd date\tLead officer:\tRAG status:\n"
    for i in range(n):
        rows = "".join(f"{i + 1}.{k}\tAction {k} of plan {i}\tApr-17\tOct-17\tRG\tGreen\n" for k in range(1, 40))
        (folder / f"plan-{i:03d}.txt").write_text(head + rows, encoding="utf-8")


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM _documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def _interrupt(src: Path, out: Path, sig: int, after: int) -> int:
    """Start a run, send ``sig`` to the parent alone once ``after`` more files are stored;
    returns how many of the run's processes were alive 2 s later."""
    before = _stored(out / "plantrail.sqlite")
    proc = subprocess.Popen(ingest_cmd(src, out, "--jobs", "2"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=ENV, start_new_session=True)
    deadline = time.monotonic() + 120
    while _stored(out / "plantrail.sqlite") < before + after and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    tree = _tree(proc.pid)
    proc.send_signal(sig)
    proc.wait()
    time.sleep(2)
    left = _tree(proc.pid) | {p for p in tree if os.path.exists(f"/proc/{p}")}
    alive = {p for p in left if _is_live(p)}
    for p in alive:
        os.kill(p, signal.SIGKILL)
    return len(alive)


def _is_live(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def attack_kills(tmp: Path) -> dict:
    src = tmp / "kills"
    _corpus(src, 300)
    out = tmp / "kills-out"
    started = time.monotonic()
    orphans = sum(_interrupt(src, out, signal.SIGKILL, 20) for _ in range(5))
    orphans += _interrupt(src, out, signal.SIGTERM, 20)
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        statuses = [s for (s,) in conn.execute("SELECT status FROM runs ORDER BY run_id")]
    final = run_measured(ingest_cmd(src, out, "--jobs", "2"))
    run_measured(ingest_cmd(src, tmp / "kills-clean", "--jobs", "2"))  # the uninterrupted run to compare with
    a = (out / "actions.csv").read_text(encoding="utf-8")
    b = (tmp / "kills-clean" / "actions.csv").read_text(encoding="utf-8")
    lost = len(set(b.splitlines()) - set(a.splitlines()))
    extra = len(a.splitlines()) - len(b.splitlines())
    return {"attack": "300 files: 5 x SIGKILL + 1 x SIGTERM of the parent, then a finishing run",
            "seconds": round(time.monotonic() - started, 1), "code": final["code"], "peak_mb": final["peak_mb"],
            "outcome": f"rows lost {lost}, rows extra {extra}, orphans {orphans}; runs: {', '.join(statuses)}"}


def attack_fuzz(tmp: Path, seconds: float) -> dict:
    sys.path.insert(0, str(REPO.parent))
    from plantrail.ingest.pipeline import process_file

    seeds = [SAMPLES / "sample-plan.docx", SAMPLES / "sample-tracker.xlsx", SAMPLES / "001_6c3b3558f498e180.txt"]
    pdf = tmp / "seed.pdf"
    big_pdf(pdf, 2)
    seeds.append(pdf)
    rng = random.Random(11)
    runs = internal = 0
    examples: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seed = seeds[runs % len(seeds)]
        data = bytearray(seed.read_bytes())
        kind = runs % 3
        if kind == 0:
            for _ in range(rng.randint(1, 16)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:
            data = data[: rng.randrange(1, len(data))]
        else:
            a, b = sorted(rng.sample(range(len(data)), 2))
            data[a:b] = data[a:b][::-1]
        path = tmp / f"fuzz{seed.suffix}"
        path.write_bytes(bytes(data))
        doc = process_file(path).document
        runs += 1
        if doc.reason.startswith("internal error"):
            internal += 1
            if len(examples) < 3:
                examples.append(f"{seed.name}: {doc.reason[:100]}")
    return {"attack": f"fuzz every parser for {seconds:g} s (byte changes, truncation, reversed runs)",
            "seconds": round(seconds, 1), "code": 0, "peak_mb": "-",
            "outcome": f"{runs} runs, internal errors {internal}" + (f" ({'; '.join(examples)})" if examples else "")}


ATTACKS = ["pdf", "padded", "lying", "far", "kills", "fuzz"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fuzz-seconds", type=float, default=300)
    ap.add_argument("--only", default=",".join(ATTACKS))
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "attacks.md"))
    a = ap.parse_args()
    chosen = a.only.split(",")
    rows = []
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        for name in chosen:
            print(f"... {name}", file=sys.stderr, flush=True)
            if name == "pdf":
                rows.append(attack_big_pdf(tmp))
            elif name == "padded":
                rows.append(attack_padded(tmp))
            elif name == "lying":
                rows += [attack_lying(tmp, "0"), attack_lying(tmp, "1")]
            elif name == "far":
                rows.append(attack_far_cell(tmp))
            elif name == "kills":
                rows.append(attack_kills(tmp))
            elif name == "fuzz":
                rows.append(attack_fuzz(tmp, a.fuzz_seconds))
            print(f"    {rows[-1]['outcome']}", file=sys.stderr, flush=True)
    lines = ["| attack | wall s | exit | peak RSS of the process tree (MB) | outcome |", "|---|---|---|---|---|"]
    lines += [f"| {r['attack']} | {r['seconds']} | {r['code']} | {r['peak_mb']} | {r['outcome']} |" for r in rows]
    table = "\n".join(lines)
    print(table)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(f"## Attacks (bench/attacks.py)\n\nCommand: `python bench/attacks.py --only {a.only} "
                           f"--fuzz-seconds {a.fuzz_seconds:g}`\n\n{table}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
