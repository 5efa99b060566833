"""The 问题清单: the findings an office acts on, ranked, each with its page, column and time limit.

One row per check that failed or warned: veto items that failed first, then by the points the
finding costs the overall score (a failed check costs its whole weight in its category, a warning
half), then failures before warnings. Each row names the page concerned (the first evidence URL),
the column that owns it (责任栏目: the page's ColumnName tag, its breadcrumb, or the column of its
URL section), one line of evidence, the remediation and a suggested time limit from the profile's
``[[remediation.time_limits]]``.

``build_actions`` runs at report time with the snapshot (for the columns); ``actions_of`` reads
them back from a report.json, and derives them without columns for a report written before
``actions`` existed (so ``gov-audit diff`` works on old reports too).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

#: statuses that make a row in the 问题清单
PROBLEM_STATUSES = ("fail", "warn")
CREDIT = {"pass": 1.0, "warn": 0.5, "fail": 0.0}

# Crumbs that name the article itself, not its column.
_LEAF_CRUMBS = ("正文", "详情", "内容", "详细内容", "正文内容", "文章", "浏览", "阅读")
_SPACES = re.compile(r"\s+")


def one_line(text: str, limit: int = 120) -> str:
    text = _SPACES.sub(" ", str(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value) -> dict:
    if isinstance(value, dict):
        zh = str(value.get("zh") or value.get("en") or "")
        return {"zh": zh, "en": str(value.get("en") or zh)}
    value = "" if value is None else str(value)
    return {"zh": value, "en": value}


def points_lost(report: dict) -> dict[str, float]:
    """Check id -> points of the overall score the check's result costs (scoring.score, undone)."""
    cat_weight = {c["id"]: float(c.get("weight") or 0) for c in report.get("categories") or []}
    judged: dict[str, float] = {}
    for c in report.get("checks") or []:
        if c.get("status") in CREDIT:
            judged[c["category"]] = judged.get(c["category"], 0.0) + float(c.get("weight") or 0)
    scored = [cat for cat, den in judged.items() if den > 0 and cat_weight.get(cat, 0) > 0]
    wsum = sum(cat_weight[cat] for cat in scored)
    out = {}
    for c in report.get("checks") or []:
        cat = c.get("category")
        if c.get("status") not in CREDIT or cat not in scored or not wsum:
            continue
        lost = 100 * float(c.get("weight") or 0) * (1 - CREDIT[c["status"]]) / judged[cat]
        out[c["id"]] = round(lost * cat_weight[cat] / wsum, 1)
    return out


def time_limit(rules, status: str, veto: bool, weight: float) -> dict:
    """The first ``[[remediation.time_limits]]`` rule that fits, as {zh, en} ("" when none fits)."""
    kind = "veto" if veto and status == "fail" else status
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict) or rule.get("when") != kind:
            continue
        try:
            least = float(rule.get("min_weight", 0) or 0)
        except (TypeError, ValueError):
            least = 0.0
        if weight >= least:
            return _text({"zh": rule.get("zh", ""), "en": rule.get("en", "")})
    return {"zh": "", "en": ""}


def evidence_line(evidence: list[dict]) -> dict:
    """The first evidence item as one line: its note, then its excerpt."""
    if not evidence:
        return {"zh": "", "en": ""}
    first = evidence[0]
    note, excerpt = _text(first.get("note")), one_line(first.get("excerpt", ""), 80)
    return {lang: one_line("：".join(x for x in (note[lang], excerpt) if x) if lang == "zh"
                           else ": ".join(x for x in (note[lang], excerpt) if x), 120)
            for lang in ("zh", "en")}


def clause_label(clause: dict | None) -> str:
    clause = clause or {}
    return " ".join(x for x in (str(clause.get("document") or ""), str(clause.get("article") or "")) if x)


def build_actions(report: dict, snapshot=None, profile=None) -> list[dict]:
    """The ranked 问题清单 of a report (``snapshot`` gives each page's column)."""
    if profile is None:  # a report read back: the default profile's suggestions
        from auditor.checking.profile import load_profile

        profile = load_profile(None)
    rules = profile.get("remediation.time_limits")
    lost = points_lost(report)
    rows = []
    for c in report.get("checks") or []:
        if c.get("status") not in PROBLEM_STATUSES:
            continue
        veto_failed = bool(c.get("veto")) and c["status"] == "fail"
        evidence = c.get("evidence") or []
        url = next((e.get("url") for e in evidence if e.get("url")), "") or ""
        column, source = responsible_column(snapshot, url) if snapshot is not None else url_section(url)
        rows.append({
            "id": c["id"], "category": c.get("category", ""), "title": _text(c.get("title")),
            "status": c["status"], "veto": veto_failed, "veto_item": bool(c.get("veto")),
            "weight": float(c.get("weight") or 0), "points_lost": lost.get(c["id"]),
            "problem": _text(c.get("summary")), "url": url, "column": column, "column_source": source,
            "evidence": evidence_line(evidence), "clause": clause_label(c.get("clause")),
            "remediation": _text(c.get("remediation")),
            "time_limit": time_limit(rules, c["status"], veto_failed, float(c.get("weight") or 0)),
        })
    rows.sort(key=lambda r: (not r["veto"], -(r["points_lost"] or 0.0), r["status"] != "fail", r["id"]))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows


def actions_of(report: dict) -> list[dict]:
    """The report's 问题清单 (derived, without columns read from pages, for an older report)."""
    stored = report.get("actions")
    if isinstance(stored, list):
        return stored
    return build_actions(report)


# -- 责任栏目: the column a page belongs to ---------------------------------------------------

def responsible_column(snapshot, url: str) -> tuple[str, str]:
    """(column name, how it was found) for the page at ``url``; ("", "") when nothing says.

    The page's own ColumnName tag, else its breadcrumb, else the column page of its URL section
    (/xwzx/tzgg/… → the page at /xwzx/tzgg/). A file or an off-site link belongs to the column of
    the page that links to it.
    """
    if not url:
        return "", ""
    from auditor.views.columns import breadcrumb, column_name

    home = snapshot.homepage
    page = snapshot.page(url)
    if home is not None and page is home:
        return "首页", "homepage"
    if page is not None and page.is_html and page.ok:
        meta = (page.meta.get("columnname") or "").strip()
        if meta:
            return meta[:30], "meta"
        crumbs = [c for c in breadcrumb(page.text) if c not in _LEAF_CRUMBS]
        if len(crumbs) >= 2:
            return crumbs[-1], "breadcrumb"
    section = _section_page(snapshot, url)
    if section is not None:
        if home is not None and section is home:
            return "首页", "homepage"
        name, _how = column_name(snapshot, section)
        if name:
            return name, "url"
    referrers = snapshot.inlinks.get(url) or (snapshot.inlinks.get(page.url, ()) if page is not None else ())
    for ref in referrers:
        if ref != url:
            name, how = responsible_column(snapshot, ref)
            if name:
                return name, "linked from " + how
    return "", ""


_INDEXES = ("", "index.html", "index.htm", "index.shtml", "index.jsp", "default.html", "default.htm")


def _section_page(snapshot, url: str):
    """The crawled page that is the index of the deepest folder of ``url`` (not the page itself)."""
    if not snapshot.in_site(url):
        return None
    parts = urlsplit(url)
    folders = [p for p in parts.path.split("/")[:-1] if p]
    base = f"{parts.scheme}://{parts.netloc}/"
    while folders:
        prefix = base + "/".join(folders) + "/"
        for index in _INDEXES:
            page = snapshot.page(prefix + index)
            if page is not None and page.is_html and page.ok and page.url != url:
                return page
        folders.pop()
    return None


def url_section(url: str) -> tuple[str, str]:
    """Without the crawl: the URL's first folder (/xwzx/…) as a hint of the column."""
    if not url:
        return "", ""
    folders = [p for p in urlsplit(url).path.split("/")[:-1] if p]
    return (f"/{folders[0]}/", "url") if folders else ("", "")

