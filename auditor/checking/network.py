"""Shared by the network checks (ipv6.*, https.*, security.headers): clauses, reading the
gatherers' facts, and the states in which a check cannot judge."""
from __future__ import annotations

from auditor.checking.check import Clause, Result, T

IPV6_CLAUSE = Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                     "第15项（政府网站部署IPv6）",
                     confidence="✅", effective="2018-05-06", rule="R-ipv6-deploy",
                     quote="推进政府网站部署互联网协议第六版（IPv6），结合部相关工程建设实际，力争在年内完成门户网站相关改造工作，"
                           "全面支持互联网协议第六版。",
                     note="检测方法为国家IPv6发展监测平台的网站指标")
IPV6_LINKS_CLAUSE = Clause("《推进互联网协议第六版（IPv6）规模部署行动计划》；国家IPv6发展监测平台 网站IPv6支持度指标",
                           "网站二级、三级内链IPv6支持率",
                           confidence="❓", effective="2017-11-26", rule="R-ipv6-link-levels",
                           note="指标名称见监测平台说明；90%/85% 合格线未核实，为检查配置")
HTTPS_CLAUSE = Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                      "安全防护：数据加密",
                      confidence="🟡", effective="2017-05-15", rule="R-https-encryption",
                      note="条文原文未取得；HTTPS/HSTS 为与加密条款相关的良好实践，并非国家层面的强制要求")
HEADERS_CLAUSE = Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                        "第15项（防攻击、防篡改）",
                        confidence="🟡", effective="2018-05-06", rule="R-mot-security",
                        quote="完善政府网站安全保障机制，做好防攻击、防篡改、防病毒等工作。",
                        note="所列响应头为良好实践（OWASP），工作要点未列明")


# A check reads its gatherer's facts as ``snap.facts[name]``: when they were not gathered (the
# audit was interrupted, the gatherer failed) the runner has already said unknown, and why.


STATE_TEXT = {
    "stopped": (T("抓取已停止（中断、超时或被限流），未进行网络探测，无法判断",
                  "the crawl was stopped (interrupted, out of time or rate-limited): no probe was made"), "unknown"),
    "no-host": (T("没有可检查的主机名", "no host name to check"), "unknown"),
    "no-fetcher": (T("没有可用的网络连接器，无法探测", "no fetcher to probe with"), "unknown"),
    "ipv4-literal": (T("网站以 IPv4 地址访问，不涉及域名与 IPv6 解析", "the site is audited by an IPv4 address"), "na"),
    "ip-literal": (T("网站以 IP 地址访问，没有域名可解析", "the site is audited by an IP address: no name to resolve"), "na"),
    "local-name": (T("localhost 不是公网域名", "localhost is not a public name"), "na"),
    "no-local-ipv6": (T("本机（检查工具所在网络）没有到网站 IPv6 地址的路由，无法进行 IPv6 探测；请在支持 IPv6 的网络中运行",
                        "this machine has no IPv6 route to the site's addresses: run the audit from an IPv6-capable "
                        "network"), "unknown"),
    "unknown-port": (T("网站使用非标准端口，且首页跳转中未出现 HTTPS 地址，无法判断 HTTPS 端口",
                       "the site runs on a non-standard port and its redirects show no HTTPS address: "
                       "the HTTPS port cannot be told"), "unknown"),
}


def state_result(data: dict) -> Result | None:
    """A Result for the states in which nothing can be judged, else None."""
    state = data.get("state")
    if state in STATE_TEXT:
        text, kind = STATE_TEXT[state]
        return Result.not_applicable(text) if kind == "na" else Result.unknown(text)
    return None


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%".replace(".0%", "%")


def https_record(data: dict):
    """(record, None) or (None, Result) for the https origin of the ``https`` facts."""
    early = state_result(data)
    if early is not None:
        return None, early
    if (data.get("ports") or {}).get("https") is None:
        text, _ = STATE_TEXT["unknown-port"]
        return None, Result.unknown(text)
    rec = data.get("https")
    if rec is None:
        return None, Result.unknown(T("未能探测 HTTPS 首页（抓取已停止），无法判断",
                                      "the HTTPS homepage was not probed (the crawl had stopped)"))
    return rec, None


def na_without_https(data: dict):
    """A Result when the site serves no HTTPS (the certificate and TLS checks then say not applicable)."""
    early = state_result(data)
    if early is not None:
        return early
    if data.get("state") == "no-https":
        return Result.not_applicable(T(f"网站未提供 HTTPS（{data.get('error')}），见 https.enabled",
                                       f"the site serves no HTTPS ({data.get('error')}): see https.enabled"))
    return None
