"""Writers: records of a run -> files.  One small module per format.

Every writer module has ``dump`` (content into a given path), ``stage`` (its files of a run
into a :class:`~.atomic.StagedFiles`) and a ``write_<fmt>(out_dir, name, rows, columns)``
convenience that writes one table atomically.  :func:`write_outputs` is what a run calls:
all formats are staged first and only then renamed into place, together with a small
manifest (``manifest.json``) that records what this run wrote, by which plantrail version,
from which run, and each column's kind.

One truth per folder: after the new files are in place, every table file an earlier run
wrote that this run did not (another format, a table that no longer exists) is deleted, so
DuckDB or Excel never read yesterday's CSV beside today's Parquet.  Only files plantrail
writes are touched: those the previous manifest lists, and the known table names.

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
MANIFEST_NAME = "manifest.json"
OLD_MANIFEST_NAMES = ("plantrail-run.json",)  # written by earlier versions

_MODULES = {"csv": "csv_writer", "jsonl": "jsonl_writer", "parquet": "parquet_writer",
            "xlsx": "xlsx_writer", "sqlite": "sqlite_writer"}

__all__ = ["FORMATS", "MANIFEST_NAME", "OLD_MANIFEST_NAMES", "TABLE_ORDER", "OutputError", "TableData", "build_table",
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
                  listed: Iterable[str] = (), listed_files: Iterable[str] = (), csv_raw: bool = False,
                  run_id: int | None = None) -> list[Path]:
    """Write ``tables`` in every format, all or nothing; returns the files written.

    ``listed`` are formats written elsewhere (the run's store) that the manifest names with
    their ``listed_files``, so readers find them.  ``csv_raw`` writes CSV text without the
    formula guard.  ``run_id`` (the store's run) goes into the manifest.  Raises
    :class:`OutputError` (with the underlying cause) when anything fails; in that case no
    file in ``out_dir`` has changed.  Table files of earlier runs that this run did not
    write are removed once the new ones are in place.
    """
    from .parquet_writer import stage_datasets

    out = Path(out_dir)
    trees = []
    previous = _previous_files(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with StagedFiles(out) as staged:
            _stage_formats(staged, tables, formats, csv_raw)
            if "parquet" in formats:
                trees.append(stage_datasets(out, tables))
            manifest = staged.stage(MANIFEST_NAME)
            all_formats = list(formats) + [f for f in listed if f not in formats]
            files = staged.names() + list(listed_files) + [f for t in trees for f in t.files]
            manifest.write_text(_manifest(tables, all_formats, files, csv_guard=not csv_raw, run_id=run_id),
                                encoding="utf-8")
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
    remove_stale(out, previous, set(files))
    return staged.committed + [out / f for t in trees for f in t.files]


def _stage_formats(staged: StagedFiles, tables: list[TableData], formats: list[str], csv_raw: bool) -> None:
    for fmt in formats:
        module = importlib.import_module(f".{_MODULES[fmt]}", __name__)
        if fmt == "csv":
            module.stage(staged, tables, guard=not csv_raw)
        else:
            module.stage(staged, tables)


def _previous_files(out: Path) -> set[str]:
    """Files (relative paths) that earlier runs may have written into ``out``: those their
    manifest lists, plus every known table name in every format (folders written before
    manifests existed)."""
    names: set[str] = {f"{t}.{fmt}" for t in TABLE_ORDER for fmt in ("csv", "jsonl", "parquet")}
    names |= {"plantrail.xlsx", "parquet", *OLD_MANIFEST_NAMES}
    for name in (MANIFEST_NAME, *OLD_MANIFEST_NAMES):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            doc = json.loads((out / name).read_text(encoding="utf-8"))
            names |= {f for f in doc.get("files", []) if isinstance(f, str)}
    return names


def remove_stale(out: Path, previous: set[str], written: set[str]) -> list[str]:
    """Delete the files of ``previous`` not in ``written`` (and the ``parquet/`` tree when no
    file of it was written); returns what was removed.  Never leaves ``out``."""
    keep_tree = any(f.startswith("parquet/") for f in written)
    removed = []
    for rel in sorted(previous - written):
        if rel.startswith("parquet/") and keep_tree:
            continue  # the dataset folder was replaced whole
        path = out / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute() or rel.startswith("plantrail.sqlite"):
            continue  # never delete a database (in an ingest folder it is the run store)
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                if rel == "parquet" and not keep_tree:
                    shutil.rmtree(path)
                    removed.append(rel)
            elif path.exists() or path.is_symlink():
                path.unlink()
                removed.append(rel)
    return removed


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


def _manifest(tables: list[TableData], formats: list[str], names: list[str], *, csv_guard: bool,
              run_id: int | None) -> str:
    from .. import __version__

    files = sorted(n for n in names if n != MANIFEST_NAME)
    doc = {
        "plantrail_version": __version__,
        "run_id": run_id,
        "formats": formats,
        "files": files,
        # CSV text cells starting with = + - @ tab CR carry a leading apostrophe (see --csv-raw)
        "csv_formula_guard": csv_guard,
        "tables": {t.name: {"rows": len(t.rows), "columns": t.columns,
                            "types": {c: t.types.get(c, "str") for c in t.columns}} for t in tables},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
