"""CSV and other delimited exports (comma, semicolon, tab, pipe) into the model.

A plan exported from Excel or a tracker system arrives as one delimited table: quoted cells
may hold the delimiter and line breaks ("Excel-style" CSV), the encoding is whatever the
exporting machine used, and title or note rows may sit above the header.  The whole file is
one table, one model row per record (blank records dropped); each cell keeps the line its
record starts on.  Which delimiter is decided by content (:func:`sniff`), never by the file
name, so a tab-separated file saved as ``.csv`` is read correctly.  Tab-separated text
without CSV quoting stays with ``parsers/text.py``, which also reads the prose and the
several tables a text extract holds; a TSV is read here when it quotes cells.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from .model import Block, Cell, Document, ParseError, Provenance, Table
from .text import decode

DELIMITERS = (",", ";", "\t", "|")
_QUOTED_TAB = re.compile(r'(?:^|\t)"[^"\t\n]*(?:""[^"\t\n]*)*(?:"\t|"$|\n)', re.M)


@dataclass(frozen=True)
class SniffSettings:
    """When text is a delimited table (today's values are the defaults)."""

    sample_records: int = 200  # records looked at to decide
    min_records: int = 2  # at least a header and one row
    min_share: float = 0.8  # of non-blank records, the share with the most common field count


SNIFF = SniffSettings()


def _records(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """(first line, fields) per record; a record cut off at the end of the text still counts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for fields in reader:
            out.append((start, fields))
            start = reader.line_num + 1
            if limit is not None and len(out) >= limit:
                break
    except csv.Error:
        pass  # an unterminated quote at the end of a truncated export: keep what was read
    return out


def sniff(text: str, settings: SniffSettings = SNIFF) -> str | None:
    """The delimiter that splits nearly every record into the same number (>= 2) of fields,
    or None when the text is not a delimited table (prose, a report, a tab layout with
    paragraphs between its tables)."""
    if not text.strip():
        return None
    sample = text[:200_000]
    if len(sample) < len(text):
        sample = sample[: sample.rfind("\n") + 1] or sample
    best: tuple[float, int, str] | None = None
    for d in DELIMITERS:
        if d == "\t" and not _QUOTED_TAB.search(sample):
            continue  # plain tab-separated lines are a text extract: parsers/text.py reads them
        key = _agreement(sample, d, settings)
        if key is not None and (best is None or key[:2] > best[:2]):
            best = key
    return best[2] if best else None


def _agreement(sample: str, d: str, settings: SniffSettings) -> tuple[float, int, str] | None:
    """(share of records with the commonest field count, that count, d) when ``d`` splits
    the sample alike into two or more fields, else None."""
    recs = [f for _, f in _records(sample, d, settings.sample_records) if any(x.strip() for x in f)]
    if len(recs) < settings.min_records:
        return None
    width, count = Counter(len(f) for f in recs).most_common(1)[0]
    share = count / len(recs)
    return (share, width, d) if width >= 2 and share >= settings.min_share else None


def parse_delimited(path: str, data: bytes, sha256: str) -> Document:
    text, encoding = decode(data)
    delimiter = sniff(text)
    if delimiter is None:
        raise ParseError("not a delimited table (no delimiter splits its records alike)")
    doc = Document(path=path, sha256=sha256, format="csv",
                   meta={"encoding": encoding, "delimiter": delimiter})
    rows = [(no, f) for no, f in _records(text, delimiter) if any(x.strip() for x in f)]
    n_cols = max(len(f) for _, f in rows)
    cells = [Cell(row=r, col=c, text=t.strip(), prov=Provenance(line=no))
             for r, (no, fields) in enumerate(rows) for c, t in enumerate(fields)]
    table = Table(cells=cells, n_rows=len(rows), n_cols=n_cols, index=0, prov=Provenance(line=rows[0][0]))
    doc.blocks.append(Block("table", table=table, prov=table.prov))
    widths = Counter(len(f) for _, f in rows)
    if len(widths) > 1:
        doc.warnings.append(f"records have {min(widths)} to {max(widths)} fields; short ones padded")
    return doc
