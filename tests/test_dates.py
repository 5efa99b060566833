from datetime import date

import pytest

from auditor.views.dates import date_from_url, find_dates, labelled_date, meta_date, parse_date

AS_OF = date(2026, 11, 20)


@pytest.mark.parametrize("text, expected", [
    ("2018年5月6日", date(2018, 5, 6)),
    ("2018 年 05 月 06 日", date(2018, 5, 6)),
    ("2018-05-06", date(2018, 5, 6)),
    ("[2026-01-22]", date(2026, 1, 22)),
    ("2026-01-22 11:40:11", date(2026, 1, 22)),
    ("2018/5/6", date(2018, 5, 6)),
    ("2018.05.06", date(2018, 5, 6)),
    ("发布时间：2026-01-22", date(2026, 1, 22)),
    ("二〇二六年一月二十二日", date(2026, 1, 22)),
    ("二〇一九年十二月三十一日", date(2019, 12, 31)),
    ("20180506", date(2018, 5, 6)),
])
def test_formats(text, expected):
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text", [
    "2018-13-06", "2018-02-30", "1985-01-01", "2031-01-01", "2018-05/06", "电话 0531-12345678",
    "12345678901", "1234-56-78", "索引号 11370000004100-2026-00012",
])
def test_not_dates(text):
    assert parse_date(text, AS_OF) is None


def test_mixed_separators_do_not_match_phone_numbers():
    assert find_dates("联系电话：0531-86061234 传真：0531-86061235", AS_OF) == []


def test_labelled_date_prefers_the_label():
    text = "成文日期：2026-01-02 发布时间：2026年1月5日 浏览次数 12"
    assert labelled_date(text, ("发布时间",), AS_OF) == date(2026, 1, 5)
    assert labelled_date(text, as_of=AS_OF) == date(2026, 1, 2)
    assert labelled_date("没有日期", as_of=AS_OF) is None


@pytest.mark.parametrize("url, expected", [
    ("http://www.x.gov.cn/xxgk/tzgg/202605/t20260506_123456.html", date(2026, 5, 6)),
    ("http://www.x.gov.cn/art/2018/5/6/art_1229_123.html", date(2018, 5, 6)),
    ("http://www.x.gov.cn/2018-05/06/content_5288.htm", date(2018, 5, 6)),
    ("http://www.x.gov.cn/news/2018/05/06/a.html", date(2018, 5, 6)),
    ("http://www.x.gov.cn/col/col123/index.html", None),
    ("http://www.x.gov.cn/t20181306_1.html", None),
])
def test_dates_in_urls(url, expected):
    assert date_from_url(url, AS_OF) == expected


def test_meta_pubdate():
    assert meta_date({"pubdate": "2026-11-18 09:30"}, AS_OF) == date(2026, 11, 18)
    assert meta_date({"keywords": "x"}, AS_OF) is None
