"""One run at a time per output folder: an advisory lock on a hidden file in it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..output import OutputError

LOCK_NAME = ".plantrail.lock"
_held_locks: set[int] = set()


def _forget_locks_in_child() -> None:
    """A forked worker must not keep the folder locked after its parent is gone (flock
    belongs to the open file, which fork shares)."""
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


class FolderLock:
    """One run at a time per output folder (an advisory ``flock`` on a hidden file; none on
    platforms without ``fcntl``).  The store itself would stay consistent with two writers,
    but both would do the same work, and cleaning up a killed run's temp files is only safe
    when nobody else is writing."""

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.path = Path(out_dir) / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self) -> FolderLock:
        try:
            import fcntl
        except ImportError:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(f"cannot lock {self.path.parent}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(f"{self.path.parent} is in use by another plantrail ingest run") from None
        self.fd = fd
        _held_locks.add(fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            _held_locks.discard(self.fd)
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
