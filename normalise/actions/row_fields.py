"""A segment's rows -> texts by field, with column roles settled from the cells themselves.

The header row proposes roles; once the rows under it are known, ``assign_roles`` weighs the
header words against what the cells hold (dates, names, statuses, prose) and the columns'
places, and settles the roles jointly.  The evidence for every role is kept on the header
(``HeaderMap.evidence``) and, where a role was not named by a known header phrase, on every
record read under it.

Text extracts sometimes print a header label one column away from its values (an empty column
crept in) and drop that empty column on later rows; the mapping follows the data.
"""

from __future__ import annotations

from .columns import assign_roles
from .header_rows import HeaderMap
from .settings import ActionSettings
from .table_reader import Row, Segment

SHIFT_EMPTY_AT_MOST = 0.2  # a labelled column this empty in a text extract lost its values...
SHIFT_NEIGHBOUR_AT_LEAST = 0.5  # ...to an unlabelled neighbour at least this full
SHIFT_MIN_ROWS = 3


def _full_rows(seg: Segment) -> list[Row]:
    return [r for r in seg.rows if len(r.texts) == seg.header.n_cols]


def _column_lists(seg: Segment, full: list[Row]) -> tuple[list[list[str]], list[list[str | None]],
                                                         list[list[str | None]]]:
    """Texts, fills and font colours of each column over the segment's full rows."""
    n = seg.header.n_cols

    def at(values: list[str | None], c: int) -> str | None:
        return values[c] if c < len(values) else None

    cells = [[r.texts[c] for r in full] for c in range(n)]
    fills = [[at(r.fill_list, c) for r in full] for c in range(n)]
    colors = [[at(r.color_list, c) for r in full] for c in range(n)]
    return cells, fills, colors


def settle_roles(seg: Segment, settings: ActionSettings) -> list[str]:
    """Re-assign the segment's column roles with the cells as evidence; returns the
    per-record notes for roles that no known header phrase gave."""
    header = seg.header
    full = _full_rows(seg)
    if header.fused or not full:
        return []
    labels = [header.labels.get(c, "") for c in range(header.n_cols)]
    cells, fills, colors = _column_lists(seg, full[: settings.evidence_rows])
    roles = assign_roles(labels, cells, fills=fills, colors=colors, implied=header.implied, settings=settings)
    if "action" not in roles.columns.values():
        # the cells contradict the header: no column holds actions (refs or dates under a
        # blank or mislabelled action header).  Not an action table.
        seg.rows.clear()
        header.evidence = [*roles.lines(), "no column holds actions: not read as an action table"]
        return []
    header.columns = roles.columns
    header.fallbacks = roles.fallbacks
    header.evidence = [e for e in header.evidence if e.startswith("two header rows")] + roles.lines()
    return [f"column role {u}" for u in roles.uncertain()]


def _shifted_columns(header: HeaderMap, full: list[Row]) -> dict[int, str]:
    columns = dict(header.columns)
    if len(full) < SHIFT_MIN_ROWS:
        return columns

    def filled(c: int) -> float:
        return sum(1 for r in full if c < len(r.texts) and r.texts[c]) / max(1, len(full))

    for c, fld in sorted(columns.items()):
        if filled(c) > SHIFT_EMPTY_AT_MOST:
            continue
        for n in (c + 1, c - 1):
            if 0 <= n < header.n_cols and n not in columns and filled(n) >= SHIFT_NEIGHBOUR_AT_LEAST:
                del columns[c]
                columns[n] = fld
                break
    return columns


def _phantom(header: HeaderMap, columns: dict[int, str], full: list[Row]) -> int | None:
    """An unlabelled column empty on every full row: later rows may have dropped it."""
    for c in range(header.n_cols):
        if c not in columns and not any(c < len(r.texts) and r.texts[c] for r in full):
            return c
    return None


def _colour(row: Row, c: int, text: str) -> str | None:
    """The cell's fill, or the font colour of a glyph with no letters ("●")."""
    fill = row.fill_list[c] if c < len(row.fill_list) else None
    color = row.color_list[c] if c < len(row.color_list) else None
    if fill is None and color and not any(ch.isalpha() for ch in text):
        return color
    return fill


def _read_row(row: Row, cols: dict[int, str], header: HeaderMap) -> None:
    for c, text in enumerate(row.texts):
        fld = cols.get(c)
        if fld:
            row.fields[fld] = text
            row.fills[fld] = _colour(row, c, text)
        elif text and c in header.labels:
            row.extra[header.labels[c]] = text
    for fld, spare in header.fallbacks.items():
        if not row.fields.get(fld, "").strip():
            _fall_back(row, fld, spare, header)


def _fall_back(row: Row, fld: str, spare: list[int], header: HeaderMap) -> None:
    """The preferred column is empty on this row: the next column naming the field."""
    col = next((c for c in spare if c < len(row.texts) and row.texts[c].strip()), None)
    if col is not None:
        row.fields[fld] = row.texts[col]
        label = header.labels.get(col, f"column {col + 1}")
        row.field_notes.append(f"{fld}: taken from '{label}' (the preferred {fld} column is empty on this row)")


def map_rows(seg: Segment, settings: ActionSettings | None = None) -> list[str]:
    """Texts by field for every row of a segment; returns per-record column notes."""
    notes = settle_roles(seg, settings or ActionSettings())
    header = seg.header
    full = _full_rows(seg)
    columns = _shifted_columns(header, full)
    phantom = _phantom(header, columns, full)
    dropped = columns
    if phantom is not None:
        dropped = {(c - 1 if c > phantom else c): f for c, f in columns.items() if c != phantom}
    for row in seg.rows:
        cols = dropped if len(row.texts) == header.n_cols - 1 and phantom is not None else columns
        _read_row(row, cols, header)
        _add_notes(row)
    return notes


def _add_notes(row: Row) -> None:
    """"Update:" rows printed under a row join its comments."""
    if row.notes:
        row.fields["comments"] = " ".join([row.fields.get("comments", "").strip(), *row.notes]).strip()
