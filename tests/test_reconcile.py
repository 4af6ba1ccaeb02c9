"""Reconciling plan versions: traps, splits, merges, lineage and history on plans built here."""

from __future__ import annotations

from dataclasses import replace

import pytest
from plantrail.normalise.reconcile import compare as C
from plantrail.normalise.reconcile.candidates import contexts
from plantrail.normalise.reconcile.history import (
    Version,
    changes_table,
    history_table,
    reconcile_versions,
)
from plantrail.normalise.reconcile.match import reconcile_pair
from plantrail.normalise.reconcile.settings import DEFAULT
from plantrail.normalise.records import ActionRecord
from plantrail.output.reconcile_writer import OUTPUT_FILES, write_reconciliation

SEC1 = "Priority 1: Early help"
SEC2 = "Priority 2: Neglect"


def act(ref: str, action: str, *, section: str = SEC1, aim: str = "", measure: str = "", start: str = "2017-04",
        end: str = "2017-10", lead: str = "RG", rag: str = "green", comments: str = "") -> ActionRecord:
    return ActionRecord(action_id="", source_file="", sha256="", section=section, aim=aim or f"Aim for {ref}",
                        ref=ref, action=action, start=start, end=end, measure=measure or f"Measure for {ref}",
                        lead=lead, rag=rag, comments=comments)


def version(name: str, actions: list[ActionRecord]) -> list[ActionRecord]:
    return [replace(a, action_id=f"{name}-{i + 1:03d}", source_file=f"{name}.docx", seq=i + 1)
            for i, a in enumerate(actions)]


# Distinct, realistic wording so that only the intended pairs resemble each other.
TEXTS = [
    "Housing to alert Early Help of families at risk of eviction when difficulty is identified.",
    "Partners to complete CAFs without prompt from social care and further training offered.",
    "Develop post-case closure progress tracking tool to evidence impact of early help support.",
    "Extend annual QA consultation to include children and young people receiving early help.",
    "Publish accessible information on Early Help online for residents and partner agencies.",
    "Obtain gang and CSE profiles from Tower Hamlets, Islington and Hackney.",
    "Review and implement the revised auditing template for early help case files.",
    "Staff to attend the safeguarding children board conference on neglect this year.",
]


def links_by_ref(old, new, result):
    return {(old[lk.old].ref, new[lk.new].ref): lk for lk in result.links}


def test_renumber_trap_equal_ref_alone_does_not_link():
    # Old 1.3 is completed and dropped; old 1.4 is reworded heavily and becomes 1.3.
    old = version("aug", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]),
                          act("1.3", "Set up a virtual MASH.", rag="completed", end="2017-06", aim="Threshold",
                              measure="Timely assessments"),
                          act("1.4", "Link in with MASH services across London.", aim="Effective front door",
                              measure="Contribute to the pan London MASH forum"),
                          act("1.5", TEXTS[2])])
    new = version("nov", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]),
                          act("1.3", "Take part in the pan-London MASH forum and shadow strategic MASH meetings "
                                     "in neighbouring boroughs.", aim="Effective front door",
                              measure="Contribute to the pan London MASH forum"),
                          act("1.4", TEXTS[2])])
    res = reconcile_pair(old, new)
    pairs = links_by_ref(old, new, res)
    assert ("1.3", "1.3") not in pairs
    assert pairs[("1.4", "1.3")].relation == "reworded"
    assert "renumbered 1.4 -> 1.3 with its run" in pairs[("1.4", "1.3")].reasons
    assert pairs[("1.5", "1.4")].relation == "renumbered"
    assert [old[i].ref for i in res.dropped] == ["1.3"]
    assert res.added == []


def test_equal_ref_of_a_different_action_is_evidence_against():
    old = C.prepare(version("a", [act("1.3", "Set up a virtual MASH.")]))[0]
    new = C.prepare(version("b", [act("1.3", "Raise awareness of private fostering.")]))[0]
    ctx = C.RefContext(expected=(("1", "2"),), lo=("1", "1"), hi=("1", "3"), section=new.section,
                       because="1.4 -> 1.3")
    ev = C.ref_evidence(old, new, ctx)
    assert ev.score == 0.0 and C.weight(ev) < 0
    assert "equal ref alone is no evidence" in ev.reason


def test_decoy_worded_like_a_dropped_action_is_not_linked():
    old = version("aug", [act("2.1", TEXTS[0]),
                          act("2.2", "Create a specialist SEND safeguarding action plan.", rag="completed",
                              end="2017-06", aim="Respond to safeguarding risks for children with SEND",
                              measure="Partners and parents will review progress on the SEND action plan."),
                          act("2.3", TEXTS[1])])
    new = version("nov", [act("2.1", TEXTS[0]),
                          act("2.2", "Partners and parents to review progress against the SEND safeguarding "
                                     "action plan six months on.", start="2017-11", end="2018-01",
                              aim="Respond to safeguarding risks for children with SEND",
                              measure="Progress review minuted; outstanding actions carried forward."),
                          act("2.3", TEXTS[1])])
    res = reconcile_pair(old, new)
    pairs = links_by_ref(old, new, res)
    assert set(pairs) == {("2.1", "2.1"), ("2.3", "2.3")}
    assert [old[i].ref for i in res.dropped] == ["2.2"]
    assert [new[j].ref for j in res.added] == ["2.2"]


def test_reworded_with_few_shared_words_links_on_other_evidence():
    old = version("aug", [act("3.1", TEXTS[0]),
                          act("3.2", "Practice standards to be reviewed every six months so all staff know "
                                     "expectations.", aim="Consistency of service", measure="Team minutes record it",
                              lead="IA", start="2017-05", end="2017-09"),
                          act("3.3", TEXTS[1])])
    new = version("nov", [act("3.1", TEXTS[0]),
                          act("3.2", "Half-yearly refresh of the guidance, so that every worker understands what "
                                     "is required of them.", aim="Consistency of service",
                              measure="Team minutes record it", lead="IA", start="2017-05", end="2017-09"),
                          act("3.3", TEXTS[1])])
    assert C.text_similarity(C.process(old[1].action), C.process(new[1].action)) < 0.55
    res = reconcile_pair(old, new)
    pairs = links_by_ref(old, new, res)
    assert pairs[("3.2", "3.2")].relation == "reworded"
    assert "aim same" in pairs[("3.2", "3.2")].reasons and "same dates" in pairs[("3.2", "3.2")].reasons


def test_moved_to_another_section():
    old = version("aug", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]), act("1.3", TEXTS[2]),
                          act("2.1", TEXTS[3], section=SEC2), act("2.2", TEXTS[4], section=SEC2)])
    new = version("nov", [act("1.1", TEXTS[0]), act("1.2", TEXTS[2]),
                          act("2.1", TEXTS[3], section=SEC2), act("2.2", TEXTS[4], section=SEC2),
                          act("2.3", TEXTS[1], section=SEC2)])
    pairs = links_by_ref(old, new, reconcile_pair(old, new))
    assert pairs[("1.2", "2.3")].relation == "moved"
    assert "section changed" in pairs[("1.2", "2.3")].reasons
    assert pairs[("1.3", "1.2")].relation == "renumbered"


def test_split_one_action_into_two():
    whole = ("Supervision to reflect the Think Family approach and remind social workers of community support. "
             "Invite community development officers to visit the team quarterly.")
    old = version("aug", [act("2.1", TEXTS[0]), act("2.2", whole), act("2.3", TEXTS[1])])
    new = version("nov", [act("2.1", TEXTS[0]),
                          act("2.2", "Supervision to reflect the Think Family approach and remind social workers "
                                     "of community support."),
                          act("2.3", "Community development officers to be invited to visit the team quarterly."),
                          act("2.4", TEXTS[1])])
    res = reconcile_pair(old, new)
    splits = [lk for lk in res.links if lk.relation == "split"]
    assert sorted((old[lk.old].ref, new[lk.new].ref) for lk in splits) == [("2.2", "2.2"), ("2.2", "2.3")]
    assert sum(lk.primary for lk in splits) == 1
    assert next(lk for lk in splits if not lk.primary).reasons.startswith("split:")
    assert res.added == [] and res.dropped == []


def test_merge_two_actions_into_one_across_sections():
    old = version("aug", [act("1.1", TEXTS[0]),
                          act("1.2", "Publish accessible information on Early Help online.", aim="Families find help"),
                          act("1.3", TEXTS[2]),
                          act("2.1", TEXTS[3], section=SEC2),
                          act("2.2", "Develop online information that is user friendly for families.",
                              section=SEC2, start="2016-09", end="2017-12", aim="More families take up help"),
                          act("2.3", TEXTS[5], section=SEC2)])
    new = version("nov", [act("1.1", TEXTS[0]),
                          act("1.2", "Publish accessible, user-friendly information on Early Help online, "
                                     "co-produced with families.", aim="Families find help"),
                          act("1.3", TEXTS[2]),
                          act("2.1", TEXTS[3], section=SEC2), act("2.2", TEXTS[5], section=SEC2)])
    res = reconcile_pair(old, new)
    merged = sorted((old[lk.old].ref, new[lk.new].ref) for lk in res.links if lk.relation == "merged")
    assert merged == [("1.2", "1.2"), ("2.2", "1.2")]
    assert res.dropped == [] and res.added == []


def test_follow_up_is_not_taken_as_a_merge_part():
    # The completed pilot shares words with the new evaluation, but the evaluation starts after it ended.
    old = version("aug", [act("1.1", TEXTS[0]),
                          act("1.2", "Initiate pilot of new plan templates in teams.", rag="completed", end="2017-03"),
                          act("1.3", "Begin evaluation of new plan templa", start="2017-09", end="2017-09"),
                          act("1.4", TEXTS[1])])
    new = version("nov", [act("1.1", TEXTS[0]),
                          act("1.2", "Begin evaluation of new plan templates", start="2017-09", end="2017-12"),
                          act("1.3", TEXTS[1])])
    res = reconcile_pair(old, new)
    assert not any(lk.relation == "merged" for lk in res.links)
    assert [old[i].ref for i in res.dropped] == ["1.2"]


def test_blocked_candidates_give_the_same_links_as_all_pairs():
    old = version("aug", [act(f"1.{k + 1}", t) for k, t in enumerate(TEXTS)])
    new = version("nov", [act(f"1.{k + 1}", t) for k, t in enumerate(TEXTS[:2] + TEXTS[3:])]
                  + [act("1.8", "Recommission health provision at the end of the contract.")])
    full = reconcile_pair(old, new)
    blocked = reconcile_pair(old, new, full_pairs_limit=0)
    assert blocked.stats["blocking"] == 1 and full.stats["blocking"] == 0
    assert [(lk.old, lk.new, lk.relation) for lk in blocked.links] == \
        [(lk.old, lk.new, lk.relation) for lk in full.links]
    assert blocked.dropped == full.dropped == [2]


def three_versions() -> list[Version]:
    v1 = version("v1", [act("1.1", TEXTS[0]), act("1.2", TEXTS[5], rag="completed"), act("1.3", TEXTS[1]),
                        act("1.4", TEXTS[2], rag="green", end="2017-10")])
    v2 = version("v2", [act("1.1", TEXTS[0]), act("1.2", TEXTS[1]), act("1.3", TEXTS[2], rag="amber", end="2018-01"),
                        act("1.4", TEXTS[6])])
    v3 = version("v3", [act("1.1", TEXTS[0]),
                        act("1.2", "Partners to complete CAFs without prompting from social care, with further "
                                   "training offered."),
                        act("1.3", TEXTS[2], rag="amber", end="2018-01"), act("1.4", TEXTS[6])])
    return [Version("2017-08", "v1.docx", v1), Version("2017-11", "v2.docx", v2), Version("2018-02", "v3.docx", v3)]


def test_lineage_is_stable_across_three_versions():
    rec = reconcile_versions(three_versions())
    # TEXTS[1]: 1.3 -> 1.2 (renumbered) -> reworded: one lineage named after its first action.
    assert rec.lineage[0][2] == rec.lineage[1][1] == rec.lineage[2][1] == "L-v1-003"
    assert rec.lineage[1][3] == rec.lineage[2][3] == "L-v2-004"  # added in v2
    assert [r.relation for r in rec.pairs[1].links if r.old == 1] == ["reworded"]
    # re-running gives the same ids
    assert reconcile_versions(three_versions()).lineage == rec.lineage


def test_history_rows_type2():
    cols, rows = history_table(reconcile_versions(three_versions()))
    by = {}
    for r in rows:
        by.setdefault(r["lineage_id"], []).append(r)
    # 1.4 in v1: status green -> amber and end slipped in v2, unchanged in v3 (ref 1.4 -> 1.3 in v2 as well).
    h = by["L-v1-004"]
    assert [(r["valid_from"], r["valid_to"], r["is_current"]) for r in h] == [
        ("2017-08", "2017-11", False), ("2017-11", "", True)]
    assert (h[1]["version_from"], h[1]["version_to"]) == (2, 3)
    assert "status green -> amber" in h[1]["change_reason"] and "end date 2017-10 -> 2018-01" in h[1]["change_reason"]
    # dropped after v1
    d = by["L-v1-002"]
    assert len(d) == 1 and d[0]["valid_to"] == "2017-11" and d[0]["end_reason"] == "dropped"
    assert d[0]["is_current"] is False
    # unchanged throughout: one row
    assert [(r["valid_from"], r["valid_to"], r["is_current"]) for r in by["L-v1-001"]] == [("2017-08", "", True)]
    assert cols[:5] == ["lineage_id", "valid_from", "valid_to", "is_current", "change_reason"]


def test_changes_list_added_dropped_and_field_changes():
    _, rows = changes_table(reconcile_versions(three_versions()))
    first = [r for r in rows if r["from_version"] == "2017-08"]
    kinds = {(r["change"], r["field"], r["from_ref"], r["to_ref"]) for r in first}
    assert ("dropped", "", "1.2", "") in kinds
    assert ("added", "", "", "1.4") in kinds
    rag = next(r for r in first if r["field"] == "rag")
    assert (rag["old_value"], rag["new_value"], rag["flags"]) == ("green", "amber", "status_backwards")
    end = next(r for r in first if r["field"] == "end")
    assert end["flags"] == "end_slipped"


def test_outputs_are_byte_identical_on_rerun(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_reconciliation(reconcile_versions(three_versions()), a)
    write_reconciliation(reconcile_versions(three_versions()), b)
    for name in OUTPUT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    header = (a / "actions.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[0] == "action_id" and header[-3:] == ["version", "version_label", "lineage_id"]
    links_header = (a / "links.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert links_header[:5] == ["from_action_id", "to_action_id", "relation", "score", "reasons"]


@pytest.mark.parametrize(("path", "old", "new", "want"), [
    (("1", "9"), ("1", "10"), ("1", "9"), ("1", "8")),
    (("2", "2", "1"), ("2", "2"), ("2", "3"), ("2", "3", "1")),
    (("A5", "3"), ("A5", "2"), ("A5", "1"), ("A5", "2")),
    (("1", "5", "1"), ("1", "4"), ("1", "3"), None),  # a child follows its own parent only
    (("1", "1"), ("1", "3"), ("1", "1"), None),  # would be 1.-1
])
def test_expected_path(path, old, new, want):
    assert C.expected_path(path, old, new) == want


def test_ref_tree_order_and_text_similarity_ignores_containment():
    assert C.path_key(C.ref_path("1.9")) < C.path_key(C.ref_path("1.10")) < C.path_key(C.ref_path("1.10.1"))
    assert C.ref_path(" A5.1. ") == ("A5", "1")
    short, long_ = C.process("Review provision"), C.process("Review provision of health services at the hospital")
    assert C.text_similarity(short, long_) < 0.6  # token_set_ratio would say 1.0


def test_renumber_trap_verbatim_shift():
    # Aug 1.5 (completed) is dropped, so Nov 1.5 is Aug 1.6; aim, measure, lead and dates are
    # shared by the whole block, so only wording and the run's renumbering tell them apart.
    block = dict(aim="Families can access early help directly", measure="Self referrals increase")
    old = version("aug", [act("1.4", TEXTS[0], **block), act("1.5", TEXTS[5], rag="completed", **block),
                          act("1.6", TEXTS[6], **block), act("1.7", TEXTS[7], **block)])
    new = version("nov", [act("1.4", TEXTS[0], **block), act("1.5", TEXTS[6], **block),
                          act("1.6", TEXTS[7], **block)])
    res = reconcile_pair(old, new)
    pairs = links_by_ref(old, new, res)
    assert set(pairs) == {("1.4", "1.4"), ("1.6", "1.5"), ("1.7", "1.6")}
    assert [old[i].ref for i in res.dropped] == ["1.5"]
    po, pn = C.prepare(old), C.prepare(new)
    _, refs = contexts(po, pn, [(0, 0), (2, 1), (3, 2)], DEFAULT)
    ev = C.ref_evidence(po[1], pn[1], refs[1])  # old 1.5 vs new 1.5
    assert C.weight(ev) < 0 and "equal ref alone is no evidence" in ev.reason
    assert C.ref_evidence(po[2], pn[1], refs[2]).score == 1.0  # old 1.6 -> new 1.5, with its run
