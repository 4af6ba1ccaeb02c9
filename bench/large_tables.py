#!/usr/bin/env python3
"""Large tables: end-to-end ingest time and peak memory of one big action tracker per run.

Councils' corporate trackers and risk registers have thousands of rows; every pass over a
table must be linear in its rows and cells.  This bench generates trackers with the columns
and kind of text of a real action plan (ref, action, aim, lead officer, start and end dates,
measure, progress comment, RAG status), at 1,000, 10,000 and 50,000 rows as XLSX and DOCX and
at 2,000 rows as a PDF table, then runs ``plantrail ingest FILE-FOLDER --out DIR --quiet
--jobs 1`` on each (one file per run, a fresh folder each time, csv output) and records:

* seconds: wall time of the whole command (start-up, parse, normalise, store, outputs), and
  the CPU time (user + system) of the command and its worker: on a shared, loaded machine the
  wall time stretches with the load while the CPU time stays close to what the work costs;
* peak RSS: the largest sum of resident memory over the command's process tree (the CLI and
  its worker), sampled every 20 ms with psutil, so it is a lower bound on the true peak;
* actions: how many action rows the run wrote (a run that reads nothing would be fast).

Targets (issue 9): 10,000-row XLSX under 5 s; 50,000 rows within 6x the 10,000-row time;
peak memory under 500 MB at 50,000 rows; a 3,000-row tracker well inside the 300 s timeout.

    python bench/large_tables.py [--sizes 1000,10000,50000] [--pdf-rows 2000] [--formats xlsx,docx,pdf]
                                 [--repeat 1] [--write]

``--write`` replaces the "Large tables" section of bench/results/model.md.  The script fails
(non-zero exit) when a run does not end with status ok or writes no actions.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "model.md"
SECTION = "## Large tables (bench/large_tables.py)"

HEADERS = ["Ref", "Action", "Aim / outcome", "Lead officer", "Start date", "Target date",
           "Measure of success", "Progress update", "RAG status"]
VERBS = ["Review", "Develop", "Implement", "Deliver", "Embed", "Agree", "Establish", "Publish",
         "Commission", "Monitor", "Refresh", "Roll out"]
OBJECTS = ["the early help offer", "the workforce strategy", "quality assurance framework",
           "the corporate parenting board", "case file audits", "the housing allocation policy",
           "the performance dashboard", "supervision arrangements", "the complaints process",
           "partnership data sharing", "the budget recovery plan", "the climate action plan"]
AIMS = ["Children are safer and better supported", "Residents receive timely services",
        "Spending stays within budget", "Staff are skilled and stable", "Partners share one view",
        "Decisions rest on sound evidence"]
ROLES = ["Head of Service", "Service Manager", "Director of Children's Services",
         "Assistant Director, Housing", "Strategic Lead, Performance", "Chief Finance Officer"]
NAMES = ["A. Patel", "J. Smith", "R. Okafor", "M. Jones", "S. Nowak", "L. Chen", "K. Brown"]
MEASURES = ["{n}% of audits rated good or better", "Reduction of {n}% in re-referrals",
            "All staff trained by year end", "Quarterly report to committee",
            "{n} families supported", "Dashboard live and used monthly"]
PROGRESS = ["On track; first phase delivered and reviewed at board.",
            "Delayed by recruitment; recovery plan agreed with the lead member.",
            "Completed. Evidence held in the shared folder.",
            "Not yet started: depends on the new case management system.",
            "Good progress; {n} of the planned sessions have run."]
RAGS = ["Green", "Amber", "Red", "Complete", "G", "A"]


def rows(n: int, seed: int = 9) -> list[list[str]]:
    """``n`` action rows with a plan's mix of short and long text, dates a year apart."""
    rnd = random.Random(seed)
    start = date(2023, 4, 1)
    out = []
    for i in range(n):
        s = start + timedelta(days=rnd.randrange(0, 365))
        e = s + timedelta(days=rnd.randrange(30, 540))
        k = rnd.randrange(5, 95)
        out.append([
            f"{i // 100 + 1}.{i % 100 + 1}",
            f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} with partners across the borough",
            rnd.choice(AIMS),
            f"{rnd.choice(NAMES)}, {rnd.choice(ROLES)}",
            s.strftime("%d/%m/%Y"), e.strftime("%B %Y"),
            rnd.choice(MEASURES).format(n=k), rnd.choice(PROGRESS).format(n=k), rnd.choice(RAGS),
        ])
    return out


def make_xlsx(data: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Action plan")
    ws.append(["Corporate Improvement Plan: action tracker"])
    ws.append([])
    head = []
    for h in HEADERS:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        head.append(c)
    ws.append(head)
    for r in data:
        ws.append(r)
    wb.save(path)


def make_docx(data: list[list[str]], path: Path) -> None:
    """python-docx makes the document; the table XML is written directly, because adding
    tens of thousands of rows through python-docx's API takes far longer than reading them."""
    from docx import Document

    d = Document()
    d.add_heading("Corporate Improvement Plan", level=1)
    d.add_paragraph("The actions below are monitored quarterly by the improvement board.")
    d.add_table(rows=1, cols=len(HEADERS))  # placeholder, replaced below
    buf = io.BytesIO()
    d.save(buf)

    def tr(cells: list[str], bold: bool) -> str:
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return "<w:tr>" + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr><w:p><w:r>{rpr}'
            f'<w:t xml:space="preserve">{escape(c)}</w:t></w:r></w:p></w:tc>' for c in cells) + "</w:tr>"

    grid = "".join('<w:gridCol w:w="1000"/>' for _ in HEADERS)
    table = ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
             f"<w:tblGrid>{grid}</w:tblGrid>" + tr(HEADERS, True) + "".join(tr(r, False) for r in data)
             + "</w:tbl>")
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = body.decode("utf-8")
                a = text.index("<w:tbl>")
                b = text.index("</w:tbl>") + len("</w:tbl>")
                body = (text[:a] + table + text[b:]).encode("utf-8")
            out.writestr(item, body)


def make_pdf(data: list[list[str]], path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "Corporate Improvement Plan: action tracker", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=7)
    widths = (12, 50, 34, 34, 20, 20, 36, 52, 15)
    with pdf.table(col_widths=widths, repeat_headings=1, line_height=3.5) as t:
        for r in [HEADERS, *data]:
            row = t.row()
            for v in r:
                row.cell(v)
    pdf.output(str(path))


MAKERS = {"xlsx": make_xlsx, "docx": make_docx, "pdf": make_pdf}


@dataclass
class Run:
    fmt: str
    rows: int
    seconds: float
    cpu: float
    peak_mb: float
    actions: int
    status: str
    command: str


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def ingest(src: Path, work: Path) -> Run:
    inp = work / "in"
    inp.mkdir()
    shutil.copy(src, inp / src.name)
    out = work / "out"
    cmd = [sys.executable, "-m", "plantrail.cli", "ingest", str(inp), "--out", str(out), "--quiet", "--jobs", "1"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.02)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out / "documents.csv", newline="", encoding="utf-8") as f:
        docs = list(csv.DictReader(f))
    with open(out / "actions.csv", newline="", encoding="utf-8") as f:
        n_actions = sum(1 for _ in csv.DictReader(f))
    status = docs[0].get("status", "?") if docs else "missing"
    shown = " ".join(["python", "-m", "plantrail.cli", "ingest", "IN", "--out", "OUT", "--quiet", "--jobs", "1"])
    return Run("", 0, wall, cpu, peak / 1e6, n_actions, status, shown)


def measure(fmt: str, n: int, repeat: int, tmp: Path) -> Run:
    src = tmp / f"tracker-{n}.{fmt}"
    if not src.exists():
        t = time.perf_counter()
        MAKERS[fmt](rows(n), src)
        print(f"made {src.name} ({src.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
    best: Run | None = None
    for k in range(repeat):
        work = tmp / f"run-{fmt}-{n}-{k}"
        work.mkdir()
        r = ingest(src, work)
        r.fmt, r.rows = fmt, n
        print(f"{fmt} {n} rows: {r.seconds:.2f} s ({r.cpu:.2f} s CPU), peak {r.peak_mb:.0f} MB, {r.actions} actions, {r.status}",
              file=sys.stderr)
        if best is None or r.seconds < best.seconds:
            best = r
    assert best is not None
    return best


def table(runs: list[Run]) -> str:
    lines = ["| format | rows | wall seconds | CPU seconds (process tree) | peak RSS (MB, process tree) "
             "| actions written | status |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r.fmt} | {r.rows:,} | {r.seconds:.2f} | {r.cpu:.2f} | {r.peak_mb:.0f} | {r.actions:,} "
                     f"| {r.status} |")
    return "\n".join(lines)


def write_section(text: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Results of the model helper\n"
    if SECTION in old:
        head, rest = old.split(SECTION, 1)
        nxt = rest.find("\n## ")
        old = head + (rest[nxt + 1:] if nxt >= 0 else "")
    RESULTS.write_text(old.rstrip() + "\n\n" + SECTION + "\n\n" + text + "\n", encoding="utf-8")


def _plan(sizes_arg: str, formats_arg: str, pdf_rows: int) -> list[tuple[str, int]]:
    """(format, rows) of every run: each size as XLSX and DOCX, the PDF at its own size."""
    sizes = [int(s) for s in sizes_arg.split(",") if s]
    formats = [f for f in formats_arg.split(",") if f]
    plan = [(f, n) for f in formats if f != "pdf" for n in sizes]
    if "pdf" in formats:
        plan.append(("pdf", pdf_rows))
    return plan


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--pdf-rows", type=int, default=2000)
    ap.add_argument("--formats", default="xlsx,docx,pdf")
    ap.add_argument("--repeat", type=int, default=1, help="runs per file; the fastest is kept")
    ap.add_argument("--write", action="store_true", help="write the table into bench/results/model.md")
    args = ap.parse_args()
    plan = _plan(args.sizes, args.formats, args.pdf_rows)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="plantrail-large-") as d:
        for fmt, n in plan:
            runs.append(measure(fmt, n, args.repeat, Path(d)))
    out = table(runs)
    print(out)
    bad = [r for r in runs if r.status != "ok" or r.actions == 0]
    if args.write:
        cmd = (f"python bench/large_tables.py --sizes {args.sizes} --pdf-rows {args.pdf_rows} "
               f"--formats {args.formats} --repeat {args.repeat} --write")
        write_section(f"Command: `{cmd}` (each run: `{runs[0].command if runs else ''}` on one file).\n\n"
                      + out)
    for r in bad:
        print(f"FAILED: {r.fmt} {r.rows} rows ended {r.status} with {r.actions} actions", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
