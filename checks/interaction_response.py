"""interaction.response — letters are answered in time (veto 互动回应差 (2)).

2019 检查指标 单项否决 互动回应差 (2): within the year before the inspection, a 政务咨询类
column (not 在线访谈, 调查征集, 网上信访, 纪检举报) has a valid letter not answered for more
than 3 months. 2019 扣分 (国管局 self-check ✅): no new 留言答复 in the 2 months before the
inspection, −3. A 3-working-day answer rule exists in some provinces (辽宁 ✅, 国办 ❓): it is
reported for information only. Days and windows are profile settings.
"""
from __future__ import annotations

from datetime import timedelta

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.checking.view_settings import LETTER_SETTINGS, letter_settings
from auditor.views.letters import (RESPONSE_ID, channel_pages, find_channels, interaction_column, letters_of,
                                   median, working_days)



def _ev(letter, as_of, note: T) -> Evidence:
    if letter.answered:
        text = f"{letter.title}：留言 {letter.asked}，答复 {letter.answered}（{letter.latency()} 天）"
    else:
        state = letter.status or "未答复"
        text = f"{letter.title}：留言 {letter.asked}，{state}，已 {letter.age(as_of)} 天"
    return Evidence(letter.url, text, note)


@check(
    id=RESPONSE_ID,
    title=T("留言答复及时性", "Timely answers to letters (互动回应)"),
    category="interaction",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·互动回应差（第2项）",
                  confidence="✅", effective="2019-04-01", rule="R-veto-unanswered-letters", since="2015-03-11",
                  quote="2.监测时间点前1年内，对网民留言应及时答复处理的政务咨询类栏目（在线访谈、调查征集、网上信访、"
                        "纪检举报类栏目除外）存在超过3个月未回应有效留言的现象。",
                  note="扣分指标：监测时间点前2个月内未更新留言答复扣3分（记为警告）；3个工作日答复仅供参考（来源未核实）"),
    weight=4,
    veto=True,
    description=T("读取互动交流栏目公开的留言（列表页和详情页的留言时间、回复时间、办理状态、回复内容），计算答复率和答复用时。"
                  "一年内的有效留言超过 3 个月未答复（或答复用时超过 3 个月）为单项否决；近 2 个月没有新的留言答复为警告（扣 3 分）。"
                  "在线访谈、调查征集、网上信访、纪检举报栏目不计入。只能判断网站公开的留言。",
                  "Reads the published letters (list and detail pages: asked date, answer date, status, reply) and computes "
                  "the response rate and latency. A valid letter of the last year left unanswered for more than 3 months (or "
                  "answered after more than 3 months) is a veto; no new answer in 2 months warns. Interviews, surveys, "
                  "petitions and discipline reports are left out. Only published letters can be judged."),
    remediation=T("对网民留言及时办理答复（不超过 3 个月，并按本地区规定的时限），并在网站公开答复内容和答复时间；"
                  "定期更新留言答复，公开留言受理反馈情况统计数据。",
                  "Answer every letter promptly (well within 3 months) and publish the answer with its date; keep "
                  "answers flowing and publish statistics on letters received and answered."),
    gatherers=("links",),
    settings={
        **LETTER_SETTINGS[RESPONSE_ID],
        # 2019 互动回应差 veto (✅ R-veto-unanswered-letters)
        "veto_unanswered_days": Setting(90, "a valid letter posted within window_days, unanswered (or answered) after "
                                            "more than this many days, is the veto"),
        "window_days": Setting(365, "letters posted within this many days before the audit are judged"),
        "no_reply_warn_days": Setting(60, "2019 扣分 (✅, quoted in an official 2019 self-check): no new 留言答复 in "
                                          "this many days warns"),
        "reply_working_days": Setting(3, "answer within N working days (辽宁 rule ✅, 国办 ❓): reported for information only"),
        "evidence_letters": Setting(8, "answered letters shown as evidence at most"),
    },
)
def run(snap, profile, settings):
    as_of = snap.as_of
    veto_days = int(settings["veto_unanswered_days"])
    window = int(settings["window_days"])
    warn_days = int(settings["no_reply_warn_days"])
    wd_rule = int(settings["reply_working_days"])
    where = letter_settings(profile)
    scan = letters_of(snap, profile, where)
    letters = [l for l in scan.letters if l.valid and l.asked is not None]
    if not letters:
        named, col = interaction_column(snap, profile, where)
        looked = ([col.final_url] if col is not None else []) + scan.list_pages + scan.detail_pages
        channels, _ = find_channels(snap, profile, channel_pages(snap, profile, settings=where), where)
        looked += [c.url for c in channels if c.url not in looked]
        ev = [Evidence(u, "", T("查看过的页面", "page looked at")) for u in looked[:5]]
        if named is not None and col is None:
            why_zh, why_en = f"互动交流栏目（{named.url}）未能抓取或由脚本生成", f"the 互动交流 column ({named.url}) was not read"
        elif looked:
            why_zh, why_en = "查看的页面中没有可读的留言（可能由脚本加载或需登录查看）", \
                "no letter could be read on the pages looked at (letters may be loaded by scripts or need a login)"
        else:
            why_zh, why_en = "未找到公开留言的栏目", "no column publishing letters was found"
        excl = f"；另有 {len(scan.excluded_pages)} 个信访/访谈/征集类页面不计入" if scan.excluded_pages else ""
        return Result.unknown(T(f"{why_zh}，无法判断留言答复情况{excl}", f"{why_en}, so answers could not be judged"),
                              ev, pages_looked_at=looked[:20], excluded_pages=scan.excluded_pages[:10])

    start = as_of - timedelta(days=window)
    recent = [l for l in letters if l.asked >= start]
    overdue = [l for l in recent if l.replied is False and l.answered is None and l.age(as_of) > veto_days]
    late = [l for l in recent if (l.latency() or 0) > veto_days]
    pending = [l for l in recent if l.replied is False and l.answered is None and l.age(as_of) <= veto_days]
    unclear = [l for l in recent if l.replied is None]
    answered = [l for l in recent if l.replied]
    latencies = [l.latency() for l in recent if l.latency() is not None]
    known = [l for l in recent if l.replied is not None]
    newest_answer = max((l.answered for l in letters if l.answered), default=None)
    within_wd = [l for l in recent if l.latency() is not None and working_days(l.asked, l.answered) <= wd_rule]
    details = {
        "letters": len(letters), "in_window": len(recent), "answered": len(answered), "pending": len(pending),
        "unclear": len(unclear), "overdue_unanswered": len(overdue), "answered_late": len(late),
        "response_rate": round(len(answered) / len(known), 3) if known else None,
        "median_latency_days": median(latencies), "worst_latency_days": max(latencies, default=None),
        "newest_answer": newest_answer.isoformat() if newest_answer else None,
        f"answered_within_{wd_rule}_working_days": (round(len(within_wd) / len(latencies), 3) if latencies else None),
        "list_pages": scan.list_pages[:20], "detail_pages_read": len(scan.detail_pages),
        "excluded_pages": scan.excluded_pages[:10], "window_days": window, "veto_days": veto_days,
        # Pages showing 留言时间 outside interaction columns (e.g. a "latest letters" box) not read as lists.
        "pages_not_read": len(scan.skipped_pages), "capped": scan.capped,
    }
    worst_answered = sorted((l for l in recent if l.latency() is not None and l not in late),
                            key=lambda l: -l.latency())
    limit = int(settings["evidence_letters"])
    ev = [_ev(l, as_of, T(f"超过{veto_days}天未答复", f"unanswered > {veto_days} days"))
          for l in sorted(overdue, key=lambda l: l.asked)]
    ev += [_ev(l, as_of, T(f"答复用时超过{veto_days}天", f"answered after > {veto_days} days"))
           for l in sorted(late, key=lambda l: -l.latency())]
    ev += [_ev(l, as_of, T("答复用时较长", "slowest answers")) for l in worst_answered[:3] if l.latency() > wd_rule]
    ev = ev[:limit]
    stats_zh = (f"共读取 {len(letters)} 封留言，一年内 {len(recent)} 封，已答复 {len(answered)} 封"
                + (f"，答复用时中位数 {details['median_latency_days']:g} 天、最长 {details['worst_latency_days']} 天"
                   if latencies else ""))
    stats_en = (f"{len(letters)} letters read, {len(recent)} in the last year, {len(answered)} answered"
                + (f", median {details['median_latency_days']:g} days, worst {details['worst_latency_days']} days"
                   if latencies else ""))
    if overdue or late:
        parts_zh, parts_en = [], []
        if overdue:
            o = min(overdue, key=lambda l: l.asked)
            parts_zh.append(f"{len(overdue)} 封有效留言超过 {veto_days} 天未答复（最早 {o.asked} 留言，已 {o.age(as_of)} 天）")
            parts_en.append(f"{len(overdue)} letters unanswered after more than {veto_days} days (oldest of {o.asked}, "
                            f"{o.age(as_of)} days)")
        if late:
            w = max(late, key=lambda l: l.latency())
            parts_zh.append(f"{len(late)} 封留言答复用时超过 {veto_days} 天（最长 {w.latency()} 天）")
            parts_en.append(f"{len(late)} answered after more than {veto_days} days (worst {w.latency()} days)")
        return Result.failed(T("；".join(parts_zh) + f"（单项否决：互动回应差）。{stats_zh}",
                               "; ".join(parts_en) + f" (veto: 互动回应差). {stats_en}"), ev, **details)
    if not known and not latencies:
        return Result.unknown(T(f"读取到 {len(letters)} 封留言，但页面未显示答复状态或答复时间，无法判断答复情况",
                                f"{len(letters)} letters were read, but their pages show no reply state or date"),
                              [Evidence(l.url, f"{l.title}：留言 {l.asked}", T("留言", "letter")) for l in letters[:3]],
                              **details)
    if newest_answer is None and not answered:
        return Result.warned(T(f"一年内没有已答复的留言（{stats_zh}）", f"no answered letter in the last year ({stats_en})"),
                             ev, **details)
    if newest_answer is not None and (as_of - newest_answer).days > warn_days:
        return Result.warned(T(f"近 {warn_days} 天内没有新的留言答复（最近一次答复 {newest_answer}，扣分项）。{stats_zh}",
                               f"no new answer in the last {warn_days} days (latest {newest_answer}). {stats_en}"),
                             ev, **details)
    tail_zh = f"；{len(pending)} 封尚在答复期内" if pending else ""
    tail_en = f"; {len(pending)} still within the answer period" if pending else ""
    return Result.passed(T(f"一年内没有超过 {veto_days} 天未答复的留言。{stats_zh}{tail_zh}",
                           f"no letter of the last year left unanswered beyond {veto_days} days. {stats_en}{tail_en}"),
                         ev, **details)
