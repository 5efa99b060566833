"""Time budget, request_stop from another thread, and Ctrl-C on the real command line."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from servers import LoopbackSite, Response, page

ROOT = Path(__file__).resolve().parent.parent


def slow_page(seconds: float):
    def route(handler):
        time.sleep(seconds)
        n = handler.path.strip("/").split(".")[0]
        return Response(page(f"慢页面 {n}", f"<a href='/{n}x.html'>更多</a>"))
    return route


def slow_site(seconds: float, pages: int = 30) -> dict:
    links = "".join(f"<a href='/p{i}.html'>p{i}</a>" for i in range(pages))
    return {"/": page("首页", links), "/robots.txt": Response("", 404), "*": slow_page(seconds)}


@pytest.mark.timeout(20)
def test_time_budget_stops_the_crawl_and_marks_it_partial():
    opts = CrawlOptions(rate=500, concurrency=2, timeout=2, total_timeout=3, time_budget=1)
    with LoopbackSite(slow_site(0.5)) as s:
        t0 = time.monotonic()
        snap = Crawler(opts).run(s.url)
        elapsed = time.monotonic() - t0
    assert snap.partial and snap.stop_reason == "time-budget"
    assert elapsed < 1 + 3 + 2
    assert elapsed < 2.0  # in practice: the budget, then in-flight requests are cut at once
    assert 1 <= len(snap.pages) < 31
    # Pages cut by the stop are left out, not recorded as broken.
    assert all(p.fetch.error_kind is None for p in snap.pages.values())


@pytest.mark.timeout(20)
def test_time_budget_also_bounds_the_link_check_phase():
    def slow_image(handler):
        time.sleep(2)
        return Response(b"png", content_type="image/png")

    imgs = "".join(f"<img src='/i{i}.png'>" for i in range(8))
    routes = {"/": page("首页", imgs), "/robots.txt": Response("", 404), "*": slow_image}
    with LoopbackSite(routes) as s:
        t0 = time.monotonic()
        snap = Crawler(CrawlOptions(rate=500, concurrency=2, timeout=5, time_budget=1)).run(s.url)
        elapsed = time.monotonic() - t0
    assert snap.partial and snap.stop_reason == "time-budget"
    assert elapsed < 2.0
    assert snap.start_page.ok


@pytest.mark.timeout(20)
def test_request_stop_from_another_thread_ends_the_crawl_promptly():
    with LoopbackSite(slow_site(3.0)) as s:
        crawler = Crawler(CrawlOptions(rate=500, concurrency=4, timeout=10))
        timer = threading.Timer(0.5, crawler.request_stop, args=("interrupted",))
        timer.start()
        t0 = time.monotonic()
        snap = crawler.run(s.url)
        elapsed = time.monotonic() - t0
        timer.join()
    assert snap.partial and snap.stop_reason == "interrupted"
    assert elapsed < 1.5, elapsed  # not the 3 s the pages take, nor the 10 s timeout
    assert len(snap.pages) == 1  # only the homepage: the cut pages are left out
    assert snap.start_page.ok


@pytest.mark.timeout(20)
def test_stopping_one_crawler_does_not_cut_another():
    with LoopbackSite(slow_site(1.0, pages=2)) as s:
        a = Crawler(CrawlOptions(rate=500, concurrency=2, timeout=5, max_depth=1))
        b = Crawler(CrawlOptions(rate=500, concurrency=2, timeout=5, max_depth=1))
        out = {}
        tb = threading.Thread(target=lambda: out.setdefault("b", b.run(s.url)))
        tb.start()
        threading.Timer(0.5, a.request_stop, args=("interrupted",)).start()
        snap_a = a.run(s.url)
        tb.join()
    assert snap_a.partial
    snap_b = out["b"]
    assert not snap_b.partial
    assert all(p.fetch.error_kind is None for p in snap_b.pages.values())
    assert len(snap_b.pages) == 3


# -- Ctrl-C on the command line ------------------------------------------------------

def start_cli(url: str, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "auditor", "audit", url, "--out", str(out),
                             "--rate", "200", "--quiet", "--only", "identity.icp", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def wait_for(cond, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("the audit never got there")
        time.sleep(0.02)


def interrupt(proc: subprocess.Popen) -> tuple[int, str, float]:
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, err, time.monotonic() - t0


@pytest.mark.timeout(40)
def test_sigint_mid_crawl_writes_a_partial_report(tmp_path):
    with LoopbackSite(slow_site(1.0)) as s:
        proc = start_cli(s.url, tmp_path, "--concurrency", "2")
        wait_for(lambda: len([h for h in s.hits() if h.path.startswith("/p")]) >= 3)
        code, err, took = interrupt(proc)
    assert "Traceback" not in err, err
    assert took < 3, took
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["partial"] is True and report["stop_reason"] == "interrupted"
    assert code == 2  # interrupted: partial, never a result to gate on (issue 15 item 2)


@pytest.mark.timeout(40)
def test_sigint_while_reading_robots_txt(tmp_path):
    def slow_robots(handler):
        time.sleep(5)
        return Response("", 404)

    with LoopbackSite({"/": page("首页"), "/robots.txt": slow_robots}) as s:
        proc = start_cli(s.url, tmp_path)
        wait_for(lambda: s.hits("/robots.txt"))
        code, err, took = interrupt(proc)
        paths = [h.path for h in s.hits()]
    assert took < 3 and "Traceback" not in err, err
    assert paths == ["/robots.txt"]  # nothing else after Ctrl-C
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["partial"] is True and report["stop_reason"] == "interrupted"
    assert code == 2 and len(err.strip().splitlines()) == 1


@pytest.mark.timeout(40)
def test_sigint_during_link_checks(tmp_path):
    def slow_image(handler):
        time.sleep(4)
        return Response(b"png", content_type="image/png")

    imgs = "".join(f"<img src='/i{i}.png'>" for i in range(8))
    routes = {"/": page("首页", imgs), "/robots.txt": Response("", 404), "*": slow_image}
    with LoopbackSite(routes) as s:
        # links.homepage reads link results: the crawl checks links only for such a check.
        proc = start_cli(s.url, tmp_path, "--concurrency", "2", "--only", "links.homepage", "--render", "never")
        wait_for(lambda: any(h.path.endswith(".png") for h in s.hits()))
        code, err, took = interrupt(proc)
    assert took < 3, took  # in-flight link checks are cut, not waited for
    assert "Traceback" not in err, err
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["partial"] is True and report["stop_reason"] == "interrupted"
