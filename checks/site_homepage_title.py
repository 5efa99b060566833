"""site.homepage-title — the homepage <title> names the site.

Template sites (TRS, 大汉 Hanweb, JCMS) often ship "首页", "Index" or "无标题文档"
as the title; visitors, bookmarks and search engines then see nothing useful.
"""
import re

from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.views.page_text import compact, find_sponsors, longest_common_run

ID = "site.homepage-title"
MIN_OVERLAP = 4  # characters a title must share with the site/unit name


def _key(text: str) -> str:
    return re.sub(r"[\s\-_|·,，:：()（）【】\[\]<>《》\"'“”]+", "", compact(text)).lower()


@check(
    id=ID,
    title=T("首页标题", "Homepage title"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "规范网站名称和域名：网站名称；网页设计规范（页面标题）",
                  confidence="🟡", effective="2017-05-15", rule="R-site-name-title",
                  note="条文原文未取得"),
    weight=1,
    description=T("首页 <title> 应存在、非空、不是“首页”“无标题文档”等模板默认值，并写明网站名称"
                  "（与 SiteName 标签或页面底部的主办单位对照）。",
                  "The homepage <title> is present, not a template placeholder, and names the site "
                  "(compared with the SiteName meta tag or the footer's 主办单位)."),
    remediation=T("将首页标题设置为网站规范名称，如“XX市人民政府门户网站”。",
                  "Set the homepage title to the site's official name, e.g. “XX市人民政府门户网站”."),
    gatherers=("homepage",),
)
def run(snap, profile):
    page = snap.homepage
    title = page.title.strip()
    ev = [Evidence(page.final_url, f"<title>{title}</title>", T("首页标题", "homepage title"))]
    if not title:
        return Result.failed(T("首页没有标题（<title> 缺失或为空）", "the homepage has no <title>"), ev)
    if "\ufffd" in title:
        return Result.warned(T(f"首页标题含乱码：{title}", f"the homepage title is garbled: {title}"), ev)
    generic = {_key(g) for g in profile.keywords("generic_titles")}
    key = _key(title)
    if key in generic or not key:
        return Result.warned(T(f"首页标题“{title}”是模板默认值，没有写明网站名称",
                               f"the homepage title “{title}” is a placeholder, not the site name"), ev,
                             title=title)
    refs = []
    site_name = page.meta.get("sitename", "").strip()
    if site_name:
        refs.append(("SiteName", site_name))
    for s in find_sponsors(snap, profile.keywords("sponsor_labels"))[:3]:
        refs.append(("主办单位", s.name))
    for label, ref in refs:
        rk = _key(ref)
        if rk and longest_common_run(key, rk) >= min(MIN_OVERLAP, len(rk)):
            return Result.passed(T(f"首页标题“{title}”写明了网站名称（与{label}“{ref}”一致）",
                                   f"the homepage title “{title}” names the site (matches {label} “{ref}”)"),
                                 ev, title=title, matched=ref)
    if refs:
        label, ref = refs[0]
        ev.append(Evidence(page.final_url, ref, T(f"对照：{label}", f"compared with {label}")))
        return Result.warned(T(f"首页标题“{title}”与网站名称（{label}“{ref}”）不符",
                               f"the homepage title “{title}” does not match the site name ({label} “{ref}”)"),
                             ev, title=title, reference=ref)
    if not re.search(r"[\u4e00-\u9fa5]", title):
        return Result.warned(T(f"首页标题“{title}”没有中文网站名称",
                               f"the homepage title “{title}” has no Chinese site name"), ev, title=title)
    return Result.passed(T(f"首页标题为“{title}”（页面未提供 SiteName 或主办单位可供对照）",
                           f"the homepage title is “{title}” (no SiteName or 主办单位 to compare with)"),
                         ev, title=title)
