"""A total-time deadline for every request.

Socket timeouts bound each read, not the exchange: a server that sends one byte a
second keeps ``requests`` busy forever, in the headers as much as in the body (and
in a TLS handshake). The watchdog tracks each in-flight connection with its
deadline and shuts the socket down when the deadline passes, which makes the
blocked read return at once.

A read cut that way does not always fail: ``http.client`` takes the end of the
stream for the end of the headers, so a cut response can look complete. Whoever
armed a connection therefore asks :meth:`Watchdog.disarm` whether it fired, and
treats a fired request as timed out whatever it returned.
"""
from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time

_local = threading.local()

# While a connection is still being opened (DNS, TCP connect) it has no socket to
# shut down; the watchdog looks again this often until it has one or is disarmed.
_RETRY_KILL = 0.05


def set_deadline(deadline: float | None, owner: object = None) -> None:
    """Deadline (time.monotonic()) for requests made by this thread from now on.

    ``owner`` (a fetcher) groups connections so that :meth:`Watchdog.kill_all` can
    cut one crawl's requests without touching another's.
    """
    _local.deadline = deadline
    _local.owner = owner


def current_deadline() -> float | None:
    return getattr(_local, "deadline", None)


def current_owner() -> object:
    return getattr(_local, "owner", None)


class Watchdog:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int]] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._live: dict[int, tuple[object, object]] = {}  # token -> (conn, owner)
        self._fired: set[int] = set()
        self._thread: threading.Thread | None = None
        self.fired = 0

    def arm(self, conn) -> int | None:
        deadline = current_deadline()
        if deadline is None:
            return None
        token = next(self._seq)
        with self._cond:
            self._live[token] = (conn, current_owner())
            heapq.heappush(self._heap, (deadline, token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="gov-audit-watchdog",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()
        return token

    def disarm(self, token: int | None) -> bool:
        """Stop watching; True when the watchdog had cut this connection."""
        if token is None:
            return False
        with self._cond:
            self._live.pop(token, None)
            if token in self._fired:
                self._fired.discard(token)
                return True
            return False

    def kill(self, token: int | None) -> None:
        """Cut one watched connection now."""
        with self._cond:
            entry = self._live.get(token) if token is not None else None
            if entry is None:
                return
            self._fired.add(token)
            heapq.heappush(self._heap, (0.0, token))  # retried until the socket exists
            self._cond.notify()

    def kill_all(self, owner: object = None) -> None:
        """Cut every watched request now (Ctrl-C, time budget); only ``owner``'s if given."""
        with self._cond:
            for token, (_, own) in self._live.items():
                if owner is None or own is owner:
                    self._fired.add(token)
                    heapq.heappush(self._heap, (0.0, token))
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait(30)
                    if not self._heap:
                        self._thread = None
                        return  # idle: let the thread end; arm() restarts it
                deadline, token = self._heap[0]
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._cond.wait(min(delay, 1.0))
                    continue
                heapq.heappop(self._heap)
                entry = self._live.get(token)
                if entry is None:
                    continue  # disarmed, or already cut through another heap entry
                self._fired.add(token)
                if not self._shutdown(entry[0]):
                    # No socket yet (still resolving or connecting): look again soon.
                    heapq.heappush(self._heap, (time.monotonic() + _RETRY_KILL, token))
                    continue
                self._live.pop(token, None)
                self.fired += 1

    @staticmethod
    def _shutdown(conn) -> bool:
        # ``watch_sock``: a duplicate the owner keeps while the socket may be
        # wrapped (TLS), when ``conn.sock`` is a detached object.
        sock = getattr(conn, "watch_sock", None) or getattr(conn, "sock", None)
        if sock is None:
            return False
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True


WATCHDOG = Watchdog()
