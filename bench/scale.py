"""Archive scale: throughput of ``plantrail ingest`` on 1,000 files, 1 worker against 2,
and what becomes of every file of the foreign corpus.

Scale: 1,000 files are made from samples/ (plans and reports as text, the DOCX plan, the
XLSX tracker), each copy changed a little so every sha256 differs (the store would read
byte-identical copies once): a text copy gets a last line "Bench copy N", a DOCX/XLSX copy
a zip archive comment (a valid zip, parsed exactly like the original; checked below).
Then ``plantrail ingest --jobs 1`` and ``--jobs 2`` each run into a fresh folder (same
command otherwise, csv output), in a subprocess of their own so peak memory is per run:

* files/s over the whole command (start-up, reading, linking, writing outputs), and over
  the reading phase alone (the ``seconds`` of ``--json``: what the workers parallelise);
* peak RSS: the largest single process of the run (``RUSAGE_CHILDREN`` max RSS: the parent
  or one worker, not their sum).

Foreign: ``plantrail ingest --jobs 2`` over ../shared/corpus/foreign (249 real files of
other projects): counts by status, internal errors, files without status or reason.

    python bench/scale.py [--files 1000] [--write]     # scale
    python bench/scale.py --foreign [--write]          # foreign corpus
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
from shared_dir import SHARED  # noqa: E402  (bench/ is on sys.path when run as a script)

FOREIGN = SHARED / "corpus" / "foreign"
RESULTS = ROOT / "bench" / "RESULTS.md"
SCALE_SECTION = "## Scale (bench/scale.py)"
FOREIGN_SECTION = "## Foreign corpus (bench/scale.py --foreign)"

# A child process runs one ingest and reports its own children's peak RSS.
_RUNNER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": proc.returncode, "wall": wall, "peak_kb": peak, "stdout": proc.stdout,
                  "stderr": proc.stderr[-2000:]}))
"""


def sources() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".xlsx"))


def variant(src: Path, n: int) -> bytes:
    """The bytes of ``src`` changed so that copy ``n`` has a sha256 of its own."""
    data = src.read_bytes()
    if src.suffix == ".txt":
        return data.rstrip(b"\n") + b"\n\nBench copy %d\n" % n
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.comment = b"plantrail bench copy %d" % n
    return buf.getvalue()


def build_corpus(folder: Path, n_files: int) -> Counter:
    src = sources()
    kinds: Counter = Counter()
    for i in range(n_files):
        s = src[i % len(src)]
        (folder / f"{i:05d}-{s.stem}{s.suffix}").write_bytes(variant(s, i))
        kinds[s.suffix.lstrip(".")] += 1
    return kinds


def check_variants() -> dict[str, str]:
    """A changed copy must read exactly like its original (same actions)."""
    from plantrail.api import ingest

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for s in sources():
            copy = Path(tmp) / s.name
            copy.write_bytes(variant(s, 7))
            a, b = ingest(s)["actions"], ingest(copy)["actions"]
            cols = ["ref", "action", "start", "end", "lead", "rag"]
            same = a[cols].equals(b[cols])
            out[s.name] = "same actions" if same else f"DIFFERENT ({len(a)} vs {len(b)} actions)"
    return out


def run_ingest(args: list[str]) -> dict:
    cmd = [sys.executable, "-c", _RUNNER, sys.executable, "-m", "plantrail.cli", "ingest", *args, "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    res = json.loads(proc.stdout)
    if res["code"] not in (0, 1):
        raise SystemExit(f"ingest failed ({res['code']}): {res['stderr']}")
    res["summary"] = json.loads(res.pop("stdout"))
    return res


def scale(n_files: int, reps: int, link_files: int) -> dict:
    """1 and 2 workers, interleaved ``reps`` times (best of each: the machine is shared), with
    --no-link so the numbers are about reading files; linking is timed on its own below."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        kinds = build_corpus(corpus, n_files)
        runs: dict = {1: [], 2: []}
        for rep in range(reps):
            for jobs in (1, 2):
                out = Path(tmp) / f"out{jobs}-{rep}"
                res = run_ingest([str(corpus), "--out", str(out), "--jobs", str(jobs), "--no-link"])
                s = res["summary"]
                runs[jobs].append({"wall": res["wall"], "read_seconds": s["seconds"], "peak_mb": res["peak_kb"] / 1024,
                                   "by_status": s["by_status"], "actions": s["actions"], "timings": s["timings"]})
                print(f"--jobs {jobs}: {res['wall']:.1f} s wall, timings {s['timings']}, "
                      f"peak {res['peak_kb'] / 1024:.0f} MB, {s['by_status']}", flush=True)
        again = run_ingest([str(corpus), "--out", str(Path(tmp) / "out2-0"), "--jobs", "2", "--no-link"])
        rerun = {"wall": again["wall"], "already_stored": again["summary"]["already_stored"]}
        small = Path(tmp) / "small"
        small.mkdir()
        build_corpus(small, link_files)
        linked = run_ingest([str(small), "--out", str(Path(tmp) / "linked"), "--jobs", "2"])
        with_links = {"files": link_files, "timings": linked["summary"]["timings"]}
    best = {jobs: {"wall": min(r["wall"] for r in rs), "read_seconds": min(r["read_seconds"] for r in rs),
                   "peak_mb": max(r["peak_mb"] for r in rs), "by_status": rs[0]["by_status"],
                   "actions": rs[0]["actions"], "all": rs} for jobs, rs in runs.items()}
    return {"n": n_files, "reps": reps, "kinds": dict(kinds), "runs": best, "rerun": rerun,
            "linked": with_links, "load": (load_before, os.getloadavg()), "variants": check_variants()}


def foreign() -> dict:
    if not FOREIGN.is_dir():
        raise SystemExit(f"no foreign corpus at {FOREIGN}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        res = run_ingest([str(FOREIGN), "--out", str(out), "--jobs", "2"])
        import pandas as pd

        docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    inputs = [p for p in FOREIGN.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(FOREIGN).parts)]
    errors = docs[docs["status"] == "error"]
    reasons = Counter(r.split(":")[0].split(" (")[0] for r in errors["reason"])
    return {
        "code": res["code"], "wall": res["wall"], "inputs": len(inputs), "rows": len(docs),
        "by_status": dict(Counter(docs["status"])),
        "no_status": int((docs["status"] == "").sum()),
        "no_reason": int(((docs["status"].isin(["error", "skipped", "no_actions"])) & (docs["reason"] == "")).sum()),
        "internal": int(errors["reason"].str.startswith("internal error").sum()),
        "timed_out": int(errors["reason"].str.startswith("timed out").sum()),
        "reasons": reasons.most_common(12),
        "by_format": {fmt: dict(Counter(g["status"])) for fmt, g in docs.groupby("format")},
        "actions": res["summary"]["actions"],
    }


def scale_markdown(r: dict) -> list[str]:
    one, two = r["runs"][1], r["runs"][2]
    n = r["n"]
    kinds = ", ".join(f"{v} {k}" for k, v in sorted(r["kinds"].items()))
    load = " -> ".join(f"{a[0]:.1f}" for a in r["load"])
    lines = [SCALE_SECTION, "",
             f"Command: `python bench/scale.py --write` ({n} files made from samples/: {kinds}; each copy "
             "changed so its sha256 differs; `plantrail ingest --no-link --format csv` into a fresh folder; "
             f"best of {r['reps']} interleaved runs each; machine: 2 cores shared with other work, "
             f"load average {load}).", "",
             "| workers | wall (s) | files/s (whole run) | reading (s) | files/s (reading) | peak RSS (MB) |",
             "|---|---|---|---|---|---|"]
    for jobs, run in ((1, one), (2, two)):
        lines.append(f"| {jobs} | {run['wall']:.1f} | {n / run['wall']:.1f} | {run['read_seconds']:.1f} | "
                     f"{n / run['read_seconds']:.1f} | {run['peak_mb']:.0f} |")
    lk = r["linked"]
    lines += ["",
              f"**Speed-up with 2 workers: {one['read_seconds'] / two['read_seconds']:.2f}x reading** (files read, "
              f"checked and committed to the store), **{one['wall'] / two['wall']:.2f}x whole run** (adds "
              "start-up and writing the outputs from the store, which one process does).", "",
              "Peak RSS is the largest single process (parent or one worker), from `RUSAGE_CHILDREN`.", "",
              f"Re-run on the same folder: {r['rerun']['already_stored']} of {n} files already stored, "
              f"{r['rerun']['wall']:.1f} s (hashing, then the outputs written again from the store).", "",
              f"Linking report mentions (not in the runs above): on {lk['files']} files of the same mix, "
              f"reading {lk['timings']['reading']:.1f} s, linking {lk['timings']['linking']:.1f} s, writing "
              f"{lk['timings']['writing']:.1f} s. Linking compares every mention with every action of every other "
              "document in the store, after a word-overlap shortlist of plans per report "
              "(normalise/reports/mentions.py).", "",
              f"Statuses: {one['by_status']}; actions: {one['actions']} (1 worker) / {two['actions']} (2 workers).", "",
              "Changed copies read like their originals: "
              + "; ".join(f"{k}: {v}" for k, v in r["variants"].items()) + ".", ""]
    return lines


def foreign_markdown(r: dict) -> list[str]:
    order = ["ok", "no_actions", "skipped", "error"]
    counts = r["by_status"]
    cols = order + sorted(s for s in counts if s not in order)
    lines = [FOREIGN_SECTION, "",
             f"Command: `python bench/scale.py --foreign --write` (`plantrail ingest --jobs 2` over "
             f"../shared/corpus/foreign; exit code {r['code']}, {r['wall']:.0f} s).", "",
             "Every file under the folder is an input (the corpus files plus its MANIFEST.tsv and README.md); "
             "these are other projects' papers, so most are correctly `no_actions` (no action table).", "",
             f"**{r['inputs']} files in, {r['rows']} documents rows; crashes: 0 (the run finished); internal "
             f"errors: {r['internal']}; timed out: {r['timed_out']}; rows without a status: {r['no_status']}; "
             f"non-ok rows without a reason: {r['no_reason']}.**", "",
             "| " + " | ".join(cols) + " | total |", "|" + "---|" * (len(cols) + 1),
             "| " + " | ".join(str(counts.get(c, 0)) for c in cols) + f" | {r['rows']} |", "",
             "Most common error reasons:", ""]
    lines += [f"- {reason}: {n}" for reason, n in r["reasons"]]
    lines += ["", "By format detected from content (PDFs are issue #3's check):", "",
              "| format | " + " | ".join(cols) + " | total |", "|" + "---|" * (len(cols) + 2)]
    for fmt, by in sorted(r["by_format"].items()):
        lines.append(f"| {fmt or '(none)'} | " + " | ".join(str(by.get(c, 0)) for c in cols)
                     + f" | {sum(by.values())} |")
    lines.append("")
    return lines


def write_section(title: str, lines: list[str]) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    block = "\n".join(lines).rstrip("\n") + "\n"
    if title in text:
        start = text.index(title)
        nxt = text.find("\n## ", start + len(title))
        text = text[:start] + block + ("\n" + text[nxt + 1:] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=2, help="interleaved runs per worker count (best is kept)")
    ap.add_argument("--link-files", type=int, default=100, help="files of the run that times linking")
    ap.add_argument("--foreign", action="store_true", help="run the foreign corpus instead")
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = ap.parse_args()
    t = time.perf_counter()
    if args.foreign:
        r = foreign()
        lines = foreign_markdown(r)
        title = FOREIGN_SECTION
    else:
        r = scale(args.files, args.reps, args.link_files)
        lines = scale_markdown(r)
        title = SCALE_SECTION
    print("\n".join(lines))
    print(f"({time.perf_counter() - t:.0f} s)")
    if args.write:
        write_section(title, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
