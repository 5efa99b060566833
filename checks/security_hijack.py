"""security.hijack — visitors arriving from a search engine are sent elsewhere (搜索引擎劫持).

Two ways it is done on hacked sites, both caught: the server answers a request with a
search-engine ``Referer`` with a redirect (or a page that redirects) a direct visit does not
get (the ``cloaking`` gatherer asks both ways); or a script on the page reads
``document.referrer`` and, for search-engine visitors, navigates off the site — found in the
pages' inline scripts and the scripts they load, decoded when packed. The rendered homepage
landing on another site is caught too.
"""
from auditor.checking.check import Clause, Evidence, Result, T, check
from auditor.network.urls import host_of
import auditor.views.security as security
from auditor.views.security import (REMEDIATION_HACKED, VETO_ARTICLE, VETO_DOCUMENT, analyse_script, checked_dates,
                                    control_of, data, foreign_host, script_sources)

ID = "security.hijack"


@check(
    id=ID,
    title=T("搜索引擎来访劫持跳转", "Hijack of visitors from search engines"),
    category="security",
    clause=Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_ATTACK,
                  effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE),
    veto=True,
    weight=3,
    gatherers=("homepage", "cloaking", "scripts"),
    optional=("scripts",),  # the pages' inline scripts are read without the loaded ones
    description=T("带搜索引擎来源（Referer）访问首页和抽样页面，并分析页面脚本：只对从搜索引擎来的访问者跳转到站外"
                  "（服务器跳转或脚本判断 document.referrer 后跳转），是网站被入侵的典型特征。",
                  "Pages are requested with a search-engine Referer and their scripts analysed: sending only "
                  "visitors from a search engine off the site (by the server or by a script reading "
                  "document.referrer) is the signature of a hacked site."),
    remediation=T(*REMEDIATION_HACKED),
)
def run(snap, profile):
    facts = snap.facts["cloaking"]
    if not facts.get("pages"):
        state = facts.get("state")
        return Result.unknown(T(f"未能带搜索引擎来源重新请求页面（{state}）",
                                f"pages were not requested with a search-engine Referer ({state})"))
    d = data(profile)
    site = snap.site_host
    found: list[Evidence] = []
    compared = 0
    for rec in facts["pages"]:
        control = control_of(rec, snap)
        for v in rec["variants"]:
            if v["kind"] != "referer" or v.get("error_kind") or v.get("status") is None or v["status"] >= 400:
                continue
            compared += 1
            loc = v.get("location") or v.get("refresh_to")
            same_as_direct = loc and loc == (control.get("location") or control.get("refresh_to"))
            if loc and foreign_host(host_of(loc), site, d) and not same_as_direct:
                found.append(Evidence(rec["url"], f"Referer: {v['agent']} → HTTP {v['status']} {loc}"
                                      f"\n直接访问：HTTP {control.get('status')}",
                                      T("带搜索引擎来源访问时跳转到站外", "off-site redirect for visitors from a search engine")))
    scripts = script_sources(snap, snap.facts.get("scripts"))
    seen = set()
    for url, text in scripts:
        for f in analyse_script(text, site, d):
            if f.kind == "referrer-hijack" and (url, f.url) not in seen:
                seen.add((url, f.url))
                found.append(Evidence(url, f.decoded[:400], T(f"脚本判断 document.referrer 为搜索引擎后跳转到 {f.url}",
                                                             f"a script sends search-engine visitors to {f.url}")))
    home = snap.rendered_homepage()
    if home and home.get("final_url") and foreign_host(host_of(home["final_url"]), site, d):
        found.append(Evidence(snap.start_url, f"浏览器最终停留在 {home['final_url']}",
                              T("浏览器打开首页后被脚本带离本站", "the browser left the site after opening the homepage")))
    details = {"pages": len(facts["pages"]), "requests_compared": compared, "scripts_read": len(scripts),
               "data_checked": checked_dates(d)}
    if found:
        return Result.failed(T(f"从搜索引擎来的访问者被劫持到站外（{len(found)} 处）",
                               f"visitors from search engines are hijacked off the site ({len(found)})"), found, **details)
    if not compared:
        return Result.unknown(T("带搜索引擎来源的请求均未得到回答，无法判断", "no request with a search-engine Referer was answered"),
                              **details)
    return Result.passed(T(f"带搜索引擎来源访问 {len(facts['pages'])} 个页面未被跳转，{len(scripts)} 段脚本中未见来源劫持代码",
                           f"{len(facts['pages'])} page(s) with a search-engine Referer were not redirected; no referrer "
                           f"hijack in {len(scripts)} script(s)"), **details)
