"""Columns are found by what they say and where they sit, and classified by profile keywords."""
from datetime import date

from auditor.views.columns import breadcrumb, classify, columns_of, is_pagination
from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.checking.profile import load_profile
from servers import LoopbackSite, page


def rows(dates, prefix="/art"):
    return "<ul>" + "".join(f'<li><a href="{prefix}/{i}.html">第{i}条信息的标题内容</a><span>{d}</span></li>'
                            for i, d in enumerate(dates)) + "</ul>"


def test_columns_found_named_and_classified():
    site = {
        "/": page("示例市人民政府", '<a href="/ywdt/">要闻动态</a><a href="/tzgg/">通知公告</a>'
                                  '<a href="/ghjh/">规划计划</a><a href="/about.html">走进示例</a>'),
        "/ywdt/": page("要闻动态_示例市人民政府", "当前位置：首页 > 新闻中心 > 要闻动态" +
                       rows(["2026-11-18", "2026-11-10", "2026-11-01"])),
        "/tzgg/": page("通知公告", rows(["2026-03-02", "2026-02-01", "2026-01-05"]),
                       head='<meta name="ColumnName" content="通知公告">'),
        "/ghjh/": page("规划计划", "当前位置：首页 > 规划计划 <div class='list'>暂无信息</div>"),
        "/about.html": page("走进示例", "<p>示例市位于……</p>"),
    }
    with LoopbackSite(site) as s:
        snap = Crawler(CrawlOptions(rate=500, max_depth=1)).run(s.url, as_of=date(2026, 11, 20))
    cols = {c.name: c for c in columns_of(snap, load_profile("city"))}
    assert set(cols) == {"要闻动态", "通知公告", "规划计划"}
    assert cols["要闻动态"].name_source == "breadcrumb" and cols["要闻动态"].klass == "news"
    assert cols["要闻动态"].newest == date(2026, 11, 18) and cols["要闻动态"].age_days(snap.as_of) == 2
    assert cols["通知公告"].name_source == "meta" and cols["通知公告"].max_age_days == 180
    assert cols["规划计划"].empty and cols["规划计划"].klass == "personnel_plan"


def test_breadcrumb_and_pagination():
    assert breadcrumb("您的位置：首页 > 政府信息公开 > 通知公告 正文") == ["首页", "政府信息公开", "通知公告"]
    assert breadcrumb("当前位置: 首页 » 要闻") == ["首页", "要闻"]
    assert is_pagination("http://x.gov.cn/tzgg/index_2.html")
    assert is_pagination("http://x.gov.cn/list.jsp?page=3")
    assert not is_pagination("http://x.gov.cn/tzgg/index.html")


def test_classify_respects_exclusions_and_order():
    p = load_profile("default")
    assert classify("政策解读", p) == (None, None)
    assert classify("政策文件", p)[0] == "notice_policy"
    assert classify("工作动态", p) == ("news", 14)
