"""https.redirect — the HTTP homepage sends visitors to HTTPS.

The ``https`` gatherer asks for http://host/ and follows its redirects. Pass: the
first redirect already goes to an https:// URL and the chain ends on HTTPS.
Warn: HTTPS is reached only after another plain-HTTP hop, or only by a page
redirect (meta refresh/script), not by HTTP. Fail: HTTP answers the page itself.
Not applicable when the site serves no HTTP (only HTTPS) or no HTTPS (https.enabled).
"""
from auditor.checking.check import Evidence, Result, T, check

from auditor.checking.network import HTTPS_CLAUSE, state_result

ID = "https.redirect"


@check(
    id=ID,
    title=T("HTTP 自动跳转 HTTPS", "HTTP redirects to HTTPS"),
    category="security",
    clause=HTTPS_CLAUSE,
    weight=1,
    gatherers=("https",),
    description=T("通过 HTTP 访问首页时应直接（第一次跳转即）重定向到 HTTPS 地址，避免用户停留在明文连接上。",
                  "Requesting the homepage over HTTP should redirect straight (first hop) to its HTTPS address."),
    remediation=T("在 Web 服务器或 CDN 上配置 HTTP 到 HTTPS 的 301 永久跳转（同一主机名）。",
                  "Configure a 301 redirect from HTTP to HTTPS (same host name) on the web server or CDN."),
)
def run(snap, profile):
    data = snap.facts["https"]  # the runner says unknown when it was not gathered
    early = state_result(data)
    if early is not None:
        return early
    ports = data.get("ports") or {}
    http, https = data.get("http"), data.get("https")
    if ports.get("http") is None:
        return Result.unknown(T("网站使用非标准端口，无法确定其 HTTP 端口", "the site's HTTP port cannot be told"))
    if http is None:
        return Result.unknown(T("未能探测 HTTP 首页（抓取已停止），无法判断", "the HTTP homepage was not probed"))
    if not http["served"]:
        if http["error_kind"] in ("connect", "timeout", "deadline"):
            return Result.not_applicable(T(f"网站不提供 HTTP 访问（{http['error']}），仅有 HTTPS",
                                           f"the site serves no HTTP ({http['error']}), only HTTPS"))
        return Result.unknown(T(f"HTTP 首页无法访问（{http['error']}），无法判断",
                                f"the HTTP homepage could not be read ({http['error']})"))
    if https is not None and not https["served"] and (ports.get("https") is not None):
        landed = http["final_url"].startswith("https://") and http["status"] is not None
        if not landed:
            return Result.not_applicable(T("网站未提供 HTTPS，无从跳转（见 https.enabled）",
                                           "the site serves no HTTPS to redirect to (see https.enabled)"))
    hops = [u for u, _ in http["redirects"]] + [http["final_url"]]
    statuses = [s for _, s in http["redirects"]]
    chain = " → ".join(f"{u} ({s})" for u, s in http["redirects"]) + (" → " if statuses else "") + \
        f"{http['final_url']} ({http['status'] or http['error']})"
    ev = [Evidence(http["url"], chain[:500], T("HTTP 访问的跳转链", "redirect chain from HTTP"))]
    details = {"url": http["url"], "chain": hops, "statuses": statuses, "final_url": http["final_url"],
               "status": http["status"]}
    final_https = http["final_url"].startswith("https://")
    if not statuses:
        start = snap.start_page
        if start is not None and start.url == http["url"] and start.facts is not None and \
                (start.facts.refresh_to or "").startswith("https://"):
            return Result.warned(T(f"HTTP 首页以页面脚本/meta 刷新跳转到 HTTPS（{start.facts.refresh_to}），而非 HTTP 301 跳转",
                                   f"the HTTP homepage moves to HTTPS by a page redirect ({start.facts.refresh_to}), "
                                   "not an HTTP 301"), ev, **details)
        if ports.get("https") is None:
            return Result.unknown(T("HTTP 首页没有跳转，且网站使用非标准端口，无法确定是否提供 HTTPS",
                                    "the HTTP homepage does not redirect, and on a non-standard port whether the "
                                    "site has HTTPS cannot be told"), ev, **details)
        return Result.failed(T(f"通过 HTTP 访问首页不会跳转到 HTTPS（HTTP {http['status']}）",
                               f"the HTTP homepage does not redirect to HTTPS (HTTP {http['status']})"), ev, **details)
    if not final_https:
        return Result.failed(T(f"HTTP 首页的跳转最终停在 HTTP 地址 {http['final_url']}",
                               f"the HTTP homepage's redirects end on HTTP: {http['final_url']}"), ev, **details)
    if http["status"] is None or http["status"] >= 400:
        return Result.failed(T(f"HTTP 首页跳转到 HTTPS 后访问失败（{http['status'] or http['error']}）",
                               f"the HTTP homepage redirects to HTTPS, which then fails "
                               f"({http['status'] or http['error']})"), ev, **details)
    if not hops[1].startswith("https://"):
        return Result.warned(T(f"HTTP 首页先跳转到另一个 HTTP 地址（{hops[1]}），之后才到 HTTPS",
                               f"the HTTP homepage first redirects to another HTTP address ({hops[1]}) before HTTPS"),
                             ev, **details)
    kind = "永久" if statuses[0] in (301, 308) else "临时"
    return Result.passed(T(f"HTTP 首页直接跳转到 HTTPS（{statuses[0]} {kind}跳转）",
                           f"the HTTP homepage redirects straight to HTTPS ({statuses[0]})"), ev, **details)
