"""A line that opens with a label ("Lead officer: ...", "Action 2.3: ...", "Update - ...").

The label words are the header vocabulary (``headers.json``): a plan that prints its actions
as labelled lines uses the same words it would put in a table header.  Shared by the
labelled-block reader and the table reader (a full-width "Update: ..." row under an action).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .header_map import match_field


@dataclass(frozen=True)
class LabelSettings:
    """Thresholds of the labelled-block reader (today's values are the defaults)."""

    max_label_chars: int = 45  # a longer text before a colon is a sentence, not a label
    max_label_words: int = 6
    min_blocks: int = 2  # fewer complete blocks than this: not a plan printed as blocks
    # fields of which at least one must accompany the action for the block to count
    evidence: tuple[str, ...] = ("lead", "dlt_lead", "start", "end", "rag")


SETTINGS = LabelSettings()

# "Label: value", "Label - value", "Label 2.3: value"; the label is words, the ref (when
# there is one) a token holding a digit.
_LABELLED = re.compile(r"^\s*(?P<label>[^\W\d_][\w '’/&().-]*?)"
                       r"(?:\s+(?P<ref>[A-Za-z]{0,6}[\s-]?\d[\w.()/-]*))?"
                       r"\s*(?::|\s[-–—]\s)\s*(?P<value>.*)$", re.S)


def read_label(text: str, settings: LabelSettings = SETTINGS) -> tuple[str, str, str, str] | None:
    """(field, label, ref, value) when ``text`` opens with a label the header vocabulary
    knows, else None."""
    m = _LABELLED.match(text)
    if not m:
        return None
    label = m.group("label").strip()
    if len(label) > settings.max_label_chars or len(label.split()) > settings.max_label_words:
        return None
    hit = match_field(label)
    if hit is None:
        return None
    ref = (m.group("ref") or "").strip()
    if ref and hit[0] not in ("action", "ref", "aim"):
        return None  # "Lead 2: ..." is not a label with a ref
    return hit[0], label, ref, m.group("value").strip()


def progress_note(texts: list[str], wide: bool) -> str | None:
    """The note of a row that only reports progress on the action above it: one text
    opening with a label that names the comments field ("Update: ...", "Progress - ..."),
    or such a label in the first cell and the note in one cell spanning the rest (``wide``).
    None for any other row (a banner, a data row)."""
    distinct = [t for i, t in enumerate(texts) if t and (i == 0 or t != texts[i - 1])]
    if len(distinct) == 1:
        hit = read_label(distinct[0])
        return hit[3] if hit and hit[0] == "comments" and hit[3] else None
    if len(distinct) == 2 and wide and texts[0]:
        hit = read_label(distinct[0].rstrip(": ") + ":")
        return distinct[1] if hit and hit[0] == "comments" and not hit[3] else None
    return None
