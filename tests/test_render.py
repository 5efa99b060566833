"""The render gatherer and the checks that read it, against loopback sites in the system chromium.

Skipped only when no chromium or no playwright package is installed (auditor.crawl.browser
says which); the "browser missing" path is tested without either.
"""
from __future__ import annotations

import pytest

from auditor.operations.audit import AuditConfig, run_audit
from auditor.crawl.browser import unavailable_reason
from auditor.crawl.crawler import CrawlOptions
from servers import LoopbackSite, page

NO_BROWSER = unavailable_reason()
needs_browser = pytest.mark.skipif(NO_BROWSER is not None, reason=f"render tests need a browser: {NO_BROWSER}")

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
FILLER = "<p>" + "本网站为政府门户网站，发布政务信息和办事服务。" * 12 + "</p>"

SCRIPT_NAV = page("某市人民政府", FILLER + """<nav id="nav"></nav>
<script>
document.getElementById('nav').innerHTML =
  '<a href="/news/">新闻动态</a> <a href="/gk/">政务公开</a> <a href="/wza/">无障碍</a>';
</script>""", head=VIEWPORT)
WIDE = page("宽表格", FILLER + '<table style="width:2000px"><tr><td>数据</td></tr></table>'
            '<img src="/a.png"><img src="/b.png"><img src="/c.png" alt="">')
CLEAN = page("响应式", FILLER + '<img src="/a.png" alt="徽标"><form><label for="q">搜索</label>'
             '<input id="q" name="q"></form>', head=VIEWPORT).replace("<html>", '<html lang="zh-CN">')


class _Done:
    """What a stopped LoopbackSite still tells: its URL and its request log."""

    def __init__(self, site: LoopbackSite) -> None:
        self.url = site.url
        self.log = site.log
        self.hits = site.hits


def audit(tmp_path, routes, *, only, render="auto", pdf=False):
    site = LoopbackSite(routes).start()
    done = _Done(site)
    try:
        config = AuditConfig(crawl=CrawlOptions(rate=500, max_pages=20), only=only,
                             gather_options={"render": render}, pdf=pdf)
        return run_audit(site.url, config, tmp_path / "out"), done
    finally:
        site.stop()


def result(outcome, check_id):
    return next(c for c in outcome.report["checks"] if c["id"] == check_id)


@needs_browser
def test_render_finds_links_that_only_scripts_write(tmp_path):
    routes = {"/": SCRIPT_NAV, "/news/": page("新闻", FILLER), "/gk/": page("公开", FILLER),
              "/wza/": page("无障碍", FILLER)}
    static, _ = audit(tmp_path, routes, only=["site.mobile", "a11y.elderly"], render="never")
    assert len(static.snapshot.pages) == 1  # the static crawl cannot see the nav
    outcome, site = audit(tmp_path, routes, only=["site.mobile", "a11y.elderly"])
    snap = outcome.snapshot
    # The crawl followed the links the browser found, one click from the homepage.
    for path in ("news/", "gk/", "wza/"):
        assert snap.page(site.url + path).depth == 1 and snap.page(site.url + path).ok
    assert snap.homepage.rendered and snap.homepage.rendered_why == ("homepage",)
    assert "新闻动态" in snap.homepage.text and "新闻动态" not in snap.homepage.static_facts.text
    facts = snap.facts["render"]
    assert facts["state"] == "done"
    home = facts["homepage"]
    hrefs = {l["href"] for l in home["script_links"]}
    assert {site.url + "news/", site.url + "gk/", site.url + "wza/"} <= hrefs
    assert "新闻动态" in home["text"] and 'id="nav"' in home["html"]
    assert home["screenshot_desktop"] and home["phone"]["screenshot"]
    assert result(outcome, "a11y.elderly")["status"] == "pass"
    assert result(outcome, "site.mobile")["status"] == "pass"
    # The homepage is requested once: the browser (desktop and phone view) is served the crawl's
    # own response, and everything else it asks for goes through the crawl's fetcher.
    assert len(site.hits("/")) == 1
    assert outcome.report["crawl"]["render"]["served_from_crawl"] >= 2


LIST_BY_SCRIPT = page("通知公告", '<ul id="list"></ul><noscript>请启用 JavaScript</noscript>'
                      '<script>document.getElementById("list").innerHTML = '
                      '\'<li><a href="/tz/1.html">关于开展安全检查的通知</a></li>\';</script>')


@needs_browser
def test_auto_renders_script_built_pages_but_not_complete_ones(tmp_path):
    home = page("某市人民政府", FILLER + '<a href="/tz/">通知公告</a> <a href="/about/">概况</a>', head=VIEWPORT)
    routes = {"/": home, "/tz/": LIST_BY_SCRIPT, "/about/": page("概况", FILLER + FILLER),
              "/tz/1.html": page("通知", FILLER)}
    outcome, site = audit(tmp_path, routes, only=["site.mobile"])
    rendered = {p["url"]: p for p in outcome.snapshot.facts["render"]["pages"]}
    assert list(rendered) == [site.url + "tz/"]
    tz = rendered[site.url + "tz/"]
    assert "empty list container" in tz["why"] and "noscript warning" in tz["why"]
    assert [l["text"] for l in tz["script_links"]] == ["关于开展安全检查的通知"]


@needs_browser
def test_wide_page_without_viewport_fails_mobile_and_alt_less_images_fail(tmp_path):
    outcome, _ = audit(tmp_path, {"/": WIDE}, only=["site.mobile", "a11y.basics", "a11y.elderly", "a11y.axe"])
    mobile = result(outcome, "site.mobile")
    assert mobile["status"] == "fail"
    assert mobile["details"]["scroll_width"] >= 2000 and mobile["details"]["viewport"] is None
    basics = result(outcome, "a11y.basics")
    assert basics["status"] == "fail"  # 2 of 3 images without alt (alt="" is decorative, fine)
    assert basics["details"]["images_without_alt"] == 2 and not basics["details"]["lang"]
    assert result(outcome, "a11y.elderly")["status"] == "warn"
    axe = result(outcome, "a11y.axe")
    if outcome.snapshot.facts["render"]["homepage"]["axe"]["state"] != "not-installed":
        # <img> without alt is axe's critical image-alt rule (WCAG 1.1.1).
        assert axe["status"] == "fail"
        assert any(v["id"] == "image-alt" and v["wcag"] == ["1.1.1"] and v["count"] == 2
                   for v in axe["details"]["by_impact"]["critical"])


@needs_browser
def test_responsive_clean_page_passes_and_pdf_scorecard(tmp_path):
    outcome, _ = audit(tmp_path, {"/": CLEAN}, only=["site.mobile", "a11y.basics", "a11y.axe"], pdf=True)
    assert result(outcome, "site.mobile")["status"] == "pass"
    axe_state = outcome.snapshot.facts["render"]["homepage"]["axe"]["state"]
    assert result(outcome, "a11y.axe")["status"] == ("unknown" if axe_state == "not-installed" else "pass")
    assert result(outcome, "a11y.basics")["status"] == "pass"
    html = outcome.paths["html"].read_text("utf-8")
    assert html.count('src="data:image/png;base64,') == 2
    pdf = outcome.paths["pdf"]
    assert pdf.name == "scorecard.pdf" and pdf.parent == outcome.paths["html"].parent
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_render_never_makes_mobile_unknown_and_basics_still_judged(tmp_path):
    outcome, _ = audit(tmp_path, {"/": WIDE}, only=["site.mobile", "a11y.basics"], render="never")
    assert outcome.snapshot.facts["render"] == {"state": "disabled"}
    assert result(outcome, "site.mobile")["status"] == "unknown"
    assert result(outcome, "a11y.basics")["status"] == "fail"
    assert "data:image/png" not in outcome.paths["html"].read_text("utf-8")


def test_missing_browser_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("GOV_AUDIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    reason = unavailable_reason()
    assert "install it with: apt-get install -y chromium" in reason and "\n" not in reason
    outcome, _ = audit(tmp_path, {"/": CLEAN}, only=["site.mobile"], pdf=True)
    mobile = result(outcome, "site.mobile")
    assert mobile["status"] == "unknown" and "apt-get install -y chromium" in mobile["summary"]["en"]
    assert "pdf" not in outcome.paths
    assert any(p.startswith("pdf not written") and "apt-get install -y chromium" in p
               for p in outcome.report["problems"])
    assert any(p.startswith("render skipped") and "apt-get install -y chromium" in p
               for p in outcome.report["problems"])


def test_cli_without_browser_warns_in_one_line(tmp_path, monkeypatch, capsys):
    from auditor.operations.cli import main

    monkeypatch.setenv("GOV_AUDIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    site = LoopbackSite({"/": CLEAN}).start()
    try:
        main(["audit", site.url, "--out", str(tmp_path / "o"), "--only", "site.mobile", "--pdf", "--rate", "500"])
    finally:
        site.stop()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [l for l in err.splitlines() if "apt-get install -y chromium" in l]
    assert len(lines) == 2 and all(l.startswith("gov-audit: warning: ") for l in lines)


def test_cli_render_option(tmp_path):
    from auditor.operations.cli import build_parser, _config

    args = build_parser().parse_args(["audit", "example.gov.cn", "--render", "never", "--pdf"])
    config = _config(args)
    assert config.gather_options["render"] == "never" and config.pdf
    assert _config(build_parser().parse_args(["audit", "example.gov.cn"])).gather_options["render"] == "auto"


@needs_browser
def test_identity_checks_read_a_footer_built_by_scripts(tmp_path):
    """A footer written by a script after load (XHR-style): the static page is thin and the
    identity checks say unknown; with the browser's rendering they read the footer."""
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from servers import LoopbackSite, Response, page

    script = ("fetch('/api/footer').then(function(r){return r.text();}).then(function(t){"
              "var d=document.createElement('div');d.className='footer';d.innerHTML=t;"
              "document.body.appendChild(d);});")
    footer = ("<p>主办单位：示例市人民政府办公室 网站标识码：3701000001 鲁ICP备12345678号-1</p><p>"
              + "示例市政务信息" * 40 + "</p>")
    with LoopbackSite({"/": page("示例市人民政府", f"<script>{script}</script>"),
                       "/api/footer": Response(footer, content_type="text/plain; charset=utf-8")}) as s:
        def audit(render):
            cfg = AuditConfig(crawl=CrawlOptions(rate=500), only=["identity.icp", "site.mobile"],
                              gather_options={"render": render})
            out = run_audit(s.url, cfg, None)
            return {c["id"]: c for c in out.report["checks"]}
        static = audit("never")
        rendered = audit("auto")
    assert static["identity.icp"]["status"] == "unknown"
    assert rendered["identity.icp"]["status"] == "pass", rendered["identity.icp"]["summary"]
    assert "鲁ICP备12345678号-1" in rendered["identity.icp"]["summary"]["zh"]


@needs_browser
def test_always_renders_complete_depth_one_pages_too(tmp_path):
    home = page("某市人民政府", FILLER + '<a href="/tz/">通知公告</a> <a href="/about/">概况</a>', head=VIEWPORT)
    routes = {"/": home, "/tz/": LIST_BY_SCRIPT, "/about/": page("概况", FILLER + FILLER),
              "/tz/1.html": page("通知", FILLER)}
    outcome, site = audit(tmp_path, routes, only=["site.mobile"], render="always")
    rendered = {p["url"]: p["why"] for p in outcome.snapshot.facts["render"]["pages"]}
    assert rendered == {site.url + "tz/": ["always"], site.url + "about/": ["always"]}
    # The depth-2 article is not rendered by any mode: always means one click deep.
    assert not outcome.snapshot.page(site.url + "tz/1.html").rendered
