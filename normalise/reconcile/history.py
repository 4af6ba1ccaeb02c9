"""Any number of plan versions -> stable lineages, field changes, audit flags, type-2 history.

Consecutive versions are reconciled pair by pair (:func:`.reconcile.reconcile_pair`); a
lineage follows the one-to-one links through all of them, so it survives renumbering,
rewording and moves.  Its id is ``L-`` + the action_id of its first action: the same inputs
always give the same ids, and adding a newer version never renames an existing lineage.
A split-off part starts a lineage of its own (noting where it came from); the absorbed
part of a merge ends its lineage (noting what it merged into).

Nothing here opens a file: versions arrive as lists of ActionRecord.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..records import ACTION_COLUMNS, ActionRecord
from . import compare as C
from .match import Link, PairResult, reconcile_pair

# Fields whose change makes a new history row and a changes.csv row, in report order.
TRACKED = ("ref", "section", "action", "aim", "measure", "start", "end", "lead", "dlt_lead", "rag", "comments")
FIELD_LABEL = {"rag": "status", "dlt_lead": "DLT lead", "start": "start date", "end": "end date"}
FLAGS = ("status_backwards", "end_slipped", "dropped_not_completed", "lead_changed", "low_confidence")
FLAG_LABEL = {
    "status_backwards": "status went backwards",
    "end_slipped": "end date slipped",
    "dropped_not_completed": "dropped while not completed",
    "lead_changed": "lead changed",
    "low_confidence": "low-confidence match: review",
}


@dataclass
class Version:
    label: str  # shown in reports and history (the plan's date when known, else the file name)
    source_file: str
    actions: list[ActionRecord]
    date: str = ""  # as-at / review date (ISO) when known


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class Reconciliation:
    versions: list[Version]
    pairs: list[PairResult]  # pairs[k]: versions[k] -> versions[k + 1]
    ids: list[list[str]]  # output action_id of every action, per version
    lineage: list[list[str]]  # lineage_id of every action, per version
    origin: dict[str, str] = field(default_factory=dict)  # lineage -> "split from L-..."
    fate: dict[str, str] = field(default_factory=dict)  # lineage -> "merged into L-..."


def value(rec: ActionRecord, name: str) -> str:
    v = getattr(rec, name, "") or ""
    v = " ".join(str(v).split())
    return C.norm_rag(v) if name == "rag" else v


def field_changes(a: ActionRecord, b: ActionRecord) -> list[FieldChange]:
    out = []
    for name in TRACKED:
        x, y = value(a, name), value(b, name)
        if name == "ref":
            if C.norm_ref(x) != C.norm_ref(y):
                out.append(FieldChange(name, x, y))
        elif x != y:
            out.append(FieldChange(name, x, y))
    return out


def status_backwards(old: str, new: str) -> bool:
    """completed/green -> amber/red, or a completed action reopened."""
    o, n = C.RAG_RANK.get(C.norm_rag(old)), C.RAG_RANK.get(C.norm_rag(new))
    if o is None or n is None or n <= o:
        return False
    return n >= C.RAG_RANK["amber"] or o == 0


def link_flags(a: ActionRecord, b: ActionRecord, link: Link) -> list[str]:
    flags = []
    if status_backwards(a.rag, b.rag):
        flags.append("status_backwards")
    if C.date_later(b.end, a.end):
        flags.append("end_slipped")
    la, lb = C.leads_of(a.lead), C.leads_of(b.lead)
    if la and la != lb:
        flags.append("lead_changed")
    if link.low_confidence:
        flags.append("low_confidence")
    return flags


def dropped_flags(a: ActionRecord) -> list[str]:
    return [] if C.norm_rag(a.rag) == "completed" else ["dropped_not_completed"]


def _unique_ids(versions: list[Version]) -> list[list[str]]:
    """The extractor's action_ids, made unique across versions (the same file given twice)."""
    seen: set[str] = set()
    out = []
    for k, v in enumerate(versions):
        ids = []
        for n, a in enumerate(v.actions):
            aid = a.action_id or f"v{k + 1}-{n + 1:04d}"
            if aid in seen:
                aid = f"{aid}@v{k + 1}"
            seen.add(aid)
            ids.append(aid)
        out.append(ids)
    return out


def reconcile_versions(versions: list[Version], **options) -> Reconciliation:
    ids = _unique_ids(versions)
    pairs = [reconcile_pair(versions[k].actions, versions[k + 1].actions, **options)
             for k in range(len(versions) - 1)]
    lineage: list[list[str]] = [[""] * len(v.actions) for v in versions]
    rec = Reconciliation(versions, pairs, ids, lineage)
    if versions:
        lineage[0] = [f"L-{aid}" for aid in ids[0]]
    for k, pr in enumerate(pairs):
        for lk in pr.links:
            if lk.primary:
                lineage[k + 1][lk.new] = lineage[k][lk.old]
        for j in range(len(versions[k + 1].actions)):
            if not lineage[k + 1][j]:
                lineage[k + 1][j] = f"L-{ids[k + 1][j]}"
        for lk in pr.links:
            if lk.primary:
                continue
            if lk.relation == "split":
                rec.origin[lineage[k + 1][lk.new]] = f"split from {lineage[k][lk.old]}"
            else:
                rec.fate[lineage[k][lk.old]] = f"merged into {lineage[k + 1][lk.new]}"
    return rec


# ---------------------------------------------------------------------------- tables

ACTIONS_EXTRA = ("version", "version_label", "lineage_id")
LINK_COLUMNS = ("from_action_id", "to_action_id", "relation", "score", "reasons", "weight", "from_version",
                "to_version", "from_ref", "to_ref", "lineage_id", "text_similarity", "primary", "flags")
CHANGE_COLUMNS = ("from_version", "to_version", "change", "relation", "from_action_id", "to_action_id",
                  "lineage_id", "from_ref", "to_ref", "field", "old_value", "new_value", "flags")
HISTORY_COLUMNS = ("lineage_id", "valid_from", "valid_to", "is_current", "change_reason", "end_reason",
                   "version_from", "version_to", "action_id", "last_action_id") + TRACKED


def actions_table(rec: Reconciliation) -> tuple[list[str], list[dict]]:
    cols = list(ACTION_COLUMNS) + list(ACTIONS_EXTRA)
    rows = []
    for k, v in enumerate(rec.versions):
        for n, a in enumerate(v.actions):
            row = {c: getattr(a, c) for c in ACTION_COLUMNS}  # as ActionRecord.to_row, without deep copies
            row["warnings"] = "; ".join(a.warnings)
            row["extra"] = json.dumps(a.extra, ensure_ascii=False, sort_keys=True) if a.extra else ""
            row["action_id"] = rec.ids[k][n]
            row["version"] = k + 1
            row["version_label"] = v.label
            row["lineage_id"] = rec.lineage[k][n]
            rows.append(row)
    return cols, rows


def links_table(rec: Reconciliation) -> tuple[list[str], list[dict]]:
    rows = []
    for k, pr in enumerate(rec.pairs):
        old, new = rec.versions[k].actions, rec.versions[k + 1].actions
        for lk in pr.links:
            a, b = old[lk.old], new[lk.new]
            rows.append({
                "from_action_id": rec.ids[k][lk.old], "to_action_id": rec.ids[k + 1][lk.new],
                "relation": lk.relation, "score": lk.score, "reasons": lk.reasons,
                "weight": lk.weight, "from_version": rec.versions[k].label,
                "to_version": rec.versions[k + 1].label, "from_ref": a.ref, "to_ref": b.ref,
                "lineage_id": rec.lineage[k + 1][lk.new], "text_similarity": lk.text_similarity,
                "primary": lk.primary, "flags": "; ".join(link_flags(a, b, lk))})
    return list(LINK_COLUMNS), rows


def changes_table(rec: Reconciliation) -> tuple[list[str], list[dict]]:
    rows = []
    for k, pr in enumerate(rec.pairs):
        old, new = rec.versions[k].actions, rec.versions[k + 1].actions
        base = {"from_version": rec.versions[k].label, "to_version": rec.versions[k + 1].label}
        for lk in pr.links:
            a, b = old[lk.old], new[lk.new]
            flags = link_flags(a, b, lk)
            common = dict(base, change="changed", relation=lk.relation, from_action_id=rec.ids[k][lk.old],
                          to_action_id=rec.ids[k + 1][lk.new], lineage_id=rec.lineage[k + 1][lk.new],
                          from_ref=a.ref, to_ref=b.ref)
            for fc in field_changes(a, b):
                rows.append(dict(common, field=fc.field, old_value=fc.old, new_value=fc.new,
                                 flags="; ".join(_flags_for_field(fc.field, flags))))
            if "low_confidence" in flags:
                rows.append(dict(common, change="review", field="", old_value="", new_value="",
                                 flags="low_confidence"))
        for i in pr.dropped:
            a = old[i]
            rows.append(dict(base, change="dropped", relation="", from_action_id=rec.ids[k][i], to_action_id="",
                             lineage_id=rec.lineage[k][i], from_ref=a.ref, to_ref="", field="",
                             old_value=a.action, new_value="", flags="; ".join(dropped_flags(a))))
        for j in pr.added:
            b = new[j]
            rows.append(dict(base, change="added", relation="", from_action_id="", to_action_id=rec.ids[k + 1][j],
                             lineage_id=rec.lineage[k + 1][j], from_ref="", to_ref=b.ref, field="",
                             old_value="", new_value=b.action, flags=""))
    return list(CHANGE_COLUMNS), rows


def _flags_for_field(name: str, flags: list[str]) -> list[str]:
    wanted = {"rag": "status_backwards", "end": "end_slipped", "lead": "lead_changed"}.get(name)
    return [f for f in flags if f == wanted]


def history_table(rec: Reconciliation) -> tuple[list[str], list[dict]]:
    """Type-2 history: one row per lineage per stretch of versions with unchanged values."""
    members: dict[str, list[tuple[int, int]]] = {}
    for k, lin in enumerate(rec.lineage):
        for n, lid in enumerate(lin):
            members.setdefault(lid, []).append((k, n))
    relation_at: dict[tuple[int, int], str] = {}  # (version, new idx) -> relation of its primary link
    for k, pr in enumerate(rec.pairs):
        for lk in pr.links:
            if lk.primary:
                relation_at[(k + 1, lk.new)] = lk.relation
    rows = []
    for lid, mem in members.items():
        rows += _stretch_rows(rec, lid, mem, _stretches(rec, lid, mem, relation_at))
    rows.sort(key=lambda r: (_first_seen(members[r["lineage_id"]]), r["version_from"]))
    return list(HISTORY_COLUMNS), rows


def _change_reason(rec: Reconciliation, prev: tuple[int, int], k: int, n: int,
                   relation_at: dict[tuple[int, int], str]) -> str | None:
    """Why the values of a lineage changed between two of its versions; None when they did not."""
    pk, pn = prev
    changes = field_changes(rec.versions[pk].actions[pn], rec.versions[k].actions[n])
    if not changes:
        return None
    rel = relation_at.get((k, n), "")
    return "; ".join(([rel] if rel not in ("", "same") else []) +
                     [f"{FIELD_LABEL.get(c.field, c.field)} {_brief(c.old)} -> {_brief(c.new)}" for c in changes])


def _stretches(rec: Reconciliation, lid: str, mem: list[tuple[int, int]],
               relation_at: dict[tuple[int, int], str]) -> list[dict]:
    """A lineage's versions grouped into stretches of unchanged tracked values."""
    stretches: list[dict] = []
    prev: tuple[int, int] | None = None
    for k, n in mem:
        if prev is None:
            reason: str | None = rec.origin.get(lid) or ("first version" if k == 0 else "added")
        else:
            reason = _change_reason(rec, prev, k, n, relation_at)
        prev = (k, n)
        if reason is None:
            stretches[-1]["version_to_k"] = k
            stretches[-1]["last_action_id"] = rec.ids[k][n]
            continue
        vals = {f: value(rec.versions[k].actions[n], f) for f in TRACKED}
        stretches.append(dict(vals, lineage_id=lid, version_from_k=k, version_to_k=k, change_reason=reason,
                              action_id=rec.ids[k][n], last_action_id=rec.ids[k][n]))
    return stretches


def _stretch_rows(rec: Reconciliation, lid: str, mem: list[tuple[int, int]], stretches: list[dict]) -> list[dict]:
    """History rows of one lineage: when each stretch ends and why."""
    last = len(rec.versions) - 1
    end_k = mem[-1][0]
    rows = []
    for s_i, s in enumerate(stretches):
        nxt = stretches[s_i + 1] if s_i + 1 < len(stretches) else None
        if nxt is not None:
            valid_to, end_reason = rec.versions[nxt["version_from_k"]].label, "changed"
        elif end_k < last:
            valid_to, end_reason = rec.versions[end_k + 1].label, rec.fate.get(lid, "dropped")
        else:
            valid_to, end_reason = "", ""
        row = {c: s.get(c, "") for c in HISTORY_COLUMNS}
        row.update(valid_from=rec.versions[s["version_from_k"]].label, valid_to=valid_to,
                   is_current=nxt is None and end_k == last, end_reason=end_reason,
                   version_from=s["version_from_k"] + 1, version_to=s["version_to_k"] + 1)
        rows.append(row)
    return rows


def _first_seen(mem: list[tuple[int, int]]) -> tuple[int, int]:
    return mem[0]


def _brief(s: str, n: int = 60) -> str:
    s = s or "''"
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def summary(rec: Reconciliation) -> list[dict]:
    """Counts per version pair, for the report's first table."""
    out = []
    for k, pr in enumerate(rec.pairs):
        old, new = rec.versions[k].actions, rec.versions[k + 1].actions
        rel = dict.fromkeys(("same", "reworded", "renumbered", "moved", "split", "merged"), 0)
        flags = dict.fromkeys(FLAGS, 0)
        for lk in pr.links:
            rel[lk.relation] = rel.get(lk.relation, 0) + 1
            for f in link_flags(old[lk.old], new[lk.new], lk):
                flags[f] += 1
        for i in pr.dropped:
            for f in dropped_flags(old[i]):
                flags[f] += 1
        out.append({"from": rec.versions[k].label, "to": rec.versions[k + 1].label, "old_actions": len(old),
                    "new_actions": len(new), "links": len(pr.links), **rel, "added": len(pr.added),
                    "dropped": len(pr.dropped), **flags})
    return out


