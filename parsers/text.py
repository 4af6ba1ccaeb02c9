"""Plain-text extracts (what PDF-to-text tools and scrapers leave behind) into the model.

A run of tab-separated lines is a table; blank lines end it.  Text laid out with spaces
(``pdftotext -layout``, fixed-width exports) is a table where the gaps of two or more
spaces line up over a run of lines: the columns are the stretches some line prints on, the
gutters the positions no line of the run prints on (see :class:`AlignSettings`).  Markdown headings (``#``),
``<b>``/``<p>``/``<sup>`` tags, ``*emphasis*`` and bullets are read as structure and
removed from the text.  Spans are lost in such extracts: each row keeps its raw cells and
the normaliser decides what belongs together.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .model import Block, Cell, Document, ParseError, Provenance, Table

_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25cf\u25aa\u2013\u25e6\u25a0\uf0b7\uf0a7\uf0d8\uf076]|\d+[.)])\s+")
_TAG = re.compile(r"</?(?:b|p|i|u|em|strong|sup|sub|span|br|div|font|ul|ol|li)\b[^>]*>", re.I)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])")
_BOLD_ONLY = re.compile(r"^\s*<b>(.*)</b>\s*$", re.I)


_STRAY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text in the encodings people actually have; returns (text, encoding)."""
    if not data.strip():
        return "", "empty"
    sample = data[:65536]
    utf16 = sample.startswith((b"\xff\xfe", b"\xfe\xff"))
    encoding = "utf-16" if utf16 else "utf-8-sig"
    if b"\x00" in sample and not utf16:
        encoding = _utf16_without_bom(sample[:1024]) or ""
        if not encoding:
            raise ParseError("binary content (NUL bytes), not a text file")
    if encoding.startswith("utf-16"):
        data = data[: len(data) // 2 * 2]  # a stray trailing byte (a cut copy) is not the text
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.02 * max(1, min(len(text), 20000)) or text[:20000].count("\ufffd") > 50:
        raise ParseError("binary content (control characters), not a text file")
    # the check above samples the start; a stray NUL, ESC or bell further on is not text either
    return _STRAY_CONTROLS.sub("", text), encoding


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for mostly-ASCII UTF-16 written without a byte-order mark
    (some council exports do this): a NUL in nearly every other byte, the other half
    printable.  None for anything else, which stays binary."""
    n = len(head) // 2 * 2
    if n < 16:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    for zeros, chars, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        printable = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 0xA0 for b in chars)
        if zeros.count(0) > 0.9 * len(zeros) and printable > 0.9 * len(chars):
            return codec
    return None


def clean_inline(s: str) -> str:
    """Drop inline markup that extraction tools leave; keep every word."""
    s = _TAG.sub(" ", s)
    s = html.unescape(s)
    s = s.replace("**", "")
    s = _EMPHASIS.sub(r"\1", s).strip()
    return re.sub(r"[ \u00a0]+", " ", s).strip()


def parse_text(path: str, data: bytes, sha256: str) -> Document:
    text, encoding = decode(data)
    doc = Document(path=path, sha256=sha256, format="text", meta={"encoding": encoding})
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    aligned = {run.lines[0][0]: run for run in aligned_runs(lines)}
    skip_to = 0
    last_prose = 0  # the line of the last heading, paragraph or list item
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if run:
            doc.blocks.append(_table(run, len(doc.tables())))
            run.clear()

    for no, raw in enumerate(lines, start=1):
        if no < skip_to:
            continue
        if no in aligned:
            flush()
            doc.blocks.append(_aligned_table(aligned[no], len(doc.tables())))
            found = doc.meta.get("aligned_tables")
            doc.meta["aligned_tables"] = f"{found},{len(doc.tables()) - 1}" if found else str(len(doc.tables()) - 1)
            skip_to = aligned[no].lines[-1][0] + 1
            continue
        if "\t" in raw and raw.strip():
            run.append((no, raw))
            continue
        flush()
        block = _prose_block(raw, no, doc.blocks[-1] if doc.blocks else None, last_prose)
        if block is not None:
            doc.blocks.append(block)
        if raw.strip():
            last_prose = no
    flush()
    if not doc.blocks:
        doc.warnings.append("no text content")
    return doc


def _prose_block(raw: str, no: int, prev: Block | None, prev_no: int) -> Block | None:
    """A heading, list item or paragraph; None for a blank line, and for an indented line
    right under a list item (``prev``, whose last line was ``prev_no``), which is the item's
    text wrapped: it is appended to the item."""
    line = raw.strip()
    if not line:
        return None
    prov = Provenance(line=no)
    m = _HEADING_MD.match(line)
    if m:
        return Block("heading", clean_inline(m.group(2)), level=len(m.group(1)), prov=prov)
    indent = len(raw) - len(raw.lstrip())
    if _BULLET.match(line) and not re.match(r"^\d+\.\d", line):
        return Block("list_item", clean_inline(_strip_bullet(line)), level=indent // 2, prov=prov)
    if prev is not None and prev.kind == "list_item" and prev_no == no - 1 \
            and indent >= 2 * prev.level + 2:
        prev.text = f"{prev.text} {clean_inline(line)}"
        return None
    return Block("paragraph", clean_inline(line), bold=bool(_BOLD_ONLY.match(line)), prov=prov)


def _strip_bullet(line: str) -> str:
    """Remove a dash/dot bullet but keep a list number ("1. Common ..."): it is content."""
    m = re.match(r"^\s*[-*\u2022\u25cf\u25aa\u2013\u25e6\u25a0\uf0b7\uf0a7\uf0d8\uf076]\s+", line)
    return line[m.end():] if m else line


def _table(run: list[tuple[int, str]], index: int) -> Block:
    rows = [[clean_inline(c) for c in raw.split("\t")] for _, raw in run]
    n_cols = max(len(r) for r in rows)
    cells = []
    for r, (row, (no, raw)) in enumerate(zip(rows, run, strict=True)):
        bold_cells = [bool(_BOLD_ONLY.match(c)) for c in raw.split("\t")]
        for c, t in enumerate(row):
            cells.append(Cell(row=r, col=c, text=t, bold=bold_cells[c] if c < len(bold_cells) else False,
                              prov=Provenance(line=no)))
    table = Table(cells=cells, n_rows=len(rows), n_cols=n_cols, index=index,
                  prov=Provenance(line=run[0][0]))
    return Block("table", table=table, prov=table.prov)


# -- space-aligned columns --------------------------------------------------------------------

@dataclass(frozen=True)
class AlignSettings:
    """When a run of space-laid-out lines is a table (today's values are the defaults)."""

    min_gap: int = 2  # spaces between two cells of one line
    min_rows: int = 3  # lines with two or more cells, header included
    min_share: float = 0.25  # of the table's lines, the share with two or more cells
    max_blank: int = 2  # blank lines inside a table (one or two between rows are common)
    max_banner: int = 4  # lines printed across the columns inside a table (a banner row)


ALIGN = AlignSettings()
# two or more spaces between printed text, except after a sentence end ("done.  Next"),
# which typists and justified exports print inside prose, and after a bullet
_GAP = re.compile(r"[^\s.!?] {2,}\S")
_LEADING_BULLET = re.compile(r"^[^\w\s(\[]{1,2}\s+")

Run = list[tuple[int, str]]


@dataclass
class AlignedRun:
    """The lines of one space-aligned table; ``banners``: the line numbers printed across
    its columns (a heading row inside the table, such as a priority written out in full)."""

    lines: Run
    banners: frozenset[int] = frozenset()


def aligned_runs(lines: list[str], settings: AlignSettings = ALIGN) -> list[AlignedRun]:
    """The space-aligned tables of a text, in order."""
    out: list[AlignedRun] = []
    for run in _candidate_runs(lines, settings):
        out.extend(_grow_tables(run, settings))
    return out


def _is_layout(line: str) -> bool:
    return "\t" not in line and bool(_GAP.search(_LEADING_BULLET.sub("", line.strip())))


def _candidate_runs(lines: list[str], settings: AlignSettings) -> list[Run]:
    """Stretches of non-blank lines (single blank lines allowed) holding layout lines.  A
    page break (form feed) ends a stretch: each page is laid out on its own, and the same
    table continued on the next page is usually shifted by a character or two."""
    runs: list[Run] = []
    run: Run = []
    blanks = 0
    for no, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if "\f" in line or "\t" in line:
            runs.append(run)
            run, blanks = [], 0
            if "\t" in line:
                continue
            line = line.replace("\f", " ")
        if not line.strip():
            blanks += 1
            if blanks > settings.max_blank:
                runs.append(run)
                run, blanks = [], 0
            continue
        blanks = 0
        run.append((no, line))
    runs.append(run)
    return [r for r in runs if sum(_is_layout(t) for _, t in r) >= settings.min_rows]


class _Columns:
    """The printed positions of a growing table's lines, and the gutters between them
    (stretches of at least ``min_gap`` positions no line prints on)."""

    def __init__(self, min_gap: int) -> None:
        self.min_gap = min_gap
        self.used: list[bool] = []

    def with_line(self, text: str) -> list[bool]:
        used = self.used + [False] * max(0, len(text) - len(self.used))
        for i, ch in enumerate(text):
            if ch != " ":
                used[i] = True
        return used

    def spans(self, used: list[bool] | None = None) -> list[tuple[int, int]]:
        used = self.used if used is None else used
        spans: list[tuple[int, int]] = []
        start: int | None = None
        gap = 0
        for i, u in enumerate(used):
            if not u:
                gap += 1
                continue
            if start is None:
                start = i
            elif gap >= self.min_gap:
                spans.append((start, i - gap))
                start = i
            gap = 0
        if start is not None:
            spans.append((start, len(used) + 1000))  # the last column runs to the line's end
        return spans


def _grow_tables(run: Run, settings: AlignSettings) -> list[AlignedRun]:
    """Tables in a stretch, grown line by line from a line with cells: a line joins while the
    table keeps its number of columns (it prints in no gutter, or only narrows one).  Lines
    that would merge two columns end the table (a table continued with shifted columns, a
    paragraph across the page), unless the columns resume right after them: then they are
    banner rows inside the table.  The next table may start where one ended."""
    tables: list[AlignedRun] = []
    i = 0
    while i < len(run):
        if not _is_layout(run[i][1]):
            i += 1
            continue
        j, table = _grow(run, i, settings)
        layout = sum(_is_layout(t) for no, t in table.lines if no not in table.banners)
        if layout >= settings.min_rows and layout >= settings.min_share * len(table.lines):
            tables.append(table)
        i = max(j, i + 1)
    return tables


def _grow(run: Run, i: int, settings: AlignSettings) -> tuple[int, AlignedRun]:
    cols = _Columns(settings.min_gap)
    cols.used = cols.with_line(run[i][1])
    spans = cols.spans()
    if len(spans) < 2:
        return i + 1, AlignedRun([])
    banners: set[int] = set()
    j = i + 1
    while j < len(run):
        used = cols.with_line(run[j][1])
        new = cols.spans(used)
        if len(new) == len(spans):
            cols.used, spans = used, new
            j += 1
            continue
        k = _resumes(run, j, cols, len(spans), settings)
        if k is None:
            break
        banners.update(no for no, _ in run[j:k])
        j = k
    return j, AlignedRun(run[i:j], frozenset(banners))


def _resumes(run: Run, j: int, cols: _Columns, n_cols: int, settings: AlignSettings) -> int | None:
    """Where the table's columns resume after the lines from ``j`` that cross them (at most
    ``max_banner`` lines), or None when they do not."""
    for k in range(j + 1, min(j + 1 + settings.max_banner, len(run))):
        text = run[k][1]
        if _is_layout(text) and len(cols.spans(cols.with_line(text))) == n_cols \
                and _columns_hit(text, cols.spans()) >= 2:
            return k
    return None


def _columns_hit(text: str, spans: list[tuple[int, int]]) -> int:
    """How many of the columns a line prints in (a row of the table prints in two or more)."""
    return sum(1 for a, b in spans if text[a:b].strip())


def _aligned_table(run: AlignedRun, index: int) -> Block:
    """One table row per printed line; a wrapped cell stays on its own row (as in a
    tab-separated extract) for the normaliser to join; a banner line is one cell spanning
    every column."""
    cols = _Columns(ALIGN.min_gap)
    for no, line in run.lines:
        if no not in run.banners:
            cols.used = cols.with_line(line)
    spans = cols.spans()
    cells = []
    for r, (no, line) in enumerate(run.lines):
        if no in run.banners:
            cells.append(Cell(row=r, col=0, text=clean_inline(line), col_span=len(spans),
                              prov=Provenance(line=no)))
            continue
        for c, (a, b) in enumerate(spans):
            cells.append(Cell(row=r, col=c, text=clean_inline(line[a:b]), prov=Provenance(line=no)))
    table = Table(cells=cells, n_rows=len(run.lines), n_cols=len(spans), index=index,
                  prov=Provenance(line=run.lines[0][0]))
    return Block("table", table=table, prov=table.prov)
