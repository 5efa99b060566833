"""Verdicts on pages built like real government templates (issue 10, items 4–9).

The fixture pages reproduce structures seen on TRS WCM, Hanweb/JCMS and EmpireCMS sites:
a column page whose list area is empty but whose side boxes (最新信息, 热点排行) list the
same dated items on every page; "no content" notices in their many wordings; columns with
one or two items; unit-name prefixed titles in the ArticleTitle meta; the 找错 entry of
each generation; contacts published on notices.
"""
from __future__ import annotations

from datetime import date, timedelta

from servers import page

AS_OF = date(2026, 11, 20)
FILL = "<p>" + "本站发布本县政务信息、政策文件和办事服务指南，欢迎社会各界监督。" * 12 + "</p>"
BODY = "<p>" + "为进一步做好相关工作，现将有关事项通知如下，请各单位认真贯彻落实。" * 8 + "</p>"


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def nav(*items):
    return '<ul class="nav">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in items) + "</ul>"


def rows(prefix: str, ages, start=1):
    out = "".join(f'<li><a href="{prefix}{start + n}.html" target="_blank">第{start + n}条信息的标题内容比较长一些</a>'
                  f'<span class="date">{ago(a)}</span></li>' for n, a in enumerate(ages))
    return f'<ul class="list">{out}</ul>'


# EmpireCMS list template: left box 最新信息 (same rows on every column page), a breadcrumb,
# and the list area ([!--empirenews.listtemp--]) that is empty or holds a notice.
SIDEBAR = ('<div class="left"><div class="tit">最新信息</div><ul>'
           + "".join(f'<li><a href="/zwdt/{n}.html">第{n}条最新动态的标题比较长一些</a><span>{ago(n)}</span></li>'
                     for n in (1, 2, 3)) + "</ul></div>")


def ecms_column(name: str, list_area: str, parent: str = "") -> str:
    crumb = f'<div class="position">当前位置：<a href="/">首页</a>&nbsp;>&nbsp;{parent + "&nbsp;>&nbsp;" if parent else ""}' \
            f'<a href="#">{name}</a></div>'
    return page(f"{name}-示例县人民政府", f'{SIDEBAR}<div class="right">{crumb}<div class="listbox">{list_area}</div></div>')


def home(columns, extra="") -> str:
    return page("示例县人民政府", nav(*[(p, n) for p, n in columns]) + rows("/zwdt/", [1, 2, 3]) + extra + FILL)


def audit(audit_site, routes, only, **kw):
    kw.setdefault("as_of", AS_OF)
    return audit_site(routes, only=only, **kw)


# -- item 4: blank columns recognised by structure ------------------------------------------

BLANK_WORDINGS = ['<p class="nodata">此栏目下暂无内容</p>', '<div class="common-empty">没有相关记录</div>',
                  '<div class="tips">栏目正在建设中，敬请期待！</div>', '<span>暂无相关数据</span>',
                  '<ul class="list"></ul>']


def blank_site(wordings):
    cols = [(f"/lm{n}/", f"栏目{n}号") for n in range(len(wordings))] + [("/zwdt/", "政务动态")]
    routes = {"/": home(cols)}
    for (path, name), notice in zip(cols, wordings):
        routes[path] = ecms_column(name, notice)
    routes["/zwdt/"] = ecms_column("政务动态", rows("/zwdt/", [1, 2, 3, 4]))
    for n in range(1, 5):
        routes[f"/zwdt/{n}.html"] = page(f"第{n}条", f"<h1>第{n}条</h1><div>发布时间：{ago(n)}</div>{BODY}")
    return routes


def test_blank_columns_in_every_wording_beside_a_dated_sidebar_are_the_veto(audit_site):
    out = audit(audit_site, blank_site(BLANK_WORDINGS), ["freshness.empty-columns", "freshness.columns"])
    r = result(out, "freshness.empty-columns")
    assert r["status"] == "fail", r["summary"]
    assert sorted(b["name"] for b in r["details"]["blank"]) == [f"栏目{n}号" for n in range(5)]
    assert any("没有相关记录" in e["excerpt"] for e in r["evidence"])
    cols = result(out, "freshness.columns")
    # The side box's dates are not the blank columns' dates.
    assert all(c["state"] == "blank" for c in cols["details"]["columns"] if c["name"].startswith("栏目"))


def test_columns_with_items_and_an_empty_side_box_are_not_blank(audit_site):
    routes = blank_site([])
    for n in range(5):
        routes["/"] = home([(f"/lm{n}/", f"通知公告{n}") for n in range(5)] + [("/zwdt/", "政务动态")])
        routes[f"/lm{n}/"] = ecms_column(f"通知公告{n}", rows(f"/lm{n}/", [5, 9]) + '<div class="hot">热点排行：暂无数据</div>')
    r = result(audit(audit_site, routes, ["freshness.empty-columns"]), "freshness.empty-columns")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["blank"] == []


def test_a_long_text_mentioning_no_data_is_no_notice(audit_site):
    # A static introduction page may say 暂无 in a sentence: not a "no content" notice.
    routes = blank_site([])
    text = "<p>本单位负责全县统计工作，截至目前暂无相关数据需要向社会公开的事项将在本栏目另行发布，请关注本网站后续的通知和公告。</p>"
    for n in range(5):
        routes["/"] = home([(f"/js{n}/", f"机构介绍{n}") for n in range(5)] + [("/zwdt/", "政务动态")])
        routes[f"/js{n}/"] = ecms_column(f"机构介绍{n}", text)
    r = result(audit(audit_site, routes, ["freshness.empty-columns"]), "freshness.empty-columns")
    assert r["details"]["blank"] == [], r["summary"]


# -- item 5: stale columns with few items -------------------------------------------------

def few_items_site(ages):
    names = ["工作动态", "部门动态", "乡镇动态", "通知公告", "政策文件"]
    cols = [(f"/c{n}/", name) for n, name in enumerate(names)]
    routes = {"/": home(cols + [("/zwdt/", "政务动态")])}
    for (path, name) in cols:
        routes[path] = ecms_column(name, rows(path, ages))
    routes["/zwdt/"] = ecms_column("政务动态", rows("/zwdt/", [1, 2, 3, 4]))
    return routes


def test_named_columns_with_two_stale_items_are_the_veto(audit_site):
    r = result(audit(audit_site, few_items_site([200, 260]), ["freshness.columns"]), "freshness.columns")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["stale_key"] == 5
    by_name = {c["name"]: c for c in r["details"]["columns"]}
    assert by_name["通知公告"]["newest"] == ago(200) and by_name["通知公告"]["state"] == "stale"


def test_named_columns_with_one_fresh_item_pass(audit_site):
    r = result(audit(audit_site, few_items_site([3]), ["freshness.columns"]), "freshness.columns")
    assert r["status"] == "pass", r["summary"]
    assert {c["name"] for c in r["details"]["columns"]} >= {"工作动态", "通知公告", "政策文件"}


def test_an_unnamed_page_with_two_dated_rows_is_no_column(audit_site):
    # No ColumnName, no breadcrumb, no link text: the >= 3-row rule guesses lists.
    routes = {"/": home([("/zwdt/", "政务动态")]) + '<a href="/x/p.html"></a>',
              "/zwdt/": ecms_column("政务动态", rows("/zwdt/", [1, 2, 3, 4]))}
    routes["/"] = page("示例县人民政府", nav(("/zwdt/", "政务动态")) + rows("/zwdt/", [1, 2, 3])
                       + '<a href="/x/p.html"><img src="/x.png"></a>' + FILL)
    routes["/x/p.html"] = page("通知公告", rows("/x/", [300, 400]) + FILL)
    r = result(audit(audit_site, routes, ["freshness.columns"]), "freshness.columns")
    assert all(not c["url"].endswith("/x/p.html") for c in r["details"]["columns"]), r["details"]["columns"]


# -- item 8: official contacts are no leaks; citizens' data is ------------------------------

def _id_number(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def notice_site(body: str) -> dict:
    return {"/": page("示例县人民政府", FILL + '<a href="/zfcg/1.html">某某采购项目公告</a>'),
            "/zfcg/1.html": page("某某采购项目公告", f"<h1>某某采购项目公告</h1>{body}{BODY}")}


# A TRS procurement notice: spaced labels (联 系 人), a landline then a mobile after one label.
PROCUREMENT = ('<div class="TRS_Editor"><p>一、采购人信息</p><p>名　　称：示例县教育局</p>'
               '<p>联 系 人：王老师</p><p>联系电话：0531-88881234、13805311234</p>'
               '<p>二、采购代理机构信息</p><p>联系方式：张工　0531-66661234　15866661234</p>'
               '<p>监督电话：0531-12345678 / 13905311234</p>'
               '<p>咨 询 电 话：18953101234</p></div>')


def test_official_contacts_on_a_procurement_notice_are_no_leak(audit_site):
    r = result(audit(audit_site, notice_site(PROCUREMENT), ["privacy.personal-data"]), "privacy.personal-data")
    assert r["status"] == "pass", (r["summary"], r["details"]["mobile_pages"])
    assert r["details"]["contact_numbers_skipped"] == 4


def test_a_named_applicants_mobile_is_a_leak(audit_site):
    body = '<table><tr><td>补助对象：李某某</td><td>联系电话：13912345678</td></tr></table>' + PROCUREMENT
    r = result(audit(audit_site, notice_site(body), ["privacy.personal-data"]), "privacy.personal-data")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["mobile_numbers"] == 1 and "139****5678" in r["evidence"][0]["excerpt"]


def test_an_applicants_id_number_beside_a_contact_label_fails(audit_site):
    body = f"<p>申请人：张某 联系人：张某 身份证号码：{_id_number('37010219850612301')}</p>" + PROCUREMENT
    r = result(audit(audit_site, notice_site(body), ["privacy.personal-data"]), "privacy.personal-data")
    assert r["status"] == "fail", r["summary"]


# -- item 6: whose annual report -----------------------------------------------------------

def report_page(title: str, published: str) -> str:
    return page(f"{title}_示例县人民政府", f"<h1>{title}</h1><div>发布时间：{published}</div>{BODY}",
                head=f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{published} 09:00">')


def reports_site(own_years, dept_years) -> dict:
    """A county portal's 年报 column with sub-columns 政府年报 (the county's) and 部门年报 (its
    departments', titled only by year, the unit shown beside the link, as TRS lists do)."""
    xxgk = nav(("/xxgk/ndbg/", "政府信息公开年报"))
    ndbg = nav(("/xxgk/ndbg/zfnb/", "政府年报"), ("/xxgk/ndbg/bmnb/", "部门年报"))
    own = "".join(f'<li><a href="/xxgk/ndbg/zfnb/{y}.html">{y}年政府信息公开工作年度报告</a><span>{y + 1}-03-20</span></li>'
                  for y in own_years)
    dept = "".join(f'<li><span class="unit">{u}</span><a href="/xxgk/ndbg/bmnb/{u}{y}.html">{y}年政府信息公开工作年度报告</a>'
                   f'<span>{y + 1}-01-20</span></li>' for y in dept_years for u in ("jyj", "czj", "wjw"))
    crumb = '<div class="position">当前位置：首页 > 政府信息公开 > 政府信息公开年报 > {}</div>'
    routes = {"/": page("示例县人民政府", nav(("/xxgk/", "政府信息公开")) + rows("/zwdt/", [1, 2, 3]) + FILL),
              "/xxgk/": page("政府信息公开_示例县人民政府", xxgk + FILL),
              "/xxgk/ndbg/": page("政府信息公开年报_示例县人民政府", crumb.format("") + ndbg),
              "/xxgk/ndbg/zfnb/": page("政府年报_示例县人民政府", crumb.format("政府年报") + f'<ul class="list">{own}</ul>',
                                       head='<meta name="ColumnName" content="政府年报">'),
              "/xxgk/ndbg/bmnb/": page("部门年报_示例县人民政府", crumb.format("部门年报") + f'<ul class="list">{dept}</ul>',
                                       head='<meta name="ColumnName" content="部门年报">')}
    for y in own_years:
        routes[f"/xxgk/ndbg/zfnb/{y}.html"] = report_page(f"{y}年政府信息公开工作年度报告", f"{y + 1}-03-20")
    for y in dept_years:
        for u in ("jyj", "czj", "wjw"):
            routes[f"/xxgk/ndbg/bmnb/{u}{y}.html"] = report_page(f"{y}年政府信息公开工作年度报告", f"{y + 1}-01-20")
    return routes


def test_departments_reports_do_not_stand_for_the_owners(audit_site):
    r = result(audit(audit_site, reports_site([2022, 2023, 2024], [2023, 2024, 2025]), ["disclosure.annual-report"]),
               "disclosure.annual-report")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["due_year"] == 2025 and r["details"]["years_found"] == [2022, 2023, 2024]
    assert r["details"]["other_units_reports"] == 9


def test_the_owners_report_in_its_column_passes(audit_site):
    r = result(audit(audit_site, reports_site([2022, 2023, 2024, 2025], [2024]), ["disclosure.annual-report"]),
               "disclosure.annual-report")
    assert r["status"] in ("pass", "warn"), r["summary"]
    assert r["details"]["published"] == "2026-03-20"


def test_a_report_in_the_owners_column_wins_over_a_crawled_department_report(audit_site):
    """The EmpireCMS county copy of the corpus: the homepage does not name the unit (its title
    was replaced), the county's own report is listed in 政府年报 but its page was not fetched,
    and a court's report of the same year — published after the deadline, its page crawled — is
    listed on the 年报 overview. The verdict is the county's report, not the court's."""
    routes = reports_site([2023, 2024, 2025], [])
    routes["/"] = page("门户网站", nav(("/xxgk/", "政府信息公开")) + rows("/zwdt/", [1, 2, 3]) + FILL)
    routes["/xxgk/ndbg/zfnb/"] = routes["/xxgk/ndbg/zfnb/"].replace(
        ">2025年政府信息公开工作年度报告", ">示例县2025年政府信息公开工作年度报告")
    del routes["/xxgk/ndbg/zfnb/2025.html"]  # listed, never fetched (404)
    routes["/xxgk/ndbg/"] = routes["/xxgk/ndbg/"].replace(
        "</body>", '<ul class="list"><li><a href="/xxgk/ndbg/fy2025.html">示例县人民法院2025年政府信息公开工作年度报告</a>'
                   "<span>2026-04-02</span></li></ul></body>")
    routes["/xxgk/ndbg/fy2025.html"] = report_page("示例县人民法院2025年政府信息公开工作年度报告", "2026-04-02")
    r = result(audit(audit_site, routes, ["disclosure.annual-report"]), "disclosure.annual-report")
    assert r["status"] in ("pass", "warn"), r["summary"]
    assert r["details"]["published"] == "2026-03-20", r["details"]


# -- item 9: real templates vary -----------------------------------------------------------

GUIDE_TEXT = ("<p>一、信息分类与编排体系。本机关主动公开的政府信息分为机构职能、政策文件、规划计划等类别，按类别和生成时间编排。</p>"
              "<p>二、获取方式。公民、法人或者其他组织可以通过本网站“政府信息公开”栏目查阅主动公开的政府信息，也可以依申请获取。</p>"
              "<p>三、政府信息公开工作机构：示例县人民政府办公室。办公地址：示例县政务大道1号。办公时间：周一至周五。"
              "联系电话：0531-12345679。</p>")


def test_a_guide_titled_with_the_units_name_in_articletitle_is_found(audit_site):
    # TRS: the 政府信息公开 page lists the guide as an article, its link text and <title> carry the
    # unit's name (too long for a column label); the page says what it is in ArticleTitle and <h1>.
    title = "示例县人民政府办公室政府信息公开指南（2024年修订）"
    routes = {"/": page("示例县人民政府", nav(("/xxgk/", "政府信息公开")) + FILL),
              "/xxgk/": page("政府信息公开_示例县人民政府",
                             f'<ul class="list"><li><a href="/xxgk/zn/t20240301_1.html">{title}</a>'
                             "<span>2024-03-01</span></li></ul>" + FILL),
              "/xxgk/zn/t20240301_1.html": page(f"{title}_示例县人民政府", f"<h1>{title}</h1>{GUIDE_TEXT}",
                                                head=f'<meta name="ArticleTitle" content="{title}">')}
    r = result(audit(audit_site, routes, ["disclosure.guide"]), "disclosure.guide")
    assert r["status"] in ("pass", "warn"), r["summary"]
    assert r["details"].get("url", "").endswith("t20240301_1.html") or \
        any(e["url"].endswith("t20240301_1.html") for e in r["evidence"]), r


def test_the_homepage_under_index_html_is_not_another_page(audit_site):
    head = '<meta name="ColumnName" content="通知公告"><meta name="ColumnType" content="通知公告">'
    art_head = '<meta name="ArticleTitle" content="{t}"><meta name="PubDate" content="{d} 09:00">' \
               '<meta name="ContentSource" content="示例县人民政府">'
    home_html = page("示例县人民政府", nav(("/index.html", "首页"), ("/tzgg/", "通知公告")) + rows("/tzgg/", [1, 2, 3]) + FILL)
    routes = {"/": home_html, "/index.html": home_html, "/index.htm": home_html,
              "/tzgg/": page("通知公告_示例县人民政府", rows("/tzgg/", [1, 2, 3]), head=head)}
    for n in (1, 2, 3):
        t = f"第{n}条信息的标题内容比较长一些"
        routes[f"/tzgg/{n}.html"] = page(t, f"<h1>{t}</h1>{BODY}", head=art_head.format(t=t, d=ago(n)))
    out = audit(audit_site, routes, ["identity.meta-tags-pages", "freshness.columns"])
    r = result(out, "identity.meta-tags-pages")
    assert r["status"] == "pass", r["summary"]
    cols = result(out, "freshness.columns")
    assert [c["url"].rsplit("/", 2)[-2] for c in cols["details"]["columns"]] == ["tzgg"], cols["details"]["columns"]


# IPv6-transition proxies rewrite a host a.b.gov.cn into a-b-gov-cn.<proxy>: the markers are
# known by path, element id and image.
PROXY = "ipv6.example-proxy.gov.cn"


def test_national_markers_through_an_ipv6_proxy_host(audit_site):
    footer = ('<div class="footer"><span id="_ideConac"><a href="http://bszs-conac-cn.' + PROXY
              + '/sitename?method=show&id=0BE1AC304F8E592CE053012819ACFC38" target="_blank">'
              '<img id="imgConac" src="http://dcs-conac-cn.' + PROXY + '/image/red.png"></a></span>'
              '<script id="_jiucuo_" sitecode="3709230001" src="http://zfwzgl-www-gov-cn.' + PROXY
              + '/exposure/jiucuo.js"></script>'
              '<a href="http://www-beian-gov-cn.' + PROXY + '/portal/registerSystemInfo?recordcode=37092302000123">'
              '<img src="/images/ga.png">鲁公网安备 37092302000123号</a></div>')
    out = audit(audit_site, {"/": page("示例县人民政府", FILL + footer)},
                ["identity.dangzheng", "interaction.zhaocuo", "identity.psb"])
    assert result(out, "identity.dangzheng")["status"] == "pass", result(out, "identity.dangzheng")["summary"]
    assert result(out, "interaction.zhaocuo")["status"] == "pass"
    assert result(out, "identity.psb")["details"]["linked"] is True


# -- item 7: 找错 of every generation, never the site search; search on inner pages ---------------

ZHAOCUO_GENERATIONS = {
    # today's script (2019 on), host zfwzgl.www.gov.cn
    "jiucuo.js": '<script id="_jiucuo_" sitecode="3709230001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>',
    # the kaipuyun generation: the span the script leaves, with its image
    "pucha span": ('<span id="_span_jiucuo"><img onclick="Link(\'3709230001\')" style="margin:0;border:0;cursor: pointer;" '
                   'src="http://pucha.kaipuyun.cn/exposure/images/jiucuo.png?v=3709230001"></span>'),
    # a saved copy of the image on the site, opened by onclick
    "local image": ('<a href="javascript:void(0)" onclick="OpenUrl(\'http://121.43.68.40/exposure/jiucuo.html?'
                    'site_code=3709230001&url=http%3A%2F%2Fwww.example.gov.cn%2F\')"><img src="images/jiucuo.png"></a>'),
    # the 2017–2019 badge linking to the 开普云 网站纠错系统 (EmpireCMS county portal, 2018); the
    # image reads 政府网站找错 but has no alt text
    "errorInfo badge": ('<a href="http://114.55.181.28/errorInfo/search" target="_blank">'
                        '<img src="skin/images/zc.png" border="0"></a>'),
    # the 2015 普查 link
    "2015 link": '<a href="http://www.gov.cn/c125533/jbxxk.htm"><img src="/img/zc.png" alt="我为政府网站找错"></a>',
}


def test_every_generation_of_the_zhaocuo_entry_and_none_is_a_search(audit_site):
    for name, widget in ZHAOCUO_GENERATIONS.items():
        out = audit(audit_site, {"/": page("示例县人民政府", FILL + f'<div class="footer">{widget}</div>')},
                    ["interaction.zhaocuo", "search.present"])
        assert result(out, "interaction.zhaocuo")["status"] == "pass", name
        assert result(out, "search.present")["status"] == "fail", (name, result(out, "search.present")["summary"])


def test_a_sites_own_correction_page_is_not_the_national_entry(audit_site):
    # 政务服务 "我要纠错" pages of the site itself are not the 国办 找错 platform.
    body = FILL + '<div class="footer"><a href="/hdjl/jiucuo/index.html">我要纠错</a></div>'
    out = audit(audit_site, {"/": page("示例县人民政府", body), "/hdjl/jiucuo/index.html": page("我要纠错", FILL)},
                ["interaction.zhaocuo"])
    assert result(out, "interaction.zhaocuo")["status"] == "fail", result(out, "interaction.zhaocuo")["summary"]


SEARCH_FORM = ('<form name="searchform" action="/was5/web/search" method="get" target="_blank">'
               '<input type="hidden" name="channelid" value="123"><input name="searchword" type="text">'
               '<input type="submit" value="搜索"></form>')


def test_search_form_found_on_inner_pages_when_the_homepage_has_none(audit_site):
    # A homepage designed apart (a big banner, no header box) while every inner page has the header search.
    routes = {"/": page("示例县人民政府", nav(("/zwdt/", "政务动态"), ("/xxgk/", "政府信息公开")) + FILL),
              "/zwdt/": page("政务动态_示例县人民政府", SEARCH_FORM + rows("/zwdt/", [1, 2, 3])),
              "/xxgk/": page("政府信息公开_示例县人民政府", SEARCH_FORM + FILL)}
    r = result(audit(audit_site, routes, ["search.present"]), "search.present")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["action"].endswith("/was5/web/search")
    assert r["details"]["page"].endswith(("/zwdt/", "/xxgk/"))


# -- item 9: letters show 提交/诉求/受理时间 and hide their answers behind 办理动态 -------------

def mailbox_site(progress, asked=("2026-10-01", "2026-10-02", "2026-10-03")) -> dict:
    """A 县长信箱 (Hanweb-like): list rows with 提交时间, detail pages with 诉求时间 and 办理状态 已受理,
    the answer on a separate 办理动态 page. ``progress``: per letter, the 办理动态 page's body or None
    (that page not published)."""
    head = '<meta name="ColumnName" content="县长信箱">'
    crumb = '<div class="position">当前位置：首页 > 互动交流 > 县长信箱</div>'
    rows_html = "".join(f'<li><a href="/hdjl/xzxx/{n}.html">关于某小区第{n}号楼供暖问题的咨询</a>'
                        f'<span>提交时间：{asked[n - 1]}</span><span>受理单位：县住建局</span></li>'
                        for n in range(1, len(progress) + 1))
    routes = {"/": page("示例县人民政府", nav(("/hdjl/xzxx/", "县长信箱")) + FILL),
              "/hdjl/xzxx/": page("县长信箱_示例县人民政府", crumb + f'<ul class="xjlist">{rows_html}</ul>', head=head)}
    for n, body in enumerate(progress, 1):
        detail = (f"<h1>关于某小区第{n}号楼供暖问题的咨询</h1><table><tr><td>诉求时间</td><td>{asked[n - 1]} 10:21</td></tr>"
                  f"<tr><td>受理时间</td><td>{asked[n - 1]}</td></tr><tr><td>办理状态</td><td>已受理</td></tr>"
                  f"<tr><td>诉求内容</td><td>我家小区供暖一直不热，请有关部门尽快处理，谢谢。</td></tr></table>"
                  f'<a href="/hdjl/xzxx/{n}_dt.html">办理动态</a>')
        routes[f"/hdjl/xzxx/{n}.html"] = page(f"信件详情_示例县人民政府", crumb + detail, head=head)
        if body is not None:
            routes[f"/hdjl/xzxx/{n}_dt.html"] = page("办理动态_示例县人民政府", crumb + body, head=head)
    return routes


ANSWERED = ("<table><tr><th>时间</th><th>办理单位</th><th>办理环节</th></tr>"
            "<tr><td>2026-10-05</td><td>县住建局</td><td>已办结</td></tr></table>"
            "<p>答复时间：2026-10-05</p><p>答复内容：经查，该小区供暖管网已于6月4日完成检修，现已恢复正常。</p>")
STILL_OPEN = ("<table><tr><th>时间</th><th>办理单位</th><th>办理环节</th></tr>"
              "<tr><td>2026-06-03</td><td>县住建局</td><td>已受理</td></tr></table>")


def test_letters_answered_behind_progress_links_pass(audit_site):
    r = result(audit(audit_site, mailbox_site([ANSWERED, ANSWERED, ANSWERED]), ["interaction.response"]),
               "interaction.response")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["answered"] == 3 and r["details"]["median_latency_days"] is not None


def test_a_letter_still_open_after_months_behind_its_progress_link_fails(audit_site):
    routes = mailbox_site([ANSWERED, ANSWERED, STILL_OPEN], asked=("2026-10-01", "2026-10-02", "2026-06-03"))
    r = result(audit(audit_site, routes, ["interaction.response"]),
               "interaction.response")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["overdue_unanswered"] == 1


def test_an_unread_progress_page_is_no_unanswered_letter(audit_site):
    r = result(audit(audit_site, mailbox_site([ANSWERED, ANSWERED, None]), ["interaction.response"]),
               "interaction.response")
    assert r["status"] != "fail", r["summary"]
    assert r["details"]["unclear"] == 1


def test_a_small_column_mirrored_on_overview_pages_is_still_its_own_list(audit_site):
    # 通知公告's three items are shown on the 政务公开 overview and on a 专题 page too, and its page
    # has an empty 热点排行 box: its list is still its own (filed under its folder), not a side box.
    items = rows("/xxgk/tzgg/", [20, 30, 40])
    routes = {"/": home([("/xxgk/", "政务公开"), ("/zt/", "专题专栏"), ("/xxgk/tzgg/", "通知公告")]),
              "/xxgk/": ecms_column("政务公开", items),
              "/zt/": ecms_column("专题专栏", items),
              "/xxgk/tzgg/": ecms_column("通知公告", items + '<div class="hot">热点排行：暂无数据</div>', "政务公开")}
    out = audit(audit_site, routes, ["freshness.empty-columns", "freshness.columns"])
    assert result(out, "freshness.empty-columns")["details"]["blank"] == []
    cols = {c["name"]: c for c in result(out, "freshness.columns")["details"]["columns"]}
    assert cols["通知公告"]["state"] == "fresh" and cols["通知公告"]["newest"] == ago(20)


def test_a_staff_directory_of_officials_is_no_leak(audit_site):
    body = ('<table><tr><td>姓名：王某某</td><td>职务：办公室主任</td><td>联系电话：0531-88881234 / 13805311234</td></tr>'
            '<tr><td>姓名：李某某</td><td>职务：科长</td><td>办公电话：13905311234</td></tr></table>')
    r = result(audit(audit_site, notice_site(body), ["privacy.personal-data"]), "privacy.personal-data")
    assert r["status"] == "pass", (r["summary"], r["details"]["mobile_pages"])
