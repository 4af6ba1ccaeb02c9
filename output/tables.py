"""Records -> plain tables that every writer can take.

Writers never see record classes: they get a :class:`TableData` (name, rows of flat dicts,
column order, column kinds).  Empty text is NULL (None), never ''.  Columns come from the
record's dataclass fields in order (renamed and with derived columns added by :mod:`.schema`), so
a new field appears in every format without touching a writer, and an empty table still
gets its header.  Column kinds (str/int/float/bool) come from the field annotations, so
typed formats (parquet, sqlite) keep one schema across runs, even for empty tables.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .schema import missing_to_null, publish

# Output table name -> record class name, looked up in these modules when a table is empty.
RECORD_CLASSES = {"documents": "DocumentRecord", "actions": "ActionRecord", "reports": "ReportRecord",
                  "figures": "FigureRecord", "mentions": "MentionRecord"}
_RECORD_MODULES = ("plantrail.normalise.records", "plantrail.normalise.reports.records",
                   "plantrail.normalise.reports.extract")

TABLE_ORDER = ("documents", "actions", "reports", "figures", "mentions")


@dataclass
class TableData:
    name: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # column -> str | int | float | bool


def record_row(rec: Any) -> dict[str, Any]:
    """One record as a flat dict: its ``to_row()`` when it has one, else its fields; any
    list left becomes "a; b", any dict JSON text."""
    if hasattr(rec, "to_row"):
        row = dict(rec.to_row())
    else:
        row = {f.name: getattr(rec, f.name) for f in dataclasses.fields(rec)}
    return {k: missing_to_null(flat_value(v)) for k, v in row.items()}


def flat_value(v: Any) -> Any:
    if isinstance(v, str):
        return scrub(v)
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        return scrub("; ".join("" if x is None else str(x) for x in items))
    if isinstance(v, dict):
        return scrub(json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)) if v else ""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return scrub(json.dumps(dataclasses.asdict(v), ensure_ascii=False, sort_keys=True, default=str))
    return v


_SURROGATE = re.compile("[\ud800-\udfff]")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def scrub(text: str) -> str:
    """Text every output format can hold: lone surrogates (a file name that is not valid UTF-8,
    decoded by the OS layer with surrogateescape) cannot be written as UTF-8, Parquet or XLSX
    and would fail the whole run's output, so they become U+FFFD; control characters (NUL, ESC,
    bell ...) that any input format may carry are dropped (tab, newline, carriage return kept)."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def find_record_class(table: str) -> type | None:
    """The record class of an output table, or None when its module is not built yet."""
    name = RECORD_CLASSES.get(table)
    if not name:
        return None
    for mod_name in _RECORD_MODULES:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        cls = getattr(mod, name, None)
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            return cls
    return None


def build_table(name: str, records: list[Any], record_class: type | None = None) -> TableData:
    """A table from records of one kind (columns = fields in order, then any extra keys
    ``to_row`` adds)."""
    cls = record_class or (type(records[0]) if records else find_record_class(name))
    columns, types = _field_columns(cls)
    rows = [record_row(r) for r in records]
    known = set(columns)
    for row in rows:
        for key in row:
            if key not in known:
                known.add(key)
                columns.append(key)
    for c in columns:
        kind = types.get(c) or _infer_kind([row.get(c) for row in rows])
        if kind != "str" and not all(_fits(kind, row.get(c)) for row in rows):
            kind = "str"  # a value that breaks its annotation: keep the data, lose the type
        types[c] = kind
    columns, types = publish(name, columns, types, rows)
    return TableData(name=name, columns=columns, rows=rows, types=types)


def _field_columns(cls: type | None) -> tuple[list[str], dict[str, str]]:
    """Columns and kinds of a record class's fields, in order."""
    if cls is None or not dataclasses.is_dataclass(cls):
        return [], {}
    fields = dataclasses.fields(cls)
    return [f.name for f in fields], {f.name: annotation_kind(f.type) for f in fields}


def _fits(kind: str, v: Any) -> bool:
    if v is None:
        return True
    if kind == "bool":
        return isinstance(v, bool)
    if isinstance(v, bool):
        return False
    return isinstance(v, int) if kind == "int" else isinstance(v, (int, float))


def _infer_kind(values: list[Any]) -> str:
    """Kind of a column that is not a dataclass field (an extra key of ``to_row``)."""
    present = [v for v in values if v is not None]
    for kind in ("bool", "int", "float"):
        if present and all(_fits(kind, v) for v in present):
            return kind
    return "str"


def annotation_kind(annotation: Any) -> str:
    """Field annotation -> str | int | float | bool; anything else (lists, dicts) is written
    as text, so it is "str"."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    text = text.replace("typing.", "").replace(" ", "")
    if text.startswith("Optional[") and text.endswith("]"):
        text = text[len("Optional["):-1]
    parts = [p for p in text.split("|") if p not in ("None", "NoneType")]
    if len(parts) == 1 and parts[0] in ("int", "float", "bool", "str"):
        return parts[0]
    return "str"


def table_from_rows(name: str, columns: list[str], rows: list[dict[str, Any]]) -> TableData:
    """A table from plain rows (no record class): '' becomes NULL, kinds are inferred."""
    clean = [{c: missing_to_null(row.get(c)) for c in columns} for row in rows]
    types = {c: _infer_kind([r[c] for r in clean]) for c in columns}
    return TableData(name=name, columns=list(columns), rows=clean, types=types)
