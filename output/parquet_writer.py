"""Parquet via pandas/pyarrow: typed columns (see :mod:`.frames`), the schema fixed by the
record classes, so files from different runs concatenate without casts.

Two layouts: ``<table>.parquet`` (one file, what :func:`~.readers.read_output` reads) and a
dataset folder ``parquet/<table>/part-NNNNN.parquet`` that engines read by the folder name
(``pandas.read_parquet("out/parquet/actions")``, DuckDB ``read_parquet('out/parquet/actions/*.parquet')``,
Spark ``spark.read.parquet("out/parquet/actions")``), with a part per :data:`PART_ROWS` rows
so big archives are read in parallel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .atomic import StagedFiles, atomic_path
from .frames import to_dataframe
from .tables import TableData
from .tree import StagedTree

SUFFIX = ".parquet"
DATASET_DIR = "parquet"
PART_ROWS = 250_000


def dump(path: Path, table: TableData) -> None:
    to_dataframe(table).to_parquet(path, engine="pyarrow", index=False)


def stage(staged: StagedFiles, tables: list[TableData]) -> None:
    for t in tables:
        dump(staged.stage(t.name + SUFFIX), t)


def stage_datasets(out_dir: str | os.PathLike[str], tables: list[TableData]) -> StagedTree:
    """The ``parquet/`` tree of this run, staged (the caller commits or aborts it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tree = StagedTree(out_dir, DATASET_DIR)
    try:
        for t in tables:
            arrow = pa.Table.from_pandas(to_dataframe(t), preserve_index=False)
            for part, start in enumerate(range(0, max(arrow.num_rows, 1), PART_ROWS)):
                pq.write_table(arrow.slice(start, PART_ROWS), tree.path(f"{t.name}/part-{part:05d}{SUFFIX}"))
    except BaseException:
        tree.abort()
        raise
    return tree


def write_parquet(out_dir: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], columns: list[str],
                  types: dict[str, str] | None = None) -> Path:
    """Write ``name``.parquet atomically; returns its path."""
    final = Path(out_dir) / (name + SUFFIX)
    with atomic_path(final) as tmp:
        dump(tmp, TableData(name, list(columns), rows, dict(types or {})))
    return final
