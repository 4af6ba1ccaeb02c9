"""The auditor's comparison as a workbook: Summary, Flags, Links, Changes, Added, Dropped.

Text cells are formula-neutralised (:func:`.safety.neutralise`), since plan text is copied
verbatim from public documents.  The file is byte-identical for the same inputs: fixed
document dates and fixed zip entry times (openpyxl would stamp the clock into both).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..normalise.reconcile.history import (
    FIELD_LABEL,
    FLAG_LABEL,
    FLAGS,
    Reconciliation,
    changes_table,
    dropped_flags,
    field_changes,
    link_flags,
    summary,
)
from .safety import neutralise

FIXED_TIME = dt.datetime(2000, 1, 1)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")


def _cell(v):
    if isinstance(v, str):
        return neutralise(_ILLEGAL.sub("", v))
    return v


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], widths: list[int],
           flag_col: int | None = None) -> None:
    """A write-only sheet (streams rows: 10,000-action plans stay fast): bold header, frozen,
    flagged rows shaded."""
    ws = wb.create_sheet(title)
    for i, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    ws.freeze_panes = "A2"
    head = []
    for h in header:
        c = WriteOnlyCell(ws, value=_cell(h))
        c.font, c.fill = HEAD_FONT, HEAD_FILL
        head.append(c)
    ws.append(head)
    for r in rows:
        values = [_cell(v) for v in r]
        if flag_col is not None and r[flag_col]:
            cells = []
            for v in values:
                c = WriteOnlyCell(ws, value=v)
                c.fill = FLAG_FILL
                cells.append(c)
            ws.append(cells)
        else:
            ws.append(values)


def build(rec: Reconciliation) -> Workbook:
    wb = Workbook(write_only=True)
    wb.properties.creator = "plantrail"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    srows = summary(rec)
    keys = ["from", "to", "old_actions", "new_actions", "links", "same", "reworded", "renumbered", "moved",
            "split", "merged", "added", "dropped", *FLAGS]
    _sheet(wb, "Summary", [FLAG_LABEL.get(k, k) for k in keys], [[r[k] for k in keys] for r in srows],
           [12] * len(keys))
    flags, links, added, dropped = [], [], [], []
    for k, pr in enumerate(rec.pairs):
        old, new = rec.versions[k].actions, rec.versions[k + 1].actions
        fv, tv = rec.versions[k].label, rec.versions[k + 1].label
        for lk in pr.links:
            a, b = old[lk.old], new[lk.new]
            fl = link_flags(a, b, lk)
            changes = "; ".join(f"{FIELD_LABEL.get(c.field, c.field)}: {c.old} -> {c.new}"
                                for c in field_changes(a, b) if c.field != "action")
            links.append([fv, tv, a.ref, a.action, b.ref, b.action, lk.relation, lk.score, lk.weight, changes,
                          "; ".join(FLAG_LABEL[f] for f in fl), lk.reasons, rec.ids[k][lk.old],
                          rec.ids[k + 1][lk.new], rec.lineage[k + 1][lk.new]])
            for f in fl:
                flags.append([FLAG_LABEL[f], fv, tv, a.ref, b.ref, b.action or a.action, rec.ids[k][lk.old],
                              rec.ids[k + 1][lk.new]])
        for i in pr.dropped:
            a = old[i]
            fl = dropped_flags(a)
            dropped.append([fv, tv, a.ref, a.action, a.rag, "; ".join(FLAG_LABEL[f] for f in fl),
                            rec.ids[k][i], rec.lineage[k][i]])
            for f in fl:
                flags.append([FLAG_LABEL[f], fv, tv, a.ref, "", a.action, rec.ids[k][i], ""])
        for j in pr.added:
            b = new[j]
            added.append([fv, tv, b.ref, b.action, b.section, b.rag, rec.ids[k + 1][j], rec.lineage[k + 1][j]])
    _sheet(wb, "Flags", ["Flag", "From", "To", "Old ref", "New ref", "Action", "Old action_id", "New action_id"],
           flags, [28, 10, 10, 8, 8, 60, 20, 20])
    _sheet(wb, "Links", ["From", "To", "Old ref", "Old action", "New ref", "New action", "Relation", "Score",
                         "Weight", "Field changes", "Flags", "Reasons", "Old action_id", "New action_id",
                         "Lineage"], links, [10, 10, 8, 50, 8, 50, 11, 7, 7, 40, 25, 80, 20, 20, 22], flag_col=10)
    cols, crow = changes_table(rec)
    _sheet(wb, "Changes", cols, [[r[c] for c in cols] for r in crow], [10, 10, 9, 11, 20, 20, 22, 8, 8, 10, 40, 40,
                                                                       25])
    _sheet(wb, "Added", ["From", "To", "Ref", "Action", "Section", "Status", "action_id", "Lineage"], added,
           [10, 10, 8, 60, 30, 10, 20, 22])
    _sheet(wb, "Dropped", ["From", "To", "Ref", "Action", "Status", "Flags", "action_id", "Lineage"], dropped,
           [10, 10, 8, 60, 10, 25, 20, 22], flag_col=5)
    return wb


def to_bytes(rec: Reconciliation) -> bytes:
    buf = io.BytesIO()
    build(rec).save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Same entries, same order, but every timestamp fixed, so the bytes depend only on content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def write(rec: Reconciliation, path: str | os.PathLike[str]) -> None:
    Path(path).write_bytes(to_bytes(rec))
