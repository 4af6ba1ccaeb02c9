"""The published schema of the output tables: one source of truth for column names, kinds,
storage types and meanings.

Columns come from the record classes (:mod:`.tables`); this module adds what every writer
and reader must agree on beyond that:

- **kinds -> types** in each format (:data:`SQL_TYPES`, :data:`PANDAS_DTYPES`, :func:`arrow_type`),
- **renamed columns**: a record field whose name is an SQL reserved word is published under
  another name (``actions.table`` -> ``table_index``), so no query needs quoting,
- **derived columns**: typed dates beside the ISO text (``start_date``: the first day of the
  start period; ``end_date``: the last day of the end period), so a data team can filter by
  date without parsing ``2017-04`` or ``2017-10/2017-12`` itself,
- **meanings**: ``columns.json`` beside this module, printed by ``plantrail schema``.

Missing values are NULL everywhere (never ``''``): :func:`missing_to_null`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..normalise.text.iso_bounds import first_day, last_day

SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER", "date": "DATE"}
PANDAS_DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}
KIND_NAMES = {"str": "text", "int": "integer", "float": "real", "bool": "boolean", "date": "date"}

# table -> record field -> published column name
RENAMES: dict[str, dict[str, str]] = {"actions": {"table": "table_index"}}

# table -> [(new column, kind, source column, function, insert after column)]
DERIVED: dict[str, list[tuple[str, str, str, Callable[[Any], Any], str]]] = {
    "actions": [("start_date", "date", "start", first_day, "end_precision"),
                ("end_date", "date", "end", last_day, "start_date")],
}


def missing_to_null(v: Any) -> Any:
    """'' is not a value: every format writes it as NULL."""
    return None if isinstance(v, str) and v == "" else v


def publish(table: str, columns: list[str], types: dict[str, str], rows: list[dict[str, Any]]
            ) -> tuple[list[str], dict[str, str]]:
    """Apply renames and derived columns to a table in place; returns the new columns/types."""
    renames = RENAMES.get(table, {})
    if renames:
        columns = [renames.get(c, c) for c in columns]
        types = {renames.get(c, c): k for c, k in types.items()}
        for row in rows:
            for old, new in renames.items():
                if old in row:
                    row[new] = row.pop(old)
    for name, kind, source, fn, after in DERIVED.get(table, []):
        if name in columns or source not in columns:
            continue
        columns.insert(columns.index(after) + 1 if after in columns else len(columns), name)
        types[name] = kind
        for row in rows:
            row[name] = fn(row.get(source))
    return columns, types


def arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
            "date": pa.date32()}[kind]


@cache
def meanings() -> dict[str, dict[str, str]]:
    return json.loads((Path(__file__).with_name("columns.json")).read_text(encoding="utf-8"))


def describe(table: str, column: str) -> str:
    return meanings().get(table, {}).get(column, "")


def schema_text(tables: list[Any]) -> str:
    """Every table's columns, types and meanings, as ``plantrail schema`` prints them."""
    lines: list[str] = []
    for t in tables:
        lines.append(f"{t.name}: {describe(t.name, '_table')}".rstrip())
        width = max((len(c) for c in t.columns), default=0)
        for c in t.columns:
            kind = KIND_NAMES.get(t.types.get(c, "str"), "text")
            lines.append(f"  {c:<{width}}  {kind:<7}  {describe(t.name, c) or '(not described yet)'}")
        lines.append("")
    return "\n".join(lines)


def schema_json(tables: list[Any]) -> dict[str, Any]:
    return {t.name: {"description": describe(t.name, "_table"),
                     "columns": [{"name": c, "type": KIND_NAMES.get(t.types.get(c, "str"), "text"),
                                  "sql_type": SQL_TYPES.get(t.types.get(c, "str"), "TEXT"),
                                  "description": describe(t.name, c)} for c in t.columns]} for t in tables}
