#!/usr/bin/env python3
"""Check (or fit) the reconcile evidence weights on varied version pairs, with held-out styles.

    python bench/fit_reconcile_weights.py [--seeds 11-30] [--write]

The match weight of a candidate pair is a sum of per-evidence curves (compare.CURVES, shaped
by reasoning).  This fits one multiplier per evidence kind, plus an intercept, by L2-regularised
logistic regression on every candidate pair of the variety version pairs with perfect
extraction (label: the pair is a gold link), so the data says which kinds of evidence the
hand curves over- or under-weigh.  Styles are split in two: the fit sees only the TRAIN styles;
link F1 is then measured end to end through reconcile_pair on the HELD-OUT styles (and on the
train styles) with the hand multipliers (all 1) and with the fitted ones rescaled so that the
threshold keeps its meaning.  --write stores the fit in normalise/reconcile/weights.json
("fitted", with this command and the numbers) without changing the multipliers in use
("scale"), which a person sets after reading the check.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plantrail.normalise.reconcile import compare as C  # noqa: E402
from plantrail.normalise.reconcile.candidates import anchors, candidates, contexts  # noqa: E402
from plantrail.normalise.reconcile.match import Scorer, reconcile_pair  # noqa: E402
from plantrail.normalise.reconcile.settings import DEFAULT  # noqa: E402

from bench.variety_links import Pair, parse_seeds, score, try_pair  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
WEIGHTS = REPO / "normalise" / "reconcile" / "weights.json"
TRAIN = ("ilacs", "audit", "peer", "welsh", "colour", "layout", "update", "csv", "outcome-measure")
HELD_OUT = ("wsoa", "delivery", "partnership", "multihead", "blocks", "sheets", "slides", "outcome-aim")
KINDS = tuple(C.CURVES)


def generated(styles: tuple[str, ...], seeds: list[int]) -> list[Pair]:
    """Every pair the generator makes; the ones it cannot make are named, not silently dropped."""
    out = []
    for style in styles:
        for seed in seeds:
            p = try_pair(style, seed)
            if p is None:
                print(f"note: no {style} pair for seed {seed} (plan too small for every change kind)")
            else:
                out.append(p)
    return out


def features(p: Pair) -> tuple[np.ndarray, np.ndarray]:
    """Per-kind curve values of every candidate pair, and whether it is a gold link."""
    po, pn = C.prepare(p.old), C.prepare(p.new)
    cand = candidates(po, pn, DEFAULT)
    wins, refs = contexts(po, pn, anchors(cand, len(po), len(pn), DEFAULT), DEFAULT)
    scorer = Scorer(po, pn, wins, refs)
    rows, labels = [], []
    for i, j, sim in zip(cand.oi.tolist(), cand.nj.tolist(), cand.sims.tolist(), strict=True):
        x = dict.fromkeys(KINDS, 0.0)
        for e in scorer.evidence(i, j, sim):
            x[e.name] = C.raw_weight(e)
        rows.append([x[k] for k in KINDS])
        labels.append((i, j) in p.gold)
    return np.array(rows), np.array(labels, dtype=float)


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Multipliers beta and intercept b minimising log-loss of sigmoid(ln2 * (x @ beta) + b)."""
    n, k = x.shape
    xs = x * np.log(2.0)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        beta, b = theta[:k], theta[k]
        z = xs @ beta + b
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        ll = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + l2 * np.sum((beta - 1.0) ** 2)
        g = p - y
        grad = np.r_[xs.T @ g / n + 2 * l2 * (beta - 1.0), g.mean()]
        return float(ll), grad

    res = minimize(loss, np.r_[np.ones(k), 0.0], jac=True, method="L-BFGS-B")
    return res.x[:k], float(res.x[k])


def link_f1(pairs: list[Pair], scale: dict[str, float]) -> tuple[float, float]:
    """Pooled and worst per-pair link F1 through reconcile_pair with these multipliers."""
    saved = dict(C.SCALE)
    C.set_scale(scale)
    try:
        tot = [0, 0, 0]
        worst = 1.0
        for p in pairs:
            res = reconcile_pair(p.old, p.new)
            g, n, r, f1 = score({(lk.old, lk.new) for lk in res.links}, p.gold)
            tot = [tot[0] + g, tot[1] + n, tot[2] + r]
            worst = min(worst, f1)
    finally:
        C.set_scale(saved)
    return 2 * tot[2] / (tot[0] + tot[1]), worst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="11-30", help="seeds of the training pairs")
    ap.add_argument("--test-seeds", default="1-10", help="seeds of the pairs F1 is measured on")
    ap.add_argument("--l2", type=float, default=0.001, help="pull of each multiplier towards 1")
    ap.add_argument("--write", action="store_true", help=f"store the fit in {WEIGHTS.relative_to(REPO)}")
    a = ap.parse_args(argv)
    seeds, test_seeds = parse_seeds(a.seeds), parse_seeds(a.test_seeds)
    xs, ys = zip(*(features(p) for p in generated(TRAIN, seeds)), strict=True)
    x, y = np.vstack(xs), np.concatenate(ys)
    beta, b = fit(x, y, a.l2)
    # Rescale so that the decision boundary sits at the usual threshold: sum(beta*w) > -b/ln2
    # <=> sum(beta*w) * (threshold / (-b/ln2)) > threshold.
    cut = -b / np.log(2.0)
    k = DEFAULT.threshold / cut if cut > 0 else 1.0
    fitted = {kind: round(float(v * k), 3) for kind, v in zip(KINDS, beta, strict=True)}
    hand = dict.fromkeys(KINDS, 1.0)
    print(f"training: {len(TRAIN)} styles x seeds {a.seeds}: {len(y)} candidate pairs, {int(y.sum())} gold links")
    print("| evidence | hand | fitted (rescaled) |\n|---|---|---|")
    for kind in KINDS:
        print(f"| {kind} | 1.0 | {fitted[kind]:.3f} |")
    rows = []
    train_test, held_out = generated(TRAIN, test_seeds), generated(HELD_OUT, test_seeds)
    for name, sc in (("hand", hand), ("fitted", fitted)):
        tr = link_f1(train_test, sc)
        ho = link_f1(held_out, sc)
        rows.append({"weights": name, "train_pooled": round(tr[0], 4), "train_worst": round(tr[1], 4),
                     "held_out_pooled": round(ho[0], 4), "held_out_worst": round(ho[1], 4)})
    print(f"\nlink F1 with perfect extraction, seeds {a.test_seeds} (not the training seeds):")
    print("| weights | train styles pooled | worst pair | held-out styles pooled | worst pair |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['weights']} | {r['train_pooled']:.4f} | {r['train_worst']:.3f} | "
              f"{r['held_out_pooled']:.4f} | {r['held_out_worst']:.3f} |")
    if a.write:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        data["fitted"] = {"command": "python bench/fit_reconcile_weights.py " + " ".join(argv or sys.argv[1:]),
                          "train_styles": list(TRAIN), "held_out_styles": list(HELD_OUT),
                          "train_seeds": a.seeds, "test_seeds": a.test_seeds, "l2": a.l2,
                          "scale": fitted, "link_f1": rows}
        WEIGHTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
