"""Assembling plan versions from records, ordering them, and the reconcile summary text.

The reconcile command (``ingest/reconcile_command.py``) reads the files; everything here works
on records and rows already read, so it runs anywhere (API, tests, workers).
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any

from ..records import ActionRecord
from .history import FLAG_LABEL, FLAGS, Reconciliation, Version, summary


class VersionError(ValueError):
    """A version argument that cannot be read: the message is shown to the user."""



_FIELD_TYPES = {f.name: f.type for f in fields(ActionRecord)}


def _int_field(name: str, v: object) -> int | None:
    default = 0 if name == "seq" else None
    if v in (None, ""):
        return default
    try:
        return int(v)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _field_value(name: str, typ: str, v: object) -> object:
    if name == "extra":
        return json.loads(v) if isinstance(v, str) and v.strip().startswith("{") else {}
    if name == "warnings":
        return [w for w in str(v).split("; ") if w] if v else []
    if "int" in typ:
        return _int_field(name, v)
    return "" if v is None else str(v)


def record_from_row(row: dict) -> ActionRecord:
    """One actions-table row back into an ActionRecord (lists and dicts were flattened to text)."""
    kw: dict[str, Any] = {}
    for name, typ in _FIELD_TYPES.items():
        v = row.get(name)
        if isinstance(v, float) and math.isnan(v):
            v = None
        kw[name] = _field_value(name, str(typ), v)
    return ActionRecord(**kw)


def plan_date(reports: list) -> str:
    """The as-at date of a plan: its review date, else the end of the period it covers, else the
    date printed on it, else the meeting it went to."""
    for key in ("review_date", "period_covered", "document_date", "meeting_date"):
        for r in reports:
            v = r.get(key) if isinstance(r, dict) else getattr(r, key, "")
            if isinstance(v, str) and v.strip():
                v = v.strip()
                return v.split("/")[-1] if key == "period_covered" else v
    return ""


def order_by_date(versions: list[Version]) -> list[Version]:
    undated = [v.source_file for v in versions if not v.date]
    if undated:
        raise VersionError("--by-date: no as-at/review date found in " + ", ".join(undated) +
                           "; give the versions oldest first without --by-date")
    return sorted(versions, key=lambda v: v.date)  # stable: equal dates keep the order given


def unique_labels(versions: list[Version]) -> None:
    seen: dict[str, int] = {}
    for v in versions:
        n = seen.get(v.label, 0) + 1
        seen[v.label] = n
        if n > 1:
            v.label = f"{v.label} ({n})"


def summary_text(rec: Reconciliation, out_dir: str, written: list[str]) -> str:
    """The command's closing lines: versions, links by relation, flags, and what was written."""
    lines = ["plantrail reconcile: " + " -> ".join(f"{v.label} ({len(v.actions)} actions)" for v in rec.versions)]
    for s in summary(rec):
        rel = ", ".join(f"{k} {s[k]}" for k in ("same", "reworded", "renumbered", "moved", "split", "merged") if s[k])
        lines.append(f"  {s['from']} -> {s['to']}: {s['links']} links ({rel}); added {s['added']}, "
                     f"dropped {s['dropped']}")
        flags = [f"{FLAG_LABEL[f]} {s[f]}" for f in FLAGS if s[f]]
        if flags:
            lines.append("    flags: " + "; ".join(flags))
    lines.append(f"output folder: {out_dir} ({', '.join(written)})")
    return "\n".join(lines)
