"""Score paper metadata (the ``reports`` table) on real committee papers of many kinds and bodies.

    python bench/papers.py              # score, print per paper and totals
    python bench/papers.py --write      # also write bench/results/papers.md
    python bench/papers.py --split held # only the held-aside papers

Gold: ``bench/papers/gold.csv`` (conventions in ``bench/papers/README.md``).  Each paper is
found by its ``source``: ``foreign`` (path under shared/corpus/foreign), ``dev`` (under
shared/corpus/dev), or ``owner/repo@commit`` (a public repository fetched with the search
tool's ``fetch``, read from its mirror with ``git show``; set PAPERS_MIRROR when the mirrors
are not under /work/.mirror).  A paper that cannot be read is listed as unavailable and
counted in the totals as such: nothing is skipped silently.

Fields scored: doc_kind, authority, committee, meeting_date, title, report_of, author.  A field
is right when the folded values are equal (case, whitespace, curly quotes and the punctuation
, : - – — . folded; "; " between people is kept), false when a value was given and it is wrong,
empty when gold has a value and the extractor gave none.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_dir import SHARED, require  # noqa: E402  (bench/ is on sys.path when run as a script)

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "bench" / "papers" / "gold.csv"
RESULTS = REPO / "bench" / "results" / "papers.md"
MIRROR = Path(os.environ.get("PAPERS_MIRROR", "/work/.mirror"))
FIELDS = ("doc_kind", "authority", "committee", "meeting_date", "title", "report_of", "author")


def fold(s: str) -> str:
    s = (s or "").replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"[,:.\u2013\u2014-]+", " ", s)
    s = re.sub(r"\s*;\s*", "; ", s)
    return re.sub(r"\s+", " ", s).strip().casefold()


def read_bytes(row: dict[str, str]) -> bytes | None:
    src, rel = row["source"], row["file"]
    if src == "foreign":
        p = SHARED / "corpus" / "foreign" / rel
        return p.read_bytes() if p.exists() else None
    if src == "dev":
        p = SHARED / "corpus" / "dev" / rel
        return p.read_bytes() if p.exists() else None
    repo, _, commit = src.partition("@")
    git_dir = MIRROR / repo.replace("/", "+") / "repo"
    if not git_dir.exists():
        return None
    got = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{rel}"], capture_output=True)
    return got.stdout if got.returncode == 0 else None


@dataclass
class Score:
    right: int = 0
    false: int = 0
    empty: int = 0
    unavailable: int = 0
    papers: int = 0
    baseline: int = 0  # fields right if every field were left empty (doc_kind counted wrong)
    lines: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + self.false + self.empty


def extract(path: str, data: bytes) -> dict[str, object]:
    from plantrail.ingest.detect import detect
    from plantrail.normalise.actions.extract import extract_actions
    from plantrail.normalise.reports.extract import read_report
    from plantrail.parsers import parse

    found = detect(data)
    if not found.ok:
        return {"error": found.note}
    doc = parse(path, data, hashlib.sha256(data).hexdigest(), found.fmt)
    return read_report(doc, extract_actions(doc)).to_row()


def score_row(g: dict[str, str], got: dict[str, object], sc: Score) -> None:
    misses = []
    for f in FIELDS:
        want, have = g[f] or "", str(got.get(f) or "")
        if fold(want) == fold(have):
            sc.right += 1
        elif have:
            sc.false += 1
            misses.append(f"**{f}** FALSE: got `{have[:120]}`, gold `{want[:120]}`")
        else:
            sc.empty += 1
            misses.append(f"**{f}** empty: gold `{want[:120]}`")
        sc.baseline += int(f != "doc_kind" and not want)
    name = g["file"].split("/")[-1]
    ok = len(FIELDS) - len(misses)
    sub = f" ({got.get('doc_subkind')})" if got.get("doc_subkind") else ""
    sc.lines.append(f"| {name[:70]} | {got.get('doc_kind')}{sub} | {ok}/{len(FIELDS)} | {'; '.join(misses) or '-'} |")


def run(split: str | None) -> dict[str, Score]:
    gold = list(csv.DictReader(GOLD.open(encoding="utf-8", newline="")))
    scores: dict[str, Score] = {}
    for g in gold:
        if split and g["split"] != split:
            continue
        sc = scores.setdefault(g["split"], Score())
        sc.papers += 1
        data = read_bytes(g)
        if data is None:
            sc.unavailable += 1
            sc.lines.append(f"| {g['file'].split('/')[-1][:70]} | UNAVAILABLE ({g['source']}) | - | - |")
            continue
        try:
            got = extract(g["file"], data)
        except Exception as exc:  # a crash is a result too: every field counts as empty
            got = {"error": f"{type(exc).__name__}: {exc}"}
        score_row(g, got, sc)
    return scores


def report(scores: dict[str, Score], seconds: float) -> list[str]:
    out = ["# Paper metadata (bench/papers.py)", "",
           "Command: `python bench/papers.py --write`; gold `bench/papers/gold.csv` (conventions in "
           "`bench/papers/README.md`).", "",
           f"Fields: {', '.join(FIELDS)}. Right = folded equal; false = a value given and wrong; empty = gold "
           "has a value, none given. Baseline = fields right if every field but doc_kind were left empty.", ""]
    for split in ("tune", "held"):
        sc = scores.get(split)
        if sc is None:
            continue
        pct = 100.0 * sc.right / sc.total if sc.total else 0.0
        out += [f"## {split} ({sc.papers} papers, {sc.unavailable} unavailable)", "",
                f"**{sc.right}/{sc.total} fields right ({pct:.1f}%), {sc.false} false, {sc.empty} empty**; "
                f"all-empty baseline {sc.baseline}/{sc.total}.", "",
                "| paper | kind (subkind) | right | misses |", "|---|---|---|---|", *sc.lines, ""]
    out.append(f"Run time {seconds:.0f} s (parsing included).")
    return out


def main(argv: list[str]) -> int:
    split = argv[argv.index("--split") + 1] if "--split" in argv else None
    require(GOLD, SHARED / "corpus" / "foreign")
    t0 = time.perf_counter()
    scores = run(split)
    lines = report(scores, time.perf_counter() - t0)
    print("\n".join(lines))
    if "--write" in argv:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
