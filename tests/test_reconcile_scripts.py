"""Reconcile for scripts and auditors (issue 12, points 5 and 6): the Python API, --json,
warnings with numbers and exit 1 for empty or unrelated versions, and the workbook and HTML
an auditor works through."""

from __future__ import annotations

import io
import json
import warnings

import openpyxl
import pandas as pd
import pytest
from plantrail import api
from plantrail.cli import main
from plantrail.normalise.reconcile.explain import days_slipped
from plantrail.normalise.reconcile.history import Version, reconcile_versions
from plantrail.normalise.records import ActionRecord, DocumentRecord
from plantrail.output import write_outputs
from plantrail.output.audit_html import render
from plantrail.output.audit_xlsx import to_bytes
from plantrail.output.tables import build_table
from test_audit_report import TEXTS, act, flagged_pair, version

OTHER = ["Recruit two foster carers for sibling groups through the new campaign.",
         "Publish the annual fostering report to the corporate parenting panel.",
         "Run a survey of care leavers about accommodation and support.",
         "Introduce a dashboard of placement stability for managers."]


def _folder(path, name, actions):
    recs = version(name, actions)
    docs = [DocumentRecord(path=f"{name}.docx", format="docx", status="ok", actions=len(recs))]
    write_outputs(path, [build_table("documents", docs, DocumentRecord),
                         build_table("actions", recs, ActionRecord)], ["parquet"])
    return path


def test_api_reconcile_returns_dataframes(tmp_path):
    aug = _folder(tmp_path / "aug", "aug", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]), act("1.3", TEXTS[2])])
    nov = _folder(tmp_path / "nov", "nov", [act("1.1", TEXTS[0]), act("1.2", TEXTS[2], rag="amber")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # related versions: no warning
        got = api.reconcile([aug, nov])
    assert set(got) == {"actions", "links", "changes", "history", "summary"}
    assert all(isinstance(df, pd.DataFrame) for df in got.values())
    links = got["links"]
    assert links["from_action_id"].tolist() == ["aug-001", "aug-003"]
    assert links["relation"].tolist() == ["same", "renumbered"]
    assert str(links["score"].dtype) == "Float64"
    assert got["summary"][["links", "dropped"]].values.tolist() == [[2, 1]]


def test_unrelated_versions_warn_with_numbers_and_exit_1(tmp_path, capsys):
    a = _folder(tmp_path / "a", "a", [act(f"1.{i}", t) for i, t in enumerate(TEXTS, 1)])
    b = _folder(tmp_path / "b", "b", [act(f"2.{i}", t, section="Fostering", aim="x", measure="y", lead="ZZ",
                                          end="2019-03") for i, t in enumerate(OTHER, 1)])
    code = main(["reconcile", str(a), str(b), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "warning: a -> b: only 0 of 4 actions (0%) of the older version link to the newer one" in err
    assert (tmp_path / "out" / "report.html").exists()  # still written, to look at
    with pytest.warns(api.ReconcileWarning, match="only 0 of 4 actions"):
        api.reconcile([a, b])


def test_empty_version_warns_and_exits_1(tmp_path, capsys):
    a = _folder(tmp_path / "a", "a", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1])])
    empty = _folder(tmp_path / "empty", "empty", [])
    code = main(["reconcile", str(a), str(empty), "--out", str(tmp_path / "out"), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["exit_code"] == 1
    assert any("has no actions" in w for w in doc["warnings"])
    assert [v["actions"] for v in doc["versions"]] == [2, 0]


def test_reconcile_json(tmp_path, capsys):
    aug = _folder(tmp_path / "aug", "aug", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]), act("1.3", TEXTS[2])])
    nov = _folder(tmp_path / "nov", "nov", [act("1.1", TEXTS[0]), act("1.2", TEXTS[2], end="2018-03")])
    assert main(["reconcile", str(aug), str(nov), "--out", str(tmp_path / "out"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["warnings"] == [] and doc["exit_code"] == 0
    pair = doc["pairs"][0]
    assert (pair["from"], pair["to"], pair["links"], pair["dropped"], pair["end_slipped"]) == ("aug", "nov", 2, 1, 1)
    assert doc["written"] == sorted(["actions.csv", "links.csv", "changes.csv", "history.csv", "report.html",
                                     "report.xlsx"])


def test_workbook_has_filters_frozen_headers_wrapping_and_flag_detail():
    wb = openpyxl.load_workbook(io.BytesIO(to_bytes(flagged_pair())))
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.column_dimensions["A"].width > 0
    flags = wb["Flags"]
    header = [c.value for c in flags[1]]
    assert {"Detail", "Section", "Old page", "New page"} <= set(header)
    details = [r[header.index("Detail")] for r in flags.iter_rows(min_row=2, values_only=True)]
    assert "end 2017-10 -> 2018-03 (151 days later)" in details
    assert "status completed -> red" in details and "lead JF -> KW" in details
    action_col = header.index("Action") + 1
    assert flags.cell(row=2, column=action_col).alignment.wrap_text
    dropped = wb["Dropped"]
    assert [c.value for c in dropped[1]][:5] == ["From", "To", "Ref", "Section", "Page"]
    assert dropped.cell(row=2, column=4).value == "Priority 1"


def test_days_slipped_uses_the_last_day_of_each_period():
    assert days_slipped("2017-10", "2018-03") == 151
    assert days_slipped("2017-10", "2017-10-15") == -16
    assert days_slipped("tbc", "2018-03") is None


def test_html_report_can_be_worked_through():
    old = version("aug", [act("1.1", TEXTS[0], page=2), act("1.2", TEXTS[1], end="2017-10", page=3),
                          act("1.3", TEXTS[2], rag="amber", page=4, section="Priority 2")])
    new = version("nov", [act("1.1", TEXTS[0], page=1), act("1.2", TEXTS[1], end="2018-03", page=2)])
    html = render(reconcile_versions([Version("2017-08", "aug.docx", old), Version("2017-11", "nov.docx", new)]))
    nav = html[html.index('<nav class="toc"'):html.index("</nav>")]
    assert "end date slipped</a>1" in nav and "dropped while not completed</a>1" in nav
    assert '<tr id="f0" data-f="end_slipped"' in html and '<a href="#c0-1-1">1.2 \u2192 1.2</a>' in html
    assert 'id="c0-1-1"' in html and '<a class="flag end_slipped" href="#f0">' in html  # card links back
    assert '<tr id="d0-2" data-f="dropped_not_completed" data-s="Priority 2"' in html
    assert "<td>Priority 2</td><td>p. 4</td>" in html  # section and page in the dropped table
    assert "<details><summary>Evidence (" in html  # evidence folded away
    assert '<form id="filters" hidden>' in html  # without script the page shows everything
    assert "@media print" in html


def test_low_confidence_reason_in_words():
    from plantrail.normalise.reconcile.explain import low_confidence_reason
    from plantrail.normalise.reconcile.match import Link

    lk = Link(0, 0, "reworded", 5.0, 0.89, [], "", 0.5, low_confidence=True, runner_up=4.1)
    why = low_confidence_reason(lk)
    assert "another candidate is almost as good (weight +4.1 against +5.0" in why
    assert "weak evidence: total weight +5.0" in why
