"""A site whose navigation and letter list exist only after scripts run (issue 5).

The static crawl cannot see the 互动交流 column (the nav is built from a JSON file) nor
its letters (the table body is filled by an XHR); with ``--render auto`` the browser
renders the homepage, the crawl follows the links it found, renders the column whose
table body is empty, and the interaction checks judge the letters — every request the
browser made went through the crawl's fetcher, rate limit and robots.txt.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from auditor.crawl.browser import unavailable_reason
from servers import Response, max_in_window, page

NO_BROWSER = unavailable_reason()
pytestmark = pytest.mark.skipif(NO_BROWSER is not None, reason=f"render tests need a browser: {NO_BROWSER}")

AS_OF = date(2026, 11, 20)
BOARD, RESP = "interaction.message-board", "interaction.response"
FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
NAV_JS = """<div id="nav"></div><script>
fetch('/api/nav.json').then(function (r) { return r.json(); }).then(function (items) {
  document.getElementById('nav').innerHTML = items.map(function (i) {
    return '<a href="' + i[0] + '">' + i[1] + '</a>'; }).join(' ');
});</script>"""
LIST_JS = """<table class="letters"><thead><tr><th>信件标题</th><th>来信时间</th><th>答复时间</th><th>办理状态</th></tr>
</thead><tbody id="letters"></tbody></table><script>
var xhr = new XMLHttpRequest();
xhr.open('GET', '/api/letters.json');
xhr.onload = function () {
  var rows = JSON.parse(xhr.responseText);
  document.getElementById('letters').innerHTML = rows.map(function (r) {
    return '<tr><td><a href="' + r[0] + '">' + r[1] + '</a></td><td>' + r[2] + '</td><td>' + r[3] +
      '</td><td>' + r[4] + '</td></tr>'; }).join('');
};
xhr.send();</script>"""
CRUMB = '<div class="position">当前位置：首页 &gt; 互动交流 &gt; 市长信箱</div>'


def d(days_ago: int) -> str:
    return (AS_OF - timedelta(days=days_ago)).isoformat()


def script_site(letters) -> dict:
    """letters: [(title, asked days ago, answered days ago or None)]."""
    rows = [[f"/hdjl/x/{i}.html", t, d(a), d(r) if r is not None else "—", "已回复" if r is not None else "办理中"]
            for i, (t, a, r) in enumerate(letters)]
    routes = {
        "/": page("示例市人民政府", FILL + NAV_JS),
        "/api/nav.json": Response(json.dumps([["/hdjl/", "市长信箱"], ["/zwgk/", "政务公开"]], ensure_ascii=False),
                                  content_type="application/json; charset=utf-8"),
        "/hdjl/": page("市长信箱_互动交流", CRUMB + LIST_JS),
        "/api/letters.json": Response(json.dumps(rows, ensure_ascii=False), content_type="application/json; charset=utf-8"),
        "/zwgk/": page("政务公开", FILL),
    }
    for i, (t, a, r) in enumerate(letters):
        reply = f"<p>回复时间：{d(r)}</p><p>回复内容：已转有关部门办理。</p>" if r is not None else "<p>暂无回复</p>"
        routes[f"/hdjl/x/{i}.html"] = page(t, CRUMB + f"<h1>{t}</h1><p>来信时间：{d(a)}</p>{reply}")
    return routes


ANSWERED = [(f"咨询事项{i}", 5 + 20 * i, 2 + 20 * i) for i in range(6)]


def checks(audit_site, routes, render, **kw):
    out = audit_site(routes, only=[BOARD, RESP], as_of=AS_OF, render=render, **kw)
    return out, {c["id"]: c for c in out.report["checks"]}


def test_static_crawl_misses_the_board_and_auto_finds_it(audit_site):
    routes = script_site(ANSWERED)
    static, st = checks(audit_site, routes, "never")
    assert [p.url for p in static.snapshot.pages.values()] == [static.snapshot.start_url]
    assert st[BOARD]["status"] == "unknown" and st[RESP]["status"] == "unknown"  # never a false failure
    assert "--render auto" in st[BOARD]["summary"]["zh"]

    out, rd = checks(audit_site, routes, "auto")
    snap = out.snapshot
    column = snap.page(snap.start_url + "hdjl/")
    assert column is not None and column.depth == 1  # found through the rendered nav
    assert column.rendered and "empty list container" in column.rendered_why
    assert "咨询事项0" in column.text and "咨询事项0" not in column.static_facts.text
    assert snap.page(snap.start_url + "hdjl/x/0.html") is not None  # the letters were crawled too
    assert rd[BOARD]["status"] == "pass", rd[BOARD]["summary"]
    assert rd[RESP]["status"] == "pass", rd[RESP]["summary"]
    assert rd[RESP]["details"]["letters"] >= 6


def test_rendered_letters_overdue_fail(audit_site):
    letters = ANSWERED[:5] + [("反映噪声扰民", 158, None)]
    _, rd = checks(audit_site, script_site(letters), "auto")
    r = rd[RESP]
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["overdue_unanswered"] == 1
    assert "反映噪声扰民" in json.dumps(r["evidence"], ensure_ascii=False)


def test_rendering_obeys_robots_and_the_rate_limit(audit_site):
    from servers import LoopbackSite

    routes = script_site(ANSWERED)
    routes["/robots.txt"] = Response("User-agent: *\nDisallow: /hdjl/\n", content_type="text/plain")
    site = LoopbackSite(routes).start()
    try:
        out, rd = checks(audit_site, site, "auto", rate=4)
    finally:
        site.stop()
    snap = out.snapshot
    # The browser found the link, but robots.txt keeps the crawl and the browser out.
    assert snap.why_not_fetched(snap.start_url + "hdjl/") == "robots"
    assert not site.hits("/hdjl/") and not site.hits("/api/letters.json")
    # The browser's own requests (homepage again, nav.json) shared the crawl's pace: 4 per second.
    assert site.hits("/api/nav.json")
    times = [h.at for h in site.log]
    assert max_in_window(times, 1.0) <= 5
    assert out.report["checks"]


def test_browser_uses_the_audits_resolve_and_ca_bundle(tmp_path, capsys):
    """www.example.gov.cn has no DNS here: the browser reaches it only through --resolve, over
    HTTPS with a certificate only --ca-bundle trusts, as every crawl request does."""
    import trustme

    from auditor.operations.cli import main
    from netlab import DualSite, server_context

    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    with DualSite(script_site(ANSWERED), tls_context=ctx, v6_routes=False) as site:
        code = main(["audit", f"https://www.example.gov.cn:{site.port}/", "--out", str(tmp_path / "out"), "--quiet",
                     "--rate", "500", "--timeout", "3", "--resolve", f"www.example.gov.cn:{site.port}:127.0.0.1",
                     "--ca-bundle", str(ca_file), "--as-of", AS_OF.isoformat(), "--only", f"{BOARD},{RESP}"])
        nav_hits = site.hits("v4", "/api/nav.json")
        letter_hits = site.hits("v4", "/api/letters.json")
    assert code in (0, 1), capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    status = {c["id"]: c["status"] for c in report["checks"]}
    assert status == {BOARD: "pass", RESP: "pass"}, report["checks"]
    assert nav_hits and letter_hits and nav_hits[0].headers["host"] == f"www.example.gov.cn:{site.port}"
    render = report["crawl"]["render"]
    # The pages' own HTML is served from the crawl's responses; the scripts' requests go to the server.
    assert render["mode"] == "auto" and render["requests"] >= 2 and render["served_from_crawl"] >= 2
    applied = [p for p in render["pages"] if p["applied"]]
    assert applied[0]["why"] == ["homepage"] and "empty list container" in applied[1]["why"]


AXE_CLEAN = page("示例市人民政府", FILL + '<a href="/tzgg/">通知公告</a> <img src="/logo.png" alt="徽标">').replace(
    "<html>", '<html lang="zh-CN">')


def _column(n_rows: int) -> str:
    rows = "".join(f'<li><a href="/tzgg/{i}.html">关于开展第{i}批检查的通知</a><span>{d(3 + i)}</span></li>'
                   for i in range(n_rows))
    return page("通知公告", f"<ul>{rows}</ul>").replace("<html>", '<html lang="zh-CN">')


def _article(i: int, bad: bool) -> str:
    form = '<form><input name="q"></form>' if bad else ""
    img = '<img src="/chart.png">' if bad else '<img src="/chart.png" alt="统计图">'
    return page(f"关于开展第{i}批检查的通知", f"<h1>关于开展第{i}批检查的通知</h1><p>发布日期：{d(3 + i)}</p>{FILL}{img}{form}").replace(
        "<html>", '<html lang="zh-CN">')


def test_axe_judges_a_sample_of_column_and_article_pages(audit_site):
    def site(bad_article: bool) -> dict:
        routes = {"/": AXE_CLEAN, "/tzgg/": _column(12)}
        for i in range(12):
            routes[f"/tzgg/{i}.html"] = _article(i, bad=bad_article)
        return routes

    clean = audit_site(site(False), only=["a11y.axe"], as_of=AS_OF, render="auto")
    r = next(c for c in clean.report["checks"] if c["id"] == "a11y.axe")
    if clean.snapshot.facts["render"]["homepage"]["axe"]["state"] == "not-installed":
        pytest.skip("axe-playwright-python is not installed")
    kinds = [p["kind"] for p in r["details"]["pages"]]
    assert kinds[0] == "homepage" and "column" in kinds and "article" in kinds, r["details"]["pages"]
    assert r["status"] == "pass", r["summary"]

    bad = audit_site(site(True), only=["a11y.axe"], as_of=AS_OF, render="auto")
    r = next(c for c in bad.report["checks"] if c["id"] == "a11y.axe")
    assert r["status"] == "fail", r["summary"]  # image-alt is critical
    image_alt = next(v for v in r["details"]["by_impact"]["critical"] if v["id"] == "image-alt")
    articles = [p["url"] for p in r["details"]["pages"] if p["kind"] == "article"]
    assert len(articles) == 2 and image_alt["pages"] == articles  # the clean homepage and column are not named
    assert "image-alt" in r["details"]["by_criterion"]["1.1.1"]
    assert "image-alt" in r["details"]["by_gbt_level"]["一级"]  # WCAG A: GB/T 37668 一级
    assert {e["url"] for e in r["evidence"]} == set(articles)


def test_a_stub_homepage_hands_the_rendered_dom_to_the_real_one(audit_site):
    routes = script_site(ANSWERED)
    routes["/index.html"] = routes["/"]
    routes["/"] = '<html><head><meta http-equiv="refresh" content="0;url=/index.html"></head><body></body></html>'
    out, rd = checks(audit_site, routes, "auto")
    snap = out.snapshot
    assert snap.homepage.url.endswith("/index.html")
    assert snap.homepage.rendered and "市长信箱" in snap.homepage.text
    assert not snap.start_page.rendered  # the stub keeps its own HTML
    assert rd[BOARD]["status"] == "pass", rd[BOARD]["summary"]


def test_a_hanging_third_party_script_cannot_hang_the_render(audit_site):
    """A blocking <script> and an XHR to a host that accepts and never answers (a CDN the
    network cannot reach): the browser's requests time out like the crawl's, that host is
    given up after the first failure, and the homepage is still rendered and judged."""
    import time

    from servers import RawServer, silent

    hang = RawServer(silent).start()
    try:
        home = page("示例市人民政府", FILL + NAV_JS + f'<script src="{hang.url}cdn/jquery.js"></script>'
                    f"<script>fetch('{hang.url}stat/count');</script>")
        routes = dict(script_site(ANSWERED), **{"/": home})
        t0 = time.monotonic()
        out, rd = checks(audit_site, routes, "auto", timeout=2)
        took = time.monotonic() - t0
    finally:
        hang.stop()
    assert took < 40, took
    render = out.report["crawl"]["render"]
    assert render["pages"][0]["why"] == ["homepage"] and render["pages"][0]["applied"], render
    assert sum(render["refused"].values()) >= 2, render["refused"]  # the timed-out script, the XHR given up
    assert rd[BOARD]["status"] == "pass", rd[BOARD]["summary"]


def test_a_nav_the_browser_could_not_build_is_no_proof_of_absence(audit_site):
    routes = script_site(ANSWERED)
    routes["/api/nav.json"] = Response("error", status=500, content_type="text/plain")
    out, rd = checks(audit_site, routes, "auto")
    assert out.snapshot.homepage.rendered  # rendered, but the nav is still empty
    assert rd[BOARD]["status"] == "unknown", rd[BOARD]["summary"]  # not a false veto failure


def test_a_browser_that_does_not_answer_never_holds_the_crawl(audit_site, monkeypatch):
    """A render still unanswered after the job deadline is given up: the crawl ends, the page
    keeps its static HTML, and the report says why."""
    import time

    from auditor.crawl.browser.plan import RenderPlan
    from servers import trickle_body

    monkeypatch.setattr(RenderPlan, "JOB_DEADLINE", 1.0)
    routes = script_site(ANSWERED)
    routes["/"] = page("示例市人民政府", FILL + NAV_JS + '<script src="/slow.js"></script>')
    routes["/slow.js"] = trickle_body(0.2, content_type="application/javascript", max_seconds=8)
    t0 = time.monotonic()
    out, rd = checks(audit_site, routes, "auto", timeout=20)
    assert time.monotonic() - t0 < 15
    home = out.report["crawl"]["render"]["pages"][0]
    assert home["why"] == ["homepage"] and "did not answer" in home["error"], home
    assert not out.snapshot.homepage.rendered
    assert rd[BOARD]["status"] == "unknown", rd[BOARD]["summary"]


def test_unreadable_robots_txt_still_renders_the_named_page_only(audit_site):
    """robots.txt answering 500 means "disallow all" except the page the user named (RFC 9309,
    as the crawl does): the browser renders that page, and follows none of its script links."""
    routes = script_site(ANSWERED)
    routes["/robots.txt"] = Response("oops", status=500, content_type="text/plain")
    out = audit_site(routes, only=["site.mobile", BOARD], as_of=AS_OF, render="auto")
    snap = out.snapshot
    assert snap.homepage.rendered and "市长信箱" in snap.homepage.text
    assert snap.page(snap.start_url + "hdjl/") is None
    assert snap.why_not_fetched(snap.start_url + "hdjl/") == "robots"
    assert next(c for c in out.report["checks"] if c["id"] == "site.mobile")["status"] in ("pass", "warn", "fail")


def test_subresource_redirects_go_through_the_fetcher_too(audit_site):
    """A script behind a redirect: the fetcher follows the hop (Chromium would follow a fulfilled
    redirect by itself, past the rate limit); the nav it builds still appears."""
    from servers import LoopbackSite

    routes = script_site(ANSWERED)
    routes["/"] = page("示例市人民政府", FILL + '<div id="nav"></div><script src="/old/nav.js"></script>')
    routes["/old/nav.js"] = Response("", 302, {"Location": "/static/nav.js"})
    routes["/static/nav.js"] = Response(NAV_JS.split("<script>")[1].split("</script>")[0],
                                        content_type="application/javascript")
    site = LoopbackSite(routes).start()
    try:
        out, rd = checks(audit_site, site, "auto")
        ua = {h.path: h.headers.get("user-agent", "") for h in site.log}
    finally:
        site.stop()
    assert "市长信箱" in out.snapshot.homepage.text
    assert "gov-audit" in ua["/static/nav.js"].lower(), ua  # fetched by the audit, not by Chromium itself


def test_resources_scripts_insert_are_not_link_checked_but_their_links_are(audit_site):
    """A counter script inserted by an inline snippet (as 百度统计 does) is no broken link of the
    homepage, even when its host does not answer; a dead link the script-built nav writes is."""
    from servers import free_port_refusing

    dead = f"http://127.0.0.1:{free_port_refusing()}/"
    routes = script_site(ANSWERED)
    routes["/api/nav.json"] = Response(json.dumps([["/hdjl/", "市长信箱"], ["/gone/", "已删除栏目"]], ensure_ascii=False),
                                       content_type="application/json; charset=utf-8")
    routes["/"] = page("示例市人民政府", FILL + NAV_JS + "<script>var s = document.createElement('script');"
                       f"s.src = '{dead}hm.js?abc'; document.head.appendChild(s);</script>")
    out = audit_site(routes, only=["links.homepage"], as_of=AS_OF, render="auto")
    snap = out.snapshot
    assert any(l.url.startswith(dead) for l in snap.homepage.links)  # in the rendered DOM
    assert not any(u.startswith(dead) for u in snap.link_checks)  # but not checked
    r = next(c for c in out.report["checks"] if c["id"] == "links.homepage")
    assert r["status"] == "fail", r["summary"]
    assert any("/gone/" in (e["url"] or "") for e in r["evidence"]), r["evidence"]
    assert not any(dead in (e["url"] or "") for e in r["evidence"])


def test_every_cookie_the_site_sets_reaches_the_browser(audit_site):
    """Two Set-Cookie headers, one with an Expires date (a comma inside): the browser keeps both
    and sends them back on the XHR, as a site's anti-bot or session check expects."""
    from servers import LoopbackSite

    routes = script_site(ANSWERED)
    home = page("示例市人民政府", FILL + NAV_JS)
    site = LoopbackSite(routes).start()

    def homepage(handler):
        body = home.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Set-Cookie", "a=1; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT")
        handler.send_header("Set-Cookie", "b=2; Path=/")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return None

    site.routes["/"] = homepage
    try:
        checks(audit_site, site, "auto")
        nav = site.hits("/api/nav.json")
    finally:
        site.stop()
    assert nav, "the browser never asked for the nav"
    cookie = nav[-1].headers.get("cookie", "")
    assert "a=1" in cookie and "b=2" in cookie, cookie
