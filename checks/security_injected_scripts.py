"""security.injected-scripts — scripts injected into the site's pages (挂马).

Fail: a packed script (atob/unescape/fromCharCode/escape sequences) whose decoded text
navigates to or loads a foreign site (``document.write`` of a ``<script>`` included), or a
search-engine referrer redirect; the decoded text is the evidence. Warn: a plain
``document.write`` of a foreign ``<script>`` (portals still embed counters that way) and scripts
loaded from origins that are neither the site's own domain, a government site, nor a known
service (analytics such as Baidu tongji/cnzz/Google Analytics, the national 找错 and 普查
scripts, share buttons, accessibility toolbars, public CDNs — the data file's list, which a
user can extend).
"""
from auditor.checking.check import Clause, Setting, Evidence, Result, T, check
from auditor.network.urls import host_of
import auditor.views.security as security
from auditor.views.security import (VETO_ARTICLE, VETO_DOCUMENT, analyse_script, checked_dates, data, foreign_host,
                                    script_sources)


ID = "security.injected-scripts"
KIND_TEXT = {"packed-navigation": T("加密/混淆脚本解码后跳转或加载站外内容", "a packed script decodes to an off-site navigation or load"),
             "written-script": T("document.write 写入站外脚本", "document.write of a foreign script"),
             "referrer-hijack": T("按搜索引擎来源跳转的脚本", "a script redirecting search-engine visitors"),
             "overlay-iframe": T("脚本用全屏框架覆盖页面，显示站外内容", "a script covers the page with a full-window frame of another site"),
             "page-replaced": T("脚本写入整页伪造的出错页面并停止加载，访客看不到网站内容（对搜索引擎伪装）",
                                "a script writes a fake error page over the page and stops loading: visitors do not see "
                                "the site (cloaking)")}
MAX_PAGES = 300


@check(
    id=ID,
    title=T("被植入的恶意脚本（挂马）", "Injected scripts"),
    category="security",
    clause=Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_ATTACK,
                  effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE),
    veto=True,
    weight=3,
    gatherers=("homepage", "scripts"),
    optional=("scripts",),  # the pages' inline scripts are read without the loaded ones
    settings={"sample_pages": Setting(4, "pages whose scripts are read besides the homepage"),
              "max_scripts": Setting(30, "script files fetched at most (known analytics/找错/CDN origins are never fetched)")},
    gatherer_settings={"scripts": ('sample_pages', 'max_scripts',)},
    description=T("分析页面内联脚本和加载的脚本文件：解码 eval/atob/unescape 等混淆代码后跳转或加载站外内容、"
                  "document.write 写入站外脚本，判为被植入恶意脚本；来源不明的第三方脚本提示人工核查。统计分析、"
                  "国办“我为政府网站找错”、分享按钮、无障碍工具和公共 CDN 不计。",
                  "Inline and loaded scripts are analysed: packed code that decodes to an off-site navigation, or "
                  "document.write of a foreign script, is injected; scripts from unknown third-party origins warn. "
                  "Analytics, the 找错 script, share buttons, accessibility toolbars and public CDNs do not count."),
    remediation=T("清除被植入的脚本（检查模板、公共页头页尾、JS 文件和数据库中的内容），排查入侵途径并修补漏洞、"
                  "更换口令；确认为挂马的，立即报告本地网信部门和公安机关。不明来源的第三方脚本应核实用途，"
                  "不需要的予以删除。",
                  "Remove the injected scripts (templates, shared headers/footers, JS files, database), find and fix "
                  "how they got in and change passwords; report confirmed malware to the local 网信 office and the "
                  "police. Check what each unknown third-party script is for and remove those not needed."),
)
def run(snap, profile):
    facts = snap.facts.get("scripts")
    d = data(profile)
    site = snap.site_host
    strong: list[Evidence] = []
    seen = set()
    sources = script_sources(snap, facts)
    # Inline scripts of every crawled page, not only the sample: injected code sits in templates.
    counted = 0
    for page in snap.html_pages():
        if counted >= MAX_PAGES:
            break
        counted += 1
        f = page.static_facts or page.facts
        sources += [(page.final_url, s) for s in f.inline_scripts]
    written: list[Evidence] = []
    for url, text in sources:
        for finding in analyse_script(text, site, d):
            key = (finding.kind, finding.url)
            if key in seen:
                continue
            seen.add(key)
            ev = Evidence(url, finding.decoded[:500],
                          T(f"{KIND_TEXT[finding.kind].zh}：{finding.url}", f"{KIND_TEXT[finding.kind].en}: {finding.url}"))
            # A plain document.write of a third-party script is how many portals still embed
            # counters and weather widgets: a weak signal. Packed or referrer-driven code is not.
            (written if finding.kind == "written-script" else strong).append(ev)
    origins: dict[str, str] = {}
    for page in list(snap.html_pages())[:MAX_PAGES]:
        f = page.static_facts or page.facts
        for link in f.links:
            if link.tag == "script":
                host = host_of(link.url)
                if foreign_host(host, site, d) and host not in origins:
                    origins[host] = page.final_url
    weak = written + [Evidence(page, f"<script src=\"…//{host}/…\">", T(f"来源不明的第三方脚本：{host}",
                                                                         f"script from an unknown origin: {host}"))
                      for host, page in origins.items()]
    details = {"scripts_read": len(sources), "unknown_origins": sorted(origins), "data_checked": checked_dates(d),
               "script_files_fetched": len((facts or {}).get("scripts", ())) if isinstance(facts, dict) else 0}
    if strong:
        return Result.failed(T(f"发现 {len(strong)} 处被植入的恶意脚本", f"{len(strong)} injected script(s)"), strong + weak, **details)
    if not sources:
        return Result.unknown(T("未读到可分析的脚本或网页", "no script or page to analyse"), **details)
    if weak:
        names = sorted(origins) + [e.note.en.rsplit(": ", 1)[-1] for e in written]
        return Result.warned(T(f"{len(weak)} 处来源不明的第三方脚本，请核实用途：{'、'.join(names[:5])}",
                               f"{len(weak)} script(s) from origins not known; check what they are: {', '.join(names[:5])}"),
                             weak, **details)
    return Result.passed(T(f"分析了 {len(sources)} 段脚本，未见被植入的恶意脚本", f"{len(sources)} script(s) analysed, none injected"),
                         **details)
