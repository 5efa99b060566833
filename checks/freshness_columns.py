"""freshness.columns — columns that must be updated are updated (栏目不更新, veto).

国办秘函〔2019〕19号 单项否决「栏目不更新」: (1) 监测时间点前2周内的动态、要闻类栏目，以及前6个月内的
通知公告、政策文件类一级栏目，累计超过（含）5个未更新; (2) 应更新但长期未更新的栏目数量超过（含）10个.
The 2015 普查 adds 人事、规划计划类 (1 year). Columns come from ``columns_of`` (named by
ColumnName meta, breadcrumb, link text or title and classified by the profile's
[columns.classes.*]), from list pages whose dates are only in the articles, and from
the profile's [columns.named]. 空白栏目 are freshness.empty-columns' business.

一级栏目 is approximated by "linked from the homepage" (crawl depth <= 1); the profile
can say ``first_level = "any"`` (the 2015 wording, no 一级) or mark a named column.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.freshness import NAME_SOURCES, class_title, fresh_columns

ID = "freshness.columns"


@check(
    id=ID,
    title=T("栏目信息更新", "Columns updated on time"),
    category="freshness",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·栏目不更新（第1、2项）",
                  confidence="✅", effective="2019-04-01", rule="R-veto-column-stale", since="2015-03-11",
                  quote="1.监测时间点前2周内的动态、要闻类栏目，以及监测时间点前6个月内的通知公告、政策文件类一级栏目，累计超过（含）"
                        "5个未更新。2.应更新但长期未更新的栏目数量超过（含）10个。……上述情况出现任意一种，即单项否决。",
                  note="人事、规划计划类 1 年（2015年普查）与预警线（超过 6 个）为检查配置；"
                       "政策文件类一级栏目 6 个月未更新扣 5 分（扣分指标）记为警告"),
    weight=5,
    veto=True,
    description=T("按栏目名称分类（动态要闻 14 天、通知公告/政策文件 180 天、人事/规划计划 365 天，可在检查配置中调整），"
                  "取每个栏目最新一条信息的日期。动态要闻类与通知公告、政策文件类一级栏目（以首页直接链接近似“一级”）"
                  "累计 5 个及以上未更新，或应更新栏目 10 个及以上未更新，为单项否决；超过 6 个为预警；"
                  "政策文件类一级栏目 6 个月未更新（2019 扣分指标扣 5 分）记为警告。未注明发布时间的信息视为未更新。"
                  "栏目也可在检查配置 [columns.named] 中指定。",
                  "Columns are classified by name (news 14 days, notices/policies 180, personnel/plans 365; set in the "
                  "profile) and judged by their newest item. 5+ stale news and first-level notice/policy columns, or "
                  "10+ stale columns of any class, is a veto; more than 6 is an early warning; a stale first-level "
                  "policy-file column (2019: −5 points) is a warning. Undated items count as not updated."),
    remediation=T("及时更新所列超期栏目；确已停止更新的栏目应整合或下线，不再保留在网站上；为每条信息注明发布时间。",
                  "Update the stale columns listed; merge or retire columns that are no longer maintained; date every item."),
    settings={
        "undated_counts_stale": Setting(True, "2015 普查: \"未注明信息发布时间的视为不更新\" (✅)"),
        "first_level": Setting("homepage", "一级栏目 (2019 wording for 通知公告/政策文件): \"homepage\" = linked from the "
                                           "homepage (crawl depth <= first_level_max_depth); \"any\" = every column "
                                           "(the 2015 wording has no 一级)"),
        "first_level_max_depth": Setting(1, "how deep a 一级栏目 may sit (clicks from the homepage)"),
        "key_classes": Setting(["news", "notice_policy"], "column classes counted by veto rule (1)"),
        "first_level_classes": Setting(["notice_policy"], "… and those of them that count only as 一级栏目"),
        "policy_file_keywords": Setting(["政策文件", "规范性文件", "政府文件", "规章", "政府令"],
                                        "names of 政策文件类 columns (2019 扣分: 一级栏目 6 months without update −5 → warning)"),
    },
)
def run(snap, profile, settings):
    as_of = snap.as_of
    cols = fresh_columns(snap, profile)
    undated_stale = bool(settings["undated_counts_stale"])
    first_level_mode = str(settings["first_level"])
    first_level_depth = int(settings["first_level_max_depth"])
    key_classes = set(settings["key_classes"])
    first_level_classes = set(settings["first_level_classes"])
    policy_words = list(settings["policy_file_keywords"])
    fail_key = int(profile.threshold("columns_stale_key_fail"))
    fail_all = int(profile.threshold("columns_stale_all_fail"))
    warn_above = int(profile.threshold("columns_stale_warn_above"))

    classified = [c for c in cols if c.klass and c.max_age_days]
    if not classified:
        return Result.unknown(T("未找到动态要闻、通知公告、政策文件等需更新的栏目，无法判断；可在检查配置 [columns.named] 中指定栏目",
                                "could not find 动态/通知公告/政策文件 columns; name them in the profile ([columns.named])"),
                              details={"columns_found": len(cols)})

    rows, stale, undetermined = [], [], []
    for c in classified:
        first = c.first_level if c.first_level is not None else (
            first_level_mode == "any" or (c.depth is not None and c.depth <= first_level_depth))
        row = {"name": c.name, "url": c.url, "class": c.klass, "max_age_days": c.max_age_days,
               "name_source": c.name_source, "origin": c.origin, "first_level": first, "depth": c.depth}
        newest = c.newest
        if not c.crawled:
            row["state"] = "not-crawled"
            undetermined.append((c, row, T(f"检查配置指定的栏目未能抓取（HTTP {c.status}）" if c.status else
                                           "检查配置指定的栏目未被抓取", "the named column was not crawled")))
        elif c.blank:
            row["state"] = "blank"  # judged by freshness.empty-columns
        elif newest is not None:
            age = (as_of - newest.date).days
            row.update(newest=newest.date.isoformat(), newest_url=newest.url, age_days=age, date_source=newest.source)
            row["state"] = "stale" if age > c.max_age_days else "fresh"
            above = c.undated_above_newest() if row["state"] == "stale" else []
            if above:
                row["state"] = "unresolved"
                undetermined.append((c, row, T(f"最新可确定日期为 {row['newest']}，但列表上方有 {len(above)} 条信息的文章未被抓取，"
                                               "无法确定是否更新", f"{len(above)} rows above the newest dated one were "
                                               "not crawled")))
        elif any(i.state == "undated" for i in c.items):
            row["state"] = "undated-stale" if undated_stale else "undated"
        elif any(i.state == "unresolved" for i in c.items):
            row["state"] = "unresolved"
            undetermined.append((c, row, T("栏目列表无日期，所链接文章未被抓取，无法确定日期",
                                           "the list shows no dates and its articles were not crawled")))
        elif c.script:
            row["state"] = "script"
            undetermined.append((c, row, T(f"列表可能由脚本加载（{', '.join(c.script[:3])}）",
                                           f"the list may be loaded by scripts ({', '.join(c.script[:3])})")))
        else:
            row["state"] = "no-items"
            undetermined.append((c, row, T("栏目页面没有可判断日期的信息条目", "no dated items on the column page")))
        row["key"] = row["state"] in ("stale", "undated-stale") and c.klass in key_classes and (
            c.klass not in first_level_classes or first)
        row["policy_file"] = (c.klass in first_level_classes and first and any(w in c.name for w in policy_words))
        if row["state"] in ("stale", "undated-stale"):
            stale.append((c, row))
        rows.append(row)

    judged = [r for r in rows if r["state"] in ("stale", "undated-stale", "fresh")]
    key = [r for _, r in stale if r["key"]]
    policy = [r for _, r in stale if r["policy_file"]]
    details = {"as_of": as_of.isoformat(), "columns": rows, "stale": len(stale), "stale_key": len(key),
               "judged": len(judged), "undetermined": len(undetermined), "stale_policy_file_first_level": len(policy),
               "thresholds": {"key_fail": fail_key, "all_fail": fail_all, "warn_above": warn_above},
               "first_level": f"depth<={first_level_depth}" if first_level_mode != "any" else "any",
               "undated_counts_stale": undated_stale}
    ev = [_evidence(c, r, profile) for c, r in stale]
    ev += [Evidence(c.url, f"{c.name}（{class_title(profile, c.klass)}）", why) for c, _, why in undetermined[:10]]
    if not judged:
        return Result.unknown(T(f"找到 {len(classified)} 个需更新的栏目，但都无法确定更新日期",
                                f"found {len(classified)} columns to judge, but none could be dated"), ev, **details)

    names, names_en = _names([r for _, r in stale])
    undated_note = T("（未注明发布时间的栏目按未更新计）", " (undated columns counted as stale)") \
        if any(r["state"] == "undated-stale" for _, r in stale) else T("", "")
    if len(key) >= fail_key:
        # Name the columns that reach the veto line first; the others follow as a count.
        key_names, key_names_en = _names(key)
        others, others_en = _names([r for _, r in stale if not r["key"]])
        rest = (T(f"；另有 {len(stale) - len(key)} 个其他栏目未按时更新：{others}",
                  f"; {len(stale) - len(key)} other stale columns: {others_en}") if len(stale) > len(key) else T("", ""))
        return Result.failed(T(f"动态要闻类及通知公告、政策文件类一级栏目中有 {len(key)} 个未按时更新（≥{fail_key}）："
                               f"{key_names}{undated_note.zh}，栏目不更新（单项否决）{rest.zh}",
                               f"{len(key)} stale news and first-level notice/policy columns (≥{fail_key}): "
                               f"{key_names_en}{undated_note.en} (veto){rest.en}"), ev, **details)
    if len(stale) >= fail_all:
        return Result.failed(T(f"应更新栏目中有 {len(stale)} 个长期未更新（≥{fail_all}）：{names}{undated_note.zh}，"
                               "栏目不更新（单项否决）",
                               f"{len(stale)} stale columns (≥{fail_all}): {names_en}{undated_note.en} (veto)"),
                             ev, **details)
    open_key = sum(1 for c, r, _ in undetermined if c.klass in key_classes and (c.klass not in first_level_classes
                                                                                or r["first_level"]))
    if stale and len(key) + open_key >= fail_key or stale and len(stale) + len(undetermined) >= fail_all:
        return Result.warned(T(f"{len(stale)} 个栏目未按时更新（{names}），另有 {len(undetermined)} 个栏目无法确定更新日期，"
                               "合计可能达到单项否决线，请人工核实",
                               f"{len(stale)} stale columns ({names_en}) and {len(undetermined)} undetermined ones: "
                               "together they may reach the veto level; check by hand"), ev, **details)
    if len(stale) > warn_above:
        return Result.warned(T(f"{len(stale)} 个栏目未按时更新（超过 {warn_above} 个预警线）：{names}{undated_note.zh}",
                               f"{len(stale)} stale columns (early warning above {warn_above}): {names_en}"), ev, **details)
    if policy:
        pn = "、".join(r["name"] for r in policy)
        return Result.warned(T(f"政策文件类一级栏目（{pn}）超过 6 个月未更新（2019 扣分指标：扣 5 分）；"
                               f"共 {len(stale)} 个栏目未按时更新：{names}",
                               f"first-level policy-file column ({pn}) not updated for 6 months (2019: −5 points); "
                               f"{len(stale)} stale columns: {names_en}"), ev, **details)
    if stale:
        return Result.passed(T(f"判断了 {len(judged)} 个栏目，{len(stale)} 个未按时更新（{names}），未达预警线"
                               f"（{warn_above} 个以上）和否决线",
                               f"{len(judged)} columns judged; {len(stale)} stale ({names_en}), below the early warning "
                               f"(>{warn_above}) and veto levels"), ev, **details)
    return Result.passed(T(f"判断了 {len(judged)} 个需更新的栏目，均按时更新", f"all {len(judged)} columns judged are up to date"),
                         ev + [Evidence(r["url"], f"{r['name']}：最新 {r['newest']}（{r['age_days']} 天前）",
                                        T(class_title(profile, r["class"]), r["class"])) for r in judged[:8]], **details)


def _names(rows) -> tuple[str, str]:
    zh = "、".join(f"{r['name']}（{r.get('age_days', '无日期')}{'天' if 'age_days' in r else ''}）" for r in rows)
    en = ", ".join(f"{r['name']} ({r.get('age_days', 'undated')})" for r in rows)
    return zh, en


def _evidence(c, r, profile):
    source = NAME_SOURCES.get(c.name_source, T(c.name_source))
    limit = c.max_age_days
    if r["state"] == "undated-stale":
        what = f"{c.name}：列表与文章均未注明发布时间（视为不更新）"
    else:
        what = f"{c.name}：最新 {r['newest']}（{r['age_days']} 天前），{r.get('newest_url', '')}"
    return Evidence(c.url, what, T(f"{class_title(profile, c.klass)}，超过 {limit} 天未更新；栏目名称来自{source.zh}"
                                   + ("；一级栏目" if r["first_level"] else ""),
                                   f"{c.klass}, older than {limit} days; name from {source.en}"))
