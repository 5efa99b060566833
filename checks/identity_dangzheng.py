"""identity.dangzheng — the 党政机关网站标识 (conac.cn) is on the homepage.

The mark is a script (``dcs.conac.cn/js/…/CA….js``) that draws it, or a link to
``bszs.conac.cn/sitename?method=show&id=…`` around ``red.png`` (党政机关) or
``blue.png`` (事业单位). Both are usually written into the footer by scripts.
"""
import re

from auditor.checking.check import Clause, Result, Setting, T, check
from auditor.network.urls import host_of

from auditor.views.page_text import (commented_hits, find_markers, footer_evidence, homepage_is_thin,
                                     is_text_marker, markup_sources)
from auditor.checking.verdicts import missing_result, missing_status, thin_unknown

ID = "identity.dangzheng"
# conac.cn or its IPv6-proxy spelling (dcs-conac-cn.<proxy host>).
COLOUR = re.compile(r"conac[.-]cn[\s\S]{0,300}?\b(red|blue)\.(?:png|gif|jpg)|\b(red|blue)\.(?:png|gif|jpg)[\s\S]{0,300}?conac[.-]cn",
                    re.I)
CONAC_ID = re.compile(r"conac[.-]cn[^/\"'\s<>]*/sitename\?[^\"'\s<>]*?\bid=([A-Za-z0-9]+)", re.I)
KIND = {"red": T("党政机关（红色标识）", "Party/government body (red mark)"),
        "blue": T("事业单位（蓝色标识）", "public institution (blue mark)")}


def _colour(snap, markers):
    for m in markers:
        if m.target and re.search(r"\bred\.(?:png|gif|jpg)", m.target, re.I):
            return "red"
        if m.target and re.search(r"\bblue\.(?:png|gif|jpg)", m.target, re.I):
            return "blue"
    for _where, _url, text in markup_sources(snap):
        if "conac" not in text.lower():
            continue
        m = COLOUR.search(text)
        if m:
            return (m.group(1) or m.group(2)).lower()
    return ""


@check(
    id=ID,
    title=T("党政机关网站标识", "Government website mark (conac.cn)"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "页面底部功能区：党政机关网站标识",
                  confidence="🟡", effective="2017-05-15", rule="R-footer-dangzheng",
                  note="要求来自转录稿；标识代码已在真实网站核实"),
    weight=1,
    description=T("首页底部应放置党政机关网站标识（由 conac.cn 提供，党政机关为红色标识、事业单位为蓝色标识），"
                  "并链接到 bszs.conac.cn 的核验页面。该要求来源为二手资料（🟡），缺失默认记为警告。",
                  "The homepage footer carries the conac.cn mark (red for Party/government bodies, blue for "
                  "public institutions) linked to its bszs.conac.cn record. Requirement 🟡: missing is a warning by default."),
    remediation=T("按中央机构编制委员会办公室要求，在全站页面底部放置党政机关网站标识代码（dcs.conac.cn 提供的脚本）。",
                  "Add the conac.cn mark script (from dcs.conac.cn) to the footer of every page."),
    gatherers=("homepage",),
    settings={"missing": Setting("warn", "how an absent item is judged: \"fail\" or \"warn\" (🟡/❓ requirements default to warn)")},
)
def run(snap, profile, settings):
    page = snap.homepage
    markers = find_markers(snap, profile.keywords("dangzheng_markers"))
    conac = [m for m in markers if not is_text_marker(m.needle)]
    if conac:
        colour = _colour(snap, markers)
        ids = [m.group(1) for m in (CONAC_ID.search(x.target or x.snippet) for x in conac) if m]
        hosts = sorted({host_of(m.target) for m in conac if m.target})
        details = {"kind": colour or "unknown", "conac_id": ids[0] if ids else None, "hosts": hosts}
        scripted = all(m.where in ("script", "inline-script") for m in conac)
        how = T("（由脚本写入）" if scripted else "", " (written by a script)" if scripted else "")
        if colour:
            what = KIND[colour]
            summary = T(f"首页有党政机关网站标识{how.zh}：{what.zh}", f"the conac.cn mark is on the homepage{how.en}: {what.en}")
        else:
            summary = T(f"首页有党政机关网站标识{how.zh}（由 conac.cn 脚本生成，静态页面看不出红/蓝类别）",
                        f"the conac.cn mark is on the homepage{how.en} (drawn by the conac script; colour not visible statically)")
        seen, ev = set(), []
        for m in conac:
            if m.where not in seen:
                seen.add(m.where)
                ev.append(m.evidence())
        return Result.passed(summary, ev, **details)
    if markers:
        return Result.warned(T("首页提到“党政机关”标识，但未链接到 conac.cn 核验页面",
                               "the homepage mentions the mark but does not link to conac.cn"),
                             [markers[0].evidence()])
    commented = commented_hits(snap, ["conac.cn"])
    if commented:
        return Result.warned(T("党政机关网站标识代码在首页源代码中被注释掉，访问者看不到",
                               "the conac.cn mark is commented out in the homepage source"), commented[:1])
    if homepage_is_thin(snap):
        return thin_unknown(T("党政机关网站标识", "conac.cn mark"))
    return missing_result(missing_status(settings),
                          T("首页未找到党政机关网站标识（conac.cn）", "no conac.cn mark on the homepage"),
                          [footer_evidence(page)])
