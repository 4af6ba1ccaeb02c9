"""Plain records that normalise produces and output writes.

Every normalised value sits next to the raw text it came from (``*_raw``) and the place it
came from (file, sha256, page or sheet, table, row), so a user can check any value by hand.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# actions.csv opens with exactly these columns, in this order (issue #2).
ACTION_CORE = ("action_id", "source_file", "sha256", "section", "aim", "ref", "action", "start", "end",
               "measure", "lead", "dlt_lead", "comments", "rag")


_SCALARS = (str, int, float, bool, type(None))
_NAMES: dict[type, tuple[str, ...]] = {}


def plain(obj: Any) -> Any:
    """``dataclasses.asdict`` for records, at a fraction of its cost.

    ``asdict`` deep-copies every value through a generic recursion; records hold only
    scalars, lists, dicts and nested records, so copying the containers gives the same dict.
    Every record passes through this several times (store rows, JSON, outputs), so on a
    50,000-row tracker the difference is seconds."""
    if isinstance(obj, _SCALARS):
        return obj
    if is_dataclass(obj) and not isinstance(obj, type):
        cls = type(obj)
        names = _NAMES.get(cls)
        if names is None:
            names = _NAMES[cls] = tuple(f.name for f in fields(obj))
        return {n: plain(getattr(obj, n)) for n in names}
    if isinstance(obj, list):
        return [plain(x) for x in obj]
    if isinstance(obj, dict):
        return {plain(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, tuple) and not hasattr(obj, "_fields"):
        return tuple(plain(x) for x in obj)
    return copy.deepcopy(obj)


@dataclass
class ActionRecord:
    action_id: str
    source_file: str
    sha256: str
    section: str = ""
    aim: str = ""
    ref: str = ""
    action: str = ""
    start: str = ""
    end: str = ""
    measure: str = ""
    lead: str = ""
    dlt_lead: str = ""
    comments: str = ""
    rag: str = ""
    # raw values, as printed (before clean-up and normalisation)
    section_raw: str = ""
    aim_raw: str = ""
    ref_raw: str = ""
    action_raw: str = ""
    start_raw: str = ""
    end_raw: str = ""
    measure_raw: str = ""
    lead_raw: str = ""
    dlt_lead_raw: str = ""
    comments_raw: str = ""
    rag_raw: str = ""
    rag_fill: str = ""  # cell colour the RAG was read from, when the cell had no text
    start_precision: str = ""  # the printed form: day | month | year | quarter | financial_year | season | range
    end_precision: str = ""
    lead_name: str = ""  # initials resolved through the document's key-leads table
    dlt_lead_name: str = ""
    # provenance
    format: str = ""
    page: int | None = None
    sheet: str = ""
    table: int | None = None
    row: int | None = None  # first table row the action was read from (0-based)
    rows: str = ""  # every table row that contributed, e.g. "4-5"
    line: int | None = None  # text extracts: 1-based line
    seq: int = 0  # 1-based position of the action in its document
    ocr: bool = False  # text came from OCR of a scanned page: check it against the image
    extra: dict[str, str] = field(default_factory=dict)  # unmapped columns, header -> text
    warnings: list[str] = field(default_factory=list)

    def to_row(self) -> dict[str, object]:
        """Flat dict for tabular writers: lists and dicts become text."""
        d = plain(self)
        d["warnings"] = "; ".join(self.warnings)
        d["extra"] = json.dumps(self.extra, ensure_ascii=False, sort_keys=True) if self.extra else ""
        return d


ACTION_COLUMNS = tuple(f.name for f in fields(ActionRecord))
assert ACTION_COLUMNS[: len(ACTION_CORE)] == ACTION_CORE


@dataclass
class DocumentRecord:
    """The fate of one input file: one row of documents.csv."""

    path: str
    sha256: str = ""
    format: str = ""  # detected from content
    status: str = ""  # ok | no_actions | error | skipped
    reason: str = ""  # one line
    cause: str = ""  # errors: missing_tool | limit | unreadable | encrypted | not_document (ingest.causes)
    extension_format: str = ""  # what the file name claims
    size: int = 0
    pages: int | None = None
    sheets: str = ""
    tables: int = 0
    actions: int = 0
    reports: int = 0
    warnings: int = 0
    seconds: float = 0.0

    def to_row(self) -> dict[str, object]:
        return plain(self)


DOCUMENT_COLUMNS = tuple(f.name for f in fields(DocumentRecord))
