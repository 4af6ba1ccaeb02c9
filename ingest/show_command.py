"""``plantrail show DIR``: a readable first look at a run's output in the terminal.

``head -5 actions.csv`` shows a 40-column wall; this shows the few columns a person reads
first (ref, action, end, lead, rag for actions), long text cut to fit, as an aligned table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from typing import Any, TextIO

from ..output.tables import TABLE_ORDER

# table -> the columns shown by default, most telling first
DEFAULT_COLUMNS = {
    "documents": ["path", "status", "actions", "reports", "reason"],
    "actions": ["ref", "action", "end", "lead", "rag"],
    "reports": ["source_file", "committee", "meeting_date", "title"],
    "figures": ["value", "unit", "counts_what", "source_file"],
    "mentions": ["text", "status_claimed", "action_ref", "score"],
}
MIN_WIDTH = 6


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "show", help="show a run's table in the terminal (ref, action, end, lead, rag)",
        description="Print the first rows of one table of a plantrail output folder as an aligned "
                    "terminal table, long text cut to fit the terminal.")
    p.add_argument("folder", metavar="DIR", help="output folder of plantrail ingest")
    p.add_argument("--table", default="actions", choices=TABLE_ORDER, help="table to show (default: actions)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="rows to show (default: 20; 0 = all)")
    p.add_argument("--columns", metavar="LIST", help="comma-separated columns instead of the default ones")
    p.add_argument("--width", type=int, default=0, metavar="CHARS",
                   help="line width (default: the terminal's)")
    return p


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    from ..output.readers import read_output

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        tables = read_output(args.folder)
    except (FileNotFoundError, ValueError, KeyError, OSError) as exc:
        print(f"plantrail show: error: {exc}", file=stderr)
        return 2
    df = tables.get(args.table)
    if df is None:
        print(f"plantrail show: error: no {args.table} table in {args.folder}", file=stderr)
        return 2
    columns = [c.strip() for c in args.columns.split(",")] if args.columns else DEFAULT_COLUMNS[args.table]
    unknown = [c for c in columns if c not in df.columns]
    if unknown:
        print(f"plantrail show: error: no column {', '.join(unknown)} in {args.table}", file=stderr)
        return 2
    shown = df if args.limit <= 0 else df.head(args.limit)
    rows = [[_text(v) for v in row] for row in shown[columns].itertuples(index=False)]
    width = args.width or shutil.get_terminal_size((120, 20)).columns
    print(render(columns, rows, width), file=stdout)
    more = len(df) - len(shown)
    print(f"({len(shown)} of {len(df)} {args.table}" + (f"; --limit {len(df)} shows all" if more else "") + ")",
          file=stdout)
    return 0


def _text(v: Any) -> str:
    try:
        import pandas as pd

        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return ""
    except ImportError:  # pragma: no cover
        pass
    return " ".join(str(v).split())


def render(columns: list[str], rows: list[list[str]], width: int) -> str:
    """An aligned table that fits ``width``: the widest columns are cut first, with "…"."""
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    budget = max(width - 2 * (len(columns) - 1), MIN_WIDTH * len(columns))
    while sum(widths) > budget:
        i = widths.index(max(widths))
        if widths[i] <= MIN_WIDTH:
            break
        widths[i] -= 1
    lines = ["  ".join(_fit(c, w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(_fit(v, w) for v, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "\u2026"
