"""``plantrail search DIR "query"``: which papers of an ingested archive say something.

Reads the full-text index in ``DIR/plantrail.sqlite`` (see :mod:`.store_text`), ranks with
bm25 (a word in the title counts five times one in the body) and prints each paper with its
title, meeting date and committee (from the ``reports`` table) and a snippet around the words
found.  The query is SQLite FTS5 syntax (``"looked after" AND children``, ``adopt*``,
``NEAR(...)``); text that is not valid FTS5 syntax (a stray quote, ``£1.2m``, ``3.2``) is
searched as its words, all of them required.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sqlite3
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..output.sqlite_writer import DATABASE_NAME
from .store_text import FTS_TABLE

EXIT_OK, EXIT_NO_MATCH, EXIT_USAGE = 0, 1, 2
_SNIPPET = f"snippet({FTS_TABLE}, 3, '[', ']', ' ... ', 16)"
_TITLE_WEIGHT = 5.0


class SearchError(Exception):
    """The folder has no searchable store; the message says what to do."""


@dataclass
class Hit:
    path: str
    sha256: str
    title: str | None
    meeting_date: str | None
    committee: str | None
    snippet: str
    score: float  # bm25: lower is better


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "search", help="full-text search over the papers of an ingest output folder",
        description="List the papers in DIR (an `ingest --out` folder) that match QUERY, best first, "
                    "with title, meeting date, committee and a snippet.  QUERY is SQLite FTS5 syntax "
                    "(words, \"a phrase\", AND/OR/NOT, prefix*); anything else is searched as its words.",
        epilog="exit codes: 0 matches found; 1 no match; 2 DIR has no plantrail store or usage error")
    p.add_argument("dir", metavar="DIR", help="output folder of `plantrail ingest`")
    p.add_argument("query", metavar="QUERY", help="what to look for")
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N papers (default: 20)")
    p.add_argument("--json", action="store_true", help="print the matches as a JSON list")
    return p


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def run(args: argparse.Namespace) -> int:
    try:
        hits = search(args.dir, args.query, limit=args.limit)
    except SearchError as exc:
        print(f"plantrail search: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
    else:
        _print(hits, sys.stdout)
    return EXIT_OK if hits else EXIT_NO_MATCH


def _print(hits: list[Hit], out) -> None:
    if not hits:
        print("no matching papers", file=out)
        return
    for n, h in enumerate(hits, start=1):
        facts = "; ".join(x for x in (h.meeting_date, h.committee) if x)
        print(f"{n}. {h.title or '(no title)'}" + (f"  [{facts}]" if facts else ""), file=out)
        print(f"   {h.path}", file=out)
        print(f"   {' '.join(h.snippet.split())}", file=out)


def search(out_dir: str | os.PathLike[str], query: str, *, limit: int = 20) -> list[Hit]:
    """Papers matching ``query``, best first (see the module doc)."""
    path = Path(out_dir) / DATABASE_NAME
    if not path.is_file():
        raise SearchError(f"no plantrail store in {out_dir} (run `plantrail ingest ... --out {out_dir}` first)")
    if not query.strip():
        raise SearchError("empty query")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise SearchError(f"cannot open {path}: {exc}") from exc
    with contextlib.closing(conn):
        if not _has_index(conn):
            raise SearchError(f"{path} has no text index (written by an older plantrail: "
                              "re-run `plantrail ingest ... --force`)")
        try:
            return _query(conn, query, limit)
        except sqlite3.OperationalError:
            words = re.findall(r"\w+", query)
            if not words:
                return []
            return _query(conn, " ".join(f'"{w}"' for w in words), limit)


def _has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (FTS_TABLE,)).fetchone() is not None


def _query(conn: sqlite3.Connection, match: str, limit: int) -> list[Hit]:
    has_reports = conn.execute("SELECT 1 FROM sqlite_master WHERE name='_reports'").fetchone() is not None
    facts = (f"(SELECT meeting_date FROM _reports r WHERE r._doc = {FTS_TABLE}.path ORDER BY r._n LIMIT 1), "
             f"(SELECT committee FROM _reports r WHERE r._doc = {FTS_TABLE}.path ORDER BY r._n LIMIT 1)"
             if has_reports else "NULL, NULL")
    sql = (f"SELECT path, sha256, title, {facts}, {_SNIPPET}, "
           f"bm25({FTS_TABLE}, 0, 0, {_TITLE_WEIGHT}, 1.0) AS score "
           f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY score LIMIT ?")
    rows = conn.execute(sql, (match, limit)).fetchall()
    return [Hit(path, sha, title or None, date or None, committee or None, snippet, score)
            for path, sha, title, date, committee, snippet, score in rows]
