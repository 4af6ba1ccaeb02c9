"""Next-version renderings of a style (issue 15): the same plan a quarter later, in the same
layout, with the gold links between the two versions.

Every change kind councils make between versions: finished actions dropped (and the numbering
closed up), light and heavy rewords, one split, one merge, an action moved to another
section, new actions (among them follow-ups worded like a dropped action, one printed with a
later date and one with no date), status changes and slipped end dates.  Gold links use the
schema of ../shared/corpus/dev/gold/links.csv (old_doc, old_seq, new_doc, new_seq, relation, notes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from bench.variety import dates
from bench.variety.content import AREAS, VERBS, Writer
from bench.variety.model import Action, Printed
from bench.variety.plan import Spec, ref, status

LIGHT = (" and report progress to the board", " with partners", " across the service", "")
HEAVY_VERBS = ("Put in place", "Carry out a review of", "Bring forward proposals for", "Launch")
FOLLOW_UPS = ("Evaluate the impact of {x} six months on", "Review how well {x} is working",
              "Embed the learning from {x} in practice")


@dataclass
class New:
    action: Action
    origin: list[tuple[int, str]]   # (old index, relation)
    note: str = ""


def _split_verb(text: str) -> tuple[str, str]:
    """The leading verb of a composed action and the rest (without the final full stop)."""
    body = text.rstrip(".")
    for v in sorted(VERBS, key=len, reverse=True):
        if body.startswith(v + " "):
            return v, body[len(v) + 1:]
    return "", body


def _object(text: str, objects: tuple[str, ...]) -> str:
    """The object the action was composed from (the longest known one it contains)."""
    found = [o for o in objects if o in text]
    return max(found, key=len) if found else _split_verb(text)[1]


class Changer:
    """Applies one version's changes to the actions of a plan, in document order."""

    def __init__(self, rng: random.Random, spec: Spec, old: list[Action]):
        self.rng, self.spec, self.old = rng, spec, old
        self.writer = Writer(rng, AREAS[spec.area])
        self.objects = AREAS[spec.area].objects
        self.writer.objects_used.update(o for o in self.objects if any(o in a.action for a in old))
        self.writer.used.update(a.action.rstrip(".") for a in old)
        self.notes: list[str] = []

    def _slip(self, a: Action, months: int) -> Action:
        m0, m1 = a.months
        end = dates.printed(self.spec.end_form, m1 + months, "end", self.rng) if a.end.gold else a.end
        return replace(a, end=end, months=(m0, m1 + months))

    def _carry(self, a: Action) -> Action:
        """A kept action: maybe a new status, a slipped end date, a new comment."""
        b = replace(a, extra=dict(a.extra))
        if self.rng.random() < 0.4:
            b = replace(b, status=status(self.rng, self.spec.vocab))
        if self.rng.random() < 0.25:
            b = self._slip(b, self.rng.randint(1, 4))
        if self.rng.random() < 0.6:
            b = replace(b, comments=self.writer.comment())
        return b

    def _reword(self, a: Action, heavy: bool) -> Action:
        verb, rest = _split_verb(a.action)
        if heavy:
            text = f"{self.rng.choice(HEAVY_VERBS)} {_object(a.action, self.objects)}{self.rng.choice(LIGHT)}"
        else:
            head = rest.split(". ")[0]
            text = f"{verb} {head}{self.rng.choice(LIGHT[:3])}{rest[len(head):]}".rstrip(".")
        return replace(self._carry(a), action=text + ".")

    def _follow_up(self, a: Action, dated: bool) -> Action:
        text = self.rng.choice(FOLLOW_UPS).format(x=_object(a.action, self.objects)) + "."
        m0 = a.months[1] + 1
        m1 = m0 + self.rng.randint(3, 6)
        start = dates.printed(self.spec.start_form, m0, "start", self.rng) if self.spec.start_form else a.start
        end = dates.printed(self.spec.end_form, m1, "end", self.rng) if dated else dates.words(m1, "end", self.rng)
        if not dated:
            start = Printed("", "") if self.spec.start_form else a.start
        return replace(a, action=text, start=start, end=end, months=(m0, m1), comments="New action.",
                       status=Printed("", "") if self.spec.vocab != "colour" else a.status, extra=dict(a.extra))

    def _fresh(self, like: Action) -> Action:
        m0 = like.months[0] + self.rng.randint(1, 3)
        m1 = m0 + self.rng.randint(3, 9)
        start = dates.printed(self.spec.start_form, m0, "start", self.rng) if self.spec.start_form else like.start
        return replace(like, action=self.writer.action(), start=start,
                       end=dates.printed(self.spec.end_form, m1, "end", self.rng), months=(m0, m1),
                       comments=self.writer.comment(), status=status(self.rng, self.spec.vocab),
                       measure=self.writer.measure(), extra=dict(like.extra))

    def plan(self) -> dict[int, str]:
        """What happens to each old action (index -> kind); the rest are carried."""
        n = len(self.old)
        idx = list(range(n))
        self.rng.shuffle(idx)
        kinds: dict[int, str] = {}
        # a merge needs two neighbours under one aim; a move needs another section
        pairs = [i for i in range(n - 1) if self.old[i].aim == self.old[i + 1].aim]
        m = self.rng.choice(pairs)
        kinds[m], kinds[m + 1] = "merge", "merge2"
        free = [i for i in idx if i not in kinds]
        for kind, count in (("drop_decoy_dated", 1), ("drop_decoy_undated", 1), ("drop", max(1, n // 12)),
                            ("split", 1), ("move", 1), ("heavy", max(1, n // 10)), ("light", max(2, n // 6))):
            for _ in range(count):
                kinds[free.pop()] = kind
        return kinds

    def run(self) -> list[New]:
        kinds = self.plan()
        sections = list(dict.fromkeys(a.section for a in self.old))
        out: list[New] = []
        moved: list[New] = []
        for i, a in enumerate(self.old):
            out += self._apply(i, a, kinds.get(i, "keep"), moved)
        for mv in moved:  # a moved action goes to the end of another section's last aim
            old_sec = mv.action.section
            target = sections[(sections.index(old_sec) + 1) % len(sections)]
            last = max(k for k, x in enumerate(out) if x.action.section == target)
            mv.action = replace(mv.action, section=target, aim=out[last].action.aim)
            out.insert(last + 1, mv)
        self._added(out)
        return out

    def _apply(self, i: int, a: Action, kind: str, moved: list[New]) -> list[New]:
        if kind == "keep":
            return [New(self._carry(a), [(i, "same")])]
        if kind in ("light", "heavy"):
            return [New(self._reword(a, kind == "heavy"), [(i, "reworded")])]
        if kind == "drop":
            return []
        if kind.startswith("drop_decoy"):
            dated = kind.endswith("_dated")
            return [New(self._follow_up(a, dated), [], f"follow-up decoy of old {i + 1} ({'dated' if dated else 'no date'})")]
        if kind == "split":
            verb, rest = _split_verb(a.action)
            obj = _object(a.action, self.objects)
            first = replace(self._carry(a), action=f"{verb} {rest} (phase 1: design and consultation).")
            second = replace(self._carry(a), action=f"Implement {obj} (phase 2: roll-out to all teams).")
            return [New(first, [(i, "split")]), New(second, [(i, "split")])]
        if kind == "merge":
            nxt = self.old[i + 1]
            verb, rest = _split_verb(a.action)
            text = f"{verb} {rest.rstrip('.')} and {_object(nxt.action, self.objects)}."
            return [New(replace(self._carry(a), action=text), [(i, "merged"), (i + 1, "merged")])]
        if kind == "merge2":
            return []
        moved.append(New(self._carry(a), [(i, "moved")]))
        return []

    def _added(self, out: list[New]) -> None:
        for _ in range(2):
            k = self.rng.randrange(len(out))
            out.insert(k + 1, New(self._fresh(out[k].action), [], "added"))

    def renumber(self, out: list[New]) -> None:
        """Refs closed up in the new order, with the style's own scheme."""
        s = a_no = k = j = 0
        last_sec = last_aim = None
        for g, n in enumerate(out, start=1):
            a = n.action
            if a.section != last_sec:
                s, k, last_sec, last_aim = s + 1, 0, a.section, None
            if a.aim != last_aim:
                a_no, j, last_aim = a_no + 1, 0, a.aim
            k, j = k + 1, j + 1
            n.action = replace(a, ref=ref(self.spec.refs, s, a_no, k, j, g))


def next_version(seed: int, spec: Spec, old: list[Action]) -> list[New]:
    ch = Changer(random.Random(f"next:{seed}:{spec.area}:{spec.refs}"), spec, old)
    out = ch.run()
    ch.renumber(out)
    return out
