"""freshness.homepage, freshness.columns, freshness.empty-columns against real loopback servers."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from servers import LoopbackSite, Response, page

AS_OF = date(2026, 11, 20)
FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南，欢迎社会各界监督。" * 12 + "</p>"
BODY = "<p>" + "为进一步做好相关工作，现将有关事项通知如下，请各单位认真贯彻落实。" * 8 + "</p>"
IDS = ["freshness.homepage", "freshness.columns", "freshness.empty-columns"]


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def rows(prefix: str, ages, *, dated=True, start=1):
    """A list of article rows under ``prefix``; the row shows the date when ``dated``."""
    out = []
    for n, a in enumerate(ages, start):
        span = f"<span>{ago(a)}</span>" if dated else ""
        out.append(f'<li><a href="{prefix}art{n}.html">第{n}条信息的标题内容比较长一些</a>{span}</li>')
    return '<ul class="list">' + "".join(out) + "</ul>"


def column(name: str, inner: str, parent: str = "") -> str:
    crumb = f"当前位置：首页 &gt; {parent + ' &gt; ' if parent else ''}{name}"
    return page(f"{name}_示例市人民政府", f'<div class="position">{crumb}</div>{inner}',
                head=f'<meta name="ColumnName" content="{name}">')


def article(title: str, age: int | None, *, meta=True, label=True) -> str:
    head = f'<meta name="PubDate" content="{ago(age)} 10:00">' if meta and age is not None else ""
    info = f"<div>发布时间：{ago(age)}</div>" if label and age is not None else ""
    return page(title, f"<h1>{title}</h1>{info}{BODY}", head=head)


def nav(*items):
    return '<ul class="nav">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in items) + "</ul>"


def run(audit_site, routes, only=IDS, **kw):
    kw.setdefault("as_of", AS_OF)
    return audit_site(routes, only=only, **kw)


# -- freshness.homepage ------------------------------------------------------------------

def home_with(ages, **kw):
    return page("示例市人民政府", nav(("/ywdt/", "要闻动态")) + rows("/ywdt/", ages, **kw) + FILL)


def test_homepage_fresh_passes(audit_site):
    out = run(audit_site, {"/": home_with([2, 5, 9, 20])}, only=["freshness.homepage"])
    r = result(out, "freshness.homepage")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["newest"] == ago(2) and r["details"]["age_days"] == 2
    assert r["details"]["scope"] == "homepage"
    assert r["evidence"][0]["url"].endswith("/ywdt/art1.html")


def test_homepage_early_warning(audit_site):
    out = run(audit_site, {"/": home_with([12, 20, 30])}, only=["freshness.homepage"])
    r = result(out, "freshness.homepage")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["age_days"] == 12


def test_homepage_stale_fails(audit_site):
    out = run(audit_site, {"/": home_with([40, 50, 60, 70])}, only=["freshness.homepage"])
    r = result(out, "freshness.homepage")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["age_days"] == 40 and "单项否决" in r["summary"]["zh"]


def test_homepage_dates_from_articles(audit_site):
    # The homepage list shows no dates: the linked articles' PubDate / 发布时间 date them.
    routes = {"/": home_with([0, 0, 0], dated=False),
              "/ywdt/art1.html": article("第1条", 3, label=False),
              "/ywdt/art2.html": article("第2条", 30, meta=False),
              "/ywdt/art3.html": article("第3条", 60)}
    r = result(run(audit_site, routes, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["newest"] == ago(3)
    assert "PubDate" in r["evidence"][0]["note"]["zh"]


def test_homepage_stale_articles_fail(audit_site):
    routes = {"/": home_with([0, 0, 0], dated=False),
              "/ywdt/art1.html": article("第1条", 31), "/ywdt/art2.html": article("第2条", 45, meta=False),
              "/ywdt/art3.html": article("第3条", 90)}
    r = result(run(audit_site, routes, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["age_days"] == 31


def test_homepage_month_day_rows(audit_site):
    # Homepages often write [11-18]: the year is inferred (articles not crawled: max_depth=0).
    items = "".join(f'<li><a href="/ywdt/a{n}.html">示例市召开第{n}次重要工作会议部署</a><span>[{d}]</span></li>'
                    for n, d in enumerate(["11-18", "11-02", "10-20"]))
    routes = {"/": page("示例市人民政府", f"<ul>{items}</ul>" + FILL)}
    r = result(run(audit_site, routes, only=["freshness.homepage"], max_depth=0), "freshness.homepage")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["newest"] == "2026-11-18"


def test_homepage_future_dates_ignored(audit_site):
    routes = {"/": page("示例市人民政府", rows("/ywdt/", [40, 50, 60]) +
                        '<ul><li><a href="/hd/1.html">关于2027年元旦活动安排的预告信息</a><span>2027-01-01</span></li></ul>'
                        + FILL)}
    r = result(run(audit_site, routes, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["future_items"] and r["details"]["age_days"] == 40


def test_portal_homepage_uses_second_level_pages(audit_site):
    home = page("示例市人民政府", nav(("/zw/", "政务"), ("/fw/", "服务"), ("/hd/", "互动")) + FILL)
    routes = {"/": home, "/zw/": column("政务", rows("/zw/", [100, 120, 130])),
              "/fw/": column("服务", rows("/fw/", [5, 50, 70])), "/hd/": column("互动", FILL)}
    r = result(run(audit_site, routes, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["scope"] == "second-level" and r["details"]["newest"] == ago(5)


def test_portal_homepage_all_second_level_stale_fails(audit_site):
    home = page("示例市人民政府", nav(("/zw/", "政务"), ("/fw/", "服务")) + FILL)
    routes = {"/": home, "/zw/": column("政务", rows("/zw/", [100, 120, 130])),
              "/fw/": column("服务", rows("/fw/", [50, 60, 70]))}
    r = result(run(audit_site, routes, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["scope"] == "second-level" and r["details"]["age_days"] == 50


def test_undated_items_count_as_not_updated(audit_site):
    routes = {"/": home_with([0, 0, 0], dated=False),
              "/ywdt/art1.html": article("第1条", None), "/ywdt/art2.html": article("第2条", None),
              "/ywdt/art3.html": article("第3条", None)}
    r = result(run(audit_site, routes, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "fail", r["summary"]
    assert "未注明发布时间" in r["summary"]["zh"] and r["details"]["undated_items"] == 3


def test_homepage_thin_is_unknown(audit_site):
    r = result(run(audit_site, {"/": page("示例市人民政府", "<div id='app'></div>")}, only=["freshness.homepage"]),
               "freshness.homepage")
    assert r["status"] == "unknown", r["summary"]


def test_homepage_script_loaded_list_is_unknown(audit_site):
    body = (rows("/ywdt/", [40, 50, 60]) + '<ul id="news"></ul>' + FILL +
            '<script>$.ajax({url:"/api/news",success:function(d){$("#news").html(d)}});</script>')
    r = result(run(audit_site, {"/": page("示例市人民政府", body)}, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "unknown", r["summary"]
    assert "$.ajax" in r["summary"]["zh"]


def test_homepage_articles_not_crawled_is_unknown(audit_site):
    r = result(run(audit_site, {"/": home_with([0, 0, 0], dated=False)}, only=["freshness.homepage"], max_depth=0),
               "freshness.homepage")
    assert r["status"] == "unknown", r["summary"]
    assert r["details"]["unresolved_items"] == 3


def test_homepage_unreadable_is_unknown(audit_site):
    r = result(run(audit_site, {"/": Response("error", 500)}, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "unknown"


# -- freshness.columns -------------------------------------------------------------------

def site_with_columns(spec, extra_home=""):
    """spec: [(path, name, ages)] -> routes; every column is linked from the homepage."""
    routes = {"/": page("示例市人民政府", nav(*[(p, n) for p, n, _ in spec]) + home_with_rows() + extra_home + FILL)}
    for path, name, ages in spec:
        routes[path] = column(name, rows(path, ages) if ages else "<div>暂无信息</div>")
    return routes


def home_with_rows():
    return rows("/ywdt/", [1, 2, 3])


def test_columns_all_fresh_pass(audit_site):
    routes = site_with_columns([("/ywdt/", "要闻动态", [1, 2, 3]), ("/tzgg/", "通知公告", [30, 60, 90]),
                                ("/rsxx/", "人事信息", [100, 200, 300])])
    r = result(run(audit_site, routes, only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["judged"] == 3 and r["details"]["stale"] == 0


def test_columns_key_veto(audit_site):
    spec = [("/gzdt/", "工作动态", [20, 30, 40]), ("/bmdt/", "部门动态", [20, 30, 40]), ("/tpxw/", "图片新闻", [15, 30, 40]),
            ("/tzgg/", "通知公告", [200, 300, 400]), ("/zcwj/", "政策文件", [190, 300, 400]),
            ("/ywdt/", "要闻动态", [1, 2, 3])]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["stale_key"] == 5
    assert {e["url"].rsplit("/", 2)[-2] for e in r["evidence"]} == {"gzdt", "bmdt", "tpxw", "tzgg", "zcwj"}
    assert "ColumnName" in r["evidence"][0]["note"]["zh"]


def test_columns_key_veto_names_the_key_columns_apart_from_the_others(audit_site):
    # The count in the veto sentence must match the columns it lists (a county portal once read
    # "7 个未按时更新" followed by twelve names).
    spec = [("/gzdt/", "工作动态", [20, 30, 40]), ("/bmdt/", "部门动态", [20, 30, 40]), ("/tpxw/", "图片新闻", [15, 30, 40]),
            ("/tzgg/", "通知公告", [200, 300, 400]), ("/zcwj/", "政策文件", [190, 300, 400]),
            ("/rs1/", "人事信息", [400, 500, 600]), ("/gh1/", "规划计划", [400, 500, 600]), ("/ywdt/", "要闻动态", [1, 2, 3])]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "fail", r["summary"]
    veto_part, _, rest = r["summary"]["zh"].partition("另有")
    assert "有 5 个未按时更新" in veto_part
    assert veto_part.count("天）") == 5 and "人事信息" not in veto_part and "规划计划" not in veto_part
    assert rest.startswith(" 2 个其他栏目") and "人事信息" in rest and "规划计划" in rest


def test_columns_all_classes_veto(audit_site):
    spec = [(f"/rs{n}/", f"人事信息{n}", [400, 500, 600]) for n in range(10)]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["stale"] == 10 and r["details"]["stale_key"] == 0


def test_columns_early_warning(audit_site):
    spec = [(f"/gh{n}/", f"规划计划{n}", [400, 500, 600]) for n in range(7)]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["stale"] == 7


def test_policy_file_first_level_stale_warns(audit_site):
    spec = [("/zcwj/", "政策文件", [200, 300, 400]), ("/ywdt/", "要闻动态", [1, 2, 3])]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "warn", r["summary"]
    assert "扣 5 分" in r["summary"]["zh"]


def test_few_stale_columns_pass_with_evidence(audit_site):
    spec = [("/tzgg/", "通知公告", [263, 300, 400]), ("/rsxx/", "人事信息", [537, 600, 700]),
            ("/ywdt/", "要闻动态", [1, 2, 3])]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["stale"] == 2 and len(r["evidence"]) == 2
    assert "通知公告" in r["summary"]["zh"] and "人事信息" in r["summary"]["zh"]


def test_no_classified_column_is_unknown(audit_site):
    spec = [("/zjsl/", "走进示例", [1, 2, 3]), ("/lsyg/", "历史沿革", [400, 500, 600])]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.columns"]), "freshness.columns")
    assert r["status"] == "unknown", r["summary"]
    assert "columns.named" in r["summary"]["zh"]


def test_dateless_list_dated_by_articles(audit_site):
    # The list rows show no dates; the articles carry them (TRS templates often do this).
    routes = {"/": page("示例市人民政府", nav(("/tzgg/", "通知公告")) + home_with_rows() + FILL),
              "/tzgg/": column("通知公告", rows("/tzgg/", [0, 0, 0], dated=False))}
    for n, age in enumerate([200, 250, 300], 1):
        routes[f"/tzgg/art{n}.html"] = article(f"通知{n}", age, meta=n != 1)
    r = result(run(audit_site, routes, only=["freshness.columns"]), "freshness.columns")
    row = next(c for c in r["details"]["columns"] if c["name"] == "通知公告")
    assert row["origin"] == "dateless-list" and row["state"] == "stale" and row["age_days"] == 200
    assert row["date_source"] == "article-label"


def test_undated_column_counted_stale_by_default(audit_site, tmp_path):
    routes = {"/": page("示例市人民政府", nav(("/tzgg/", "通知公告")) + home_with_rows() + FILL),
              "/tzgg/": column("通知公告", rows("/tzgg/", [0, 0, 0], dated=False))}
    for n in range(1, 4):
        routes[f"/tzgg/art{n}.html"] = article(f"通知{n}", None)
    r = result(run(audit_site, routes, only=["freshness.columns"]), "freshness.columns")
    row = next(c for c in r["details"]["columns"] if c["name"] == "通知公告")
    assert row["state"] == "undated-stale" and r["details"]["stale"] == 1
    assert "未注明发布时间" in r["evidence"][0]["excerpt"]
    prof = tmp_path / "p.toml"
    prof.write_text('extends = "city"\n[checks."freshness.columns"]\nundated_counts_stale = false\n', "utf-8")
    r = result(run(audit_site, routes, only=["freshness.columns"], profile=str(prof)), "freshness.columns")
    assert r["details"]["stale"] == 0


def test_named_columns_override_discovery(audit_site, tmp_path):
    with LoopbackSite({"/": page("示例市人民政府", nav(("/bjgg/", "本局公示"), ("/ywdt/", "要闻动态")) + home_with_rows() + FILL),
                       "/bjgg/": page("本局公示", rows("/bjgg/", [200, 300, 400])),
                       "/ywdt/": column("要闻动态", rows("/ywdt/", [40, 50, 60]))}) as s:
        prof = tmp_path / "site.toml"
        prof.write_text('extends = "city"\n[columns.named]\n'
                        f'"本局公示" = {{ url = "{s.url}bjgg/", class = "notice_policy" }}\n'
                        f'"领导活动" = {{ url = "{s.url}ldhd/", class = "news" }}\n', "utf-8")
        r = result(run(audit_site, s, only=["freshness.columns"], profile=str(prof)), "freshness.columns")
    cols = {c["name"]: c for c in r["details"]["columns"]}
    assert cols["本局公示"]["origin"] == "profile" and cols["本局公示"]["state"] == "stale"
    assert cols["本局公示"]["name_source"] == "profile"
    assert cols["领导活动"]["state"] == "not-crawled"
    assert cols["要闻动态"]["state"] == "stale"
    assert any("[columns.named]" in e["note"]["zh"] for e in r["evidence"])


def test_pagination_and_sub_nav_columns(audit_site):
    # TRS index_1.html is not a column of its own; a column linked only from a sub-nav is found.
    routes = {"/": page("示例市人民政府", nav(("/xxgk/index.html", "政府信息公开")) + home_with_rows() + FILL),
              "/xxgk/index.html": column("政府信息公开", nav(("/xxgk/tzgg/index.html", "通知公告")) + FILL),
              "/xxgk/tzgg/index.html": column("通知公告", rows("/xxgk/tzgg/", [300, 310, 320]) +
                                               '<a href="index_1.html">下一页</a>', "政府信息公开"),
              "/xxgk/tzgg/index_1.html": column("通知公告", rows("/xxgk/tzgg/", [330, 340, 350], start=4),
                                                 "政府信息公开")}
    r = result(run(audit_site, routes, only=["freshness.columns"]), "freshness.columns")
    names = [c["name"] for c in r["details"]["columns"]]
    assert names.count("通知公告") == 1
    row = next(c for c in r["details"]["columns"] if c["name"] == "通知公告")
    assert row["depth"] == 2 and row["state"] == "stale" and row["first_level"] is False
    assert row["key"] is False  # not a 一级栏目 (not linked from the homepage)


# -- freshness.empty-columns -------------------------------------------------------------

def test_no_blank_columns_pass(audit_site):
    routes = site_with_columns([("/ywdt/", "要闻动态", [1, 2, 3]), ("/tzgg/", "通知公告", [30, 60, 90])])
    r = result(run(audit_site, routes, only=["freshness.empty-columns"]), "freshness.empty-columns")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["blank"] == []


def test_five_blank_columns_fail(audit_site):
    spec = [(f"/lm{n}/", f"栏目{n}号", None) for n in range(5)] + [("/ywdt/", "要闻动态", [1, 2, 3])]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.empty-columns"]), "freshness.empty-columns")
    assert r["status"] == "fail", r["summary"]
    assert len(r["details"]["blank"]) == 5 and "暂无信息" in r["evidence"][0]["excerpt"]


def test_three_blank_columns_warn(audit_site):
    spec = [(f"/lm{n}/", f"栏目{n}号", None) for n in range(3)] + [("/ywdt/", "要闻动态", [1, 2, 3])]
    r = result(run(audit_site, site_with_columns(spec), only=["freshness.empty-columns"]), "freshness.empty-columns")
    assert r["status"] == "warn", r["summary"]


def test_script_loaded_lists_are_not_blank(audit_site):
    # An empty container with a "暂无数据" placeholder that an ajax call fills, and a JCMS record list.
    ajax = ('<ul id="list"></ul><div class="nodata">暂无数据</div>'
            '<script>$.getJSON("/api/list?col=1", function(d){ render(d); });</script>')
    jcms = ('<div id="4321"><script type="text/xml"><datastore><recordset>'
            + "".join(f'<record><![CDATA[<li><a href="/art/2026/11/{d}/art_1_{d}.html">第{d}条信息的标题内容</a>'
                      f'<span>2026-11-{d:02d}</span></li>]]></record>' for d in (1, 5, 9))
            + '</recordset></datastore></script></div><div>暂无信息</div>')
    routes = {"/": page("示例市人民政府", nav(*[(f"/lm{n}/", f"栏目{n}号") for n in range(5)], ("/jc/", "通知公告"))
                        + home_with_rows() + FILL),
              "/jc/": column("通知公告", jcms)}
    for n in range(5):
        routes[f"/lm{n}/"] = column(f"栏目{n}号", ajax)
    r = result(run(audit_site, routes, only=["freshness.empty-columns", "freshness.columns"]), "freshness.empty-columns")
    assert r["status"] == "unknown", r["summary"]
    assert len(r["details"]["script_loaded"]) == 5 and r["details"]["blank"] == []
    out_cols = result(run(audit_site, routes, only=["freshness.columns"]), "freshness.columns")
    row = next(c for c in out_cols["details"]["columns"] if c["name"] == "通知公告")
    assert row["state"] == "fresh"  # the JCMS records are read


def test_named_column_listing_nothing_is_blank(audit_site, tmp_path):
    with LoopbackSite({"/": page("示例市人民政府", nav(("/ghjh/", "规划计划")) + home_with_rows() + FILL),
                       "/ghjh/": page("规划计划", '<ul class="list"></ul>' + FILL)}) as s:
        prof = tmp_path / "site.toml"
        prof.write_text(f'extends = "city"\n[columns.named]\n"规划计划" = "{s.url}ghjh/"\n', "utf-8")
        r = result(run(audit_site, s, only=["freshness.empty-columns"], profile=str(prof)), "freshness.empty-columns")
    assert r["status"] == "pass", r["summary"]
    assert [b["name"] for b in r["details"]["blank"]] == ["规划计划"]
    assert "没有信息条目" in r["evidence"][0]["excerpt"]


def test_no_columns_is_unknown(audit_site):
    r = result(run(audit_site, {"/": page("示例市人民政府", FILL)}, only=["freshness.empty-columns"]),
               "freshness.empty-columns")
    assert r["status"] == "unknown", r["summary"]


# -- the bundled demo site -------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=500), profile="city", only=IDS, as_of=server.as_of)
        return run_audit(server.url, config, None).report


def test_demo_homepage_fresh(demo_report):
    r = result(type("O", (), {"report": demo_report}), "freshness.homepage")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["newest"] == "2026-11-18"


def test_demo_columns(demo_report):
    r = result(type("O", (), {"report": demo_report}), "freshness.columns")
    assert r["status"] == "pass", r["summary"]
    stale = {row["name"]: row for row in r["details"]["columns"] if row["state"] == "stale"}
    assert set(stale) == {"通知公告", "人事信息"}
    assert stale["通知公告"]["newest"] == "2026-03-02" and stale["人事信息"]["newest"] == "2025-06-01"
    assert {e["url"].split("/", 3)[-1] for e in r["evidence"]} == {"xwzx/tzgg/index.html", "xxgk/rsxx/index.html"}


def test_demo_empty_columns(demo_report):
    r = result(type("O", (), {"report": demo_report}), "freshness.empty-columns")
    assert r["status"] == "pass", r["summary"]
    assert [b["url"].split("/", 3)[-1] for b in r["details"]["blank"]] == ["xxgk/ghjh/index.html"]
    assert "暂无信息" in r["evidence"][0]["excerpt"]


# -- traps from real sites -------------------------------------------------------------

def test_todays_date_in_the_top_bar_is_not_an_update(audit_site):
    top = '<ul class="top"><li>今天是2026年11月20日 星期五 <a href="/sitemap.html">网站地图</a></li></ul>'
    routes = {"/": page("示例市人民政府", top + rows("/ywdt/", [40, 50, 60]) + FILL),
              "/sitemap.html": page("网站地图", nav(("/ywdt/", "要闻动态"), ("/tzgg/", "通知公告")))}
    r = result(run(audit_site, routes, only=["freshness.homepage"]), "freshness.homepage")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["age_days"] == 40


def test_soft_404_and_article_related_lists_are_not_columns(audit_site):
    related = rows("/tzgg/", [400, 500, 600], start=7)
    routes = site_with_columns([("/ywdt/", "要闻动态", [1, 2, 3]), ("/tzgg/", "通知公告", [10, 20, 30])],
                               extra_home=nav(("/old/", "旧栏目"), ("/tzgg/t20261110_1.html", "某条通知的标题比较长一些")))
    routes["/old/"] = page("页面不存在", "<p>对不起，没有找到您要访问的页面</p>")
    routes["/tzgg/t20261110_1.html"] = page("某条通知", "<h1>某条通知</h1>" + BODY + "<h3>相关文章</h3>" + related,
                                            head='<meta name="ColumnName" content="通知公告">'
                                                 '<meta name="ArticleTitle" content="某条通知">')
    out = run(audit_site, routes, only=["freshness.columns", "freshness.empty-columns"])
    cols = result(out, "freshness.columns")
    assert cols["status"] == "pass", cols["summary"]
    assert [c["url"].split("/", 3)[-1] for c in cols["details"]["columns"] if c["name"] == "通知公告"] == ["tzgg/"]
    empty = result(out, "freshness.empty-columns")
    assert empty["details"]["blank"] == [], empty["summary"]


def test_dateless_list_with_uncrawled_top_rows_is_undetermined(audit_site):
    # Rows newest first, no dates in the list; the top article is off-limits (robots.txt), the
    # others are old: the column cannot be called stale.
    routes = {"/robots.txt": Response("User-agent: *\nDisallow: /tzgg/art1.html\n", content_type="text/plain"),
              "/": page("示例市人民政府", nav(("/tzgg/", "通知公告")) + home_with_rows() + FILL),
              "/tzgg/": column("通知公告", rows("/tzgg/", [0, 0, 0], dated=False))}
    for n, age in ((2, 300), (3, 400)):
        routes[f"/tzgg/art{n}.html"] = article(f"通知{n}", age)
    r = result(run(audit_site, routes, only=["freshness.columns"]), "freshness.columns")
    row = next(c for c in r["details"]["columns"] if c["name"] == "通知公告")
    assert row["state"] == "unresolved" and row["newest"] == ago(300), row
    assert r["details"]["stale"] == 0


def test_pubdate_on_every_page_keeps_columns(audit_site):
    # Some templates put PubDate on list pages too: they are still columns.
    routes = site_with_columns([("/ywdt/", "要闻动态", [1, 2, 3]), ("/tzgg/", "通知公告", [200, 300, 400])])
    for path in ("/ywdt/", "/tzgg/"):
        routes[path] = routes[path].replace("<title>", '<meta name="PubDate" content="2026-11-19 08:00"><title>')
    r = result(run(audit_site, routes, only=["freshness.columns"]), "freshness.columns")
    assert {c["name"]: c["state"] for c in r["details"]["columns"]} == {"要闻动态": "fresh", "通知公告": "stale"}
