"""Run one function over many items in worker processes, each item under a time limit and a
memory cap of its own.

Why not ``concurrent.futures.ProcessPoolExecutor``: a running task cannot be cancelled there, so
one file that sends a parser into an endless loop would hold a worker (and the end of the
batch) for ever, and one worker killed by the kernel breaks the whole executor
(``BrokenProcessPool``), failing every task in flight with it.  Here each worker holds exactly
one item at a time on a pipe of its own, so the parent always knows which item a worker has:
when the item's time is up the parent kills that worker alone, when a worker dies only its own
item is blamed, and either way a fresh worker takes its place and the batch goes on.

The memory cap is ``RLIMIT_AS`` set inside the worker before each item, *on top of* the
address space the worker has at that moment: a forked worker inherits the parent's mappings,
libraries such as pyarrow reserve a gigabyte of address space they never touch, and the first
PDF a worker reads imports a few hundred megabytes of libraries, so an absolute cap would fail
files for reasons that have nothing to do with them.  An allocation past the cap raises
``MemoryError`` in the worker, which reports it and exits; a fresh worker replaces it.  Workers
are also replaced after ``max_tasks`` items, so heap growth from one file to the next stays
bounded.  Platforms without ``resource`` (Windows) run without the cap.

Workers are started with ``fork`` where there is one (fast, and the worker sees the parent's
imported modules), else ``spawn`` (then ``fn`` must be picklable).  A worker whose parent dies
(SIGKILL of the run) notices within a second and exits, so a killed run leaves no orphans
behind once their current item is done.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

DEFAULT_MAX_TASKS = 250  # a worker is replaced after this many items: heap growth stays bounded
_POLL = 1.0  # how often an idle worker checks that its parent is still alive


@dataclass
class Outcome:
    """What became of one item: its ``value``, or a ``failure`` that says why there is none."""

    item: Any
    value: Any = None
    kind: str = ""  # "" (value set) | "timeout" | "memory" | "crash" | "exception"
    failure: str = ""  # one line for people, e.g. "timed out after 300 s"
    index: int = -1  # the item's position in the input
    seconds: float = 0.0  # how long the worker had the item (also for a timeout or a crash)

    @property
    def ok(self) -> bool:
        return not self.kind


def timeout_reason(seconds: float) -> str:
    return f"timed out after {seconds:g} s"


def memory_reason(cap_mb: float | None) -> str:
    return f"out of memory (cap {cap_mb:g} MB)" if cap_mb else "out of memory"


def default_jobs() -> int:
    """Cores this process may use (a container's CPU set, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


class _Worker:
    def __init__(self, ctx: Any, fn: Callable, cap_mb: float | None, inherited: list[int] | None = None) -> None:
        self.conn, child = ctx.Pipe()
        # A forked worker inherits every descriptor the parent holds: its own pipe's parent end
        # and those of the other workers.  Left open, they keep each pipe "connected" after the
        # parent dies, so a worker blocked sending its result would wait for ever.  The worker
        # closes them first thing (fork only: a spawned worker inherits nothing).
        close_fds = [self.conn.fileno(), *(inherited or [])] if ctx.get_start_method() == "fork" else []
        self.proc = ctx.Process(target=_serve, args=(fn, child, cap_mb, os.getpid(), close_fds), daemon=True,
                                name="plantrail-worker")
        self.proc.start()
        child.close()
        self.item: Any = None
        self.index = -1
        self.busy = False
        self.started = 0.0
        self.done = 0

    def give(self, item: Any, index: int) -> None:
        self.conn.send(("run", item))
        self.item, self.index, self.busy, self.started = item, index, True, time.monotonic()

    def stop(self) -> None:
        """Ask an idle worker to leave; kill it when it does not (or is busy)."""
        if self.busy or not self.proc.is_alive():
            self.kill()
            return
        try:
            self.conn.send(("stop", None))
        except OSError:
            pass
        self.proc.join(2)
        self.kill()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class LimitedPool:
    """``jobs`` worker processes applying ``fn`` to items.

    ``timeout`` (seconds) and ``max_memory_mb`` limit each item; None or 0 means no limit.
    Use :meth:`run` for outcomes as they complete, :meth:`map` for values in input order.
    """

    def __init__(self, fn: Callable[[Any], Any], jobs: int, *, timeout: float | None = None,
                 max_memory_mb: float | None = None, max_tasks: int = DEFAULT_MAX_TASKS) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.fn = fn
        self.jobs = jobs
        self.timeout = timeout or None
        self.cap_mb = max_memory_mb or None
        self.max_tasks = max_tasks
        self._ctx = _context()
        self._workers: list[_Worker | None] = [None] * jobs
        self._given = 0

    def __enter__(self) -> LimitedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for i, w in enumerate(self._workers):
            if w is not None:
                w.stop()
                self._workers[i] = None

    def _fresh(self, slot: int) -> _Worker:
        old = self._workers[slot]
        if old is not None:
            old.kill()
        others = [x.conn.fileno() for x in self._workers if x is not None and x is not old and not x.conn.closed]
        w = _Worker(self._ctx, self.fn, self.cap_mb, others)
        self._workers[slot] = w
        return w

    def _retire(self, slot: int) -> None:
        w = self._workers[slot]
        if w is not None:
            w.kill()
            self._workers[slot] = None

    def run(self, items: Iterable[Any]) -> Iterator[Outcome]:
        """Outcomes in completion order; every item gives exactly one.

        ``items`` is consumed lazily, one item whenever a worker is free, so it may be a
        generator that does work of its own in the parent (and may raise: the pool is then
        closed and the exception goes on to the caller).
        """
        source = iter(items)
        self._given = 0
        exhausted = False
        try:
            while True:
                if not exhausted:
                    exhausted = self._feed(source)
                busy = [(i, w) for i, w in enumerate(self._workers) if w is not None and w.busy]
                if not busy:
                    if exhausted:
                        return
                    continue
                wait([w.conn for _, w in busy] + [w.proc.sentinel for _, w in busy], self._wait_time(busy))
                now = time.monotonic()
                for slot, w in busy:
                    outcome = self._check(slot, w, now)
                    if outcome is not None:
                        yield outcome
        finally:
            self.close()

    def _feed(self, source: Iterator[Any]) -> bool:
        """Give every idle worker an item; True once ``source`` is used up."""
        for slot in range(self.jobs):
            w = self._workers[slot]
            if w is not None and w.busy:
                continue
            try:
                item = next(source)
            except StopIteration:
                return True
            if w is None or w.done >= self.max_tasks or not w.proc.is_alive():
                w = self._fresh(slot)
            try:
                w.give(item, self._given)
            except OSError:  # the idle worker died (e.g. killed from outside): one more try
                self._fresh(slot).give(item, self._given)
            self._given += 1
        return False

    def _wait_time(self, busy: list[tuple[int, _Worker]]) -> float | None:
        if self.timeout is None:
            return None
        first = min(w.started for _, w in busy)
        return max(0.0, first + self.timeout - time.monotonic()) + 0.01

    def _check(self, slot: int, w: _Worker, now: float) -> Outcome | None:
        """The outcome of worker ``w``'s item when there is one yet."""
        if w.conn.poll():
            try:
                status, value = w.conn.recv()
            except (EOFError, OSError):
                return self._crashed(slot, w)
            except Exception as exc:  # the result could not be unpickled in the parent
                status, value = "exception", f"result could not be read: {type(exc).__name__}: {exc}"
            w.busy, w.done = False, w.done + 1
            took = round(time.monotonic() - w.started, 3)
            if status == "ok":
                return Outcome(w.item, value, index=w.index, seconds=took)
            if status == "memory":
                self._retire(slot)  # it exits by itself; a process that ran out is not reused
                return Outcome(w.item, kind="memory", failure=memory_reason(self.cap_mb), index=w.index,
                               seconds=took)
            return Outcome(w.item, kind="exception", failure=str(value), index=w.index, seconds=took)
        if not w.proc.is_alive():
            return self._crashed(slot, w)
        if self.timeout is not None and now - w.started >= self.timeout:
            item, index, took = w.item, w.index, round(now - w.started, 3)
            self._retire(slot)
            return Outcome(item, kind="timeout", failure=timeout_reason(self.timeout), index=index, seconds=took)
        return None

    def _crashed(self, slot: int, w: _Worker) -> Outcome:
        item, index, took = w.item, w.index, round(time.monotonic() - w.started, 3)
        w.proc.join(5)
        code = w.proc.exitcode
        self._retire(slot)
        return Outcome(item, kind="crash", failure=crash_reason(code, self.cap_mb), index=index, seconds=took)

    def map(self, items: Iterable[Any], on_failure: Callable[[Outcome], Any]) -> list[Any]:
        """Values in input order; ``on_failure(outcome)`` gives the value of a failed item."""
        out: dict[int, Any] = {}
        for o in self.run(items):
            out[o.index] = o.value if o.ok else on_failure(o)
        return [out[i] for i in range(len(out))]


def crash_reason(exitcode: int | None, cap_mb: float | None = None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            return f"worker process was killed ({name}; out of memory?)"
        return f"worker process crashed ({name})"
    return f"worker process exited unexpectedly (exit code {exitcode})"


def _serve(fn: Callable[[Any], Any], conn, cap_mb: float | None, parent_pid: int,
           close_fds: list[int] | tuple[int, ...] = ()) -> None:
    """Worker loop: one item at a time until told to stop or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's SIGTERM handler is not ours
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    for fd in close_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    _die_with_parent(parent_pid)
    while True:
        try:
            while not conn.poll(_POLL):
                if os.getppid() != parent_pid:
                    return
            command, item = conn.recv()
        except (EOFError, OSError):
            return
        if command != "run":
            return
        if cap_mb:
            _cap_memory(cap_mb)  # anew for each item: what this item may add
        if _apply(fn, item, conn) in ("memory", "gone"):
            return


def _apply(fn: Callable[[Any], Any], item: Any, conn) -> str:
    try:
        reply: tuple[str, Any] = ("ok", fn(item))
    except MemoryError:
        reply = ("memory", None)
    except BaseException as exc:  # a worker reports everything; the parent decides
        reply = ("exception", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(reply)
    except MemoryError:
        reply = ("memory", None)
        _send_quietly(conn, reply)
    except (BrokenPipeError, ConnectionError):
        return "gone"  # the parent has gone away
    except Exception as exc:  # e.g. a result that cannot be pickled
        _send_quietly(conn, ("exception", f"result could not be returned: {type(exc).__name__}: {exc}"))
    return reply[0]


def _die_with_parent(parent_pid: int) -> None:
    """Linux: have the kernel SIGKILL this worker when its parent dies, whatever the worker is
    doing at that moment (reading a file, blocked in a write).  Elsewhere the idle poll and the
    broken pipe on sending are what notice a dead parent."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(0)


def _send_quietly(conn, message: tuple[str, Any]) -> None:
    try:
        conn.send(message)
    except Exception:
        pass


def _cap_memory(cap_mb: float) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit available
        return
    limit = _address_space() + int(cap_mb * 1024 * 1024)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _address_space() -> int:
    """Bytes of address space this process has mapped now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
