"""SIGTERM and SIGHUP end a run the way Ctrl-C does.

``timeout``, systemd, docker and Kubernetes stop a program with SIGTERM; a closed terminal sends
SIGHUP.  Python's default for both is to die on the spot: no message, the run left "running" in
the store, workers orphaned.  Inside :func:`stop_signals_interrupt` both raise
:class:`Terminated`, a ``KeyboardInterrupt``, so every path that already handles Ctrl-C (stop the
workers, mark the run interrupted, keep finished files) handles them too; the command then exits
with the shell's 128 + signal number (143, 129).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class Terminated(KeyboardInterrupt):
    """The run was asked to stop by a signal other than SIGINT."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum: int, _frame: object) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """SIGTERM/SIGHUP raise :class:`Terminated` while the block runs (main thread only: signal
    handlers cannot be set elsewhere, and there the default stays)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.signal(getattr(signal, n), _raise) for n in names}
    try:
        yield
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


def exit_code(exc: KeyboardInterrupt, default: int = 130) -> int:
    return exc.exit_code if isinstance(exc, Terminated) else default


def describe(exc: KeyboardInterrupt) -> str:
    return f"stopped by {exc.name}" if isinstance(exc, Terminated) else "interrupted"
