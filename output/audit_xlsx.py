"""The auditor's comparison as a workbook: Summary, Flags, Links, Changes, Added, Dropped.

Every sheet has a frozen header row, an autofilter over its columns, set widths and wrapped
text, so it can be sorted and filtered as it opens.  The Flags sheet says what each flag is
about in a Detail column (old -> new values, days an end date slipped, why a match is
doubtful), and every action sheet gives the section and the source page.  Text is kept exactly
and written as text cells (never formulas, no apostrophe added), since plan text is copied
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
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..normalise.reconcile.explain import flag_detail
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
from .audit_html import where

FIXED_TIME = dt.datetime(2000, 1, 1)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")
WRAP = Alignment(wrap_text=True, vertical="top")
WIDE = 30  # columns at least this wide hold running text: wrapped


def _cell(ws, v, wrap: bool, fill: PatternFill | None = None):
    if isinstance(v, str):
        c = WriteOnlyCell(ws, value=_ILLEGAL.sub("", v))
        c.data_type = "s"  # text, never a formula, whatever it starts with
    else:
        c = WriteOnlyCell(ws, value=v)
    if wrap:
        c.alignment = WRAP
    if fill is not None:
        c.fill = fill
    return c


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], widths: list[int],
           flag_col: int | None = None) -> None:
    """A write-only sheet (streams rows: 10,000-action plans stay fast): bold frozen header,
    autofilter, set widths, running text wrapped, flagged rows shaded."""
    ws = wb.create_sheet(title)
    widths = (widths + [12] * len(header))[: len(header)]
    for i, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{len(rows) + 1}"
    head = []
    for h in header:
        c = _cell(ws, h, True)
        c.font, c.fill = HEAD_FONT, HEAD_FILL
        head.append(c)
    ws.append(head)
    wrap = [w >= WIDE for w in widths]
    for r in rows:
        fill = FLAG_FILL if flag_col is not None and r[flag_col] else None
        ws.append([_cell(ws, v, wrap[i], fill) for i, v in enumerate(r)])


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
    flags, links, added, dropped = _rows(rec)
    _sheet(wb, "Flags", ["Flag", "From", "To", "Old ref", "New ref", "Section", "Old page", "New page", "Action",
                         "Detail", "Old action_id", "New action_id"],
           flags, [24, 10, 10, 8, 8, 30, 9, 9, 60, 45, 20, 20])
    _sheet(wb, "Links", ["From", "To", "Old ref", "Old action", "New ref", "New action", "Relation", "Score",
                         "Weight", "Field changes", "Flags", "Reasons", "Old action_id", "New action_id",
                         "Lineage", "Section", "Old page", "New page"], links,
           [10, 10, 8, 50, 8, 50, 11, 7, 7, 40, 25, 80, 20, 20, 22, 30, 9, 9], flag_col=10)
    cols, crow = changes_table(rec)
    _sheet(wb, "Changes", cols, [[r[c] for c in cols] for r in crow], [10, 10, 9, 11, 20, 20, 22, 8, 8, 10, 40, 40,
                                                                       25])
    _sheet(wb, "Added", ["From", "To", "Ref", "Section", "Page", "Action", "Status", "action_id", "Lineage"],
           added, [10, 10, 8, 30, 9, 60, 10, 20, 22])
    _sheet(wb, "Dropped", ["From", "To", "Ref", "Section", "Page", "Action", "Status", "Flags", "action_id",
                           "Lineage"], dropped, [10, 10, 8, 30, 9, 60, 10, 25, 20, 22], flag_col=7)
    return wb


def _rows(rec: Reconciliation) -> tuple[list[list], list[list], list[list], list[list]]:
    """Rows of the Flags, Links, Added and Dropped sheets."""
    flags: list[list] = []
    links: list[list] = []
    added: list[list] = []
    dropped: list[list] = []
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
                          rec.ids[k + 1][lk.new], rec.lineage[k + 1][lk.new], b.section or a.section, where(a),
                          where(b)])
            for f in fl:
                flags.append([FLAG_LABEL[f], fv, tv, a.ref, b.ref, b.section or a.section, where(a), where(b),
                              b.action or a.action, flag_detail(f, a, b, lk), rec.ids[k][lk.old],
                              rec.ids[k + 1][lk.new]])
        for i in pr.dropped:
            a = old[i]
            fl = dropped_flags(a)
            dropped.append([fv, tv, a.ref, a.section, where(a), a.action, a.rag,
                            "; ".join(FLAG_LABEL[f] for f in fl), rec.ids[k][i], rec.lineage[k][i]])
            for f in fl:
                flags.append([FLAG_LABEL[f], fv, tv, a.ref, "", a.section, where(a), "", a.action,
                              flag_detail(f, a, None, None), rec.ids[k][i], ""])
        for j in pr.added:
            b = new[j]
            added.append([fv, tv, b.ref, b.section, where(b), b.action, b.rag, rec.ids[k + 1][j],
                          rec.lineage[k + 1][j]])
    return flags, links, added, dropped


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
