"""A synthetic report shaped like the demo's (19 problems, long texts) for the scorecard tests.

Titles carry ASCII markers (P01…) because text pulled out of a PDF maps some CJK glyphs to
look-alike radicals: the markers say for certain which rows reached which page.
"""
from __future__ import annotations

from auditor.checking.check import CATEGORIES

LONG = "请按要求整改，并在整改完成后复核全部相关页面，确保问题不再出现，同时建立长效机制定期巡检。" * 2


def check(cid, status, *, weight=2.0, veto=False, category="identity", title=None, url=None, column_meta=None):
    return {
        "id": cid, "category": category, "status": status,
        "title": {"zh": title or f"检查项 {cid.split('.')[-1].upper()}", "en": f"Check {cid}"},
        "clause": {"document": "《政府网站发展指引》（国办发〔2017〕47号）", "article": "页面底部功能区",
                   "confidence": "✅", "note": ""},
        "summary": {"zh": "发现的问题说明：" + LONG, "en": "What was found. " * 6},
        "evidence": [{"url": url or f"http://127.0.0.1:9/xwzx/tzgg/{cid}.html", "excerpt": "摘录文字" * 20,
                      "note": {"zh": "证据说明", "en": "evidence note"}}] if status != "pass" else [],
        "remediation": {"zh": "整改建议：" + LONG, "en": "How to fix. " * 10} if status in ("fail", "warn") else None,
        "weight": weight, "veto": veto, "details": {}, "duration_ms": 1.0,
    }


def demo_like_report(problems: int = 19, *, coverage_summary: dict | None = None) -> dict:
    """6 failures (one a veto item) and warnings up to ``problems``, plus passing checks."""
    cats = [c for c in CATEGORIES if c != "other"]
    checks = [check("interaction.p01", "fail", weight=4, veto=True, category="interaction")]
    for i in range(2, problems + 1):
        status = "fail" if i <= 6 else "warn"
        checks.append(check(f"{cats[i % len(cats)]}.p{i:02d}", status, weight=1 + i % 5,
                            category=cats[i % len(cats)]))
    for i in range(20):
        checks.append(check(f"{cats[i % len(cats)]}.ok{i:02d}", "pass", category=cats[i % len(cats)]))
    counts = {s: sum(1 for c in checks if c["status"] == s) for s in ("pass", "warn", "fail", "na", "unknown", "error")}
    crawl = {"pages": 71, "html_pages": 60, "attachments": 3, "link_checks": 10, "requests": 90, "errors": {},
             "duration": 3.2, "bytes": 1000, "robots": {"state": "parsed"}, "render": {"mode": "never", "pages": []}}
    if coverage_summary is not None:
        crawl["coverage"] = {"summary": coverage_summary}
    return {
        "schema_version": "1.0", "tool": {"name": "gov-audit", "version": "test"},
        "site": {"url": "http://127.0.0.1:9/", "homepage": "http://127.0.0.1:9/", "title": "示例市人民政府"},
        "profile": {"name": "city"}, "started_at": "2026-12-03T07:00:00+00:00", "as_of": "2026-12-03",
        "finished_at": "2026-12-03T07:01:00+00:00", "partial": False, "stop_reason": None,
        "score": 65.0, "verdict": "fail", "pass_line": 60, "coverage": 0.76,
        "veto": {"failed": True, "checks": ["interaction.p01"]}, "counts": counts,
        "categories": [{"id": c, "title": CATEGORIES[c].to_json(), "score": 50.0, "weight": 10, "counts": {}}
                       for c in cats],
        "checks": checks, "crawl": crawl, "problems": [],
    }
