"""ipv6.parity — over IPv6 the homepage is the same site as over IPv4 (首页内容 IPv6/IPv4 一致性).

The ``ipv6`` gatherer fetches the homepage over IPv4 and over IPv6 back to back,
redirects followed, and keeps the first ``max_bytes`` (500 kB, as internet.nl) of each.
The two must agree on the status and the final URL, and their content must be alike:
difflib's ratio over the sequence of tags and words of the two pages, after nonces
and view-state/CSRF fields are stripped, at least ``min_similarity`` (0.9: internet.nl
allows 10 % difference; its own, looser character measure is reported beside).
An "IPv6 建设中" placeholder, an error page or a different site over IPv6 fails.
A homepage that changes on every load (a second IPv4 load is as unlike the first)
passes when the IPv6 copy is as close to it as that, within 5 points.
"""
from auditor.checking.check import Evidence, Result, Setting, T, check

from auditor.checking.network import IPV6_CLAUSE, pct, state_result

ID = "ipv6.parity"
# A page that differs from itself between two IPv4 loads: IPv6 may differ this much more.
BASELINE_SLACK = 0.05


def _ok(rec: dict) -> bool:
    return rec.get("error_kind") is None and rec.get("status") is not None and rec["status"] < 400


def _desc(rec: dict) -> str:
    if rec.get("status") is None:
        return rec.get("error") or "no answer"
    return f"HTTP {rec['status']} → {rec.get('final_url')}"


@check(
    id=ID,
    title=T("首页内容 IPv6/IPv4 一致", "Same homepage over IPv6 and IPv4"),
    category="ipv6",
    clause=IPV6_CLAUSE,
    weight=2,
    gatherers=("ipv6",),
    # internet.nl compares the first 500 kB and allows 10 % difference.
    settings={"max_bytes": Setting(500_000, "bytes of the homepage compared over IPv4 and IPv6"),
              "min_similarity": Setting(0.9, "the least similarity of the two bodies")},
    gatherer_settings={"ipv6": ("max_bytes", "min_similarity")},
    description=T("分别通过 IPv4 和 IPv6 访问首页，比较状态码、最终地址和页面内容（前 500 kB，去除 nonce 等随机字段后"
                  "按标签与词语序列计算相似度，默认不低于 90%，与 internet.nl 允许 10% 差异一致）。"
                  "IPv6 下显示“建设中”页面、错误页或其他内容均不通过。对应监测平台“首页内容 IPv6/IPv4 一致性”指标。",
                  "The homepage fetched over IPv4 and over IPv6: same status, same final URL, and content alike "
                  "(first 500 kB, nonces stripped, similarity of the tag-and-word sequences ≥ 90 %, internet.nl's "
                  "10 % allowance). A placeholder, an error page or other content over IPv6 fails."),
    remediation=T("让 IPv6 与 IPv4 访问指向同一网站服务（同一源站或 CDN 配置），不要为 IPv6 单独部署“建设中”或跳转页面。",
                  "Serve the same site over IPv6 as over IPv4 (same origin or CDN configuration); no separate "
                  "placeholder or redirect for IPv6."),
)
def run(snap, profile, settings):
    data = snap.facts["ipv6"]  # the runner says unknown when it was not gathered
    early = state_result(data)
    if early is not None:
        return early
    if not data.get("has_v6"):
        return Result.not_applicable(T("网站没有 IPv6 地址，无从比较（见 ipv6.dns、ipv6.reachable）",
                                       "the site has no IPv6 address: nothing to compare (see ipv6.dns, ipv6.reachable)"))
    need = float(settings["min_similarity"])
    p = data.get("parity")
    if p is None:
        answered = any(pr.get("status") is not None for e in data.get("ports") or [] for pr in e.get("probes") or [])
        if not answered:
            return Result.failed(T("网站有 IPv6 地址，但首页不能通过 IPv6 打开，IPv6 用户看不到网站内容",
                                   "the site has an IPv6 address but its homepage does not open over IPv6"),
                                 [Evidence(e["url"], f"{e.get('ok', 0)}/{e.get('total', 0)}") for e in data.get("ports") or []])
        return Result.unknown(T("未完成 IPv4/IPv6 对比（时间预算用尽），无法判断",
                                "the IPv4/IPv6 comparison was not made (time budget)"))
    pair = p.get("homepage") or p
    v4, v6 = p["v4"], p["v6"]
    ev = [Evidence(v4.get("url", p["url"]), _desc(v4), T("IPv4 访问", "over IPv4")),
          Evidence(v6.get("url", p["url"]), _desc(v6), T("IPv6 访问", "over IPv6"))]
    sim = pair.get("similarity") or {}
    details = {"url": p["url"], "v4": v4, "v6": v6, "same_status": p.get("same_status"),
               "same_final_url": p.get("same_final_url"), "similarity": sim.get("tokens"),
               "internetnl_similarity": sim.get("internetnl"), "min_similarity": need,
               "titles": [pair.get("title_v4"), pair.get("title_v6")], "bytes": pair.get("bytes")}
    if pair is not p:
        details["homepage"] = {"url": pair["url"], "v4": pair["v4"], "v6": pair["v6"]}
    if not _ok(v4):
        return Result.unknown(T(f"本次通过 IPv4 访问首页失败（{_desc(v4)}），无法比较",
                                f"the homepage did not load over IPv4 this time ({_desc(v4)}): nothing to compare"),
                              ev, **details)
    if not _ok(v6):
        return Result.failed(T(f"首页通过 IPv6 访问失败或出错（{_desc(v6)}），与 IPv4（HTTP {v4['status']}）不一致",
                               f"over IPv6 the homepage fails ({_desc(v6)}), unlike over IPv4 (HTTP {v4['status']})"),
                             ev, **details)
    problems = []
    if not p.get("same_status"):
        problems.append(T(f"状态码不同（IPv4 {v4['status']}，IPv6 {v6['status']}）",
                          f"different status (IPv4 {v4['status']}, IPv6 {v6['status']})"))
    if not p.get("same_final_url"):
        problems.append(T(f"最终地址不同（IPv4 {v4['final_url']}，IPv6 {v6['final_url']}）",
                          f"different final URL (IPv4 {v4['final_url']}, IPv6 {v6['final_url']})"))
    if pair is not p and _ok(pair["v4"]) and not _ok(pair["v6"]):
        return Result.failed(T(f"首页跳转后的页面 {pair['url']} 通过 IPv6 访问失败（{_desc(pair['v6'])}）",
                               f"the page the homepage sends visitors to, {pair['url']}, fails over IPv6 "
                               f"({_desc(pair['v6'])})"), ev, **details)
    if pair is not p and not pair.get("same_final_url"):
        problems.append(T("首页跳转后的页面地址不同", "the page the homepage sends visitors to differs"))
    ratio = sim.get("tokens")
    if ratio is None:
        return Result.unknown(T("未取得两次访问的页面内容，无法比较内容", "no page content to compare"), ev, **details)
    baseline = pair.get("baseline")
    details["baseline_similarity"] = baseline
    varies = baseline is not None and baseline < need and ratio >= baseline - BASELINE_SLACK
    if ratio < need and not varies:
        problems.append(T(f"页面内容相似度 {pct(ratio)}，低于 {pct(need)}（IPv4 标题“{pair.get('title_v4')}”，"
                          f"IPv6 标题“{pair.get('title_v6')}”）",
                          f"content similarity {pct(ratio)}, below {pct(need)} (titles '{pair.get('title_v4')}' "
                          f"over IPv4, '{pair.get('title_v6')}' over IPv6)"))
    if problems:
        return Result.failed(T("IPv6 访问的首页与 IPv4 不一致：" + "；".join(t.zh for t in problems),
                               "the homepage over IPv6 is not the one over IPv4: " + "; ".join(t.en for t in problems)),
                             ev, **details)
    if varies:
        return Result.passed(T(f"IPv6 与 IPv4 访问的首页一致：相似度 {pct(ratio)}，与两次 IPv4 访问之间的差异（{pct(baseline)}）相当"
                               "（首页内容每次访问都有变化）",
                               f"the homepage over IPv6 matches IPv4: similarity {pct(ratio)}, as close as two IPv4 loads "
                               f"are to each other ({pct(baseline)}; the page changes on every load)"), ev, **details)
    return Result.passed(T(f"IPv6 与 IPv4 访问的首页一致（内容相似度 {pct(ratio)}）",
                           f"the homepage over IPv6 matches IPv4 (content similarity {pct(ratio)})"), ev, **details)
