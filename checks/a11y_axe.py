"""a11y.axe — axe-core's WCAG 2.x A/AA rules on the rendered homepage.

GB/T 37668-2019 builds on WCAG 2.0/2.1 (一级 ≈ A, 二级 ≈ AA; rules digest §2.9), so
axe-core's automated rules are a proxy for its testable indicators. Violations are
grouped by impact (critical, serious, moderate, minor) with the WCAG success
criteria they map to. A violation whose impact is in the check setting
``fail_impacts`` (default critical) fails; serious or moderate ones warn.
Needs the ``render`` gatherer and the axe-playwright-python package.
"""
import re

from auditor.check import Clause, Evidence, Result, T, check

ID = "a11y.axe"
IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_ZH = {"critical": "严重", "serious": "较重", "moderate": "中等", "minor": "轻微"}
_SC = re.compile(r"^wcag(\d)(\d)(\d+)$")


def criteria(tags) -> list[str]:
    """WCAG success criteria of an axe rule: tag wcag143 → 1.4.3."""
    return [".".join(m.groups()) for m in map(_SC.match, tags) if m]


@check(
    id=ID,
    title=T("无障碍自动检测（axe-core）", "Automated accessibility test (axe-core)"),
    category="accessibility",
    clause=Clause("GB/T 37668-2019《信息技术 互联网内容无障碍可访问性技术要求与测试方法》",
                  "一级/二级（以 WCAG 2.x A/AA 自动规则为代理）", confidence="🟡",
                  note="推荐性国家标准；axe-core 规则映射 WCAG，仅覆盖可自动判定的部分（规则摘要 §2.9）"),
    weight=2,
    description=T("用 axe-core 检测渲染后的首页，按影响程度汇总 WCAG 2.x A/AA 违规。",
                  "axe-core on the rendered homepage: WCAG 2.x A/AA violations by impact."),
    remediation=T("按 axe-core 报告逐项整改：先处理“严重/较重”项（如缺少替代文本、对比度不足、控件无名称）。",
                  "Fix the axe-core findings, critical and serious first (missing alt text, contrast, unnamed controls)."),
    gatherers=("render",),
)
def run(snap, profile):
    facts = snap.facts.get("render")
    if not isinstance(facts, dict) or facts.get("state") != "done":
        why = "未渲染页面（--render never）" if isinstance(facts, dict) and facts.get("state") == "disabled" \
            else "首页未能在浏览器中打开"
        return Result.unknown(T(f"{why}，无法运行 axe-core", "the homepage was not rendered; axe-core not run"))
    home = facts["homepage"]
    axe = home.get("axe") or {}
    if axe.get("state") != "done":
        reason = "未安装 axe-playwright-python（pip install 'gov-audit[render]'）" if axe.get("state") == "not-installed" \
            else f"axe-core 运行出错：{axe.get('error')}"
        return Result.unknown(T(reason, f"axe-core not run: {axe.get('state')} {axe.get('error') or ''}".strip()))
    violations = axe["violations"]
    url = home.get("final_url") or home["url"]
    by_impact = {i: [] for i in IMPACTS}
    for v in violations:
        by_impact.setdefault(v["impact"], []).append(v)
    groups = {i: [{"id": v["id"], "count": v["count"], "wcag": criteria(v["tags"]), "help": v["help"]}
                  for v in vs] for i, vs in by_impact.items() if vs}
    details = {"by_impact": groups, "axe_version": axe.get("version", "")}
    if not violations:
        return Result.passed(T("axe-core 未发现 WCAG 2.x A/AA 违规（自动规则）",
                               "axe-core found no WCAG 2.x A/AA violations (automated rules)"), **details)
    evidence = []
    for impact in IMPACTS:
        for v in by_impact.get(impact, ()):
            sc = "、".join(criteria(v["tags"])) or "—"
            node = v["nodes"][0] if v["nodes"] else {}
            evidence.append(Evidence(url, node.get("html") or node.get("target") or "",
                                     T(f"[{IMPACT_ZH.get(impact, impact)}] {v['id']}（WCAG {sc}）：{v['help']}，{v['count']} 处",
                                       f"[{impact}] {v['id']} (WCAG {sc}): {v['help']}, {v['count']} elements")))
    counts_zh = "，".join(f"{IMPACT_ZH[i]} {len(by_impact[i])} 类" for i in IMPACTS if by_impact.get(i))
    counts_en = ", ".join(f"{len(by_impact[i])} {i}" for i in IMPACTS if by_impact.get(i))
    summary = T(f"axe-core 发现 {len(violations)} 类 WCAG 违规：{counts_zh}", f"axe-core: {len(violations)} rules violated: {counts_en}")
    fail_impacts = profile.check_setting(ID, "fail_impacts", ["critical"]) or []
    if any(by_impact.get(i) for i in fail_impacts):
        return Result.failed(summary, evidence, **details)
    if by_impact.get("serious") or by_impact.get("moderate"):
        return Result.warned(summary, evidence, **details)
    return Result.passed(summary, evidence, **details)
