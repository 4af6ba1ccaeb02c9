"""The shapes every style builds: an action (its gold values and its printed forms) and a
rendering-neutral document (headings, paragraphs, tables, sheets, slides) that the renderers
turn into DOCX, XLSX, PPTX, PDF, text and CSV.

Gold values and printed text live side by side on one `Action`, so every format of a style
prints the same plan and is scored against the same gold rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GOLD_FIELDS = ("doc", "seq", "section", "aim", "ref", "action", "start", "end", "measure", "lead",
               "dlt_lead", "comments", "rag", "rag_raw", "notes")

COLOURS = {"green": "00B050", "amber": "FFC000", "red": "FF0000", "blue": "0070C0",
           "completed": "7F7F7F", "": "FFFFFF"}


@dataclass
class Printed:
    """A printed value with the value gold records for it (a date, a status)."""

    text: str
    gold: str
    value: Any = None           # a spreadsheet value (datetime) where the style writes one
    number_format: str = ""     # its Excel number format
    colour: str = ""            # fill / glyph colour (hex) for a status


@dataclass
class Action:
    section: str
    aim: str
    ref: str                    # as printed ('' when the style prints none)
    action: str
    start: Printed
    end: Printed
    measure: str = ""
    lead: str = ""
    dlt_lead: str = ""
    support: str = ""           # supporting partners: printed, never gold lead
    comments: str = ""
    status: Printed = field(default_factory=lambda: Printed("", ""))
    extra: dict[str, Printed] = field(default_factory=dict)   # other printed columns
    notes: str = ""
    months: tuple[int, int] = (0, 0)   # the true start and end month (for next versions' slips)

    def gold(self, doc: str, seq: int, printed: set[str]) -> dict[str, str]:
        """Gold values of the fields the document prints (others are empty: nothing to read)."""
        row = self._values(doc, seq)
        for f in ("section", "aim", "ref", "action", "start", "end", "measure", "lead", "dlt_lead", "comments"):
            if f not in printed:
                row[f] = ""
        if "status" not in printed:
            row["rag"] = row["rag_raw"] = ""
        return row

    def _values(self, doc: str, seq: int) -> dict[str, str]:
        return {"doc": doc, "seq": str(seq), "section": self.section, "aim": self.aim,
                "ref": self.ref.rstrip(".: "),
                "action": self.action, "start": self.start.gold, "end": self.end.gold,
                "measure": self.measure, "lead": self.lead, "dlt_lead": self.dlt_lead,
                "comments": self.comments, "rag": self.status.gold, "rag_raw": self.status.text,
                "notes": self.notes}


# ----------------------------------------------------------------------------- document


@dataclass
class Col:
    header: str
    key: str                    # what the cell shows: an Action attribute or an `extra` key
    width: float = 3.0          # relative width
    group: str = ""             # a group label printed above (multi-row header)


@dataclass
class Cell:
    text: str
    fill: str = ""
    colour: str = ""
    value: Any = None
    number_format: str = ""
    bold: bool = False


@dataclass
class Row:
    kind: str                   # "data", "banner" (full-width heading row), "update" (full-width comments)
    cells: list[Cell] = field(default_factory=list)
    text: str = ""


@dataclass
class Table:
    cols: list[Col]
    rows: list[Row]
    merge: tuple[str, ...] = ()  # column keys whose equal consecutive cells are one merged cell
    repeat_header: bool = True
    header_fill: str = "D9E2F3"


@dataclass
class Block:
    kind: str                   # "heading", "para", "table"
    text: str = ""
    level: int = 1
    table: Table | None = None


@dataclass
class Sheet:
    name: str
    blocks: list[Block]
    start_col: int = 1          # 1 = column A
    slide_title: str = ""       # for decks: the slide's title


@dataclass
class Doc:
    """A whole document: one sheet for DOCX/PDF/text, several for a workbook or a deck."""

    title: str
    sheets: list[Sheet]
    landscape: bool = True
    font_size: float = 8.5
    fields: tuple[str, ...] = ()   # the Action fields printed, where no table says so (labelled blocks)
