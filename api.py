"""Python entry points for notebooks and scripts: the same pipeline as ``plantrail ingest``,
returning pandas DataFrames instead of writing files.

    >>> from plantrail.api import ingest, read_output
    >>> tables = ingest(["papers/"])          # {"documents": df, "actions": df, ...}
    >>> tables["actions"][["ref", "action", "rag"]]
    >>> earlier = read_output("out/")         # a folder written by `plantrail ingest`
    >>> search("out/", '"looked after" children')  # papers of that folder, best first
    >>> rec = reconcile(["plan-2016.docx", "plan-2017.docx"])  # {"links": df, "changes": df, ...}

Both ``ingest`` and ``read_output`` return the same five tables with the same dtypes (text as
``string``, counts as nullable ``Int64``, ``start_date``/``end_date`` as dates, ``<NA>`` for
missing), so code written against one works on the other.

``ingest`` reads the files in worker processes with the command's limits (every core, 300 s
and 2048 MB per file; a file past them is an "error" row, as with ``plantrail ingest``);
``jobs=0`` reads in this process without limits (debugging).
For archives that must survive a crash and skip what earlier runs did, use the command (or
:func:`plantrail.ingest.run.run_batch`), which keeps a store in the output folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from .ingest.causes import classify
from .ingest.discover import discover, missing_paths
from .ingest.labels import path_label
from .ingest.pipeline import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT,
    FileResult,
    process_batch,
)
from .ingest.pool import LimitedPool, Outcome, default_jobs
from .normalise.records import DocumentRecord
from .output.frames import to_dataframe
from .output.readers import read_output as _read_output
from .output.tables import table_from_rows

__all__ = ["ReconcileWarning", "ingest", "read_output", "reconcile", "search"]

PathLike = str | os.PathLike[str]


def ingest(paths: PathLike | Iterable[PathLike], *, max_size_mb: float = DEFAULT_MAX_BYTES / 1024 ** 2,
           jobs: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
           max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB) -> dict[str, pd.DataFrame]:
    """Read files and folders (recursively) into tables; nothing is written to disk.

    Returns {"documents", "actions", "reports", "figures", "mentions"} -> DataFrame.
    Bad files do not raise: they are rows of ``documents`` with status "error" and a reason.
    Files are read in ``jobs`` worker processes (default: every core, as the command), each
    limited to ``timeout`` seconds and ``max_memory_mb`` (None or 0: no limit); ``jobs=0``
    reads in this process, without limits.  Raises FileNotFoundError when a path does not exist.
    """
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    missing = missing_paths(items)
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    jobs = default_jobs() if jobs is None else jobs
    mapper = map if jobs == 0 else _pool_map(jobs, timeout or None, max_memory_mb or None)
    batch = process_batch(discover(items), max_bytes=int(max_size_mb * 1024 * 1024), mapper=mapper)
    return {t.name: to_dataframe(t) for t in batch.tables()}


def _pool_map(jobs: int, timeout: float | None, max_memory_mb: float | None):
    """A ``map`` over worker processes, results in input order, limits applied per file."""

    def failed(o: Outcome) -> FileResult:
        reason = o.failure if o.kind != "exception" else f"internal error: {o.failure}"
        return FileResult(DocumentRecord(path=path_label(o.item), status="error", reason=reason,
                                         cause=classify(reason, o.kind if o.kind != "exception" else "")))

    def mapper(fn, items):
        with LimitedPool(fn, jobs, timeout=timeout, max_memory_mb=max_memory_mb) as pool:
            return pool.map(items, on_failure=failed)

    return mapper


def read_output(out_dir: PathLike, fmt: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a folder written by ``plantrail ingest`` (any of its formats;
    ``fmt`` picks one, else the most exact available is used)."""
    return _read_output(out_dir, fmt)


def search(out_dir: PathLike, query: str, *, limit: int = 20) -> pd.DataFrame:
    """The papers of a ``plantrail ingest`` output folder that match ``query`` (SQLite FTS5
    syntax, as ``plantrail search``), best first: path, sha256, title, meeting_date,
    committee, snippet, score (bm25, lower is better).  Raises
    :class:`plantrail.ingest.search_command.SearchError` when the folder has no store."""
    from dataclasses import asdict, fields

    from .ingest.search_command import Hit
    from .ingest.search_command import search as _search

    hits = _search(out_dir, query, limit=limit)
    return pd.DataFrame([asdict(h) for h in hits], columns=[f.name for f in fields(Hit)])


class ReconcileWarning(UserWarning):
    """The reconciliation is doubtful: a version has no actions, or the versions hardly link."""


def reconcile(versions: Iterable[PathLike], *, by_date: bool = False) -> dict[str, pd.DataFrame]:
    """Link the actions of successive versions of a plan, as ``plantrail reconcile`` does.

    ``versions``: plan files or ``plantrail ingest`` output folders, oldest first (or in any
    order with ``by_date=True``).  Returns {"actions", "links", "changes", "history",
    "summary"} -> DataFrame (the same columns as the command's CSV files; ``summary`` has one
    row per version pair with counts per relation and flag).  Doubtful results (a version
    without actions, fewer than 20% of the older version's actions linked) are reported as a
    :class:`ReconcileWarning` with the numbers.  Raises ValueError when a version cannot be
    read (:class:`~.normalise.reconcile.versions.VersionError`).
    """
    import warnings

    from .ingest.reconcile_command import load_versions
    from .normalise.reconcile.checks import reconcile_warnings
    from .normalise.reconcile.history import (
        actions_table,
        changes_table,
        history_table,
        links_table,
        reconcile_versions,
        summary,
    )
    from .normalise.reconcile.versions import order_by_date, unique_labels

    loaded = load_versions([os.fspath(v) for v in versions])
    if len(loaded) < 2:
        raise ValueError("give at least two versions (oldest first)")
    if by_date:
        loaded = order_by_date(loaded)
    unique_labels(loaded)
    rec = reconcile_versions(loaded)
    for w in reconcile_warnings(rec):
        warnings.warn(w, ReconcileWarning, stacklevel=2)
    out = {}
    for name, make in (("actions", actions_table), ("links", links_table), ("changes", changes_table),
                       ("history", history_table)):
        cols, rows = make(rec)
        out[name] = to_dataframe(table_from_rows(name, cols, rows))
    rows = summary(rec)
    cols = list(rows[0]) if rows else ["from", "to"]
    out["summary"] = to_dataframe(table_from_rows("summary", cols, rows))
    return out
