"""identity.site-code, identity.psb, identity.dangzheng, identity.meta-tags and identity.footer
against real loopback servers."""
from __future__ import annotations

from servers import Response, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
THIN = "<div id='app'></div>"
JIUCUO = '<script id="_jiucuo_" sitecode="{code}" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def profile_file(tmp_path, body):
    path = tmp_path / "site.toml"
    path.write_text('extends = "default"\n' + body, "utf-8")
    return str(path)


def footer(text):
    return f'{FILL}<div class="footer">{text}</div>'


def js(text):
    return Response(text, content_type="application/javascript; charset=utf-8")


# -- identity.site-code ----------------------------------------------------------------
def test_site_code_consistent_everywhere(audit_site):
    html = page("示例市人民政府", footer("网站标识码：3702000001 鲁ICP备05001234号") + JIUCUO.format(code="3702000001"),
                '<meta name="SiteIDCode" content="3702000001">')
    out = audit_site({"/": html}, only=["identity.site-code"])
    r = result(out, "identity.site-code")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["code"] == "3702000001"
    assert set(r["details"]["codes"]) == {"footer", "meta", "jiucuo"}


def test_site_code_full_width_and_written_by_script(audit_site):
    foot = "document.write('<div>政府网站标识码：３７０２０００００１　主办单位：示例市人民政府办公室</div>');"
    html = page("示例市人民政府", FILL + '<script src="/js/foot.js"></script>')
    out = audit_site({"/": html, "/js/foot.js": js(foot)}, only=["identity.site-code"])
    r = result(out, "identity.site-code")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["code"] == "3702000001"
    assert r["evidence"][0]["url"].endswith("/js/foot.js")


def test_site_code_sources_disagree(audit_site):
    html = page("示例市人民政府", footer("网站标识码：3702000001") + JIUCUO.format(code="3702000002"),
                '<meta name="SiteIDCode" content="3702000001">')
    out = audit_site({"/": html}, only=["identity.site-code"])
    r = result(out, "identity.site-code")
    assert r["status"] == "warn"
    assert "不一致" in r["summary"]["zh"] and "3702000002" in r["summary"]["zh"]
    assert "找错" in r["summary"]["zh"]


def test_site_code_only_in_meta_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", FILL, '<meta name="SiteIDCode" content="bm07000001">')},
                     only=["identity.site-code"])
    r = result(out, "identity.site-code")
    assert r["status"] == "warn"
    assert "页面底部" in r["summary"]["zh"]


def test_site_code_kind_must_fit_the_profile(audit_site):
    html = page("某部网站", footer("网站标识码：3702000001"))
    out = audit_site({"/": html}, only=["identity.site-code"], profile="ministry")
    r = result(out, "identity.site-code")
    assert r["status"] == "warn"
    assert "bm" in r["summary"]["zh"]
    assert result(audit_site({"/": html}, only=["identity.site-code"], profile="city"),
                  "identity.site-code")["status"] == "pass"


def test_site_code_malformed_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", footer("网站标识码：370200001"))}, only=["identity.site-code"])
    r = result(out, "identity.site-code")
    assert r["status"] == "warn"
    assert "格式" in r["summary"]["zh"]


def test_site_code_missing_fails_and_thin_is_unknown(audit_site, tmp_path):
    out = audit_site({"/": page("示例市人民政府", footer("主办单位：示例市人民政府办公室"))}, only=["identity.site-code"])
    assert result(out, "identity.site-code")["status"] == "fail"
    out = audit_site({"/": page("示例市人民政府", footer("主办单位：示例市人民政府办公室"))}, only=["identity.site-code"],
                     profile=profile_file(tmp_path, '[checks."identity.site-code"]\nmissing = "warn"\n'))
    assert result(out, "identity.site-code")["status"] == "warn"
    out = audit_site({"/": page("示例市人民政府", THIN)}, only=["identity.site-code"])
    assert result(out, "identity.site-code")["status"] == "unknown"


# -- identity.psb ------------------------------------------------------------------------
def test_psb_number_with_link(audit_site):
    foot = ('<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010202000001">'
            '京公网安备 11010202000001号</a>')
    out = audit_site({"/": page("示例市人民政府", footer(foot))}, only=["identity.psb"])
    r = result(out, "identity.psb")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["number"] == "京公网安备11010202000001号"
    assert r["details"]["linked"] is True


def test_psb_full_width_colon_without_link(audit_site):
    out = audit_site({"/": page("示例市人民政府", footer("冀公网安备：１３１００３０２０００６３６号"))}, only=["identity.psb"])
    r = result(out, "identity.psb")
    assert r["status"] == "pass"
    assert r["details"]["linked"] is False


def test_psb_wrong_digit_count_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", footer("京公网安备 1101020200号"))}, only=["identity.psb"])
    r = result(out, "identity.psb")
    assert r["status"] == "warn"
    assert "14" in r["summary"]["zh"]


def test_psb_missing_is_warn_by_default_fail_when_configured(audit_site, tmp_path):
    routes = {"/": page("示例市人民政府", footer("主办单位：示例市人民政府办公室"))}
    assert result(audit_site(routes, only=["identity.psb"]), "identity.psb")["status"] == "warn"
    out = audit_site(routes, only=["identity.psb"],
                     profile=profile_file(tmp_path, '[checks."identity.psb"]\nmissing = "fail"\n'))
    assert result(out, "identity.psb")["status"] == "fail"


def test_psb_unknown_on_thin_page(audit_site):
    out = audit_site({"/": page("示例市人民政府", THIN)}, only=["identity.psb"])
    assert result(out, "identity.psb")["status"] == "unknown"


# -- identity.dangzheng ------------------------------------------------------------------
def test_dangzheng_red_mark_link(audit_site):
    mark = ('<a href="http://bszs.conac.cn/sitename?method=show&id=0A1B2C3D4E5F" target="_blank">'
            '<img src="http://dcs.conac.cn/image/red.png" alt="党政机关"></a>')
    out = audit_site({"/": page("示例市人民政府", footer(mark))}, only=["identity.dangzheng"])
    r = result(out, "identity.dangzheng")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["kind"] == "red"
    assert r["details"]["conac_id"] == "0A1B2C3D4E5F"
    assert "党政机关" in r["summary"]["zh"]


def test_dangzheng_blue_mark_written_by_script(audit_site):
    foot = ("document.write('<span id=\"_ideConac\"><a href=\"https://bszs.conac.cn/sitename?method=show&id=99\">"
            "<img src=\"/images/blue.png\"></a></span>');")
    out = audit_site({"/": page("示例市事业单位", FILL + '<script src="/foot.js"></script>'), "/foot.js": js(foot)},
                     only=["identity.dangzheng"])
    r = result(out, "identity.dangzheng")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["kind"] == "blue"
    assert "事业单位" in r["summary"]["zh"]


def test_dangzheng_conac_script_colour_unknown(audit_site):
    mark = '<script type="text/javascript" src="https://dcs.conac.cn/js/33/000/0000/60000000/CA330000000600000000000.js"></script>'
    out = audit_site({"/": page("示例市人民政府", footer(mark))}, only=["identity.dangzheng"])
    r = result(out, "identity.dangzheng")
    assert r["status"] == "pass"
    assert r["details"]["kind"] == "unknown"


def test_dangzheng_missing_warn_commented_warn_thin_unknown(audit_site):
    out = audit_site({"/": page("示例市人民政府", footer("主办单位：示例市人民政府办公室"))}, only=["identity.dangzheng"])
    assert result(out, "identity.dangzheng")["status"] == "warn"
    commented = footer('<!-- <script src="https://dcs.conac.cn/js/33/CA33.js"></script> -->')
    out = audit_site({"/": page("示例市人民政府", commented)}, only=["identity.dangzheng"])
    r = result(out, "identity.dangzheng")
    assert r["status"] == "warn" and "注释" in r["summary"]["zh"]
    out = audit_site({"/": page("示例市人民政府", THIN)}, only=["identity.dangzheng"])
    assert result(out, "identity.dangzheng")["status"] == "unknown"


def test_dangzheng_missing_fail_when_configured(audit_site, tmp_path):
    out = audit_site({"/": page("示例市人民政府", footer("主办单位：示例市人民政府办公室"))}, only=["identity.dangzheng"],
                     profile=profile_file(tmp_path, '[checks."identity.dangzheng"]\nmissing = "fail"\n'))
    assert result(out, "identity.dangzheng")["status"] == "fail"


# -- identity.meta-tags -------------------------------------------------------------------
def _meta(name_domain="127.0.0.1", spell=("SiteName", "SiteDomain", "SiteIDCode")):
    return (f'<meta name="{spell[0]}" content="示例市人民政府"><meta name="{spell[1]}" content="{name_domain}">'
            f'<meta name="{spell[2]}" content="3702000001">')


def test_meta_tags_present(audit_site):
    out = audit_site({"/": page("示例市人民政府", FILL, _meta())}, only=["identity.meta-tags"])
    r = result(out, "identity.meta-tags")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["present"]["SiteIDCode"] == "3702000001"


def test_meta_tags_non_canonical_spelling_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", FILL, _meta(spell=("sitename", "SiteDomain", "SITEIDCODE")))},
                     only=["identity.meta-tags"])
    r = result(out, "identity.meta-tags")
    assert r["status"] == "warn"
    assert r["details"]["non_canonical"] == {"SiteName": "sitename", "SiteIDCode": "SITEIDCODE"}
    assert "sitename" in r["summary"]["zh"]


def test_meta_tags_missing_empty_or_wrong_domain_is_warn(audit_site):
    head = '<meta name="SiteName" content="示例市人民政府"><meta name="SiteIDCode" content="">'
    r = result(audit_site({"/": page("示例市人民政府", FILL, head)}, only=["identity.meta-tags"]), "identity.meta-tags")
    assert r["status"] == "warn"
    assert r["details"]["missing"] == ["SiteDomain"] and r["details"]["empty"] == ["SiteIDCode"]
    # Audited by IP address: the declared domain cannot be compared, so it is not held against the site.
    r = result(audit_site({"/": page("示例市人民政府", FILL, _meta("www.example.gov.cn"))}, only=["identity.meta-tags"]),
               "identity.meta-tags")
    assert r["status"] == "pass" and "not compared" in r["details"]["domain_note"]
    # Audited by name: a SiteDomain naming another host is a finding.
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from servers import LoopbackSite

    with LoopbackSite({"/": page("示例市人民政府", FILL, _meta("www.example.gov.cn"))}) as s:
        out = run_audit(f"http://localhost:{s.port}/",
                        AuditConfig(crawl=CrawlOptions(rate=500), only=["identity.meta-tags"]), None)
    r = result(out, "identity.meta-tags")
    assert r["status"] == "warn"
    assert "www.example.gov.cn" in r["summary"]["zh"]


def test_meta_tags_all_missing_is_fail(audit_site):
    out = audit_site({"/": page("示例市人民政府", FILL, '<meta name="keywords" content="政府">')}, only=["identity.meta-tags"])
    assert result(out, "identity.meta-tags")["status"] == "fail"


def test_meta_tags_unknown_when_homepage_unreadable(audit_site):
    out = audit_site({"/": Response("gone", 404)}, only=["identity.meta-tags"])
    assert result(out, "identity.meta-tags")["status"] == "unknown"


# -- identity.footer -------------------------------------------------------------------------
def test_footer_sponsor_and_phone(audit_site):
    out = audit_site({"/": page("示例市人民政府",
                                footer("主办单位：示例市人民政府办公室　承办：示例市大数据中心　联系电话：（０５３１）１２３４５６７８"))},
                     only=["identity.footer"])
    r = result(out, "identity.footer")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["sponsor"] == "示例市人民政府办公室"
    assert "12345678" in r["details"]["contact"]


def test_footer_written_by_script_with_contact_link(audit_site):
    foot = "document.write('<p>示例市人民政府办公室主办</p>');"
    html = page("示例市人民政府", FILL + '<a href="/lxwm.html">联系我们</a><script src="/js/bottom.js"></script>')
    out = audit_site({"/": html, "/js/bottom.js": js(foot), "/lxwm.html": page("联系我们", FILL)}, only=["identity.footer"])
    r = result(out, "identity.footer")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["sponsor"] == "示例市人民政府办公室"
    assert r["details"]["contact_link"].endswith("/lxwm.html")


def test_footer_one_item_missing_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", footer("主办：示例市人民政府办公室 版权所有"))}, only=["identity.footer"])
    r = result(out, "identity.footer")
    assert r["status"] == "warn"
    assert "联系方式" in r["summary"]["zh"]
    out = audit_site({"/": page("示例市人民政府", footer("服务热线：12345 地址：示例市人民路1号"))}, only=["identity.footer"])
    assert result(out, "identity.footer")["status"] == "warn"


def test_footer_both_missing_is_fail_thin_is_unknown(audit_site):
    out = audit_site({"/": page("示例市人民政府", footer("版权所有 © 2024 建议使用1920×1080分辨率"))}, only=["identity.footer"])
    assert result(out, "identity.footer")["status"] == "fail"
    out = audit_site({"/": page("示例市人民政府", THIN)}, only=["identity.footer"])
    assert result(out, "identity.footer")["status"] == "unknown"


def test_footer_copyright_owner_only_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", footer("版权所有：示例市人民政府办公室 电话：0531-12345678"))},
                     only=["identity.footer"])
    r = result(out, "identity.footer")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["copyright_owner"] == "示例市人民政府办公室"
