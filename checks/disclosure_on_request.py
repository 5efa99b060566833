"""disclosure.on-request — a channel for 依申请公开 (applications for information) exists.

条例 第二十七~二十八条: 行政机关 build a channel for applications; 第二十九条: an
application (信件、数据电文 or orally) gives 申请人的姓名或者名称、身份证明、联系方式,
the 政府信息的名称、文号或者便于查询的其他特征性描述, and the 形式要求 (获取信息的方式、
途径). A channel is an online form, a downloadable 申请表, a link to an online
application system, or written instructions with a postal address.
"""
from __future__ import annotations

import re

from auditor.checking.coverage import not_reached
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.page_text import link_state, nfkc
from auditor.views.disclosure import (GUIDE_EXCLUDE, GUIDE_KEYWORDS, clip, disclosure_root, find_named, html_page,
                                      is_thin, main_text)
from auditor.checking.verdicts import dead_result, root_unknown

ID = "disclosure.on-request"
KEYWORDS = ["依申请公开", "依申请", "申请公开", "信息公开申请", "在线申请", "网上申请"]
EXCLUDE = ["年报", "年度报告", "行政许可", "办事"]
MAX_CANDIDATES = 6

# 第二十九条 fields: (key, zh, en, label pattern, field-name pattern)
FIELDS = [
    ("name", "申请人姓名或名称", "applicant name",
     r"姓\s*名|名\s*称|申请人(?!类型|类别)", r"name|xm|xingming|sqr|applicant|dwmc|org"),
    ("identity", "身份证明", "proof of identity",
     r"证\s*件|身份证|身份证明|统一社会信用代码|组织机构代码|营业执照",
     r"id_?(?:no|num|card|type)|idcard|sfz|zjhm|zjlx|cert|license|credit|tyshxydm"),
    ("contact", "联系方式", "contact details",
     r"联系电话|电\s*话|手\s*机|邮\s*箱|电子邮件|通信地址|联系地址|通讯地址|联系方式|邮政编码|邮\s*编",
     r"phone|tel|mobile|email|mail|address|addr|lxdh|lxfs|sjhm|yzbm|postcode|zip"),
    ("description", "所需信息的名称、文号或特征描述", "description of the information",
     r"所需(?:的)?(?:政府)?信息|信息(?:的)?名称|文\s*号|内容描述|特征性?描述|信息描述|申请内容|申请公开的|需要.{0,6}信息",
     r"desc|content|xxmc|xxnr|sqnr|info|detail|need|wh\b"),
    ("delivery", "获取信息的方式", "how to receive it",
     r"获取(?:信息的)?方式|提供(?:信息的)?方式|载体形式|获取途径|邮\s*寄|当面领取|自行领取|电子邮件|传真",
     r"delivery|hqfs|tgfs|ztxs|carrier|method|way"),
]
_FIELD_LABEL = [(k, zh, en, re.compile(lab), re.compile(name, re.I)) for k, zh, en, lab, name in FIELDS]
_VISIBLE_INPUT = frozenset({"text", "textarea", "select", "email", "tel", "number", "radio", "checkbox", "date", "file",
                            "input", "search", "url"})
_FORM_LINK = re.compile(r"申请表|申请书|申请单|申请格式|申请文本")
_ONLINE_LINK = re.compile(r"在线申请|网上申请|我要申请|申请平台|申请系统|在线提交|网上提交|立即申请|提交申请")
_POSTAL = re.compile(r"信函|邮寄|来信|邮政|寄送|寄至|寄到")
_ADDRESS = re.compile(r"地\s*址\s*[:：]?\s*[\u4e00-\u9fa5\w]|邮\s*编|邮政编码|[\u4e00-\u9fa5]{2,}(?:路|街|大道|道)\s*\d+\s*号")


def _form_fields(page, form_el) -> dict[str, str]:
    """Which 第二十九条 fields a form has: key -> the label or field name that shows it."""
    text = nfkc(" ".join("".join(form_el.itertext()).split()))
    names = []
    for el in form_el.iter("input", "textarea", "select"):
        typ = (el.get("type") or el.tag).lower()
        if typ in ("hidden", "submit", "button", "reset", "image"):
            continue
        names.append(f"{el.get('name') or ''} {el.get('id') or ''} {el.get('placeholder') or ''}")
    found = {}
    for key, _zh, _en, lab, name in _FIELD_LABEL:
        m = lab.search(text)
        if m:
            found[key] = m.group(0)
            continue
        hit = next((n for n in names if name.search(n)), None)
        if hit:
            found[key] = hit.strip()
    return found


def _forms(page) -> list[tuple[dict, str]]:
    """Application forms on the page: (fields found, form action). Search boxes are left out."""
    if not page.forms:
        return []
    tree = page.tree
    out = []
    for form_el in (tree.iter("form") if tree is not None else ()):
        visible = [el for el in form_el.iter("input", "textarea", "select")
                   if (el.get("type") or el.tag).lower() not in ("hidden", "submit", "button", "reset", "image")]
        if len(visible) < 3:
            continue  # a search box or a login, not an application form
        fields = _form_fields(page, form_el)
        if len(fields) >= 2:
            out.append((fields, form_el.get("action") or page.final_url))
    return out


def _channels(snap, page) -> dict:
    """Channels one page offers."""
    text = nfkc(main_text(page))
    out = {"forms": _forms(page), "downloads": [], "online": [], "postal": None}
    for link in page.links:
        if link.tag not in ("a", "area"):
            continue
        t = nfkc(link.text)
        if _FORM_LINK.search(t) or _FORM_LINK.search(link.url) or "sqb" in link.url.lower():
            state, reason = link_state(snap.status_of(link.url))
            out["downloads"].append((link, state, reason))
        elif _ONLINE_LINK.search(t) and link.url != page.url:
            out["online"].append(link)
    m = _POSTAL.search(text)
    if m:
        window = text[max(0, m.start() - 80): m.end() + 120]
        a = _ADDRESS.search(window)
        if a:
            out["postal"] = clip(text, m.start(), m.end(), 60)
    return out


@check(
    id=ID,
    title=T("依申请公开渠道", "Channel for information requests (依申请公开)"),
    category="disclosure",
    clause=Clause("《中华人民共和国政府信息公开条例》（2019年修订，国务院令第711号）",
                  "第二十八条、第二十九条（申请渠道与申请内容）",
                  confidence="✅", effective="2019-05-15", rule="R-disclosure-on-request", since="2008-05-01",
                  quote="本条例第二十七条规定的行政机关应当建立完善政府信息公开申请渠道，为申请人依法申请获取政府信息提供便利。"),
    weight=2,
    description=T("应提供依申请公开渠道：在线申请表、可下载的申请表、在线申请系统，或写明邮寄地址的书面申请说明。"
                  "报告在线申请表包含条例第二十九条的哪些内容（姓名或名称、身份证明、联系方式、所需信息的描述、获取方式）。",
                  "A channel for information requests exists: an online form, a downloadable application form, an online "
                  "system, or written instructions with a postal address. Reports which 条例 Art. 29 items the online form has."),
    remediation=T("在政府信息公开栏目设置“依申请公开”，提供在线申请或申请表下载，并写明信函申请的邮寄地址；"
                  "申请表应包含姓名或名称、身份证明、联系方式、所需信息的名称/文号/特征描述及获取方式。",
                  "Offer an online application form or a downloadable form and a postal address; the form asks for the "
                  "applicant's name, ID, contact details, a description of the information and how to receive it."),
    gatherers=("homepage", "links"),
    settings={
        "keywords": Setting(KEYWORDS, "names of the 依申请公开 page"),
        "exclude": Setting(EXCLUDE, "words that make a page no 依申请公开 page"),
    },
)
def run(snap, profile, settings):
    root = disclosure_root(snap, profile)
    keywords = list(settings["keywords"])
    exclude = list(settings["exclude"])
    named = find_named(snap, profile, "on_request", keywords, exclude, root)

    pages, not_read = [], []
    for n in named[:MAX_CANDIDATES]:
        page = html_page(snap, n.url)
        if page is None or is_thin(page):
            not_read.append(n)
        elif all(page is not p for p, _ in pages):
            pages.append((page, n))
    # The guide describes the application channel too (获取方式 → 依申请公开).
    for n in find_named(snap, profile, "guide", GUIDE_KEYWORDS, GUIDE_EXCLUDE, root)[:2]:
        page = html_page(snap, n.url)
        if page is not None and not is_thin(page) and all(page is not p for p, _ in pages):
            pages.append((page, n))

    forms, downloads, online, postal = [], [], [], []
    for page, n in pages:
        ch = _channels(snap, page)
        forms += [(page, f, a) for f, a in ch["forms"]]
        downloads += [(page, *d) for d in ch["downloads"]]
        online += [(page, link) for link in ch["online"]]
        if ch["postal"]:
            postal.append((page, ch["postal"]))

    best_form = max(forms, key=lambda f: len(f[1]), default=None)
    ev: list[Evidence] = []
    details: dict = {"pages": [p.final_url for p, _ in pages]}
    if best_form is not None:
        page, fields, action = best_form
        details["form_fields"] = sorted(fields)
        details["form_fields_missing"] = [zh for k, zh, _e, _l, _n in _FIELD_LABEL if k not in fields]
        ev.append(Evidence(page.final_url, "；".join(f"{zh}：{fields[k]}" for k, zh, _e, _l, _n in _FIELD_LABEL if k in fields),
                           T("在线申请表（第二十九条内容）", "online form (Art. 29 items)")))
    good_downloads = [(p, l, s, r) for p, l, s, r in downloads if s not in ("dead",)]
    for p, link, state, reason in downloads[:3]:
        ev.append(Evidence(link.url, f"“{link.text}” → {reason}", T("申请表下载", "application form download")))
    for p, link in online[:2]:
        ev.append(Evidence(link.url, f"“{link.text}”（见 {p.final_url}）", T("在线申请入口", "online application link")))
    for p, excerpt in postal[:1]:
        ev.append(Evidence(p.final_url, excerpt, T("信函申请说明", "postal application instructions")))

    channels = []
    if best_form is not None:
        channels.append(("在线申请表", "online form"))
    if good_downloads:
        channels.append(("申请表下载", "downloadable form"))
    if online:
        channels.append(("在线申请入口", "online application link"))
    if postal:
        channels.append(("信函申请（写明邮寄地址）", "postal applications with an address"))
    details["channels"] = [en for _, en in channels]

    if not channels:
        if not pages:
            dead = dead_result(snap, not_read, T("依申请公开页面", "依申请公开 page"))
            if dead is not None:
                return dead
            if not_read:
                n = not_read[0]
                return Result.unknown(T(f"找到依申请公开页面（{n.text}），但页面未能抓取或由脚本生成，无法判断申请渠道",
                                        f"found the 依申请公开 page ({n.text}), but it was not read or is built by scripts"),
                                      [n.evidence()], **details)
            if not root.crawled:
                return root_unknown(root, T("是否提供依申请公开渠道", "channel for information requests"), snap)
            gap = not_reached(snap, root.url, T("依申请公开页面", "依申请公开 page"), [root.evidence()], **details)
            if gap is not None:
                return gap
            return Result.failed(T("政府信息公开栏目中未找到依申请公开页面或申请说明（条例第二十七~二十九条）",
                                   "no 依申请公开 page or application instructions in the 政府信息公开 column (条例 Arts. 27-29)"),
                                 [root.evidence()], **details)
        dead = [(l, r) for _p, l, s, r in downloads if s == "dead"]
        ev += [n.evidence(T("依申请公开页面", "依申请公开 page")) for _p, n in pages[:2]]
        if dead:
            return Result.failed(T(f"依申请公开的申请表无法下载（{dead[0][1]}），也未找到在线申请表或邮寄地址",
                                   f"the application form does not download ({dead[0][1]}) and there is no online form or postal address"),
                                 ev, **details)
        return Result.failed(T("依申请公开页面未提供在线申请表、申请表下载或写明邮寄地址的书面申请说明",
                               "the 依申请公开 page offers no online form, no form download and no postal address"), ev, **details)

    names = "、".join(zh for zh, _ in channels)
    names_en = ", ".join(en for _, en in channels)
    if best_form is not None and len(channels) == 1:
        lacking = [zh for k, zh, _e, _l, _n in _FIELD_LABEL[:4] if k not in best_form[1]]
        if lacking:
            return Result.warned(T(f"提供了在线申请表，但缺少条例第二十九条要求的内容：{'、'.join(lacking)}，也没有其他申请渠道",
                                   f"an online form exists but lacks Art. 29 items ({', '.join(lacking)}) and there is no other channel"),
                                 ev, **details)
    return Result.passed(T(f"提供了依申请公开渠道：{names}", f"channels for information requests: {names_en}"), ev, **details)
