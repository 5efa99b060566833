"""Redirect chains, loops, endless chains and redirects into robots-disallowed space."""
from __future__ import annotations

import time

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.network.fetch import Fetcher
from servers import LoopbackSite, Response, page


def redirect(to: str, status: int = 302, **headers) -> Response:
    return Response("<a href='%s'>moved</a>" % to, status, {"Location": to, **headers})


def endless(handler):
    n = int(handler.path.rsplit("/", 1)[-1])
    return redirect(f"/r/{n + 1}", 302)


@pytest.fixture
def fetcher():
    f = Fetcher(rate=500, timeout=2)
    yield f
    f.close()


@pytest.mark.timeout(10)
def test_301_302_200_chain_is_recorded(fetcher):
    routes = {"/a": redirect("/b", 301), "/b": redirect("/c", 302), "/c": page("终点")}
    with LoopbackSite(routes) as s:
        base = s.url
        f = fetcher.fetch(base + "a")
    assert f.ok and f.status == 200 and f.final_url == base + "c"
    assert f.redirects == ((base + "a", 301), (base + "b", 302))
    assert b"\xe7\xbb\x88\xe7\x82\xb9" in f.body


@pytest.mark.timeout(10)
def test_redirect_chain_through_the_crawler():
    routes = {"/": redirect("/index.html", 301), "/index.html": redirect("/portal/", 302),
              "/portal/": page("门户", "<a href='sub.html'>子页</a>"), "/portal/sub.html": page("子页")}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=500)).run(base)
    home = snap.start_page
    assert home.final_url == base + "portal/" and [st for _, st in home.fetch.redirects] == [301, 302]
    # Relative links resolve against the final URL.
    assert snap.page(base + "portal/sub.html").title == "子页"


@pytest.mark.timeout(10)
def test_redirect_loop(fetcher):
    routes = {"/a": redirect("/b"), "/b": redirect("/a")}
    with LoopbackSite(routes) as s:
        f = fetcher.fetch(s.url + "a")
        hits = [h.path for h in s.hits()]
    assert f.error_kind == "redirect-loop" and not f.ok
    assert hits == ["/a", "/b"]  # detected before asking /a again


@pytest.mark.timeout(10)
def test_self_redirect_that_sets_a_cookie_is_followed_once(fetcher):
    """Site firewalls redirect to the same URL after setting a cookie; that is not a loop."""
    def gate(handler):
        if "wafcookie=1" in handler.headers.get("Cookie", ""):
            return Response(page("通过"))
        return redirect("/gate", 302, **{"Set-Cookie": "wafcookie=1; Path=/"})

    with LoopbackSite({"/gate": gate, "/again": redirect("/again", 302, **{"Set-Cookie": "x=1"})}) as s:
        ok = fetcher.fetch(s.url + "gate")
        loop = fetcher.fetch(s.url + "again")
    assert ok.ok and ok.status == 200 and len(ok.redirects) == 1
    assert loop.error_kind == "redirect-loop" and len(loop.redirects) == 2


@pytest.mark.timeout(10)
def test_endless_redirect_chain(fetcher):
    with LoopbackSite({"/r": endless, "*": endless}) as s:
        t0 = time.monotonic()
        f = fetcher.fetch(s.url + "r/1")
        elapsed = time.monotonic() - t0
        hits = len(s.hits())
    assert f.error_kind == "too-many-redirects"
    assert len(f.redirects) == fetcher.max_redirects + 1 == hits
    assert elapsed < 2


@pytest.mark.timeout(10)
def test_redirect_hops_share_one_total_deadline():
    """Each hop answers slowly: the chain is cut at total_timeout, not hop count x total."""
    def slow_hop(handler):
        time.sleep(0.4)
        n = int(handler.path.rsplit("/", 1)[-1])
        return redirect(f"/s/{n + 1}")

    with LoopbackSite({"*": slow_hop}) as s:
        f = Fetcher(rate=500, timeout=1, total_timeout=1.5)
        try:
            t0 = time.monotonic()
            got = f.fetch(s.url + "s/1")
            elapsed = time.monotonic() - t0
        finally:
            f.close()
    assert got.error_kind == "deadline", got
    assert elapsed < 2.2 and got.elapsed < 2.0


@pytest.mark.timeout(10)
def test_redirect_to_a_robots_disallowed_url_is_not_followed():
    routes = {"/robots.txt": Response("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
              "/": page("首页", "<a href='/go'>go</a>"), "/go": redirect("/private/x.html"),
              "/private/x.html": page("内部")}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=500)).run(base)
        paths = [h.path for h in s.hits()]
    assert "/private/x.html" not in paths and "/go" in paths
    go = snap.page(base + "go")
    assert go.fetch.error_kind == "robots" and go.fetch.final_url == base + "private/x.html"
    assert base + "private/x.html" in snap.stats["robots_blocked_sample"]


@pytest.mark.timeout(10)
def test_homepage_redirect_into_disallowed_space_is_not_followed():
    routes = {"/robots.txt": Response("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
              "/": redirect("/private/home.html"), "/private/home.html": page("内部")}
    with LoopbackSite(routes) as s:
        snap = Crawler(CrawlOptions(rate=500)).run(s.url)
        paths = [h.path for h in s.hits()]
    assert paths == ["/robots.txt", "/"]
    assert snap.start_page.fetch.error_kind == "robots"


@pytest.mark.timeout(10)
def test_off_site_redirect_is_recorded_but_not_crawled():
    with LoopbackSite({"/": page("外站", "<a href='/deep.html'>deep</a>"), "/deep.html": page("d")}) as other:
        with LoopbackSite({"/": page("首页", "<a href='/out'>外链</a>"),
                           "/out": redirect(other.url.replace("127.0.0.1", "localhost"))}) as s:
            base = s.url
            snap = Crawler(CrawlOptions(rate=500)).run(base)
        other_paths = [h.path for h in other.hits()]
    out = snap.page(base + "out")
    assert out.fetch.ok and "localhost" in out.final_url
    assert "/deep.html" not in other_paths  # its links are not followed


@pytest.mark.timeout(10)
def test_bad_locations(fetcher):
    routes = {"/js": redirect("javascript:alert(1)"), "/empty": Response("", 302, {"Location": ""}),
              "/none": Response("moved", 301)}
    with LoopbackSite(routes) as s:
        js = fetcher.fetch(s.url + "js")
        empty = fetcher.fetch(s.url + "empty")
        none = fetcher.fetch(s.url + "none")
    assert js.error_kind == "bad-redirect"
    assert empty.error_kind in ("bad-redirect", "redirect-loop")
    assert none.status == 301 and none.error_kind is None  # a 301 without Location is just an answer
