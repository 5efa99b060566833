"""Crawl bounds: page cap, depth, per-pattern trap bound, all counted from the server's log."""
from __future__ import annotations

import time

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from servers import LoopbackSite, Response, page


def crawl(url, **kw):
    kw.setdefault("rate", 500)
    kw.setdefault("timeout", 2)
    return Crawler(CrawlOptions(**kw)).run(url)


def gets(site) -> list[str]:
    return [h.path for h in site.hits() if h.method == "GET" and h.path != "/robots.txt"]


@pytest.mark.timeout(15)
@pytest.mark.parametrize("cap", [1, 7, 30])
def test_max_pages_is_exact(cap):
    links = "".join(f"<a href='/p{i}.html'>p{i}</a>" for i in range(40))
    routes = {"/": page("首页", links),
              **{f"/p{i}.html": page(f"p{i}", f"<a href='/q{i}.html'>q</a>") for i in range(40)}}
    with LoopbackSite(routes) as s:
        snap = crawl(s.url, max_pages=cap, concurrency=4)
        got = gets(s)
    assert len(got) == cap and len(set(got)) == cap, got
    assert snap.stats["pages"] == cap == len(snap.pages)
    assert snap.stats["page_cap_cut"] > 0
    assert not snap.partial  # a cap is a bound, not an interruption


@pytest.mark.timeout(15)
def test_max_depth_is_exact_for_pages_and_attachments():
    routes = {"/": page("d0", "<a href='/d1.html'>d1</a><a href='/d0.pdf'>pdf</a>")}
    for d in range(1, 6):
        routes[f"/d{d}.html"] = page(f"d{d}", f"<a href='/d{d + 1}.html'>next</a><a href='/d{d}.pdf'>pdf</a>")
    for d in range(6):
        routes[f"/d{d}.pdf"] = Response(b"%PDF", content_type="application/pdf")
    with LoopbackSite(routes) as s:
        snap = crawl(s.url, max_depth=2)
        paths = {h.path for h in s.hits()} - {"/robots.txt"}
    # Pages at depth 0..2 and the attachments they link (depth 1..2); nothing at depth 3.
    assert paths == {"/", "/d1.html", "/d2.html", "/d0.pdf", "/d1.pdf"}, paths
    assert max(p.depth for p in snap.pages.values()) == 2
    assert snap.stats["depth_cut"] == 2  # /d3.html and /d2.pdf


@pytest.mark.timeout(15)
def test_max_depth_0_fetches_the_homepage_and_only_checks_its_links():
    routes = {"/": page("d0", "<a href='/d1.html'>d1</a>"), "/d1.html": page("d1", "<a href='/d2.html'>x</a>")}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = crawl(base, max_depth=0)
        hits = [(h.method, h.path) for h in s.hits() if h.path != "/robots.txt"]
    assert hits == [("GET", "/"), ("HEAD", "/d1.html")]
    assert list(snap.pages) == [base] and snap.link_checks[base + "d1.html"].status == 200


def _calendar(handler):
    """/cal?date=YYYY-MM-DD and /cal/YYYY/MM/DD/ each link to the next day, forever."""
    from datetime import date, timedelta

    path = handler.path
    if path.startswith("/cal?date="):
        day = date.fromisoformat(path.split("=", 1)[1])
        nxt = f"/cal?date={day + timedelta(days=1)}"
    else:
        y, m, d = (int(x) for x in path.strip("/").split("/")[1:4])
        day = date(y, m, d)
        n = day + timedelta(days=1)
        nxt = f"/cal/{n.year}/{n.month:02d}/{n.day:02d}/"
    return Response(page(f"日历 {day}", f"<a href='{nxt}'>下一天</a><a href='/'>首页</a>"))


@pytest.mark.timeout(20)
def test_endless_calendars_stay_bounded_per_pattern():
    routes = {"/": page("首页", "<a href='/cal?date=2026-01-01'>日历</a>"
                               "<a href='/cal/2026/01/01/'>日历2</a><a href='/about.html'>关于</a>"),
              "/about.html": page("关于"), "/robots.txt": Response("", 404),
              "/cal": _calendar, "*": _calendar}
    t0 = time.monotonic()
    with LoopbackSite(routes) as s:
        snap = crawl(s.url, max_pages=1000, max_depth=10_000, max_per_pattern=10, concurrency=4)
        got = gets(s)
    elapsed = time.monotonic() - t0
    query_style = [p for p in got if p.startswith("/cal?")]
    path_style = [p for p in got if p.startswith("/cal/")]
    assert len(query_style) == 10 and len(path_style) == 10, got
    assert "/about.html" in got
    assert sum(snap.stats["trap_cut"].values()) >= 2
    assert elapsed < 5


@pytest.mark.timeout(20)
def test_self_repeating_relative_paths_are_cut():
    """A relative link to 'x/' on /x/ makes /x/x/x/...: no pattern repeats, the path does."""
    routes = {"/": page("首页", "<a href='/x/'>x</a>"), "/robots.txt": Response("", 404),
              "*": Response(page("x", "<a href='x/'>deeper</a>"))}
    with LoopbackSite(routes) as s:
        snap = crawl(s.url, max_pages=1000, max_depth=10_000, max_per_pattern=1000)
        got = gets(s)
    assert len(got) < 10, got
    assert snap.stats["trap_cut"].get("deep-or-repeating-path", 0) >= 1


@pytest.mark.timeout(15)
def test_a_redirect_target_is_not_fetched_again_when_found_later():
    routes = {"/": page("首页", "<a href='/old.html'>旧</a><a href='/a.html'>a</a>"),
              "/old.html": Response("", 301, {"Location": "/new.html"}),
              "/a.html": page("a", "<a href='/b.html'>b</a>"), "/b.html": page("b", "<a href='/new.html'>新</a>"),
              "/new.html": page("新")}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = crawl(base, concurrency=1)
        got = gets(s)
    assert got.count("/new.html") == 1, got
    assert snap.page(base + "new.html").title == "新"  # found through the redirect
