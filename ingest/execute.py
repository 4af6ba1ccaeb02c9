"""Where the per-file work runs: in this process, in a local pool of worker processes, or on
a Dask cluster.  Every executor applies ``work`` (a picklable function of one path) to each
path and yields one :class:`Done` per path as files complete (not in input order): its value,
or why there is none (time limit, memory cap, crashed worker, lost Dask task), so the caller
can still record the file.

The work is the same function everywhere (:func:`~.run.prepare_file`, which calls
:func:`~.pipeline.process_file`), which is what makes the Dask path give the same records as
the local one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .pipeline import one_line
from .pool import LimitedPool, Outcome, memory_reason

EXECUTORS = ("local", "dask")


class ExecutorUnavailable(Exception):
    """The chosen executor cannot run here (Dask not installed, scheduler unreachable)."""


@dataclass
class Done:
    path: Path
    value: Any = None
    limit_kind: str = ""  # "" (value set) | "timeout" | "memory" | "crash"
    limit_value: float | None = None  # the limit the file hit
    failure: str = ""  # one line: why there is no value
    seconds: float = 0.0  # time spent on the file (also when it hit a limit)


def run_in_process(paths: Iterable[Path], work: Callable[[Path], Any]) -> Iterator[Done]:
    """No worker processes and no limits: for debugging (breakpoints work) and for tiny runs."""
    for p in paths:
        try:
            yield Done(p, work(p))
        except MemoryError:
            yield Done(p, limit_kind="memory", failure=memory_reason(None))


def run_local(paths: Iterable[Path], work: Callable[[Path], Any], *, jobs: int, timeout: float | None,
              max_memory_mb: float | None) -> Iterator[Done]:
    """``jobs`` worker processes, each file under ``timeout`` seconds and ``max_memory_mb``."""
    if jobs == 0:
        yield from run_in_process(paths, work)
        return
    with LimitedPool(work, jobs, timeout=timeout, max_memory_mb=max_memory_mb) as pool:
        for o in pool.run(paths):
            yield done_of(o, timeout, max_memory_mb)


def done_of(o: Outcome, timeout: float | None, max_memory_mb: float | None) -> Done:
    """A pool outcome as a Done: the limit it hit, and the time it took either way."""
    if o.ok:
        return Done(o.item, o.value, seconds=o.seconds)
    if o.kind == "timeout":
        return Done(o.item, limit_kind="timeout", limit_value=timeout, failure=o.failure, seconds=o.seconds)
    if o.kind == "memory":
        return Done(o.item, limit_kind="memory", limit_value=max_memory_mb, failure=o.failure, seconds=o.seconds)
    return Done(o.item, limit_kind="crash", failure=f"internal error: {o.failure}", seconds=o.seconds)


def dask_available() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


def limited_task(work: Callable[[Path], Any], timeout: float | None, max_memory_mb: float | None,
                 path: Path) -> Any:
    """What a Dask task runs: ``work(path)`` in a child process under the run's limits."""
    from .limited_call import call_limited

    return call_limited(work, path, timeout=timeout, max_memory_mb=max_memory_mb)


def run_dask(paths: Iterable[Path], work: Callable[[Path], Any], *, scheduler: str | None,
             jobs: int, timeout: float | None = None, max_memory_mb: float | None = None) -> Iterator[Done]:
    """Each file a Dask task on the cluster at ``scheduler`` (or on a local cluster of ``jobs``
    worker processes when no address is given).

    The workers read the files themselves, so the paths must mean the same on every worker
    (a shared file system).  Each file is read in a child process of the Dask worker under the
    same ``timeout`` and ``max_memory_mb`` as the local pool (:mod:`.limited_call`); a task that
    kills its worker all the same (the nanny's memory limit) is recorded as a crashed worker.
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
        task = partial(limited_task, work, timeout, max_memory_mb)
        futures = client.map(task, [Path(os.fspath(p)) for p in todo], pure=False)
        by_key = {f.key: p for f, p in zip(futures, todo, strict=True)}
        for fut in as_completed(futures):
            p = by_key[fut.key]
            try:
                res = fut.result()
                o = Outcome(p, res.value, kind=res.kind, failure=res.failure, seconds=res.seconds)
                yield done_of(o, timeout, max_memory_mb)
            except MemoryError:
                yield Done(p, limit_kind="memory", failure=memory_reason(None))
            except Exception as exc:  # KilledWorker, a worker that lost the file ...
                yield Done(p, limit_kind="crash", failure=f"internal error: Dask task failed: "
                                                          f"{type(exc).__name__}: {one_line(str(exc))}")
            finally:
                fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
