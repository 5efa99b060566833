"""site.available — the homepage opens, and in time, on this one probe.

The 国办 veto 站点无法访问 is judged over a week of repeated probes (≥ 20 a day,
15 s each, veto at ≥ 5 % failures): one audit cannot judge it, so this check
reports one probe and is never a veto item.
"""
from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.views.page_text import really_blocked

ID = "site.available"


def _chain(snap, start):
    """Every hop from the start URL to the page a visitor lands on."""
    hops = [f"{url} → HTTP {status}" for url, status in start.fetch.redirects]
    page, seen = start, set()
    while page is not None and page.facts is not None and page.facts.refresh_to \
            and page.url not in seen and page is not snap.homepage:
        seen.add(page.url)
        hops.append(f"{page.final_url} → 页面跳转 / page redirect")
        page = snap.page(page.facts.refresh_to)
        if page is not None:
            hops.extend(f"{url} → HTTP {status}" for url, status in page.fetch.redirects)
    return hops


@check(
    id=ID,
    title=T("首页可访问", "Homepage is reachable"),
    category="availability",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·站点无法访问（15秒打不开计为一次失败）",
                  confidence="✅", effective="2019-04-01", rule="R-veto-site-unavailable", since="2015-03-11",
                  quote="监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的次数累计占比超过（含）5%，即单项否决。",
                  note="本次检查只访问一次，不据此单项否决；一周的判定见 site.uptime"),
    weight=5,
    description=T("本次检查访问首页一次：首页应在 15 秒内正常打开（HTTP 2xx），5 秒以上视为偏慢。"
                  "国办“站点无法访问”单项否决需连续监测一周、每天 20 次以上、失败占比≥5% 才能判定，"
                  "单次检查无法判断，因此本项不是否决项，仅报告本次访问结果。",
                  "One probe of the homepage: it should answer 2xx within 15 s (slow above 5 s). The 国办 "
                  "veto 站点无法访问 needs a week of ≥ 20 probes a day (veto at ≥ 5 % failures), which one "
                  "audit cannot judge, so this check is not a veto item."),
    remediation=T("检查服务器、网络与 CDN/防火墙配置，确保首页稳定在 15 秒内打开；建立 7×24 小时连通性监测，"
                  "出现故障及时处置。",
                  "Check the server, network and CDN/firewall so the homepage reliably opens within 15 s; "
                  "monitor availability around the clock."),
)
def run(snap, profile):
    limit = profile.threshold("homepage_timeout_seconds")
    slow = profile.threshold("homepage_slow_seconds")
    start = snap.start_page
    if start is None:
        if snap.start_url in snap.stats.get("robots_blocked_sample", ()):
            return Result.unknown(T("robots.txt 禁止抓取首页，未访问首页，无法判断",
                                    "robots.txt forbids the homepage, so it was not requested"))
        return Result.unknown(T("未访问首页（检查在访问首页前中断），无法判断",
                                "the homepage was not requested (the audit stopped first)"))
    f = start.fetch
    home = snap.homepage or start
    chain = _chain(snap, start)
    final = home.fetch
    # Fetch.elapsed is network time, every hop together: the wait for the crawler's own pacing
    # slot (rate, robots Crawl-delay) is not in it, so nothing is subtracted from it.
    measured = f.elapsed + (final.elapsed if home is not start else 0.0)
    elapsed = measured
    details = {"url": snap.start_url, "final_url": final.final_url, "status": final.status,
               "elapsed": round(elapsed, 3), "measured": round(measured, 3),
               "redirects": chain, "error": final.error}
    where = final.final_url or snap.start_url
    status_txt = f"HTTP {final.status}" if final.status is not None else (final.error or "无响应")
    ev = [Evidence(where, f"{status_txt}，{elapsed:.2f} 秒 / {elapsed:.2f} s",
                   T("本次访问结果", "this probe"))]
    if chain:
        ev.append(Evidence(snap.start_url, " ⇒ ".join(chain)[:500], T("跳转链", "redirect chain")))

    if final.error_kind == "robots":
        return Result.unknown(T("首页跳转到 robots.txt 禁止抓取的地址，无法判断",
                                "the homepage redirects to a URL robots.txt forbids"), ev, **details)
    if final.error_kind == "encoding":
        return Result.unknown(T(f"首页使用了本工具不支持的压缩编码（{final.error}），无法判断",
                                f"the homepage uses an unsupported content encoding ({final.error})"), ev, **details)
    if final.error_kind is None and really_blocked(home):
        return Result.unknown(
            T(f"首页访问被防火墙/限流拦截（HTTP {final.status}），无法判断首页是否可访问；请将检查工具加入白名单或降低抓取速率后重试",
              f"the homepage answered with a firewall/rate-limit challenge (HTTP {final.status}); "
              "allow-list the auditor or lower the rate and retry"), ev, **details)
    if final.error_kind in ("timeout", "deadline"):
        if elapsed + 0.5 < limit:
            # The crawl gave up (connect cap, --timeout) before the rule's 15 s: slow, not proven unreachable.
            return Result.warned(
                T(f"首页在 {elapsed:.1f} 秒时超时（{final.error}），短于 {limit:g} 秒的判定标准，无法确认能否在 {limit:g} 秒内打开",
                  f"timed out after {elapsed:.1f} s ({final.error}), before the {limit:g} s limit: "
                  f"cannot say whether it opens within {limit:g} s"), ev, **details)
        return Result.failed(T(f"首页超过 {limit:g} 秒仍未打开（{final.error}）",
                               f"the homepage did not open within {limit:g} s ({final.error})"), ev, **details)
    if final.error_kind:
        return Result.failed(T(f"首页无法访问：{final.error}", f"the homepage cannot be reached: {final.error}"),
                             ev, **details)
    if final.status is None or not 200 <= final.status < 300:
        return Result.failed(T(f"首页返回 HTTP {final.status}，无法正常打开",
                               f"the homepage answered HTTP {final.status}"), ev, **details)
    if elapsed >= limit:
        return Result.failed(T(f"首页用时 {elapsed:.1f} 秒才打开，超过 {limit:g} 秒（按检查指标计为打不开）",
                               f"the homepage took {elapsed:.1f} s, over the {limit:g} s limit"), ev, **details)
    if final.size == 0 and final.content_type in ("text/html", "application/xhtml+xml", ""):
        return Result.warned(T("首页返回空白内容（HTTP 200 但没有内容）",
                               "the homepage answered 200 with an empty body"), ev, **details)
    if elapsed >= slow:
        return Result.warned(T(f"首页可以打开，但用时 {elapsed:.1f} 秒，偏慢（超过 {slow:g} 秒）",
                               f"the homepage opens but slowly: {elapsed:.1f} s (over {slow:g} s)"), ev, **details)
    return Result.passed(T(f"首页正常打开（HTTP {final.status}，{elapsed:.2f} 秒）；单次访问结果，"
                           "国办连通性否决需一周监测",
                           f"the homepage opens (HTTP {final.status}, {elapsed:.2f} s); one probe only, "
                           "the 国办 availability veto needs a week of probes"), ev, **details)
