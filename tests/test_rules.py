"""Every check cites a rule of docs/rules.md; rules have effective dates; nothing cites the internal digest."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from auditor.checking.check import Clause, Result, Status, T, check
from auditor.checking.profile import load_profile
from auditor.checking.registry import discover
from auditor.checking.runner import run_checks
from servers import page

ROOT = Path(__file__).resolve().parent.parent
RULES_MD = ROOT / "docs" / "rules.md"
ANCHOR = re.compile(r'<a id="(R-[a-z0-9-]+)"></a>')


def rule_sections() -> dict[str, str]:
    """docs/rules.md split by rule anchor: anchor -> the text of its section."""
    text = RULES_MD.read_text("utf-8")
    marks = list(ANCHOR.finditer(text))
    return {m.group(1): text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)]
            for i, m in enumerate(marks)}


CHECKS = sorted(discover().checks.values(), key=lambda c: c.id)


def test_rules_document_has_unique_anchors():
    anchors = ANCHOR.findall(RULES_MD.read_text("utf-8"))
    assert len(anchors) == len(set(anchors)) and len(anchors) >= 30


@pytest.mark.parametrize("chk", CHECKS, ids=[c.id for c in CHECKS])
def test_every_check_cites_a_rule_in_docs(chk):
    clause = chk.clause
    assert clause.document.strip(), "clause needs the official document"
    assert clause.article.strip(), "clause needs the article/section/item"
    assert clause.rule, "clause needs its docs/rules.md anchor (rule=)"
    sections = rule_sections()
    assert clause.rule in sections, f"{clause.rule} is not an anchor in docs/rules.md"
    section = sections[clause.rule]
    # The rule's section lists this check, states the same date and the same certainty.
    assert f"`{chk.id}`" in section, f"docs/rules.md#{clause.rule} does not list {chk.id}"
    assert clause.effective and f"**Effective:** {clause.effective}" in section
    # An earlier document that already required the same is named with its date.
    assert not clause.since or f"**In force since:** {clause.since}" in section
    assert clause.confidence in section.split("**Certainty:**", 1)[1].splitlines()[0]
    # A quotation in the metadata is the rule's quotation (or a part of it), never new wording.
    for part in filter(None, re.split(r"……", clause.quote)):
        assert part.strip("“”") in section, f"{chk.id}: quote not found in docs/rules.md#{clause.rule}"


def test_summary_totals_match_the_sections():
    text = RULES_MD.read_text("utf-8")
    marks = [s.split("**Certainty:**", 1)[1].strip()[0] for s in rule_sections().values()]
    total = re.search(r"Totals: (\d+) rules — ✅ (\d+), 🟡 (\d+), ❓ (\d+)\.", text)
    assert total, "docs/rules.md states its totals"
    assert [int(n) for n in total.groups()] == [len(marks), marks.count("✅"), marks.count("🟡"), marks.count("❓")]


# What users read: code (docstrings, metadata), profiles, templates, docs, README.
USER_FACING = ("auditor", "checks", "reports", "docs", "README.md", "pyproject.toml")
DIGEST = re.compile(r"rules[ -]digest|digest\s*§|规则摘要|§\s*\d", re.IGNORECASE)


def test_no_reference_to_the_internal_digest():
    found = []
    for name in USER_FACING:
        base = ROOT / name
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()]
        for path in files:
            if path.suffix not in {".py", ".md", ".toml", ".j2", ".json", ".css", ".html", ".txt"}:
                continue
            for n, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
                if DIGEST.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not found, "cite the official document and clause (docs/rules.md), not the digest:\n" + "\n".join(found)


def test_no_check_metadata_mentions_the_digest():
    for chk in CHECKS:
        text = repr(chk.meta_json()) + chk.remediation.zh + chk.remediation.en
        assert not DIGEST.search(text), chk.id


def test_clause_validates_its_fields():
    with pytest.raises(ValueError):
        Clause("《某文件》", "第一条", effective="2019/05/15")
    with pytest.raises(ValueError):
        Clause("《某文件》", "第一条", confidence="?")
    c = Clause("《某文件》", "第一条", effective="2019-05-15", rule="R-x", quote="原文")
    assert c.to_json()["effective"] == "2019-05-15" and c.to_json()["rule"] == "R-x"
    assert c.in_force(date(2019, 5, 15)) and not c.in_force(date(2019, 5, 14))


# --- Effective dates: the runner makes a check whose rule was not yet in force 'na'. ---

@check(id="test.dated", title=T("测试", "test"), category="other",
       clause=Clause("《测试文件》", "第一条", effective="2021-04-07", rule="R-test"))
def _dated(snap, profile):
    return Result.failed(T("不合格", "failed"))


def _snapshot(as_of):
    return SimpleNamespace(homepage=None, facts={}, stats={}, stop_reason=None, as_of=as_of)


def test_check_before_its_rule_took_effect_is_na():
    profile = load_profile(None)
    [run] = run_checks([_dated], _snapshot(date(2021, 4, 6)), profile)
    assert run.result.status == Status.NA
    assert "规则尚未施行" in run.result.summary.zh and "2021-04-07" in run.result.summary.zh
    assert "not yet in force" in run.result.summary.en
    assert run.result.details["effective"] == "2021-04-07"


@check(id="test.carried-over", title=T("测试", "test"), category="other",
       clause=Clause("《测试文件》", "第一条", effective="2019-04-01", since="2015-03-11", rule="R-test"))
def _carried_over(snap, profile):
    return Result.failed(T("不合格", "failed"))


def test_a_rule_an_earlier_document_already_had_applies_from_that_date():
    """The 2019 vetoes were the 2015 census's too: a 2018 copy is judged, not 'not yet in force'."""
    profile = load_profile(None)
    [run] = run_checks([_carried_over], _snapshot(date(2018, 7, 28)), profile)
    assert run.result.status == Status.FAIL
    [run] = run_checks([_carried_over], _snapshot(date(2015, 3, 10)), profile)
    assert run.result.status == Status.NA and "2015-03-11" in run.result.summary.zh
    with pytest.raises(ValueError):
        Clause("《测试文件》", "第一条", effective="2015-01-01", since="2019-01-01")


def test_check_on_and_after_its_effective_date_runs():
    profile = load_profile(None)
    for day in (date(2021, 4, 7), date(2026, 1, 1)):
        [run] = run_checks([_dated], _snapshot(day), profile)
        assert run.result.status == Status.FAIL, day


def test_as_of_before_the_revised_regulation_makes_its_checks_na(audit_site):
    """The 2019 revised 政府信息公开条例 took effect on 2019-05-15: audited as of an earlier
    day, a check only it requires is not applicable; a rule the 2008 条例 already made (the
    guide, 第十九条) and a rule long in force (ICP, 2005) are still judged."""
    routes = {"/": page("示例市人民政府", '<a href="/xxgk/">政府信息公开</a>' + "<p>" + "政务信息" * 50 + "</p>")}
    out = audit_site(routes, only=["disclosure.key-areas", "disclosure.guide", "identity.icp"],
                     as_of=date(2019, 5, 14), out=False)
    by_id = {c["id"]: c for c in out.report["checks"]}
    areas = by_id["disclosure.key-areas"]
    assert areas["status"] == "na", areas["summary"]
    assert "2019-05-15" in areas["summary"]["zh"] and areas["details"]["not_in_force"] is True
    guide = by_id["disclosure.guide"]
    assert guide["status"] != "na", guide["summary"]
    assert guide["clause"]["effective"] == "2019-05-15" and guide["clause"]["since"] == "2008-05-01"
    assert by_id["identity.icp"]["status"] == "fail"  # the ICP rule (2005) was in force: judged
    before = audit_site(routes, only=["disclosure.guide"], as_of=date(2008, 4, 30), out=False)
    old = before.report["checks"][0]
    assert old["status"] == "na" and "2008-05-01" in old["summary"]["zh"], old["summary"]


def test_scorecard_details_quote_the_clause(audit_site):
    """Each finding's details name the document and clause, quote the requirement and give its date."""
    from reports.report import render_html
    routes = {"/": page("示例市人民政府", "<p>" + "政务信息" * 50 + "</p>")}
    out = audit_site(routes, only=["identity.icp", "identity.footer"], as_of=date(2026, 11, 20), out=False)
    for lang in ("zh", "en"):
        html = render_html(out.report, lang=lang)
        assert "《非经营性互联网信息服务备案管理办法》（信息产业部令第33号）" in html
        assert "“非经营性互联网信息服务提供者应当在其网站开通时在主页底部的中央位置标明其备案编号" in html
        assert "2005-03-20" in html and "R-footer-icp" in html
    zh = render_html(out.report, lang="zh")
    # A rule whose wording was not found says so instead of quoting.
    assert "未取得该条款的官方原文" in zh and "R-footer-sponsor-contact" in zh
    icp = next(c for c in out.report["checks"] if c["id"] == "identity.icp")
    assert icp["clause"]["quote"].startswith("非经营性互联网信息服务提供者")


def test_junit_failure_body_quotes_the_clause():
    from reports.junit import render_junit
    report = {"site": {"url": "http://example.gov.cn/"}, "finished_at": "2026-11-20T00:00:00+00:00",
              "checks": [{"id": "identity.icp", "category": "identity", "status": "fail", "veto": False,
                          "title": {"zh": "ICP 备案编号", "en": "ICP"}, "summary": {"zh": "未找到", "en": "none"},
                          "clause": next(c for c in CHECKS if c.id == "identity.icp").clause.to_json(),
                          "evidence": [], "remediation": None, "weight": 1, "details": {}}]}
    xml = render_junit(report, "zh")
    assert "第十三条" in xml and "主页底部的中央位置标明其备案编号" in xml and "施行日期: 2005-03-20" in xml
