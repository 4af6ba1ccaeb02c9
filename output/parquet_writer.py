"""Parquet via pandas/pyarrow: typed columns (see :mod:`.frames`), the schema fixed by the
record classes, so files from different runs concatenate without casts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .atomic import StagedFiles, atomic_path
from .frames import to_dataframe
from .tables import TableData

SUFFIX = ".parquet"


def dump(path: Path, table: TableData) -> None:
    to_dataframe(table).to_parquet(path, engine="pyarrow", index=False)


def stage(staged: StagedFiles, tables: list[TableData]) -> None:
    for t in tables:
        dump(staged.stage(t.name + SUFFIX), t)


def write_parquet(out_dir: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], columns: list[str],
                  types: dict[str, str] | None = None) -> Path:
    """Write ``name``.parquet atomically; returns its path."""
    final = Path(out_dir) / (name + SUFFIX)
    with atomic_path(final) as tmp:
        dump(tmp, TableData(name, list(columns), rows, dict(types or {})))
    return final
