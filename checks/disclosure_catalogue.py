"""disclosure.catalogue — the 政府信息公开目录 (主动公开基本目录 / 法定主动公开内容) is
published and populated.

条例 第十二条: the 目录 gives each piece of information its 索引、名称、内容概述、生成日期.
The catalogue is found by name, or as a list page in the 政府信息公开 column whose
header row names 索引号; its entries are counted and its newest date reported
(2018 work points item 21: the 目录 is updated dynamically).
"""
from __future__ import annotations

import re
from datetime import timedelta

from auditor.views.cache import view
from auditor.checking.coverage import not_reached
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.views.columns import page_items
from auditor.views.listing import says_empty

from auditor.views.disclosure import disclosure_root, find_named, html_page, is_thin, label
from auditor.checking.verdicts import dead_result, root_unknown

ID = "disclosure.catalogue"
KEYWORDS = ["主动公开基本目录", "政府信息公开目录", "信息公开目录", "主动公开目录", "公开目录", "法定主动公开内容",
            "主动公开内容", "主动公开"]
EXCLUDE = ["年报", "年度报告", "指南", "制度", "依申请", "申请"]
MAX_CANDIDATES = 6
MAX_SUBPAGES = 12
MAX_SCAN = 40

FIELDS = [
    ("index", "索引号", "index number", re.compile(r"索\s*引\s*号?|索\s*引")),
    ("name", "名称", "name", re.compile(r"名\s*称|标\s*题|题\s*名|文件名|信息名")),
    ("summary", "内容概述", "summary", re.compile(r"内容概述|内容摘要|概\s*述|摘\s*要")),
    ("date", "生成日期", "date", re.compile(r"生成日期|成文日期|发布日期|公开日期|发文日期|印发日期|形成日期|日\s*期|时\s*间")),
]
_OTHER_LABELS = re.compile(r"序\s*号|发文字号|文\s*号|发布机构|发文机关|公开方式|公开范围|主题分类|分\s*类|有效性|"
                           r"操\s*作|详细|查看|体裁|载体|来\s*源|机\s*构")
_DOC_INDEX = re.compile(r"索\s*引\s*号\s*[:：]\s*\S")
_TOTAL = re.compile(r"共\s*(\d{1,7})\s*条")


@view
def header_of(page) -> dict[str, str] | None:
    """The catalogue header row of a list page (fields it names -> label), or None. Reads the tree."""
    header = None
    if re.search(r"索\s*引", page.text):
        tree = page.tree
        for el in (tree.iter("tr", "thead", "li", "ul", "dl", "div", "p") if tree is not None else ()):
            text = " ".join("".join(el.itertext()).split())
            if not (4 <= len(text) <= 150) or not FIELDS[0][3].search(text):
                continue
            found = {}
            rest = text
            for key, _zh, _en, pattern in FIELDS:
                m = pattern.search(rest)
                if m:
                    found[key] = m.group(0)
                    rest = rest[:m.start()] + " " + rest[m.end():]
            rest = label(_OTHER_LABELS.sub(" ", rest))
            if len(found) >= 2 and len(rest) <= 12:
                header = found
                break
    return header


class Listing:
    """One candidate catalogue page: its header, its dated entries."""

    def __init__(self, page, named, as_of):
        self.page = page
        self.named = named
        self.header = header_of(page)
        items = page_items(page, as_of)
        self.entries = [i for i in items if i.date is not None and i.date_source == "row"]
        self.empty = not self.entries and says_empty(page.text)
        m = _TOTAL.search(page.text)
        self.total = int(m.group(1)) if m else None

    @property
    def newest(self):
        return max((i.date for i in self.entries), default=None)

    @property
    def score(self):
        indexed = self.header is not None and "index" in self.header
        return (indexed and bool(self.entries), bool(self.entries), indexed, len(self.header or {}), len(self.entries))

    def evidence(self) -> list[Evidence]:
        ev = []
        if self.named is not None:
            ev.append(self.named.evidence(T("目录页面", "catalogue page")))
        if self.header:
            ev.append(Evidence(self.page.final_url, " | ".join(self.header.values()), T("目录表头", "catalogue header")))
        for item in sorted(self.entries, key=lambda i: i.date, reverse=True)[:3]:
            ev.append(Evidence(item.url, f"{item.date.isoformat()} {item.title[:60]}", T("目录条目", "catalogue entry")))
        return ev


def _sub_pages(snap, page, section):
    out = []
    for link in page.links:
        if link.tag != "a" or not (2 <= len(label(link.text)) <= 16) or link.url == page.url:
            continue
        if section and link.url not in section:
            continue
        sub = html_page(snap, link.url)
        if sub is not None and sub is not page and all(sub is not o for o in out):
            out.append(sub)
        if len(out) >= MAX_SUBPAGES:
            break
    return out


def _documents_with_index(snap, listings) -> list:
    """Document pages (linked from the lists) that carry an 索引号 box."""
    docs = []
    for lst in listings:
        for item in lst.entries[:10]:
            p = html_page(snap, item.url)
            if p is not None and _DOC_INDEX.search(p.text):
                docs.append(p)
                if len(docs) >= 3:
                    return docs
    return docs


@check(
    id=ID,
    title=T("政府信息公开目录", "政府信息公开目录 (disclosure catalogue)"),
    category="disclosure",
    clause=Clause("《中华人民共和国政府信息公开条例》（2019年修订，国务院令第711号）",
                  "第十二条（政府信息公开目录）",
                  confidence="✅", effective="2019-05-15", rule="R-disclosure-catalogue", since="2008-05-01",
                  quote="政府信息公开目录包括政府信息的索引、名称、内容概述、生成日期等内容。",
                  note="目录应动态更新（交通运输部2018年政务公开工作要点第21项）"),
    weight=2,
    description=T("应发布政府信息公开目录（主动公开基本目录/法定主动公开内容），列明每条信息的索引号、名称、内容概述、生成日期，"
                  "并持续更新。报告目录条目数和最新日期；最新条目早于配置的天数（stale_days）记为警告。",
                  "A disclosure catalogue lists each piece of information with its index number, name, summary and date "
                  "(条例 Art. 12) and is kept current. Reports the number of entries and the newest date; older than "
                  "the profile's stale_days is a warning."),
    remediation=T("在政府信息公开栏目发布政府信息公开目录，列明索引号、名称、内容概述、生成日期，并随信息发布动态更新。",
                  "Publish the disclosure catalogue with index number, name, summary and date, and update it as information is published."),
    gatherers=("homepage", "links"),
    settings={
        "keywords": Setting(KEYWORDS, "names of the 政府信息公开目录"),
        "exclude": Setting(EXCLUDE, "words that make a page no catalogue"),
        "stale_days": Setting(365, "2018 work points item 21 (目录 动态更新): newest entry older than this many days warns (🟡)"),
        "require_summary": Setting(False, "内容概述 is a 第十二条 目录 field (✅), but many catalogues show it only on the "
                                          "document page: true makes a catalogue list without a 内容概述 column a warning"),
    },
)
def run(snap, profile, settings):
    as_of = snap.as_of
    root = disclosure_root(snap, profile)
    keywords = list(settings["keywords"])
    exclude = list(settings["exclude"])
    named = find_named(snap, profile, "catalogue", keywords, exclude, root)

    listings: list[Listing] = []
    not_read = []
    for n in named[:MAX_CANDIDATES]:
        page = html_page(snap, n.url)
        if page is None or is_thin(page):
            not_read.append(n)
            continue
        lst = Listing(page, n, as_of)
        listings.append(lst)
        if lst.header is None:
            # 法定主动公开内容 is often a tree of sub-columns: their lists are the catalogue.
            listings.extend(Listing(p, n, as_of) for p in _sub_pages(snap, page, root.section))
    if not any(lst.header for lst in listings) and root.crawled:
        scanned = 0
        unique = {id(p): p for p in (html_page(snap, u) for u in root.section) if p is not None}
        pages = [p for p in unique.values()
                 if re.search(r"索\s*引", p.text) and not any(lst.page is p for lst in listings)]
        # List pages first: a document's own 索引号 box says "索引号：value".
        for page in sorted(pages, key=lambda p: (bool(_DOC_INDEX.search(p.text)), p.depth, p.url)):
            scanned += 1
            lst = Listing(page, None, as_of)
            if lst.header is not None and "index" in lst.header:
                listings.append(lst)
            if scanned >= MAX_SCAN:
                break

    if not listings:
        dead = dead_result(snap, not_read, T("政府信息公开目录", "disclosure catalogue"))
        if dead is not None:
            return dead
        if not_read:
            n = not_read[0]
            return Result.unknown(T(f"找到政府信息公开目录（{n.text}），但页面未能抓取或由脚本生成，无法判断是否有内容",
                                    f"found the disclosure catalogue ({n.text}), but the page was not read or is built by scripts"),
                                  [n.evidence()], url=n.url)
        if not root.crawled:
            return root_unknown(root, T("是否发布了政府信息公开目录", "disclosure catalogue"), snap)
        gap = not_reached(snap, root.url, T("政府信息公开目录", "disclosure catalogue"), [root.evidence()])
        if gap is not None:
            return gap
        return Result.failed(T("政府信息公开栏目中未找到政府信息公开目录（主动公开基本目录/法定主动公开内容，或列有索引号的信息列表）",
                               "no disclosure catalogue (主动公开基本目录/法定主动公开内容, or a list with 索引号) "
                               "in the 政府信息公开 column"), [root.evidence()])

    best = max(listings, key=lambda lst: lst.score)
    ev = best.evidence()
    stale_days = int(settings["stale_days"])
    details = {"url": best.page.final_url, "entries": len(best.entries), "total": best.total,
               "newest": best.newest.isoformat() if best.newest else None,
               "fields": sorted(best.header or {})}
    count = f"{best.total}" if best.total and best.total > len(best.entries) else f"{len(best.entries)}"

    if not best.entries:
        if any(lst.empty for lst in listings):
            return Result.failed(T("政府信息公开目录页面显示“暂无信息”，目录没有内容",
                                       "the disclosure catalogue page says it has no entries"), ev, **details)
        return Result.unknown(T("找到政府信息公开目录页面，但未能读出目录条目（可能由脚本加载），无法判断是否有内容",
                                "found the disclosure catalogue, but no entries could be read (probably loaded by scripts)"),
                              ev, **details)

    newest = best.newest
    problems = []
    if best.header is None or "index" not in best.header:
        docs = _documents_with_index(snap, [best])
        if docs:
            ev.append(Evidence(docs[0].final_url, "索引号", T("文件页面列有索引号", "document page shows its 索引号")))
        else:
            problems.append(T("目录未列出索引号", "the catalogue shows no index numbers"))
    else:
        missing = [(zh, en) for key, zh, en, _ in FIELDS if key not in best.header]
        hard = [(zh, en) for zh, en in missing if zh != "内容概述"]
        if hard:
            problems.append(T(f"目录表头缺少{'、'.join(zh for zh, _ in hard)}", f"the catalogue lacks {', '.join(en for _, en in hard)}"))
        if ("内容概述", "summary") in missing and settings["require_summary"]:
            problems.append(T("目录表头缺少内容概述", "the catalogue has no summary column"))
    if newest is not None and (as_of - newest) > timedelta(days=stale_days):
        problems.append(T(f"目录最新条目日期为 {newest.isoformat()}，已超过 {stale_days} 天未更新",
                          f"the newest entry is dated {newest.isoformat()}, over {stale_days} days ago"))
    fields = f"列有 {'、'.join(best.header.values())}" if best.header else "列表未标出索引号等字段"
    summary_zh = f"政府信息公开目录（{best.page.final_url}）有 {count} 条信息，最新日期 {newest.isoformat() if newest else '未知'}；{fields}"
    summary_en = (f"the disclosure catalogue has {count} entries, newest {newest.isoformat() if newest else 'unknown'}; "
                  f"fields: {', '.join(sorted(best.header or {})) or 'none'}")
    if problems:
        return Result.warned(T(summary_zh + "。问题：" + "；".join(p.zh for p in problems),
                               summary_en + ". Problems: " + "; ".join(p.en for p in problems)), ev, **details)
    return Result.passed(T(summary_zh, summary_en), ev, **details)
