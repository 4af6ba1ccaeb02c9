"""JSON Lines: one object per record, values with their JSON types (null for missing), exact
text (no formula neutralisation: nothing executes JSON)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any

from .atomic import StagedFiles, atomic_path
from .tables import TableData

SUFFIX = ".jsonl"


def dump(path: Path, table: TableData) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in table.rows:
            obj = {c: _value(row.get(c)) for c in table.columns}
            fh.write(json.dumps(obj, ensure_ascii=False, default=str))
            fh.write("\n")


def _value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None  # NaN/inf are not JSON
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def stage(staged: StagedFiles, tables: list[TableData]) -> None:
    for t in tables:
        dump(staged.stage(t.name + SUFFIX), t)


def write_jsonl(out_dir: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], columns: list[str],
                types: dict[str, str] | None = None) -> Path:
    """Write ``name``.jsonl atomically; returns its path."""
    final = Path(out_dir) / (name + SUFFIX)
    with atomic_path(final) as tmp:
        dump(tmp, TableData(name, list(columns), rows, dict(types or {})))
    return final
