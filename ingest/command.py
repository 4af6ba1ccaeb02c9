"""``plantrail ingest PATH... --out DIR``: files in, tables out.

Output is meant for two audiences: stdout gets one screen of summary a person can read
(or nothing with --quiet), stderr gets problems and, on a terminal only, a progress line
(so logs and pipes stay clean).  The exit code tells scripts what happened.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..output import FORMATS, MANIFEST_NAME, OutputError, parse_formats
from .discover import discover, missing_paths
from .pipeline import DEFAULT_MAX_BYTES, Batch, run_batch

EXIT_OK, EXIT_FILE_ERRORS, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell convention for Ctrl-C
SHOW_ERRORS = 5

EPILOG = f"""\
outputs (in DIR): documents (one row per input file, with its status and reason),
actions, reports, figures, mentions; one file per table for csv/jsonl/parquet,
plantrail.xlsx (a sheet per table), plantrail.sqlite (a table per kind), and
plantrail-run.json (what this run wrote).  Files are replaced only when the whole
run's outputs are written.  Formats: {", ".join(FORMATS)}.

exit codes:
  0  every file was processed and none has status "error"
  1  finished and outputs written, but some files have status "error"
     (or a batch step such as linking failed; see the warning)
  2  usage error, or no input files found
  3  outputs could not be written (earlier outputs in DIR are unchanged)
  130  interrupted (Ctrl-C); earlier outputs in DIR are unchanged
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "ingest", help="read plans and reports (PDF, DOCX, XLSX, text) into tables",
        description="Read every file under PATH (folders recursively; format detected from "
                    "content, not the name) and write one table per record kind to DIR.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if needed)")
    p.add_argument("--format", default="csv", metavar="LIST", type=_formats,
                   help=f"comma-separated output formats: {','.join(FORMATS)} (default: csv)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--max-size", type=_positive_mb, default=DEFAULT_MAX_BYTES / 1024 ** 2, metavar="MB",
                   help="skip (status error) files larger than this (default: %(default)g MB)")
    return p


def _formats(text: str) -> list[str]:
    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_mb(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    missing = missing_paths(args.paths)
    if missing:
        print(f"plantrail ingest: error: no such file or folder: {', '.join(missing)}", file=stderr)
        return EXIT_USAGE
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        print(f"plantrail ingest: error: --out {out_dir} exists and is not a folder", file=stderr)
        return EXIT_OUTPUT
    paths = list(discover(args.paths, exclude=[out_dir]))
    if not paths:
        print("plantrail ingest: error: no input files found (hidden files and the output folder "
              "are skipped)", file=stderr)
        return EXIT_USAGE
    _quiet_libraries()
    progress = _Progress(stderr) if (not args.quiet and _isatty(stderr)) else None
    try:
        batch = run_batch(paths, out_dir, args.format, progress,
                          max_bytes=int(args.max_size * 1024 * 1024))
    except OutputError as exc:
        if progress:
            progress.clear()
        print(f"plantrail ingest: error: {exc}", file=stderr)
        print("plantrail ingest: earlier outputs in the folder are unchanged", file=stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        if progress:
            progress.clear()
        print("plantrail ingest: interrupted; earlier outputs in the folder are unchanged", file=stderr)
        return EXIT_INTERRUPTED
    finally:
        if progress:
            progress.clear()
    errors = [d for d in batch.documents if d.status == "error"]
    if args.quiet:
        for d in _worst(errors):
            print(f"{d.path}: {d.reason}", file=stderr)
        for w in batch.warnings:
            print(f"warning: {w}", file=stderr)
    else:
        print(summary(batch, out_dir), file=stdout)
    return EXIT_FILE_ERRORS if errors or batch.warnings else EXIT_OK


def _quiet_libraries() -> None:
    """PDF/Office libraries log and warn about every oddity of a damaged file; on the command
    line that is noise next to the per-file status and reason (the library API leaves
    logging to the caller)."""
    for name in ("pdfminer", "pdfplumber", "pypdfium2", "openpyxl", "docx"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"(openpyxl|pdfminer|pdfplumber|docx)(\.|$)")


def summary(batch: Batch, out_dir: Path) -> str:
    """One screen: counts by status, what was found, where it went, the worst errors."""
    docs = batch.documents
    statuses = Counter(d.status for d in docs)
    order = ["ok", "no_actions", "skipped", "error"]
    order += sorted(s for s in statuses if s not in order)
    lines = [f"plantrail ingest: {len(docs)} file{'s' if len(docs) != 1 else ''} read"]
    width = max(len(s) for s in order)
    for s in order:
        if statuses.get(s):
            lines.append(f"  {s:<{width}}  {statuses[s]:>5}")
    lines.append(f"actions found: {sum(d.actions for d in docs)}")
    lines.append(f"reports found: {sum(d.reports for d in docs)}")
    formats = sorted({p.suffix.lstrip(".") for p in batch.written if p.name != MANIFEST_NAME})
    lines.append(f"output folder: {out_dir} ({len(batch.written)} files: {', '.join(formats)})")
    for w in batch.warnings:
        lines.append(f"warning: {w}")
    errors = [d for d in docs if d.status == "error"]
    if errors:
        lines.append(f"errors ({len(errors)}):")
        for d in _worst(errors)[:SHOW_ERRORS]:
            lines.append(f"  {d.path}: {d.reason}")
        if len(errors) > SHOW_ERRORS:
            lines.append(f"  ... and {len(errors) - SHOW_ERRORS} more (see documents table, status=error)")
    return "\n".join(lines)


def _worst(errors: list) -> list:
    """Internal errors first (they are our bugs, the rest is bad input), then one file per
    kind of reason (so ten legacy .xls files do not hide the one corrupt DOCX), then the rest."""
    ordered = sorted(errors, key=lambda d: (not d.reason.startswith("internal error"), d.path))
    seen: set[str] = set()
    first, rest = [], []
    for d in ordered:
        kind = re.split(r"[:(]", d.reason, maxsplit=1)[0].strip()
        (rest if kind in seen and not d.reason.startswith("internal error") else first).append(d)
        seen.add(kind)
    return first + rest


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    """"[12/40] file.pdf" rewritten in place on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, i: int, n: int, path: str) -> None:
        width = shutil.get_terminal_size((80, 20)).columns - 1
        line = f"[{i}/{n}] {os.path.basename(path)}"[:width]
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
