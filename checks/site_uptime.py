"""site.uptime — 站点无法访问, judged from a week of homepage probes.

The 国办 veto (✅ docs/rules.md#R-veto-site-unavailable): "监测1周，每天间隔性访问20次以上，超过（含）15秒网站
仍打不开的次数累计占比超过（含）5%". ``gov-audit monitor URL --history DB`` takes the
probes (a 15 s limit each, as the 国办 monitor does); the ``uptime`` gatherer reads
them from the history store and this check judges them. It is a veto item, but it
only fails with enough data: every day of the window needs its minimum number of
probes; with fewer it is ``unknown`` ("needs a week of samples"). 开普云 warns at a 3 %
failure rate, so warn is 3 %.

Profile thresholds (``[thresholds]``; defaults from docs/rules.md):
``uptime_window_days`` 7, ``uptime_min_probes_per_day`` 20 (per day, or per window
when the window is shorter than a day), ``uptime_fail_ratio`` 0.05,
``uptime_warn_ratio`` 0.03, and the probe limit ``homepage_timeout_seconds`` 15.

A probe counts as failed when the homepage did not answer 2xx within the limit
(connection refused, DNS, TLS, 5xx, 4xx, timeout). Not counted: probes a site
firewall answered with a challenge (``blocked``: the site was up, the monitor was
refused), and time-outs of probes run with a limit shorter than the rule's (they
prove nothing about 15 s).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from auditor.checking.check import Clause, Evidence, Result, T, check

ID = "site.uptime"
DAY = 86400.0
MAX_EVIDENCE = 20
_BJ = timezone(timedelta(hours=8))


def _bj(ts: float) -> str:
    return datetime.fromtimestamp(ts, _BJ).strftime("%Y-%m-%d %H:%M:%S")


def classify(sample: dict, limit: float) -> str:
    """up | down | blocked | inconclusive."""
    kind = sample.get("error_kind")
    if kind == "blocked":
        return "blocked"
    elapsed = sample.get("elapsed")
    if sample.get("ok"):
        return "down" if elapsed is not None and elapsed >= limit else "up"
    if kind in ("timeout", "deadline") and float(sample.get("timeout") or limit) < limit - 1e-6:
        return "inconclusive"
    return "down"


def _reason(sample: dict) -> str:
    if sample.get("error"):
        return str(sample["error"])[:120]
    if sample.get("status") is not None:
        extra = f"，{sample['elapsed']:.1f} 秒" if sample.get("elapsed") is not None else ""
        return f"HTTP {sample['status']}{extra}"
    return sample.get("error_kind") or "no answer"


@check(
    id=ID,
    title=T("站点连通性（一周监测）", "Homepage uptime over a week of probes"),
    category="availability",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·站点无法访问",
                  confidence="✅", effective="2019-04-01", rule="R-veto-site-unavailable", since="2015-03-11",
                  quote="监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的次数累计占比超过（含）5%，即单项否决。",
                  note="预警线 3% 为监测平台的预警值，属检查配置"),
    weight=5,
    veto=True,
    description=T("读取 gov-audit monitor 记录在历史库中的首页探测结果：监测窗口 7 天、每天至少 20 次探测时，"
                  "15 秒内打不开的次数占比≥5% 为不通过（单项否决），≥3% 为预警；探测不足一周时为“无法判断”。"
                  "阈值可在配置文件 [thresholds] 中调整（uptime_window_days、uptime_min_probes_per_day、"
                  "uptime_fail_ratio、uptime_warn_ratio）。",
                  "Judges the homepage probes gov-audit monitor stored in the history file: with a 7-day window of "
                  "at least 20 probes a day, failures (not open within 15 s) at 5 % or more fail this veto item, "
                  "3 % or more warn; with less data it is unknown. Thresholds are profile settings "
                  "(uptime_window_days, uptime_min_probes_per_day, uptime_fail_ratio, uptime_warn_ratio)."),
    remediation=T("排查首页无法打开的时段（服务器、网络、CDN、防火墙、证书），建立 7×24 小时监测与告警，"
                  "确保首页稳定在 15 秒内打开。",
                  "Find out when and why the homepage did not open (server, network, CDN, firewall, certificate); "
                  "monitor and alert around the clock so it reliably opens within 15 s."),
    gatherers=("uptime",),
)
def run(snap, profile):
    facts = snap.facts["uptime"]
    window_days = profile.threshold("uptime_window_days")
    min_per_day = profile.threshold("uptime_min_probes_per_day")
    fail_ratio = profile.threshold("uptime_fail_ratio")
    warn_ratio = profile.threshold("uptime_warn_ratio")
    limit = profile.threshold("homepage_timeout_seconds")
    need = T(f"需要连续 {window_days:g} 天、每天至少 {min_per_day:g} 次的首页探测数据才能判断；"
             f"请运行 gov-audit monitor {snap.start_url} --history 历史库 --every 30m，并在检查时加 --history 历史库",
             f"needs a week of samples ({window_days:g} days of at least {min_per_day:g} probes a day); "
             f"run gov-audit monitor {snap.start_url} --history DB --every 30m and audit with --history DB")
    if facts.get("state") != "ok":
        return Result.unknown(T("未提供历史库（--history），" + need.zh, "no history file given (--history); " + need.en),
                              needed_days=window_days, needed_per_day=min_per_day)
    now = float(facts.get("now") or 0)
    window = window_days * DAY
    buckets = max(1, int(round(window_days))) if window_days >= 1 else 1
    bucket_len = window / buckets
    samples = [s for s in facts.get("samples") or [] if now - window <= s["at"] <= now + 60]
    per_bucket = [0] * buckets
    kinds = {"up": 0, "down": 0, "blocked": 0, "inconclusive": 0}
    failures = []
    for s in samples:
        kind = classify(s, limit)
        kinds[kind] += 1
        if kind in ("up", "down"):
            i = min(buckets - 1, max(0, int((now - s["at"]) // bucket_len)))
            per_bucket[i] += 1
        if kind == "down":
            failures.append(s)
    judged = kinds["up"] + kinds["down"]
    ratio = kinds["down"] / judged if judged else None
    full_days = sum(1 for n in per_bucket if n >= min_per_day)
    details = {
        "history": facts.get("history"), "window_days": window_days, "min_probes_per_day": min_per_day,
        "probes": len(samples), "judged": judged, "failed": kinds["down"], "blocked": kinds["blocked"],
        "inconclusive": kinds["inconclusive"], "failure_ratio": round(ratio, 4) if ratio is not None else None,
        "probes_per_day": list(reversed(per_bucket)), "days_with_enough_probes": full_days,
        "fail_ratio": fail_ratio, "warn_ratio": warn_ratio, "probe_limit_seconds": limit,
    }
    evidence = [Evidence(s.get("url") or snap.start_url, f"{_bj(s['at'])}（北京时间）：{_reason(s)}",
                         T("打不开的一次探测", "a failed probe")) for s in failures[-MAX_EVIDENCE:]]
    if len(failures) > MAX_EVIDENCE:
        details["failures_not_listed"] = len(failures) - MAX_EVIDENCE
    so_far = (T(f"目前 {judged} 次探测中 {kinds['down']} 次打不开（{ratio:.1%}）",
                f"so far {kinds['down']} of {judged} probes failed ({ratio:.1%})") if ratio is not None
              else T("尚无探测数据", "no probes yet"))
    if full_days < buckets:
        return Result.unknown(T(f"监测数据不足：{full_days}/{buckets} 天达到每天 {min_per_day:g} 次；{so_far.zh}。{need.zh}",
                                f"not enough probes: {full_days}/{buckets} days with {min_per_day:g} a day; "
                                f"{so_far.en}. {need.en}"), evidence, **details)
    pct = f"{ratio:.1%}"
    if ratio >= fail_ratio - 1e-12:
        return Result.failed(T(f"近 {window_days:g} 天 {judged} 次探测中 {kinds['down']} 次在 {limit:g} 秒内打不开，"
                               f"占比 {pct}，达到 {fail_ratio:.0%} 的单项否决线",
                               f"{kinds['down']} of {judged} probes in {window_days:g} days did not open within "
                               f"{limit:g} s ({pct}), at or over the {fail_ratio:.0%} veto line"), evidence, **details)
    if ratio >= warn_ratio - 1e-12:
        return Result.warned(T(f"近 {window_days:g} 天 {judged} 次探测中 {kinds['down']} 次打不开，占比 {pct}，"
                               f"达到 {warn_ratio:.0%} 预警线（否决线 {fail_ratio:.0%}）",
                               f"{kinds['down']} of {judged} probes failed ({pct}): over the {warn_ratio:.0%} early "
                               f"warning (veto at {fail_ratio:.0%})"), evidence, **details)
    return Result.passed(T(f"近 {window_days:g} 天 {judged} 次探测中 {kinds['down']} 次打不开，占比 {pct}，"
                           f"低于 {warn_ratio:.0%} 预警线",
                           f"{kinds['down']} of {judged} probes in {window_days:g} days failed ({pct}), "
                           f"under the {warn_ratio:.0%} early warning"), evidence, **details)
