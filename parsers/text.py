"""Plain-text extracts (what PDF-to-text tools and scrapers leave behind) into the model.

A run of tab-separated lines is a table; blank lines end it.  Markdown headings (``#``),
``<b>``/``<p>``/``<sup>`` tags, ``*emphasis*`` and bullets are read as structure and
removed from the text.  Spans are lost in such extracts: each row keeps its raw cells and
the normaliser decides what belongs together.
"""

from __future__ import annotations

import html
import re

from .model import Block, Cell, Document, ParseError, Provenance, Table

_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25cf\u25aa\u2013]|\d+[.)])\s+")
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
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if run:
            doc.blocks.append(_table(run, len(doc.tables())))
            run.clear()

    for no, raw in enumerate(lines, start=1):
        if "\t" in raw and raw.strip():
            run.append((no, raw))
            continue
        flush()
        line = raw.strip()
        if not line:
            continue
        prov = Provenance(line=no)
        m = _HEADING_MD.match(line)
        bold = bool(_BOLD_ONLY.match(line))
        if m:
            doc.blocks.append(Block("heading", clean_inline(m.group(2)), level=len(m.group(1)), prov=prov))
        elif _BULLET.match(line) and not re.match(r"^\d+\.\d", line):
            depth = (len(raw) - len(raw.lstrip())) // 2
            doc.blocks.append(Block("list_item", clean_inline(_strip_bullet(line)), level=depth,
                                    prov=prov))
        else:
            doc.blocks.append(Block("paragraph", clean_inline(line), bold=bold, prov=prov))
    flush()
    if not doc.blocks:
        doc.warnings.append("no text content")
    return doc


def _strip_bullet(line: str) -> str:
    """Remove a dash/dot bullet but keep a list number ("1. Common ..."): it is content."""
    m = re.match(r"^\s*[-*\u2022\u25cf\u25aa\u2013]\s+", line)
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
