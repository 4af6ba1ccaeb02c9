"""The document model: typed blocks, the table grid built once, and the JSON round trip on
what every parser produces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from plantrail.parsers import parse
from plantrail.parsers.model import (
    Block,
    Cell,
    Document,
    Heading,
    KeyValue,
    ListItem,
    Paragraph,
    Provenance,
    Table,
    TableBlock,
    make_block,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_block_constructor_builds_typed_blocks():
    t = Table(cells=[Cell(0, 0, "a")], n_rows=1, n_cols=1)
    tb = Block("table", table=t, prov=Provenance(page=2))
    assert isinstance(tb, TableBlock) and tb.table is t and tb.kind == "table" and tb.prov.page == 2
    h = Block("heading", "Priority 1", level=2, bold=True)
    assert isinstance(h, Heading) and (h.kind, h.text, h.level, h.bold) == ("heading", "Priority 1", 2, True)
    assert isinstance(Block("paragraph", "x"), Paragraph)
    li = Block("list_item", "y", level=1)
    assert isinstance(li, ListItem) and li.level == 1
    kv = Block("key_value", key="Date", value="14 July 2020")
    assert isinstance(kv, KeyValue) and (kv.key, kv.value) == ("Date", "14 July 2020")
    # attributes a kind does not have read as empty, so generic code can look at any block
    assert (h.table, h.key, h.value) == (None, None, None) and Paragraph("p").level == 0


def test_block_invariants():
    with pytest.raises(ValueError):
        Block("table")  # a table block always has a table
    with pytest.raises(ValueError):
        make_block("caption", "x")
    assert Block("heading", "x").level == 1  # a heading always has a level in 1..6
    assert Block("heading", "x", level=9).level == 6


def test_grid_is_built_once_and_follows_appended_cells():
    t = Table(cells=[Cell(0, 0, "a", col_span=2), Cell(1, 0, "b")], n_rows=2, n_cols=2)
    g = t.grid()
    assert t.grid() is g  # reused, not rebuilt per row
    assert t.row_texts(0) == ["a", "a"] and t.row_texts(1) == ["b", ""]
    t.cells.append(Cell(1, 1, "c"))  # a parser still building the table
    assert t.row_texts(1) == ["b", "c"]
    t.n_rows = 3
    assert t.row_texts(2) == ["", ""]
    assert [[c.text for c in row] for row in t.rows_of_cells()] == [["a"], ["b", "c"], []]


def test_document_text_and_tables():
    t = Table(cells=[Cell(0, 0, "r"), Cell(0, 1, "s")], n_rows=1, n_cols=2)
    doc = Document("x", "0" * 64, "text", blocks=[Heading("H", 1), Block("table", table=t),
                                                  KeyValue("Date", "1 May 2020")])
    assert doc.tables() == [t]
    assert doc.text() == "H\nr\ts\nDate\t1 May 2020"


def _pdf_bytes() -> bytes:
    pytest.importorskip("fpdf")
    from test_parse_pdf import three_page_plan

    return three_page_plan()


PARSED = [
    ("001_6c3b3558f498e180.txt", "text"),
    ("004_ea5cf699ba5c1d76.txt", "text"),
    ("sample-plan.docx", "docx"),
    ("sample-tracker.xlsx", "xlsx"),
    ("plan.xls", "xls"),
    ("plan.pdf", "pdf"),
]


def _source(name: str) -> bytes:
    if name == "plan.pdf":
        return _pdf_bytes()
    path = SAMPLES / name if (SAMPLES / name).exists() else FIXTURES / name
    return path.read_bytes()


@pytest.mark.parametrize("name,fmt", PARSED)
def test_json_round_trip_of_each_parser(name, fmt):
    doc = parse(name, _source(name), "ab" * 32, fmt)
    assert doc.blocks and doc.tables()
    text = doc.to_json()
    back = Document.from_json(text)
    assert back == doc
    assert [type(b) for b in back.blocks] == [type(b) for b in doc.blocks]
    assert back.to_json() == text
    assert all(b.table.row_texts(0) == a.table.row_texts(0) for a, b in
               zip(doc.blocks, back.blocks, strict=True) if isinstance(a, TableBlock) and isinstance(b, TableBlock))
    data = json.loads(text)
    assert {b["kind"] for b in data["blocks"]} <= {"heading", "paragraph", "list_item", "key_value", "table"}


def test_json_keeps_every_cell_field():
    inner = Table(cells=[Cell(0, 0, "n")], n_rows=1, n_cols=1, index=0)
    c = Cell(0, 0, "\u25cf", row_span=2, col_span=3, bold=True, fill="00B050",
             prov=Provenance(page=3, sheet="S", cell="B2", line=7, bbox=(1.5, 2.0, 3.25, 4.0)),
             nested=[inner], color="FF0000", value="2024-03-31T00:00:00", number_format="mmm-yy")
    doc = Document("p", "0" * 64, "xlsx", blocks=[Block("table", table=Table([c], 2, 3, index=4))],
                   pages=3, warnings=["w"], meta={"title": "T"})
    back = Document.from_json(doc.to_json(indent=1))
    assert back == doc
    assert back.tables()[0].cells[0].prov.bbox == (1.5, 2.0, 3.25, 4.0)


def test_from_json_rejects_unknown_versions():
    with pytest.raises(ValueError):
        Document.from_json(json.dumps({"version": 99}))
