import hashlib
from pathlib import Path

import pytest
from plantrail.normalise.actions.people import Person, clean_lead, find_people, resolve_lead
from plantrail.parsers.model import Block, Cell, Document, Table
from plantrail.parsers.text import parse_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _table(rows: list[list[str]], index: int = 0) -> Table:
    cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return Table(cells=cells, n_rows=len(rows), n_cols=max(len(r) for r in rows), index=index)


def _doc(*tables: Table) -> Document:
    blocks = [Block("paragraph", text="Key Leads and Those Responsible for Actions")]
    blocks += [Block("table", table=t) for t in tables]
    return Document(path="x.docx", sha256="0" * 64, format="docx", blocks=blocks)


KEY_LEADS = [
    ["Job Title", "Current Post-Holder (as of date of Plan Submission)"],
    ["Chief Executive", "Barry Quirk (BQ)"],
    ["Executive Director for Children and Young People", "Sara Williams (SW)"],
    ["Human Resources Business Partner", "Jackie Stirling(JSt)"],
    ["Serious and Acquisitive Crime, Metropolitan Police", "DCI Andy Furphy (AF)"],
    ["Head of Service Governance Support", "Barrie  Neale (BN)"],
]
ACTIONS = [
    ["c) Actions", "By when/ Completed", "By whom"],
    ["1. Develop project plan", "31 st March 2016", "Paul King (PK)"],
    ["2. Review", "30 th June 2016", "BN/SW"],
    ["3. Refresh", "30 th June 2016", "SW"],
]


@pytest.fixture
def people():
    return find_people(_doc(_table(ACTIONS), _table(KEY_LEADS, 1)))


def test_find_people_reads_the_key_leads_table(people):
    assert list(people) == ["BQ", "SW", "JSt", "AF", "BN"]  # the actions table has 1 of 3: not it
    assert people["JSt"] == Person("JSt", "Jackie Stirling", "Human Resources Business Partner")
    assert people["AF"] == Person("AF", "DCI Andy Furphy", "Serious and Acquisitive Crime, Metropolitan Police")
    assert people["BN"].name == "Barrie Neale"  # whitespace collapsed, wording kept


def test_find_people_title_column_without_header_words():
    rows = [["Post", "Person"], ["Chief Executive", "Barry Quirk (BQ)"], ["Director", "Stephen Kitchman (SK)"]]
    found = find_people(_doc(_table(rows)))
    assert found["SK"] == Person("SK", "Stephen Kitchman", "Director")


def test_find_people_nothing_to_find():
    assert find_people(_doc(_table(ACTIONS))) == {}
    assert find_people(_doc()) == {}
    one = [["Job Title", "Name"], ["Chief Executive", "Barry Quirk (BQ)"]]
    assert find_people(_doc(_table(one))) == {}  # a single match is not a key-leads table


def test_find_people_ignores_abbreviation_tables():
    rows = [["Code", "Description", "Type"],
            ["1", "Costs of running our operational premises (CLL)", "Contributions to reserves"],
            ["2", "Borrowing costs, contributions to reserves (NAC)", "Contributions to reserves"],
            ["3", "Children's Social Care (CSC)", "Service"]]
    assert find_people(_doc(_table(rows))) == {}


def test_find_people_on_sample_text_extract():
    data = (SAMPLES / "004_ea5cf699ba5c1d76.txt").read_bytes()
    doc = parse_text("004.txt", data, hashlib.sha256(data).hexdigest())
    found = find_people(doc)
    assert len(found) == 18
    assert found["PK"] == Person("PK", "Paul King", "Service Manger Referral and Assessment")  # typo kept
    assert found["JSt"].name == "Jackie Stirling"
    assert found["JS"].name == "Jonathan Stevens"


@pytest.mark.parametrize("raw, expected", [
    ("BN/SW", "Barrie Neale/Sara Williams"),
    ("BN SW", "Barrie Neale/Sara Williams"),
    ("BN/sw", "Barrie Neale/Sara Williams"),
    ("BN / SW", "Barrie Neale/Sara Williams"),
    ("JSt", "Jackie Stirling"),
    ("GS/SW/AF", "GS/Sara Williams/DCI Andy Furphy"),  # unknown initials kept as printed
    ("Paul King", "Paul King"),
    ("Paul King/SW", "Paul King/Sara Williams"),
    ("GS", ""),
    ("RG/JF", ""),
    ("", ""),
    ("1 '", ""),
])
def test_resolve_lead(people, raw, expected):
    assert resolve_lead(raw, people) == expected


def test_resolve_lead_without_people():
    assert resolve_lead("SK/TB", {}) == ""
    assert resolve_lead("Paul King", {}) == "Paul King"


@pytest.mark.parametrize("raw, expected", [
    ("\u0421\u0420", "CP"),
    ("J\u0397", "JH"),
    ("IA TOTAL", "IA"),
    ("PD PD", "PD"),
    ("CP CP", "CP"),
    ("1", ""),
    ("1 '", ""),
    ("JF / RG", "JF/RG"),
    ("BN SW", "BN SW"),
    ("BN/sw", "BN/sw"),
    ("RL/RdP", "RL/RdP"),
    ("Paul King", "Paul King"),
    ("SK & TB", "SK & TB"),
    ("- SK", "SK"),
    ("TOTAL", "TOTAL"),  # not after initials: kept
    ("", ""),
])
def test_clean_lead(raw, expected):
    assert clean_lead(raw) == expected
