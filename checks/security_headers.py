"""security.headers — the homepage's response carries the basic protective headers.

* ``X-Content-Type-Options: nosniff`` (no MIME sniffing of uploads and scripts);
* framing control: ``X-Frame-Options: DENY|SAMEORIGIN`` or CSP ``frame-ancestors``
  (clickjacking; a defaced page framed elsewhere);
* ``Content-Security-Policy`` (enforced, not report-only): limits where scripts come
  from — the main defence against injected 挂马 scripts.

Missing nosniff or framing control fails; a missing CSP alone is judged by the
profile's ``missing_csp`` (warn by default: CSP takes work on old sites).
"""
import re

from auditor.checking.check import Evidence, Result, Setting, T, check

from auditor.checking.network import HEADERS_CLAUSE

ID = "security.headers"
_FRAME_ANCESTORS = re.compile(r"(?:^|;)\s*frame-ancestors\s+[^;]+", re.I)


@check(
    id=ID,
    title=T("安全响应头", "Security headers"),
    category="security",
    clause=HEADERS_CLAUSE,
    weight=1,
    gatherers=("homepage",),
    description=T("首页响应应包含 X-Content-Type-Options: nosniff、防嵌套（X-Frame-Options 或 CSP frame-ancestors）"
                  "和 Content-Security-Policy，用于防范点击劫持、页面被嵌套篡改和脚本注入（挂马）。属良好实践。",
                  "The homepage's response should carry X-Content-Type-Options: nosniff, framing control "
                  "(X-Frame-Options or CSP frame-ancestors) and a Content-Security-Policy, against clickjacking, "
                  "framing and injected scripts. Good practice."),
    remediation=T("在 Web 服务器或 CDN 统一添加：X-Content-Type-Options: nosniff；X-Frame-Options: SAMEORIGIN"
                  "（或 CSP frame-ancestors 'self'）；并制定 Content-Security-Policy 限定脚本来源。",
                  "Add X-Content-Type-Options: nosniff, X-Frame-Options: SAMEORIGIN (or CSP frame-ancestors 'self') "
                  "and a Content-Security-Policy restricting script sources, on the server or CDN."),
    settings={"missing_csp": Setting("warn", "a missing Content-Security-Policy alone (nosniff and framing control present): \"warn\", \"fail\" or \"pass\"")},
)
def run(snap, profile, settings):
    home = snap.homepage
    headers = home.fetch.headers
    nosniff = (headers.get("x-content-type-options") or "").strip().lower()
    xfo = (headers.get("x-frame-options") or "").strip()
    csp = headers.get("content-security-policy") or ""
    csp_ro = headers.get("content-security-policy-report-only") or ""
    fa = _FRAME_ANCESTORS.search(csp)
    have = {"nosniff": nosniff == "nosniff",
            "framing": xfo.upper() in ("DENY", "SAMEORIGIN") or bool(fa),
            "csp": bool(csp.strip())}
    lines = [f"X-Content-Type-Options: {nosniff or '（无）'}", f"X-Frame-Options: {xfo or '（无）'}",
             f"Content-Security-Policy: {csp[:200] or '（无）'}"]
    if csp_ro and not csp:
        lines.append(f"Content-Security-Policy-Report-Only: {csp_ro[:120]}（仅报告，不生效）")
    ev = [Evidence(home.final_url, "; ".join(lines), T("首页响应头", "homepage response headers"))]
    details = {"url": home.final_url, "present": have, "x_frame_options": xfo or None,
               "content_security_policy": csp or None, "frame_ancestors": fa.group(0).strip(" ;") if fa else None}
    missing = [k for k, ok in have.items() if not ok]
    names = {"nosniff": ("X-Content-Type-Options: nosniff", "X-Content-Type-Options: nosniff"),
             "framing": ("防嵌套（X-Frame-Options 或 CSP frame-ancestors）", "framing control (X-Frame-Options or CSP frame-ancestors)"),
             "csp": ("Content-Security-Policy", "Content-Security-Policy")}
    if xfo and xfo.upper() not in ("DENY", "SAMEORIGIN") and not fa:
        ev.append(Evidence(home.final_url, f"X-Frame-Options: {xfo}", T("取值无效或已废弃（如 ALLOW-FROM）",
                                                                          "an invalid or obsolete value (e.g. ALLOW-FROM)")))
    if not missing:
        return Result.passed(T("首页响应包含 nosniff、防嵌套和 CSP 安全头", "nosniff, framing control and a CSP are sent"),
                             ev, **details)
    text = T("首页响应缺少：" + "、".join(names[k][0] for k in missing),
             "the homepage's response lacks " + ", ".join(names[k][1] for k in missing))
    if missing == ["csp"]:
        mode = str(settings["missing_csp"]).lower()
        if mode == "pass":
            return Result.passed(T("首页响应包含 nosniff 与防嵌套安全头（未设置 CSP）",
                                   "nosniff and framing control are sent (no CSP)"), ev, **details)
        return (Result.failed if mode == "fail" else Result.warned)(text, ev, **details)
    return Result.failed(text, ev, **details)
