"""Document model -> action records (one per row of an action table).

Owns: finding action tables, mapping columns to fields (``header_map``, ``headers.json``),
sections and aims, continuation fragments, refs, people, RAG.
May import: ``plantrail.parsers.model``, ``normalise.records``, ``normalise.text``.
Never imports ``normalise.reports``, ``normalise.reconcile``, ``output`` or ``ingest``.
"""

from .extract import extract_actions

__all__ = ["extract_actions"]
