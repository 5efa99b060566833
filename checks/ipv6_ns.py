"""ipv6.ns — the zone's name servers are on IPv6 (完整的 IPv6 域名授权体系).

As internet.nl judges it: at least two name servers of the zone have AAAA records
(profile ``min_ipv6_nameservers``), and every IPv6 address of a name server answers
a DNS query for the zone over IPv6 (SERVFAIL/REFUSED or silence fail).
"""
from auditor.checking.check import Evidence, Result, Setting, T, check

from auditor.checking.network import IPV6_CLAUSE, state_result

ID = "ipv6.ns"


@check(
    id=ID,
    title=T("域名服务器支持 IPv6", "Name servers on IPv6"),
    category="ipv6",
    clause=IPV6_CLAUSE,
    weight=1,
    gatherers=("nameservers",),
    description=T("网站所在域的权威域名服务器应至少有两台具有 IPv6 地址（AAAA），并能通过 IPv6 应答 DNS 查询"
                  "（国家 IPv6 发展监测平台“完整的 IPv6 域名授权体系”指标；至少两台的要求取自 internet.nl）。",
                  "At least two of the zone's name servers have AAAA records (as internet.nl asks) and every "
                  "one of those addresses answers DNS queries over IPv6 — the monitoring's 'IPv6 delegation' indicator."),
    remediation=T("为权威 DNS 服务器配置 IPv6 地址（AAAA 及上级域的胶水记录），并确认其通过 IPv6 正常应答；"
                  "使用云解析的，开通其 IPv6 解析服务。",
                  "Give the authoritative name servers IPv6 addresses (AAAA and glue at the parent) and make sure "
                  "they answer over IPv6; with a hosted DNS, enable its IPv6 service."),
    settings={"min_ipv6_nameservers": Setting(2, "name servers with AAAA records required (internet.nl asks for two)")},
)
def run(snap, profile, settings):
    data = snap.facts["nameservers"]  # the runner says unknown when it was not gathered
    early = state_result(data)
    if early is not None:
        return early
    if data.get("state") == "resolver-error":
        return Result.unknown(T(f"DNS 查询失败：{data.get('error')}，无法判断", f"DNS queries failed: {data.get('error')}"))
    zone, servers = data.get("zone"), data.get("ns") or []
    if not zone or not servers:
        return Result.unknown(T(f"未能查到网站所在域的域名服务器（{data.get('zone_error')}），无法判断",
                                f"the zone's name servers could not be found ({data.get('zone_error')})"))
    need = int(settings["min_ipv6_nameservers"])
    with_v6 = [s for s in servers if s.get("aaaa")]
    silent = []
    ev = []
    for s in servers:
        answers = s.get("v6_answers") or []
        bad = [a for a in answers if not a.get("ok")]
        if bad:
            silent.append(s["name"])
        desc = f"{s['name']}: A {', '.join(s.get('a') or ['—'])}; AAAA {', '.join(s.get('aaaa') or ['—'])}"
        if answers:
            desc += "; " + ", ".join(f"[{a['addr']}] {'应答' if a.get('ok') else '无应答'}"
                                     f"{'' if a.get('ok') else '（' + str(a.get('error')) + '）'}" for a in answers)
        ev.append(Evidence(f"dns:{s['name']}", desc[:400],
                           T("域名服务器", "name server") if not bad else T("IPv6 无应答", "no answer over IPv6")))
    details = {"zone": zone, "nameservers": servers, "with_ipv6": len(with_v6), "required": need,
               "port": data.get("ns_port")}
    if len(with_v6) < need:
        return Result.failed(T(f"{zone} 的 {len(servers)} 台域名服务器中仅 {len(with_v6)} 台有 IPv6 地址（要求至少 {need} 台）",
                               f"only {len(with_v6)} of the {len(servers)} name servers of {zone} have an IPv6 "
                               f"address (at least {need} needed)"), ev, **details)
    if silent:
        return Result.failed(T(f"{'、'.join(silent)} 有 IPv6 地址，但不能通过 IPv6 应答 DNS 查询",
                               f"{', '.join(silent)} has an IPv6 address but does not answer DNS over IPv6"), ev, **details)
    return Result.passed(T(f"{zone} 有 {len(with_v6)} 台域名服务器具有 IPv6 地址，均能通过 IPv6 应答",
                           f"{len(with_v6)} name servers of {zone} have IPv6 addresses and answer over IPv6"),
                         ev, **details)
