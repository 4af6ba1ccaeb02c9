"""Column roles from evidence: header words, cell content and position, assigned jointly.

Every column gets a score for every field from three sources: its header (``header_map``),
its cells (``column_evidence``) and its place in the row (refs sit left, statuses right, a
start date before an end date).  Roles are then assigned jointly, one column per field, for
the best total (``scipy.optimize.linear_sum_assignment``), so "Lead officer" beside
"Accountable officer" gives lead and dlt_lead, and "Revised target date" beside "Original
target date" gives end to the revised one (the original stays as the fallback when the
revised cell is empty).  A column whose header names nothing still gets a role when its
content is decisive (a column of dates, of statuses, of refs).  Each decision keeps its
reasons, so a user can see why a column was read as "end".

The API is free of tables: ``assign_roles(headers, columns_cells)`` works for any layout that
can say "these are the labels, these are the cells under each".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from .column_evidence import ColumnEvidence, column_evidence
from .header_map import FIELDS, header_key, header_scores, words
from .settings import ActionSettings

_TYPED = ("ref", "start", "end", "rag")  # fields whose cells a reader must read
_PROSE = ("action", "aim", "measure", "comments")
_NEVER = -1e6
_KNOWN = re.compile(r"header '[^']*' is a known name")
# position tie-breakers: +1 favours the left of the row, -1 the right
_SIDE = {"section": 1.0, "ref": 1.0, "action": 0.5, "aim": 0.5, "start": 0.3, "end": -0.3, "lead": 0.2, "dlt_lead": -0.2,
         "comments": -0.5, "rag": -1.0}
CONTRADICTED = 0.5  # taken off a header score the cells contradict


@dataclass
class ColumnRole:
    """One column: its header, its best-scoring fields and the role it was given."""

    col: int
    header: str
    role: str = ""
    score: float = 0.0
    why: list[str] = field(default_factory=list)
    top: list[tuple[str, float]] = field(default_factory=list)

    def line(self) -> str:
        head = f"'{self.header}'" if self.header.strip() else "(no header)"
        tops = ", ".join(f"{f} {s:.2f}" for f, s in self.top) or "no evidence"
        chosen = f"-> {self.role}" if self.role else "-> extra (no role)"
        why = f" because {'; '.join(self.why)}" if self.why and self.role else ""
        return f"column {self.col + 1} {head}: {tops} {chosen}{why}"


@dataclass
class RoleAssignment:
    """Column index -> field, the fallback columns per field, and the evidence per column."""

    columns: dict[int, str]
    roles: list[ColumnRole]
    fallbacks: dict[str, list[int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [r.line() for r in self.roles]
        for fld, cols in self.fallbacks.items():
            out.append(f"{fld}: when empty, taken from column(s) {', '.join(str(c + 1) for c in cols)}")
        return out

    def uncertain(self) -> list[str]:
        """Roles not given by a whole known header phrase: worth a warning on each record."""
        return [f"{r.role} <- column {r.col + 1} '{r.header}' ({'; '.join(r.why)})" for r in self.roles
                if r.role and not any(_KNOWN.fullmatch(w) for w in r.why)]


def _either_aim_or_measure(header: str, h: dict[str, tuple[float, str]]) -> None:
    """"Outcome" groups actions (aim) or says how one is judged (measure): let content decide."""
    if header_key(header) in words().get("aim_or_measure", frozenset()):
        for fld in ("aim", "measure"):
            h[fld] = (0.9, f"header '{header_key(header)}' may be aim or measure")


def _content_adjust(fld: str, hs: float, ev: ColumnEvidence, s: ActionSettings) -> float:
    """A header that the cells contradict: a "Status" column of sentences, a "Priority"
    column of High/Medium/Low."""
    if ev.filled < 3:
        return hs
    if fld in _TYPED and ev.scores().get(fld, (0.0, ""))[0] < 0.2 and ev.prose >= 0.6:
        return hs - CONTRADICTED
    if fld in _PROSE and ev.prose * s.prose_words < 2 and ev.rag + ev.dates + ev.refs > 0.5:
        return hs - CONTRADICTED
    return hs


def _status_of_sentences(h: dict[str, tuple[float, str]], ev: ColumnEvidence | None) -> None:
    """A "Status" or "Progress" column of sentences is the progress commentary."""
    if ev is None or ev.filled < 3 or "rag" not in h or ev.rag >= 0.2 or ev.prose < 0.6:
        return
    if h.get("comments", (0.0, ""))[0] < h["rag"][0]:
        h["comments"] = (h["rag"][0] * 0.8, "header names a status but the cells are sentences: comments")


def _content_may_name(fld: str, header: str, ev: ColumnEvidence | None, cs: float, s: ActionSettings) -> bool:
    """Content alone names a column when it is decisive over enough rows: dates, statuses or
    refs under any unknown label; names or actions only under a blank one (a printed label we
    do not know probably means something else: "Budget code", "Cost centre")."""
    if ev is None or ev.filled < s.content_min_rows or cs < s.content_min:
        return False
    return fld in _TYPED or not header.strip()


def _score_column(c: int, header: str, ev: ColumnEvidence | None, n_cols: int, implied: dict[int, str],
                  s: ActionSettings) -> tuple[dict[str, float], dict[str, list[str]]]:
    h = dict(header_scores(header, s)) if header.strip() else {}
    _either_aim_or_measure(header, h)
    _status_of_sentences(h, ev)
    if c in implied:
        h[implied[c]] = (0.8, "blank header before the named columns")
    content = ev.scores() if ev is not None else {}
    named = max((v[0] for v in h.values()), default=0.0) >= s.header_min
    pos = 0.0 if n_cols <= 1 else 1 - 2 * c / (n_cols - 1)  # +1 leftmost, -1 rightmost
    scores: dict[str, float] = {}
    why: dict[str, list[str]] = {}
    for fld in FIELDS:
        hs, hwhy = h.get(fld, (0.0, ""))
        cs, cwhy = content.get(fld, (0.0, ""))
        if ev is not None:
            hs = _content_adjust(fld, hs, ev, s)
        if hs >= s.header_min or (not named and _content_may_name(fld, header, ev, cs, s)):
            scores[fld] = hs + s.content_weight * cs + s.position_weight * _SIDE.get(fld, 0.0) * pos
            why[fld] = [w for w in (hwhy, cwhy if cs >= 0.3 else "") if w]
            if hs < s.header_min:
                why[fld].insert(0, "header names no field: read from content")
    return scores, why


def _solve(table: list[dict[str, float]]) -> dict[int, str]:
    n = len(table)
    matrix = np.full((n, len(FIELDS) + n), _NEVER)
    for c, scores in enumerate(table):
        for j, fld in enumerate(FIELDS):
            if fld in scores:
                matrix[c, j] = scores[fld]
        matrix[c, len(FIELDS) + c] = 0.0  # the column may stay unassigned (extra)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return {int(r): FIELDS[k] for r, k in zip(rows, cols, strict=True) if k < len(FIELDS) and matrix[r, k] > 0}


def _post_rules(columns: dict[int, str], roles: list[ColumnRole]) -> None:
    """A lone accountable column is the lead, whatever its level."""
    if "dlt_lead" in columns.values() and "lead" not in columns.values():
        c = next(c for c, f in columns.items() if f == "dlt_lead")
        columns[c] = "lead"
        roles[c].role = "lead"
        roles[c].why.append("the only accountable column: read as lead")


def _fallbacks(columns: dict[int, str], table: list[dict[str, float]]) -> dict[str, list[int]]:
    """Unassigned columns that also name a date field: used when the chosen one is empty."""
    out: dict[str, list[int]] = {}
    for fld in ("end", "start"):
        if fld not in columns.values():
            continue
        spare = sorted((c for c, sc in enumerate(table) if c not in columns and fld in sc),
                       key=lambda c: -table[c][fld])
        if spare:
            out[fld] = spare
    return out


def assign_roles(headers: list[str], columns_cells: list[list[str]] | None = None, *,
                 fills: list[list[str | None]] | None = None, colors: list[list[str | None]] | None = None,
                 implied: dict[int, str] | None = None, settings: ActionSettings | None = None) -> RoleAssignment:
    """Roles for the columns of one table.

    ``headers`` holds one label per column ("" when none); ``columns_cells`` the data cells
    under each column (one list per column, same order), ``fills``/``colors`` their cell
    fill and font colours when known; ``implied`` roles the layout gives (a blank action
    header).  Without cells the assignment rests on the headers alone.
    """
    s = settings or ActionSettings()
    n = len(headers)
    evidence: list[ColumnEvidence | None] = [None] * n
    if columns_cells is not None:
        evidence = [column_evidence(columns_cells[c], fills[c] if fills else None,
                                    colors[c] if colors else None, s) if c < len(columns_cells) else None
                    for c in range(n)]
    table: list[dict[str, float]] = []
    reasons: list[dict[str, list[str]]] = []
    for c, header in enumerate(headers):
        scores, why = _score_column(c, header, evidence[c], n, implied or {}, s)
        table.append(scores)
        reasons.append(why)
    columns = _solve(table) if n else {}
    roles: list[ColumnRole] = []
    for c, header in enumerate(headers):
        role = columns.get(c, "")
        top = sorted(table[c].items(), key=lambda kv: -kv[1])[:3]
        roles.append(ColumnRole(c, header, role=role, score=round(table[c].get(role, 0.0), 2) if role else 0.0,
                                why=reasons[c].get(role, []) if role else [],
                                top=[(f, round(v, 2)) for f, v in top]))
    _post_rules(columns, roles)
    return RoleAssignment(columns=dict(sorted(columns.items())), roles=roles, fallbacks=_fallbacks(columns, table))
