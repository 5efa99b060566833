"""A short Markdown summary of a report: for CI job summaries ($GITHUB_STEP_SUMMARY)
and merge-request notes.

Score, verdict and veto status, then a table of the checks that did not pass with
their rule and first evidence link. Everything the crawled site supplied (titles,
excerpts, URLs) is escaped: Markdown syntax, raw HTML, table pipes, line breaks,
and the ``@name`` / ``#123`` references GitHub and GitLab would turn into mentions
and links. Only http(s) URLs become links.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from reports.formats import pick

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_CODE_SAFE = re.compile(r"[^A-Za-z0-9._-]")
_MENTION = re.compile(r"([@#!$%~]|&amp;)(?=[\w\u4e00-\u9fff])")
_STATUS_ORDER = {"fail": 0, "error": 1, "warn": 2, "unknown": 3, "na": 4, "pass": 5}
MAX_ROWS = 60
MAX_CELL = 160

TEXT = {
    "zh": {
        "title": "政府网站检查", "score": "得分", "verdict": "结论", "veto": "单项否决",
        "veto_none": "无", "coverage": "可判定比例", "status": "结果", "check": "检查项",
        "clause": "依据", "summary": "说明", "evidence": "证据", "none": "没有不通过或警告的检查项。",
        "partial": "本次检查未完成，结果仅基于已抓取的内容", "more": "另有 {n} 项未列出，见 scorecard.html",
        "verdicts": {"pass": "合格", "fail": "不合格", "unknown": "无法判断"},
        "statuses": {"pass": "通过", "warn": "警告", "fail": "不通过", "na": "不适用",
                     "unknown": "无法判断", "error": "检查出错"},
        "counts": "结果统计", "link": "链接",
    },
    "en": {
        "title": "Government website audit", "score": "Score", "verdict": "Verdict", "veto": "Veto items",
        "veto_none": "none", "coverage": "judged", "status": "Result", "check": "Check",
        "clause": "Rule", "summary": "Summary", "evidence": "Evidence", "none": "No check failed or warned.",
        "partial": "This audit did not finish; the results cover what was gathered",
        "more": "{n} more not listed, see scorecard.html",
        "verdicts": {"pass": "PASS", "fail": "FAIL", "unknown": "UNDETERMINED"},
        "statuses": {"pass": "pass", "warn": "warn", "fail": "fail", "na": "n/a",
                     "unknown": "unknown", "error": "error"},
        "counts": "Results", "link": "link",
    },
}
ICON = {"fail": "❌", "error": "⚠️", "warn": "🟠", "unknown": "❔", "na": "➖", "pass": "✅"}


def md_escape(value, limit: int | None = MAX_CELL) -> str:
    """Text from anywhere (the crawled site included) as inert Markdown for a table cell."""
    text = " ".join(str(value or "").split())  # no line breaks: they would end the table row
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # "@name", "#12", "!34" ... would notify people or link issues: a zero-width space breaks them.
    return _MENTION.sub("\\1\u200b", text)


def md_code(value) -> str:
    """A check id in a code span: only the characters ids are made of."""
    return "`" + _CODE_SAFE.sub("", str(value or ""))[:80] + "`"


def md_url(url: str) -> str:
    """An http(s) URL as a Markdown link destination (<...> form, nothing left to break out)."""
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return ""
    return "<" + quote(url, safe=":/?#[]@!$&'*+,;=%~-._") \
        .replace("(", "%28").replace(")", "%29").replace("[", "%5B").replace("]", "%5D") + ">"


def _evidence_cell(check: dict, L: dict) -> str:
    for e in check.get("evidence") or []:
        dest = md_url(e.get("url", ""))
        if dest:
            label = md_escape(e.get("url", ""), 60)
            excerpt = md_escape(e.get("excerpt", ""), 60)
            return f"[{label}]({dest})" + (f" {excerpt}" if excerpt else "")
        if e.get("excerpt") or e.get("url"):
            return md_escape(e.get("excerpt") or e.get("url"), 80)
    return ""


def _table(checks: list[dict], L: dict, lang: str) -> list[str]:
    lines = [f"| {L['status']} | {L['check']} | {L['clause']} | {L['summary']} | {L['evidence']} |",
             "|---|---|---|---|---|"]
    for c in checks[:MAX_ROWS]:
        st = c.get("status", "")
        status = f"{ICON.get(st, '')} {L['statuses'].get(st, md_escape(st))}"
        if c.get("veto") and st == "fail":
            status += f" **{L['veto']}**"
        clause = c.get("clause") or {}
        rule = md_escape(f"{clause.get('document', '')} {clause.get('article', '')}".strip(), 80)
        title = md_escape(pick(c.get("title"), lang), 60)
        lines.append(f"| {status} | {md_code(c.get('id', ''))} {title} | {rule} | "
                     f"{md_escape(pick(c.get('summary'), lang))} | {_evidence_cell(c, L)} |")
    if len(checks) > MAX_ROWS:
        lines += ["", L["more"].format(n=len(checks) - MAX_ROWS)]
    return lines


def render_markdown(report: dict, lang: str = "zh") -> str:
    L = TEXT["en" if lang == "en" else "zh"]
    site = report.get("site") or {}
    name = site.get("title") or site.get("url") or ""
    url_link = md_url(site.get("url", ""))
    head = f"## {L['title']}: {md_escape(name, 80)}"
    if url_link and site.get("title"):
        head += f" ([{md_escape(site.get('url'), 80)}]({url_link}))"
    score = report.get("score")
    veto = report.get("veto") or {}
    verdict = report.get("verdict", "unknown")
    lines = [head, ""]
    veto_text = ", ".join(md_code(v) for v in veto.get("checks") or []) \
        if veto.get("failed") else L["veto_none"]
    lines.append(f"**{L['score']}: {score if score is not None else '—'}** / 100 · "
                 f"**{L['verdict']}: {ICON['pass' if verdict == 'pass' else 'fail' if verdict == 'fail' else 'unknown']} "
                 f"{L['verdicts'].get(verdict, verdict)}** · {L['veto']}: {veto_text} · "
                 f"{L['coverage']} {round(float(report.get('coverage') or 0) * 100)}%")
    counts = report.get("counts") or {}
    lines.append("")
    lines.append(f"{L['counts']}: " + ", ".join(f"{L['statuses'][s]} {counts.get(s, 0)}"
                                               for s in ("fail", "warn", "pass", "unknown", "na", "error")
                                               if counts.get(s)))
    if report.get("partial"):
        lines += ["", f"> ⚠️ {L['partial']} ({md_escape(report.get('stop_reason') or '')})"]
    bad = [c for c in report.get("checks") or [] if c.get("status") != "pass"]
    bad.sort(key=lambda c: (_STATUS_ORDER.get(c.get("status"), 9), not c.get("veto"),
                            -float(c.get("weight") or 0), c.get("id", "")))
    findings = [c for c in bad if c.get("status") in ("fail", "error", "warn")]
    undecided = [c for c in bad if c.get("status") not in ("fail", "error", "warn")]
    lines.append("")
    if not findings:
        lines.append(L["none"])
    else:
        lines += _table(findings, L, lang)
    if undecided:
        # Checks that could not judge: folded away, a merge-request note stays short.
        lines += ["", f"<details><summary>{L['statuses']['unknown']} / {L['statuses']['na']}: {len(undecided)}</summary>",
                  ""] + _table(undecided, L, lang) + ["", "</details>"]
    lines.append("")
    return "\n".join(lines)
