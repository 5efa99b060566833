"""The rate limit, measured where it matters: in the server's request log."""
from __future__ import annotations

import threading
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.network.fetch import retry_after_seconds
from auditor.network.ratelimit import RateLimiter
from servers import LoopbackSite, Response, max_in_window, page

# Request starts are logged when the server's handler thread has read the request:
# a few milliseconds after the client sent it, now and then tens of milliseconds on
# a loaded two-core machine. A late arrival only ever moves a start later, so the
# checks below count starts in windows (robust to one late arrival) rather than
# measure gaps between neighbours (which a late arrival shrinks).
SLACK = 0.05


def mixed_site() -> dict:
    """~20 requests of every kind: pages, redirects (two hops), HEAD link checks, attachments."""
    links = "".join(f"<a href='/p{i}.html'>p{i}</a>" for i in range(10))
    links += "<a href='/r0'>r0</a><a href='/r1'>r1</a>"
    links += "<a href='/f0.pdf'>f0</a><a href='/f1.doc'>f1</a>"
    links += "<img src='/i0.png'><img src='/i1.png'>"
    routes = {"/": page("首页", links),
              "/r0": Response("", 301, {"Location": "/q0.html"}),
              "/r1": Response("", 302, {"Location": "/q1.html"}),
              "/q0.html": page("q0"), "/q1.html": page("q1"),
              "/f0.pdf": Response(b"%PDF-1.4", content_type="application/pdf"),
              "/f1.doc": Response(b"DOC", content_type="application/msword"),
              "/i0.png": Response(b"png", content_type="image/png"),
              "/i1.png": Response(b"png", content_type="image/png")}
    routes.update({f"/p{i}.html": page(f"p{i}") for i in range(10)})
    return routes


@pytest.mark.timeout(30)
def test_rate_is_never_exceeded_across_pages_heads_and_redirects():
    with LoopbackSite(mixed_site()) as s:
        t0 = time.monotonic()
        snap = Crawler(CrawlOptions(rate=5, concurrency=8, timeout=5)).run(s.url)
        elapsed = time.monotonic() - t0
        hits = s.hits()
    methods = {h.method for h in hits}
    paths = [h.path for h in hits]
    assert methods == {"GET", "HEAD"}
    assert {"/robots.txt", "/r0", "/q0.html", "/r1", "/q1.html", "/f0.pdf", "/i0.png"} <= set(paths)
    assert len(hits) == 20, paths
    assert snap.stats["requests"] == len(hits)
    times = [h.at for h in hits]
    assert max_in_window(times, 1.0 - SLACK) <= 5, sorted(b - a for a, b in zip(sorted(times), sorted(times)[1:]))
    # ...and the limiter is the only brake: 20 starts at 5/s take just under 4 s.
    assert 3.8 - SLACK <= max(times) - min(times) < 5.0
    assert elapsed < 6.0


@pytest.mark.timeout(20)
def test_limiter_alone_with_many_threads():
    limiter = RateLimiter(50)
    starts: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(5):
            limiter.wait("h")
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == 40
    assert max(starts) - min(starts) >= 39 * 0.02 - 0.01
    assert max_in_window(starts, 0.5 - 0.02) <= 25
    # Another host is paced on its own.
    t0 = time.monotonic()
    limiter.wait("other")
    assert time.monotonic() - t0 < 0.01


@pytest.mark.timeout(30)
def test_429_with_retry_after_slows_down_and_retries_the_page():
    state = {"busy": 0}

    def busy(handler):
        state["busy"] += 1
        if state["busy"] == 1:
            return Response("<h1>slow down</h1>", 429, {"Retry-After": "1"})
        return Response(page("终于", "ok"))

    links = "<a href='/busy.html'>busy</a>" + "".join(f"<a href='/p{i}.html'>{i}</a>" for i in range(6))
    routes = {"/": page("首页", links), "/busy.html": busy,
              **{f"/p{i}.html": page(str(i)) for i in range(6)}}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=20, concurrency=4, timeout=5)).run(base)
        hits = s.hits()
    busy_hits = [h for h in hits if h.path == "/busy.html"]
    assert len(busy_hits) == 2
    t429 = busy_hits[0].at
    after = [h.at - t429 for h in hits if h.at > t429]
    assert after and min(after) >= 1.0 - SLACK, after  # nothing at all during the pause
    assert busy_hits[1].at - t429 >= 1.0 - SLACK
    page_ = snap.page(base + "busy.html")
    assert page_.status == 200 and page_.title == "终于"
    # Slower afterwards too: the interval doubled (20/s -> 10/s at most).
    later = sorted(h.at for h in hits if h.at > t429)
    assert len(later) >= 6
    assert max_in_window(later, 0.5 - SLACK) <= 5, [(round(h.at - t429, 4), h.path) for h in hits]
    assert (later[-1] - later[0]) / (len(later) - 1) >= 0.1
    assert not snap.partial


@pytest.mark.timeout(20)
def test_retry_after_longer_than_an_audit_waits_stops_the_crawl_politely():
    def go_away(handler):
        return Response("<h1>come back tomorrow</h1>", 429, {"Retry-After": "3600"})

    links = "".join(f"<a href='/p{i}.html'>{i}</a>" for i in range(5))
    routes = {"/": page("首页", links), "/robots.txt": Response("", 404), "*": go_away}
    with LoopbackSite(routes) as s:
        t0 = time.monotonic()
        snap = Crawler(CrawlOptions(rate=50, concurrency=2, timeout=5)).run(s.url)
        elapsed = time.monotonic() - t0
        paths = [h.path for h in s.hits()]
    assert snap.partial and snap.stop_reason == "rate-limited"
    assert elapsed < 3  # not 60 s, not an hour
    # One page was told to go away; no page was asked for twice.
    assert len([p for p in paths if p.startswith("/p")]) <= 2
    assert len(paths) == len(set(paths))


@pytest.mark.timeout(20)
@pytest.mark.timeout(20)
def test_robots_txt_answering_429_for_an_hour_stops_before_the_homepage():
    routes = {"/robots.txt": Response("", 429, {"Retry-After": "3600"}), "/": page("首页")}
    with LoopbackSite(routes) as s:
        t0 = time.monotonic()
        snap = Crawler(CrawlOptions(rate=50, timeout=5)).run(s.url)
        elapsed = time.monotonic() - t0
        paths = [h.path for h in s.hits()]
    assert paths == ["/robots.txt"]
    assert snap.partial and snap.stop_reason == "rate-limited" and elapsed < 2


@pytest.mark.timeout(20)
def test_503_on_a_link_check_with_retry_after_pauses_the_host():
    state = {"n": 0}

    def flaky(handler):
        state["n"] += 1
        if state["n"] == 1:
            return Response("", 503, {"Retry-After": "1"})
        return Response(b"png", content_type="image/png")

    routes = {"/": page("首页", "<img src='/flaky.png'><img src='/b.png'>"), "/flaky.png": flaky,
              "/b.png": Response(b"png", content_type="image/png")}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=50, concurrency=1, timeout=5)).run(base)
        hits = s.hits()
    flaky_hits = [h for h in hits if h.path == "/flaky.png"]
    assert len(flaky_hits) == 2 and flaky_hits[1].at - flaky_hits[0].at >= 1.0 - SLACK
    assert snap.link_checks[base + "flaky.png"].status == 200


def test_retry_after_values():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 1.5 ") == 1.5
    assert retry_after_seconds("86400000") == 86400000.0
    assert retry_after_seconds("-5") is None and retry_after_seconds("nan") is None
    assert retry_after_seconds("inf") is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("") is None and retry_after_seconds(None) is None
    future = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    assert 80 <= retry_after_seconds(future) <= 91
    past = format_datetime(datetime.now(timezone.utc) - timedelta(days=1), usegmt=True)
    assert retry_after_seconds(past) == 0.0


def test_limiter_pause_longer_than_max_interval_is_capped():
    limiter = RateLimiter(1000, max_interval=0.3)
    limiter.wait("h")
    limiter.penalize("h", 3600)
    t0 = time.monotonic()
    stop = threading.Event()
    assert limiter.wait("h", stop)
    assert 0.25 <= time.monotonic() - t0 < 0.6
    stop.set()
    assert limiter.wait("h", stop) is False  # a stopped crawl never sleeps out a pause


def test_crawl_delay_is_a_floor_whatever_its_size():
    limiter = RateLimiter(5, max_interval=60)
    limiter.wait("h")
    limiter.set_min_interval("h", 120)  # longer than any penalty cap: still honoured
    assert limiter.reserve("h") >= 120
    limiter.penalize("h")  # doubling is capped at max_interval, never under the delay
    assert limiter.interval("h") >= 120
    assert limiter.interval("other") < 1
