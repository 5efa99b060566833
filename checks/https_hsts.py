"""https.hsts — the HTTPS homepage sends Strict-Transport-Security (RFC 6797).

Pass: ``max-age`` of at least ``min_max_age`` (one year, internet.nl's line). Warn: a
shorter max-age. Fail: no header, an unreadable one, or max-age=0 (which switches
HSTS off). Not applicable without HTTPS.
"""
import re

from auditor.checking.check import Evidence, Result, Setting, T, check

from auditor.checking.network import HTTPS_CLAUSE, https_record

ID = "https.hsts"
_MAX_AGE = re.compile(r"""(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)""", re.I)


@check(
    id=ID,
    title=T("HSTS 严格传输安全", "HSTS"),
    category="security",
    clause=HTTPS_CLAUSE,
    weight=1,
    gatherers=("https",),
    description=T("HTTPS 首页应返回 Strict-Transport-Security 响应头，max-age 不少于一年（internet.nl 的标准），"
                  "使浏览器此后只用 HTTPS 访问。为良好实践，非国家强制要求。",
                  "The HTTPS homepage should send Strict-Transport-Security with a max-age of at least a year "
                  "(internet.nl's line). Good practice, not a national requirement."),
    remediation=T("在 HTTPS 响应中添加 Strict-Transport-Security: max-age=31536000（确认全站及子域支持 HTTPS 后可加 includeSubDomains）。",
                  "Send Strict-Transport-Security: max-age=31536000 on HTTPS responses (add includeSubDomains once "
                  "every subdomain serves HTTPS)."),
    settings={"min_max_age": Setting(31536000, "least Strict-Transport-Security max-age (seconds) that passes; shorter warns (internet.nl: one year)")},
)
def run(snap, profile, settings):
    data = snap.facts["https"]  # the runner says unknown when it was not gathered
    rec, early = https_record(data)
    if early is not None:
        return early
    if rec["status"] is None or rec["status"] >= 400 or not rec["final_url"].startswith("https://"):
        return Result.not_applicable(T("网站未正常提供 HTTPS，HSTS 无从谈起（见 https.enabled）",
                                       "the site is not served over HTTPS (see https.enabled)"))
    need = int(settings["min_max_age"])
    value = (rec.get("headers") or {}).get("strict-transport-security")
    ev = [Evidence(rec["final_url"], f"Strict-Transport-Security: {value}" if value else "（无 Strict-Transport-Security 响应头）",
                   T("HTTPS 首页响应头", "HTTPS homepage response header"))]
    details = {"url": rec["final_url"], "header": value, "min_max_age": need}
    if not value:
        return Result.failed(T("HTTPS 首页没有 Strict-Transport-Security 响应头",
                               "the HTTPS homepage sends no Strict-Transport-Security header"), ev, **details)
    m = _MAX_AGE.search(value)
    if not m:
        return Result.failed(T(f"Strict-Transport-Security 头缺少有效的 max-age（{value}）",
                               f"Strict-Transport-Security has no valid max-age ({value})"), ev, **details)
    age = int(m.group(1))
    details.update({"max_age": age, "include_subdomains": "includesubdomains" in value.lower(),
                    "preload": "preload" in value.lower()})
    if age == 0:
        return Result.failed(T("Strict-Transport-Security 的 max-age=0，HSTS 实际被关闭",
                               "max-age=0 switches HSTS off"), ev, **details)
    if age < need:
        return Result.warned(T(f"HSTS max-age 为 {age} 秒（约 {age / 86400:.0f} 天），短于 {need} 秒（一年）",
                               f"HSTS max-age is {age} s (about {age / 86400:.0f} days), shorter than {need} s"),
                             ev, **details)
    return Result.passed(T(f"已启用 HSTS（max-age {age} 秒）", f"HSTS is on (max-age {age} s)"), ev, **details)
