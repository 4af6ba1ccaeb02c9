"""The document model as JSON and back, without loss.

For caching a parse and for looking at what a parser saw (``plantrail inspect --json``).
Every field of every block, table, cell and provenance is written; fields at their default
are written too, so the JSON is a plain, complete picture a person can read.  Reading checks
the kinds and shapes it relies on and raises ValueError on anything else.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .model import (
    AnyBlock,
    Block,
    Cell,
    Document,
    Heading,
    KeyValue,
    ListItem,
    Provenance,
    SheetInfo,
    Table,
    TableBlock,
    make_block,
)

FORMAT_VERSION = 1


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "path": doc.path, "sha256": doc.sha256, "format": doc.format, "pages": doc.pages,
        "sheets": [asdict(s) for s in doc.sheets],
        "warnings": list(doc.warnings), "meta": dict(doc.meta),
        "blocks": [block_to_dict(b) for b in doc.blocks],
    }


def block_to_dict(b: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": b.kind, "text": b.text, "bold": b.bold, "prov": _prov(b.prov)}
    if isinstance(b, Heading | ListItem):
        out["level"] = b.level
    elif isinstance(b, KeyValue):
        out["key"], out["value"] = b.key, b.value
    elif isinstance(b, TableBlock):
        out["table"] = table_to_dict(b.table)
    return out


def table_to_dict(t: Table) -> dict[str, Any]:
    return {"index": t.index, "n_rows": t.n_rows, "n_cols": t.n_cols, "prov": _prov(t.prov),
            "cells": [cell_to_dict(c) for c in t.cells]}


def cell_to_dict(c: Cell) -> dict[str, Any]:
    return {"row": c.row, "col": c.col, "text": c.text, "row_span": c.row_span,
            "col_span": c.col_span, "bold": c.bold, "fill": c.fill, "color": c.color,
            "value": c.value, "number_format": c.number_format, "prov": _prov(c.prov),
            "nested": [table_to_dict(t) for t in c.nested]}


def _prov(p: Provenance) -> dict[str, Any]:
    return {"page": p.page, "sheet": p.sheet, "cell": p.cell, "line": p.line,
            "bbox": list(p.bbox) if p.bbox is not None else None}


def document_to_json(doc: Document, indent: int | None = None) -> str:
    return json.dumps(document_to_dict(doc), ensure_ascii=False, indent=indent)


def document_from_json(text: str) -> Document:
    return document_from_dict(json.loads(text))


def document_from_dict(d: dict[str, Any]) -> Document:
    if d.get("version") != FORMAT_VERSION:
        raise ValueError(f"unknown document JSON version: {d.get('version')!r}")
    return Document(path=d["path"], sha256=d["sha256"], format=d["format"], pages=d["pages"],
                    sheets=[SheetInfo(**s) for s in d["sheets"]], warnings=list(d["warnings"]),
                    meta=dict(d["meta"]), blocks=[block_from_dict(b) for b in d["blocks"]])


def block_from_dict(d: dict[str, Any]) -> AnyBlock:
    table = table_from_dict(d["table"]) if d.get("table") is not None else None
    return make_block(d["kind"], d.get("text", ""), level=d.get("level", 0), key=d.get("key"),
                      value=d.get("value"), table=table, bold=d.get("bold", False),
                      prov=_prov_from(d.get("prov")))


def table_from_dict(d: dict[str, Any]) -> Table:
    return Table(cells=[cell_from_dict(c) for c in d["cells"]], n_rows=d["n_rows"], n_cols=d["n_cols"],
                 index=d["index"], prov=_prov_from(d.get("prov")))


def cell_from_dict(d: dict[str, Any]) -> Cell:
    return Cell(row=d["row"], col=d["col"], text=d["text"], row_span=d["row_span"],
                col_span=d["col_span"], bold=d["bold"], fill=d["fill"], prov=_prov_from(d.get("prov")),
                nested=[table_from_dict(t) for t in d["nested"]], color=d.get("color"),
                value=d.get("value"), number_format=d.get("number_format"))


def _prov_from(d: dict[str, Any] | None) -> Provenance:
    if d is None:
        return Provenance()
    bbox = d.get("bbox")
    return Provenance(page=d.get("page"), sheet=d.get("sheet"), cell=d.get("cell"), line=d.get("line"),
                      bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3]))
                      if bbox is not None else None)
