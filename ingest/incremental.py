"""Which files of a run need work, given what the store already holds.

A file is identified by its content (sha256), not its name or date: a re-run skips a file
whose exact bytes were already read by the same pipeline version, and reads it again when
its bytes, or the pipeline, changed.  Byte-identical copies under other names are read once:
the first holder of the content (one already stored wins over one new in this run, so a
re-run never swaps records between copies) keeps the records and every other copy gets a
documents row "skipped: same content as ...".

Files that hit a resource limit are retried when the limit is raised (a file that timed out
after 300 s is tried again with --timeout 600, not with the same 300); a crashed worker is
always retried, since a crash may say more about the machine than about the file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from .labels import path_label
from .store import DONE_STATUSES, Store, StoredDocument

_CHUNK = 1024 * 1024


def pipeline_version() -> str:
    """plantrail's version plus a hash of the normaliser's vocabulary (header synonyms and
    the like): a new release or an edited vocabulary makes every stored file stale."""
    from .. import normalise

    h = hashlib.sha256()
    root = Path(normalise.__file__).parent
    for p in sorted(root.rglob("*.json")):
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return f"{__version__}+{h.hexdigest()[:12]}"


def hash_file(path: str | os.PathLike[str], max_bytes: int) -> tuple[str, int] | None:
    """(sha256, size) of a regular, non-empty file within the size limit; None otherwise
    (the worker then records why the file cannot be read)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or not 0 < st.st_size <= max_bytes:
            return None
        h = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
                size += len(chunk)
                if size > max_bytes:
                    return None
        return (h.hexdigest(), size) if size else None
    except OSError:
        return None


def copy_reason(owner: str) -> str:
    return f"same content as {owner}"


def needs_retry(stored: StoredDocument, timeout: float | None, max_memory_mb: float | None) -> bool:
    """Should a file stored as failing on a resource limit be tried again with these limits?"""
    limit = stored.limit_value or 0
    if stored.limit_kind == "crash":
        return True
    if stored.limit_kind == "timeout":
        return not timeout or timeout > limit
    if stored.limit_kind == "memory":
        return not max_memory_mb or max_memory_mb > limit
    return False


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
                 timeout: float | None = None, max_memory_mb: float | None = None) -> None:
        self.store = store
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
        current = own is not None and self._current(own, sha)
        if current and own is not None and own.document.status != "skipped" and not self.force:
            if own.document.status in DONE_STATUSES:
                self._claims.setdefault(sha, name)
            return Decision(path, name, "stored", sha, size, stored=own)
        owner = self._owner(sha, name)
        if owner:
            if current and own is not None and own.document.reason == copy_reason(owner) and not self.force:
                return Decision(path, name, "stored", sha, size, owner=owner, stored=own)
            return Decision(path, name, "copy", sha, size, owner=owner)
        self._claims[sha] = name
        return Decision(path, name, "process", sha, size)

    def _current(self, own: StoredDocument, sha: str) -> bool:
        return (own.document.sha256 == sha and own.pipeline_version == self.version
                and not needs_retry(own, self.timeout, self.max_memory_mb))

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
