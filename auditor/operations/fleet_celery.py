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
from typing import Callable

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
    app = make_app(broker, backend, budget=(job.site_budget + _grace(job.site_budget, job.grace))
                   if job.site_budget else None)
    errors = _broker_errors()
    say = say or (lambda text: None)
    # Fail in a second, not after Celery's minute of publish retries, when the broker is not there.
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0.2, interval_step=0.2, timeout=5)
    payload = job.to_json()
    if broker.startswith(("redis://", "rediss://", "unix://")):
        payload["pacer_url"] = broker
    soft = job.site_budget or None
    hard = (job.site_budget + _grace(job.site_budget, job.grace)) if job.site_budget else None
    queue_timeout = queue_timeout or ((hard or 900.0) + 60.0)
    pending: dict[str, list] = {}  # task id -> [result, site, sent, started, hostname, retried]

    def send(site: SiteSpec, retried: bool = False) -> None:
        res = app.send_task(TASK, args=[{"url": site.url, "profile": site.profile, "name": site.name}, payload],
                            queue=queue, soft_time_limit=soft, time_limit=hard)
        pending[res.id] = [res, site, time.monotonic(), None, None, retried]

    for site in sites:
        send(site)
    results: dict[str, SiteOutcome] = {}
    last_progress = time.monotonic()
    misses: dict[str, int] = {}
    last_ping = 0.0
    outage_since: float | None = None

    def done(task_id: str, outcome: SiteOutcome) -> None:
        nonlocal last_progress
        pending.pop(task_id, None)
        results[outcome.site.url] = outcome
        last_progress = time.monotonic()
        if on_done:
            on_done(outcome)

    def poll() -> None:
        nonlocal last_progress, last_ping
        now = time.monotonic()
        for task_id, entry in list(pending.items()):
            res, site, sent, started, host, retried = entry
            state = res.state
            note = " (sent again after its first worker was lost)" if retried else ""
            if state == "SUCCESS":
                msg = res.get(timeout=30, propagate=False) or {}
                took = msg.get("duration") or round(now - (started or sent), 2)
                reason = msg.get("reason")
                done(task_id, SiteOutcome(site, msg.get("state", "error"), (reason or "") + note or None,
                                          msg.get("report"), took))
            elif state in ("FAILURE", "REVOKED"):
                exc = res.result
                name = type(exc).__name__ if isinstance(exc, BaseException) else str(state)
                if "WorkerLost" in name:
                    lost(task_id, entry, f"{name}: {exc}")
                    continue
                kind = "timeout" if "TimeLimit" in name else "error"
                reason = (f"no result within the site budget of {job.site_budget:g} s" if kind == "timeout"
                          else f"{name}: {exc}")
                done(task_id, SiteOutcome(site, kind, reason + note, None, round(now - (started or sent), 2)))
            elif state == "STARTED" and started is None:
                info = res.info if isinstance(res.info, dict) else {}
                entry[3], entry[4] = now, info.get("hostname")
                last_progress = now
            elif started is not None and hard is not None and now - started > hard + 30:
                res.revoke(terminate=True, signal="SIGKILL")
                done(task_id, SiteOutcome(site, "timeout",
                                          f"no result within the site budget of {job.site_budget:g} s",
                                          None, round(now - started, 2)))
        if pending and time.monotonic() - last_progress > queue_timeout:
            for task_id, entry in list(pending.items()):
                entry[0].revoke()
                done(task_id, SiteOutcome(entry[1], "error", f"no worker took the task within {queue_timeout:g} s "
                                                             f"(is 'gov-audit worker --broker …' running?)"))
        running = {e[4] for e in pending.values() if e[3] is not None and e[4]}
        if running and time.monotonic() - last_ping >= PING_EVERY:
            last_ping = time.monotonic()
            replies = app.control.ping(destination=sorted(running), timeout=1.5) or []
            alive = {name for reply in replies for name in reply}
            for host in running:
                misses[host] = 0 if host in alive else misses.get(host, 0) + 1
            for task_id, entry in list(pending.items()):
                if entry[4] in running and misses.get(entry[4], 0) >= PING_MISSES:
                    lost(task_id, entry, f"worker {entry[4]} stopped answering")

    def lost(task_id: str, entry: list, why: str) -> None:
        res, site, sent, started, host, retried = entry
        try:
            res.revoke()  # the unacknowledged message, if ever handed out again, is dropped
        except errors:
            pass
        if not retried:
            pending.pop(task_id, None)
            say(f"{site.label()}: {why}; sending the site to another worker")
            send(site, retried=True)
            return
        done(task_id, SiteOutcome(site, "worker-lost", f"worker lost twice ({why}); the site was not judged",
                                  None, round(time.monotonic() - (started or sent), 2)))

    try:
        while pending:
            try:
                poll()
                if outage_since is not None:
                    say(f"the broker is back after {time.monotonic() - outage_since:.0f} s")
                outage_since = None
            except errors as exc:
                now = time.monotonic()
                if outage_since is None:
                    outage_since = now
                    say(f"the broker {broker} cannot be reached ({type(exc).__name__}); "
                        f"retrying for up to {broker_patience:g} s")
                if now - outage_since > broker_patience:
                    for task_id, entry in list(pending.items()):
                        done(task_id, SiteOutcome(entry[1], "error",
                                                  f"no result: the broker {broker} was unreachable for "
                                                  f"{broker_patience:g} s ({type(exc).__name__}: {str(exc)[:120]})"))
                    break
                last_progress = now  # an outage is not "no worker took the task"
                for entry in pending.values():
                    if entry[3] is not None:
                        entry[3] += 1.0  # nor time the sites spent auditing
                time.sleep(1.0)
                continue
            if pending:
                time.sleep(0.2)
    except KeyboardInterrupt:
        for task_id, entry in list(pending.items()):
            try:
                entry[0].revoke(terminate=True, signal="SIGKILL")
            except errors:
                pass
            results[entry[1].url] = SiteOutcome(entry[1], "interrupted", "interrupted")
        pending.clear()
    return [results[s.url] for s in sites if s.url in results]
