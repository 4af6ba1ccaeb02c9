#!/usr/bin/env python3
"""Actions found in the foreign corpus: every real action-plan table read, nothing invented.

    python bench/foreign_actions.py [--jobs 2] [--out DIR] [--reuse]

Also reads the same plans as `pdftotext -layout` text when poppler is installed (informative).

Runs ``plantrail ingest`` on ../shared/corpus/foreign (all ~250 files, nothing skipped) and
reads actions.csv.  ``PLANS`` below lists the action-plan tables the corpus holds, found by
reading every MANIFEST description and opening the council papers, with the number of
actions each page prints (counted by hand from the PDFs).  Every other file must give 0
actions, and so must the pages of a plan file that hold no action table.

What counts as an action-plan table: rows of things to be done, each with at least one of
an owner, a date or a status.  A KPI table (indicator, target, RAG) is not one, nor a budget
table, nor an inventory of current activity without owners or dates.  A risk register counts
only where it prints its mitigating actions as such rows (the Kent budget risk register does
not: it has no action, owner or date column).  Exit status 1 when a plan page gives a
different count or any other file or page gives an action.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_dir import SHARED  # noqa: E402

FOREIGN = SHARED / "corpus" / "foreign"

KENT = "lusavkaedu__council-assistant/cabinet/2025-01-30/originals/"
# file -> (what it is, {page: actions printed on that page})
PLANS: dict[str, tuple[str, dict[int, int]]] = {
    KENT + "24-00115 - Appendix B - KCC ICS priorities measures.pdf": (
        "Kent ICS 'Priorities and Actions' (PowerPoint deck as PDF): What we have committed to / "
        "Led by / Timescale / Measure / Shared Outcome",
        {5: 8, 7: 8, 8: 6, 9: 7, 10: 4, 11: 2, 12: 7, 14: 2, 16: 2, 17: 2, 19: 5, 21: 2, 22: 3,
         23: 3, 24: 4, 25: 4, 27: 6, 28: 6, 29: 5}),
    "jsvine__pdfplumber/chelsea_pdta.pdf": (
        "Chelsea (Quebec) active-transportation action plan 2021-2026, French: Axes / Actions / "
        "Échéancier / Ressources / Responsables",
        {26: 11, 27: 6, 28: 9, 29: 7, 30: 6}),
}

# Files a reader might take for action plans, and why they are not (all must give 0).
NOT_PLANS = {
    KENT + "Appendix I Budget Risk Register 22.01.25.pdf":
        "risk register without mitigating actions (no action, owner or date column)",
    "lusavkaedu__council-assistant/cabinet/2025-03-04/originals/QPR Q3 Cabinet appendix 1.pdf":
        "KPI tables with RAG ratings; its 19 corporate-risk mitigations (pp. 67-70) are narrative "
        "cells with the status word fused to the text, no owner or date columns",
    KENT + "24-00115 - Appendix A - Current Health wellbeing activity within KCC.pdf":
        "inventory of commitments and the strategies already in place; no owners, dates or status",
}


def run_ingest(out: Path, jobs: int) -> None:
    cmd = [sys.executable, "-m", "plantrail.cli", "ingest", str(FOREIGN), "--out", str(out),
           "--jobs", str(jobs), "--quiet"]
    subprocess.run(cmd, check=False)


def load(out: Path) -> tuple[Counter[tuple[str, int | None]], dict[str, dict[str, str]]]:
    found: Counter[tuple[str, int | None]] = Counter()
    with open(out / "actions.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rel = str(Path(r["source_file"]).resolve().relative_to(FOREIGN.resolve()))
            found[(rel, int(r["page"]) if r["page"] else None)] += 1
    with open(out / "documents.csv", newline="", encoding="utf-8") as fh:
        docs = {str(Path(r["path"]).resolve().relative_to(FOREIGN.resolve())): r for r in csv.DictReader(fh)}
    return found, docs


def report(found: Counter[tuple[str, int | None]], docs: dict[str, dict[str, str]]) -> int:
    bad = 0
    print("## Real action-plan tables\n")
    print("| file | page | printed | found |\n|---|---|---|---|")
    total_exp = total_hit = 0
    for rel, (_what, pages) in PLANS.items():
        for page in sorted(set(pages) | {p for (f, p), _ in found.items() if f == rel and p is not None}):
            exp, got = pages.get(page, 0), found.get((rel, page), 0)
            total_exp += exp
            total_hit += min(exp, got)
            flag = "" if exp == got else " **MISMATCH**"
            bad += exp != got
            print(f"| {Path(rel).name} | {page} | {exp} | {got}{flag} |")
        if found.get((rel, None)):
            bad += 1
            print(f"| {Path(rel).name} | - | 0 | {found[(rel, None)]} **MISMATCH** |")
    print(f"\nactions printed {total_exp}, found {total_hit} ({total_hit / max(1, total_exp):.1%})\n")
    print("## Every other file (must be 0)\n")
    others = Counter()
    for (rel, _page), n in found.items():
        if rel not in PLANS:
            others[rel] += n
    print(f"files ingested: {len(docs)}; files not plans: {len(docs) - len(PLANS)}; "
          f"actions found in them: {sum(others.values())}")
    for rel, n in sorted(others.items()):
        bad += 1
        print(f"- {rel}: {n} actions **INVENTED**")
    for rel, why in NOT_PLANS.items():
        print(f"- {Path(rel).name}: {others.get(rel, 0)} actions ({why})")
    statuses = Counter(d["status"] for d in docs.values())
    print("\ndocument statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    return 1 if bad else 0


def layout_text_report() -> None:
    """The same plans as ``pdftotext -layout`` text (space-aligned columns, no tabs):
    informative, not part of the exit status; skipped with a printed reason when poppler's
    pdftotext is not installed."""
    import hashlib
    import shutil

    from plantrail.normalise.actions.extract import extract_actions
    from plantrail.parsers.text import parse_text

    print("\n## The same plans as `pdftotext -layout` text (informative)\n")
    if shutil.which("pdftotext") is None:
        print("pdftotext is not installed: not measured")
        return
    print("| file | page | printed | found |\n|---|---|---|---|")
    for rel, (_what, pages) in PLANS.items():
        with tempfile.TemporaryDirectory() as tmp:
            txt = Path(tmp) / "plan.txt"
            subprocess.run(["pdftotext", "-layout", str(FOREIGN / rel), str(txt)], check=True)
            data = txt.read_bytes()
        text = data.decode("utf-8", "replace")
        page_of = [1 + text[: m].count("\f") for m in _line_starts(text)]
        acts = extract_actions(parse_text(rel, data, hashlib.sha256(data).hexdigest()))
        found = Counter(page_of[a.line - 1] for a in acts if a.line)
        for page in sorted(set(pages) | set(found)):
            print(f"| {Path(rel).name} | {page} | {pages.get(page, 0)} | {found.get(page, 0)} |")
        print(f"| {Path(rel).name} | all | {sum(pages.values())} | {len(acts)} |")


def _line_starts(text: str) -> list[int]:
    starts, pos = [0], text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true", help="read --out as it is, do not ingest again")
    args = ap.parse_args()
    if args.reuse and args.out:
        status = report(*load(args.out))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = args.out or Path(tmp) / "out"
            run_ingest(out, args.jobs)
            status = report(*load(out))
    layout_text_report()
    return status


if __name__ == "__main__":
    sys.exit(main())
