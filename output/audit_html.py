"""The auditor's comparison as one self-contained HTML file.

Everything an auditor needs is in the one file (inline CSS, no scripts, no external links), so
it can be attached to a committee paper or opened offline.  Every piece of text comes from
council documents and is escaped with :func:`html.escape`; nothing from a plan is ever
written as markup.  Wording changes are shown as a word-level redline (<del>/<ins>).
"""

from __future__ import annotations

import difflib
import re
from html import escape

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

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Arial,sans-serif;margin:2em;color:#222;max-width:80em}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:2px solid #ccc}
h3{font-size:1.05em;margin:0}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;
vertical-align:top;text-align:left}th{background:#f2f2f2}
td.n{text-align:right}
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
.act{border:1px solid #ddd;border-radius:4px;padding:.6em .8em;margin:.6em 0}
.act.flagged{border-left:5px solid #c60}
.flag{display:inline-block;background:#c60;color:#fff;border-radius:3px;padding:0 .4em;margin-right:.3em;
font-size:.85em}
.rel{display:inline-block;background:#446;color:#fff;border-radius:3px;padding:0 .4em;font-size:.85em}
.reasons{font-size:.85em;color:#555;margin:.3em 0 0 1.2em;padding:0}
.muted{color:#777}
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


def _flag_html(flags: list[str]) -> str:
    return "".join(f'<span class="flag">{escape(FLAG_LABEL.get(f, f))}</span>' for f in flags)


def _ref(r: str) -> str:
    return escape(r) if r else '<span class="muted">(no ref)</span>'


def render(rec: Reconciliation, title: str = "Plan reconciliation") -> str:
    labels = " \u2192 ".join(v.label for v in rec.versions)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{escape(title)}: {escape(labels)}</title>", f"<style>{CSS}</style></head><body>",
             f"<h1>{escape(title)}</h1>", "<p>Versions, in order: " + ", ".join(
                 f"<b>{escape(v.label)}</b> ({escape(v.source_file)}, {len(v.actions)} actions)"
                 for v in rec.versions) + "</p>"]
    parts.append(_summary_html(rec))
    parts.append(_flags_html(rec))
    for k in range(len(rec.pairs)):
        parts.append(_pair_html(rec, k))
    parts.append('<p class="muted">Match weights are log2 likelihood ratios from fixed rules '
                 "(wording, aim, measure, comments, section, lead, dates, ref as a tree path, position); "
                 "a pair is linked when its summed weight passes the threshold and beats the alternatives. "
                 "Score is that weight on a 0-1 scale (0.5 at the threshold).</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _summary_html(rec: Reconciliation) -> str:
    rows = summary(rec)
    if not rows:
        return "<h2>Summary</h2><p>Only one version: nothing to compare.</p>"
    cols = [("from", "From"), ("to", "To"), ("old_actions", "Old actions"), ("new_actions", "New actions"),
            ("same", "Same"), ("reworded", "Reworded"), ("renumbered", "Renumbered"), ("moved", "Moved"),
            ("split", "Split links"), ("merged", "Merged links"), ("added", "Added"), ("dropped", "Dropped")]
    cols += [(f, FLAG_LABEL[f]) for f in FLAGS]
    head = "".join(f"<th>{escape(label)}</th>" for _, label in cols)
    body = []
    for r in rows:
        cells = []
        for key, _ in cols:
            v = r[key]
            cls = ' class="n"' if isinstance(v, int) else ""
            cells.append(f"<td{cls}>{escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<h2>Summary</h2><table><tr>{head}</tr>{''.join(body)}</table>"


def _flags_html(rec: Reconciliation) -> str:
    rows = []
    for k, pr in enumerate(rec.pairs):
        old, new = rec.versions[k].actions, rec.versions[k + 1].actions
        step = f"{rec.versions[k].label} \u2192 {rec.versions[k + 1].label}"
        for lk in pr.links:
            a, b = old[lk.old], new[lk.new]
            for f in link_flags(a, b, lk):
                rows.append((f, step, a.ref, b.ref, b.action or a.action, _flag_detail(f, a, b, lk)))
        for i in pr.dropped:
            a = old[i]
            for f in dropped_flags(a):
                rows.append((f, step, a.ref, "", a.action, f"status {a.rag or 'empty'} when dropped"))
    out = ["<h2>What to look at</h2>"]
    if not rows:
        out.append("<p>No flags.</p>")
        return "".join(out)
    rows.sort(key=lambda r: FLAGS.index(r[0]))
    out.append("<table><tr><th>Flag</th><th>Versions</th><th>Old ref</th><th>New ref</th><th>Action</th>"
               "<th>Detail</th></tr>")
    for f, step, r1, r2, act, detail in rows:
        out.append(f"<tr><td>{_flag_html([f])}</td><td>{escape(step)}</td><td>{_ref(r1)}</td>"
                   f"<td>{_ref(r2)}</td><td>{escape(act)}</td><td>{escape(detail)}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _flag_detail(flag: str, a, b, lk) -> str:
    if flag == "status_backwards":
        return f"status {a.rag or 'empty'} -> {b.rag or 'empty'}"
    if flag == "end_slipped":
        return f"end {a.end} -> {b.end}"
    if flag == "lead_changed":
        return f"lead {a.lead or 'empty'} -> {b.lead or 'empty'}"
    if flag == "low_confidence":
        return f"score {lk.score:.2f}" + (f", runner-up weight {lk.runner_up:+.1f}" if lk.runner_up is not None
                                          else "")
    return ""


NO_TEXT = '<span class="muted">(no action text)</span>'
_SPLIT = re.compile(r";\s+(?=[a-z]+: )")


def _pair_html(rec: Reconciliation, k: int) -> str:
    pr = rec.pairs[k]
    old, new = rec.versions[k].actions, rec.versions[k + 1].actions
    out = [f"<h2>{escape(rec.versions[k].label)} \u2192 {escape(rec.versions[k + 1].label)}</h2>"]
    for lk in pr.links:
        a, b = old[lk.old], new[lk.new]
        flags = link_flags(a, b, lk)
        cls = "act flagged" if flags else "act"
        out.append(f'<div class="{cls}"><h3>{_ref(a.ref)} \u2192 {_ref(b.ref)} '
                   f'<span class="rel">{escape(lk.relation)}</span> '
                   f'<span class="muted">score {lk.score:.2f}, weight {lk.weight:+.1f}</span> '
                   f"{_flag_html(flags)}</h3>")
        if a.action != b.action:
            out.append(f"<p>{redline(a.action, b.action)}</p>")
        else:
            out.append(f"<p>{escape(b.action) or NO_TEXT}</p>")
        changes = [c for c in field_changes(a, b) if c.field != "action"]
        if changes:
            out.append("<table><tr><th>Field</th><th>Old</th><th>New</th></tr>")
            for c in changes:
                wordy = c.field in ("comments", "aim", "measure", "section")
                new_cell = redline(c.old, c.new) if wordy else escape(c.new)
                old_cell = escape(c.old)
                out.append(f"<tr><td>{escape(FIELD_LABEL.get(c.field, c.field))}</td><td>{old_cell}</td>"
                           f"<td>{new_cell}</td></tr>")
            out.append("</table>")
        reasons = _SPLIT.split(lk.reasons)
        out.append('<ul class="reasons">' + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul></div>")
    if pr.dropped:
        out.append("<h3>Dropped</h3><table><tr><th>Ref</th><th>Action</th><th>Status</th><th>Flags</th></tr>")
        for i in pr.dropped:
            a = old[i]
            out.append(f"<tr><td>{_ref(a.ref)}</td><td>{escape(a.action)}</td><td>{escape(a.rag)}</td>"
                       f"<td>{_flag_html(dropped_flags(a))}</td></tr>")
        out.append("</table>")
    if pr.added:
        out.append("<h3>Added</h3><table><tr><th>Ref</th><th>Action</th><th>Status</th><th>Section</th></tr>")
        for j in pr.added:
            b = new[j]
            out.append(f"<tr><td>{_ref(b.ref)}</td><td>{escape(b.action)}</td><td>{escape(b.rag)}</td>"
                       f"<td>{escape(b.section)}</td></tr>")
        out.append("</table>")
    return "\n".join(out)
