"""interaction.message-board and interaction.response against real loopback servers (TRS letter
tables, Hanweb rows, detail pages, pagination, GBK, script-built boards) and on the demo site."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from servers import Response, page

AS_OF = date(2026, 11, 20)
BOARD, RESP = "interaction.message-board", "interaction.response"
IDS = [BOARD, RESP]
FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
NAV = '<div class="nav"><a href="/">首页</a> <a href="/hdjl/">互动交流</a></div>'
CRUMB = '<div class="position">当前位置：首页 &gt; 互动交流 &gt; 市长信箱</div>'
FORM = ('<form action="/hdjl/submit" method="post"><p>姓名：<input name="xm"></p><p>留言标题：<input name="bt"></p>'
        '<p>留言内容：<textarea name="nr"></textarea></p><input type="submit" value="提交"></form>')


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def d(days_ago: int) -> str:
    return (AS_OF - timedelta(days=days_ago)).isoformat()


def table_list(rows, title="市长信箱") -> str:
    """TRS-style list: rows = [(path, title, asked, answered or None, status)]."""
    body = "".join(f'<tr><td><a href="{p}">{t}</a></td><td>{a}</td><td>{r or "—"}</td><td>{s}</td></tr>'
                   for p, t, a, r, s in rows)
    return page(f"{title}_互动交流", NAV + CRUMB + "<table><tr><th>信件标题</th><th>来信时间</th><th>答复时间</th>"
                f"<th>办理状态</th></tr>{body}</table>")


def detail(title, asked, answered=None, reply="", unit="市城管局", charset="utf-8") -> str:
    rows = (f"<tr><th>回复单位</th><td>{unit}</td></tr><tr><th>回复时间</th><td>{answered}</td></tr>"
            f"<tr><th>回复内容</th><td>{reply}</td></tr>" if answered else
            "<tr><th>回复单位</th><td>—</td></tr><tr><th>回复时间</th><td>—</td></tr><tr><th>回复内容</th><td>暂无回复</td></tr>")
    html = page(title, NAV + CRUMB + f"<h1>{title}</h1><div>留言时间：{asked}</div>"
                f"<table><tr><th>留言内容</th><td>请尽快处理。</td></tr>{rows}</table>")
    return html.replace('charset="utf-8"', f'charset="{charset}"')


def board(column_body: str, home_extra: str = "", **more) -> dict:
    routes = {"/": page("示例市人民政府", NAV + FILL + home_extra),
              "/hdjl/": page("互动交流", NAV + '<div class="position">当前位置：首页 &gt; 互动交流</div>' + column_body)}
    routes.update(more)
    return routes


def run(audit_site, routes, **kw):
    return audit_site(routes, only=IDS, as_of=AS_OF, **kw)


# -- interaction.message-board -------------------------------------------------------------------
def test_homepage_mailbox_link_passes(audit_site):
    routes = board("<p>互动交流栏目</p>" * 20, home_extra='<a href="/hdjl/szxx/">市长信箱</a>',
                   **{"/hdjl/szxx/": table_list([("/x/1.html", "咨询学区", d(10), d(8), "已回复")])})
    r = result(run(audit_site, routes), BOARD)
    assert r["status"] == "pass", r["summary"]
    assert "市长信箱" in r["summary"]["zh"]


def test_letter_form_in_the_column_passes(audit_site):
    r = result(run(audit_site, board("<h2>我要写信</h2>" + FORM + FILL)), BOARD)
    assert r["status"] == "pass", r["summary"]
    assert r["evidence"][0]["note"]["zh"] == "留言表单"


def test_only_petition_and_discipline_channels_fail(audit_site):
    body = ('<ul><li><a href="http://127.0.0.2:1/xf/">网上信访</a></li><li><a href="http://127.0.0.2:1/jw/">纪检监察举报</a></li>'
            '<li><a href="/hdjl/ft/">在线访谈</a></li></ul>' + FILL)
    r = result(run(audit_site, board(body, **{"/hdjl/ft/": page("在线访谈", FILL)})), BOARD)
    assert r["status"] == "fail", r["summary"]
    assert "网上信访" in r["summary"]["zh"] and "不计入" in r["summary"]["zh"]
    assert r["details"]["excluded"]


def test_no_interaction_at_all_fails(audit_site):
    routes = {"/": page("示例市人民政府", '<a href="/xwzx/">新闻中心</a>' + FILL),
              "/xwzx/": page("新闻中心", FILL)}
    r = result(run(audit_site, routes), BOARD)
    assert r["status"] == "fail", r["summary"]


def test_dead_mailbox_link_fails(audit_site):
    routes = board(FILL, home_extra='<a href="/ldxx/">领导信箱</a>')
    routes["/ldxx/"] = Response("<html><title>404</title><body>Not Found</body></html>", status=404)
    r = result(run(audit_site, routes), BOARD)
    assert r["status"] == "fail", r["summary"]
    assert "HTTP 404" in r["evidence"][0]["excerpt"]


def test_script_built_homepage_or_column_is_unknown(audit_site):
    thin = {"/": page("示例市人民政府", "<div id='app'></div><script src='/app.js'></script>")}
    assert result(run(audit_site, thin), BOARD)["status"] == "unknown"
    script_col = board("<div id='list'></div><script>$.ajax({url:'/api/letters'})</script>")
    r = result(run(audit_site, script_col), BOARD)
    assert r["status"] == "unknown", r["summary"]
    assert "互动交流" in r["summary"]["zh"]


# -- interaction.response --------------------------------------------------------------------------
def test_letters_answered_in_time_pass(audit_site):
    rows = [(f"/x/{i}.html", f"咨询事项{i}", d(5 + 20 * i), d(2 + 20 * i), "已办结") for i in range(6)]
    r = result(run(audit_site, board(FORM + FILL, home_extra='<a href="/hdjl/szxx/">市长信箱</a>',
                                     **{"/hdjl/szxx/": table_list(rows)})), RESP)
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["letters"] == 6 and r["details"]["response_rate"] == 1.0
    assert r["details"]["worst_latency_days"] == 3


def test_unanswered_letter_beyond_three_months_is_a_veto(audit_site):
    rows = [("/x/1.html", "路灯不亮", d(120), None, "办理中"), ("/x/2.html", "学区划分", d(30), d(25), "已回复"),
            ("/x/3.html", "重复来信", d(200), None, "不予受理"), ("/x/4.html", "去年的问题", d(400), None, "办理中"),
            ("/x/5.html", "新的咨询", d(3), None, "待回复")]
    out = run(audit_site, board(FORM + FILL, home_extra='<a href="/hdjl/szxx/">市长信箱</a>',
                                **{"/hdjl/szxx/": table_list(rows)}))
    r = result(out, RESP)
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["overdue_unanswered"] == 1  # not the invalid one, not the one older than a year
    assert r["evidence"][0]["url"].endswith("/x/1.html") and "120 天" in r["evidence"][0]["excerpt"]
    assert r["details"]["pending"] == 1


def test_answered_after_three_months_is_a_veto_from_detail_pages(audit_site):
    """Hanweb-style rows with labelled dates, detail pages, a second list page, a GBK detail page."""
    def li(p, t, a):
        return f'<li><a href="{p}">{t}</a><span>留言时间：{a}</span></li>'
    first = page("领导信箱", NAV + CRUMB + "<ul>" + li("/x/1.html", "公交班次建议", d(150)) + li("/x/2.html", "噪音扰民", d(40))
                 + '</ul><div class="page"><a href="/hdjl/ldxx/index_1.html">下一页</a></div>')
    second = page("领导信箱", NAV + CRUMB + "<ul>" + li("/x/3.html", "医保参保", d(20)) + li("/x/4.html", "路灯维修", d(30)) + "</ul>")
    routes = board(FILL, home_extra='<a href="/hdjl/ldxx/">领导信箱</a>', **{
        "/hdjl/ldxx/": first, "/hdjl/ldxx/index_1.html": second,
        "/x/1.html": detail("公交班次建议", d(150), d(45), "已增加班次。"),
        "/x/2.html": detail("噪音扰民", d(40), d(36), "已责令整改。"),
        "/x/3.html": Response(detail("医保参保", d(20), d(18), "可在线办理。", charset="gbk").encode("gbk"),
                              content_type="text/html"),
        "/x/4.html": detail("路灯维修", d(30), d(27), "已修复。")})
    r = result(run(audit_site, routes), RESP)
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["answered_late"] == 1 and r["details"]["letters"] == 4
    assert "105 天" in r["evidence"][0]["excerpt"]
    assert len(r["details"]["list_pages"]) == 2


def test_no_new_answer_in_sixty_days_warns(audit_site):
    rows = [(f"/x/{i}.html", f"咨询{i}", d(80 + 10 * i), d(75 + 10 * i), "已回复") for i in range(3)]
    r = result(run(audit_site, board(FORM + FILL, home_extra='<a href="/hdjl/szxx/">市长信箱</a>',
                                     **{"/hdjl/szxx/": table_list(rows)})), RESP)
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["newest_answer"] == d(75)


def test_petition_columns_are_left_out(audit_site):
    xf = page("网上信访_互动交流", NAV + '<div class="position">当前位置：首页 &gt; 互动交流 &gt; 网上信访</div>'
              '<table><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>'
              f'<tr><td><a href="/xf/1.html">信访件</a></td><td>{d(200)}</td><td>办理中</td></tr>'
              f'<tr><td><a href="/xf/2.html">信访件二</a></td><td>{d(210)}</td><td>办理中</td></tr></table>')
    ok = [("/x/1.html", "咨询", d(10), d(8), "已回复"), ("/x/2.html", "建议", d(20), d(15), "已回复")]
    routes = board(FORM + FILL, home_extra='<a href="/hdjl/xf/">网上信访</a><a href="/hdjl/szxx/">市长信箱</a>',
                   **{"/hdjl/xf/": xf, "/hdjl/szxx/": table_list(ok)})
    r = result(run(audit_site, routes), RESP)
    assert r["status"] == "pass", r["summary"]
    assert any(u.endswith("/hdjl/xf/") for u in r["details"]["excluded_pages"])


def test_letters_behind_scripts_are_unknown(audit_site):
    col = page("领导信箱", NAV + CRUMB + FILL + '<div id="letters"></div><script>$.ajax({url:"/api/letters"})</script>')
    routes = board(FILL, home_extra='<a href="/hdjl/ldxx/">领导信箱</a>', **{"/hdjl/ldxx/": col})
    r = result(run(audit_site, routes), RESP)
    assert r["status"] == "unknown", r["summary"]
    assert any(u.endswith("/hdjl/ldxx/") for u in r["details"]["pages_looked_at"])


# -- the bundled demo site ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=500), profile="city", only=IDS, as_of=server.as_of)
        out = run_audit(server.url, config, None)
    return {c["id"]: c for c in out.report["checks"]}


def test_demo_message_board(demo):
    assert demo[BOARD]["status"] == "pass", demo[BOARD]["summary"]


def test_demo_response(demo):
    r = demo[RESP]
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["letters"] == 10 and r["details"]["overdue_unanswered"] == 1
    first = r["evidence"][0]
    assert first["url"].endswith("t20260615_6007.html") and "158 天" in first["excerpt"]
    slow = [e for e in r["evidence"] if e["url"].endswith("t20260803_6005.html")]
    assert slow and "40 天" in slow[0]["excerpt"]


def test_latest_letters_box_on_articles_and_unknown_reply_state(audit_site):
    box = ('<div class="side"><h3>最新信件</h3><table><tr><th>标题</th><th>来信时间</th><th>状态</th></tr>'
           f'<tr><td><a href="/x/1.html">咨询学区</a></td><td>{d(12)}</td><td>已办结</td></tr>'
           f'<tr><td><a href="/x/2.html">路灯不亮</a></td><td>{d(20)}</td><td>已办结</td></tr></table></div>')
    arts = "".join(f'<li><a href="/news/{i}.html">新闻标题第{i}号</a><span>{d(i)}</span></li>' for i in range(1, 6))
    routes = {"/": page("示例市人民政府", NAV + FILL + '<a href="/news/">新闻</a>'),
              "/news/": page("新闻", NAV + f"<ul>{arts}</ul>"),
              "/hdjl/": page("互动交流", NAV + FORM + FILL + box)}
    for i in range(1, 6):
        routes[f"/news/{i}.html"] = page(f"新闻{i}", NAV + FILL + box)
    r = result(run(audit_site, routes), RESP)
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["pages_not_read"] == 5  # the box on the articles is not read again
    assert [u.rsplit("/", 2)[-2] for u in r["details"]["list_pages"]] == ["hdjl"]
    # Letters whose pages say nothing about a reply cannot be judged.
    bare = page("领导信箱", NAV + CRUMB + "<ul>" + "".join(
        f'<li><a href="/y/{i}.html">咨询事项{i}</a><span>留言时间：{d(100 + i)}</span></li>' for i in range(3)) + "</ul>")
    r = result(run(audit_site, board(FORM + FILL, home_extra='<a href="/hdjl/ldxx/">领导信箱</a>',
                                     **{"/hdjl/ldxx/": bare})), RESP)
    assert r["status"] == "unknown", r["summary"]


def test_jcms_letter_list_without_breadcrumbs_still_finds_the_overdue_letter(audit_site):
    """A Hanweb/JCMS 领导信箱 whose rows live in <record> scripts and whose letter pages carry
    no breadcrumb or ColumnName: the overdue letter must still be read (a missed veto)."""
    from datetime import date

    from servers import page

    rows = []
    routes = {"/": page("示例省人民政府", '<a href="/col/col4/index.html">领导信箱</a>' + "<p>" + "政务" * 150 + "</p>")}
    letters = [("5", "2026-10-02", "2026-10-06"), ("6", "2026-09-01", "2026-09-05"),
               ("7", "2026-07-01", None)]
    for n, asked, answered in letters:
        url = f"/art/2026/1/{n}/art_4_40{n}.html"
        rows.append(f'<record><![CDATA[<li><a href="{url}">建议增开第{n}条城际班车线路</a>'
                    f'<span>{asked}</span></li>]]></record>')
        reply = (f"<p>回复时间：{answered}</p><p>回复内容：已协调交通运输厅办理。</p>" if answered
                 else "<p>处理状态：未回复</p>")
        routes[url] = page(f"建议增开第{n}条城际班车线路",
                           f"<h1>建议增开第{n}条城际班车线路</h1><p>写信时间：{asked}</p>"
                           f"<p>来信内容：希望增开班车。</p>{reply}")
    routes["/col/col4/index.html"] = page(
        "领导信箱", '<div id="400"><script type="text/xml"><datastore><recordset>'
        + "".join(rows) + "</recordset></datastore></script></div>")
    out = audit_site(routes, only=["interaction.response"], as_of=date(2026, 11, 20))
    r = next(c for c in out.report["checks"] if c["id"] == "interaction.response")
    assert r["status"] == "fail", r["summary"]
    assert "2026-07-01" in r["summary"]["zh"]
