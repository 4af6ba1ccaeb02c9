"""Python entry points for notebooks and scripts: the same pipeline as ``plantrail ingest``,
returning pandas DataFrames instead of writing files.

    >>> from plantrail.api import ingest, read_output
    >>> tables = ingest(["papers/"])          # {"documents": df, "actions": df, ...}
    >>> tables["actions"][["ref", "action", "rag"]]
    >>> earlier = read_output("out/")         # a folder written by `plantrail ingest`

Both return the same five tables with the same dtypes (text as ``string``, counts as
nullable ``Int64``), so code written against one works on the other.

``ingest(..., jobs=4)`` reads the files in 4 worker processes, each file under an optional
time limit and memory cap (a file past them is an "error" row, as with ``plantrail ingest``).
For archives that must survive a crash and skip what earlier runs did, use the command (or
:func:`plantrail.ingest.run.run_batch`), which keeps a store in the output folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from .ingest.discover import discover, missing_paths
from .ingest.labels import path_label
from .ingest.pipeline import DEFAULT_MAX_BYTES, FileResult, process_batch
from .ingest.pool import LimitedPool, Outcome
from .normalise.records import DocumentRecord
from .output.frames import to_dataframe
from .output.readers import read_output as _read_output

__all__ = ["ingest", "read_output"]

PathLike = str | os.PathLike[str]


def ingest(paths: PathLike | Iterable[PathLike], *, max_size_mb: float = DEFAULT_MAX_BYTES / 1024 ** 2,
           jobs: int = 0, timeout: float | None = None, max_memory_mb: float | None = None
           ) -> dict[str, pd.DataFrame]:
    """Read files and folders (recursively) into tables; nothing is written to disk.

    Returns {"documents", "actions", "reports", "figures", "mentions"} -> DataFrame.
    Bad files do not raise: they are rows of ``documents`` with status "error" and a reason.
    ``jobs`` > 0 reads in that many worker processes, each file limited to ``timeout``
    seconds and ``max_memory_mb`` (None: no limit); ``jobs=0`` reads in this process.
    Raises FileNotFoundError when a path does not exist.
    """
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    missing = missing_paths(items)
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    mapper = map if jobs == 0 else _pool_map(jobs, timeout, max_memory_mb)
    batch = process_batch(discover(items), max_bytes=int(max_size_mb * 1024 * 1024), mapper=mapper)
    return {t.name: to_dataframe(t) for t in batch.tables()}


def _pool_map(jobs: int, timeout: float | None, max_memory_mb: float | None):
    """A ``map`` over worker processes, results in input order, limits applied per file."""

    def failed(o: Outcome) -> FileResult:
        return FileResult(DocumentRecord(path=path_label(o.item), status="error",
                                         reason=o.failure if o.kind != "exception" else f"internal error: {o.failure}"))

    def mapper(fn, items):
        with LimitedPool(fn, jobs, timeout=timeout, max_memory_mb=max_memory_mb) as pool:
            return pool.map(items, on_failure=failed)

    return mapper


def read_output(out_dir: PathLike, fmt: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a folder written by ``plantrail ingest`` (any of its formats;
    ``fmt`` picks one, else the most exact available is used)."""
    return _read_output(out_dir, fmt)
