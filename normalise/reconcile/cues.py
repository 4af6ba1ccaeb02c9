"""Words that say a row succeeds an old action: follow-up wording and "new" notes (data file).

A plan's next version often puts a follow-up in the slot of a finished action, written in its
words ("Evaluate the impact of the toolkit six months on" after "Roll out the toolkit"), with
the same aim, measure, lead and position: every piece of context agrees, and dates may not be
printed.  What tells it apart is the wording of succession itself, and the version's own
comment when it says the row is new.  The words live in ``succession.json`` beside this
module; this module only reads an action's text and comment against them, once per action.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources


def _load() -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads(resources.files(__package__).joinpath("succession.json")
                                            .read_text("utf-8"))
    return data


_WORDS = _load()


def _alternation(phrases: list[str], whole_word: bool) -> re.Pattern[str]:
    """Phrases at a word start (a stem such as "evaluat" matches any ending), longest first."""
    alt = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alt}){'(?![a-z0-9])' if whole_word else ''}")


_STRONG = _alternation(_WORDS["follow_up_strong"], whole_word=False)
_WEAK = _alternation(_WORDS["follow_up_weak"], whole_word=False)
_NOTE_START = re.compile(_alternation(_WORDS["new_note"], whole_word=True).pattern.replace("(?<![a-z0-9])", "^", 1))
_NOTE_WHOLE = frozenset(_WORDS["new_note_whole"])


@dataclass(frozen=True)
class Cues:
    strong: frozenset[str] = frozenset()  # follow-up phrases found in the action's wording
    weak: frozenset[str] = frozenset()
    says_new: bool = False  # the row's own comment says it is new


NONE = Cues()


def read_cues(text: str, comments: str) -> Cues:
    """Cues of one action; ``text`` and ``comments`` already processed (lower case, no punctuation)."""
    strong = frozenset(m.group(0) for m in _STRONG.finditer(text)) if text else frozenset()
    weak = frozenset(m.group(0) for m in _WEAK.finditer(text)) if text else frozenset()
    says_new = bool(comments) and (comments in _NOTE_WHOLE or _NOTE_START.match(comments) is not None)
    if not strong and not weak and not says_new:
        return NONE
    return Cues(strong, weak, says_new)
