"""freshness.homepage — the homepage shows information newer than two weeks (首页不更新, veto).

国办秘函〔2019〕19号 单项否决「首页不更新」: 监测2周，首页无信息更新的; a homepage that is only
a navigation portal fails when 所有二级页面无信息更新. The newest dated item linked from the
homepage (list rows, else the linked article's PubDate/发布时间/URL date) must be at most
``homepage_stale_days`` (14) old; older than ``homepage_warn_days`` (10, 开普云's early
warning) is a warning. Undated items count as not updated (2015 普查: 未注明信息发布时间的视为不更新).
"""
from datetime import timedelta

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.page_text import homepage_is_thin
from auditor.views.freshness import (DATE_SOURCES, FUTURE_GRACE_DAYS, Dated, is_article_page, page_date,
                                     resolve_items, same_site, script_hints)

ID = "freshness.homepage"
SHOWN = 5


@check(
    id=ID,
    title=T("首页信息更新", "Homepage updated within two weeks"),
    category="freshness",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·首页不更新",
                  confidence="✅", effective="2019-04-01", rule="R-veto-homepage-stale", since="2015-03-11",
                  quote="监测2周，首页无信息更新的，即单项否决。如首页仅为网站栏目导航入口，所有二级页面无信息更新的，即单项否决。",
                  note="未注明信息发布时间的视为不更新（2015年普查评分表）；10天预警为检查配置"),
    weight=5,
    veto=True,
    description=T("首页所列信息中最新一条的发布日期距检查日不得超过 14 天（超过 10 天为预警）。日期取自首页列表，"
                  "列表无日期时取所链接文章的 PubDate 标签、“发布时间”或网址中的日期；未注明发布时间的信息视为未更新。"
                  "首页仅为导航页（几乎没有带日期的信息）时，改看所有二级页面。首页由脚本生成或文章未抓取时为“无法判断”。",
                  "The newest dated item linked from the homepage must be at most 14 days old (over 10 days is an "
                  "early warning). Dates come from the homepage lists, else from the linked articles' PubDate meta, "
                  "发布时间 label or URL; undated items count as not updated. A navigation-only homepage is judged "
                  "on all second-level pages."),
    remediation=T("首页要闻、通知公告等栏目应及时更新（至少两周内有新信息），并为每条信息注明发布时间。",
                  "Publish new items on the homepage at least every two weeks and date every item."),
    settings={
        "portal_min_dated": Setting(3, "fewer dated items than this on the homepage: it is a navigation portal, judged "
                                       "on all second-level pages (2019: \"所有二级页面无信息更新的\")"),
        "undated_counts_stale": Setting(True, "2015 普查: \"未注明信息发布时间的视为不更新\" (✅)"),
    },
)
def run(snap, profile, settings):
    page = snap.homepage
    if page is None or not page.is_html or not page.ok:
        return Result.unknown(T("首页未能打开，无法判断更新情况", "the homepage could not be read"))
    as_of = snap.as_of
    stale_days = int(profile.threshold("homepage_stale_days"))
    warn_days = int(profile.threshold("homepage_warn_days"))
    portal_min = int(settings["portal_min_dated"])
    undated_stale = bool(settings["undated_counts_stale"])

    items = [i for i in resolve_items(snap, page)]
    dated = [i for i in items if i.state == "dated"]
    scope = "homepage"
    if len(dated) < portal_min:
        scope = "second-level"
        items = items + _second_level(snap)
        dated = [i for i in items if i.state == "dated"]
    undated = _unique(i for i in items if i.state == "undated")
    unresolved = _unique(i for i in items if i.state == "unresolved")
    future = _unique(i for i in items if i.state == "future")
    dated.sort(key=lambda i: i.date, reverse=True)
    dated = _unique(dated)
    newest = dated[0] if dated else None
    age = (as_of - newest.date).days if newest else None
    where = T("首页", "homepage") if scope == "homepage" else T("首页及二级页面", "homepage and second-level pages")
    details = {"scope": scope, "as_of": as_of.isoformat(), "newest": newest.date.isoformat() if newest else None,
               "newest_url": newest.url if newest else None, "age_days": age, "stale_days": stale_days,
               "warn_days": warn_days, "dated_items": len(dated), "undated_items": len(undated),
               "unresolved_items": len(unresolved),
               "future_items": [f"{i.date.isoformat()} {i.url}" for i in future[:10]]}
    ev = [_evidence(i, page.final_url) for i in dated[:SHOWN]]

    if newest is not None and age <= warn_days:
        return Result.passed(T(f"{where.zh}最新信息发布于 {newest.date.isoformat()}（{age} 天前），两周内有更新",
                               f"the newest item on the {where.en} is from {newest.date.isoformat()} ({age} days ago)"),
                             ev, **details)
    if newest is not None and age <= stale_days:
        return Result.warned(T(f"{where.zh}最新信息发布于 {newest.date.isoformat()}（{age} 天前），已超过 {warn_days} 天"
                               f"未更新（预警；超过 {stale_days} 天即触发单项否决）",
                               f"the newest item on the {where.en} is {age} days old: over the {warn_days}-day "
                               f"early warning (veto after {stale_days} days)"), ev, **details)

    # Stale or nothing dated: make sure that is what the site shows before failing.
    doubt = _doubt(snap, page, profile, unresolved)
    if doubt is not None:
        why, extra = doubt
        seen = (f"已找到的最新信息为 {newest.date.isoformat()}（{age} 天前）" if newest
                else "未找到带日期的信息")
        seen_en = f"the newest item found is {age} days old" if newest else "no dated item was found"
        return Result.unknown(T(f"{seen}，但{why.zh}，无法确认首页是否更新", f"{seen_en}, but {why.en}"),
                              ev + extra, **details)
    if newest is not None:
        ev += [_evidence(i, page.final_url) for i in undated[:3]]
        return Result.failed(T(f"{where.zh}最新信息发布于 {newest.date.isoformat()}，已 {age} 天未更新"
                               f"（超过 {stale_days} 天：首页不更新，单项否决）",
                               f"nothing newer than {newest.date.isoformat()} on the {where.en}: {age} days without "
                               f"an update (over {stale_days} days: veto)"), ev, **details)
    if undated and undated_stale:
        return Result.failed(T(f"{where.zh}所列 {len(undated)} 条信息均未注明发布时间，视为不更新（单项否决）",
                               f"none of the {len(undated)} items on the {where.en} is dated; undated items count "
                               "as not updated (veto)"),
                             [_evidence(i, page.final_url) for i in undated[:SHOWN]], **details)
    return Result.unknown(T("首页及二级页面没有找到可判断更新时间的信息条目（可能由脚本生成），无法判断",
                            "no information items with dates were found on the homepage or second-level pages"),
                          [Evidence(page.final_url, page.text[:150], T("首页文字", "homepage text"))], **details)


def _second_level(snap):
    """Items of every second-level page (depth 1), and the pages' own dates when they are articles."""
    out = []
    for p in snap.pages_at_depth(1):
        if not p.is_html or not p.ok or not same_site(snap, p.final_url):
            continue
        out.extend(resolve_items(snap, p))
        if is_article_page(p, snap.as_of):
            d, how = page_date(p, snap.as_of)
            if d:
                source = {"meta": "page-meta", "label": "page-label"}.get(how, "url")
                late = d > snap.as_of + timedelta(days=FUTURE_GRACE_DAYS)
                out.append(Dated(p.final_url, p.title, d, source, "future" if late else "dated", p.final_url))
    return out


def _doubt(snap, page, profile, unresolved):
    """Why a stale/empty result may not be what a visitor sees, or None."""
    if homepage_is_thin(snap):
        return T("首页可见文字过少（可能由脚本生成）", "the homepage has little static text (script-built?)"), []
    hints = script_hints(page, profile)
    if hints:
        return (T(f"首页有由脚本加载列表的迹象（{', '.join(hints[:3])}）", f"the homepage loads lists by script ({', '.join(hints[:3])})"),
                [Evidence(page.final_url, ", ".join(hints), T("脚本加载迹象", "script-loading signs"))])
    if unresolved:
        return (T(f"有 {len(unresolved)} 条信息所链接的文章未被抓取、无法确定日期",
                  f"{len(unresolved)} linked articles were not crawled, so their dates are unknown"),
                [Evidence(i.url, i.title[:60], T("未抓取的文章", "article not crawled")) for i in unresolved[:5]])
    return None


def _unique(items):
    seen, out = set(), []
    for i in items:
        if i.url not in seen:
            seen.add(i.url)
            out.append(i)
    return out


def _evidence(item, homepage_url):
    where = "首页列表" if item.listed_on == homepage_url else f"列于 {item.listed_on}"
    return Evidence(item.url, item.excerpt(), T(f"{where}；日期来源：{DATE_SOURCES.get(item.source, '无')}",
                                                f"listed on {item.listed_on}; date from {item.source or 'nowhere'}"))
