"""Evidence that a new row SUCCEEDS an old action instead of continuing it (issue 15).

A follow-up written into the slot of a finished action agrees with it on aim, measure, lead,
section, position and often ref, and shares its object; the one rule the matcher had against
it ("starts after the old one ended") needs printed dates.  These pieces of evidence need
none, and each holds for any council's plan:

* **follow-up wording**: the new row evaluates, reviews the impact of, embeds or sustains
  what the old one did (words in ``succession.json``) and its old partner says no such thing;
  a follow-up repeats only the old action's object ("Roll out the toolkit" -> "Evaluate the
  impact of the toolkit six months on"), so all the context that agrees is expected and the
  weight against is large; a reword that adds a follow-up clause keeps the old wording whole
  ("Develop X" -> "Develop X and evaluate its impact") and weighs much less;
* **the version's own note**: the new row's comment says it is new ("New action",
  "Added this quarter") and the old comment did not;
* **status path**: the old action was completed, and the row is in progress again: a
  completed action is dropped or stays completed; its successor starts a new status.
"""

from __future__ import annotations

from . import compare as C


def follow_up_evidence(a: C.Prepared, b: C.Prepared) -> C.Evidence:
    """Follow-up words new to the row.  A reword that only adds a clause ("Develop X and
    evaluate its impact") keeps the old wording whole; a follow-up keeps only its object."""
    strong = sorted(b.cues.strong - a.cues.strong)
    if strong:
        said = ", ".join(repr(w) for w in strong)
        if a.text and a.text in b.text:
            return C.Evidence("follow_up", 0.4, f"new wording adds follow-up words ({said}) to the whole old wording")
        return C.Evidence("follow_up", 0.0, f"new wording is a follow-up ({said}) of the old one's object, "
                                            "not a reword of it")
    weak = sorted(b.cues.weak - a.cues.weak - a.cues.strong)
    if weak and not a.cues.weak and not a.cues.strong:
        return C.Evidence("follow_up", 0.6, f"new wording adds {', '.join(repr(w) for w in weak)}")
    return C.Evidence("follow_up", None, "no follow-up wording")


def note_evidence(a: C.Prepared, b: C.Prepared) -> C.Evidence:
    if b.cues.says_new and not a.cues.says_new:
        return C.Evidence("note", 0.0, f"the new version's comment says the row is new "
                                       f"({C.short(b.record.comments)!r})")
    return C.Evidence("note", None, "no note that the row is new")


def status_evidence(a: C.Prepared, b: C.Prepared) -> C.Evidence:
    if a.rag != "completed" or b.rag == "completed":
        return C.Evidence("status", None, "status path says nothing")
    if b.rag in C.RAG_RANK:
        return C.Evidence("status", 0.0, f"old action was completed; this row is {b.record.rag.strip()!r}: "
                                         "a successor (or a reopened action)")
    return C.Evidence("status", 0.5, "old action was completed; this row has no status of its own")
