"""Shared logic of the disclosure family (政府信息公开条例 checks): where the
政府信息公开 column is, and which pages of the site carry a given name.

Pages are found by what the site calls them — link texts, ColumnName/ColumnType
meta tags, breadcrumbs (当前位置：首页 > 政府信息公开 > 政府信息公开指南) and page
titles — matched against keyword lists from the profile; a profile can also name a
page outright (``[columns] disclosure = "URL"``, ``[disclosure.pages] guide = "URL"``, or a
``[columns.named]`` entry whose name holds the keyword: ``"政府信息公开年报" = "URL"``).
The scans are views: computed once per audit (auditor.views.cache).

Also used by the services and interaction helpers: keep the signatures of
find_named, html_page, is_thin, main_text, crumbs_of and crawl_was_cut stable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from auditor.views.evidence import Evidence, T
from auditor.crawl.coverage import CAUSES
from auditor.views.cache import view
from auditor.views.columns import TITLE_SEP, breadcrumb
from auditor.network.urls import normalize

from auditor.views.page_text import compact, homepage_links, link_state

# -- link labels --------------------------------------------------------------------
DEFAULT_ROOT_KEYWORDS = ["政府信息公开", "信息公开", "政务公开", "政府公开"]
DEFAULT_SUFFIXES = ["专栏", "平台", "频道", "栏目", "网"]
PREFIX_ENDS = ("市", "省", "县", "区", "州", "旗", "盟", "部", "局", "委", "厅", "办", "人民")
_PUNCT = re.compile(r"[\s>»›·|｜/\\\-_:：【】\[\]()<>《》\"'“”、，,。.（）!！?？~～…]+")
STATE_RANK = {"ok": 0, "unknown": 1, "suspect": 2, "dead": 3}
# A column name is short and names no document: no year, no 关于, no document-type ending.
MAX_LABEL = 16
_ARTICLE = re.compile(r"(?:19|20)\d{2}|关于|第.{1,3}[期号批]")
# Longer labels ending like a document title are articles, not columns ("双公示", "审批结果" are columns).
_ARTICLE_END = re.compile(r"(?:通知|公告|通告|意见|办法|决定|报告|公示|批复|函|会议|讲话|答复|方案|细则|规定|简章|名单|结果|"
                          r"咨询|建议|投诉|反映|问题|求助|举报|的)$")
# A keyword must make up this share of a longer label: "就业" does not name "灵活就业人员社保缴费基数咨询".
MIN_COVER = 0.3
SHORT_LABEL = 8
ARTICLE_END_FROM = 9


def label(text: str) -> str:
    """A link label folded for comparison: NFKC, no whitespace or punctuation."""
    return _PUNCT.sub("", compact(text))


def column_name(text: str, keywords: list[str], suffixes: list[str]) -> str | None:
    """The disclosure keyword a link label names, or None ("政府信息公开指南" is a sub-column)."""
    t = label(text)
    for k in sorted((label(k) for k in keywords), key=len, reverse=True):
        i = t.find(k)
        if i < 0:
            continue
        prefix, suffix = t[:i], t[i + len(k):]
        if suffix and suffix not in suffixes:
            continue
        if prefix and not (len(prefix) <= 10 and prefix.endswith(PREFIX_ENDS)):
            continue
        return k
    return None


def root_keywords(profile) -> tuple[list[str], set[str], list[str]]:
    """(keywords, canonical labels, suffixes) naming the 政府信息公开 column."""
    keywords = profile.keywords("disclosure_column") or DEFAULT_ROOT_KEYWORDS
    canonical = {label(k) for k in (profile.keywords("disclosure_column_canonical") or ["政府信息公开"])}
    suffixes = [label(s) for s in (profile.keywords("disclosure_column_suffixes") or DEFAULT_SUFFIXES)]
    return keywords, canonical, suffixes


def homepage_column_links(snap, profile, links=None) -> list[tuple[bool, str, str, object]]:
    """Links naming the 政府信息公开 column, best first: (canonical, state, reason, link)."""
    keywords, canonical, suffixes = root_keywords(profile)
    page = snap.homepage
    found, seen = [], set()
    for link in (page.links if links is None else links):
        if link.tag not in ("a", "area") or link.url in seen:
            continue
        name = column_name(link.text, keywords, suffixes)
        if name:
            seen.add(link.url)
            state, reason = link_state(snap.status_of(link.url))
            found.append((name in canonical, state, reason, link))
    found.sort(key=lambda f: (not f[0], STATE_RANK[f[1]]))
    return found


def _url_of(spec) -> str | None:
    if isinstance(spec, dict):
        spec = spec.get("url")
    if isinstance(spec, str) and spec.strip():
        return normalize(spec.strip()) or spec.strip()
    return None


def configured_urls(profile, key: str | None, keywords=(), exclude=()) -> list[tuple[str, str]]:
    """Pages the profile names, as (url, name):

    * ``[disclosure.pages] <key> = "URL"`` (guide, catalogue, annual_report, on_request, policy,
      interpretation, a key area's key; ``disclosure`` for the column itself, as ``[columns] disclosure``);
    * ``[columns.named]`` entries (shared with the freshness checks: ``"名称" = "URL"`` or
      ``{ url = "URL", … }``) whose name holds one of ``keywords`` and none of ``exclude``.
    """
    out: list[tuple[str, str]] = []
    if key:
        url = _url_of(profile.get(f"disclosure.pages.{key}"))
        if url is None and key == "disclosure":
            url = _url_of(profile.get("columns.disclosure"))
        if url:
            out.append((url, key))
    named = profile.get("columns.named", {})
    if keywords and isinstance(named, dict):
        keys = [label(k) for k in keywords if k]
        excl = [label(x) for x in exclude if x]
        for name, spec in named.items():
            n = label(str(name))
            url = _url_of(spec)
            if url and any(k in n for k in keys) and not any(x in n for x in excl):
                out.append((url, str(name)))
    return out


def configured_url(profile, key: str) -> str | None:
    """The URL of the 政府信息公开 column (or another page) set in the profile, if any."""
    if key == "disclosure":
        for url, name in configured_urls(profile, key):
            return url
        named = profile.get("columns.named", {})
        if isinstance(named, dict):
            keywords = profile.keywords("disclosure_column_canonical") or ["政府信息公开"]
            suffixes = [label(s) for s in (profile.keywords("disclosure_column_suffixes") or DEFAULT_SUFFIXES)]
            for name, spec in named.items():
                if column_name(str(name), keywords, suffixes) and _url_of(spec):
                    return _url_of(spec)
        return None
    found = configured_urls(profile, key)
    return found[0][0] if found else None


def html_page(snap, url: str):
    """The crawled, readable HTML page at ``url`` (or reached from it by redirect), else None."""
    page = snap.page(url)
    if page is not None and page.is_html and page.ok:
        return page
    return None


THIN_TEXT = 80


def is_thin(page) -> bool:
    """A page with almost no static text or links: probably built by scripts we did not run."""
    if page is None:
        return True
    return len(page.text) < THIN_TEXT and not page.forms and sum(1 for l in page.links if l.tag == "a") < 5


@view
def crumbs_of(page) -> list[str]:
    """The page's breadcrumb."""
    return breadcrumb(page.text)


def not_fetched_reason(snap, url: str) -> str:
    """Why the crawl has no page for ``url`` (Snapshot.why_not_fetched, all URLs, not a sample)."""
    cause = snap.why_not_fetched(url)
    if cause is None and not snap.in_site(url):
        cause = "off_site"
    if cause in CAUSES:
        zh, en = CAUSES[cause]
        return f"未抓取：{zh} / not fetched: {en}"
    return "未抓取（超出抓取深度或页面数上限）/ not fetched (crawl limits)"


def crawl_was_cut(snap) -> bool:
    """Whether the crawl left pages of the site unvisited (page cap, depth, time budget, traps, robots …)."""
    return bool(snap.partial or not snap.coverage.complete)


# -- the 政府信息公开 column ----------------------------------------------------------
@dataclass
class Root:
    """Where the 政府信息公开 column is, and whether the crawl read it."""

    url: str | None = None
    text: str = ""
    source: str = ""  # profile | homepage | site-link | breadcrumb
    reason: str = ""  # link state of the URL
    page: object = None  # the crawled Page, when readable
    section: frozenset = field(default_factory=frozenset)  # page URLs inside the column

    @property
    def found(self) -> bool:
        return self.url is not None

    @property
    def crawled(self) -> bool:
        return self.page is not None and not is_thin(self.page)

    def evidence(self) -> Evidence:
        return Evidence(self.url or "", f"“{self.text}” → {self.reason}".strip(" →"),
                        T("政府信息公开栏目", "政府信息公开 column"))


@view
def disclosure_root(snap, profile) -> Root:
    """The 政府信息公开 column: profile setting, homepage link, a nav link on inner pages,
    or a page whose ColumnName/breadcrumb says it is the column."""
    root = _find_root(snap, profile)
    if root.url is not None:
        root.page = html_page(snap, root.url)
        if snap.page(root.url) is None:
            root.reason = not_fetched_reason(snap, root.url)
        root.section = frozenset(_section(snap, profile, root))
    return root


def _find_root(snap, profile) -> Root:
    url = configured_url(profile, "disclosure")
    if url:
        _, reason = link_state(snap.status_of(url))
        return Root(url, url, "profile", reason)
    home = snap.homepage
    if home is None or home.facts is None:
        return Root()
    found = homepage_column_links(snap, profile, homepage_links(snap))
    if found:
        _, _, reason, link = found[0]
        return Root(link.url, link.text, "homepage", reason)
    # Script-built homepage nav: the same nav is often static on the inner pages.
    for page in sorted((p for p in snap.html_pages() if p.depth == 1), key=lambda p: p.url):
        found = homepage_column_links(snap, profile, page.links)
        if found:
            _, _, reason, link = found[0]
            return Root(link.url, link.text, "site-link", reason)
    keywords, _, suffixes = root_keywords(profile)
    for page in sorted(snap.html_pages(), key=lambda p: (p.depth, p.url)):
        name = page.meta.get("columnname", "")
        crumbs = crumbs_of(page)
        if (name and column_name(name, keywords, suffixes)) or \
                (len(crumbs) == 2 and column_name(crumbs[-1], keywords, suffixes)):
            return Root(page.final_url, name or crumbs[-1], "breadcrumb", f"HTTP {page.status}")
    return Root()


def _dir_of(url: str) -> str:
    path = urlsplit(url).path
    return path[: path.rfind("/") + 1] or "/"


def _section(snap, profile, root: Root) -> set[str]:
    """Page URLs inside the column: under its directory, linked from it, or with it in their breadcrumb."""
    keywords, _, suffixes = root_keywords(profile)
    out: set[str] = set()
    base = _dir_of(root.page.final_url if root.page is not None else root.url)
    host = urlsplit(root.url).netloc
    if root.page is not None:
        out.add(root.page.final_url)
        out.update(l.url for l in root.page.links if l.tag in ("a", "area"))
    for page in snap.html_pages():
        parts = urlsplit(page.final_url)
        if base != "/" and parts.netloc == host and parts.path.startswith(base):
            out.add(page.url)
            out.add(page.final_url)
            continue
        crumbs = crumbs_of(page)
        if any(column_name(c, keywords, suffixes) for c in crumbs[1:3]):
            out.add(page.url)
            out.add(page.final_url)
    return out


# -- finding pages by name ----------------------------------------------------------
# How a site names its 政府信息公开指南 (the defaults of disclosure.guide's keywords/exclude; the
# on-request check reads the guide too, for how to apply).
GUIDE_KEYWORDS = ["政府信息公开指南", "信息公开指南", "政务公开指南", "公开指南"]
GUIDE_EXCLUDE = ["办事指南", "服务指南", "依申请公开指南"]


@dataclass(frozen=True)
class Named:
    """A page the site names with a label: the link target, or the page carrying the meta/breadcrumb/title."""

    url: str
    text: str
    how: str  # link | meta | breadcrumb | title | profile
    where: str  # the page the label was seen on

    def evidence(self, note: T | str = "") -> Evidence:
        how = {"link": "链接文字", "meta": "ColumnName/ColumnType 标签", "breadcrumb": "页面位置导航",
               "title": "页面标题", "profile": "检查配置"}.get(self.how, self.how)
        return Evidence(self.url, f"{how}：“{self.text}”" + (f"（见 {self.where}）" if self.how == "link" else ""),
                        note or T("找到的页面", "page found"))


HOW_RANK = {"profile": 0, "link": 1, "meta": 2, "breadcrumb": 3, "title": 4}


def site_name(snap) -> str:
    """The site's name, folded: the SiteName meta tag or the homepage title's first part."""
    home = snap.homepage
    if home is None:
        return ""
    return label(home.meta.get("sitename", "") or TITLE_SEP.split(home.title or "")[0])


_TRAILING_NOTE = re.compile(r"\s*[（(【\[][^）)】\]]{0,20}[）)】\]]\s*$")
# The shortest unit name a long title starts with (示例县人民政府办公室, 示例县交通运输局).
_UNIT_PREFIX = re.compile(r"^.{2,20}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理局|局|委|厅|办)")


def unit_stripped(text: str, site: str) -> str:
    """A page's own title without a trailing note (（2024年修订）) and without the unit's name
    before it, folded; "" when nothing is left."""
    t = label(_TRAILING_NOTE.sub("", text or ""))
    if site and t.startswith(site) and len(t) > len(site) + 1:
        t = t[len(site):]
    elif len(t) > MAX_LABEL:
        m = _UNIT_PREFIX.match(t)
        if m and len(t) - m.end() >= 2:
            t = t[m.end():]
    return t


@view
def label_index(snap) -> dict[str, list[tuple[str, str, str, str]]]:
    """Folded short label -> [(url, raw text, how, where)], over every crawled page."""
    index: dict[str, list] = {}
    seen: set = set()
    # raw text -> its folded label, or "" when it is no label (judged once per text: the same
    # navigation texts recur on every page, 200,000 links on 2,000 pages)
    folded: dict[str, str] = {}
    site = site_name(snap)

    def add(text: str, url: str, how: str, where: str) -> None:
        norm = folded.get(text)
        if norm is None:
            norm = label(text)
            if not (2 <= len(norm) <= MAX_LABEL) or _ARTICLE.search(norm) or \
                    (len(norm) >= ARTICLE_END_FROM and _ARTICLE_END.search(norm)):
                norm = ""
            folded[text] = norm
        if not norm:
            return
        k = (norm, url, how)
        if k in seen:
            return
        seen.add(k)
        index.setdefault(norm, []).append((url, text, how, where))

    for page in snap.html_pages():
        where = page.final_url
        for link in page.links:
            if link.tag in ("a", "area") and link.text:
                add(link.text, link.url, "link", where)
        for meta in ("columnname", "columntype"):
            value = page.meta.get(meta, "")
            for part in re.split(r"[,，;；]", value):
                if part.strip():
                    add(part.strip(), where, "meta", where)
        crumbs = crumbs_of(page)
        if len(crumbs) >= 2:
            add(crumbs[-1], where, "breadcrumb", where)
        for seg in TITLE_SEP.split(page.title or "")[:2]:
            if seg and label(seg) != site and label(seg) not in site:
                add(seg, where, "title", where)
                break
        # What the page says it is: ArticleTitle and <h1>, the unit's name before it left out
        # ("示例县人民政府办公室政府信息公开指南（2024年修订）" names a 政府信息公开指南).
        heads = page.facts.headings[:1] if page.facts is not None else ()
        for raw in (page.meta.get("articletitle", ""), *heads):
            name = unit_stripped(raw, site)
            if name:
                add(name, where, "title", where)
    return index


def find_named(snap, profile, key: str | None, keywords: list[str], exclude: list[str] = (),
               root: Root | None = None, exact: bool = False) -> list[Named]:
    """Pages the site names with one of ``keywords`` (none of ``exclude``), best first.

    Best: named in the profile, then inside the 政府信息公开 column, then a link
    label, then the label closest to the keyword.
    """
    out: list[Named] = [Named(url, name, "profile", "") for url, name in configured_urls(profile, key, keywords, exclude)]
    keys = [label(k) for k in keywords if k]
    excl = [label(x) for x in exclude if x]
    section = root.section if root is not None else frozenset()
    scored = []
    for norm, entries in label_index(snap).items():
        hit = next((k for k in keys if (norm == k if exact else k in norm)
                    and (len(norm) <= SHORT_LABEL or len(k) >= MIN_COVER * len(norm))), None)
        if hit is None or any(x and x in norm for x in excl):
            continue
        for url, text, how, where in entries:
            inside = url in section or where in section
            scored.append(((not inside, HOW_RANK[how], len(norm) - len(hit), keys.index(hit), url),
                           Named(url, text, how, where)))
    scored.sort(key=lambda s: s[0])
    seen = {n.url for n in out}
    for _, named in scored:
        if named.url not in seen:
            seen.add(named.url)
            out.append(named)
    return out


# -- the content of a page, without navigation and footer ------------------------------
# Class/id words of page furniture. A footer block is always left out; a nav-like block only
# when it is mostly links (a content box may well be class="main top20").
_FOOTERISH = re.compile(r"(?:^|[\s_-])(?:footer|foot|bottom|copyright|banquan|dibu|bq)(?:$|[\s_-]|\d)", re.I)
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|header|top|topbar|side|sidebar|sidenav|crumb|breadcrumb|position|"
                     r"location|weizhi|dqwz|share|tool|tools|toolbar)(?:$|[\s_-]|\d)", re.I)
_SKIP_TAGS = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "select", "option"})
_URLISH = re.compile(r"@|https?://|www\.", re.I)


@view
def main_text(page) -> str:
    """The page's visible text without navigation, breadcrumb, footer and link-only labels 

    The nav of a 政府信息公开 page names every sub-column (依申请公开, 法定主动公开内容 …)
    and its footer carries the sponsor's address and telephone: neither may count
    as the content of a guide or a form page. Reads the tree: call it on a few pages only.
    """
    tree = page.tree
    text = ""
    if tree is not None:
        body = tree.find(".//body")
        parts: list[str] = []
        if body is not None:
            _collect(body, parts)
        text = " ".join(" ".join(parts).split())
    foot = page.footer_text
    if foot and len(foot) > 20 and foot in text:
        text = text.replace(foot, " ")
    if len(text) < 80 and len(page.text) > 400:
        text = page.text.replace(foot, " ") if foot else page.text  # unusual markup: fall back
    return text


def _collect(el, parts: list[str]) -> None:
    if el.text and el.tag not in _SKIP_TAGS:
        parts.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIP_TAGS:
            marks = f"{child.get('class') or ''} {child.get('id') or ''}".strip()
            if marks and (_FOOTERISH.search(marks) or (_CHROME.search(marks) and _mostly_links(child))):
                pass
            elif tag == "a":
                t = "".join(child.itertext())
                if _URLISH.search(t):
                    parts.append(t)
            else:
                _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _mostly_links(el) -> bool:
    """Half or more of the element's text is link text (or it has almost no text at all)."""
    total = len("".join("".join(el.itertext()).split()))
    if total < 40:
        return True
    linked = sum(len("".join("".join(a.itertext()).split())) for a in el.iter("a"))
    return linked * 2 >= total


def clip(text: str, start: int, end: int, width: int = 24) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + re.sub(r"\s+", " ", text[a:b]).strip() + ("…" if b < len(text) else "")
