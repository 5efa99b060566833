"""search.present — the homepage offers a site search.

A search form (field names, action URL or placeholder/label match the profile's
keywords: TRS ``searchword``/was5, Hanweb ``jsearch``/``jrobot``, JCMS
``jsearchfront``), a search box wired by JavaScript outside any form, or a link
labelled 搜索/检索 to a search page (detection in auditor/views/search.py, shared with
the ``search`` gatherer). Whether the search finds anything is ``search.works``.
"""
from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.checking.verdicts import thin_unknown
from auditor.views.page_text import homepage_is_thin
from auditor.views.search import find_inner_search, find_search

ID = "search.present"


@check(
    id=ID,
    title=T("站内搜索", "Site search"),
    category="search",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "扣分指标·功能设计：搜索功能",
                  confidence="✅", effective="2019-04-01", rule="R-function-search",
                  note="指标原文未取得，检查项目已核实；另见《政府信息公开条例》第二十四条（信息检索）"),
    weight=2,
    description=T("首页应提供站内搜索（搜索框或“搜索/检索”入口）；首页没有而内页有的，记为警告。"
                  "搜索能否查到内容由 search.works 检查。",
                  "The homepage offers a site search (a search box or a 搜索/检索 entry); one only on inner pages "
                  "warns. Whether it finds anything is checked by search.works."),
    remediation=T("在首页显著位置提供站内搜索框，支持按标题、全文检索本站信息。",
                  "Put a site search box in a prominent place on the homepage."),
    gatherers=("homepage", "links"),
)
def run(snap, profile):
    page = snap.homepage
    entry = find_search(snap, profile)
    if entry is not None and entry.kind == "form":
        form = entry.form
        return Result.passed(
            T(f"首页有站内搜索表单（{entry.why.zh}）", f"the homepage has a search form ({entry.why.en})"),
            [entry.evidence], action=form.action, method=form.method, field=entry.field)
    if entry is not None and entry.kind == "loose":
        ident = entry.field or entry.placeholder
        return Result.passed(T(f"首页有搜索框（{ident}，由脚本提交）", f"the homepage has a script-driven search box ({ident})"),
                             [entry.evidence], field=entry.field)
    if entry is not None and entry.kind == "link":
        return Result.passed(T(f"首页有{entry.why.zh}", f"the homepage has {entry.why.en}"),
                             [entry.evidence], link=entry.link)
    inner = find_inner_search(snap, profile) if entry is None or entry.kind == "script" else None
    if inner is not None:
        where = {"page": inner.page_url, "field": inner.field,
                 **({"action": inner.form.action, "method": inner.form.method} if inner.kind == "form" else {})}
        ev = [Evidence(inner.page_url, inner.evidence.excerpt, T("内页的搜索框", "search box on an inner page"))]
        if entry is not None:  # the homepage's box is drawn by scripts; inner pages show it
            return Result.passed(T(f"首页搜索框由脚本生成，内页有站内搜索（{inner.why.zh}）",
                                   f"the homepage's search box is script-built; inner pages have it ({inner.why.en})"),
                                 [entry.evidence] + ev, hint=entry.hint, **where)
        return Result.warned(T(f"首页未提供站内搜索，但内页（{inner.page_url}）有站内搜索（{inner.why.zh}）；应在首页显著位置提供",
                               f"no site search on the homepage, but inner pages have one ({inner.why.en}); "
                               "put it on the homepage"), ev, **where)
    if entry is not None and entry.kind == "script":
        return Result.unknown(T("首页静态页面中没有搜索框，但脚本中出现搜索相关代码（搜索框可能由脚本生成），无法确认",
                                "no search box in the static page, but scripts mention search (probably script-built)"),
                              [entry.evidence], hint=entry.hint)
    if homepage_is_thin(snap):
        return thin_unknown(T("站内搜索", "site search"))
    return Result.failed(T("首页未找到站内搜索（搜索框、搜索表单或“搜索”入口）",
                           "no site search on the homepage (no search box, form or 搜索 link)"),
                         [Evidence(page.final_url, f"{len(page.forms)} 个表单，均不是搜索表单" if page.forms else "首页没有表单",
                                   T("首页表单", "homepage forms"))])
