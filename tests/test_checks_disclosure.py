"""disclosure.column against real loopback servers."""
from __future__ import annotations

from servers import LoopbackSite, Response, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def nav(*items):
    return '<ul class="nav">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in items) + "</ul>" + FILL


def test_canonical_column_that_opens(audit_site):
    out = audit_site({"/": page("示例市人民政府", nav(("/zwdt/", "政务动态"), ("/xxgk/", "政府信息公开"),
                                                      ("/xxgk/zn/", "政府信息公开指南"))),
                      "/xxgk/": page("政府信息公开", FILL), "/zwdt/": page("政务动态", FILL)},
                     only=["disclosure.column"])
    r = result(out, "disclosure.column")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["url"].endswith("/xxgk/")
    assert r["details"]["canonical"] is True


def test_image_nav_with_alt_text(audit_site):
    body = '<a href="/xxgk/"><img src="/img/nav_xxgk.png" alt="政府信息公开"></a>' + FILL
    out = audit_site({"/": page("示例市人民政府", body), "/xxgk/": page("政府信息公开", FILL)}, only=["disclosure.column"])
    assert result(out, "disclosure.column")["status"] == "pass"


def test_non_canonical_name_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", nav(("/zwgk/", "政务公开"))), "/zwgk/": page("政务公开", FILL)},
                     only=["disclosure.column"])
    r = result(out, "disclosure.column")
    assert r["status"] == "warn"
    assert "政务公开" in r["summary"]["zh"] and "61号" in r["summary"]["zh"]


def test_broken_column_is_warn(audit_site):
    out = audit_site({"/": page("示例市人民政府", nav(("/xxgk/", "政府信息公开")))}, only=["disclosure.column"])
    r = result(out, "disclosure.column")
    assert r["status"] == "warn"
    assert "404" in r["summary"]["zh"]


def test_no_column_fails_sub_columns_do_not_count(audit_site):
    out = audit_site({"/": page("示例市人民政府", nav(("/zwdt/", "政务动态"), ("/zn/", "政府信息公开指南"),
                                                      ("/nb/", "政府信息公开年报")))},
                     only=["disclosure.column"])
    r = result(out, "disclosure.column")
    assert r["status"] == "fail", r["summary"]


def test_thin_page_is_unknown(audit_site):
    out = audit_site({"/": page("示例市人民政府", "<div id='app'></div>")}, only=["disclosure.column"])
    assert result(out, "disclosure.column")["status"] == "unknown"


def test_configured_column_url(audit_site, tmp_path):
    with LoopbackSite({"/": page("示例市人民政府", nav(("/gk/index.html", "信息公开"), ("/xxgk/", "政府信息公开"))),
                       "/gk/index.html": page("信息公开", FILL), "/xxgk/": page("政府信息公开", FILL)}) as site:
        profile = tmp_path / "site.toml"
        profile.write_text(f'extends = "city"\n[columns]\ndisclosure = "{site.url}gk/index.html"\n', "utf-8")
        out = audit_site(site, only=["disclosure.column"], profile=str(profile))
    r = result(out, "disclosure.column")
    # The profile names the column: its non-canonical name is judged, not the other link.
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["url"].endswith("/gk/index.html")


def test_unknown_when_homepage_unreadable(audit_site):
    out = audit_site({"/": Response("error", 500)}, only=["disclosure.column"])
    assert result(out, "disclosure.column")["status"] == "unknown"
