"""A status cell as printed in tables, read with the RAG reader (``rag.read_rag``).

Two table-specific forms are retried: a status word wrapped mid-word in a narrow column of a
text extract ("Complet" / "ed"), and a bilingual cell ("Ar y trywydd / On track") read by
whichever half the reader knows.  Used for the records and as column evidence, so a column
counts as a status column exactly when its cells read as statuses.
"""

from __future__ import annotations

from .rag import RagKey, RagValue, read_damaged_in_status_column, read_rag


def read_status(raw: str, fill: str | None = None, key: RagKey | None = None,
                color: str | None = None, damaged: bool = True) -> RagValue:
    """The status; a status word wrapped mid-word in a narrow column ("Complet" / "ed" in
    a text extract) is read again without the break when it is unreadable with it; a
    bilingual cell ("Ar y trywydd / On track") by whichever half reads.  ``damaged``: try a
    damaged single word as a status (only for a column already known to hold statuses)."""
    rv = read_rag(raw, fill, color, key=key)
    if rv.value or not raw.strip():
        return rv
    if " " not in raw.strip():
        return (read_damaged_in_status_column(raw) if damaged else None) or rv
    joined = read_rag(raw.replace(" ", ""), fill, key=key)
    if joined.value and joined.source == "text":
        return joined
    return _bilingual(raw, fill, key) or rv


def _bilingual(raw: str, fill: str | None, key: RagKey | None) -> RagValue | None:
    for half in (h.strip() for h in raw.split("/") if "/" in raw):
        hv = read_rag(half, fill, key=key) if half else None
        if hv is not None and hv.value:
            hv.warning = "; ".join(w for w in (hv.warning, f"read '{half}' of the bilingual status") if w)
            return hv
    return None
