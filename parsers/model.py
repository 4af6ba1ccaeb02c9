"""The one document model every parser fills.

Parsers know nothing about plans or actions: they report what is on the page (headings,
paragraphs, list items, key/value lines, tables with merged cells and fills) and where each
piece came from.  Everything domain-specific happens later, in ``plantrail.normalise``, which
reads only this model.  That split is what lets a new format arrive without touching the
normaliser, and lets the normaliser be tested on documents built in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "key_value", "table")


@dataclass(slots=True)
class Provenance:
    """Where a piece of content sits in its source file.

    ``page`` is 1-based (PDF page; for text, DOCX and XLSX it stays None), ``sheet`` the
    worksheet name, ``cell`` an A1-style address for spreadsheets, ``line`` the 1-based line
    of a text file, ``bbox`` (x0, top, x1, bottom) in PDF points.
    """

    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass(slots=True)
class Cell:
    """One cell as the reader sees it; a merged region is ONE cell with spans."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    bold: bool = False
    fill: str | None = None  # "RRGGBB", upper case, None when unfilled or white
    prov: Provenance = field(default_factory=Provenance)
    nested: list[Table] = field(default_factory=list)
    # font colour of the cell's visible text ("RRGGBB", upper case) when it is one colour and
    # not black/automatic: a coloured glyph such as a lone dot carries meaning in many tables
    color: str | None = None
    # spreadsheet cells: the stored value when it is not plain text ("2024-03-31T00:00:00" for
    # a date, "0.25" for a number) and the number format that turned it into ``text``
    value: str | None = None
    number_format: str | None = None


@dataclass(slots=True)
class Table:
    """A grid of cells.  ``cells`` holds only the anchor (top-left) cell of each region."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    index: int = 0  # position among the document's tables, 0-based
    prov: Provenance = field(default_factory=Provenance)

    def grid(self) -> list[list[Cell | None]]:
        """Every (row, col) position mapped to the cell covering it, spans expanded."""
        out: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.row_span, self.n_rows)):
                for k in range(c.col, min(c.col + c.col_span, self.n_cols)):
                    out[r][k] = c
        return out

    def row_texts(self, r: int) -> list[str]:
        """The texts of row ``r`` as a reader sees them: a merged cell's text in every
        position it covers."""
        return [c.text if c else "" for c in self.grid()[r]]


@dataclass(slots=True)
class Block:
    """One element of the reading order.

    kind: heading (``level`` 1..6), paragraph, list_item (``level`` = nesting depth),
    key_value (``key``/``value``), or table (``table``).
    """

    kind: str
    text: str = ""
    level: int = 0
    key: str | None = None
    value: str | None = None
    table: Table | None = None
    bold: bool = False
    prov: Provenance = field(default_factory=Provenance)


@dataclass(slots=True)
class SheetInfo:
    name: str
    hidden: bool = False
    rows: int = 0
    cols: int = 0


@dataclass(slots=True)
class Document:
    """A parsed file: what it is, where it came from, and its blocks in reading order."""

    path: str
    sha256: str
    format: str  # as detected from content: text | docx | xlsx | pdf | xls | doc | odt | ods | rtf
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    sheets: list[SheetInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.kind == "table" and b.table is not None]

    def text(self) -> str:
        """Plain text of the whole document, tables as tab-separated rows; for report
        reading and for searching, never for provenance."""
        lines: list[str] = []
        for b in self.blocks:
            if b.kind == "table" and b.table is not None:
                for r in range(b.table.n_rows):
                    lines.append("\t".join(b.table.row_texts(r)))
            elif b.kind == "key_value":
                lines.append(f"{b.key}\t{b.value}")
            else:
                lines.append(b.text)
        return "\n".join(lines)


class ParseError(Exception):
    """A file that cannot be read as what it claims to be; the message is the one-line
    reason recorded for the file in documents.csv."""
