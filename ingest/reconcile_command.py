"""``plantrail reconcile OLD NEW [NEWER ...] --out DIR``: link the actions of plan versions.

Each argument is a plan file (read, parsed and normalised like ``plantrail ingest`` does) or
the output folder of an earlier ``plantrail ingest`` run over one plan.  Versions are taken in
the order given, or by the plan's as-at / review date with ``--by-date``.  This module is the
only part of reconciling that touches the file system; matching lives in
:mod:`plantrail.normalise.reconcile.match` and writing in :mod:`plantrail.output.reconcile_writer`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from ..normalise.reconcile.checks import reconcile_warnings
from ..normalise.reconcile.history import Reconciliation, Version, reconcile_versions, summary
from ..normalise.reconcile.versions import (
    VersionError,
    order_by_date,
    plan_date,
    record_from_row,
    summary_text,
    unique_labels,
)
from .pipeline import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, FileResult, process_file
from .pool import default_jobs

EXIT_OK, EXIT_WARNINGS, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3

EPILOG = """\
outputs (in DIR):
  actions.csv   every action of every version, with version, version_label, lineage_id
  links.csv     from_action_id, to_action_id, relation (same, reworded, renumbered, moved,
                split, merged), score, reasons (every piece of evidence with its weight)
  changes.csv   added and dropped actions, and each field change of every linked pair
  history.csv   type-2 history: one row per lineage per stretch of unchanged values
                (valid_from, valid_to, is_current, change_reason)
  report.html   the auditor's comparison (one self-contained file)
  report.xlsx   the same as a workbook: Summary, Flags, Links, Changes, Added, Dropped

exit codes:
  0  reconciled and written
  1  written, but with a warning: a version has no actions, or fewer than 20% of the older
     version's actions link to the newer one (unrelated plans?); the numbers are printed
  2  usage error, or a version could not be read
  3  outputs could not be written (earlier outputs in DIR are unchanged)
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "reconcile", help="link the actions of successive versions of a plan",
        description="Link every action of each plan version to the same action in the next "
                    "(through renumbering, rewording, moves, splits and merges), give each action "
                    "a stable lineage id and history, and write an auditor's comparison.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("versions", nargs="+", metavar="VERSION",
                   help="plan files or plantrail ingest output folders, oldest first")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if needed)")
    p.add_argument("--by-date", action="store_true",
                   help="order versions by the plan's as-at/review date instead of the order given")
    p.add_argument("--no-report", action="store_true", help="write the CSV tables only")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors and warnings")
    p.add_argument("--json", action="store_true",
                   help="print a JSON summary on stdout (versions, counts per pair, warnings, files)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for reading each plan file (default {DEFAULT_TIMEOUT:g}; 0: none)")
    p.add_argument("--max-memory", type=float, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
                   help=f"memory each plan file may add while it is read (default {DEFAULT_MAX_MEMORY_MB:g}; 0: none)")
    return p


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if len(args.versions) < 2:
        print("plantrail reconcile: error: give at least two versions (oldest first)", file=stderr)
        return EXIT_USAGE
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        print(f"plantrail reconcile: error: --out {out_dir} exists and is not a folder", file=stderr)
        return EXIT_OUTPUT
    try:
        versions = load_versions(args.versions, timeout=getattr(args, "timeout", DEFAULT_TIMEOUT),
                                 max_memory_mb=getattr(args, "max_memory", DEFAULT_MAX_MEMORY_MB))
        if args.by_date:
            versions = order_by_date(versions)
    except VersionError as exc:
        print(f"plantrail reconcile: error: {exc}", file=stderr)
        return EXIT_USAGE
    unique_labels(versions)
    rec = reconcile_versions(versions)
    warnings = reconcile_warnings(rec)
    from ..output.reconcile_writer import write_reconciliation
    try:
        written = write_reconciliation(rec, out_dir, report=not args.no_report)
    except OSError as exc:
        print(f"plantrail reconcile: error: cannot write outputs: {exc}", file=stderr)
        print("plantrail reconcile: earlier outputs in the folder are unchanged", file=stderr)
        return EXIT_OUTPUT
    return _report(args, rec, out_dir, [p.name for p in written], warnings, stdout, stderr)


def _report(args: argparse.Namespace, rec: Reconciliation, out_dir: Path, written: list[str], warnings: list[str],
            stdout: TextIO, stderr: TextIO) -> int:
    """Print the result (summary, or JSON with --json) and the warnings; the exit code."""
    code = EXIT_WARNINGS if warnings else EXIT_OK
    if getattr(args, "json", False):
        print(json.dumps(summary_json(rec, out_dir, written, warnings, code), indent=2, ensure_ascii=False),
              file=stdout)
    elif not args.quiet:
        print(summary_text(rec, str(out_dir), written), file=stdout)
    for w in warnings:
        print(f"plantrail reconcile: warning: {w}", file=stderr)
    return code


def summary_json(rec: Reconciliation, out_dir: Path, written: list[str], warnings: list[str],
                 exit_code: int) -> dict:
    """The run for scripts: versions, counts per version pair (as report.html's summary),
    warnings and the files written."""
    return {
        "exit_code": exit_code,
        "versions": [{"label": v.label, "source_file": v.source_file, "date": v.date or None,
                      "actions": len(v.actions)} for v in rec.versions],
        "pairs": summary(rec),
        "warnings": warnings,
        "output_folder": str(out_dir),
        "written": sorted(written),
    }


# ---------------------------------------------------------------------------- loading


def load_versions(args: list[str], *, timeout: float | None = DEFAULT_TIMEOUT,
                  max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB) -> list[Version]:
    """Every version argument, plan files read in worker processes under the same per-file
    time limit and memory cap as ``plantrail ingest`` (a 10,000-page PDF given by mistake
    must not run for ever or take the machine's memory)."""
    files = [a for a in args if Path(a).is_file()]
    read: dict[str, FileResult] = {}
    if files:
        from .pool import LimitedPool

        jobs = max(1, min(len(files), default_jobs()))
        with LimitedPool(process_file, jobs, timeout=timeout, max_memory_mb=max_memory_mb) as pool:
            for o in pool.run(files):
                if not o.ok:
                    raise VersionError(f"{o.item}: {o.failure}")
                read[o.item] = o.value
    return [_from_result(Path(a), read[a]) if a in read else load_version(a) for a in args]


def load_version(arg: str) -> Version:
    path = Path(arg)
    if path.is_dir():
        return _from_folder(path)
    if path.is_file():
        return _from_file(path)
    raise VersionError(f"no such file or folder: {arg}")


def _from_file(path: Path) -> Version:
    return _from_result(path, process_file(path))


def _from_result(path: Path, result: FileResult) -> Version:
    doc = result.document
    if doc.status == "error" or result.normalised is None:
        raise VersionError(f"{path}: {doc.reason or 'could not be read'}")
    actions = list(result.normalised.actions)
    date = plan_date([r for r in result.normalised.reports])
    return Version(label=date or path.stem, source_file=os.fspath(path), actions=actions, date=date)


def _from_folder(folder: Path) -> Version:
    from ..output.readers import read_output

    try:
        tables = read_output(folder)
    except (FileNotFoundError, ValueError, KeyError, OSError) as exc:
        raise VersionError(f"{folder}: not a plantrail ingest output folder ({exc})") from None
    df = tables.get("actions")
    if df is None:
        raise VersionError(f"{folder}: has no actions table")
    sources = sorted({str(s) for s in df["source_file"].dropna().tolist()})
    if len(sources) > 1:
        raise VersionError(f"{folder}: holds actions of {len(sources)} files; reconcile needs one plan "
                           "per version (ingest each version into its own folder)")
    actions = [record_from_row(row) for row in plain_records(df.rename(columns={"table_index": "table"}))]
    reports = tables.get("reports")
    date = ""
    if reports is not None and not reports.empty:
        date = plan_date(plain_records(reports))
    source = sources[0] if sources else os.fspath(folder)  # no actions: the check will say so
    return Version(label=date or Path(source).stem, source_file=source, actions=actions, date=date)


def plain_records(df) -> list[dict]:
    """DataFrame rows as dicts of plain Python values, None for missing (not pd.NA)."""
    obj = df.astype(object)
    return obj.where(obj.notna(), None).to_dict("records")
