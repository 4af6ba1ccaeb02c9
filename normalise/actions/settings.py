"""Thresholds of the action reader in one place (pdfplumber's ``TableSettings`` is the model).

Every value is today's default; a caller may pass its own ``ActionSettings`` to
``extract_actions`` or ``assign_roles`` to try other tolerances without editing code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionSettings:
    # -- header cells -------------------------------------------------------------------
    fuzzy_cutoff: int = 86  # rapidfuzz ratio for a header cell against a known phrase
    min_header_fields: int = 3  # distinct fields a header row must name
    header_min: float = 0.6  # a header cell names a field when it scores at least this
    max_header_len: int = 60  # longer cells are content, not a column name
    contained_min_len: int = 4  # shortest phrase matched as words inside a longer header
    contained_min_share: float = 0.3  # ...and the share of the header's characters it must cover
    hint_max_words: int = 4  # single hint words ("officer", "target") count in labels this short
    latest_bonus: float = 0.1  # "Revised target date" beats "Original target date" for end
    # -- cell content -------------------------------------------------------------------
    content_weight: float = 0.6  # content evidence counts this much beside a header score
    content_min: float = 0.7  # content alone names a typed column (dates, RAG, refs) at this
    content_min_rows: int = 3  # ...over at least this many filled cells
    prose_words: int = 8  # mean words at which a column reads fully as prose
    short_words: int = 6  # a lead/status-like cell has at most this many words
    short_chars: int = 45
    ref_chars: int = 14  # a ref cell is at most this long
    grouping_min: float = 0.3  # share of rows repeating the row above: a grouping column
    evidence_rows: int = 300  # content evidence from a table's first rows (enough to judge, bounded cost)
    position_weight: float = 0.05  # tie-breaker: refs left, dates in order, status right
    # -- rows ---------------------------------------------------------------------------
    merged_at_most: float = 0.6  # text extracts: aim text on at most this share of a block's rows
    max_sub_header_chars: int = 40  # a second header row's labels are at most this long
    min_legend_cells: int = 2  # a colour key prints at least this many statuses
