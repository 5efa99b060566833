"""disclosure.key-areas — the key areas of 主动公开 the profile lists each have a place on the site.

Which areas a site must cover differs by level and is profile data
(``[[checks."disclosure.key-areas".areas]]``, plus ``extra_areas``): for a ministry the MOT 2018 work
points (预决算, 双随机一公开, 建议提案办理, 权责清单, 重大建设项目 …); for a province or
city the 条例 第二十条/第二十一条 items plus the 重点领域 lists. An area is found
when a link text, ColumnName/ColumnType, breadcrumb or page title on the site names
it. The lists are 🟡 (profile data), so a missing area is only a warning.
"""
from __future__ import annotations

from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.views.disclosure import disclosure_root, find_named
from auditor.checking.verdicts import root_unknown

ID = "disclosure.key-areas"


def areas_of(profile) -> list[dict]:
    """The profile's ``areas`` (per level) followed by its ``extra_areas`` (a site's or level's additions)."""
    out = []
    listed = list(profile.check_setting(ID, "areas", []) or []) + list(profile.check_setting(ID, "extra_areas", []) or [])
    for i, area in enumerate(listed):
        if not isinstance(area, dict) or not area.get("keywords") or area.get("enabled", True) is False:
            continue
        out.append({"key": str(area.get("key") or f"area{i}"), "name": str(area.get("name") or area["keywords"][0]),
                    "keywords": [str(k) for k in area["keywords"]],
                    "exclude": [str(x) for x in area.get("exclude", [])], "basis": str(area.get("basis", ""))})
    return out


@check(
    id=ID,
    title=T("重点领域信息公开", "Key areas of proactive disclosure"),
    category="disclosure",
    clause=Clause("《中华人民共和国政府信息公开条例》（2019年修订，国务院令第711号）；"
                  "《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                  "条例第二十条、第二十一条；工作要点第2~8项、第18项（重点领域清单随检查配置）",
                  confidence="🟡", effective="2019-05-15", rule="R-key-areas",
                  note="各级清单为检查配置数据"),
    weight=2,
    description=T("检查配置列出的各重点领域（如财政预决算、双随机一公开、建议提案办理、权责清单、重大建设项目，以及条例第二十条、"
                  "第二十一条所列事项）在网站上是否有对应栏目或页面（按链接文字、栏目标签、页面位置导航、页面标题查找）。"
                  "清单为检查配置数据，缺失记为警告。",
                  "Each key area the profile lists (budgets, random inspections, replies to deputies' proposals, power "
                  "lists, major projects, the 条例 Art. 20/21 items …) has a column or page on the site (found by link "
                  "text, column tags, breadcrumb or title). The lists are profile data: a missing area is a warning."),
    remediation=T("在政府信息公开栏目（法定主动公开内容/重点领域信息公开）为缺失的领域设置栏目并发布信息。",
                  "Add a column for each missing area under 政府信息公开 (法定主动公开内容 / 重点领域) and publish its information."),
    gatherers=("homepage", "links"),
)
def run(snap, profile):
    areas = areas_of(profile)
    if not areas:
        return Result.not_applicable(T("检查配置未列出重点领域（checks.\"disclosure.key-areas\".areas）",
                                       "the profile lists no key areas"))
    root = disclosure_root(snap, profile)
    found, missing, ev = {}, [], []
    for area in areas:
        named = find_named(snap, profile, area["key"], area["keywords"], area["exclude"], root)
        if named:
            n = named[0]
            found[area["name"]] = n.url
            ev.append(Evidence(n.url, n.evidence().excerpt,
                               T(f"{area['name']}（{area['basis']}）" if area["basis"] else area["name"], area["name"])))
        else:
            missing.append(area)
    details = {"found": found, "missing": [a["name"] for a in missing], "areas": len(areas)}
    if not missing:
        return Result.passed(T(f"检查配置列出的 {len(areas)} 个重点领域均找到对应栏目或页面",
                               f"all {len(areas)} key areas the profile lists were found"), ev, **details)
    names = "；".join(a["name"] for a in missing)
    if not root.crawled:
        unknown = root_note(root)
        ev += root_unknown(root, T("重点领域", "key areas"), snap).evidence
        return Result.unknown(T(f"未找到 {len(missing)} 个重点领域（{names}），但{unknown.zh}，无法确认",
                                f"{len(missing)} key areas not found ({', '.join(a['key'] for a in missing)}), but {unknown.en}"),
                              ev, **details)
    for a in missing:
        ev.append(Evidence("", f"未找到：{a['name']}（关键词：{'、'.join(a['keywords'][:5])}）",
                           T(f"缺失领域（{a['basis']}）" if a["basis"] else "缺失领域", "area not found")))
    return Result.warned(T(f"{len(areas)} 个重点领域中找到 {len(found)} 个；未找到：{names}",
                           f"{len(found)} of {len(areas)} key areas found; missing: {', '.join(a['key'] for a in missing)}"),
                         ev, **details)


def root_note(root) -> T:
    if not root.found:
        return T("未找到政府信息公开栏目（可在检查配置中指定 columns.disclosure）", "the 政府信息公开 column was not found")
    return T(f"政府信息公开栏目（{root.url}）未能抓取", f"the 政府信息公开 column ({root.url}) was not read")
