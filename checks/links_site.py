"""links.site — links across the crawled site open (pages, attachments, images, external links).

Every link on every page the crawl read is judged from the statuses the audit
recorded: crawled pages and attachments (the crawl's own fetches) and the link
checks (HEAD, then GET) of off-crawl links — images, scripts, external links —
on the pages no deeper than ``--link-check-depth``. 404/410/403, failed DNS and
refused connections are confirmed dead (开普云 counts only 404/403 as confirmed,
docs/rules.md#R-links-site); other failures are suspect. Links that were never
requested are counted as unchecked, never taken as dead, and the summary says how
much of the site the verdict covers. The 2015 census took 0.1 point per dead link
on pages other than the homepage (🟡), so the thresholds are profile settings.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.network.urls import is_attachment

from auditor.views.page_text import DEAD_STATUSES_DEFAULT, checkable_links, judge_link, link_label

ID = "links.site"
PAGE_TAGS = ("a", "area", "iframe", "frame")
MAX_REFS = 5


class _Entry:
    __slots__ = ("link", "refs", "nrefs", "depth")

    def __init__(self, link, ref, depth):
        self.link = link
        self.refs = [ref]
        self.nrefs = 1
        self.depth = depth


def _inventory(snap, pages, include_external):
    """url -> _Entry: the first link to it, the pages that link to it, the shallowest depth."""
    inv: dict[str, _Entry] = {}
    for page in pages:
        own = (page.url, page.final_url)
        for url, link in checkable_links(snap, page, include_external).items():
            if url in own:
                continue
            entry = inv.get(url)
            if entry is None:
                inv[url] = _Entry(link, page.final_url, page.depth)
                continue
            entry.nrefs += 1
            if len(entry.refs) < MAX_REFS:
                entry.refs.append(page.final_url)
            if page.depth < entry.depth:
                entry.depth = page.depth
            if not entry.link.text and link.text:
                entry.link = link
    return inv


def _unchecked_kind(snap, url, entry) -> str:
    if not snap.in_site(url):
        return "external"
    if entry.link.tag in PAGE_TAGS and not is_attachment(url):
        return "page"
    return "attachment" if is_attachment(url) else "resource"


@check(
    id=ID,
    title=T("全站链接可用性", "Links across the site work"),
    category="links",
    clause=Clause("《全国政府网站普查评分表》（国办发〔2015〕15号附件2）",
                  "扣分指标·网站可用性·链接可用性（其他页面）",
                  confidence="🟡", effective="2015-03-11", rule="R-links-site",
                  quote="首页及其他页面不能正常访问的链接数量。",
                  note="其他页面每个不可用链接扣 0.1 分仅见于二手来源"),
    weight=2,
    description=T("抓取到的各页面上的链接（页面、附件、图片和外部链接）都应能正常访问。404/410/403、域名解析失败、"
                  "连接被拒绝计为确定不可用；超时、5xx、证书错误、限流拦截计为疑似不可用。未请求过的链接（超出抓取范围或"
                  " --link-check-depth、robots.txt 禁止）只计数。阈值（个数、比例）为配置项。",
                  "Links on every crawled page (pages, attachments, images, external links) open. 404/410/403, DNS "
                  "failures and refused connections are confirmed dead; timeouts, 5xx, TLS errors and rate limits are "
                  "suspect. Links never requested (beyond the crawl or --link-check-depth, robots.txt) are only "
                  "counted. Thresholds (count, rate) are profile settings."),
    remediation=T("修复或删除不可用的链接和附件（附件被删除或改名后同步更新引用它的页面）；外部链接失效时更新或撤下；"
                  "建立全站链接定期巡检机制。",
                  "Fix or remove dead links and attachments (update the pages that link to a moved or deleted file); "
                  "update or drop dead external links; check links regularly."),
    gatherers=("homepage", "pages", "links"),
    settings={
        "dead_statuses": Setting(list(DEAD_STATUSES_DEFAULT), "HTTP statuses counted as confirmed dead (the monitoring "
                                                                 "vendor: 404/403; 410 Gone added)"),
        "include_external": Setting(True, "check links to other sites too"),
        "rate_min_links": Setting(50, "the dead-link rate (thresholds.site_dead_links_fail_rate) is judged only with "
                                      "at least this many checked links"),
    },
)
def run(snap, profile, settings):
    dead_statuses = tuple(int(s) for s in settings["dead_statuses"])
    include_external = bool(settings["include_external"])
    warn_at = profile.threshold("site_dead_links_warn")
    fail_at = profile.threshold("site_dead_links_fail")
    fail_rate = profile.threshold("site_dead_links_fail_rate")
    rate_min = int(settings["rate_min_links"])
    suspect_warn = profile.threshold("site_suspect_links_warn")

    pages = list(snap.html_pages())
    inv = _inventory(snap, pages, include_external)
    if not inv:
        return Result.unknown(T("抓取到的页面上没有可检查的链接（页面可能由脚本生成）",
                                "the crawled pages have no links to check (probably built by scripts)"))
    dead, suspect = [], []
    unchecked = {"page": 0, "attachment": 0, "resource": 0, "external": 0}
    ok = 0
    for url, entry in inv.items():
        state, reason = judge_link(snap, url, dead_statuses)
        if state == "ok":
            ok += 1
        elif state == "dead":
            dead.append((url, entry, reason))
        elif state == "suspect":
            suspect.append((url, entry, reason))
        else:
            unchecked[_unchecked_kind(snap, url, entry)] += 1
    order = (lambda x: (not snap.in_site(x[0]), -x[1].nrefs, x[0]))
    dead.sort(key=order)
    suspect.sort(key=order)
    n_unchecked = sum(unchecked.values())
    checked = len(inv) - n_unchecked
    rate = len(dead) / checked if checked else 0.0
    # The deepest page whose off-crawl links (images, external links) were link-checked.
    lc_depth = snap.options.get("link_check_depth")
    if lc_depth is None:
        depths = [e.depth for u, e in inv.items() if u in snap.link_checks]
        lc_depth = max(depths) if depths else None

    def ev(items, label):
        out = []
        for url, entry, reason in items:
            refs = "、".join(entry.refs[:3]) + (f" 等 {entry.nrefs} 个页面" if entry.nrefs > 3 else "")
            out.append(Evidence(url, f"{link_label(snap, entry.link, reason)[:120]} · 引用页面：{refs}", label))
        return out

    def rows(items):
        return [{"url": u, "tag": e.link.tag, "text": e.link.text, "error": r, "internal": snap.in_site(u),
                 "referrers": e.refs, "referrer_count": e.nrefs} for u, e, r in items]

    details = {"pages_crawled": len(pages), "links": len(inv), "checked": checked, "ok": ok,
               "dead": len(dead), "suspect": len(suspect), "unchecked": n_unchecked,
               "unchecked_by_kind": unchecked, "dead_rate": round(rate, 4), "link_check_depth": lc_depth,
               "dead_links": rows(dead), "suspect_links": rows(suspect[:100])}
    evidence = ev(dead, T("确定不可用", "confirmed dead")) + ev(suspect, T("疑似不可用", "suspect"))

    if lc_depth is None:
        depth_zh = depth_en = ""
    elif lc_depth == 0:
        depth_zh = "；图片、外部链接等只检查了首页上的（--link-check-depth 0）"
        depth_en = "; images and external links were checked on the homepage only (--link-check-depth 0)"
    else:
        depth_zh = f"；图片、外部链接等检查到第 {lc_depth} 层页面（--link-check-depth）"
        depth_en = f"; images and external links were checked on pages down to depth {lc_depth} (--link-check-depth)"
    cover_zh = (f"覆盖：抓取 {len(pages)} 个页面，链接 {len(inv)} 个，已检查 {checked} 个，未检查 {n_unchecked} 个"
                f"{depth_zh}")
    cover_en = (f"coverage: {len(pages)} pages crawled, {len(inv)} links, {checked} checked, {n_unchecked} "
                f"unchecked{depth_en}")
    sus_zh = f"，疑似不可用 {len(suspect)} 个（超时、服务器错误等，请复核）" if suspect else ""
    sus_en = f", {len(suspect)} suspect (timeouts, server errors: re-check)" if suspect else ""
    if checked == 0:
        return Result.unknown(T(f"全站链接均未能检查；{cover_zh}", f"no link could be checked; {cover_en}"), **details)
    head_zh = f"全站已检查的 {checked} 个链接中确定不可用 {len(dead)} 个（{rate:.1%}）{sus_zh}；{cover_zh}"
    head_en = f"{len(dead)} of {checked} checked links are dead ({rate:.1%}){sus_en}; {cover_en}"
    by_rate = fail_rate > 0 and checked >= rate_min and rate >= fail_rate
    if dead and (len(dead) >= fail_at or by_rate):
        return Result.failed(T(head_zh, head_en), evidence, **details)
    if (dead and len(dead) >= warn_at) or (suspect and len(suspect) >= suspect_warn):
        return Result.warned(T(head_zh, head_en), evidence, **details)
    if dead:  # fewer than the profile's warning line
        return Result.passed(T(head_zh, head_en), evidence, **details)
    return Result.passed(T(f"全站已检查的 {checked} 个链接均可正常访问{sus_zh}；{cover_zh}",
                           f"all {checked} checked links open{sus_en}; {cover_en}"), evidence, **details)
