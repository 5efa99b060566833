"""ipv6.reachable — the homepage answers over IPv6 on every port the site serves
(网站首页 IPv6 可访问, 首页 IPv6 访问成功率).

The ``ipv6`` gatherer connects to the AAAA addresses (Host header and SNI = the site's
name) on each port that answers over IPv4 (80 and 443 where served) and asks for the
homepage ``probes`` times (profile, default 10 ❓: the monitoring's count is not
published), redirects not followed. A probe succeeds when the port answers HTTP with
a status below 400 within the timeout. Each port must reach ``min_success_ratio``
(default 0.9 ❓). No AAAA at all fails: IPv6 users cannot open the site.
"""
from auditor.checking.check import Evidence, Result, Setting, T, check

from auditor.checking.network import IPV6_CLAUSE, pct, state_result

ID = "ipv6.reachable"


def port_label(e: dict) -> str:
    return f"{e['scheme']}:{e['port']}"


@check(
    id=ID,
    title=T("首页 IPv6 可访问及访问成功率", "Homepage reachable over IPv6"),
    category="ipv6",
    clause=IPV6_CLAUSE,
    weight=3,
    gatherers=("ipv6",),
    # 首页 IPv6 访问成功率 (✅ indicator, docs/rules.md#R-ipv6-deploy): neither number is published
    # by the monitoring (❓; at least 10 probes is a suggestion, not a published figure).
    settings={"probes": Setting(10, "homepage requests over IPv6 per port (the ipv6 gatherer makes them)"),
              "min_success_ratio": Setting(0.9, "the share of probes each port must answer")},
    gatherer_settings={"ipv6": ("probes",)},
    description=T("通过 IPv6 地址多次访问首页（网站提供服务的每个端口，80/443），统计访问成功率；"
                  "对应国家 IPv6 发展监测平台“网站首页 IPv6 可访问性”和“首页 IPv6 访问成功率”指标。"
                  "探测次数与成功率标准为配置项（监测平台未公布具体数值）。",
                  "The homepage is requested several times over IPv6 on every port the site serves (80/443) and "
                  "the success ratio is reported — the monitoring's 'homepage over IPv6' and 'IPv6 success rate' "
                  "indicators; the probe count and the pass ratio are settings (the monitoring does not publish them)."),
    remediation=T("为网站服务器（或 CDN、负载均衡）配置 IPv6 地址并在 80/443 端口监听，开放防火墙 IPv6 策略，"
                  "确保首页通过 IPv6 稳定访问。",
                  "Give the web server (or CDN/load balancer) an IPv6 address listening on 80/443, open the "
                  "firewall for IPv6, and keep the homepage reliably reachable over IPv6."),
)
def run(snap, profile, settings):
    data = snap.facts["ipv6"]  # the runner says unknown when it was not gathered
    early = state_result(data)
    if early is not None:
        return early
    need = float(settings["min_success_ratio"])
    ports = data.get("ports") or []
    details = {"host": data.get("host"), "aaaa": data.get("aaaa"), "ports": ports, "min_success_ratio": need}
    if not data.get("has_v6"):
        if data.get("dns_error_kind") in ("timeout", "servfail", "error", "no-config"):
            return Result.unknown(T(f"AAAA 查询失败（{data.get('dns_error')}），无法判断",
                                    f"the AAAA lookup failed ({data.get('dns_error')})"), **details)
        why = data.get("dns_error") or next((e.get("error") for e in ports if e.get("error")), None) or "no AAAA"
        return Result.failed(T(f"{data.get('host')} 没有 IPv6 地址（{why}），首页无法通过 IPv6 访问",
                               f"{data.get('host')} has no IPv6 address ({why}): the homepage cannot be reached over IPv6"),
                             [Evidence(f"dns:{data.get('host')}", str(why), T("AAAA 查询", "AAAA lookup"))], **details)
    ev, bad, untested = [], [], []
    total_ok = total = 0
    for e in ports:
        if not e.get("addresses"):
            bad.append(f"{port_label(e)}（无 IPv6 地址）")
            ev.append(Evidence(e["url"], e.get("error") or "no IPv6 address", T("无 IPv6 地址", "no IPv6 address")))
            continue
        if not e.get("total"):
            untested.append(port_label(e))
            continue
        ratio = e["ok"] / e["total"]
        total_ok += e["ok"]
        total += e["total"]
        failures = [p for p in e.get("probes", []) if not p.get("ok")]
        sample = (failures[0].get("error") or f"HTTP {failures[0].get('status')}") if failures else ""
        stopped_early = e["total"] < e.get("planned", e["total"])
        text = (f"{e['ok']}/{e['total']} 成功（{pct(ratio)}），IPv6 地址 {', '.join(e['addresses'])}"
                + (f"；失败示例：{sample}" if sample else "")
                + ("；连续 3 次无法连接，停止探测" if stopped_early and not e["ok"] else ""))
        ev.append(Evidence(e["url"], text[:400], T(f"端口 {e['port']} 的 IPv6 探测", f"IPv6 probes of port {e['port']}")))
        if ratio < need:
            bad.append(f"{port_label(e)} {pct(ratio)}")
    details["success_ratio"] = round(total_ok / total, 4) if total else None
    if bad:
        return Result.failed(T(f"首页通过 IPv6 访问不达标：{'、'.join(bad)}（要求每个端口成功率不低于 {pct(need)}）",
                               f"the homepage over IPv6 falls short: {', '.join(bad)} (each port needs {pct(need)})"),
                             ev, **details)
    if untested:
        return Result.unknown(T(f"端口 {'、'.join(untested)} 未能完成 IPv6 探测（时间预算用尽），无法判断",
                                f"port(s) {', '.join(untested)} could not be probed over IPv6 (time budget)"), ev, **details)
    return Result.passed(T(f"首页可通过 IPv6 访问：{total_ok}/{total} 次成功（{pct(total_ok / total)}），"
                           f"端口 {'、'.join(port_label(e) for e in ports)}",
                           f"the homepage answers over IPv6: {total_ok}/{total} probes ({pct(total_ok / total)}) "
                           f"on {', '.join(port_label(e) for e in ports)}"), ev, **details)
