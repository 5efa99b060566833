"""History store, the score trend on the scorecard, gov-audit monitor and the site.uptime check."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from auditor.operations.audit import AuditConfig, run_audit
from auditor.crawl.crawler import CrawlOptions
from reports.history import SCHEMA_VERSION, History, HistoryError, Sample, sparkline
from auditor.operations.monitor import parse_interval
from checks.site_uptime import classify
from servers import LoopbackSite, Response, page

ROOT = Path(__file__).resolve().parent.parent
BODY = "<p>" + "示例市人民政府门户网站。" * 30 + "</p><div class='footer'>主办单位：示例市 鲁ICP备12345678号-1</div>"
DAY = 86400.0


def _cli(*args, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


# -- the store -------------------------------------------------------------------------
def test_schema_is_created_and_versioned(tmp_path):
    db = tmp_path / "h.db"
    with History.open(db) as h:
        assert h.version() == SCHEMA_VERSION
    with History.open(db) as h:  # reopening applies nothing twice
        rows = h.db.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == list(range(1, SCHEMA_VERSION + 1))
    raw = sqlite3.connect(db)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"schema_migrations", "runs", "run_checks", "samples"} <= tables
    raw.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', 'x')")
    raw.commit()
    raw.close()
    with pytest.raises(HistoryError, match="newer"):
        History.open(db)


def test_not_a_database_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(HistoryError, match="not a gov-audit history"):
        History.open(junk)
    proc = _cli("audit", "http://127.0.0.1:1/", "--out", str(tmp_path / "o"), "--history", str(junk))
    assert proc.returncode == 2 and proc.stderr.startswith("gov-audit: error:")
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = _cli("monitor", "http://127.0.0.1:1/", "--history", str(tmp_path / "no" / "such" / "h.db"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_runs_and_trend_on_the_scorecard(tmp_path):
    db = str(tmp_path / "h.db")
    pages = {"/": page("示例市人民政府", BODY)}
    with LoopbackSite(pages) as site:
        scores = []
        for i in range(3):
            if i == 2:  # the footer disappears: identity checks fail on the last run
                site.routes["/"] = page("示例市人民政府", "<p>" + "示例市人民政府门户网站。" * 30 + "</p>")
            out = run_audit(site.url, AuditConfig(crawl=CrawlOptions(rate=500), history=db,
                                                  only=["identity.*", "site.*"]), tmp_path / f"o{i}")
            scores.append(out.report["score"])
        url = site.url
    with History.open(db) as h:
        runs = h.runs(url)
        assert [r["score"] for r in runs] == scores
        trend = h.trend(url)
    assert [x["status"] for x in trend["checks"]["identity.icp"]] == ["pass", "pass", "fail"]
    html = (tmp_path / "o2" / "scorecard.html").read_text("utf-8")
    assert "<svg" in html and "<polyline" in html and "<script" not in html
    assert "3 次检查" in html
    assert html.count('title="近期结果"') >= 3
    first = (tmp_path / "o0" / "scorecard.html").read_text("utf-8")
    assert "1 次检查" in first
    # Without --history, no trend section.
    with LoopbackSite(pages) as site:
        out = run_audit(site.url, AuditConfig(crawl=CrawlOptions(rate=500), only=["site.available"]), tmp_path / "p")
    assert "<svg" not in out.paths["html"].read_text("utf-8")


def test_sparkline_scale_and_gaps():
    s = sparkline([100, None, 0, 50], pass_line=60, width=100, height=24, pad=2)
    assert len(s["segments"]) == 2 and len(s["dots"]) == 3
    ys = [d["y"] for d in s["dots"]]
    assert ys[0] == 2.0 and ys[1] == 22.0 and ys[2] == 12.0
    assert s["pass_y"] == 10.0
    assert sparkline([])["count"] == 0


def test_intervals():
    assert parse_interval("200ms") == pytest.approx(0.2)
    assert parse_interval("5s") == 5 and parse_interval("30m") == 1800 and parse_interval("1h") == 3600
    assert parse_interval("2") == 2 and parse_interval("1.5d") == 1.5 * DAY
    for bad in ("fast", "0s", "-1m", "5 weeks"):
        with pytest.raises(ValueError):
            parse_interval(bad)


# -- gov-audit monitor -----------------------------------------------------------------------
class Flaky:
    """Homepage route: down (503, hanging past the probe limit, or dropped) on chosen probes."""

    def __init__(self, down_503=(), hang=(), drop=()):
        self.n = 0
        self.lock = threading.Lock()
        self.down_503, self.hang, self.drop = set(down_503), set(hang), set(drop)

    def __call__(self, handler):
        with self.lock:
            self.n += 1
            n = self.n
        if n in self.down_503:
            return Response("<h1>Service Unavailable</h1>", 503)
        if n in self.hang:
            time.sleep(1.0)
        if n in self.drop:
            return None  # close the connection without an answer
        return Response(page("示例市人民政府", BODY))


def test_monitor_stores_samples_of_a_site_that_goes_down(tmp_path):
    db = tmp_path / "h.db"
    # 503 once (the fetcher then slows down, as after any 503), a hang past the probe limit, and an
    # answer dropped twice (a dropped answer is retried once on a new connection, as browsers do).
    route = Flaky(down_503={3}, hang={5}, drop={7, 8})
    with LoopbackSite({"/": route}) as site:
        t0 = time.monotonic()
        proc = _cli("monitor", site.url, "--history", str(db), "--every", "200ms", "--count", "10",
                    "--timeout", "0.5")
        took = time.monotonic() - t0
        hits = [h.at for h in site.hits("/")]
        port, url = site.port, site.url
    assert proc.returncode == 0, proc.stderr
    assert "10 probes, 3 failed (30.0%)" in proc.stdout
    assert proc.stdout.count(" OK ") == 7 and proc.stdout.count(" FAIL ") == 3
    assert took < 12
    # Probes are paced: never closer than the interval (the server's own clock).
    gaps = [b - a for a, b in zip(hits, hits[1:])]
    assert min(gaps) > 0.15, gaps
    with History.open(db) as h:
        samples = h.samples(url, since=0)
    assert len(samples) == 10
    failed = [s for s in samples if not s.ok]
    assert failed[0].status == 503
    assert failed[1].error_kind in ("timeout", "deadline") and failed[1].elapsed < 1.0
    assert failed[2].status is None and failed[2].error_kind
    assert all(s.timeout == 0.5 for s in samples)

    # An audit with the history judges the probes: a profile with a short window for the test.
    prof = tmp_path / "short.toml"
    prof.write_text('[thresholds]\nuptime_window_days = 0.01\nuptime_min_probes_per_day = 10\n'
                    'homepage_timeout_seconds = 0.5\n', "utf-8")
    with LoopbackSite({"/": page("示例市人民政府", BODY)}, port=port) as again:
        out = run_audit(again.url, AuditConfig(crawl=CrawlOptions(rate=500), history=str(db), profile=str(prof),
                                               only=["site.*"]), tmp_path / "o")
    up = {c["id"]: c for c in out.report["checks"]}["site.uptime"]
    assert up["status"] == "fail", up["summary"]
    assert up["details"]["failed"] == 3 and up["details"]["judged"] == 10
    assert out.report["veto"]["checks"] == ["site.uptime"] and out.report["verdict"] == "fail"
    assert len(up["evidence"]) == 3


def test_monitor_ends_cleanly_on_ctrl_c(tmp_path):
    db = tmp_path / "h.db"
    with LoopbackSite({"/": page("示例", BODY)}) as site:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        proc = subprocess.Popen([sys.executable, "-m", "auditor", "monitor", site.url, "--history", str(db),
                                 "--every", "0.2s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, cwd=ROOT)
        try:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and len(site.hits("/")) < 3:
                time.sleep(0.05)
            time.sleep(0.1)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
        url = site.url
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "probes, 0 failed" in out
    with History.open(db) as h:
        stored = len(h.samples(url, since=0))
    assert stored >= 3 and f"{stored} probes" in out


def test_monitor_honours_robots_txt(tmp_path):
    robots = "User-agent: *\nDisallow: /\n"
    with LoopbackSite({"/": page("示例", BODY), "/robots.txt": Response(robots, content_type="text/plain")}) as site:
        proc = _cli("monitor", site.url, "--history", str(tmp_path / "h.db"), "--every", "0.2s", "--count", "3")
        assert [h.path for h in site.hits()] == ["/robots.txt"]
    assert proc.returncode == 2 and "robots.txt disallows" in proc.stderr


def test_monitor_slows_down_to_crawl_delay(tmp_path):
    robots = "User-agent: *\nCrawl-delay: 0.5\n"
    with LoopbackSite({"/": page("示例", BODY), "/robots.txt": Response(robots, content_type="text/plain")}) as site:
        proc = _cli("monitor", site.url, "--history", str(tmp_path / "h.db"), "--every", "0.1s", "--count", "3")
        hits = [h.at for h in site.hits("/")]
    assert proc.returncode == 0, proc.stderr
    assert "Crawl-delay" in proc.stderr
    assert min(b - a for a, b in zip(hits, hits[1:])) > 0.45


# -- site.uptime from a week of samples ------------------------------------------------------
def _week(db, url, *, per_day=24, days=7, failures=0, now=None):
    now = now or time.time()
    samples = []
    total = per_day * days
    fail_at = set(range(0, total, max(1, total // failures))[:failures]) if failures else set()
    for i in range(total):
        at = now - 60 - i * (days * DAY - 120) / total
        bad = i in fail_at
        samples.append(Sample(at, not bad, None if bad else 200, 15.0 if bad else 0.2,
                              "connect" if bad else None, "connection refused" if bad else None, 15.0, url))
    with History.open(db) as h:
        h.add_samples(url, samples)


@pytest.mark.parametrize("failures, days, status", [
    (10, 7, "fail"),     # 10 / 168 = 6.0 % >= 5 %: veto
    (6, 7, "warn"),      # 3.6 %: the 开普云 early warning
    (1, 7, "pass"),
    (0, 3, "unknown"),   # three days are not a week
])
def test_uptime_verdicts(tmp_path, failures, days, status):
    db = str(tmp_path / "h.db")
    with LoopbackSite({"/": page("示例市人民政府", BODY)}) as site:
        _week(db, site.url, failures=failures, days=days)
        out = run_audit(site.url, AuditConfig(crawl=CrawlOptions(rate=500), history=db, only=["site.uptime"]), None)
    check = out.report["checks"][0]
    assert check["status"] == status, check["summary"]
    assert check["veto"] is True
    assert out.report["veto"]["failed"] is (status == "fail")
    if status == "unknown":
        assert "gov-audit monitor" in check["summary"]["zh"] and "needs a week of samples" in check["summary"]["en"]
        assert check["details"]["days_with_enough_probes"] == 3
    else:
        assert check["details"]["judged"] == 168 and check["details"]["failed"] == failures


def test_uptime_without_history_is_unknown(audit_site):
    out = audit_site({"/": page("示例市人民政府", BODY)}, only=["site.uptime"])
    check = out.report["checks"][0]
    assert check["status"] == "unknown" and "gov-audit monitor" in check["summary"]["en"]
    assert out.report["veto"]["failed"] is False


def test_uptime_sample_classes():
    assert classify({"ok": True, "elapsed": 0.3}, 15) == "up"
    assert classify({"ok": True, "elapsed": 15.2}, 15) == "down"
    assert classify({"ok": False, "error_kind": "connect", "timeout": 5}, 15) == "down"
    assert classify({"ok": False, "error_kind": "timeout", "timeout": 5}, 15) == "inconclusive"
    assert classify({"ok": False, "error_kind": "timeout", "timeout": 15}, 15) == "down"
    assert classify({"ok": False, "error_kind": "blocked", "timeout": 15}, 15) == "blocked"


def test_history_json_counts_survive(tmp_path):
    db = tmp_path / "h.db"
    report = json.loads(json.dumps({"site": {"url": "http://x.gov.cn"}, "started_at": "2026-01-01T00:00:00+00:00",
                                    "finished_at": "2026-01-01T00:01:00+00:00", "score": None, "verdict": "unknown",
                                    "veto": {"failed": False, "checks": []}, "checks": [], "counts": {"pass": 0}}))
    with History.open(db) as h:
        h.record_run(report)
        assert h.runs("http://x.gov.cn/")[0]["score"] is None


def test_monitor_takes_the_audits_network_options(tmp_path):
    """--resolve pins a name with no DNS to the loopback server, as for 'audit' (the host header
    keeps the name); without it the probe fails on name resolution."""
    db = tmp_path / "h.db"
    with LoopbackSite({"/": page("示例市人民政府", BODY)}) as site:
        port = site.port
        url = f"http://www.example.gov.cn:{port}/"
        proc = _cli("monitor", url, "--history", str(db), "--every", "200ms", "--count", "2", "--timeout", "2",
                    "--resolve", f"www.example.gov.cn:{port}:127.0.0.1")
        hits = site.hits("/")
    assert proc.returncode == 0, proc.stderr
    assert "2 probes, 0 failed" in proc.stdout, proc.stdout
    assert hits and hits[0].headers["host"] == f"www.example.gov.cn:{port}"
    bad = _cli("monitor", url, "--history", str(db), "--count", "1", "--resolve", "www.example.gov.cn")
    assert bad.returncode == 2 and "--resolve" in bad.stderr and "Traceback" not in bad.stderr
