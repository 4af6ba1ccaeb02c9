#!/usr/bin/env python3
"""Render the variety corpus: every style in each of its formats, with gold.

    python bench/variety/generate.py [--out /tmp/variety] [--seed 1] [--held-out]

Writes DIR/files/<style>.<ext>, DIR/gold/actions.csv (the schema of the dev gold),
DIR/gold/map.csv (file -> doc) and DIR/manifest.json (style -> doc, files).  The same seed
gives the same bytes of gold and the same documents.  --held-out renders the held-aside
styles (HELD_OUT) with another seed into DIR (default /tmp/variety-heldout): developers
should not open those files while tuning; bench/variety.py scores them only with --held-out.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.variety import styles_a as A  # noqa: E402
from bench.variety import styles_b as B  # noqa: E402
from bench.variety.model import GOLD_FIELDS, Action, Doc  # noqa: E402
from bench.variety.render_docx import render_docx  # noqa: E402
from bench.variety.render_text import (  # noqa: E402
    render_csv,
    render_layout,
    render_layout_pdf,
    render_plain,
    render_pptx,
    to_pdf,
)
from bench.variety.render_xlsx import render_xlsx  # noqa: E402

Builder = Callable[[random.Random], tuple[Doc, list[Action]]]

# style -> [(builder, formats)]; a format "pdf<-docx" is the DOCX converted by LibreOffice.
# Several builders of one style print the same actions (same seed) in different media.
STYLES: dict[str, list[tuple[Builder, tuple[str, ...]]]] = {
    "ilacs": [(A.ilacs, ("docx", "pdf<-docx"))],
    "wsoa": [(A.wsoa, ("docx", "pdf<-docx"))],
    "audit": [(A.audit, ("xlsx", "pdf<-xlsx"))],
    "delivery": [(A.delivery, ("docx", "xlsx", "pdf<-docx"))],
    "peer": [(A.peer, ("docx", "pdf<-docx"))],
    "partnership": [(A.partnership, ("docx", "pdf<-docx"))],
    "welsh": [(A.welsh, ("docx", "xlsx", "pdf<-docx"))],
    "multihead": [(A.multihead, ("xlsx", "docx", "pdf<-xlsx"))],
    "colour": [(B.colour_docx, ("docx", "pdf<-docx")), (B.colour_xlsx, ("xlsx",))],
    "blocks": [(B.blocks, ("txt", "docx", "pdf<-docx"))],
    "layout": [(B.layout, ("layout.txt", "layout.pdf"))],
    "sheets": [(B.sheets, ("xlsx", "pdf<-xlsx"))],
    "update": [(B.update_rows, ("docx", "pdf<-docx"))],
    "slides": [(B.slides, ("pdf<-pptx",))],
    "csv": [(B.csv_export, ("csv", "tsv", "xlsx"))],
    "outcome-aim": [(B.outcome_aim, ("docx", "pdf<-docx"))],
    "outcome-measure": [(B.outcome_measure, ("xlsx", "pdf<-xlsx"))],
}
HELD_OUT = ("audit", "blocks", "multihead")
HELD_OUT_SEED_OFFSET = 7919

RENDER = {"docx": render_docx, "xlsx": render_xlsx, "pptx": render_pptx, "txt": render_plain,
          "layout.txt": render_layout, "layout.pdf": render_layout_pdf, "csv": render_csv,
          "tsv": lambda d, p: render_csv(d, p, delimiter="\t")}


def doc_id(style: str, seed: int) -> str:
    return f"variety-{style}-s{seed}"


def file_name(style: str, fmt: str, fmts: list[str]) -> str:
    if not fmt.startswith("pdf<-"):
        return f"{style}.{fmt}"
    src = fmt.split("<-")[1]
    several = sum(f.startswith("pdf<-") for f in fmts) > 1
    return f"{style}-{src}.pdf" if several else f"{style}.pdf"


ALIASES = {"numbered": ("action", "ref"), "timescale": ("start", "end"), "original": ("end",),
           "revised": ("end",)}


def printed_fields(doc: Doc, acts: list[Action]) -> set[str]:
    """The Action fields a document prints: its table columns, update rows, and the section and
    aim where a heading, banner row, slide title or column shows them."""
    if doc.fields:
        return set(doc.fields)
    keys: set[str] = set()
    texts: set[str] = set()
    for sheet in doc.sheets:
        texts.add(sheet.slide_title)
        for b in sheet.blocks:
            texts.add(b.text)
            if b.table is None:
                continue
            for c in b.table.cols:
                keys.update(ALIASES.get(c.key, (c.key,)))
            for r in b.table.rows:
                texts.add(r.text)
                if r.kind == "update":
                    keys.add("comments")
    for f in ("section", "aim"):
        if all(getattr(a, f) in texts for a in acts):
            keys.add(f)
    return keys


def render_style(style: str, seed: int, files: Path, tmp: Path) -> tuple[list[dict], list[str], list[tuple]]:
    """Render one style; returns its gold rows, its file names and the PDF conversions due."""
    gold: list[dict] | None = None
    names: list[str] = []
    pending: list[tuple] = []
    all_fmts = [f for _, fmts in STYLES[style] for f in fmts]
    for builder, fmts in STYLES[style]:
        doc, acts = builder(random.Random(f"{seed}:{style}"))
        shown = printed_fields(doc, acts)
        rows = [a.gold(doc_id(style, seed), i, shown) for i, a in enumerate(acts, start=1)]
        if gold is not None and rows != gold:
            raise SystemExit(f"{style}: builders disagree on the gold rows")
        gold = rows
        for fmt in fmts:
            name = file_name(style, fmt, all_fmts)
            names.append(name)
            if fmt.startswith("pdf<-"):
                src_fmt = fmt.split("<-")[1]
                src = tmp / f"{Path(name).stem}.{src_fmt}"
                RENDER[src_fmt](doc, src)
                pending.append((src, files / name))
            else:
                RENDER[fmt](doc, files / name)
    return gold or [], names, pending


def generate(out: Path, seed: int, styles: list[str]) -> dict:
    files, gold_dir = out / "files", out / "gold"
    for d in (files, gold_dir):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    manifest: dict = {"seed": seed, "styles": {}}
    gold_rows: list[dict] = []
    pending: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="variety-") as t:
        tmp = Path(t)
        for style in styles:
            rows, names, todo = render_style(style, seed, files, tmp)
            gold_rows += rows
            pending += todo
            manifest["styles"][style] = {"doc": doc_id(style, seed), "files": names, "actions": len(rows)}
        to_pdf([src for src, _ in pending], tmp / "pdf", tmp / "profile")
        for src, dest in pending:
            shutil.move(str(tmp / "pdf" / f"{src.stem}.pdf"), dest)
    _write_csv(gold_dir / "actions.csv", list(GOLD_FIELDS), gold_rows)
    _write_csv(gold_dir / "map.csv", ["file", "doc"],
               [{"file": n, "doc": m["doc"]} for m in manifest["styles"].values() for n in m["files"]])
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="output folder (default /tmp/variety or /tmp/variety-heldout)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--held-out", action="store_true", help="render the held-aside styles with another seed")
    ap.add_argument("--only", help="comma-separated styles")
    a = ap.parse_args(argv)
    if a.held_out:
        out, seed, styles = a.out or Path("/tmp/variety-heldout"), a.seed + HELD_OUT_SEED_OFFSET, list(HELD_OUT)
    else:
        out, seed, styles = a.out or Path("/tmp/variety"), a.seed, list(STYLES)
    if a.only:
        styles = [s for s in a.only.split(",") if s]
    unknown = [s for s in styles if s not in STYLES]
    if unknown:
        raise SystemExit(f"unknown styles: {', '.join(unknown)}")
    m = generate(out, seed, styles)
    n_files = sum(len(s["files"]) for s in m["styles"].values())
    n_actions = sum(s["actions"] for s in m["styles"].values())
    print(f"{len(m['styles'])} styles, {n_files} files, {n_actions} gold actions -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
