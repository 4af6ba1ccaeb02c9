"""CSV: the format every user can open.  UTF-8 without BOM, header row, minimal quoting,
``\\n`` line ends (RFC 4180 allows it and it diffs cleanly in git).

CSV is the one data format whose text may differ from the document: it is usually opened by
double-clicking it in Excel, which runs a cell starting with ``=``, ``+``, ``-`` or ``@`` as a
formula, so by default such text gets a leading apostrophe (the formula guard, see
:mod:`.safety`; the manifest records it and :func:`~.readers.read_output` undoes it).
``guard=False`` (``plantrail ingest --csv-raw``) writes the exact text for tools that read
CSV as data.  Missing values are empty fields."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .atomic import StagedFiles, atomic_path
from .safety import neutralise
from .tables import TableData

SUFFIX = ".csv"
_SPECIAL = (",", '"', "\n", "\r")


def dump(path: Path, table: TableData, *, guard: bool = True) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(_line(table.columns))
        for row in table.rows:
            fh.write(_line([_cell(row.get(c), guard) for c in table.columns]))


def _line(values: list[Any]) -> str:
    # Hand-rolled rather than csv.writer: with "\n" line ends the csv module leaves a bare
    # "\r" unquoted, which Excel and pandas read as a line break (a broken row).
    fields = [_quote(str(v)) for v in values]
    if fields == [""]:
        fields = ['""']  # a one-column row holding "" must not look like a blank line
    return ",".join(fields) + "\n"


def _quote(s: str) -> str:
    if any(ch in s for ch in _SPECIAL):
        return '"' + s.replace('"', '""') + '"'
    return s


def _cell(v: Any, guard: bool = True) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return neutralise(v) if guard else v


def stage(staged: StagedFiles, tables: list[TableData], *, guard: bool = True) -> None:
    for t in tables:
        dump(staged.stage(t.name + SUFFIX), t, guard=guard)


def write_csv(out_dir: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], columns: list[str],
              types: dict[str, str] | None = None, *, guard: bool = True) -> Path:
    """Write ``name``.csv atomically; returns its path."""
    final = Path(out_dir) / (name + SUFFIX)
    with atomic_path(final) as tmp:
        dump(tmp, TableData(name, list(columns), rows, dict(types or {})), guard=guard)
    return final
