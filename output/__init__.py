"""Writers: records of a run -> files.  One small module per format.

Every writer module has ``dump`` (content into a given path), ``stage`` (its files of a run
into a :class:`~.atomic.StagedFiles`) and a ``write_<fmt>(out_dir, name, rows, columns)``
convenience that writes one table atomically.  :func:`write_outputs` is what a run calls:
all formats are staged first and only then renamed into place, together with a small
manifest (``plantrail-run.json``) that records what this run wrote and each column's kind,
so :func:`~.readers.read_output` never mixes a stale file from an older run with new ones.

Parquet is written twice: one file per table (``actions.parquet``) and a dataset folder per
table (``parquet/actions/part-00000.parquet`` ...) that Spark, DuckDB and pandas read as a
table by its folder name.  The folder tree is staged whole beside the old one and swapped in
with the files.

A ``plantrail ingest`` run keeps its records in the store (``plantrail.sqlite``, see
:mod:`.store`) and exports the other formats from it; the store is then listed in the
manifest as the run's sqlite output instead of being written afresh.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from .atomic import StagedFiles
from .tables import TABLE_ORDER, TableData, build_table

FORMATS = ("csv", "jsonl", "parquet", "xlsx", "sqlite")
MANIFEST_NAME = "plantrail-run.json"

_MODULES = {"csv": "csv_writer", "jsonl": "jsonl_writer", "parquet": "parquet_writer",
            "xlsx": "xlsx_writer", "sqlite": "sqlite_writer"}

__all__ = ["FORMATS", "MANIFEST_NAME", "TABLE_ORDER", "OutputError", "TableData", "build_table",
           "parse_formats", "remove_leftovers", "write_outputs"]


class OutputError(Exception):
    """Outputs could not be written; the previous outputs in the folder are unchanged."""


def parse_formats(spec: str | Iterable[str]) -> list[str]:
    """"csv,parquet" -> ["csv", "parquet"] (order kept, duplicates dropped); ValueError on an
    unknown name."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for item in items:
        name = item.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise ValueError(f"unknown output format {name!r} (choose from {', '.join(FORMATS)})")
        if name not in out:
            out.append(name)
    if not out:
        raise ValueError("no output format given")
    return out


def write_outputs(out_dir: str | os.PathLike[str], tables: list[TableData], formats: list[str], *,
                  listed: Iterable[str] = (), listed_files: Iterable[str] = ()) -> list[Path]:
    """Write ``tables`` in every format, all or nothing; returns the files written.

    ``listed`` are formats written elsewhere (the run's store) that the manifest names with
    their ``listed_files``, so readers find them.  Raises :class:`OutputError` (with the
    underlying cause) when anything fails; in that case no file in ``out_dir`` has changed.
    """
    from .parquet_writer import stage_datasets

    out = Path(out_dir)
    trees = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        with StagedFiles(out) as staged:
            for fmt in formats:
                importlib.import_module(f".{_MODULES[fmt]}", __name__).stage(staged, tables)
            if "parquet" in formats:
                trees.append(stage_datasets(out, tables))
            manifest = staged.stage(MANIFEST_NAME)
            all_formats = list(formats) + [f for f in listed if f not in formats]
            files = staged.names() + list(listed_files) + [f for t in trees for f in t.files]
            manifest.write_text(_manifest(tables, all_formats, files), encoding="utf-8")
            for tree in trees:
                tree.commit()  # undone below when the files then fail to commit
    except Exception as exc:
        for tree in trees:
            tree.abort()
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"cannot write outputs to {out}: {type(exc).__name__}: {exc}") from exc
    except BaseException:
        for tree in trees:
            tree.abort()
        raise
    for tree in trees:
        tree.cleanup()
    return staged.committed + [out / f for t in trees for f in t.files]


_LEFTOVER = re.compile(r"^\..+\.[0-9a-f]{12}\.(tmp|old)$")


def remove_leftovers(out_dir: str | os.PathLike[str]) -> int:
    """Delete temp files and folders of writes that were killed half way (hidden, named
    ``.<name>.<12 hex>.tmp``); only safe while no other run writes to the folder."""
    removed = 0
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return 0
    for entry in entries:
        if _LEFTOVER.match(entry.name):
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed += 1
    return removed


def _manifest(tables: list[TableData], formats: list[str], names: list[str]) -> str:
    from .. import __version__

    files = sorted(n for n in names if n != MANIFEST_NAME)
    doc = {
        "plantrail_version": __version__,
        "formats": formats,
        "files": files,
        "tables": {t.name: {"rows": len(t.rows), "columns": t.columns,
                            "types": {c: t.types.get(c, "str") for c in t.columns}} for t in tables},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
