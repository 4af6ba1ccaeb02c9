"""Robustness check: every PDF of the foreign corpus through parse_pdf.

A parser may refuse a file only with ParseError; any other exception is a bug.  Prints
counts (parsed / ParseError by reason / uncaught), the slowest files and, with ``-v``, one
line per file.  Exit status 1 when anything escaped as a non-ParseError.

    python bench/foreign_pdfs.py [-v]
"""

from __future__ import annotations

import hashlib
import sys
import time
import traceback
from collections import Counter

from plantrail.parsers.model import ParseError
from plantrail.parsers.pdf import parse_pdf
from shared_dir import SHARED  # noqa: E402  (bench/ is on sys.path when run as a script)

FOREIGN = SHARED / "corpus" / "foreign"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    files = sorted(p for p in FOREIGN.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
    ok = 0
    refused: Counter[str] = Counter()
    crashed: list[tuple[str, str]] = []
    times: list[tuple[float, str, int]] = []
    n_tables = n_pages = 0
    page_errors: list[tuple[str, str]] = []
    for f in files:
        data = f.read_bytes()
        t0 = time.perf_counter()
        status = ""
        try:
            doc = parse_pdf(str(f), data, hashlib.sha256(data).hexdigest())
            ok += 1
            n_tables += len(doc.tables())
            n_pages += doc.pages or 0
            status = f"ok pages={doc.pages} tables={len(doc.tables())} blocks={len(doc.blocks)}"
            bad = [w for w in doc.warnings if w.startswith("unreadable")]
            if bad:
                page_errors.append((str(f.relative_to(FOREIGN)), bad[0]))
        except ParseError as e:
            reason = str(e).split(":")[0]
            refused[reason] += 1
            status = f"ParseError: {e}"
        except Exception as e:  # noqa: BLE001 - that is what we are counting
            crashed.append((str(f.relative_to(FOREIGN)), f"{type(e).__name__}: {e}"))
            status = "CRASH " + traceback.format_exc(limit=3).replace("\n", " | ")
        dt = time.perf_counter() - t0
        times.append((dt, str(f.relative_to(FOREIGN)), len(data)))
        if verbose:
            print(f"{dt:7.2f}s {f.relative_to(FOREIGN)}: {status}", flush=True)
    print(f"PDF files: {len(files)}")
    print(f"  parsed:      {ok} ({n_pages} pages, {n_tables} tables)")
    print(f"  ParseError:  {sum(refused.values())} {dict(refused)}")
    print(f"  uncaught:    {len(crashed)}")
    for name, err in crashed:
        print(f"    {name}: {err[:200]}")
    print(f"  parsed with unreadable pages: {len(page_errors)}")
    for name, err in page_errors:
        print(f"    {name}: {err[:200]}")
    print(f"  total time:  {sum(t for t, _, _ in times):.1f}s")
    for dt, name, size in sorted(times, reverse=True)[:5]:
        print(f"    slowest {dt:6.2f}s {size / 1e6:6.2f} MB {name}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
