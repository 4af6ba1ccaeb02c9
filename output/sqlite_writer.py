"""One SQLite database, one table per record kind, for SQL users and tools like Datasette.

All tables are created and filled in a single transaction on a temp file that replaces the
old database only when complete, so a reader never sees a half-filled database.

This writes a database afresh from tables (``write_outputs(..., ["sqlite"])``, e.g. for a
reconcile result).  A ``plantrail ingest`` run does not: its ``plantrail.sqlite`` is the run
store (:mod:`.store`), kept and added to across runs, whose views have the same names and
columns as the tables written here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import Any

from .atomic import StagedFiles, atomic_path
from .schema import SQL_TYPES
from .tables import TableData

DATABASE_NAME = "plantrail.sqlite"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dump(path: Path, tables: list[TableData]) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        try:
            for t in tables:
                if not t.columns:
                    continue  # a record kind whose class is unknown and that had no rows
                cols = ", ".join(f"{_quote(c)} {SQL_TYPES.get(t.types.get(c, 'str'), 'TEXT')}"
                                 for c in t.columns)
                conn.execute(f"CREATE TABLE {_quote(t.name)} ({cols})")
                if t.rows and t.columns:
                    marks = ", ".join("?" for _ in t.columns)
                    conn.executemany(f"INSERT INTO {_quote(t.name)} VALUES ({marks})",
                                     ([sql_value(row.get(c)) for c in t.columns] for row in t.rows))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def sql_value(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float)):
        return v  # bool is an int: stored as 0/1
    if isinstance(v, dt.date):
        return v.isoformat()  # DATE columns hold ISO text (SQLite's date functions read it)
    return str(v)


def stage(staged: StagedFiles, tables: list[TableData]) -> None:
    dump(staged.stage(DATABASE_NAME), tables)


def write_sqlite(out_dir: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], columns: list[str],
                 types: dict[str, str] | None = None) -> Path:
    """Write ``name``.sqlite (one table named ``name``) atomically; returns its path."""
    final = Path(out_dir) / (name + ".sqlite")
    with atomic_path(final) as tmp:
        dump(tmp, [TableData(name, list(columns), rows, dict(types or {}))])
    return final
