"""interaction.message-board — a consultation channel (留言/咨询/信箱) exists (veto 互动回应差 (1)).

2019 检查指标 单项否决 互动回应差 (1): 未提供网上有效咨询建言渠道 (网上信访、纪检举报等专门渠道
除外). Channels: links labelled 领导信箱 / 我要写信 / 网上咨询 / 咨询投诉 / 12345 …, and forms
with a 留言内容 textarea, on the homepage, its frames and the 互动交流 column. Links to 网上
信访 and 纪检举报 do not count. A channel whose link is confirmed dead is not a channel.
"""
from auditor.checking.check import Clause, Result, T, check
from auditor.checking.coverage import not_reached

from auditor.views.page_text import homepage_is_thin
from auditor.checking.verdicts import thin_unknown
from auditor.checking.view_settings import LETTER_SETTINGS, letter_settings
from auditor.views.letters import BOARD_ID, channel_pages, find_channels, interaction_column


@check(
    id=BOARD_ID,
    title=T("网上咨询建言渠道", "Online consultation channel (留言/咨询/信箱)"),
    category="interaction",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·互动回应差（第1项）",
                  confidence="✅", effective="2019-04-01", rule="R-veto-no-consult-channel",
                  quote="1.未提供网上有效咨询建言渠道（网上信访、纪检举报等专门渠道除外）。"),
    weight=3,
    veto=True,
    description=T("首页或互动交流栏目应提供有效的网上咨询建言渠道（领导信箱、我要写信、网上咨询、12345 平台、留言表单等）；"
                  "网上信访、纪检举报渠道不计入。首页和互动交流栏目均已抓取且没有任何渠道为单项否决。",
                  "The homepage or the 互动交流 column offers an online consultation channel (leader's mailbox, write-a-letter, "
                  "online consultation, 12345, a letter form); 网上信访 and 纪检举报 channels do not count. Veto when the "
                  "homepage and the 互动交流 column were read and there is none."),
    remediation=T("在首页和互动交流栏目设置咨询建言渠道（如领导信箱、网上咨询），提供留言表单并公开答复。",
                  "Offer a consultation channel (leader's mailbox, online consultation) with a letter form on the "
                  "homepage and in the 互动交流 column."),
    gatherers=("homepage", "links"),
    settings=LETTER_SETTINGS[BOARD_ID],
)
def run(snap, profile, settings):
    home = snap.homepage
    if home is None or home.facts is None:
        return Result.unknown(T("首页未能抓取，无法判断", "the homepage was not read"))
    letters = letter_settings(profile)
    named, column_page = interaction_column(snap, profile, letters)
    channels, excluded = find_channels(snap, profile, channel_pages(snap, profile, settings=letters), letters)
    elsewhere = False
    if not channels:
        channels, more_excluded = find_channels(snap, profile, channel_pages(snap, profile, everywhere=True,
                                                                             settings=letters), letters)
        excluded += [c for c in more_excluded if c.url not in {e.url for e in excluded}]
        elsewhere = bool(channels)
    details = {"column": named.url if named else None, "channels": [c.label for c in channels][:10],
               "excluded": [c.label for c in excluded][:10]}
    good = [c for c in channels if c.state != "dead"]
    if good:
        ev = [c.evidence() for c in good[:5]]
        where = "（仅在内页找到，首页和互动交流栏目未见入口）" if elsewhere else ""
        where_en = " (only on inner pages, not on the homepage or the 互动交流 column)" if elsewhere else ""
        kinds = "、".join(dict.fromkeys((c.label[:12] if c.kind == "link" else "留言表单") for c in good[:4]))
        return Result.passed(T(f"提供了网上咨询建言渠道：{kinds}{where}", f"consultation channels: {kinds}{where_en}"),
                             ev, **details)
    if channels:  # every one confirmed dead
        return Result.failed(T("咨询建言渠道的链接均无法打开（未提供有效咨询建言渠道，单项否决）",
                               "every consultation channel link is dead (no working channel: veto)"),
                             [c.evidence() for c in channels[:5]], **details)
    ex_zh = f"；只找到{'、'.join(c.label for c in excluded[:3])}等专门渠道，不计入" if excluded else ""
    ex_en = "; only 网上信访/纪检举报 channels, which do not count" if excluded else ""
    ev = [c.evidence() for c in excluded[:3]]
    if named is not None and column_page is None:
        return Result.unknown(T(f"互动交流栏目（{named.text}）未能抓取或由脚本生成，无法确认是否提供咨询建言渠道{ex_zh}",
                                f"the 互动交流 column ({named.text}) was not read or is built by scripts{ex_en}"),
                              [named.evidence(T("互动交流栏目", "互动交流 column"))] + ev, **details)
    if named is None and homepage_is_thin(snap):
        return thin_unknown(T("咨询建言渠道（互动交流栏目）", "consultation channel"))
    # Not a veto where the crawl did not reach the part of the site the channel would be in.
    gap = not_reached(snap, named.url if named is not None else None,
                      T(f"咨询建言渠道{ex_zh}", f"consultation channel{ex_en}"), ev, **details)
    if gap is not None:
        return gap
    if named is not None:
        ev.insert(0, named.evidence(T("互动交流栏目", "互动交流 column")))
        summary = T(f"首页和互动交流栏目（{named.text}）均未提供网上咨询建言渠道（领导信箱、网上咨询、留言表单等）{ex_zh}",
                    f"neither the homepage nor the 互动交流 column offers a consultation channel{ex_en}")
    else:
        summary = T(f"网站没有互动交流栏目，首页和已抓取页面均未提供网上咨询建言渠道{ex_zh}",
                    f"no 互动交流 column, and no consultation channel on the homepage or any crawled page{ex_en}")
    return Result.failed(summary, ev, **details)
