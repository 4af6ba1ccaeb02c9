"""Characters into lines, and lines into the text a reader would type.

A PDF has no words or lines, only glyphs at positions.  This module rebuilds lines from
glyph geometry and joins them back the way the author wrote them: a line break is a space,
except after a hyphen at the end of a word ("co-" / "ordinator") and where a word too long
for a narrow cell was cut at the cell edge ("Complet" / "ed") - both only exist because of
the layout, not in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .colors import one_color
from .pdf_page import Char

BULLETS = "\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u2219\u00b7\uf0b7\uf0a7\uf0d8\u27a2\u2013-*o"
_BULLET_ONLY = re.compile(r"^[\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u2219\u00b7\uf0b7\uf0a7\uf0d8\u27a2]$")


@dataclass(slots=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the most common glyph size on the line
    bold: bool  # most glyphs bold
    first_w: float  # width of the first glyph (would it have fitted on the previous line?)
    limit: float = 0.0  # right edge text may reach (cell edge minus padding); 0 = unknown
    page: int = 0
    color: str | None = None  # the one non-black colour of every glyph, else None


def chars_to_lines(chars: list[Char], split_gap: float = 0.0) -> list[Line]:
    """Group glyphs into lines by vertical position, in top-to-bottom order.

    ``split_gap`` > 0 splits a line where the horizontal gap exceeds that many font sizes
    (separate pieces of text that merely share a baseline: a footer's left and right part).
    """
    if not chars:
        return []
    cs = sorted(chars, key=lambda c: (c.top + c.bottom))
    groups: list[list[Char]] = []
    cur: list[Char] = []
    ref = 0.0
    tol = 0.0
    for c in cs:
        mid = (c.top + c.bottom) / 2
        if cur and mid - ref <= tol:
            cur.append(c)
            tol = max(tol, 0.6 * (c.bottom - c.top))
            continue
        if cur:
            groups.append(cur)
        cur = [c]
        ref = mid
        tol = 0.6 * max(c.bottom - c.top, 1.0)
    groups.append(cur)
    out: list[Line] = []
    for g in groups:
        g.sort(key=lambda c: c.x0)
        out.extend(_build(g, split_gap))
    return out


def _build(g: list[Char], split_gap: float) -> list[Line]:
    lines: list[Line] = []
    parts: list[str] = []
    seg: list[Char] = []
    prev: Char | None = None
    for c in g:
        if prev is not None:
            if c.text == prev.text and abs(c.x0 - prev.x0) < 0.5 * max(prev.x1 - prev.x0, 1.0):
                continue  # the same glyph drawn twice (fake bold, overprint)
            size = max(prev.size, c.size, 1.0)
            gap = c.x0 - prev.x1
            if seg and _splits(gap, size, split_gap, parts):
                lines.append(_line(seg, parts))
                parts, seg = [], []
            elif gap > 0.18 * size and c.text != " " and parts and parts[-1] != " ":
                parts.append(" ")
        _add_glyph(c, parts, seg)
        prev = c
    if seg:
        lines.append(_line(seg, parts))
    return [ln for ln in lines if ln.text]


def _splits(gap: float, size: float, split_gap: float, parts: list[str]) -> bool:
    """A gap wide enough to part two pieces of text on one baseline (not after a bullet)."""
    return bool(split_gap) and gap > split_gap * size and not _BULLET_ONLY.match("".join(parts).strip())


def _add_glyph(c: Char, parts: list[str], seg: list[Char]) -> None:
    """A glyph onto the line being built; white space as one space."""
    if c.text.isspace():
        if parts and parts[-1] != " ":
            parts.append(" ")
    else:
        parts.append(c.text)
        seg.append(c)


def _line(seg: list[Char], parts: list[str]) -> Line:
    text = "".join(parts).strip()
    sizes: dict[float, int] = {}
    bold = 0
    for c in seg:
        k = round(c.size * 2) / 2
        sizes[k] = sizes.get(k, 0) + 1
        bold += c.bold
    size = max(sizes.items(), key=lambda kv: kv[1])[0] if sizes else 0.0
    return Line(text, seg[0].x0, max(c.x1 for c in seg), min(c.top for c in seg),
                max(c.bottom for c in seg), size, bold * 2 > len(seg),
                seg[0].x1 - seg[0].x0, color=one_color(c.color for c in seg))


def _cut_at_edge(prev: Line, nxt: Line) -> bool:
    """True when ``prev`` is one word that ran into the cell edge and ``nxt`` holds its
    rest: the line is full to the last glyph that fits and has no space to break at."""
    if not prev.limit or " " in prev.text or not nxt.text[:1].isalnum():
        return False
    end = prev.text[-1:]
    if not (end.isalnum() or (end in "./-" and nxt.text[:1].isdigit())):  # "4.10." / "1"
        return False
    room = prev.limit - prev.x1
    return room < nxt.first_w + 0.6


def join_lines(lines: list[Line]) -> str:
    """Lines of one cell or paragraph as one string (see module docstring)."""
    out = ""
    prev: Line | None = None
    for ln in lines:
        t = ln.text
        if prev is None or not out:
            out = t
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and t[:1].isalpha():
            out += t  # "co-" + "ordinator": keep the hyphen, drop the break
        elif _cut_at_edge(prev, ln):
            out += t
        else:
            out += " " + t
        prev = ln
    return out


def is_bullet_line(text: str) -> bool:
    t = text.lstrip()
    if not t:
        return False
    if t[0] in BULLETS[:-4]:
        return True
    return bool(re.match(r"^[-*\u2013o]\s+\S", t))


def strip_bullet(text: str) -> str:
    t = text.lstrip()
    if is_bullet_line(t):
        return t[1:].lstrip()
    return t
