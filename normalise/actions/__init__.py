"""Document model -> action records (one per row of an action table).

Owns: finding action tables (``table_reader``, ``header_rows``), scoring header cells
(``header_map``, ``headers.json``, ``header_words.json``), column roles from headers, content
and position (``columns``, ``column_evidence``), rows to actions (``drafts``, ``fragments``),
sections and aims, refs, people, RAG, and saying when a plan was missed (``missed``).
May import: ``plantrail.parsers.model``, ``normalise.records``, ``normalise.text``.
Never imports ``normalise.reports``, ``normalise.reconcile``, ``output`` or ``ingest``.
"""

from .columns import RoleAssignment, assign_roles
from .explain import explain_columns
from .extract import ActionResult, extract_actions, read_plan
from .settings import ActionSettings

__all__ = ["ActionResult", "ActionSettings", "RoleAssignment", "assign_roles", "explain_columns",
           "extract_actions", "read_plan"]
