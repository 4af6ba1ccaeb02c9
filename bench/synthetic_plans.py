"""Deterministic synthetic plan versions for timing (and sanity-checking) reconciliation.

A plan of N actions in sections of ~100, with block-shared aims and measures, leads, dates
and statuses; the next version drops finished actions and closes up the numbering, rewords
(lightly and heavily), splits, merges, moves actions to another section, slips end dates and
adds new actions, some of them decoys worded like a dropped one (printed with later dates, with
no dates, or either: ``decoy_dates``).  The truth is returned with
the versions, so the bench can report link F1 on it too.
"""

from __future__ import annotations

import random
from dataclasses import replace

from plantrail.normalise.records import ActionRecord

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gri", "sto", "mar", "len", "qui",
             "bra", "fen", "hol", "jun", "wex", "tor", "pli", "zan", "cre", "dun"]


def _vocab(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class _Words:
    """Zipf-like word draws, so a few words are everywhere and most are rare (as in plans)."""

    def __init__(self, rng: random.Random, n: int = 6000):
        self.rng = rng
        self.words = _vocab(rng, n)
        self.weights = [1.0 / (r + 1) ** 0.9 for r in range(n)]

    def sentence(self, k: int) -> str:
        return " ".join(self.rng.choices(self.words, self.weights, k=k)).capitalize() + "."


def _month(m: int) -> str:
    return f"{2016 + m // 12}-{m % 12 + 1:02d}"


def make_plan(n: int, seed: int = 1, name: str = "v1") -> list[ActionRecord]:
    rng = random.Random(seed)
    w = _Words(rng)
    leads = ["".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2)) for _ in range(30)]
    out: list[ActionRecord] = []
    n_sections = max(1, n // 100)
    per = [n // n_sections + (1 if s < n % n_sections else 0) for s in range(n_sections)]
    for s, count in enumerate(per, start=1):
        section = f"Priority {s}: " + w.sentence(6)
        k = 0
        while k < count:
            block = min(count - k, rng.randint(2, 5))
            aim, measure, lead = w.sentence(10), w.sentence(14), rng.choice(leads)
            for _ in range(block):
                k += 1
                start = rng.randint(0, 12)
                out.append(ActionRecord(
                    action_id=f"{name}-{len(out) + 1:05d}", source_file=f"{name}.docx", sha256="", section=section,
                    aim=aim, ref=f"{s}.{k}", action=w.sentence(rng.randint(8, 20)), start=_month(start),
                    end=_month(start + rng.randint(2, 9)), measure=measure, lead=lead, dlt_lead="CP",
                    comments=w.sentence(12), rag=rng.choice(["green", "green", "amber", "completed", "red"]),
                    seq=len(out) + 1))
    return out


DECOY_DATES = ("later", "none", "mixed")

Row = tuple[tuple[int, ...], ActionRecord]  # (source old indexes, record) of one new row


class _Reissue:
    """One re-issue of a plan: the random draws happen in the same order as they always have,
    so the same seeds give the same versions."""

    def __init__(self, old: list[ActionRecord], seed: int, decoy_dates: str) -> None:
        self.old, self.decoy_dates = old, decoy_dates
        self.rng = random.Random(seed)
        self.w = _Words(self.rng)
        self.sections: dict[str, list[int]] = {}
        for i, a in enumerate(old):
            self.sections.setdefault(a.section, []).append(i)
        self.order = list(self.sections)
        self.rows: dict[str, list[Row]] = {s: [] for s in self.order}  # renumbered per section at the end
        self.moved: list[tuple[str, tuple[int, ...], ActionRecord]] = []
        self.dropped: list[int] = []

    def _carried(self, a: ActionRecord) -> ActionRecord:
        rng, b = self.rng, replace(a, warnings=[], extra={})
        if rng.random() < 0.5:
            b.comments = self.w.sentence(12)
        if rng.random() < 0.1:
            b.end = _month(_months(a.end) + rng.randint(1, 4))
        if rng.random() < 0.15:
            b.rag = rng.choice(["green", "amber", "red", "completed"])
        return b

    def _reword(self, b: ActionRecord, heavy: bool) -> None:
        rng, words = self.rng, b.action.split()
        if not heavy:  # light: one to three words replaced
            for _ in range(rng.randint(1, 3)):
                words[rng.randrange(len(words))] = self.w.sentence(1).rstrip(".").lower()
            b.action = " ".join(words)
            return
        # heavy: few words kept, aim/measure/dates/lead unchanged
        keep = set(rng.sample(range(len(words)), max(1, len(words) // 4)))
        b.action = " ".join(x if q in keep else self.w.sentence(1).rstrip(".").lower() for q, x in enumerate(words))

    def _step(self, s: str, idx: list[int], p: int) -> int:
        """What happens to old action idx[p]; returns how many old actions it used."""
        i = idx[p]
        a = self.old[i]
        r = self.rng.random()  # drawn for every action, dropped or not
        if a.rag == "completed" and r < 0.25:
            self.dropped.append(i)
            return 1
        b = self._carried(a)
        t = self.rng.random()
        if t < 0.10:  # reworded, lightly below 0.07
            self._reword(b, heavy=t >= 0.07)
        elif t < 0.11 and len(b.action.split()) >= 10:  # split in two
            words = b.action.split()
            cut = len(words) // 2
            b2 = replace(b)
            b.action, b2.action = " ".join(words[:cut]), " ".join(words[cut:]).capitalize()
            self.rows[s] += [((i,), b), ((i,), b2)]
            return 1
        elif t < 0.115 and p + 1 < len(idx):  # merge with the next
            j = idx[p + 1]
            b.action = a.action.rstrip(".") + "; " + self.old[j].action
            self.rows[s].append(((i, j), b))
            return 2
        elif t < 0.12 and len(self.order) > 1:  # moved to another section
            order = self.order
            target = order[(order.index(s) + 1 + self.rng.randrange(len(order) - 1)) % len(order)]
            b.section = target
            self.moved.append((target, (i,), b))
            return 1
        self.rows[s].append(((i,), b))
        return 1

    def _decoy(self, d: ActionRecord) -> ActionRecord:
        """A new action worded like the dropped ``d``, with or without later dates."""
        rng, words = self.rng, d.action.split()
        for _ in range(len(words) // 2):
            words[rng.randrange(len(words))] = self.w.sentence(1).rstrip(".").lower()
        start = _months(d.end) + rng.randint(1, 3)
        dated = self.decoy_dates == "later" or (self.decoy_dates == "mixed" and rng.random() < 0.5)
        return replace(d, action=" ".join(words), start=_month(start) if dated else "",
                       end=_month(start + 3) if dated else "", measure=self.w.sentence(14), rag="green",
                       comments="", warnings=[], extra={})

    def _add_new(self) -> None:
        """New actions: some plain, some decoys worded like a dropped action."""
        rng, w = self.rng, self.w
        for q in range(max(1, len(self.old) // 20)):
            s = self.order[rng.randrange(len(self.order))]
            if self.dropped and q % 3 == 0:
                b = self._decoy(self.old[self.dropped[rng.randrange(len(self.dropped))]])
                s = b.section
            else:
                start = rng.randint(12, 20)
                b = ActionRecord(action_id="", source_file="", sha256="", section=s, aim=w.sentence(10),
                                 action=w.sentence(rng.randint(8, 20)), start=_month(start),
                                 end=_month(start + 4), measure=w.sentence(14), lead="ZZ", rag="green")
            self.rows[s].insert(rng.randrange(len(self.rows[s]) + 1), ((), b))

    def run(self, name: str) -> tuple[list[ActionRecord], set[tuple[int, int]]]:
        for s in self.order:
            idx, p = self.sections[s], 0
            while p < len(idx):
                p += self._step(s, idx, p)
        for target, src, b in self.moved:
            self.rows[target].append((src, b))
        self._add_new()
        new: list[ActionRecord] = []
        truth: set[tuple[int, int]] = set()
        for s in self.order:
            rows = self.rows[s]
            prefix = rows[0][1].ref.split(".")[0] if rows and rows[0][1].ref else str(self.order.index(s) + 1)
            for k, (src, b) in enumerate(rows, start=1):
                j = len(new)
                new.append(replace(b, action_id=f"{name}-{j + 1:05d}", source_file=f"{name}.docx", section=s,
                                   ref=f"{prefix}.{k}", seq=j + 1))
                truth.update((i, j) for i in src)
        return new, truth


def next_version(old: list[ActionRecord], seed: int = 2, name: str = "v2", decoy_dates: str = "later"
                 ) -> tuple[list[ActionRecord], set[tuple[int, int]]]:
    """The re-issued plan and the true links (old index, new index).

    ``decoy_dates``: whether the decoys (new actions worded like a dropped one) print dates
    starting after the dropped action ended ("later"), print no dates ("none"), or either, by
    a coin flip per decoy ("mixed").  With "later" the matcher's date rule alone can reject
    them; "none" measures the matcher without it."""
    if decoy_dates not in DECOY_DATES:
        raise ValueError(f"decoy_dates must be one of {DECOY_DATES}")
    return _Reissue(old, seed, decoy_dates).run(name)


def _months(iso: str) -> int:
    y, m = iso.split("-")[:2]
    return (int(y) - 2016) * 12 + int(m) - 1
