"""Write a reconciliation: actions, links, changes, history (CSV) and the audit report.

All files of one run appear together or not at all (:class:`.atomic.StagedFiles`), and their
bytes depend only on the inputs (no clocks, no random ids, fixed row order), so a re-run over
the same plans gives identical files and a diff shows real changes only.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..normalise.reconcile.history import (
    Reconciliation,
    actions_table,
    changes_table,
    history_table,
    links_table,
)
from . import audit_html, audit_xlsx
from .atomic import StagedFiles
from .csv_writer import dump
from .tables import TableData

OUTPUT_FILES = ("actions.csv", "links.csv", "changes.csv", "history.csv", "report.html", "report.xlsx")


def write_reconciliation(rec: Reconciliation, out_dir: str | os.PathLike[str], *,
                         report: bool = True) -> list[Path]:
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"actions": actions_table(rec), "links": links_table(rec), "changes": changes_table(rec),
              "history": history_table(rec)}
    with StagedFiles(folder) as staged:
        for name, (cols, rows) in tables.items():
            dump(staged.stage(f"{name}.csv"), TableData(name, cols, rows))
        if report:
            staged.stage("report.html").write_text(audit_html.render(rec), encoding="utf-8")
            staged.stage("report.xlsx").write_bytes(audit_xlsx.to_bytes(rec))
    return staged.committed
