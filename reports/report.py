"""report.json (versioned schema, docs/report-schema.md) and scorecard.html (Jinja2)."""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from auditor import __version__
from auditor.checking.check import CATEGORIES, T
from auditor.checking.profile import Profile
from auditor.checking.runner import CheckRun
from auditor.checking.scoring import Scorecard
from auditor.crawl.snapshot import Snapshot

SCHEMA_VERSION = "1.1"

STATUS_TEXT = {
    "pass": T("通过", "Pass"), "warn": T("警告", "Warning"), "fail": T("不通过", "Fail"),
    "na": T("不适用", "Not applicable"), "unknown": T("无法判断", "Could not determine"),
    "error": T("检查出错", "Check error"),
}
VERDICT_TEXT = {"pass": T("合格", "Pass"), "fail": T("不合格", "Fail"),
                "unknown": T("无法判断", "Undetermined")}
STATUS_ORDER = {"fail": 0, "error": 1, "warn": 2, "unknown": 3, "pass": 4, "na": 5}


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def build_report(snapshot: Snapshot, runs: list[CheckRun], card: Scorecard, profile: Profile,
                 *, problems: list[str] | None = None) -> dict:
    home = snapshot.homepage
    checks = []
    for run in runs:
        chk, res = run.check, run.result
        checks.append({
            "id": chk.id,
            "category": chk.category,
            "status": res.status.value,
            "title": chk.title.to_json(),
            "clause": chk.clause.to_json(),
            "summary": res.summary.to_json(),
            "evidence": [e.to_json() for e in res.evidence],
            "remediation": res.remediation.to_json() if res.remediation else None,
            "weight": run.weight,
            "veto": chk.veto,
            "details": res.details,
            "duration_ms": round(run.duration * 1000, 1),
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "gov-audit", "version": __version__},
        "site": {
            "url": snapshot.start_url,
            "homepage": home.final_url if home else None,
            "title": home.title if home else "",
        },
        "profile": profile.to_json(),
        "started_at": _iso(snapshot.started_at),
        "as_of": snapshot.as_of.isoformat(),
        "finished_at": _iso(snapshot.finished_at),
        # Cut short: stopped (Ctrl-C, --time-budget, rate limiting) or the page cap left pages unvisited.
        "partial": bool(snapshot.partial or snapshot.coverage.cut_by_bounds),
        "stop_reason": snapshot.stop_reason or ("max-pages" if snapshot.coverage.cut_by_bounds else None),
        "score": card.score,
        "verdict": card.verdict,
        "pass_line": card.pass_line,
        "coverage": card.coverage,
        "veto": {"failed": bool(card.veto_failed), "checks": card.veto_failed},
        "counts": card.counts,
        "categories": [{
            "id": c.id, "title": CATEGORIES.get(c.id, T(c.id, c.id)).to_json(), "score": c.score,
            "weight": c.weight, "counts": c.counts,
        } for c in card.categories],
        "checks": checks,
        "crawl": {
            "pages": snapshot.stats.get("pages", 0),
            "html_pages": snapshot.stats.get("html_pages", 0),
            "attachments": snapshot.stats.get("attachments", 0),
            "link_checks": snapshot.stats.get("link_checks", 0),
            "requests": snapshot.stats.get("requests", 0),
            "errors": dict(snapshot.stats.get("errors", {})),
            "duration": snapshot.stats.get("duration", 0.0),
            "bytes": snapshot.stats.get("bytes", 0),
            "robots": dict(snapshot.robots),
            "robots_blocked": snapshot.stats.get("robots_blocked", 0),
            "page_cap_cut": snapshot.stats.get("page_cap_cut", 0),
            "depth_cut": snapshot.stats.get("depth_cut", 0),
            "trap_cut": snapshot.stats.get("trap_cut", {}),
            "options": dict(snapshot.options),
            "gatherers": dict(getattr(snapshot, "gather_timing", {})),
            "render": render_summary(snapshot),
            "coverage": snapshot.coverage.to_json(),
        },
        "problems": list(problems or []),
    }


def render_summary(snapshot) -> dict:
    """What the browser did: mode, the pages it rendered and why, requests it made."""
    log = getattr(snapshot, "render", None) or {}
    mode = log.get("mode") or "never"
    if mode == "never":
        return {"mode": "never", "pages": []}
    pages = []
    for rec in ([log["homepage"]] if log.get("homepage") else []) + list(log.get("pages") or ()):
        pages.append({"url": rec.get("url"), "final_url": rec.get("final_url"), "why": list(rec.get("why") or ()),
                      "applied": bool(rec.get("applied")), "error": rec.get("error"),
                      "script_links": len(rec.get("script_links") or ())})
    return {"mode": mode, "pages": pages, "requests": log.get("requests", 0),
            "served_from_crawl": log.get("served_from_crawl", 0), "refused": dict(log.get("refused") or {}),
            "unavailable": log.get("unavailable")}


def _env() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def safe_href(url: str) -> str:
    """Only http(s) URLs become links in the scorecard; anything else is shown as text."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else ""


def render_html(report: dict, lang: str = "zh", history: dict | None = None,
                screenshots: dict | None = None) -> str:
    """The scorecard; ``history`` (History.trend) adds the score trend and each check's last results."""
    env = _env()
    env.filters["t"] = lambda value: (value.get(lang) or value.get("zh", "")) if isinstance(value, dict) else (value or "")
    env.filters["safe_href"] = safe_href
    env.filters["local_time"] = _beijing_time
    env.filters["marks"] = lambda text: _spell_marks(text, lang)
    tpl = env.get_template("scorecard.html.j2")
    checks = sorted(report["checks"], key=lambda c: (STATUS_ORDER.get(c["status"], 9), -c["weight"], c["id"]))
    by_cat: dict[str, list[dict]] = {}
    for c in checks:
        by_cat.setdefault(c["category"], []).append(c)
    css_text = resources.files("reports").joinpath("templates/scorecard.css").read_text("utf-8")
    return tpl.render(r=report, lang=lang, by_cat=by_cat,
                      status_text={k: v.get(lang) for k, v in STATUS_TEXT.items()},
                      verdict_text=VERDICT_TEXT[report["verdict"]].get(lang),
                      categories={k: v.get(lang) for k, v in CATEGORIES.items()},
                      css=css_text, ui=UI[lang if lang in UI else "zh"],
                      confidence={k: v.get(lang) for k, v in CONFIDENCE.items()},
                      trend=_trend_view(report, history),
                      screenshots=screenshots or None,
                      verdict_names={k: v.get(lang) for k, v in VERDICT_TEXT.items()})


def _trend_view(report: dict, history: dict | None) -> dict | None:
    """The score sparkline (inline SVG data, no script) and per-check results from the history store."""
    if not history or not history.get("runs"):
        return None
    from reports.history import sparkline

    runs = history["runs"]
    return {"runs": runs, "checks": history.get("checks") or {},
            "spark": sparkline([r.get("score") for r in runs], report.get("pass_line", 60)),
            "first": runs[0], "last": runs[-1]}


def _beijing_time(iso: str) -> str:
    """Officials read times in 北京时间 (UTC+8), to the minute."""
    try:
        dt = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return dt.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")


CONFIDENCE = {
    "✅": T("已核实", "verified"),
    "🟡": T("待核实（二手来源）", "secondary source"),
    "❓": T("未核实", "unverified"),
}


def _spell_marks(text: str, lang: str) -> str:
    """Certainty marks in clause notes as words: not every printer or font has the emoji."""
    for mark, label in CONFIDENCE.items():
        text = text.replace(mark, f"（{label.get(lang)}）" if lang == "zh" else f" ({label.get(lang)})")
    return text


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    # mkstemp makes the file private (0600); a report is meant to be shared (CI artifacts,
    # a web server), so it gets the permissions an ordinary new file would.
    os.chmod(tmp, 0o666 & ~_UMASK)
    os.replace(tmp, path)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_outputs(report: dict, out_dir: Path, lang: str = "zh", formats=("html", "json"), *,
                  history: dict | None = None, junit_warn: str = "pass",
                  screenshots: dict | None = None) -> dict[str, Path]:
    """Write the formats asked for (reports.formats.FILES names each file); returns their paths."""
    from reports.formats import FILES

    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for fmt in formats:
        path = out_dir / FILES[fmt]
        if fmt == "json":
            text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
        elif fmt == "html":
            text = render_html(report, lang, history, screenshots)
        elif fmt == "junit":
            from reports.junit import render_junit

            text = render_junit(report, lang, warn=junit_warn)
        else:
            from reports.markdown import render_markdown

            text = render_markdown(report, lang)
        _atomic_write(path, text)
        paths[fmt] = path
    return paths


UI = {
    "zh": {
        "title": "政府网站检查报告", "site": "网站", "homepage": "首页", "date": "检查时间（北京时间）",
        "profile": "检查配置", "score": "总分", "verdict": "结论", "veto": "单项否决",
        "veto_none": "无单项否决项", "veto_failed": "单项否决不通过", "coverage": "可判定比例",
        "categories": "分类得分", "category": "分类", "checks": "检查项", "status": "结果",
        "findings": "检查结果明细", "clause": "依据", "evidence": "证据", "remediation": "整改建议",
        "summary": "说明", "weight": "权重", "crawl": "抓取情况", "pages": "页面数",
        "requests": "请求数", "duration": "耗时（秒）", "errors": "错误", "partial":
        "本次检查未完成（已中断或超出时间预算），以下结果仅基于已抓取的内容。",
        "robots": "robots.txt", "generated": "由 gov-audit 生成", "no_score": "—",
        "confidence": "规则确定性", "pass_line": "合格线", "not_judged": "未判定",
        "counts": "结果统计", "veto_item": "否决项", "excerpt": "摘录", "more_evidence": "条证据未显示",
        "out_of_scope": "说明：本报告由自动检查生成，人工核查项（如严重表述错误、舆情回应）不在自动检查范围内。",
        "trend": "历次检查", "trend_runs": "次检查", "trend_from": "自", "recent": "近期结果",
        "screenshots": "首页截图（浏览器渲染）", "desktop": "电脑端（1280 像素宽）", "phone": "手机端（390×844）",
        "rendered": "浏览器渲染", "rendered_pages": "页", "render_never": "未渲染（--render never）",
        "render_why": {"homepage": "首页", "always": "--render always", "empty list container": "列表由脚本填充",
                       "empty navigation": "导航由脚本生成", "noscript warning": "要求启用脚本",
                       "few links and little text, but scripts": "静态内容过少"},
    },
    "en": {
        "title": "Government website audit", "site": "Site", "homepage": "Homepage", "date": "Audited (UTC+8)",
        "profile": "Profile", "score": "Score", "verdict": "Verdict", "veto": "Veto items",
        "veto_none": "No veto item failed", "veto_failed": "Veto item failed", "coverage": "Judged",
        "categories": "Scores by category", "category": "Category", "checks": "Checks",
        "status": "Result", "findings": "Findings", "clause": "Rule", "evidence": "Evidence",
        "remediation": "How to fix", "summary": "Summary", "weight": "Weight", "crawl": "Crawl",
        "pages": "Pages", "requests": "Requests", "duration": "Duration (s)", "errors": "Errors",
        "partial": "This audit did not finish (interrupted or out of time); the results cover what was gathered.",
        "robots": "robots.txt", "generated": "Generated by gov-audit", "no_score": "—",
        "confidence": "Rule certainty", "pass_line": "Pass line", "not_judged": "not judged",
        "counts": "Results", "veto_item": "veto", "excerpt": "Excerpt", "more_evidence": "more evidence items not shown",
        "out_of_scope": "Note: this report is generated automatically; items that need human judgement (serious wording errors, responses to public opinion) are out of its scope.",
        "trend": "Score history", "trend_runs": "runs", "trend_from": "since", "recent": "Recent results",
        "screenshots": "Homepage screenshots (rendered)", "desktop": "Desktop (1280 px wide)", "phone": "Phone (390×844)",
        "rendered": "Rendered in the browser", "rendered_pages": "pages", "render_never": "not rendered (--render never)",
        "render_why": {"homepage": "homepage", "always": "--render always", "empty list container": "list filled by scripts",
                       "empty navigation": "navigation built by scripts", "noscript warning": "asks for JavaScript",
                       "few links and little text, but scripts": "little static content"},
    },
}
