"""A folder of outputs that replaces the old one whole (the Parquet dataset folders).

Files can be swapped one by one with an atomic rename; a folder with a variable number of
part files cannot (a stale ``part-00003`` from a bigger earlier run would be read as data).
So the new tree is written under a hidden temp name beside the old one and swapped in with
two renames: the old folder moves aside, the new one takes its name, and the old one is
deleted only once the whole run's outputs are in place (:meth:`abort` puts it back).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path


class StagedTree:
    def __init__(self, out_dir: str | os.PathLike[str], name: str) -> None:
        self.out_dir = Path(out_dir)
        self.name = name
        tag = uuid.uuid4().hex[:12]
        self.tmp = self.out_dir / f".{name}.{tag}.tmp"
        self.old = self.out_dir / f".{name}.{tag}.old"
        self.tmp.mkdir()
        self.files: list[str] = []  # relative to out_dir, e.g. "parquet/actions/part-00000.parquet"
        self._state = "staged"

    def path(self, relative: str) -> Path:
        """Where to write ``relative`` (a path inside the tree) now; it is recorded as a file."""
        p = self.tmp / relative
        p.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(f"{self.name}/{relative}")
        return p

    def commit(self) -> None:
        for f in self.files:  # durable before it becomes visible, like StagedFiles
            with open(self.out_dir / self.tmp.name / f.split("/", 1)[1], "rb+") as fh:
                os.fsync(fh.fileno())
        final = self.out_dir / self.name
        if final.exists() or final.is_symlink():
            os.rename(final, self.old)
        try:
            os.rename(self.tmp, final)
        except BaseException:
            if self.old.exists():
                os.rename(self.old, final)
            raise
        self._state = "committed"

    def abort(self) -> None:
        """Undo: before commit drop the new tree, after it put the old tree back."""
        final = self.out_dir / self.name
        with contextlib.suppress(OSError):
            if self._state == "committed":
                shutil.rmtree(final)
                if self.old.exists():
                    os.rename(self.old, final)
            else:
                shutil.rmtree(self.tmp)
        self._state = "aborted"

    def cleanup(self) -> None:
        shutil.rmtree(self.old, ignore_errors=True)
