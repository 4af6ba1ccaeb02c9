"""Python entry points for notebooks and scripts: the same pipeline as ``plantrail ingest``,
returning pandas DataFrames instead of writing files.

    >>> from plantrail.api import ingest, read_output
    >>> tables = ingest(["papers/"])          # {"documents": df, "actions": df, ...}
    >>> tables["actions"][["ref", "action", "rag"]]
    >>> earlier = read_output("out/")         # a folder written by `plantrail ingest`

Both return the same five tables with the same dtypes (text as ``string``, counts as
nullable ``Int64``), so code written against one works on the other.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from .ingest.discover import discover, missing_paths
from .ingest.pipeline import DEFAULT_MAX_BYTES, process_batch
from .output.frames import to_dataframe
from .output.readers import read_output as _read_output

__all__ = ["ingest", "read_output"]

PathLike = str | os.PathLike[str]


def ingest(paths: PathLike | Iterable[PathLike], *, max_size_mb: float = DEFAULT_MAX_BYTES / 1024 ** 2
           ) -> dict[str, pd.DataFrame]:
    """Read files and folders (recursively) into tables; nothing is written to disk.

    Returns {"documents", "actions", "reports", "figures", "mentions"} -> DataFrame.
    Bad files do not raise: they are rows of ``documents`` with status "error" and a reason.
    Raises FileNotFoundError when a path does not exist.
    """
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    missing = missing_paths(items)
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    batch = process_batch(discover(items), max_bytes=int(max_size_mb * 1024 * 1024))
    return {t.name: to_dataframe(t) for t in batch.tables()}


def read_output(out_dir: PathLike, fmt: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a folder written by ``plantrail ingest`` (any of its formats;
    ``fmt`` picks one, else the most exact available is used)."""
    return _read_output(out_dir, fmt)
