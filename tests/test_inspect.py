"""``plantrail inspect``: the parser's view of sample files, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from plantrail import cli
from plantrail.parsers.model import Document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def inspect(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["inspect", *args])
    return code, capsys.readouterr().out


def test_inspect_xlsx_shows_blocks_grid_provenance_and_values(capsys):
    code, out = inspect(capsys, str(SAMPLES / "sample-tracker.xlsx"))
    assert code == 0
    assert "sheet 'Lookups': 4 x 1  (hidden, not read)" in out
    assert "[0] heading 1 bold  @ sheet 'Tracker' cell A1" in out
    assert "table 0: 12 rows x 10 cols" in out
    # a section banner merged across the table: shown once, then "<" for covered positions
    banner = next(line for line in out.splitlines() if "Priority 1: Safeguarding" in line and "| <" in line)
    assert banner.strip().startswith("r1 ")
    assert "cell r0c0: bold, fill #D9D9D9, @ sheet 'Tracker' cell A3" in out
    assert "value 2017-04-01T00:00:00, format 'mmm-yy', @ sheet 'Tracker' cell D5" in out


def test_inspect_docx_and_text(capsys):
    code, out = inspect(capsys, str(SAMPLES / "sample-plan.docx"))
    assert code == 0 and "[2] heading 2 bold" in out and "span 2x1" in out
    code, out = inspect(capsys, str(SAMPLES / "001_6c3b3558f498e180.txt"))
    assert code == 0 and "format=text" in out and "@ line 1" in out


def test_inspect_json_is_the_document(capsys):
    code, out = inspect(capsys, str(SAMPLES / "sample-plan.docx"), "--json")
    assert code == 0
    doc = Document.from_json(out)
    assert len(doc.tables()) == 3 and json.loads(out)["format"] == "docx"


def test_inspect_prints_column_explanations_when_offered(capsys, monkeypatch):
    from plantrail.normalise import actions

    monkeypatch.setattr(actions, "explain_columns", lambda t: [f"{t.n_cols} columns seen"], raising=False)
    code, out = inspect(capsys, str(SAMPLES / "sample-tracker.xlsx"))
    assert code == 0 and "    columns: 10 columns seen" in out


def test_inspect_unreadable_file(tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"")
    assert cli.main(["inspect", str(bad)]) == 1
    assert "empty file" in capsys.readouterr().err
    assert cli.main(["inspect", str(tmp_path / "missing.docx")]) == 2


@pytest.mark.parametrize("name", ["sample-plan.docx", "004_ea5cf699ba5c1d76.txt"])
def test_inspect_lists_every_block(capsys, name):
    code, out = inspect(capsys, str(SAMPLES / name))
    _, js = inspect(capsys, str(SAMPLES / name), "--json")
    n = len(json.loads(js)["blocks"])
    assert code == 0 and f"{n} blocks" in out and f"[{n - 1}] " in out
