"""Action-table normalisation: header synonyms, sections, continuation rows, merged fragments."""

from __future__ import annotations

import hashlib
from pathlib import Path

from plantrail.normalise.actions.extract import extract_actions
from plantrail.normalise.actions.header_rows import map_header
from plantrail.parsers.model import Block, Cell, Document, Table
from plantrail.parsers.text import parse_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def text_doc(text: str, name: str = "plan.txt") -> Document:
    data = text.encode("utf-8")
    return parse_text(name, data, hashlib.sha256(data).hexdigest())


def rows(*lines: str) -> str:
    return "\n".join(lines) + "\n"


HEADER = "Specific aim:\tRef:\tAction:\tStart:\tEnd date\tMeasure/outcome:\tLead officer:\tDLT lead:\tComments:\tRAG status:"


def test_header_synonyms_map_to_fields():
    hm = map_header(["No.", "What we will do", "By when", "Owner", "Progress update", "BRAG"])
    assert hm is not None
    assert hm.columns == {0: "ref", 1: "action", 2: "end", 3: "lead", 4: "comments", 5: "rag"}


def test_blank_action_header_is_the_action_column():
    hm = map_header(["", "By when/ Completed", "By whom", "Status"])
    assert hm is not None and hm.columns[0] == "action"


def test_prose_row_is_not_a_header():
    assert map_header(["The plan was reviewed", "in June", "by the board"]) is None


def test_basic_row_fields_and_raw_values():
    doc = text_doc(rows("Priority 1: Keep children safe", "", HEADER,
                        "An aim\t1.1\tDo a thing\tApr-17\t31 st March 2018\tA measure\tRG\tСР\tGoing well\tc Completed"))
    (a,) = extract_actions(doc)
    assert a.section == "Priority 1: Keep children safe"
    assert (a.ref, a.action, a.aim, a.measure) == ("1.1", "Do a thing", "An aim", "A measure")
    assert (a.start, a.start_raw, a.start_precision) == ("2017-04", "Apr-17", "month")
    assert (a.end, a.end_raw) == ("2018-03-31", "31 st March 2018")
    assert (a.dlt_lead, a.dlt_lead_raw) == ("CP", "СР")  # Cyrillic look-alikes made Latin
    assert (a.rag, a.rag_raw) == ("completed", "c Completed")
    assert a.line == 4 and a.table == 0 and a.row == 1 and a.source_file == "plan.txt"
    assert a.action_id.startswith(doc.sha256[:12])


def test_unknown_columns_are_kept_in_extra():
    doc = text_doc(rows("Ref\tAction\tBy when\tBudget code", "1\tFix roof\tMay 2017\tX-12"))
    (a,) = extract_actions(doc)
    assert a.extra == {"Budget code": "X-12"}
    assert a.end == "2017-05"


def test_number_inside_action_text_becomes_ref():
    doc = text_doc(rows("1. Review processes within the duty team to keep children safe and protected.", "",
                        "c) Actions\tBy when/ Completed\tBy whom\tStatus",
                        "1. Develop project plan\t31 st March 2016\tPaul King\t",
                        "3. Implement MASH\t30 th Sep 16 20\tPK\t"))
    a, b = extract_actions(doc)
    assert (a.ref, a.action, a.end) == ("1", "Develop project plan", "2016-03-31")
    assert (b.ref, b.action, b.end) == ("3", "Implement MASH", "2016-09-30")
    assert a.section.startswith("1. Review processes")


def test_repeated_header_and_banner_rows_are_not_actions():
    doc = text_doc(rows(HEADER,
                        "Aim one\t1.1\tFirst action\tApr-17\tJun-17\tM\tRG\tCP\t\tGreen",
                        "Priority 2: Next priority\t\t\t\t\t\t\t\t\t",
                        HEADER,
                        "Aim two\t2.1\tSecond action\tApr-17\tJun-17\tM\tRG\tCP\t\tAmber"))
    acts = extract_actions(doc)
    assert [a.ref for a in acts] == ["1.1", "2.1"]
    assert acts[1].section == "Priority 2: Next priority"


def test_continuation_row_joins_the_action_above():
    doc = text_doc(rows(HEADER,
                        "Aim\t7.1\tSocial workers to be\t\tJan-17\t\tRG\tCP\tSWs have used\t",
                        "\t\tbriefed on health passports\tJan-17\t\t\t\t\tand checked usage\tGreen"))
    (a,) = extract_actions(doc)
    assert a.action == "Social workers to be briefed on health passports"
    assert a.comments == "SWs have used and checked usage"
    assert a.start == "2017-01" and a.rag == "green"
    assert a.rows == "1-2"


def test_text_spilled_onto_next_numbered_row_moves_back():
    doc = text_doc(rows(HEADER,
                        "\t3.1\tPresent findings of Goldsmith\tSep-17\tSep-17\t\tCP\tCP\tlate\tAmber",
                        "\t3.2\tresearch to the SIB and CEB Develop single-agency training\tSep-17\tSep-17\t\tIA\tCP\tok\tAmber"))
    a, b = extract_actions(doc)
    assert a.action == "Present findings of Goldsmith research to the SIB and CEB"
    assert b.action == "Develop single-agency training"


def test_merged_aim_printed_mid_block_applies_to_whole_block():
    doc = text_doc(rows(HEADER,
                        "\t2.1\tFirst\tJan-17\tJan-17\t\tRG\tCP\t\tGreen",
                        "Recommendation two: act on disengagement\t2.2\tSecond\tJan-17\tJan-17\t\tRG\tCP\t\tGreen",
                        "\t2.3\tThird\tJan-17\tJan-17\t\tRG\tCP\t\tGreen",
                        "\t3.1\tFourth\tJan-17\tJan-17\t\tRG\tCP\t\tGreen",
                        "Research on neglect draws on practice\t3.2\tFifth\tJan-17\tJan-17\t\tRG\tCP\t\tGreen",
                        "and identifies strategies.\t3.3\tSixth\tJan-17\tJan-17\t\tRG\tCP\t\tGreen"))
    acts = extract_actions(doc)
    assert [a.aim for a in acts[:3]] == ["Recommendation two: act on disengagement"] * 3
    assert {a.aim for a in acts[3:]} == {"Research on neglect draws on practice and identifies strategies."}
    # a value not printed on the action's own row says where it came from
    assert any("aim rebuilt from a merged cell printed over rows of 2.2" in w for w in acts[0].warnings)
    assert not any(w.startswith("aim") for w in acts[1].warnings)


def test_per_row_aims_carry_down_to_empty_rows():
    doc = text_doc(rows(HEADER,
                        "Aim A.\t1.1\tFirst\tJan-17\tJan-17\tMeasure one.\tRG\tCP\t\tGreen",
                        "\t1.1.1\tSecond\tJan-17\tJan-17\tMeasure two.\tRG\tCP\t\tGreen",
                        "Aim B.\t1.2\tThird\tJan-17\tJan-17\tMeasure three.\tRG\tCP\t\tGreen"))
    acts = extract_actions(doc)
    assert [a.aim for a in acts] == ["Aim A.", "Aim A.", "Aim B."]
    assert acts[1].warnings == ["aim empty on this row; taken from the merged cell above"]
    assert [a.measure for a in acts] == ["Measure one.", "Measure two.", "Measure three."]


def test_merged_cells_from_a_grid_apply_to_every_row_they_span():
    cells = [Cell(0, 0, "Ref"), Cell(0, 1, "Aim"), Cell(0, 2, "Action"), Cell(0, 3, "RAG"),
             Cell(1, 0, "1"), Cell(1, 1, "Shared aim", row_span=2), Cell(1, 2, "Do A"), Cell(1, 3, ""),
             Cell(2, 0, "2"), Cell(2, 2, "Do B"), Cell(2, 3, "Amber")]
    cells[7].fill = "00B050"
    table = Table(cells=cells, n_rows=3, n_cols=4)
    doc = Document(path="x.docx", sha256="ab" * 32, format="docx",
                   blocks=[Block("heading", "Priority 1", level=2), Block("table", table=table)])
    a, b = extract_actions(doc)
    assert a.aim == b.aim == "Shared aim"
    assert (a.rag, a.rag_raw, a.rag_fill) == ("green", "", "00B050")  # colour only
    assert b.rag == "amber"
    assert a.section == "Priority 1"


def test_key_leads_table_resolves_initials():
    doc = text_doc(rows("Job Title\tCurrent Post-Holder",
                        "Chief Executive\tBarry Quirk (BQ)",
                        "Director\tStephen Kitchman (SK)",
                        "", "Intro paragraph.", "",
                        "Actions\tBy when\tBy whom\tStatus",
                        "1. Do a thing\tApril 2016\tBQ/SK\t"))
    (a,) = extract_actions(doc)
    assert a.lead == "BQ/SK"
    assert a.lead_name == "Barry Quirk/Stephen Kitchman"


def test_seed_plans_in_samples_end_to_end():
    counts = {}
    for name in ("001_6c3b3558f498e180.txt", "004_ea5cf699ba5c1d76.txt"):
        data = (SAMPLES / name).read_bytes()
        acts = extract_actions(parse_text(name, data, hashlib.sha256(data).hexdigest()))
        counts[name] = acts
    city, lewisham = counts.values()
    assert len(city) == 113 and len(lewisham) == 61
    assert len({a.action_id for a in city}) == 113
    assert sum(1 for a in city if a.rag == "amber") == 5
    assert [a.ref for a in lewisham[:7]] == ["1", "2", "3", "3", "4", "5", "6"]
    by_ref = {a.ref: a for a in city if a.section.startswith("Priority 1")}
    assert by_ref["1.5.1"].aim == by_ref["1.5"].aim  # empty aim under a merged one
    assert all(a.dlt_lead != "СР" for a in city)


def test_document_without_action_table_gives_nothing():
    assert extract_actions(text_doc(rows("Committee(s)\tDated:", "Safeguarding\t27/09/2017", "", "Summary"))) == []


def test_records_from_ocr_text_are_flagged():
    doc = text_doc(rows("Ref\tAction\tBy when", "1\tFix roof\tMay 2017"))
    assert extract_actions(doc)[0].ocr is False
    doc.meta["ocr"] = "tesseract"
    assert extract_actions(doc)[0].ocr is True


def test_header_fused_with_first_data_row():
    doc = text_doc(rows(
        "Leadership , Management and Governance\tPof:\tActions\tStart:\tEnd:\tMassura /autsama:\tLead officer:"
        "\tDLT lead:\tComments\tPAC status",
        "Recommendations:\tRef: 5.1\tAction: Commissioning service to complete\t\t\tMeasure/outcome: 1) Fewer moves"
        "\tRG/MP\tCP CP\tComments:\tRAG status: Completed",
        "5. Explore placement options for\t\treview of sufficiency options\tSep-16\t\tand more choice\t,\tCP"
        "\tcomplete\tCompleted"))
    (a,) = extract_actions(doc)
    assert a.section == "Leadership , Management and Governance"
    assert (a.ref, a.action) == ("5.1", "Commissioning service to complete review of sufficiency options")
    assert (a.start, a.lead, a.dlt_lead, a.rag, a.comments) == ("2016-09", "RG/MP", "CP", "completed", "complete")
    assert a.aim == "5. Explore placement options for"


def test_header_label_one_column_off_and_a_page_that_drops_the_empty_column():
    header = "Specific aim:\tRef:\tAction:\tStart:\tEnd:\t\tMeasure/outcome:\tLead officer:\tDLT lead:\tComments:\tRAG status:"
    doc = text_doc(rows("Priority 4: Adulthood", "", header,
                        "Aim one.\t4.1\tFirst\tApr-17\t\tMar-18\tMeasure one.\tIA\tCP\tok\tGreen",
                        "Aim two.\t4.2\tSecond\tApr-17\t\tMar-18\tMeasure two.\tIA\tCP\tok\tGreen",
                        "Aim three.\t4.3\tThird\tApr-17\t\tOct-17\tMeasure three.\tIA\tCP\tok\tGreen",
                        "", "Aim four.\t4.4\tFourth\tApr-17\tJun-17\tMeasure four.\tRG\tCP\tok\tAmber"))
    acts = extract_actions(doc)
    assert [a.end for a in acts] == ["2018-03", "2018-03", "2017-10", "2017-06"]
    assert [a.lead for a in acts] == ["IA", "IA", "IA", "RG"]
    assert acts[3].measure == "Measure four." and acts[3].rag == "amber"


def test_wrapped_banner_and_clipped_heading_repaired_from_its_full_print():
    doc = text_doc(rows(
        "Priority 1: Close the gap in outcomes for\t", "children and families in vulnerable groups.\t", "",
        "children and families in vulnerable groups.\t\t\t\t\t", HEADER,
        "Aim.\t1.1\tFirst\tApr-17\tJun-17\tMeasure.\tRG\tCP\t\tGreen", "",
        "Priority 5: after the inspection", "",
        "he experiences of children who need help\t\t\t\t\t\t\t\t\t", HEADER,
        "\t1.1\tSecond\tApr-17\tJun-17\tMeasure.\tRG\tCP\t\tGreen", "",
        "The experiences of children who need help\t\t\t\t\t\t\t\t\t", HEADER,
        "\t2.1\tThird\tApr-17\tJun-17\tMeasure.\tRG\tCP\t\tGreen"))
    acts = extract_actions(doc)
    assert acts[0].section == "Priority 1: Close the gap in outcomes for children and families in vulnerable groups."
    assert acts[1].section == acts[2].section == "The experiences of children who need help"
    assert acts[1].section_raw == "he experiences of children who need help"  # as printed


def test_heading_tail_completed_from_the_summary_table():
    doc = text_doc(rows(
        "Recommendation\tLead\tLinked Plan",
        "3. Monitor and evaluate step-down arrangements to ensure that appropriate actions are taken to improve "
        "services.\tPaul King\tCSC plan", "",
        "MONITORING AND IMPACT", "", "appropriate actions are taken to improve services.", "",
        "c) Actions\tBy when/ Completed\tBy whom\tStatus",
        "1. Implement revised guidance\t30 th May 2016\tPK\t"))
    (a,) = extract_actions(doc)
    assert a.section.startswith("3. Monitor and evaluate step-down arrangements")


def test_banner_merged_across_columns_after_an_empty_margin_column():
    """Kent's PowerPoint-exported plan: an empty first column, section rows merged over the rest."""
    head = [Cell(0, 0, ""), Cell(0, 1, "What we have committed to"), Cell(0, 2, "Led by"),
            Cell(0, 3, "Timescale"), Cell(0, 4, "Measure")]
    banner = [Cell(1, 0, ""), Cell(1, 1, "Reduce health inequalities", col_span=4)]
    row = [Cell(2, 0, ""), Cell(2, 1, "Develop a strategy"), Cell(2, 2, "CPH"), Cell(2, 3, "Sept 2024"),
           Cell(2, 4, "Plan signed off")]
    table = Table(cells=head + banner + row, n_rows=3, n_cols=5)
    doc = Document(path="k.pdf", sha256="cd" * 32, format="pdf", blocks=[Block("table", table=table)])
    (a,) = extract_actions(doc)
    assert (a.section, a.action, a.lead, a.end) == ("Reduce health inequalities", "Develop a strategy", "CPH",
                                                    "2024-09")
