#!/usr/bin/env python3
"""Extraction accuracy against the hand-checked gold (shared/corpus/dev/gold).

    python bench/accuracy.py [--show-misses] [--write-results]

Runs ``plantrail ingest`` on the dev plans (DOCX, XLSX, PDF) and the seed text extracts, then
scores each file with shared/bench/score_actions.py (action F1 x mean field accuracy).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
from shared_dir import SHARED, require  # noqa: E402  (bench/ is on sys.path when run as a script)

GOLD = SHARED / "corpus" / "dev" / "gold"
SCORER = SHARED / "bench" / "score_actions.py"
FILES = [
    SHARED / "seeds" / "001_6c3b3558f498e180.txt",
    SHARED / "seeds" / "004_ea5cf699ba5c1d76.txt",
    SHARED / "corpus" / "dev" / "city-of-london-sip-2017-08.docx",
    SHARED / "corpus" / "dev" / "city-of-london-sip-2017-08.xlsx",
    SHARED / "corpus" / "dev" / "city-of-london-sip-2017-08.pdf",
    SHARED / "corpus" / "dev" / "city-of-london-sip-2017-11.docx",
    SHARED / "corpus" / "dev" / "city-of-london-sip-2017-11.pdf",
    SHARED / "corpus" / "dev" / "lewisham-improvement-plan-2016-02.docx",
    SHARED / "corpus" / "dev" / "lewisham-improvement-plan-2016-02.pdf",
]
RESULTS_HEADING = "## Extraction accuracy (bench/accuracy.py)"


def ingest(files: list[Path], out: Path) -> Path:
    inp = out / "in"
    inp.mkdir(parents=True)
    for f in files:
        shutil.copy(f, inp / f.name)
    cmd = [sys.executable, "-m", "plantrail.cli", "ingest", str(inp), "--out", str(out / "out"), "--quiet"]
    subprocess.run(cmd, check=False)
    pred = out / "out" / "actions.csv"
    if not pred.exists():
        sys.exit(f"bench: plantrail ingest wrote no {pred}")
    return pred


def score(pred: Path, name: str, show_misses: bool) -> tuple[dict, str]:
    cmd = [sys.executable, str(SCORER), str(GOLD / "actions.csv"), str(pred), "--map", str(GOLD / "map.csv"),
           "--files", name, "--json"]
    if show_misses:
        cmd.append("--show-misses")
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(p.stdout), p.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--write-results", action="store_true", help="update bench/RESULTS.md")
    ap.add_argument("--only", help="substring of the file names to run")
    a = ap.parse_args()
    files = [f for f in FILES if not a.only or a.only in f.name]
    require(SCORER, GOLD / "actions.csv", GOLD / "map.csv", *files)
    if not files:
        sys.exit(f"bench: --only {a.only!r} matches no input")
    with tempfile.TemporaryDirectory() as tmp:
        pred = ingest(files, Path(tmp))
        rows = []
        for f in files:
            res, misses = score(pred, f.name, a.show_misses)
            rows.append((f.name, res))
            if a.show_misses and misses:
                print(f"--- misses: {f.name}\n{misses}", file=sys.stderr)
    fields = ["section", "aim", "ref", "action", "start", "end", "measure", "lead", "dlt_lead", "comments", "rag"]
    head = "| file | gold | pred | F1 | " + " | ".join(fields) + " | score |"
    lines = [head, "|" + "---|" * (len(fields) + 5)]
    for name, r in rows:
        acc = r["field_accuracy"]
        cells = [f"{acc[f]:.3f}" if f in acc else "-" for f in fields]
        lines.append(f"| {name} | {r['gold']} | {r['predicted']} | {r['f1']:.3f} | " + " | ".join(cells)
                     + f" | **{r['score']:.4f}** |")
    table = "\n".join(lines)
    print(table)
    if a.write_results:
        write_results(table)


def write_results(table: str) -> None:
    path = REPO / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    section = (f"{RESULTS_HEADING}\n\nCommand: `python bench/accuracy.py --write-results` "
               f"(score = action F1 x mean field accuracy, shared/bench/score_actions.py)\n\n{table}\n")
    pattern = re.compile(re.escape(RESULTS_HEADING) + r".*?(?=\n## |\Z)", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    path.write_text(text)


if __name__ == "__main__":
    main()
