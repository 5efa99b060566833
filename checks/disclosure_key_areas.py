"""disclosure.key-areas — the key areas of 主动公开 the profile lists each have a place on the site.

Which areas a site must cover differs by level and is profile data
(``[[checks."disclosure.key-areas".areas]]``, plus ``extra_areas``): for a ministry the MOT 2018 work
points (预决算, 双随机一公开, 建议提案办理, 权责清单, 重大建设项目 …); for a province or
city the 条例 第二十条/第二十一条 items plus the 重点领域 lists. An area is found
when a link text, ColumnName/ColumnType, breadcrumb or page title on the site names
it. The lists are 🟡 (profile data), so a missing area is only a warning.
"""
from __future__ import annotations

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.disclosure import disclosure_root, find_named
from auditor.checking.verdicts import root_unknown

ID = "disclosure.key-areas"


# Default (every 行政机关): 条例 第二十条 (R-key-areas) and the 重点领域 lists (国办/MOT work points).
AREAS = [
    {"key": "regulations", "name": "规章和规范性文件", "keywords": ["规范性文件", "政策文件", "政府规章", "规章", "政府文件", "部门文件", "政策法规", "政府令"], "exclude": ["解读"], "basis": "条例第二十条第（一）项"},
    {"key": "organisation", "name": "机构职能和负责人", "keywords": ["机构职能", "机构设置", "内设机构", "机构概况", "组织机构", "部门职责", "主要职责", "职能职责", "领导信息", "领导之窗", "负责人信息", "领导简介", "机关简介", "单位简介"], "basis": "条例第二十条第（二）项"},
    {"key": "plans", "name": "规划信息", "keywords": ["规划计划", "发展规划", "专项规划", "区域规划", "规划信息", "规划"], "basis": "条例第二十条第（三）项"},
    {"key": "statistics", "name": "统计信息", "keywords": ["统计信息", "统计数据", "统计公报", "数据发布", "统计分析", "统计"], "basis": "条例第二十条第（四）项"},
    {"key": "licensing", "name": "行政许可和服务事项", "keywords": ["行政许可", "行政审批", "审批服务", "审批结果", "许可结果", "办事指南", "服务指南", "双公示", "政务服务", "办事服务"], "basis": "条例第二十条第（五）项"},
    {"key": "enforcement", "name": "行政处罚和行政强制", "keywords": ["行政处罚", "行政强制", "行政执法", "执法公示", "双公示", "处罚"], "basis": "条例第二十条第（六）项"},
    {"key": "budget", "name": "财政预决算", "keywords": ["预决算", "预算", "决算", "财政信息", "财政资金", "三公经费", "财政收支"], "basis": "条例第二十条第（七）项；2018工作要点第6项"},
    {"key": "fees", "name": "行政事业性收费", "keywords": ["行政事业性收费", "收费项目", "收费标准", "收费目录", "收费"], "basis": "条例第二十条第（八）项"},
    {"key": "procurement", "name": "政府集中采购", "keywords": ["政府采购", "集中采购", "采购信息", "采购公告", "招标采购", "招投标", "采购"], "basis": "条例第二十条第（九）项"},
    {"key": "major_projects", "name": "重大建设项目", "keywords": ["重大建设项目", "重大项目", "重点项目", "建设项目"], "basis": "条例第二十条第（十）项；2018工作要点第5项"},
    {"key": "livelihood", "name": "扶贫、教育、医疗、社会保障、就业", "keywords": ["乡村振兴", "扶贫", "教育", "医疗", "卫生健康", "社会保障", "社保", "就业", "民生"], "basis": "条例第二十条第（十一）项"},
    {"key": "emergency", "name": "突发公共事件应急", "keywords": ["应急预案", "应急管理", "突发事件", "预警信息", "应急"], "basis": "条例第二十条第（十二）项"},
    {"key": "supervision", "name": "环境保护、安全生产等监督检查", "keywords": ["监督检查", "双随机", "抽查", "生态环境", "环境保护", "公共卫生", "安全生产", "食品药品", "产品质量", "执法检查"], "basis": "条例第二十条第（十三）项"},
    {"key": "recruitment", "name": "公务员招考录用", "keywords": ["公务员招考", "招考", "招录", "录用", "招聘", "人事信息", "人事"], "basis": "条例第二十条第（十四）项"},
    {"key": "power_list", "name": "权责清单", "keywords": ["权责清单", "权力清单", "责任清单", "权责事项"], "basis": "重点领域；2018工作要点第2项"},
    {"key": "random_inspection", "name": "双随机一公开", "keywords": ["双随机"], "basis": "重点领域；2018工作要点第4项"},
    {"key": "proposals", "name": "建议提案办理", "keywords": ["建议提案", "人大建议", "政协提案", "代表建议", "委员提案", "提案办理", "建议办理"], "basis": "重点领域；2018工作要点第3项"},
    {"key": "interpretation", "name": "政策解读", "keywords": ["政策解读", "解读", "图解"], "basis": "2018工作要点第9~10项；国办2019检查指标 发布解读"},
]


def areas_of(settings) -> list[dict]:
    """The profile's ``areas`` (per level) followed by its ``extra_areas`` (a site's or level's additions)."""
    out = []
    listed = list(settings["areas"] or []) + list(settings["extra_areas"] or [])
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
    settings={
        "areas": Setting(AREAS, "areas of 主动公开 a site must cover (🟡 profile data; a missing one warns): each a table "
                                "with key, name, keywords, exclude, basis and enabled; a level's profile replaces the list"),
        "extra_areas": Setting([], "areas a level or a site adds to \"areas\" (city: 条例 第二十一条)"),
    },
)
def run(snap, profile, settings):
    areas = areas_of(settings)
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
