#!/usr/bin/env python3
"""Reconciliation on our own variety version pairs (issue 15): link F1 per style, end to end
and with perfect extraction.

    python bench/variety_reconcile.py [--dir /tmp/variety-pairs] [--generate] [--write]

For every style pair rendered by bench/variety/pairs.py: (1) each pair of files is run end to
end with `plantrail reconcile V1 V2` (parse, extract, reconcile); (2) the gold actions of the
two versions are reconciled directly (perfect extraction), to tell matching misses from
extraction misses.  Both are scored with ../shared/bench/score_links.py against the pairs'
gold links.  Fails (exit 1) with a clear line if the corpus or any listed file is missing.
--write puts the table into bench/results/variety.md (section "Version pairs").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCORER = REPO.parent / "shared" / "bench" / "score_links.py"
PAIRS = REPO / "bench" / "variety" / "pairs.py"
RESULTS = REPO / "bench" / "results" / "variety.md"
HEAD = "## Version pairs (bench/variety_reconcile.py)"


def fail(msg: str) -> None:
    print(f"variety reconcile bench: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def load(corpus: Path) -> dict:
    mpath = corpus / "manifest.json"
    if not mpath.exists():
        fail(f"no version pairs at {corpus} (run: python bench/variety/pairs.py --out {corpus}, or --generate)")
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    need = [corpus / "files" / n for m in manifest["styles"].values() for pair in m["pairs"] for n in pair]
    need += [corpus / "gold" / g for g in ("actions.csv", "links.csv", "map.csv")] + [SCORER]
    missing = [str(p) for p in need if not p.exists()]
    if missing:
        fail(f"{len(missing)} input(s) missing: " + ", ".join(missing))
    return manifest


def score(corpus: Path, actions: Path, links: Path) -> dict:
    gold = corpus / "gold"
    p = subprocess.run([sys.executable, str(SCORER), str(gold / "actions.csv"), str(gold / "links.csv"),
                        str(actions), str(links), "--map", str(gold / "map.csv")],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0:
        fail(f"score_links failed: {p.stderr.strip()[-300:]}")
    head = re.search(r"links: gold (\d+), predicted (\d+) \(\+(\d+) on unpaired rows\), right (\d+)", p.stdout)
    f1 = re.search(r"f1 ([0-9.]+)", p.stdout)
    if not head or not f1:
        fail(f"unexpected score_links output: {p.stdout.strip()[:200]}")
    gold_n, pred_n, unpaired, right = (int(x) for x in head.groups())  # type: ignore[union-attr]
    return {"gold": gold_n, "pred": pred_n, "unpaired": unpaired, "right": right,
            "f1": float(f1.group(1))}  # type: ignore[union-attr]


def end_to_end(corpus: Path, pair: list[str], out: Path) -> dict:
    files = [str(corpus / "files" / n) for n in pair]
    cmd = [sys.executable, "-m", "plantrail.cli", "reconcile", *files, "--out", str(out), "--no-report", "--quiet"]
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if p.returncode != 0 or not (out / "links.csv").exists():
        return {"gold": 0, "pred": 0, "unpaired": 0, "right": 0, "f1": 0.0,
                "error": f"reconcile exit {p.returncode}: {p.stderr.strip()[-200:]}"}
    return score(corpus, out / "actions.csv", out / "links.csv")


def perfect(corpus: Path, old_doc: str, new_doc: str, out: Path) -> dict:
    """Gold actions of both versions reconciled directly."""
    from plantrail.normalise.reconcile.history import Version, reconcile_versions
    from plantrail.normalise.records import ActionRecord
    from plantrail.output.reconcile_writer import write_reconciliation

    with open(corpus / "gold" / "actions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    versions = []
    for doc in (old_doc, new_doc):
        recs = [ActionRecord(action_id=f"{doc}#{r['seq']}", source_file=doc, sha256="", section=r["section"],
                             aim=r["aim"], ref=r["ref"], action=r["action"], start=r["start"], end=r["end"],
                             measure=r["measure"], lead=r["lead"], dlt_lead=r["dlt_lead"], comments=r["comments"],
                             rag=r["rag"], seq=int(r["seq"])) for r in rows if r["doc"] == doc]
        versions.append(Version(label=doc, source_file=doc, actions=recs))
    write_reconciliation(reconcile_versions(versions), out, report=False)
    return score(corpus, out / "actions.csv", out / "links.csv")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/variety-pairs"))
    ap.add_argument("--generate", action="store_true", help="render the pairs first")
    ap.add_argument("--only", help="comma-separated styles")
    ap.add_argument("--write", action="store_true", help=f"write the table to {RESULTS.relative_to(REPO)}")
    a = ap.parse_args()
    if a.generate:
        subprocess.run([sys.executable, str(PAIRS), "--out", str(a.dir)], check=True)
    manifest = load(a.dir)
    lines = ["| style | input | gold links | predicted | right | F1 |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="variety-rec-") as tmp:
        for style, m in manifest["styles"].items():
            if a.only and style not in a.only.split(","):
                continue
            r = perfect(a.dir, m["old_doc"], m["new_doc"], Path(tmp) / style / "gold")
            lines.append(_line(style, "gold actions (perfect extraction)", r))
            for pair in m["pairs"]:
                r = end_to_end(a.dir, pair, Path(tmp) / style / Path(pair[0]).suffix.lstrip("."))
                lines.append(_line(style, " -> ".join(pair), r))
    text = "\n".join(lines)
    print(text)
    if a.write:
        write(text, manifest)
    return 0


def _line(style: str, name: str, r: dict) -> str:
    err = f" ({r['error']})" if r.get("error") else ""
    extra = f" (+{r['unpaired']} on unpaired rows)" if r["unpaired"] else ""
    return (f"| {style} | {name}{err} | {r['gold']} | {r['pred']}{extra} | {r['right']} | **{r['f1']:.3f}** |")


def write(text: str, manifest: dict) -> None:
    body = (f"{HEAD}\n\nCommand: `python bench/variety_reconcile.py --generate --write` (seed {manifest.get('seed')}; "
            "pairs from `bench/variety/pairs.py`: renumbering, light and heavy rewords, one split, one merge, a move "
            "between sections, drops, added actions including follow-up decoys of dropped actions with and without "
            "dates, status changes, slipped dates; link F1 from ../shared/bench/score_links.py).  A gold count of "
            "0 on an end-to-end row means plantrail extracted no actions from that pair's files.\n\n"
            f"{text}\n\n")
    from results_file import replace_section

    replace_section(RESULTS, HEAD, body, "# Variety bench results\n")


if __name__ == "__main__":
    sys.exit(main())
