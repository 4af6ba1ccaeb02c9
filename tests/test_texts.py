"""Full text: Markdown of every document (texts/<sha256>.md), the FTS5 index in the store, and
``plantrail search``."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

from plantrail import cli
from plantrail.output.markdown import render_markdown, render_table
from plantrail.parsers.model import Block, Cell, Document, Provenance, Table

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _table_lines_well_formed(md: str) -> None:
    """Every line of every Markdown table has the same number of unescaped pipes."""
    for block in md.split("\n\n"):
        lines = block.splitlines()
        if not lines or not lines[0].startswith("| "):
            continue
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(counts) == 1, block
        assert re.fullmatch(r"\|( --- \|)+", lines[1]), block


def test_markdown_of_blocks_in_reading_order():
    doc = Document("p.pdf", "0" * 64, "pdf", pages=2, blocks=[
        Block("heading", "Budget  Monitoring Report", level=1, prov=Provenance(page=1)),
        Block("key_value", key="Report of", value="Director of Finance", prov=Provenance(page=1)),
        Block("paragraph", "# not a heading\nThe forecast is an overspend.", prov=Provenance(page=1)),
        Block("list_item", "\u2022 first point", level=1, prov=Provenance(page=2)),
        Block("list_item", "2. second point", level=1, prov=Provenance(page=2)),
    ])
    md = render_markdown(doc)
    assert md == ("<!-- page 1 -->\n\n# Budget Monitoring Report\n\n**Report of** Director of Finance\n\n"
                  "\\# not a heading\nThe forecast is an overspend.\n\n<!-- page 2 -->\n\n- first point\n\n"
                  "2. second point\n")


def test_table_merged_cells_pipes_and_line_breaks():
    cells = [Cell(0, 0, "Ref"), Cell(0, 1, "Action"), Cell(0, 2, "Lead"),
             Cell(1, 0, "Section A: safeguarding", col_span=3),
             Cell(2, 0, "1.1"), Cell(2, 1, "Audit a|b files\nquarterly"), Cell(2, 2, "Jo Bloggs", row_span=2),
             Cell(3, 0, "1.2"), Cell(3, 1, "Train staff"),
             Cell(4, 0, ""), Cell(4, 1, ""), Cell(4, 2, "")]
    md = render_table(Table(cells, n_rows=5, n_cols=3))
    assert md.splitlines() == [
        "| Ref | Action | Lead |",
        "| --- | --- | --- |",
        "| Section A: safeguarding |  |  |",
        "| 1.1 | Audit a\\|b files<br>quarterly | Jo Bloggs |",
        "| 1.2 | Train staff | Jo Bloggs |",  # merged down: repeated in the row it spans
    ]
    _table_lines_well_formed(md)


def test_table_over_a_page_break_is_one_table_with_its_pages_noted():
    cells = [Cell(0, 0, "A", prov=Provenance(page=3)), Cell(0, 1, "B", prov=Provenance(page=3)),
             Cell(1, 0, "row cut by the break", prov=Provenance(page=3)), Cell(1, 1, "x", prov=Provenance(page=4))]
    doc = Document("p.pdf", "0" * 64, "pdf", blocks=[
        Block("heading", "Priority 1", level=2, prov=Provenance(page=3)),
        Block("table", table=Table(cells, 2, 2, prov=Provenance(page=3)), prov=Provenance(page=3)),
        Block("paragraph", "After the table.", prov=Provenance(page=4)),
        Block("paragraph", "Next page.", prov=Provenance(page=5)),
    ])
    md = render_markdown(doc)
    assert md == ("<!-- page 3 -->\n\n## Priority 1\n\n<!-- pages 3-4 -->\n\n| A | B |\n| --- | --- |\n"
                  "| row cut by the break | x |\n\nAfter the table.\n\n<!-- page 5 -->\n\nNext page.\n")


def _src(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "sample-plan.docx", src)
    shutil.copy(SAMPLES / "sample-tracker.xlsx", src)
    shutil.copy(next(SAMPLES.glob("000_*.txt")), src / "report.txt")
    (src / "budget.txt").write_text(
        "Budget Monitoring\n\nThe forecast shows pressure in transport.\n\n"
        "Service\tForecast\tVariance\nHighways\tZanzibar depot\t(290.5)\n", encoding="utf-8")
    return src


def _ingest(src: Path, out: Path, *extra: str) -> None:
    assert cli.main(["ingest", str(src), "--out", str(out), "--jobs", "0", "--quiet", *extra]) == 0


def _search(capsys, out: Path, query: str) -> list[dict]:
    capsys.readouterr()
    code = cli.main(["search", str(out), query, "--json"])
    hits = json.loads(capsys.readouterr().out)
    assert code == (0 if hits else 1)
    return hits


def _fts_rows(out: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(out / "plantrail.sqlite") as conn:
        return sorted(conn.execute("SELECT path, sha256 FROM texts").fetchall())


def test_ingest_writes_texts_and_search_finds_words_and_table_cells(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    _ingest(src, out)
    rows = _fts_rows(out)
    assert [Path(p).name for p, _ in rows] == ["budget.txt", "report.txt", "sample-plan.docx", "sample-tracker.xlsx"]
    for _, sha in rows:
        md = (out / "texts" / f"{sha}.md").read_text(encoding="utf-8")
        _table_lines_well_formed(md)
    texts = {Path(p).name: (out / "texts" / f"{sha}.md").read_text(encoding="utf-8") for p, sha in rows}
    assert "| Highways | Zanzibar depot | (290.5) |" in texts["budget.txt"]
    assert "| 1.13 | Set-up Virtual MASH. |" in texts["sample-plan.docx"]
    assert '<!-- sheet "Tracker" -->' in texts["sample-tracker.xlsx"]
    assert "| 1.13 | Set-up Virtual MASH. |" in texts["sample-tracker.xlsx"]

    hits = _search(capsys, out, "multi agency safeguarding hub")  # words of a paper's prose
    assert [Path(h["path"]).name for h in hits] == ["report.txt"]
    assert hits[0]["title"] == "Service Improvement Plan and Ofsted Improvement"
    assert hits[0]["committee"] == "Safeguarding Sub Committee" and hits[0]["meeting_date"] == "2017-09-27"
    assert "[Multi] [Agency] [Safeguarding] [Hub]" in hits[0]["snippet"]

    assert [Path(h["path"]).name for h in _search(capsys, out, "forecasting pressures")] == ["budget.txt"]  # stems
    hits = _search(capsys, out, "zanzibar")  # a table cell's text
    assert [Path(h["path"]).name for h in hits] == ["budget.txt"] and "[Zanzibar]" in hits[0]["snippet"]
    assert {Path(h["path"]).name for h in _search(capsys, out, '"virtual MASH"')} >= {
        "sample-plan.docx", "sample-tracker.xlsx", "report.txt"}
    assert _search(capsys, out, "£290.5m (unbalanced \"quote") == []  # not FTS syntax: searched as words
    from plantrail.api import search

    frame = search(out, "zanzibar")
    assert list(frame["path"].map(lambda p: Path(p).name)) == ["budget.txt"] and "title" in frame.columns


def test_rerun_keeps_one_index_row_per_document_and_a_changed_file_replaces_its_row(tmp_path, capsys):
    src, out = _src(tmp_path), tmp_path / "out"
    _ingest(src, out)
    first = _fts_rows(out)
    _ingest(src, out)
    _ingest(src, out, "--force")
    assert _fts_rows(out) == first
    old_sha = dict((Path(p).name, s) for p, s in first)["budget.txt"]
    (src / "budget.txt").write_text("Budget Monitoring\n\nThe forecast shows pressure in libraries.\n",
                                    encoding="utf-8")
    _ingest(src, out)
    rows = _fts_rows(out)
    assert len(rows) == len(first)
    assert [Path(h["path"]).name for h in _search(capsys, out, "libraries")] == ["budget.txt"]
    assert _search(capsys, out, "zanzibar") == []
    assert [Path(h["path"]).name for h in _search(capsys, out, "multi agency safeguarding hub")] == ["report.txt"]
    assert not (out / "texts" / f"{old_sha}.md").exists()
    assert sorted(p.stem for p in (out / "texts").glob("*.md")) == sorted({s for _, s in rows})


def test_a_deleted_text_file_is_written_again(tmp_path):
    src, out = _src(tmp_path), tmp_path / "out"
    _ingest(src, out)
    victim = next((out / "texts").glob("*.md"))
    body = victim.read_text(encoding="utf-8")
    victim.unlink()
    _ingest(src, out)
    assert victim.read_text(encoding="utf-8") == body


def test_search_without_a_store_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["search", str(tmp_path), "anything"]) == 2
    assert "no plantrail store" in capsys.readouterr().err


def test_a_rendering_failure_costs_the_text_not_the_records(tmp_path, monkeypatch):
    from plantrail.ingest import pipeline

    def broken(doc):
        raise ValueError("boom")

    monkeypatch.setattr(pipeline, "render_markdown", broken)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(next(SAMPLES.glob("000_*.txt")), src / "report.txt")
    result = pipeline.process_file(src / "report.txt")
    assert result.document.status == "ok" and result.document.reports == 1
    assert result.text is None and result.document.warnings >= 1
