"""Read a run's output folder back into DataFrames (the inverse of :func:`write_outputs`).

The manifest says which files belong to the run and each column's kind, so the frames
come back with the same dtypes as :func:`plantrail.api.ingest` returns, whatever format is
read.  Typed formats are preferred (parquet, then jsonl, sqlite, csv, xlsx); from a CSV
written with the formula guard (the manifest says so) the guard is undone.  Missing values
are ``<NA>`` whatever the format.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

import pandas as pd

from . import FORMATS, MANIFEST_NAME, OLD_MANIFEST_NAMES
from .frames import coerce
from .sqlite_writer import DATABASE_NAME
from .tables import TABLE_ORDER, build_table
from .xlsx_writer import WORKBOOK_NAME

PREFERENCE = ("parquet", "jsonl", "sqlite", "csv", "xlsx")


def read_output(out_dir: str | os.PathLike[str], fmt: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the run in ``out_dir``: {"documents": df, "actions": df, ...}."""
    folder = Path(out_dir)
    available, tables, guards = _contents(folder)
    if fmt is not None:
        if fmt not in available:
            raise FileNotFoundError(f"no {fmt} output in {folder}")
        chosen = fmt
    else:
        best = next((f for f in PREFERENCE if f in available), None)
        if best is None:
            raise FileNotFoundError(f"no plantrail output in {folder}")
        chosen = best
    guard = guards.get(chosen, False)
    return {name: _read(folder, chosen, name, cols, types, guard) for name, (cols, types) in tables.items()
            if _table_exists(folder, chosen, name)}


def _contents(folder: Path) -> tuple[list[str], dict[str, tuple[list[str], dict[str, str]]], dict[str, bool]]:
    """(formats available, table -> (columns, types), format -> formula guard on) of a folder."""
    manifest_path = next((folder / n for n in (MANIFEST_NAME, *OLD_MANIFEST_NAMES) if (folder / n).exists()),
                         None)
    if manifest_path is None:  # a folder written by hand or by an older version: go by the files present
        tables = {}
        for name in TABLE_ORDER:
            t = build_table(name, [])
            tables[name] = (t.columns, t.types)
        return [f for f in PREFERENCE if _exists(folder, f)], tables, {"csv": True, "xlsx": True}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    available = [f for f in manifest.get("formats", []) if f in FORMATS]
    tables = {name: (spec["columns"], spec["types"]) for name, spec in manifest["tables"].items()}
    if manifest_path.name != MANIFEST_NAME:  # before manifest.json, CSV and XLSX were both guarded
        return available, tables, {"csv": True, "xlsx": True}
    return available, tables, {"csv": bool(manifest.get("csv_formula_guard", True)), "xlsx": False}


def _exists(folder: Path, fmt: str) -> bool:
    if fmt == "xlsx":
        return (folder / WORKBOOK_NAME).exists()
    if fmt == "sqlite":
        return (folder / DATABASE_NAME).exists()
    return (folder / f"documents.{fmt}").exists()


def _table_exists(folder: Path, fmt: str, name: str) -> bool:
    return fmt in ("xlsx", "sqlite") or (folder / f"{name}.{fmt}").exists()


def _read(folder: Path, fmt: str, name: str, columns: list[str], types: dict[str, str],
          guard: bool) -> pd.DataFrame:
    if fmt == "csv":
        try:
            df = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, na_filter=False,
                             encoding="utf-8")
        except pd.errors.EmptyDataError:  # a table written without any column
            df = pd.DataFrame(columns=columns)
        return _finish(df, columns, types, restore_text=guard)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in
                (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        df = pd.DataFrame({c: [r.get(c) for r in rows] for c in columns}, columns=columns, dtype=object)
        return _finish(df, columns, types)
    if fmt == "parquet":
        return _finish(pd.read_parquet(folder / f"{name}.parquet"), columns, types)
    if fmt == "sqlite":
        with contextlib.closing(sqlite3.connect(folder / DATABASE_NAME)) as conn:
            try:
                df = pd.read_sql_query(f'SELECT * FROM "{name}"', conn)
            except (sqlite3.Error, pd.errors.DatabaseError):
                df = pd.DataFrame(columns=columns)
        return _finish(df, columns, types)
    df = pd.read_excel(folder / WORKBOOK_NAME, sheet_name=name[:31], dtype=object, engine="openpyxl")
    return _finish(df, columns, types, restore_text=guard)


def _finish(df: pd.DataFrame, columns: list[str], types: dict[str, str], *,
            restore_text: bool = False) -> pd.DataFrame:
    for c in columns:
        if c not in df.columns:
            df[c] = None
    return coerce(df[columns] if columns else df, types, restore_text=restore_text)
