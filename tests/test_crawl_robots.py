"""robots.txt against real loopback servers, judged from the server's request log."""
from __future__ import annotations

import pytest

from auditor.operations.cli import main
from auditor.crawl.crawler import CrawlOptions, Crawler
from servers import LoopbackSite, Response, page

ROBOTS = "User-agent: *\nDisallow: /private/\nDisallow: /secret.html\n"
LINKS = ("<a href='/public.html'>公开</a><a href='/private/a.html'>内部</a>"
         "<a href='/secret.html'>秘密</a><a href='/private/doc.pdf'>附件</a>"
         "<img src='/private/logo.png'><img src='/logo.png'>")


def txt(body: str, status: int = 200, content_type: str = "text/plain") -> Response:
    return Response(body, status, content_type=content_type)


def site_routes(robots: Response | None) -> dict:
    routes = {"/": page("首页", LINKS), "/public.html": page("公开", "<a href='/private/b.html'>b</a>"),
              "/private/a.html": page("内部"), "/private/b.html": page("内部b"),
              "/secret.html": page("秘密"), "/private/doc.pdf": Response(b"%PDF", content_type="application/pdf"),
              "/private/logo.png": Response(b"png", content_type="image/png"),
              "/logo.png": Response(b"png", content_type="image/png")}
    if robots is not None:
        routes["/robots.txt"] = robots
    return routes


def crawl(url, **kw):
    kw.setdefault("rate", 500)
    kw.setdefault("timeout", 2)
    return Crawler(CrawlOptions(**kw)).run(url)


def requested(site) -> set[str]:
    return {h.path for h in site.hits()}


@pytest.mark.timeout(15)
@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream"])
def test_disallowed_paths_are_never_requested(content_type):
    with LoopbackSite(site_routes(txt(ROBOTS, content_type=content_type))) as s:
        base = s.url
        snap = crawl(base)
        paths = requested(s)
    assert {"/robots.txt", "/", "/public.html", "/logo.png"} <= paths
    assert not {p for p in paths if p.startswith("/private/") or p == "/secret.html"}, paths
    assert snap.robots["state"] == "parsed"
    # private/a.html, secret.html, private/doc.pdf (links) and private/b.html (a page deeper)
    assert snap.stats["robots_blocked"] == 4
    assert {u.rsplit("/", 1)[-1] for u in snap.stats["robots_blocked_sample"]} == \
        {"a.html", "secret.html", "doc.pdf", "b.html"}
    # The blocked image is not link-checked either; the allowed one is.
    assert base + "logo.png" in snap.link_checks
    assert base + "private/logo.png" not in snap.link_checks


@pytest.mark.timeout(15)
def test_rules_for_our_own_token_apply():
    robots = "User-agent: *\nDisallow:\n\nUser-agent: gov-audit\nDisallow: /public.html\n"
    with LoopbackSite(site_routes(txt(robots))) as s:
        crawl(s.url)
        paths = requested(s)
    assert "/public.html" not in paths and "/private/a.html" in paths


@pytest.mark.timeout(15)
def test_crawl_delay_is_respected_between_every_request():
    robots = "User-agent: *\nCrawl-delay: 0.4\n"
    routes = {"/robots.txt": txt(robots),
              "/": page("首页", "".join(f"<a href='/p{i}.html'>{i}</a>" for i in range(3))),
              **{f"/p{i}.html": page(str(i)) for i in range(3)}}
    with LoopbackSite(routes) as s:
        snap = crawl(s.url, concurrency=4)
        times = sorted(h.at for h in s.hits())
    assert snap.robots["crawl_delay"] == 0.4
    assert len(times) == 5  # robots.txt, the homepage, three pages
    gaps = [b - a for a, b in zip(times, times[1:])]
    # From the robots.txt request on: the delay is known once robots.txt is read.
    # On average at least the delay; a start that reached the server late (it
    # never reaches it early) may shorten the gap after it a little.
    assert (times[-1] - times[0]) / 4 >= 0.4, gaps
    assert min(gaps) >= 0.4 - 0.1, gaps


@pytest.mark.timeout(15)
def test_robots_404_allows_everything():
    with LoopbackSite(site_routes(None)) as s:
        snap = crawl(s.url)
        paths = requested(s)
    assert snap.robots["state"] == "absent" and snap.robots["status"] == 404
    assert {"/private/a.html", "/secret.html", "/private/b.html"} <= paths
    assert snap.stats["robots_blocked"] == 0


@pytest.mark.timeout(15)
@pytest.mark.parametrize("status", [500, 503, 429])
def test_robots_server_error_means_complete_disallow_but_the_named_page(status):
    """RFC 9309 2.3.1.4: unreachable robots.txt, complete disallow.

    Decided behaviour: the start URL the user named is still requested (with its
    redirects), nothing else; the report says why and points at --ignore-robots.
    """
    routes = site_routes(txt("oops", status))
    routes["/"] = Response("", 302, {"Location": "/index.html"})
    routes["/index.html"] = page("首页", LINKS)
    with LoopbackSite(routes) as s:
        snap = crawl(s.url)
        paths = [h.path for h in s.hits()]
    assert snap.robots["state"] == "unreachable"
    assert [p for p in paths if p != "/robots.txt"] == ["/", "/index.html"]
    home = snap.homepage
    assert home.ok and home.title == "首页"
    assert snap.stats["robots_blocked"] == 4  # every link to follow, none requested
    assert not snap.link_checks  # no link checks on the site either


@pytest.mark.timeout(15)
def test_robots_unreachable_with_ignore_robots_crawls_everything():
    with LoopbackSite(site_routes(txt("oops", 500))) as s:
        snap = crawl(s.url, ignore_robots=True)
        paths = requested(s)
    assert snap.robots["state"] == "unreachable" and snap.robots["ignored"]
    assert {"/", "/public.html", "/private/a.html", "/secret.html", "/private/b.html"} <= paths


@pytest.mark.timeout(15)
def test_ignore_robots_overrides_a_parsed_disallow():
    with LoopbackSite(site_routes(txt("User-agent: *\nDisallow: /\n"))) as s:
        blocked = crawl(s.url)
        assert requested(s) == {"/robots.txt"}
        assert blocked.start_page is None and blocked.stats["robots_blocked"] == 1
        snap = crawl(s.url, ignore_robots=True)
        paths = requested(s)
    assert snap.start_page.ok and {"/private/a.html", "/secret.html"} <= paths


@pytest.mark.timeout(30)
def test_cli_robots_unreachable_audits_the_homepage_and_says_why(tmp_path, capsys):
    import json

    with LoopbackSite(site_routes(txt("oops", 500))) as s:
        code = main(["audit", s.url, "--out", str(tmp_path), "--rate", "200", "--quiet",
                     "--only", "identity.icp"])
    assert code in (0, 1)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert any("robots.txt" in p and "--ignore-robots" in p for p in report.get("problems", [])), report.get("problems")


@pytest.mark.timeout(30)
def test_cli_robots_disallow_all_exits_2_with_a_hint(tmp_path, capsys):
    with LoopbackSite(site_routes(txt("User-agent: *\nDisallow: /\n"))) as s:
        code = main(["audit", s.url, "--out", str(tmp_path), "--rate", "200", "--quiet",
                     "--only", "identity.icp"])
        paths = requested(s)
    err = capsys.readouterr().err.strip()
    assert code == 2 and paths == {"/robots.txt"}
    assert len(err.splitlines()) == 1 and "--ignore-robots" in err and "Traceback" not in err
