"""The parts of a DOCX's styles.xml the reader needs: names, basedOn chains, bold, colour,
outline levels and numbering, with inheritance resolved on demand.  Kept apart from
:mod:`.docx` so the body reader stays one readable module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


def _q(tag: str) -> str:
    return _W + tag


_FALSE = {"0", "false", "off", "none"}


def _on(el) -> bool | None:
    """A WordprocessingML toggle property (w:b ...): None when absent."""
    if el is None:
        return None
    return el.get(_q("val"), "true").lower() not in _FALSE


@dataclass
class _Style:
    name: str
    kind: str
    based_on: str | None
    bold: bool | None
    outline: int | None  # 0-based outline level, 9 = body text
    num_id: str | None
    ilvl: int | None
    color: str | None = None  # the raw w:color of the style's run properties ("FF0000", "auto")


class _Styles:
    """The bits of styles.xml the reader needs, with basedOn inheritance resolved on demand."""

    def __init__(self, wdoc) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.default_bold = False
        root = wdoc.styles.element
        rpr_default = root.find(f"{_q('docDefaults')}/{_q('rPrDefault')}/{_q('rPr')}")
        if rpr_default is not None:
            self.default_bold = bool(_on(rpr_default.find(_q("b"))))
        for st in root.iter(_q("style")):
            sid = st.get(_q("styleId"))
            if not sid:
                continue
            name_el = st.find(_q("name"))
            based = st.find(_q("basedOn"))
            ppr = st.find(_q("pPr"))
            rpr = st.find(_q("rPr"))
            outline = num_id = ilvl = None
            if ppr is not None:
                ol = ppr.find(_q("outlineLvl"))
                outline = _int(ol.get(_q("val"))) if ol is not None else None
                num_id, ilvl = _num_pr(ppr)
            kind = st.get(_q("type"), "paragraph")
            self.by_id[sid] = _Style(
                name=(name_el.get(_q("val"), "") if name_el is not None else sid).strip().lower(),
                kind=kind,
                based_on=based.get(_q("val")) if based is not None else None,
                bold=_on(rpr.find(_q("b"))) if rpr is not None else None,
                outline=outline, num_id=num_id, ilvl=ilvl, color=run_color_attr(rpr))
            if kind == "paragraph" and st.get(_q("default")) in ("1", "true", "on"):
                self.default_para = sid

    def chain(self, sid: str | None) -> list[_Style]:
        """The style and its ancestors, nearest first (cycle-safe)."""
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            st = self.by_id[sid]
            out.append(st)
            sid = st.based_on
        return out

    def bold(self, sid: str | None) -> bool | None:
        for st in self.chain(sid):
            if st.bold is not None:
                return st.bold
        return None

    def color(self, sid: str | None) -> str | None:
        """The nearest w:color value along the style chain (raw, "auto" included)."""
        for st in self.chain(sid):
            if st.color is not None:
                return st.color
        return None


def run_color_attr(rpr: Any) -> str | None:
    """The w:color of run properties: its theme colour name prefixed "theme:" when it has
    one (Word shows the theme colour over w:val), else w:val; None when absent."""
    if rpr is None:
        return None
    el = rpr.find(_q("color"))
    if el is None:
        return None
    theme = el.get(_q("themeColor"))
    if theme:
        return "theme:" + theme
    return el.get(_q("val"))


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _num_pr(ppr) -> tuple[str | None, int | None]:
    num = ppr.find(_q("numPr"))
    if num is None:
        return None, None
    nid = num.find(_q("numId"))
    lvl = num.find(_q("ilvl"))
    return (nid.get(_q("val")) if nid is not None else None,
            _int(lvl.get(_q("val"))) if lvl is not None else None)


_HEADING = re.compile(r"^heading\s*([1-9])$")
_LIST = re.compile(r"^list\s+(?:bullet|number|continue)(?:\s+([2-9]))?$")


