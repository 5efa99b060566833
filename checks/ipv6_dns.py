"""ipv6.dns — the site's host names have AAAA records (网站域名 IPv6 地址解析能力).

Every host on the way to the homepage (the start host and the host visitors land on)
must resolve to an IPv6 address, CNAME chains followed by the resolver. Addresses
that are not global unicast (::1, ULA, link-local, 6to4, Teredo, documentation …)
cannot be reached from the internet: they fail, unless the audit runs against its
own resolver (``--dns-server``/``--resolve``: a staging or internal network), where
they are accepted with a note (profile ``allow_non_global``: auto, yes, no).
"""
from auditor.checking.check import Evidence, Result, Setting, T, check
from auditor.network.resolve import is_global_v6

from auditor.checking.network import IPV6_CLAUSE, state_result

ID = "ipv6.dns"


@check(
    id=ID,
    title=T("域名 IPv6 解析（AAAA 记录）", "AAAA records for the site's name"),
    category="ipv6",
    clause=IPV6_CLAUSE,
    weight=2,
    gatherers=("dns",),
    description=T("网站域名应能解析出正确的 IPv6 地址（AAAA 记录，跟随 CNAME），且为全球单播地址。"
                  "对应国家 IPv6 发展监测平台“网站域名 IPv6 地址解析能力”指标。",
                  "The site's names must resolve to IPv6 addresses (AAAA, CNAMEs followed) that are global "
                  "unicast — the monitoring's 'domain resolves to IPv6' indicator."),
    remediation=T("在权威 DNS 为网站域名添加 AAAA 记录（或由 CDN/云服务商开通 IPv6 并配置 CNAME），确保解析出公网 IPv6 地址。",
                  "Add AAAA records for the site's names (or enable IPv6 at the CDN and point a CNAME at it), "
                  "resolving to public IPv6 addresses."),
    settings={"allow_non_global": Setting("auto", "AAAA addresses that are not global unicast (::1, fc00::/7, fe80::/10 …): \"auto\" accepts them when the audit uses its own resolver (--dns-server/--resolve: staging or internal network); \"yes\"; \"no\"")},
)
def run(snap, profile, settings):
    data = snap.facts["dns"]  # the runner says unknown when it was not gathered
    early = state_result(data)
    if early is not None:
        return early
    if data.get("state") == "resolver-error":
        return Result.unknown(T(f"DNS 查询失败（{data.get('resolver')}）：{data.get('error')}，无法判断",
                                f"DNS queries failed ({data.get('resolver')}): {data.get('error')}"),
                              resolver=data.get("resolver"))
    allow = str(settings["allow_non_global"]).lower()
    own_resolver = data.get("resolver", "").startswith("DNS server") or bool(data.get("pins"))
    accept_local = allow == "yes" or (allow == "auto" and own_resolver)
    ev, missing, local_only, notes = [], [], [], []
    for h in data.get("hosts", []):
        chain = " → ".join([h["host"], *h.get("cname", [])])
        aaaa = h.get("aaaa") or []
        if h.get("aaaa_error_kind") in ("timeout", "servfail", "error"):
            return Result.unknown(T(f"{h['host']} 的 AAAA 查询失败：{h.get('aaaa_error')}，无法判断",
                                    f"the AAAA query for {h['host']} failed: {h.get('aaaa_error')}"),
                                  [Evidence(f"dns:{h['host']}", chain)], hosts=data.get("hosts"))
        if not aaaa:
            why = "域名不存在（NXDOMAIN）" if h.get("aaaa_error_kind") == "nxdomain" else "没有 AAAA 记录"
            missing.append(h["host"])
            ev.append(Evidence(f"dns:{h['host']}", f"{chain}: AAAA —；A {', '.join(h.get('a') or ['—'])}",
                               T(why, "no AAAA record" if why.endswith("记录") else "no such name (NXDOMAIN)")))
            continue
        public = [a for a in aaaa if is_global_v6(a)]
        if not public:
            local_only.append(h["host"])
        ev.append(Evidence(f"dns:{h['host']}", f"{chain}: AAAA {', '.join(aaaa)}",
                           T("IPv6 地址" if public else "非公网 IPv6 地址", "IPv6 addresses" if public else
                             "IPv6 addresses that are not global")))
    for pin in data.get("pins", []):
        notes.append(f"{pin['host']}:{pin['port']} → {', '.join(pin['addrs'])} (--resolve)")
    details = {"hosts": data.get("hosts"), "resolver": data.get("resolver"), "pins": data.get("pins")}
    if notes:
        ev.append(Evidence("", "; ".join(notes), T("连接时使用的指定地址", "addresses pinned for connections")))
    if missing:
        return Result.failed(T(f"{'、'.join(missing)} 没有 AAAA 记录，IPv6 用户无法访问",
                               f"{', '.join(missing)} has no AAAA record: IPv6 users cannot reach it"), ev, **details)
    if local_only and not accept_local:
        return Result.failed(T(f"{'、'.join(local_only)} 的 AAAA 记录不是公网 IPv6 地址",
                               f"the AAAA records of {', '.join(local_only)} are not global IPv6 addresses"), ev, **details)
    if local_only:
        return Result.passed(T(f"域名均有 AAAA 记录（{'、'.join(local_only)} 为内网/本机地址，按指定的解析服务器 {data.get('resolver')} 接受）",
                               f"every name has AAAA records ({', '.join(local_only)}: non-global addresses, accepted "
                               f"because the audit uses its own resolver, {data.get('resolver')})"), ev, **details)
    return Result.passed(T("网站域名均可解析出 IPv6 地址", "every name of the site resolves to IPv6 addresses"),
                         ev, **details)
