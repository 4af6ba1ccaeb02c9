"""Write one section of a results Markdown file, keeping the others (shared by the benches)."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, head: str, body: str, title: str = "# Benchmark results\n") -> None:
    """``body`` (which starts with ``head``) replaces the section headed ``head`` up to the next
    ``## `` heading, or is appended when the file has no such section yet."""
    current = path.read_text(encoding="utf-8") if path.exists() else title
    start = current.find(head)
    if start >= 0:
        end = current.find("\n## ", start + len(head))
        current = current[:start] + body + (current[end + 1:] if end >= 0 else "")
    else:
        current = current.rstrip("\n") + "\n\n" + body
    path.write_text(current, encoding="utf-8")
