"""The one document model every parser fills.

Parsers know nothing about plans or actions: they report what is on the page (headings,
paragraphs, list items, key/value lines, tables with merged cells and fills) and where each
piece came from.  Everything domain-specific happens later, in ``plantrail.normalise``, which
reads only this model.  That split is what lets a new format arrive without touching the
normaliser, and lets the normaliser be tested on documents built in memory.

Blocks are typed: ``Heading`` (always a level 1..6), ``Paragraph``, ``ListItem`` (nesting
depth), ``KeyValue`` (key and value) and ``TableBlock`` (always a table), all subclasses of
``Block``.  ``isinstance(block, TableBlock)`` gives a consumer ``block.table`` without a None
check; generic code can still read any attribute of any block (``kind``, ``text``, ``level``,
``key``, ``value``, ``table``, ``bold``, ``prov``).  ``Block(kind, text, level=...,
table=...)`` builds the right typed block, so code written against the one-class model keeps
working.  A document turns
into JSON and back without loss (``Document.to_json`` / ``Document.from_json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

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


Grid = list[list[Cell | None]]


@dataclass(slots=True)
class Table:
    """A grid of cells.  ``cells`` holds only the anchor (top-left) cell of each region.

    The expanded grid is built once and reused: consumers read a table row by row, and
    rebuilding the whole grid for each row made reading a table quadratic in its rows (a
    3,000-row tracker took minutes).  Parsers may still append cells or grow the table while
    building it; the cache is keyed on the cell count and size, so such a change rebuilds it.
    A cell's position or span must not change after the table has been read.
    """

    cells: list[Cell]
    n_rows: int
    n_cols: int
    index: int = 0  # position among the document's tables, 0-based
    prov: Provenance = field(default_factory=Provenance)
    _grid: Grid | None = field(default=None, init=False, repr=False, compare=False)
    _grid_key: tuple[int, int, int, int] = field(default=(0, -1, -1, -1), init=False, repr=False,
                                                 compare=False)

    def grid(self) -> Grid:
        """Every (row, col) position mapped to the cell covering it, spans expanded.

        The returned lists are shared by every caller: read them, never change them."""
        key = (id(self.cells), len(self.cells), self.n_rows, self.n_cols)
        if self._grid is None or key != self._grid_key:
            self._grid = self._build_grid()
            self._grid_key = key
        return self._grid

    def _build_grid(self) -> Grid:
        out: Grid = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.row_span, self.n_rows)):
                row = out[r]
                for k in range(c.col, min(c.col + c.col_span, self.n_cols)):
                    row[k] = c
        return out

    def row_texts(self, r: int) -> list[str]:
        """The texts of row ``r`` as a reader sees them: a merged cell's text in every
        position it covers."""
        return [c.text if c else "" for c in self.grid()[r]]

    def rows_of_cells(self) -> list[list[Cell]]:
        """The anchor cells of each row (in the order of ``cells``, which parsers fill left to
        right), found in one pass instead of one scan of all cells per row."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            if 0 <= c.row < self.n_rows:
                out[c.row].append(c)
        return out


class _BlockKind(type):
    """Lets the old one-class constructor ``Block(kind, text, ...)`` build the typed block."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Block:
            return make_block(*args, **kwargs)
        return super().__call__(*args, **kwargs)


class Block(metaclass=_BlockKind):
    """One element of the reading order; the base of the typed blocks.

    Every block answers ``kind``, ``text``, ``bold``, ``prov``; the attributes a kind does not
    have read as empty (``level`` 0, ``key``/``value``/``table`` None) so generic code can
    look at any block, while code that tests ``kind`` first gets the precise type.
    """

    if TYPE_CHECKING:
        def __new__(cls, kind: str, text: str = "", level: int = 0, key: str | None = None,  # type: ignore[misc]
                    value: str | None = None, table: Table | None = None, bold: bool = False,
                    prov: Provenance | None = None) -> AnyBlock: ...

        text: str
        bold: bool
        prov: Provenance

    @property
    def kind(self) -> str:
        raise NotImplementedError

    @property
    def level(self) -> int:
        return 0

    @property
    def key(self) -> str | None:
        return None

    @property
    def value(self) -> str | None:
        return None

    @property
    def table(self) -> Table | None:
        return None


@dataclass(slots=True)
class Heading(Block):
    """A heading; ``level`` 1 (top) .. 6."""

    text: str
    level: int = 1
    bold: bool = False
    prov: Provenance = field(default_factory=Provenance)

    @property
    def kind(self) -> Literal["heading"]:
        return "heading"


@dataclass(slots=True)
class Paragraph(Block):
    text: str
    bold: bool = False
    prov: Provenance = field(default_factory=Provenance)

    @property
    def kind(self) -> Literal["paragraph"]:
        return "paragraph"


@dataclass(slots=True)
class ListItem(Block):
    """A list item; ``level`` is the nesting depth, 0 for a top-level item."""

    text: str
    level: int = 0
    bold: bool = False
    prov: Provenance = field(default_factory=Provenance)

    @property
    def kind(self) -> Literal["list_item"]:
        return "list_item"


@dataclass(slots=True)
class KeyValue(Block):
    """A labelled line ("Date: 14 July 2020"): the label in ``key``, the rest in ``value``."""

    key: str
    value: str
    text: str = ""
    bold: bool = False
    prov: Provenance = field(default_factory=Provenance)

    @property
    def kind(self) -> Literal["key_value"]:
        return "key_value"


@dataclass(slots=True)
class TableBlock(Block):
    table: Table
    text: str = ""
    bold: bool = False
    prov: Provenance = field(default_factory=Provenance)

    @property
    def kind(self) -> Literal["table"]:
        return "table"


AnyBlock = Heading | Paragraph | ListItem | KeyValue | TableBlock


def make_block(kind: str, text: str = "", level: int = 0, key: str | None = None,
               value: str | None = None, table: Table | None = None, bold: bool = False,
               prov: Provenance | None = None) -> AnyBlock:
    """The typed block for ``kind``; raises ValueError for an unknown kind or a table block
    without a table.  A heading's level is kept within 1..6."""
    p = prov if prov is not None else Provenance()
    if kind == "heading":
        return Heading(text, min(max(level, 1), 6), bold, p)
    if kind == "paragraph":
        return Paragraph(text, bold, p)
    if kind == "list_item":
        return ListItem(text, max(level, 0), bold, p)
    if kind == "key_value":
        return KeyValue(key or "", value or "", text, bold, p)
    if kind == "table":
        if table is None:
            raise ValueError("a table block needs a table")
        return TableBlock(table, text, bold, p)
    raise ValueError(f"unknown block kind: {kind!r}")


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
        return [b.table for b in self.blocks if isinstance(b, TableBlock)]

    def text(self) -> str:
        """Plain text of the whole document, tables as tab-separated rows; for report
        reading and for searching, never for provenance."""
        lines: list[str] = []
        for b in self.blocks:
            if isinstance(b, TableBlock):
                lines.extend("\t".join(b.table.row_texts(r)) for r in range(b.table.n_rows))
            elif isinstance(b, KeyValue):
                lines.append(f"{b.key}\t{b.value}")
            else:
                lines.append(b.text)
        return "\n".join(lines)

    def to_json(self, indent: int | None = None) -> str:
        """The whole document as JSON: every block, table, cell and provenance field."""
        from .model_json import document_to_json
        return document_to_json(self, indent)

    @staticmethod
    def from_json(text: str) -> Document:
        """The document ``to_json`` wrote, equal to the original."""
        from .model_json import document_from_json
        return document_from_json(text)


class ParseError(Exception):
    """A file that cannot be read as what it claims to be; the message is the one-line
    reason recorded for the file in documents.csv."""
