"""The Celery fleet on a bad day (issue 15 items 4 and 5), with a real redis-server and real
`gov-audit worker` processes started here: a worker killed with SIGKILL mid-site, a Redis
restart, and a Redis that never comes back."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import test_fleet_celery as base
from servers import LoopbackSite, Response, page
from test_fleet_celery import REDIS, _env, _free_port, _stop

ROOT = Path(__file__).resolve().parent.parent
# The same skips as the Celery tests (no redis-server, no celery/redis packages), and more time.
pytestmark = [m for m in [getattr(base, "pytestmark", None)] if m is not None] + [pytest.mark.timeout(150)]


class Redis:
    """A redis-server that can be stopped and started again on the same port."""

    def __init__(self, work: Path) -> None:
        self.port = _free_port()
        self.work = work
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        import redis

        self.proc = subprocess.Popen([REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.work)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return self
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise AssertionError("redis-server did not start")
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


@pytest.fixture
def redis_server(tmp_path):
    server = Redis(tmp_path).start()
    yield server
    server.stop()


def start_worker(url: str, name: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "auditor", "worker", "--broker", url, "--concurrency", "1",
                             "--loglevel", "INFO", "--hostname", f"{name}@%h"],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, env=_env(), cwd=ROOT,
                            start_new_session=True)


def start_fleet(csv: Path, out: Path, url: str, *extra: str, stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "auditor", "fleet", str(csv), "--out", str(out), "--broker", url,
                             "--render", "never", "--only", "identity.icp", "--host-rate", "100", "--rate", "100",
                             "--site-budget", "60", "--queue-timeout", "90", *extra],
                            stdout=subprocess.PIPE, stderr=stderr, text=True, env=_env(), cwd=ROOT)


def slow_site(seconds: float, pages: int) -> LoopbackSite:
    def route(handler):
        time.sleep(seconds)
        return Response(page("慢页面", "<p>正文</p>"))
    links = "".join(f"<a href='/p{i}.html'>p{i}</a>" for i in range(pages))
    return LoopbackSite({"/": page("示例市人民政府", "<p>" + "示例。" * 50 + "</p>" + links),
                         "/robots.txt": Response("", 404), "*": route}).start()


def wait_for(cond, what: str, limit: float = 60.0) -> None:
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def test_a_lost_worker_is_the_auditors_failure_and_the_site_goes_to_another_worker(redis_server, tmp_path):
    site = slow_site(0.5, 60)
    workers = {name: start_worker(redis_server.url, name, tmp_path / f"{name}.log") for name in ("one", "two")}
    log = {name: tmp_path / f"{name}.log" for name in workers}
    try:
        for name in workers:
            wait_for(lambda: "ready" in log[name].read_text(), f"worker {name} to be ready")
        csv = tmp_path / "sites.csv"
        csv.write_text(f"url,name\n{site.url},慢网站\n", "utf-8")
        fleet = start_fleet(csv, tmp_path / "fleet", redis_server.url)
        wait_for(lambda: any("received" in log[n].read_text() for n in workers), "a worker to take the site")
        wait_for(lambda: len(site.hits()) >= 3, "the site to be under audit")
        busy = next(n for n in workers if "received" in log[n].read_text())
        idle = next(n for n in workers if n != busy)
        kill_group(workers[busy])  # kill -9: the worker and its pool are gone, the task unacknowledged
        out, err = fleet.communicate(timeout=120)
    finally:
        for proc in workers.values():
            kill_group(proc)
        site.stop()
    assert fleet.returncode == 0, (out, err)
    assert "stopped answering; sending the site to another worker" in err
    summary = json.loads((tmp_path / "fleet" / "fleet.json").read_text("utf-8"))
    row = summary["ranking"][0]
    assert row["state"] == "audited" and "sent again after its first worker was lost" in row["reason"]
    assert "succeeded in" in log[idle].read_text()


def test_a_redis_restart_is_ridden_out(redis_server, tmp_path):
    fast, slow = slow_site(0.0, 2), slow_site(0.4, 14)
    worker = start_worker(redis_server.url, "w", tmp_path / "w.log")
    try:
        wait_for(lambda: "ready" in (tmp_path / "w.log").read_text(), "the worker to be ready")
        csv = tmp_path / "sites.csv"
        csv.write_text(f"url,name\n{fast.url},快网站\n{slow.url},慢网站\n", "utf-8")
        err_path = tmp_path / "fleet.err"
        with err_path.open("w") as err_file:
            fleet = start_fleet(csv, tmp_path / "fleet", redis_server.url, "--broker-patience", "60", stderr=err_file)
        wait_for(lambda: list((tmp_path / "fleet").glob("*/report.json")), "the first site's report")
        wait_for(lambda: len(slow.hits()) >= 2, "the slow site to be audited")
        redis_server.stop()
        # Down until the coordinator has seen it (a restart quicker than its next look is no outage).
        wait_for(lambda: "cannot be reached" in err_path.read_text(), "the coordinator to notice the broker is gone")
        redis_server.start()  # a restart: everything Redis held is gone
        fleet.communicate(timeout=120)
        err = err_path.read_text()
    finally:
        _stop(worker)
        fast.stop()
        slow.stop()
    summary = json.loads((tmp_path / "fleet" / "fleet.json").read_text("utf-8"))
    assert "cannot be reached" in err and "the broker is back" in err, err
    assert fleet.returncode == 0, err
    assert [r["state"] for r in summary["ranking"]] == ["audited", "audited"]


def test_a_broker_that_does_not_come_back_keeps_the_results_received(redis_server, tmp_path):
    fast, slow = slow_site(0.0, 2), slow_site(0.5, 40)
    worker = start_worker(redis_server.url, "w", tmp_path / "w.log")
    try:
        wait_for(lambda: "ready" in (tmp_path / "w.log").read_text(), "the worker to be ready")
        csv = tmp_path / "sites.csv"
        csv.write_text(f"url,name\n{fast.url},快网站\n{slow.url},慢网站\n", "utf-8")
        fleet = start_fleet(csv, tmp_path / "fleet", redis_server.url, "--broker-patience", "3")
        wait_for(lambda: list((tmp_path / "fleet").glob("*/report.json")), "the first site's report")
        wait_for(lambda: len(slow.hits()) >= 2, "the slow site to be audited")
        redis_server.stop()
        out, err = fleet.communicate(timeout=120)
    finally:
        _stop(worker, sig=signal.SIGKILL)
        fast.stop()
        slow.stop()
    assert fleet.returncode == 2 and "Traceback" not in err, err
    summary = json.loads((tmp_path / "fleet" / "fleet.json").read_text("utf-8"))
    assert (tmp_path / "fleet" / "index.html").exists()
    states = {r["name"]: (r["state"], r["reason"]) for r in summary["ranking"]}
    assert states["快网站"][0] == "audited"  # received before the outage: written
    assert states["慢网站"][0] == "error" and "the broker" in states["慢网站"][1] and "unreachable" in states["慢网站"][1]
