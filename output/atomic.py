"""Outputs appear whole or not at all.

Every output file is first written to a hidden temp file in the same folder (same file
system, so ``os.replace`` is an atomic rename) and only renamed over the real name once it
is complete and flushed to disk.  A run that crashes or fails half way therefore never
leaves a truncated actions.csv behind, and the previous run's files stay as they were.

:class:`StagedFiles` does this for a whole set of files: nothing is renamed until every
file of the run has been written, so one failing writer leaves *all* earlier outputs of
the folder untouched rather than a mix of old and new tables.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path


class StagedFiles:
    """Temp files that become real outputs together on :meth:`commit`.

    Use as a context manager: leaving the block by an exception removes the temp files
    and keeps every existing output; leaving it normally commits.
    """

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.out_dir = Path(out_dir)
        self._staged: list[tuple[Path, Path]] = []
        self.committed: list[Path] = []

    def stage(self, name: str) -> Path:
        """A new empty temp file to write ``name``'s content into; returns its path."""
        final = self.out_dir / name
        tmp = self.out_dir / f".{name}.{uuid.uuid4().hex[:12]}.tmp"
        # O_EXCL: never clobber anything; mode 0o666 so the umask decides, as for any file
        # the user creates (mkstemp would leave 0600 outputs).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(fd)
        self._staged.append((tmp, final))
        return tmp

    def names(self) -> list[str]:
        """Final names of the files staged so far."""
        return [final.name for _, final in self._staged]

    def commit(self) -> list[Path]:
        for tmp, _ in self._staged:
            _fsync_file(tmp)
        for tmp, final in self._staged:
            os.replace(tmp, final)
            self.committed.append(final)
        self._staged = []
        _fsync_dir(self.out_dir)
        return self.committed

    def abort(self) -> None:
        for tmp, _ in self._staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._staged = []

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.commit()
            except BaseException:
                self.abort()
                raise
        else:
            self.abort()


@contextlib.contextmanager
def atomic_path(final: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temp path next to ``final``; on success it replaces ``final`` atomically."""
    final = Path(final)
    with StagedFiles(final.parent) as staged:
        yield staged.stage(final.name)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable; not possible on every platform (Windows), hence best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
