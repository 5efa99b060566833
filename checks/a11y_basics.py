"""a11y.basics — static accessibility basics (a proxy for GB/T 37668 一级).

On the homepage and a sample of pages: the <html lang> attribute, <img> without an
alt attribute (alt="" is fine: a decorative image), form fields without a label
(<label for>, a wrapping <label>, aria-label(ledby) or title), and pages with an
empty or missing <title>. Thresholds (share of images without alt) are profile
settings (declared below): img_alt_warn_ratio / img_alt_fail_ratio / sample_pages.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

ID = "a11y.basics"
SKIP_INPUTS = {"hidden", "submit", "button", "image", "reset"}
ORDER = {"pass": 0, "warn": 1, "fail": 2}


def _sample(snap, n: int) -> list:
    home = snap.homepage
    pages = [home] if home is not None and home.is_html else []
    seen = {p.final_url for p in pages}
    for p in sorted((p for p in snap.html_pages() if p.ok and snap.in_site(p.final_url)),
                    key=lambda p: (p.depth, p.final_url)):
        if len(pages) >= n:
            break
        if p.final_url not in seen:
            seen.add(p.final_url)
            pages.append(p)
    return pages


def _unlabelled(tree) -> list[str]:
    labelled = {l.get("for") for l in tree.iter("label") if l.get("for")}
    out = []
    for el in tree.iter("input", "select", "textarea"):
        if el.tag == "input" and (el.get("type") or "text").lower() in SKIP_INPUTS:
            continue
        if el.get("aria-label") or el.get("aria-labelledby") or el.get("title"):
            continue
        if el.get("id") and el.get("id") in labelled:
            continue
        if any(a.tag == "label" for a in el.iterancestors()):
            continue
        out.append(el.get("name") or el.get("id") or el.tag)
    return out


@check(
    id=ID,
    title=T("无障碍基本要求", "Accessibility basics"),
    category="accessibility",
    clause=Clause("GB/T 37668-2019《信息技术 互联网内容无障碍可访问性技术要求与测试方法》",
                  "一级指标（替代文本、页面语言、页面标题、表单标签）",
                  confidence="🟡", effective="2020-03-01", rule="R-a11y-gbt37668",
                  note="推荐性国家标准，原文未取得；以 WCAG 2.0 A 级规则为代理"),
    weight=2,
    description=T("页面应声明语言（html lang），图片应有替代文本（alt），表单控件应有标签，页面应有标题。",
                  "Pages declare their language, images have alt text, form fields have labels, pages have titles."),
    remediation=T("为 <html> 加 lang=\"zh-CN\"；为有意义的图片写 alt 文字（装饰图片用 alt=\"\"）；"
                  "为输入框加 <label> 或 aria-label；每个页面写明 <title>。",
                  "Add lang=\"zh-CN\" to <html>; write alt text for meaningful images (alt=\"\" for decoration); "
                  "label every form field; give every page a <title>."),
    gatherers=("homepage", "pages"),
    # GB/T 37668 一级 proxy (docs/rules.md#R-a11y-gbt37668 🟡).
    settings={"img_alt_warn_ratio": Setting(0.0, "share of <img> without alt above which the check warns"),
              "img_alt_fail_ratio": Setting(0.3, "share of <img> without alt at or above which it fails"),
              "sample_pages": Setting(20, "pages read besides the homepage")},
)
def run(snap, profile, settings):
    home = snap.homepage
    if home is None or not home.is_html or home.tree is None:
        return Result.unknown(T("首页未取得", "no homepage"))
    warn_ratio = float(settings["img_alt_warn_ratio"])
    fail_ratio = float(settings["img_alt_fail_ratio"])
    pages = _sample(snap, int(settings["sample_pages"]))
    findings: list[tuple[str, T, Evidence]] = []  # (status, summary part, evidence)
    root = home.tree.getroot() if hasattr(home.tree, "getroot") else home.tree
    lang = (root.get("lang") or root.get("xml:lang") or "").strip() if root is not None else ""
    if not lang:
        findings.append(("warn", T("首页 <html> 未声明语言（lang）", "no lang attribute on the homepage's <html>"),
                         Evidence(home.final_url, "<html>", T("首页", "homepage"))))
    imgs = missing = 0
    img_ev: list[Evidence] = []
    unlabelled_ev: list[Evidence] = []
    untitled: list[Evidence] = []
    for p in pages:
        tree = p.tree
        if tree is None:
            continue
        mine = [i for i in tree.iter("img")]
        bad = [i for i in mine if i.get("alt") is None]
        imgs += len(mine)
        missing += len(bad)
        if bad:
            img_ev.append(Evidence(p.final_url, ", ".join((i.get("src") or "")[:80] for i in bad[:3]),
                                   T(f"{len(bad)}/{len(mine)} 张图片缺少 alt", f"{len(bad)}/{len(mine)} images without alt")))
        un = _unlabelled(tree)
        if un:
            unlabelled_ev.append(Evidence(p.final_url, ", ".join(un[:5]),
                                          T(f"{len(un)} 个表单控件没有标签", f"{len(un)} form fields without a label")))
        if not (p.title or "").strip():
            untitled.append(Evidence(p.final_url, "", T("页面没有标题（<title>）", "no <title>")))
    ratio = missing / imgs if imgs else 0.0
    if missing and ratio >= fail_ratio:
        findings.append(("fail", T(f"{missing}/{imgs} 张图片缺少替代文本（alt）", f"{missing}/{imgs} images lack alt"),
                         None))
    elif missing and ratio > warn_ratio:
        findings.append(("warn", T(f"{missing}/{imgs} 张图片缺少替代文本（alt）", f"{missing}/{imgs} images lack alt"),
                         None))
    if unlabelled_ev:
        findings.append(("warn", T(f"{len(unlabelled_ev)} 个页面有无标签的表单控件",
                                   f"{len(unlabelled_ev)} pages have form fields without labels"), None))
    if untitled:
        findings.append(("warn", T(f"{len(untitled)} 个页面没有标题", f"{len(untitled)} pages have no title"), None))
    details = {"pages_sampled": len(pages), "images": imgs, "images_without_alt": missing,
               "img_alt_missing_ratio": round(ratio, 3), "lang": lang,
               "pages_with_unlabelled_fields": len(unlabelled_ev), "pages_without_title": len(untitled)}
    evidence = [f[2] for f in findings if f[2] is not None] + img_ev + unlabelled_ev + untitled
    if not findings:
        return Result.passed(T(f"抽查 {len(pages)} 个页面：声明了语言，图片均有 alt，表单控件有标签，页面有标题",
                               f"{len(pages)} pages sampled: language declared, images have alt, fields labelled, "
                               "titles present"), **details)
    status = max((f[0] for f in findings), key=ORDER.get)
    summary = T(f"抽查 {len(pages)} 个页面：" + "；".join(f[1].zh for f in findings),
                f"{len(pages)} pages sampled: " + "; ".join(f[1].en for f in findings))
    return (Result.failed if status == "fail" else Result.warned)(summary, evidence, **details)
