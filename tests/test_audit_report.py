"""The auditor's comparison: flags, redline, escaping, workbook safety, and the command."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
from plantrail.cli import main
from plantrail.normalise.reconcile.history import Version, reconcile_versions
from plantrail.normalise.records import ActionRecord, DocumentRecord
from plantrail.output import write_outputs
from plantrail.output.audit_html import redline, render
from plantrail.output.audit_xlsx import to_bytes
from plantrail.output.tables import build_table

TEXTS = [
    "Housing to alert Early Help of families at risk of eviction when difficulty is identified.",
    "Partners to complete CAFs without prompt from social care and further training offered.",
    "Develop post-case closure progress tracking tool to evidence impact of early help support.",
    "Extend annual QA consultation to include children and young people receiving early help.",
]


def act(ref, action, **kw) -> ActionRecord:
    base = dict(section="Priority 1", aim=f"Aim {ref}", measure=f"Measure {ref}", start="2017-04", end="2017-10",
                lead="RG", rag="green")
    base.update(kw)
    return ActionRecord(action_id="", source_file="", sha256="", ref=ref, action=action, **base)


def version(name, actions):
    return [replace(a, action_id=f"{name}-{i + 1:03d}", source_file=f"{name}.docx", seq=i + 1)
            for i, a in enumerate(actions)]


def flagged_pair():
    old = version("aug", [act("1.1", TEXTS[0], rag="completed"), act("1.2", TEXTS[1], end="2017-10"),
                          act("1.3", TEXTS[2], rag="amber"), act("1.4", TEXTS[3], lead="JF")])
    new = version("nov", [act("1.1", TEXTS[0], rag="red"), act("1.2", TEXTS[1], end="2018-03"),
                          act("1.3", TEXTS[3], lead="KW")])
    return reconcile_versions([Version("2017-08", "aug.docx", old), Version("2017-11", "nov.docx", new)])


def test_html_flags_status_backwards_slipped_end_dropped_and_lead():
    html = render(flagged_pair())
    assert html.startswith("<!DOCTYPE html>") and html.count("<script") == 1 and "http" not in html
    assert "src=" not in html  # one file: nothing loaded from anywhere
    assert 'class="flag status_backwards"' in html and ">status went backwards<" in html
    assert "status completed -&gt; red" in html
    assert 'class="flag end_slipped"' in html and "end 2017-10 -&gt; 2018-03 (151 days later)" in html
    assert 'class="flag dropped_not_completed"' in html  # 1.3 was amber when dropped
    assert 'class="flag lead_changed"' in html and "lead JF -&gt; KW" in html


def test_html_escapes_plan_text():
    evil = "<script>alert('x')</script> & <b>bold</b>"
    old = version("a", [act("1.1", TEXTS[0]), act("1.2", "Review provision " + evil)])
    new = version("b", [act("1.1", TEXTS[0]), act("1.2", "Review the provision " + evil, comments="<img src=x>")])
    html = render(reconcile_versions([Version("v<1>", "a.docx", old), Version("v2", "b.docx", new)]))
    assert "<script>alert" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "v&lt;1&gt;" in html


def test_redline_marks_word_changes():
    assert redline("carry outa six monthly review", "carry out a six monthly review") == \
        "carry <del>outa</del> <ins>out a</ins> six monthly review"
    assert redline("a < b", "a > b") == "a <del>&lt;</del> <ins>&gt;</ins> b"


def test_xlsx_sheets_keep_text_exactly_as_text_cells():
    old = version("a", [act("1.1", "=HYPERLINK(\"http://x\",\"click\")"), act("1.2", TEXTS[1])])
    new = version("b", [act("1.1", "=HYPERLINK(\"http://x\",\"click\")", rag="red"), act("1.2", TEXTS[1])])
    rec = reconcile_versions([Version("v1", "a.docx", old), Version("v2", "b.docx", new)])
    data = to_bytes(rec)
    assert data == to_bytes(rec)  # no clock in the file
    import io
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Flags", "Links", "Changes", "Added", "Dropped"]
    links = wb["Links"]
    assert links["D2"].value == "=HYPERLINK(\"http://x\",\"click\")" and links["D2"].data_type == "s"
    assert links["D2"].data_type == "s"
    assert wb["Flags"]["A2"].value == "status went backwards"
    assert wb["Summary"]["A2"].value == "v1" and wb["Summary"]["E2"].value == 2


def _ingest_folder(path, name, actions):
    recs = version(name, actions)
    docs = [DocumentRecord(path=f"{name}.docx", format="docx", status="ok", actions=len(recs))]
    write_outputs(path, [build_table("documents", docs, DocumentRecord), build_table("actions", recs, ActionRecord)],
                  ["csv"])


def test_cli_reconciles_ingest_folders(tmp_path, capsys):
    _ingest_folder(tmp_path / "aug", "aug", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]), act("1.3", TEXTS[2])])
    _ingest_folder(tmp_path / "nov", "nov", [act("1.1", TEXTS[0]), act("1.2", TEXTS[2], rag="amber")])
    out = tmp_path / "out"
    code = main(["reconcile", str(tmp_path / "aug"), str(tmp_path / "nov"), "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "aug -> nov: 2 links" in text and "dropped 1" in text
    rows = (out / "links.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and rows[2].startswith("aug-003,nov-002,renumbered,")
    assert (out / "report.html").exists() and (out / "report.xlsx").exists()


def test_cli_usage_errors(tmp_path, capsys):
    assert main(["reconcile", str(tmp_path / "missing"), str(tmp_path / "x"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["reconcile", str(tmp_path), "--out", str(tmp_path / "o")]) == 2


def test_cli_by_date_orders_versions_by_review_date(tmp_path, capsys):
    from plantrail.normalise.reports.records import ReportRecord

    for name, date, acts in (("nov", "2017-11", [act("1.1", TEXTS[0]), act("1.2", TEXTS[2])]),
                             ("aug", "2017-08", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]), act("1.3", TEXTS[2])])):
        recs = version(name, acts)
        docs = [DocumentRecord(path=f"{name}.docx", format="docx", status="ok", actions=len(recs))]
        reports = [ReportRecord(source_file=f"{name}.docx", sha256="", doc_kind="action_plan", review_date=date)]
        write_outputs(tmp_path / name, [build_table("documents", docs, DocumentRecord),
                                        build_table("actions", recs, ActionRecord),
                                        build_table("reports", reports, ReportRecord)], ["csv"])
    out = tmp_path / "out"
    assert main(["reconcile", str(tmp_path / "nov"), str(tmp_path / "aug"), "--by-date", "--out", str(out)]) == 0
    assert "plantrail reconcile: 2017-08 (3 actions) -> 2017-11 (2 actions)" in capsys.readouterr().out
    assert "\n2017-08,2017-11,dropped," in (out / "changes.csv").read_text(encoding="utf-8")
