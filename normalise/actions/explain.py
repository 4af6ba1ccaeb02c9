"""``explain_columns``: why each column of a table was read as what it was (for ``inspect``)."""

from __future__ import annotations

from ...parsers.model import Cell, Table
from .columns import assign_roles
from .header_rows import HeaderMap, combined_labels, map_header
from .settings import ActionSettings


def _find_header(grid: list[list[Cell | None]], s: ActionSettings) -> tuple[int, HeaderMap | None, list[str]]:
    """(first data row, header map, labels) of the first header in the table."""
    for r, row in enumerate(grid):
        texts = [c.text.strip() if c else "" for c in row]
        if r + 1 < len(grid):
            labels = combined_labels(row, grid[r + 1], s)
            two = map_header(labels, settings=s) if labels is not None else None
            if two is not None and labels is not None:
                return r + 2, two, labels
        one = map_header(texts, allow_fused=True, settings=s)
        if one is not None:
            return r + 1, one, texts
    return 0, None, [""] * (len(grid[0]) if grid else 0)


def _columns(rows: list[list[Cell | None]], n: int) -> tuple[list[list[str]], list[list[str | None]],
                                                             list[list[str | None]]]:
    texts: list[list[str]] = [[] for _ in range(n)]
    fills: list[list[str | None]] = [[] for _ in range(n)]
    colors: list[list[str | None]] = [[] for _ in range(n)]
    for row in rows:
        for c in range(n):
            cell = row[c] if c < len(row) else None
            texts[c].append(cell.text.strip() if cell is not None else "")
            fills[c].append(cell.fill if cell is not None else None)
            colors[c].append(cell.color if cell is not None else None)
    return texts, fills, colors


def explain_columns(table: Table, settings: ActionSettings | None = None) -> list[str]:
    """Human-readable lines: each column, its header, its top scores, the role chosen and why."""
    s = settings or ActionSettings()
    grid = table.grid()
    start, header, labels = _find_header(grid, s)
    lines = [f"header row {start}: " + " | ".join(t for t in labels if t)] if header else \
        ["no header row names three fields with the actions: scores from content alone"]
    cells, fills, colors = _columns(grid[start:], table.n_cols)
    roles = assign_roles(labels, cells, fills=fills, colors=colors,
                         implied=header.implied if header else None, settings=s)
    return lines + roles.lines()
