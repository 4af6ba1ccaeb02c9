"""The auditor's comparison as one self-contained HTML file.

Built for working through, not just reading: a contents bar with a count per flag kind at the
top; every flag links to its action card (or dropped row) and the card links back; the flags,
cards and tables can be filtered by flag kind, section and lead; the evidence behind each match
is folded away in ``<details>``; every table gives the section and the source page; a print
stylesheet drops the navigation.  Layout never overflows a 1280 px window (the summary is
one row per measure, long text wraps).

Still one file with no network: inline CSS and a few lines of inline script for the filter.
With script off everything is shown and every link works; only the filter is hidden.  Every
piece of text comes from council documents and is escaped with :func:`html.escape`; nothing
from a plan is ever written as markup.  Wording changes are a word-level redline (<del>/<ins>).
The bytes depend only on the inputs (no clock, fixed order).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html import escape

from ..normalise.reconcile.explain import flag_detail, low_confidence_reason
from ..normalise.reconcile.history import (
    FIELD_LABEL,
    FLAG_LABEL,
    FLAGS,
    Reconciliation,
    dropped_flags,
    field_changes,
    link_flags,
    summary,
)
from ..normalise.records import ActionRecord

FLAG_COLOURS = {"status_backwards": "#b3261e", "end_slipped": "#9a5b00", "dropped_not_completed": "#6a1b9a",
                "lead_changed": "#1558a8", "low_confidence": "#4f5560"}

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Arial,sans-serif;margin:0 auto;padding:0 1.5em 2em;color:#222;
max-width:80em;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:2px solid #ccc}
h3{font-size:1.05em;margin:0}
table{border-collapse:collapse;margin:.5em 0;max-width:100%}th,td{border:1px solid #ccc;padding:.25em .5em;
vertical-align:top;text-align:left;overflow-wrap:anywhere}th{background:#f2f2f2;overflow-wrap:normal}
td.n{text-align:right}td.k{white-space:nowrap;overflow-wrap:normal}
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
.toc{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #ccc;padding:.5em 0;
display:flex;flex-wrap:wrap;gap:.3em .8em;align-items:center}
.toc a{text-decoration:none}
#filters{display:flex;flex-wrap:wrap;gap:.5em 1em;margin:.6em 0;padding:.5em;background:#f7f7f7}
#filters select{max-width:22em}
.act{border:1px solid #ddd;border-radius:4px;padding:.6em .8em;margin:.6em 0;overflow-wrap:anywhere}
.act.flagged{border-left:5px solid #c60}
.act:target,tr:target{outline:3px solid #f5b400}
.flag{display:inline-block;color:#fff;border-radius:3px;padding:0 .4em;margin:0 .3em .1em 0;font-size:.85em;
text-decoration:none}
FLAG_RULES
.rel{display:inline-block;background:#446;color:#fff;border-radius:3px;padding:0 .4em;font-size:.85em}
.where{font-size:.9em;color:#555;margin:.2em 0}
.why{background:#f4f4f8;border-left:3px solid #4f5560;padding:.3em .6em}
.reasons{font-size:.85em;color:#555;margin:.3em 0 0 1.2em;padding:0}
details{margin:.3em 0}summary{cursor:pointer;color:#555;font-size:.9em}
.muted{color:#777}
[hidden]{display:none!important}
@media print{.toc,#filters,.back,details:not([open]){display:none}body{max-width:none;padding:0;font-size:9pt}
a{color:inherit;text-decoration:none}tr,h3{break-inside:avoid}h2,h3{break-after:avoid}.act{padding:.3em .5em;
margin:.3em 0}@page{margin:12mm}}
"""

SCRIPT = """
(function(){var f=document.getElementById('filters');f.hidden=false;
function has(list,v){return !v||list.split('|').indexOf(v)>=0}
function apply(){var k=f.kind.value,s=f.section.value,l=f.lead.value,n=0;
document.querySelectorAll('[data-f]').forEach(function(e){var ok=has(e.dataset.f,k)&&has(e.dataset.s,s)
&&has(e.dataset.l,l);e.hidden=!ok;if(ok&&e.classList.contains('act'))n++});
document.getElementById('shown').textContent=n+' action cards shown'}
f.addEventListener('change',apply);f.addEventListener('reset',function(){setTimeout(apply,0)});apply()})();
"""


def redline(old: str, new: str) -> str:
    """Word-level diff of two texts as escaped HTML with <del>/<ins>."""
    a, b = old.split(), new.split()
    out: list[str] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


@dataclass
class Flag:
    """One flag raised on one action, with where it points."""

    n: int  # its row id: f<n>
    kind: str
    step: str  # "2017-08 -> 2017-11"
    old: ActionRecord
    new: ActionRecord | None  # None: dropped
    target: str  # id of the card or dropped row
    detail: str


@dataclass
class Index:
    flags: list[Flag] = field(default_factory=list)
    by_target: dict[str, list[Flag]] = field(default_factory=dict)
    sections: set[str] = field(default_factory=set)
    leads: set[str] = field(default_factory=set)


def _collect(rec: Reconciliation) -> Index:
    idx = Index()
    for k, pr in enumerate(rec.pairs):
        old, new = rec.versions[k].actions, rec.versions[k + 1].actions
        step = f"{rec.versions[k].label} \u2192 {rec.versions[k + 1].label}"
        for lk in pr.links:
            a, b = old[lk.old], new[lk.new]
            for f in link_flags(a, b, lk):
                idx.flags.append(Flag(0, f, step, a, b, f"c{k}-{lk.old}-{lk.new}", flag_detail(f, a, b, lk)))
        for i in pr.dropped:
            for f in dropped_flags(old[i]):
                idx.flags.append(Flag(0, f, step, old[i], None, f"d{k}-{i}", flag_detail(f, old[i], None, None)))
    idx.flags.sort(key=lambda fl: FLAGS.index(fl.kind))  # stable: pair and action order within a kind
    for n, fl in enumerate(idx.flags):
        fl.n = n
        idx.by_target.setdefault(fl.target, []).append(fl)
    for v in rec.versions:
        for a in v.actions:
            if a.section:
                idx.sections.add(a.section)
            if a.lead:
                idx.leads.add(a.lead)
    return idx


def _badge(kind: str, href: str = "") -> str:
    label = escape(FLAG_LABEL.get(kind, kind))
    if href:
        return f'<a class="flag {kind}" href="#{href}">{label}</a>'
    return f'<span class="flag {kind}">{label}</span>'


def _ref(r: str) -> str:
    return escape(r) if r else '<span class="muted">(no ref)</span>'


def _attrs(flags: list[str], actions: list[ActionRecord]) -> str:
    """data-f/-s/-l: flag kinds, sections and leads of a filterable element ('|'-separated)."""
    def joined(values: list[str]) -> str:
        return escape("|".join(dict.fromkeys(_key(v) for v in values if v)), quote=True)

    return (f' data-f="{joined(flags) or "none"}" data-s="{joined([a.section for a in actions])}"'
            f' data-l="{joined([a.lead for a in actions])}"')


def _key(value: str) -> str:
    """A section or lead as a filter key: '|' separates keys, so a '|' inside one is swapped."""
    return value.replace("|", "\u00a6")


def where(a: ActionRecord) -> str:
    """Where the action was printed: page (or sheet and row, or line) of its source file."""
    if a.page is not None:
        return f"p. {a.page}"
    if a.sheet:
        return f"sheet {a.sheet}" + (f", row {a.row + 1}" if a.row is not None else "")
    if a.line is not None:
        return f"line {a.line}"
    return ""


def render(rec: Reconciliation, title: str = "Plan reconciliation") -> str:
    idx = _collect(rec)
    labels = " \u2192 ".join(v.label for v in rec.versions)
    rules = "".join(f".flag.{k}{{background:{c}}}" for k, c in FLAG_COLOURS.items())
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(title)}: {escape(labels)}</title>",
             f"<style>{CSS.replace('FLAG_RULES', rules)}</style></head><body>",
             _contents(rec, idx), f'<h1 id="top">{escape(title)}</h1>', "<p>Versions, in order: " + ", ".join(
                 f"<b>{escape(v.label)}</b> ({escape(v.source_file)}, {len(v.actions)} actions)"
                 for v in rec.versions) + "</p>", _filters(idx), _summary_html(rec), _flags_html(idx)]
    for k in range(len(rec.pairs)):
        parts.append(_pair_html(rec, k, idx))
    parts.append('<p class="muted">Match weights are log2 likelihood ratios from fixed rules '
                 "(wording, aim, measure, comments, section, lead, dates, ref as a tree path, position); "
                 "a pair is linked when its summed weight passes the threshold and beats the alternatives. "
                 "Score is that weight on a 0-1 scale (0.5 at the threshold).</p>")
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"


def _contents(rec: Reconciliation, idx: Index) -> str:
    counts = {k: sum(1 for f in idx.flags if f.kind == k) for k in FLAGS}
    items = ['<a href="#summary">Summary</a>', f'<a href="#flags">What to look at ({len(idx.flags)})</a>']
    items += [_badge(k, f"flags-{k}") + f"{counts[k]}" for k in FLAGS if counts[k]]
    for k, pr in enumerate(rec.pairs):
        step = f"{escape(rec.versions[k].label)} \u2192 {escape(rec.versions[k + 1].label)}"
        items.append(f'<a href="#pair{k}">{step}</a> (<a href="#dropped{k}">dropped {len(pr.dropped)}</a>, '
                     f'<a href="#added{k}">added {len(pr.added)}</a>)')
    return '<nav class="toc" aria-label="Contents">' + " ".join(f"<span>{i}</span>" for i in items) + "</nav>"


def _filters(idx: Index) -> str:
    def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
        opts = "".join(f'<option value="{escape(v, quote=True)}">{escape(t)}</option>' for v, t in options)
        return f'<label>{label} <select name="{name}"><option value="">all</option>{opts}</select></label>'

    kinds = [(k, FLAG_LABEL[k]) for k in FLAGS if any(f.kind == k for f in idx.flags)]
    kinds.append(("none", "no flag"))
    sections = [(_key(s), s if len(s) <= 60 else s[:59] + "\u2026") for s in sorted(idx.sections)]
    leads = [(_key(ld), ld) for ld in sorted(idx.leads)]
    return ('<form id="filters" hidden>' + select("kind", "Flag", kinds) + select("section", "Section", sections)
            + select("lead", "Lead", leads) + '<button type="reset">Show all</button> '
            '<span id="shown" class="muted"></span></form>')


def _summary_html(rec: Reconciliation) -> str:
    rows = summary(rec)
    if not rows:
        return '<h2 id="summary">Summary</h2><p>Only one version: nothing to compare.</p>'
    measures = [("old_actions", "Old actions"), ("new_actions", "New actions"), ("same", "Same"),
                ("reworded", "Reworded"), ("renumbered", "Renumbered"), ("moved", "Moved"),
                ("split", "Split links"), ("merged", "Merged links"), ("added", "Added"), ("dropped", "Dropped")]
    measures += [(f, FLAG_LABEL[f]) for f in FLAGS]
    head = "".join(f"<th>{escape(str(r['from']))} \u2192 {escape(str(r['to']))}</th>" for r in rows)
    body = "".join(f"<tr><th>{escape(label)}</th>" + "".join(f'<td class="n">{r[key]}</td>' for r in rows) + "</tr>"
                   for key, label in measures)
    return f'<h2 id="summary">Summary</h2><table><tr><th></th>{head}</tr>{body}</table>'


def _flags_html(idx: Index) -> str:
    out = ['<h2 id="flags">What to look at</h2>']
    if not idx.flags:
        out.append("<p>No flags.</p>")
        return "".join(out)
    for kind in FLAGS:
        rows = [f for f in idx.flags if f.kind == kind]
        if not rows:
            continue
        out.append(f'<h3 id="flags-{kind}">{_badge(kind)} {len(rows)}</h3>')
        out.append("<table><tr><th>Versions</th><th>Ref</th><th>Section</th><th>Page</th><th>Action</th>"
                   "<th>Detail</th></tr>")
        for f in rows:
            b = f.new
            refs = _ref(f.old.ref) + (f" \u2192 {_ref(b.ref)}" if b is not None else " (dropped)")
            pages = where(f.old) + (f" \u2192 {where(b)}" if b is not None and where(b) else "")
            actions = [f.old] + ([b] if b is not None else [])
            out.append(f'<tr id="f{f.n}"{_attrs([f.kind], actions)}><td class="k">{escape(f.step)}</td>'
                       f'<td class="k"><a href="#{f.target}">{refs}</a></td><td>{escape((b or f.old).section)}</td>'
                       f'<td class="k">{escape(pages)}</td><td>{escape((b.action if b else "") or f.old.action)}</td>'
                       f"<td>{escape(f.detail)}</td></tr>")
        out.append("</table>")
    return "".join(out)


NO_TEXT = '<span class="muted">(no action text)</span>'
_SPLIT = re.compile(r";\s+(?=[a-z]+: )")


def _back(idx: Index, target: str) -> str:
    flags = idx.by_target.get(target, [])
    if not flags:
        return ""
    links = " ".join(_badge(f.kind, f"f{f.n}") for f in flags)
    return f'<p class="back">Flags: {links} <span class="muted">(each links back to its row)</span></p>'


def _card(rec: Reconciliation, k: int, lk, idx: Index) -> str:
    a, b = rec.versions[k].actions[lk.old], rec.versions[k + 1].actions[lk.new]
    flags = link_flags(a, b, lk)
    target = f"c{k}-{lk.old}-{lk.new}"
    out = [f'<div class="act{" flagged" if flags else ""}" id="{target}"{_attrs(flags, [a, b])}>'
           f"<h3>{_ref(a.ref)} \u2192 {_ref(b.ref)} <span class='rel'>{escape(lk.relation)}</span> "
           f'<span class="muted">score {lk.score:.2f}, weight {lk.weight:+.1f}</span> '
           + "".join(_badge(f, f"f{fl.n}") for f in flags for fl in idx.by_target.get(target, [])
                     if fl.kind == f) + "</h3>"]
    out.append(_place(a, b))
    out.append(f"<p>{redline(a.action, b.action)}</p>" if a.action != b.action else f"<p>{escape(b.action) or NO_TEXT}</p>")
    out.append(_changes(a, b))
    if lk.low_confidence:
        out.append(f'<p class="why">Why review this match: {escape(low_confidence_reason(lk))}</p>')
    reasons = _SPLIT.split(lk.reasons)
    out.append(f"<details><summary>Evidence ({len(reasons)})</summary><ul class='reasons'>"
               + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul></details>")
    out.append(_back(idx, target) + "</div>")
    return "".join(out)


def _place(a: ActionRecord, b: ActionRecord) -> str:
    """Section, old and new source page, lead: where to check the card in the documents."""
    section, lead = b.section or a.section, b.lead or a.lead
    place = [f"Section: {escape(section)}" if section else "", f"old {escape(where(a))}" if where(a) else "",
             f"new {escape(where(b))}" if where(b) else "", f"lead {escape(lead)}" if lead else ""]
    return '<p class="where">' + " \u00b7 ".join(p for p in place if p) + "</p>"


def _changes(a: ActionRecord, b: ActionRecord) -> str:
    changes = [c for c in field_changes(a, b) if c.field != "action"]
    if not changes:
        return ""
    out = ["<table><tr><th>Field</th><th>Old</th><th>New</th></tr>"]
    for c in changes:
        new_cell = redline(c.old, c.new) if c.field in ("comments", "aim", "measure", "section") else escape(c.new)
        out.append(f'<tr><td class="k">{escape(FIELD_LABEL.get(c.field, c.field))}</td><td>{escape(c.old)}</td>'
                   f"<td>{new_cell}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _pair_html(rec: Reconciliation, k: int, idx: Index) -> str:
    pr = rec.pairs[k]
    old, new = rec.versions[k].actions, rec.versions[k + 1].actions
    out = [f'<h2 id="pair{k}">{escape(rec.versions[k].label)} \u2192 {escape(rec.versions[k + 1].label)}</h2>']
    out += [_card(rec, k, lk, idx) for lk in pr.links]
    out.append(f'<h3 id="dropped{k}">Dropped ({len(pr.dropped)})</h3>')
    if pr.dropped:
        out.append("<table><tr><th>Ref</th><th>Section</th><th>Page</th><th>Action</th><th>Status</th>"
                   "<th>Flags</th></tr>")
        for i in pr.dropped:
            a, target = old[i], f"d{k}-{i}"
            flags = "".join(_badge(fl.kind, f"f{fl.n}") for fl in idx.by_target.get(target, []))
            out.append(f'<tr id="{target}"{_attrs(dropped_flags(a), [a])}><td>{_ref(a.ref)}</td>'
                       f"<td>{escape(a.section)}</td><td>{escape(where(a))}</td><td>{escape(a.action)}</td>"
                       f"<td>{escape(a.rag)}</td><td>{flags}</td></tr>")
        out.append("</table>")
    out.append(f'<h3 id="added{k}">Added ({len(pr.added)})</h3>')
    if pr.added:
        out.append("<table><tr><th>Ref</th><th>Section</th><th>Page</th><th>Action</th><th>Status</th></tr>")
        for j in pr.added:
            b = new[j]
            out.append(f'<tr id="a{k}-{j}"{_attrs([], [b])}><td>{_ref(b.ref)}</td><td>{escape(b.section)}</td>'
                       f"<td>{escape(where(b))}</td><td>{escape(b.action)}</td><td>{escape(b.rag)}</td></tr>")
        out.append("</table>")
    return "\n".join(out)
