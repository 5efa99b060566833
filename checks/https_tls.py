"""https.tls — the TLS protocol versions the site accepts.

The ``tls`` gatherer tries one handshake per version (TLS 1.0, 1.1, 1.2, 1.3) with
the client pinned to it. TLS 1.0 or 1.1 accepted fails (RFC 8996 deprecates them);
TLS 1.2 or 1.3 must be accepted. When this machine's OpenSSL cannot speak TLS 1.0/1.1
at all, the check says it could not test them (unknown) rather than pass silently.
"""
from auditor.checking.check import Evidence, Result, T, check

from auditor.checking.network import HTTPS_CLAUSE, na_without_https

ID = "https.tls"
OLD = ("TLSv1", "TLSv1.1")
MODERN = ("TLSv1.2", "TLSv1.3")
NAMES = {"TLSv1": "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2", "TLSv1.3": "TLS 1.3"}


@check(
    id=ID,
    title=T("TLS 协议版本", "TLS protocol versions"),
    category="security",
    clause=HTTPS_CLAUSE,
    weight=1,
    gatherers=("tls",),
    description=T("网站应仅支持 TLS 1.2 及以上版本；仍接受已废弃的 TLS 1.0/1.1（RFC 8996）则不通过。"
                  "本机 OpenSSL 无法发起 TLS 1.0/1.1 握手时，如实报告“无法检测”。",
                  "Only TLS 1.2 and later should be accepted; TLS 1.0/1.1 (deprecated by RFC 8996) accepted fails. "
                  "When this machine's OpenSSL cannot offer TLS 1.0/1.1, the check says it could not test them."),
    remediation=T("在 Web 服务器/CDN 上关闭 TLS 1.0 和 TLS 1.1，启用 TLS 1.2 与 TLS 1.3。",
                  "Disable TLS 1.0 and 1.1 on the web server/CDN; enable TLS 1.2 and 1.3."),
)
def run(snap, profile):
    data = snap.facts["tls"]  # the runner says unknown when it was not gathered
    early = na_without_https(data)
    if early is not None:
        return early
    versions = data.get("versions") or {}
    if not versions:
        return Result.unknown(T("未进行协议版本探测，无法判断", "no protocol version was probed"))
    url = f"https://{data.get('host')}/" if ":" not in (data.get("host") or "") else ""
    line = "；".join(f"{NAMES[v]}：{ {'accepted': '接受', 'refused': '拒绝', 'untestable': '本机无法检测', 'error': '出错', 'untested': '未测'}.get(r.get('result'), r.get('result')) }"
                    for v, r in versions.items())
    ev = [Evidence(url, line, T("各协议版本握手结果", "handshake per version"))]
    details = {"versions": versions, "local_support": data.get("local_support"), "negotiated": data.get("negotiated")}
    old_on = [v for v in OLD if versions.get(v, {}).get("result") == "accepted"]
    modern_on = [v for v in MODERN if versions.get(v, {}).get("result") == "accepted"]
    if old_on:
        return Result.failed(T(f"网站仍接受已废弃的 {'、'.join(NAMES[v] for v in old_on)}",
                               f"the site still accepts deprecated {', '.join(NAMES[v] for v in old_on)}"), ev, **details)
    if not modern_on:
        if any(versions.get(v, {}).get("result") in ("error", "untested", "untestable") for v in MODERN):
            return Result.unknown(T("TLS 1.2/1.3 握手未能完成测试，无法判断", "TLS 1.2/1.3 could not be tested"), ev, **details)
        # No version at all: no working HTTPS, which https.enabled reports.
        return Result.not_applicable(T("任何 TLS 版本的握手都未成功（该端口未提供可用的 HTTPS，见 https.enabled）",
                                       "no TLS version could be negotiated at all (no working HTTPS: see https.enabled)"),
                                     ev, **details)
    untestable = [v for v in OLD if versions.get(v, {}).get("result") == "untestable"]
    if untestable:
        return Result.unknown(T(f"本机 OpenSSL 无法发起 {'、'.join(NAMES[v] for v in untestable)} 握手，无法检测网站是否仍接受这些旧版本"
                                f"（已支持 {'、'.join(NAMES[v] for v in modern_on)}）",
                                f"this machine's OpenSSL cannot offer {', '.join(NAMES[v] for v in untestable)}: whether "
                                f"the site still accepts them could not be tested (it accepts "
                                f"{', '.join(NAMES[v] for v in modern_on)})"), ev, **details)
    unsure = [v for v in OLD if versions.get(v, {}).get("result") in ("error", "untested")]
    if unsure:
        return Result.unknown(T(f"{'、'.join(NAMES[v] for v in unsure)} 的握手测试出错，无法判断",
                                f"the {', '.join(NAMES[v] for v in unsure)} handshake could not be completed"), ev, **details)
    note = "" if "TLSv1.3" in modern_on else "（建议同时启用 TLS 1.3）"
    note_en = "" if "TLSv1.3" in modern_on else " (consider enabling TLS 1.3)"
    return Result.passed(T(f"仅接受 {'、'.join(NAMES[v] for v in modern_on)}，已拒绝 TLS 1.0/1.1{note}",
                           f"only {', '.join(NAMES[v] for v in modern_on)} accepted; TLS 1.0/1.1 refused{note_en}"),
                         ev, **details)
