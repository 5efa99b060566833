"""interpretation.policy — policy documents are published with their 解读.

2018 work points items 9–10 (policies, regulations and 规范性文件 “应同步做好政策解读”)
and the 2019 国办 indicators' 发布解读 block (a 国管局 self-check: “发布的政策文件都及时
发布了政策解读”). A policy counts as interpreted when its page links to a 解读, a
解读 page links to it, or a 解读's title names it (《…》解读). The share that must be
interpreted is a profile setting (🟡): not every 政策文件 needs one.
"""
from __future__ import annotations

import re

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.views.columns import is_pagination, page_items

from auditor.views.page_text import nfkc
from auditor.views.disclosure import disclosure_root, find_named, html_page, label

ID = "interpretation.policy"
POLICY_KEYWORDS = ["政策文件", "规范性文件", "政府文件", "市政府文件", "区政府文件", "县政府文件", "部门文件", "政府规章",
                   "部令", "政府令", "文件发布"]
INTERP_KEYWORDS = ["政策解读", "文件解读", "解读回应", "解读"]
MARKERS = ["解读", "图解", "一图读懂", "一图看懂", "答记者问"]
BARE = {"政策解读", "解读", "文件解读", "图解", "政策图解", "图解政策", "解读回应", "政策解读回应", "解读文件", "相关解读"}
MAX_COLUMNS = 5
MIN_TITLE = 8
_BOOK = re.compile(r"《([^《》]{4,60})》")
_POLICY_HEAD = re.compile(r"^.*?关于(?:印发|发布|公布|转发|修订|废止)?")
_POLICY_TAIL = re.compile(r"(?:的)?(?:通知|意见|决定|批复|函|公告|通告|命令|令)$")
_INTERP_WORDS = re.compile(r"政策解读|解读|图解|一图读懂|一图看懂|答记者问|[:：]|权威发布")


def policy_core(title: str) -> str:
    """The name a 解读 would use for a policy: 《X》, or the title without 关于印发 … 的通知."""
    t = nfkc(title)
    m = _BOOK.search(t)
    if m:
        return label(m.group(1))
    core = _POLICY_TAIL.sub("", _POLICY_HEAD.sub("", t).strip())
    return label(core)


def interp_core(title: str) -> str:
    t = nfkc(title)
    m = _BOOK.search(t)
    if m:
        return label(m.group(1))
    return label(_INTERP_WORDS.sub(" ", t))


def _is_interp(text: str) -> bool:
    return any(m in text for m in MARKERS)


@check(
    id=ID,
    title=T("政策文件配套解读", "Policy documents with their interpretation (解读)"),
    category="disclosure",
    clause=Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                  "第10项（政策文件同步解读）",
                  confidence="✅", effective="2018-05-06", rule="R-policy-interpretation",
                  quote="交通运输部部务会议讨论决定的事项、制定的政策、通过的部门规章及规范性文件等应同步做好政策解读，"
                        "便于向社会公开引用。",
                  note="要求的解读比例为检查配置"),
    weight=2,
    description=T("政策文件应同步发布政策解读：政策文件页面链接到解读，或解读页面链接/注明所解读的文件。报告抓取到的政策文件中"
                  "有对应解读的比例，低于检查配置的比例（min_share）记为警告；未找到政策文件栏目记为不适用。",
                  "Policy documents are published with a 解读: the policy page links to it, or the 解读 links to or names "
                  "the policy. Reports the share of policies crawled that have one; below the profile's min_share is a "
                  "warning; no policy column is not applicable."),
    remediation=T("为重要政策文件同步发布解读，并在政策文件页面与解读页面之间相互链接。",
                  "Publish a 解读 with each major policy and link the policy and its 解读 to each other."),
    gatherers=("homepage", "links"),
    settings={
        "min_share": Setting(0.5, "share of the policy documents crawled that must have a 解读 (🟡: not every 政策文件 needs one)"),
        "policy_keywords": Setting(POLICY_KEYWORDS, "names of 政策文件 columns"),
        "interpretation_keywords": Setting(INTERP_KEYWORDS, "names of 解读 columns"),
    },
)
def run(snap, profile, settings):
    as_of = snap.as_of
    root = disclosure_root(snap, profile)
    columns = find_named(snap, profile, "policy", list(settings["policy_keywords"]),
                         ["解读", "图解", "废止", "征集", "征求"], root)
    if not columns:
        return Result.not_applicable(T("未找到政策文件栏目（可在检查配置中指定 [disclosure.pages] policy）",
                                       "no 政策文件 column found (set [disclosure.pages] policy in the profile)"))
    # The policies: dated rows of the policy columns (and of their further pages, when crawled).
    policies: dict[str, str] = {}
    lists, not_read = [], []
    for n in columns[:MAX_COLUMNS]:
        page = html_page(snap, n.url)
        if page is None:
            not_read.append(n)
            continue
        pages = [page] + [p for p in (html_page(snap, l.url) for l in page.links
                                      if l.tag == "a" and is_pagination(l.url)) if p is not None][:5]
        before = len(policies)
        for p in pages:
            for item in page_items(p, as_of):
                if item.date is None or len(item.title) < MIN_TITLE or _is_interp(item.title):
                    continue
                if snap.in_site(item.url) and item.url not in policies:
                    policies[item.url] = item.title
        if len(policies) > before:
            lists.append((page, n))
    if not policies:
        n = (not_read or columns)[0]
        return Result.unknown(T(f"找到政策文件栏目（{n.text}），但未能读出其中的文件列表（页面未抓取或由脚本生成），无法判断",
                                f"found the policy column ({n.text}), but no documents could be read from it"),
                              [n.evidence()])

    # The 解读: column items and pages whose title says 解读.
    interp_columns = {n.url for n in find_named(snap, profile, "interpretation",
                                                  list(settings["interpretation_keywords"]),
                                                  [], root)}
    interp_titles: dict[str, str] = {}
    interp_pages = []
    unread_interp = []
    for url in interp_columns:
        page = html_page(snap, url)
        if page is None:
            unread_interp.append(url)
            continue
        for item in page_items(page, as_of):
            if item.date is not None and len(item.title) >= 6:
                interp_titles.setdefault(item.url, item.title)
    for page in snap.html_pages():
        if _is_interp(page.title) and page.final_url not in interp_columns and page.url not in interp_columns:
            interp_pages.append(page)
            interp_titles.setdefault(page.final_url, page.title)
    for url in interp_titles:
        page = html_page(snap, url)
        if page is not None and all(page is not p for p in interp_pages):
            interp_pages.append(page)

    final = {}
    for url in policies:
        page = html_page(snap, url)
        final[url] = page.final_url if page is not None else url
    by_final = {f: u for u, f in final.items()}
    linked: dict[str, tuple[str, str]] = {}  # policy url -> (how, evidence url)
    # (a) the 解读 links to the policy.
    for page in interp_pages:
        for l in page.links:
            u = by_final.get(l.url) or (l.url if l.url in policies else None)
            if u and u not in linked:
                linked[u] = ("解读页面链接到该文件", page.final_url)
    # (b) the policy page links to its 解读.
    for url in policies:
        if url in linked:
            continue
        page = html_page(snap, url)
        if page is None:
            continue
        for l in page.links:
            t = label(l.text)
            if l.tag != "a" or not _is_interp(t) or l.url in interp_columns:
                continue
            target = html_page(snap, l.url)
            if t in BARE and not (target is not None and _is_interp(target.title) and target.final_url not in interp_columns):
                continue  # the nav's 政策解读 column link
            linked[url] = ("文件页面链接到解读", l.url)
            break
    # (c) a 解读 names the policy.
    cores = {url: policy_core(t) for url, t in policies.items()}
    for iurl, ititle in interp_titles.items():
        icore = interp_core(ititle)
        for url, core in cores.items():
            if url in linked or len(core) < 6:
                continue
            if core in label(nfkc(ititle)) or (len(icore) >= 6 and icore in label(nfkc(policies[url]))):
                linked[url] = ("解读标题注明该文件", iurl)

    min_share = float(settings["min_share"])
    share = len(linked) / len(policies)
    unlinked = [t for u, t in policies.items() if u not in linked]
    ev = [n.evidence(T("政策文件栏目", "policy column")) for _p, n in lists[:2]]
    for url, (how, where) in list(linked.items())[:5]:
        ev.append(Evidence(where, f"{policies[url][:60]} ← {how}", T("有解读的文件", "policy with a 解读")))
    for t in unlinked[:5]:
        ev.append(Evidence(next(u for u, tt in policies.items() if tt == t), t[:80], T("未找到解读的文件", "policy without a 解读")))
    details = {"policies": len(policies), "interpreted": len(linked), "share": round(share, 3), "min_share": min_share,
               "without": unlinked[:20], "interpretations_seen": len(interp_titles)}
    pct = f"{share:.0%}"
    if share >= min_share:
        return Result.passed(T(f"抓取到的 {len(policies)} 件政策文件中 {len(linked)} 件有对应解读（{pct}）",
                               f"{len(linked)} of {len(policies)} policy documents crawled have a 解读 ({pct})"), ev, **details)
    if unread_interp and len(unread_interp) == len(interp_columns):
        return Result.unknown(T(f"政策解读栏目（{unread_interp[0]}）未能抓取，无法判断政策文件是否配套解读"
                                f"（已抓取的 {len(policies)} 件文件中 {len(linked)} 件找到解读）",
                                f"the 政策解读 column ({unread_interp[0]}) was not read; {len(linked)} of "
                                f"{len(policies)} policies have a 解读 among the pages read"), ev, **details)
    return Result.warned(T(f"抓取到的 {len(policies)} 件政策文件中只有 {len(linked)} 件找到对应解读（{pct}，低于检查配置的 {min_share:.0%}）",
                           f"only {len(linked)} of {len(policies)} policy documents crawled have a 解读 ({pct}, below {min_share:.0%})"),
                         ev, **details)
