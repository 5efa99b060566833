"""SIGINT (Ctrl-C) and SIGTERM (CI runners, systemd, ``kill``) mean the same thing to every
command: stop gathering, write what was gathered marked partial, end every child, exit 2.

Nothing is raised from the signal handler while there is something to save: the handler
asks the work to stop (from a thread of its own, so no lock the interrupted code holds can
deadlock it) and returns; the work notices, finishes its outputs and exits. A second signal
only says the outputs are still being written — it never loses them.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Callable

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

# Set on the first stop signal of the process; long waits (the history store's lock) watch it.
INTERRUPTED = threading.Event()


def signal_name(signum: int | None) -> str:
    try:
        return signal.Signals(signum).name if signum is not None else "signal"
    except ValueError:
        return f"signal {signum}"


class StopOnSignal:
    """Route SIGINT and SIGTERM to ``on_stop(signame)`` for the life of a ``with`` block.

    ``on_stop`` runs in a new thread on the first signal and returns nothing; when it is
    None (nothing gathered yet, nothing to save) the signal raises KeyboardInterrupt as
    Ctrl-C does. Later signals print ``again`` and do nothing else. ``quiet`` silences the
    first signal's message (a log reader sees the final line anyway).
    """

    def __init__(self, on_stop: Callable[[str], None] | None = None, *,
                 first: str = "", again: str = "", quiet: bool = False) -> None:
        self.on_stop = on_stop
        self.first = first
        self.again = again
        self.quiet = quiet
        self.count = 0
        self.signame: str | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "StopOnSignal":
        INTERRUPTED.clear()
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    @property
    def stopped(self) -> bool:
        return self.count > 0

    def _say(self, text: str) -> None:
        if text:
            try:
                os.write(sys.stderr.fileno(), f"\ngov-audit: {text}\n".encode("utf-8", "replace"))
            except (OSError, ValueError):
                pass

    def _handle(self, signum, frame) -> None:
        self.count += 1
        INTERRUPTED.set()
        if self.count == 1:
            self.signame = signal_name(signum)
            if self.on_stop is None:
                raise KeyboardInterrupt
            if not self.quiet:
                self._say(self.first.format(signal=self.signame))
            threading.Thread(target=self.on_stop, args=(self.signame,), name="gov-audit-stop",
                             daemon=True).start()
        else:
            self._say(self.again.format(signal=signal_name(signum)))
