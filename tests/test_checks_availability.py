"""site.available and site.homepage-title against real loopback servers."""
from __future__ import annotations

import time

from servers import Response, free_port_refusing, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def profile_file(tmp_path, body):
    path = tmp_path / "site.toml"
    path.write_text('extends = "default"\n' + body, "utf-8")
    return str(path)


# -- site.available -----------------------------------------------------------------
def test_available_pass_with_redirect_chain(audit_site):
    out = audit_site({"/": Response("", 302, {"Location": "/index.html"}),
                      "/index.html": page("示例市人民政府", FILL)}, only=["site.available"])
    r = result(out, "site.available")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["status"] == 200
    assert r["details"]["final_url"].endswith("/index.html")
    assert any("302" in hop for hop in r["details"]["redirects"])
    assert "一周" in r["summary"]["zh"]  # one probe, not the week-long veto
    assert r["veto"] is False


def test_available_fails_on_server_error(audit_site):
    out = audit_site({"/": Response("<h1>Internal error</h1>", 500)}, only=["site.available"])
    r = result(out, "site.available")
    assert r["status"] == "fail"
    assert "500" in r["summary"]["zh"]


def test_available_fails_when_connection_refused(tmp_path):
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions

    url = f"http://127.0.0.1:{free_port_refusing()}/"
    out = run_audit(url, AuditConfig(crawl=CrawlOptions(rate=500), only=["site.available"]), None)
    r = result(out, "site.available")
    assert r["status"] == "fail"
    assert "refused" in r["summary"]["en"]


def test_available_slow_is_warn_and_over_limit_is_fail(audit_site, tmp_path):
    def slow(handler):
        time.sleep(0.4)
        return Response(page("示例市人民政府", FILL))

    warn = audit_site({"/": slow}, only=["site.available"],
                      profile=profile_file(tmp_path, "[thresholds]\nhomepage_slow_seconds = 0.2\n"))
    assert result(warn, "site.available")["status"] == "warn"
    fail = audit_site({"/": slow}, only=["site.available"],
                      profile=profile_file(tmp_path, "[thresholds]\nhomepage_timeout_seconds = 0.3\n"))
    r = result(fail, "site.available")
    assert r["status"] == "fail"
    assert r["details"]["elapsed"] >= 0.3


def test_available_unknown_when_rate_limited_or_challenged(audit_site):
    out = audit_site({"/": Response("slow down", 429, {"Retry-After": "0"})}, only=["site.available"])
    r = result(out, "site.available")
    assert r["status"] == "unknown"
    assert "429" in r["summary"]["zh"]
    # A WAF challenge page with a 403: the body says so, even though the crawler drops bodies.
    out = audit_site({"/": Response("<html><body>安全验证：请完成 captcha 后继续访问</body></html>", 403)},
                     only=["site.available"])
    assert result(out, "site.available")["status"] == "unknown"


def test_available_unknown_when_robots_forbids_homepage(audit_site):
    out = audit_site({"/robots.txt": Response("User-agent: *\nDisallow: /\n", content_type="text/plain"),
                      "/": page("示例市人民政府", FILL)}, only=["site.available"])
    r = result(out, "site.available")
    assert r["status"] == "unknown"
    assert "robots" in r["summary"]["en"]


# -- site.homepage-title --------------------------------------------------------------
def test_title_names_the_site(audit_site):
    out = audit_site({"/": page("示例市人民政府门户网站", FILL, '<meta name="SiteName" content="示例市人民政府">')},
                     only=["site.homepage-title"])
    r = result(out, "site.homepage-title")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["matched"] == "示例市人民政府"


def test_title_matches_footer_sponsor(audit_site):
    body = FILL + '<div class="footer">主办单位：示例市人民政府办公室 电话：0531-12345678</div>'
    out = audit_site({"/": page("首都之窗_示例市人民政府门户网站", body)}, only=["site.homepage-title"])
    assert result(out, "site.homepage-title")["status"] == "pass"


def test_title_placeholder_is_warn(audit_site):
    out = audit_site({"/": page("首页", FILL)}, only=["site.homepage-title"])
    r = result(out, "site.homepage-title")
    assert r["status"] == "warn"
    assert r["remediation"] is not None
    out = audit_site({"/": page(" 无标题文档 ", FILL)}, only=["site.homepage-title"])
    assert result(out, "site.homepage-title")["status"] == "warn"


def test_title_not_naming_the_site_is_warn(audit_site):
    body = FILL + '<div class="footer">主办单位：示例市人民政府办公室</div>'
    out = audit_site({"/": page("欢迎光临", body)}, only=["site.homepage-title"])
    r = result(out, "site.homepage-title")
    assert r["status"] == "warn"
    assert "示例市人民政府办公室" in r["summary"]["zh"]


def test_title_missing_is_fail(audit_site):
    html = f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{FILL}</body></html>"
    out = audit_site({"/": html}, only=["site.homepage-title"])
    assert result(out, "site.homepage-title")["status"] == "fail"


def test_title_unknown_when_homepage_unreadable(audit_site):
    out = audit_site({"/": Response("down", 502)}, only=["site.homepage-title"])
    assert result(out, "site.homepage-title")["status"] == "unknown"


def test_available_timeout_shorter_than_the_rule_is_warn_not_fail(audit_site):
    def stuck(handler):
        time.sleep(1.5)
        return Response(page("示例市人民政府", FILL))

    out = audit_site({"/": stuck}, only=["site.available"], timeout=0.5)
    r = result(out, "site.available")
    assert r["status"] == "warn", r["summary"]
    assert "15" in r["summary"]["zh"]


def test_available_follows_meta_refresh_stub(audit_site):
    out = audit_site({"/": page("跳转", "", '<meta http-equiv="refresh" content="0;url=/site/index.html">'),
                      "/site/index.html": Response("", 301, {"Location": "/site/main.html"}),
                      "/site/main.html": page("示例市人民政府", FILL)}, only=["site.available"])
    r = result(out, "site.available")
    assert r["status"] == "pass"
    assert r["details"]["final_url"].endswith("/site/main.html")
    assert len(r["details"]["redirects"]) == 2


def test_available_crawl_delay_does_not_hide_a_slow_homepage(audit_site, tmp_path):
    # Fetch.elapsed is network time only (the limiter's wait is not in it), so a robots
    # Crawl-delay must not be subtracted from it: a 0.4 s homepage with Crawl-delay: 1 is slow.
    def slow(handler):
        time.sleep(0.4)
        return Response(page("示例市人民政府", FILL))

    routes = {"/robots.txt": Response("User-agent: *\nCrawl-delay: 1\n", content_type="text/plain"), "/": slow}
    out = audit_site(routes, only=["site.available"],
                     profile=profile_file(tmp_path, "[thresholds]\nhomepage_slow_seconds = 0.2\n"))
    r = result(out, "site.available")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["elapsed"] >= 0.4
    assert r["details"]["elapsed"] == r["details"]["measured"]
