"""Full text in the run store: what makes an archive of papers searchable.

Two tables beside the records (see :mod:`.store`):

- ``_texts``: one row per document path (``id``, the index row's rowid) with the content's sha256, its title and its
  Markdown (:func:`plantrail.output.markdown.render_markdown`), plus ``exported`` (0 until
  ``texts/<sha256>.md`` has been written from this row).
- ``texts``: an FTS5 index, one row per document (``sha256``, ``path``, ``title``,
  ``text``), ranked with bm25 and quoted with ``snippet()`` by ``plantrail search``.  Words
  are matched by their English stem (porter), so "inspection" finds "inspections" and
  "inspected".

Rows are keyed by path and replaced in the same transaction as the document's records, so
a re-run never duplicates them and a changed file's text replaces the old one.  The worker
renders the Markdown (in parallel); this module only stores it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from ..output.markdown import search_text

FTS_TABLE = "texts"


@dataclass
class DocText:
    """A document's full text as a worker made it."""

    sha256: str
    title: str
    markdown: str


def create(conn: sqlite3.Connection) -> None:
    """The text tables, if missing (called inside the store's creating transaction)."""
    # id: an INTEGER PRIMARY KEY survives VACUUM (a plain rowid may not); the index row has it as rowid
    conn.execute("CREATE TABLE IF NOT EXISTS _texts (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, "
                 "sha256 TEXT NOT NULL, title TEXT, markdown TEXT NOT NULL, exported INTEGER NOT NULL DEFAULT 0)")
    conn.execute("CREATE INDEX IF NOT EXISTS _texts_sha ON _texts (sha256)")
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                 "sha256 UNINDEXED, path UNINDEXED, title, text, tokenize='porter unicode61 remove_diacritics 2')")


def replace(conn: sqlite3.Connection, path: str, text: DocText | None) -> None:
    """The text stored for ``path`` becomes ``text`` (none: the file has no readable text
    now); called inside the store's per-file transaction.  The index row shares the rowid of
    the ``_texts`` row's id, so replacing one costs an index lookup, not a scan of the index."""
    old = conn.execute("SELECT id FROM _texts WHERE path=?", (path,)).fetchone()
    if old is not None:
        conn.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid=?", (old[0],))
        conn.execute("DELETE FROM _texts WHERE id=?", (old[0],))
    if text is None:
        return
    cur = conn.execute("INSERT INTO _texts (path, sha256, title, markdown, exported) VALUES (?, ?, ?, ?, 0)",
                       (path, text.sha256, text.title or None, text.markdown))
    conn.execute(f"INSERT INTO {FTS_TABLE} (rowid, sha256, path, title, text) VALUES (?, ?, ?, ?, ?)",
                 (cur.lastrowid, text.sha256, path, text.title or "", search_text(text.markdown)))


def shas(conn: sqlite3.Connection) -> set[str]:
    """Contents with a stored text."""
    return {sha for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM _texts")}


def to_export(conn: sqlite3.Connection, present: set[str]) -> Iterator[tuple[str, str]]:
    """(sha256, markdown) of texts not yet written, or whose file is gone; the Markdown is
    read only for those."""
    need = {sha for sha, exported in conn.execute("SELECT sha256, exported FROM _texts")
            if not exported or sha not in present}
    for sha in sorted(need):
        row = conn.execute("SELECT markdown FROM _texts WHERE sha256=? LIMIT 1", (sha,)).fetchone()
        if row is not None:
            yield sha, row[0]


def mark_exported(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE _texts SET exported=1 WHERE exported=0")
