"""identity.site-code — the 网站标识码 is shown, well-formed and the same everywhere.

The code appears in three places that should agree: the footer ("网站标识码：
1101070001", often written by document.write in an included script), the
``SiteIDCode`` meta tag, and the ``sitecode`` attribute of the 找错 script
(``<script id="_jiucuo_" sitecode="…">``). Format (docs/rules.md#R-footer-site-code): 10 digits
(local: 6-digit 行政区划代码 + 4-digit serial, 🟡 inferred) or ``bm`` + 8 digits
(国务院部门).
"""
import re

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

from auditor.views.page_text import (PROVINCE_PREFIXES, footer_evidence, homepage_is_thin, jiucuo_sitecodes,
                                     label_pattern, nfkc, search_sources, site_code_kind)
from auditor.checking.verdicts import missing_result, missing_status, thin_unknown

ID = "identity.site-code"
DEFAULT_LABELS = ["政府网站标识码", "网站标识码", "标识码"]
SOURCE_NAMES = {"footer": T("页面底部标识码", "footer"), "meta": T("SiteIDCode 标签", "SiteIDCode meta tag"),
                "jiucuo": T("找错脚本 sitecode 属性", "sitecode of the 找错 script")}


def _footer_codes(snap, labels):
    pat = re.compile(f"(?:{label_pattern(labels).pattern})\\s*:?\\s*([A-Za-z]{{0,2}}\\d{{6,14}})(?!\\d)", re.I)
    out = []
    sources = snap.homepage_text_sources()  # the code is unambiguous: the whole page may be searched
    for hit in search_sources(sources, pat):
        code = hit.match.group(1).lower()
        out.append((code, hit))
    return out


def _kind_problem(code, want):
    kind = site_code_kind(code)
    if not want or not kind:
        return None
    if want != kind:
        expected = T("“bm”加 8 位数字（国务院部门）", "“bm” + 8 digits (ministry)") if want == "bm" else \
            T("10 位数字（地方：6 位行政区划代码 + 4 位顺序号）", "10 digits (local: region code + serial)")
        return T(f"标识码 {code} 的类型与本站级别不符，应为{expected.zh}",
                 f"the code {code} does not fit this site's level: expected {expected.en}")
    if kind == "local" and code[:2] not in PROVINCE_PREFIXES:
        return T(f"标识码 {code} 的前 6 位不是有效的行政区划代码", f"the first 6 digits of {code} are not a region code")
    return None


@check(
    id=ID,
    title=T("网站标识码", "Website identification code"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "页面底部功能区：网站标识码；网页标签 SiteIDCode",
                  confidence="🟡", effective="2017-05-15", rule="R-footer-site-code",
                  note="标识码格式由真实标识码推断"),
    weight=2,
    description=T("首页底部应标明“网站标识码”（10 位数字，或国务院部门为 bm 加 8 位数字），"
                  "并与 SiteIDCode 网页标签、“我为政府网站找错”脚本的 sitecode 一致。",
                  "The homepage footer shows the 网站标识码 (10 digits, or bm + 8 digits for ministries), "
                  "the same as the SiteIDCode meta tag and the sitecode of the 找错 script."),
    remediation=T("在全站页面底部功能区标明网站标识码（格式“网站标识码：XXXXXXXXXX”），"
                  "并确保 SiteIDCode 标签与找错脚本 sitecode 使用同一标识码。",
                  "Show “网站标识码：…” in the footer of every page and use the same code in the "
                  "SiteIDCode meta tag and the 找错 script."),
    gatherers=("homepage",),
    settings={"missing": Setting("fail", "how an absent item is judged: \"fail\" or \"warn\"")},
)
def run(snap, profile, settings):
    page = snap.homepage
    labels = profile.keywords("site_code_labels") or DEFAULT_LABELS
    want = str(profile.get("identity.site_code_kind", "") or "").lower()
    footer = _footer_codes(snap, labels)
    visible = [(c, h) for c, h in footer if h.visible]
    meta_code = nfkc(page.meta.get("siteidcode", "")).strip().lower()
    jiucuo = jiucuo_sitecodes(snap)

    found: dict[str, str] = {}
    ev: list[Evidence] = []
    if visible:
        found["footer"] = visible[0][0]
        ev.append(visible[0][1].evidence())
    if meta_code:
        found["meta"] = meta_code
        ev.append(Evidence(page.final_url, f'<meta name="SiteIDCode" content="{page.meta.get("siteidcode")}">',
                           SOURCE_NAMES["meta"]))
    if jiucuo:
        found["jiucuo"] = jiucuo[0][0]
        ev.append(jiucuo[0][1])
    details = {"codes": found}

    if not found:
        if footer:  # only in the page source (a comment, a hidden template)
            return Result.warned(T("网站标识码只出现在页面源代码中，访问者看不到",
                                   "the site code is only in the page source, not shown"),
                                 [footer[0][1].evidence()], **details)
        if homepage_is_thin(snap):
            return thin_unknown(T("网站标识码", "site identification code"))
        return missing_result(missing_status(settings),
                              T("首页未找到网站标识码（页面底部、SiteIDCode 标签、找错脚本均无）",
                                "no site code on the homepage (footer, SiteIDCode meta, 找错 script)"),
                              [footer_evidence(page)])

    problems: list[T] = []
    bad = {k: c for k, c in found.items() if not site_code_kind(c)}
    for k, c in bad.items():
        problems.append(T(f"{SOURCE_NAMES[k].zh}“{c}”格式不正确（应为 10 位数字或 bm 加 8 位数字）",
                          f"the {SOURCE_NAMES[k].en} “{c}” is not a valid code (10 digits or bm + 8 digits)"))
    distinct = {c for c in found.values()}
    if len(distinct) > 1:
        parts_zh = "，".join(f"{SOURCE_NAMES[k].zh}为 {c}" for k, c in found.items())
        parts_en = ", ".join(f"{SOURCE_NAMES[k].en}: {c}" for k, c in found.items())
        problems.append(T(f"各处的网站标识码不一致：{parts_zh}", f"the site codes disagree: {parts_en}"))
    extra = {c for c, _ in visible} - {found.get("footer")}
    if extra:
        problems.append(T(f"页面底部出现多个不同的标识码：{', '.join(sorted({found['footer'], *extra}))}",
                          f"the footer shows several codes: {', '.join(sorted({found['footer'], *extra}))}"))
    if "footer" not in found:
        where = "、".join(SOURCE_NAMES[k].zh for k in found)
        problems.append(T(f"网站标识码未在页面底部标明，只见于{where}",
                          f"the site code is not shown in the footer, only in the "
                          f"{' and '.join(SOURCE_NAMES[k].en for k in found)}"))
    for c in sorted(distinct - set(bad.values())):
        kp = _kind_problem(c, want)
        if kp:
            problems.append(kp)
    if problems:
        return Result.warned(T("；".join(p.zh for p in problems), "; ".join(p.en for p in problems)), ev,
                             **details)
    code = found["footer"]
    also = [SOURCE_NAMES[k] for k in found if k != "footer"]
    return Result.passed(T(f"页面底部标明了网站标识码 {code}" + (f"，与{'、'.join(a.zh for a in also)}一致" if also else ""),
                           f"the footer shows site code {code}" + (
                               f", matching the {' and '.join(a.en for a in also)}" if also else "")),
                         ev, code=code, **details)
