"""identity.meta-tags-pages: column and article page 网页标签 against real loopback sites."""
from __future__ import annotations

from datetime import date

import pytest

from servers import page

AS_OF = date(2026, 11, 20)
FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
COLUMN_META = '<meta name="ColumnName" content="通知公告"><meta name="ColumnType" content="通知公告">'
ITEMS = [("/tzgg/t20261110_1.html", "2026-11-10", "关于冬季供暖工作的通知"),
         ("/tzgg/t20261101_2.html", "2026-11-01", "关于秋季征兵工作的通告"),
         ("/tzgg/t20261020_3.html", "2026-10-20", "关于开展消防检查的通知")]


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def article_meta(title, day, source="示例市人民政府办公室", pubdate=None):
    out = f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{pubdate or day + " 09:30"}">'
    if source:
        out += f'<meta name="ContentSource" content="{source}">'
    return out


def site(column_meta=COLUMN_META, metas=None, page2=None) -> dict:
    metas = metas or {}
    rows = "".join(f'<li><a href="{p}">{t}</a><span>{d}</span></li>' for p, d, t in ITEMS)
    more = '<a href="/tzgg/index_1.html">下一页</a>' if page2 else ""
    routes = {"/": page("示例市人民政府", FILL + '<a href="/tzgg/index.html">通知公告</a>'),
              "/tzgg/index.html": page("通知公告", f"<ul>{rows}</ul>{more}", column_meta)}
    for p, d, t in ITEMS:
        routes[p] = page(t, f"<h1>{t}</h1><p>发布时间：{d}</p>" + FILL, metas.get(p, article_meta(t, d)))
    if page2:
        rows2 = "".join(f'<li><a href="{p}">{t}</a><span>{d}</span></li>' for p, d, t in page2)
        routes["/tzgg/index_1.html"] = page("通知公告", f"<ul>{rows2}</ul>", column_meta)
        for p, d, t in page2:
            routes[p] = page(t, f"<h1>{t}</h1><p>发布时间：{d}</p>" + FILL)  # older template: no tags
    return routes


def test_all_tags_present_passes(audit_site):
    r = result(audit_site(site(), only=["identity.meta-tags-pages"], as_of=AS_OF), "identity.meta-tags-pages")
    assert r["status"] == "pass", r["summary"]
    d = r["details"]
    assert d["column_pages"] == 1 and d["article_pages"] == 3
    assert d["column_coverage"] == 1.0 and d["article_coverage"] == 1.0


def test_missing_and_badly_formatted_tags_warn(audit_site):
    p1, d1, t1 = ITEMS[0]
    p2, d2, t2 = ITEMS[1]
    metas = {p1: article_meta(t1, d1, source=""), p2: article_meta(t2, d2, pubdate="2026/11/01")}
    older = [("/tzgg/t20250910_9.html", "2025-09-10", "关于做好中秋国庆假期工作的通知"),
             ("/tzgg/t20250901_8.html", "2025-09-01", "关于调整公交线路的通告"),
             ("/tzgg/t20250820_7.html", "2025-08-20", "关于防汛工作的紧急通知")]
    routes = site(column_meta='<meta name="ColumnName" content="通知公告">', metas=metas, page2=older)
    r = result(audit_site(routes, only=["identity.meta-tags-pages"], as_of=AS_OF), "identity.meta-tags-pages")
    assert r["status"] == "warn", r["summary"]
    d = r["details"]
    assert d["columns_lacking"][0]["missing"] == ["ColumnType"]
    lacking = {x["url"].rsplit("/", 1)[-1]: x["missing"] for x in d["articles_lacking"]}
    assert lacking["t20261110_1.html"] == ["ContentSource"]
    assert lacking["t20250910_9.html"] == ["ArticleTitle", "PubDate", "ContentSource"]  # listed on page 2
    assert d["pubdate_format_bad"][0]["value"] == "2026/11/01"
    assert d["article_pages"] == 6 and d["article_coverage"] == pytest.approx(1 / 6, abs=1e-3)
    assert any("缺少 ContentSource" in e["excerpt"] for e in r["evidence"])
    assert r["remediation"] is not None


def test_no_columns_is_unknown(audit_site):
    r = result(audit_site({"/": page("示例市人民政府", FILL)}, only=["identity.meta-tags-pages"], as_of=AS_OF),
               "identity.meta-tags-pages")
    assert r["status"] == "unknown", r["summary"]


@pytest.fixture(scope="module")
def demo_out():
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=200), profile="city", as_of=server.as_of,
                             only=["identity.meta-tags-pages"])
        yield run_audit(server.url, config, None)


def test_demo_article_pages_lacking_tags(demo_out):
    r = result(demo_out, "identity.meta-tags-pages")
    assert r["status"] == "warn", r["summary"]
    lacking = {x["url"].split("/", 3)[3]: x["missing"] for x in r["details"]["articles_lacking"]}
    full = ["ArticleTitle", "PubDate", "ContentSource"]
    assert lacking == {  # DEFECTS in auditor/demo/build_site.py
        "xwzx/tzgg/202511/t20251105_4004.html": full, "xwzx/tzgg/202510/t20251015_4003.html": full,
        "xxgk/rsxx/202506/t20250601_4103.html": full, "xxgk/rsxx/202503/t20250318_4102.html": full,
        "xxgk/rsxx/202502/t20250220_4101.html": full, "xwzx/ywdt/202610/t20261020_1003.html": ["ContentSource"]}
    assert r["details"]["column_coverage"] == 1.0
