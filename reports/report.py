"""report.json (versioned schema, docs/report-schema.md) and scorecard.html (Jinja2)."""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from auditor import __version__
from auditor.checking.check import CATEGORIES, T
from auditor.checking.profile import Profile
from auditor.checking.runner import CheckRun
from auditor.checking.scoring import Scorecard
from auditor.crawl.snapshot import Snapshot
from reports.actions import actions_of, build_actions
from reports.formats import VERDICT_TEXT, _beijing_time  # noqa: F401 - part of this module's API

SCHEMA_VERSION = "1.1"

STATUS_TEXT = {
    "pass": T("通过", "Pass"), "warn": T("警告", "Warning"), "fail": T("不通过", "Fail"),
    "na": T("不适用", "Not applicable"), "unknown": T("无法判断", "Could not determine"),
    "error": T("检查出错", "Check error"),
}
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
    report = {
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
            # Requests not made because they led to a private address (SSRF guard).
            "private_refused": dict(snapshot.stats.get("private_refused") or {"count": 0, "sample": []}),
            "options": dict(snapshot.options),
            "gatherers": dict(getattr(snapshot, "gather_timing", {})),
            "render": render_summary(snapshot),
            "coverage": snapshot.coverage.to_json(),
        },
        "problems": list(problems or []),
    }
    # The 问题清单 the scorecard opens with and the spreadsheet lists (reports.actions).
    report["actions"] = build_actions(report, snapshot, profile)
    return report


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
    env.filters["clip"] = clip
    return env


TITLE_MAX = 80  # characters of a site's <title> shown in headers and rankings


def clip(text, limit: int = TITLE_MAX) -> str:
    """A site-supplied text cut for a header or a table cell (the whole text goes in a
    title attribute beside it); a 10,000-character <title> must not fill the page."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


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
    env.filters["short_url"] = lambda url: _short_url(url, report.get("site", {}).get("url", ""))
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
                      actions=actions_of(report), conclusion=conclusion(report, lang),
                      coverage_line=coverage_line(report, lang),
                      verdict_names={k: v.get(lang) for k, v in VERDICT_TEXT.items()})


def conclusion(report: dict, lang: str) -> str:
    """The first sentence an office reads: the verdict, the score against the pass line, the failed veto items."""
    titles = {c["id"]: (c.get("title") or {}) for c in report.get("checks") or []}
    veto = [(titles.get(v) or {}).get(lang) or (titles.get(v) or {}).get("zh") or v
            for v in (report.get("veto") or {}).get("checks") or []]
    score, line = report.get("score"), float(report.get("pass_line", 60))
    verdict = VERDICT_TEXT[report["verdict"]].get(lang)
    if lang == "en":
        if score is None:
            text = f"{verdict}: no score, nothing could be judged"
        else:
            text = f"{verdict}: score {score} {'reaches' if score >= line else 'is below'} the pass line {line:g}"
        if veto:
            text += (", but" if score is not None and score >= line else ", and") + " the veto item " \
                + ", ".join(f'"{v}"' for v in veto) + " failed"
        else:
            text += "; no veto item failed"
        return text + "."
    if score is None:
        text = f"{verdict}：没有可判定的检查项，无法计分"
    else:
        text = f"{verdict}：总分 {score}，{'达到' if score >= line else '低于'}合格线 {line:g}"
    if veto:
        text += ("，但" if score is not None and score >= line else "，且") + "单项否决项" \
            + "、".join(f"“{v}”" for v in veto) + "不通过"
    else:
        text += "；无单项否决项不通过"
    return text + "。"


def coverage_line(report: dict, lang: str) -> str:
    """The crawl's coverage in one line: crawl.coverage.summary when the report has it."""
    crawl = report.get("crawl") or {}
    summary = (crawl.get("coverage") or {}).get("summary") if isinstance(crawl.get("coverage"), dict) else None
    if isinstance(summary, dict) and (summary.get(lang) or summary.get("zh")):
        return str(summary.get(lang) or summary.get("zh"))
    counts = report.get("counts") or {}
    judged = round(float(report.get("coverage") or 0) * 100)
    pages, links = crawl.get("pages", 0), crawl.get("link_checks", 0)
    undetermined = counts.get("unknown", 0) + counts.get("error", 0)
    if lang == "en":
        return (f"{pages} pages fetched, {links} more links checked; {judged}% of the check weight judged, "
                f"{undetermined} check(s) could not be determined" + ("; the crawl did not finish" if report.get("partial") else ""))
    return (f"抓取 {pages} 个页面，另检查链接 {links} 个；可判定比例 {judged}%，{undetermined} 项无法判断"
            + ("；抓取未完成" if report.get("partial") else ""))


def _short_url(url: str, site: str) -> str:
    """A URL on the audited site as its path (the table is narrow); others in full."""
    from urllib.parse import urlsplit

    try:
        a, b = urlsplit(url), urlsplit(site)
    except ValueError:
        return url
    if a.netloc and a.netloc == b.netloc:
        return (a.path or "/") + (f"?{a.query}" if a.query else "")
    return url


def _trend_view(report: dict, history: dict | None) -> dict | None:
    """The score sparkline (inline SVG data, no script) and per-check results from the history store."""
    if not history or not history.get("runs"):
        return None
    from reports.history import sparkline

    runs = history["runs"]
    return {"runs": runs, "checks": history.get("checks") or {},
            "spark": sparkline([r.get("score") for r in runs], report.get("pass_line", 60)),
            "first": runs[0], "last": runs[-1]}


CONFIDENCE = {
    "✅": T("已核实", "verified"),
    "🟡": T("待核实（二手来源）", "secondary source"),
    "❓": T("未核实", "unverified"),
}


# The clause lines of each finding's details (the rule quoted from docs/rules.md).
CLAUSE_UI = {
    "zh": {"effective": "施行日期", "rule_ref": "规则编号（docs/rules.md）",
           "no_quote": "未取得该条款的官方原文，未作引用。"},
    "en": {"effective": "In force from", "rule_ref": "Rule (docs/rules.md)",
           "no_quote": "No copy of the official wording was found; not quoted."},
}


def _spell_marks(text: str, lang: str) -> str:
    """Certainty marks in clause notes as words: not every printer or font has the emoji."""
    for mark, label in CONFIDENCE.items():
        text = text.replace(mark, f"（{label.get(lang)}）" if lang == "zh" else f" ({label.get(lang)})")
    return text


def _atomic_write(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, renamed over it. On any
    failure (a full disk, a signal) the temporary file is removed and the error raised."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()  # a full disk shows here (ENOSPC), before the rename
        # mkstemp makes the file private (0600); a report is meant to be shared (CI artifacts,
        # a web server), so it gets the permissions an ordinary new file would.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    paths: dict[str, Path] = {}
    for fmt in formats:
        path = out_dir / FILES[fmt]
        if fmt in ("xlsx", "csv"):
            from reports.sheet import findings_rows, sheet_note, write_csv, write_xlsx

            header, rows = findings_rows(report, lang)
            if fmt == "xlsx":
                write_xlsx(header, rows, path, title="问题清单" if lang == "zh" else "Problems",
                           note=sheet_note(report, lang))
            else:
                write_csv(header, rows, path)
            paths[fmt] = path
            continue
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
        try:
            _atomic_write(path, text)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        paths[fmt] = path
    return paths


class OutputError(Exception):
    """An output file could not be written (a full disk, a read-only folder): one line."""


def check_writable(folder: Path) -> None:
    """Create ``folder`` if need be and prove a file can be written in it (a byte, then
    removed), before any work; raises OutputError with the reason in one line. (As root,
    os.access says yes to a read-only mount: only a real write tells.)"""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    if not folder.is_dir():
        raise OutputError(f"{folder} exists and is not a folder")
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".gov-audit-probe-", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
    try:
        os.write(fd, b"x")
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
        try:
            os.unlink(probe)
        except OSError:
            pass


UI = {
    "zh": {
        "title": "政府网站检查报告", "site": "网站", "homepage": "首页", "date": "检查时间（北京时间）",
        "profile": "检查配置", "score": "总分", "verdict": "结论", "veto": "单项否决",
        "veto_none": "无单项否决项", "veto_failed": "单项否决不通过", "coverage": "可判定比例",
        "categories": "分类得分", "category": "分类", "checks": "检查项", "status": "结果",
        "findings": "检查结果明细", "clause": "依据", "evidence": "证据", "remediation": "整改建议",
        "summary": "说明", "weight": "权重", "crawl": "抓取情况", "pages": "页面数",
        "requests": "请求数", "duration": "耗时（秒）", "errors": "错误",
        "private_refused": "未请求（指向内网等私有地址）", "partial":
        "本次检查未完成（已中断或超出时间预算），以下结果仅基于已抓取的内容。",
        "robots": "robots.txt", "generated": "由 gov-audit 生成", "no_score": "—",
        "confidence": "规则确定性", "pass_line": "合格线", "not_judged": "未判定",
        "counts": "结果统计", "veto_item": "否决项", "excerpt": "摘录", "more_evidence": "条证据未显示",
        "out_of_scope": "说明：本报告由自动检查生成，人工核查项（如严重表述错误、舆情回应）不在自动检查范围内。",
        "actions": "问题清单", "n_items": "项", "rank": "序号", "result": "结论", "problem": "问题", "page_column": "页面/栏目",
        "evidence_line": "证据", "time_limit": "整改期限", "points": "分", "coverage_line": "抓取覆盖：",
        "no_actions": "未发现需要整改的问题（不通过或警告）。",
        "actions_note": "按单项否决、扣分多少排序；“−N 分”为该项对总分的影响；整改期限为建议，依检查配置。完整证据与依据条款见后文检查结果明细。",
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
        "private_refused": "Not requested: private address",
        "partial": "This audit did not finish (interrupted or out of time); the results cover what was gathered.",
        "robots": "robots.txt", "generated": "Generated by gov-audit", "no_score": "—",
        "confidence": "Rule certainty", "pass_line": "Pass line", "not_judged": "not judged",
        "counts": "Results", "veto_item": "veto", "excerpt": "Excerpt", "more_evidence": "more evidence items not shown",
        "out_of_scope": "Note: this report is generated automatically; items that need human judgement (serious wording errors, responses to public opinion) are out of its scope.",
        "actions": "Problems to fix", "n_items": "items", "rank": "No.", "result": "Result", "problem": "Problem", "page_column": "Page / column",
        "evidence_line": "Evidence", "time_limit": "Time limit", "points": "pts", "coverage_line": "Crawl coverage: ",
        "no_actions": "No problem to fix (no failure or warning).",
        "actions_note": "Failed veto items first, then by points lost; \"−N pts\" is what the item costs the overall score; time limits are suggestions from the profile. Full evidence and rules follow in the findings.",
        "trend": "Score history", "trend_runs": "runs", "trend_from": "since", "recent": "Recent results",
        "screenshots": "Homepage screenshots (rendered)", "desktop": "Desktop (1280 px wide)", "phone": "Phone (390×844)",
        "rendered": "Rendered in the browser", "rendered_pages": "pages", "render_never": "not rendered (--render never)",
        "render_why": {"homepage": "homepage", "always": "--render always", "empty list container": "list filled by scripts",
                       "empty navigation": "navigation built by scripts", "noscript warning": "asks for JavaScript",
                       "few links and little text, but scripts": "little static content"},
    },
}
for _lang, _extra in CLAUSE_UI.items():
    UI[_lang].update(_extra)
