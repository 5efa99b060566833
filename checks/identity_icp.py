"""identity.icp — the ICP 备案编号 is shown on the homepage.

Real footers write it many ways: 京ICP备05070218号, 蜀ICP备：12345678号-1,
ＩＣＰ备案号：浙ICP备14042003号-1, or inside document.write() in an included
script; all are matched after NFKC folding.
"""
import re

from auditor.checking.check import Clause, Result, Setting, T, check

from auditor.views.page_text import footer_evidence, homepage_is_thin, search_homepage
from auditor.checking.verdicts import missing_result, missing_status, thin_unknown

ICP = re.compile(r"([\u4e00-\u9fa5])\s*ICP\s*(备|证)\s*(?:案\s*)?(?:号\s*)?[:：]?\s*(\d{5,12})\s*号?"
                 r"(?:\s*[-－—]\s*(\d{1,3}))?", re.I)
ID = "identity.icp"


@check(
    id=ID,
    title=T("ICP 备案编号", "ICP registration number"),
    category="identity",
    clause=Clause("《非经营性互联网信息服务备案管理办法》（信息产业部令第33号）",
                  "第十三条",
                  confidence="✅", effective="2005-03-20", rule="R-footer-icp",
                  quote="非经营性互联网信息服务提供者应当在其网站开通时在主页底部的中央位置标明其备案编号，"
                        "并在备案编号下方按要求链接信息产业部备案管理系统网址，供公众查询核对。"),
    weight=2,
    description=T("首页底部应标明 ICP 备案编号，如“京ICP备05070218号”。",
                  "The homepage footer shows the ICP registration number."),
    remediation=T("在全站页面底部功能区标明 ICP 备案编号，并链接到 https://beian.miit.gov.cn/。",
                  "Show the ICP number in the footer of every page, linked to beian.miit.gov.cn."),
    gatherers=("homepage",),
    settings={"missing": Setting("fail", "how an absent item is judged: \"fail\" or \"warn\"")},
)
def run(snap, profile, settings):
    hits = search_homepage(snap, ICP)
    visible = [h for h in hits if h.visible]
    if visible:
        h = visible[0]
        number = f"{h.match.group(1)}ICP{h.match.group(2)}{h.match.group(3)}号" + (
            f"-{h.match.group(4)}" if h.match.group(4) else "")
        return Result.passed(T(f"首页标明了 ICP 备案编号：{number}", f"ICP number shown: {number}"),
                             [h.evidence()], number=number)
    if hits:
        return Result.warned(
            T("ICP 备案编号只出现在页面源代码中（如注释或隐藏元素），访问者看不到",
              "the ICP number is only in the page source (comment or hidden), not shown to visitors"),
            [hits[0].evidence()])
    if homepage_is_thin(snap):
        return thin_unknown(T("ICP 备案编号", "ICP number"))
    home = snap.homepage
    return missing_result(missing_status(settings),
                          T("首页未找到 ICP 备案编号", "no ICP registration number on the homepage"),
                          [footer_evidence(home)])

