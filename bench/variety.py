#!/usr/bin/env python3
"""Extraction accuracy on our own variety corpus (bench/variety/): many council plan styles.

    python bench/variety.py [--dir /tmp/variety] [--generate] [--held-out] [--show-misses] [--write]

Ingests every rendered file (DOCX, XLSX, PDF, text, CSV) with `plantrail ingest`, scores each
with ../shared/bench/score_actions.py (score = action F1 x mean field accuracy over the fields
gold fills) and prints a per-style / per-format table, per-field accuracy and the pooled
score over all files.  Fails (exit 1) with a clear line if the corpus or any file listed in its
manifest is missing.  --generate renders the corpus first (bench/variety/generate.py).
--held-out scores the held-aside renderings (/tmp/variety-heldout); do not look at those files
while tuning.  --write puts the table into bench/results/variety.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCORER = REPO.parent / "shared" / "bench" / "score_actions.py"
GENERATE = REPO / "bench" / "variety" / "generate.py"
FIELDS = ["section", "aim", "ref", "action", "start", "end", "measure", "lead", "dlt_lead", "comments", "rag"]
RESULTS = REPO / "bench" / "results" / "variety.md"


def fail(msg: str) -> None:
    print(f"variety bench: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def load(corpus: Path) -> tuple[dict, list[tuple[str, Path]]]:
    """The manifest and every (style, file) it lists; fails on anything missing."""
    manifest_path = corpus / "manifest.json"
    if not manifest_path.exists():
        fail(f"no corpus at {corpus} (run: python bench/variety/generate.py --out {corpus}, or pass --generate)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = [(style, corpus / "files" / name) for style, m in manifest["styles"].items() for name in m["files"]]
    missing = [str(f) for _, f in files if not f.exists()]
    for g in ("actions.csv", "map.csv"):
        if not (corpus / "gold" / g).exists():
            missing.append(str(corpus / "gold" / g))
    if not SCORER.exists():
        missing.append(str(SCORER))
    if missing:
        fail(f"{len(missing)} input(s) missing: " + ", ".join(missing))
    return manifest, files


def ingest(files: list[Path], out: Path) -> Path:
    cmd = [sys.executable, "-m", "plantrail.cli", "ingest", *[str(f) for f in files], "--out", str(out), "--quiet"]
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    pred = out / "actions.csv"
    if not pred.exists():
        pred.parent.mkdir(parents=True, exist_ok=True)
        pred.write_text("source_file,action\n", encoding="utf-8")  # nothing extracted: all scored as missed
        print(f"note: plantrail wrote no actions.csv (exit {p.returncode}): {p.stderr.strip()[-300:]}",
              file=sys.stderr)
    return pred


def score(corpus: Path, pred: Path, name: str, show_misses: bool) -> tuple[dict, str]:
    gold = corpus / "gold"
    cmd = [sys.executable, str(SCORER), str(gold / "actions.csv"), str(pred), "--map", str(gold / "map.csv"),
           "--files", name, "--json"] + (["--show-misses"] if show_misses else [])
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        fail(f"scorer failed on {name}: {p.stderr.strip()[-300:]}")
    return json.loads(p.stdout), p.stderr


def _field_accuracy(results: list[dict]) -> dict[str, float]:
    """Each field's accuracy over all files, weighted by each file's paired rows."""
    acc = {}
    for f in FIELDS:
        judged = [r for r in results if f in r["field_accuracy"]]
        den = sum(r["paired"] for r in judged)
        if den:
            acc[f] = sum(r["field_accuracy"][f] * r["paired"] for r in judged) / den
    return acc


def pooled(results: list[dict]) -> dict:
    """Pooled over files: F1 from summed counts x the paired-row-weighted field accuracy."""
    g = sum(r["gold"] for r in results)
    pr = sum(r["predicted"] for r in results)
    pa = sum(r["paired"] for r in results)
    p, rc = (pa / pr if pr else 0.0), (pa / g if g else 0.0)
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    acc = _field_accuracy(results)
    mean = sum(acc.values()) / len(acc) if acc else 0.0
    return {"gold": g, "predicted": pr, "f1": f1, "field_accuracy": acc, "score": f1 * mean,
            "mean_file_score": sum(r["score"] for r in results) / len(results) if results else 0.0}


def table(rows: list[tuple[str, str, dict]], pool: dict) -> str:
    head = "| style | file | gold | pred | F1 | " + " | ".join(FIELDS) + " | score |"
    lines = [head, "|" + "---|" * (len(FIELDS) + 6)]
    for style, name, r in rows:
        acc = r["field_accuracy"]
        cells = [f"{acc[f]:.2f}" if f in acc else "-" for f in FIELDS]
        lines.append(f"| {style} | {name} | {r['gold']} | {r['predicted']} | {r['f1']:.3f} | " + " | ".join(cells)
                     + f" | **{r['score']:.3f}** |")
    acc = pool["field_accuracy"]
    cells = [f"{acc[f]:.2f}" if f in acc else "-" for f in FIELDS]
    lines.append(f"| **pooled** | {len(rows)} files | {pool['gold']} | {pool['predicted']} | {pool['f1']:.3f} | "
                 + " | ".join(cells) + f" | **{pool['score']:.3f}** |")
    return "\n".join(lines)


def by_style(rows: list[tuple[str, str, dict]]) -> str:
    styles: dict[str, list[float]] = {}
    for style, _, r in rows:
        styles.setdefault(style, []).append(r["score"])
    lines = ["| style | files | mean score | min |", "|---|---|---|---|"]
    for s, v in styles.items():
        lines.append(f"| {s} | {len(v)} | {sum(v) / len(v):.3f} | {min(v):.3f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, help="corpus folder (default /tmp/variety, or /tmp/variety-heldout)")
    ap.add_argument("--generate", action="store_true", help="render the corpus first")
    ap.add_argument("--held-out", action="store_true", help="score the held-aside renderings instead")
    ap.add_argument("--only", help="comma-separated styles to score")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--write", action="store_true", help=f"write the tables to {RESULTS.relative_to(REPO)}")
    a = ap.parse_args()
    corpus = a.dir or Path("/tmp/variety-heldout" if a.held_out else "/tmp/variety")
    if a.generate:
        cmd = [sys.executable, str(GENERATE), "--out", str(corpus)] + (["--held-out"] if a.held_out else [])
        subprocess.run(cmd, check=True)
    manifest, files = load(corpus)
    if a.only:
        keep = set(a.only.split(","))
        files = [(s, f) for s, f in files if s in keep]
    with tempfile.TemporaryDirectory(prefix="variety-bench-") as tmp:
        pred = ingest([f for _, f in files], Path(tmp) / "out")
        rows = []
        for style, f in files:
            res, misses = score(corpus, pred, f.name, a.show_misses)
            rows.append((style, f.name, res))
            if a.show_misses and misses:
                print(f"--- misses: {f.name}\n{misses}", file=sys.stderr)
    pool = pooled([r for _, _, r in rows])
    text = table(rows, pool)
    print(text)
    print()
    print(by_style(rows))
    print(f"\npooled score {pool['score']:.4f} (F1 {pool['f1']:.3f}); mean file score {pool['mean_file_score']:.4f}; "
          f"seed {manifest.get('seed')}; {len(rows)} files")
    if a.write:
        write(text, by_style(rows), pool, a.held_out, manifest)
    return 0


def write(text: str, styles: str, pool: dict, held_out: bool, manifest: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    head = "## Held-out renderings" if held_out else "## Variety corpus"
    body = (f"{head}\n\nCommand: `python bench/variety.py --generate{' --held-out' if held_out else ''} --write` "
            f"(seed {manifest.get('seed')}); score = action F1 x mean field accuracy "
            "(../shared/bench/score_actions.py); pooled = F1 over all files x the paired-row-weighted field "
            f"accuracy.\n\n{text}\n\nBy style:\n\n{styles}\n\n**Pooled score {pool['score']:.4f}**, "
            f"mean file score {pool['mean_file_score']:.4f}.\n\n")
    from results_file import replace_section

    replace_section(RESULTS, head, body, "# Variety bench results\n")


if __name__ == "__main__":
    sys.exit(main())
