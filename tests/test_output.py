"""Writers: exact CSV shape, formula neutralisation, atomic all-or-nothing runs, and every
format reading back to the same DataFrames."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from plantrail.normalise.records import ACTION_COLUMNS, ActionRecord, DocumentRecord
from plantrail.output import FORMATS, MANIFEST_NAME, OutputError, csv_writer, parse_formats, write_outputs
from plantrail.output.atomic import StagedFiles, atomic_path
from plantrail.output.csv_writer import write_csv
from plantrail.output.frames import to_dataframe
from plantrail.output.readers import read_output
from plantrail.output.safety import neutralise, restore
from plantrail.output.tables import TableData, build_table
from plantrail.output.xlsx_writer import WORKBOOK_NAME, write_xlsx

DANGEROUS = ["=1+1", "+44 20", "-5", "@SUM(A1)", "\tx", "\ry", "'=already quoted"]


def _tables() -> list[TableData]:
    docs = [DocumentRecord(path="a.txt", sha256="aa", format="text", status="ok", size=10, actions=2,
                           seconds=0.5),
            DocumentRecord(path="b, with comma.pdf", format="pdf", status="error",
                           reason='bad "quote"\nsecond line\rthird', pages=3)]
    actions = [ActionRecord(action_id="aa-1", source_file="a.txt", sha256="aa", ref="1.1", action="=cmd()",
                            line=2, seq=1, extra={"Notes": "x"}, warnings=["w1", "w2"]),
               ActionRecord(action_id="aa-2", source_file="a.txt", sha256="aa", ref="1.2",
                            action="Café – “smart” quotes", seq=2)]
    return [build_table("documents", docs), build_table("actions", actions),
            build_table("reports", []), build_table("figures", []), build_table("mentions", [])]


def test_csv_exact_bytes(tmp_path):
    rows = [{"a": "plain", "b": None, "c": 3, "d": "x,y"}, {"a": 'say "hi"', "b": "", "c": 1.5, "d": "l1\nl2"}]
    path = write_csv(tmp_path, "t", rows, ["a", "b", "c", "d"])
    assert path.read_bytes() == b'a,b,c,d\nplain,,3,"x,y"\n"say ""hi""",,1.5,"l1\nl2"\n'


def test_csv_is_utf8_without_bom(tmp_path):
    path = write_csv(tmp_path, "t", [{"a": "Café £5"}], ["a"])
    assert path.read_bytes() == "a\nCafé £5\n".encode()


def test_csv_neutralises_formulas_but_not_numbers_or_empties(tmp_path):
    rows = [{"text": t, "num": -5, "empty": "", "none": None} for t in DANGEROUS + ["safe", "x=1"]]
    path = write_csv(tmp_path, "t", rows, ["text", "num", "empty", "none"])
    got = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert got["text"].tolist() == ["'=1+1", "'+44 20", "'-5", "'@SUM(A1)", "'\tx", "'\ry", "''=already quoted",
                                    "safe", "x=1"]
    assert set(got["num"]) == {"-5"}
    assert set(got["empty"]) == {""} and set(got["none"]) == {""}


def test_xlsx_keeps_text_exactly_as_text_cells(tmp_path):
    rows = [{"text": t, "num": -5, "empty": None} for t in DANGEROUS + ["safe", "- on track", "@Team"]]
    path = write_xlsx(tmp_path, "actions", rows, ["text", "num", "empty"])
    ws = load_workbook(path)["actions"]
    cells = [ws.cell(row=r, column=1) for r in range(2, len(rows) + 2)]
    assert [c.value for c in cells] == DANGEROUS + ["safe", "- on track", "@Team"]  # no apostrophe added
    assert {c.data_type for c in cells} == {"s"}  # text cells: never formulas
    import zipfile
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    assert ws.cell(row=2, column=2).value == -5
    assert ws.cell(row=2, column=3).value is None


def test_xlsx_drops_control_characters_and_cuts_giant_cells(tmp_path):
    path = write_xlsx(tmp_path, "t", [{"a": "bad\x0bchar", "b": "x" * 40000}], ["a", "b"])
    ws = load_workbook(path)["t"]
    assert ws["A2"].value == "badchar"
    assert len(ws["B2"].value) == 32766 and ws["B2"].value.endswith("[...cut]")


@given(st.text(max_size=12))
def test_neutralise_is_reversible_and_safe(s):
    out = neutralise(s)
    assert restore(out) == s
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_neutralise_leaves_non_text_alone():
    assert neutralise(-5) == -5 and neutralise(None) is None and neutralise("") == ""


def test_build_table_uses_fields_in_order_and_flattens():
    @dataclass
    class Thing:
        name: str
        tags: list[str] = field(default_factory=list)
        info: dict[str, str] = field(default_factory=dict)
        n: int | None = None

    t = build_table("things", [Thing("a", ["x", "y"], {"k": "v"}, 2)])
    assert t.columns == ["name", "tags", "info", "n"]
    assert t.rows == [{"name": "a", "tags": "x; y", "info": '{"k": "v"}', "n": 2}]
    assert t.types == {"name": "str", "tags": "str", "info": "str", "n": "int"}


def test_value_breaking_its_annotation_keeps_data_as_text(tmp_path):
    @dataclass
    class Row:
        name: str
        row: int | None = None

    t = build_table("rows", [Row("a", 4), Row("b", "4-5"), Row("c")])  # type: ignore[arg-type]
    assert t.types == {"name": "str", "row": "str"}
    write_outputs(tmp_path, [t], ["parquet"])
    got = pd.read_parquet(tmp_path / "rows.parquet")["row"]
    assert got.tolist()[:2] == ["4", "4-5"] and pd.isna(got[2])


def test_extra_keys_get_inferred_kinds():
    @dataclass
    class Row:
        name: str

        def to_row(self):
            return {"name": self.name, "score": 1.5, "n": 2, "flag": True, "note": None}

    t = build_table("rows", [Row("a")])
    assert t.columns == ["name", "score", "n", "flag", "note"]
    assert t.types == {"name": "str", "score": "float", "n": "int", "flag": "bool", "note": "str"}


def test_empty_tables_keep_their_header(tmp_path):
    write_outputs(tmp_path, [build_table("actions", [])], ["csv", "parquet", "sqlite"])
    published = build_table("actions", []).columns
    assert published[:28] == list(ACTION_COLUMNS[:28]) and published[28:30] == ["start_date", "end_date"]
    assert (tmp_path / "actions.csv").read_text().splitlines() == [",".join(published)]
    assert list(pd.read_parquet(tmp_path / "actions.parquet").columns) == published
    with sqlite3.connect(tmp_path / "plantrail.sqlite") as conn:
        cols = [r[1] for r in conn.execute('PRAGMA table_info("actions")')]
    assert cols == published


def test_all_formats_read_back_identically(tmp_path):
    tables = _tables()
    written = write_outputs(tmp_path, tables, list(FORMATS))
    names = sorted(p.name for p in written)
    assert WORKBOOK_NAME in names and "plantrail.sqlite" in names and MANIFEST_NAME in names
    assert "documents.csv" in names and "mentions.parquet" in names and "actions.jsonl" in names
    expected = {t.name: to_dataframe(t) for t in tables}
    assert expected["actions"].loc[0, "action"] == "=cmd()"
    assert expected["actions"].loc[0, "warnings"] == "w1; w2"
    assert str(expected["documents"]["pages"].dtype) == "Int64"
    for fmt in FORMATS:
        got = read_output(tmp_path, fmt)
        assert list(got) == ["documents", "actions", "reports", "figures", "mentions"]
        for name, frame in expected.items():
            pd.testing.assert_frame_equal(got[name], frame, obj=f"{fmt}:{name}")


def test_sqlite_has_one_typed_table_per_kind(tmp_path):
    write_outputs(tmp_path, _tables(), ["sqlite"])
    with sqlite3.connect(tmp_path / "plantrail.sqlite") as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY rowid")]
        types = {r[1]: r[2] for r in conn.execute('PRAGMA table_info("documents")')}
        actions = conn.execute('SELECT ref, action FROM "actions" ORDER BY seq').fetchall()
    assert names == ["documents", "actions", "reports", "figures", "mentions"]
    assert (types["path"], types["size"], types["seconds"]) == ("TEXT", "INTEGER", "REAL")
    assert actions == [("1.1", "=cmd()"), ("1.2", "Café – “smart” quotes")]  # exact text, no quote mark


def test_jsonl_keeps_types_and_nulls(tmp_path):
    write_outputs(tmp_path, _tables(), ["jsonl"])
    lines = (tmp_path / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = (json.loads(x) for x in lines)
    assert (first["size"], first["pages"], first["seconds"]) == (10, None, 0.5)
    assert second["reason"] == 'bad "quote"\nsecond line\rthird' and second["pages"] == 3


def test_failed_run_changes_no_output_and_leaves_no_temp_files(tmp_path, monkeypatch):
    write_outputs(tmp_path, _tables(), ["csv", "xlsx"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    original = csv_writer.dump

    def failing_dump(path, table, **kw):
        if table.name == "actions":
            path.write_text("partial,")
            raise OSError(28, "No space left on device")
        original(path, table)

    monkeypatch.setattr(csv_writer, "dump", failing_dump)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(tmp_path, [build_table("documents", [])] + _tables()[1:], ["csv", "xlsx"])
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # same files, same bytes; no .tmp left behind


def test_atomic_path_replaces_only_on_success(tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_staged_files_commit_together(tmp_path):
    with StagedFiles(tmp_path) as staged:
        staged.stage("a.csv").write_text("a")
        staged.stage("b.csv").write_text("b")
        assert sorted(staged.names()) == ["a.csv", "b.csv"]
        assert not (tmp_path / "a.csv").exists()  # nothing visible before commit
    assert (tmp_path / "a.csv").read_text() == "a" and (tmp_path / "b.csv").read_text() == "b"


def test_parse_formats():
    assert parse_formats("csv, parquet,csv") == ["csv", "parquet"]
    with pytest.raises(ValueError, match="unknown output format 'json'"):
        parse_formats("csv,json")
    with pytest.raises(ValueError):
        parse_formats(" , ")


def test_read_output_prefers_typed_format_listed_in_manifest(tmp_path):
    write_outputs(tmp_path, _tables(), ["csv"])
    # a stale parquet from an older run must not be read: the manifest lists csv only
    pd.DataFrame({"path": ["stale"]}).to_parquet(tmp_path / "documents.parquet")
    assert read_output(tmp_path)["documents"]["path"].tolist() == ["a.txt", "b, with comma.pdf"]
    with pytest.raises(FileNotFoundError):
        read_output(tmp_path, "parquet")
