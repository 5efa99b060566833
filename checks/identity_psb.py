"""identity.psb — the 公安机关备案号 (公网安备) is shown on the homepage.

Written as "京公网安备 11010202000001号", "冀公网安备13100302000636号" or with a
full-width colon, usually linking to beian.gov.cn (or beian.mps.gov.cn); the number
has 14 digits.
"""
import re

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.network.urls import host_of

from auditor.views.page_text import footer_evidence, homepage_is_thin, homepage_links, search_homepage
from auditor.checking.verdicts import missing_result, missing_status, thin_unknown

ID = "identity.psb"
PSB = re.compile(r"([\u4e00-\u9fa5])\s*公网安备\s*(?:案号|号)?\s*[:：]?\s*(\d+)\s*号?")
DEFAULT_HOSTS = ["beian.gov.cn", "beian.mps.gov.cn"]
DEFAULT_PATHS = ["/portal/registersysteminfo", "recordcode="]


@check(
    id=ID,
    title=T("公安机关备案号", "Public security registration number"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "页面底部功能区：公安机关备案标识",
                  confidence="🟡", effective="2017-05-15", rule="R-footer-psb",
                  note="备案义务见《计算机信息网络国际联网安全保护管理办法》（公安部令第33号），条款未核实"),
    weight=1,
    description=T("首页底部应标明公安机关备案号，如“京公网安备 11010202000001号”（14 位数字），"
                  "并链接到全国互联网安全管理服务平台。该要求来源为二手资料（🟡），缺失默认记为警告。",
                  "The homepage footer shows the 公网安备 number (14 digits), linked to beian.gov.cn. "
                  "The requirement is from a secondary source (🟡): missing is a warning by default."),
    remediation=T("在全站页面底部标明公安机关备案号（如“京公网安备 11010202000001号”），"
                  "并链接到 https://beian.mps.gov.cn/ 的备案信息页面。",
                  "Show the 公网安备 number in every page footer, linked to its record on beian.mps.gov.cn."),
    gatherers=("homepage",),
    settings={"missing": Setting("warn", "how an absent item is judged: \"fail\" or \"warn\" (🟡/❓ requirements default to warn)")},
)
def run(snap, profile, settings):
    page = snap.homepage
    hosts = profile.keywords("psb_link_hosts") or DEFAULT_HOSTS
    paths = [p.lower() for p in (profile.keywords("psb_link_paths") or DEFAULT_PATHS)]
    # By host, or by the platform's record path (an IPv6 proxy rewrites the host, not the path).
    links = [l for l in homepage_links(snap) if any(host_of(l.url).endswith(h) for h in hosts)
             or any(p in l.url.lower() for p in paths)]
    hits = search_homepage(snap, PSB)
    visible = [h for h in hits if h.visible]
    linked = bool(links)
    ev_links = [Evidence(l.url, l.text, T("链接到公安备案平台", "links to the registration platform")) for l in links[:1]]
    if visible:
        good = [h for h in visible if len(h.match.group(2)) == 14]
        h = (good or visible)[0]
        number = f"{h.match.group(1)}公网安备{h.match.group(2)}号"
        details = {"number": number, "linked": linked}
        link_note = T("，并链接到公安备案平台" if linked else "，但未链接到公安备案平台",
                      ", linked to the registration platform" if linked else ", not linked to beian.gov.cn")
        if good:
            return Result.passed(T(f"首页标明了公安机关备案号：{number}{link_note.zh}",
                                   f"public security number shown: {number}{link_note.en}"),
                                 [h.evidence(), *ev_links], **details)
        digits = len(h.match.group(2))
        return Result.warned(T(f"公安机关备案号“{number}”为 {digits} 位数字，应为 14 位",
                               f"the public security number “{number}” has {digits} digits, not 14"),
                             [h.evidence(), *ev_links], **details)
    if hits:
        return Result.warned(T("公安机关备案号只出现在页面源代码中（如注释或隐藏元素），访问者看不到",
                               "the public security number is only in the page source, not shown"),
                             [hits[0].evidence(), *ev_links], linked=linked)
    if linked:
        return Result.warned(T("首页有指向公安备案平台的链接（可能是图片），但未以文字标明备案号",
                               "the homepage links to the registration platform (probably an image) "
                               "but does not show the number as text"), ev_links, linked=True)
    if homepage_is_thin(snap):
        return thin_unknown(T("公安机关备案号", "public security registration number"))
    return missing_result(missing_status(settings),
                          T("首页未找到公安机关备案号（公网安备）", "no 公网安备 number on the homepage"),
                          [footer_evidence(page)])
