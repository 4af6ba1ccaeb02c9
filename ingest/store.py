"""The run store: one SQLite database in the output folder (``plantrail.sqlite``) that keeps
every file's outcome across runs.

Why a store and not just files: a run over an archive (tens of thousands of papers) must
survive being killed and must not redo yesterday's work when today's papers arrive.  Each
file's outcome (its documents row and all of its records) is committed in *one* transaction,
so after a crash a file is either wholly in the store or not at all, and a re-run can tell
what is left to do.  The CSV/JSONL/Parquet/XLSX outputs are then written from the store, so
they always hold everything the store knows, once.

Layout (SQL users may query it directly, e.g. with Datasette):

- ``documents``, ``actions``, ``reports``, ``figures``, ``mentions``: views with exactly the
  columns and row order of the exported tables (documents by path; records by document,
  then in document order).
- ``_documents``: the documents rows plus what the store needs: ``pipeline_version`` (the
  code and vocabulary that produced the row), ``run_id``, and for files that hit a resource
  limit ``limit_kind``/``limit_value`` (so a later run with a higher limit retries them).
- ``_actions`` etc.: one row per record with the flat export columns, the owning document's
  path (``_doc``), its position (``_n``) and the record itself as JSON (``_record``), from
  which records are rebuilt exactly for batch-level work (linking) and for the exports.
- ``runs``: one row per run (start, end, status, options, counts).
- ``_meta``: schema version and the change counter that tells whether links are current.

WAL mode: readers never block the writer, and a killed writer leaves the last committed
state.  ``synchronous=NORMAL`` makes commits cheap; a power cut may lose the last commits
but never corrupts the database (re-running then redoes those files).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..normalise.records import plain
from ..output import OutputError
from ..output.schema import SQL_TYPES
from ..output.sqlite_writer import DATABASE_NAME, sql_value
from ..output.tables import TABLE_ORDER, TableData, build_table, find_record_class
from . import store_text
from .folder_lock import LOCK_NAME, FolderLock  # noqa: F401  (re-exported: ingest.run uses it)
from .store_check import damaged_message, quick_check, refuse_read_only
from .store_text import DocText

SCHEMA_VERSION = "1"
RECORD_KINDS = tuple(t for t in TABLE_ORDER if t != "documents")
DONE_STATUSES = ("ok", "no_actions")  # outcomes whose records stand for their content
_NOT_RECORDS = ("_meta", "_documents", "_texts")  # store tables that hold no record kind
_INTERNAL_DOC_COLUMNS = {"pipeline_version": "TEXT", "run_id": "INTEGER", "limit_kind": "TEXT",
                         "limit_value": "REAL"}


class StoreError(OutputError):
    """The store cannot be opened or written; what was committed before stays as it was."""


class StoreDamaged(StoreError):
    """The store opened but is not whole; ``plantrail repair DIR`` keeps what is intact."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class StoredDocument:
    """A documents row as the store has it, with the bookkeeping around it."""

    document: Any  # DocumentRecord
    pipeline_version: str = ""
    run_id: int | None = None
    limit_kind: str = ""  # "" | "timeout" | "memory" | "crash"
    limit_value: float | None = None


@dataclass
class StoredRecord:
    rowid: int
    record: Any
    json: str  # as stored: a rebuilt record that serialises differently has changed


@dataclass
class Contents:
    """Everything in the store, in export order."""

    documents: list[StoredDocument]
    records: dict[str, list[StoredRecord]] = field(default_factory=dict)  # kind -> records
    by_document: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # path -> kind -> records


@dataclass
class Prepared:
    """One file's outcome as the rows the store keeps: made by :func:`prepare` where the
    file was read (a worker), so the one process that writes the store only inserts."""

    document: Any  # DocumentRecord
    tables: dict[str, TableData]  # "documents" (one row), then each record kind (rows carry _n, _record)
    text: DocText | None = None  # the full text (Markdown), when the file had readable content


def prepare(document: Any, records: dict[str, list[Any]] | None = None, text: DocText | None = None) -> Prepared:
    tables = {"documents": build_table("documents", [document], find_record_class("documents"))}
    for kind, recs in (records or {}).items():
        if not recs:
            continue
        table = build_table(kind, list(recs))
        for n, (row, rec) in enumerate(zip(table.rows, recs, strict=True)):
            row["_n"], row["_record"] = n, record_json(rec)
        tables[kind] = table
    return Prepared(document, tables, text)


class _Loose:
    """A record whose class no longer exists: rebuilt as its stored fields."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_row(self) -> dict[str, Any]:
        return dict(self.data)


def record_json(rec: Any) -> str:
    """Exact, restorable text of a record (ASCII escapes keep any character intact)."""
    data = rec.data if isinstance(rec, _Loose) else plain(rec)
    return json.dumps(data, ensure_ascii=True, sort_keys=True, default=str)


def rebuild(cls: type | None, text: str) -> Any:
    """The record stored as ``text``: fields the class no longer has are dropped, new ones
    take their defaults."""
    data = json.loads(text)
    if cls is None or not dataclasses.is_dataclass(cls):
        return _Loose(data)
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


class Store:
    """Open with :meth:`open` (a context manager); every method raises :class:`StoreError`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._columns: dict[str, list[str]] = {}
        doc_class = find_record_class("documents")
        if doc_class is None:  # the documents record is part of the package: never missing
            raise StoreError("plantrail.normalise.records.DocumentRecord is missing")
        self._doc_class: type = doc_class

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, out_dir: str | os.PathLike[str], *, check: bool = True) -> Store:
        """Open (or create) the store in ``out_dir``; with ``check``, a damaged store raises
        :class:`StoreDamaged` instead of being used (``repair`` opens with check=False)."""
        path = Path(out_dir) / DATABASE_NAME
        refuse_read_only(path)
        try:
            _move_old_export(path)
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the store {path}: {exc}") from exc
        store = cls(path, conn)
        try:
            with store._errors("open"):
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                if check:
                    damage = quick_check(conn, RECORD_KINDS)
                    if damage:
                        raise StoreDamaged(damaged_message(path, damage.summary()))
                store._create()
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"cannot {doing} the store {self.path}: {exc}") from exc

    @contextlib.contextmanager
    def _transaction(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._errors(doing):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                self._columns.clear()  # an ALTER TABLE may have been rolled back
                raise

    def _create(self) -> None:
        with self._transaction("create"):
            c = self.conn
            c.execute("CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT)")
            c.execute("INSERT OR IGNORE INTO _meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            c.execute("INSERT OR IGNORE INTO _meta VALUES ('generation', '0')")
            c.execute("INSERT OR IGNORE INTO _meta VALUES ('linked_generation', '0')")
            schema = c.execute("SELECT value FROM _meta WHERE key='schema'").fetchone()[0]
            if schema != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"store schema {schema} is not {SCHEMA_VERSION} "
                                            "(written by another plantrail version)")
            c.execute("CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY, started TEXT, "
                      "finished TEXT, status TEXT, pid INTEGER, host TEXT, plantrail_version TEXT, "
                      "pipeline_version TEXT, options TEXT, files INTEGER, processed INTEGER, "
                      "already_stored INTEGER, errors INTEGER)")
            docs = build_table("documents", [], self._doc_class)
            cols = [f"{_quote(col)} {SQL_TYPES[docs.types[col]]}" for col in docs.columns]
            cols += [f"{name} {kind}" for name, kind in _INTERNAL_DOC_COLUMNS.items()]
            c.execute(f"CREATE TABLE IF NOT EXISTS _documents ({', '.join(cols)}, PRIMARY KEY (path))")
            c.execute("CREATE INDEX IF NOT EXISTS _documents_sha ON _documents (sha256, pipeline_version)")
            self._ensure_columns("_documents", docs.columns, docs.types)
            self._view("documents")
            for kind in RECORD_KINDS:
                self._ensure_kind(kind)
            store_text.create(c)

    def _ensure_kind(self, kind: str) -> None:
        table = "_" + kind
        if table not in self._table_columns_cache():
            empty = build_table(kind, [])
            cols = ", ".join(f"{_quote(col)} {SQL_TYPES[empty.types[col]]}" for col in empty.columns)
            self.conn.execute(f"CREATE TABLE IF NOT EXISTS {_quote(table)} (_doc TEXT NOT NULL, "
                              f"_n INTEGER NOT NULL, _record TEXT NOT NULL{', ' + cols if cols else ''})")
            self.conn.execute(f"CREATE INDEX IF NOT EXISTS {_quote(table + '_doc')} ON {_quote(table)} "
                              "(_doc, _n)")
            self._columns[table] = self._read_columns(table)
            self._view(kind)

    def _table_columns_cache(self) -> dict[str, list[str]]:
        if not self._columns:
            for (name,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                self._columns[name] = self._read_columns(name)
        return self._columns

    def _read_columns(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f"PRAGMA table_info({_quote(table)})")]

    def _ensure_columns(self, table: str, columns: Iterable[str], types: dict[str, str]) -> bool:
        """Add the columns ``table`` lacks (a new record field, an extra ``to_row`` key)."""
        have = self._table_columns_cache().setdefault(table, [])
        added = False
        for col in columns:
            if col not in have:
                self.conn.execute(f"ALTER TABLE {_quote(table)} ADD COLUMN {_quote(col)} "
                                  f"{SQL_TYPES.get(types.get(col, 'str'), 'TEXT')}")
                have.append(col)
                added = True
        return added

    def _export_columns(self, table: str) -> list[str]:
        internal = ("_doc", "_n", "_record") if table != "_documents" else tuple(_INTERNAL_DOC_COLUMNS)
        return [c for c in self._table_columns_cache()[table] if c not in internal]

    def _view(self, name: str) -> None:
        table = "_" + name
        cols = ", ".join(_quote(c) for c in self._export_columns(table)) or "_doc"
        order = "path" if name == "documents" else "_doc, _n"
        self.conn.execute(f"DROP VIEW IF EXISTS {_quote(name)}")
        self.conn.execute(f"CREATE VIEW {_quote(name)} AS SELECT {cols} FROM {_quote(table)} ORDER BY {order}")

    # -- runs ----------------------------------------------------------------------------
    def begin_run(self, pipeline_version: str, options: dict[str, Any]) -> int:
        from .. import __version__

        host = socket.gethostname()
        with self._transaction("record a run in"):
            for run_id, pid in self.conn.execute(
                    "SELECT run_id, pid FROM runs WHERE status='running' AND host=?", (host,)).fetchall():
                if not _alive(pid):
                    self.conn.execute("UPDATE runs SET status='killed' WHERE run_id=?", (run_id,))
            cur = self.conn.execute(
                "INSERT INTO runs (started, status, pid, host, plantrail_version, pipeline_version, options) "
                "VALUES (?, 'running', ?, ?, ?, ?, ?)",
                (_now(), os.getpid(), host, __version__, pipeline_version,
                 json.dumps(options, sort_keys=True, default=str)))
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, **counts: int) -> None:
        sets = ", ".join(f"{k}=?" for k in counts)
        with self._transaction("record a run in"):
            self.conn.execute(f"UPDATE runs SET finished=?, status=?{', ' + sets if sets else ''} WHERE run_id=?",
                              (_now(), status, *counts.values(), run_id))

    def runs(self) -> list[dict[str, Any]]:
        with self._errors("read"):
            cur = self.conn.execute("SELECT * FROM runs ORDER BY run_id")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    # -- lookups -------------------------------------------------------------------------
    def document(self, path: str) -> StoredDocument | None:
        with self._errors("read"):
            cur = self.conn.execute("SELECT * FROM _documents WHERE path=?", (path,))
            row = cur.fetchone()
            if row is None:
                return None
            return self._stored(dict(zip([d[0] for d in cur.description], row, strict=True)))

    def owners(self, sha256: str, pipeline_version: str) -> list[str]:
        """Paths whose stored records stand for this content (status ok or no_actions)."""
        marks = ", ".join("?" for _ in DONE_STATUSES)
        with self._errors("read"):
            return [p for (p,) in self.conn.execute(
                f"SELECT path FROM _documents WHERE sha256=? AND pipeline_version=? AND status IN ({marks}) "
                "ORDER BY path", (sha256, pipeline_version, *DONE_STATUSES))]

    def count(self, table: str = "documents") -> int:
        with self._errors("read"):
            return int(self.conn.execute(f"SELECT count(*) FROM {_quote('_' + table)}").fetchone()[0])

    def _stored(self, row: dict[str, Any]) -> StoredDocument:
        return StoredDocument(document=self._document_record(row), pipeline_version=row.get("pipeline_version") or "",
                              run_id=row.get("run_id"), limit_kind=row.get("limit_kind") or "",
                              limit_value=row.get("limit_value"))

    def _document_record(self, row: dict[str, Any]) -> Any:
        cls = self._doc_class
        if cls is None or not dataclasses.is_dataclass(cls):
            raise StoreError("the documents record class is missing")
        names = {f.name: f for f in dataclasses.fields(cls)}
        kinds = build_table("documents", [], cls).types
        return cls(**{k: _typed(v, kinds.get(k, "str")) for k, v in row.items() if k in names})

    # -- writing -------------------------------------------------------------------------
    def save(self, outcome: Prepared, *, run_id: int | None, pipeline_version: str, limit_kind: str = "",
             limit_value: float | None = None) -> None:
        """Replace everything stored for the outcome's document path, all or nothing."""
        path = outcome.document.path
        with self._transaction("write to"):
            c = self.conn
            for kind in self._kinds():
                c.execute(f"DELETE FROM {_quote('_' + kind)} WHERE _doc=?", (path,))
            c.execute("DELETE FROM _documents WHERE path=?", (path,))
            for name, table in outcome.tables.items():
                target = "_documents" if name == "documents" else "_" + name
                if name != "documents":
                    self._ensure_kind(name)
                if self._ensure_columns(target, table.columns, table.types):
                    self._view(name)
                if name == "documents":
                    extra = {"pipeline_version": pipeline_version, "run_id": run_id, "limit_kind": limit_kind,
                             "limit_value": limit_value}
                else:
                    extra = {"_doc": path}
                self._insert(target, table.rows, extra)
            store_text.replace(c, path, outcome.text)
            c.execute("UPDATE _meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")

    def _insert(self, table: str, rows: list[dict[str, Any]], extra: dict[str, Any]) -> None:
        cols = self._table_columns_cache()[table]
        sql = (f"INSERT INTO {_quote(table)} ({', '.join(_quote(c) for c in cols)}) "
               f"VALUES ({', '.join('?' for _ in cols)})")
        self.conn.executemany(sql, ([sql_value(extra[c] if c in extra else r.get(c)) for c in cols] for r in rows))

    def _kinds(self) -> list[str]:
        """Record kinds with a table in the store, known ones first."""
        tables = self._table_columns_cache()
        extra = sorted(t[1:] for t in tables if t.startswith("_") and t[1:] not in RECORD_KINDS
                       and t not in _NOT_RECORDS)
        return [k for k in RECORD_KINDS if "_" + k in tables] + extra

    # -- reading back --------------------------------------------------------------------
    def contents(self) -> Contents:
        """Every document and record, rebuilt, in export order."""
        with self._errors("read"):
            cur = self.conn.execute("SELECT * FROM _documents ORDER BY path")
            names = [d[0] for d in cur.description]
            docs = [self._stored(dict(zip(names, row, strict=True))) for row in cur.fetchall()]
            out = Contents(docs, by_document={d.document.path: {} for d in docs})
            for kind in self._kinds():
                cls = find_record_class(kind)
                stored = []
                for rowid, doc, text in self.conn.execute(
                        f"SELECT rowid, _doc, _record FROM {_quote('_' + kind)} ORDER BY _doc, _n"):
                    try:
                        rec = rebuild(cls, text)
                    except (ValueError, TypeError) as exc:
                        raise StoreDamaged(damaged_message(
                            self.path, f"a stored {kind} record of {doc} cannot be read ({exc})")) from None
                    stored.append(StoredRecord(rowid, rec, text))
                    out.by_document.setdefault(doc, {}).setdefault(kind, []).append(rec)
                out.records[kind] = stored
            return out

    def forget(self, paths: set[str]) -> None:
        """Drop everything stored for these documents (repair: the next run reads them again)."""
        with self._transaction("repair"):
            for path in sorted(paths):
                for kind in self._kinds():
                    self.conn.execute(f"DELETE FROM {_quote('_' + kind)} WHERE _doc=?", (path,))
                self.conn.execute("DELETE FROM _documents WHERE path=?", (path,))
                store_text.replace(self.conn, path, None)
            self.conn.execute("UPDATE _meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")

    def links_current(self) -> bool:
        """True when no document changed since links were last saved."""
        with self._errors("read"):
            meta = dict(self.conn.execute("SELECT key, value FROM _meta"))
        return meta.get("generation") == meta.get("linked_generation")

    def save_links(self, contents: Contents) -> int:
        """Write back every record that batch-level work changed (report mentions now linked
        to actions) and mark links current; returns how many records changed."""
        changed = 0
        with self._transaction("write links to"):
            for kind, stored in contents.records.items():
                updates = [(s, text) for s in stored if (text := record_json(s.record)) != s.json]
                if not updates:
                    continue
                table = build_table(kind, [s.record for s, _ in updates])
                if self._ensure_columns("_" + kind, table.columns, table.types):
                    self._view(kind)
                cols = table.columns
                sql = (f"UPDATE {_quote('_' + kind)} SET {', '.join(_quote(c) + '=?' for c in cols)}, "
                       "_record=? WHERE rowid=?")
                self.conn.executemany(sql, ([sql_value(row.get(c)) for c in cols] + [text, s.rowid]
                                            for row, (s, text) in zip(table.rows, updates, strict=True)))
                for s, text in updates:
                    s.json = text
                changed += len(updates)
            self.conn.execute("UPDATE _meta SET value = (SELECT value FROM _meta WHERE key='generation') "
                              "WHERE key='linked_generation'")
        return changed


def _typed(v: Any, kind: str) -> Any:
    if v is None:
        return "" if kind == "str" else None  # NULL in the table, "" in the record
    if kind == "bool":
        return bool(v)
    return v


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def _move_old_export(path: Path) -> None:
    """Earlier versions wrote plantrail.sqlite afresh on every run (tables, no store
    bookkeeping): such a file is only an export, so it is kept aside as
    plantrail.sqlite.old and the store starts empty."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    except sqlite3.Error as exc:
        raise StoreError(f"{path} exists and is not a plantrail store ({exc})") from exc
    if "_meta" not in tables:
        if tables and not tables <= set(TABLE_ORDER):
            raise StoreError(f"{path} exists and is not a plantrail store (tables: {', '.join(sorted(tables))})")
        os.replace(path, path.with_name(path.name + ".old"))
