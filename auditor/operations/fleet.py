"""``gov-audit fleet``: audit many sites at once, and rank them the way a 国办 抽查通报 does.

A CSV names the sites (header row: ``url``, optional ``name`` and ``profile``). Each
site is audited in a process of its own (``--workers`` at a time) so that a site
that hangs or crashes its audit costs only its own time budget: the crawl stops
itself at part of the budget and reports what it gathered, and a process still
running at the end of the budget is killed and the site reported as ``timeout``.
Politeness holds fleet-wide: every request of every audit takes a slot from one
shared pacer that keeps each host to the per-host rate (however many audits touch
it — sites sharing a host, or all linking to www.gov.cn) and the whole fleet to
``--rate`` requests a second.

Workers hand their report dicts back to the coordinator, which writes each site's
scorecard (DIR/<slug>/), records the runs in the history store and writes the
fleet page (DIR/index.html) and DIR/fleet.json. The same coordinator can dispatch
to Celery workers instead (``--broker``; auditor/fleet_celery.py).

The browser (``--render auto``, the default): each worker slot keeps one chromium running
(``browser_services``; a Celery pool process keeps its own) and each site's audit connects to
it with fresh contexts, so chromium starts once per worker, not once per site.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import os
import re
import signal
import threading
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from multiprocessing.connection import wait as mp_wait
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from auditor.crawl.crawler import CrawlOptions
from auditor.network.urls import normalize

SAFETY = 0.05  # as auditor.network.ratelimit: intervals 5 % longer than the rate asks
SOFT_SHARE = 0.6  # the crawl stops itself at this share of the site's time budget
DEFAULT_SITE_BUDGET = 900.0
DEFAULT_TOTAL_RATE = 20.0
FAILED_STATES = ("unreachable", "timeout", "error", "interrupted", "worker-lost")
# The auditor's failures, not the site's: left out of the fleet's pass rate.
AUDITOR_FAILURES = ("worker-lost",)


class FleetError(Exception):
    """Bad sites file or options: one line for the user, exit 2."""


# -- the sites file ------------------------------------------------------------------
@dataclass
class SiteSpec:
    url: str
    name: str = ""
    profile: str | None = None
    slug: str = ""
    line: int = 0

    def label(self) -> str:
        return self.name or self.url


def _normalise(url: str) -> str | None:
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    if url.split("://", 1)[0].lower() not in ("http", "https"):
        return None
    return normalize(url)


def slug_for(url: str, taken: set[str]) -> str:
    parts = urlsplit(url)
    base = (parts.netloc + parts.path).lower().replace(":", "-")
    base = re.sub(r"[^a-z0-9.-]+", "-", base).strip("-.") or "site"
    base = base[:80]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def read_sites(path: str | Path) -> list[SiteSpec]:
    """Read and check the whole sites file before anything is fetched."""
    from auditor.checking.profile import BUILTIN, ProfileError, load_profile

    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FleetError(f"sites file {p} does not exist") from None
    except OSError as exc:
        raise FleetError(f"cannot read sites file {p}: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in a Chinese locale saves GB18030
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FleetError(f"sites file {p} is neither UTF-8 nor GB18030 text")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FleetError(f"sites file {p} is not valid CSV: {exc}") from None
    rows = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)
            and not r[0].lstrip().startswith("#")]
    if not rows:
        raise FleetError(f"sites file {p} is empty (expected a header row with a 'url' column)")
    header_line, header = rows[0]
    cols = [h.strip().lower() for h in header]
    if "url" not in cols:
        raise FleetError(f"{p}:{header_line}: the header row needs a 'url' column (found: {', '.join(cols)})")
    if len(set(cols)) != len(cols):
        raise FleetError(f"{p}:{header_line}: a column name appears twice in the header row")
    at = {c: cols.index(c) for c in ("url", "name", "profile") if c in cols}
    from auditor.operations.inputs import quoted, start_url

    sites: list[SiteSpec] = []
    seen: dict[str, int] = {}
    taken: set[str] = set()
    checked_profiles: dict[str, str | None] = {}
    bad: list[str] = []  # every bad row is reported, not only the first
    for line, row in rows[1:]:
        if len(row) > len(cols):
            bad.append(f"{p}:{line}: {len(row)} fields but the header has {len(cols)} "
                       "(quote values that contain commas)")
            continue
        cell = lambda key: row[at[key]].strip() if key in at and at[key] < len(row) else ""  # noqa: E731
        raw_url = cell("url")
        if not raw_url:
            bad.append(f"{p}:{line}: the url is empty")
            continue
        try:
            url = start_url(raw_url)
        except ValueError as exc:
            bad.append(f"{p}:{line}: {exc}")
            continue
        if url in seen:
            bad.append(f"{p}:{line}: {url if len(url) <= 120 else quoted(url)} is listed twice (first on line {seen[url]})")
            continue
        seen[url] = line
        profile = cell("profile") or None
        if profile:
            ref = profile if profile in BUILTIN or Path(profile).is_absolute() else str((p.parent / profile).resolve())
            if ref not in checked_profiles:
                try:
                    load_profile(ref)
                    checked_profiles[ref] = None
                except ProfileError as exc:
                    checked_profiles[ref] = str(exc)
            if checked_profiles[ref]:
                bad.append(f"{p}:{line}: {checked_profiles[ref]}")
                continue
            profile = ref
        sites.append(SiteSpec(url, cell("name"), profile, slug_for(url, taken), line))
    if bad:
        shown = "; ".join(bad[:10]) + (f"; … and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise FleetError(shown if len(bad) == 1 else f"{len(bad)} bad rows: {shown}")
    if not sites:
        raise FleetError(f"sites file {p} has a header row but no sites")
    return sites


# -- shared pacing ---------------------------------------------------------------------
class Pacer:
    """Fleet-wide request slots: per host (whatever audit asks) and for the fleet as a whole.

    ``reserve(host, interval)`` books the next slot that is at least ``interval``
    after the host's last one and ``1/rate`` after anyone's, and returns how long
    the caller must wait for it.
    """

    def __init__(self, total_rate: float | None) -> None:
        self.global_interval = (1.0 + SAFETY) / total_rate if total_rate else 0.0
        self._next_host: dict[str, float] = {}
        self._next_all = 0.0
        self._lock = threading.Lock()
        self.reserved = 0

    def reserve(self, host: str, interval: float) -> float:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_host.get(host, 0.0), self._next_all)
            self._next_host[host] = slot + float(interval)
            if self.global_interval:
                self._next_all = slot + self.global_interval
            self.reserved += 1
            return slot - now

    def count(self) -> int:
        return self.reserved


class _PacerManager(BaseManager):
    pass


_PacerManager.register("Pacer", Pacer)


class SharedLimiter:
    """Wraps an audit's own RateLimiter: a fleet slot first, then the audit's own pacing.

    The audit's limiter (robots.txt Crawl-delay, 429/503 back-off) still has the last
    word before each request, so its per-host guarantee holds exactly.
    """

    def __init__(self, inner, pacer) -> None:
        self.inner = inner
        self.pacer = pacer
        self.broken: str | None = None

    def wait(self, host: str, stop: threading.Event | None = None, first: bool = False) -> bool:
        """``first``: the audit's browser goes ahead of its crawl in the audit's own limiter."""
        if self.broken is None:
            try:
                delay = float(self.pacer.reserve(host, self.inner.interval(host)))
            except Exception as exc:  # noqa: BLE001 - the pacer went away: keep the audit's own pacing
                self.broken = f"{type(exc).__name__}: {exc}"
                delay = 0.0
            if delay > 0:
                if stop is not None:
                    if stop.wait(delay):
                        return False
                else:
                    time.sleep(delay)
        return self.inner.wait(host, stop, first)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def share_pacing(crawler, pacer) -> None:
    crawler.fetcher.limiter = SharedLimiter(crawler.fetcher.limiter, pacer)


# -- one site (in a worker process, local or Celery) -------------------------------------
@dataclass
class FleetJob:
    """Everything a worker needs besides the site: plain data (pickled or JSON-encoded)."""

    crawl: dict = field(default_factory=dict)
    profile: str | None = None
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    lang: str = "zh"
    as_of: str | None = None
    site_budget: float = DEFAULT_SITE_BUDGET
    history: str | None = None  # read by the uptime gatherer (a path the worker can read)
    total_rate: float | None = DEFAULT_TOTAL_RATE
    formats: tuple[str, ...] = ("html", "json")
    junit_warn: str = "pass"
    run_id: str = ""
    grace: float | None = None  # seconds past the budget before a running audit is killed (default 10 %, 5-60 s)

    def to_json(self) -> dict:
        data = asdict(self)
        data["formats"] = list(self.formats)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "FleetJob":
        data = dict(data)
        data["formats"] = tuple(data.get("formats") or ("html", "json"))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _json_safe(report: dict) -> dict:
    return json.loads(json.dumps(report, ensure_ascii=False, default=str))


# CrawlOptions fields that are tuples (JSON, the Celery transport, makes them lists).
TUPLE_OPTIONS = frozenset({"extra_hosts", "resolve", "connect_to", "axe_sample"})


def audit_site(site: dict, job: dict, pacer=None) -> dict:
    """Audit one site; never raises. Returns {state, reason, report, error, duration}."""
    t0 = time.monotonic()
    try:
        from auditor.operations.audit import AuditConfig, run_audit

        j = FleetJob.from_json(job)
        crawl = CrawlOptions(**{k: (tuple(v) if k in TUPLE_OPTIONS and v is not None else v)
                                for k, v in j.crawl.items() if k in CrawlOptions.__dataclass_fields__})
        if j.site_budget:
            soft = j.site_budget * SOFT_SHARE
            crawl.time_budget = min(crawl.time_budget, soft) if crawl.time_budget else soft
        config = AuditConfig(crawl=crawl, profile=site.get("profile") or j.profile, only=list(j.only),
                             skip=list(j.skip), lang=j.lang,
                             as_of=date.fromisoformat(j.as_of) if j.as_of else None,
                             gather_options={"history": j.history} if j.history else {})
        from auditor.crawl.browser import use_shared

        # The worker's running chromium (see browser_services): fresh contexts, no browser start.
        use_shared(site.get("browser"))

        def hook(crawler) -> None:
            if pacer is not None:
                share_pacing(crawler, pacer)
            if _CHILD_STOPPER is not None:  # a stop signal from the coordinator stops this crawl
                _CHILD_STOPPER.on_stop = lambda _name: crawler.request_stop("interrupted")

        outcome = run_audit(site["url"], config, None, on_crawler=hook)
    except KeyboardInterrupt:
        return {"state": "interrupted", "reason": "interrupted before the crawl started", "report": None,
                "duration": round(time.monotonic() - t0, 2)}
    except Exception as exc:  # noqa: BLE001 - one site's failure is data, never the fleet's end
        return {"state": "error", "reason": f"{type(exc).__name__}: {exc}", "report": None,
                "duration": round(time.monotonic() - t0, 2)}
    state, reason = classify(outcome)
    return {"state": state, "reason": reason, "report": _json_safe(outcome.report),
            "duration": round(time.monotonic() - t0, 2)}


def classify(outcome) -> tuple[str, str | None]:
    from auditor.views.homepage import homepage_unread

    if outcome.snapshot.stop_reason == "interrupted":
        return "interrupted", "interrupted: partial report of what was gathered" \
            if outcome.snapshot.homepage is not None else "interrupted before the homepage was fetched"
    unread = homepage_unread(outcome.snapshot)
    if unread is None or not unread.no_audit:
        return "audited", None
    return "unreachable", unread.reason


_CHILD_STOPPER = None  # in a per-site process: the SIGTERM handler (auditor.operations.signals)


def _child(site: dict, job: dict, conn, pacer, audit_fn) -> None:
    """Worker process entry: Ctrl-C is the coordinator's business (the terminal sends it to
    the whole process group); the coordinator's SIGTERM stops the audit, which then sends
    back the partial report of what it gathered."""
    global _CHILD_STOPPER
    from auditor.operations.signals import StopOnSignal

    _CHILD_STOPPER = StopOnSignal(None, quiet=True)
    with _CHILD_STOPPER:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            result = (audit_fn or audit_site)(site, job, pacer)
        except BaseException as exc:  # noqa: BLE001
            result = {"state": "error", "reason": f"{type(exc).__name__}: {exc}", "report": None, "duration": 0.0}
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the result is on its way: finish sending it
    try:
        conn.send(result)
    finally:
        conn.close()


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# -- the coordinator ------------------------------------------------------------------
@dataclass
class SiteOutcome:
    site: SiteSpec
    state: str
    reason: str | None = None
    report: dict | None = None
    duration: float = 0.0
    paths: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.state in FAILED_STATES


def _context():
    """Fresh processes without fork's hazards: a forkserver that has gov-audit imported
    already (each site starts in milliseconds), or spawn where there is none."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["auditor.operations.fleet", "auditor.operations.audit", "reports.report"])
        return ctx
    return mp.get_context("spawn")


def _grace(budget: float, grace: float | None = None) -> float:
    return grace if grace is not None else max(5.0, min(60.0, budget * 0.1))


STOP_GRACE = 20.0  # seconds the running audits get to send their partial reports after a stop


def run_local(sites: list[SiteSpec], job: FleetJob, *, workers: int = 4,
              on_done: Callable[[SiteOutcome], None] | None = None,
              audit_fn: Callable | None = None, stop_requests: Callable[[], int] | None = None,
              stop_grace: float = STOP_GRACE) -> list[SiteOutcome]:
    """Audit the sites in at most ``workers`` processes at once; returns outcomes in CSV order.

    Each site runs in a fresh process (forked from a clean server process, never
    from this one): one whose audit outlives the site budget is killed.

    A stop (``stop_requests()`` > 0: SIGINT/SIGTERM seen by the caller, or Ctrl-C raising
    KeyboardInterrupt here) starts no more sites and sends SIGTERM to the running audits:
    each stops its crawl and sends back the partial report of what it gathered. Those
    not done within ``stop_grace`` seconds, or at a second stop, are killed. Every
    process started (audits, the pacer's manager) has ended when this returns.
    """
    ctx = _context()
    services = browser_services(job, min(workers, len(sites)))
    free_services = deque(services)
    service_of: dict[int, object] = {}
    manager = _PacerManager(ctx=ctx)
    manager.start(_ignore_sigint)
    pacer = manager.Pacer(job.total_rate)
    payload = job.to_json()
    pending = deque(sites)
    running: dict[int, tuple] = {}
    results: dict[str, SiteOutcome] = {}
    hard = job.site_budget + _grace(job.site_budget, job.grace) if job.site_budget else None
    interrupted = False
    stops = stop_requests or (lambda: 0)
    extra_stops = 0  # KeyboardInterrupts (library callers without a signal handler)
    stop_at: float | None = None

    def finish(slot: int, outcome: SiteOutcome) -> None:
        proc, conn, site, started = running.pop(slot)
        if slot in service_of:
            free_services.append(service_of.pop(slot))
        conn.close()
        proc.join(2)
        if proc.is_alive():
            proc.kill()
            proc.join(2)
        results[site.url] = outcome
        if on_done:
            on_done(outcome)

    def begin_stop() -> None:
        nonlocal interrupted, stop_at
        interrupted = True
        stop_at = time.monotonic()
        for proc, conn, site, started in running.values():
            try:
                proc.terminate()  # SIGTERM: the audit stops and sends its partial report
            except Exception:  # noqa: BLE001 - already gone
                pass
        while pending:
            site = pending.popleft()
            results[site.url] = SiteOutcome(site, "interrupted", "not audited: the fleet was stopped")

    def kill_running(reason: str) -> None:
        for slot, (proc, conn, site, started) in list(running.items()):
            proc.kill()
            finish(slot, SiteOutcome(site, "interrupted", reason, None, round(time.monotonic() - started, 2)))

    try:
        while pending or running:
            try:
                requested = stops() + extra_stops
                if requested and not interrupted:
                    begin_stop()
                if interrupted and running and (requested > 1 or time.monotonic() - stop_at > stop_grace):
                    kill_running("interrupted: stopped before it could report" if requested <= 1
                                 else "interrupted: killed at the second stop request")
                    continue
                while pending and len(running) < workers and not interrupted:
                    site = pending.popleft()
                    parent, child = ctx.Pipe(duplex=False)
                    service = _ready(free_services.popleft()) if free_services else None
                    proc = ctx.Process(target=_child, name=f"gov-audit {site.slug}", daemon=True,
                                       args=({"url": site.url, "profile": site.profile, "name": site.name,
                                              "browser": service.endpoint if service is not None else None},
                                             payload, child, pacer, audit_fn))
                    proc.start()
                    child.close()
                    running[proc.sentinel] = (proc, parent, site, time.monotonic())
                    if service is not None:
                        service_of[proc.sentinel] = service
                mp_wait([r[1] for r in running.values()] + list(running), timeout=0.25)
                now = time.monotonic()
                for slot, (proc, conn, site, started) in list(running.items()):
                    if conn.poll():
                        try:
                            msg = conn.recv()
                        except (EOFError, OSError) as exc:
                            msg = {"state": "error", "reason": f"worker lost: {exc}", "report": None}
                        finish(slot, SiteOutcome(site, msg.get("state", "error"), msg.get("reason"),
                                                 msg.get("report"), round(now - started, 2)))
                    elif not proc.is_alive():
                        finish(slot, SiteOutcome(site, "interrupted", "interrupted before it could report", None,
                                                 round(now - started, 2)) if interrupted else
                               SiteOutcome(site, "error", f"the audit process died (exit code {proc.exitcode})",
                                           None, round(now - started, 2)))
                    elif hard is not None and now - started > hard:
                        proc.kill()
                        finish(slot, SiteOutcome(site, "timeout",
                                                 f"no result within the site budget of {job.site_budget:g} s; "
                                                 "the audit was stopped", None, round(now - started, 2)))
            except KeyboardInterrupt:
                extra_stops += 1
    finally:
        for proc, conn, site, started in running.values():
            proc.kill()
            proc.join(5)
        try:
            manager.shutdown()
        except Exception:  # noqa: BLE001
            pass
        for service in services:
            service.close()
    return [results[s.url] for s in sites if s.url in results]


def browser_services(job: FleetJob, workers: int) -> list:
    """One running chromium per worker slot when the audits use the browser: each site's audit
    process connects to its slot's chromium and makes fresh contexts in it, instead of starting
    (and stopping) a browser of its own. Empty when the browser is off or cannot start (each
    audit then says so in its report, as it would alone)."""
    if (job.crawl.get("render") or "never") == "never":
        return []
    from auditor.crawl.browser import BrowserService, BrowserUnavailable

    services = []
    for _ in range(max(1, workers)):
        try:
            services.append(BrowserService().start())
        except (BrowserUnavailable, OSError):
            break
    return services


def _ready(service):
    """The slot's chromium, started again if it died (a crash on the last site)."""
    if service.alive:
        return service
    service.close()
    try:
        return service.start()
    except Exception:  # noqa: BLE001 - this site's audit starts a browser of its own
        return None


# -- writing the results ------------------------------------------------------------------
def write_site(outcome: SiteOutcome, out: Path, job: FleetJob) -> None:
    """The coordinator writes each site's scorecard and records it in the history store."""
    from auditor.operations.audit import record_history
    from reports.report import write_outputs

    if outcome.report is None:
        return

    def write(trend=None) -> None:
        outcome.paths = {k: str(v) for k, v in write_outputs(outcome.report, out / outcome.site.slug, job.lang,
                                                              job.formats, history=trend,
                                                              junit_warn=job.junit_warn).items()}

    write()  # the outputs first: a locked or broken history never costs them
    if job.history:
        before = len(outcome.report.get("problems") or [])
        trend = record_history(outcome.report, job.history)
        if trend is not None or len(outcome.report.get("problems") or []) != before:
            write(trend)


def _worst(report: dict, n: int = 3) -> list[dict]:
    order = {"fail": 0, "warn": 1}
    bad = [c for c in report.get("checks") or [] if c.get("status") in order]
    bad.sort(key=lambda c: (not (c.get("veto") and c["status"] == "fail"), order[c["status"]],
                            -float(c.get("weight") or 0), c["id"]))
    return bad[:n]


def summarise(outcomes: list[SiteOutcome], lang: str = "zh") -> dict:
    """The fleet page's figures (also fleet.json)."""
    from auditor.checking.check import CATEGORIES

    rows = []
    for o in outcomes:
        r = o.report or {}
        rows.append({
            "name": o.site.name or (r.get("site") or {}).get("title") or o.site.url, "url": o.site.url,
            "slug": o.site.slug, "state": o.state, "reason": o.reason, "duration": o.duration,
            "score": r.get("score"), "verdict": r.get("verdict") if o.report else None,
            "veto": list((r.get("veto") or {}).get("checks") or []), "coverage": r.get("coverage"),
            "counts": r.get("counts") or {}, "partial": bool(r.get("partial")),
            "worst": [{"id": c["id"], "status": c["status"], "veto": bool(c.get("veto")),
                       "title": c.get("title") or {}} for c in _worst(r)] if o.report else [],
            "scorecard": f"{o.site.slug}/scorecard.html" if "html" in o.paths else None,
            "report": f"{o.site.slug}/report.json" if "json" in o.paths else None,
        })
    audited = [x for x in rows if x["state"] == "audited"]
    ranked = sorted(rows, key=lambda x: (x["state"] != "audited", x["score"] is None,
                                         -(x["score"] or 0), x["name"]))
    for i, x in enumerate(ranked, 1):
        x["rank"] = i if x["state"] == "audited" else None
    # Per category: share of judged results that pass, and sites with a failure in it.
    cats: dict[str, dict] = {}
    findings: dict[str, dict] = {}
    for o in outcomes:
        if o.state != "audited" or not o.report:
            continue
        for c in o.report.get("checks") or []:
            k = cats.setdefault(c["category"], {"pass": 0, "warn": 0, "fail": 0, "judged": 0, "sites_failing": set()})
            if c["status"] in ("pass", "warn", "fail"):
                k[c["status"]] += 1
                k["judged"] += 1
            if c["status"] == "fail":
                k["sites_failing"].add(o.site.url)
            if c["status"] in ("fail", "warn"):
                f = findings.setdefault(c["id"], {"id": c["id"], "title": c.get("title") or {},
                                                  "category": c["category"], "veto": bool(c.get("veto")),
                                                  "clause": c.get("clause") or {}, "fail": [], "warn": []})
                f[c["status"]].append(o.site.name or o.site.url)
    categories = []
    for cid, k in cats.items():
        categories.append({"id": cid, "title": CATEGORIES[cid].to_json() if cid in CATEGORIES else {"zh": cid, "en": cid},
                           "judged": k["judged"], "pass": k["pass"], "warn": k["warn"], "fail": k["fail"],
                           "pass_rate": round(k["pass"] / k["judged"], 3) if k["judged"] else None,
                           "sites_failing": len(k["sites_failing"])})
    order = list(CATEGORIES)
    categories.sort(key=lambda c: order.index(c["id"]) if c["id"] in order else len(order))
    shared = sorted(findings.values(), key=lambda f: (-len(f["fail"]), -len(f["warn"]), not f["veto"], f["id"]))
    shared = [f for f in shared if len(f["fail"]) + len(f["warn"]) >= min(2, max(1, len(audited)))]
    passed = [x for x in audited if x["verdict"] == "pass"]
    judged = sum(1 for x in rows if x["state"] not in AUDITOR_FAILURES)
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sites": len(rows), "audited": len(audited), "failed": len(rows) - len(audited),
        "passed": len(passed), "pass_rate": round(len(passed) / judged, 3) if judged else None,
        "average_score": round(sum(x["score"] for x in audited if x["score"] is not None)
                               / max(1, sum(1 for x in audited if x["score"] is not None)), 1) if audited else None,
        "veto_sites": sum(1 for x in audited if x["veto"]),
        "states": dict(Counter(x["state"] for x in rows)),
        "ranking": ranked, "categories": categories, "shared_findings": shared[:30],
        # What the operator asked for and did not get (a history not updated), once each.
        "problems": sorted({p for o in outcomes for p in (o.report or {}).get("problems") or []
                            if p.startswith("history not updated")}),
        "not_passed": [x for x in ranked if x["state"] != "audited" or x["verdict"] != "pass"],
    }


UI = {
    "zh": {"title": "政府网站抽查情况", "sites": "抽查网站", "audited": "完成检查", "passed": "合格",
           "pass_rate": "合格率", "avg": "平均分", "veto_sites": "单项否决网站", "failed": "未能检查",
           "ranking": "网站排名", "rank": "排名", "name": "网站", "score": "得分", "verdict": "结论",
           "veto": "单项否决", "worst": "主要问题", "state": "状态", "categories": "分类通过率",
           "category": "分类", "pass_rate_col": "通过率", "sites_failing": "存在不通过项的网站",
           "judged": "判定项次", "shared": "共性问题", "check": "检查项", "clause": "依据",
           "fail_sites": "不通过的网站", "warn_sites": "警告的网站", "not_passed": "不合格及未能检查的网站",
           "reason": "原因", "generated": "由 gov-audit 生成", "date": "生成时间（北京时间）",
           "duration": "用时（秒）", "none": "无", "below_line": "得分低于合格线",
           "verdicts": {"pass": "合格", "fail": "不合格", "unknown": "无法判断"},
           "states": {"audited": "已检查", "unreachable": "无法访问", "timeout": "超时", "error": "检查出错",
                      "interrupted": "已中断", "worker-lost": "检查节点失联"}},
    "en": {"title": "Government website spot check", "sites": "Sites", "audited": "Audited", "passed": "Passed",
           "pass_rate": "Pass rate", "avg": "Average score", "veto_sites": "Sites failing a veto item",
           "failed": "Could not audit", "ranking": "Ranking", "rank": "#", "name": "Site", "score": "Score",
           "verdict": "Verdict", "veto": "Veto", "worst": "Worst findings", "state": "State",
           "categories": "Pass rate by category", "category": "Category", "pass_rate_col": "Pass rate",
           "sites_failing": "Sites with a failure", "judged": "Results judged", "shared": "Findings shared by many sites",
           "check": "Check", "clause": "Rule", "fail_sites": "Failing sites", "warn_sites": "Warning sites",
           "not_passed": "Sites that failed or could not be audited", "reason": "Reason",
           "generated": "Generated by gov-audit", "date": "Generated (UTC+8)", "duration": "Time (s)",
           "none": "none", "below_line": "score below the pass line",
           "verdicts": {"pass": "PASS", "fail": "FAIL", "unknown": "UNDETERMINED"},
           "states": {"audited": "audited", "unreachable": "unreachable", "timeout": "timeout", "error": "error",
                      "interrupted": "interrupted", "worker-lost": "worker lost"}},
}


def render_fleet_html(summary: dict, lang: str = "zh") -> str:
    from importlib import resources

    from reports.report import _beijing_time, _env, safe_href

    env = _env()
    env.filters["t"] = lambda v: (v.get(lang) or v.get("zh", "")) if isinstance(v, dict) else (v or "")
    env.filters["local_time"] = _beijing_time
    env.filters["safe_href"] = safe_href
    css = resources.files("reports").joinpath("templates/scorecard.css").read_text("utf-8")
    return env.get_template("fleet.html.j2").render(s=summary, lang=lang, ui=UI["en" if lang == "en" else "zh"],
                                                     css=css)


def write_fleet(outcomes: list[SiteOutcome], out: Path, lang: str = "zh") -> dict:
    from reports.report import _atomic_write

    summary = summarise(outcomes, lang)
    out.mkdir(parents=True, exist_ok=True)
    _atomic_write(out / "index.html", render_fleet_html(summary, lang))
    _atomic_write(out / "fleet.json", json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    return summary


def progress_line(outcome: SiteOutcome, done: int, total: int) -> str:
    r = outcome.report or {}
    if outcome.state == "audited":
        what = f"score {r.get('score')}, {r.get('verdict')}" + (
            f", veto {','.join(r['veto']['checks'])}" if (r.get("veto") or {}).get("failed") else "")
    else:
        what = f"{outcome.state}: {outcome.reason}"
    return f"[{done}/{total}] {outcome.site.label()}: {what} ({outcome.duration:.1f} s)"


def new_run_id() -> str:
    return f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"


def default_workers() -> int:
    return max(1, min(8, (os.cpu_count() or 2) * 2))


__all__ = ["FleetError", "FleetJob", "Pacer", "SharedLimiter", "SiteOutcome", "SiteSpec", "audit_site",
           "read_sites", "run_local", "summarise", "write_fleet", "write_site"]
