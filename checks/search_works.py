"""search.works — the site search finds a recent article by its exact title.

The inspectors' test (docs/rules.md#R-search-finds-content): type the exact title of a recent article
into the site search and look for the article among the results. The ``search``
gatherer (auditor/gather/search.py) does the fetching — it submits the form through
the crawl's fetcher, obeying robots.txt — and records what came back; this check
only judges. A nonsense query tells a working search from a page that shows the
same list whatever is asked.
"""
from auditor.checking.check import Clause, Evidence, Result, T, check

ID = "search.works"


def _q(rec) -> str:
    # A GET query is in the evidence URL itself; a POST names the address it was sent to.
    where = f"POST {rec.get('url', '')}" if rec.get("method") == "POST" else "GET"
    return f"查询“{rec.get('query', '')}”（{where}）"


def _came_back(rec) -> str:
    parts = [f"HTTP {rec.get('status')}"]
    if rec.get("title"):
        parts.append(f"结果页标题“{rec['title'][:60]}”")
    if rec.get("says_empty"):
        parts.append(f"页面显示：{(rec.get('excerpt') or '')[:80]}")
    n = rec.get("specific_count")
    if n is not None:
        parts.append(f"与查询相关的链接 {n} 个" + (f"（如：{'；'.join(rec.get('specific') or [])[:120]}）"
                                                 if rec.get("specific") else ""))
    return "；".join(parts)


@check(
    id=ID,
    title=T("站内搜索可用", "Site search finds content"),
    category="search",
    clause=Clause("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
                  "扣分指标·功能设计：搜索功能",
                  confidence="🟡", effective="2019-04-01", rule="R-search-finds-content",
                  note="以文章完整标题搜索的做法为推导的检测方法，非指标原文"),
    weight=2,
    description=T("用最近一篇文章的完整标题进行站内搜索（与检查人员的做法相同），结果中应出现该文章；"
                  "另用一个无意义的词搜索，排除“无论搜什么都显示同样内容”的结果页。搜索由脚本异步加载、被拦截、"
                  "robots.txt 禁止或找不到近期文章时为“无法判断”；没有站内搜索时不适用（见 search.present）。",
                  "Searches the site for the exact title of a recent article (the inspectors' test) and expects the "
                  "article among the results; a nonsense query rules out a results page that always shows the same "
                  "thing. Script-driven, blocked, robots-disallowed searches or no recent article: unknown; no search: "
                  "not applicable (see search.present)."),
    remediation=T("检查站内搜索的索引是否及时更新、是否覆盖全部栏目；确保按标题能搜到新发布的信息，搜索服务稳定可用。",
                  "Make sure the search index is updated and covers every column, so new items are found by title, "
                  "and that the search service is up."),
    gatherers=("homepage", "search"),
)
def run(snap, profile):
    facts = snap.facts["search"]
    state = facts.get("state")
    entry = facts.get("entry") or {}
    if state == "no-search":
        return Result.not_applicable(T("首页没有站内搜索，无从检验（见 search.present）",
                                       "the homepage has no site search to try (see search.present)"))
    if state in ("script-only", "unsubmittable"):
        why = facts.get("reason") or "script"
        return Result.unknown(
            T("搜索框由脚本提交或结果由脚本加载，未能找到可直接提交的搜索地址，无法自动检验；可在配置中指定搜索地址或人工检验",
              f"the search is driven by scripts ({why}); no URL to submit it to was found"),
            [Evidence(entry.get("page_url") or entry.get("link") or "", entry.get("field") or entry.get("hint") or "",
                      T("搜索入口", "search entry"))], state=state, entry=entry)
    if state == "no-article":
        return Result.unknown(T("未能从抓取结果中找到带日期的近期文章及其完整标题，无法检验搜索；可增加抓取页数后再试",
                                "no recent dated article with a full title was found to search for"), entry=entry)
    if state == "robots":
        rec = facts["queries"][0]
        return Result.unknown(T("robots.txt 禁止访问搜索地址，按规则未提交搜索", "robots.txt disallows the search URL: not submitted"),
                              [Evidence(rec.get("url", ""), _q(rec), T("未提交", "not submitted"))], state=state)
    if state != "done":
        reason = {"no-homepage": T("未能读取首页", "the homepage was not read"),
                  "no-fetcher": T("本次审计没有可用的网络请求器", "no fetcher in this audit"),
                  "rate-limited": T("网站要求降低访问频率，未提交搜索", "the site asked to slow down: search not submitted"),
                  "stopped": T("审计已停止，未提交搜索", "the audit stopped before the search was submitted")}.get(
            state, T(f"未能检验搜索（{state}）", f"search not tried ({state})"))
        return Result.unknown(reason, state=state)

    queries = facts.get("queries") or []
    first = queries[0]
    details = {"entry": entry, "queries": queries, "nonsense": facts.get("nonsense"), "template": facts.get("template")}
    art_ev = [Evidence(q["article"]["url"], f"{q['article']['title']}（{q['article']['date']}，{q['article']['column']}）",
                       T("被搜索的文章", "article searched for")) for q in queries if q.get("article")]
    status = first.get("status")
    if first.get("error_kind"):
        return Result.unknown(T(f"搜索请求失败（{first.get('error')}），可能是网络问题，请复核",
                                f"the search request failed ({first.get('error')}); may be the network"),
                              [Evidence(first.get("url", ""), _q(first), T("搜索请求", "search request"))], **details)
    if first.get("blocked") or status in (403, 429):
        return Result.unknown(T(f"搜索请求被拦截（HTTP {status}），无法检验", f"the search request was blocked (HTTP {status})"),
                              [Evidence(first.get("url", ""), _q(first), T("搜索请求", "search request"))], **details)
    if status is not None and (status >= 500 or status in (404, 410)):
        what = "搜索服务出错" if status >= 500 else "搜索地址不存在"
        return Result.failed(T(f"站内搜索不可用：{what}（HTTP {status}，重试后仍然如此）",
                               f"the site search is broken: HTTP {status} (also on retry)"),
                             [Evidence(first.get("final_url") or first.get("url", ""), f"{_q(first)} → HTTP {status}",
                                       T("搜索结果", "search results"))] + art_ev, **details)
    if status is None or status >= 400 or first.get("text_chars") is None:
        return Result.unknown(T(f"搜索返回 HTTP {status}，未得到可读的结果页，无法判断",
                                f"the search answered HTTP {status} without a readable results page"),
                              [Evidence(first.get("url", ""), _q(first), T("搜索请求", "search request"))], **details)

    for rec in queries:
        if rec.get("match"):
            m = rec["match"]
            by = "链接地址" if m["by"] == "url" else "标题"
            return Result.passed(
                T(f"按完整标题搜索能找到近期文章（按{by}匹配）", f"the search finds a recent article by its exact title (matched by {m['by']})"),
                [Evidence(rec.get("final_url") or rec["url"], f"{_q(rec)} → 结果：{m['text'][:80]}", T("搜索结果", "search results")),
                 Evidence(m["url"], m["text"][:120], T("结果中的文章", "the article in the results"))] + art_ev, **details)

    evidence = [Evidence(r.get("final_url") or r.get("url", ""), f"{_q(r)} → {_came_back(r)}"[:300],
                         T("搜索结果", "search results")) for r in queries if r.get("status")] + art_ev
    nonsense = facts.get("nonsense") or {}
    if nonsense.get("status"):
        evidence.append(Evidence(nonsense.get("final_url") or nonsense.get("url", ""),
                                 f"{_q(nonsense)} → {_came_back(nonsense)}"[:300], T("对照查询（无意义词）", "control query")))
    if facts.get("template"):
        return Result.unknown(T("按脚本中的搜索地址提交后未找到文章；该地址由脚本推断，可能缺少参数，请人工复核",
                                "the article was not found through a search URL inferred from scripts; check by hand"),
                              evidence, **details)
    specific = sum(r.get("specific_count") or 0 for r in queries if r.get("status"))
    empty = any(r.get("says_empty") for r in queries)
    js = any(r.get("js_hints") for r in queries) or any(
        any(w in s.lower() for w in ("search", "sousuo", "query", "result")) for r in queries for s in r.get("script_srcs") or ())
    if specific == 0 and not empty and js:
        return Result.unknown(T("搜索结果页没有与查询相关的内容，结果可能由脚本异步加载（XHR），无法自动判断",
                                "the results page holds nothing specific to the query; results are probably loaded by scripts"),
                              evidence, js_driven=True, **details)
    same = all(r.get("same_as_nonsense") for r in queries if r.get("status"))
    always_same = specific == 0 and same and not empty
    if not always_same and not empty and any(r.get("ambiguous") for r in queries):
        return Result.unknown(T("文章出现在结果页上，但无意义词的结果页上也有（可能是“最新信息”栏），无法确认搜索是否有效",
                                "the article is on the results page, but also for a nonsense query (a sidebar?)"),
                              evidence, **details)
    if always_same:
        summary = T("站内搜索无效：无论搜索什么，结果页都显示同样的内容，搜不到近期文章",
                    "the search is broken: the results page is the same whatever the query, and the article is not found")
    elif empty:
        summary = T("站内搜索按完整标题搜不到近期文章（结果页显示无结果）",
                    "the site search does not find a recent article by its exact title (no results)")
    else:
        summary = T(f"站内搜索按完整标题搜不到近期文章（返回 {specific} 个其他结果）",
                    f"the site search does not find a recent article by its exact title ({specific} other results)")
    return Result.failed(summary, evidence, **details)
