#!/usr/bin/env python3
"""Reconciliation of the variety version pairs with perfect extraction, in memory (issue 15).

    python bench/variety_links.py [--seeds 1] [--styles all|pairs] [--show-misses]

Builds each style's two plan versions with bench/variety/pairs.py's ``versions`` (no files
rendered), turns the gold actions into ActionRecords, reconciles them with
``reconcile_pair`` and scores the links against the generator's gold links (a link is right
when its old and new action match a gold link; relation not judged, as score_links.py).
Fast enough to run over every style and many seeds, which is what the weight fit
(bench/fit_reconcile_weights.py) and the "every pair" check need.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plantrail.normalise.records import ActionRecord  # noqa: E402

from bench.variety.generate import STYLES, doc_id, printed_fields  # noqa: E402
from bench.variety.pairs import PAIRS, versions  # noqa: E402

FIELDS = ("section", "aim", "ref", "action", "start", "end", "measure", "lead", "dlt_lead", "comments", "rag")


@dataclass
class Pair:
    style: str
    seed: int
    old: list[ActionRecord]
    new: list[ActionRecord]
    gold: set[tuple[int, int]]  # (old index, new index), 0-based
    notes: list[str]  # per new action: "", "added", "follow-up decoy of old N (...)"


def records(doc: str, rows: list[dict[str, str]]) -> list[ActionRecord]:
    return [ActionRecord(action_id=f"{doc}#{r['seq']}", source_file=doc, sha256="", seq=int(r["seq"]),
                         **{f: r[f] for f in FIELDS}) for r in rows]


def make_pair(style: str, seed: int) -> Pair:
    (doc1, acts1), (doc2, acts2), news = versions(style, seed)
    d1, d2 = doc_id(style, seed), doc_id(style, seed) + "-next"
    rows = []
    for d, doc, acts in ((d1, doc1, acts1), (d2, doc2, acts2)):
        shown = printed_fields(doc, acts)
        rows.append([a.gold(d, i, shown) for i, a in enumerate(acts, start=1)])
    gold = {(i, j) for j, n in enumerate(news) for i, _ in n.origin}
    return Pair(style, seed, records(d1, rows[0]), records(d2, rows[1]), gold, [n.note for n in news])


def try_pair(style: str, seed: int) -> Pair | None:
    """The pair, or None when the generator cannot fit every change kind into a very small plan
    (callers say so: no pair is skipped silently)."""
    try:
        return make_pair(style, seed)
    except IndexError:
        return None


def pair_styles(which: str) -> list[str]:
    return list(PAIRS) if which == "pairs" else list(STYLES)


def score(pred: set[tuple[int, int]], gold: set[tuple[int, int]]) -> tuple[int, int, int, float]:
    right = len(pred & gold)
    f1 = 2 * right / (len(pred) + len(gold)) if pred or gold else 1.0
    return len(gold), len(pred), right, f1


def run(pair: Pair, settings: object | None = None) -> set[tuple[int, int]]:
    from plantrail.normalise.reconcile.match import reconcile_pair

    res = reconcile_pair(pair.old, pair.new, settings=settings)  # type: ignore[arg-type]
    return {(lk.old, lk.new) for lk in res.links}


def show_misses(pair: Pair, pred: set[tuple[int, int]]) -> None:
    from plantrail.normalise.reconcile.match import reconcile_pair

    res = reconcile_pair(pair.old, pair.new)
    by = {(lk.old, lk.new): lk for lk in res.links}
    for i, j in sorted(pred - pair.gold):
        print(f"    WRONG old {i + 1} -> new {j + 1} [{pair.notes[j]}] {by[(i, j)].relation} w={by[(i, j)].weight}")
        print(f"      old: {pair.old[i].ref} {pair.old[i].action!r} {pair.old[i].start}..{pair.old[i].end}")
        print(f"      new: {pair.new[j].ref} {pair.new[j].action!r} {pair.new[j].start}..{pair.new[j].end}")
        print(f"      {by[(i, j)].reasons}")
    for i, j in sorted(pair.gold - pred):
        print(f"    MISSED old {i + 1} -> new {j + 1}")
        print(f"      old: {pair.old[i].ref} {pair.old[i].action!r} | aim {pair.old[i].aim[:40]!r} "
              f"| measure {pair.old[i].measure[:40]!r} | lead {pair.old[i].lead}")
        print(f"      new: {pair.new[j].ref} {pair.new[j].action!r} | aim {pair.new[j].aim[:40]!r} "
              f"| measure {pair.new[j].measure[:40]!r} | lead {pair.new[j].lead}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1", help="e.g. 1 or 1-20 or 1,3,5")
    ap.add_argument("--styles", default="pairs", help="pairs (the rendered 8), all (every style) or a list")
    ap.add_argument("--show-misses", action="store_true")
    a = ap.parse_args(argv)
    seeds = parse_seeds(a.seeds)
    styles = pair_styles(a.styles) if a.styles in ("pairs", "all") else a.styles.split(",")
    tot = [0, 0, 0]
    worst = (2.0, "")
    print("| style | seed | gold | pred | right | F1 |\n|---|---|---|---|---|---|")
    for style in styles:
        for seed in seeds:
            p = try_pair(style, seed)
            if p is None:
                print(f"| {style} | {seed} | - | - | - | generator made no pair (plan too small) |")
                continue
            pred = run(p)
            g, n, r, f1 = score(pred, p.gold)
            tot = [tot[0] + g, tot[1] + n, tot[2] + r]
            worst = min(worst, (f1, f"{style} seed {seed}"))
            print(f"| {style} | {seed} | {g} | {n} | {r} | {f1:.3f} |")
            if a.show_misses and f1 < 1:
                show_misses(p, pred)
    f1 = 2 * tot[2] / (tot[0] + tot[1]) if tot[0] + tot[1] else 1.0
    print(f"\npooled: gold {tot[0]}, predicted {tot[1]}, right {tot[2]}, F1 {f1:.4f}; worst {worst[0]:.3f} ({worst[1]})")
    return 0


def parse_seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out += range(int(lo), int(hi) + 1)
        elif part:
            out.append(int(part))
    return out


if __name__ == "__main__":
    sys.exit(main())
