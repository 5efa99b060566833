"""https.mixed-content — HTTPS pages that load HTTP resources (mixed content).

Read from the crawl: on every page served over HTTPS, scripts, stylesheets, frames,
embedded objects and form targets with http:// URLs are active mixed content —
browsers block them or warn, and they let a network attacker change the page: fail.
Images and media over http:// (passive mixed content) warn. Links (<a>) to http://
pages are navigation, not mixed content.
"""
from auditor.checking.check import Evidence, Result, T, check

from auditor.checking.network import HTTPS_CLAUSE

ID = "https.mixed-content"
ACTIVE = {"script": "脚本", "iframe": "框架", "frame": "框架", "embed": "嵌入对象", "form": "表单提交"}
PASSIVE = {"img": "图片", "source": "媒体", "input": "图片按钮"}
MAX_PAGES_SHOWN = 30


def mixed_of(page) -> tuple[list, list]:
    active, passive = [], []
    for link in page.links:
        if not link.url.startswith("http://"):
            continue
        if link.tag == "link":
            rel = (link.rel or "").lower()
            if "stylesheet" in rel:
                active.append((link, "样式表"))
            elif "icon" in rel:
                passive.append((link, "图标"))
        elif link.tag in ACTIVE:
            active.append((link, ACTIVE[link.tag]))
        elif link.tag in PASSIVE:
            passive.append((link, PASSIVE[link.tag]))
    return active, passive


@check(
    id=ID,
    title=T("HTTPS 页面无混合内容", "No mixed content on HTTPS pages"),
    category="security",
    clause=HTTPS_CLAUSE,
    weight=1,
    gatherers=("homepage",),
    description=T("通过 HTTPS 提供的页面不应以 HTTP 明文加载脚本、样式、框架或提交表单（主动混合内容，不通过）；"
                  "以 HTTP 加载图片、媒体为被动混合内容（警告）。",
                  "Pages served over HTTPS must not load scripts, styles or frames, or submit forms, over plain "
                  "HTTP (active mixed content: fail); images and media over HTTP warn."),
    remediation=T("将页面中引用的脚本、样式、框架、表单地址和图片全部改为 https:// 或协议相对/站内相对地址，"
                  "并确认这些资源支持 HTTPS。",
                  "Change every script, style, frame, form action and image URL to https:// (or a relative URL) "
                  "and make sure those resources are served over HTTPS."),
)
def run(snap, profile):
    pages, seen = [], set()
    for p in snap.html_pages():  # several URLs may land on one page (redirects): count it once
        if p.final_url.startswith("https://") and p.final_url not in seen:
            seen.add(p.final_url)
            pages.append(p)
    if not pages:
        return Result.not_applicable(T("没有通过 HTTPS 抓取到的页面", "no page was crawled over HTTPS"))
    ev_active, ev_passive = [], []
    pages_active, pages_passive = 0, 0
    count_active = count_passive = 0
    for page in pages:
        active, passive = mixed_of(page)
        if active:
            pages_active += 1
            count_active += len(active)
            if pages_active <= MAX_PAGES_SHOWN:
                ev_active.append(Evidence(page.final_url, "; ".join(f"{kind} {l.url}" for l, kind in active[:5])
                                          + (f" …（共 {len(active)} 处）" if len(active) > 5 else ""),
                                          T("主动混合内容", "active mixed content")))
        if passive:
            pages_passive += 1
            count_passive += len(passive)
            if pages_passive <= MAX_PAGES_SHOWN:
                ev_passive.append(Evidence(page.final_url, "; ".join(f"{kind} {l.url}" for l, kind in passive[:5])
                                           + (f" …（共 {len(passive)} 处）" if len(passive) > 5 else ""),
                                           T("被动混合内容", "passive mixed content")))
    details = {"https_pages": len(pages), "pages_active": pages_active, "pages_passive": pages_passive,
               "active": count_active, "passive": count_passive}
    if pages_active:
        return Result.failed(T(f"{pages_active} 个 HTTPS 页面以 HTTP 加载脚本/样式/框架或提交表单（共 {count_active} 处）",
                               f"{pages_active} HTTPS page(s) load scripts, styles or frames or submit forms over HTTP "
                               f"({count_active} in all)"), ev_active + ev_passive, **details)
    if pages_passive:
        return Result.warned(T(f"{pages_passive} 个 HTTPS 页面以 HTTP 加载图片或媒体（共 {count_passive} 处）",
                               f"{pages_passive} HTTPS page(s) load images or media over HTTP ({count_passive} in all)"),
                             ev_passive, **details)
    return Result.passed(T(f"{len(pages)} 个 HTTPS 页面均未以 HTTP 加载资源",
                           f"none of the {len(pages)} HTTPS pages loads resources over HTTP"), **details)
