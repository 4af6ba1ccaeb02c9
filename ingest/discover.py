"""Turn the PATH arguments of a run into the list of files to read.

Order matters: the same folder must give the same documents.csv row order and the same
action order on every machine, so folders are walked in sorted name order (os.walk order
depends on the file system).  Hidden files and folders (``.git``, editor swap files, our
own temp files) and the run's own output folder are skipped, so re-running into a folder
inside the input tree never reads its own outputs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def missing_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The arguments that do not exist: a typo should stop the run, not become a data row."""
    return [str(p) for p in paths if not os.path.lexists(p)]


def discover(paths: Iterable[str | os.PathLike[str]],
             exclude: Iterable[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """Yield every file under ``paths`` once, in a deterministic order.

    A file named explicitly is yielded even when hidden.  Inside folders, every entry that
    is not a folder is yielded, regular or not (FIFO, socket, device, broken or looping
    symbolic link), and so is a folder that cannot be listed: the pipeline records each as
    ``skipped`` with the reason (it never opens a non-regular file, so a FIFO cannot block
    the run).  Nothing found is dropped without a row.
    Folders are walked once even when reachable twice (repeated argument, symlink loop).
    Paths that do not exist are skipped here; see :func:`missing_paths`.
    """
    excluded = {_real(p) for p in exclude}
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()

    def emit(p: Path) -> Iterator[Path]:
        key = _real(p)
        if key not in seen_files:
            seen_files.add(key)
            yield p

    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            yield from _walk(p, excluded, seen_dirs, emit)
        elif os.path.lexists(p):
            yield from emit(p)


def _walk(folder: Path, excluded: set[str], seen_dirs: set[str], emit) -> Iterator[Path]:
    real = _real(folder)
    if real in excluded or real in seen_dirs:
        return
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        yield from emit(folder)  # the pipeline records why it cannot be listed
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, excluded, seen_dirs, emit)
        else:
            yield from emit(path)
    return


def _real(p: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.fspath(p))
