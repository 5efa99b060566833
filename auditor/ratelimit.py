"""Per-host request pacing that is never exceeded, whatever the concurrency.

Each host has a next free slot; a caller reserves the slot under a lock and sleeps
until it comes, so N threads together still start at most ``rate`` requests per
second on one host. 429/503 answers slow a host down (``penalize``).
"""
from __future__ import annotations

import threading
import time


class RateLimiter:
    def __init__(self, rate: float, max_interval: float = 60.0) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.base_interval = 1.0 / rate
        self.max_interval = max_interval
        self._interval: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def interval(self, host: str) -> float:
        return self._interval.get(host, self.base_interval)

    def set_min_interval(self, host: str, seconds: float) -> None:
        """robots.txt Crawl-delay: never go faster than it asks."""
        with self._lock:
            cur = self._interval.get(host, self.base_interval)
            self._interval[host] = min(self.max_interval, max(cur, seconds))

    def penalize(self, host: str, retry_after: float | None = None) -> None:
        """Slow a host down after 429/503: double the interval, honour Retry-After."""
        with self._lock:
            cur = self._interval.get(host, self.base_interval)
            self._interval[host] = min(self.max_interval, cur * 2)
            if retry_after:
                pause_until = time.monotonic() + min(retry_after, self.max_interval)
                self._next[host] = max(self._next.get(host, 0.0), pause_until)

    def reserve(self, host: str) -> float:
        """Reserve the host's next slot; returns how long the caller must wait."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self._interval.get(host, self.base_interval)
            return slot - now

    def wait(self, host: str, stop: threading.Event | None = None) -> bool:
        """Block until this caller may send; False if ``stop`` was set meanwhile."""
        delay = self.reserve(host)
        if delay <= 0:
            return True
        if stop is None:
            time.sleep(delay)
            return True
        return not stop.wait(delay)
