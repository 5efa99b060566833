"""https.certificate — the certificate the site serves: chain, name, validity.

Judged on what the server presents (the ``tls`` gatherer parses the DER it sent):

* the chain must verify against the default CAs (certifi's, which the crawl trusts);
  with ``--ca-bundle`` a chain that verifies only against that file is accepted
  (a staging CA the user named) and the summary says so — ``--ca-bundle`` never hides
  an expired certificate or a wrong name, which are judged from the certificate itself;
* the site's host name must match a subjectAltName (RFC 6125; the CN alone, as browsers,
  does not count);
* it must be valid now; ``warn_days`` (30) or fewer days left warns.
"""
from auditor.checking.check import Evidence, Result, Setting, T, check

from auditor.checking.network import HTTPS_CLAUSE, na_without_https

ID = "https.certificate"

_VERIFY_TEXT = {
    10: ("证书已过期", "the certificate has expired"),
    9: ("证书尚未生效", "the certificate is not yet valid"),
    18: ("自签名证书，不受信任", "a self-signed certificate, not trusted"),
    19: ("证书链中有不受信任的自签名根证书", "a self-signed root in the chain is not trusted"),
    20: ("无法找到签发者（证书链不完整或签发 CA 不受信任）", "the issuer cannot be found (incomplete chain or untrusted CA)"),
    21: ("无法验证第一张证书（证书链不完整）", "the first certificate cannot be verified (incomplete chain)"),
    2: ("无法获取签发者证书（证书链不完整）", "the issuer certificate cannot be found (incomplete chain)"),
}


def _trust_text(t: dict | None) -> tuple[str, str]:
    if not t:
        return "未校验", "not checked"
    if t.get("ok"):
        return "通过", "verified"
    code = t.get("verify_code")
    if code in _VERIFY_TEXT:
        return _VERIFY_TEXT[code]
    return f"未通过（{t.get('error')}）", f"failed ({t.get('error')})"


@check(
    id=ID,
    title=T("HTTPS 证书有效", "Valid HTTPS certificate"),
    category="security",
    clause=HTTPS_CLAUSE,
    weight=2,
    gatherers=("tls",),
    description=T("网站提供的证书应由受信任的 CA 签发（证书链完整）、与网站域名匹配（subjectAltName）、在有效期内；"
                  "剩余有效期不足 30 天时提醒续期。",
                  "The certificate served must chain to a trusted CA, name the site's host in its subjectAltName, "
                  "and be valid now; 30 days or fewer left warns."),
    remediation=T("向受信任的 CA 申请与网站域名匹配的证书，服务器配置完整证书链（含中间证书），并在到期前及时续期（建议自动续期）。",
                  "Get a certificate for the site's names from a trusted CA, serve the full chain (intermediates "
                  "included) and renew it before it expires (automate renewal)."),
    settings={"warn_days": Setting(30, "days left below which an otherwise valid certificate warns")},
)
def run(snap, profile, settings):
    data = snap.facts["tls"]  # the runner says unknown when it was not gathered
    early = na_without_https(data)
    if early is not None:
        return early
    cert = data.get("certificate")
    if not cert:
        why = data.get("certificate_error") or data.get("handshake_error") or "no certificate read"
        return Result.unknown(T(f"未能读取网站证书（{why}），无法判断", f"the certificate could not be read ({why})"))
    host = data.get("host")
    warn_days = float(settings["warn_days"])
    days = cert["days_left"]
    names = ", ".join(cert.get("san_dns") or cert.get("san_ip") or []) or "（无 SAN）"
    td, tx = data.get("trust_default"), data.get("trust_extra")
    default_zh, default_en = _trust_text(td)
    ev = [Evidence(f"https://{host}/" if ":" not in (host or "") else "",
                   f"subject: {cert['subject']}; SAN: {names}"[:400], T("证书主体与域名", "subject and names")),
          Evidence("", f"issuer: {cert['issuer']}; {cert['not_before'][:10]} → {cert['not_after'][:10]}"
                       f"（剩余 {days:.0f} 天）; {cert['key']}; SHA-256 {cert['sha256'][:16]}…",
                   T("签发者与有效期", "issuer and validity"))]
    ev.append(Evidence("", f"默认 CA 库：{default_zh}" + (f"；--ca-bundle：{_trust_text(tx)[0]}" if tx else ""),
                       T("证书链校验", "chain verification")))
    if data.get("chain"):
        ev.append(Evidence("", " ← ".join(c.get("subject", "") for c in data["chain"])[:400],
                           T("服务器发送的证书链", "chain as sent by the server")))
    details = {"host": host, "certificate": cert, "name_match": data.get("name_match"), "name_how": data.get("name_how"),
               "trust_default": td, "trust_extra": tx, "ca_bundle": data.get("ca_bundle"), "chain": data.get("chain"),
               "chain_note": data.get("chain_note"), "days_left": days, "warn_days": warn_days}
    problems = []
    if cert.get("expired"):
        problems.append(T(f"证书已于 {cert['not_after'][:10]} 过期", f"the certificate expired on {cert['not_after'][:10]}"))
    if cert.get("not_yet_valid"):
        problems.append(T(f"证书要到 {cert['not_before'][:10]} 才生效", f"the certificate is valid only from {cert['not_before'][:10]}"))
    if not data.get("name_match"):
        problems.append(T(f"证书不包含网站域名 {host}（证书名称：{names}）",
                          f"the certificate does not name {host} (it names {names})"))
    trusted_default = bool(td and td.get("ok"))
    trusted_extra = bool(tx and tx.get("ok"))
    date_codes = (9, 10)
    if not trusted_default and not trusted_extra:
        codes = {td.get("verify_code") if td else None, tx.get("verify_code") if tx else None}
        dated = (cert.get("expired") or cert.get("not_yet_valid")) and codes & set(date_codes)
        if not dated:
            problems.append(T(f"证书链校验未通过：{default_zh}", f"the chain does not verify: {default_en}"))
    if problems:
        return Result.failed(T("证书存在问题：" + "；".join(p.zh for p in problems),
                               "certificate problems: " + "; ".join(p.en for p in problems)), ev, **details)
    via = "" if trusted_default else "（仅通过 --ca-bundle 指定的 CA 校验，公众浏览器不信任）"
    via_en = "" if trusted_default else " (verified only against the --ca-bundle CA: public browsers will not trust it)"
    if days <= warn_days:
        return Result.warned(T(f"证书将于 {cert['not_after'][:10]} 到期，仅剩 {days:.0f} 天{via}",
                               f"the certificate expires on {cert['not_after'][:10]}, {days:.0f} days left{via_en}"),
                             ev, **details)
    return Result.passed(T(f"证书有效：由 {', '.join(cert.get('issuer_cn') or [cert['issuer']])} 签发，"
                           f"{cert['not_after'][:10]} 到期（剩余 {days:.0f} 天）{via}",
                           f"valid certificate from {', '.join(cert.get('issuer_cn') or [cert['issuer']])}, "
                           f"expires {cert['not_after'][:10]} ({days:.0f} days left){via_en}"), ev, **details)
