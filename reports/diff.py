"""Compare two report.json files: what got worse, what got better, check by check.

Statuses are ranked pass > warn > na/unknown (and error: nothing could be judged)
> fail. A check that moved down the ranking is a regression, one that moved up an
improvement; a move within a rank (na ↔ unknown) is a change. Checks only in the
new report are "new", only in the old one "removed". A veto item that newly fails,
and a verdict that goes from pass to fail, are regressions too.

``gov-audit diff OLD NEW`` prints the comparison (``--html FILE`` writes it as a
self-contained page, ``--fail-on-regression`` exits 1 when anything got worse);
``gov-audit audit --baseline OLD`` gates on it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

RANK = {"pass": 3, "warn": 2, "na": 1, "unknown": 1, "error": 1, "fail": 0}
KIND_ORDER = {"worse": 0, "new": 1, "better": 2, "changed": 3, "removed": 4, "same": 5}


class DiffError(Exception):
    """A file that is not a gov-audit report."""


def load_report(path: str | Path) -> dict:
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except FileNotFoundError:
        raise DiffError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DiffError(f"cannot read {p}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DiffError(f"{p} is not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list) or "schema_version" not in data:
        raise DiffError(f"{p} is not a gov-audit report.json")
    major = str(data.get("schema_version", "")).split(".", 1)[0]
    if major != "1":
        raise DiffError(f"{p} has report schema {data.get('schema_version')}; this gov-audit reads 1.x")
    for c in data["checks"]:
        if not isinstance(c, dict) or "id" not in c or c.get("status") not in RANK:
            raise DiffError(f"{p}: a check entry without an id or a known status")
    problems = schema_problems(data)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise DiffError(f"{p} does not match the report schema: {'; '.join(problems[:3])}{more}")
    return data


_REPORT_VALIDATOR = None


def schema_problems(report: dict) -> list[str]:
    """Where ``report`` breaks the published reports/report.schema.json ('score: must be …'),
    found before anything reads it (a hand-edited baseline with a string score or a list
    veto would otherwise fail deep inside the comparison)."""
    global _REPORT_VALIDATOR
    import jsonschema
    from importlib import resources

    if _REPORT_VALIDATOR is None:
        schema = json.loads(resources.files("reports").joinpath("report.schema.json").read_text("utf-8"))
        _REPORT_VALIDATOR = jsonschema.Draft202012Validator(schema)
    out = []
    for error in sorted(_REPORT_VALIDATOR.iter_errors(report), key=lambda e: list(map(str, e.absolute_path))):
        where = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p))
                        for i, p in enumerate(error.absolute_path)) or "(top level)"
        message = error.message if len(error.message) < 160 else error.message[:157] + "..."
        out.append(f"{where}: {message}")
    return out


@dataclass
class Change:
    id: str
    kind: str  # worse | better | changed | same | new | removed
    old: str | None
    new: str | None
    title: dict = field(default_factory=dict)
    category: str = ""
    veto: bool = False
    summary: dict = field(default_factory=dict)  # the newer summary (the old one for a removed check)
    old_summary: dict = field(default_factory=dict)


@dataclass
class ReportDiff:
    old_site: str
    new_site: str
    old_time: str
    new_time: str
    old_score: float | None
    new_score: float | None
    old_verdict: str
    new_verdict: str
    veto_added: list[str]
    veto_removed: list[str]
    changes: list[Change]

    @property
    def score_delta(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return round(self.new_score - self.old_score, 1)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def worse(self) -> list[Change]:
        return self.of("worse")

    @property
    def better(self) -> list[Change]:
        return self.of("better")

    @property
    def verdict_worse(self) -> bool:
        return self.old_verdict == "pass" and self.new_verdict == "fail"

    def regressions(self) -> list[str]:
        """One line per regression (empty when nothing got worse)."""
        out = []
        if self.verdict_worse:
            out.append(f"verdict went from pass to fail (score {self.old_score} → {self.new_score})")
        for v in self.veto_added:
            out.append(f"veto item {v} now fails")
        for c in self.worse:
            if c.id in self.veto_added:
                continue
            summary = _line(_t(c.summary, "en"))
            out.append(f"{c.id}: {c.old} → {c.new}" + (f" ({summary})" if summary else ""))
        return out

    def to_json(self) -> dict:
        return {
            "old": {"site": self.old_site, "finished_at": self.old_time, "score": self.old_score,
                    "verdict": self.old_verdict},
            "new": {"site": self.new_site, "finished_at": self.new_time, "score": self.new_score,
                    "verdict": self.new_verdict},
            "score_delta": self.score_delta, "veto_added": self.veto_added, "veto_removed": self.veto_removed,
            "regressions": self.regressions(),
            "changes": [{"id": c.id, "kind": c.kind, "old": c.old, "new": c.new, "category": c.category,
                         "veto": c.veto} for c in self.changes if c.kind != "same"],
        }


def _t(value, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _line(text: str, limit: int = 160) -> str:
    """Site-supplied text for a terminal: no control characters (escape sequences), one line."""
    text = " ".join(_CONTROL.sub(" ", text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff_reports(old: dict, new: dict) -> ReportDiff:
    old_checks = {c["id"]: c for c in old.get("checks") or []}
    new_checks = {c["id"]: c for c in new.get("checks") or []}
    changes: list[Change] = []
    for cid in sorted(set(old_checks) | set(new_checks)):
        o, n = old_checks.get(cid), new_checks.get(cid)
        ref = n or o
        if o is None:
            kind = "new"
        elif n is None:
            kind = "removed"
        elif RANK[n["status"]] < RANK[o["status"]]:
            kind = "worse"
        elif RANK[n["status"]] > RANK[o["status"]]:
            kind = "better"
        elif n["status"] != o["status"]:
            kind = "changed"
        else:
            kind = "same"
        changes.append(Change(cid, kind, o["status"] if o else None, n["status"] if n else None,
                              ref.get("title") or {}, ref.get("category", ""), bool(ref.get("veto")),
                              ref.get("summary") or {}, (o or {}).get("summary") or {}))
    changes.sort(key=lambda c: (KIND_ORDER[c.kind], not c.veto, c.id))
    old_veto = list((old.get("veto") or {}).get("checks") or [])
    new_veto = list((new.get("veto") or {}).get("checks") or [])
    return ReportDiff(
        old_site=(old.get("site") or {}).get("url", ""), new_site=(new.get("site") or {}).get("url", ""),
        old_time=old.get("finished_at", ""), new_time=new.get("finished_at", ""),
        old_score=old.get("score"), new_score=new.get("score"),
        old_verdict=old.get("verdict", "unknown"), new_verdict=new.get("verdict", "unknown"),
        veto_added=[v for v in new_veto if v not in old_veto], veto_removed=[v for v in old_veto if v not in new_veto],
        changes=changes)


STATUS = {"zh": {"pass": "通过", "warn": "警告", "fail": "不通过", "na": "不适用", "unknown": "无法判断",
                 "error": "检查出错", None: "—"},
          "en": {"pass": "pass", "warn": "warn", "fail": "fail", "na": "n/a", "unknown": "unknown",
                 "error": "error", None: "—"}}
VERDICT = {"zh": {"pass": "合格", "fail": "不合格", "unknown": "无法判断"},
           "en": {"pass": "PASS", "fail": "FAIL", "unknown": "UNDETERMINED"}}
UI = {
    "zh": {"title": "检查结果对比", "worse": "变差", "better": "改善", "new": "新增检查项", "removed": "已移除检查项",
           "changed": "状态变化", "score": "得分", "verdict": "结论", "veto_added": "新出现的单项否决",
           "veto_removed": "已消除的单项否决", "none": "没有变化", "old": "旧", "new_": "新", "check": "检查项",
           "status": "结果", "summary": "说明", "site": "网站", "regressions": "退步项", "unchanged": "项未变",
           "generated": "由 gov-audit 生成", "time": "检查时间（北京时间）", "category": "分类"},
    "en": {"title": "Audit comparison", "worse": "Worse", "better": "Better", "new": "New checks",
           "removed": "Removed checks", "changed": "Changed", "score": "Score", "verdict": "Verdict",
           "veto_added": "Veto items now failing", "veto_removed": "Veto items no longer failing",
           "none": "No change", "old": "old", "new_": "new", "check": "Check", "status": "Result",
           "summary": "Summary", "site": "Site", "regressions": "Regressions", "unchanged": "unchanged",
           "generated": "Generated by gov-audit", "time": "Audited (UTC+8)", "category": "Category"},
}


def format_text(d: ReportDiff, lang: str = "zh") -> str:
    S, U, V = STATUS[lang], UI[lang], VERDICT[lang]
    delta = d.score_delta
    lines = [f"{U['site']}: {d.new_site}" + (f" (was {d.old_site})" if d.old_site != d.new_site else ""),
             f"{U['score']}: {d.old_score} → {d.new_score}" + (f" ({delta:+.1f})" if delta is not None else ""),
             f"{U['verdict']}: {V.get(d.old_verdict, d.old_verdict)} → {V.get(d.new_verdict, d.new_verdict)}"]
    if d.veto_added:
        lines.append(f"{U['veto_added']}: " + ", ".join(d.veto_added))
    if d.veto_removed:
        lines.append(f"{U['veto_removed']}: " + ", ".join(d.veto_removed))
    for kind, mark in (("worse", "-"), ("new", "*"), ("better", "+"), ("changed", "~"), ("removed", "x")):
        rows = d.of(kind)
        if not rows:
            continue
        lines.append(f"{U[kind]} ({len(rows)}):")
        for c in rows:
            veto = " [veto]" if c.veto else ""
            summary = _line(_t(c.summary, lang))
            lines.append(f"  {mark} {c.id}{veto}: {S.get(c.old, c.old)} → {S.get(c.new, c.new)}"
                         + (f" — {summary}" if summary else ""))
    same = len(d.of("same"))
    if same:
        lines.append(f"{same} {U['unchanged']}")
    if not any(c.kind != "same" for c in d.changes) and not d.veto_added and not d.veto_removed:
        lines.append(U["none"])
    return "\n".join(lines)


def render_diff_html(d: ReportDiff, lang: str = "zh") -> str:
    from importlib import resources

    from reports.report import _beijing_time, _env

    env = _env()
    env.filters["t"] = lambda value: _t(value, lang)
    env.filters["local_time"] = _beijing_time
    css = resources.files("reports").joinpath("templates/scorecard.css").read_text("utf-8")
    groups = [(kind, d.of(kind)) for kind in ("worse", "new", "better", "changed", "removed")]
    return env.get_template("diff.html.j2").render(
        d=d, lang=lang, ui=UI[lang], status_text=STATUS[lang], verdict_text=VERDICT[lang], css=css,
        groups=[(k, rows) for k, rows in groups if rows], same=len(d.of("same")),
        regressions=d.regressions())
