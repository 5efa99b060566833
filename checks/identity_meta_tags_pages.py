"""identity.meta-tags-pages — column and article pages carry their 网页标签.

The 发展指引 网页设计规范 lists column tags (ColumnName, ColumnType …) and content
tags (ArticleTitle, PubDate in ``YYYY-MM-DD HH:MM``, ContentSource …) as 必选; which
page type must carry which class is 🟡 (docs/rules.md#R-meta-tags-pages): column pages are taken
to need the column tags, article pages the content tags. Column pages are the
site's list pages (auditor.views.columns.columns_of); article pages are the crawled pages
those columns (and their later pages) list with a date. The result is a coverage rate per page type with
examples of pages lacking tags; being 🟡, it warns at most. The homepage's site tags
are identity.meta-tags.
"""
import re

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.views.columns import MIN_DATED_ITEMS, columns_of, is_pagination, page_items

ID = "identity.meta-tags-pages"
MAX_EXAMPLES = 8


def _audit(page, tags, pubdate: re.Pattern | None):
    """(missing or empty tags, PubDate value when badly formatted)."""
    missing = [t for t in tags if not (page.meta.get(t.lower()) or "").strip()]
    bad = None
    if pubdate is not None and "PubDate" in tags and "PubDate" not in missing:
        value = page.meta.get("pubdate", "").strip()
        if not pubdate.match(value):
            bad = value
    return missing, bad


def _pages(snap, profile):
    """(column pages, article pages): crawled, readable, each once."""
    columns = columns_of(snap, profile)
    col_pages, seen = [], set()
    for c in columns:
        page = snap.page(c.url)
        if page is not None and page.is_html and page.ok and page.final_url not in seen:
            seen.add(page.final_url)
            col_pages.append(page)
    home = snap.homepage
    skip = set(seen) | ({home.final_url} if home is not None else set())
    # Later pages of a column (index_1.html, ?page=2) list older articles: their items count too.
    lists = [c.items for c in columns]
    for page in snap.html_pages():
        if page.depth > 0 and is_pagination(page.final_url) and page.final_url not in seen:
            items = page_items(page, snap.as_of)
            if sum(1 for i in items if i.date is not None and i.date_source == "row") >= MIN_DATED_ITEMS:
                lists.append(items)
                skip.add(page.final_url)
    art_pages, art_seen = [], set()
    for items in lists:
        for item in items:
            if item.date is None:
                continue
            page = snap.page(item.url)
            if page is None or not page.is_html or not page.ok:
                continue
            if page.final_url in skip or page.final_url in art_seen:
                continue
            art_seen.add(page.final_url)
            art_pages.append(page)
    return col_pages, art_pages


@check(
    id=ID,
    title=T("网页标签（栏目页、文章页）", "Column and article page meta tags"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "网页设计规范：网页标签（栏目类 ColumnName、ColumnType；内容类 ArticleTitle、"
                  "PubDate、ContentSource 必选）",
                  confidence="🟡", effective="2017-05-15", rule="R-meta-tags-pages",
                  note="标签表来自转录稿；各类页面须带哪类标签未见原文"),
    weight=1,
    description=T("栏目页应有 ColumnName、ColumnType 标签；文章页（栏目中带日期的信息）应有 ArticleTitle、PubDate"
                  "（格式 YYYY-MM-DD HH:MM）、ContentSource 标签。按页面类型统计覆盖率并举例缺标签的页面。"
                  "规范来源为转录本（🟡），最多给出警告。",
                  "Column pages carry ColumnName and ColumnType; article pages (dated items of the columns) carry "
                  "ArticleTitle, PubDate (YYYY-MM-DD HH:MM) and ContentSource. Coverage per page type with examples of "
                  "pages lacking tags; the rule is 🟡, so it warns at most."),
    remediation=T("在网站模板中为栏目页添加 ColumnName、ColumnType 等栏目类标签，为文章页添加 ArticleTitle、PubDate"
                  "（YYYY-MM-DD HH:MM）、ContentSource 等内容类标签；旧模板生成的页面一并更新。",
                  "Add the column tags to column-page templates and the content tags (PubDate as YYYY-MM-DD HH:MM) to "
                  "article templates, old templates included."),
    gatherers=("pages",),
    settings={
        # 发展指引 网页标签 (🟡 R-meta-tags-pages)
        "column_tags": Setting(["ColumnName", "ColumnType"], "tags required on column pages"),
        "article_tags": Setting(["ArticleTitle", "PubDate", "ContentSource"], "tags required on article pages"),
        "pubdate_format": Setting(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", "PubDate format (YYYY-MM-DD HH:MM); \"\" to skip the format test"),
    },
)
def run(snap, profile, settings):
    col_tags = settings["column_tags"]
    art_tags = settings["article_tags"]
    fmt = settings["pubdate_format"]
    pubdate = re.compile(fmt) if fmt else None
    need = profile.threshold("meta_tags_pages_min_coverage")
    col_pages, art_pages = _pages(snap, profile)
    if not col_pages and not art_pages:
        return Result.unknown(T("未找到栏目页或文章页（没有带日期的信息列表），无法检查栏目、内容类网页标签",
                                "no column or article pages were found (no dated lists) to check"))

    def survey(pages, tags):
        lacking, badfmt = [], []
        for p in pages:
            missing, bad = _audit(p, tags, pubdate)
            if missing:
                lacking.append((p, missing))
            elif bad is not None:
                badfmt.append((p, bad))
        ok = len(pages) - len(lacking) - len(badfmt)
        return lacking, badfmt, (ok / len(pages) if pages else None)

    c_lack, c_bad, c_rate = survey(col_pages, col_tags)
    a_lack, a_bad, a_rate = survey(art_pages, art_tags)
    details = {"column_pages": len(col_pages), "column_coverage": None if c_rate is None else round(c_rate, 4),
               "article_pages": len(art_pages), "article_coverage": None if a_rate is None else round(a_rate, 4),
               "columns_lacking": [{"url": p.final_url, "missing": m} for p, m in c_lack],
               "articles_lacking": [{"url": p.final_url, "missing": m} for p, m in a_lack],
               "pubdate_format_bad": [{"url": p.final_url, "value": v} for p, v in a_bad]}
    evidence = []
    for p, m in c_lack[:MAX_EXAMPLES]:
        evidence.append(Evidence(p.final_url, f"{p.title[:50]} · 缺少 {'、'.join(m)}", T("栏目页缺标签", "column page lacks tags")))
    for p, m in a_lack[:MAX_EXAMPLES]:
        evidence.append(Evidence(p.final_url, f"{p.title[:50]} · 缺少 {'、'.join(m)}", T("文章页缺标签", "article page lacks tags")))
    for p, v in a_bad[:MAX_EXAMPLES]:
        evidence.append(Evidence(p.final_url, f'<meta name="PubDate" content="{v[:40]}">（应为 YYYY-MM-DD HH:MM）',
                                 T("PubDate 格式不规范", "PubDate format")))

    def part(label, label_en, n, rate):
        if rate is None:
            return f"未找到{label}", f"no {label_en}"
        return f"{label} {n} 个，标签齐全 {rate:.0%}", f"{n} {label_en}, {rate:.0%} fully tagged"

    cz, ce = part("栏目页", "column pages", len(col_pages), c_rate)
    az, ae = part("文章页", "article pages", len(art_pages), a_rate)
    summary = T(f"{cz}；{az}", f"{ce}; {ae}")
    low = [r for r in (c_rate, a_rate) if r is not None and r < need]
    if low:
        return Result.warned(summary, evidence, **details)
    good = next(iter(art_pages or col_pages))
    example = Evidence(good.final_url, ", ".join(n for n in good.facts.meta_names
                                                   if n.lower() in {t.lower() for t in col_tags + art_tags})[:200],
                       T("示例页面的标签", "tags on a sample page"))
    return Result.passed(summary, evidence or [example], **details)
