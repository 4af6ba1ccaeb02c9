"""Where the per-file work runs: in this process, in a local pool of worker processes, or on
a Dask cluster.  Every executor takes paths and yields one :class:`Done` per path as files
complete (not in input order), with a FileResult even when the work itself failed (time
limit, memory cap, crashed worker, lost Dask task), so the caller only ever stores results.

The per-file function is the same everywhere (:func:`~.pipeline.process_file`), which is
what makes the Dask path give the same records as the local one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..normalise.records import DocumentRecord
from .detect import extension_format
from .pipeline import FileResult, one_line, process_file
from .pool import LimitedPool, memory_reason

EXECUTORS = ("local", "dask")


class ExecutorUnavailable(Exception):
    """The chosen executor cannot run here (Dask not installed, scheduler unreachable)."""


@dataclass
class Done:
    path: Path
    result: FileResult
    limit_kind: str = ""  # "" | "timeout" | "memory" | "crash": the file did not get a verdict of its own
    limit_value: float | None = None


def failed(path: str | os.PathLike[str], reason: str) -> FileResult:
    """The result of a file whose work did not finish."""
    from .incremental import label

    name = label(path)
    rec = DocumentRecord(path=name, extension_format=extension_format(os.path.basename(name)),
                         status="error", reason=one_line(reason))
    return FileResult(rec)


def run_in_process(paths: Iterable[Path], *, max_bytes: int) -> Iterator[Done]:
    """No worker processes and no limits: for debugging (breakpoints work) and for tiny runs."""
    for p in paths:
        try:
            yield Done(p, process_file(p, max_bytes))
        except MemoryError:
            yield Done(p, failed(p, memory_reason(None)), "memory", None)


def run_local(paths: Iterable[Path], *, jobs: int, max_bytes: int, timeout: float | None,
              max_memory_mb: float | None) -> Iterator[Done]:
    """``jobs`` worker processes, each file under ``timeout`` seconds and ``max_memory_mb``."""
    if jobs == 0:
        yield from run_in_process(paths, max_bytes=max_bytes)
        return
    work = partial(process_file, max_bytes=max_bytes)
    with LimitedPool(work, jobs, timeout=timeout, max_memory_mb=max_memory_mb) as pool:
        for o in pool.run(paths):
            if o.ok:
                yield Done(o.item, o.value)
            elif o.kind == "timeout":
                yield Done(o.item, failed(o.item, o.failure), "timeout", timeout)
            elif o.kind == "memory":
                yield Done(o.item, failed(o.item, o.failure), "memory", max_memory_mb)
            else:
                yield Done(o.item, failed(o.item, f"internal error: {o.failure}"), "crash", None)


def dask_available() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


def run_dask(paths: Iterable[Path], *, scheduler: str | None, jobs: int, max_bytes: int) -> Iterator[Done]:
    """Each file a Dask task on the cluster at ``scheduler`` (or on a local cluster of ``jobs``
    worker processes when no address is given).

    The workers read the files themselves, so the paths must mean the same on every worker
    (a shared file system).  Time limits and memory caps are the cluster's business here: a
    task that kills its worker (the nanny's memory limit) is recorded as a crashed worker.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise ExecutorUnavailable("--executor dask needs Dask: pip install 'plantrail[dask]'") from exc
    todo = list(paths)  # planning (which files need work) happens while this list is made
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address ...
        if cluster is not None:
            cluster.close()
        raise ExecutorUnavailable(f"cannot reach the Dask scheduler {scheduler or '(local)'}: "
                                  f"{one_line(str(exc)) or type(exc).__name__}") from exc
    try:
        if not todo:
            return
        futures = client.map(process_file, [os.fspath(p) for p in todo], max_bytes=max_bytes, pure=False)
        by_key = {f.key: p for f, p in zip(futures, todo, strict=True)}
        for fut in as_completed(futures):
            p = by_key[fut.key]
            try:
                yield Done(p, fut.result())
            except MemoryError:
                yield Done(p, failed(p, memory_reason(None)), "memory", None)
            except Exception as exc:  # KilledWorker, a worker that lost the file ...
                yield Done(p, failed(p, f"internal error: Dask task failed: {type(exc).__name__}: "
                                        f"{one_line(str(exc))}"), "crash", None)
            finally:
                fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
