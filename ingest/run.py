"""One ``plantrail ingest`` run: files -> store -> output files.

1. Each input file is hashed and checked against the store (:mod:`.incremental`): done by
   an earlier run -> nothing to do; a copy of a file already read -> a "skipped" row;
   otherwise it is sent to the executor (:mod:`.execute`: worker processes or Dask).
2. Each finished file is committed to the store by this process as soon as it arrives, in
   one transaction with all its records.  Killing the run at any moment loses at most the
   files in flight; the next run does just those.
3. Batch-level work (linking report mentions to plan actions) runs over *everything in the
   store*, not just this run's files, and its result is saved back to the store.
4. The output files are written from the store, all together and atomically, so a resumed
   run's outputs hold every file once, exactly as an uninterrupted run's would.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..normalise import Normalised
from ..normalise.records import DocumentRecord
from ..output import OutputError, parse_formats, remove_leftovers, write_outputs
from ..output.sqlite_writer import DATABASE_NAME
from ..output.store import RECORD_KINDS, FolderLock, Store, StoreError
from ..output.tables import build_table
from . import pipeline
from .detect import extension_format
from .execute import EXECUTORS, Done, run_dask, run_local
from .incremental import Decision, Planner, copy_reason, label, pipeline_version
from .pipeline import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Batch, FileResult
from .pool import default_jobs

_NORMALISED_KINDS = ("actions", "reports", "figures", "mentions")


@dataclass
class Tally:
    """Where a run is, for a progress line."""

    total: int
    done: int = 0
    processed: int = 0
    already_stored: int = 0
    errors: int = 0
    pages: int = 0  # pages read so far (a file without pages counts as one)
    last: str = ""  # path of the file that finished last
    started: float = field(default_factory=time.monotonic)

    @property
    def pages_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.pages / elapsed if elapsed > 0 else 0.0


RunProgress = Callable[[Tally], None]


def run_batch(paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str],
              formats: str | Iterable[str] = ("csv",), progress: RunProgress | None = None, *,
              max_bytes: int = DEFAULT_MAX_BYTES, jobs: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
              max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB, force: bool = False,
              executor: str = "local", scheduler: str | None = None) -> Batch:
    """Process ``paths`` into the store in ``out_dir``, then write every table in every
    format there from the store.

    ``jobs``: worker processes (default: every core; 0 = in this process, without limits).
    ``timeout`` seconds and ``max_memory_mb`` per file (None or 0: no limit); a file past
    them gets status "error".  ``force`` redoes files the store already has.  ``executor``
    "dask" sends the per-file work to the Dask scheduler at ``scheduler`` (a local cluster
    when None).

    Raises :class:`plantrail.output.OutputError` when the store or the outputs cannot be
    written (files committed to the store before stay there; earlier output files are
    unchanged) and :class:`~.execute.ExecutorUnavailable` when Dask cannot be used.
    """
    fmts = parse_formats(formats)
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (choose from {', '.join(EXECUTORS)})")
    jobs = default_jobs() if jobs is None else jobs
    todo = [Path(p) for p in paths]
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out}: {exc.strerror or exc}") from exc
    with FolderLock(out), Store.open(out) as store:
        remove_leftovers(out)
        version = pipeline_version()
        options = {"paths": len(todo), "formats": fmts, "jobs": jobs, "timeout": timeout,
                   "max_memory_mb": max_memory_mb, "max_bytes": max_bytes, "force": force,
                   "executor": executor, "scheduler": scheduler}
        run_id = store.begin_run(version, options)
        tally = Tally(total=len(todo))
        batch = Batch(results=[], run_id=run_id, store=store.path)
        status = "failed"
        try:
            results = _read_files(store, todo, tally, progress, run_id=run_id, version=version, max_bytes=max_bytes,
                                  jobs=jobs, timeout=timeout, max_memory_mb=max_memory_mb, force=force,
                                  executor=executor, scheduler=scheduler)
            batch.results = [results[label(p)] for p in todo if label(p) in results]
            batch.seconds = round(time.monotonic() - tally.started, 3)
            batch.pages = tally.pages
            batch.warnings, batch.written, batch.store_documents = export_store(store, out, fmts)
            status = "done"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            with contextlib.suppress(StoreError):
                store.finish_run(run_id, status, files=len(todo), processed=tally.processed,
                                 already_stored=tally.already_stored, errors=tally.errors)
    return batch


def _read_files(store: Store, todo: list[Path], tally: Tally, progress: RunProgress | None, *, run_id: int,
                version: str, max_bytes: int, jobs: int, timeout: float | None, max_memory_mb: float | None,
                force: bool, executor: str, scheduler: str | None) -> dict[str, FileResult]:
    planner = Planner(store, todo, version=version, max_bytes=max_bytes, force=force, timeout=timeout,
                      max_memory_mb=max_memory_mb)
    decisions: dict[str, Decision] = {}
    results: dict[str, FileResult] = {}

    def record(result: FileResult) -> None:
        doc = result.document
        results[doc.path] = result
        tally.done += 1
        if result.already_stored:
            tally.already_stored += 1
        else:
            tally.processed += 1
            tally.pages += doc.pages or 1
        tally.errors += doc.status == "error"
        tally.last = doc.path
        if progress is not None:
            progress(tally)

    def feed() -> Iterator[Path]:
        """The files that need work; the others are settled here, as the executor asks."""
        for p in todo:
            d = planner.decide(p)
            decisions[d.label] = d
            if d.action == "process":
                yield p
            elif d.action == "stored" and d.stored is not None:
                record(FileResult(d.stored.document, already_stored=True))
            else:
                doc = _copy_document(store, d)
                store.save(doc, {}, run_id=run_id, pipeline_version=version)
                record(FileResult(doc))

    if executor == "dask":
        finished = run_dask(feed(), scheduler=scheduler, jobs=jobs, max_bytes=max_bytes)
    else:
        finished = run_local(feed(), jobs=jobs, max_bytes=max_bytes, timeout=timeout, max_memory_mb=max_memory_mb)
    for done in finished:
        _store_result(store, done, decisions.get(label(done.path)), run_id=run_id, version=version)
        record(FileResult(done.result.document))
    return results


def _copy_document(store: Store, d: Decision) -> DocumentRecord:
    owner = store.document(d.owner)
    return DocumentRecord(path=d.label, sha256=d.sha256, size=d.size, status="skipped",
                          format=owner.document.format if owner else "", reason=copy_reason(d.owner),
                          extension_format=extension_format(os.path.basename(d.label)))


def _store_result(store: Store, done: Done, decision: Decision | None, *, run_id: int, version: str) -> None:
    doc = done.result.document
    if decision is not None and not doc.sha256 and decision.sha256:
        doc.sha256, doc.size = decision.sha256, decision.size  # the worker died before it knew
    norm = done.result.normalised
    store.save(doc, norm.tables() if norm is not None else {}, run_id=run_id, pipeline_version=version,
               limit_kind=done.limit_kind, limit_value=done.limit_value)


def export_store(store: Store, out_dir: Path, formats: list[str]) -> tuple[list[str], list[Path], int]:
    """Link what needs linking, then write every table from the store: (warnings, files
    written, documents in the store)."""
    contents = store.contents()
    warnings: list[str] = []
    if not store.links_current():
        results = []
        for kinds in contents.by_document.values():
            if kinds:
                norm = Normalised()
                for kind in _NORMALISED_KINDS:
                    setattr(norm, kind, kinds.get(kind, []))
                results.append(norm)
        warnings = pipeline.link(results)
        if not warnings:
            store.save_links(contents)
    tables = [build_table("documents", [d.document for d in contents.documents], DocumentRecord)]
    kinds = list(RECORD_KINDS) + [k for k in contents.records if k not in RECORD_KINDS]
    tables += [build_table(k, [s.record for s in contents.records.get(k, [])]) for k in kinds]
    written = write_outputs(out_dir, tables, [f for f in formats if f != "sqlite"], listed=["sqlite"],
                            listed_files=[DATABASE_NAME])
    return warnings, written, len(contents.documents)
