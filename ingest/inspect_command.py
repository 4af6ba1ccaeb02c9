"""``plantrail inspect FILE [--json]``: what the parser read, before any normalising.

When an action is missing or a field is wrong, the first question is whether the parser saw
the table as a person does.  This prints the document model of one file: every block in
reading order (kind, heading level, text) and every table with its size and a readable grid,
each cell with its spans, fill, font colour and spreadsheet value where it has them, and where
each piece came from (page, sheet and cell, line).  ``--json`` prints the whole document as
JSON instead (``Document.to_json``), the form to diff or to keep.

For each table it also prints how the action reader maps the table's columns, when the
action reader offers that (``plantrail.normalise.actions.explain_columns``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..parsers import Document, ParseError, parse
from ..parsers.model import Block, Cell, Provenance, Table, TableBlock
from .detect import detect
from .hashing import sha256_bytes

EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2
MAX_CELL_WIDTH = 28  # characters of a cell shown in the grid; the cell list has the full text


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "inspect", help="print the blocks and tables of one file as the parser read them",
        description="Print the document model of FILE: blocks in reading order and every table "
                    "as a grid, with page/sheet/row provenance, spans, fills and colours.")
    p.add_argument("file", metavar="FILE", help="the file to read (format detected from content)")
    p.add_argument("--json", action="store_true", help="print the whole document as JSON")
    return p


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        print(f"plantrail inspect: cannot read {path}: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    found = detect(data)
    if not found.ok:
        print(f"plantrail inspect: {path}: {found.note}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        doc = parse(str(path), data, sha256_bytes(data), found.fmt)
    except ParseError as e:
        print(f"plantrail inspect: {path}: {e}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        if args.json:
            out.write(doc.to_json(indent=1) + "\n")
        else:
            out.writelines(line + "\n" for line in describe(doc))
        out.flush()
    except BrokenPipeError:  # piped into head: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
    return EXIT_OK


def describe(doc: Document, explain: Callable[[Table], list[str]] | None = None) -> Iterator[str]:
    """The document as readable lines: a summary, then each block."""
    explain = explain if explain is not None else _column_explainer()
    yield f"{doc.path}  format={doc.format}  sha256={doc.sha256[:12]}"
    if doc.pages is not None:
        yield f"pages: {doc.pages}"
    for s in doc.sheets:
        yield f"sheet {s.name!r}: {s.rows} x {s.cols}{'  (hidden, not read)' if s.hidden else ''}"
    for key, value in sorted(doc.meta.items()):
        yield f"meta {key}: {value}"
    for w in doc.warnings:
        yield f"warning: {w}"
    yield f"{len(doc.blocks)} blocks, {len(doc.tables())} tables"
    for i, b in enumerate(doc.blocks):
        yield ""
        yield from _block(i, b, explain)


def _block(i: int, b: Block, explain: Callable[[Table], list[str]] | None) -> Iterator[str]:
    where = where_text(b.prov)
    if isinstance(b, TableBlock):
        t = b.table
        yield f"[{i}] table {t.index}: {t.n_rows} rows x {t.n_cols} cols, {len(t.cells)} cells" \
              + (f"  @ {where_text(t.prov)}" if where_text(t.prov) else "")
        yield from ("    " + line for line in table_lines(t))
        if explain is not None:
            yield from ("    columns: " + line for line in explain(t))
        return
    label = b.kind
    if b.kind in ("heading", "list_item"):
        label += f" {b.level}"
    if b.bold:
        label += " bold"
    text = f"{b.key}: {b.value}" if b.kind == "key_value" else b.text
    yield f"[{i}] {label}" + (f"  @ {where}" if where else "") + f"\n    {_quote(text)}"


def table_lines(t: Table) -> Iterator[str]:
    """A readable grid (merged regions shown once, then "<" left and "^" above), then every
    cell that has more than text to tell."""
    grid = t.grid()
    widths = [3] * t.n_cols
    shown: list[list[str]] = []
    for r, row in enumerate(grid):
        texts = []
        for k, c in enumerate(row):
            texts.append(_grid_text(c, r, k))
            widths[k] = min(MAX_CELL_WIDTH, max(widths[k], len(texts[-1])))
        shown.append(texts)
    starts = t.rows_of_cells()
    for r, texts in enumerate(shown):
        cells = " | ".join(_fit(x, widths[k]) for k, x in enumerate(texts))
        where = where_text(starts[r][0].prov, bbox=False) if starts[r] else ""
        yield f"r{r:<4}| {cells} |" + (f"  @ {where}" if where else "")
    for c in t.cells:
        extra = cell_details(c)
        if extra:
            yield f"cell r{c.row}c{c.col}: " + ", ".join(extra)


def cell_details(c: Cell) -> list[str]:
    """What a cell carries beyond its text: spans, style, colour, stored value, provenance."""
    out = []
    if c.row_span > 1 or c.col_span > 1:
        out.append(f"span {c.row_span}x{c.col_span}")
    if c.bold:
        out.append("bold")
    if c.fill:
        out.append(f"fill #{c.fill}")
    if c.color:
        out.append(f"colour #{c.color}")
    if c.value is not None:
        out.append(f"value {c.value}")
    if c.number_format:
        out.append(f"format {c.number_format!r}")
    if c.nested:
        out.append(f"{len(c.nested)} nested table(s)")
    if out and where_text(c.prov, bbox=False):
        out.append("@ " + where_text(c.prov, bbox=False))
    return out


def where_text(p: Provenance, bbox: bool = True) -> str:
    parts = []
    if p.page is not None:
        parts.append(f"page {p.page}")
    if p.sheet is not None:
        parts.append(f"sheet {p.sheet!r}")
    if p.cell is not None:
        parts.append(f"cell {p.cell}")
    if p.line is not None:
        parts.append(f"line {p.line}")
    if bbox and p.bbox is not None:
        parts.append("bbox " + ",".join(f"{v:g}" for v in p.bbox))
    return " ".join(parts)


def _grid_text(c: Cell | None, r: int, k: int) -> str:
    if c is None:
        return ""
    if c.row != r:
        return "^"
    if c.col != k:
        return "<"
    return " ".join(c.text.split())


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "\u2026"


def _quote(text: str) -> str:
    return text.replace("\n", "\n    ")


def _column_explainer() -> Callable[[Table], list[str]] | None:
    """``plantrail.normalise.actions.explain_columns`` when the action reader has it."""
    try:
        from ..normalise import actions

        fn = getattr(actions, "explain_columns")  # noqa: B009 - added on another branch
    except (ImportError, AttributeError):
        return None
    return fn if callable(fn) else None
