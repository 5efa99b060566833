"""Hostile servers: every one is survived in bounded time and bounded memory.

Each test runs the real crawler (or fetcher) against a real loopback server that
misbehaves, and measures the wall time and the peak Python memory of the run.
"""
from __future__ import annotations

import resource
import time
import tracemalloc

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.network.fetch import Fetcher
from servers import (ByteCounter, LoopbackSite, RawServer, big_body, garbage, gzip_bomb,
                     gzip_bomb_parts, page, raw_reply, short_body, silent, trickle_body,
                     trickle_headers)

MB = 1024 * 1024
# timeout bounds each read, total_timeout one whole fetch (the watchdog's deadline).
HOSTILE = dict(timeout=1.0, total_timeout=2.0, rate=500)


def measured(fn):
    """Run ``fn``; return (result, seconds, peak traced Python memory growth in bytes)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    try:
        result = fn()
    finally:
        elapsed = time.monotonic() - t0
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) * 1024  # KiB on Linux
    # The process's peak RSS cannot have grown by more than the budget either (it
    # also sees C allocations: zlib, lxml).
    assert rss_growth < 300 * MB, rss_growth
    return result, elapsed, peak


def crawl(url, **options):
    opts = {**HOSTILE, "max_pages": 5, **options}
    return Crawler(CrawlOptions(**opts)).run(url)


@pytest.fixture(scope="module")
def bomb_parts():
    return gzip_bomb_parts()  # 5 GiB of zeros in ~5 MB, made once


@pytest.mark.timeout(20)
def test_body_that_trickles_forever_is_cut_by_the_total_deadline():
    with LoopbackSite({"/": trickle_body(0.2)}) as s:
        snap, elapsed, peak = measured(lambda: crawl(s.url))
    home = snap.start_page
    assert home.fetch.error_kind == "deadline", home.fetch
    assert 1.9 <= home.fetch.elapsed <= 2.5
    assert elapsed < 2.0 + 1.5  # one page: its deadline plus the crawl's own overhead
    assert peak < 100 * MB


@pytest.mark.timeout(20)
def test_chunked_body_that_trickles_forever_is_cut_too():
    with LoopbackSite({"/": trickle_body(0.2, chunked=True)}) as s:
        fetcher = Fetcher(timeout=1.0, total_timeout=2.0, rate=500)
        try:
            (f, elapsed, peak) = measured(lambda: fetcher.fetch(s.url))
        finally:
            fetcher.close()
    assert f.error_kind == "deadline" and f.status is None, f
    assert elapsed < 2.5 and peak < 20 * MB


@pytest.mark.timeout(20)
def test_headers_that_trickle_forever_are_cut_by_the_watchdog():
    with LoopbackSite({"/": trickle_headers(0.2)}) as s:
        snap, elapsed, peak = measured(lambda: crawl(s.url))
    home = snap.start_page
    assert home.fetch.error_kind == "deadline", home.fetch
    assert home.fetch.status is None
    assert 1.9 <= home.fetch.elapsed <= 2.5
    assert elapsed < 2.0 + 1.5
    assert peak < 100 * MB


@pytest.mark.timeout(20)
def test_trickling_headers_on_a_plain_fetch_and_a_head_request():
    with LoopbackSite({"/": trickle_headers(0.2)}) as s:
        fetcher = Fetcher(timeout=1.0, total_timeout=1.0, rate=500)
        try:
            for method in ("GET", "HEAD"):
                t0 = time.monotonic()
                f = fetcher.fetch(s.url, method=method, want_body=method == "GET")
                # A HEAD cut in its headers looked like a whole 200 answer before.
                assert f.error_kind == "deadline" and f.status is None, f
                assert time.monotonic() - t0 < 1.5
        finally:
            fetcher.close()


@pytest.mark.timeout(30)
def test_gzip_bomb_is_truncated_at_max_bytes_with_bounded_memory(bomb_parts):
    head, block, tail, repeats = bomb_parts
    inflated = len(bytes(5 * MB)) * repeats
    assert inflated >= 5 * 1024 * MB and len(block) * repeats < 6 * MB
    counter = ByteCounter()
    with LoopbackSite({"/": gzip_bomb(counter)}) as s:
        snap, elapsed, peak = measured(lambda: crawl(s.url, max_pages=1))
    f = snap.start_page.fetch
    assert f.error_kind is None, f
    assert f.truncated and f.size == 5 * MB
    assert snap.start_page.kind == "html"
    # The crawler stopped reading long before the server was done.
    assert counter.sent < len(block) * repeats
    assert elapsed < 10
    assert peak < 100 * MB, peak


@pytest.mark.timeout(30)
def test_deflate_bomb_is_bounded_too(bomb_parts):
    import zlib

    raw = zlib.compress(bytes(64 * MB), 9)  # zlib-wrapped deflate, 64 MiB of zeros
    body = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(raw)) + raw
    with LoopbackSite({"/": raw_reply(body)}) as s:
        fetcher = Fetcher(timeout=1.0, total_timeout=3.0, rate=500, max_bytes=2 * MB)
        try:
            f, elapsed, peak = measured(lambda: fetcher.fetch(s.url))
        finally:
            fetcher.close()
    assert f.error_kind is None and f.truncated and f.size == 2 * MB
    assert peak < 60 * MB


@pytest.mark.timeout(30)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_30_mb_page_is_truncated_at_5_mb_and_still_parsed(chunked):
    counter = ByteCounter()
    routes = {"/": big_body(30 * MB, counter=counter, chunked=chunked,
                            prefix=b"<html><head><title>\xe5\xa4\xa7\xe9\xa1\xb5\xe9\x9d\xa2</title>"
                                   b"</head><body><a href='/next.html'>next</a>"),
              "/next.html": page("下一页")}
    with LoopbackSite(routes) as s:
        base = s.url
        snap, elapsed, peak = measured(lambda: crawl(base, max_depth=1))
    home = snap.start_page
    assert home.fetch.error_kind is None
    assert home.fetch.truncated and home.fetch.size == 5 * MB
    assert home.is_html and home.title == "大页面"
    assert snap.page(base + "next.html").title == "下一页"  # its links were followed
    assert counter.sent < 30 * MB
    assert elapsed < 15
    assert peak < 100 * MB, peak


@pytest.mark.timeout(20)
def test_redirect_loop_and_calendar_trap_on_one_hostile_site():
    def cal(handler):
        day = int(handler.path.rsplit("=", 1)[-1])
        from servers import Response
        return Response(page(f"day {day}", f"<a href='/cal?d={day + 1}'>next</a>"))

    routes = {"/": page("home", "<a href='/loop/a'>a</a><a href='/cal?d=1'>cal</a>"),
              "/loop/a": raw_reply(b"HTTP/1.1 302 Found\r\nLocation: /loop/b\r\nContent-Length: 0\r\n\r\n"),
              "/loop/b": raw_reply(b"HTTP/1.1 302 Found\r\nLocation: /loop/a\r\nContent-Length: 0\r\n\r\n"),
              "/cal": cal}
    with LoopbackSite(routes) as s:
        base = s.url
        snap, elapsed, peak = measured(lambda: crawl(base, max_pages=500, max_depth=1000,
                                                     max_per_pattern=8))
        cal_hits = [h for h in s.hits() if h.path.startswith("/cal")]
    assert snap.page(base + "loop/a").fetch.error_kind == "redirect-loop"
    assert len(cal_hits) == 8, [(u, p.fetch.error) for u, p in snap.pages.items()]
    assert snap.stats["trap_cut"]
    assert elapsed < 10 and peak < 100 * MB


@pytest.mark.timeout(20)
def test_server_that_accepts_and_never_answers_times_out():
    with RawServer(silent) as srv:
        snap, elapsed, peak = measured(lambda: crawl(srv.url))
    home = snap.start_page
    assert home is not None and home.fetch.error_kind == "timeout", home.fetch
    assert snap.robots["state"] == "unreachable"
    assert elapsed < 2 * (1.0 + 1.0)  # robots.txt and the homepage, one read timeout each
    assert peak < 100 * MB


@pytest.mark.timeout(20)
def test_server_that_answers_garbage_instead_of_http():
    with RawServer(garbage) as srv:
        snap, elapsed, peak = measured(lambda: crawl(srv.url))
    home = snap.start_page
    assert home.fetch.error_kind == "protocol", home.fetch
    assert home.fetch.status is None
    assert elapsed < 5 and peak < 100 * MB


@pytest.mark.timeout(20)
def test_garbage_after_a_valid_status_line():
    routes = {"/": raw_reply(b"HTTP/1.1 200 OK\r\n\x00\x01\x02 not a header\r\n" + b"\xff" * 70000)}
    with LoopbackSite(routes) as s:
        snap, elapsed, _ = measured(lambda: crawl(s.url))
    # Either parsed leniently or refused as a protocol error, but never an exception.
    assert snap.start_page is not None
    assert elapsed < 5


@pytest.mark.timeout(20)
def test_content_length_larger_than_the_body_then_close():
    with LoopbackSite({"/": short_body(100_000)}) as s:
        snap, elapsed, peak = measured(lambda: crawl(s.url))
    home = snap.start_page
    assert home.fetch.error_kind == "incomplete", home.fetch
    assert elapsed < 3 and peak < 100 * MB


@pytest.mark.timeout(20)
def test_connection_closed_before_any_answer():
    with LoopbackSite({"/": raw_reply(b"")}) as s:
        snap, elapsed, _ = measured(lambda: crawl(s.url))
    assert snap.start_page.fetch.error_kind == "connect"
    assert "closed" in snap.start_page.fetch.error
    assert elapsed < 3


@pytest.mark.timeout(20)
def test_corrupt_gzip_body_is_an_encoding_error_not_a_crash():
    body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + b"this is not deflate data" * 10
    routes = {"/": raw_reply(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                             b"Content-Length: %d\r\n\r\n" % len(body) + body)}
    with LoopbackSite(routes) as s:
        snap = crawl(s.url)
    assert snap.start_page.fetch.error_kind == "encoding"


@pytest.mark.timeout(40)
def test_many_hostile_pages_in_one_crawl_stay_bounded(bomb_parts):
    """All of them at once, linked from one homepage, with concurrency 4."""
    links = "".join(f"<a href='/{p}'>{p}</a>" for p in
                    ("trickle", "headers", "bomb", "short", "big", "never", "garbage"))

    def never(handler):
        time.sleep(5)
        return None

    routes = {"/": page("home", links), "/trickle": trickle_body(0.2), "/headers": trickle_headers(0.2),
              "/bomb": gzip_bomb(), "/short": short_body(5000), "/big": big_body(30 * MB),
              "/never": never,
              "/garbage": raw_reply(b"\x00garbage\xff" * 1000)}
    with LoopbackSite(routes) as s:
        snap, elapsed, peak = measured(lambda: crawl(s.url, max_pages=20, concurrency=4))
    kinds = {url.rsplit("/", 1)[-1]: p.fetch.error_kind for url, p in snap.pages.items()}
    assert kinds["trickle"] == "deadline" and kinds["headers"] == "deadline"
    assert kinds["bomb"] is None and kinds["big"] is None
    assert kinds["short"] == "incomplete" and kinds["never"] == "timeout"
    assert kinds["garbage"] == "protocol"
    # Workers run in parallel: the slowest (2 s deadline) bounds the crawl, not the sum.
    assert elapsed < 5
    assert peak < 150 * MB, peak


@pytest.mark.timeout(10)
def test_kept_alive_connection_closed_by_the_server_is_retried_on_a_new_one():
    """The server answers the first request on a connection and drops any later one
    without a word (a keep-alive timeout that fires as the request arrives)."""

    def once_per_connection(handler):
        served = handler.__dict__.get("served", 0)
        handler.served = served + 1
        if served:
            return None  # close without answering
        from servers import Response
        return Response(page(handler.path))

    with LoopbackSite({"*": once_per_connection}) as s:
        fetcher = Fetcher(timeout=1.0, total_timeout=3.0, rate=500)
        try:
            results = [fetcher.fetch(s.url + f"p{i}.html") for i in range(4)]
            head = fetcher.fetch(s.url + "h.html", method="HEAD", want_body=False)
        finally:
            fetcher.close()
        hits = [h.path for h in s.hits()]
    assert all(r.ok for r in results), results
    assert head.ok
    assert hits.count("/p1.html") == 2  # dropped once on the old connection, then answered


@pytest.mark.timeout(10)
def test_a_server_that_always_drops_is_not_retried_forever():
    with LoopbackSite({"*": raw_reply(b"")}) as s:
        fetcher = Fetcher(timeout=1.0, total_timeout=3.0, rate=500)
        try:
            f = fetcher.fetch(s.url)
        finally:
            fetcher.close()
        hits = len(s.hits())
    assert f.error_kind == "connect" and hits == 1  # a new connection: no retry
