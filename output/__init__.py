"""Writers: records of a run -> files.  One small module per format.

Every writer module has ``dump`` (content into a given path), ``stage`` (its files of a run
into a :class:`~.atomic.StagedFiles`) and a ``write_<fmt>(out_dir, name, rows, columns)``
convenience that writes one table atomically.  :func:`write_outputs` is what a run calls:
all formats are staged first and only then renamed into place, together with a small
manifest (``plantrail-run.json``) that records what this run wrote and each column's kind,
so :func:`~.readers.read_output` never mixes a stale file from an older run with new ones.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .atomic import StagedFiles
from .tables import TABLE_ORDER, TableData, build_table

FORMATS = ("csv", "jsonl", "parquet", "xlsx", "sqlite")
MANIFEST_NAME = "plantrail-run.json"

_MODULES = {"csv": "csv_writer", "jsonl": "jsonl_writer", "parquet": "parquet_writer",
            "xlsx": "xlsx_writer", "sqlite": "sqlite_writer"}

__all__ = ["FORMATS", "MANIFEST_NAME", "TABLE_ORDER", "OutputError", "TableData", "build_table",
           "parse_formats", "write_outputs"]


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


def write_outputs(out_dir: str | os.PathLike[str], tables: list[TableData], formats: list[str]) -> list[Path]:
    """Write ``tables`` in every format, all or nothing; returns the files written.

    Raises :class:`OutputError` (with the underlying cause) when anything fails; in that
    case no file in ``out_dir`` has changed.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with StagedFiles(out) as staged:
            for fmt in formats:
                importlib.import_module(f".{_MODULES[fmt]}", __name__).stage(staged, tables)
            manifest = staged.stage(MANIFEST_NAME)
            manifest.write_text(_manifest(tables, formats, staged), encoding="utf-8")
    except OutputError:
        raise
    except Exception as exc:
        raise OutputError(f"cannot write outputs to {out}: {type(exc).__name__}: {exc}") from exc
    return staged.committed


def _manifest(tables: list[TableData], formats: list[str], staged: StagedFiles) -> str:
    from .. import __version__

    files = sorted(n for n in staged.names() if n != MANIFEST_NAME)
    doc = {
        "plantrail_version": __version__,
        "formats": formats,
        "files": files,
        "tables": {t.name: {"rows": len(t.rows), "columns": t.columns,
                            "types": {c: t.types.get(c, "str") for c in t.columns}} for t in tables},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
