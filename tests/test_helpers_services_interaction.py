"""Unit tests of the label/value, guide and letter parsers (checks/_labelled, _services, _interaction)
on the markup real CMSs produce: TRS tables, Hanweb divs, dl/dt/dd, headings, inline labels,
JCMS record scripts, GBK-decoded pages."""
from __future__ import annotations

from datetime import date

import pytest

from auditor.crawl.parse import extract
from auditor.views.letters import detail_letter, list_letters, working_days
from auditor.views.labelled import Vocabulary, content_root, is_empty_value, lines, norm_label, pairs
from auditor.views.guides import DEFAULT_BOUNDARIES, DEFAULT_ELEMENTS, DEFAULT_FLOWCHART_MARKERS, _marked

AS_OF = date(2026, 11, 20)
VOCAB = Vocabulary(DEFAULT_ELEMENTS, DEFAULT_BOUNDARIES)


class FakePage:
    """What the parsers read of a Page: facts, tree, text, meta."""

    def __init__(self, html: str, url: str = "http://x.gov.cn/a/b.html"):
        self.facts = extract(html, url, keep_tree=True)
        self.final_url = self.url = url
        self.tree = self.facts.tree
        self.text = self.facts.text
        self.meta = self.facts.meta
        self.title = self.facts.title


def doc(body: str, title: str = "页面") -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"


def read(body: str) -> dict[str, list[str]]:
    """category -> values, from a body."""
    import lxml.html
    root = content_root(lxml.html.fromstring(doc(body)))
    out: dict[str, list[str]] = {}
    for p in pairs(lines(root), VOCAB):
        for c in p.categories:
            out.setdefault(c, []).append(p.value)
    return out


# -- labels -------------------------------------------------------------------------------
@pytest.mark.parametrize("raw,expected", [
    ("四、申请条件", "申请条件"), ("（二）申请材料：", "申请材料"), ("【设定依据】", "设定依据"), ("1.办理流程", "办理流程"),
    ("第三条 收费标准", "收费标准"), ("■ 咨询电话：", "咨询电话"), ("办 理 时 间", "办理时间"), ("十一、咨询电话", "咨询电话"),
])
def test_norm_label(raw, expected):
    assert norm_label(raw) == expected


def test_classify_longest_synonym_and_shared_labels():
    assert VOCAB.classify("收费依据及标准") == ("收费标准",)  # not 设定依据 for the 依据 in it
    assert set(VOCAB.classify("办公地址和时间")) == {"办理地点", "办理时间"}
    assert VOCAB.classify("办理时限") == ()  # a known label of no category
    assert VOCAB.classify("办理时间") == ("办理时间",)
    assert VOCAB.classify("不收费", loose=False) is None  # a value, not a label
    assert VOCAB.classify("申请材料目录", loose=False) == ("办理材料",)
    assert VOCAB.classify("这是一段很长的正文内容，不是标签，因为它太长了而且有标点。") is None


def test_trs_two_and_four_column_table():
    got = read("""<table class="bg"><tr><td>事项名称</td><td>食品经营许可</td></tr>
        <tr><td>审批依据</td><td>《食品安全法》第三十五条</td><td>是否收费</td><td>否</td></tr>
        <tr><td>受理条件</td><td>有经营场所</td></tr><tr><td>办理时限</td><td>10个工作日</td></tr>
        <tr><td>办公地址</td><td></td></tr></table>""")
    assert got["事项名称"] == ["食品经营许可"]
    assert got["设定依据"] == ["《食品安全法》第三十五条"]
    assert got["收费标准"] == ["否"]
    assert got["申请条件"] == ["有经营场所"]
    assert got["办理地点"] == [""]  # the row exists, its value is blank


def test_header_row_over_value_row():
    got = read("<table><tr><th>办理地点</th><th>办理时间</th><th>咨询电话</th></tr>"
               "<tr><td>政务大厅3号窗口</td><td>工作日9:00-17:00</td><td>0531-1234567</td></tr></table>")
    assert got == {"办理地点": ["政务大厅3号窗口"], "办理时间": ["工作日9:00-17:00"], "联系电话": ["0531-1234567"]}


def test_hanweb_divs_headings_bold_and_dl():
    got = read("""<div class="bszn"><div class="item"><div class="tit">实施主体</div><div class="con">市行政审批局</div></div>
        <div class="item"><div class="tit">申请材料</div><div class="con"><p>1.申请书</p><p>2.营业执照</p></div></div></div>
        <h3>一、办理流程</h3><p>申请</p><p><img src="/u/lct.png" alt=""></p>
        <p><strong>收费标准</strong></p><p>不收费</p>
        <dl><dt>咨询途径</dt><dd>电话：0531-1234567</dd><dt>监督投诉</dt><dd>12345</dd></dl>""")
    assert got["办理机构"] == ["市行政审批局"]
    assert got["办理材料"] == ["1.申请书 2.营业执照"]  # short numbered lines stay in the value
    assert got["办理流程"][0].startswith("申请")
    assert got["收费标准"] == ["不收费"]
    assert got["联系电话"] == ["电话：0531-1234567"]


def test_inline_labels_several_on_a_line_and_span_pairs():
    got = read("<p>受理机构：市民政局　办理时间：—</p><p><span>实施依据</span> <span>《条例》第八条</span></p>"
               "<p>本事项需要提交以下申请材料：无须提交</p>")
    assert got["办理机构"] == ["市民政局"]
    assert got["办理时间"] == ["—"]
    assert got["设定依据"][0].startswith("《条例》第八条")
    assert "办理材料" not in got  # "以下申请材料：" inside a sentence is not a label


def test_navigation_and_footer_are_not_content():
    got = read('<div class="nav"><a href="/">申请条件</a></div><div id="footer"><p>联系电话：0531-1</p></div>'
               "<p>正文</p>")
    assert got == {}


@pytest.mark.parametrize("value,empty", [("无", True), ("—", True), (" 暂无 ", True), ("", True), ("--", True),
                                         ("不收费", False), ("无须提交", False), ("详见附件", False)])
def test_empty_values(value, empty):
    assert is_empty_value(value, ["无", "—", "暂无", "-"]) is empty


def test_flowchart_markers():
    assert _marked("办理流程图", DEFAULT_FLOWCHART_MARKERS)
    assert _marked("/u/images/lct1.png", DEFAULT_FLOWCHART_MARKERS)
    assert _marked("/upload/liuchengtu_2024.jpg", DEFAULT_FLOWCHART_MARKERS)
    assert not _marked("/images/select.png", DEFAULT_FLOWCHART_MARKERS)
    assert not _marked("/images/overflow.png", DEFAULT_FLOWCHART_MARKERS)


# -- letters ------------------------------------------------------------------------------
def test_trs_letter_table_with_status():
    page = FakePage(doc("""<table><tr><th>信件标题</th><th>来信时间</th><th>答复时间</th><th>办理状态</th></tr>
        <tr><td><a href="/x/1.html">咨询学区</a></td><td>2026-05-08</td><td>2026-05-12</td><td>已办结</td></tr>
        <tr><td><a href="/x/2.html">路灯不亮</a></td><td>2026-06-15</td><td></td><td>办理中</td></tr>
        <tr><td><a href="/x/3.html">重复来信</a></td><td>2026-06-16</td><td></td><td>不予受理</td></tr></table>"""))
    got = list_letters(page, page.tree, AS_OF)
    assert [(l.title, l.asked, l.answered, l.replied, l.valid) for l in got] == [
        ("咨询学区", date(2026, 5, 8), date(2026, 5, 12), True, True),
        ("路灯不亮", date(2026, 6, 15), None, False, True),
        ("重复来信", date(2026, 6, 16), None, None, False)]
    assert got[0].url == "http://x.gov.cn/x/1.html"


def test_hanweb_li_rows_with_labelled_dates():
    page = FakePage(doc("""<ul class="list">
        <li><a href="/art/1.html">关于公交线路的建议</a><span>留言时间：2026-10-12</span><span>回复时间：2026-10-19</span></li>
        <li><a href="/art/2.html">噪音扰民</a><span>留言时间：2026年6月1日</span><span>状态：未回复</span></li></ul>"""))
    got = list_letters(page, page.tree, AS_OF)
    assert [(l.asked, l.answered, l.replied) for l in got] == [
        (date(2026, 10, 12), date(2026, 10, 19), True), (date(2026, 6, 1), None, False)]


def test_header_positional_list():
    page = FakePage(doc("""<ul><li class="head"><span>标题</span><span>留言时间</span><span>回复时间</span></li>
        <li><a href="/1.html">问题一</a><span>2026-09-01</span><span>2026-09-03</span></li>
        <li><a href="/2.html">问题二</a><span>2026-07-01</span><span></span></li></ul>"""))
    got = list_letters(page, page.tree, AS_OF)
    assert [(l.title, l.asked, l.answered, l.replied) for l in got] == [
        ("问题一", date(2026, 9, 1), date(2026, 9, 3), True), ("问题二", date(2026, 7, 1), None, False)]


def test_jcms_record_rows_under_a_static_header():
    page = FakePage(doc("""<table><tr><th>标题</th><th>留言时间</th><th>回复时间</th><th>状态</th></tr></table>
        <script type="text/xml"><datastore><recordset>
        <record><![CDATA[<tr><td><a href="/art/2026/6/15/art_1_7.html">宅基地翻建</a></td><td>2026-06-15</td><td>—</td><td>未回复</td></tr>]]></record>
        <record><![CDATA[<tr><td><a href="/art/2026/5/8/art_1_2.html">学区划分</a></td><td>2026-05-08</td><td>2026-05-12</td><td>已回复</td></tr>]]></record>
        </recordset></datastore></script>"""))
    got = list_letters(page, page.tree, AS_OF)
    assert [(l.title, l.replied) for l in got] == [("宅基地翻建", False), ("学区划分", True)]


def test_detail_page_label_table():
    page = FakePage(doc("""<h1>关于农村宅基地翻建审批的咨询</h1><div class="info">留言时间：2026-06-15 办理状态：未回复</div>
        <table><tr><th>留言内容</th><td>请问在哪里办理？</td></tr><tr><th>回复单位</th><td>—</td></tr>
        <tr><th>回复时间</th><td>—</td></tr><tr><th>回复内容</th><td>暂无回复</td></tr></table>"""))
    letter = detail_letter(page, page.tree, AS_OF)
    assert (letter.asked, letter.answered, letter.replied) == (date(2026, 6, 15), None, False)


def test_detail_page_reply_dated_at_its_end():
    page = FakePage(doc("""<h1>反映路灯损坏</h1><p>提问时间：2026年8月3日</p><h3>网友留言</h3><p>路灯不亮。</p>
        <h3>答复</h3><p>已于9月10日全部修复。</p><p>示例市城市管理局</p><p>2026年9月12日</p>"""))
    letter = detail_letter(page, page.tree, AS_OF)
    assert (letter.asked, letter.answered, letter.replied, letter.latency()) == (
        date(2026, 8, 3), date(2026, 9, 12), True, 40)


def test_detail_page_dl_and_no_letter():
    page = FakePage(doc("<dl><dt>来信日期</dt><dd>2026-10-01</dd><dt>答复日期</dt><dd>2026-10-09</dd>"
                        "<dt>答复内容</dt><dd>已处理。</dd></dl>"))
    letter = detail_letter(page, page.tree, AS_OF)
    assert (letter.asked, letter.answered) == (date(2026, 10, 1), date(2026, 10, 9))
    assert detail_letter(FakePage(doc("<p>普通新闻 2026-10-01</p>")), None, AS_OF) is None


def test_gbk_decoded_page_parses_the_same():
    html = doc("<table><tr><th>申请条件</th><td>有住所</td></tr><tr><th>申请材料</th><td>申请书</td></tr></table>")
    decoded = html.encode("gbk").decode("gbk")
    page = FakePage(decoded)
    from auditor.views.labelled import page_pairs
    cats = {c for p in page_pairs(page, VOCAB) for c in p.categories}
    assert cats == {"申请条件", "办理材料"}


def test_working_days():
    assert working_days(date(2026, 11, 13), date(2026, 11, 18)) == 3  # Fri -> Wed
    assert working_days(date(2026, 11, 16), date(2026, 11, 16)) == 0


def test_value_that_starts_like_a_label_is_a_value():
    got = read("<table><tr><td>办理材料</td><td>申请材料清单见附件</td></tr>"
               "<tr><td>实施主体</td><td><span>市</span><span>民政局</span></td></tr></table>"
               "<p>收费标准</p><p>收费依据见物价文件</p>")
    assert got["办理材料"] == ["申请材料清单见附件"]
    assert got["办理机构"] == ["市 民政局"]
    assert got["收费标准"] == ["收费依据见物价文件"]
