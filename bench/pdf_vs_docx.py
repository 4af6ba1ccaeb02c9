"""Dev check: do the PDF parser's tables equal the tables of the DOCX the PDF was made from?

For each dev plan that exists as both .pdf and .docx, compares table by table (in order)
the row count and every cell's text after whitespace collapse, python-docx's view of the
DOCX (a merged cell's text repeated in every position it covers) against
``Table.row_texts`` of the PDF's Document.  Prints agreement per table and the differing
cells with ``-v``.

    python bench/pdf_vs_docx.py [-v] [pdf ...]
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import docx
from plantrail.parsers.pdf import parse_pdf
from shared_dir import SHARED  # noqa: E402  (bench/ is on sys.path when run as a script)

DEV = SHARED / "corpus" / "dev"


def norm(s: str) -> str:
    return " ".join(s.split())


def docx_tables(path: Path) -> list[list[list[str]]]:
    out = []
    for t in docx.Document(str(path)).tables:
        out.append([[norm(c.text) for c in row.cells] for row in t.rows])
    return out


def pdf_tables(path: Path) -> list[list[list[str]]]:
    data = path.read_bytes()
    doc = parse_pdf(str(path), data, hashlib.sha256(data).hexdigest())
    return [[[norm(x) for x in t.row_texts(r)] for r in range(t.n_rows)] for t in doc.tables()]


def compare(pdf: Path, verbose: bool) -> tuple[int, int]:
    dx = pdf.with_suffix(".docx")
    a, b = docx_tables(dx), pdf_tables(pdf)
    print(f"{pdf.name}: docx tables {len(a)}, pdf tables {len(b)}")
    tot_ok = tot = 0
    for i in range(max(len(a), len(b))):
        ta = a[i] if i < len(a) else []
        tb = b[i] if i < len(b) else []
        n = max(len(ta), len(tb))
        ok = cells = 0
        diffs = []
        for r in range(n):
            ra = ta[r] if r < len(ta) else []
            rb = tb[r] if r < len(tb) else []
            for c in range(max(len(ra), len(rb))):
                xa = ra[c] if c < len(ra) else None
                xb = rb[c] if c < len(rb) else None
                cells += 1
                if xa == xb:
                    ok += 1
                else:
                    diffs.append((r, c, xa, xb))
        tot_ok += ok
        tot += cells
        pct = 100.0 * ok / cells if cells else 100.0
        print(f"  table {i}: rows docx {len(ta)} pdf {len(tb)}; cells equal {ok}/{cells} ({pct:.1f}%)")
        if verbose:
            for r, c, xa, xb in diffs[:40]:
                print(f"    r{r} c{c}\n      docx: {xa!r}\n      pdf:  {xb!r}")
    print(f"  overall {tot_ok}/{tot} cells ({100.0 * tot_ok / max(tot, 1):.2f}%)")
    return tot_ok, tot


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    files = [Path(a) for a in argv if a != "-v"] or sorted(
        p for p in DEV.glob("*.pdf") if p.with_suffix(".docx").exists())
    ok = tot = 0
    for f in files:
        a, b = compare(f, verbose)
        ok, tot = ok + a, tot + b
    print(f"ALL: {ok}/{tot} cells equal ({100.0 * ok / max(tot, 1):.2f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
