"""freshness.empty-columns — no 空白栏目 (veto at 5).

国办秘函〔2019〕19号 单项否决「栏目不更新」(3): 空白栏目数量超过（含）5个; 开普云 warns above 2.
A column is blank when its page says so (暂无信息, 暂无数据 …) and lists no information
item, or — for a column named in the profile — lists nothing at all. A page whose list
is filled by scripts (an ajax call, a Vue/Angular template, a JCMS datastore) is not
counted: what a visitor sees there could not be determined.
"""
from auditor.checking.check import Clause, Evidence, Result, T, check
from auditor.views.listing import EMPTY_MARKERS

from auditor.views.page_text import excerpt
from auditor.views.freshness import NAME_SOURCES, class_title, fresh_columns

ID = "freshness.empty-columns"


@check(
    id=ID,
    title=T("空白栏目", "Blank columns"),
    category="freshness",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "单项否决指标·栏目不更新（第3项）",
                  confidence="✅", effective="2019-04-01", rule="R-veto-column-blank", since="2015-03-11",
                  quote="3.空白栏目数量超过（含）5个。上述情况出现任意一种，即单项否决。",
                  note="预警线（超过 2 个）为检查配置"),
    weight=3,
    veto=True,
    description=T("栏目页面显示“暂无信息”等字样且没有任何信息条目的，计为空白栏目；在检查配置 [columns.named] 中指定的栏目"
                  "没有任何信息条目也计为空白。5 个及以上为单项否决，超过 2 个为预警。列表由脚本加载的栏目不计入（无法判断）。",
                  "A column page that says 暂无信息 (or similar) and lists no item is blank, as is a profile-named "
                  "column listing nothing. 5 or more is a veto; more than 2 an early warning. Lists loaded by "
                  "scripts are not counted (could not be determined)."),
    remediation=T("为空白栏目补充内容；确无内容的栏目应整合或撤销，不在网站上保留空栏目。",
                  "Fill the blank columns, or remove/merge columns that have no content."),
    gatherers=("links",),
)
def run(snap, profile):
    cols = [c for c in fresh_columns(snap, profile) if not _is_search(c.url, c.name)]
    fail_at = int(profile.threshold("columns_blank_fail"))
    warn_above = int(profile.threshold("columns_blank_warn_above"))
    if not cols:
        return Result.unknown(T("未找到栏目列表页面，无法判断是否存在空白栏目；可在检查配置 [columns.named] 中指定栏目",
                                "no column pages were found; name the columns in the profile ([columns.named])"))
    blank = [c for c in cols if c.blank and not c.script]
    scripted = [c for c in cols if c.blank and c.script]
    missing = [c for c in cols if not c.crawled]
    details = {"columns_seen": len(cols), "blank": [_row(c, profile) for c in blank],
               "script_loaded": [_row(c, profile) for c in scripted],
               "named_not_crawled": [c.url for c in missing],
               "thresholds": {"fail": fail_at, "warn_above": warn_above}}
    ev = [_evidence(snap, c, profile) for c in blank]
    ev += [Evidence(c.url, f"{c.name}：{', '.join(c.script[:3])}", T("列表可能由脚本加载，未计入（无法判断）",
                                                                 "list may be loaded by scripts: not counted"))
           for c in scripted[:10]]
    ev += [Evidence(c.url, c.name, T("检查配置指定的栏目未被抓取", "named column not crawled")) for c in missing[:10]]
    names = "、".join(c.name for c in blank)
    if len(blank) >= fail_at:
        return Result.failed(T(f"发现 {len(blank)} 个空白栏目（≥{fail_at}，单项否决）：{names}",
                               f"{len(blank)} blank columns (≥{fail_at}: veto): {names}"), ev, **details)
    if len(blank) > warn_above:
        return Result.warned(T(f"发现 {len(blank)} 个空白栏目（超过 {warn_above} 个预警线）：{names}",
                               f"{len(blank)} blank columns (early warning above {warn_above}): {names}"), ev, **details)
    if scripted and len(blank) + len(scripted) >= fail_at:
        if blank:
            return Result.warned(T(f"发现 {len(blank)} 个空白栏目（{names}），另有 {len(scripted)} 个栏目由脚本加载无法判断，"
                                   "合计可能达到否决线，请人工核实",
                                   f"{len(blank)} blank and {len(scripted)} script-loaded columns: may reach the veto "
                                   "level"), ev, **details)
        return Result.unknown(T(f"{len(scripted)} 个栏目页面显示无信息但列表由脚本加载，无法判断是否为空白栏目（可能达到否决线）",
                                f"{len(scripted)} columns look empty but are loaded by scripts: could not determine"),
                              ev, **details)
    if not blank and scripted and len(scripted) == len([c for c in cols if c.crawled]):
        return Result.unknown(T("栏目列表均由脚本加载，无法判断是否为空白栏目", "every column list is loaded by scripts"),
                              ev, **details)
    note = T(f"；另有 {len(scripted)} 个栏目由脚本加载未计入", f"; {len(scripted)} script-loaded not counted") \
        if scripted else T("", "")
    if blank:
        return Result.passed(T(f"发现 {len(blank)} 个空白栏目（{names}），未超过预警线（{warn_above} 个）",
                               f"{len(blank)} blank column(s) ({', '.join(c.name for c in blank)}), not above the "
                               f"early warning ({warn_above}){note.en}"), ev, **details)
    return Result.passed(T(f"检查了 {len(cols)} 个栏目页面，未发现空白栏目{note.zh}", f"{len(cols)} column pages, none blank{note.en}"),
                         ev, **details)


def _is_search(url: str, name: str) -> bool:
    low = url.lower()
    return any(h in low for h in ("search", "sousuo", "jsearch", "was5", "/so/")) or "搜索" in name or "检索" in name


def _row(c, profile):
    return {"name": c.name, "url": c.url, "class": c.klass, "name_source": c.name_source, "origin": c.origin,
            "script": c.script}


def _evidence(snap, c, profile):
    page = snap.page(c.url)
    text = page.text if page is not None else ""
    shown = f"{c.name}：{c.notice}" if c.notice else ""
    for m in () if c.notice else EMPTY_MARKERS:
        i = text.find(m)
        if i >= 0:
            shown = excerpt(text, i, i + len(m), 20)
            break
    shown = shown or f"{c.name}：页面没有信息条目"
    source = NAME_SOURCES.get(c.name_source, T(c.name_source))
    return Evidence(c.url, shown, T(f"空白栏目（{class_title(profile, c.klass)}）；栏目名称来自{source.zh}",
                                    f"blank column ({c.klass or 'unclassified'}); name from {source.en}"))
