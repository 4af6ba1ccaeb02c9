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


def next_version(old: list[ActionRecord], seed: int = 2, name: str = "v2", decoy_dates: str = "later"
                 ) -> tuple[list[ActionRecord], set[tuple[int, int]]]:
    """The re-issued plan and the true links (old index, new index).

    ``decoy_dates``: whether the decoys (new actions worded like a dropped one) print dates
    starting after the dropped action ended ("later"), print no dates ("none"), or either, by
    a coin flip per decoy ("mixed").  With "later" the matcher's date rule alone can reject
    them; "none" measures the matcher without it."""
    if decoy_dates not in DECOY_DATES:
        raise ValueError(f"decoy_dates must be one of {DECOY_DATES}")
    rng = random.Random(seed)
    w = _Words(rng)
    sections: dict[str, list[int]] = {}
    for i, a in enumerate(old):
        sections.setdefault(a.section, []).append(i)
    order = list(sections)
    # Each new row: (source old indexes, record); records renumbered per section at the end.
    rows: dict[str, list[tuple[tuple[int, ...], ActionRecord]]] = {s: [] for s in order}
    moved: list[tuple[str, tuple[int, ...], ActionRecord]] = []
    dropped: list[int] = []
    for s in order:
        idx = sections[s]
        p = 0
        while p < len(idx):
            i = idx[p]
            a = old[i]
            r = rng.random()
            if a.rag == "completed" and r < 0.25:
                dropped.append(i)
                p += 1
                continue
            b = replace(a, warnings=[], extra={})
            if rng.random() < 0.5:
                b.comments = w.sentence(12)
            if rng.random() < 0.1:
                b.end = _month(_months(a.end) + rng.randint(1, 4))
            if rng.random() < 0.15:
                b.rag = rng.choice(["green", "amber", "red", "completed"])
            t = rng.random()
            if t < 0.07:  # light reword
                words = b.action.split()
                for _ in range(rng.randint(1, 3)):
                    words[rng.randrange(len(words))] = w.sentence(1).rstrip(".").lower()
                b.action = " ".join(words)
            elif t < 0.10:  # heavy reword: few words kept, aim/measure/dates/lead unchanged
                words = b.action.split()
                keep = set(rng.sample(range(len(words)), max(1, len(words) // 4)))
                b.action = " ".join(x if q in keep else w.sentence(1).rstrip(".").lower()
                                    for q, x in enumerate(words))
            elif t < 0.11 and len(b.action.split()) >= 10:  # split in two
                words = b.action.split()
                cut = len(words) // 2
                b2 = replace(b)
                b.action, b2.action = " ".join(words[:cut]), " ".join(words[cut:]).capitalize()
                rows[s].append(((i,), b))
                rows[s].append(((i,), b2))
                p += 1
                continue
            elif t < 0.115 and p + 1 < len(idx):  # merge with the next
                j = idx[p + 1]
                b.action = a.action.rstrip(".") + "; " + old[j].action
                rows[s].append(((i, j), b))
                p += 2
                continue
            elif t < 0.12 and len(order) > 1:  # moved to another section
                target = order[(order.index(s) + 1 + rng.randrange(len(order) - 1)) % len(order)]
                b.section = target
                moved.append((target, (i,), b))
                p += 1
                continue
            rows[s].append(((i,), b))
            p += 1
    for target, src, b in moved:
        rows[target].append((src, b))
    # New actions: some plain, some decoys worded like a dropped action, starting after it ended.
    n_new = max(1, len(old) // 20)
    for q in range(n_new):
        s = order[rng.randrange(len(order))]
        if dropped and q % 3 == 0:
            d = old[dropped[rng.randrange(len(dropped))]]
            words = d.action.split()
            for _ in range(len(words) // 2):
                words[rng.randrange(len(words))] = w.sentence(1).rstrip(".").lower()
            start = _months(d.end) + rng.randint(1, 3)
            dated = decoy_dates == "later" or (decoy_dates == "mixed" and rng.random() < 0.5)
            b = replace(d, action=" ".join(words), start=_month(start) if dated else "",
                        end=_month(start + 3) if dated else "",
                        measure=w.sentence(14), rag="green", comments="", warnings=[], extra={})
            s = d.section
        else:
            start = rng.randint(12, 20)
            b = ActionRecord(action_id="", source_file="", sha256="", section=s, aim=w.sentence(10),
                             action=w.sentence(rng.randint(8, 20)), start=_month(start), end=_month(start + 4),
                             measure=w.sentence(14), lead="ZZ", rag="green")
        pos = rng.randrange(len(rows[s]) + 1)
        rows[s].insert(pos, ((), b))
    new: list[ActionRecord] = []
    truth: set[tuple[int, int]] = set()
    for s in order:
        prefix = rows[s][0][1].ref.split(".")[0] if rows[s] and rows[s][0][1].ref else str(order.index(s) + 1)
        for k, (src, b) in enumerate(rows[s], start=1):
            j = len(new)
            new.append(replace(b, action_id=f"{name}-{j + 1:05d}", source_file=f"{name}.docx", section=s,
                               ref=f"{prefix}.{k}", seq=j + 1))
            for i in src:
                truth.add((i, j))
    return new, truth


def _months(iso: str) -> int:
    y, m = iso.split("-")[:2]
    return (int(y) - 2016) * 12 + int(m) - 1
