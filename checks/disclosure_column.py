"""disclosure.column — a 政府信息公开 column is reachable from the homepage.

国办公开办函〔2019〕61号 asks every 行政机关 to build its disclosure platform on the
existing 政府信息公开/政务公开 column and to unify its name as “政府信息公开”. The
column is found by link text (image alt texts count: many nav bars are images),
or taken from the profile (``columns.disclosure = "URL"``).
"""
from auditor.checking.check import Clause, Evidence, Result, T, check

from auditor.views.page_text import homepage_is_thin, link_state, markup_sources
from auditor.checking.verdicts import thin_unknown
from auditor.views.disclosure import column_name, configured_url, homepage_column_links, root_keywords
from auditor.views.disclosure import label as _label

ID = "disclosure.column"


@check(
    id=ID,
    title=T("政府信息公开栏目", "政府信息公开 column"),
    category="disclosure",
    clause=Clause("《国务院办公厅政府信息与政务公开办公室关于规范政府信息公开平台有关事项的通知》（国办公开办函〔2019〕61号）",
                  "统一设置“政府信息公开”栏目并统一名称；《政府信息公开条例》第二十四条（政府信息公开平台）",
                  confidence="✅", effective="2019-12-20", rule="R-disclosure-column",
                  quote="各级人民政府应当加强依托政府门户网站公开政府信息的工作，利用统一的政府信息公开平台集中发布主动公开的政府信息。"
                        "政府信息公开平台应当具备信息检索、查阅、下载等功能。",
                  note="引文为条例第二十四条（61号文所引）"),
    weight=3,
    description=T("首页应有名为“政府信息公开”的栏目入口且能正常打开。使用“信息公开”“政务公开”等其他名称记为警告"
                  "（61号文要求统一名称为“政府信息公开”）。也可在检查配置中指定栏目地址（columns.disclosure）。",
                  "The homepage links to a column named exactly 政府信息公开 and it opens. Other names (信息公开, 政务公开) "
                  "are a warning (61号 asks to unify the name). The column URL can also be set in the profile (columns.disclosure)."),
    remediation=T("在首页导航设置名称为“政府信息公开”的栏目（不另设其他名称或专门网站），并确保链接可正常访问。",
                  "Put a nav entry named exactly 政府信息公开 on the homepage and make sure it opens."),
    gatherers=("homepage", "links"),
)
def run(snap, profile):
    page = snap.homepage
    keywords, canonical, suffixes = root_keywords(profile)

    configured = configured_url(profile, "disclosure")
    if configured:
        return _configured(snap, page, configured, keywords, canonical, suffixes)

    found = homepage_column_links(snap, profile)
    if not found:
        for where, url, text in markup_sources(snap):
            if where != "html" and any(_label(k) in _label(text) for k in canonical):
                return Result.unknown(T("首页静态链接中没有“政府信息公开”栏目，但脚本中出现该名称（导航可能由脚本生成），无法确认",
                                        "no 政府信息公开 link in the static page, but scripts mention it (script-built nav?)"),
                                      [Evidence(url, "政府信息公开", T("脚本", "script"))])
        if homepage_is_thin(snap):
            return thin_unknown(T("政府信息公开栏目", "政府信息公开 column"))
        return Result.failed(T("首页未找到“政府信息公开”栏目入口（也没有“信息公开”“政务公开”等栏目）",
                               "no 政府信息公开 (or 信息公开/政务公开) column linked from the homepage"),
                             [Evidence(page.final_url, " | ".join(l.text for l in page.links if l.tag == "a" and l.text)[:300],
                                       T("首页链接文字", "homepage link texts"))])
    is_canon, state, reason, link = found[0]
    return _judge(is_canon, state, reason, link.text, link.url)


def _judge(is_canon, state, reason, text, url):
    ev = [Evidence(url, f"“{text}” → {reason}", T("栏目入口", "column link"))]
    details = {"url": url, "text": text, "canonical": is_canon, "target": reason}
    broken = state in ("dead", "suspect")
    if is_canon and state == "ok":
        return Result.passed(T(f"首页有“{text}”栏目入口，可正常打开", f"the homepage links to “{text}”, which opens"), ev, **details)
    if is_canon and not broken:
        return Result.passed(T(f"首页有“{text}”栏目入口（目标页面未检查：{reason}）",
                               f"the homepage links to “{text}” (target not checked: {reason})"), ev, **details)
    problems = []
    if not is_canon:
        problems.append(T(f"栏目名称为“{text}”，应统一为“政府信息公开”（国办公开办函〔2019〕61号）",
                          f"the column is named “{text}”; 61号 asks for “政府信息公开”"))
    if broken:
        problems.append(T(f"栏目入口无法正常打开（{reason}）", f"the column link does not open ({reason})"))
    return Result.warned(T("；".join(p.zh for p in problems), "; ".join(p.en for p in problems)), ev, **details)


def _configured(snap, page, url, keywords, canonical, suffixes):
    state, reason = link_state(snap.status_of(url))
    links = [l for l in page.links if l.url == url and l.tag in ("a", "area")]
    if not links:
        if state == "unknown":
            return Result.unknown(T(f"检查配置指定的政府信息公开栏目 {url} 未被抓取，且首页没有指向它的链接，无法判断",
                                    f"the configured disclosure column {url} was not fetched and is not linked from the homepage"),
                                  [Evidence(url, reason, T("配置的栏目地址", "configured column"))], url=url)
        return Result.warned(T(f"检查配置指定的政府信息公开栏目 {url} 不能从首页直接进入（{reason}）",
                               f"the configured disclosure column {url} is not linked from the homepage ({reason})"),
                             [Evidence(url, reason, T("配置的栏目地址", "configured column"))], url=url)
    link = max(links, key=lambda l: column_name(l.text, keywords, suffixes) is not None)
    name = column_name(link.text, keywords, suffixes)
    return _judge(name in canonical if name else False, state, reason, link.text or url, url)
