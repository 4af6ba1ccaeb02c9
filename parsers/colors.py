"""Font colours as the document model keeps them (``Cell.color``).

A table may carry its meaning in the colour of its text: a lone red "●" for a status, a
green "On track".  Black and automatic are the colour of all ordinary text and say nothing,
so they read as None; any other colour, white included (white letters on a dark fill), is
kept as "RRGGBB" upper case.  A cell whose visible text mixes colours has no one colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_HEX6 = re.compile(r"[0-9A-Fa-f]{6}")


def font_color(rgb: str | None) -> str | None:
    """"RRGGBB" upper case from an RGB/ARGB hex string; None for black, automatic, garbage."""
    if not rgb or not isinstance(rgb, str):
        return None
    rgb = rgb.strip().lstrip("#")
    if len(rgb) == 8:
        rgb = rgb[2:]
    if not _HEX6.fullmatch(rgb):
        return None
    rgb = rgb.upper()
    return None if rgb == "000000" else rgb


def one_color(colors: Iterable[str | None]) -> str | None:
    """The colour of a cell's visible text from the colours of its pieces (None = black or
    automatic): the colour when every piece has the same non-black one, else None."""
    seen: set[str | None] = set(colors)
    if len(seen) != 1:
        return None
    return next(iter(seen))


def rgb_floats(rgb: tuple[float, ...] | list[float] | None) -> str | None:
    """A PDF colour (gray, RGB or CMYK components in 0..1) as a font colour."""
    if not rgb:
        return None
    vals = [float(v) for v in rgb]
    if len(vals) == 1:
        vals = vals * 3
    elif len(vals) == 4:
        c, m, y, k = vals
        vals = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(vals) != 3:
        return None
    return font_color("".join(f"{round(max(0.0, min(1.0, v)) * 255):02X}" for v in vals))
