"""disclosure.guide — the 政府信息公开指南 is published and says what 第十二条 asks.

条例 第十二条: the 指南 includes 政府信息的分类、编排体系、获取方式, and the
政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式.
The guide is found by name (link text, ColumnName, breadcrumb, title); when the
page found is the guide column's list, the guide article it links to is read too.
"""
from __future__ import annotations

import re

from auditor.checking.coverage import not_reached
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.page_text import nfkc
from auditor.views.disclosure import (GUIDE_EXCLUDE, GUIDE_KEYWORDS, clip, disclosure_root, find_named, html_page,
                                      is_thin, main_text)
from auditor.checking.verdicts import dead_result, root_unknown

ID = "disclosure.guide"
MAX_CANDIDATES = 8

# "电话（传真）：", "电话/传真：": a second label between the label and the number.
_ALSO = r"(?:\([^)]{0,8}\)|[/、和及与][^:：\d]{0,6})?"
_ORG_END = r"(?:办公室|办公厅|管理局|局|委员会|委|厅|中心|科|处|部|政府|院|所|站|办)"
# (key, zh, en, pattern) — searched in the NFKC-folded visible text.
ELEMENTS = [
    ("classification", "信息分类", "classification",
     r"分类|类别|主动公开(?:的)?(?:政府信息)?(?:的)?(?:范围|内容)|公开(?:的)?(?:范围|内容)"),
    ("arrangement", "编排体系", "arrangement",
     r"编排|排列|排序|索引号|编码|体系|公开目录"),
    ("access", "获取方式", "how to obtain",
     r"获取方式|获取(?:政府)?信息|公开(?:方式|形式|途径)|查阅|依申请|申请获取|提出申请"),
    ("office_name", "工作机构名称", "office name",
     r"(?:工作机构|受理机构|受理单位|受理部门|承办机构|机构名称|名\s*称)\s*(?:为|是)?\s*[:：]?\s*[\u4e00-\u9fa5()]{2,40}?"
     + _ORG_END + r"|(?:政务公开|信息公开)(?:办公室|科|处|中心)"),
    ("address", "办公地址", "office address",
     r"(?:办公|通讯|通信|联系|受理|单位|邮寄)?地\s*址\s*(?:为|是)?\s*[:：]?\s*[\u4e00-\u9fa5\w]"),
    ("hours", "办公时间", "office hours",
     r"(?:办公|受理|接待|工作|服务)时间|周一至周五|星期一至星期五|工作日\s*(?:上午|\d)"),
    ("phone", "联系电话", "telephone",
     r"电\s*话(?:号码)?\s*" + _ALSO + r"\s*[)]?\s*[:：]?\s*\(?\+?\d"),
    ("fax", "传真号码", "fax",
     r"传\s*真(?:号码|电话)?\s*" + _ALSO + r"\s*[)]?\s*[:：]?\s*\(?\+?\d"),
    ("internet", "互联网联系方式", "e-mail or web address",
     r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|互联网联系方式\s*[:：]\s*[^\s:：]{2,}|(?:电子邮箱|电子信箱|电子邮件|邮箱|e-?mail|网址|网站|互联网联系方式|在线申请)\s*[:：]?\s*"
     r"(?:https?://|www\.|[\w-]+\.(?:gov\.cn|cn|com|org|net))"),
]
_COMPILED = [(k, zh, en, re.compile(p, re.I)) for k, zh, en, p in ELEMENTS]
_NUMBER = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—‐ ]?\d{7,8}|1[3-9]\d{9}|\d{3,4}-\d{7,8})(?!\d)")


def elements_in(text: str) -> dict[str, str]:
    """Which 第十二条 elements the text has: key -> excerpt."""
    folded = nfkc(text)
    found: dict[str, str] = {}
    for key, _zh, _en, pattern in _COMPILED:
        m = pattern.search(folded)
        if m:
            found[key] = clip(folded, m.start(), m.end())
    if "phone" not in found:
        # A bare number written beside no 传真 label is the telephone.
        for m in _NUMBER.finditer(folded):
            if "传真" not in folded[max(0, m.start() - 8): m.start()]:
                found["phone"] = clip(folded, m.start(), m.end())
                break
    return found


def _candidates(snap, profile, root, settings):
    keywords = list(settings["keywords"])
    exclude = list(settings["exclude"])
    named = find_named(snap, profile, "guide", keywords, exclude, root)
    return named, keywords


@check(
    id=ID,
    title=T("政府信息公开指南", "政府信息公开指南 (disclosure guide)"),
    category="disclosure",
    clause=Clause("《中华人民共和国政府信息公开条例》（2019年修订，国务院令第711号）",
                  "第十二条（政府信息公开指南）",
                  confidence="✅", effective="2019-05-15", rule="R-disclosure-guide", since="2008-05-01",
                  quote="政府信息公开指南包括政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址、办公时间、"
                        "联系电话、传真号码、互联网联系方式等内容。"),
    weight=2,
    description=T("政府信息公开栏目应发布政府信息公开指南，写明政府信息的分类、编排体系、获取方式，以及政府信息公开工作机构的"
                  "名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式（条例第十二条）。",
                  "The 政府信息公开 column publishes a guide stating how information is classified and arranged and how to "
                  "obtain it, and the disclosure office's name, address, hours, telephone, fax and e-mail/web address "
                  "(条例 Art. 12)."),
    remediation=T("在政府信息公开栏目发布政府信息公开指南，补齐条例第十二条要求的各项内容，并及时更新。",
                  "Publish a disclosure guide in the 政府信息公开 column with every item 条例 Art. 12 lists, and keep it current."),
    gatherers=("homepage", "links"),
    settings={
        # 条例 第十二条 (✅ R-disclosure-guide)
        "keywords": Setting(list(GUIDE_KEYWORDS), "the disclosure guide's names"),
        "exclude": Setting(list(GUIDE_EXCLUDE), "words that mark other guides"),
    },
)
def run(snap, profile, settings):
    root = disclosure_root(snap, profile)
    named, _ = _candidates(snap, profile, root, settings)
    if not named:
        if not root.crawled:
            return root_unknown(root, T("是否发布了政府信息公开指南", "disclosure guide"), snap)
        # The root page was read: a guide would be linked from it or from the pages crawled,
        # unless the crawl left part of the column unvisited.
        gap = not_reached(snap, root.url, T("政府信息公开指南", "disclosure guide"), [root.evidence()])
        if gap is not None:
            return gap
        return Result.failed(T("政府信息公开栏目及已抓取页面中未找到政府信息公开指南（条例第十二条要求编制并公布）；"
                               "若指南使用其他名称，可在检查配置中指定（[disclosure.pages] guide）",
                               "no 政府信息公开指南 found in the 政府信息公开 column or the pages crawled (条例 Art. 12); "
                               "set [disclosure.pages] guide in the profile if it has another name"), [root.evidence()])

    best = None  # (count, page, found, named)
    not_read = []
    for n in named[:MAX_CANDIDATES]:
        page = html_page(snap, n.url)
        if page is None:
            not_read.append(n)
            continue
        pages = [page]
        # A guide column lists the guide article(s): read those too.
        for link in page.links:
            if link.tag == "a" and "指南" in link.text and link.url != page.url and len(pages) < 4:
                sub = html_page(snap, link.url)
                if sub is not None and all(sub is not p for p in pages) and not any(x in link.text for x in settings["exclude"]):
                    pages.append(sub)
        for p in pages:
            if is_thin(p):
                continue
            found = elements_in(main_text(p))
            if best is None or len(found) > best[0]:
                best = (len(found), p, found, n)
        if best is not None and best[0] == len(ELEMENTS):
            break

    if best is None:
        dead = dead_result(snap, named[:MAX_CANDIDATES], T("政府信息公开指南", "disclosure guide"))
        if dead is not None:
            return dead
        n = (not_read or named)[0]
        page = snap.page(n.url)
        attached = page is not None and page.kind == "attachment"
        why = T("以附件形式发布，未检查其内容", "published as an attachment, not read") if attached else \
            T("页面未能抓取或内容由脚本生成", "the page was not read or is built by scripts")
        return Result.unknown(T(f"找到政府信息公开指南（{n.text}），但{why.zh}，无法核对条例第十二条所列内容",
                                f"found the disclosure guide ({n.text}), but {why.en}; its contents could not be checked"),
                              [n.evidence()], url=n.url)

    count, page, found, n = best
    ev = [Evidence(page.final_url, page.title[:80], T("政府信息公开指南页面", "guide page"))]
    for key, zh, en, _ in _COMPILED:
        if key in found:
            ev.append(Evidence(page.final_url, found[key], T(f"指南要素：{zh}", f"guide item: {en}")))
    missing = [(zh, en) for key, zh, en, _ in _COMPILED if key not in found]
    details = {"url": page.final_url, "found": sorted(found), "missing": [zh for zh, _ in missing]}
    if not missing:
        return Result.passed(T("政府信息公开指南已发布，条例第十二条所列的分类、编排体系、获取方式及工作机构名称、地址、"
                               "办公时间、电话、传真、互联网联系方式齐全",
                               "the disclosure guide is published and has every item 条例 Art. 12 lists"), ev, **details)
    return Result.warned(T(f"政府信息公开指南缺少条例第十二条要求的内容：{'、'.join(zh for zh, _ in missing)}",
                           f"the disclosure guide lacks items 条例 Art. 12 requires: {', '.join(en for _, en in missing)}"),
                         ev, **details)
