"""Per-host request pacing that is never exceeded, whatever the concurrency.

Each host has a next free slot; a caller reserves the slot under a lock and sleeps
until it comes, so N threads together start at most one request per interval on
one host: at most ``rate`` starts in any one-second window, with a margin for the
jitter between a request leaving and reaching the server (``SAFETY``).

429/503 answers slow a host down (``penalize``): the interval doubles and a
Retry-After pauses the host. A pause also applies to callers already asleep on a
slot reserved before it: they wake, see the host was penalised meanwhile, and
reserve again, so no request starts inside a pause the server asked for.

A caller may go first (``wait(host, first=True)``: the browser's homepage and its
resources, which must not starve behind a crawl): it takes the first slot the rate
allows after the last request that started, and every slot handed out before it is
void (the same epoch mechanism), so the sleepers queue again behind it. The rate
holds: only one reservation at a time is valid from the last start on.
"""
from __future__ import annotations

import threading
import time

# Requests reach the server a little later than they leave, by a varying amount
# (connection set-up, scheduling, the network): one late request followed by
# punctual ones lands more starts in a server-side second than the interval
# allows. A 5% longer interval absorbs up to ~1/20 of an interval of such jitter
# (50 ms at 1 request a second), so the rate holds where it is measured.
SAFETY = 0.05


class RateLimiter:
    def __init__(self, rate: float, max_interval: float = 60.0) -> None:
        if not rate > 0:
            raise ValueError("rate must be positive")
        self.base_interval = (1.0 + SAFETY) / rate
        self.max_interval = max_interval
        self._interval: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._epoch: dict[str, int] = {}
        self._floor: dict[str, float] = {}  # Crawl-delay per host
        self._paused: dict[str, float] = {}  # Retry-After: no request before this time
        self._lock = threading.Lock()

    def interval(self, host: str) -> float:
        return self._interval.get(host, self.base_interval)

    def set_min_interval(self, host: str, seconds: float) -> None:
        """robots.txt Crawl-delay: never go faster than it asks (from the last start on).

        Honoured whatever its size (``--time-budget`` bounds a crawl that a long
        delay makes slow); penalties never bring the interval back under it.
        """
        with self._lock:
            floor = seconds * (1.0 + SAFETY)
            self._floor[host] = max(self._floor.get(host, 0.0), floor)
            interval = max(self._interval.get(host, self.base_interval), floor)
            self._interval[host] = interval
            if host in self._last:
                self._next[host] = max(self._next.get(host, 0.0), self._last[host] + interval)

    def penalize(self, host: str, retry_after: float | None = None) -> None:
        """Slow a host down after 429/503: double the interval, honour Retry-After.

        A Retry-After longer than ``max_interval`` pauses the host for
        ``max_interval``; the caller decides whether to wait longer than that.
        """
        with self._lock:
            cur = self._interval.get(host, self.base_interval)
            self._interval[host] = max(self._floor.get(host, 0.0), min(self.max_interval, cur * 2))
            if retry_after and retry_after > 0:
                pause_until = time.monotonic() + min(retry_after, self.max_interval)
                self._paused[host] = pause_until
                # Every slot handed out before is void: sleepers re-reserve after the pause.
                self._next[host] = max(pause_until, self._last.get(host, 0.0) + self._interval[host])
                self._epoch[host] = self._epoch.get(host, 0) + 1

    def _reserve(self, host: str, first: bool = False) -> tuple[float, int]:
        with self._lock:
            now = time.monotonic()
            if first:
                interval = self._interval.get(host, self.base_interval)
                last = self._last.get(host)
                slot = max(now, self._paused.get(host, 0.0), last + interval if last is not None else now)
                epoch = self._epoch[host] = self._epoch.get(host, 0) + 1  # earlier slots are void
                self._next[host] = slot + interval
                return slot, epoch
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self._interval.get(host, self.base_interval)
            return slot, self._epoch.get(host, 0)

    def reserve(self, host: str) -> float:
        """Reserve the host's next slot; returns how long the caller must wait."""
        slot, _ = self._reserve(host)
        return max(0.0, slot - time.monotonic())

    def wait(self, host: str, stop: threading.Event | None = None, first: bool = False) -> bool:
        """Block until this caller may send; False if ``stop`` was set meanwhile.
        ``first``: go ahead of the callers already waiting (see the module docstring)."""
        while True:
            slot, epoch = self._reserve(host, first)
            delay = slot - time.monotonic()
            if delay > 0:
                if stop is None:
                    time.sleep(delay)
                elif stop.wait(delay):
                    return False
            elif stop is not None and stop.is_set():
                return False
            with self._lock:
                if self._epoch.get(host, 0) == epoch:
                    self._last[host] = max(self._last.get(host, 0.0), slot)
                    return True
            # The host was paused while we slept: our slot is void, take a new one.
