"""a11y.elderly — the homepage offers an 适老化 / 无障碍 entry.

docs/rules.md#R-elderly-entry (🟡): 国办公开办函〔2021〕28号 asks for 适老化与无障碍改造; sites show it as
"无障碍 | 长者助手 | 关怀版" links or load an accessibility toolbar script (cniil.com's
assist tools, /wza/, assist.js). Searched in the rendered homepage when the render
gatherer ran, and in the static homepage (text, links, scripts) always.
"""
import re

from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.views.page_text import excerpt, homepage_is_thin, nfkc, search_homepage

ID = "a11y.elderly"
WORDS = re.compile(r"无障碍|长者(?:模式|助手|版)?|关怀版|适老化?|大字版|读屏|老年(?:人)?(?:模式|版)|长辈版|"
                   r"无障碍浏览|信息无障碍")
# In page text (not a link) only the unambiguous words count: "长者" alone shows up in news.
STRICT = re.compile(r"无障碍|关怀版|适老化|长者(?:模式|助手|版)|大字版|读屏")
TOOLBAR = re.compile(r"cniil\.com|/wza/|\bwza[\w.-]*\.js|assist(?:ant)?[\w.-]*\.js|/jact/|ariaease|"
                     r"aria\.js|slh\.js|barrierfree|accessib[\w.-]*\.js|toolbar[\w.-]*\.js", re.I)


@check(
    id=ID,
    title=T("适老化与无障碍入口", "Entry for elderly and disabled visitors"),
    category="accessibility",
    clause=Clause("《互联网网站适老化通用设计规范》（工业和信息化部，2021年4月）",
                  "计算机网站的操作方式与辅助阅读（适老化与无障碍入口）",
                  confidence="🟡", effective="2021-04-07", rule="R-elderly-entry",
                  note="规范原文未取得，要求见发布时的新闻报道；"
                       "国办公开办函〔2021〕28号要求推进政府网站适老化与无障碍改造（原文未取得）"),
    weight=1,
    description=T("首页应提供适老化/无障碍入口（如“无障碍”“长者模式”“关怀版”）或无障碍工具条。",
                  "The homepage offers an accessibility / elderly-care entry or toolbar."),
    remediation=T("在首页显著位置提供“无障碍”“长者模式/关怀版”入口，支持大字体、高对比度、语音阅读和键盘操作。",
                  "Offer an accessibility / elderly mode on the homepage: large text, high contrast, "
                  "read-aloud and keyboard operation."),
    gatherers=("homepage",),
)
def run(snap, profile):
    home = snap.homepage
    if home is None or not home.is_html:
        return Result.unknown(T("首页未取得", "no homepage"))
    render = snap.facts.get("render")
    rhome = render.get("homepage") if isinstance(render, dict) and render.get("state") == "done" else None
    # Links first: an entry is a link a visitor can click.
    # The links as served, then those scripts wrote (the rendered homepage's facts hold both).
    served = home.static_facts.links if home.rendered else home.links
    links = [(l.url, l.text, "static") for l in served if l.tag in ("a", "area")]
    if rhome:
        links += [(l["href"], l["text"], "rendered") for l in rhome.get("script_links") or ()]
    for url, text, how in links:
        m = WORDS.search(nfkc(text or ""))
        if m:
            note = T("首页链接" if how == "static" else "脚本生成的首页链接",
                     "homepage link" if how == "static" else "homepage link added by scripts")
            return Result.passed(T(f"首页有适老化/无障碍入口：{text.strip()}", f"entry found: {text.strip()}"),
                                 [Evidence(url, text.strip(), note)], found=m.group(0), how=how)
    srcs = [l.url for l in home.links if l.tag == "script"]
    html = home.html if home.rendered else home.html + ((rhome or {}).get("html") or "")
    for src in srcs:
        if TOOLBAR.search(src):
            return Result.passed(T("首页加载了无障碍工具条脚本", "an accessibility toolbar script is loaded"),
                                 [Evidence(src, "", T("引用的脚本文件", "included script"))], how="toolbar")
    m = TOOLBAR.search(html)
    if m:
        return Result.passed(T("首页加载了无障碍工具条脚本", "an accessibility toolbar script is referenced"),
                             [Evidence(home.final_url, excerpt(html, m.start(), m.end()),
                                       T("页面源代码", "page source"))], how="toolbar")
    rtext = (rhome or {}).get("text") or ""
    m = STRICT.search(nfkc(rtext))
    if m:
        return Result.passed(T("渲染后的首页显示了适老化/无障碍入口文字", "the rendered homepage shows an entry"),
                             [Evidence(home.final_url, excerpt(rtext, m.start(), m.end()),
                                       T("渲染后的页面文字", "rendered text"))], how="rendered-text")
    hits = [h for h in search_homepage(snap, STRICT) if h.visible]
    if hits:
        return Result.passed(T("首页有适老化/无障碍入口文字", "the homepage mentions an accessibility entry"),
                             [hits[0].evidence()], how="text")
    if rhome is None and homepage_is_thin(snap):
        return Result.unknown(T("首页可见文字过少（可能由脚本生成）且未渲染，无法确认是否有适老化入口",
                                "the homepage has little static text and was not rendered; entry not judged"))
    return Result.warned(T("首页未找到适老化/无障碍入口（无障碍、长者模式、关怀版等）",
                           "no accessibility / elderly-care entry on the homepage"),
                         [Evidence(home.final_url, "", T("首页", "homepage"))])
