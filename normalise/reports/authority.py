"""Which council (or public body) a paper belongs to, from names the text itself prints.

Only a name found in ``authorities.json`` (UK principal authorities and their common printed
forms) counts, so "Budget County Council" or "That Council" never become an authority.  An
abbreviation ("KCC") or an e-mail domain never names an authority on its own: they only
support a full name the paper also prints.  The paper's own council is the one on its
letterhead (the top of the first page) or named again and again; a council named once in
passing, or after "with"/"and"/"between", is a partner.  When two councils are about equally
supported and neither heads the paper, the field stays empty with a warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_FORM_SPLIT = re.compile(r"[\s,]+")
# A run of capitalised words, with the small words that sit inside council names.
_RUN = re.compile(r"[A-Z][\w'\u2019&.-]*(?:,?[ \u00a0]+(?:[A-Z][\w'\u2019&.-]*|of|and|upon|on|the|with|in|nan|le|under|y))*")
_PARTNER = re.compile(r"(?:\bwith|\band|\bbetween|\bpartners?:?|\bincluding|[;,])\s*(?:the\s+)?$", re.I)
_EMAIL = re.compile(r"@(?:[a-z0-9-]+\.)*?([a-z0-9-]+)\s*\.gov\.uk\b", re.I)
# "Report to the Cabinet of X", "a paper by X", "on behalf of X": the paper says whose it is
_OWN_CUE = re.compile(r"(?:\b(?:report|paper)\s+(?:to|of|by|from)\b[^.\n]{0,60}?\bof|\bon behalf of)\s+(?:the\s+)?$", re.I)
_BODY_END = re.compile(r"(?:council|authority|corporation|commissioner|eilean siar)$", re.I)


@dataclass(frozen=True)
class AuthoritySettings:
    """Thresholds for choosing the paper's own authority among the names it prints."""

    head_chars: int = 1500  # the letterhead zone at the top of the text
    head_bonus: float = 5.0  # a name in the letterhead zone
    email_bonus: float = 2.0  # authors' addresses at the authority's domain
    abbreviation_bonus: float = 2.0  # the paper also uses the authority's abbreviation
    own_cue_bonus: float = 5.0  # "Report to the Cabinet of X Council", "on behalf of X"
    letterhead_chars: int = 300  # a name this near the top is the letterhead's: the paper's own
    abbreviation_uses: int = 2  # an abbreviation used this often is the paper's name for its council
    margin: float = 1.5  # the winner must beat the runner-up by this factor unless it heads the paper
    body_only_in_head: tuple[str, ...] = ("police", "fire")  # kinds that count only on a letterhead


@dataclass
class Authority:
    name: str
    kind: str
    abbreviations: tuple[str, ...]
    place: str  # first word of the name, lower case: matched against e-mail domains


@dataclass
class AuthorityFinding:
    name: str = ""
    evidence: str = ""  # the printed form it was read from
    offset: int | None = None  # character offset of that form in the text
    warning: str = ""
    candidates: dict[str, float] = field(default_factory=dict)


def _key(text: str) -> str:
    return _FORM_SPLIT.sub(" ", text.replace("\u2019", "'")).strip().lower()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Authority], int]:
    """Printed form (lower case, commas folded) -> authority; and the longest form in words."""
    raw = json.loads(resources.files(__package__).joinpath("authorities.json").read_text(encoding="utf-8"))
    index: dict[str, Authority] = {}
    longest = 1
    for entry in raw["authorities"]:
        name = entry["name"]
        words = re.sub(r"^(?:the|city of|city and county of|royal borough of|london borough of)\s+", "", name,
                       flags=re.I).split()
        auth = Authority(name, entry["kind"], tuple(entry.get("abbreviations", ())), words[0].lower() if words else "")
        for form in (name, *entry.get("forms", ())):
            key = _key(form)
            index.setdefault(key, auth)
            longest = max(longest, len(key.split()))
    return index, longest


def authority_names() -> list[str]:
    """Every canonical name in the data file (for tests and documentation)."""
    return sorted({a.name for a in _index()[0].values()})


@dataclass
class _Hit:
    auth: Authority
    printed: str
    start: int
    partner: bool
    own: bool = False  # printed after "Report to ... of" / "on behalf of"


def _hits_in_run(run: re.Match[str], text: str) -> list[_Hit]:
    """Longest known forms inside one capitalised run, left to right."""
    index, longest = _index()
    # a full stop ends a sentence, not a name: "... Anyshire County Council. Anyshire residents"
    words = [(m.start() + run.start(), m.group(0).rstrip(".")) for m in re.finditer(r"[^\s,]+", run.group(0))]
    out: list[_Hit] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + longest), i, -1):
            start = words[i][0]
            end = words[j - 1][0] + len(words[j - 1][1])
            printed = text[start:end]
            auth = index.get(_key(printed))
            # a bare place form ("City of Anytown") followed by more capitalised words names
            # something else ("City of Anytown Police", "City of Anytown School")
            if auth is None or (j < len(words) and not _BODY_END.search(printed)):
                continue
            partner = bool(_PARTNER.search(text[max(0, start - 30):start]))
            own = bool(_OWN_CUE.search(text[max(0, start - 90):start]))
            out.append(_Hit(auth, printed, start, partner and not own, own))
            i = j - 1
            break
        i += 1
    return out


def _hits(text: str) -> list[_Hit]:
    return [h for run in _RUN.finditer(text) for h in _hits_in_run(run, text)]


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, set[str]]:
    """Abbreviation -> the authorities it may stand for."""
    out: dict[str, set[str]] = {}
    for auth in _index()[0].values():
        for abbr in auth.abbreviations:
            out.setdefault(abbr, set()).add(auth.name)
    return out


def _abbreviation_uses(text: str) -> dict[str, int]:
    """How often each known abbreviation is printed (one pass over the text's short tokens)."""
    known = _abbreviations()
    uses: dict[str, int] = {}
    for tok in re.findall(r"\b[A-Z][A-Za-z&]{1,7}\b", text):
        if tok in known:
            uses[tok] = uses.get(tok, 0) + 1
    return uses


def _head_name(hits: list[_Hit], settings: AuthoritySettings) -> str:
    """The authority the paper names first, as its own, in its letterhead zone ("" if none):
    a partner council named later on the first page does not share the letterhead's weight."""
    for h in hits:
        if h.start >= settings.head_chars:
            break
        if not h.partner:
            return h.auth.name
    return ""


def _mention_scores(hits: list[_Hit], settings: AuthoritySettings) -> dict[str, float]:
    """One point per own mention (partners get none), a bonus for the letterhead's name."""
    scores: dict[str, float] = {}
    head = _head_name(hits, settings)
    for h in hits:
        if h.auth.kind in settings.body_only_in_head and h.auth.name != head:
            continue
        scores[h.auth.name] = scores.get(h.auth.name, 0.0) + (0.0 if h.partner else 1.0)
    if head in scores:
        scores[head] += settings.head_bonus
    for name in {h.auth.name for h in hits if h.own}:
        scores[name] = scores.get(name, 0.0) + settings.own_cue_bonus
    return scores


def _scores(text: str, hits: list[_Hit], uses: dict[str, int], settings: AuthoritySettings) -> dict[str, float]:
    """Evidence per authority: own mentions, letterhead position, abbreviation and domain support."""
    domains = {m.group(1).lower() for m in _EMAIL.finditer(text)}
    scores = _mention_scores(hits, settings)
    by_name = {h.auth.name: h.auth for h in hits}
    for name in list(scores):
        auth = by_name[name]
        if any(uses.get(a) for a in auth.abbreviations):
            scores[name] += settings.abbreviation_bonus
        if auth.place and any(d == auth.place or d.startswith(auth.place) for d in domains):
            scores[name] += settings.email_bonus
    return {k: v for k, v in scores.items() if v > 0}


def _abbreviated_other(uses: dict[str, int], best: str, min_uses: int = 2) -> str:
    """An abbreviation of another council the paper keeps using ("KCC" in a paper that names
    "Medway Council" in full only as a partner): the paper's own council is that other one."""
    known = _abbreviations()
    councils = _council_names()
    for abbr, n in uses.items():
        if len(abbr) >= 3 and n >= min_uses and best not in known[abbr] and known[abbr] & councils:
            return abbr
    return ""


@lru_cache(maxsize=1)
def _council_names() -> frozenset[str]:
    """Names of councils (not combined authorities, police or fire bodies, which papers name as
    partners: "the GLA" in a borough's paper says nothing about whose paper it is)."""
    return frozenset(a.name for a in _index()[0].values() if a.kind not in ("combined_authority", "police", "fire"))


def _first_hit(hits: list[_Hit], name: str) -> _Hit:
    """Where the paper first names ``name`` as its own (not as a partner), else first at all."""
    own = [h for h in hits if h.auth.name == name and not h.partner]
    return own[0] if own else next(h for h in hits if h.auth.name == name)


def _doubt(ranked: list[tuple[str, float]], uses: dict[str, int], heads: bool, settings: AuthoritySettings) -> str:
    """Why the best candidate is not safe to give (empty when it is)."""
    if heads:
        return ""
    best, best_score = ranked[0]
    other = _abbreviated_other(uses, best)
    if other:
        return f"authority: the paper calls its own council '{other}', not {best}; left empty"
    if len(ranked) > 1 and ranked[1][1] * settings.margin > best_score:
        return f"authority: conflicting names ({' / '.join(n for n, _ in ranked[:2])}); left empty"
    return ""


def _sure_name(hits: list[_Hit], uses: dict[str, int], settings: AuthoritySettings) -> str:
    """The paper's own authority when the text says so outright, in this order: "Report to ...
    of X" / "on behalf of X"; X on the letterhead (its opening lines); X's abbreviation used
    again and again while X is also printed in full.  "" when none of these holds."""
    owned = {h.auth.name for h in hits if h.own}
    if len(owned) == 1:
        return owned.pop()
    for h in hits:
        if h.start >= settings.letterhead_chars:
            break
        if not h.partner:
            return h.auth.name
    known, printed = _abbreviations(), {h.auth.name for h in hits}
    by_abbr = {name for abbr, n in uses.items() if n >= settings.abbreviation_uses
               for name in known[abbr] & printed & _council_names()}
    return by_abbr.pop() if len(by_abbr) == 1 else ""


def find_authority(text: str, settings: AuthoritySettings | None = None) -> AuthorityFinding:
    """The paper's own authority, or an empty finding (with a warning when names conflict)."""
    settings = settings or AuthoritySettings()
    hits = _hits(text)
    uses = _abbreviation_uses(text)
    scores = _scores(text, hits, uses, settings)
    if not scores and not hits:
        return AuthorityFinding()
    sure = _sure_name(hits, uses, settings)
    if sure:
        first = _first_hit(hits, sure)
        return AuthorityFinding(sure, first.printed, first.start, candidates=scores)
    if not scores:
        return AuthorityFinding()
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best = ranked[0][0]
    warning = _doubt(ranked, uses, best == _head_name(hits, settings), settings)
    if warning:
        return AuthorityFinding(warning=warning, candidates=scores)
    first = _first_hit(hits, best)
    return AuthorityFinding(best, first.printed, first.start, candidates=scores)
