"""Outputs a data team can query as they are: exact text, NULL for missing, typed dates, a
published schema, and one truth per output folder (issue 12, points 1-3)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pandas as pd
import pytest
from badfiles import TEXT_PLAN
from openpyxl import load_workbook
from plantrail import __version__, cli
from plantrail.ingest.pipeline import run_batch
from plantrail.output.readers import read_output
from plantrail.output.schema import describe, first_day, last_day
from plantrail.output.tables import TABLE_ORDER, build_table

# "- on track", "+2 new starters" and "@Team" are ordinary plan text that a formula guard changes.
PLAN = ("Ref:\tAction:\tStart:\tEnd date\tLead officer:\tRAG status:\tComments:\n"
        "1.1\tDo a thing\tApr-17\tOct-17\t@Team\tGreen\t- on track\n"
        "1.2\tReview the second thing\tQ3 2017/18\t31/12/2017\t\tAmber\t+2 new starters\n"
        "1.3\t=HYPERLINK(\"http://x.example\",\"click\")\ttbc\tongoing\tAB\tRed\t\n")


@pytest.fixture()
def ingested(tmp_path):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out"
    batch = run_batch([tmp_path / "plan.txt"], out, ["csv", "jsonl", "parquet", "xlsx"], jobs=0)
    assert batch.documents[0].status == "ok" and batch.documents[0].actions == 3
    return out


def test_text_is_exact_in_typed_formats_and_xlsx(ingested):
    exact = ["- on track", "+2 new starters", None]
    pq = pd.read_parquet(ingested / "actions.parquet")
    assert pq["comments"].tolist()[:2] == exact[:2] and pd.isna(pq["comments"][2])
    assert pq["lead"].tolist()[0] == "@Team"
    jl = [json.loads(line) for line in (ingested / "actions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["comments"] for r in jl] == exact
    with sqlite3.connect(ingested / "plantrail.sqlite") as conn:
        assert [r[0] for r in conn.execute("select comments from actions order by seq")] == exact
    ws = load_workbook(ingested / "plantrail.xlsx")["actions"]
    header = [c.value for c in ws[1]]
    for col, want in (("comments", exact), ("lead", ["@Team", None, "AB"])):
        cells = [ws.cell(row=r, column=header.index(col) + 1) for r in range(2, 5)]
        assert [c.value for c in cells] == want
        assert all(c.data_type == "s" for c in cells if c.value is not None)  # text cells, not formulas
    action = ws.cell(row=4, column=header.index("action") + 1)
    assert action.value.startswith("=HYPERLINK(") and action.data_type == "s"


def test_csv_guard_by_default_and_csv_raw(tmp_path, capsys):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    guarded, raw = tmp_path / "guarded", tmp_path / "raw"
    assert cli.main(["ingest", str(tmp_path / "plan.txt"), "--out", str(guarded), "--quiet"]) == 0
    assert cli.main(["ingest", str(tmp_path / "plan.txt"), "--out", str(raw), "--csv-raw", "--quiet"]) == 0
    g = pd.read_csv(guarded / "actions.csv", dtype=str, keep_default_na=False)
    r = pd.read_csv(raw / "actions.csv", dtype=str, keep_default_na=False)
    assert g["comments"].tolist()[:2] == ["'- on track", "'+2 new starters"]
    assert r["comments"].tolist()[:2] == ["- on track", "+2 new starters"]
    assert json.loads((guarded / "manifest.json").read_text())["csv_formula_guard"] is True
    assert json.loads((raw / "manifest.json").read_text())["csv_formula_guard"] is False
    for folder in (guarded, raw):  # reading back gives the exact text either way
        assert read_output(folder, "csv")["actions"]["comments"].tolist()[:2] == ["- on track", "+2 new starters"]


def test_missing_is_null_everywhere(ingested):
    pq = pd.read_parquet(ingested / "actions.parquet")
    assert pq["lead"].isna().tolist() == [False, True, False]
    jl = [json.loads(line) for line in (ingested / "actions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert jl[1]["lead"] is None and jl[0]["aim"] is None
    with sqlite3.connect(ingested / "plantrail.sqlite") as conn:
        assert conn.execute("select count(*) from actions where lead is null").fetchone()[0] == 1
        assert conn.execute("select count(*) from actions where lead = ''").fetchone()[0] == 0
    for fmt in ("parquet", "jsonl", "sqlite", "csv", "xlsx"):
        df = read_output(ingested, fmt)["actions"]
        assert df["lead"].isna().sum() == 1, fmt


def test_duckdb_and_pandas_query_the_parquet_dataset(ingested):
    duckdb = pytest.importorskip("duckdb")
    glob = (ingested / "parquet" / "actions" / "*.parquet").as_posix()
    assert duckdb.sql(f"select count(*) from read_parquet('{glob}') where lead is null").fetchall() == [(1,)]
    assert duckdb.sql(f"select count(lead) from read_parquet('{glob}')").fetchall() == [(2,)]
    got = duckdb.sql(f"select ref, end_date, table_index from read_parquet('{glob}') order by ref").fetchall()
    assert got == [("1.1", dt.date(2017, 10, 31), 0), ("1.2", dt.date(2017, 12, 31), 0), ("1.3", None, 0)]
    df = pd.read_parquet(ingested / "parquet" / "actions")
    years = df["end_date"].dt.year
    assert years.isna().tolist() == [False, False, True] and years.dropna().tolist() == [2017, 2017]
    assert df["start_date"].tolist()[:2] == [dt.date(2017, 4, 1), dt.date(2017, 10, 1)]  # Q3 2017/18 starts Oct
    assert str(df["seq"].dtype) == "Int64" and str(df["page"].dtype) == "Int64"


def test_typed_dates_first_and_last_day():
    assert first_day("2017-04") == dt.date(2017, 4, 1) and last_day("2017-04") == dt.date(2017, 4, 30)
    assert last_day("2016-02") == dt.date(2016, 2, 29)  # leap year
    assert first_day("2017-10/2017-12") == dt.date(2017, 10, 1) and last_day("2017-10/2017-12") == dt.date(2017, 12, 31)
    assert first_day("2018") == dt.date(2018, 1, 1) and last_day("2018") == dt.date(2018, 12, 31)
    assert last_day("2017-03-31") == dt.date(2017, 3, 31)
    for literal in ("", "tbc", "ongoing", "??", "2017-13", "2017-02-30", None):
        assert first_day(literal) is None and last_day(literal) is None


def test_schema_command_describes_every_column(capsys):
    assert cli.main(["schema"]) == 0
    out = capsys.readouterr().out
    for name in TABLE_ORDER:
        assert f"\n{name}: " in "\n" + out
    assert "  end_date         date     " in out and "  table_index      integer  " in out
    for name in ("documents", "actions", "figures", "mentions"):
        for col in build_table(name, []).columns:
            assert describe(name, col), f"{name}.{col} has no meaning in output/columns.json"
    assert cli.main(["schema", "actions", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cols = {c["name"]: c for c in doc["actions"]["columns"]}
    assert cols["end_date"]["sql_type"] == "DATE" and cols["seq"]["type"] == "integer"
    assert "table" not in cols and "end" in cols  # reserved word renamed; end kept for existing users


def test_new_format_removes_other_formats_tables_and_manifest_says_what_was_written(tmp_path, capsys):
    (tmp_path / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    out = tmp_path / "out"
    (out).mkdir()
    (out / "notes.txt").write_text("mine")  # not ours: never touched
    assert cli.main(["ingest", str(tmp_path / "plan.txt"), "--out", str(out), "--format", "csv,xlsx,parquet",
                     "--quiet"]) == 0
    assert (out / "actions.csv").exists() and (out / "plantrail.xlsx").exists() and (out / "parquet").is_dir()
    assert cli.main(["ingest", str(tmp_path / "plan.txt"), "--out", str(out), "--format", "jsonl", "--quiet"]) == 0
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == sorted([f"{t}.jsonl" for t in TABLE_ORDER] + ["manifest.json", "notes.txt",
                                                                     "plantrail.sqlite", "texts"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["plantrail_version"] == __version__ and manifest["formats"] == ["jsonl", "sqlite"]
    assert manifest["run_id"] == 2 and manifest["files"] == sorted(
        [f"{t}.jsonl" for t in TABLE_ORDER] + ["plantrail.sqlite"])
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        assert conn.execute("select max(run_id) from runs").fetchone()[0] == 2


def test_folder_of_an_older_version_loses_its_stale_tables(tmp_path, capsys):
    (tmp_path / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for t in TABLE_ORDER:
        (out / f"{t}.csv").write_text("stale\n")
    (out / "plantrail-run.json").write_text('{"formats": ["csv"], "files": ["actions.csv"], "tables": {}}')
    assert cli.main(["ingest", str(tmp_path / "plan.txt"), "--out", str(out), "--format", "parquet",
                     "--quiet"]) == 0
    assert not list(out.glob("*.csv")) and not (out / "plantrail-run.json").exists()
    assert read_output(out)["actions"]["ref"].tolist() == ["1.1", "1.2"]
