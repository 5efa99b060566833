"""The fleet on Celery: a real redis-server and a real gov-audit worker, both started here."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from servers import free_port_refusing

from test_fleet import _site

ROOT = Path(__file__).resolve().parent.parent
REDIS = shutil.which("redis-server")

try:
    import celery  # noqa: F401
    import redis
except ImportError as exc:  # pragma: no cover - the dev extra installs both
    pytestmark = pytest.mark.skip(reason=f"celery/redis Python packages not installed ({exc}); "
                                         "pip install -e '.[dev]'")
else:
    if REDIS is None:
        pytestmark = pytest.mark.skip(reason="redis-server not installed (bash scripts/setup --dev installs it)")


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM, wait=10.0) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = _free_port()
    work = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(work), "--protected-mode", "yes"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                _stop(proc)
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    _stop(proc)


@pytest.fixture
def worker(redis_url, tmp_path):
    log = open(tmp_path / "worker.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "worker", "--broker", f"{redis_url}/0",
                             "--concurrency", "2", "--loglevel", "INFO", "--hostname", "test@%h"],
                            stdout=log, stderr=subprocess.STDOUT, env=_env(), cwd=ROOT)
    yield proc, tmp_path / "worker.log"
    _stop(proc)  # SIGTERM: Celery's warm shutdown
    log.close()


def test_fleet_on_celery_workers(redis_url, worker, tmp_path):
    proc, log = worker
    sites = [_site(i, footer=i != 1) for i in range(3)]
    refusing = f"http://127.0.0.1:{free_port_refusing()}/"
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("url,name\n" + "".join(f"{s.url},示例{i}市\n" for i, s in enumerate(sites))
                        + f"{refusing},拒绝连接的网站\n", "utf-8")
    out = tmp_path / "fleet"
    try:
        fleet = subprocess.run([sys.executable, "-m", "auditor", "fleet", str(csv_file), "--out", str(out),
                                "--broker", f"{redis_url}/0", "--timeout", "1", "--site-budget", "30", "--rate", "50",
                                "--host-rate", "100", "--history", str(tmp_path / "h.db"), "--queue-timeout", "40"],
                               capture_output=True, text=True, timeout=90, env=_env(), cwd=ROOT)
    finally:
        for s in sites:
            s.stop()
    assert fleet.returncode == 0, (fleet.stdout, fleet.stderr, log.read_text())
    assert "4 sites, 3 audited" in fleet.stdout and "拒绝连接的网站: unreachable: connection refused" in fleet.stderr
    summary = json.loads((out / "fleet.json").read_text("utf-8"))
    assert summary["audited"] == 3 and summary["states"]["unreachable"] == 1
    for row in summary["ranking"]:
        assert (out / row["slug"] / "scorecard.html").is_file()
        assert (out / row["slug"] / "report.json").is_file()
    report = json.loads((out / summary["ranking"][0]["slug"] / "report.json").read_text("utf-8"))
    assert report["schema_version"].startswith("1.") and report["checks"]
    # The coordinator wrote the history (the workers only sent their reports back).
    with sqlite3.connect(tmp_path / "h.db") as db:
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 4
    # The worker ran the tasks, and paced its requests through Redis.
    text = log.read_text()
    assert text.count("succeeded in") == 4 and "'report'" not in text
    client = redis.Redis.from_url(f"{redis_url}/0")
    assert client.exists("gov-audit:pace:host:127.0.0.1")


def test_fleet_without_a_worker_gives_up_cleanly(redis_url, tmp_path):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("url\nhttp://127.0.0.1:9/\n", "utf-8")
    t0 = time.monotonic()
    fleet = subprocess.run([sys.executable, "-m", "auditor", "fleet", str(csv_file), "--out", str(tmp_path / "o"),
                            "--broker", f"{redis_url}/5", "--queue-timeout", "1.5"],
                           capture_output=True, text=True, timeout=60, env=_env(), cwd=ROOT)
    assert fleet.returncode == 0, fleet.stderr
    assert "no worker took the task" in fleet.stderr and time.monotonic() - t0 < 15
    assert json.loads((tmp_path / "o" / "fleet.json").read_text("utf-8"))["states"] == {"error": 1}


def test_unreachable_broker_is_a_one_line_error(tmp_path):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("url\nhttp://127.0.0.1:9/\n", "utf-8")
    fleet = subprocess.run([sys.executable, "-m", "auditor", "fleet", str(csv_file), "--out", str(tmp_path / "o"),
                            "--broker", f"redis://127.0.0.1:{free_port_refusing()}/0"],
                           capture_output=True, text=True, timeout=90, env=_env(), cwd=ROOT)
    assert fleet.returncode == 2, (fleet.stdout, fleet.stderr)
    assert fleet.stderr.startswith("gov-audit: error: cannot use broker") and "Traceback" not in fleet.stderr
