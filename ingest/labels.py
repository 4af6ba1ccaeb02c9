"""How a path and other file-system text are shown: in records, and on a terminal.

A file name that is not valid UTF-8 reaches Python with its bad bytes as lone surrogates
(surrogateescape).  They cannot be written as UTF-8, so a label must replace them, and it must
keep two names apart that differ only in those bytes (``plan\\xff.txt``, ``plan\\xfe.txt``): each
undecodable byte becomes the visible escape ``\\xNN``, never one shared replacement character.
"""

from __future__ import annotations

import os
import re

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape_surrogate(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return "\ufffd"


def path_label(path: str | os.PathLike[str]) -> str:
    """The documents.path of a file: the path as text, undecodable bytes as ``\\xNN``."""
    text = os.fspath(path)
    return _SURROGATE.sub(_escape_surrogate, text) if _SURROGATE.search(text) else text


def terminal_safe(text: str) -> str:
    """Text to print on a terminal: control characters (ESC sequences, NUL, bell ...) shown as
    ``\\xNN`` so a crafted file name cannot move the cursor, recolour or retitle the terminal."""
    text = path_label(text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if _CONTROL.search(text) else text
