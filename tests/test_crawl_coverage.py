"""Where the page budget goes (the prioritised frontier), what the crawl left unvisited
(coverage), and checks that say "unknown" rather than "missing" where the crawl did not reach.

Every site here is served on loopback; the rates are high so the tests are quick — the
order of the crawl, not its speed, is what they test.
"""
from __future__ import annotations

import json
import threading

import jsonschema

import portal
from servers import LoopbackSite, Response, page

from auditor.checking.profile import load_profile
from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.crawl.frontier import ARTICLE, LIST, NAVIGATION, PAGINATION, WANTED, Frontier
from auditor.network.ratelimit import RateLimiter
from auditor.operations.audit import AuditConfig, run_audit

WORDS = tuple(load_profile(None).keywords("crawl_priority"))
SCHEMA = json.loads((__import__("pathlib").Path(__file__).parent.parent / "reports" / "report.schema.json")
                    .read_text("utf-8"))


def crawl(site, **options) -> object:
    o = CrawlOptions(rate=1000, concurrency=4, priority_words=WORDS, link_checks=False, **options)
    return Crawler(o).run(site.url)


# -- the frontier ---------------------------------------------------------------------

def test_a_3000_page_portal_is_covered_where_the_checks_look():
    """Default --max-pages (300) on a 3,000-page portal: every section, every column, and the
    mailbox and guide pages three clicks deep are reached (breadth-first reached no column)."""
    assert portal.page_count() > 3000
    with LoopbackSite(portal.portal_routes()) as site:
        snap = crawl(site)
        got = {p.final_url for p in snap.pages.values() if p.ok}
        base = site.url
    assert len(snap.pages) == CrawlOptions().max_pages
    assert [u for u in portal.section_urls(base) if u not in got] == []
    assert [u for u in portal.column_urls(base) if u not in got] == []
    assert [w for w in portal.WANTED if base.rstrip("/") + w not in got] == []
    # The cut is recorded: what was left, why and where.
    cov = snap.coverage
    assert not cov.complete and cov.cut_by_bounds and cov.by_cause["page_cap"] > 1000
    assert set(cov.by_section()) == {f"/{s}/" for s, _n, _c in portal.SECTIONS}


def test_frontier_ranks_named_pages_and_lists_before_pagination_and_deep_articles():
    f = Frontier(WORDS)
    assert f.rank("http://h/", 0) < f.rank("http://h/hdjl/ldxx/", 3, "领导信箱") == WANTED
    assert f.rank("http://h/zwgk/index.html", 1, "政务公开", from_homepage=True) == NAVIGATION
    assert f.rank("http://h/zwgk/tzgg/", 2, "通知公告") == LIST
    assert f.rank("http://h/zwgk/tzgg/index_3.html", 2, "3") == PAGINATION
    assert f.rank("http://h/zwgk/tzgg/index.html?pageNum=2", 2, "下一页") == PAGINATION
    ranks = [f.rank(f"http://h/zwgk/tzgg/202401/t20240101_{i}.html", 3, f"通知 {i}", "http://h/zwgk/tzgg/")
             for i in range(5)]
    assert ranks[:2] == [ARTICLE, ARTICLE] and min(ranks[2:]) > ARTICLE  # a couple of articles per list
    # An article whose title only mentions a wanted word does not jump the queue without bound.
    mails = [f.rank(f"http://h/hdjl/xjxd/202401/t20240101_{i}.html", 3, f"在线咨询答复 {i}", "http://h/hdjl/xjxd/")
             for i in range(6)]
    assert mails.count(WANTED) == 2


def test_error_answers_do_not_spend_the_page_budget():
    dead = "".join(f"<a href='/dead{i}.html'>失效 {i}</a>" for i in range(30))
    good = "".join(f"<a href='/p{i}.html'>栏目 {i}</a>" for i in range(5))
    routes = {"/": page("首页", dead + good), **{f"/p{i}.html": page(f"栏目 {i}") for i in range(5)},
              "/robots.txt": Response("", 404)}
    with LoopbackSite(routes) as site:
        snap = crawl(site, max_pages=6)
        base = site.url
    assert all(snap.page(f"{base}p{i}.html") is not None and snap.page(f"{base}p{i}.html").ok for i in range(5))
    assert snap.coverage.pages_by_status["4xx"] == 30 and snap.coverage.pages_by_status["2xx"] == 6


# -- coverage in the report -------------------------------------------------------------

def cut_site() -> dict:
    letters = "".join(f"<a href='/hdjl/x{i}.html'>群众来信 {i}</a>" for i in range(12))
    return {
        "/": page("示例县人民政府", "<a href='/hdjl/index.html'>互动交流</a><a href='/xxgk/index.html'>政府信息公开</a>"
                               "<a href='/gone.html'>网站地图</a>"),
        "/hdjl/index.html": page("互动交流_示例县人民政府", "<h2>互动交流</h2>" + letters),
        "/xxgk/index.html": page("政府信息公开", "<h2>政府信息公开</h2>"),
        "/robots.txt": Response("", 404),
        **{f"/hdjl/x{i}.html": page(f"来信 {i}") for i in range(12)},
    }


def test_report_says_how_complete_the_crawl_was(tmp_path):
    with LoopbackSite(cut_site()) as site:
        config = AuditConfig(crawl=CrawlOptions(rate=1000, max_pages=4), only=["interaction.message-board"],
                             gather_options={"render": "never"})
        out = run_audit(site.url, config, tmp_path)
        base = site.url
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    jsonschema.validate(report, SCHEMA)
    cov = report["crawl"]["coverage"]
    assert report["partial"] is True  # the page cap cut it
    assert cov["complete"] is False and cov["pages_by_status"]["4xx"] == 1
    assert cov["unvisited"]["by_cause"] == {"page_cap": 11} and cov["unvisited"]["by_section"] == {"/hdjl/": 11}
    assert "4xx 1" in cov["summary"]["zh"] and "/hdjl/" in cov["summary"]["zh"]
    html = (tmp_path / "scorecard.html").read_text("utf-8")
    assert cov["summary"]["zh"] in html
    assert out.snapshot.unvisited_under("/hdjl/").total == 11
    assert out.snapshot.unvisited_under(base + "hdjl/index.html").by_cause == {"page_cap": 11}
    assert out.snapshot.unvisited_under("/xxgk/").total == 0
    assert out.snapshot.why_not_fetched(base + "hdjl/x3.html") == "page_cap"


def test_a_channel_not_found_where_the_crawl_did_not_reach_is_unknown_not_a_veto(tmp_path):
    """The 互动交流 column was read, but the letters under /hdjl/ were cut by the page cap:
    "no consultation channel" cannot be concluded."""
    with LoopbackSite(cut_site()) as site:
        config = AuditConfig(crawl=CrawlOptions(rate=1000, max_pages=4), only=["interaction.message-board"],
                             gather_options={"render": "never"})
        cut = run_audit(site.url, config, None).report["checks"][0]
        config.crawl = CrawlOptions(rate=1000)
        whole = run_audit(site.url, config, None).report["checks"][0]
    assert cut["status"] == "unknown", cut["summary"]
    assert "未抓取到 /hdjl/ 下 11 个链接" in cut["summary"]["zh"]
    assert whole["status"] == "fail"  # the whole column read, and truly no channel


# -- what is gathered -------------------------------------------------------------------

def test_only_identity_checks_send_no_link_checks():
    links = "".join(f"<a href='http://127.0.0.1:1/x{i}'>外链 {i}</a><img src='/i{i}.png'>" for i in range(200))
    routes = {"/": page("示例县人民政府", links + "<p>网站标识码：3307000001</p>"), "/robots.txt": Response("", 404),
              "*": Response(b"png", content_type="image/png")}
    with LoopbackSite(routes) as site:
        out = run_audit(site.url, AuditConfig(crawl=CrawlOptions(rate=1000), only=["identity.*"],
                                              gather_options={"render": "never"}), None)
        paths = [h.path for h in site.hits()]
    assert sorted(paths) == ["/", "/robots.txt"]
    assert out.snapshot.stats["link_checks"] == 0
    assert out.report["crawl"]["options"]["link_checks"] is False


# -- the rate limiter lets the browser go first --------------------------------------------

def test_a_first_caller_goes_ahead_of_the_waiting_crawl_within_the_rate():
    limiter = RateLimiter(rate=50)
    order: list[str] = []
    lock = threading.Lock()
    queued = threading.Event()

    def crawl_worker():
        for _ in range(6):
            limiter.wait("h")
            with lock:
                order.append("crawl")

    workers = [threading.Thread(target=crawl_worker) for _ in range(8)]
    for w in workers:
        w.start()
    while True:  # wait until the crawl workers hold reservations well ahead
        with lock:
            if len(order) >= 4:
                break
        queued.wait(0.005)
    with lock:
        before = len(order)
    limiter.wait("h", first=True)
    with lock:
        order.append("browser")
        position = len(order) - 1
    for w in workers:
        w.join()
    # At most the requests already due went before it (8 workers had slots reserved ahead).
    assert position - before <= 2, order


def test_a_guide_not_found_in_an_unfinished_disclosure_column_is_unknown():
    docs = "".join(f"<a href='/xxgk/d{i}.html'>公开文件 {i}</a>" for i in range(12))
    routes = {"/": page("示例县人民政府", "<a href='/xxgk/index.html'>政府信息公开</a>"),
              "/xxgk/index.html": page("政府信息公开_示例县人民政府", "<h2>政府信息公开</h2>" + docs + "<p>" + "公开" * 60 + "</p>"),
              "/robots.txt": Response("", 404), **{f"/xxgk/d{i}.html": page(f"文件 {i}") for i in range(12)}}
    with LoopbackSite(routes) as site:
        config = AuditConfig(crawl=CrawlOptions(rate=1000, max_pages=3), only=["disclosure.guide"],
                             gather_options={"render": "never"})
        cut = run_audit(site.url, config, None).report["checks"][0]
        config.crawl = CrawlOptions(rate=1000)
        whole = run_audit(site.url, config, None).report["checks"][0]
    assert cut["status"] == "unknown" and "未抓取到 /xxgk/ 下 11 个链接" in cut["summary"]["zh"], cut["summary"]
    assert whole["status"] == "fail", whole["summary"]


def test_unvisited_causes_read_as_counts_not_as_the_caps_value():
    from auditor.crawl.coverage import Unvisited
    gap = Unvisited(total=781, by_cause={"depth": 29, "page_cap": 752}, where="/xxgk/")
    assert gap.causes_text("zh") == "因页数上限 752 个、因深度上限 29 个"
    assert gap.causes_text("en") == "page cap: 752, depth limit: 29"
    assert Unvisited(total=1, by_cause={"robots": 1}).causes_text("zh") == "因 robots.txt 禁止 1 个"
