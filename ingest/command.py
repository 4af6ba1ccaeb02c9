"""``plantrail ingest PATH... --out DIR``: files in, tables out.

Output is meant for two audiences: stdout gets one screen of summary a person can read
(or nothing with --quiet, or one JSON object with --json), stderr gets problems and, on a
terminal only, a progress line (so logs and pipes stay clean).  The exit code tells scripts
what happened.
"""

from __future__ import annotations

import argparse
import json
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
from .execute import EXECUTORS, ExecutorUnavailable, dask_available
from .labels import terminal_safe
from .pipeline import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Batch, run_batch
from .pool import default_jobs
from .run import Tally
from .signals import describe, exit_code, stop_signals_interrupt

EXIT_OK, EXIT_FILE_ERRORS, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell convention for Ctrl-C
SHOW_ERRORS = 5

EPILOG = f"""\
outputs (in DIR): documents (one row per input file, with its status and reason),
actions, reports, figures, mentions; one file per table for csv/jsonl/parquet (parquet
also as dataset folders parquet/<table>/part-*.parquet for Spark/DuckDB/pandas),
plantrail.xlsx (a sheet per table), and manifest.json (what this run wrote, by which
version, from which run). Table files of formats not asked for this time are removed.
Formats: {", ".join(FORMATS)}.

the store: DIR/plantrail.sqlite keeps every file's outcome across runs (tables
documents, actions, reports, figures, mentions, runs).  Each file is committed with all
its records in one transaction, so a run can be killed at any moment: re-running the same
command does only the files not yet stored (same content, same pipeline version), then
writes the outputs from the store, which hold every document once.  --force redoes all.

limits: each file is read in a worker process under --timeout and --max-memory; a file
past a limit, or whose worker crashes, gets status "error" ("timed out after 300 s",
"out of memory (cap 2048 MB)") and the batch goes on.  Such files are tried again by a
later run with a higher limit.  --jobs 0 reads in this process, without limits (debugging).

errors: every error row has a cause (documents.cause): missing_tool, limit, unreadable,
encrypted or not_document.  A later run retries missing_tool errors once the tool
(LibreOffice, Tesseract) is installed and limit errors when the limit is raised;
--retry-errors retries all errors.  Empty files and lock files are stored like any other.

csv: text starting with = + - @ (a formula to Excel) gets a leading apostrophe in CSV only;
--csv-raw writes it exactly.  JSONL, Parquet, SQLite and XLSX always hold the exact text
(XLSX as text cells, never formulas).

exit codes:
  0  every file was processed and none has status "error"
  1  finished and outputs written, but some files have status "error"
     (or a batch step such as linking failed; see the warning)
  2  usage error, or no input files found (or Dask cannot be used)
  3  outputs could not be written (earlier outputs in DIR are unchanged; files already
     in the store stay there)
  130  interrupted (Ctrl-C); 143 stopped by SIGTERM, 129 by SIGHUP; earlier outputs in DIR are
       unchanged and files finished so far are kept in the store
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
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout (for scripts)")
    p.add_argument("--max-size", type=_positive_mb, default=DEFAULT_MAX_BYTES / 1024 ** 2, metavar="MB",
                   help="skip (status error) files larger than this (default: %(default)g MB)")
    p.add_argument("--jobs", type=_count, default=None, metavar="N",
                   help=f"worker processes (default: all cores, here {default_jobs()}; 0 = no workers)")
    p.add_argument("--timeout", type=_limit, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit per file (default: %(default)g; 0 = none)")
    p.add_argument("--max-memory", type=_limit, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
                   help="memory a worker may add while reading one file (default: %(default)g; 0 = none)")
    p.add_argument("--force", action="store_true", help="redo files the store already has")
    p.add_argument("--retry-errors", action="store_true",
                   help="read again every file stored as an error (without it, only errors whose cause may "
                        "have gone are retried: a missing tool now installed, a limit now raised)")
    p.add_argument("--csv-raw", action="store_true",
                   help="write CSV text exactly as read; by default text starting with = + - @ gets a "
                        "leading apostrophe so Excel does not run it as a formula")
    p.add_argument("--no-link", dest="link", action="store_false",
                   help="do not link report mentions to plan actions in this run (linking compares "
                        "every mention with every action in the store: slow on a big archive)")
    p.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="where files are read: local worker processes, or a Dask cluster "
                        "(needs plantrail[dask]; default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask; "
                        "default: a local Dask cluster of --jobs workers)")
    return p


def _formats(text: str) -> list[str]:
    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _number(kind: type, ok, rule: str):
    """An argparse type: parse ``text`` as ``kind`` and check it with ``ok``; ``rule`` says
    what is allowed when it fails."""
    noun = "a whole number" if kind is int else "a number"

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {noun}: {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(rule)
        return value

    return convert


_positive_mb = _number(float, lambda v: v > 0, "must be more than 0")
_count = _number(int, lambda v: v >= 0, "must be 0 or more")
_limit = _number(float, lambda v: v >= 0, "must be 0 (no limit) or more")


def _usage_problem(args: argparse.Namespace) -> str:
    if args.scheduler and args.executor != "dask":
        return "--scheduler needs --executor dask"
    if args.executor == "dask" and not dask_available():
        return "--executor dask needs Dask, which is not installed: pip install 'plantrail[dask]'"
    return ""


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    problem = _usage_problem(args)
    if problem:
        print(f"plantrail ingest: error: {problem}", file=stderr)
        return EXIT_USAGE
    missing = missing_paths(args.paths)
    if missing:
        print(terminal_safe(f"plantrail ingest: error: no such file or folder: {', '.join(missing)}"), file=stderr)
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
        with stop_signals_interrupt():
            batch = run_batch(paths, out_dir, args.format, progress,
                              max_bytes=int(args.max_size * 1024 * 1024), jobs=args.jobs, timeout=args.timeout,
                              max_memory_mb=args.max_memory, force=args.force, executor=args.executor,
                              scheduler=args.scheduler, link=args.link,
                              retry_errors=args.retry_errors, csv_raw=args.csv_raw)
    except ExecutorUnavailable as exc:
        _clear(progress)
        print(f"plantrail ingest: error: {exc}", file=stderr)
        return EXIT_USAGE
    except OutputError as exc:
        _clear(progress)
        print(f"plantrail ingest: error: {exc}", file=stderr)
        print("plantrail ingest: earlier outputs in the folder are unchanged; files already in the "
              "store are kept (re-run to finish)", file=stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt as exc:
        _clear(progress)
        print(f"plantrail ingest: {describe(exc)}; earlier outputs in the folder are unchanged; files "
              "finished so far are kept in the store (re-run to finish)", file=stderr)
        return exit_code(exc, EXIT_INTERRUPTED)
    finally:
        _clear(progress)
    return _report(args, batch, out_dir, stdout, stderr)


def _report(args: argparse.Namespace, batch: Batch, out_dir: Path, stdout: TextIO, stderr: TextIO) -> int:
    """Print the run's outcome as asked (--json, --quiet or the summary); the exit code."""
    errors = [d for d in batch.documents if d.status == "error"]
    code = EXIT_FILE_ERRORS if errors or batch.warnings else EXIT_OK
    if args.json:
        print(json.dumps(summary_json(batch, out_dir, code), indent=2, ensure_ascii=False), file=stdout)
    elif args.quiet:
        for d in _worst(errors):
            print(terminal_safe(f"{d.path}: {d.reason}"), file=stderr)
        for w in batch.warnings:
            print(terminal_safe(f"warning: {w}"), file=stderr)
    else:
        print(terminal_safe(summary(batch, out_dir)), file=stdout)
    return code


def _clear(progress: _Progress | None) -> None:
    if progress:
        progress.clear()


def _quiet_libraries() -> None:
    """PDF/Office libraries log and warn about every oddity of a damaged file; on the command
    line that is noise next to the per-file status and reason (the library API leaves
    logging to the caller)."""
    for name in ("pdfminer", "pdfplumber", "pypdfium2", "openpyxl", "docx", "distributed"):
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
    if batch.already_stored:
        lines.append(f"already stored: {batch.already_stored} of {len(docs)} (done by an earlier run; "
                     "--force redoes them)")
    lines += _found_lines(batch, out_dir)
    for w in batch.warnings:
        lines.append(f"warning: {w}")
    for n in batch.notes:
        lines.append(f"note: {n}")
    lines += _error_lines([d for d in docs if d.status == "error"])
    return "\n".join(lines)


def _found_lines(batch: Batch, out_dir: Path) -> list[str]:
    docs = batch.documents
    lines = [f"actions found: {sum(d.actions for d in docs)}"]
    lines.append(f"reports found: {sum(d.reports for d in docs)}")
    formats = sorted({p.suffix.lstrip(".") for p in batch.written if p.name != MANIFEST_NAME})
    lines.append(f"output folder: {out_dir} ({len(batch.written)} files: {', '.join(formats)})" if formats
                 else f"output folder: {out_dir} (the tables are in the store only)")
    if batch.store is not None:
        lines.append(f"store: {batch.store} ({batch.store_documents} document"
                     f"{'s' if batch.store_documents != 1 else ''}; the outputs hold them all)")
    return lines


def _error_lines(errors: list) -> list[str]:
    if not errors:
        return []
    lines = [f"errors ({len(errors)}):"]
    for d in _worst(errors)[:SHOW_ERRORS]:
        lines.append(f"  {d.path}: {d.reason}")
    if len(errors) > SHOW_ERRORS:
        lines.append(f"  ... and {len(errors) - SHOW_ERRORS} more (see documents table, status=error)")
    return lines


def summary_json(batch: Batch, out_dir: Path, exit_code: int) -> dict:
    """The run for scripts: the same facts as :func:`summary`, every error listed."""
    docs = batch.documents
    return {
        "exit_code": exit_code,
        "files": len(docs),
        "processed": len(docs) - batch.already_stored,
        "already_stored": batch.already_stored,
        "by_status": dict(sorted(Counter(d.status for d in docs).items())),
        "actions": sum(d.actions for d in docs),
        "reports": sum(d.reports for d in docs),
        "pages": batch.pages,
        "seconds": batch.seconds,
        "timings": dict(batch.timings),
        "output_folder": str(out_dir),
        "written": sorted(str(p.relative_to(out_dir)) if p.is_relative_to(out_dir) else str(p)
                          for p in batch.written),
        "store": str(batch.store) if batch.store else None,
        "store_documents": batch.store_documents,
        "run_id": batch.run_id,
        "warnings": list(batch.warnings),
        "notes": list(batch.notes),
        "errors": [{"path": d.path, "reason": d.reason} for d in _worst([d for d in docs if d.status == "error"])],
    }


def _worst(errors: list) -> list:
    """Internal errors first (they are our bugs, the rest is bad input), then one file per
    kind of reason (so ten legacy .xls files do not hide the one corrupt DOCX), then the rest."""
    ordered = sorted(errors, key=lambda d: (not d.reason.startswith("internal error"), d.path))
    seen: set[str] = set()
    first: list = []
    rest: list = []
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
    """"[12/40] 3.1 pages/s, 1 error  file.pdf" rewritten in place on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, tally: Tally) -> None:
        width = shutil.get_terminal_size((80, 20)).columns - 1
        errors = f"{tally.errors} error{'s' if tally.errors != 1 else ''}"
        stored = f", {tally.already_stored} already stored" if tally.already_stored else ""
        line = (f"[{tally.done}/{tally.total}] {tally.pages_per_second:.1f} pages/s, {errors}{stored}  "
                f"{terminal_safe(os.path.basename(tally.last))}")[:width]
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
