"""links.homepage — every link on the homepage opens.

Pages, images, scripts, styles, frames, attachments and external links all count
(the 普查 wording: 首页上的链接（包括图片、附件、外部链接等）). Statuses come from the
crawl (pages) and its link checks (HEAD, then GET). Only 404/410/403, failed DNS and
refused connections are *confirmed* dead (开普云 counts 404/403 as confirmed);
timeouts, 5xx, TLS errors and rate limits are *suspect* and reported apart.
Links that were not checked (robots.txt, caps) are counted, never taken as dead.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.page_text import DEAD_STATUSES_DEFAULT, checkable_links, judge_link, link_label

ID = "links.homepage"


@check(
    id=ID,
    title=T("首页链接可用性", "Homepage links work"),
    category="links",
    clause=Clause("《全国政府网站普查评分表》（国办发〔2015〕15号附件2）",
                  "扣分指标·网站可用性·链接可用性",
                  confidence="✅", effective="2015-03-11", rule="R-links-homepage",
                  quote="首页及其他页面不能正常访问的链接数量。",
                  note="404、403、410 为确定不可用，其他错误为疑似；每个链接的扣分值未核实"),
    weight=3,
    description=T("首页上的所有链接（页面、图片、脚本、样式、附件和外部链接）都应能正常访问。"
                  "404/410/403、域名解析失败、连接被拒绝计为确定不可用；超时、5xx、证书错误、限流拦截计为疑似不可用，分别报告。"
                  "未能检查的链接（robots.txt 禁止、超出检查上限）只计数，不算作不可用。",
                  "Every link on the homepage (pages, images, scripts, styles, attachments, external links) opens. "
                  "404/410/403, DNS failures and refused connections are confirmed dead; timeouts, 5xx, TLS errors "
                  "and rate limits are suspect and reported apart; unchecked links are only counted."),
    remediation=T("逐一修复或删除首页上的不可用链接；外部链接失效时及时更新地址或撤下；建立链接定期巡检机制。",
                  "Fix or remove each dead homepage link; update or drop dead external links; check links regularly."),
    gatherers=("homepage", "links"),
    settings={
        "dead_statuses": Setting(list(DEAD_STATUSES_DEFAULT), "HTTP statuses counted as confirmed dead (the monitoring "
                                                                 "vendor: 404/403; 410 Gone added)"),
        "include_external": Setting(True, "check links to other sites too"),
    },
)
def run(snap, profile, settings):
    page = snap.homepage
    dead_statuses = tuple(int(s) for s in settings["dead_statuses"])
    include_external = bool(settings["include_external"])
    fail_at = profile.threshold("homepage_dead_links_fail")
    warn_at = profile.threshold("homepage_suspect_links_warn")

    links = checkable_links(snap, page, include_external)
    if not links:
        return Result.unknown(T("首页没有可检查的链接（页面可能由脚本生成）",
                                "the homepage has no links to check (probably built by scripts)"))
    dead, suspect, unknown, ok = [], [], [], 0
    for url, link in links.items():
        if url == page.final_url or url == page.url:
            ok += 1
            continue
        state, reason = judge_link(snap, url, dead_statuses)
        if state == "ok":
            ok += 1
        elif state == "dead":
            dead.append((link, reason))
        elif state == "suspect":
            suspect.append((link, reason))
        else:
            unknown.append((link, reason))

    def ev(items, label):
        out = []
        for link, reason in items:
            out.append(Evidence(link.url, link_label(snap, link, reason)[:200], label))
        return out

    details = {"links": len(links), "ok": ok, "dead": len(dead), "suspect": len(suspect), "unchecked": len(unknown),
               "dead_links": [{"url": l.url, "tag": l.tag, "text": l.text, "error": r, "internal": snap.in_site(l.url)}
                              for l, r in dead],
               "suspect_links": [{"url": l.url, "tag": l.tag, "text": l.text, "error": r} for l, r in suspect],
               "unchecked_reasons": sorted({r for _, r in unknown})}
    evidence = ev(dead, T("确定不可用", "confirmed dead")) + ev(suspect, T("疑似不可用", "suspect"))
    tail_zh = f"；另有 {len(unknown)} 个链接未检查（robots.txt 禁止、指向内网地址或超出检查上限）" if unknown else ""
    tail_en = f"; {len(unknown)} links were not checked (robots.txt, private addresses or caps)" if unknown else ""
    sus_zh = f"，疑似不可用 {len(suspect)} 个" if suspect else ""
    sus_en = f", {len(suspect)} suspect" if suspect else ""
    checked = len(links) - len(unknown)
    if dead and len(dead) >= fail_at:
        return Result.failed(T(f"首页 {len(links)} 个链接中确定不可用 {len(dead)} 个{sus_zh}{tail_zh}",
                               f"{len(dead)} of {len(links)} homepage links are dead{sus_en}{tail_en}"), evidence, **details)
    if dead or (suspect and len(suspect) >= warn_at):
        return Result.warned(T(f"首页 {len(links)} 个链接中确定不可用 {len(dead)} 个{sus_zh}（超时、服务器错误等，可能是临时问题，请复核）{tail_zh}",
                               f"{len(dead)} dead{sus_en} of {len(links)} homepage links "
                               f"(timeouts/server errors may be transient: re-check){tail_en}"), evidence, **details)
    if checked == 0:
        return Result.unknown(T(f"首页 {len(links)} 个链接均未能检查{tail_zh}",
                                f"none of the {len(links)} homepage links could be checked{tail_en}"),
                              ev(unknown[:10], T("未检查", "not checked")), **details)
    return Result.passed(T(f"首页已检查的 {checked} 个链接均可正常访问{sus_zh}{tail_zh}",
                           f"all {checked} checked homepage links open{sus_en}{tail_en}"), evidence, **details)
