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


# ======================================================================================
# The disclosure family: disclosure.guide, .catalogue, .annual-report, .on-request,
# .key-areas and interpretation.policy (政府信息公开条例; 2018 work points 1–10, 18, 19, 21).
# Every scenario is a small site served on loopback and audited by the real pipeline.
# ======================================================================================
from datetime import date  # noqa: E402

import pytest  # noqa: E402

AS_OF = date(2026, 11, 20)
FAMILY = ["disclosure.guide", "disclosure.catalogue", "disclosure.annual-report", "disclosure.on-request",
          "disclosure.key-areas", "interpretation.policy"]
SITE_HEAD = '<meta name="SiteName" content="示例市人民政府">'
# The footer carries the sponsor's address and telephone: they must not count for a guide.
FOOT = ('<div class="footer">主办单位：示例市人民政府办公室　地址：示例市市中区政务大道1号　'
        '联系电话：0531-12345678　网站标识码：3799000001</div>')


def home(*extra, xxgk=True):
    items = ([("/xxgk/index.html", "政府信息公开")] if xxgk else []) + [("/zcwj/index.html", "政策文件"),
                                                                    ("/zcjd/index.html", "政策解读")] + list(extra)
    return page("示例市人民政府", nav(*items) + FOOT, head=SITE_HEAD)


def sub(title, body, parent=("/xxgk/index.html", "政府信息公开"), head=""):
    crumbs = f'<a href="/">首页</a> &gt; <a href="{parent[0]}">{parent[1]}</a> &gt; {title}' if parent else \
        f'<a href="/">首页</a> &gt; {title}'
    return page(f"{title}_示例市人民政府", f'<div class="position">当前位置：{crumbs}</div>'
                f'<div class="main">{body}</div>' + FOOT, head=SITE_HEAD + head)


def xxgk(*items):
    """The 政府信息公开 column page: a side nav of its sub-columns and some text."""
    side = '<ul class="side-nav">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in items) + "</ul>"
    return sub("政府信息公开", side + "<p>" + "本栏目集中发布本机关主动公开的政府信息。" * 8 + "</p>", parent=None)


GUIDE = """<h3>示例市人民政府政府信息公开指南</h3>
<p>一、信息分类与编排体系。本机关主动公开的政府信息分为机构职能、政策文件、规划计划等类别，按类别和生成时间编排，每条信息编制索引号。</p>
<p>二、获取方式。公民、法人或者其他组织可以通过本网站“政府信息公开”栏目查阅主动公开的政府信息，也可以依申请获取。</p>
<p>三、政府信息公开工作机构：示例市人民政府办公室。办公地址：示例市市中区政务大道1号305室。办公时间：周一至周五上午9:00-12:00。
联系电话：0531-12345679。传真：0531-12345680。电子邮箱：zwgk@shili.gov.cn。</p>"""
GUIDE_PARTIAL = """<h3>示例市人民政府政府信息公开指南</h3>
<p>一、信息分类与编排体系。本机关主动公开的政府信息分为机构职能、政策文件、规划计划等类别，按类别和生成时间编排。</p>
<p>二、获取方式。公民、法人或者其他组织可以通过本网站查阅主动公开的政府信息，也可以依申请获取。</p>
<p>三、本机关政府信息公开工作机构为示例市人民政府办公室，具体联系方式见本网站。</p>"""


def catalogue_table(rows, summary=True):
    head = "<tr><th>索引号</th><th>名称</th>" + ("<th>内容概述</th>" if summary else "") + "<th>生成日期</th></tr>"
    body = "".join(f'<tr><td>11379900004000012X/{d[:4]}-{i:05d}</td><td><a href="/zcwj/t{d.replace("-", "")}_{i}.html">'
                   f"示例市人民政府关于印发第{i}项工作制度的通知</a></td>" + ("<td>工作制度的主要内容概述</td>" if summary else "")
                   + f"<td>{d}</td></tr>" for i, d in enumerate(rows, 1))
    return f'<table class="ml">{head}{body}</table>'


REPORT_TEXT = "".join(f"<h3>{h}</h3><p>本部分内容。</p>" for h in (
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况", "六、其他需要报告的事项"))


def reports_site(years, *, late=(), headings=True, extra_rows=(), routes=None):
    """A 年报 column listing the reports of ``years`` (published 20 January of the next year)."""
    routes = routes if routes is not None else {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ndbg/index.html", "政府信息公开年报"))}
    rows = []
    for y in sorted(years, reverse=True):
        pub = f"{y + 1}-05-10" if y in late else f"{y + 1}-01-20"
        url = f"/xxgk/ndbg/{y + 1}01/t{pub.replace('-', '')}_{y}.html"
        rows.append(f'<li><a href="{url}">示例市人民政府{y}年政府信息公开工作年度报告</a><span>{pub}</span></li>')
        text = REPORT_TEXT if headings is True else (
            f'<p>{y}年度报告全文见附件。</p><a href="/xxgk/files/nb{y}.pdf">年报.pdf</a>' if headings == "pdf" else
            "<p>本年度，本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，"
            "主动公开政府信息，依法办理政府信息公开申请。</p>" * 12)
        routes[url] = sub(f"示例市人民政府{y}年政府信息公开工作年度报告", f"<h1>示例市人民政府{y}年政府信息公开工作年度报告</h1>"
                          f"<p>发布时间：{pub}</p>{text}", parent=("/xxgk/ndbg/index.html", "政府信息公开年报"))
    rows += list(extra_rows)
    routes["/xxgk/ndbg/index.html"] = sub("政府信息公开年报", '<ul class="list">' + "".join(rows) + "</ul>")
    return routes


APPLY_FORM = """<p>公民、法人或者其他组织可以在线提交申请。</p>
<form action="/xxgk/ysqgk/submit" method="post"><table>
<tr><th>姓名/名称</th><td><input name="xm"></td></tr>
<tr><th>证件号码</th><td><input name="zjhm"></td></tr>
<tr><th>联系电话</th><td><input name="lxdh"></td></tr>
<tr><th>所需信息的名称、文号或内容描述</th><td><textarea name="nr"></textarea></td></tr>
<tr><th>获取信息的方式</th><td><select name="hqfs"><option>邮寄</option><option>电子邮件</option></select></td></tr>
</table><input type="submit" value="提交"></form>"""
THIN_FORM = """<p>在线申请：</p><form action="/ysq" method="post"><input name="name" placeholder="姓名">
<input name="phone" placeholder="联系电话"><input name="email" placeholder="电子邮箱"><input type="submit"></form>"""


def policy_site(policies, interpretations, *, policy_links=()):
    """政策文件 and 政策解读 columns. ``interpretations``: (title, policy index it links to, or None)."""
    routes = {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南"))}
    prow, irow = [], []
    for i, title in enumerate(policies):
        url = f"/zcwj/t2026090{i + 1}_{i}.html"
        prow.append(f'<li><a href="{url}">{title}</a><span>2026-09-0{i + 1}</span></li>')
        body = f"<h1>{title}</h1><p>发布时间：2026-09-0{i + 1}</p><p>{'各区县人民政府，市政府各部门：现将有关事项通知如下。' * 5}</p>"
        if i in policy_links:
            body += f'<p>相关解读：<a href="/zcjd/t2026091{i + 1}_{i}.html">【图解】{title[:12]}</a></p>'
            routes[f"/zcjd/t2026091{i + 1}_{i}.html"] = sub(f"图解{i}", "<p>图解内容</p>" * 20, parent=("/zcjd/index.html", "政策解读"))
        routes[url] = sub(title[:20], body, parent=("/zcwj/index.html", "政策文件"))
    for j, (title, target) in enumerate(interpretations):
        url = f"/zcjd/t2026092{j + 1}_{j}.html"
        irow.append(f'<li><a href="{url}">{title}</a><span>2026-09-2{j + 1}</span></li>')
        link = f'<p>相关文件：<a href="/zcwj/t2026090{target + 1}_{target}.html">{policies[target]}</a></p>' \
            if target is not None else ""
        routes[url] = sub(title[:20], f"<h1>{title}</h1><p>{'本文件出台背景和主要内容。' * 8}</p>{link}",
                          parent=("/zcjd/index.html", "政策解读"))
    routes["/zcwj/index.html"] = sub("政策文件", '<ul class="list">' + "".join(prow) + "</ul>", parent=None)
    routes["/zcjd/index.html"] = sub("政策解读", '<ul class="list">' + "".join(irow) + "</ul>", parent=None)
    return routes


POLICIES = ["示例市人民政府关于印发示例市优化营商环境若干措施的通知", "示例市人民政府办公室关于进一步做好城市内涝防治工作的通知",
            "示例市人民政府关于印发示例市全民健身实施计划的通知", "示例市人民政府办公室关于印发示例市既有住宅加装电梯实施办法的通知"]


def key_profile(tmp_path, areas=("权责清单", "双随机", "预决算"), extends="city"):
    text = f'extends = "{extends}"\n[checks."disclosure.key-areas"]\nareas = [\n' + "".join(
        f'  {{ key = "a{i}", name = "{a}", keywords = ["{a}"] }},\n' for i, a in enumerate(areas)) + "]\nextra_areas = []\n"
    path = tmp_path / "areas.toml"
    path.write_text(text, "utf-8")
    return str(path)


# (name, check id, expected status, routes builder, audit options)
SCENARIOS = [
    # -- disclosure.guide ------------------------------------------------------------------
    ("guide complete", "disclosure.guide", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南")),
              "/xxgk/zn/index.html": sub("政府信息公开指南", GUIDE)}, {}),
    ("guide column lists the guide article", "disclosure.guide", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/", "信息公开指南")),
              "/xxgk/zn/": sub("信息公开指南", '<ul><li><a href="/xxgk/zn/t20260110_1.html">示例市人民政府政府信息公开指南'
                                                  '（2026年修订）</a><span>2026-01-10</span></li></ul>'),
              "/xxgk/zn/t20260110_1.html": sub("示例市人民政府政府信息公开指南", GUIDE,
                                               parent=("/xxgk/zn/", "信息公开指南"))}, {}),
    ("guide lacks office details (footer has address/phone)", "disclosure.guide", "warn",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南")),
              "/xxgk/zn/index.html": sub("政府信息公开指南", GUIDE_PARTIAL)}, {}),
    ("no guide in a crawled column", "disclosure.guide", "fail",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ndbg/index.html", "政府信息公开年报"))}, {}),
    ("guide link is dead (404)", "disclosure.guide", "fail",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南"))}, {}),
    ("no disclosure column", "disclosure.guide", "unknown",
     lambda: {"/": home(xxgk=False)}, {}),
    ("guide only as a PDF attachment", "disclosure.guide", "unknown",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/files/guide.pdf", "政府信息公开指南")),
              "/xxgk/files/guide.pdf": Response(b"%PDF-1.4 guide", content_type="application/pdf")}, {}),
    ("guide text inside a box with class 'top20' (not navigation)", "disclosure.guide", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南")),
              "/xxgk/zn/index.html": sub("政府信息公开指南", f'<div class="box top20">{GUIDE}</div>')}, {}),
    ("guide page in GBK", "disclosure.guide", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南")),
              "/xxgk/zn/index.html": Response(sub("政府信息公开指南", GUIDE).replace('charset="utf-8"', 'charset="gbk"'),
                                              content_type="text/html; charset=gbk", encoding="gbk")}, {}),
    ("homepage nav built by script, column linked from inner pages", "disclosure.guide", "pass",
     lambda: {"/": page("示例市人民政府", '<script>document.write("<a href=/xxgk/index.html>政府信息公开</a>")</script>'
                                          + nav(("/zwdt/index.html", "政务动态")) + FOOT, head=SITE_HEAD),
              "/zwdt/index.html": sub("政务动态", nav(("/", "首页"), ("/xxgk/index.html", "政府信息公开")), parent=None),
              "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南")),
              "/xxgk/zn/index.html": sub("政府信息公开指南", GUIDE)}, {}),
    ("disclosure column forbidden by robots.txt", "disclosure.guide", "unknown",
     lambda: {"/": home(), "/robots.txt": Response("User-agent: *\nDisallow: /xxgk/\n", content_type="text/plain"),
              "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南"))}, {}),
    # -- disclosure.catalogue --------------------------------------------------------------
    ("法定主动公开内容 tree whose sub-columns list 索引号", "disclosure.catalogue", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/fdzdgknr/index.html", "法定主动公开内容")),
              "/xxgk/fdzdgknr/index.html": sub("法定主动公开内容", nav(("/xxgk/fdzdgknr/gfxwj/", "规范性文件"),
                                                                      ("/xxgk/fdzdgknr/jgzn/", "机构职能"))),
              "/xxgk/fdzdgknr/gfxwj/": sub("规范性文件", catalogue_table(["2026-10-20", "2026-08-01"], summary=False),
                                          parent=("/xxgk/fdzdgknr/index.html", "法定主动公开内容")),
              "/xxgk/fdzdgknr/jgzn/": sub("机构职能", "<p>本机关主要职责如下。</p>" * 5,
                                         parent=("/xxgk/fdzdgknr/index.html", "法定主动公开内容"))}, {}),
    ("catalogue table with all fields", "disclosure.catalogue", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/fdzdgknr/index.html", "法定主动公开内容")),
              "/xxgk/fdzdgknr/index.html": sub("法定主动公开内容", catalogue_table(["2026-11-02", "2026-10-15", "2026-09-01"]))}, {}),
    ("catalogue in JCMS record scripts with a span header", "disclosure.catalogue", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/col/col123/index.html", "政府信息公开目录")),
              "/col/col123/index.html": sub("政府信息公开目录",
                                            '<div class="ml-head"><span>索引号</span><span>标题</span><span>发布日期</span></div>'
                                            '<script type="text/xml"><datastore>' + "".join(
                                                f'<record><![CDATA[<li><span>K001/2026-{i:03d}</span><a href="/art/2026/10/{i}/art_123_{i}.html">'
                                                f'示例市第{i}号信息公开事项通知</a><span>2026-10-{i:02d}</span></li>]]></record>'
                                                for i in range(1, 6)) + "</datastore></script>")}, {}),
    ("catalogue not updated for two years", "disclosure.catalogue", "warn",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ml/index.html", "主动公开基本目录")),
              "/xxgk/ml/index.html": sub("主动公开基本目录", catalogue_table(["2024-08-01", "2024-06-15", "2024-03-01"]))}, {}),
    ("catalogue without index numbers", "disclosure.catalogue", "warn",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ml/index.html", "信息公开目录")),
              "/xxgk/ml/index.html": sub("信息公开目录", '<ul>' + "".join(
                  f'<li><a href="/xxgk/ml/t2026100{i}_{i}.html">示例市第{i}号信息公开事项通知</a><span>2026-10-0{i}</span></li>'
                  for i in range(1, 5)) + "</ul>")}, {}),
    ("catalogue page is empty", "disclosure.catalogue", "fail",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/fdzdgknr/index.html", "法定主动公开内容")),
              "/xxgk/fdzdgknr/index.html": sub("法定主动公开内容", "<p>暂无信息</p>" + "<p>本栏目发布法定主动公开内容。</p>" * 10)}, {}),
    ("no catalogue in a crawled column", "disclosure.catalogue", "fail",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/zn/index.html", "政府信息公开指南")),
              "/xxgk/zn/index.html": sub("政府信息公开指南", GUIDE)}, {}),
    ("catalogue rows loaded by script", "disclosure.catalogue", "unknown",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ml/index.html", "政府信息公开目录")),
              "/xxgk/ml/index.html": sub("政府信息公开目录", '<table><tr><th>索引号</th><th>名称</th><th>生成日期</th></tr></table>'
                                                     '<div id="list"></div><script>$.ajax({url:"/api/ml"})</script>'
                                                     + "<p>目录按生成日期倒序排列。</p>" * 10)}, {}),
    ("catalogue: no disclosure column", "disclosure.catalogue", "unknown", lambda: {"/": home(xxgk=False)}, {}),
    # -- disclosure.annual-report ----------------------------------------------------------
    ("reports 2021-2025 on time", "disclosure.annual-report", "pass",
     lambda: reports_site(range(2021, 2026)), {"profile": "city"}),
    ("2025 report missing (city, after 03-31)", "disclosure.annual-report", "fail",
     lambda: reports_site([2022, 2023, 2024]), {"profile": "city"}),
    ("before the deadline the year before is judged", "disclosure.annual-report", "pass",
     lambda: reports_site([2022, 2023, 2024]), {"profile": "city", "as_of": date(2026, 3, 10)}),
    ("ministry deadline 01-31 passed", "disclosure.annual-report", "fail",
     lambda: reports_site([2022, 2023, 2024]), {"profile": "ministry", "as_of": date(2026, 2, 15)}),
    ("2025 report published late", "disclosure.annual-report", "warn",
     lambda: reports_site(range(2021, 2026), late=(2025,)), {"profile": "city"}),
    ("a year missing in the middle", "disclosure.annual-report", "warn",
     lambda: reports_site([2021, 2022, 2024, 2025]), {"profile": "city"}),
    ("2025 report without the 2021-format headings", "disclosure.annual-report", "warn",
     lambda: reports_site(range(2023, 2026), headings=False), {"profile": "city"}),
    ("2025 report page is a cover for a PDF", "disclosure.annual-report", "pass",
     lambda: reports_site(range(2023, 2026), headings="pdf"), {"profile": "city"}),
    ("only a department's 2025 report", "disclosure.annual-report", "fail",
     lambda: reports_site([2023, 2024], extra_rows=[
         '<li><a href="/xxgk/ndbg/bm/jtj2025.html">示例市交通运输局2025年政府信息公开工作年度报告</a><span>2026-01-25</span></li>']),
     {"profile": "city"}),
    ("年报 list rendered from JCMS records", "disclosure.annual-report", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/col/col88/index.html", "政府信息公开年报")),
              "/col/col88/index.html": sub("政府信息公开年报", '<div id="list"></div><script type="text/xml"><datastore>'
                                           + "".join(f'<record><![CDATA[<li><a href="/art/{y + 1}/1/2{y % 10}/art_88_{y}.html">'
                                                     f'{y}年度政府信息公开工作年度报告</a><span>{y + 1}-01-2{y % 10}</span></li>]]>'
                                                     "</record>" for y in range(2021, 2026)) + "</datastore></script>"
                                           + "<p>年报</p>" * 10)}, {"profile": "city"}),
    ("年报 column found but not crawled", "disclosure.annual-report", "unknown",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ndbg/index.html", "政府信息公开年报")),
              "/robots.txt": Response("User-agent: *\nDisallow: /xxgk/ndbg/\n", content_type="text/plain")},
     {"profile": "city"}),
    ("annual report: no disclosure column", "disclosure.annual-report", "unknown",
     lambda: {"/": home(xxgk=False)}, {"profile": "city"}),
    # -- disclosure.on-request -------------------------------------------------------------
    ("online application form", "disclosure.on-request", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ysqgk/index.html", "依申请公开")),
              "/xxgk/ysqgk/index.html": sub("依申请公开", APPLY_FORM)}, {}),
    ("downloadable form and postal address", "disclosure.on-request", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ysqgk/index.html", "依申请公开")),
              "/xxgk/ysqgk/index.html": sub("依申请公开", '<p>申请人可下载<a href="/xxgk/files/sqb.doc">政府信息公开申请表</a>，'
                                                   "填写后以信函方式邮寄至示例市市中区政务大道1号305室，邮编250001。</p>"),
              "/xxgk/files/sqb.doc": Response(b"\xd0\xcf\x11\xe0 form", content_type="application/msword")}, {}),
    ("form lacks ID and description", "disclosure.on-request", "warn",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ysqgk/index.html", "依申请公开")),
              "/xxgk/ysqgk/index.html": sub("依申请公开", THIN_FORM + "<p>请如实填写。</p>" * 5)}, {}),
    ("依申请公开 page without any channel", "disclosure.on-request", "fail",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ysqgk/index.html", "依申请公开")),
              "/xxgk/ysqgk/index.html": sub("依申请公开", "<p>依申请公开工作依照条例办理，具体事宜请咨询工作人员。</p>" * 6)}, {}),
    ("no on-request page in a crawled column", "disclosure.on-request", "fail",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ndbg/index.html", "政府信息公开年报"))}, {}),
    ("on-request: no disclosure column", "disclosure.on-request", "unknown", lambda: {"/": home(xxgk=False)}, {}),
    # -- disclosure.key-areas --------------------------------------------------------------
    ("all key areas found", "disclosure.key-areas", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/qzqd/", "权责清单"), ("/xxgk/ssj/", "双随机一公开"),
                                                     ("/xxgk/czyjs/", "财政预决算"))}, {"areas": True}),
    ("权责清单 missing", "disclosure.key-areas", "warn",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ssj/", "双随机一公开"), ("/xxgk/czyjs/", "财政预决算"))},
     {"areas": True}),
    ("ministry profile: MOT key areas (政府公报 off by default)", "disclosure.key-areas", "pass",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(*[(f"/xxgk/k{i}/", t) for i, t in enumerate(
         ["部门规章", "权责清单", "建议提案办理", "双随机一公开", "重大建设项目", "公共资源配置", "社会公益事业", "财政预决算",
          "行政许可", "精准扶贫", "政策解读"])])}, {"profile": "ministry"}),
    ("key areas: column not found", "disclosure.key-areas", "unknown", lambda: {"/": home(xxgk=False)}, {"areas": True}),
    ("key areas: none configured", "disclosure.key-areas", "na",
     lambda: {"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ssj/", "双随机一公开"))}, {"areas": ()}),
    # -- interpretation.policy -------------------------------------------------------------
    ("解读 pages link to their policies", "interpretation.policy", "pass",
     lambda: policy_site(POLICIES, [("《示例市优化营商环境若干措施》政策解读", 0), ("一图读懂城市内涝防治", 1),
                                    ("加装电梯实施办法解读", 3)]), {}),
    ("解读 titles name the policies", "interpretation.policy", "pass",
     lambda: policy_site(POLICIES, [("《示例市优化营商环境若干措施》解读", None), ("《示例市全民健身实施计划》政策解读", None)]), {}),
    ("policy pages link to their 解读", "interpretation.policy", "pass",
     lambda: policy_site(POLICIES, [], policy_links=(0, 1, 2)), {}),
    ("one policy in four has a 解读", "interpretation.policy", "warn",
     lambda: policy_site(POLICIES, [("关于做好城市内涝防治工作的说明", 1)]), {}),
    ("no policy column", "interpretation.policy", "na",
     lambda: {"/": page("示例市人民政府", nav(("/xxgk/index.html", "政府信息公开")) + FOOT)}, {}),
    ("policy column built by scripts", "interpretation.policy", "unknown",
     lambda: {"/": home(), "/zcwj/index.html": sub("政策文件", '<div id="list"></div><script>$.ajax({url:"/api"})</script>'
                                                              + "<p>政策文件列表</p>" * 10, parent=None)}, {}),
]


def scn(name):
    return next(s for s in SCENARIOS if s[0] == name)


def run_scenario(audit_site, tmp_path, scenario):
    name, cid, expected, build, opts = scenario
    opts = dict(opts)
    profile = opts.pop("profile", "city")
    if "areas" in opts:
        areas = opts.pop("areas")
        profile = key_profile(tmp_path, areas=("权责清单", "双随机", "预决算") if areas is True else areas)
    out = audit_site(build(), only=[cid], profile=profile, as_of=opts.pop("as_of", AS_OF), out=False, **opts)
    return result(out, cid)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_family_scenarios(audit_site, tmp_path, scenario):
    r = run_scenario(audit_site, tmp_path, scenario)
    assert r["status"] == scenario[2], (r["summary"]["zh"], r["evidence"][:4])
    assert r["evidence"] or r["status"] == "na", "every verdict carries evidence"


@pytest.mark.parametrize("text,keys", [
    ("联系电话（传真）：010-65292114", {"phone", "fax"}),
    ("电话/传真：0531-12345678", {"phone", "fax"}),
    ("受理机构：交通运输部办公厅政务公开处 通信地址：北京市东城区建国门内大街11号", {"office_name", "address"}),
    ("（一）公开范围 ……（二）公开方式：通过门户网站政府信息公开专栏公开", {"classification", "access"}),
    ("办公时间：工作日上午8:30-11:30 电子信箱：gk@mot.gov.cn", {"hours", "internet"}),
    ("网址：http://www.example.gov.cn 互联网联系方式：本网站依申请公开栏目", {"internet"}),
])
def test_guide_element_patterns(text, keys):
    from checks.disclosure_guide import elements_in
    assert keys <= set(elements_in(text)), elements_in(text)


def test_guide_reports_missing_items_not_the_footer(audit_site, tmp_path):
    r = run_scenario(audit_site, tmp_path, scn("guide lacks office details (footer has address/phone)"))
    missing = r["details"]["missing"]
    # The footer's 地址/电话 belong to the site sponsor, not to the guide.
    assert {"办公地址", "办公时间", "联系电话", "传真号码", "互联网联系方式"} <= set(missing), missing
    assert "工作机构名称" not in missing and "获取方式" not in missing


def test_catalogue_reports_entries_and_newest(audit_site, tmp_path):
    r = run_scenario(audit_site, tmp_path, scn("catalogue table with all fields"))
    assert r["details"]["entries"] == 3 and r["details"]["newest"] == "2026-11-02"
    assert set(r["details"]["fields"]) == {"index", "name", "summary", "date"}


def test_annual_report_years_and_deadline(audit_site, tmp_path):
    r = run_scenario(audit_site, tmp_path, scn("a year missing in the middle"))
    assert r["details"]["due_year"] == 2025 and r["details"]["years_missing"] == [2023]
    r = run_scenario(audit_site, tmp_path, scn("before the deadline the year before is judged"))
    assert r["details"]["due_year"] == 2024 and r["details"]["deadline"] == "2025-03-31"
    r = run_scenario(audit_site, tmp_path, scn("ministry deadline 01-31 passed"))
    assert r["details"]["due_year"] == 2025 and r["details"]["deadline"] == "2026-01-31"
    r = run_scenario(audit_site, tmp_path, scn("2025 report without the 2021-format headings"))
    assert "一、总体情况" in r["details"]["headings_missing"]


def test_on_request_lists_article_29_fields(audit_site, tmp_path):
    r = run_scenario(audit_site, tmp_path, scn("online application form"))
    assert set(r["details"]["form_fields"]) == {"name", "identity", "contact", "description", "delivery"}
    r = run_scenario(audit_site, tmp_path, scn("form lacks ID and description"))
    assert "身份证明" in r["summary"]["zh"] and "所需信息的名称、文号或特征描述" in r["summary"]["zh"]


def test_key_areas_lists_found_and_missing(audit_site, tmp_path):
    r = run_scenario(audit_site, tmp_path, scn("权责清单 missing"))
    assert r["details"]["missing"] == ["权责清单"]
    assert set(r["details"]["found"]) == {"双随机", "预决算"}


def test_interpretation_share(audit_site, tmp_path):
    r = run_scenario(audit_site, tmp_path, scn("one policy in four has a 解读"))
    assert r["details"]["policies"] == 4 and r["details"]["interpreted"] == 1


def test_profile_names_the_guide(audit_site, tmp_path):
    """A guide with an unusual name is found through [disclosure.pages] in the site's profile."""
    with LoopbackSite({"/": home(), "/xxgk/index.html": xxgk(("/xxgk/gk/a.html", "公开工作说明")),
                       "/xxgk/gk/a.html": sub("公开工作说明", GUIDE)}) as s:
        prof = tmp_path / "named.toml"
        prof.write_text(f'extends = "city"\n[disclosure.pages]\nguide = "{s.url}xxgk/gk/a.html"\n', "utf-8")
        out = audit_site(s, only=["disclosure.guide"], profile=str(prof), as_of=AS_OF, out=False)
    assert result(out, "disclosure.guide")["status"] == "pass"


def test_columns_named_entry_names_the_report_column(audit_site, tmp_path):
    """A [columns.named] entry (the freshness checks' format) whose name is a 年报 column is used."""
    routes = reports_site(range(2021, 2026), routes={"/": home(), "/xxgk/index.html": xxgk(("/xxgk/ndbg/index.html", "工作报告"))})
    routes["/xxgk/ndbg/index.html"] = routes["/xxgk/ndbg/index.html"].replace("政府信息公开年报", "工作报告")
    with LoopbackSite(routes) as s:
        prof = tmp_path / "named.toml"
        prof.write_text(f'extends = "city"\n[columns.named]\n"政府信息公开年报" = {{ url = "{s.url}xxgk/ndbg/index.html" }}\n',
                        "utf-8")
        out = audit_site(s, only=["disclosure.annual-report"], profile=str(prof), as_of=AS_OF, out=False)
    r = result(out, "disclosure.annual-report")
    assert r["status"] == "pass", r["summary"]["zh"]
    assert r["details"]["years_found"] == [2021, 2022, 2023, 2024, 2025]
    assert any("检查配置" in e["excerpt"] for e in r["evidence"]) or r["details"]["column"].endswith("/xxgk/ndbg/index.html")


# -- the bundled demo site ---------------------------------------------------------------
DEMO_EXPECTED = {"disclosure.guide": "pass", "disclosure.catalogue": "pass", "disclosure.annual-report": "fail",
                 "disclosure.on-request": "pass", "disclosure.key-areas": "warn", "interpretation.policy": "pass"}


@pytest.fixture(scope="module")
def demo_results():
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        out = run_audit(server.url, AuditConfig(crawl=CrawlOptions(rate=500), profile="city", only=FAMILY,
                                                as_of=server.as_of), None)
    return {c["id"]: c for c in out.report["checks"]}


@pytest.mark.parametrize("cid", sorted(DEMO_EXPECTED))
def test_demo_site(demo_results, cid):
    r = demo_results[cid]
    assert r["status"] == DEMO_EXPECTED[cid], r["summary"]["zh"]


def test_demo_site_details(demo_results):
    assert demo_results["disclosure.annual-report"]["details"]["years_found"] == [2022, 2023, 2024]
    assert demo_results["disclosure.annual-report"]["details"]["due_year"] == 2025
    assert "权责清单" in demo_results["disclosure.key-areas"]["details"]["missing"]
    assert demo_results["disclosure.catalogue"]["details"]["entries"] == 10
    assert demo_results["interpretation.policy"]["details"]["interpreted"] == 3
