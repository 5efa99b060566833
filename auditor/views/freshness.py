"""Helpers of the freshness checks (首页不更新, 栏目不更新, 空白栏目).

The core gives dated list rows (auditor.views.listing) and the site's columns
(auditor.views.columns.columns_of). This module adds what the three checks share:

* every listed item gets a *resolved* date and a state: the row's date, a
  month-day date whose year is inferred (homepages often write ``11-18``), the
  linked article's PubDate meta or labelled 发布时间, or its URL date; an item whose
  article was read and has no date is ``undated`` (未注明信息发布时间的视为不更新), one
  whose article was not crawled is ``unresolved``, and links to other columns or
  short static pages are ``nav`` (not information items);
* list pages whose rows carry no dates (dates only in the articles) join the
  columns when their name classifies;
* columns named in the profile ([columns.named]) override discovery;
* signs that a page's list is filled by scripts (an empty container and an ajax
  call, Vue/Angular templates, a JCMS datastore without records): such a page is
  "could not determine", never "blank".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from auditor.views.evidence import T
from auditor.views.cache import view
from auditor.views.columns import (SCAN_DEPTH, breadcrumb, classify, column_name, columns_of, is_article_page,
                                   is_pagination, one_per_page, page_date, page_items, scanned_items)
from auditor.views.listing import ROW_TAGS, row_of, says_empty
from auditor.network.urls import host_of, normalize

# A headline is at least this long; shorter link texts are nav labels (市情概况, 历史沿革).
MIN_HEADLINE = 10
FUTURE_GRACE_DAYS = 1
MIN_ARTICLE_TEXT = 150
_LIST_URL = re.compile(r"(?:/|/(?:index|default|list|more|lm)(?:_\d+)?\.(?:s?html?|jsp|aspx?|php))$", re.I)
_ARTICLE_URL = re.compile(r"(?:/t\d{8}_\d+|/art_\d+|content_\d+|/art/\d{4}/|/\d{5,}\.s?html?$|detail|"
                          r"[?&](?:id|articleid|infoid|contentid|newsid|docid)=\w+|info_\d+)", re.I)
# A row whose only text besides the title is a month-day date: [11-18], 11/18, 11月18日.
_MD_ONLY = re.compile(r"^[\s\[【(（]*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?[\s\]】)）]*$")
_WS = re.compile(r"\s+")

NAME_SOURCES = {
    "meta": T("ColumnName 标签", "ColumnName meta tag"),
    "breadcrumb": T("面包屑导航", "breadcrumb"),
    "link": T("指向它的链接文字", "link text"),
    "title": T("页面标题", "page title"),
    "profile": T("检查配置 [columns.named]", "profile [columns.named]"),
}
DATE_SOURCES = {
    "row": "列表日期", "row-md": "列表日期（年份推定）", "url": "网址中的日期",
    "article-meta": "文章 PubDate 标签", "article-label": "文章“发布时间”", "article-url": "文章网址中的日期",
    "page-meta": "页面 PubDate 标签", "page-label": "页面“发布时间”",
}
DEFAULT_SCRIPT_HINTS = ["$.ajax", "jquery.ajax", "$.get(", "$.post(", "$.getjson", "xmlhttprequest", "fetch(",
                        "axios", ".load(\"", ".load('", "dataproxy", "/module/web/jpage", "unitbuild", "v-for=", "ng-repeat",
                        "laytpl", "template.render", "art-template", "doT.template", "handlebars"]


@dataclass
class Dated:
    """One information item listed on a page, with its resolved date."""

    url: str
    title: str
    date: date | None
    source: str  # a key of DATE_SOURCES, or "" when there is no date
    # dated | future (later than as_of: not counted) | undated (article read, no date) |
    # unresolved (article not crawled) | nav (a short label) | link (another column, a broken
    # link, an attachment) | external (another site)
    state: str
    listed_on: str = ""

    def excerpt(self) -> str:
        when = self.date.isoformat() if self.date else "无日期"
        return f"{self.title[:60]} [{when}，{DATE_SOURCES.get(self.source, self.source or '—')}]"


def same_site(snap, url: str) -> bool:
    """The site's own pages: same origin, or the same 政府 domain (xxgk.x.gov.cn for www.x.gov.cn)."""
    if snap.in_site(url):
        return True
    a, b = host_of(url), snap.site_host
    if not a or not b:
        return False
    n = 3 if b.endswith(".gov.cn") else 2
    base = ".".join(b.split(".")[-n:])
    return not b.replace(".", "").isdigit() and (a == base or a.endswith("." + base))


def lookup(snap, url: str):
    return snap.page(url) or snap.page(normalize(url) or url)


def is_list_page(snap, page) -> bool:
    """A column/list page rather than an article: several dated rows, or an index URL.

    Rows are those ``find_columns`` reads (pages up to depth 3 that are not articles).
    """
    items = scanned_items(snap, page)
    if items is not None and sum(1 for i in items if i.date_source == "row") >= 3:
        return True
    return bool(_LIST_URL.search(page.final_url.split("?", 1)[0])) and not page.meta.get("articletitle")


def _resolve_undated(snap, item, as_of) -> tuple[str, date | None, str]:
    """(state, date, source) of a row without a date, from the page it links to.

    ``link`` marks links to other columns, broken links and attachments; ``nav`` a
    short label (not a headline) whose target could not date it.
    """
    state, d, source = _target_state(snap, item.url)
    if state in ("unresolved", "undated") and len(item.title) < MIN_HEADLINE and not _ARTICLE_URL.search(item.url):
        return "nav", None, ""
    return state, d, source


@view
def _target_state(snap, url: str) -> tuple[str, date | None, str]:
    """(state, date, source) of the page a row links to; see _resolve_undated."""
    as_of = snap.as_of
    if not same_site(snap, url):
        return "external", None, ""
    if is_pagination(url):
        return "link", None, ""
    page = lookup(snap, url)
    if page is None:
        return ("link", None, "") if _LIST_URL.search(url.split("?", 1)[0]) else ("unresolved", None, "")
    if not page.ok and not (page.status in (403, 404, 410) and not page.fetch.blocked):
        return "unresolved", None, ""  # a timeout, 5xx or rate limit: the article may well exist
    if not page.ok or not page.is_html or is_list_page(snap, page):
        return "link", None, ""  # broken links and attachments are the links.* checks' business
    d, how = page_date(page, as_of)
    if d:
        return "dated", d, "article-" + how
    if len(page.text) >= MIN_ARTICLE_TEXT:
        return "undated", None, ""
    return "nav", None, ""


def md_dates(page, as_of: date) -> dict[str, date]:
    """Rows dated only by month and day (``[11-18]``): url -> date, the year inferred from as_of."""
    tree = page.tree
    out: dict[str, date] = {}
    if tree is None:
        return out
    from auditor.network.urls import resolve

    limit = as_of + timedelta(days=FUTURE_GRACE_DAYS)
    for a in tree.iter("a"):
        href = a.get("href")
        if not href:
            continue
        row = row_of(a)
        if row is None or row.tag not in ROW_TAGS:
            continue
        title = _WS.sub(" ", a.text_content()).strip()
        rest = _WS.sub(" ", row.text_content()).replace(title, " ", 1) if title else ""
        m = _MD_ONLY.match(rest)
        if not m:
            continue
        url = resolve(page.final_url, href)
        if not url:
            continue
        mo, dd = int(m.group(1)), int(m.group(2))
        for year in (as_of.year, as_of.year - 1):
            try:
                d = date(year, mo, dd)
            except ValueError:
                d = None
                break
            if d <= limit:
                break
        if d:
            out.setdefault(url, d)
    return out


def resolve_items(snap, page, items=None) -> list[Dated]:
    """Every item listed on ``page`` (or ``items`` of it) with its resolved date and state."""
    if items is None:
        return _page_resolved(snap, page)
    return _resolve(snap, page, items)


@view
def _page_resolved(snap, page) -> list[Dated]:
    """resolve_items of the page's own rows, once per audit."""
    return _resolve(snap, page, page_items(page, snap.as_of))


def _resolve(snap, page, raw) -> list[Dated]:
    as_of = snap.as_of
    limit = as_of + timedelta(days=FUTURE_GRACE_DAYS)
    out: list[Dated] = []
    seen: set[str] = set()
    # Month-day rows are looked for only on lists without full dates (the tree may be re-parsed).
    md: dict[str, date] | None = {} if sum(1 for i in raw if i.date_source == "row") >= 3 else None
    for item in raw:
        if item.url in seen or item.url in (page.url, page.final_url) or is_pagination(item.url):
            continue
        seen.add(item.url)
        if item.date is not None:
            source = "row" if item.date_source == "row" else "url"
            state = "future" if item.date > limit else "dated"
            if state == "dated" and not same_site(snap, item.url) and source == "url":
                state = "external"
            elif source == "row" and len(item.title) < MIN_HEADLINE \
                    and _resolve_undated(snap, item, as_of)[0] in ("link", "nav", "external"):
                # "今天是2026年11月20日 … 网站地图": a date beside a short nav link is not an item's date.
                state = "nav"
            out.append(Dated(item.url, item.title, item.date, source, state, page.final_url))
            continue
        state, d, source = _resolve_undated(snap, item, as_of)
        if state in ("unresolved", "undated", "nav"):
            if md is None:
                md = md_dates(page, as_of)
            if item.url in md and same_site(snap, item.url):
                state, d, source = "dated", md[item.url], "row-md"
        if state == "dated" and d > limit:
            state = "future"
        out.append(Dated(item.url, item.title, d, source, state, page.final_url))
    return out


# -- script-built lists ----------------------------------------------------------------
def script_hints(page, profile=None) -> list[str]:
    """Signs that a page's list is rendered by scripts: ajax calls, templates, JCMS datastores."""
    hints = None
    if profile is not None:
        hints = profile.keywords("script_list_hints") or None
    hints = [h.lower() for h in (hints or DEFAULT_SCRIPT_HINTS)]
    found: list[str] = []
    facts = page.facts
    scripts = " ".join(facts.inline_scripts).lower() if facts is not None else ""
    for h in hints:
        if h in scripts:
            found.append(h)
    html = page.html.lower()
    for h in ("v-for=", "ng-repeat", ":data-source", "<datastore", "{{"):
        if h in html and h not in found and (h != "{{" or "}}" in html):
            found.append(h)
    return found[:6]


# -- columns -----------------------------------------------------------------------------
@dataclass
class FreshColumn:
    url: str
    name: str
    name_source: str
    depth: int | None
    klass: str | None
    max_age_days: int | None
    origin: str  # found | dateless-list | profile
    items: list[Dated] = field(default_factory=list)
    says_empty: bool = False
    crawled: bool = True
    status: int | None = None
    first_level: bool | None = None  # set by the profile for a named column
    script: list[str] = field(default_factory=list)
    crumbs: list[str] = field(default_factory=list)
    notice: str = ""  # the page's "no content" notice (此栏目暂无内容 …)

    @property
    def dated(self) -> list[Dated]:
        return [i for i in self.items if i.state == "dated"]

    @property
    def newest(self) -> Dated | None:
        dated = self.dated
        return max(dated, key=lambda i: i.date) if dated else None

    def age_days(self, as_of: date) -> int | None:
        n = self.newest
        return (as_of - n.date).days if n else None

    def undated_above_newest(self) -> list[Dated]:
        """Rows listed above the first dated one whose articles were not crawled.

        Lists run newest first, so on a list without dates in its rows those rows may be
        newer than anything we could date. Lists with dated rows are read as they are.
        """
        if self.origin == "found":
            return []
        out = []
        for i in self.items:
            if i.state == "dated":
                break
            if i.state == "unresolved":
                out.append(i)
        return out

    @property
    def info_items(self) -> list[Dated]:
        """Items that are information (not nav links, not other sites)."""
        return [i for i in self.items if i.state in ("dated", "undated", "unresolved", "future")]

    @property
    def blank(self) -> bool:
        """空白栏目: says it has nothing (or, when named in the profile, lists nothing)."""
        if not self.crawled or self.info_items:
            return False
        return self.says_empty or self.origin == "profile"


def _named(profile) -> dict[str, dict]:
    raw = profile.get("columns.named", {}) or {}
    out = {}
    for name, spec in raw.items():
        if isinstance(spec, str):
            spec = {"url": spec}
        if isinstance(spec, dict) and isinstance(spec.get("url"), str) and spec["url"].strip():
            out[str(name)] = spec
    return out


@view
def fresh_columns(snap, profile) -> list[FreshColumn]:
    """The columns the freshness checks judge: found, date-less lists and profile-named.

    Which columns: the profile's [columns] ``named_only`` (judge only [columns.named]) and
    ``max_depth`` (how deep date-less lists are looked for).
    """
    named = _named(profile)
    named_only = bool(profile.get("columns.named_only", False))
    max_depth = int(profile.get("columns.max_depth", SCAN_DEPTH))
    classes = profile.get("columns.classes", {}) or {}

    out: dict[str, FreshColumn] = {}
    named_urls = {}
    for name, spec in named.items():
        url = normalize(spec["url"].strip()) or spec["url"].strip()
        named_urls[url] = (name, spec)

    found = columns_of(snap, profile)
    if not named_only:
        for c in found:
            if c.url in named_urls:
                continue
            page = lookup(snap, c.url)
            fc = FreshColumn(c.url, c.name, c.name_source, c.depth, c.klass, c.max_age_days, "found",
                             says_empty=c.empty, crawled=True, status=page.status if page else None,
                             notice=c.notice)
            # The column's own items: side boxes (最新信息 on every column page) left out.
            own = c.items if page is not None and len(c.items) != len(page_items(page, snap.as_of)) else None
            fc.items = resolve_items(snap, page, own) if page is not None else []
            out[c.url] = fc
        for fc in _dateless_lists(snap, profile, set(out) | set(named_urls), max_depth):
            out[fc.url] = fc

    for url, (name, spec) in named_urls.items():
        klass = spec.get("class")
        days = None
        if klass and klass in classes:
            days = classes[klass].get("max_age_days")
        elif klass:
            klass = None
        if not klass:
            klass, days = classify(name, profile)
        page = lookup(snap, url)
        crawled = page is not None and page.is_html and page.ok
        fc = FreshColumn(page.final_url if crawled else url, name, "profile", page.depth if page else None, klass,
                         int(days) if days is not None else None, "profile", crawled=crawled,
                         status=page.status if page is not None else None)
        if "first_level" in spec:
            fc.first_level = bool(spec["first_level"])
        if crawled:
            fc.items = resolve_items(snap, page)
            fc.says_empty = says_empty(page.text)
        out[fc.url] = fc

    cols = one_per_page(sorted(out.values(), key=lambda c: (c.depth if c.depth is not None else 9, c.url)))
    _merge_pagination(snap, cols)
    for c in cols:
        page = lookup(snap, c.url) if c.crawled else None
        if page is not None:
            c.crumbs = breadcrumb(page.text)
            if c.blank or (c.says_empty and not c.dated):
                c.script = script_hints(page, profile)
    return cols


def _dateless_lists(snap, profile, known: set, max_depth: int) -> list[FreshColumn]:
    """List pages whose rows show no dates (dates only in URLs or articles) and whose name classifies."""
    as_of = snap.as_of
    out = []
    for page in snap.pages.values():
        if not page.is_html or not page.ok or page.depth == 0 or page.depth > max_depth or snap.is_homepage_alias(page):
            continue
        if page.final_url in known or page.url in known or is_pagination(page.final_url):
            continue
        if is_article_page(page, as_of):
            continue
        items = scanned_items(snap, page)
        if items is None:
            continue  # find_columns reads every page up to depth 3; deeper pages are not re-parsed
        if sum(1 for i in items if i.date_source == "row") >= 3:
            continue  # a dated list that columns_of judged (or left out on purpose)
        candidates = [i for i in items if i.date is not None or len(i.title) >= MIN_HEADLINE]
        if len(candidates) < 3:
            continue
        name, source = column_name(snap, page, max_referrers=30)
        klass, days = classify(name, profile)
        if klass is None:
            continue
        resolved = resolve_items(snap, page)
        info = [i for i in resolved if i.state in ("dated", "undated", "unresolved")]
        if len(info) < 3:
            continue
        out.append(FreshColumn(page.final_url, name, source, page.depth, klass, days, "dateless-list",
                               items=resolved, says_empty=False, crawled=True, status=page.status))
    return out


def _merge_pagination(snap, cols: list[FreshColumn]) -> None:
    """Add the dated rows of a column's crawled later pages (TRS index_1.html …) to the column."""
    by_dir: dict[str, list] = {}
    for page in snap.pages.values():
        if page.is_html and page.ok and is_pagination(page.final_url):
            base = page.final_url.split("?", 1)[0]
            by_dir.setdefault(base[: base.rfind("/") + 1], []).append(page)
    if not by_dir:
        return
    for c in cols:
        if not c.crawled or "?" in c.url:
            continue
        directory = c.url[: c.url.rfind("/") + 1]
        for page in by_dir.get(directory, ()):
            have = {i.url for i in c.items}
            c.items = c.items + [i for i in resolve_items(snap, page) if i.url not in have and i.state == "dated"]


def class_title(profile, klass: str | None) -> str:
    if not klass:
        return "未分类"
    return str((profile.get("columns.classes", {}) or {}).get(klass, {}).get("title", klass))
