"""``gov-audit monitor``: probe a site's homepage on a schedule and store each probe.

The 国办 indicator 站点无法访问 (国办秘函〔2019〕19号, docs/rules.md#R-veto-site-unavailable) is judged over a week of probes,
at least 20 a day, each failing when the homepage does not open within 15 s;
the national monitoring vendor probes key portals every 5 minutes. Each probe here is one GET of the
homepage (redirects followed) with a 15 s limit on the whole exchange, through the
same bounded fetcher as the audit. The probes go into the history store, where
the ``site.uptime`` check reads them.

Politeness: robots.txt is read at the start and again every hour; a homepage it
disallows is not probed (the monitor stops). An unreachable robots.txt does not
stop the probes — the homepage is the one URL an audit requests even then, and a
site that is down must be seen to be down. Probes are never closer together than
the per-host rate allows (5 a second), nor than robots.txt's Crawl-delay. Probes run
on a fixed cadence (no drift); a probe that overruns its slot skips the missed slots.
Ctrl-C (or SIGTERM) ends the monitor cleanly after storing what it has.
"""
from __future__ import annotations

import re
import signal
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from auditor.crawl.crawler import CrawlOptions
from auditor.network import robots as robots_mod
from auditor.network.fetch import DEFAULT_USER_AGENT, Fetcher
from reports.history import History, Sample
from auditor.network.urls import host_of

ROBOTS_REFRESH = 3600.0
MAX_INTERVAL = 7 * 86400.0
DEFAULT_RATE = CrawlOptions.rate  # the crawl's politeness default, written once
_BJ = timezone(timedelta(hours=8))
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d)?\s*$", re.I)
_UNITS = {None: 1.0, "ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


class MonitorError(Exception):
    """The monitor cannot run (robots.txt forbids the homepage, bad history file)."""


def parse_interval(text: str) -> float:
    """'200ms', '5s', '30m', '1h', '1d' or plain seconds -> seconds."""
    m = _INTERVAL.match(str(text)) if len(str(text)) <= 40 else None
    if not m:
        raise ValueError(f"not an interval: {str(text)[:40]!r} (use e.g. 200ms, 5s, 30m, 1h)")
    value = float(m.group(1)) * _UNITS[(m.group(2) or "").lower() or None]
    if not value > 0:
        raise ValueError(f"the interval must be greater than 0, not {text!r}")
    if value > MAX_INTERVAL:
        # (Beyond any use — site.uptime needs >= 20 probes a day — and past what a timer can wait.)
        raise ValueError(f"the interval must be at most 7 days, not {text[:40]!r}")
    return value


@dataclass
class ProbeResult:
    at: float
    ok: bool
    status: int | None
    elapsed: float
    error_kind: str | None
    error: str | None
    final_url: str


def probe(fetcher: Fetcher, url: str, timeout: float) -> ProbeResult:
    """One homepage probe: ok when it answers 2xx within ``timeout`` (all hops together)."""
    at = time.time()
    f = fetcher.fetch(url, timeout=timeout, max_bytes=2 * 1024 * 1024)
    elapsed = f.elapsed
    kind, error = f.error_kind, f.error
    ok = kind is None and f.status is not None and 200 <= f.status < 300 and elapsed < timeout
    if kind is None and f.blocked:
        # A firewall challenge: the site is up, the monitor was refused. Not counted either way.
        kind, error = "blocked", f"HTTP {f.status} (firewall or rate-limit challenge)"
    elif kind is None and ok is False and f.status is not None and elapsed >= timeout:
        kind, error = "timeout", f"answered after {elapsed:.1f} s"
    return ProbeResult(at, ok, f.status, round(elapsed, 3), kind, error, f.final_url)


class Monitor:
    def __init__(self, url: str, history: str, *, every: float, count: int | None = None,
                 timeout: float = 15.0, user_agent: str | None = None, rate: float = DEFAULT_RATE,
                 out=sys.stdout, quiet: bool = False, dns_server: str | None = None,
                 resolve: tuple[str, ...] = (), connect_to: tuple[str, ...] = (),
                 ca_bundle: str | None = None, allow_private: bool = False) -> None:
        self.url = url
        self.history_path = history
        self.every = every
        self.count = count
        self.timeout = timeout
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.min_interval = 1.0 / rate
        self.out = out
        self.quiet = quiet
        self.stop = threading.Event()
        # The whole exchange (redirects included) must finish within the probe limit.
        from auditor.network.resolve import AddressPolicy, Resolver

        # --resolve, --dns-server, --connect-to and --ca-bundle, as the audit's own requests.
        resolver = Resolver.from_options(resolve, dns_server, connect_to, timeout=timeout)
        # A redirect to a private address is not followed unless the site itself is on one.
        self.address_policy = AddressPolicy(allow_private=allow_private)
        self.address_policy.add_site(url)
        self.fetcher = Fetcher(user_agent=self.user_agent, timeout=timeout, total_timeout=timeout,
                               rate=rate, concurrency=1, resolver=resolver if resolver.custom else None,
                               ca_bundle=ca_bundle, address_policy=self.address_policy)
        self.fetcher.stop = self.stop  # a stop request cuts a probe in flight
        self.policy = None
        self.policy_at = 0.0
        self.taken = 0
        self.failed = 0
        self.notes: list[str] = []

    def request_stop(self) -> None:
        """End the monitor (thread- and signal-safe): a probe in flight is cut, not stored."""
        from auditor.network.watchdog import WATCHDOG

        self.stop.set()
        WATCHDOG.kill_all(owner=self.fetcher)

    # -- robots.txt ----------------------------------------------------------------
    def _refresh_robots(self) -> None:
        self.policy = robots_mod.load(self.fetcher, self.url, self.user_agent)
        self.policy_at = time.monotonic()
        if self.policy.crawl_delay:
            # The limiter holds it between any two requests (robots.txt refreshes included).
            self.fetcher.limiter.set_min_interval(host_of(self.url), self.policy.crawl_delay)
        if self.policy.crawl_delay and self.policy.crawl_delay > self.every:
            note = (f"robots.txt asks for a Crawl-delay of {self.policy.crawl_delay:g} s: "
                    f"probing every {self.policy.crawl_delay:g} s instead of {self.every:g} s")
            if note not in self.notes:
                self.notes.append(note)
                self._say(note, err=True)
        if self.policy.state == "parsed" and not self.policy.allows(self.url, self.user_agent):
            raise MonitorError(f"robots.txt disallows {self.url}: not probing it")

    def interval(self) -> float:
        delay = self.policy.crawl_delay if self.policy and self.policy.crawl_delay else 0.0
        return max(self.every, self.min_interval, delay)

    # -- the loop --------------------------------------------------------------------
    def _say(self, text: str, err: bool = False) -> None:
        if err:
            print(f"gov-audit: {text}", file=sys.stderr, flush=True)
        elif not self.quiet:
            print(text, file=self.out, flush=True)

    def run(self) -> int:
        """Probe until ``count`` probes are taken or Ctrl-C / SIGTERM; returns probes taken."""
        with History.open(self.history_path) as store:
            self._refresh_robots()
            start = time.monotonic()
            slot = 0
            try:
                while not self.stop.is_set() and (self.count is None or self.taken < self.count):
                    if time.monotonic() - self.policy_at > ROBOTS_REFRESH:
                        self._refresh_robots()
                    result = probe(self.fetcher, self.url, self.timeout)
                    if self.stop.is_set() and result.error_kind == "stopped":
                        break
                    store.add_samples(self.url, [Sample(result.at, result.ok, result.status, result.elapsed,
                                                        result.error_kind, result.error, self.timeout,
                                                        result.final_url or self.url)])
                    self.taken += 1
                    self.failed += 0 if result.ok or result.error_kind == "blocked" else 1
                    when = datetime.fromtimestamp(result.at, _BJ).strftime("%Y-%m-%d %H:%M:%S")
                    state = "OK  " if result.ok else ("BLOCKED" if result.error_kind == "blocked" else "FAIL")
                    what = f"HTTP {result.status}" if result.status is not None else (result.error or "")
                    if not result.ok and result.error and result.status is not None:
                        what += f" ({result.error})"
                    self._say(f"{when} {state} {what} {result.elapsed:.2f}s")
                    if self.count is not None and self.taken >= self.count:
                        break
                    # Fixed cadence from the start; a probe that overran skips the slots it missed.
                    step = self.interval()
                    slot = max(slot + 1, int((time.monotonic() - start) / step) + 1)
                    self.stop.wait(max(0.0, start + slot * step - time.monotonic()))
            except KeyboardInterrupt:
                self.stop.set()
        self.fetcher.close()
        return self.taken

    def summary(self) -> str:
        rate = f" ({self.failed / self.taken:.1%})" if self.taken else ""
        return f"{self.url}: {self.taken} probes, {self.failed} failed{rate}; stored in {self.history_path}"


def run_monitor(url: str, history: str, *, every: float, count: int | None, timeout: float,
                user_agent: str | None = None, quiet: bool = False, **network) -> Monitor:
    """Run a monitor in the foreground; SIGTERM ends it like Ctrl-C. ``network``: dns_server,
    resolve, connect_to, ca_bundle (see Monitor)."""
    mon = Monitor(url, history, every=every, count=count, timeout=timeout, user_agent=user_agent, quiet=quiet,
                  **network)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: mon.request_stop())
    try:
        mon.run()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return mon
