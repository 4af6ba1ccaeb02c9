"""Which files of a run need work, given what the store already holds.

A file is identified by its content (sha256), not its name or date: a re-run skips a file
whose exact bytes were already read by the same pipeline version, and reads it again when
its bytes, or the pipeline, changed.  Byte-identical copies under other names are read once:
the first holder of the content (one already stored wins over one new in this run, so a
re-run never swaps records between copies) keeps the records and every other copy gets a
documents row "skipped: same content as ...".

Errors are retried when the cause may have gone (:mod:`.causes`): a file that hit a resource
limit is retried when the limit is raised (a file that timed out after 300 s is tried again
with --timeout 600, not with the same 300); a crashed worker is always retried, since a crash
may say more about the machine than about the file; a file that needed a missing tool
(LibreOffice, Tesseract) is retried once the tool is installed.  ``retry_errors``
(``--retry-errors``) retries every error.  Every other outcome is kept, including empty files
and Office lock files (stored by their content like any file, so they are not re-read).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from .causes import classify, limit_raised, missing_tool, tool_available
from .labels import path_label
from .store import DONE_STATUSES, Store, StoredDocument

_CHUNK = 1024 * 1024


def pipeline_version() -> str:
    """plantrail's version plus a hash of the normaliser's vocabulary (header synonyms and
    the like) and of the full-text format: a new release, an edited vocabulary or a new
    Markdown rendering makes every stored file stale."""
    from .. import normalise
    from ..output.markdown import MARKDOWN_VERSION

    h = hashlib.sha256()
    h.update(f"markdown {MARKDOWN_VERSION}\0".encode())
    root = Path(normalise.__file__).parent
    for p in sorted(root.rglob("*.json")):
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return f"{__version__}+{h.hexdigest()[:12]}"


def hash_file(path: str | os.PathLike[str], max_bytes: int) -> tuple[str, int] | None:
    """(sha256, size) of a regular file within the size limit (an empty file too: its outcome
    is stored like any other); None otherwise (the worker then records why the file cannot be
    read)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or not 0 <= st.st_size <= max_bytes:
            return None
        h = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
                size += len(chunk)
                if size > max_bytes:
                    return None
        return h.hexdigest(), size
    except OSError:
        return None


def copy_reason(owner: str) -> str:
    return f"same content as {owner}"


def is_copy(document: object) -> bool:
    """A "skipped: same content as ..." row (decided again every run: its owner may change)."""
    return getattr(document, "status", "") == "skipped" and str(getattr(document, "reason", "")).startswith(
        copy_reason(""))


def needs_retry(stored: StoredDocument, timeout: float | None, max_memory_mb: float | None, *,
                retry_errors: bool = False) -> bool:
    """Should a file stored as failing be tried again in a run with these limits?"""
    limit = stored.limit_value or 0
    if stored.limit_kind == "crash":
        return True
    if stored.limit_kind == "timeout":
        return not timeout or timeout > limit
    if stored.limit_kind == "memory":
        return not max_memory_mb or max_memory_mb > limit
    doc = stored.document
    if doc.status != "error":
        return False
    if retry_errors:
        return True
    cause = doc.cause or classify(doc.reason)
    if cause == "missing_tool":
        tool = missing_tool(doc.reason)
        return bool(tool) and tool_available(tool)
    return cause == "limit" and limit_raised(doc.reason)


@dataclass
class Decision:
    path: Path
    label: str  # the documents.path value (printable form of the path)
    action: str  # "process" | "stored" (nothing to do) | "copy" (same bytes as ``owner``)
    sha256: str = ""
    size: int = 0
    owner: str = ""
    stored: StoredDocument | None = None


class Planner:
    """Decides file by file, in input order, as the run goes (files are hashed on demand)."""

    def __init__(self, store: Store, paths: list[Path], *, version: str, max_bytes: int, force: bool = False,
                 timeout: float | None = None, max_memory_mb: float | None = None,
                 retry_errors: bool = False) -> None:
        self.store = store
        self.retry_errors = retry_errors
        self.version = version
        self.max_bytes = max_bytes
        self.force = force
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self.inputs = {label(p): p for p in paths}
        self._hashes: dict[str, tuple[str, int] | None] = {}
        self._claims: dict[str, str] = {}  # sha256 -> path whose records stand for it

    def digest(self, name: str) -> tuple[str, int] | None:
        if name not in self._hashes:
            self._hashes[name] = hash_file(self.inputs[name], self.max_bytes)
        return self._hashes[name]

    def decide(self, path: Path) -> Decision:
        name = label(path)
        digest = self.digest(name) if name in self.inputs else hash_file(path, self.max_bytes)
        if digest is None:
            return Decision(path, name, "process")
        sha, size = digest
        own = self.store.document(name)
        # the stored outcome when it still stands (same bytes, same pipeline, nothing to retry)
        kept = own if own is not None and not self.force and self._current(own, sha) else None
        if size == 0:  # every empty file has the same sha256: never "a copy of" another
            return Decision(path, name, "stored" if kept else "process", sha, size, stored=kept)
        if kept is not None and not is_copy(kept.document):
            if kept.document.status in DONE_STATUSES:
                self._claims.setdefault(sha, name)
            return Decision(path, name, "stored", sha, size, stored=kept)
        owner = self._owner(sha, name)
        if owner:
            if kept is not None and kept.document.reason == copy_reason(owner):
                return Decision(path, name, "stored", sha, size, owner=owner, stored=kept)
            return Decision(path, name, "copy", sha, size, owner=owner)
        self._claims[sha] = name
        return Decision(path, name, "process", sha, size)

    def _current(self, own: StoredDocument, sha: str) -> bool:
        return (own.document.sha256 == sha and own.pipeline_version == self.version
                and not needs_retry(own, self.timeout, self.max_memory_mb, retry_errors=self.retry_errors))

    def _owner(self, sha: str, name: str) -> str:
        """The path other than ``name`` whose records stand for this content, if any."""
        if sha in self._claims:
            return "" if self._claims[sha] == name else self._claims[sha]
        for candidate in self.store.owners(sha, self.version):
            if candidate == name:
                continue
            if candidate in self.inputs:  # read again in this run: only if its bytes are still these
                digest = self.digest(candidate)
                if digest is None or digest[0] != sha:
                    continue
            self._claims[sha] = candidate
            return candidate
        return ""


def label(path: str | os.PathLike[str]) -> str:
    """The documents.path of a file (same as :func:`~.pipeline.process_file` records)."""
    return path_label(path)
