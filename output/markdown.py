"""The full text of a document as Markdown: ``texts/<sha256>.md`` and the search index.

Why Markdown: an archive of committee papers is read by people (who want headings and tables
that look like tables) and searched by machines (which want the words in reading order).
Markdown serves both, and unlike a plain text dump it keeps a table a table.

:func:`render_markdown` is a pure function of the document model (no file is opened); the
run writes its result through :func:`write_texts`, each file atomically.

Choices, each for a reason:

- Page markers ``<!-- page 3 -->`` (and ``<!-- sheet "Name" -->`` for workbooks) are HTML
  comments: invisible when the Markdown is shown, easy to find for a script that wants a
  page, and they never split a table (a table that runs over a page break is one table,
  ``<!-- pages 3-4 -->`` before it; what follows it is on page 4 until the next marker).
- Every table gets a header row (Markdown has no headless table): its first row, as printed.
- A merged cell's text is repeated in every row it spans, so each Markdown row reads whole
  (a lead officer merged down five actions belongs to all five); across columns it is
  repeated too, except a row that is one cell wide across the whole table (a section title
  printed inside the table), whose text stands once in the first column.
- Inside a cell a line break becomes ``<br>`` and ``|`` is escaped, so a row is one line
  and the table stays well formed whatever the cell holds.
- Outside tables the text is kept as printed; only a line that Markdown would read as
  markup of its own (``#``, ``>``, ``|`` or a fence at its start) gets a backslash.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..parsers.model import Block, Document, Table
from .atomic import StagedFiles

TEXTS_DIR = "texts"
MARKDOWN_VERSION = "1"  # bump when the rendering changes: stored texts are then re-made
_BULLET = re.compile(r"^\s*[\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2219\u00b7*\-\u2013o]\s+")
_ORDERED = re.compile(r"^\s*(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)]\s+")
_MARKUP_START = re.compile(r"^(\s*)(#|>|\||```|~~~)", re.M)
_NAME = re.compile(r"^[0-9a-f]{64}\.md$")
_NOT_TEXT = re.compile(r"^(?:<!-- (?:page \d+|pages \d+-\d+|sheet \".*\") -->|\|(?: --- \|)+)\n*", re.M)


def render_markdown(doc: Document) -> str:
    """The whole document as Markdown, blocks in reading order, with page/sheet markers."""
    out: list[str] = []
    where: tuple[int | None, str | None] = (None, None)
    for block in doc.blocks:
        where = _marker(block, where, out)
        text = _block(block)
        if text:
            out.append(text)
        if block.kind == "table" and block.table is not None:
            last = _last_page(block.table)
            if last is not None and where[0] is not None and last > where[0]:
                where = (last, where[1])  # "pages 3-4" said so; what follows is on page 4
    return "\n\n".join(out).rstrip() + "\n" if out else ""


def search_text(markdown: str) -> str:
    """The Markdown without its page and sheet markers and table rules: what the search index
    holds, so a query for "page" does not match every multi-page paper and snippets show
    words, not ``| --- |``."""
    return _NOT_TEXT.sub("", markdown)


def _marker(block: Block, where: tuple[int | None, str | None], out: list[str]) -> tuple[int | None, str | None]:
    """Append a marker when the block starts a new page or sheet, and before every table that
    runs over a page break (even one that starts on the current page: the marker says where
    it ends, so what follows it is known to be on that page); returns where we are."""
    page, sheet = _place(block)
    if sheet and sheet != where[1]:
        out.append(f'<!-- sheet "{sheet}" -->')
    last = _last_page(block.table) if block.kind == "table" and block.table is not None else None
    if page is not None and last is not None and last > page:
        out.append(f"<!-- pages {page}-{last} -->")
    elif page is not None and page != where[0]:
        out.append(f"<!-- page {page} -->")
    return (page if page is not None else where[0], sheet or where[1])


def _place(block: Block) -> tuple[int | None, str | None]:
    """(page, sheet) of a block; a table's from its own provenance or its cells'."""
    if block.kind == "table" and block.table is not None:
        t = block.table
        return block.prov.page or t.prov.page or _first_page(t), block.prov.sheet or t.prov.sheet
    return block.prov.page, block.prov.sheet


def _first_page(table: Table) -> int | None:
    pages = [c.prov.page for c in table.cells if c.prov.page is not None]
    return min(pages) if pages else None


def _last_page(table: Table) -> int | None:
    pages = [c.prov.page for c in table.cells if c.prov.page is not None]
    return max(pages) if pages else None


def _block(block: Block) -> str:
    if block.kind == "table":
        return render_table(block.table) if block.table is not None else ""
    if block.kind == "heading":
        text = " ".join(block.text.split())
        return f"{'#' * min(max(block.level, 1), 6)} {text}" if text else ""
    if block.kind == "list_item":
        return _list_item(block)
    if block.kind == "key_value":
        key, value = (block.key or "").strip(), (block.value or "").strip()
        if not key:
            return _plain(value)
        return f"**{_inline(key)}** {_plain(value)}".rstrip()
    return _plain(block.text)


def _list_item(block: Block) -> str:
    text = block.text.strip()
    if not text:
        return ""
    indent = "  " * max(block.level - 1, 0)
    if _ORDERED.match(text):
        return indent + _escape_ordered(text).replace("\n", "\n" + indent + "   ")
    text = _BULLET.sub("", text, count=1)
    return indent + "- " + _plain(text).replace("\n", "\n" + indent + "  ")


def _escape_ordered(text: str) -> str:
    """"1. Text" is an ordered list item already; "a)" is not one to Markdown: kept as text."""
    return text if re.match(r"^\s*\d{1,3}[.)]\s", text) else "- " + text


def _plain(text: str) -> str:
    """Running text as printed; a line that would turn into markup is escaped."""
    text = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
    return _MARKUP_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _inline(text: str) -> str:
    return " ".join(text.split()).replace("*", "\\*")


def cell_text(text: str) -> str:
    """A cell's text on one line: line breaks as ``<br>``, ``|`` escaped."""
    lines = [" ".join(line.split()) for line in text.replace("\\", "\\\\").replace("|", "\\|").splitlines()]
    return "<br>".join(line for line in lines if line)


def table_rows(table: Table) -> list[list[str]]:
    """The table's rows as Markdown cell texts, merged cells repeated (see the module doc);
    rows with no text at all are left out."""
    grid = table.grid()
    rows: list[list[str]] = []
    for r, row in enumerate(grid):
        texts = [cell_text(c.text) if c is not None else "" for c in row]
        anchor = row[0]
        if anchor is not None and table.n_cols > 1 and anchor.col_span >= table.n_cols and anchor.row == r:
            texts = [texts[0]] + [""] * (table.n_cols - 1)
        if any(texts):
            rows.append(texts)
    return rows


def render_table(table: Table) -> str:
    """A well-formed Markdown table (same number of cells on every line)."""
    if table.n_cols < 1:
        return ""
    rows = table_rows(table)
    if not rows:
        return ""
    lines = [_row(rows[0]), "|" + "|".join(" --- " for _ in rows[0]) + "|"]
    lines += [_row(r) for r in rows[1:]]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def text_name(sha256: str) -> str:
    return f"{sha256}.md"


def write_texts(out_dir: str | os.PathLike[str], texts: Iterable[tuple[str, str]]) -> list[Path]:
    """Write ``(sha256, markdown)`` pairs as ``out_dir/texts/<sha256>.md``, each file through
    a temp file and a rename (a reader never sees half a text)."""
    folder = Path(out_dir) / TEXTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with StagedFiles(folder) as staged:
        for sha, markdown in texts:
            staged.stage(text_name(sha)).write_text(markdown, encoding="utf-8")
    return staged.committed


def stored_texts(out_dir: str | os.PathLike[str]) -> set[str]:
    """sha256 of every text file present in ``out_dir/texts``."""
    return {name[:-3] for name in _names(Path(out_dir) / TEXTS_DIR)}


def remove_texts(out_dir: str | os.PathLike[str], shas: Iterable[str]) -> int:
    """Delete the text files of contents no longer in the store; returns how many."""
    folder = Path(out_dir) / TEXTS_DIR
    removed = 0
    for sha in shas:
        try:
            (folder / text_name(sha)).unlink()
            removed += 1
        except OSError:
            continue
    return removed


def _names(folder: Path) -> Iterator[str]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if _NAME.match(entry.name):
            yield entry.name
