from datetime import date

import lxml.html

from auditor.views.listing import extract_items, record_links, says_empty

AS_OF = date(2026, 11, 20)
BASE = "http://www.x.gov.cn/xwzx/tzgg/index.html"


def items(html):
    return extract_items(lxml.html.document_fromstring(html), BASE, AS_OF)


def test_trs_list_with_spans():
    html = """<ul class="list">
      <li><a href="./202611/t20261118_1.html" title="关于开展安全检查的通知">关于开展安全检查的通知</a><span>2026-11-18</span></li>
      <li><a href="./202610/t20261002_2.html">关于2026年12月1日起施行新规的公告</a><span>[2026-10-02]</span></li>
    </ul>"""
    got = items(html)
    assert [(i.title[:4], i.date) for i in got] == [("关于开展", date(2026, 11, 18)), ("关于20", date(2026, 10, 2))]
    assert got[0].url == "http://www.x.gov.cn/xwzx/tzgg/202611/t20261118_1.html"


def test_table_rows():
    html = """<table><tr><td><a href="/a/1.html">市政府办公室关于印发工作要点的通知</a></td><td>2026年3月2日</td></tr>
    <tr><td><a href="/a/2.html">市政府关于调整部分领导分工的通知</a></td><td>2026/1/5</td></tr></table>"""
    assert [i.date for i in items(html)] == [date(2026, 3, 2), date(2026, 1, 5)]


def test_date_from_url_when_row_has_none():
    got = items('<ul><li><a href="/art/2026/5/6/art_1_2.html">某某局召开专题会议</a></li></ul>')
    assert got[0].date == date(2026, 5, 6) and got[0].date_source == "url"


def test_undated_and_short_links():
    got = items('<ul><li><a href="/x.html">首页</a></li><li><a href="/y.html">一条没有日期的新闻标题</a></li></ul>')
    assert len(got) == 1 and got[0].date is None and got[0].date_source == "none"


def test_jcms_record_script():
    html = """<div id="12345"><script type="text/xml"><datastore><recordset>
      <record><![CDATA[<li><a href="/art/2026/11/3/art_5_1.html">市长主持召开常务会议</a><span>2026-11-03</span></li>]]></record>
      <record><![CDATA[<li><a href="/art/2026/10/8/art_5_2.html">全市经济运行情况通报</a><span>2026-10-08</span></li>]]></record>
    </recordset></datastore></script></div>"""
    root = lxml.html.document_fromstring(html)
    got = extract_items(root, BASE, AS_OF)
    assert [i.date for i in got] == [date(2026, 11, 3), date(2026, 10, 8)]
    assert record_links(root) == ["/art/2026/11/3/art_5_1.html", "/art/2026/10/8/art_5_2.html"]


def test_empty_column_markers():
    assert says_empty("当前位置：首页 > 规划计划 暂无信息")
    assert not says_empty("规划计划 2026-01-01 十四五规划")
