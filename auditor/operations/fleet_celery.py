"""The fleet on Celery: one task per site, run by ``gov-audit worker`` processes anywhere.

``gov-audit fleet SITES.csv --broker redis://HOST:6379/0`` sends one
``gov_audit.audit_site`` task per site; ``gov-audit worker --broker …`` runs them
(Celery's prefork pool, one site per pool process). The task returns the site's
report dict through the result backend (the broker's Redis unless ``--backend``),
and the coordinator writes the scorecards, the history and the fleet page as the
in-process runner does. Per-site budgets are Celery time limits (soft: the audit
is told to stop; hard: the pool process is killed). With a Redis broker, every
worker takes its request slots from Redis (a Lua script over shared keys), so
each host keeps its per-host rate and the fleet its total ``--rate`` across machines.

Celery and redis are optional: ``pip install gov-audit[fleet]``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from auditor.operations.fleet import FleetJob, SiteOutcome, SiteSpec, _grace, audit_site

TASK = "gov_audit.audit_site"
QUEUE = "gov-audit"

_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local slot = now
local h = tonumber(redis.call('GET', KEYS[1]) or '0')
if h > slot then slot = h end
local gi = tonumber(ARGV[2])
if gi > 0 then
  local g = tonumber(redis.call('GET', KEYS[2]) or '0')
  if g > slot then slot = g end
  redis.call('SET', KEYS[2], tostring(slot + gi), 'EX', 3600)
end
redis.call('SET', KEYS[1], tostring(slot + tonumber(ARGV[1])), 'EX', 3600)
return tostring(slot - now)
"""


class CeleryMissing(Exception):
    pass


def _celery():
    try:
        import celery  # noqa: F401
    except ImportError:
        raise CeleryMissing("the fleet on Celery needs the optional packages: pip install 'gov-audit[fleet]'") from None
    from celery import Celery

    return Celery


class RedisPacer:
    """auditor.operations.fleet.Pacer over Redis: the same slots for every worker on every machine."""

    def __init__(self, url: str, run_id: str, total_rate: float | None) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)
        self.script = self.client.register_script(_RESERVE)
        self.global_key = f"gov-audit:pace:run:{run_id}"
        self.global_interval = 1.05 / total_rate if total_rate else 0.0

    def reserve(self, host: str, interval: float) -> float:
        out = self.script(keys=[f"gov-audit:pace:host:{host}", self.global_key],
                          args=[repr(float(interval)), repr(float(self.global_interval))])
        return max(0.0, float(out))


# How the coordinator treats the broker and the workers (see docs/fleet.md).
BROKER_PATIENCE = 60.0  # seconds of broker outage the coordinator rides out before giving up
SOCKET_TIMEOUT = 5.0  # a frozen Redis is an error after this long, never a silent hang
PING_EVERY = 2.0  # seconds between pings of the workers running this fleet's tasks
PING_MISSES = 3  # unanswered pings in a row before a worker counts as lost


def make_app(broker: str, backend: str | None = None, *, budget: float | None = None, worker: bool = False):
    """``budget``: the longest a task may run (hard limit); the broker's visibility timeout is
    set just past it, so a task whose worker died unacknowledged is handed out again (late
    acknowledgement) only when no live worker can still be running it."""
    Celery = _celery()
    app = Celery("gov_audit", broker=broker, backend=backend or broker)
    visibility = (budget or 900.0) + 120.0
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_track_started=True, task_acks_late=True, worker_prefetch_multiplier=1,
        task_default_queue=QUEUE, result_expires=7 * 86400, broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # A pool process that dies mid-task sends the task back to the queue (late ack).
        task_reject_on_worker_lost=True,
        result_extended=False,
        broker_transport_options={"visibility_timeout": visibility, "socket_timeout": SOCKET_TIMEOUT,
                                  "socket_connect_timeout": SOCKET_TIMEOUT},
        redis_socket_timeout=SOCKET_TIMEOUT, redis_socket_connect_timeout=SOCKET_TIMEOUT,
        # Bounded reconnects: a worker keeps a finished report through a Redis restart ...
        result_backend_always_retry=worker, result_backend_max_retries=30 if worker else 0,
        broker_connection_max_retries=30 if worker else 3,
    )

    @app.task(name=TASK, bind=True)
    def audit_site_task(self, site: dict, job: dict) -> dict:
        pacer = None
        if job.get("pacer_url"):
            try:
                pacer = RedisPacer(job["pacer_url"], job.get("run_id") or "default", job.get("total_rate"))
            except Exception:  # noqa: BLE001 - without Redis pacing, the audit's own per-host rate holds
                pacer = None
        if ((job.get("crawl") or {}).get("render") or "never") != "never":
            # One chromium per pool process, kept across the sites it audits (fresh contexts each).
            from auditor.crawl.browser import process_service

            service = process_service()
            site = dict(site, browser=service.endpoint if service is not None else None)
        result = audit_site(site, job, pacer)
        result["worker"] = self.request.hostname
        return result

    return app


def run_worker(broker: str, backend: str | None = None, concurrency: int = 2, loglevel: str = "INFO",
               queue: str = QUEUE, hostname: str | None = None) -> None:
    app = make_app(broker, backend, worker=True)
    try:  # a report is large: log that a task succeeded, not its whole return value
        from celery.app import trace

        trace.LOG_SUCCESS = "Task %(name)s[%(id)s] succeeded in %(runtime)ss"
    except (ImportError, AttributeError):
        pass
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "-Q", queue,
            "--pool=prefork", "--without-gossip", "--without-mingle"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)


def _broker_errors() -> tuple:
    """Exceptions that mean "the broker or result backend cannot be reached right now"."""
    errors: list = [ConnectionError, TimeoutError, OSError]
    try:
        import redis

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:
        pass
    try:
        import kombu.exceptions

        errors.append(kombu.exceptions.OperationalError)
    except ImportError:
        pass
    return tuple(errors)


def run_celery(sites: list[SiteSpec], job: FleetJob, broker: str, backend: str | None = None, *,
               on_done: Callable[[SiteOutcome], None] | None = None, queue: str = QUEUE,
               queue_timeout: float | None = None, broker_patience: float = BROKER_PATIENCE,
               say: Callable[[str], None] | None = None) -> list[SiteOutcome]:
    """Dispatch one task per site and collect the results as they come.

    - A site whose task has run longer than its budget (plus grace) is revoked and reported
      as ``timeout``; if no task starts or finishes for ``queue_timeout`` seconds (no worker
      listening), the sites still queued are reported as errors.
    - A worker that stops answering pings while it runs a site's task is lost: the task is
      sent again once (another worker takes it); lost twice, the site is reported
      ``worker-lost`` — the auditor's failure, not the site's (not in its pass rate).
    - The broker going away is ridden out for ``broker_patience`` seconds (reconnecting);
      past that, the sites without a result are reported as such and the results already
      received are kept (the caller writes them and the fleet page).
    """
    hard = (job.site_budget + _grace(job.site_budget, job.grace)) if job.site_budget else None
    app = make_app(broker, backend, budget=hard)
    _connect(app)
    dispatch = _Dispatch(app, job, broker, queue=queue, hard=hard,
                         queue_timeout=queue_timeout or ((hard or 900.0) + 60.0),
                         broker_patience=broker_patience, say=say or (lambda text: None), on_done=on_done)
    for site in sites:
        dispatch.send(site)
    dispatch.collect()
    return [dispatch.results[s.url] for s in sites if s.url in dispatch.results]


def _connect(app) -> None:
    """Fail in a second, not after Celery's minute of publish retries, when the broker is not there."""
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0.2, interval_step=0.2, timeout=5)


@dataclass
class _Task:
    """One site's task in flight."""

    result: Any  # celery AsyncResult
    site: SiteSpec
    sent: float  # time.monotonic() when sent
    started: float | None = None  # … when a worker reported it started
    host: str | None = None  # that worker's name
    retried: bool = False  # sent again after its first worker was lost

    def elapsed(self, now: float) -> float:
        return round(now - (self.started or self.sent), 2)


class _Dispatch:
    """The coordinator's state while the fleet runs: the tasks in flight and the results in."""

    def __init__(self, app, job: FleetJob, broker: str, *, queue: str, hard: float | None,
                 queue_timeout: float, broker_patience: float, say: Callable[[str], None],
                 on_done: Callable[[SiteOutcome], None] | None) -> None:
        self.app, self.job, self.broker, self.queue = app, job, broker, queue
        self.soft, self.hard = job.site_budget or None, hard
        self.queue_timeout, self.broker_patience = queue_timeout, broker_patience
        self.say, self.on_done = say, on_done
        self.errors = _broker_errors()
        self.payload = job.to_json()
        if broker.startswith(("redis://", "rediss://", "unix://")):
            self.payload["pacer_url"] = broker
        self.pending: dict[str, _Task] = {}
        self.results: dict[str, SiteOutcome] = {}
        self.last_progress = time.monotonic()
        self.misses: dict[str, int] = {}  # worker -> pings in a row it did not answer
        self.last_ping = 0.0
        self.outage_since: float | None = None

    # -- sending and settling ------------------------------------------------------------
    def send(self, site: SiteSpec, retried: bool = False) -> None:
        res = self.app.send_task(TASK, args=[{"url": site.url, "profile": site.profile, "name": site.name},
                                             self.payload],
                                 queue=self.queue, soft_time_limit=self.soft, time_limit=self.hard)
        self.pending[res.id] = _Task(res, site, time.monotonic(), retried=retried)

    def done(self, task_id: str, outcome: SiteOutcome) -> None:
        self.pending.pop(task_id, None)
        self.results[outcome.site.url] = outcome
        self.last_progress = time.monotonic()
        if self.on_done:
            self.on_done(outcome)

    def lost(self, task_id: str, task: _Task, why: str) -> None:
        """A worker died with the task: send it once more, else report the site worker-lost."""
        try:
            task.result.revoke()  # the unacknowledged message, if ever handed out again, is dropped
        except self.errors:
            pass
        if not task.retried:
            self.pending.pop(task_id, None)
            self.say(f"{task.site.label()}: {why}; sending the site to another worker")
            self.send(task.site, retried=True)
            return
        self.done(task_id, SiteOutcome(task.site, "worker-lost", f"worker lost twice ({why}); the site was not judged",
                                       None, task.elapsed(time.monotonic())))

    # -- one round of polling ------------------------------------------------------------
    def poll(self) -> None:
        now = time.monotonic()
        for task_id, task in list(self.pending.items()):
            self.settle(task_id, task, now)
        self.give_up_when_idle()
        self.ping_workers()

    def settle(self, task_id: str, task: _Task, now: float) -> None:
        """Take in one task's state: its result, its failure, its start, or its overrun."""
        res, site = task.result, task.site
        state = res.state
        note = " (sent again after its first worker was lost)" if task.retried else ""
        if state == "SUCCESS":
            msg = res.get(timeout=30, propagate=False) or {}
            took = msg.get("duration") or task.elapsed(now)
            reason = msg.get("reason")
            self.done(task_id, SiteOutcome(site, msg.get("state", "error"), (reason or "") + note or None,
                                           msg.get("report"), took))
        elif state in ("FAILURE", "REVOKED"):
            exc = res.result
            name = type(exc).__name__ if isinstance(exc, BaseException) else str(state)
            if "WorkerLost" in name:
                self.lost(task_id, task, f"{name}: {exc}")
                return
            kind = "timeout" if "TimeLimit" in name else "error"
            reason = (f"no result within the site budget of {self.job.site_budget:g} s" if kind == "timeout"
                      else f"{name}: {exc}")
            self.done(task_id, SiteOutcome(site, kind, reason + note, None, task.elapsed(now)))
        elif state == "STARTED" and task.started is None:
            info = res.info if isinstance(res.info, dict) else {}
            task.started, task.host = now, info.get("hostname")
            self.last_progress = now
        elif task.started is not None and self.hard is not None and now - task.started > self.hard + 30:
            res.revoke(terminate=True, signal="SIGKILL")
            self.done(task_id, SiteOutcome(site, "timeout",
                                           f"no result within the site budget of {self.job.site_budget:g} s",
                                           None, task.elapsed(now)))

    def give_up_when_idle(self) -> None:
        """No task started or finished for queue_timeout: no worker is listening."""
        if self.pending and time.monotonic() - self.last_progress > self.queue_timeout:
            for task_id, task in list(self.pending.items()):
                task.result.revoke()
                self.done(task_id, SiteOutcome(task.site, "error",
                                               f"no worker took the task within {self.queue_timeout:g} s "
                                               f"(is 'gov-audit worker --broker …' running?)"))

    def ping_workers(self) -> None:
        """Ping the workers running tasks; one silent PING_MISSES times in a row is lost."""
        running = {t.host for t in self.pending.values() if t.started is not None and t.host}
        if not running or time.monotonic() - self.last_ping < PING_EVERY:
            return
        self.last_ping = time.monotonic()
        replies = self.app.control.ping(destination=sorted(running), timeout=1.5) or []
        alive = {name for reply in replies for name in reply}
        for host in running:
            self.misses[host] = 0 if host in alive else self.misses.get(host, 0) + 1
        for task_id, task in list(self.pending.items()):
            if task.host in running and self.misses.get(task.host, 0) >= PING_MISSES:
                self.lost(task_id, task, f"worker {task.host} stopped answering")

    # -- the loop ------------------------------------------------------------------------
    def collect(self) -> None:
        """Poll until every site has a result, riding out broker outages; Ctrl-C revokes the rest."""
        try:
            while self.pending:
                try:
                    self.poll()
                    self.broker_back()
                except self.errors as exc:
                    if not self.ride_out(exc):
                        break
                    time.sleep(1.0)
                    continue
                if self.pending:
                    time.sleep(0.2)
        except KeyboardInterrupt:
            self.interrupt()

    def broker_back(self) -> None:
        if self.outage_since is not None:
            self.say(f"the broker is back after {time.monotonic() - self.outage_since:.0f} s")
        self.outage_since = None

    def ride_out(self, exc: BaseException) -> bool:
        """The broker cannot be reached: wait (True) until broker_patience is spent, then report
        the sites without a result as such (False)."""
        now = time.monotonic()
        if self.outage_since is None:
            self.outage_since = now
            self.say(f"the broker {self.broker} cannot be reached ({type(exc).__name__}); "
                     f"retrying for up to {self.broker_patience:g} s")
        if now - self.outage_since > self.broker_patience:
            for task_id, task in list(self.pending.items()):
                self.done(task_id, SiteOutcome(task.site, "error",
                                               f"no result: the broker {self.broker} was unreachable for "
                                               f"{self.broker_patience:g} s ({type(exc).__name__}: {str(exc)[:120]})"))
            return False
        self.last_progress = now  # an outage is not "no worker took the task"
        for task in self.pending.values():
            if task.started is not None:
                task.started += 1.0  # nor time the sites spent auditing
        return True

    def interrupt(self) -> None:
        for task in list(self.pending.values()):
            try:
                task.result.revoke(terminate=True, signal="SIGKILL")
            except self.errors:
                pass
            self.results[task.site.url] = SiteOutcome(task.site, "interrupted", "interrupted")
        self.pending.clear()
