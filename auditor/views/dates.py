"""Dates as Chinese government pages write them.

Seen on real sites: 2018年5月6日, 2018-05-06, 2018/5/6, 2018.05.06, [2026-01-22],
2026-01-22 11:40:11, 发布时间：2026-01-22, 成文日期：…, 二〇二六年一月二十二日 (documents),
and dates in URLs (TRS ``/t20180506_123.html``, Hanweb ``/art/2018/5/6/art_1_2.html``,
``/201805/t20180506_1.html``, ``/2018-05/06/content_1.htm``). A date that is not a real
calendar day, or lies outside 1990..(as-of + 1 year), is not a date.
"""
from __future__ import annotations

import re
from datetime import date

# Year, month, day with one separator style; 年/月/日 allowed with spaces.
_YMD = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:(年)|([-/.]))\s*(\d{1,2})\s*(?(2)月|(?:\3))\s*(\d{1,2})(?(2)\s*日?)(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九O]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_URL_PATTERNS = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),                       # TRS t20180506_123
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),              # Hanweb
    re.compile(r"/((?:19|20)\d{2})[-_/]?(\d{2})[-_/](\d{2})/"),              # /2018-05/06/ , /2018/05/06/
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),                        # /20180506/
    re.compile(r"[_/-]((?:19|20)\d{2})(\d{2})(\d{2})\d{0,6}[_.-]"),          # content_20180506123.htm
)
LABELS = ("发布时间", "发布日期", "发文日期", "成文日期", "生成日期", "印发日期", "更新时间", "时间", "日期")
_LABELLED = re.compile(r"(" + "|".join(LABELS) + r")\s*[:：]\s*")


def _make(y: int, m: int, d: int, as_of: date | None) -> date | None:
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    if value.year < 1990:
        return None
    if as_of is not None and value > date(as_of.year + 1, as_of.month, min(as_of.day, 28)):
        return None
    return value


def _cn_number(text: str) -> int | None:
    """一 .. 三十一 as written in 成文日期."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, 1) if tens else 1
        o = _CN_DIGITS.get(ones, 0) if ones else 0
        return t * 10 + o
    return _CN_DIGITS.get(text)


def find_dates(text: str, as_of: date | None = None) -> list[tuple[date, int, int]]:
    """Every date in ``text`` as (date, start, end), in order of appearance."""
    found: list[tuple[date, int, int]] = []
    for m in _YMD.finditer(text):
        d = _make(int(m.group(1)), int(m.group(4)), int(m.group(5)), as_of)
        if d:
            found.append((d, m.start(), m.end()))
    for m in _CN_DATE.finditer(text):
        y = "".join(str(_CN_DIGITS.get(c, 0)) for c in m.group(1))
        mo, dd = _cn_number(m.group(2)), _cn_number(m.group(3))
        if mo and dd:
            d = _make(int(y), mo, dd, as_of)
            if d:
                found.append((d, m.start(), m.end()))
    if not found:
        for m in _COMPACT.finditer(text):
            d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), as_of)
            if d:
                found.append((d, m.start(), m.end()))
    found.sort(key=lambda x: x[1])
    return found


def parse_date(text: str, as_of: date | None = None) -> date | None:
    dates = find_dates(text, as_of)
    return dates[0][0] if dates else None


def labelled_date(text: str, labels: tuple[str, ...] = LABELS, as_of: date | None = None) -> date | None:
    """The date after a label such as 发布时间： (the most reliable date on an article page)."""
    for m in _LABELLED.finditer(text):
        if m.group(1) not in labels:
            continue
        d = parse_date(text[m.end(): m.end() + 40], as_of)
        if d:
            return d
    return None


_SCRIPT_AFTER = re.compile(r"\s*<script\b[^>]*>(.*?)</script>", re.S | re.I)
_LITERAL = re.compile(r"""(?:=|\(\s*)\s*['"]([^'"<>]{6,30})['"]""")


def script_written_date(html: str, labels: tuple[str, ...] = ("发布时间", "发布日期"),
                        as_of: date | None = None) -> date | None:
    """The date a script writes right after a label, where the page text shows none (TRS:
    ``发布时间：<script>var pubdata='2020年07月02日'; if(pubdata!=''){document.write(pubdata);}</script>``).

    Only a script standing directly after the label counts, and only a date it holds as a
    string literal: the label of 成绩发布时间 (a date to come) is not the page's own."""
    label = re.compile(r"(?<![\u4e00-\u9fff])(?:" + "|".join(map(re.escape, labels)) + r")\s*[:：]")
    for m in label.finditer(html):
        script = _SCRIPT_AFTER.match(html, m.end())
        if script is None or "document.write" not in script.group(1):
            continue
        for lit in _LITERAL.finditer(script.group(1)):
            d = parse_date(lit.group(1), as_of)
            if d:
                return d
    return None


def date_from_url(url: str, as_of: date | None = None) -> date | None:
    for pattern in _URL_PATTERNS:
        m = pattern.search(url)
        if m:
            d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), as_of)
            if d:
                return d
    return None


def meta_date(meta: dict[str, str], as_of: date | None = None) -> date | None:
    """PubDate (发展指引 网页标签, 'YYYY-MM-DD HH:MM') or common equivalents."""
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "maketime",
                "created", "date"):
        value = meta.get(key)
        if value:
            d = parse_date(value, as_of)
            if d:
                return d
    return None
