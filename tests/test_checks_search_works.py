"""search.works (and its ``search`` gatherer) against real loopback search engines."""
from __future__ import annotations

import html as htmlmod
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from servers import LoopbackSite, Response, page

AS_OF = date(2026, 11, 20)
FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
ARTICLES = [  # (path, date, title): 2026-11-18 is too fresh (index lag), 11-10 is searched first
    ("/news/202611/t20261118_1.html", "2026-11-18", "示例市召开冬季安全生产工作会议"),
    ("/news/202611/t20261110_2.html", "2026-11-10", "市政府常务会议研究部署冬季供暖保障工作"),
    ("/news/202611/t20261101_3.html", "2026-11-01", "示例市举办秋季人才招聘会"),
    ("/news/202610/t20261020_4.html", "2026-10-20", "示例市重点项目集中开工"),
]
GET_FORM = ('<form action="/search" method="get"><input name="q" placeholder="请输入关键词">'
            '<input type="submit" value="搜索"></form>')


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def news_routes(form: str = GET_FORM, encoding: str = "utf-8") -> dict:
    charset = f'<meta charset="{encoding}">' if encoding != "utf-8" else ""
    ctype = f"text/html; charset={encoding}"

    def resp(text):
        return Response(text, content_type=ctype, encoding=encoding)

    rows = "".join(f'<li><a href="{p}">{t}</a><span>{d}</span></li>' for p, d, t in ARTICLES)
    routes = {
        "/": resp(page("示例市人民政府", FILL + form + '<a href="/news/index.html">要闻动态</a>', charset)),
        "/news/index.html": resp(page("要闻动态_示例市人民政府",
                                      '<div class="position">当前位置：首页 > 要闻动态</div>'
                                      f'<ul class="list">{rows}</ul>', charset)),
    }
    for p, d, t in ARTICLES:
        routes[p] = resp(page(f"{t}_示例市人民政府", f"<h1>{t}</h1><p>发布时间：{d}</p>" + FILL, charset))
    return routes


def results_page(hits, query, sidebar=True) -> str:
    side = (f'<div class="side"><h3>最新信息</h3><a href="{ARTICLES[0][0]}">{ARTICLES[0][2]}</a></div>'
            if sidebar else "")
    rows = "".join(f'<li><a href="{p}">{t}</a> {d}</li>' for p, d, t in hits)
    tip = f"共找到 {len(hits)} 条结果" if hits else "很抱歉，未找到相关结果"
    return page("搜索结果_示例市人民政府",
                f'<form action="/search"><input name="q" value="{htmlmod.escape(query)}"></form>'
                f"<p>搜索“{htmlmod.escape(query)}”，{tip}</p><ul>{rows}</ul>{side}")


def engine(query):
    return [a for a in ARTICLES if query and query in a[2]]


def get_search(handler):
    q = parse_qs(urlsplit(handler.path).query).get("q", [""])[0]
    return Response(results_page(engine(q), q))


def searches(site, path="/search"):
    return [h for h in site.log if urlsplit(h.path).path == path]


def test_working_get_search_passes(audit_site):
    site = LoopbackSite({**news_routes(), "/search": get_search}).start()
    try:
        out = audit_site(site, only=["search.works"], as_of=AS_OF)
    finally:
        site.stop()
    r = result(out, "search.works")
    assert r["status"] == "pass", r["summary"]
    q = r["details"]["queries"][0]
    assert q["query"] == ARTICLES[1][2] and q["match"]["by"] == "url"
    assert any(e["url"].endswith(ARTICLES[1][0]) for e in r["evidence"])
    asked = [parse_qs(urlsplit(h.path).query)["q"][0] for h in searches(site)]
    assert asked == [ARTICLES[1][2], "zqxjvkwp7391"]  # the article, then the nonsense control


def test_search_returning_500_fails(audit_site):
    routes = {**news_routes(), "/search": Response("<h1>Internal Server Error</h1>", 500)}
    r = result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "fail", r["summary"]
    assert "500" in r["summary"]["zh"]
    assert r["remediation"] is not None


def test_always_empty_search_fails_with_what_came_back(audit_site):
    routes = {**news_routes(), "/search": lambda h: Response(results_page([], "x", sidebar=False))}
    r = result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "fail", r["summary"]
    assert len(r["details"]["queries"]) == 2  # a second article was tried before failing
    assert any("未找到相关结果" in e["excerpt"] for e in r["evidence"])
    assert any(e["note"]["zh"] == "被搜索的文章" for e in r["evidence"])


def test_results_page_that_ignores_the_query_fails(audit_site):
    fixed = [ARTICLES[2], ARTICLES[3]]  # the same two items whatever is asked
    routes = {**news_routes(), "/search": lambda h: Response(results_page(fixed, "x", sidebar=False))}
    r = result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["queries"][0]["same_as_nonsense"] is True


def test_article_in_a_latest_news_box_as_well_as_in_the_results(audit_site):
    # Every results page lists the searched articles in a "latest" box; a working engine lists
    # the article once more among its results: found. An engine that finds nothing: not found.
    def box(hits, q):
        side = "".join(f'<li><a href="{p}">{t}</a></li>' for p, _, t in ARTICLES[1:3])
        return Response(results_page(hits, q, sidebar=False) + f'<ul class="latest">{side}</ul>')

    def working(handler):
        q = parse_qs(urlsplit(handler.path).query).get("q", [""])[0]
        return box(engine(q), q)

    r = result(audit_site({**news_routes(), "/search": working}, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "pass", r["summary"]
    r = result(audit_site({**news_routes(), "/search": lambda h: box([], "x")}, only=["search.works"], as_of=AS_OF),
               "search.works")
    assert r["status"] == "fail", r["summary"]


def test_article_only_where_the_nonsense_query_shows_it_too_is_unknown(audit_site):
    # The page differs by query (a "related searches" block), but the article only shows in the
    # box every results page has: nothing proves the search found it.
    def related(handler):
        q = parse_qs(urlsplit(handler.path).query).get("q", [""])[0]
        rel = f'<a href="/zt/{len(q)}.html">相关专题</a>'
        side = "".join(f'<li><a href="{p}">{t}</a></li>' for p, _, t in ARTICLES[1:3])
        return Response(page("搜索结果", f"<p>搜索“{htmlmod.escape(q)}”</p>{rel}<ul class='latest'>{side}</ul>"))

    r = result(audit_site({**news_routes(), "/search": related}, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "unknown", r["summary"]


def test_post_search_form_with_hidden_fields(audit_site):
    form = ('<form name="searchform" action="/was5/web/search" method="post">'
            '<input type="hidden" name="channelid" value="123"><input name="searchword" type="text">'
            '<input type="submit" value="搜索"></form>')
    seen = []

    def post_search(handler):
        if handler.command != "POST":
            return Response("<h1>405</h1>", 405)
        n = int(handler.headers.get("Content-Length") or 0)
        fields = parse_qs(handler.rfile.read(n).decode("ascii"))
        seen.append(fields)
        if fields.get("channelid") != ["123"]:
            return Response(results_page([], ""))
        q = fields.get("searchword", [""])[0]
        return Response(results_page(engine(q), q))

    out = audit_site({**news_routes(form), "/was5/web/search": post_search}, only=["search.works"], as_of=AS_OF)
    r = result(out, "search.works")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["queries"][0]["method"] == "POST"
    assert seen[0]["searchword"] == [ARTICLES[1][2]] and seen[0]["channelid"] == ["123"]


def test_gbk_site_gets_a_gbk_encoded_query(audit_site):
    def gbk_search(handler):
        q = parse_qs(urlsplit(handler.path).query, encoding="gbk").get("q", [""])[0]
        return Response(results_page(engine(q), q), content_type="text/html; charset=gbk", encoding="gbk")

    out = audit_site({**news_routes(encoding="gbk"), "/search": gbk_search}, only=["search.works"], as_of=AS_OF)
    assert result(out, "search.works")["status"] == "pass"


def test_search_url_built_by_a_script(audit_site):
    box = ('<div class="search"><input type="text" id="kw" placeholder="请输入关键字">'
           '<a href="javascript:void(0)" onclick="doSearch()">搜索</a></div>'
           "<script>function doSearch(){var k=document.getElementById('kw').value;"
           "window.open('/jsearchfront/search.do?websiteid=1&q=' + encodeURIComponent(k));}</script>")

    def js_search(handler):
        q = parse_qs(urlsplit(handler.path).query).get("q", [""])[0]
        return Response(results_page(engine(q), q))

    out = audit_site({**news_routes(box), "/jsearchfront/search.do": js_search}, only=["search.works"], as_of=AS_OF)
    r = result(out, "search.works")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["template"].endswith("/jsearchfront/search.do?websiteid=1&q=")


def test_search_page_reached_by_a_link(audit_site):
    routes = news_routes('<a href="/sousuo.html">站内搜索</a>')
    routes["/sousuo.html"] = page("站内搜索", FILL + GET_FORM)
    routes["/search"] = get_search
    r = result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["entry"]["page_url"].endswith("/sousuo.html")


def test_script_submitted_box_without_a_url_is_unknown(audit_site):
    box = ('<div class="search"><input type="text" id="searchKey" placeholder="请输入关键字">'
           '<a href="javascript:doSearch()">搜索</a></div><script src="/js/search.js"></script>')
    r = result(audit_site(news_routes(box), only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "unknown", r["summary"]
    assert r["details"]["state"] == "script-only"


def test_results_loaded_by_xhr_is_unknown(audit_site):
    shell = page("站内搜索", '<div id="result"></div><script>$.ajax({url: "/api/search", data: {q: getQueryString("q")},'
                         ' success: function (d) { render(d); }});</script>')
    routes = {**news_routes(), "/search": Response(shell)}
    r = result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "unknown", r["summary"]
    assert r["details"]["js_driven"] is True


def test_robots_disallowed_search_is_not_submitted(audit_site):
    robots = Response("User-agent: *\nDisallow: /search\n", content_type="text/plain")
    site = LoopbackSite({**news_routes(), "/search": get_search, "/robots.txt": robots}).start()
    try:
        out = audit_site(site, only=["search.works"], as_of=AS_OF)
    finally:
        site.stop()
    r = result(out, "search.works")
    assert r["status"] == "unknown", r["summary"]
    assert "robots" in r["summary"]["zh"]
    assert searches(site) == []


def test_no_search_is_na_and_no_article_is_unknown(audit_site):
    routes = news_routes(form="")
    assert result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")["status"] == "na"
    routes = {"/": page("示例市人民政府", FILL + GET_FORM), "/search": get_search}
    r = result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "unknown", r["summary"]
    assert "文章" in r["summary"]["zh"]


def test_blocked_search_is_unknown(audit_site):
    routes = {**news_routes(), "/search": Response("请求过于频繁", 429, {"Retry-After": "1"})}
    r = result(audit_site(routes, only=["search.works"], as_of=AS_OF), "search.works")
    assert r["status"] == "unknown", r["summary"]


@pytest.fixture(scope="module")
def demo_report():
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=200), profile="city", as_of=server.as_of,
                             only=["search.works", "search.present"])
        yield run_audit(server.url, config, None).report


def test_demo_search_works(demo_report):
    r = result(type("O", (), {"report": demo_report}), "search.works")
    assert r["status"] == "pass", r["summary"]
    assert result(type("O", (), {"report": demo_report}), "search.present")["status"] == "pass"


def test_search_on_inner_pages_is_submitted_when_the_homepage_has_none(audit_site):
    # The homepage (a banner portal) has no search box; the column pages' header has it.
    routes = news_routes(form="")
    column = routes["/news/index.html"]
    routes["/news/index.html"] = Response(column.body.replace("<body>", "<body>" + GET_FORM), content_type=column.content_type)
    site = LoopbackSite({**routes, "/search": get_search}).start()
    try:
        out = audit_site(site, only=["search.works", "search.present"], as_of=AS_OF)
    finally:
        site.stop()
    r = result(out, "search.works")
    assert r["status"] == "pass", r["summary"]
    assert searches(site), "the inner page's form was submitted"
    assert result(out, "search.present")["status"] == "warn"
