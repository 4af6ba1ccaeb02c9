"""One call in a fresh child process, under a time limit and a memory cap.

:class:`~.pool.LimitedPool` forks long-lived workers; a Dask worker cannot do that (its
processes are daemons, which may not have children of their own through multiprocessing), yet
``--timeout`` and ``--max-memory`` must hold there too.  A plain subprocess can always be
started: it receives the function and its argument pickled on stdin, caps its own address space
(on top of what it has after start-up, as the pool's workers do), dies with its parent, and
sends the pickled result on stdout.  Past the time limit it is killed.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .pool import crash_reason, memory_reason, timeout_reason


@dataclass
class CallResult:
    kind: str  # "" (value set) | "timeout" | "memory" | "crash" | "exception"
    value: Any = None
    failure: str = ""
    seconds: float = 0.0


_CHILD = "from plantrail.ingest.limited_call import child_main; child_main()"


def call_limited(fn: Callable[[Any], Any], arg: Any, *, timeout: float | None, max_memory_mb: float | None
                 ) -> CallResult:
    """``fn(arg)`` in a child process; never raises for what the call does."""
    started = time.monotonic()
    payload = pickle.dumps((fn, arg, max_memory_mb or None))
    proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        out, _ = proc.communicate(payload, timeout=timeout or None)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return CallResult("timeout", failure=timeout_reason(timeout or 0), seconds=_since(started))
    took = _since(started)
    try:
        status, value = pickle.loads(out)
    except Exception:  # no reply: the child died (killed by the kernel, crashed)
        return CallResult("crash", failure=crash_reason(proc.returncode, max_memory_mb), seconds=took)
    if status == "ok":
        return CallResult("", value, seconds=took)
    if status == "memory":
        return CallResult("memory", failure=memory_reason(max_memory_mb), seconds=took)
    return CallResult("exception", failure=str(value), seconds=took)


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def child_main() -> None:
    """The child's side: read the call, cap memory, run it, write the reply."""
    from .pool import _cap_memory, _die_with_parent

    _die_with_parent(os.getppid())
    fn, arg, cap_mb = pickle.loads(sys.stdin.buffer.read())
    if cap_mb:
        _cap_memory(cap_mb)
    try:
        reply: tuple[str, Any] = ("ok", fn(arg))
    except MemoryError:
        reply = ("memory", None)
    except BaseException as exc:
        reply = ("exception", f"{type(exc).__name__}: {exc}")
    try:
        data = pickle.dumps(reply)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception as exc:
        data = pickle.dumps(("exception", f"result could not be returned: {type(exc).__name__}: {exc}"))
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
