#!/usr/bin/env python3
"""Render version pairs of the variety styles (issue 15) with gold actions and gold links.

    python bench/variety/pairs.py [--out /tmp/variety-pairs] [--seed 1]

For each style in PAIRS: version 1 is the plan of the variety corpus (same seed, same gold
doc id), version 2 the next quarter's (bench/variety/versions.py), both rendered in the
style's own formats.  Writes DIR/files/<style>-v1.<ext> and -v2, DIR/gold/actions.csv (both
versions), DIR/gold/links.csv (schema of the dev gold links), DIR/gold/map.csv and
DIR/manifest.json (style -> docs and the file pairs).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.variety import plan  # noqa: E402
from bench.variety.generate import RENDER, STYLES, _write_csv, doc_id, printed_fields  # noqa: E402
from bench.variety.model import GOLD_FIELDS, Action, Doc  # noqa: E402
from bench.variety.render_text import to_pdf  # noqa: E402
from bench.variety.versions import New, next_version  # noqa: E402

# style -> the formats its two versions are rendered in
PAIRS = {"ilacs": ("docx", "pdf<-docx"), "wsoa": ("docx",), "audit": ("xlsx",), "delivery": ("docx", "xlsx"),
         "welsh": ("docx",), "multihead": ("xlsx",), "update": ("docx",), "csv": ("csv",)}
LINK_FIELDS = ["old_doc", "old_seq", "new_doc", "new_seq", "relation", "notes"]


def versions(style: str, seed: int) -> tuple[tuple[Doc, list[Action]], tuple[Doc, list[Action]], list[New]]:
    builder = STYLES[style][0][0]
    old = builder(random.Random(f"{seed}:{style}"))
    captured: list[list[New]] = []

    def hook(spec: plan.Spec, acts: list[Action]) -> list[Action]:
        news = next_version(seed, spec, acts)
        captured.append(news)
        return [n.action for n in news]

    plan.HOOK.append(hook)
    try:
        new = builder(random.Random(f"{seed}:{style}"))
    finally:
        plan.HOOK.pop()
    return old, new, captured[0]


def links(old_doc: str, new_doc: str, news: list[New]) -> list[dict]:
    return [{"old_doc": old_doc, "old_seq": str(i + 1), "new_doc": new_doc, "new_seq": str(j + 1),
             "relation": rel, "notes": n.note} for j, n in enumerate(news) for i, rel in n.origin]


def render_pairs(out: Path, seed: int, styles: list[str]) -> dict:
    files, gold_dir = out / "files", out / "gold"
    for folder in (files, gold_dir):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    manifest: dict = {"seed": seed, "styles": {}}
    gold: list[dict] = []
    gold_links: list[dict] = []
    mapping: list[dict] = []
    pending: list[tuple[Path, Path]] = []
    with tempfile.TemporaryDirectory(prefix="variety-pairs-") as t:
        tmp = Path(t)
        for style in styles:
            (doc1, acts1), (doc2, acts2), news = versions(style, seed)
            d1, d2 = doc_id(style, seed), doc_id(style, seed) + "-next"
            for d, doc, acts in ((d1, doc1, acts1), (d2, doc2, acts2)):
                shown = printed_fields(doc, acts)
                gold += [a.gold(d, i, shown) for i, a in enumerate(acts, start=1)]
            for row, n in zip(gold[-len(acts2):], news, strict=True):
                row["notes"] = n.note  # "added", "follow-up decoy of old N (dated / no date)"
            gold_links += links(d1, d2, news)
            pairs = []
            for fmt in PAIRS[style]:
                names = []
                for v, doc, d in (("v1", doc1, d1), ("v2", doc2, d2)):
                    if fmt.startswith("pdf<-"):
                        src_fmt = fmt.split("<-")[1]
                        src = tmp / f"{style}-{v}-{src_fmt}.{src_fmt}"
                        RENDER[src_fmt](doc, src)
                        name = f"{style}-{v}-{src_fmt}.pdf"
                        pending.append((src, files / name))
                    else:
                        name = f"{style}-{v}.{fmt}"
                        RENDER[fmt](doc, files / name)
                    names.append(name)
                    mapping.append({"file": name, "doc": d})
                pairs.append(names)
            manifest["styles"][style] = {"old_doc": d1, "new_doc": d2, "pairs": pairs,
                                         "links": sum(len(n.origin) for n in news)}
        to_pdf([s for s, _ in pending], tmp / "pdf", tmp / "profile")
        for src, dest in pending:
            shutil.move(str(tmp / "pdf" / f"{src.stem}.pdf"), dest)
    _write_csv(gold_dir / "actions.csv", list(GOLD_FIELDS), gold)
    _write_csv(gold_dir / "links.csv", LINK_FIELDS, gold_links)
    _write_csv(gold_dir / "map.csv", ["file", "doc"], mapping)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/variety-pairs"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", help="comma-separated styles")
    a = ap.parse_args(argv)
    styles = [s for s in (a.only.split(",") if a.only else PAIRS) if s]
    unknown = [s for s in styles if s not in PAIRS]
    if unknown:
        raise SystemExit(f"no version pairs for: {', '.join(unknown)}")
    m = render_pairs(a.out, a.seed, styles)
    n = sum(s["links"] for s in m["styles"].values())
    print(f"{len(m['styles'])} version pairs, {n} gold links -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
