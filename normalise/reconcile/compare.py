"""Pieces of evidence that an action of one plan version is the same action in the next.

Each function compares one aspect of two actions and returns an :class:`Evidence`: a score in
[0, 1] (or None when the aspect says nothing, e.g. an empty cell) and a short reason an
auditor can read.  :func:`weight` turns a score into a match weight (log2 of a likelihood
ratio, as in Fellegi-Sunter / Splink) from a fixed curve per evidence kind, so the total
that decides a link is a plain sum anyone can re-add by hand from the reasons column.

The curves are set by reasoning about how often each kind of evidence agrees for the same
action versus for two different actions of the same plan, not fitted to any gold data:

* wording is the strongest single signal, but councils reword heavily and new actions are
  often written in the words of the one they replace, so it never decides alone;
* aim and measure cells are shared by every action of a block, so agreeing is only moderate
  evidence, while disagreeing says the action now serves a different objective;
* a start date rarely changes for the same action, and a "new" action starting after the old
  one ended (and was completed) is a follow-up, not the same action; end dates slip freely;
* a ref is read as a tree path, and only counts when it agrees with what the neighbouring,
  unambiguous matches predict: when a whole run is renumbered (1.9 -> 1.8, 1.10 -> 1.9), the
  shifted ref is evidence, while the *equal* ref 1.8 of a different action is not;
* plans keep their order, so an action between the same two matched neighbours is likely the
  same, but a dropped action and its replacement sit in the same gap, so this is capped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from ..records import ActionRecord
from ..text.vocab import FUNCTION_WORDS, fold_plural
from ..text.vocab import RAG_RANK as VOCAB_RAG_RANK

# Words that carry no meaning for "is this the same action" (containment, split/merge): the
# shared English function words.
STOPWORDS = FUNCTION_WORDS

# Status order for "going backwards": lower is further along.
RAG_RANK = VOCAB_RAG_RANK
UNKNOWN_DATES = frozenset({"tbc", "??", "t.b.c.", "to be confirmed", "ongoing", "on-going"})


@dataclass(frozen=True)
class Evidence:
    name: str
    score: float | None  # None: nothing to compare (empty on one side)
    reason: str


@dataclass
class Prepared:
    """One action with everything the comparisons need computed once."""

    idx: int  # position in its version, 0-based
    record: ActionRecord
    text: str  # action, processed (rapidfuzz default_process, spaces collapsed)
    tokens: frozenset[str]  # content-word stems of the action, for containment
    aim: str
    measure: str
    comments: str
    section: str
    ref: str  # as printed, normalised (no trailing dot, no spaces, upper case)
    path: tuple[str, ...]  # ref as a tree path: "1.5.1" -> ("1", "5", "1")
    leads: frozenset[str]
    start: str
    end: str
    rag: str
    extra: dict[str, object] = field(default_factory=dict)


def process(text: str) -> str:
    """rapidfuzz's default processor (lower case, non-alphanumerics to spaces), spaces collapsed."""
    return " ".join(default_process(text or "").split())


def content_tokens(processed: str) -> frozenset[str]:
    """Content words with plurals folded ("workers"/"worker"), for containment tests."""
    return frozenset(fold_plural(w) for w in processed.split() if w not in STOPWORDS and len(w) > 1)


_REF_TRIM = re.compile(r"^[\s.:;,]+|[\s.:;,]+$")


def norm_ref(ref: str) -> str:
    return _REF_TRIM.sub("", (ref or "").replace(" ", "")).upper()


def ref_path(ref: str) -> tuple[str, ...]:
    """"1.5.1" -> ("1", "5", "1"); "A5.1" -> ("A5", "1"); "" -> ()."""
    r = norm_ref(ref)
    return tuple(p for p in re.split(r"[.\-/]", r) if p) if r else ()


_PART = re.compile(r"^(\D*)(\d+)$")


_PARTS: dict[str, tuple[str, int] | None] = {}


def split_part(part: str) -> tuple[str, int] | None:
    """"A5" -> ("A", 5); "12" -> ("", 12); "x" -> None."""
    if part in _PARTS:
        return _PARTS[part]
    m = _PART.match(part)
    out = (m.group(1), int(m.group(2))) if m else None
    if len(_PARTS) < 100_000:
        _PARTS[part] = out
    return out


def norm_date(value: str) -> str:
    v = (value or "").strip().casefold()
    return "" if v in UNKNOWN_DATES else v


def norm_rag(value: str) -> str:
    v = (value or "").strip().casefold()
    return "completed" if v in ("complete", "blue") else v


def leads_of(value: str) -> frozenset[str]:
    return frozenset(p for p in re.split(r"[\s/,&;+]+|\band\b", (value or "").upper()) if p)


def prepare(actions: list[ActionRecord]) -> list[Prepared]:
    out = []
    for i, a in enumerate(actions):
        text = process(a.action)
        out.append(Prepared(
            idx=i, record=a, text=text, tokens=content_tokens(text), aim=process(a.aim),
            measure=process(a.measure), comments=process(a.comments), section=process(a.section),
            ref=norm_ref(a.ref), path=ref_path(a.ref), leads=leads_of(a.lead),
            start=norm_date(a.start), end=norm_date(a.end), rag=norm_rag(a.rag)))
    return out


def text_similarity(a: str, b: str) -> float:
    """Wording similarity of two processed texts in [0, 1].

    The better of plain ratio (edits in place) and token_sort_ratio (same words reordered).
    token_set_ratio is deliberately not used here: it scores 100 whenever one text's words
    are a subset of the other's, which would make "Review provision" equal to any longer
    action that mentions provision; containment is measured separately, for splits/merges.
    """
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0


def containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of ``part``'s content words found in ``whole``."""
    return len(part & whole) / len(part) if part else 0.0


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "\u2026"


# ---------------------------------------------------------------------------- evidence


def text_evidence(a: Prepared, b: Prepared, sim: float | None = None) -> Evidence:
    if not a.text or not b.text:
        return Evidence("text", None, "action text empty on one side")
    s = text_similarity(a.text, b.text) if sim is None else sim
    if a.text == b.text:
        why = "same wording"
    elif s >= 0.9:
        why = "wording nearly the same"
    elif s >= 0.7:
        why = "reworded"
    else:
        why = "wording differs"
    return Evidence("text", round(s, 4), f"{why} ({s:.2f})")


def _field_text(name: str, a: str, b: str, cache: dict | None = None) -> Evidence:
    if not a or not b:
        return Evidence(name, None, f"{name} empty on one side")
    if cache is not None:
        key = (a, b)
        s = cache.get(key)
        if s is None:
            s = cache[key] = text_similarity(a, b)
    else:
        s = text_similarity(a, b)
    why = "same" if s >= 0.95 else "similar" if s >= 0.8 else "differs"
    return Evidence(name, round(s, 4), f"{name} {why} ({s:.2f})")


def aim_evidence(a: Prepared, b: Prepared, cache: dict | None = None) -> Evidence:
    return _field_text("aim", a.aim, b.aim, cache)


def measure_evidence(a: Prepared, b: Prepared, cache: dict | None = None) -> Evidence:
    return _field_text("measure", a.measure, b.measure, cache)


def comments_evidence(a: Prepared, b: Prepared) -> Evidence:
    """Comments are rewritten every quarter, so only a carried-over comment counts (for; a new
    comment is no evidence against)."""
    if not a.comments or not b.comments:
        return Evidence("comments", None, "no comment on one side")
    if a.comments == b.comments:
        return Evidence("comments", 1.0, "same comment carried over")
    s = fuzz.ratio(a.comments, b.comments) / 100.0
    return Evidence("comments", round(s, 4), "comment updated" if s < 0.9 else "comment nearly the same")


def section_evidence(a: Prepared, b: Prepared, cache: dict | None = None) -> Evidence:
    if not a.section or not b.section:
        return Evidence("section", None, "no section on one side")
    ev = _field_text("section", a.section, b.section, cache)
    if ev.score is not None and ev.score < 0.8:
        return Evidence("section", ev.score,
                        f"section changed: {_short(a.record.section)!r} -> {_short(b.record.section)!r}")
    return ev


def lead_evidence(a: Prepared, b: Prepared) -> Evidence:
    if not a.leads or not b.leads:
        return Evidence("lead", None, "lead empty on one side")
    j = len(a.leads & b.leads) / len(a.leads | b.leads)
    if j == 1:
        return Evidence("lead", 1.0, f"same lead {'/'.join(sorted(a.leads))}")
    if j > 0:
        return Evidence("lead", round(j, 4), f"lead overlaps {a.record.lead} -> {b.record.lead}")
    return Evidence("lead", 0.0, f"lead changed {a.record.lead} -> {b.record.lead}")


def date_evidence(a: Prepared, b: Prepared) -> Evidence:
    """Start dates hold; end dates slip.  A start after the old action's end means the new row
    is a follow-up of a finished action (e.g. "review the plan six months on")."""
    if a.start and b.start:
        if a.start == b.start:
            if a.end == b.end:
                return Evidence("dates", 1.0, f"same dates {a.start}..{a.end or '?'}")
            return Evidence("dates", 0.85, f"same start {a.start}, end {a.end or '?'} -> {b.end or '?'}")
        if a.end and _date_after(b.start, a.end):
            return Evidence("dates", 0.0, f"starts {b.start}, after the old action ended {a.end}")
        return Evidence("dates", 0.25, f"start changed {a.start} -> {b.start}")
    if a.end and b.end:
        if a.end == b.end:
            return Evidence("dates", 0.8, f"same end {a.end}")
        return Evidence("dates", 0.5, f"end {a.end} -> {b.end}, start unknown")
    return Evidence("dates", None, "dates missing")


def _date_after(x: str, y: str) -> bool:
    """x later than y, compared at the coarser of the two ISO precisions; False if either is
    not an ISO date."""
    if not (_ISO.match(x) and _ISO.match(y)):
        return False
    n = min(len(x), len(y))
    return x[:n] > y[:n]


_ISO = re.compile(r"^\d{4}(-\d{2}){0,2}$")


def date_later(x: str, y: str) -> bool:
    return _date_after(norm_date(x), norm_date(y))


@dataclass
class RefContext:
    """What the nearest unambiguous matches in the same section say about an old action's
    new ref: the exact shifts they predict, and the new refs it must fall between."""

    expected: tuple[tuple[str, ...], ...] = ()
    lo: tuple[str, ...] | None = None  # new ref of the previous matched neighbour
    hi: tuple[str, ...] | None = None  # new ref of the next matched neighbour
    section: str = ""  # processed section of those neighbours in the new version
    because: str = ""  # e.g. "1.10 -> 1.9, 1.12 -> 1.10"


def expected_path(path: tuple[str, ...], old_anchor: tuple[str, ...],
                  new_anchor: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where ``path`` goes if it moves like the anchor ``old_anchor -> new_anchor``.

    The anchor's last level and ``path`` must share the parent: the shift of the anchor's last
    number is applied to ``path`` at that level, deeper levels kept (so 2.2.1 follows 2.2 -> 2.3
    as 2.3.1, and 1.9 follows 1.10 -> 1.9 as 1.8).  None when not comparable or the shift
    would give a number below 1.
    """
    k = len(old_anchor)
    if not k or len(path) < k or len(new_anchor) != k or path[: k - 1] != old_anchor[: k - 1]:
        return None
    p, o, n = split_part(path[k - 1]), split_part(old_anchor[-1]), split_part(new_anchor[-1])
    if p is None or o is None or n is None or p[0] != o[0]:
        return None
    if len(path) > k and p != o:  # a child follows its own parent only
        return None
    num = p[1] + n[1] - o[1]
    if num < 1:
        return None
    return new_anchor[:-1] + (f"{n[0]}{num}",) + path[k:]


def path_key(path: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """Tree order of refs: 1.9 < 1.10 < 1.10.1 < 1.11."""
    return tuple(split_part(p) or (p, -1) for p in path)


def fits(path: tuple[str, ...], ctx: RefContext) -> bool:
    k = path_key(path)
    return ((ctx.lo is None or path_key(ctx.lo) < k) and (ctx.hi is None or k < path_key(ctx.hi)))


def ref_evidence(a: Prepared, b: Prepared, ctx: RefContext | None) -> Evidence:
    if not a.path or not b.path:
        return Evidence("ref", None, "no ref on one side")
    if ctx is None or (ctx.lo is None and ctx.hi is None):
        if a.path == b.path:
            return Evidence("ref", 0.55, f"same ref {a.ref} (no neighbouring match to confirm it)")
        return Evidence("ref", 0.35, f"ref {a.ref} -> {b.ref}")
    return _ref_in_context(a, b, ctx)


def _ref_in_context(a: Prepared, b: Prepared, ctx: RefContext) -> Evidence:
    """Ref evidence judged against where the matched neighbours' refs went."""
    same = a.path == b.path
    if b.path in ctx.expected:
        # Neighbours that moved differently (a drop or an insert in between) make it less sure.
        s = 1.0 if len(ctx.expected) == 1 else 0.8
        if same:
            return Evidence("ref", s, f"same ref {a.ref}, as its neighbours ({ctx.because})")
        return Evidence("ref", s, f"renumbered {a.ref} -> {b.ref} with its run ({ctx.because})")
    return _ref_between_neighbours(a, b, ctx, same)


def _ref_between_neighbours(a: Prepared, b: Prepared, ctx: RefContext, same: bool) -> Evidence:
    """A ref that its neighbours' matches did not predict: in their new range, or outside it."""
    bounds = f"{'.'.join(ctx.lo) if ctx.lo else '(start)'} .. {'.'.join(ctx.hi) if ctx.hi else '(end)'}"
    if b.section == ctx.section and fits(b.path, ctx):
        both = ctx.lo is not None and ctx.hi is not None
        what = "same ref" if same else f"ref {a.ref} -> {b.ref}"
        return Evidence("ref", 0.8 if both else 0.55,
                        f"{what}, between the neighbours' new refs {bounds} ({ctx.because})")
    if same:
        return Evidence("ref", 0.0, f"same ref {a.ref}, but its neighbours now sit at {bounds} "
                                    f"({ctx.because}): an equal ref alone is no evidence")
    return Evidence("ref", 0.2, f"ref {a.ref} -> {b.ref}, outside the neighbours' new refs {bounds}")


@dataclass
class Window:
    """New-version positions strictly between the matched neighbours of an old action."""

    lo: int  # new index of the previous anchor (-1: start of plan)
    hi: int  # new index of the next anchor (len: end of plan)
    because: str = ""


def position_evidence(a: Prepared, b: Prepared, win: Window | None) -> Evidence:
    if win is None:
        return Evidence("position", None, "no matched neighbours")
    j = b.idx
    size = max(win.hi - win.lo - 1, 1)
    if win.lo < j < win.hi:
        # A one-slot gap pins the position; a wide gap (many added/dropped) says less.
        s = 0.6 + 0.4 * min(1.0, 3 / size)
        return Evidence("position", round(s, 4), f"in order, between the same neighbours ({win.because})")
    d = win.lo - j + 1 if j <= win.lo else j - win.hi + 1
    s = max(0.0, 0.5 - d / 10)
    return Evidence("position", round(s, 4), f"out of order by {d} place{'s' if d != 1 else ''}")


# ---------------------------------------------------------------------------- weights

# Piecewise-linear curves score -> match weight (log2 likelihood ratio), fixed by design.
CURVES: dict[str, tuple[tuple[float, float], ...]] = {
    "text": ((0.0, -4.0), (0.3, -3.0), (0.5, -1.0), (0.65, 2.0), (0.8, 5.0), (0.95, 8.0), (1.0, 9.0)),
    "aim": ((0.0, -1.5), (0.6, -1.5), (0.8, 0.5), (0.95, 1.5), (1.0, 1.5)),
    "measure": ((0.0, -2.0), (0.6, -2.0), (0.8, 0.5), (0.95, 2.0), (1.0, 2.0)),
    "comments": ((0.0, 0.0), (0.9, 0.0), (1.0, 1.5)),
    "section": ((0.0, -1.5), (0.6, -1.5), (0.8, 0.0), (0.95, 0.5), (1.0, 0.5)),
    "lead": ((0.0, -1.0), (0.5, 0.0), (1.0, 0.5)),
    "dates": ((0.0, -5.0), (0.25, -2.0), (0.5, 0.0), (0.85, 1.0), (1.0, 1.5)),
    "ref": ((0.0, -1.5), (0.3, 0.0), (0.55, 0.5), (1.0, 2.0)),
    "position": ((0.0, -1.5), (0.5, 0.0), (1.0, 1.5)),
}


_WEIGHT_CACHE: dict[tuple[str, float], float] = {}


def weight(ev: Evidence) -> float:
    if ev.score is None:
        return 0.0
    key = (ev.name, ev.score)
    w = _WEIGHT_CACHE.get(key)
    if w is None:
        w = _WEIGHT_CACHE[key] = _interpolate(CURVES[ev.name], ev.score)
        if len(_WEIGHT_CACHE) > 100_000:
            _WEIGHT_CACHE.clear()
    return w


def _interpolate(pts: tuple[tuple[float, float], ...], x: float) -> float:
    xs = [p[0] for p in pts]
    k = bisect_right(xs, x)
    if k == 0:
        return pts[0][1]
    if k >= len(pts):
        return pts[-1][1]
    (x0, y0), (x1, y1) = pts[k - 1], pts[k]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
