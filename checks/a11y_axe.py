"""a11y.axe — axe-core's WCAG 2.x A/AA rules on the rendered homepage and a sample of pages.

The sample (the ``axe`` gatherer): the first columns and some article pages, sizes
set by the check settings ``sample_columns`` and ``sample_articles`` (2 and 2).

GB/T 37668-2019 builds on WCAG 2.0/2.1 (一级 ≈ A, 二级 ≈ AA; docs/rules.md#R-a11y-gbt37668), so
axe-core's automated rules are a proxy for its testable indicators. Violations are
grouped by impact (critical, serious, moderate, minor) with the WCAG success
criteria they map to. A violation whose impact is in the check setting
``fail_impacts`` (default critical) fails; serious or moderate ones warn.
Needs the ``render`` gatherer and the axe-playwright-python package.
"""
import re

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check

ID = "a11y.axe"
IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_ZH = {"critical": "严重", "serious": "较重", "moderate": "中等", "minor": "轻微"}
_SC = re.compile(r"^wcag(\d)(\d)(\d+)$")


def _rank(impact: str) -> int:
    return IMPACTS.index(impact) if impact in IMPACTS else len(IMPACTS)


def gbt_level(tags) -> str:
    """GB/T 37668 level an axe rule stands for: WCAG A → 一级, AA → 二级 (docs/rules.md#R-a11y-gbt37668)."""
    tags = set(tags)
    if tags & {"wcag2a", "wcag21a"}:
        return "一级"
    if tags & {"wcag2aa", "wcag21aa"}:
        return "二级"
    return "—"


def criteria(tags) -> list[str]:
    """WCAG success criteria of an axe rule: tag wcag143 → 1.4.3."""
    return [".".join(m.groups()) for m in map(_SC.match, tags) if m]


@check(
    id=ID,
    title=T("无障碍自动检测（axe-core）", "Automated accessibility test (axe-core)"),
    category="accessibility",
    clause=Clause("GB/T 37668-2019《信息技术 互联网内容无障碍可访问性技术要求与测试方法》",
                  "一级/二级（以 WCAG 2.x A/AA 自动规则为代理）",
                  confidence="🟡", effective="2020-03-01", rule="R-a11y-gbt37668",
                  note="推荐性国家标准，原文未取得；axe-core 规则映射 WCAG，仅覆盖可自动判定的部分"),
    weight=2,
    description=T("用 axe-core 检测渲染后的首页及抽样的栏目页、文章页，按影响程度汇总 WCAG 2.x A/AA 违规。",
                  "axe-core on the rendered homepage and a sample of column and article pages: "
                  "WCAG 2.x A/AA violations by impact."),
    remediation=T("按 axe-core 报告逐项整改：先处理“严重/较重”项（如缺少替代文本、对比度不足、控件无名称）。",
                  "Fix the axe-core findings, critical and serious first (missing alt text, contrast, unnamed controls)."),
    gatherers=("render", "axe"),
    optional=("axe",),  # the sample of other pages; the homepage alone is judged without it
    settings={"sample_columns": Setting(2, "column pages the axe gatherer tests besides the homepage"),
              "sample_articles": Setting(2, "article pages the axe gatherer tests"),
              "fail_impacts": Setting(["critical"], "violation impacts that fail (serious and moderate ones warn)")},
    gatherer_settings={"axe": ("sample_columns", "sample_articles")},
)
def run(snap, profile, settings):
    facts = snap.facts["render"]
    if facts.get("state") != "done":
        why = "未渲染页面（--render never）" if facts.get("state") == "disabled" \
            else "首页未能在浏览器中打开"
        return Result.unknown(T(f"{why}，无法运行 axe-core", "the homepage was not rendered; axe-core not run"))
    home = facts["homepage"]
    axe = home.get("axe") or {}
    if axe.get("state") != "done":
        reason = "未安装 axe-playwright-python（pip install axe-playwright-python）" if axe.get("state") == "not-installed" \
            else f"axe-core 运行出错：{axe.get('error')}"
        return Result.unknown(T(reason, f"axe-core not run: {axe.get('state')} {axe.get('error') or ''}".strip()))
    # The homepage, then the sampled column and article pages (the axe gatherer).
    runs = [("homepage", home.get("final_url") or home["url"], axe)]
    sample = snap.facts.get("axe")
    skipped = []
    for rec in (sample.get("pages") or ()) if isinstance(sample, dict) else ():
        if (rec.get("axe") or {}).get("state") == "done":
            runs.append((rec.get("kind", "page"), rec.get("final_url") or rec["url"], rec["axe"]))
        else:
            skipped.append({"url": rec.get("url"), "why": rec.get("error") or (rec.get("axe") or {}).get("error")})
    rules: dict[str, dict] = {}
    for kind, url, result in runs:
        for v in result["violations"]:
            r = rules.setdefault(v["id"], {"id": v["id"], "impact": v["impact"], "help": v["help"],
                                           "tags": v["tags"], "count": 0, "pages": []})
            r["count"] += v["count"]
            r["pages"].append((kind, url, v))
            r["impact"] = min(r["impact"], v["impact"], key=_rank)  # the worst impact seen
    by_impact = {i: [] for i in IMPACTS}
    for r in rules.values():
        by_impact.setdefault(r["impact"], []).append(r)
    groups = {i: [{"id": r["id"], "count": r["count"], "wcag": criteria(r["tags"]), "help": r["help"],
                   "pages": [u for _, u, _ in r["pages"]]} for r in rs] for i, rs in by_impact.items() if rs}
    by_criterion: dict[str, list[str]] = {}
    for r in rules.values():
        for sc in criteria(r["tags"]) or ["—"]:
            by_criterion.setdefault(sc, []).append(r["id"])
    by_level: dict[str, list[str]] = {}
    for r in rules.values():
        by_level.setdefault(gbt_level(r["tags"]), []).append(r["id"])
    details = {"by_impact": groups, "by_criterion": dict(sorted(by_criterion.items())), "by_gbt_level": by_level,
               "axe_version": axe.get("version", ""),
               "pages": [{"kind": k, "url": u, "violations": len(a["violations"])} for k, u, a in runs],
               "pages_not_tested": skipped}
    n_pages = len(runs)
    scope_zh = "首页" if n_pages == 1 else f"首页及 {n_pages - 1} 个栏目/文章页"
    scope_en = "the homepage" if n_pages == 1 else f"the homepage and {n_pages - 1} column/article pages"
    if not rules:
        return Result.passed(T(f"axe-core 在{scope_zh}未发现 WCAG 2.x A/AA 违规（自动规则）",
                               f"axe-core found no WCAG 2.x A/AA violations on {scope_en} (automated rules)"), **details)
    evidence = []
    for impact in IMPACTS:
        for r in by_impact.get(impact, ()):
            sc = "、".join(criteria(r["tags"])) or "—"
            for kind, url, v in r["pages"][:3]:
                node = v["nodes"][0] if v["nodes"] else {}
                evidence.append(Evidence(url, node.get("html") or node.get("target") or "",
                                         T(f"[{IMPACT_ZH.get(impact, impact)}] {r['id']}（WCAG {sc}，GB/T 37668 {gbt_level(r['tags'])}）："
                                           f"{r['help']}，{v['count']} 处",
                                           f"[{impact}] {r['id']} (WCAG {sc}, GB/T 37668 level {gbt_level(r['tags'])}): "
                                           f"{r['help']}, {v['count']} elements")))
    counts_zh = "，".join(f"{IMPACT_ZH[i]} {len(by_impact[i])} 类" for i in IMPACTS if by_impact.get(i))
    counts_en = ", ".join(f"{len(by_impact[i])} {i}" for i in IMPACTS if by_impact.get(i))
    summary = T(f"axe-core 在{scope_zh}发现 {len(rules)} 类 WCAG 违规：{counts_zh}",
                f"axe-core on {scope_en}: {len(rules)} rules violated: {counts_en}")
    fail_impacts = settings["fail_impacts"] or []
    if any(by_impact.get(i) for i in fail_impacts):
        return Result.failed(summary, evidence, **details)
    if by_impact.get("serious") or by_impact.get("moderate"):
        return Result.warned(summary, evidence, **details)
    return Result.passed(summary, evidence, **details)
