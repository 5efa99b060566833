"""services.flowchart — a 办理流程图 is published with each guide.

MOT 2018 work points item 14: 及时公开行政许可服务指南、行政许可办理流程图; the 国务院审改办
《行政许可标准化指引（2016版）》 has an appendix on 流程图编制. A guide has a flowchart when
it shows an image whose alt/title/file name says so (流程图, lct1.png), any image in its
办理流程 section, or links to a 流程图 page or attachment. A flowchart whose image or file
does not load (404) does not count.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.checking.view_settings import GUIDE_SETTINGS, guide_settings
from auditor.views.guides import FLOWCHART_ID, scan, services_enabled
from auditor.checking.verdicts import services_not_applicable



@check(
    id=FLOWCHART_ID,
    title=T("办理流程图", "Process flowcharts"),
    category="services",
    clause=Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                  "第14项（行政许可办理流程图）",
                  confidence="✅", effective="2018-05-06", rule="R-service-flowchart",
                  quote="及时公开行政许可服务指南、行政许可办理流程图，公开行政许可受理情况和办理结果。"),
    weight=2,
    description=T("每个办事指南应附办理流程图（图片或可下载的流程图文件）。报告有流程图的指南所占比例：全部有为合格，"
                  "部分缺失为警告，多个指南均无流程图为不合格。",
                  "Each guide comes with a process flowchart (an image or a downloadable file). Reports the share of "
                  "guides with one: all pass, some missing warns, none among several guides fails."),
    remediation=T("为每个办事指南（尤其是行政许可事项）编制并发布办理流程图，图片应设置替代文字（如“办理流程图”）。",
                  "Publish a process flowchart with every guide (especially 行政许可 items), with an alt text."),
    gatherers=("links",),
    settings={
        **GUIDE_SETTINGS[FLOWCHART_ID],
        "fail_min_guides": Setting(3, "no guide with a flowchart fails from this many guides (fewer: warn)"),
    },
)
def run(snap, profile, settings):
    if not services_enabled(profile):
        return services_not_applicable()
    guides = scan(snap, profile, guide_settings(profile)).guides
    if not guides:
        return Result.not_applicable(T("未找到办事指南页面，无流程图可查（见“办事指南”检查项）",
                                       "no guide page found, so there is no flowchart to look for (see services.guides)"))
    fail_min = int(settings["fail_min_guides"])
    with_chart = [g for g in guides if g.has_flowchart]
    broken = [g for g in guides if g.flowcharts and not g.has_flowchart]
    without = [g for g in guides if not g.has_flowchart]
    total, n = len(guides), len(with_chart)
    share = n / total
    details = {"guides": total, "with_flowchart": n, "share": round(share, 3), "broken": len(broken),
               "without": [g.url for g in without],
               # Flowchart images not link-checked (deeper than --link-check-depth): assumed to load.
               "unchecked": sum(1 for g in guides for _u, _h, state in g.flowcharts if state == "unknown")}
    ev = []
    for g in without:
        if g in broken:
            url, how, _state = g.flowcharts[0]
            ev.append(Evidence(url, f"{g.title}：{how}无法打开", T("流程图无法打开", "flowchart does not load")))
        else:
            ev.append(Evidence(g.url, g.title, T("无办理流程图", "no flowchart")))
    ev += [Evidence(g.flowcharts[0][0], f"{g.title}：{g.flowcharts[0][1]}", T("有流程图", "flowchart"))
           for g in with_chart if g.has_flowchart][:3]
    pct = f"{share:.0%}"
    if n == total:
        return Result.passed(T(f"{total} 个办事指南均附有办理流程图", f"all {total} guides have a flowchart"), ev, **details)
    if n == 0 and total >= fail_min:
        return Result.failed(T(f"{total} 个办事指南均未附办理流程图", f"none of the {total} guides has a flowchart"),
                             ev, **details)
    return Result.warned(T(f"{total} 个办事指南中 {n} 个附有办理流程图（{pct}），{total - n} 个没有",
                           f"{n} of {total} guides have a flowchart ({pct}); {total - n} do not"), ev, **details)
