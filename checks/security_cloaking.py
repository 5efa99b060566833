"""security.cloaking — the site shows search-engine crawlers what it does not show visitors (快照劫持).

The ``cloaking`` gatherer requests the homepage and a sample of pages again as Baiduspider,
Sogou, 360Spider and Googlebot, and as a browser arriving directly. A crawler answer that
redirects off the site, or carries gambling/porn/fake-certificate vocabulary the browser's
answer does not, is the signature of a hacked server: fail, with both versions as evidence.
A different title alone warns. Quotations in education articles are in both versions, so they
never count.
"""
from auditor.checking.check import Clause, Setting, Evidence, Result, T, check
from auditor.network.urls import host_of
import auditor.views.security as security
from auditor.views.security import (KINDS, REMEDIATION_HACKED, VETO_ARTICLE, VETO_DOCUMENT, checked_dates, control_of,
                                    data, distinct_terms, fold, foreign_host, vocab_hits)

ID = "security.cloaking"
VETO_CLAUSE = Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_ATTACK,
                     effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE)


def _kinds(hits) -> str:
    return "、".join(sorted({KINDS[h.kind][0] for h in hits}))


@check(
    id=ID,
    title=T("搜索引擎快照劫持（按爬虫身份区别对待）", "Cloaking for search-engine crawlers"),
    category="security",
    clause=VETO_CLAUSE,
    veto=True,
    weight=3,
    gatherers=("homepage", "cloaking"),
    settings={"sample_pages": Setting(3, "pages besides the homepage requested again as each crawler and with each search-engine Referer ((1 + sample_pages) x 7 requests, rate-limited); security.hijack reads the same requests")},
    gatherer_settings={"cloaking": ('sample_pages',)},
    description=T("以百度、搜狗、360、谷歌爬虫身份重新请求首页和抽样页面，与浏览器访问所得比较：向爬虫单独展示"
                  "赌博、色情、办证等内容或跳转到站外，是网站被入侵、快照被劫持的典型特征。",
                  "The homepage and sample pages are requested again as Baidu, Sogou, 360 and Google crawlers and "
                  "compared with what a browser gets: gambling/porn vocabulary or an off-site redirect shown only "
                  "to crawlers is the signature of a hacked server."),
    remediation=T(*REMEDIATION_HACKED),
)
def run(snap, profile):
    facts = snap.facts["cloaking"]
    if not facts.get("pages"):
        state = facts.get("state")
        return Result.unknown(T(f"未能以爬虫身份重新请求页面（{state}）", f"pages were not requested as crawlers ({state})"))
    d = data(profile)
    site = snap.site_host
    strong, weak = [], []
    compared = refused = 0
    agents = set()
    for rec in facts["pages"]:
        control = control_of(rec, snap)
        ctext = fold(control.get("title", "") + " " + control.get("text", ""))
        for v in rec["variants"]:
            if v["kind"] != "crawler" or v.get("error_kind") or v.get("status") is None:
                continue
            if v["status"] >= 400:
                refused += 1  # firewalls refuse a crawler's name from a non-crawler address: not cloaking
                continue
            compared += 1
            agents.add(v["agent"])
            who = v["agent"]
            loc = v.get("location") or v.get("refresh_to")
            if loc and foreign_host(host_of(loc), site, d) and not control.get("location"):
                strong.append(Evidence(rec["url"], f"{who}: HTTP {v['status']} → {loc}；浏览器：HTTP {control.get('status')}",
                                       T(f"仅对 {who} 跳转到站外", f"redirects only {who} off the site")))
                continue
            hits = [h for h in vocab_hits(v.get("title", "") + "\n" + v.get("text", ""), d) if h.term not in ctext]
            terms = distinct_terms(hits)
            in_title = [h for h in hits if h.term in fold(v.get("title", ""))]
            if in_title or len(terms) >= 2:
                strong.append(Evidence(rec["url"], f"{who} 看到：标题「{v.get('title', '')}」… {hits[0].sentence}"
                                       f"\n浏览器看到：标题「{control.get('title', '')}」",
                                       T(f"仅对 {who} 出现{_kinds(hits)}内容：{'、'.join(terms[:6])}",
                                         f"only {who} gets injected vocabulary: {', '.join(terms[:6])}")))
            elif v.get("title") and control.get("title") and v["title"].strip() != control["title"].strip() \
                    and v.get("status") == control.get("status"):
                weak.append(Evidence(rec["url"], f"{who}：「{v['title']}」；浏览器：「{control['title']}」",
                                     T(f"{who} 得到的标题与浏览器不同", f"{who} gets another title than a browser")))
    details = {"pages": len(facts["pages"]), "requests_compared": compared, "requests_refused": refused,
               "agents": sorted(agents),
               "data_checked": checked_dates(d)}
    if strong:
        return Result.failed(T(f"网站对搜索引擎爬虫展示与访问者不同的违规内容或跳转（{len(strong)} 处），疑似快照劫持",
                               f"the site shows search-engine crawlers injected content or redirects visitors "
                               f"do not see ({len(strong)}): cloaking"), strong + weak, **details)
    if not compared:
        return Result.unknown(T(f"以爬虫身份的请求均未得到正常回答（{refused} 次被拒绝），无法比较",
                                f"no crawler request was answered normally ({refused} refused)"), **details)
    if weak:
        return Result.warned(T(f"{len(weak)} 处页面对爬虫返回的标题与浏览器不同（未见违规词），请人工核对",
                               f"{len(weak)} page(s) give crawlers another title (no injected vocabulary); check by hand"),
                             weak, **details)
    return Result.passed(T(f"以 {len(agents)} 种爬虫身份请求 {len(facts['pages'])} 个页面，内容与浏览器所见一致",
                           f"{len(facts['pages'])} page(s) requested as {len(agents)} crawlers match what a browser gets"),
                         **details)
