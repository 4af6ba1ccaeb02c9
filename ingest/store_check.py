"""Is the store whole?  Checks run when a store is opened, and ``plantrail repair`` uses them.

A store can be damaged from outside (a disk error, a hand edit, a tool that dropped a table).
Damage must never crash a run with a traceback, nor let it write outputs that lie (an empty
actions table beside documents that claim 195 actions).  The cheap checks (schema, tables,
record counts per document) run on every open; the full read of every stored record runs in
``repair`` and whenever the records are read for an export.  What is damaged is named by
document, so repair can drop exactly those documents and the next run reads them again.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..output import OutputError

# documents column -> record table whose rows it counts
COUNTED = {"actions": "_actions", "reports": "_reports"}
REQUIRED = ("_meta", "_documents", "runs")


@dataclass
class Damage:
    problems: list[str] = field(default_factory=list)  # one line each, for people
    documents: set[str] = field(default_factory=set)  # paths whose stored records are not whole
    missing_tables: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def summary(self, limit: int = 3) -> str:
        more = f" (+{len(self.problems) - limit} more)" if len(self.problems) > limit else ""
        return "; ".join(self.problems[:limit]) + more


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def quick_check(conn: sqlite3.Connection, kinds: tuple[str, ...]) -> Damage:
    """Tables present, and every document's counted records all there (linear in rows)."""
    damage = Damage()
    tables = _tables(conn)
    if "_meta" not in tables:
        return damage  # a new store: nothing to check yet
    for t in REQUIRED:
        if t not in tables:
            damage.problems.append(f"table {t} is missing")
            damage.missing_tables.append(t)
    if "_documents" not in tables:
        return damage
    for kind in kinds:
        if "_" + kind not in tables:
            damage.missing_tables.append("_" + kind)
    doc_cols = {r[1] for r in conn.execute("PRAGMA table_info(_documents)")}
    for col, table in COUNTED.items():
        if col in doc_cols:
            _check_counts(conn, col, table, table in tables, damage)
    return damage


def _check_counts(conn: sqlite3.Connection, col: str, table: str, present: bool, damage: Damage) -> None:
    if present:
        sql = (f'SELECT d.path, d."{col}", count(r._doc) FROM _documents d LEFT JOIN "{table}" r ON r._doc = d.path '
               f'GROUP BY d.path HAVING coalesce(d."{col}", 0) != count(r._doc)')
    else:
        sql = f'SELECT path, "{col}", 0 FROM _documents WHERE coalesce("{col}", 0) > 0'
    bad = conn.execute(sql).fetchall()
    if not bad:
        return
    path, want, have = bad[0]
    what = f"table {table} is missing" if not present else f"{len(bad)} document(s) have fewer {col} than recorded"
    damage.problems.append(f"{what} (e.g. {path}: {want} recorded, {have} stored)")
    damage.documents.update(p for p, *_ in bad)


def record_check(conn: sqlite3.Connection, kinds: tuple[str, ...], damage: Damage) -> Damage:
    """Every stored record parses back (full read; for ``repair``)."""
    tables = _tables(conn)
    for kind in kinds:
        table = "_" + kind
        if table not in tables:
            continue
        bad = [doc for doc, text in conn.execute(f'SELECT _doc, _record FROM "{table}"') if not _parses(text)]
        if bad:
            damage.problems.append(f"{len(bad)} stored {kind} record(s) cannot be read (e.g. of {bad[0]})")
            damage.documents.update(bad)
    return damage


def _parses(text: object) -> bool:
    try:
        return isinstance(text, str) and isinstance(json.loads(text), dict)
    except ValueError:
        return False


def damaged_message(path: Path, what: str) -> str:
    return (f"the store {path} is damaged: {what}; `plantrail repair {path.parent}` keeps what is intact, "
            "rewrites the outputs and lists the files to read again")


def refuse_read_only(path: Path) -> None:
    """A store in a folder we cannot write is intact, not foreign: say so (SQLite's own error,
    'unable to open database file' for the WAL index, would read as damage)."""
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        what = "holds a plantrail store" if path.exists() else "is the output folder"
        raise OutputError(f"{folder} {what} but is read-only: nothing was changed (make it writable, "
                         "or choose another --out)")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"the store {path} is read-only: nothing was changed")
