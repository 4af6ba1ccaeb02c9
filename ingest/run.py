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
from functools import partial
from pathlib import Path

from ..normalise import Normalised
from ..normalise.records import DocumentRecord
from ..output import OutputError, parse_formats, remove_leftovers, write_outputs
from ..output.sqlite_writer import DATABASE_NAME
from ..output.tables import build_table
from . import pipeline
from .causes import classify
from .detect import extension_format
from .execute import EXECUTORS, Done, run_dask, run_local
from .incremental import Decision, Planner, copy_reason, label, pipeline_version
from .pipeline import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT,
    Batch,
    FileResult,
    one_line,
    process_file,
)
from .pool import default_jobs
from .store import RECORD_KINDS, FolderLock, Prepared, Store, StoreError, prepare
from .texts_export import export_texts

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
              executor: str = "local", scheduler: str | None = None, link: bool = True,
              retry_errors: bool = False, csv_raw: bool = False) -> Batch:
    """Process ``paths`` into the store in ``out_dir``, then write every table in every
    format there from the store.

    ``jobs``: worker processes (default: every core; 0 = in this process, without limits).
    ``timeout`` seconds and ``max_memory_mb`` per file (None or 0: no limit); a file past
    them gets status "error".  ``force`` redoes files the store already has.  ``executor``
    "dask" sends the per-file work to the Dask scheduler at ``scheduler`` (a local cluster
    when None).  ``link=False`` leaves report mentions as they are in the store (linking
    compares every mention with every action, so it is the slow step of a big archive);
    a later run with linking links everything that changed meanwhile.  ``retry_errors`` reads
    again every file stored as an error (without it only those whose cause may have gone, see
    :mod:`.incremental`).  ``csv_raw`` writes CSV text without the formula guard.

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
                   "executor": executor, "scheduler": scheduler, "link": link, "retry_errors": retry_errors,
                   "csv_raw": csv_raw}
        run_id = store.begin_run(version, options)
        tally = Tally(total=len(todo))
        batch = Batch(results=[], run_id=run_id, store=store.path)
        status = "failed"
        try:
            results = _read_files(store, todo, tally, progress, run_id=run_id, version=version, max_bytes=max_bytes,
                                  jobs=jobs, timeout=timeout, max_memory_mb=max_memory_mb, force=force,
                                  executor=executor, scheduler=scheduler, retry_errors=retry_errors)
            batch.results = [results[label(p)] for p in todo if label(p) in results]
            batch.seconds = round(time.monotonic() - tally.started, 3)
            batch.pages = tally.pages
            export = export_store(store, out, fmts, link=link, csv_raw=csv_raw, run_id=run_id)
            batch.warnings, batch.notes, batch.written = export.warnings, export.notes, export.written
            batch.store_documents = export.documents
            batch.timings = {"reading": batch.seconds, "linking": export.link_seconds,
                             "writing": export.write_seconds}
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
                force: bool, executor: str, scheduler: str | None, retry_errors: bool = False
                ) -> dict[str, FileResult]:
    planner = Planner(store, todo, version=version, max_bytes=max_bytes, force=force, timeout=timeout,
                      max_memory_mb=max_memory_mb, retry_errors=retry_errors)
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
                store.save(prepare(doc), run_id=run_id, pipeline_version=version)
                record(FileResult(doc))

    work = partial(prepare_file, max_bytes=max_bytes)
    if executor == "dask":
        finished = run_dask(feed(), work, scheduler=scheduler, jobs=jobs, timeout=timeout,
                            max_memory_mb=max_memory_mb)
    else:
        finished = run_local(feed(), work, jobs=jobs, timeout=timeout, max_memory_mb=max_memory_mb)
    for done in finished:
        outcome = _outcome(done, decisions.get(label(done.path)))
        store.save(outcome, run_id=run_id, pipeline_version=version, limit_kind=done.limit_kind,
                   limit_value=done.limit_value)
        record(FileResult(outcome.document))
    return results


def prepare_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Prepared:
    """The per-file work of a run: read the file and turn its outcome into store rows (in the
    worker, so the process writing the store only inserts)."""
    result = process_file(path, max_bytes)
    return prepare(result.document, result.normalised.tables() if result.normalised is not None else {},
                   result.text)


def _outcome(done: Done, decision: Decision | None) -> Prepared:
    if done.value is not None:
        return done.value
    name = label(done.path)
    doc = DocumentRecord(path=name, extension_format=extension_format(os.path.basename(name)), status="error",
                         reason=one_line(done.failure), seconds=round(done.seconds, 3))
    doc.cause = classify(doc.reason, done.limit_kind)
    if decision is not None:
        doc.sha256, doc.size = decision.sha256, decision.size  # the worker died before it could say
    return prepare(doc)


def _copy_document(store: Store, d: Decision) -> DocumentRecord:
    owner = store.document(d.owner)
    return DocumentRecord(path=d.label, sha256=d.sha256, size=d.size, status="skipped",
                          format=owner.document.format if owner else "", reason=copy_reason(d.owner),
                          extension_format=extension_format(os.path.basename(d.label)))


@dataclass
class Export:
    warnings: list[str]  # batch-level problems (linking failed)
    notes: list[str]  # facts worth a line (linking left for a later run)
    written: list[Path]
    documents: int  # documents in the store, hence in every table written
    link_seconds: float = 0.0
    write_seconds: float = 0.0


def export_store(store: Store, out_dir: Path, formats: list[str], *, link: bool = True, csv_raw: bool = False,
                 run_id: int | None = None) -> Export:
    """Link what needs linking, then write every table from the store."""
    started = time.monotonic()
    contents = store.contents()
    warnings: list[str] = []
    notes: list[str] = []
    link_seconds = 0.0
    results: list[Normalised]
    if not store.links_current() and not link:
        notes.append("report mentions not linked to plan actions (--no-link): a run without --no-link links them")
    elif not store.links_current():
        results = []
        for by_kind in contents.by_document.values():
            if by_kind:
                norm = Normalised()
                for kind in _NORMALISED_KINDS:
                    setattr(norm, kind, by_kind.get(kind, []))
                results.append(norm)
        linking = time.monotonic()
        warnings = pipeline.link(results)
        if not warnings:
            store.save_links(contents)
        link_seconds = time.monotonic() - linking
    tables = [build_table("documents", [d.document for d in contents.documents], DocumentRecord)]
    kind_names = list(RECORD_KINDS) + [k for k in contents.records if k not in RECORD_KINDS]
    tables += [build_table(k, [s.record for s in contents.records.get(k, [])]) for k in kind_names]
    written = write_outputs(out_dir, tables, [f for f in formats if f != "sqlite"], listed=["sqlite"],
                            listed_files=[DATABASE_NAME], csv_raw=csv_raw, run_id=run_id)
    export_texts(store, out_dir)
    write_seconds = time.monotonic() - started - link_seconds
    return Export(warnings, notes, written, len(contents.documents), round(link_seconds, 3), round(write_seconds, 3))
