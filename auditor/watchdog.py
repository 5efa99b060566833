"""A total-time deadline for every request.

Socket timeouts bound each read, not the exchange: a server that sends one byte a
second keeps ``requests`` busy forever, in the headers as much as in the body. The
watchdog tracks each in-flight connection with its deadline and shuts the socket
down when the deadline passes, which makes the blocked read return at once.
"""
from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time

_local = threading.local()


def set_deadline(deadline: float | None) -> None:
    """Deadline (time.monotonic()) for requests made by this thread from now on."""
    _local.deadline = deadline


def current_deadline() -> float | None:
    return getattr(_local, "deadline", None)


class Watchdog:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, object]] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._live: dict[int, object] = {}
        self._thread: threading.Thread | None = None
        self.fired = 0

    def arm(self, conn) -> int | None:
        deadline = current_deadline()
        if deadline is None:
            return None
        token = next(self._seq)
        with self._cond:
            self._live[token] = conn
            heapq.heappush(self._heap, (deadline, token, conn))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="gov-audit-watchdog",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()
        return token

    def disarm(self, token: int | None) -> None:
        if token is None:
            return
        with self._cond:
            self._live.pop(token, None)

    def kill_all(self) -> None:
        """Cut every watched request now (Ctrl-C, time budget)."""
        with self._cond:
            live = list(self._live.values())
            self._live.clear()
        for conn in live:
            self._kill(conn)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait(30)
                    if not self._heap:
                        return  # idle: let the thread end; arm() restarts it
                deadline, token, conn = self._heap[0]
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._cond.wait(min(delay, 1.0))
                    continue
                heapq.heappop(self._heap)
                alive = self._live.pop(token, None) is not None
            if alive:
                self._kill(conn)

    def _kill(self, conn) -> None:
        sock = getattr(conn, "sock", None)
        if sock is None:
            return
        self.fired += 1
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


WATCHDOG = Watchdog()
