"""security.hijacked-links — outbound links whose target now serves illicit content.

A 友情链接 or reference to a site whose domain expired and was bought by a gambling operator
is how a government page ends up "linking to" gambling content (发布或链接…色情等内容). The
``outbound`` gatherer requests each external host once; a target whose title or text carries
that vocabulary (not in a sentence warning against it) fails. A domain that no longer exists
warns: anyone can register it and serve anything under the site's link (government domains,
which cannot be registered freely, are not counted). When the audit's resolver could not be
shown to work, a failed lookup proves nothing and is only reported.
"""
from auditor.checking.check import Clause, Setting, Evidence, Result, T, check
import auditor.views.security as security
from auditor.views.security import (KINDS, VETO_ARTICLE, VETO_DOCUMENT, checked_dates, data, distinct_terms, fold,
                                    vocab_hits)


ID = "security.hijacked-links"


def resolver_proven(facts: dict) -> bool:
    """A --dns-server answers NXDOMAIN itself; the system resolver must have resolved some other host."""
    if facts.get("dns_server"):
        return True
    return any(r.get("status") is not None and not r.get("pinned") and not r.get("literal") for r in facts["hosts"])


@check(
    id=ID,
    title=T("外链被劫持（链接指向的网站已变为违规网站）", "Outbound links to hijacked sites"),
    category="security",
    clause=Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_CONTENT,
                  effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE),
    veto=True,
    weight=2,
    gatherers=("outbound",),
    settings={"max_hosts": Setting(40, "external hosts requested once each (non-government hosts first)")},
    gatherer_settings={"outbound": ('max_hosts',)},
    description=T("对每个外链域名请求一次：目标网站现在展示赌博、色情、办证等内容的，等同于链接违规内容；"
                  "域名已不存在的（可被他人注册）提示风险。",
                  "Each external host linked is requested once: a target now serving gambling, porn or "
                  "fake-certificate content fails; a domain that no longer exists (anyone may register it) warns."),
    remediation=T("立即删除或更正指向违规网站的链接，排查全站同类外链（友情链接、专题链接、附件中的链接），"
                  "建立外链定期检查制度；已注销的域名链接应删除。发现链接被恶意篡改的，按安全事件报告网信、公安部门。",
                  "Remove or correct links to illicit sites now, check every outbound link of the same kind (friend "
                  "links, special topics, attachments) and review outbound links regularly; remove links to expired "
                  "domains. If links were altered by an attacker, report it to the 网信 office and the police."),
)
def run(snap, profile):
    facts = snap.facts["outbound"]
    if "hosts" not in facts:
        state = facts.get("state")
        return Result.unknown(T(f"未能检查外链目标（{state}）", f"outbound targets were not checked ({state})"))
    hosts = facts["hosts"]
    if not hosts:
        return Result.not_applicable(T("抓取到的页面没有指向其他网站的链接", "the crawled pages link to no other site"))
    d = data(profile)
    proven = resolver_proven(facts)
    strong, weak, unsure = [], [], []
    answered = 0
    for r in hosts:
        if r.get("status") is not None:
            answered += 1
        title, text = r.get("title") or "", r.get("text") or ""
        if title or text:
            hits = vocab_hits(title + "\n" + text, d)
            terms = distinct_terms(hits)
            if len(terms) >= 2 or any(h.term in fold(title) for h in hits):
                kinds = "、".join(sorted({KINDS[h.kind][0] for h in hits}))
                strong.append(Evidence(r["page"], f"<a href=\"{r['url']}\">{_label(r)}</a> → "
                                       f"{r.get('final_url')}：「{title}」… {hits[0].sentence}",
                                       T(f"外链目标现为{kinds}网站（{'、'.join(terms[:6])}）",
                                         f"the linked site now serves illicit content ({', '.join(terms[:6])})")))
                continue
        if r.get("error_kind") == "dns" and not r.get("gov"):
            state = r.get("dns")
            ev = Evidence(r["page"], f"<a href=\"{r['url']}\">{_label(r)}</a>：{r['host']} 无法解析（{state}）",
                          T("外链域名已不存在，可能被他人抢注", "the linked domain no longer exists and could be registered by anyone"))
            if state == "nxdomain" or (state == "no-address" and proven):
                weak.append(ev)
            else:
                unsure.append(r["host"])
    details = {"hosts_checked": len(hosts), "answered": answered, "not_checked": facts.get("not_checked", 0),
               "resolver_proven": proven, "dns_unsure": unsure, "data_checked": checked_dates(d)}
    if strong:
        return Result.failed(T(f"{len(strong)} 个外链目标现为违规网站", f"{len(strong)} linked site(s) now serve illicit content"),
                             strong + weak, **details)
    if weak:
        return Result.warned(T(f"{len(weak)} 个外链域名已无法解析，存在被抢注劫持的风险",
                               f"{len(weak)} linked domain(s) no longer resolve: a hijack risk"), weak, **details)
    if not answered:
        return Result.unknown(T(f"{len(hosts)} 个外链网站均未应答，无法判断其内容", f"none of {len(hosts)} linked sites answered"),
                              **details)
    more = f"；{len(unsure)} 个域名解析失败，但无法确认是“域名不存在”（解析服务不可用或拒绝回答），未作判断" if unsure else ""
    return Result.passed(T(f"检查了 {answered} 个外链网站，未见违规内容{more}",
                           f"{answered} linked site(s) checked, none serves illicit content"
                           + (f"; {len(unsure)} failed lookups not judged (not a proven 'no such domain')" if unsure else "")), **details)


def _label(r: dict) -> str:
    return r.get("link_text") or r["url"]
