"""``DIR/texts/<sha256>.md`` from the store, like every other output.

Run at the end of ``plantrail ingest`` after the tables: it writes the texts the store holds
that are not yet on disk (new or re-read files, or a file someone deleted) and removes the
texts of contents no longer in the store (a changed file's old version).  Work is
proportional to what changed plus one listing of the folder, not to the archive.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..output import OutputError
from ..output import remove_leftovers as _remove_leftovers
from ..output.markdown import TEXTS_DIR, remove_texts, stored_texts, write_texts
from . import store_text
from .store import Store, StoreError


@dataclass
class TextsWritten:
    written: int
    removed: int


def export_texts(store: Store, out_dir: Path) -> TextsWritten:
    """Bring ``out_dir/texts`` in line with the store's texts."""
    folder = out_dir / TEXTS_DIR
    _remove_leftovers(folder)
    present = stored_texts(out_dir)
    try:
        wanted = store_text.shas(store.conn)
        written = write_texts(out_dir, store_text.to_export(store.conn, present))  # streamed, text by text
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read texts from the store {store.path}: {exc}") from exc
    except OSError as exc:
        raise OutputError(f"cannot write texts to {folder}: {exc.strerror or exc}") from exc
    with store._transaction("write to"):
        store_text.mark_exported(store.conn)
    removed = remove_texts(out_dir, present - wanted)
    return TextsWritten(len(written), removed)
