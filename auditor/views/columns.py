"""The site's columns (栏目): list pages, their names, their dated items, their class.

Shared by the freshness, disclosure and interaction checks. A column is found by
what it says and where it sits — the ColumnName meta tag, the breadcrumb
(当前位置：首页 > 政府信息公开 > 通知公告), the link texts that lead to it, its
title — and classified by the profile's keyword sets (动态要闻 14 days,
通知公告/政策文件 180 days, 人事/规划计划 365 days, per the 国办 indicators), so a
site's own names are configuration, not code.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from auditor.views.cache import view
from auditor.views.dates import date_from_url, labelled_date, meta_date, script_written_date
from auditor.views.listing import Item, empty_list_box, empty_notice, extract_items

_PAGINATION = re.compile(r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pagenum|pageno|pageindex|p|pn|curpage)=(?:[2-9]|\d{2,})",
                         re.I)
_BREADCRUMB = re.compile(r"(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|现在位置|位置)\s*[:：]\s*(.{2,120})")
_CRUMB_SEP = re.compile(r"\s*(?:>|＞|»|›|→|/|\\|>>|-\s)\s*")
TITLE_SEP = re.compile(r"\s*(?:[-_|—–·]|＿|｜)\s*")
MIN_DATED_ITEMS = 3
PUBLISH_LABELS = ("发布时间", "发布日期", "发文日期", "成文日期", "印发日期", "生成日期")


@dataclass
class Column:
    url: str
    name: str
    name_source: str
    depth: int
    items: list[Item] = field(default_factory=list)
    empty: bool = False
    klass: str | None = None  # key of [columns.classes.*] in the profile
    max_age_days: int | None = None
    notice: str = ""  # the "no content" notice the page shows, when it shows one

    @property
    def dated(self) -> list[Item]:
        return [i for i in self.items if i.date is not None]

    @property
    def newest(self) -> date | None:
        dates = [i.date for i in self.items if i.date is not None]
        return max(dates) if dates else None

    def age_days(self, as_of: date) -> int | None:
        newest = self.newest
        return (as_of - newest).days if newest else None


_INDEX_FILE = re.compile(r"(?<=/)(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


def directory_key(url: str) -> str:
    """One key for a column page under its directory and its index file (/gzdt/ywyw/ and
    /gzdt/ywyw/index.html are one column: TRS templates link both)."""
    parts = urlsplit(url)
    if parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc.lower(), _INDEX_FILE.sub("", parts.path), "", ""))


def one_per_page(columns: list) -> list:
    """The columns with a page's aliases dropped: a column the profile names stays, else the alias
    listing the most dated rows."""
    def rank(c) -> tuple[bool, int]:
        return getattr(c, "origin", "") == "profile", len(c.dated)
    kept: dict[str, object] = {}
    for c in columns:
        key = directory_key(c.url)
        if key not in kept or rank(c) > rank(kept[key]):
            kept[key] = c
    return [c for c in columns if kept[directory_key(c.url)] is c]


def is_pagination(url: str) -> bool:
    return bool(_PAGINATION.search(url))


@view
def page_items(page, as_of: date | None = None) -> list[Item]:
    """Dated items of a page, extracted from its tree once per audit."""
    items: list[Item] = []
    facts = page.facts
    if facts is not None and getattr(facts, "items", None) is not None:
        items = list(facts.items)
    else:
        tree = page.tree
        if tree is not None:
            items = extract_items(tree, page.final_url, as_of)
    return items


_SOFT_404 = ("页面不存在", "页面未找到", "找不到您", "没有找到您要", "找不到该页面", "无法找到该页", "页面已删除",
             "该信息已删除", "访问的页面不存在")
_SOFT_404_TITLE = re.compile(r"(?<!\d)404(?!\d)|not found|错误页", re.I)


def is_soft_404(page) -> bool:
    """A "page not found" page served with 200: not a blank column (links.* report broken links)."""
    head = page.title + " " + page.text[:600]
    return bool(_SOFT_404_TITLE.search(page.title)) or any(m in head for m in _SOFT_404)


def page_date(page, as_of: date | None) -> tuple[date | None, str]:
    """An article page's own date: PubDate meta, labelled 发布时间, URL date."""
    d = meta_date(page.meta, as_of)
    if d:
        return d, "meta"
    d = labelled_date(page.text[:3000], PUBLISH_LABELS, as_of) or script_written_date(page.html, PUBLISH_LABELS, as_of)
    if d:
        return d, "label"
    d = date_from_url(page.final_url, as_of)
    if d:
        return d, "url"
    return None, ""


_PUBLISH_LABEL = re.compile("(?:" + "|".join(PUBLISH_LABELS) + r")\s*[:：]")


def is_article_page(page, as_of) -> bool:
    """An article rather than a list: ArticleTitle meta, a date in its URL, or one 发布时间 label.

    PubDate alone is not enough (some templates put it on every page), and a list whose
    rows each say 发布时间： has many labels.
    """
    if page.meta.get("articletitle") or date_from_url(page.final_url, as_of):
        return True
    labels = _PUBLISH_LABEL.findall(page.text[:20000])
    return len(labels) == 1 and labelled_date(page.text[:3000], PUBLISH_LABELS, as_of) is not None


def breadcrumb(text: str) -> list[str]:
    m = _BREADCRUMB.search(text[:3000])
    if not m:
        return []
    parts = [p.strip() for p in _CRUMB_SEP.split(m.group(1)) if p.strip()]
    out = []
    for p in parts:
        # The text after the breadcrumb runs on (visible text is joined with spaces);
        # column names have no spaces, so each crumb is its first word, and the first crumb
        # followed by other words is the last one: a later separator (a ">>" in the page's
        # body text) is not part of the breadcrumb.
        words = p.split()
        out.append(words[0][:20])
        if len(words) > 1 or len(out) >= 6:
            break
    return out


def _anchor_names(snapshot, url: str, max_referrers: int | None = None) -> Counter:
    names: Counter = Counter()
    refs = snapshot.inlinks.get(url, ())
    for ref in refs if max_referrers is None else refs[:max_referrers]:
        page = snapshot.pages.get(ref)
        if page is None or page.facts is None:
            continue
        for link in page.facts.links:
            if link.url == url and 2 <= len(link.text) <= 16:
                names[link.text] += 1
    return names


def column_name(snapshot, page, max_referrers: int | None = None) -> tuple[str, str]:
    """(name, how): the ColumnName meta tag, the breadcrumb's last crumb, the commonest text of
    the links to the page (of its first ``max_referrers`` referrers), or the title's first part."""
    meta = page.meta.get("columnname", "").strip()
    if meta:
        return meta, "meta"
    crumbs = breadcrumb(page.text)
    if len(crumbs) >= 2:
        return crumbs[-1], "breadcrumb"
    anchors = _anchor_names(snapshot, page.url, max_referrers)
    if anchors:
        return anchors.most_common(1)[0][0], "link"
    title = page.title
    site = snapshot.homepage.title if snapshot.homepage is not None else ""
    parts = [p for p in TITLE_SEP.split(title) if p and p not in site]
    if parts:
        return parts[0][:20], "title"
    return title[:20], "title"


def classify(name: str, profile) -> tuple[str | None, int | None]:
    classes = profile.get("columns.classes", {}) or {}
    for key, spec in classes.items():
        keywords = spec.get("keywords", [])
        exclude = spec.get("exclude", [])
        if any(k in name for k in keywords) and not any(x in name for x in exclude):
            days = spec.get("max_age_days")
            return key, int(days) if days is not None else None
    return None, None


#: How deep (clicks from the homepage) list pages are looked for as columns.
SCAN_DEPTH = 3


def is_scanned(page, as_of: date | None, max_depth: int = SCAN_DEPTH) -> bool:
    """Whether ``find_columns`` reads the page's rows: a crawled HTML page one to ``max_depth``
    clicks from the homepage that is neither a further page of a list nor an article."""
    if not page.is_html or not page.ok or page.depth > max_depth or page.depth == 0:
        return False
    if is_pagination(page.final_url):
        return False
    # An article's 相关文章 list is no column. Asked before the rows are read: it reads facts
    # already in memory, and most pages of a site are articles, whose trees need not be parsed.
    return not is_article_page(page, as_of)


def scanned_items(snapshot, page) -> list[Item] | None:
    """The rows ``find_columns`` read on ``page`` (None for a page it does not read): how the
    freshness views tell a list from an article without parsing every page of the site."""
    if snapshot.is_homepage_alias(page) or not is_scanned(page, snapshot.as_of):
        return None
    return page_items(page, snapshot.as_of)


# Names that make a page a column without guessing from its rows: the ColumnName meta tag,
# the breadcrumb, the link texts that lead to it (navigation).
KNOWN_NAME_SOURCES = ("meta", "breadcrumb", "link")
# A box of items is a side box (最新信息, 热点排行) when each of its items is listed on at
# least this many other list pages besides the homepage.
SHARED_BOX_PAGES = 2


@view
def is_article(page, as_of) -> bool:
    """``is_article_page``, asked once per page: side-box detection asks it of every referrer."""
    return is_article_page(page, as_of)


def _listed_on_lists(snapshot, url: str, page, enough: int | None = None) -> int:
    """How many list pages other than ``page`` and the homepage list ``url`` (counted up to
    ``enough``: an item of a side box shown on every page has thousands of referrers)."""
    home = snapshot.homepage
    skip = {page.url, page.final_url} | ({home.url, home.final_url} if home is not None else set())
    count = 0
    for ref in set(snapshot.inlinks.get(url, ())) - skip:
        other = snapshot.pages.get(ref)
        if other is None or not other.is_html or other.depth == 0:
            continue
        if not is_article(other, snapshot.as_of):
            count += 1
            if count == enough:
                break
    return count


def own_items(snapshot, page, items: list[Item]) -> list[Item]:
    """The page's items without its side boxes: boxes every item of which other list pages list too.

    EmpireCMS and TRS column templates show the same 最新信息/热点排行 box on every column
    page; its dates are not the column's. A box with one item of the page's own is kept whole.
    """
    boxes: dict[int, list[Item]] = {}
    for i in items:
        boxes.setdefault(i.box, []).append(i)
    # A box of items filed under the page's own folder is the column's list, however often shown.
    folder = page.final_url.split("?", 1)[0]
    folder = folder[: folder.rfind("/") + 1]
    own_folder = folder.count("/") > 3  # not the site root
    out: list[Item] = []
    for box, members in boxes.items():
        if box >= 0 and not (own_folder and all(i.url.startswith(folder) for i in members)) \
                and all(_listed_on_lists(snapshot, i.url, page, SHARED_BOX_PAGES) >= SHARED_BOX_PAGES for i in members):
            continue
        out.extend(members)
    order = {id(i): n for n, i in enumerate(items)}
    return sorted(out, key=lambda i: order[id(i)])


def find_columns(snapshot, profile, max_depth: int = SCAN_DEPTH) -> list[Column]:
    """Every list-like page at depth <= max_depth (first pages only), classified.

    A page is a column when it lists at least MIN_DATED_ITEMS dated rows (a guess, for pages
    nobody names), or when it is named as a column (ColumnName, breadcrumb, navigation) and
    lists a dated row of its own, or shows a "no content" notice or an empty list box and
    lists nothing of its own (空白栏目).
    """
    as_of = snapshot.as_of
    notices = profile.keywords("empty_column_notices") or None
    columns: list[Column] = []
    for page in snapshot.pages.values():
        if not is_scanned(page, as_of, max_depth) or snapshot.is_homepage_alias(page):
            continue  # not a first list page within reach; the homepage again as /index.html
            continue
        items = page_items(page, as_of)
        notice = empty_notice(page.text, page.tree, notices) or ""
        mine = own_items(snapshot, page, items) if notice or items else items
        dated = [i for i in mine if i.date is not None and i.date_source == "row"]
        if notice and not dated and is_soft_404(page):  # a "page not found" served with 200
            continue
        name = source = None
        empty = bool(notice) and not dated
        if not empty and not dated:
            name, source = column_name(snapshot, page)
            # A named column whose list area is an empty box (no notice at all).
            empty = source in ("meta", "breadcrumb") and not mine and empty_list_box(page.tree)
        if not empty and len(dated) < MIN_DATED_ITEMS:
            if not dated:
                continue
            if name is None:
                name, source = column_name(snapshot, page)
            if source not in KNOWN_NAME_SOURCES or classify(name, profile)[0] is None:
                continue  # one or two dated rows make a column only of a page named as one
        if name is None:
            name, source = column_name(snapshot, page)
        klass, days = classify(name, profile)
        columns.append(Column(page.final_url, name, source, page.depth, mine, empty, klass, days, notice))
    columns.sort(key=lambda c: (c.depth, c.url))
    return one_per_page(columns)


@view
def columns_of(snapshot, profile) -> list[Column]:
    """find_columns, computed once per audit and shared by checks and gatherers."""
    return find_columns(snapshot, profile)
