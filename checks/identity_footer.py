"""identity.footer — the footer names the 主办单位 and gives a way to contact it.

主办单位 is written "主办单位：X", "主办：X", "X主办", or as 承办/主管单位; 联系方式 as a
phone number (0531-12345678, (010)12345678, the 12345 hotline), an address, an
e-mail address, or a 联系我们 link. Footers are often written by document.write in
an included script or live in a frame: all of these are searched.
"""
import re

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.page_text import (clean_name, compact, find_sponsors, footer_evidence, footer_first,
                                     footer_sources, homepage_is_thin, homepage_links, search_sources)
from auditor.checking.verdicts import missing_result, missing_status, thin_unknown

ID = "identity.footer"
DEFAULT_SPONSOR = ["主办单位", "承办单位", "主管单位", "主办", "承办", "主管"]
DEFAULT_CONTACT_LINKS = ["联系我们", "联系方式"]
# A landline's area code is 010, 02X or 0[3-9]XX, and a number glued to Latin letters is code, not a
# phone: "0123456789" (a script's digit alphabet) is neither.
CONTACT = re.compile(
    r"(?<![\dA-Za-z-])(?:\((?:010|02\d|0[3-9]\d{2})\)|010|02\d|0[3-9]\d{2})\s*[-—–]?\s*\d{7,8}(?![\dA-Za-z])"
    # landline 0531-12345678, (010)12345678
    r"|(?<![\d-])400-?\d{3}-?\d{4}(?!\d)"                                      # 400 numbers
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"                                               # mobile
    r"|(?<![\d.])123\d{2}(?![\d.])"                                            # 12345 / 12328 hotlines
    r"|(?:电话|热线|传真|Tel|TEL|Phone)\s*:?\s*\(?\d[\d\s()-]{5,}\d"           # 电话：… any shape
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                                          # e-mail
    r"|(?:通讯地址|办公地址|联系地址|地址)\s*:\s*[\u4e00-\u9fa5A-Za-z0-9()]{4,}"  # address
    r"|(?:电子邮箱|电子信箱|邮箱|E-?mail)\s*:\s*\S{3,}", re.I)
COPYRIGHT = re.compile(r"(?:版权所有|Copyright)\s*(?:©|\(c\))?\s*(?:\d{4}(?:\s*-\s*\d{4})?)?\s*:?\s*"
                       r"([\u4e00-\u9fa5()·]{3,40})", re.I)


@check(
    id=ID,
    title=T("主办单位与联系方式", "Sponsoring body and contact details"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "页面底部功能区：网站主办单位、联系方式",
                  confidence="❓", effective="2017-05-15", rule="R-footer-sponsor-contact",
                  note="条文原文未找到；检查工具检查此项"),
    weight=1,
    description=T("首页底部应写明网站主办单位（“主办单位：XX”）和联系方式（电话、地址、电子邮箱或“联系我们”链接）。",
                  "The homepage footer names the sponsoring body (主办单位) and gives contact details "
                  "(phone, address, e-mail or a 联系我们 link)."),
    remediation=T("在全站页面底部功能区写明“主办单位：XX”及联系电话、地址等联系方式。",
                  "Name the 主办单位 and give a phone number/address in the footer of every page."),
    gatherers=("homepage",),
    settings={"missing": Setting("fail", "how an absent item is judged: \"fail\" or \"warn\"")},
)
def run(snap, profile, settings):
    page = snap.homepage
    sponsors = find_sponsors(snap, profile.keywords("sponsor_labels") or DEFAULT_SPONSOR)
    contacts = [h for h in footer_first(search_sources(footer_sources(snap), CONTACT)) if h.visible]
    link_words = [compact(w) for w in (profile.keywords("contact_link_labels") or DEFAULT_CONTACT_LINKS)]
    contact_links = [l for l in homepage_links(snap) if l.tag in ("a", "area") and any(w in compact(l.text) for w in link_words)]
    ev: list[Evidence] = []
    details = {}
    if sponsors:
        details["sponsor"] = sponsors[0].name
        ev.append(sponsors[0].hit.evidence(T("主办单位", "sponsoring body")))
    if contacts:
        details["contact"] = contacts[0].match.group(0).strip()
        ev.append(contacts[0].evidence(T("联系方式", "contact details")))
    elif contact_links:
        details["contact_link"] = contact_links[0].url
        ev.append(Evidence(contact_links[0].url, contact_links[0].text, T("联系我们链接", "contact link")))
    has_contact = bool(contacts or contact_links)
    owner = [] if sponsors else [h for h in search_sources(footer_sources(snap), COPYRIGHT)
                                 if len(re.findall(r"[\u4e00-\u9fa5]", clean_name(h.match.group(1)))) >= 3]
    if owner:
        # "版权所有：X" names who runs the site, but not explicitly as 主办单位.
        name = clean_name(owner[0].match.group(1))
        details["copyright_owner"] = name
        ev.append(owner[0].evidence(T("版权所有", "copyright owner")))
        return Result.warned(T(f"页面底部只写明“版权所有：{name}”，未明确标注“主办单位”"
                               + ("" if has_contact else "，也没有联系方式"),
                               f"the footer only says “版权所有 {name}”, with no explicit 主办单位"
                               + ("" if has_contact else " and no contact details")), ev, **details)
    if sponsors and has_contact:
        what = details.get("contact") or f"“{contact_links[0].text}”链接"
        return Result.passed(T(f"页面底部写明了主办单位（{sponsors[0].name}）和联系方式（{what}）",
                               f"the footer names the sponsor ({sponsors[0].name}) and gives contact details"),
                             ev, **details)
    if not sponsors and not has_contact and homepage_is_thin(snap):
        return thin_unknown(T("主办单位和联系方式", "sponsor and contact details"))
    if sponsors:
        return Result.warned(T(f"页面底部写明了主办单位（{sponsors[0].name}），但没有联系方式（电话、地址、邮箱或“联系我们”）",
                               f"the footer names the sponsor ({sponsors[0].name}) but gives no contact details"),
                             ev + [footer_evidence(page)], **details)
    if has_contact:
        return Result.warned(T("页面底部有联系方式，但未写明主办单位", "the footer gives contact details but no 主办单位"),
                             ev + [footer_evidence(page)], **details)
    return missing_result(missing_status(settings),
                          T("页面底部既未写明主办单位，也没有联系方式", "the footer names no sponsor and gives no contact details"),
                          [footer_evidence(page)])
