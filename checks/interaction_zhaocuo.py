"""interaction.zhaocuo — the 我为政府网站找错 entry is on the homepage.

Current sites embed ``<script id="_jiucuo_" sitecode="…"
src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js">`` (legacy host
pucha.kaipuyun.cn), older ones link to www.gov.cn/c125533/jbxxk.htm or show a badge
linking to the 开普云 网站纠错系统 (114.55.181.28/errorInfo/search); the markers are the
profile's ``keywords.zhaocuo_markers`` (default.toml lists every generation). The script is
often written by document.write in an included script, so the page source,
inline and included scripts and frames are all searched.
"""
from auditor.checking.check import Clause, Result, T, check

from auditor.views.page_text import (commented_hits, find_markers, footer_evidence, homepage_is_thin,
                                     is_text_marker, jiucuo_sitecodes)
from auditor.checking.verdicts import thin_unknown

ID = "interaction.zhaocuo"


@check(
    id=ID,
    title=T("“我为政府网站找错”入口", "“我为政府网站找错” entry"),
    category="interaction",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "扣分指标·功能设计：“我为政府网站找错”入口设置",
                  confidence="✅", effective="2019-04-01", rule="R-function-zhaocuo",
                  note="指标原文未取得，检查项目已核实"),
    weight=2,
    description=T("首页应设置“我为政府网站找错”入口（国办政府网站找错平台的 jiucuo.js 脚本或链接），"
                  "网民可通过它向国办平台反映网站问题。",
                  "The homepage has the 我为政府网站找错 entry (the jiucuo.js script of the 国办 platform, or a link to it)."),
    remediation=T("在全站页面底部功能区嵌入国办“我为政府网站找错”平台提供的代码"
                  "（<script id=\"_jiucuo_\" sitecode=\"网站标识码\" src=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.js\">），"
                  "sitecode 填写本站网站标识码。",
                  "Embed the 找错 code from the 国办 platform (script id _jiucuo_, sitecode = your site code) in every page footer."),
    gatherers=("homepage",),
)
def run(snap, profile):
    page = snap.homepage
    needles = profile.keywords("zhaocuo_markers")
    if not needles:
        return Result.unknown(T("配置文件的 keywords.zhaocuo_markers 为空，无法识别找错入口",
                                "the profile's keywords.zhaocuo_markers is empty"))
    markers = find_markers(snap, needles)
    if markers:
        ev, seen = [], set()
        for m in markers:
            if m.where not in seen:
                seen.add(m.where)
                ev.append(m.evidence())
        codes = jiucuo_sitecodes(snap)
        details = {"where": sorted(seen), "sitecode": codes[0][0] if codes else None}
        scripted = all(m.where in ("script", "inline-script") for m in markers)
        how = T("（由脚本写入）", " (written by a script)") if scripted else T("", "")
        code_note = T(f"，sitecode={codes[0][0]}", f", sitecode={codes[0][0]}") if codes else T("", "")
        return Result.passed(T(f"首页设置了“我为政府网站找错”入口{how.zh}{code_note.zh}",
                               f"the homepage has the 找错 entry{how.en}{code_note.en}"), ev, **details)
    commented = commented_hits(snap, [n for n in needles if not is_text_marker(n)])
    if commented:
        return Result.failed(T("“我为政府网站找错”代码在首页源代码中被注释掉，访问者看不到入口",
                               "the 找错 code is commented out in the homepage source"), commented[:2])
    if homepage_is_thin(snap):
        return thin_unknown(T("“我为政府网站找错”入口", "找错 entry"))
    return Result.failed(T("首页未找到“我为政府网站找错”入口（jiucuo.js 脚本或链接）",
                           "no 我为政府网站找错 entry on the homepage (jiucuo.js script or link)"),
                         [footer_evidence(page)])
