"""services.guide-elements — each 办事指南 has the 10 重点要素类别 (veto 服务不实用).

2019 检查指标 单项否决 服务不实用 (2): guides missing 4 or more of the key element
categories number 5 or more; with fewer than 5 items in all, every guide missing 4 or
more. An element counts when its section exists and says something (not 无/—/暂无; for
收费标准 "无" means no fee and counts). Category names and synonyms are profile data.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.checking.view_settings import GUIDE_SETTINGS, guide_settings
from auditor.views.guides import ELEMENTS_ID, scan, services_enabled, surely_none
from auditor.checking.verdicts import services_not_applicable

MAX_ROWS = 200


def _row(g) -> dict:
    return {"url": g.url, "title": g.title, "present": g.present, "missing": g.missing,
            "empty": [c for c, e in g.elements.items() if e.state == "empty"]}


@check(
    id=ELEMENTS_ID,
    title=T("办事指南要素完整性", "Completeness of service guides"),
    category="services",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·服务不实用（第2项）",
                  confidence="✅", effective="2019-04-01", rule="R-veto-guide-elements",
                  quote="2.办事指南重点要素类别（包括事项名称、设定依据、申请条件、办理材料、……",
                  note="缺失4类及以上的事项超过（含）5个为单项否决。10 类要素中仅事项名称、设定依据、申请条件、办理材料已核实；"
                       "办理地点、办理机构、收费标准、办理时间、联系电话、办理流程未核实，为检查配置数据"),
    weight=4,
    veto=True,
    description=T("逐个检查办事指南的 10 类重点要素（事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、"
                  "办理时间、联系电话、办理流程）是否存在且有实际内容。缺失 4 类及以上的指南达到 5 个（指南不足 5 个时全部缺失 4 类及以上）"
                  "为单项否决；后 6 类名称未经核实，可在配置中调整。",
                  "Checks each guide for the 10 key element categories, present and not blank. Five or more guides each "
                  "missing 4 or more categories (or, with fewer than 5 guides, all of them) is a veto. The last six "
                  "category names are unverified and configurable."),
    remediation=T("按国务院审改办《行政许可标准化指引》补全办事指南：事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、"
                  "收费标准、办理时间、联系电话、办理流程均应列明具体内容，不得留空或写“无”。",
                  "Complete each guide: name, legal basis, conditions, materials, place, office, fees, hours, "
                  "telephone and procedure, each with real content."),
    gatherers=("links",),
    settings={
        **GUIDE_SETTINGS[ELEMENTS_ID],
        # 2019 服务不实用 veto (✅ R-veto-guide-elements)
        "missing_threshold": Setting(4, "a guide missing this many element categories or more counts towards the veto"),
        "veto_guides": Setting(5, "veto at this many such guides (or, with fewer guides in all, when every guide "
                                  "misses that many)"),
    },
)
def run(snap, profile, settings):
    if not services_enabled(profile):
        return services_not_applicable()
    sc = scan(snap, profile, guide_settings(profile))
    guides = sc.guides
    threshold = int(settings["missing_threshold"])
    veto_count = int(settings["veto_guides"])
    if not guides:
        if sc.attachments:
            return Result.unknown(T(f"办事指南以附件形式发布（{len(sc.attachments)} 个），未能读取其要素",
                                    f"the guides are attachments ({len(sc.attachments)}); their elements were not read"),
                                  [Evidence(u, f"“{t}”") for u, t in sc.attachments[:3]])
        if surely_none(sc):
            return Result.not_applicable(T("网站没有办事指南页面，无要素可查（见“办事指南”检查项）",
                                           "no guide pages to judge (see services.guides)"))
        return Result.unknown(T("未找到办事指南页面，无法检查要素完整性（见“办事指南”检查项）",
                                "no guide page was found, so their elements could not be judged (see services.guides)"))
    incomplete = [g for g in guides if len(g.missing) >= threshold]
    partial = [g for g in guides if 0 < len(g.missing) < threshold]
    complete = len(guides) - len(incomplete) - len(partial)
    details = {"guides": len(guides), "complete": complete, "missing_4_or_more": len(incomplete),
               "missing_1_to_3": len(partial), "threshold": threshold, "veto_guides": veto_count,
               "per_guide": [_row(g) for g in (incomplete + partial + [g for g in guides if not g.missing])[:MAX_ROWS]]}
    ev = [Evidence(g.url, f"{g.title}：缺 {g.missing_text()}",
                   T(f"缺失{len(g.missing)}类要素", f"missing {len(g.missing)} categories")) for g in incomplete]
    ev += [Evidence(g.url, f"{g.title}：缺 {g.missing_text()}",
                    T(f"缺失{len(g.missing)}类要素", f"missing {len(g.missing)} categories")) for g in partial]
    all_known = not (sc.crawl_cut or sc.uncrawled or sc.attachments or sc.column_external)
    n, total = len(incomplete), len(guides)
    if n >= veto_count:
        return Result.failed(T(f"{n} 个办事指南缺失 {threshold} 类及以上重点要素（达到 {veto_count} 个即单项否决：服务不实用），"
                               f"共检查 {total} 个",
                               f"{n} of {total} guides miss {threshold} or more key element categories "
                               f"(veto at {veto_count}: 服务不实用)"), ev, **details)
    if total < veto_count and n == total and all_known:
        return Result.failed(T(f"办事事项不足 {veto_count} 个（{total} 个），且每个办事指南均缺失 {threshold} 类及以上重点要素"
                               "（单项否决：服务不实用）",
                               f"fewer than {veto_count} items ({total}) and every guide misses {threshold} or more key "
                               "element categories (veto: 服务不实用)"), ev, **details)
    if n:
        note_zh = "；所找到的指南均不完整，但抓取可能未覆盖全部事项" if n == total else ""
        note_en = "; every guide found is incomplete, but the crawl may not cover every item" if n == total else ""
        return Result.warned(T(f"{n} 个办事指南缺失 {threshold} 类及以上重点要素（共 {total} 个，未达单项否决的 {veto_count} 个）"
                               f"{note_zh}",
                               f"{n} of {total} guides miss {threshold} or more key categories (below the veto count "
                               f"of {veto_count}){note_en}"), ev, **details)
    if partial:
        return Result.warned(T(f"{len(partial)} 个办事指南缺少部分重点要素（1~{threshold - 1} 类），共 {total} 个",
                               f"{len(partial)} of {total} guides miss 1 to {threshold - 1} key categories"), ev, **details)
    k = len(guides[0].elements)
    return Result.passed(T(f"{total} 个办事指南的 {k} 类重点要素齐全", f"all {total} guides have the {k} key categories"),
                         [Evidence(g.url, g.title, T("要素齐全", "complete")) for g in guides[:3]], **details)
