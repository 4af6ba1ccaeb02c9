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
LOOK_BLOCKS = 3  # a plan names itself in its title: the first few text blocks
TITLE_WORDS = 15  # longer text is a sentence that mentions a plan, not a title


def _named_fields(table: Table, s: ActionSettings) -> set[str]:
    """The fields named by the most header-like of the table's first rows (a row most of whose
    filled cells name a field)."""
    best: set[str] = set()
    for r in range(min(LOOK_ROWS, table.n_rows)):
        texts = [t for t in table.row_texts(r) if t.strip()]
        hits = [hit[0] for t in texts if (hit := best_field(t, s)) and hit[1] >= s.header_min]
        if len(hits) * 2 >= len(texts) and len(set(hits)) > len(best):
            best = set(hits)
    return best


def _plan_words(doc: Document) -> str:
    phrases = words()["plan_words"]
    titles = [b for b in doc.blocks if b.kind in ("heading", "paragraph") and b.text.strip()][:LOOK_BLOCKS]
    for block in titles:
        if len(block.text.split()) <= TITLE_WORDS:
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
