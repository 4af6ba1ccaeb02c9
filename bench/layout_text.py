#!/usr/bin/env python3
"""Space-aligned text: the dev plans as `pdftotext -layout` leaves them, scored against gold.

    python bench/layout_text.py [--show-misses]

Converts every dev-corpus PDF with poppler's ``pdftotext -layout`` (columns kept by spaces,
no tabs, a form feed between pages), ingests the text files and scores each with
shared/bench/score_actions.py against the gold of the PDF it came from.  Fails (exit 2) when
pdftotext is not installed: the benchmark never skips an input silently.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_dir import SHARED  # noqa: E402

DEV = SHARED / "corpus" / "dev"
GOLD = DEV / "gold"
SCORER = SHARED / "bench" / "score_actions.py"
FIELDS = ("section", "aim", "ref", "action", "start", "end", "measure", "lead", "dlt_lead", "comments", "rag")


def convert(pdfs: list[Path], inp: Path) -> dict[str, str]:
    """pdf name -> text file name."""
    names = {}
    for pdf in pdfs:
        txt = inp / f"{pdf.stem}.layout.txt"
        subprocess.run(["pdftotext", "-layout", str(pdf), str(txt)], check=True)
        names[pdf.name] = txt.name
    return names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    if shutil.which("pdftotext") is None:
        print("pdftotext (poppler-utils) is not installed; cannot run this benchmark", file=sys.stderr)
        return 2
    pdfs = sorted(DEV.glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        names = convert(pdfs, root / "in")
        with open(GOLD / "map.csv", newline="", encoding="utf-8") as fh:
            gold_map = {r["file"]: r["doc"] for r in csv.DictReader(fh)}
        with open(root / "map.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "doc"])
            for pdf, txt in names.items():
                w.writerow([txt, gold_map[pdf]])
        subprocess.run([sys.executable, "-m", "plantrail.cli", "ingest", str(root / "in"), "--out",
                        str(root / "out"), "--quiet"], check=False)
        print("| file | gold | pred | F1 | " + " | ".join(FIELDS) + " | score |")
        print("|---|---|---|---|" + "---|" * len(FIELDS) + "---|")
        for txt in names.values():
            cmd = [sys.executable, str(SCORER), str(GOLD / "actions.csv"), str(root / "out" / "actions.csv"),
                   "--map", str(root / "map.csv"), "--files", txt, "--json"]
            if args.show_misses:
                cmd.append("--show-misses")
            p = subprocess.run(cmd, capture_output=True, text=True, check=True)
            if args.show_misses:
                print(p.stderr, file=sys.stderr)
            s = json.loads(p.stdout)
            fields = " | ".join(_fmt(s.get("field_accuracy", {}).get(f)) for f in FIELDS)
            print(f"| {txt} | {s.get('gold')} | {s.get('predicted')} | {_fmt(s.get('f1'))} | {fields} | "
                  f"**{_fmt(s.get('score'), 4)}** |")
    return 0


def _fmt(v: object, digits: int = 3) -> str:
    return f"{v:.{digits}f}" if isinstance(v, float) else "-" if v is None else str(v)


if __name__ == "__main__":
    sys.exit(main())
