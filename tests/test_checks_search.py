"""search.present against real loopback servers."""
from __future__ import annotations

from servers import Response, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def test_search_form_trs_style(audit_site):
    form = ('<form name="searchform" action="/was5/web/search" method="post" target="_blank">'
            '<input type="hidden" name="channelid" value="123"><input name="searchword" type="text">'
            '<input type="submit" value="搜索"></form>')
    out = audit_site({"/": page("示例市人民政府", FILL + form)}, only=["search.present"])
    r = result(out, "search.present")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["field"] == "searchword"
    assert r["details"]["action"].endswith("/was5/web/search")


def test_search_form_by_placeholder(audit_site):
    form = '<form action="/s"><input name="w" placeholder="请输入搜索关键词"><button>Go</button></form>'
    out = audit_site({"/": page("示例市人民政府", FILL + form)}, only=["search.present"])
    assert result(out, "search.present")["status"] == "pass"


def test_search_box_outside_a_form(audit_site):
    box = ('<div class="search"><input type="text" id="searchKey" placeholder="请输入关键字">'
           '<a href="javascript:doSearch()">搜索</a></div>')
    out = audit_site({"/": page("示例市人民政府", FILL + box)}, only=["search.present"])
    r = result(out, "search.present")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["field"] == "searchKey"


def test_trs_form_submitted_by_script(audit_site):
    # TRS header box: action="#", the field named searchwordTxt, submitted by was_search().
    form = ('<form class="box_size" action="#" method="get"><div class="form1">'
            '<input type="text" class="inp" name="searchwordTxt" id="searchwordTxt" placeholder="请输入关键字" '
            'onkeydown="if(event.keyCode==13) was_search();" /><span class="search_btn" onClick="was_search();">'
            '</span></div></form>')
    out = audit_site({"/": page("示例区人民政府", FILL + form)}, only=["search.present"])
    r = result(out, "search.present")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["field"] == "searchwordTxt"


def test_a_keyword_box_of_another_purpose_in_a_form_with_other_fields_is_no_search(audit_site):
    # A 信件查询 form (query code + name + phone) is not the site search.
    form = ('<form action="/xj/cx.do" method="post"><input name="code" placeholder="查询码">'
            '<input name="name" placeholder="姓名"><input name="tel" placeholder="电话"></form>')
    out = audit_site({"/": page("示例区人民政府", FILL + form)}, only=["search.present"])
    assert result(out, "search.present")["status"] == "fail"


def test_search_link(audit_site):
    out = audit_site({"/": page("示例市人民政府", FILL + '<a href="/sousuo.html">站内搜索</a>'),
                      "/sousuo.html": page("搜索", FILL)}, only=["search.present"])
    r = result(out, "search.present")
    assert r["status"] == "pass"
    assert r["details"]["link"].endswith("/sousuo.html")


def test_no_search_fails_login_and_message_forms_do_not_count(audit_site):
    forms = ('<form action="/login.do" method="post"><input name="username"><input name="password" type="password"></form>'
             '<form action="/liuyan/submit.do" method="post"><input name="title"><textarea name="content"></textarea></form>'
             '<a href="/bszn/query.html">办件查询</a>')
    out = audit_site({"/": page("示例市人民政府", FILL + forms)}, only=["search.present"])
    r = result(out, "search.present")
    assert r["status"] == "fail", r["summary"]
    assert r["remediation"] is not None


def test_thin_or_script_built_page_is_unknown(audit_site):
    out = audit_site({"/": page("示例市人民政府", "<div id='app'></div>")}, only=["search.present"])
    assert result(out, "search.present")["status"] == "unknown"
    script = Response("document.getElementById('top').innerHTML = '<input id=\"kw\"><a onclick=\"go()\">站内搜索</a>';",
                      content_type="application/javascript")
    out = audit_site({"/": page("示例市人民政府", FILL + '<div id="top"></div><script src="/js/head.js"></script>'),
                      "/js/head.js": script}, only=["search.present"])
    r = result(out, "search.present")
    assert r["status"] == "unknown", r["summary"]
    assert r["evidence"][0]["url"].endswith("/js/head.js")
