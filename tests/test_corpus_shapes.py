"""Verdicts on template shapes met in the real-site corpus (corpus/manifest.toml; issue 10, item 12).

Each fixture reproduces, in a few lines, the structure of a real site's page that an audit with
default options judged wrongly; the site's copy itself is never needed here.

- A TRS county-department template (rsj.gzdaozhen.gov.cn, 2020): a blank column is a
  ``<div class="NewsList"><h1>扶贫工作</h1><ul></ul></div>`` with no notice at all; the 依申请公开
  page is a set of tab panels, one of them an empty ``<div class="content_list">``, and its text
  says ">>申请表填写注意事项" a little after the breadcrumb; the site's own 网站纠错 form
  (错别字, 出错页面地址, 出错问题描述) is its only form with a text area.
"""
from __future__ import annotations

from datetime import date, timedelta

from servers import Response, page

from auditor.views.columns import breadcrumb
from auditor.views.listing import empty_list_box

import lxml.html

AS_OF = date(2021, 1, 4)
FILL = "<p>" + "本站发布本局政务信息、政策文件和办事服务指南，欢迎社会各界监督。" * 12 + "</p>"
NAV = ('<ul class="nav"><li><a href="/gzdt/">工作动态</a></li><li><a href="/zwgk/fpgz/">扶贫工作</a></li>'
       '<li><a href="/zwgk/ghjh/">规划计划</a></li><li><a href="/zwgk/zcjd/">政策解读</a></li>'
       '<li><a href="/zwgk/ggzypz/">公共资源配置</a></li><li><a href="/zwgk/ysqgk/">依申请公开</a></li>'
       '<li><a href="/syqt/wzjc/">网站纠错</a></li></ul>')
FOOTER = '<div class="foot_nr"><p>主办：示例县人力资源和社会保障局</p><p>电话：0851-12345678</p></div>'


def ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def trs_column(name: str, rows: str) -> str:
    """The TRS list template: breadcrumb, left nav written by a script, the list, a script pager."""
    return page(f"示例县人社局-{name}",
                f'{NAV}<div class="dqwz">您当前所在位置：<a href="/">首页</a>&nbsp;&raquo;&nbsp;'
                f'<a href="/zwgk/">政务公开</a>&nbsp;&raquo;&nbsp;<a href="">{name}</a></div>'
                '<div class="Left_Nav"><ul><script>document.write(\'<li><a href="/zwgk/ysqgk/">依申请公开</a></li>\');'
                '</script></ul></div>'
                f'<div class="NewsList"><h1><span>{name}</span></h1><ul>\n  {rows}\n</ul></div>'
                '<div class="page"><script>createPageHTML(1, 0, "index", "html")</script></div>' + FOOTER)


def trs_rows(prefix: str, ages) -> str:
    return "".join(f'<li><a href="{prefix}t{n}.html" title="第{n}条信息">第{n}条信息的标题内容比较长一些</a>'
                   f'<span>{ago(a)}</span></li>' for n, a in enumerate(ages))


YSQGK = page("示例县人社局-依申请公开",
             NAV + '<div class="tq">您当前所在的位置： <a href="/zwgk/">政务公开</a>&nbsp;&raquo;&nbsp;'
                   '<a href="">依申请公开</a></div>'
                   '<dl><dt><a href="javascript:;">依申请公开说明</a><a href="javascript:;">书面依申请公开</a></dt>'
                   '<dd><div class="right_nav_content"><div class="content_list">\n</div></div>'
                   '<div class="right_nav_content"><div class="content_list"><div class="xzbg">1 下载表格</div>'
                   '<div class="xzbg">2 填写申请书 <div style="color:#e20000">&gt;&gt;申请表填写注意事项</div>'
                   '<p>1、申请表应填写完整，对没有联系方式或联系方式有误的信息恕不回复。</p></div>'
                   '<div class="xzbg">3 提交表格</div></div></div></dd></dl>' + FOOTER)

WZJC = page("示例县人社局-网站纠错",
            NAV + '<div class="dqwz">当前位置：<a href="/">首页</a> » 首页其他 » 网站纠错</div>'
                  '<form action="/wcm/error.do" method="post">错别类：<input type="radio" name="type" value="1">错别字'
                  '<input type="radio" name="type" value="2">图片显示错误 内容标题：<input name="title"> '
                  '出错页面地址：<input name="url"> 出错问题描述：<textarea name="content"></textarea>'
                  '姓名：<input name="name"> 联系电话：<input name="tel"><input type="submit" value="提交"></form>'
            + FOOTER)


def department_site():
    routes = {
        "/": page("示例县人力资源和社会保障局", NAV + '<ul class="list">' + trs_rows("/gzdt/", [1, 3, 5]) + "</ul>"
                  + FILL + FOOTER),
        "/gzdt/": trs_column("工作动态", trs_rows("/gzdt/", [1, 3, 5, 8])),
        "/zwgk/ysqgk/": YSQGK,
        "/syqt/wzjc/": WZJC,
    }
    for path, name in (("/zwgk/fpgz/", "扶贫工作"), ("/zwgk/ghjh/", "规划计划"), ("/zwgk/zcjd/", "政策解读"),
                       ("/zwgk/ggzypz/", "公共资源配置")):
        routes[path] = trs_column(name, "")
    for n in range(4):
        routes[f"/gzdt/t{n}.html"] = page(f"第{n}条", f"<h1>第{n}条</h1><div>发布时间：{ago(1)}</div>{FILL}")
    return routes


def test_trs_columns_listing_nothing_under_their_heading_are_blank_and_tab_panels_are_not(audit_site):
    out = audit_site(department_site(), only=["freshness.empty-columns"], as_of=AS_OF)
    r = result(out, "freshness.empty-columns")
    assert r["status"] == "warn", r["summary"]  # four: above the early warning (2), below the veto (5)
    assert sorted(b["name"] for b in r["details"]["blank"]) == ["公共资源配置", "扶贫工作", "政策解读", "规划计划"]


def test_a_fifth_trs_blank_column_is_the_veto(audit_site):
    routes = department_site()
    routes["/zwgk/gwygl/"] = trs_column("公务员管理", "")
    routes["/"] = routes["/"].replace("</ul>", '<li><a href="/zwgk/gwygl/">公务员管理</a></li></ul>', 1)
    r = result(audit_site(routes, only=["freshness.empty-columns"], as_of=AS_OF), "freshness.empty-columns")
    assert r["status"] == "fail" and len(r["details"]["blank"]) == 5, r["summary"]


def test_the_sites_error_report_form_is_no_consultation_channel(audit_site):
    out = audit_site(department_site(), only=["interaction.message-board"], as_of=AS_OF)
    r = result(out, "interaction.message-board")
    assert r["status"] == "fail" and r["veto"], r["summary"]


def test_a_letter_form_beside_the_error_report_form_still_counts(audit_site):
    routes = department_site()
    routes["/hdjl/"] = page("局长信箱", NAV + '<form action="/letter/save" method="post">姓名：<input name="name">'
                                        '留言标题：<input name="title"> 留言内容：<textarea name="content"></textarea>'
                                        '<input type="submit" value="提交"></form>' + FOOTER)
    routes["/"] = routes["/"].replace("</ul>", '<li><a href="/hdjl/">局长信箱</a></li></ul>', 1)
    r = result(audit_site(routes, only=["interaction.message-board"], as_of=AS_OF), "interaction.message-board")
    assert r["status"] == "pass", r["summary"]


def test_a_letter_form_that_mentions_a_submission_error_is_still_a_channel(audit_site):
    # Only the page in error makes an error-report form: "如提交出错，请刷新后重试" on a letter form does not.
    routes = department_site()
    routes["/hdjl/"] = page("互动交流", NAV + '<form action="/letter/save" method="post">姓名：<input name="name">'
                                        '留言标题：<input name="title"> 留言内容：<textarea name="content"></textarea>'
                                        '如提交出错，请刷新后重试。<input type="submit" value="提交"></form>' + FOOTER)
    routes["/"] = routes["/"].replace("</ul>", '<li><a href="/hdjl/">互动交流</a></li></ul>', 1)
    r = result(audit_site(routes, only=["interaction.message-board"], as_of=AS_OF), "interaction.message-board")
    assert r["status"] == "pass", r["summary"]


def test_a_breadcrumb_ends_at_its_last_crumb_not_at_a_later_separator():
    text = ("您当前所在的位置： 政务公开 » 依申请公开 依申请公开说明 书面依申请公开 1 下载表格 "
            "2 填写申请书 >>申请表填写注意事项 1、申请表应填写完整")
    assert breadcrumb(text) == ["政务公开", "依申请公开"]


def test_an_empty_tab_panel_beside_a_filled_one_is_no_empty_list():
    tabs = lxml.html.fromstring('<div><div class="content_list"></div><div class="content_list"><p>说明</p></div></div>')
    assert not empty_list_box(tabs)
    trs = lxml.html.fromstring('<div class="NewsList"><h1><span>扶贫工作</span></h1><ul>\n</ul></div>')
    assert empty_list_box(trs)
    filled = lxml.html.fromstring('<div class="NewsList"><h1>扶贫工作</h1><ul></ul><p>本栏目介绍……</p></div>')
    assert not empty_list_box(filled)


# -- the same copy's homepage, as its uploader left it: a script that shows visitors a fake 404 ----

FAKE_404_JS = ("var box = '<table><tr><td><div>无法找到该网页</div>您正在搜索的页面可能已经删除。HTTP 错误 404 - 文件或目录未找到。"
               "</td></tr></table>';\n"
               "var page = \"<html><head><meta charset='utf-8'></head><body style=margin:0>\" + box + "
               "\"</body></html><script>try{window.stop();}catch(e){};<\\/script>\";\n"
               "document.title = '无法找到该网页';\ndocument.write(page);\n")
OLD_BROWSER_JS = ("if (navigator.userAgent.indexOf('MSIE 6') > -1) {\n"
                  "  document.write('<html><body><p>您的浏览器版本过低，请升级后访问本站。</p></body></html>');\n"
                  "  document.execCommand('Stop');\n}\n")


def test_a_script_writing_a_fake_404_over_the_homepage_is_an_injected_script(audit_site):
    routes = department_site()
    routes["/"] = routes["/"].replace("</head>", '<script type="text/javascript" src="/js/kb.js"></script></head>', 1)
    routes["/js/kb.js"] = Response(FAKE_404_JS, content_type="application/javascript")
    r = result(audit_site(routes, only=["security.injected-scripts"], as_of=AS_OF), "security.injected-scripts")
    assert r["status"] == "fail", r["summary"]
    assert any("伪造的出错页面" in e["note"]["zh"] for e in r["evidence"]), r["evidence"]


def test_an_old_browser_notice_written_the_same_way_is_not():
    from auditor.views.security import analyse_script, data
    assert [f.kind for f in analyse_script(FAKE_404_JS, "rsj.example.gov.cn", data())] == ["page-replaced"]
    assert analyse_script(OLD_BROWSER_JS, "rsj.example.gov.cn", data()) == []
    # A site bundle that holds the four words far apart (an "<html" template, a 404 status check,
    # a document.write, a window.stop in a player) writes no page over the site.
    filler = "var a" + "=1;var a" * 800
    bundle = ("var tpl='<html><body></body></html>';" + filler + "if(xhr.status==404){retry();}" + filler
              + "document.write('<p>x</p>');" + filler + "function halt(){window.stop();}")
    assert analyse_script(bundle, "rsj.example.gov.cn", data()) == []


# -- TRS article pages whose 发布时间 is written by a script -------------------------------------

def trs_article(title: str, written: str) -> str:
    return page(f"示例县人社局-{title}",
                f'<div class="toolbar">发布时间：\n  <script type="text/javascript">\n  var  pubdata=\'{written}\';\n'
                "  if(pubdata!=''){\n    document.write(pubdata);\n  }\n  </script>\n  字体：<span>小</span></div>"
                f"<h1>{title}</h1>{FILL}")


def test_a_publish_date_written_by_a_script_after_its_label_is_read(audit_site):
    routes = department_site()
    for n in range(4):
        routes[f"/gzdt/t{n}.html"] = trs_article(f"第{n}条", f"2020年12月{20 + n}日")
    out = audit_site(routes, only=["content.future-dates"], as_of=AS_OF)
    r = result(out, "content.future-dates")
    assert r["status"] == "pass", r["summary"]
    routes["/gzdt/t3.html"] = trs_article("第3条", "2021年03月01日")
    r = result(audit_site(routes, only=["content.future-dates"], as_of=AS_OF), "content.future-dates")
    assert r["status"] == "fail" and any("2021-03-01" in e["excerpt"] for e in r["evidence"]), r


def test_only_a_script_right_after_the_label_gives_the_date():
    from auditor.views.dates import script_written_date
    html = "发布时间：<script>var pubdata='2020年07月02日'; if(pubdata!=''){document.write(pubdata);}</script>"
    assert script_written_date(html) == date(2020, 7, 2)
    assert script_written_date("成绩发布时间：<script>var d='2021年03月01日';document.write(d)</script>") is None
    assert script_written_date("发布时间：<span>见正文</span><script>var d='2021-03-01';document.write(d)</script>") is None


# -- a column linked both as its directory and as its index file is one column -------------------

def test_a_column_under_its_directory_and_its_index_file_is_counted_once(audit_site):
    # TRS templates link a column as ../ywyw/ from one page and ywyw/index.html from another: three
    # stale news columns must not become six (the 栏目不更新 veto is at five).
    names = {"ywyw": "业务要闻", "xydt": "行业动态", "bmdt": "部门动态"}
    routes = department_site()
    links = "".join(f'<li><a href="/gzdt/{k}/">{v}</a></li><li><a href="/gzdt/{k}/index.html">{v}</a></li>'
                    for k, v in names.items())
    routes["/"] = routes["/"].replace("</ul>", links + "</ul>", 1)
    for k, v in names.items():
        column = trs_column(v, trs_rows(f"/gzdt/{k}/", [200, 230, 260]))
        routes[f"/gzdt/{k}/"] = column
        routes[f"/gzdt/{k}/index.html"] = column
    out = audit_site(routes, only=["freshness.columns"], as_of=AS_OF)
    r = result(out, "freshness.columns")
    assert r["status"] != "fail", r["summary"]
    stale = [c["name"] for c in r["details"]["columns"] if c["state"] == "stale"]
    assert sorted(stale) == ["业务要闻", "行业动态", "部门动态"], r["details"]["columns"]


# -- the footer's sponsor and contact, not the article's or a script's ---------------------------
# Seen on saved article pages of city and ministry portals (石家庄, 教育部): the end of the page
# text holds the article ("由…报社主办", "联系方式：上海交通大学 021-…") before the footer, and an
# included script has "abcdefghijklmnopqrstuvwxyz0123456789" in it.

ARTICLE_END = ("<div class='article'><p>第二届书法篆刻大展由省文化研究会、示例日报社主办，省书法家协会提供学术支持。</p>"
               "<p>七、联系方式 上海交通大学：021-34206231</p></div>")


def test_the_footers_sponsor_wins_over_the_articles_above_it(audit_site):
    footer = ('<div class="dbqtse"><a href="/lxwm/">联系我们</a> 示例市人民政府办公室主办 示例市电子政务中心承办 '
              '网站标识码：1301000003</div>')
    out = audit_site({"/": page("示例市人民政府", FILL + ARTICLE_END + footer)}, only=["identity.footer"], as_of=AS_OF)
    r = result(out, "identity.footer")
    assert r["status"] == "pass" and r["details"]["sponsor"] == "示例市人民政府办公室", r["details"]


def test_digits_in_a_scripts_alphabet_are_no_phone_number(audit_site):
    routes = {"/": page("示例市人民政府", FILL + '<div class="footer">主办单位：示例市人民政府办公室</div>',
                        head='<script src="/static/js/gt.js"></script>'),
              "/static/js/gt.js": Response('var chars = "abcdefghijklmnopqrstuvwxyz0123456789"; var hex = "0123456789abcdef";'
                                           ' var digits = "0123456789";',
                                           content_type="application/javascript")}
    r = result(audit_site(routes, only=["identity.footer"], as_of=AS_OF), "identity.footer")
    assert r["status"] == "warn" and "contact" not in r["details"], (r["summary"], r["details"])


def test_an_articles_sponsor_far_above_a_footer_that_names_none_is_not_the_footers(audit_site):
    # 教育部's article template: the notice's 组织单位 (主办单位：…司) and 联系方式 sit well above a
    # footer that says only 版权所有 and links 联系我们.
    notice = ("<div class='article'><p>二、组织单位 主办单位：示例部思想政治工作司 承办单位：示例部宣传教育中心</p>"
              + FILL + "<p>七、联系方式 示例部思想政治工作司：010-66096689</p>" + FILL + "</div>")
    footer = ('<div class="foot"><a href="/lxwm/">联系我们</a> 版权所有：示例人民共和国示例部 '
              '京ICP备10028400号-1 京公网安备11010202007625号 网站标识码：bm05000001</div>')
    out = audit_site({"/": page("示例部", notice + footer)}, only=["identity.footer"], as_of=AS_OF)
    r = result(out, "identity.footer")
    assert r["status"] == "warn" and "sponsor" not in r["details"], (r["summary"], r["details"])
    assert r["details"]["copyright_owner"] == "示例人民共和国示例部" and "contact" not in r["details"], r["details"]


def test_an_address_in_a_script_librarys_comment_is_no_contact(audit_site):
    # 西安's article page loads jspdf.debug.js, whose header says "Copyright (c) 2013 …, …@gmail.com".
    library = ("/** ====\n * jsPDF JavaScript plugin\n * Copyright (c) 2013 Some One, some.one@example.com\n */\n"
               "var api = {}; // see http://example.com/docs\n")
    routes = {"/": page("示例市人民政府", FILL + '<div class="footer">主办单位：示例市人民政府办公厅 网站标识码：6101000007</div>',
                        head='<script src="/static/js/lib.js"></script>'),
              "/static/js/lib.js": Response(library, content_type="application/javascript")}
    r = result(audit_site(routes, only=["identity.footer"], as_of=AS_OF), "identity.footer")
    assert r["status"] == "warn" and "contact" not in r["details"], (r["summary"], r["details"])
