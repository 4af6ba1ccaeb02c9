"""PDF into the document model: ruled tables (stitched over page breaks), headings, text.

One pass over the pages, each read once and closed straight away: glyphs, ruling lines and
fills come from :mod:`.pdf_page`; tables are found from the rules (:mod:`.pdf_tables`), the
glyphs inside them become cell text, the rest becomes lines.  Only when every page is read
do we know what repeats on every page (running headers, footers, page numbers) and what
size body text is (so what a heading is), so lines are classified at the end; tables
continuing on the next page are stitched (:mod:`.pdf_stitch`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .model import Document, ParseError
from .pdf_assemble import assemble
from .pdf_page import Char, PageSource, open_pdf, unwrap
from .pdf_stitch import PCell, PTable
from .pdf_tables import Grid, GridCell, apply_fills, assign, find_grids
from .pdf_text import Line, chars_to_lines
from .pdf_unruled import find_unruled

_PAGE_NO = re.compile(r"^(?:-\s*)?(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?$", re.I)
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"^[A-Za-z]{3,15}$")


@dataclass
class PageResult:
    number: int
    width: float
    height: float
    tables: list[PTable] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    watermark: str = ""
    n_chars: int = 0


def parse_pdf(path: str, data: bytes, sha256: str) -> Document:
    if not data[:1024].lstrip().startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise ParseError("not a PDF (no %PDF header)")
    src = open_pdf(data)
    doc = Document(path=path, sha256=sha256, format="pdf", meta=dict(src.metadata))
    pages: list[PageResult] = []
    failed: list[str] = []
    try:
        doc.pages = src.page_count
        if not src.page_count:
            raise ParseError("PDF has no pages")
        for page in src.pages():
            try:
                pages.append(read_page(page, doc.warnings))
            except ParseError:
                raise
            except Exception as exc:  # noqa: BLE001 - a broken page must not lose the others
                e = unwrap(exc)
                failed.append(f"page {page.number}: {type(e).__name__}: {' '.join(str(e).split())[:100]}")
            finally:
                page.close()
    except ParseError:
        raise
    except Exception as e:  # noqa: BLE001 - damage found while walking the page tree
        if not pages:
            raise ParseError(f"corrupt PDF: {type(e).__name__}: {' '.join(str(e).split())[:120]}") from None
        failed.append(f"after page {len(pages)}: {type(e).__name__}")
    finally:
        src.close()
    if not pages:
        raise ParseError(f"corrupt PDF: no page could be read ({failed[0] if failed else 'unknown'})")
    for f in failed:
        doc.warnings.append(f"unreadable {f}")
    if sum(p.n_chars for p in pages) == 0:  # a scan: OCR when installed, else the reason
        from .ocr import ocr_pdf  # raises ParseError naming what to install

        return ocr_pdf(data, path, sha256)
    _drop_running(pages, doc)
    assemble(pages, doc)
    if not doc.blocks:
        doc.warnings.append("no text content")
    return doc


# ------------------------------------------------------------------------- one page


def read_page(page: PageSource, warnings: list[str]) -> PageResult:
    res = PageResult(page.number, page.width, page.height)
    chars = page.chars()
    res.n_chars = len(chars)
    chars, res.watermark = _drop_watermark(chars)
    edges = page.edges()
    if page.too_many_edges:
        warnings.append(f"page {page.number}: too many drawn lines (chart?); read as text, no tables")
    grids = find_grids(edges) if edges else []
    rest = assign(grids, chars)
    if grids:
        apply_fills(grids, page.fills())
    for g in grids:
        t = _ptable(g, page.number)
        if t is not None:  # None: no text in any cell (a frame, a chart's grid)
            res.tables.append(t)
    lines = chars_to_lines(rest, split_gap=2.0)
    for ln in lines:
        ln.page = page.number
    lines, huge = _drop_huge_words(lines, chars)
    if huge:
        res.watermark = (res.watermark + " " + huge).strip()
    if len(lines) >= 6:
        unruled, lines = find_unruled(lines, page.number, page.width)
        res.tables = sorted(res.tables + unruled, key=lambda t: t.ys[0])
    res.lines = lines
    return res


def _drop_huge_words(lines: list[Line], chars: list[Char]) -> tuple[list[Line], str]:
    """A single word in letters three times the page's usual size, with other text on the
    page, is a stamp or watermark ("DRAFT"), not a heading."""
    if len(lines) < 2 or not chars:
        return lines, ""
    sizes = sorted(c.size for c in chars)
    median = sizes[len(sizes) // 2]
    keep, dropped = [], []
    for ln in lines:
        if ln.size >= max(36.0, 3 * median) and _WORD.match(ln.text):
            dropped.append(ln.text)
        else:
            keep.append(ln)
    return (keep, " ".join(dropped)) if keep else (lines, "")


def _drop_watermark(chars: list[Char]) -> tuple[list[Char], str]:
    """Diagonal or large rotated text is a watermark ("DRAFT"), never content."""
    keep: list[Char] = []
    dropped: list[Char] = []
    for c in chars:
        if c.diagonal or (not c.upright and c.size >= 24):
            dropped.append(c)
        else:
            keep.append(c)
    text = "".join(c.text for c in dropped).strip()
    return keep, " ".join(text.split())[:40]


def _pcell(gc: GridCell, page: int) -> PCell:
    """A grid cell's glyphs as lines; each line knows the right edge text may reach (the cell
    edge less the cell's own left padding), so a word cut at the edge can be rejoined."""
    lines = chars_to_lines(gc.chars) if gc.chars else []
    if lines:
        pad = min(ln.x0 - gc.x0 for ln in lines)
        pad = min(max(pad, 0.5), 12.0)
        for ln in lines:
            ln.limit = gc.x1 - pad
            ln.page = page
    n = sum(1 for c in gc.chars if not c.text.isspace())
    bold = n > 0 and 2 * sum(1 for c in gc.chars if c.bold and not c.text.isspace()) > n
    return PCell(gc.row, gc.col, gc.row_span, gc.col_span, lines, gc.fill, bold, page,
                 (round(gc.x0, 2), round(gc.top, 2), round(gc.x1, 2), round(gc.bottom, 2)))


def _ptable(g: Grid, page: int) -> PTable | None:
    cells = [_pcell(gc, page) for gc in g.cells]
    if not any(c.lines for c in cells):
        return None  # fills alone: a chart or a decoration
    hr = [list(g.top_rule)]
    # rule presence on every inner boundary, recovered from the spans
    for i in range(1, g.n_rows):
        hr.append([g.cells[g.slot[i][c]] is not g.cells[g.slot[i - 1][c]] for c in range(g.n_cols)])
    hr.append(list(g.bottom_rule))
    return PTable(page, g.xs, g.ys, cells, hr, g.open_top, g.open_bottom)


# ------------------------------------------------------------ running headers and footers


def _drop_running(pages: list[PageResult], doc: Document) -> None:
    """Remove lines that repeat at the same place on most pages, page numbers, watermarks.

    Text must match exactly, except in the top and bottom margins of documents of three or
    more pages, where numbers may differ ("Page 3 of 12", a date): a heading that happens
    to sit at the same place on two pages ("Priority 1", "Priority 2") is content.
    """
    running, dropped_texts = _running_lines(pages)
    n_pageno = 0
    for p in pages:
        keep: list[Line] = []
        for ln in p.lines:
            if (p.number, round(ln.top * 10)) in running:
                continue
            if _in_margin(p, ln) and _PAGE_NO.match(ln.text.strip()):
                n_pageno += 1
                continue
            keep.append(ln)
        p.lines = keep
    _note_dropped(pages, dropped_texts, n_pageno, doc)


def _in_margin(p: PageResult, ln: Line) -> bool:
    return ln.top < 0.12 * p.height or ln.bottom > 0.88 * p.height


def _line_keys(p: PageResult, ln: Line, n_pages: int) -> list[str]:
    """The text of a line as compared across pages; in the margins of a document of three or
    more pages also with its digits masked."""
    text = " ".join(ln.text.split()).casefold()
    out = [text]
    if n_pages >= 3 and _in_margin(p, ln):
        out.append("#" + _DIGITS.sub("#", text))
    return out


def _running_lines(pages: list[PageResult]) -> tuple[set[tuple[int, int]], list[str]]:
    """(page, top x 10) of every running line, and the texts found running."""
    n = len(pages)
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for p in pages:
        for ln in p.lines:
            for key in _line_keys(p, ln, n):
                seen[key].append((p.number, ln.top))
    running: set[tuple[int, int]] = set()
    dropped_texts: list[str] = []
    if n < 2:
        return running, dropped_texts
    need = max(3, (n + 1) // 2) if n >= 3 else 2
    for key, hits in seen.items():
        if len({pg for pg, _ in hits}) < need:
            continue
        best = _most_common_place(hits)
        if len({pg for pg, _ in best}) >= need:
            running.update((pg, round(t * 10)) for pg, t in best)
            dropped_texts.append(key.lstrip("#"))
    return running, dropped_texts


def _most_common_place(hits: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The hits at the position (within 4 pt) found on the most pages."""
    best: list[tuple[int, float]] = []
    for t0 in sorted({t for _, t in hits}):
        grp = [(pg, t) for pg, t in hits if abs(t - t0) <= 4]
        if len({pg for pg, _ in grp}) > len({pg for pg, _ in best}):
            best = grp
    return best


def _note_dropped(pages: list[PageResult], dropped_texts: list[str], n_pageno: int, doc: Document) -> None:
    notes = []
    if dropped_texts:
        notes.append("running header/footer: " + " | ".join(sorted(dropped_texts))[:300])
    if n_pageno:
        notes.append(f"page numbers on {n_pageno} pages")
    marks = Counter(p.watermark for p in pages if p.watermark)
    if marks:
        notes.append("watermark: " + ", ".join(f"{t!r} ({k} pages)" for t, k in marks.most_common(3)))
    if notes:
        doc.meta["pdf_dropped"] = "; ".join(notes)
        doc.warnings.append("dropped from text: " + "; ".join(notes))

