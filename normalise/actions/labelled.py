"""Actions printed as blocks of labelled lines instead of a table.

Many reports print each action as a small block::

    Action 2.3: Review the referral pathway
    Lead: Head of Early Help
    Deadline: March 2025
    Status: On track

in text, Word paragraphs, PDF text or two-column "label | value" boxes.  The labels are the
same words a table header would use, so they are mapped to fields through the header
vocabulary (``headers.json``); no label is written here.  A block starts where the action
(or ref) label appears again; a label that names the aim ("Objective 1: ...") groups the
actions after it; unlabelled lines continue the field above them while it reads as one
unfinished text.  Only blocks that name an action and at least one of who, when or status
become records, and only when the document has enough of them (a single "Action:" line in
a letter is not a plan).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...parsers.model import Block, Document, Provenance, Table
from ..records import ActionRecord
from .drafts import Draft
from .extract import to_record
from .labels import SETTINGS, LabelSettings, read_label
from .people import find_people
from .refs import parse_ref
from .sections import SectionTracker, repair_clipped
from .table_reader import Row

_TERMINAL = re.compile(r"[.!?;)]\s*$")
_PROSE = ("action", "measure", "comments", "aim")
_STARTS = ("action", "ref")


@dataclass
class Line:
    """One labelled line: the field its label names, the value, where it was printed."""

    field: str
    value: str
    prov: Provenance
    label: str
    ref: str = ""


@dataclass
class _Block:
    section: str
    aim: str
    lines: list[Line] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    ref_raw: str = ""

    def add(self, line: Line) -> None:
        self.lines.append(line)
        if line.ref and not self.ref_raw:
            self.ref_raw = line.ref
        if line.field == "ref":
            self.ref_raw = line.value
        else:
            self.fields[line.field] = line.value

    def append(self, text: str) -> None:
        last = self.lines[-1].field
        have = self.fields.get(last, "")
        self.fields[last] = f"{have} {text}".strip()


def _table_lines(table: Table, settings: LabelSettings) -> Iterator[Line | None]:
    """Rows of a "label | value" box; None for a row that is not one (it ends a block)."""
    for r in range(table.n_rows):
        cells = [c for c in table.grid()[r] if c is not None]
        distinct = list(dict.fromkeys(id(c) for c in cells))
        texts = [next(c for c in cells if id(c) == i) for i in distinct]
        filled = [c for c in texts if c.text.strip()]
        if len(filled) != 2:
            yield None
            continue
        key, value = filled
        hit = read_label(key.text.strip().rstrip(":") + ":", settings)
        if hit is None or hit[3]:
            yield None
            continue
        yield Line(hit[0], value.text.strip(), key.prov, hit[1], hit[2])


def _block_lines(block: Block, settings: LabelSettings) -> Iterator[Line | str | None]:
    """A block as labelled lines (Line), unlabelled text (str) or a break (None)."""
    if block.kind == "table" and block.table is not None:
        yield from _table_lines(block.table, settings)
        return
    if block.kind == "key_value":
        hit = read_label(f"{block.key or ''}:", settings)
        if hit is not None:
            yield Line(hit[0], (block.value or "").strip(), block.prov, hit[1], hit[2])
            return
        yield None
        return
    text = (block.text or "").strip()
    if block.kind == "heading":
        yield None  # a heading is the section, never a label (it also ends a block)
        return
    if not text:
        return
    hit = read_label(text, settings)
    yield Line(hit[0], hit[3], block.prov, hit[1], hit[2]) if hit is not None else text


def read_blocks(doc: Document, settings: LabelSettings = SETTINGS) -> list[_Block]:
    """Every labelled block of the document, complete or not, in reading order."""
    reader = _Reader()
    for block in doc.blocks:
        if block.kind == "heading":
            reader.tracker.heading(block.text)
            reader.aim = ""
        for item in _block_lines(block, settings):
            if item is None:
                reader.current, reader.open_text = None, False
            elif isinstance(item, str):
                reader.text(item, block)
            else:
                reader.line(item)
    return reader.blocks


class _Reader:
    """The state of one pass: the open block, the aim in force, the section."""

    def __init__(self) -> None:
        self.tracker = SectionTracker()
        self.blocks: list[_Block] = []
        self.current: _Block | None = None
        self.aim = ""
        self.open_text = False  # the last field may continue on the next unlabelled line

    def text(self, item: str, block: Block) -> None:
        """Unlabelled text: the rest of an unfinished field, else prose that ends the block."""
        if self.current is not None and self.open_text:
            self.current.append(item)
            self.open_text = _continues(self.current)
            return
        self.current = None
        self.tracker.paragraph(item, block.bold, is_list=block.kind == "list_item")

    def line(self, item: Line) -> None:
        if item.field == "aim":  # groups the blocks after it
            self.aim, self.current, self.open_text = item.value, None, False
            return
        if self.current is None or _starts_new(self.current, item):
            self.current = _Block(self.tracker.current, self.aim)
            self.blocks.append(self.current)
        self.current.add(item)
        # an empty value ("Lead officer:" on a line of its own) is printed on the next line
        self.open_text = not item.value or (item.field in _PROSE and not _TERMINAL.search(item.value))


def _starts_new(block: _Block, item: Line) -> bool:
    """A label already filled in this block, or the action/ref label once the block has
    its action (or ref), opens the next block."""
    if item.field in block.fields:
        return True
    if item.field not in _STARTS:
        return False
    return "action" in block.fields or (item.field == "ref" and bool(block.ref_raw))


def _continues(block: _Block) -> bool:
    last = block.lines[-1].field
    return last in _PROSE and not _TERMINAL.search(block.fields.get(last, ""))


def _complete(b: _Block, settings: LabelSettings) -> bool:
    return bool(b.fields.get("action", "").strip()) and any(
        b.fields.get(f, "").strip() for f in settings.evidence)


def extract_labelled(doc: Document, settings: LabelSettings = SETTINGS) -> list[ActionRecord]:
    """Action records from labelled blocks; [] unless at least ``min_blocks`` are complete."""
    blocks = [b for b in read_blocks(doc, settings) if _complete(b, settings)]
    if len(blocks) < settings.min_blocks:
        return []
    drafts = []
    for b in blocks:
        prov = b.lines[0].prov
        row = Row(texts=[line.value for line in b.lines], fill_list=[None] * len(b.lines), table=-1,
                  row=0, prov=prov, section=b.section)
        row.fields = dict(b.fields)
        if b.aim and "aim" not in row.fields:
            row.fields["aim"] = b.aim
        ref = parse_ref(b.ref_raw).value if b.ref_raw else ""
        draft = Draft(ref=ref, ref_raw=b.ref_raw, rows=[row], fields=dict(row.fields))
        if b.ref_raw and not ref:
            draft.warnings.append(f"unreadable ref {b.ref_raw!r}")
        labels = ", ".join(f"{line.label!r}->{line.field}" for line in b.lines)
        draft.warnings.append(f"read from labelled lines ({labels})")
        drafts.append(draft)
    people = find_people(doc)
    fixes = repair_clipped([d.rows[0].section for d in drafts])
    records = [to_record(doc, d, i, people, fixes) for i, d in enumerate(drafts, start=1)]
    for rec in records:
        rec.table, rec.row, rec.rows = None, None, ""
    return records


__all__ = ["LabelSettings", "extract_labelled", "read_blocks", "read_label"]
