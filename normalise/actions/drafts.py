"""A segment's rows -> drafts, one per action.

A row opens a new action when it has a ref, or action text (in a text extract, only action
text that starts a sentence and comes with enough activity: dates, lead, status).  Other rows
continue the action above (text that spilled onto a row of its own) or, in a clean table,
are strays.  For text extracts the aim and measure fragments are collected with the action
each was printed on, for ``fragments.py`` to rebuild the merged cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.clean import clean_text
from .refs import parse_ref, split_leading_number
from .table_reader import Row, Segment

# Fields appended to the previous action when a row continues it.
_APPENDED = ("action", "comments", "start", "end", "lead", "dlt_lead", "rag")
_ACTIVITY = ("start", "end", "lead", "dlt_lead", "comments", "rag")
MIN_ACTIVITY = 3  # text extracts: an unnumbered action row fills at least this many fields
_TERMINAL = re.compile(r"[.!?;:)]\s*$")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")

Pieces = dict[str, list[tuple[int | None, str]]]


@dataclass
class Draft:
    """An action being assembled from one or more rows."""

    ref: str
    ref_raw: str
    rows: list[Row]
    fields: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _row_ref(row: Row, has_ref_col: bool) -> tuple[str, str, str]:
    """(ref, ref as printed, action text) of a row; a number opening the action text is the
    ref when the table has no ref column (or the row's ref cell is empty)."""
    ref_raw = row.fields.get("ref", "").strip()
    ref = parse_ref(ref_raw).value if ref_raw else ""
    action = row.fields.get("action", "").strip()
    if not ref and action:
        num, rest = split_leading_number(action)
        if num and (not has_ref_col or not ref_raw):
            ref, ref_raw, action = num, num, rest
            row.fields["action"] = rest
    return ref, ref_raw, action


def _activity(row: Row) -> int:
    return sum(1 for f in _ACTIVITY if row.fields.get(f, "").strip())


def _activity_needed(seg: Segment) -> int:
    """Text extracts: a row without a ref starts an action when it fills three activity
    columns, or every one the table has (a plan with only "Led by" and "Timescale")."""
    return min(MIN_ACTIVITY, max(2, sum(1 for f in seg.header.columns.values() if f in _ACTIVITY)))


def _opens_action(ref: str, action: str, row: Row, spans_known: bool, needed: int) -> bool:
    if ref:
        return True
    if not action:
        return False
    if spans_known:
        return True
    return not action[:1].islower() and _activity(row) >= needed


def _lists_under(drafts: list[Draft], row: Row, ref: str, spans_known: bool) -> bool:
    """An action that ends "... include:" goes on in the rows below it, each naming one
    item and nothing else (no ref, who, when, measure or status): those rows are its list."""
    if not spans_known or not drafts or ref or _activity(row):
        return False
    opener = drafts[-1].rows[0].fields.get("action", "").rstrip()
    return opener.endswith(":") and not row.fields.get("measure", "").strip()


def _new_draft(row: Row, ref: str, ref_raw: str) -> Draft:
    draft = Draft(ref=ref, ref_raw=ref_raw, rows=[row], fields=dict(row.fields), warnings=list(row.field_notes))
    if ref_raw and not ref:
        draft.warnings.append(f"unreadable ref {ref_raw!r}")
    return draft


def build_drafts(seg: Segment, spans_known: bool) -> tuple[list[Draft], Pieces]:
    """Group a segment's rows into actions; returns the drafts and, for text extracts, the
    aim/measure fragments with the draft each was printed on (None: before any action)."""
    drafts: list[Draft] = []
    pieces: Pieces = {"aim": [], "measure": []}
    has_ref_col = seg.header.col("ref") is not None
    needed = _activity_needed(seg)
    for row in seg.rows:
        ref, ref_raw, action = _row_ref(row, has_ref_col)
        if _lists_under(drafts, row, ref, spans_known):
            _continue(drafts[-1], row)
            continue
        if _opens_action(ref, action, row, spans_known, needed):
            if not spans_known and drafts and action[:1].islower():
                _move_overflow(drafts[-1], row)
            drafts.append(_new_draft(row, ref, ref_raw))
        elif drafts and not spans_known:
            _continue(drafts[-1], row)
        elif drafts:
            continue  # a stray row in a clean table: nothing to add
        if not spans_known:
            _collect_pieces(pieces, row, len(drafts) - 1 if drafts else None)
    return drafts, pieces


def _collect_pieces(pieces: Pieces, row: Row, owner: int | None) -> None:
    for fld in pieces:
        text = row.fields.get(fld, "").strip()
        if text:
            pieces[fld].append((owner, text))


def _continue(draft: Draft, row: Row) -> None:
    """Text that spilled into a row of its own belongs to the action above."""
    draft.rows.append(row)
    draft.warnings.extend(row.field_notes)
    for fld in _APPENDED:
        text = row.fields.get(fld, "").strip()
        if not text:
            continue
        have = draft.fields.get(fld, "").strip()
        if not have or clean_text(have) == clean_text(text) and fld not in ("action", "comments"):
            draft.fields[fld] = text if not have else have
        else:
            draft.fields[fld] = f"{have} {text}"
    for k, v in row.extra.items():
        draft.rows[0].extra[k] = f"{draft.rows[0].extra.get(k, '')} {v}".strip()


def _move_overflow(prev: Draft, row: Row) -> None:
    """"research to the SIB and CEB Develop and implement ..." printed on the next row: the
    lower-case head finishes the previous (unfinished) action, the rest is this row's."""
    have = prev.fields.get("action", "").strip()
    action = row.fields.get("action", "")
    if not have or _TERMINAL.search(have):
        return
    m = _CAPITALISED.search(action)
    if not m or m.start() == 0:
        return
    head, rest = action[: m.start()].strip(), action[m.start():].strip()
    prev.fields["action"] = f"{have} {head}"
    prev.warnings.append(f"text {head!r} printed on the next row moved back to this action")
    row.fields["action"] = rest
