"""channels.hotline — the site publishes the 政务服务便民热线.

MOT 2018 work points item 17 asks for one public number ("一号对外"). Local
governments publish 12345; a ministry publishes its department's hotline (for the
Ministry of Transport 12328). The numbers are the profile's ``hotlines`` keyword
list. The number is looked for on the homepage (text, footer, scripts, frames,
link texts, image alts and link addresses such as 12345.jinan.gov.cn) and on the
互动交流 pages the homepage links to. Mentions deep inside articles do not count
(they are reported, so a reader sees the number is known to the site).
"""
import re

from auditor.checking.check import Clause, Evidence, Result, T, check
from auditor.network.urls import host_of

from auditor.views.page_text import compact, excerpt, homepage_is_thin, homepage_links, nfkc
from auditor.checking.verdicts import thin_unknown

ID = "channels.hotline"
DEFAULT_ENTRY_LABELS = ["互动交流", "政民互动", "互动", "公众参与", "联系我们", "热线", "咨询投诉", "我要咨询"]


def _pattern(numbers):
    return re.compile(r"(?<!\d)(?:" + "|".join(re.escape(n) for n in numbers) + r")(?!\d)")


def _entry_pages(snap, labels):
    """Pages the homepage links to under an 互动交流-like label (crawled ones only)."""
    words = [compact(w) for w in labels]
    seen, out = set(), []
    for link in homepage_links(snap):
        if link.tag not in ("a", "area"):
            continue
        text = compact(link.text)
        if not text or len(text) > 12 or not any(w in text for w in words):
            continue
        page = snap.page(link.url)
        if page is None or not page.is_html or not page.ok or page.final_url in seen:
            continue
        seen.add(page.final_url)
        out.append((link.text, page))
    return out


@check(
    id=ID,
    title=T("政务服务热线", "Government service hotline"),
    category="interaction",
    clause=Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                  "第17项（政务热线“一号对外”）",
                  confidence="🟡", effective="2018-05-06", rule="R-mot-hotline",
                  quote="进一步推动集中管理、统一受理、按责转办、限时办结，努力做到“一号对外”“一站式服务”。",
                  note="网站须公布热线号码为推导；各级号码为检查配置"),
    weight=1,
    description=T("首页或互动交流页面应公布政务服务热线（地方政府 12345；部委为本部门热线，如交通运输部 12328，见配置项 hotlines）。"
                  "未找到只给警告。",
                  "The homepage or the 互动交流 pages publish the government hotline (12345 for local governments; a "
                  "ministry's own number, e.g. 12328 for transport: profile key hotlines). Absence only warns."),
    remediation=T("在首页（如页面底部、互动交流栏目）显著位置公布政务服务便民热线号码。",
                  "Publish the government service hotline on the homepage or the 互动交流 pages."),
    gatherers=("homepage", "links"),
)
def run(snap, profile):
    numbers = profile.keywords("hotlines")
    if not numbers:
        return Result.not_applicable(T("配置中没有为本级网站设定政务热线号码（hotlines）",
                                       "no hotline number is configured for this level (keywords.hotlines)"))
    pattern = _pattern(numbers)
    found = []
    for where, url, text in snap.homepage_text_sources():
        if where == "html" or not text:
            continue
        folded = nfkc(text)
        m = pattern.search(folded)
        if m:
            found.append(Evidence(url, excerpt(folded, m.start(), m.end()), T("首页", "homepage")))
            break
    if not found:
        for link in homepage_links(snap):
            m = pattern.search(nfkc(link.text)) or pattern.search(host_of(link.url))  # 12345.x.gov.cn
            if m:
                found.append(Evidence(link.url, f"<{link.tag}> {link.text or link.url}"[:120], T("首页链接/图片", "homepage link or image")))
                break
    entries = _entry_pages(snap, profile.keywords("hotline_entry_labels") or DEFAULT_ENTRY_LABELS)
    if not found:
        for label, page in entries:
            m = pattern.search(nfkc(page.text))
            if m:
                found.append(Evidence(page.final_url, excerpt(nfkc(page.text), m.start(), m.end()),
                                      T(f"“{label}”页面", f"the “{label}” page")))
                break
    details = {"numbers": numbers, "entry_pages": [p.final_url for _, p in entries]}
    if found:
        return Result.passed(T(f"公布了政务热线 {'/'.join(numbers)}", f"the hotline {'/'.join(numbers)} is published"),
                             found, **details)
    if homepage_is_thin(snap):
        return thin_unknown(T("政务热线", "hotline"))
    elsewhere = []
    for page in snap.html_pages():
        if any(n in page.text for n in numbers):
            m = pattern.search(page.text)
            if m:
                elsewhere.append(Evidence(page.final_url, excerpt(page.text, m.start(), m.end()),
                                          T("仅在文章/指南中提及", "mentioned only in an article or guide")))
    details["mentioned_elsewhere"] = len(elsewhere)
    tail_zh = f"（仅在 {len(elsewhere)} 个内容页中提及）" if elsewhere else ""
    tail_en = f" (mentioned only on {len(elsewhere)} content pages)" if elsewhere else ""
    return Result.warned(T(f"首页和互动交流页面未公布政务热线 {'/'.join(numbers)}{tail_zh}",
                           f"the hotline {'/'.join(numbers)} is not published on the homepage or 互动交流 pages{tail_en}"),
                         elsewhere[:5], **details)
