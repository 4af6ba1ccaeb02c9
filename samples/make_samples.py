"""Write the small DOCX and XLSX sample plans the tests and the README use.

    python samples/make_samples.py        # writes samples/sample-plan.docx, sample-tracker.xlsx

The rows are copied from two real council plans (City of London Children & Families Service
Improvement Plan 2017-18, Lewisham Post-Ofsted Improvement Plan 2016; shared/seeds 001 and
004), cut down to a handful, with the features that make real plans hard: aims and measures
in vertically merged cells, RAG status given as text plus a cell colour, one RAG given by
colour alone, section banners, bullet lists, a theme colour, a hidden sheet and a formula with
a cached value.

The output is byte-for-byte reproducible: document dates are fixed and the zip is rewritten
with fixed member timestamps, so re-running the script leaves git clean.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2017, 8, 1, 9, 0, 0)
ZIP_TIME = (2017, 8, 1, 9, 0, 0)

HEADER = ("Specific aim:", "Ref:", "Action:", "Start:", "End date", "Measure/outcome:",
          "Lead officer:", "DLT lead:", "Comments:", "RAG status:")

GREEN, AMBER, RED, BLUE = "00B050", "FFC000", "FF0000", "0070C0"
RAG_FILL = {"Green": GREEN, "Amber": AMBER, "Red": RED, "Completed": BLUE, "Complete": BLUE}

PRIORITY_1 = ("Priority 1: Safeguarding & Early Help - Close the gap in outcomes for children, "
              "young people and families in vulnerable groups.")
PRIORITY_2 = ("Priority 2: Close the gap in outcomes for children, young people & families based "
              "on their localities.")

# (aim, ref, action, start, end, measure, lead, dlt, comments, rag)
# aim/measure None = covered by the merged cell above.  rag "" with a fill = colour only.
P1_ROWS = [
    ("Early help to be aware of housing need for families in advance of eviction. "
     "[early identification of need of families]", "1.1",
     "Housing to alert Early Help of families at risk of eviction when difficulty is identified.",
     "Apr-17", "Oct-17",
     "Quarterly reports by housing to evidence number of families at risk of eviction and number "
     "of referrals.", "RG", "CP",
     "RG has met with Bayo Igoh (HoS Housing) to set up this system. Housing now refer any "
     "families at risk of eviction to Children's Services.", "Green"),
    ("Families can identify their own need, and can access early help directly.", "1.5",
     "Publish accessible information on Early Help online.", "Jul-17", "Dec-17",
     "Self referrals increase. Understanding of early help offer increases amongst residents. "
     "Number of CAFs increase.", "JF/RG", "CP",
     "Leaflets have been co produced, but printing paused. Action amended July 2017 to publish "
     "online information", "Amber"),
    (None, "1.5.1",
     "Early help partnership to run a stall at the start of the new school year at St John Cass.",
     "Sep-17", "Sep-17", None, "JF/RG", "CP", "Plan is in place for this to happen.", "Green"),
    ("Effective application of threshold at front door.", "1.13", "Set-up Virtual MASH.",
     "Apr-17", "Jun-17",
     "Effective application of thresholds and information sharing arrangements inform timely "
     "assessment process.", "RG", "CP",
     "Revised information sharing agreement is with partners. Virtual MASH launched. Still "
     "awaiting confirmation of ISA from YOS and probation.", "Completed"),
    (None, "1.14", "Link in with MASH services across London.", "Apr-17", "Oct-17",
     "To contribute to Pan London MASH forum. To learn and develop best practice. To observe MASH "
     "strategic meetings.", "", "CP",
     "RG receives the minutes of the Pan London MASH group and will attend meetings when able.",
     "Green"),
    (None, "1.15", "Review Virtual MASH arrangements.", "Apr-17", "Oct-17",
     "Review how effective application of thresholds and information sharing arrangements are.",
     "", "CP", "", ""),  # colour-only RAG: green fill, no text
]
P1_COLOUR_ONLY = {"1.15": GREEN}

P2_ROWS = [
    ("To be confident in addressing neglect through affluence.", "2.2",
     "Research to look at the social work response to neglect through affluence. Including "
     "reviewing CoL sample cases.", "Apr-17", "Jul-17", "Research will be published.", "RG", "CP",
     "Professor Bernard is two months behind schedule due to having difficulty accessing SWs to "
     "interview.", "Amber"),
    (None, "2.2.1", "Neglect strategy to be updated following research.", "Aug-17", "Oct-17",
     "Strategy will be updated, added to CHSCB website and CoL Tri-X", "RG", "CP", "", "Green"),
    ("To build confidence and knowledge of the service in addressing neglect overall.", "2.6",
     "Staff to attend the CHSCB conference on neglect.", "Jun-17", "Jun-17",
     "Attendance data shows full attendance by early help and social workers.", "RG", "CP",
     "Full attendance by staff.", "Completed"),
]

LEWISHAM_RECOMMENDATION = (
    "1. Review processes within the duty team to ensure that systems to manage contacts and "
    "referrals, including domestic abuse notifications, are secure and appropriate actions are "
    "taken to improve services.")
LEWISHAM_OUTCOMES = [
    "Clear processes in place from initial referral to CSC to transition to longer term social "
    "work team or early help engagement.",
    "Multi-agency triage in place in line with best practice, with associated performance "
    "framework in place",
]
LEWISHAM_ACTIONS = [
    ("c) Actions", "By when/ Completed", "By whom", "Status"),
    ("1. Develop project plan for review of Referral and Assessment service", "31 st March 2016",
     "Paul King", ""),
    ("2. Complete review of Referral and Assessment service to include capacity and response of "
     "the Emergency Duty Team", "30 th June 2016", "Paul King", ""),
    ("3. Implement revised Referral and Assessment Service arrangements", "30 th Sep 2016",
     "Paul King", ""),
]


# ---------------------------------------------------------------------------------------------
# DOCX


def build_plan_docx() -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def shade(cell, fill: str, **extra: str) -> None:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        for k, v in extra.items():
            shd.set(qn(f"w:{k}"), v)
        cell._tc.get_or_add_tcPr().append(shd)

    def bold_text(cell, text: str) -> None:
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True

    def plan_table(document, rows, colour_only) -> None:
        table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
        table.style = "Table Grid"
        for c, h in enumerate(HEADER):
            cell = table.cell(0, c)
            bold_text(cell, h)
            # what Word writes for "Background 1, darker 15%": the RGB plus the theme reference
            shade(cell, "D9D9D9", themeFill="background1", themeFillShade="D9")
        # merge aim (col 0) and measure (col 5) over the rows marked None below them
        for col in (0, 5):
            r = 0
            while r < len(rows):
                end = r
                while end + 1 < len(rows) and rows[end + 1][col] is None:
                    end += 1
                if end > r:
                    table.cell(1 + r, col).merge(table.cell(1 + end, col))
                r = end + 1
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                table.cell(r, c).text = value
            rag = row[9]
            fill = RAG_FILL.get(rag) or colour_only.get(row[1])
            if fill:
                shade(table.cell(r, 9), fill)

    document = docx.Document()
    cp = document.core_properties
    cp.author = "plantrail samples"
    cp.title = "Children & Families Service Improvement Plan (sample)"
    cp.created = cp.modified = cp.last_printed = FIXED
    cp.revision = 1
    document.styles["Normal"].font.size = Pt(9)

    document.add_heading("Children & Families Service Improvement Plan — April 2017 to March 2018 "
                         "(review date Aug-17)", level=1)
    document.add_paragraph("RAG key: Blue = complete; Green = on track; Amber = some risk; "
                           "Red = off track")
    document.add_heading(PRIORITY_1, level=2)
    plan_table(document, P1_ROWS, P1_COLOUR_ONLY)
    document.add_heading(PRIORITY_2, level=2)
    plan_table(document, P2_ROWS, {})

    document.add_heading("A. EARLY HELP AND SAFEGUARDING", level=2)
    document.add_paragraph(LEWISHAM_RECOMMENDATION)
    document.add_paragraph().add_run("a) Expected outcome (what will be different?)").bold = True
    for item in LEWISHAM_OUTCOMES:
        document.add_paragraph(item, style="List Bullet")
    actions = document.add_table(rows=len(LEWISHAM_ACTIONS), cols=4)
    actions.style = "Table Grid"
    for r, row in enumerate(LEWISHAM_ACTIONS):
        for c, value in enumerate(row):
            if r == 0:
                bold_text(actions.cell(r, c), value)
            else:
                actions.cell(r, c).text = value

    buf = io.BytesIO()
    document.save(buf)
    return _reproducible_zip(buf.getvalue())


# ---------------------------------------------------------------------------------------------
# XLSX


def build_tracker_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.styles.colors import Color

    def solid(rgb: str) -> PatternFill:
        return PatternFill("solid", fgColor="FF" + rgb)

    wb = Workbook()
    wb.properties.creator = "plantrail samples"
    wb.properties.title = "Service Improvement Plan tracker (sample)"
    wb.properties.created = wb.properties.modified = FIXED

    ws = wb.active
    ws.title = "Tracker"
    ws["A1"] = "Children & Families Service Improvement Plan — tracker (sample)"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:J1")
    # row 2 left empty; header on row 3, shaded "Background 1, darker 15%" (a theme colour)
    header_fill = PatternFill("solid", fgColor=Color(theme=0, tint=-0.1499984740745262))
    for c, h in enumerate(HEADER, start=1):
        cell = ws.cell(row=3, column=c, value=h)
        cell.font = Font(bold=True)
        cell.fill = header_fill
    row = 4
    wrap = Alignment(wrap_text=True, vertical="top")
    for banner, rows in ((PRIORITY_1, P1_ROWS), (PRIORITY_2, P2_ROWS)):
        ws.cell(row=row, column=1, value=banner).font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
        row += 1
        first = row
        for data in rows:
            for c, value in enumerate(data, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=row, column=c, value=_xlsx_value(c, value))
                cell.alignment = wrap
                if c in (4, 5):
                    cell.number_format = "mmm-yy"
            rag_cell = ws.cell(row=row, column=10)
            fill = RAG_FILL.get(data[9]) or P1_COLOUR_ONLY.get(data[1])
            if data[1] == "1.1":  # this Green is a theme colour: accent3 of the workbook theme
                rag_cell.fill = PatternFill("solid", fgColor=Color(theme=6))
            elif fill:
                rag_cell.fill = solid(fill)
            row += 1
        for col in (1, 6):  # merge aim and measure down over the rows marked None
            r = 0
            while r < len(rows):
                end = r
                while end + 1 < len(rows) and rows[end + 1][col - 1] is None:
                    end += 1
                if end > r:
                    ws.merge_cells(start_row=first + r, start_column=col, end_row=first + end,
                                   end_column=col)
                r = end + 1
    for letter, width in zip("ABCDEFGHIJ", (30, 8, 40, 9, 9, 35, 10, 8, 40, 10)):
        ws.column_dimensions[letter].width = width

    summary = wb.create_sheet("Summary")
    summary["A1"], summary["B1"] = "Measure", "Value"
    summary["A1"].font = summary["B1"].font = Font(bold=True)
    summary["A2"], summary["B2"] = "Actions in plan", "=COUNTA(Tracker!B5:B14)"
    summary["A3"], summary["B3"] = "Actions completed", '=COUNTIF(Tracker!J5:J14,"Completed")'
    summary["A4"], summary["B4"] = "Review date", dt.datetime(2017, 8, 1)
    summary["B4"].number_format = "dd/mm/yyyy"

    lookups = wb.create_sheet("Lookups")
    for r, rag in enumerate(("Green", "Amber", "Red", "Completed"), start=1):
        lookups.cell(row=r, column=1, value=rag).fill = solid(RAG_FILL[rag])
    lookups.sheet_state = "hidden"

    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl writes formulas without a cached result; add the values Excel would have saved
    # so readers using cached values (data_only) see them.
    cached = {"B2": str(len(P1_ROWS) + len(P2_ROWS)),
              "B3": str(sum(1 for r in P1_ROWS + P2_ROWS if r[9] == "Completed"))}
    return _reproducible_zip(buf.getvalue(), cached_values={"xl/worksheets/sheet2.xml": cached})


def _xlsx_value(col: int, value: str):
    """Start/end as real dates (first of the month), as trackers keep them."""
    if col in (4, 5):
        try:
            return dt.datetime.strptime(value, "%b-%y")
        except ValueError:
            return value
    return value


# ---------------------------------------------------------------------------------------------


def _reproducible_zip(data: bytes, cached_values: dict[str, dict[str, str]] | None = None) -> bytes:
    """Same content -> same bytes: fixed timestamps and core-property dates."""
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(<)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", blob)
            for ref, value in (cached_values or {}).get(info.filename, {}).items():
                blob = re.sub(rb'(<c r="' + ref.encode() + rb'"[^>]*>\s*<f>[^<]*</f>\s*)<v\s*/>|'
                              rb'(<c r="' + ref.encode() + rb'"[^>]*>\s*<f>[^<]*</f>\s*)<v></v>',
                              lambda m, v=value: (m.group(1) or m.group(2)) + b"<v>" + v.encode() + b"</v>",
                              blob)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    return out.getvalue()


def main() -> None:
    (HERE / "sample-plan.docx").write_bytes(build_plan_docx())
    (HERE / "sample-tracker.xlsx").write_bytes(build_tracker_xlsx())
    print(f"wrote {HERE / 'sample-plan.docx'} and {HERE / 'sample-tracker.xlsx'}")


if __name__ == "__main__":
    main()
