"""Rebuild merged cells (aim, measure) that a plain-text extract split into fragments.

In the original table one aim cell spans a block of actions; the extract prints its text on
one row of the block, often not the first, sometimes wrapped over two rows.  The evidence
used here is all in the text:

* a block is a run of actions whose refs share a parent (2.1 .. 2.5, A5.1 .. A5.5), or a run
  of unnumbered actions;
* a fragment continues the one before it when that one ends mid-sentence with a comma, the
  next starts in lower case, or the next continues a numbered list ("2) ...");
* a block whose fragments form a single text, or that has text on few of its rows, was one
  merged cell: every action of the block gets the whole text;
* otherwise each row had its own cell: an action keeps its own text, and an empty aim takes
  the aim above it (the printed plan left it blank under a merged cell).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

_LIST_ITEM = re.compile(r"^\(?([2-9])\)")
MERGED_AT_MOST = 0.6  # text on no more of the rows than this: one merged cell


class DraftLike(Protocol):
    ref: str
    fields: dict[str, str]
    warnings: list[str]


def family(ref: str) -> str:
    """The block key of a ref: its parent path ("2.2.1" -> "2", "A5.1" -> "A5")."""
    parts = [p for p in ref.split(".") if p]
    return parts[0] if parts else ""


def continues(prev: str, nxt: str) -> bool:
    """Certain continuations only: wrapped mid-sentence, lower-case start, list goes on."""
    if prev.rstrip().endswith((",", "-", "&")):
        return True
    if nxt[:1].isalpha() and nxt[:1].islower() and not re.search(r"[.!?]\s*$", prev):
        return True
    return bool(_LIST_ITEM.match(nxt))


def _is_stray(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) < 3


def assign_fragments(drafts: Sequence[DraftLike], pieces: list[tuple[int | None, str]], fld: str,
                     merged_at_most: float = MERGED_AT_MOST) -> None:
    """Set ``drafts[i].fields[fld]`` from the fragments printed on each draft's rows."""
    pieces = [((0 if owner is None else owner), t.strip()) for owner, t in pieces if not _is_stray(t)]
    for d in drafts:
        d.fields[fld] = ""
    if not drafts:
        return
    for members in _blocks(drafts):
        own = [(o, t) for o, t in pieces if o in members]
        if not own:
            continue
        groups = _group(own)
        coverage = len({o for o, _ in own}) / len(members)
        if len(groups) == 1 or coverage <= merged_at_most:
            _one_merged_cell(drafts, members, own, fld)
        else:
            _per_row_cells(drafts, members, groups, fld)


def _one_merged_cell(drafts: Sequence[DraftLike], members: list[int], own: list[tuple[int, str]], fld: str) -> None:
    """The block was one merged cell: every action of it gets the whole text."""
    text = " ".join(t for _, t in own)
    printed_on = {o for o, _ in own}
    for i in members:
        drafts[i].fields[fld] = text
        if printed_on != {i}:
            drafts[i].warnings.append(f"{fld} rebuilt from a merged cell printed over rows of "
                                      f"{_refs(drafts, sorted(printed_on))}")


def _per_row_cells(drafts: Sequence[DraftLike], members: list[int], groups: list[tuple[set[int], str]],
                   fld: str) -> None:
    """Each row had its own cell: an action keeps its own text; an empty aim (or a field under
    a text printed over several rows) takes the one above.  Actions before the first fragment
    stay empty: nothing says which text they had."""
    carried = ""
    carried_multi = False
    for i in members:
        mine = [g for g in groups if i in g[0]]
        if mine:
            owners = set().union(*(g[0] for g in mine))
            carried = " ".join(g[1] for g in mine)
            carried_multi = len(owners) > 1
            drafts[i].fields[fld] = carried
        elif carried and (fld == "aim" or carried_multi):
            drafts[i].fields[fld] = carried
            drafts[i].warnings.append(f"{fld} empty on this row; taken from the merged cell above")


def _refs(drafts: Sequence[DraftLike], idx: list[int]) -> str:
    return ", ".join(drafts[i].ref or f"unnumbered action {i + 1}" for i in idx)


def _blocks(drafts: Sequence[DraftLike]) -> list[list[int]]:
    blocks: list[list[int]] = []
    key_prev: str | None = None
    for i, d in enumerate(drafts):
        key = family(d.ref) if d.ref else "_unnumbered"
        if blocks and key == key_prev:
            blocks[-1].append(i)
        else:
            blocks.append([i])
        key_prev = key
    return blocks


def _group(own: list[tuple[int, str]]) -> list[tuple[set[int], str]]:
    groups: list[tuple[set[int], str]] = []
    for owner, text in own:
        if groups and continues(groups[-1][1], text):
            owners, prev = groups[-1]
            groups[-1] = (owners | {owner}, f"{prev} {text}")
        else:
            groups.append(({owner}, text))
    return groups
