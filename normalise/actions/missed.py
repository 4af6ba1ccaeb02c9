"""Say when a plan was missed: a document that looks like an action plan but gave no actions.

"no action table found" is the right verdict for a committee report, and a wrong one for an
improvement plan whose columns we failed to read.  Two kinds of evidence say "this is a plan":
its headings or opening text call it one (``plan_words`` in ``header_words.json``), or it has
tables whose first rows name action-like columns.  The reason names the evidence, so a user
knows to look at the file (``plantrail inspect`` shows the column scores).
"""

from __future__ import annotations

from ...parsers.model import Document, Table
from .header_map import best_field, header_key, words
from .settings import ActionSettings

LOOK_ROWS = 10  # a table's header is among its first rows
LOOK_BLOCKS = 30  # a plan names itself near the top


def _named_fields(table: Table, s: ActionSettings) -> set[str]:
    best: set[str] = set()
    for r in range(min(LOOK_ROWS, table.n_rows)):
        named = set()
        for text in table.row_texts(r):
            hit = best_field(text, s) if text.strip() else None
            if hit and hit[1] >= s.header_min:
                named.add(hit[0])
        if len(named) > len(best):
            best = named
    return best


def _plan_words(doc: Document) -> str:
    phrases = words()["plan_words"]
    for block in doc.blocks[:LOOK_BLOCKS]:
        if block.kind in ("heading", "paragraph", "list_item"):
            key = f" {header_key(block.text)} "
            hit = next((p for p in sorted(phrases) if f" {p} " in key), "")
            if hit:
                return hit
    title = header_key(doc.meta.get("title", ""))
    return next((p for p in sorted(phrases) if p in title), "")


def diagnose(doc: Document, settings: ActionSettings | None = None) -> tuple[str, int]:
    """The "looks like an action plan" reason for a document that gave no actions ("" when it
    does not look like one), and how many of its tables have action-like columns."""
    s = settings or ActionSettings()
    tables = [t for t in doc.tables() if t.n_cols >= 2]
    likely = []
    for t in tables:
        named = _named_fields(t, s)
        if "action" in named and len(named) >= 2:
            likely.append(named)
    said = _plan_words(doc)
    if likely:
        cols = sorted({f for named in likely for f in named})
        n = len(likely)
        return (f"looks like an action plan: {n} table{'s' if n != 1 else ''} with "
                f"{'/'.join(c.capitalize() for c in cols)} columns, none read"), n
    if said:
        return f"looks like an action plan: the document calls itself '{said}', but no action table was read", 0
    return "", 0
