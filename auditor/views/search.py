"""Finding a site search on a page: shared by search.present (is there one?) and the
``search`` gatherer (which submits it for search.works).

A search form (field names, action URL or placeholder/label matching the profile's
keywords: TRS ``searchword``/was5, Hanweb ``jsearch``/``jrobot``, JCMS
``jsearchfront``), a search box wired by JavaScript outside any form, a link
labelled 搜索/检索 to a search page, or — weakest — search code in the scripts.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.views.evidence import Evidence, T

from auditor.views.page_text import compact, excerpt, is_text_marker, label_pattern, markup_sources

TEXT_TYPES = {"text", "search", "input", ""}
DEFAULT_LINK_LABELS = ["搜索", "检索", "站内搜索", "全文检索", "高级检索", "search"]
DEFAULT_SCRIPT_HINTS = ["jsearch", "searchword", "trssearch", "was5/web", "search.do", "search.jsp", "/search/",
                        "站内搜索", "全文检索", "请输入关键字", "请输入关键词", "搜索"]


@dataclass
class SearchEntry:
    """How a page offers its search."""

    kind: str  # form | loose | link | script
    why: T
    page_url: str
    evidence: Evidence
    form: object = None  # auditor.crawl.parse.Form
    field: str = ""  # the text field's name (form) or name/id (loose box)
    placeholder: str = ""
    link: str = ""  # the search page a link leads to
    hint: str = ""  # the search code seen in a script


@dataclass
class Keywords:
    names: set
    hints: list
    labels: object  # compiled pattern
    link_labels: list
    script_hints: list
    # URLs of national entries that look like a search but are not the site's own (the 找错
    # platform's errorInfo/search): taken from the 找错 markers, so both stay in step.
    not_search: list

    @classmethod
    def of(cls, profile) -> "Keywords":
        return cls({n.lower() for n in profile.keywords("search_field_names")},
                   profile.keywords("search_action_hints"),
                   label_pattern(profile.keywords("search_labels") or ["搜索", "检索"]),
                   [compact(w).lower() for w in (profile.keywords("search_link_labels") or DEFAULT_LINK_LABELS)],
                   [h.lower() for h in (profile.keywords("search_script_hints") or DEFAULT_SCRIPT_HINTS)],
                   [m.lower() for m in profile.keywords("zhaocuo_markers") if m and not is_text_marker(m)])

    def is_elsewhere(self, url: str) -> bool:
        low = (url or "").lower()
        return any(m in low for m in self.not_search)


def action_hint(url, hints):
    parts = urlsplit(url)
    target = (parts.netloc + parts.path + "?" + parts.query).lower()
    return next((h for h in hints if h.lower() in target), None)


def form_score(form, page_url, kw: Keywords):
    """Why a form looks like a site search, or None."""
    types = [f.type for f in form.fields]
    if "password" in types or "textarea" in types or "file" in types:
        return None  # a login, message or upload form
    texts = [f for f in form.fields if f.type in TEXT_TYPES]
    if not texts:
        return None
    if any(f.type == "search" for f in texts):
        return T("输入框 type=search", "input type=search")
    if form.action and kw.is_elsewhere(form.action):
        return None
    if form.action and form.action != page_url:
        hint = action_hint(form.action, kw.hints)
        if hint:
            return T(f"提交地址含“{hint}”", f"action contains “{hint}”")
    if len(texts) > 2:
        return None  # a site search asks for one or two words; three boxes are an enquiry or a login
    for f in texts:
        if kw.labels.search(f.placeholder or ""):
            return T(f"输入框提示“{f.placeholder}”", f"placeholder “{f.placeholder}”")
    if kw.labels.search(form.text or ""):
        word = kw.labels.search(form.text).group(0)
        return T(f"表单文字含“{word}”", f"form text contains “{word}”")
    for f in texts:
        if f.name.lower() in kw.names or _search_named(f.name):
            return T(f"输入框 name={f.name}", f"input name={f.name}")
    return None


def _search_named(name: str) -> bool:
    """A field whose own name says search (TRS ``searchwordTxt``, ``searchKeyword``)."""
    return "search" in (name or "").lower()


def search_field(form, kw: Keywords):
    """The text field a visitor types into: a known search name first, then type=search, then the first."""
    texts = [f for f in form.fields if f.type in TEXT_TYPES and f.name]
    for f in texts:
        if f.type == "search":
            return f
    for f in texts:
        if f.name.lower() in kw.names or kw.labels.search(f.placeholder or ""):
            return f
    return texts[0] if texts else None


def loose_inputs(page, kw: Keywords):
    """Search boxes outside any form, submitted by JavaScript (common on TRS/Hanweb templates)."""
    tree = page.tree
    if tree is None:
        return []
    out = []
    for el in tree.xpath("//input[not(ancestor::form)]"):
        typ = (el.get("type") or "text").lower()
        if typ not in TEXT_TYPES:
            continue
        ident = (el.get("name") or el.get("id") or "")
        ph = el.get("placeholder") or el.get("value") or el.get("title") or ""
        if typ == "search" or kw.labels.search(ph) or ident.lower() in kw.names or "search" in ident.lower():
            out.append((ident, ph))
    return out


def form_entry(page, kw: Keywords) -> SearchEntry | None:
    for form in page.forms:
        why = form_score(form, page.final_url, kw)
        if why:
            f = search_field(form, kw)
            field = f.name if f else ""
            return SearchEntry("form", why, page.final_url,
                               Evidence(form.action, f"<form action=\"{form.action}\" method=\"{form.method}\"> "
                                                     f"输入框：{field or '（无名称）'}", T("搜索表单", "search form")),
                               form=form, field=field, placeholder=f.placeholder if f else "")
    return None


def find_search(snap, profile, page=None) -> SearchEntry | None:
    """The search ``page`` (default: the homepage) offers, strongest kind first."""
    kw = Keywords.of(profile)
    home = page is None
    page = page or snap.homepage
    if page is None or page.facts is None:
        return None
    entry = form_entry(page, kw)
    if entry:
        return entry
    loose = loose_inputs(page, kw)
    if loose:
        ident, ph = loose[0]
        return SearchEntry("loose", T(f"搜索框（{ident or ph}，由脚本提交）", f"script-driven search box ({ident or ph})"),
                           page.final_url,
                           Evidence(page.final_url, f"<input name/id=\"{ident}\" placeholder=\"{ph}\">",
                                    T("搜索框（不在表单中）", "search box outside a form")),
                           field=ident, placeholder=ph)
    for link in page.links:
        if link.tag not in ("a", "area") or kw.is_elsewhere(link.url):
            continue
        text = compact(link.text).lower()
        if text and len(text) <= 8 and any(w in text for w in kw.link_labels):
            return SearchEntry("link", T(f"搜索入口链接“{link.text}”", f"a link to a search page (“{link.text}”)"),
                               page.final_url, Evidence(link.url, link.text, T("搜索入口", "search link")),
                               link=link.url)
        if action_hint(link.url, [h for h in kw.hints if len(h) >= 6]) and (not text or len(text) <= 8):
            return SearchEntry("link", T(f"指向搜索页面的链接（{link.url}）", f"a link to a search page ({link.url})"),
                               page.final_url, Evidence(link.url, link.text, T("搜索入口", "search link")),
                               link=link.url)
    if not home:
        return None
    # Search boxes drawn entirely by scripts.
    for where, url, text in markup_sources(snap):
        if where == "html":
            continue
        low = text.lower()
        hint = next((h for h in kw.script_hints if h in low), None)
        if hint:
            i = low.find(hint)
            return SearchEntry("script", T("脚本中出现搜索相关代码", "scripts mention search"), url,
                               Evidence(url, excerpt(text, i, i + len(hint)), T("脚本", "script")), hint=hint)
    return None


# Inner pages looked at when the homepage offers no search (each costs a parse at most).
INNER_PAGES = 30


def find_inner_search(snap, profile, limit: int = INNER_PAGES) -> SearchEntry | None:
    """A search form or box on the pages nearest the homepage, when the homepage has none.

    Homepages designed apart (a banner portal) often leave out the header that every inner
    page carries with its search box.
    """
    home = snap.homepage
    pages = sorted((p for p in snap.html_pages() if p is not home and p.depth in (1, 2) and p.facts is not None),
                   key=lambda p: (p.depth, p.final_url))
    for page in pages[:limit]:
        entry = find_search(snap, profile, page)
        if entry is not None and entry.kind in ("form", "loose"):
            return entry
    return None

