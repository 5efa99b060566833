"""services.guides — 办事指南 / 服务指南 / 行政许可 pages are published.

MOT 2018 work points items 13–14 (公开网上办事大厅服务事项清单; 及时公开行政许可服务指南);
2019 检查指标 服务不实用 (1) 未提供办事服务. Guides are found by their labelled sections
(the 10 重点要素类别) and by their names (title, ColumnName, breadcrumb, link text); the
办事服务 column by its name (profile keyword sets) or ``[columns.named] services = URL``.
A 国务院部门 without 对外服务职能 is not inspected on 办事服务: ``[services]
external_services = false`` makes this family not applicable.
"""
from auditor.checking.coverage import not_reached
from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.views.disclosure import main_text
from auditor.checking.verdicts import services_not_applicable
from auditor.checking.view_settings import GUIDE_SETTINGS, guide_settings
from auditor.views.guides import GUIDES_ID, clip, column_evidence, platform_hosts, scan, services_enabled


@check(
    id=GUIDES_ID,
    title=T("办事指南", "Service guides (办事指南)"),
    category="services",
    clause=Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                  "第13项、第14项（公开服务事项清单与行政许可服务指南）",
                  confidence="✅", effective="2018-05-06", rule="R-service-guides",
                  quote="推动行政许可办理公开，及时公开行政许可服务指南、行政许可办理流程图，公开行政许可受理情况和办理结果。",
                  note="另见国办秘函〔2019〕19号 单项否决·服务不实用第1项“未提供办事服务”"),
    weight=3,
    description=T("网站应公开办事指南（服务指南、行政许可事项）。按页面内容（重点要素小标题）和名称（标题、栏目名、位置导航、链接文字）"
                  "识别指南页面；办事服务栏目有而无指南为不合格；找不到办事服务栏目为无法判断。",
                  "The site publishes service guides (办事指南/服务指南/行政许可). Guide pages are recognised by their "
                  "labelled sections and by their names; a 办事服务 column without any guide fails; no column found is unknown."),
    remediation=T("在办事服务栏目逐项公开办事指南（事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、办理时间、"
                  "联系电话、办理流程），或链接到本地区政务服务网的对应事项。",
                  "Publish a guide per service item in the 办事服务 column, or link each item to the regional "
                  "government-services platform."),
    gatherers=("links",),
    settings=GUIDE_SETTINGS[GUIDES_ID],
)
def run(snap, profile, settings):
    if not services_enabled(profile):
        return services_not_applicable()
    sc = scan(snap, profile, guide_settings(profile))
    col_ev = column_evidence(sc)
    details = {"guides": len(sc.guides), "listing_pages": [u for u, _n in sc.listings[:10]],
               "column": sc.column.url if sc.column else None, "attachments": len(sc.attachments)}
    if sc.guides:
        named = sum(1 for g in sc.guides if g.named)
        ev = [Evidence(u, f"链接到 {n} 个办事指南", T("指南列表页", "guide listing page")) for u, n in sc.listings[:3]]
        ev += [Evidence(g.url, f"{g.title}（{len(g.present)}/{len(g.elements)} 类要素）", T("办事指南", "guide"))
               for g in sc.guides[:5]]
        if col_ev is not None and not sc.listings:
            ev.insert(0, col_ev)
        extra_zh = f"，另有 {len(sc.attachments)} 个以附件发布的指南" if sc.attachments else ""
        extra_en = f", plus {len(sc.attachments)} published as attachments" if sc.attachments else ""
        where_zh = f"，列表页 {len(sc.listings)} 个" if sc.listings else ""
        return Result.passed(T(f"找到 {len(sc.guides)} 个办事指南页面{where_zh}{extra_zh}",
                               f"found {len(sc.guides)} guide pages{extra_en}"), ev,
                             named_guides=named, **details)
    if sc.attachments:
        ev = [Evidence(u, f"“{t}”", T("以附件发布的指南", "guide published as an attachment")) for u, t in sc.attachments[:5]]
        return Result.passed(T(f"找到 {len(sc.attachments)} 个以附件（文档）发布的办事指南，未找到网页形式的指南",
                               f"found {len(sc.attachments)} guides published as attachments, none as web pages"),
                             ev, **details)
    hosts = platform_hosts(sc)
    if sc.column is None:
        return Result.unknown(T("未找到办事服务栏目，也未找到办事指南页面，无法判断；可在检查配置中指定栏目地址"
                                "（[columns.named] services = \"URL\"）",
                                "no 办事服务 column and no guide page found; set the column in the profile "
                                "([columns.named] services = \"URL\")"), **details)
    if sc.column_external or (hosts and not sc.uncrawled):
        host = hosts[0] if hosts else sc.column.url
        ev = [col_ev] + [Evidence(u, f"“{t}”", T("站外办事平台链接", "link to an external platform"))
                         for u, t in sc.external_links[:3]]
        return Result.unknown(T(f"办事服务栏目链接到站外平台（{host}），指南不在本站抓取范围内，无法判断；"
                                "如需检查可用 --extra-host 加入抓取范围",
                                f"the 办事服务 column links to an external platform ({host}) that was not crawled; "
                                "add it with --extra-host to judge its guides"), ev, platform_hosts=hosts, **details)
    if sc.column_page is None:
        return Result.unknown(T(f"找到办事服务栏目（{sc.column.text}），但页面未能抓取或由脚本生成，无法判断是否有办事指南",
                                f"found the 办事服务 column ({sc.column.text}) but it was not read or is built by "
                                "scripts"), [col_ev], **details)
    if sc.uncrawled or sc.crawl_cut:
        ev = [col_ev] + [Evidence(u, "", T("未抓取的指南链接", "guide link not crawled")) for u in sc.uncrawled[:3]]
        gap = not_reached(snap, sc.column.url, T("办事指南", "service guide"), ev, uncrawled=sc.uncrawled[:20],
                          **details)
        if gap is not None:  # say where and why: 未抓取到 /zwfw/ 下 N 个链接
            return gap
        return Result.unknown(T("办事服务栏目中的部分页面未被抓取（抓取范围受限），未找到办事指南，无法判断",
                                "no guide found, but the crawl did not reach every page of the 办事服务 column"),
                              ev, uncrawled=sc.uncrawled[:20], **details)
    page = sc.column_page
    return Result.failed(T(f"办事服务栏目（{sc.column.text}）中未找到办事指南（无含申请条件、办理材料等要素的指南页面）",
                           f"the 办事服务 column ({sc.column.text}) has no service guide"),
                         [col_ev, Evidence(page.final_url, clip(main_text(page), 120), T("栏目页面文字", "column text"))],
                         **details)
