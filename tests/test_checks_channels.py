"""channels.social and channels.hotline against real loopback sites."""
from __future__ import annotations

import pytest

from servers import Response, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
PNG = Response(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


# -- channels.social ---------------------------------------------------------------
def test_weibo_link_and_wechat_qr_code(audit_site):
    body = (FILL + '<div class="xmt"><a href="https://weibo.com/u/123456" target="_blank">示例发布</a>'
            '<img src="/images/weixin_qr.png" alt="官方微信二维码"></div>')
    r = result(audit_site({"/": page("示例市人民政府", body), "/images/weixin_qr.png": PNG},
                          only=["channels.social"]), "channels.social")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["found"] == ["weibo", "weixin"] and r["details"]["missing"] == ["app"]
    assert any("weibo.com" in e["url"] for e in r["evidence"])
    assert "移动客户端" in r["summary"]["zh"]  # what was not found is said


def test_labels_written_by_a_footer_script(audit_site):
    script = Response("document.write('<p>政务微信：示例发布（微信公众号） | 移动客户端下载：爱示例APP</p>');",
                      content_type="application/javascript")
    r = result(audit_site({"/": page("示例市人民政府", FILL + '<script src="/js/foot.js"></script>'),
                           "/js/foot.js": script}, only=["channels.social"]), "channels.social")
    assert r["status"] == "pass", r["summary"]
    assert set(r["details"]["found"]) == {"weixin", "app"}


def test_no_social_channels_warns_and_thin_page_is_unknown(audit_site):
    body = FILL + '<a href="/news.html">新闻</a><p>微信支付已接入公共缴费。</p>'  # a passing mention does not count
    r = result(audit_site({"/": page("示例市人民政府", body)}, only=["channels.social"]), "channels.social")
    assert r["status"] == "warn", r["summary"]
    assert r["remediation"] is not None
    r = result(audit_site({"/": page("示例市人民政府", "<div id='app'></div>")}, only=["channels.social"]),
               "channels.social")
    assert r["status"] == "unknown"


def test_minimum_kinds_from_the_profile(audit_site, tmp_path):
    prof = tmp_path / "p.toml"
    prof.write_text('extends = "city"\n[thresholds]\nsocial_channels_min = 2\n', "utf-8")
    body = FILL + '<a href="https://weibo.com/u/1">官方微博</a>'
    r = result(audit_site({"/": page("示例市人民政府", body)}, only=["channels.social"], profile=str(prof)),
               "channels.social")
    assert r["status"] == "warn", r["summary"]


# -- channels.hotline --------------------------------------------------------------
def test_hotline_in_the_footer(audit_site):
    body = FILL + '<div class="footer">联系电话：0531-12345678　12345政务服务便民热线</div>'
    r = result(audit_site({"/": page("示例市人民政府", body)}, only=["channels.hotline"]), "channels.hotline")
    assert r["status"] == "pass", r["summary"]
    assert "12345政务服务便民热线" in r["evidence"][0]["excerpt"]


def test_hotline_on_the_interaction_page_or_as_an_image(audit_site):
    routes = {"/": page("示例市人民政府", FILL + '<a href="/hdjl/index.html">互动交流</a>'),
              "/hdjl/index.html": page("互动交流", FILL + "<p>市民热线：１２３４５（24小时）</p>")}
    r = result(audit_site(routes, only=["channels.hotline"]), "channels.hotline")
    assert r["status"] == "pass", r["summary"]
    assert r["evidence"][0]["url"].endswith("/hdjl/index.html")
    body = FILL + '<a href="http://12345.example.gov.cn/"><img src="/rx.png" alt="便民服务热线"></a>'
    r = result(audit_site({"/": page("示例市人民政府", body), "/rx.png": PNG}, only=["channels.hotline"]),
               "channels.hotline")
    assert r["status"] == "pass", r["summary"]


def test_no_hotline_warns_landline_numbers_do_not_count(audit_site):
    routes = {"/": page("示例市人民政府", FILL + '<p>联系电话：0531-12345678，鲁ICP备12345678号</p><a href="/a.html">通知</a>'),
              "/a.html": page("通知", FILL + "<p>有关问题可拨打12345热线咨询。</p>")}
    r = result(audit_site(routes, only=["channels.hotline"]), "channels.hotline")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["mentioned_elsewhere"] == 1 and r["evidence"][0]["url"].endswith("/a.html")


def test_ministry_profile_looks_for_its_own_hotline(audit_site):
    body = FILL + '<div class="footer">交通运输服务监督电话：12328</div>'
    r = result(audit_site({"/": page("交通运输部", body)}, only=["channels.hotline"], profile="ministry"),
               "channels.hotline")
    assert r["status"] == "pass", r["summary"]
    body = FILL + '<div class="footer">12345政务服务便民热线</div>'
    r = result(audit_site({"/": page("交通运输部", body)}, only=["channels.hotline"], profile="ministry"),
               "channels.hotline")
    assert r["status"] == "warn", r["summary"]


def test_hotline_unknown_when_thin_na_when_not_configured(audit_site, tmp_path):
    r = result(audit_site({"/": page("示例市人民政府", "<div id='app'></div>")}, only=["channels.hotline"]),
               "channels.hotline")
    assert r["status"] == "unknown"
    prof = tmp_path / "p.toml"
    prof.write_text('extends = "city"\n[keywords]\nhotlines = []\n', "utf-8")
    r = result(audit_site({"/": page("示例市人民政府", FILL)}, only=["channels.hotline"], profile=str(prof)),
               "channels.hotline")
    assert r["status"] == "na"


@pytest.fixture(scope="module")
def demo_out():
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=200), profile="city", as_of=server.as_of,
                             only=["channels.social", "channels.hotline"])
        yield run_audit(server.url, config, None)


def test_demo_channels(demo_out):
    # The sample portal shows no 两微一端 and does not publish 12345 (only guides mention it).
    assert result(demo_out, "channels.social")["status"] == "warn"
    r = result(demo_out, "channels.hotline")
    assert r["status"] == "warn" and r["details"]["mentioned_elsewhere"] == 3
