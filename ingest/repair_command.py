"""``plantrail repair DIR``: make a damaged store whole again, keeping what is intact.

The store is checked in full (tables, record counts per document, every stored record read
back).  Documents whose records are not whole are dropped from the store, missing tables are
made again, the outputs are rewritten from what is left, and the files dropped are listed: run
the same ``plantrail ingest`` again and it reads just those.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from ..output import FORMATS, OutputError, parse_formats
from ..output.sqlite_writer import DATABASE_NAME
from .folder_lock import FolderLock
from .labels import terminal_safe
from .store import RECORD_KINDS, Store
from .store_check import quick_check, record_check

EXIT_OK, EXIT_USAGE, EXIT_OUTPUT = 0, 2, 3


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("repair", help="make a damaged store whole again and rewrite the outputs",
                              description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("folder", metavar="DIR", help="a plantrail ingest output folder")
    p.add_argument("--format", default=None,
                   help=f"output formats to rewrite ({','.join(FORMATS)}); default: those of the last run")
    return p


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    out = Path(args.folder)
    if not (out / DATABASE_NAME).is_file():
        print(f"plantrail repair: error: {out} holds no plantrail store ({DATABASE_NAME})", file=stderr)
        return EXIT_USAGE
    try:
        with FolderLock(out), Store.open(out, check=False) as store:
            damage = record_check(store.conn, RECORD_KINDS, quick_check(store.conn, RECORD_KINDS))
            if damage.documents:
                store.forget(damage.documents)
            formats = parse_formats(args.format) if args.format else _last_formats(store)
            from .run import export_store

            export = export_store(store, out, formats)
    except (OutputError, ValueError) as exc:
        print(f"plantrail repair: error: {exc}", file=stderr)
        return EXIT_OUTPUT
    if not damage:
        print(f"plantrail repair: the store in {out} is whole; outputs rewritten "
              f"({', '.join(p.name for p in export.written)})", file=stdout)
        return EXIT_OK
    lines = [f"plantrail repair: {terminal_safe(damage.summary(10))}"]
    if damage.missing_tables:
        lines.append(f"  made again: {', '.join(damage.missing_tables)}")
    if damage.documents:
        lines.append(f"  dropped {len(damage.documents)} document(s) whose records were not whole; "
                     "run the same plantrail ingest again to read them:")
        lines += [f"    {terminal_safe(p)}" for p in sorted(damage.documents)]
    lines.append(f"  outputs rewritten from {export.documents} intact document(s): "
                 f"{', '.join(p.name for p in export.written)}")
    print("\n".join(lines), file=stdout)
    return EXIT_OK


def _last_formats(store: Store) -> list[str]:
    """The formats the last run wrote (csv when no run says)."""
    for run in reversed(store.runs()):
        try:
            formats = json.loads(run.get("options") or "{}").get("formats")
        except ValueError:
            continue
        if formats:
            return list(formats)
    return ["csv"]
