"""Document model -> report records: paper metadata, key figures, mentions of plan actions.

Owns: header blocks (``header``), report records, figures, mentions and their linking.
May import: ``plantrail.parsers.model``, ``normalise.records``, ``normalise.text``.
Never imports ``normalise.actions`` internals, ``normalise.reconcile``, ``output`` or ``ingest``.
"""

from .extract import extract_report

__all__ = ["extract_report"]
