"""security.dark-links — hidden links to gambling/porn/fake-certificate sites (暗链).

Links a visitor cannot see — hidden by inline style, the ``hidden`` attribute, a 1-pixel
<marquee>, a <style> rule on their class or id, a script that hides their container, or
written in the colour of their background — that leave the site. With the words of injected
content in their text they fail; to a throwaway top-level domain (.top, .xyz, .vip …) without
such words they warn. Hidden dropdown menus, skip links, accessibility toolbars and hidden
links to the site's own pages or to other government sites are never findings.

Where the browser rendered a page, its DOM is read too (styles that scripts set are in it), and
where the audit used the browser the ``visibility`` gatherer adds chromium's computed styles for
a sample of pages — the site's own stylesheets included. Without the browser the static rules
(inline styles, simple <style> class/id rules) are what is judged.
"""
from auditor.checking.check import Clause, Setting, Evidence, Result, T, check
from auditor.crawl.parse import parse_html
from auditor.network.urls import host_of
import auditor.views.security as security
from auditor.views.security import (KINDS, REMEDIATION_HACKED, VETO_ARTICLE, VETO_DOCUMENT, checked_dates, data,
                                    distinct_terms, foreign_host, hidden_links, tld, vocab_hits)


ID = "security.dark-links"
VERSION = {"static": T("页面源代码", "as served"), "rendered": T("渲染后页面", "rendered DOM"),
           "computed": T("浏览器计算样式", "computed style")}


def _trees(page):
    """The page as served and, when the browser rendered it, as rendered."""
    if page.rendered:
        yield "static", parse_html(page.static_html)
        yield "rendered", page.tree
    else:
        yield "static", page.tree


@check(
    id=ID,
    title=T("暗链（隐藏的违规外链）", "Hidden links to illicit sites (dark links)"),
    category="security",
    clause=Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_CONTENT,
                  effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE),
    veto=True,
    weight=3,
    gatherers=("homepage", "pages", "visibility"),
    optional=("visibility",),  # the served HTML is judged without computed styles
    settings={"max_pages": Setting(300, "pages whose served HTML is searched for hidden links at most"),
              "computed_sample_pages": Setting(10, "pages loaded into the browser (when the audit uses it) to read computed styles")},
    gatherer_settings={"visibility": ('computed_sample_pages',)},
    description=T("页面中访问者看不到（CSS 隐藏、移出屏幕、零尺寸、与背景同色、位于隐藏容器内）却指向站外赌博、色情、"
                  "办证等网站的链接，是网站被入侵后植入的暗链。下拉菜单、跳转链接、无障碍工具和指向本站或其他政府网站的"
                  "隐藏链接不计。",
                  "Links visitors cannot see (hidden by CSS, off-screen, zero-size, same colour as the background, "
                  "inside hidden containers) that lead to gambling, porn or fake-certificate sites are injected dark "
                  "links. Dropdown menus, skip links, accessibility helpers and hidden links to the site itself or "
                  "other government sites do not count."),
    remediation=T(*REMEDIATION_HACKED),
)
def run(snap, profile, settings):
    d = data(profile)
    site = snap.site_host
    limit = int(settings["max_pages"])
    throwaway = set(d.get("vocabulary", {}).get("throwaway_tlds", ()))
    strong, weak = [], []
    seen: set[str] = set()
    pages = rendered = 0
    ignored: set[str] = set()

    def judge(page_url: str, version: str, url: str, text: str, where: str) -> None:
        host = host_of(url)
        if not foreign_host(host, site, d):
            ignored.add(url)
            return
        if url in seen:
            return
        hits = vocab_hits(text, d, quoted_ok=False)
        if hits:
            seen.add(url)
            kinds = "、".join(sorted({KINDS[h.kind][0] for h in hits}))
            strong.append(Evidence(page_url, f"{where} <a href=\"{url}\">{text}</a>",
                                   T(f"隐藏的{kinds}外链（{'、'.join(distinct_terms(hits))}，{VERSION[version].zh}）",
                                     f"hidden link with injected vocabulary ({VERSION[version].en})")))
        elif tld(host) in throwaway:
            seen.add(url)
            weak.append(Evidence(page_url, f"{where} <a href=\"{url}\">{text}</a>",
                                 T(f"隐藏的外链指向常被滥用的 .{tld(host)} 域名（{VERSION[version].zh}）",
                                   f"hidden link to a throwaway .{tld(host)} domain ({VERSION[version].en})")))

    foreign: dict[str, bool] = {}

    def leaves_site(page) -> bool:
        """Whether a link the crawl read on the page goes to a host judge() would look at."""
        for link in page.links:
            if link.tag in ("a", "area"):
                host = host_of(link.url)
                hit = foreign.get(host)
                if hit is None:
                    hit = foreign[host] = foreign_host(host, site, d)
                if hit:
                    return True
        return False

    for page in snap.html_pages():
        if pages >= limit:
            break
        pages += 1
        rendered += page.rendered
        # A served page none of whose links leave the site can hold no finding: not parsed again.
        # (A rendered page's scripts may have written links the crawl's list does not have.)
        if not page.rendered and not leaves_site(page):
            continue
        for version, root in _trees(page):
            for link in hidden_links(root, page.final_url):
                judge(page.final_url, version, link.url, link.text, f"{link.container} [{link.why}]")
    computed = snap.facts.get("visibility")
    computed_pages = 0
    if isinstance(computed, dict):
        for rec in computed.get("pages", ()):
            if "hidden" not in rec:
                continue
            computed_pages += 1
            for url, text, why in rec["hidden"]:
                judge(rec["url"], "computed", url, text, f"[{why}]")
    if not pages:
        return Result.unknown(T("未抓取到可分析的网页", "no HTML page was crawled"))
    details = {"pages": pages, "rendered_pages": rendered, "computed_style_pages": computed_pages,
               "computed_style_state": computed.get("state") if isinstance(computed, dict) else None,
               "hidden_links_ignored": len(ignored),
               "data_checked": checked_dates(d)}
    if strong:
        return Result.failed(T(f"发现 {len(strong)} 条隐藏的违规外链（暗链）", f"{len(strong)} hidden link(s) to illicit sites"),
                             strong + weak, **details)
    if weak:
        return Result.warned(T(f"发现 {len(weak)} 条指向可疑域名的隐藏外链，请人工核查",
                               f"{len(weak)} hidden link(s) to throwaway domains; check by hand"), weak, **details)
    return Result.passed(T(f"{pages} 个页面中未发现暗链" + (f"（{len(ignored)} 条隐藏链接指向本站、政府网站或常见服务，如下拉菜单，不计）" if ignored else ""),
                           f"no dark links in {pages} page(s)" + (f" ({len(ignored)} hidden links to the site, government "
                                                                  "sites or known services, e.g. menus, ignored)" if ignored else "")),
                         **details)
