"""ipv6.links — IPv6 support rate of the second- and third-level links
(网站二级/三级内链 IPv6 支持率) and pages that pull IPv4-only resources (IPv6 天窗).

二级 links are the homepage's links within the site's domain (www.x.gov.cn and
other hosts under x.gov.cn); 三级 links those of the pages they lead to. A link is
counted when it works over IPv4 and is supported when it also answers over IPv6
(see the ``ipv6`` gatherer); links broken over IPv4 too belong to links.* and are
left out. Rate = supported ÷ counted, per level, judged against ``level2_pass``
(0.90) and ``level3_pass`` (0.85) — the commonly cited lines, not verified (❓).
Pages embedding images, scripts, styles or frames from hosts without AAAA are
reported (``skylight``: warn, fail or note).
"""
from auditor.checking.check import Evidence, Result, Setting, T, check

from auditor.checking.network import IPV6_LINKS_CLAUSE, pct, state_result

ID = "ipv6.links"


def rate(records: list[dict]) -> tuple[float | None, int, int]:
    counted = [r for r in records if r["result"] in ("ok", "fail")]
    ok = sum(1 for r in counted if r["result"] == "ok")
    return (ok / len(counted) if counted else None), ok, len(counted)


@check(
    id=ID,
    title=T("二级、三级链接 IPv6 支持率", "IPv6 support of second- and third-level links"),
    category="ipv6",
    clause=IPV6_LINKS_CLAUSE,
    weight=2,
    gatherers=("ipv6",),
    # 二级/三级 链接 IPv6 支持率 pass lines: commonly cited, NOT verified (❓ docs/rules.md#R-ipv6-link-levels).
    settings={"level2_pass": Setting(0.90, "share of 二级 links that must work over IPv6"),
              "level3_pass": Setting(0.85, "share of 三级 links that must work over IPv6"),
              "max_links_per_level": Setting(60, "links tested per level"),
              "time_budget_seconds": Setting(180, "time the ipv6 gatherer may take (probes, comparison and links)"),
              "skylight": Setting("warn", 'pages pulling resources from hosts without IPv6 (IPv6 天窗): "warn", '
                                          '"fail" or "note"')},
    gatherer_settings={"ipv6": ("max_links_per_level", "time_budget_seconds")},
    description=T("按国家 IPv6 发展监测平台的方法，统计首页二级链接（首页上的本域链接）和三级链接（二级页面上的本域链接）"
                  "通过 IPv6 可访问的比例（IPv4 下本身不可用的链接不计入），默认达标线 90%、85%（未经核实，可在配置中调整）；"
                  "同时列出引用无 IPv6 地址资源（图片、脚本、样式、框架）的页面（IPv6“天窗”）。",
                  "As the national IPv6 monitoring measures it: the share of the homepage's same-domain links "
                  "(level 2) and of those pages' links (level 3) that load over IPv6 (links broken over IPv4 are "
                  "left out), against pass lines of 90 % and 85 % (unverified, settings); pages pulling resources "
                  "from hosts without IPv6 ('IPv6 skylights') are listed."),
    remediation=T("为各栏目、子站和业务系统的域名配置 AAAA 记录并开通 IPv6 访问；将页面引用的外部图片、脚本、样式"
                  "改为支持 IPv6 的地址或本地化部署，消除 IPv6“天窗”。",
                  "Give the hosts of every column, sub-site and business system AAAA records and IPv6 service; "
                  "serve embedded images, scripts and styles from IPv6-capable hosts to close the 'skylights'."),
)
def run(snap, profile, settings):
    data = snap.facts["ipv6"]  # the runner says unknown when it was not gathered
    early = state_result(data)
    if early is not None:
        return early
    links = data.get("links") or {}
    l2, l3 = links.get("level2") or [], links.get("level3") or []
    pass2 = float(settings["level2_pass"])
    pass3 = float(settings["level3_pass"])
    skylight_mode = str(settings["skylight"]).lower()
    r2, ok2, n2 = rate(l2)
    r3, ok3, n3 = rate(l3)
    sky = data.get("skylights") or []
    details = {"level2_rate": r2, "level2_ok": ok2, "level2_counted": n2, "level2_found": (links.get("found") or {}).get("level2"),
               "level3_rate": r3, "level3_ok": ok3, "level3_counted": n3, "level3_found": (links.get("found") or {}).get("level3"),
               "level2_pass": pass2, "level3_pass": pass3, "cap": links.get("cap"),
               "excluded": sum(1 for r in l2 + l3 if r["result"] == "excluded"),
               "skylights": sky, "failing": [r for r in l2 + l3 if r["result"] == "fail"][:200]}
    if n2 == 0:
        if snap.homepage is None or not snap.homepage.is_html:
            return Result.unknown(T("未取得首页，无法统计链接", "the homepage was not read: no links to count"), **details)
        return Result.not_applicable(T("首页没有可统计的本域链接（或均在 IPv4 下也不可用）",
                                       "the homepage has no same-domain links that could be counted"), **details)
    ev = []
    for r in [r for r in l2 if r["result"] == "fail"] + [r for r in l3 if r["result"] == "fail"]:
        ev.append(Evidence(r["url"], r.get("reason", ""), T(f"{'二' if r['level'] == 2 else '三'}级链接 IPv6 不可用",
                                                             f"level-{r['level']} link fails over IPv6")))
    for s in sky:
        res = s["resources"]
        ev.append(Evidence(s["page"], "; ".join(f"{x['tag']} {x['url']}" for x in res[:5])
                           + (f" …（共 {s['count']} 个）" if s["count"] > 5 else ""),
                           T("IPv6 天窗：引用无 IPv6 地址的资源", "IPv6 skylight: resources from hosts without IPv6")))
    low = []
    if r2 is not None and r2 < pass2:
        low.append(T(f"二级链接 {pct(r2)}（{ok2}/{n2}，要求 {pct(pass2)}）", f"level 2 {pct(r2)} ({ok2}/{n2}, needs {pct(pass2)})"))
    if r3 is not None and r3 < pass3:
        low.append(T(f"三级链接 {pct(r3)}（{ok3}/{n3}，要求 {pct(pass3)}）", f"level 3 {pct(r3)} ({ok3}/{n3}, needs {pct(pass3)})"))
    rates = T(f"二级链接 {pct(r2)}（{ok2}/{n2}），三级链接 {pct(r3)}（{ok3}/{n3}）",
              f"level 2 {pct(r2)} ({ok2}/{n2}), level 3 {pct(r3)} ({ok3}/{n3})")
    if low:
        return Result.failed(T("链接 IPv6 支持率不达标：" + "；".join(t.zh for t in low),
                               "IPv6 support of links below the line: " + "; ".join(t.en for t in low)), ev, **details)
    if sky and skylight_mode in ("warn", "fail"):
        text = T(f"{rates.zh}，但 {len(sky)} 个页面引用了无 IPv6 地址的资源（IPv6 天窗）",
                 f"{rates.en}, but {len(sky)} page(s) pull resources from hosts without IPv6 (IPv6 skylights)")
        return (Result.failed if skylight_mode == "fail" else Result.warned)(text, ev, **details)
    return Result.passed(T(f"链接 IPv6 支持率达标：{rates.zh}", f"links load over IPv6: {rates.en}"), ev, **details)
