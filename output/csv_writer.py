"""CSV: the format every user can open.  UTF-8 without BOM, header row, minimal quoting,
``\\n`` line ends (RFC 4180 allows it and it diffs cleanly in git).  Text cells are
formula-neutralised (see :mod:`.safety`)."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from .atomic import StagedFiles, atomic_path
from .safety import neutralise
from .tables import TableData

SUFFIX = ".csv"


def dump(path: Path, table: TableData) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_cell(row.get(c)) for c in table.columns])


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return neutralise(v)


def stage(staged: StagedFiles, tables: list[TableData]) -> None:
    for t in tables:
        dump(staged.stage(t.name + SUFFIX), t)


def write_csv(out_dir: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], columns: list[str],
              types: dict[str, str] | None = None) -> Path:
    """Write ``name``.csv atomically; returns its path."""
    final = Path(out_dir) / (name + SUFFIX)
    with atomic_path(final) as tmp:
        dump(tmp, TableData(name, list(columns), rows, dict(types or {})))
    return final
