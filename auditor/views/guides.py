"""Shared logic of the 办事服务 checks: the 办事服务 column, the 办事指南 pages, their
重点要素 and their 办理流程图. A view module.

A guide page is found by what it holds — labelled sections naming at least three of
the ten 重点要素类别 (two of them core: 设定依据, 申请条件, 办理材料, 办理流程) — or by
its name (办事指南 / 服务指南 / 行政许可 in its title, ColumnName, breadcrumb or the
link text leading to it) with at least two. Listing pages (linking to three or more
guides) are not guides. Everything is computed once per snapshot and cached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from auditor.views.evidence import Evidence, T
from auditor.views.listing import says_empty
from auditor.network.urls import host_of, is_attachment, resolve

from auditor.views.page_text import compact, link_state
from auditor.views.disclosure import crawl_was_cut, crumbs_of, find_named, html_page, is_thin
from auditor.views.cache import view
from auditor.views.labelled import IMG_TOKEN, Vocabulary, is_empty_value, lines_of, page_pairs

GUIDES_ID = "services.guides"
ELEMENTS_ID = "services.guide-elements"
FLOWCHART_ID = "services.flowchart"

# The 10 重点要素类别 of the 2019 服务不实用 veto (docs/rules.md#R-veto-guide-elements): the first four names
# are verified (✅), the other six are recalled (❓) — all of them are profile data
# ([checks."services.guide-elements".elements]); these are the defaults.
DEFAULT_ELEMENTS: dict[str, list[str]] = {
    "事项名称": ["事项名称", "项目名称", "许可事项名称", "审批事项名称", "服务事项名称", "事项全称", "业务名称", "事项名"],
    "设定依据": ["设定依据", "审批依据", "实施依据", "法律依据", "法定依据", "许可依据", "办理依据", "受理依据",
             "政策依据", "设立依据", "法律法规依据", "依据"],
    "申请条件": ["申请条件", "受理条件", "办理条件", "许可条件", "申报条件", "准予许可的条件", "申请人条件", "受理标准"],
    "办理材料": ["办理材料", "申请材料", "申报材料", "提交材料", "所需材料", "申请资料", "材料目录", "办事材料",
             "材料清单", "需提交材料", "申请材料目录", "所需资料"],
    "办理地点": ["办理地点", "办公地址", "受理地点", "办理地址", "受理地址", "办事地点", "窗口地址", "服务地点",
             "受理窗口", "办理窗口", "地址", "办公地址和时间", "办理地点和时间", "办理地点及时间", "办公地址及时间"],
    "办理机构": ["办理机构", "受理机构", "实施机关", "实施主体", "实施机构", "实施部门", "办理部门", "受理部门",
             "决定机构", "审批机关", "审批部门", "办理单位", "受理单位", "责任部门", "权力部门"],
    "收费标准": ["收费标准", "收费依据及标准", "收费依据和标准", "是否收费", "收费依据", "收费情况", "收费项目",
             "收费说明"],
    "办理时间": ["办理时间", "办公时间", "受理时间", "工作时间", "服务时间", "窗口办公时间", "办公地址和时间",
             "办理地点和时间", "办理地点及时间", "办公地址及时间"],
    "联系电话": ["联系电话", "咨询电话", "咨询方式", "咨询途径", "联系方式", "咨询渠道", "办事咨询", "咨询查询",
             "咨询"],
    "办理流程": ["办理流程", "办理程序", "办理基本流程", "办事流程", "审批流程", "受理流程", "办理步骤", "审批程序",
             "工作流程", "业务流程", "许可程序", "流程图", "办理流程图"],
}
CORE = ("设定依据", "申请条件", "办理材料", "办理流程")
# Section labels of guides that are none of the ten: they end the previous section's value.
DEFAULT_BOUNDARIES = ["办理时限", "承诺时限", "法定时限", "承诺办结时限", "法定办结时限", "办结时限", "监督投诉", "投诉渠道",
                      "监督投诉渠道", "投诉电话", "监督电话", "事项类型", "事项类别", "审查类型", "事项审查类型", "办理方式",
                      "办件类型", "数量限制", "审批数量", "结果名称", "审批结果", "办理结果", "结果送达", "送达方式",
                      "申请人权利和义务", "权利和义务", "适用范围", "服务对象", "中介服务", "特别程序", "常见问题",
                      "申请材料示范文本", "表格下载", "样表下载", "基本编码", "实施编码", "事项编码", "公开查询",
                      "网上办理", "是否网办", "到现场次数", "行使层级", "承诺件", "决定机构"]
DEFAULT_EMPTY = ["无", "暂无", "—", "——", "-", "--", "/", "空", "略", "待定", "待补充", "暂缺", "未公布", "null", "none",
                 "n/a", "详见"]
DEFAULT_NONE_IS_ANSWER = ["收费标准"]
DEFAULT_COLUMN_KEYWORDS = ["办事服务", "政务服务", "网上办事", "办事指南", "服务指南", "行政许可", "审批服务", "便民服务",
                           "在线办事", "办事大厅"]
DEFAULT_GUIDE_KEYWORDS = ["办事指南", "服务指南", "行政许可", "审批事项", "政务服务事项", "许可事项"]
# Pages whose title, ColumnName/ArticleTitle or last breadcrumb has one of these are not guides.
DEFAULT_EXCLUDE = ["信息公开指南", "依申请公开", "年度报告", "年报", "信访", "领导信箱", "留言", "解读"]
DEFAULT_FLOWCHART_MARKERS = ["流程图", "流程示意图", "liuchengtu", "lct", "flowchart", "flow_chart", "flow-chart"]
MIN_ELEMENTS = 3
LISTING_MIN_GUIDES = 3
# A cheap first filter on the page text: a guide mentions at least two of these.
_CHEAP = ("材料", "条件", "依据", "流程", "程序", "地点", "地址", "收费", "电话", "时间", "机构", "机关")
_SERVICE_WORDS = ("办事", "指南", "事项", "服务", "许可", "申报", "审批")


def services_enabled(profile) -> bool:
    """2019 指标说明 (🟡): 国务院部门 without 对外服务职能 are not inspected on 办事服务."""
    return bool(profile.get("services.external_services", True))


@dataclass(frozen=True)
class GuideSettings:
    """How the guides are found and read: the scan's parameters (hashable: a view's key).

    The defaults are the built-in words; the services checks build one from their settings
    (auditor.checking.view_settings.guide_settings) and all three share the one scan.
    """

    column_keywords: tuple[str, ...] = tuple(DEFAULT_COLUMN_KEYWORDS)
    column_exclude: tuple[str, ...] = ("信息公开", "年报")
    guide_keywords: tuple[str, ...] = tuple(DEFAULT_GUIDE_KEYWORDS)
    exclude: tuple[str, ...] = tuple(DEFAULT_EXCLUDE)
    min_elements: int = MIN_ELEMENTS
    elements: tuple[tuple[str, tuple[str, ...]], ...] = tuple((k, tuple(v)) for k, v in DEFAULT_ELEMENTS.items())
    boundaries: tuple[str, ...] = tuple(DEFAULT_BOUNDARIES)
    empty_values: tuple[str, ...] = tuple(DEFAULT_EMPTY)
    none_is_answer: tuple[str, ...] = tuple(DEFAULT_NONE_IS_ANSWER)
    markers: tuple[str, ...] = tuple(DEFAULT_FLOWCHART_MARKERS)

    @property
    def elements_table(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.elements}


def elements_table(settings: GuideSettings) -> dict[str, list[str]]:
    return settings.elements_table


def vocabulary(settings: GuideSettings) -> Vocabulary:
    return Vocabulary(settings.elements_table, list(settings.boundaries))


# -- the guides --------------------------------------------------------------------------
@dataclass
class Element:
    category: str
    label: str = ""  # as written on the page ("标题" when taken from the title)
    value: str = ""
    state: str = "missing"  # present | empty | missing


@dataclass
class Guide:
    url: str
    title: str
    named: bool  # named as a guide (title, ColumnName, breadcrumb, link text)
    labelled: int = 0  # categories with a labelled section (the title not counted)
    core: int = 0  # of them, among 设定依据/申请条件/办理材料/办理流程
    elements: dict[str, Element] = field(default_factory=dict)
    flowcharts: list[tuple[str, str, str]] = field(default_factory=list)  # (url, how, state)

    @property
    def present(self) -> list[str]:
        return [c for c, e in self.elements.items() if e.state == "present"]

    @property
    def missing(self) -> list[str]:
        return [c for c, e in self.elements.items() if e.state != "present"]

    def missing_text(self) -> str:
        parts = []
        for c, e in self.elements.items():
            if e.state == "empty":
                parts.append(f"{c}（“{e.label}”内容为“{clip(e.value, 8) or '空'}”）")
            elif e.state == "missing":
                parts.append(c)
        return "、".join(parts)

    @property
    def has_flowchart(self) -> bool:
        return any(state != "dead" for _u, _h, state in self.flowcharts)


@dataclass
class ServiceScan:
    column: object = None  # Named, or None
    column_page: object = None  # the crawled column page, when readable
    column_external: bool = False  # the column lives on another host (a 政务服务网)
    guides: list[Guide] = field(default_factory=list)
    listings: list[tuple[str, int]] = field(default_factory=list)  # (url, guides linked)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # guide files: (url, link text)
    uncrawled: list[str] = field(default_factory=list)  # linked guide-like pages the crawl did not read
    external_links: list[tuple[str, str]] = field(default_factory=list)  # column links to other hosts
    crawl_cut: bool = False


def clip(text: str, n: int = 60) -> str:
    text = " ".join((text or "").replace(IMG_TOKEN, "[图]").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _context(page, whole_crumb: bool = True) -> str:
    """Title, ColumnName/ColumnType/ArticleTitle and breadcrumb (or its last part) of a page, folded."""
    meta = page.meta
    crumbs = crumbs_of(page)
    parts = [page.title, meta.get("columnname", ""), meta.get("columntype", ""), meta.get("articletitle", ""),
             " ".join(crumbs if whole_crumb else crumbs[-1:])]
    return compact(" ".join(parts))


def _inlink_texts(snap, page) -> str:
    texts = []
    for ref in snap.inlinks.get(page.url, ())[:20]:
        src = snap.pages.get(ref)
        if src is None or src.facts is None:
            continue
        texts += [l.text for l in src.links if l.url in (page.url, page.final_url) and l.text]
    return compact(" ".join(texts))


def label_regex(table: dict[str, list[str]]) -> tuple[tuple[re.Pattern, re.Pattern], dict[str, str]]:
    """Regexes finding synonyms written as labels in a page's visible text (text nodes are joined
    with spaces: "四、申请条件 有住所", "申请条件：", "【设定依据】"), and synonym -> category.

    A label stands at the start of the text or after a delimiter. The delimiter is matched (not
    looked behind at), so the regex engine jumps from delimiter to delimiter instead of trying
    every synonym at every character: 2.4× faster on 2,000 pages, and the same labels
    (``labels_in``)."""
    syn = {s: c for c, ss in table.items() for s in ss if len(s) >= 3}
    words = tuple(sorted(syn, key=len, reverse=True))  # the longest synonym at a place wins
    alt = "|".join(re.escape(s) for s in words)
    after = r"(?=\s*[:：]|[\s】\]」]|$)"
    return (re.compile(rf"[\s、.．)）】\]【\[「]({alt}){after}"), re.compile(rf"({alt}){after}")), syn


def labels_in(text: str, patterns: tuple[re.Pattern, re.Pattern]) -> set[str]:
    """The synonyms ``text`` writes as labels."""
    delimited, first = patterns
    found = set(delimited.findall(text))
    m = first.match(text)
    if m:
        found.add(m.group(1))
    return found


def _prefilter(page, patterns, syn: dict[str, str]) -> int:
    """How many categories the page text shows as labels: a cheap first look before parsing."""
    text = page.text
    if sum(1 for w in _CHEAP if w in text) < 2:
        return 0
    return len({syn[m] for m in labels_in(text, patterns)})


@view
def scan(snap, profile, settings: GuideSettings = GuideSettings()) -> ServiceScan:
    """The guides of the site, once per audit and settings."""
    return _scan(snap, profile, settings)


def _scan(snap, profile, settings: GuideSettings) -> ServiceScan:
    out = ServiceScan(crawl_cut=crawl_was_cut(snap))
    vocab = vocabulary(settings)
    table = settings.elements_table
    guide_words = [compact(w) for w in settings.guide_keywords]
    exclude = [compact(w) for w in settings.exclude]
    min_elements = int(settings.min_elements)
    patterns, syn = label_regex(table)
    empty_values = list(settings.empty_values)
    none_ok = set(settings.none_is_answer)
    markers = list(settings.markers)

    _find_column(snap, profile, out, settings)
    home = snap.homepage
    guides: dict[str, Guide] = {}
    for page in snap.html_pages():
        if page is home or page.depth == 0:
            continue
        # Each context once per page, not once per word (2,000 pages × a dozen words).
        last_crumb = _context(page, whole_crumb=False)
        if any(x in last_crumb for x in exclude):
            continue
        context = _context(page)
        named = any(w in context for w in guide_words)
        if _prefilter(page, patterns, syn) < (1 if named else 2):
            continue
        if not named:
            named = any(w in _inlink_texts(snap, page) for w in guide_words)
        found = page_pairs(page, vocab)
        cats = {c for p in found for c in p.categories}
        core = sum(1 for c in CORE if c in cats)
        if not ((len(cats) >= min_elements and core >= 2) or (named and len(cats) >= 2 and core >= 1)):
            continue
        if page.final_url in guides:
            continue
        g = guides[page.final_url] = _guide(snap, page, found, table, named, empty_values, none_ok, markers)
        g.labelled, g.core = len(cats), core

    # Listing pages: pages linking to guides; a "guide" linking to several guides is a listing.
    linked: dict[str, int] = {}
    # Every URL that is a guide or lands on one, so each link is one set lookup.
    to_guide = set(guides) | {u for u, p in snap.pages.items() if p.final_url in guides} if guides else set()
    for page in snap.html_pages() if guides else ():
        n = len({l.url for l in page.links if l.url in to_guide and l.url != page.url and l.tag in ("a", "area")})
        if n:
            linked[page.final_url] = n
    for url, n in linked.items():
        g = guides.get(url)
        # A page listing guides, unless it is a full guide itself (with a "related guides" box).
        if g is not None and n >= LISTING_MIN_GUIDES and not (g.labelled >= min_elements and g.core >= 2):
            del guides[url]
    out.guides = sorted(guides.values(), key=lambda g: g.url)
    out.listings = sorted(((u, n) for u, n in linked.items() if u not in guides and
                           (home is None or u != home.final_url)), key=lambda x: (-x[1], x[0]))
    _column_links(snap, profile, out, guide_words)
    return out


def _final(snap, url: str) -> str:
    page = snap.pages.get(url)
    return page.final_url if page is not None else url


def _guide(snap, page, found, table, named, empty_values, none_ok, markers) -> Guide:
    title = page.meta.get("articletitle") or next(iter(page.facts.headings), "") or page.title
    g = Guide(page.final_url, clip(title, 40), named)
    for cat in table:
        g.elements[cat] = Element(cat)
    for p in found:
        for cat in p.categories:
            e = g.elements[cat]
            if e.state == "present":
                continue
            empties = [v for v in empty_values if not (cat in none_ok and compact(v) == "无")]
            state = "empty" if is_empty_value(p.value, empties) else "present"
            if e.state == "missing" or state == "present":
                g.elements[cat] = Element(cat, p.label, p.value, state)
    name_cat = next(iter(table), None)
    if name_cat is not None and g.elements[name_cat].state == "missing" and title:
        # The guide's title names the item (事项名称) when no section does.
        g.elements[name_cat] = Element(name_cat, "标题", clip(title, 40), "present")
    g.flowcharts = _flowcharts(snap, page, found, markers)
    return g


_MARKER_SPLIT = re.compile(r"[^a-z0-9]+")


def _marked(text: str, markers: list[str]) -> bool:
    """A flowchart marker in an alt text or link label (流程图), or a file name token (lct1.png)."""
    low = text.lower()
    for m in markers:
        if not m:
            continue
        if re.search(r"[\u4e00-\u9fff]", m):
            if m in text:
                return True
        else:
            name = low.rsplit("/", 1)[-1]
            if any(tok == m or (tok.startswith(m) and tok[len(m):].isdigit()) for tok in _MARKER_SPLIT.split(name)):
                return True
    return False


def _flowcharts(snap, page, found, markers) -> list[tuple[str, str, str]]:
    """Flowcharts of a guide: (url, how, link state)."""
    out: dict[str, tuple[str, str]] = {}
    for p in found:
        in_flow_section = "流程" in p.key
        for src, alt, title in p.imgs:
            if not src:
                continue
            if _marked(f"{alt} {title}", markers) or _marked(src, markers):
                out.setdefault(src, ("img", f"图片 alt=“{alt or title}”" if (alt or title) else f"图片 {src.rsplit('/', 1)[-1]}"))
            elif in_flow_section:
                out.setdefault(src, ("img", f"“{p.label}”部分的图片"))
    for line in lines_of(page):
        for src, alt, title in line.imgs:
            if src and src not in out and (_marked(f"{alt} {title}", markers) or _marked(src, markers)):
                out[src] = ("img", f"图片 alt=“{alt or title}”" if (alt or title) else f"图片 {src.rsplit('/', 1)[-1]}")
        for href, text in line.links:
            if href and not href.startswith(("javascript:", "#")) and href not in out and \
                    (_marked(text, [m for m in markers if re.search(r"[\u4e00-\u9fff]", m)]) or _marked(href, markers)):
                out[href] = ("link", f"链接“{text or href.rsplit('/', 1)[-1]}”")
    result = []
    for raw, (kind, how) in out.items():
        url = resolve(page.final_url, raw) or raw
        state, _reason = link_state(snap.status_of(url)) if url.startswith("http") else ("unknown", "")
        result.append((url, how, state))
    return result


# -- the 办事服务 column -------------------------------------------------------------------
def _find_column(snap, profile, out: ServiceScan, settings: GuideSettings) -> None:
    words = list(settings.column_keywords)
    exclude = list(settings.column_exclude)
    named = find_named(snap, profile, "services", words, exclude)
    home = snap.homepage
    home_url = home.final_url if home is not None else ""
    # The profile's column first, then one the homepage links to.
    named.sort(key=lambda n: 0 if n.how == "profile" else 1 if (n.how == "link" and n.where == home_url) else 2)
    for n in named:
        page = html_page(snap, n.url)
        if page is not None and page is home:
            continue
        out.column = n
        out.column_external = not snap.in_site(n.url)
        out.column_page = page if page is not None and (not is_thin(page) or says_nothing(page.text)) else None
        return


_SAYS_NOTHING = re.compile(r"暂无.{0,10}(?:信息|内容|数据|事项|指南|记录)|没有.{0,6}(?:事项|指南)")


def says_nothing(text: str) -> bool:
    """A page that says it is empty (暂无办事指南信息): read, not script-built, even when short."""
    return says_empty(text) or bool(_SAYS_NOTHING.search(text))


def _column_links(snap, profile, out: ServiceScan, guide_words) -> None:
    """Attachments named as guides, uncrawled guide-like links and external platform links of the column."""
    pages = []
    if out.column_page is not None:
        pages.append(out.column_page)
    pages += [html_page(snap, u) for u, _n in out.listings[:5]]
    seen = set()
    guide_urls = {g.url for g in out.guides}
    for page in pages:
        if page is None:
            continue
        for link in page.links:
            if link.tag not in ("a", "area") or link.url in seen or link.url.startswith(("javascript:", "mailto:")):
                continue
            seen.add(link.url)
            text = compact(link.text)
            if is_attachment(link.url):
                if any(w in text for w in guide_words) or "指南" in text:
                    out.attachments.append((link.url, link.text))
                continue
            if not snap.in_site(link.url):
                if any(w in text for w in _SERVICE_WORDS) or any(w in text for w in guide_words):
                    out.external_links.append((link.url, link.text))
                continue
            if link.url in guide_urls or _final(snap, link.url) in guide_urls:
                continue
            if snap.page(link.url) is None and ("指南" in text or any(w in text for w in guide_words)):
                out.uncrawled.append(link.url)


def platform_hosts(scan_: ServiceScan) -> list[str]:
    """Hosts of the column's links to other sites (a 政务服务网 holding the guides)."""
    hosts: dict[str, int] = {}
    for url, _text in scan_.external_links:
        h = host_of(url)
        if h:
            hosts[h] = hosts.get(h, 0) + 1
    if scan_.column_external and scan_.column is not None:
        h = host_of(scan_.column.url)
        hosts[h] = hosts.get(h, 0) + 100
    return [h for h, _ in sorted(hosts.items(), key=lambda x: -x[1])]


def surely_none(scan_: ServiceScan) -> bool:
    """No guide, and the in-site 办事服务 column was read in full: nothing elsewhere to look at."""
    return (not scan_.guides and not scan_.attachments and scan_.column is not None and scan_.column_page is not None
            and not scan_.column_external and not scan_.uncrawled and not scan_.crawl_cut
            and not platform_hosts(scan_))


def column_evidence(scan_: ServiceScan) -> Evidence | None:
    if scan_.column is None:
        return None
    return scan_.column.evidence(T("办事服务栏目", "办事服务 column"))


