"""Mentions of plan actions in reports, and their links to actions of other documents."""

from __future__ import annotations

from pathlib import Path

from plantrail.normalise.actions.extract import extract_actions
from plantrail.normalise.records import ActionRecord
from plantrail.normalise.reports.extract import extract_report
from plantrail.normalise.reports.mentions import find_mentions, link_mentions
from plantrail.normalise.reports.records import MENTION_COLUMNS, ReportRecord
from plantrail.parsers.text import parse_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sample(prefix: str):
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return parse_text(path.name, path.read_bytes(), prefix * 20)


def act(n: int, ref: str, action: str, rag: str = "", source: str = "plan.txt", aim: str = "",
        comments: str = "") -> ActionRecord:
    return ActionRecord(f"{source}-{n}", source, "", ref=ref, action=action, rag=rag, aim=aim,
                        comments=comments, seq=n)


REPORT = (
    "Summary\n\n"
    "The two actions flagged last time have been completed; the new referral form has been launched, "
    "and the duty rota is now published weekly.\n\n"
    "There are three actions classed as amber:\n\n"
    "- 1. Recruiting permanent team managers remains slow.\n"
    "- 2. Publishing the parenting leaflet.\n"
    "3. Training foster carers in trauma awareness.\n\n"
    "Regarding the first point, interviews continue.\n"
)
PLAN = [
    act(1, "1.1", "Launch a new referral form for partners", "completed"),
    act(2, "1.2", "Publish the duty rota weekly on the intranet", "completed"),
    act(3, "2.1", "Recruit permanent team managers", "amber", comments="two posts still vacant"),
    act(4, "2.2", "Publish a leaflet for parents on early help", "amber"),
    act(5, "2.3", "Publish a leaflet for carers on early help", "green"),
    act(6, "3.1", "Deliver trauma awareness training to foster carers", "amber"),
    act(7, "3.2", "Review the fostering allowance", "green"),
]


def report_doc():
    return parse_text("report.txt", REPORT.encode(), "ef" * 32)


def test_lists_and_counted_clause_lists_are_read():
    ms = find_mentions(report_doc())
    assert [(m.text, m.status_claimed, m.list_id) for m in ms] == [
        ("the new referral form has been launched", "completed", "L1"),
        ("the duty rota is now published weekly", "completed", "L1"),
        ("Recruiting permanent team managers remains slow.", "amber", "L2"),
        ("Publishing the parenting leaflet.", "amber", "L2"),
        ("Training foster carers in trauma awareness.", "amber", "L2"),
    ]
    assert ms[2].line == 7 and ms[2].context == "amber"
    assert tuple(ms[0].to_row()) == MENTION_COLUMNS


def test_clause_list_needs_the_stated_number_of_clauses():
    doc = parse_text("r.txt", b"The three actions have been completed; the form has been launched.\n", "0" * 64)
    assert find_mentions(doc) == []


def test_linking_by_text_and_status():
    ms = find_mentions(report_doc())
    link_mentions(ms, PLAN)
    assert [m.action_ref for m in ms] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    leaflet = ms[3]
    assert leaflet.action_id == "plan.txt-4" and leaflet.action_source_file == "plan.txt"
    assert leaflet.matched_on == "action" and leaflet.score >= 55
    # 2.3 says nearly the same words, but the report calls the item amber and 2.3 is green
    assert "status agrees" in leaflet.reason and "2.3" in leaflet.reason


def test_items_of_one_list_take_distinct_actions():
    plan = [act(1, "1", "Research neglect through affluence and publish the research", "amber"),
            act(2, "2", "Present the neglect research to the board", "amber")]
    doc = parse_text("r.txt", b"Two actions are amber:\n\n- Publishing the neglect research.\n"
                              b"- Presenting this research.\n", "0" * 64)
    ms = find_mentions(doc)
    link_mentions(ms, plan)
    assert [m.action_ref for m in ms] == ["1", "2"]
    assert len({m.action_id for m in ms}) == 2


def test_mentions_stay_unlinked_without_another_plan():
    ms = find_mentions(report_doc())
    link_mentions(ms, [act(1, "1.1", "Launch a new referral form", "completed", source="report.txt")])
    assert all(m.action_id == "" for m in ms)
    assert ms[0].reason == "no plan actions from another document in this batch"


def test_weak_matches_are_not_linked():
    ms = find_mentions(report_doc())
    link_mentions(ms, [act(1, "9.9", "Replace the boiler in the town hall basement", "green")])
    assert all(m.action_id == "" for m in ms)
    assert ms[0].reason.startswith("best candidate 9.9") and ms[0].score < 55


def test_plan_version_after_the_meeting_is_not_used_when_an_earlier_one_exists():
    ms = find_mentions(report_doc(), ReportRecord("report.txt", "", meeting_date="2017-09-27"))
    old = [act(i, a.ref, a.action, a.rag, source="old.txt") for i, a in enumerate(PLAN, 1)]
    new = [act(i, a.ref, a.action, a.rag, source="new.txt") for i, a in enumerate(PLAN, 1)]
    plans = [ReportRecord("old.txt", "", doc_kind="action_plan", review_date="2017-08"),
             ReportRecord("new.txt", "", doc_kind="action_plan", review_date="2017-11")]
    link_mentions(ms, new + old, reports=plans)
    assert {m.action_source_file for m in ms} == {"old.txt"}


def test_seed_000_amber_items_link_to_the_2017_plan():
    """The six amber items of the September 2017 report, linked through the real pipeline.

    Checked by hand against 001: 1.2 (partners to complete CAFs; RAG empty in the plan),
    1.5 (publish Early Help information), 2.2 (research on neglect through affluence), 2.5 (share
    the neglect strategy and action plan; the plan's fifth amber), and in the Priority 5 table
    3.1 (present the research to the SIB and CEB) and 3.2 (single-agency training)."""
    report_doc_, plan_doc = sample("000"), sample("001")
    actions = extract_actions(plan_doc)
    report = extract_report(report_doc_, extract_actions(report_doc_))
    link_mentions(report.mentions, actions)
    by_id = {a.action_id: a for a in actions}
    amber = [m for m in report.mentions if m.status_claimed == "amber"]
    assert len(amber) == 6
    got = [(by_id[m.action_id].section.split(":")[0][:20], m.action_ref) for m in amber]
    assert got == [
        ("Priority 1", "1.2"),
        ("Priority 1", "1.5"),
        ("Priority 2", "2.2"),
        ("Priority 2", "2.5"),
        ("The experiences and ", "3.1"),
        ("The experiences and ", "3.2"),
    ]
    assert all(m.action_source_file == plan_doc.path for m in amber)
    # and the two actions the report says were completed since the last board
    done = [m for m in report.mentions if m.status_claimed == "completed"]
    assert [m.action_ref for m in done] == ["1.13", "A8"]


def test_a_bulleted_list_not_about_actions_gives_no_mentions():
    # 003: "We have progressed a number of areas of our Improvement Programme, in particular:"
    assert find_mentions(sample("003")) == []


def test_a_short_field_does_not_vouch_for_a_long_mention():
    ms = find_mentions(parse_text("r.txt", b"Two actions are amber:\n\n- Partner completion of assessments "
                                           b"remains low across agencies.\n- Publishing the leaflet.\n", "0" * 64))
    plan = [act(1, "1", "Agree an assessment tool", "green", comments="complete"),
            act(2, "2", "Partners to complete assessments; training offered to agencies", ""),
            act(3, "3", "Publish the leaflet", "amber")]
    link_mentions(ms, plan)
    assert [m.action_ref for m in ms] == ["2", "3"]


def test_many_unrelated_plans_in_the_batch_do_not_displace_the_right_one():
    """Archive runs hold many plans: the word-overlap shortlist must keep the one the report
    talks about (and scoring stays cheap)."""
    others = [act(100 * k + i, f"{i}.1", f"Resurface car park {k} and repaint lines {i}", "green",
                  source=f"highways-{k}.txt") for k in range(12) for i in range(3)]
    ms = find_mentions(report_doc())
    link_mentions(ms, others + PLAN)
    assert [m.action_ref for m in ms] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert {m.action_source_file for m in ms} == {"plan.txt"}
