"""links.site against real loopback sites: dead pages, attachments and images across the crawl."""
from __future__ import annotations

import pytest

from servers import Response, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
PNG = Response(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
PDF = Response(b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def base_routes():
    return {
        "/": page("示例市人民政府", FILL + '<a href="/xxgk/index.html">政府信息公开</a><img src="/logo.png" alt="标志">'),
        "/xxgk/index.html": page("政府信息公开", FILL + '<a href="/xxgk/czyjs.html">财政预决算</a>'
                                 '<img src="/img/banner.png" alt="专题横幅">'),
        "/xxgk/czyjs.html": page("财政预决算", FILL + '<a href="/files/ys2026.pdf">2026年预算.pdf</a>'
                                 '<a href="/files/ys2025.pdf">2025年预算公开说明.pdf</a>'),
        "/logo.png": PNG, "/img/banner.png": PNG, "/files/ys2026.pdf": PDF,
    }


def test_dead_attachment_deep_in_the_site_warns_with_its_referrer(audit_site):
    out = audit_site(base_routes(), only=["links.site"])
    r = result(out, "links.site")
    assert r["status"] == "warn", r["summary"]
    d = r["details"]
    assert d["dead"] == 1
    row = d["dead_links"][0]
    assert row["url"].endswith("/files/ys2025.pdf") and row["error"] == "HTTP 404"
    assert row["text"] == "2025年预算公开说明.pdf" and row["referrers"][0].endswith("/xxgk/czyjs.html")
    ev = r["evidence"][0]
    assert "站内附件" in ev["excerpt"] and "czyjs.html" in ev["excerpt"] and ev["note"]["zh"] == "确定不可用"
    # Coverage is told: the image on the depth-1 page was not link-checked (--link-check-depth 0).
    assert d["pages_crawled"] == 3 and d["unchecked"] == 1 and d["unchecked_by_kind"]["resource"] == 1
    assert d["link_check_depth"] == 0 and "只检查了首页" in r["summary"]["zh"]


def test_link_check_depth_widens_the_coverage(audit_site):
    routes = base_routes()
    del routes["/img/banner.png"]
    out = audit_site(routes, only=["links.site"], link_check_depth=1)
    d = result(out, "links.site")["details"]
    assert d["unchecked"] == 0 and d["dead"] == 2
    assert {x["url"].rsplit("/", 1)[-1] for x in d["dead_links"]} == {"ys2025.pdf", "banner.png"}


def test_many_dead_links_fail(audit_site):
    routes = base_routes()
    routes["/files/ys2025.pdf"] = PDF
    routes["/xxgk/index.html"] = page("政府信息公开", FILL + "".join(
        f'<a href="/xxgk/doc{i}.html">已删除的文件{i}</a>' for i in range(12)) + '<a href="/xxgk/czyjs.html">财政预决算</a>')
    r = result(audit_site(routes, only=["links.site"]), "links.site")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["dead"] == 12
    assert r["remediation"] is not None


def test_rate_threshold_from_the_profile(audit_site, tmp_path):
    prof = tmp_path / "p.toml"
    prof.write_text('extends = "city"\n[thresholds]\nsite_dead_links_fail = 100\nsite_dead_links_fail_rate = 0.2\n'
                    '[checks."links.site"]\nrate_min_links = 3\n', "utf-8")
    r = result(audit_site(base_routes(), only=["links.site"], profile=str(prof)), "links.site")
    assert r["status"] == "fail", r["summary"]  # 1 dead of 4 checked = 25 % >= 20 %


def test_all_links_open_passes_and_suspect_links_are_apart(audit_site):
    routes = base_routes()
    routes["/files/ys2025.pdf"] = PDF
    routes["/xxgk/busy.html"] = Response("bad gateway", 502)
    routes["/xxgk/czyjs.html"] = page("财政预决算", FILL + '<a href="/files/ys2026.pdf">2026年预算.pdf</a>'
                                      '<a href="/files/ys2025.pdf">2025年预算.pdf</a><a href="/xxgk/busy.html">繁忙</a>'
                                      '<a href="/private/x.html">内部</a>')
    routes["/robots.txt"] = Response("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    r = result(audit_site(routes, only=["links.site"]), "links.site")
    assert r["status"] == "pass", r["summary"]
    d = r["details"]
    assert d["dead"] == 0 and d["suspect"] == 1 and d["suspect_links"][0]["error"] == "HTTP 502"
    assert d["unchecked_by_kind"]["page"] == 1  # the robots-disallowed page: counted, not dead
    assert "疑似不可用 1 个" in r["summary"]["zh"]


def test_suspect_links_warn_from_the_threshold(audit_site):
    routes = base_routes()
    routes["/files/ys2025.pdf"] = PDF
    routes["/xxgk/czyjs.html"] = page("财政预决算", FILL + "".join(
        f'<a href="/busy{i}.html">繁忙{i}</a>' for i in range(3)))
    for i in range(3):
        routes[f"/busy{i}.html"] = Response("error", 500)
    r = result(audit_site(routes, only=["links.site"]), "links.site")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["dead"] == 0 and r["details"]["suspect"] == 3


def test_firewall_403_is_suspect_not_dead(audit_site):
    routes = base_routes()
    routes["/files/ys2025.pdf"] = PDF
    routes["/xxgk/czyjs.html"] = page("财政预决算", FILL + '<a href="/xxgk/guarded.html">受保护页面</a>')
    routes["/xxgk/guarded.html"] = Response("<html><body>安全验证：请完成验证后继续访问（云盾）</body></html>", 403)
    r = result(audit_site(routes, only=["links.site"]), "links.site")
    assert r["details"]["dead"] == 0 and r["details"]["suspect"] == 1, r["summary"]
    assert "firewall" in r["details"]["suspect_links"][0]["error"]


def test_no_links_is_unknown(audit_site):
    r = result(audit_site({"/": page("示例市人民政府", "<div id='app'></div>")}, only=["links.site"]), "links.site")
    assert r["status"] == "unknown", r["summary"]


@pytest.fixture(scope="module")
def demo_out():
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=200), profile="city", as_of=server.as_of, only=["links.site"])
        yield run_audit(server.url, config, None)


def test_demo_site_dead_links(demo_out):
    r = result(demo_out, "links.site")
    assert r["status"] == "warn", r["summary"]
    dead = {x["url"] for x in r["details"]["dead_links"]}
    site = demo_out.snapshot.start_url
    assert dead == {site + "xxgk/files/P020250212_ys2025.pdf", site + "xxgk/jcgk/index.html",
                    site + "images/missing-banner.jpg", "http://127.0.0.1:9/"}  # DEFECTS in build_site.py
    pdf = next(x for x in r["details"]["dead_links"] if x["url"].endswith("P020250212_ys2025.pdf"))
    assert pdf["referrers"][0].endswith("/xxgk/czyjs/index.html")
