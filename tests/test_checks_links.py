"""links.homepage against real loopback servers: dead pages, refused ports, images, slow and 5xx links."""
from __future__ import annotations

import time

from servers import LoopbackSite, Response, free_port_refusing, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
PNG = Response(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def slow(handler):
    time.sleep(2.0)
    return Response(page("慢页面", FILL))


def test_dead_and_suspect_links_are_told_apart(audit_site):
    refused = f"http://127.0.0.1:{free_port_refusing()}/xxgk/index.html"
    body = (FILL
            + '<a href="/ok.html">正常页面</a>'
            + '<a href="/missing.html">失效页面</a><a href="/missing.html#top">失效页面（重复）</a>'
            + f'<a href="{refused}">已关停的专题网站</a>'
            + '<img src="/images/logo.png" alt="网站标志"><img src="/images/banner.png" alt="专题横幅">'
            + '<a href="/error.html">服务器出错的页面</a>'
            + '<a href="/slow.html">很慢的页面</a>'
            + '<link rel="stylesheet" href="/css/style.css">')
    routes = {"/": page("示例市人民政府", body), "/ok.html": page("正常", FILL), "/images/logo.png": PNG,
              "/error.html": Response("<h1>500</h1>", 500), "/slow.html": slow,
              "/css/style.css": Response("body{}", content_type="text/css")}
    out = audit_site(routes, only=["links.homepage"], timeout=1.0)
    r = result(out, "links.homepage")
    assert r["status"] == "fail", r["summary"]
    d = r["details"]
    dead = {x["url"].rsplit("/", 1)[-1]: x for x in d["dead_links"]}
    assert set(dead) == {"missing.html", "index.html", "banner.png"}
    assert dead["missing.html"]["error"] == "HTTP 404" and dead["missing.html"]["text"] == "失效页面"
    assert dead["index.html"]["error"] == "connection refused"
    assert dead["banner.png"]["tag"] == "img" and dead["banner.png"]["text"] == "专题横幅"
    suspect = {x["url"].rsplit("/", 1)[-1]: x["error"] for x in d["suspect_links"]}
    assert suspect["error.html"] == "HTTP 500"
    assert "timed out" in suspect["slow.html"]
    assert d["dead"] == 3  # the repeated /missing.html counts once
    assert d["ok"] >= 3  # the page, the logo image and the stylesheet
    notes = [e["note"]["zh"] for e in r["evidence"]]
    assert notes.count("确定不可用") == 3 and notes.count("疑似不可用") == 2
    assert any("失效页面" in e["excerpt"] for e in r["evidence"])


def test_only_suspect_links_is_warn(audit_site):
    body = FILL + '<a href="/ok.html">正常页面</a><a href="/busy.html">繁忙页面</a>'
    out = audit_site({"/": page("示例市人民政府", body), "/ok.html": page("正常", FILL),
                      "/busy.html": Response("bad gateway", 502)}, only=["links.homepage"])
    r = result(out, "links.homepage")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["dead"] == 0 and r["details"]["suspect"] == 1


def test_all_links_ok_and_unchecked_ones_are_only_counted(audit_site):
    with LoopbackSite({"/partner.html": page("外部网站", FILL)}) as other:
        body = (FILL + '<a href="/ok.html">正常页面</a><img src="/logo.png" alt="标志">'
                + f'<a href="{other.url}partner.html">友情链接</a><a href="/private/x.html">内部页面</a>')
        robots = Response("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        out = audit_site({"/": page("示例市人民政府", body), "/ok.html": page("正常", FILL), "/logo.png": PNG,
                          "/robots.txt": robots}, only=["links.homepage"])
    r = result(out, "links.homepage")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["unchecked"] == 1 and r["details"]["dead"] == 0
    assert "未检查" in r["summary"]["zh"]


def test_dns_failure_is_dead_only_when_the_resolver_works(audit_site):
    with LoopbackSite({"/": page("外部网站", FILL)}) as other:
        body = FILL + f'<a href="{other.url}">友情链接</a><a href="http://gone.example.invalid/">已注销域名</a>'
        r = result(audit_site({"/": page("示例市人民政府", body)}, only=["links.homepage"]), "links.homepage")
    assert r["status"] == "fail"
    assert r["details"]["dead_links"][0]["error"] == "DNS lookup failed"
    # With no other external host answering, a DNS failure may be the auditor's own network.
    body = FILL + '<a href="http://gone.example.invalid/">已注销域名</a>'
    r = result(audit_site({"/": page("示例市人民政府", body)}, only=["links.homepage"]), "links.homepage")
    assert r["status"] == "warn"
    assert r["details"]["suspect"] == 1


def test_no_links_is_unknown(audit_site):
    out = audit_site({"/": page("示例市人民政府", "<div id='app'></div>")}, only=["links.homepage"])
    assert result(out, "links.homepage")["status"] == "unknown"


def test_unreadable_homepage_is_unknown(audit_site):
    out = audit_site({"/": Response("down", 503)}, only=["links.homepage"])
    assert result(out, "links.homepage")["status"] == "unknown"
