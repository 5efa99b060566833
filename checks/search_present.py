"""search.present — the homepage offers a site search.

A search form (field names, action URL or placeholder/label match the profile's
keywords: TRS ``searchword``/was5, Hanweb ``jsearch``/``jrobot``, JCMS
``jsearchfront``), a search box wired by JavaScript outside any form, or a link
labelled 搜索/检索 to a search page. Whether the search finds anything is
``search.works``.
"""
from urllib.parse import urlsplit

from auditor.check import Clause, Evidence, Result, T, check

from ._common import compact, excerpt, homepage_is_thin, label_pattern, markup_sources, thin_unknown

ID = "search.present"
TEXT_TYPES = {"text", "search", "input", ""}
DEFAULT_LINK_LABELS = ["搜索", "检索", "站内搜索", "全文检索", "高级检索", "search"]
DEFAULT_SCRIPT_HINTS = ["jsearch", "searchword", "trssearch", "was5/web", "search.do", "search.jsp", "/search/",
                        "站内搜索", "全文检索", "请输入关键字", "请输入关键词", "搜索"]


def _action_hint(url, hints):
    parts = urlsplit(url)
    target = (parts.netloc + parts.path + "?" + parts.query).lower()
    return next((h for h in hints if h.lower() in target), None)


def _form_score(form, page_url, names, hints, labels):
    """Why a form looks like a site search, or None."""
    types = [f.type for f in form.fields]
    if "password" in types or "textarea" in types or "file" in types:
        return None  # a login, message or upload form
    texts = [f for f in form.fields if f.type in TEXT_TYPES]
    if not texts:
        return None
    if any(f.type == "search" for f in texts):
        return T("输入框 type=search", "input type=search")
    if form.action and form.action != page_url:
        hint = _action_hint(form.action, hints)
        if hint:
            return T(f"提交地址含“{hint}”", f"action contains “{hint}”")
    for f in texts:
        if labels.search(f.placeholder or ""):
            return T(f"输入框提示“{f.placeholder}”", f"placeholder “{f.placeholder}”")
    if labels.search(form.text or ""):
        word = labels.search(form.text).group(0)
        return T(f"表单文字含“{word}”", f"form text contains “{word}”")
    if len(texts) <= 2:
        for f in texts:
            if f.name.lower() in names:
                return T(f"输入框 name={f.name}", f"input name={f.name}")
    return None


def _loose_inputs(page, names, labels):
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
        if typ == "search" or labels.search(ph) or ident.lower() in names or "search" in ident.lower():
            out.append((ident, ph))
    return out


@check(
    id=ID,
    title=T("站内搜索", "Site search"),
    category="search",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）", "扣分指标·功能设计：搜索功能",
                  confidence="✅", note="rules digest §1.3, §2.6; 条例第二十四条 信息检索"),
    weight=2,
    description=T("首页应提供站内搜索（搜索框或“搜索/检索”入口）。搜索能否查到内容由 search.works 检查。",
                  "The homepage offers a site search (a search box or a 搜索/检索 entry). Whether it finds "
                  "anything is checked by search.works."),
    remediation=T("在首页显著位置提供站内搜索框，支持按标题、全文检索本站信息。",
                  "Put a site search box in a prominent place on the homepage."),
    gatherers=("homepage",),
)
def run(snap, profile):
    page = snap.homepage
    names = {n.lower() for n in profile.keywords("search_field_names")}
    hints = profile.keywords("search_action_hints")
    labels = label_pattern(profile.keywords("search_labels") or ["搜索", "检索"])
    for form in page.forms:
        why = _form_score(form, page.final_url, names, hints, labels)
        if why:
            field = next((f.name for f in form.fields if f.type in TEXT_TYPES and f.name), "")
            return Result.passed(
                T(f"首页有站内搜索表单（{why.zh}）", f"the homepage has a search form ({why.en})"),
                [Evidence(form.action, f"<form action=\"{form.action}\" method=\"{form.method}\"> 输入框：{field or '（无名称）'}",
                          T("搜索表单", "search form"))],
                action=form.action, method=form.method, field=field)
    loose = _loose_inputs(page, names, labels)
    if loose:
        ident, ph = loose[0]
        return Result.passed(T(f"首页有搜索框（{ident or ph}，由脚本提交）", f"the homepage has a script-driven search box ({ident or ph})"),
                             [Evidence(page.final_url, f"<input name/id=\"{ident}\" placeholder=\"{ph}\">",
                                       T("搜索框（不在表单中）", "search box outside a form"))], field=ident)
    link_labels = [compact(w).lower() for w in (profile.keywords("search_link_labels") or DEFAULT_LINK_LABELS)]
    for link in page.links:
        if link.tag not in ("a", "area"):
            continue
        text = compact(link.text).lower()
        if text and len(text) <= 8 and any(w in text for w in link_labels):
            return Result.passed(T(f"首页有搜索入口链接“{link.text}”", f"the homepage links to a search page (“{link.text}”)"),
                                 [Evidence(link.url, link.text, T("搜索入口", "search link"))], link=link.url)
        if _action_hint(link.url, [h for h in hints if len(h) >= 6]) and (not text or len(text) <= 8):
            return Result.passed(T(f"首页有指向搜索页面的链接（{link.url}）", f"the homepage links to a search page ({link.url})"),
                                 [Evidence(link.url, link.text, T("搜索入口", "search link"))], link=link.url)
    # Search boxes drawn entirely by scripts: say so rather than fail.
    script_hints = [h.lower() for h in (profile.keywords("search_script_hints") or DEFAULT_SCRIPT_HINTS)]
    for where, url, text in markup_sources(snap):
        if where == "html":
            continue
        low = text.lower()
        hint = next((h for h in script_hints if h in low), None)
        if hint:
            i = low.find(hint)
            return Result.unknown(T("首页静态页面中没有搜索框，但脚本中出现搜索相关代码（搜索框可能由脚本生成），无法确认",
                                    "no search box in the static page, but scripts mention search (probably script-built)"),
                                  [Evidence(url, excerpt(text, i, i + len(hint)), T("脚本", "script"))], hint=hint)
    if homepage_is_thin(snap):
        return thin_unknown(T("站内搜索", "site search"))
    return Result.failed(T("首页未找到站内搜索（搜索框、搜索表单或“搜索”入口）",
                           "no site search on the homepage (no search box, form or 搜索 link)"),
                         [Evidence(page.final_url, f"{len(page.forms)} 个表单，均不是搜索表单" if page.forms else "首页没有表单",
                                   T("首页表单", "homepage forms"))])
