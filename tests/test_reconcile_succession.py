"""Reconciling beyond the seed plans (issue 15): follow-ups without dates, split parts worded
differently, merges taking every source row.  Small plans built here, in memory."""

from __future__ import annotations

from dataclasses import replace

from plantrail.normalise.reconcile import compare as C
from plantrail.normalise.reconcile.cues import read_cues
from plantrail.normalise.reconcile.match import reconcile_pair
from plantrail.normalise.reconcile.succession import follow_up_evidence, note_evidence, status_evidence
from plantrail.normalise.records import ActionRecord

SEC = "Area for improvement 1: Thresholds"

OTHER = [
    "Housing to alert Early Help of families at risk of eviction when difficulty is identified.",
    "Partners to complete CAFs without prompt from social care and further training offered.",
    "Publish accessible information on Early Help online for residents and partner agencies.",
    "Staff to attend the safeguarding children board conference on neglect this year.",
]


def act(ref: str, action: str, *, aim: str = "", measure: str = "", lead: str = "", start: str = "",
        end: str = "", rag: str = "", comments: str = "") -> ActionRecord:
    return ActionRecord(action_id="", source_file="", sha256="", section=SEC, aim=aim or f"Aim of {ref}",
                        ref=ref, action=action, start=start, end=end, measure=measure or f"Measure of {ref}",
                        lead=lead or f"Lead {ref}", rag=rag, comments=comments)


def version(name: str, actions: list[ActionRecord]) -> list[ActionRecord]:
    return [replace(a, action_id=f"{name}-{i + 1:03d}", source_file=f"{name}.docx", seq=i + 1)
            for i, a in enumerate(actions)]


def pairs_of(old: list[ActionRecord], new: list[ActionRecord]) -> dict[tuple[str, str], str]:
    res = reconcile_pair(old, new)
    return {(old[lk.old].ref, new[lk.new].ref): lk.relation for lk in res.links}


# ---------------------------------------------------------------------------- decoys without dates

TOOLKIT = dict(aim="Children's needs are identified early", measure="90% of schools use the toolkit",
               lead="SEND Manager")


def _toolkit_pair(new_text: str, comments: str = "") -> tuple[list[ActionRecord], list[ActionRecord]]:
    """Old 1.2 is dropped; the new 1.2 sits in its slot with the same aim, measure and lead and
    no dates printed on either side."""
    old = version("q1", [act("1.1", OTHER[0]), act("1.2", "Roll out the graduated approach toolkit for schools.",
                                                   rag="green", **TOOLKIT), act("1.3", OTHER[1])])
    new = version("q2", [act("1.1", OTHER[0]), act("1.2", new_text, rag="green", comments=comments, **TOOLKIT),
                         act("1.3", OTHER[1])])
    return old, new


def test_undated_follow_up_worded_like_a_dropped_action_is_added_not_linked():
    old, new = _toolkit_pair("Evaluate the impact of the graduated approach toolkit for schools six months on.")
    res = reconcile_pair(old, new)
    assert {(old[lk.old].ref, new[lk.new].ref) for lk in res.links} == {("1.1", "1.1"), ("1.3", "1.3")}
    assert [new[j].ref for j in res.added] == ["1.2"] and [old[i].ref for i in res.dropped] == ["1.2"]


def test_same_slot_reword_without_follow_up_words_is_still_linked():
    # The control for the test above: only the follow-up wording differs.
    old, new = _toolkit_pair("Roll out the graduated approach toolkit to every school in the borough.")
    assert pairs_of(old, new)[("1.2", "1.2")] == "reworded"


def test_comment_saying_new_keeps_a_look_alike_row_apart():
    old, new = _toolkit_pair("Refresh the graduated approach toolkit with SENCOs and health visitors.",
                             comments="New action.")
    assert ("1.2", "1.2") not in pairs_of(old, new)
    old, new = _toolkit_pair("Refresh the graduated approach toolkit with SENCOs and health visitors.",
                             comments="Toolkit refreshed after feedback from SENCOs.")
    assert ("1.2", "1.2") in pairs_of(old, new)


def test_succession_evidence_explains_itself():
    a = C.prepare([act("1", "Create a specialist SEND safeguarding action plan.", rag="completed")])[0]
    b = C.prepare([act("1", "Partners and parents to review progress against the SEND safeguarding action plan "
                            "six months on.", rag="green", comments="New action")])[0]
    fu, note, status = follow_up_evidence(a, b), note_evidence(a, b), status_evidence(a, b)
    assert fu.score == 0.0 and "follow-up" in fu.reason and C.weight(fu) < -5
    assert note.score == 0.0 and "new" in note.reason
    assert status.score == 0.0 and "completed" in status.reason
    # A reword that keeps the whole old wording and adds a clause is not a follow-up.
    c = C.prepare([act("1", "Create a specialist SEND safeguarding action plan and evaluate its impact.")])[0]
    assert follow_up_evidence(a, c).score == 0.4
    # Nothing is said when the old wording already had the words, or a comment merely mentions "new".
    assert follow_up_evidence(b, b).score is None
    assert not read_cues(C.process("Develop the plan"), C.process("New arrangements were agreed in May.")).says_new


# ---------------------------------------------------------------------------- splits and merges


GUIDANCE = dict(aim="Thresholds are understood and applied", measure="Audit grades of good or better rise to 70%",
                lead="Head of Safeguarding")


def test_split_part_sharing_few_words_is_found_by_aim_measure_lead_and_position():
    old = version("q1", [act("1.1", OTHER[0]), act("1.2", "Introduce the multi-agency threshold guidance.",
                                                   **GUIDANCE), act("1.3", OTHER[1])])
    second = "Roll out the threshold guidance to every locality team with refresher sessions."
    new = version("q2", [act("1.1", OTHER[0]),
                         act("1.2", "Introduce the multi-agency threshold guidance (phase 1: design and consultation).",
                             **GUIDANCE),
                         act("1.3", second, **GUIDANCE), act("1.4", OTHER[1])])
    assert C.containment(C.content_tokens(C.process(second)), C.content_tokens(C.process(old[1].action))) < 0.5
    res = reconcile_pair(old, new)
    split = {(old[lk.old].ref, new[lk.new].ref): lk for lk in res.links if lk.relation == "split"}
    assert set(split) == {("1.2", "1.2"), ("1.2", "1.3")}
    part = split[("1.2", "1.3")]
    assert not part.primary and part.reasons.startswith("split: next to new 1.2")
    assert "measure same" in part.reasons and "same lead" in part.reasons
    assert res.added == [] and res.dropped == []


def test_unrelated_new_row_beside_a_rewritten_action_is_not_a_split_part():
    # The same places, but the new row has its own measure and lead: an added action.
    old = version("q1", [act("1.1", OTHER[0]), act("1.2", "Introduce the multi-agency threshold guidance.",
                                                   **GUIDANCE), act("1.3", OTHER[1])])
    new = version("q2", [act("1.1", OTHER[0]),
                         act("1.2", "Introduce the multi-agency threshold guidance (phase 1: design and consultation).",
                             **GUIDANCE),
                         act("1.3", "Roll out the threshold guidance to every locality team with refresher sessions.",
                             aim=GUIDANCE["aim"], measure="Re-referrals within 12 months fall below 18%",
                             lead="Principal Social Worker"),
                         act("1.4", OTHER[1])])
    res = reconcile_pair(old, new)
    assert not any(lk.relation == "split" for lk in res.links)
    assert [new[j].ref for j in res.added] == ["1.3"]


def test_merge_takes_both_source_rows():
    aim = "The workforce is stable"
    old = version("q1", [act("1.1", OTHER[0]),
                         act("1.2", "Pilot step-down arrangements to early help.", aim=aim, lead="Head of Early Help",
                             measure="Step-downs within 5 days"),
                         act("1.3", "Relaunch the recruitment and retention offer in the family help teams. Findings "
                                    "will be reported to the improvement board.", aim=aim, lead="Workforce Manager",
                             measure="Agency staff below 15%"),
                         act("1.4", OTHER[1])])
    new = version("q2", [act("1.1", OTHER[0]),
                         act("1.2", "Pilot step-down arrangements to early help and the recruitment and retention "
                                    "offer.", aim=aim, lead="Head of Early Help", measure="Step-downs within 5 days"),
                         act("1.3", OTHER[1])])
    res = reconcile_pair(old, new)
    merged = {(old[lk.old].ref, new[lk.new].ref): lk for lk in res.links if lk.relation == "merged"}
    assert set(merged) == {("1.2", "1.2"), ("1.3", "1.2")}
    assert merged[("1.3", "1.2")].reasons.startswith("merged: next to old 1.2")
    assert res.dropped == [] and res.added == []
