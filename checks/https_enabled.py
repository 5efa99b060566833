"""https.enabled — the homepage is served over HTTPS.

The ``https`` gatherer asks for https://host/ (port 443, or the HTTPS port the site's
redirects show). Served = the TLS handshake completes and the homepage answers below
400 (certificate problems are https.certificate's to judge). A closed port, a failed
handshake or an error page fails; a site on a non-standard port whose redirects
show no HTTPS address cannot be judged.
"""
from auditor.checking.check import Evidence, Result, T, check

from auditor.checking.network import HTTPS_CLAUSE, https_record

ID = "https.enabled"


@check(
    id=ID,
    title=T("启用 HTTPS", "HTTPS is enabled"),
    category="security",
    clause=HTTPS_CLAUSE,
    weight=3,
    gatherers=("https",),
    description=T("网站首页应可通过 HTTPS（TLS 加密）访问。《政府网站发展指引》要求对数据加密传输；HTTPS 为良好实践，"
                  "并非国家层面的强制或否决要求。",
                  "The homepage should be served over HTTPS. The 发展指引 asks for encrypted transmission; HTTPS is "
                  "good practice, not a national hard requirement or veto."),
    remediation=T("为网站申请并部署由可信 CA 签发的证书（可选用 SM2 国密证书与 RSA/ECC 双证书），在 443 端口提供 HTTPS 服务。",
                  "Deploy a certificate from a trusted CA (SM2 and RSA/ECC dual certificates are possible) and "
                  "serve the site over HTTPS on port 443."),
)
def run(snap, profile):
    data = snap.facts["https"]  # the runner says unknown when it was not gathered
    rec, early = https_record(data)
    if early is not None:
        return early
    url = rec["url"]
    details = {"url": url, "status": rec["status"], "final_url": rec["final_url"], "error": rec["error"],
               "error_kind": rec["error_kind"], "tls_error": rec["tls_error"]}
    if rec["status"] is None:
        kind = rec["error_kind"]
        if kind == "dns":
            return Result.unknown(T(f"{url} 域名解析失败，无法判断", f"{url}: the name did not resolve"), **details)
        why = {"connect": T("端口未开放或拒绝连接", "the port is closed or refuses connections"),
               "tls": T("TLS 握手失败", "the TLS handshake fails"),
               "timeout": T("连接超时", "the connection timed out"),
               "deadline": T("连接超时", "the connection timed out")}.get(kind, T(rec["error"] or kind or "无响应",
                                                                                 rec["error"] or kind or "no answer"))
        return Result.failed(T(f"网站未提供 HTTPS 访问：{why.zh}（{rec['error']}）",
                               f"the site is not served over HTTPS: {why.en} ({rec['error']})"),
                             [Evidence(url, rec["error"] or "", T("HTTPS 访问", "HTTPS request"))], **details)
    ev = [Evidence(url, f"HTTP {rec['status']} → {rec['final_url']}", T("HTTPS 访问", "HTTPS request"))]
    if rec.get("blocked"):
        return Result.unknown(T(f"HTTPS 首页被防火墙/限流拦截（HTTP {rec['status']}），无法判断",
                                f"the HTTPS homepage answered with a firewall/rate-limit page (HTTP {rec['status']})"),
                              ev, **details)
    if rec["status"] >= 400:
        return Result.failed(T(f"HTTPS 首页返回 HTTP {rec['status']}，无法正常访问",
                               f"the HTTPS homepage answers HTTP {rec['status']}"), ev, **details)
    if not rec["final_url"].startswith("https://"):
        return Result.failed(T(f"HTTPS 首页又跳转回 HTTP（{rec['final_url']}）",
                               f"the HTTPS homepage redirects back to HTTP ({rec['final_url']})"), ev, **details)
    if rec["tls_error"]:
        return Result.passed(T("网站提供 HTTPS 访问（但证书校验未通过，见 https.certificate）",
                               "the site is served over HTTPS (but its certificate does not verify: see https.certificate)"),
                             ev, **details)
    return Result.passed(T("网站提供 HTTPS 访问", "the site is served over HTTPS"), ev, **details)
