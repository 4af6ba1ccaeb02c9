"""PDF speed: the plantrail ingest path, on each page backend, against bare pdfplumber
``extract_tables``.

For each dev PDF and a 300-page PDF built here by repeating dev pages (pypdfium2
``import_pages``), times in the same run, interleaved, several repetitions:

* plantrail (pdfplumber backend): ``parse_pdf`` + ``normalise_document`` (what
  ``plantrail ingest`` does per PDF) with ``PLANTRAIL_PDF_BACKEND=pdfplumber``
* plantrail (pdfium backend): the same with ``PLANTRAIL_PDF_BACKEND=pdfium``
* bare: ``pdfplumber.open`` and ``page.extract_tables()`` on every page

and reports the median time of each and the speed ratio bare/plantrail (>= 1.0 means
plantrail is faster).  Peak memory (max RSS) is measured in a fresh subprocess per run on
the 100- and 300-page builds, to show it is flat in the page count.

    python bench/speed.py [--reps N] [--write]      # --write updates bench/RESULTS.md (its section only)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from shared_dir import SHARED  # noqa: E402  (bench/ is on sys.path when run as a script)

DEV = SHARED / "corpus" / "dev"
SECTION = "## PDF speed (bench/speed.py)"


def build_repeated(src: list[Path], n_pages: int, out: Path) -> Path:
    """A long PDF made of the dev plans' pages over and over (pypdf is not a dependency)."""
    import pypdfium2 as pdfium

    if out.exists():
        return out
    dst = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(str(p)) for p in src]
    while len(dst) < n_pages:
        for s in sources:
            take = min(len(s), n_pages - len(dst))
            if take <= 0:
                break
            dst.import_pages(s, list(range(take)))
    dst.save(str(out))
    return out


BACKENDS = ("pdfplumber", "pdfium")


def run_plantrail(path: Path, backend: str = "pdfplumber") -> int:
    from plantrail.parsers.pdf import parse_pdf

    os.environ["PLANTRAIL_PDF_BACKEND"] = backend
    data = path.read_bytes()
    doc = parse_pdf(str(path), data, hashlib.sha256(data).hexdigest())
    try:
        from plantrail.normalise import normalise_document
    except ImportError:
        return len(doc.tables())
    return len(normalise_document(doc).actions)


def run_bare(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            n += len(page.extract_tables())
    return n


def child(mode: str, path: str) -> None:
    """Subprocess entry: run once, print peak RSS (MB) and seconds as JSON."""
    t0 = time.perf_counter()
    if mode == "bare":
        run_bare(Path(path))
    else:
        run_plantrail(Path(path), mode)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    try:  # ru_maxrss survives exec (it would report the parent's peak); VmHWM does not
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    except OSError:
        pass
    print(json.dumps({"rss_mb": rss, "seconds": dt}))


def peak_rss(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--child", nargs=2)
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return 0
    dev = sorted(DEV.glob("*.pdf"))
    tmp = Path(tempfile.gettempdir()) / "plantrail-bench"
    tmp.mkdir(exist_ok=True)
    big = build_repeated(dev, 300, tmp / "repeated-300.pdf")
    mid = build_repeated(dev, 100, tmp / "repeated-100.pdf")
    files = dev + [big]
    modes = (*BACKENDS, "bare")
    mem = {}
    for path, label in ((mid, "100"), (big, "300")):
        for mode in modes:
            mem[(label, mode)] = peak_rss(mode, path)
            print(f"peak RSS {label} pages {mode}: {mem[(label, mode)]['rss_mb']:.0f} MB", flush=True)
    for f in files:  # warm-up: imports, caches, file system
        for b in BACKENDS:
            run_plantrail(f, b)
        run_bare(f)
    rows = []
    for f in files:
        reps = a.reps if f != big else max(2, a.reps // 2)
        times: dict[str, list[float]] = {m: [] for m in modes}
        for _ in range(reps):  # interleaved so drift hits all alike
            for m in modes:
                t0 = time.perf_counter()
                if m == "bare":
                    run_bare(f)
                else:
                    run_plantrail(f, m)
                times[m].append(time.perf_counter() - t0)
        med = {m: statistics.median(t) for m, t in times.items()}
        import pdfplumber

        with pdfplumber.open(str(f)) as pdf:
            pages = len(pdf.pages)
        rows.append((f.name, pages, reps, med))
        print(f"{f.name}: {pages} pages, plantrail pdfplumber {med['pdfplumber']:.2f}s, plantrail pdfium "
              f"{med['pdfium']:.2f}s, bare extract_tables {med['bare']:.2f}s; ratio bare/plantrail "
              f"{med['bare'] / med['pdfplumber']:.2f}x / {med['bare'] / med['pdfium']:.2f}x", flush=True)
    ratios = {b: statistics.median(r[3]["bare"] / r[3][b] for r in rows) for b in BACKENDS}
    gain = statistics.median(r[3]["pdfplumber"] / r[3]["pdfium"] for r in rows)
    print(f"median speed ratio (bare time / plantrail time): pdfplumber backend {ratios['pdfplumber']:.2f}x, "
          f"pdfium backend {ratios['pdfium']:.2f}x; pdfium backend {gain:.2f}x faster than pdfplumber backend")
    if a.write:
        write_results(rows, ratios, gain, mem, a.reps)
    return 0


def write_results(rows, ratios, gain, mem, reps) -> None:
    import platform

    lines = [SECTION, "",
             f"Command: `python bench/speed.py --reps {reps} --write` "
             f"(Python {platform.python_version()}, {platform.machine()}; same run, interleaved, median of reps).",
             "plantrail = `parse_pdf` + `normalise_document` in-process, with the page backend named "
             "(`PLANTRAIL_PDF_BACKEND=pdfium`, the default, or `pdfplumber`); bare = `pdfplumber.open` + "
             "`page.extract_tables()` on every page. Ratio = bare time / plantrail time (goal >= 0.9x).", "",
             "| file | pages | reps | plantrail (pdfplumber) s | plantrail (pdfium) s | bare extract_tables s "
             "| ratio (pdfplumber) | ratio (pdfium) |",
             "|---|---|---|---|---|---|---|---|"]
    for name, pages, r, med in rows:
        lines.append(f"| {name} | {pages} | {r} | {med['pdfplumber']:.2f} | {med['pdfium']:.2f} | "
                     f"{med['bare']:.2f} | {med['bare'] / med['pdfplumber']:.2f}x | "
                     f"{med['bare'] / med['pdfium']:.2f}x |")
    lines += ["", f"**Median speed ratio: pdfplumber backend {ratios['pdfplumber']:.2f}x, pdfium backend "
              f"{ratios['pdfium']:.2f}x** (pdfium backend {gain:.2f}x faster than the pdfplumber backend).", "",
              "Peak memory (peak RSS, VmHWM, of a fresh subprocess per run):", "",
              "| PDF | plantrail (pdfplumber) MB | plantrail (pdfium) MB | bare MB |", "|---|---|---|---|"]
    for label in ("100", "300"):
        lines.append(f"| repeated dev pages, {label} pages | {mem[(label, 'pdfplumber')]['rss_mb']:.0f} | "
                     f"{mem[(label, 'pdfium')]['rss_mb']:.0f} | {mem[(label, 'bare')]['rss_mb']:.0f} |")
    grow = {b: (mem[("300", b)]["rss_mb"] - mem[("100", b)]["rss_mb"]) / 200 for b in BACKENDS}
    lines += ["", f"plantrail grows {grow['pdfplumber']:.2f} MB per page with the pdfplumber backend and "
              f"{grow['pdfium']:.2f} MB with the pdfium backend (the extracted text it keeps; pages are closed "
              "as they are read); bare pdfplumber keeps every page's objects cached.", ""]
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    section = "\n".join(lines)
    if SECTION in text:
        start = text.index(SECTION)
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("\n" + text[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
