"""The runner, not the checks, turns missing gatherer facts into 'unknown' (issue 11), and the
gatherers' facts reach the checks beside the snapshot, which is never written after the crawl."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from auditor.checking.check import Clause, Result, Status, T, check
from auditor.checking.profile import load_profile
from auditor.checking.runner import run_checks
from auditor.gather.base import Audited, GatherError

CALLS: list[str] = []


@check(id="test.needs-probe", title=T("测试", "test"), category="other", clause=Clause("《测试文件》"),
       gatherers=("probe",))
def _needs_probe(snap, profile):
    CALLS.append("needs")
    return Result.passed(T(f"探测 {snap.facts['probe']['n']} 次", f"{snap.facts['probe']['n']} probes"))


@check(id="test.optional-probe", title=T("测试", "test"), category="other", clause=Clause("《测试文件》"),
       gatherers=("probe",), optional=("probe",))
def _optional_probe(snap, profile):
    CALLS.append("optional")
    return Result.passed(T("无需探测也可判断", "judged without the probe"))


class _Crawl(SimpleNamespace):
    """A stand-in for the crawl's snapshot (weak-referenceable, as the views' memo needs)."""

    __hash__ = object.__hash__


def _snapshot(facts=None, stop_reason=None):
    crawl = _Crawl(homepage=None, facts={}, stats={}, stop_reason=stop_reason, partial=False,
                   as_of=date(2026, 11, 20), start_url="http://127.0.0.1/")
    return Audited(crawl, facts)


def _run(chk, snap):
    CALLS.clear()
    [run] = run_checks([chk], snap, load_profile(None))
    return run.result


def test_facts_present_the_check_runs():
    result = _run(_needs_probe, _snapshot({"probe": {"n": 3}}))
    assert result.status == Status.PASS and CALLS == ["needs"]


def test_a_gatherer_that_did_not_run_is_unknown_without_calling_the_check():
    result = _run(_needs_probe, _snapshot())
    assert result.status == Status.UNKNOWN and CALLS == []
    assert "未采集 probe 数据" in result.summary.zh and "采集程序未运行" in result.summary.zh
    assert "the probe facts were not gathered (their gatherer did not run)" == result.summary.en
    assert result.details["not_gathered"] == "probe"


def test_an_interrupted_audit_says_so():
    crawl_stopped = _run(_needs_probe, _snapshot(stop_reason="interrupted"))
    assert crawl_stopped.status == Status.UNKNOWN and "检查被中断" in crawl_stopped.summary.zh
    assert "interrupted" in crawl_stopped.summary.en
    snap = Audited(_snapshot().snapshot, {}, interrupted=True)  # stopped while the gatherers ran
    assert "interrupted" in _run(_needs_probe, snap).summary.en


def test_a_failed_gatherer_is_unknown_with_its_error():
    result = _run(_needs_probe, _snapshot({"probe": GatherError("probe", "ConnectionRefusedError: refused")}))
    assert result.status == Status.UNKNOWN and CALLS == []
    assert "ConnectionRefusedError: refused" in result.summary.zh and "(probe)" in result.summary.en


def test_an_optional_gatherer_that_did_not_run_leaves_the_check_to_judge():
    assert _run(_optional_probe, _snapshot()).status == Status.PASS and CALLS == ["optional"]
    # … but a failed one is still unknown: its error is worth reading
    assert _run(_optional_probe, _snapshot({"probe": GatherError("probe", "boom")})).status == Status.UNKNOWN


def test_optional_gatherers_must_be_declared():
    with pytest.raises(ValueError):
        check(id="test.bad", title=T("测试", "test"), category="other", clause=Clause("《测试文件》"),
              gatherers=("a",), optional=("b",))


def test_no_builtin_check_guards_against_missing_facts_itself():
    """`not_gathered` guards are gone: the runner says unknown first. (Facts a check declares
    optional may still be absent, and the check reads them with .get.)"""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "checks"
    bad = [f"{p.name}:{n}" for p in sorted(root.glob("*.py"))
           for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
           if "not_gathered" in line or 'else "missing"' in line]
    assert bad == []


def test_the_audited_snapshot_is_not_written_and_shares_the_views_memo():
    from auditor.views.cache import computed, view

    @view
    def count_pages(snap):
        return len(snap.stats)

    base = _snapshot().snapshot
    early, late = Audited(base, {}), Audited(base, {"probe": {"n": 1}})
    count_pages(early)
    assert computed(late) == computed(base) == 1  # one memo per crawl, whichever Audited asks
    with pytest.raises(AttributeError):
        late.facts = {}
    with pytest.raises(TypeError):
        late.facts["probe"] = {}
    assert late.as_of == date(2026, 11, 20) and late.snapshot is base


def test_an_audit_leaves_the_snapshot_as_the_crawl_made_it(audit_site):
    from servers import page

    site = {"/": page("示例市人民政府", "<p>首页</p>")}
    out = audit_site(site, only=["https.enabled", "identity.icp"], as_of=date(2026, 11, 20), out=False)
    crawl = out.snapshot.snapshot
    assert dict(crawl.facts) == {} and crawl.as_of == date(2026, 11, 20)
    assert "https" in out.snapshot.facts and "https" in out.snapshot.gather_timing
    assert out.report["as_of"] == "2026-11-20"


def test_no_view_reads_the_gatherers_facts():
    """Views are memoised per crawl snapshot (shared by both Audited objects of an audit), so a
    view must read the crawl only; a gatherer's facts reach a view as a parameter."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "auditor" / "views"
    bad = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in ("facts", "gather_timing")
                    and isinstance(node.value, ast.Name) and node.value.id in ("snap", "snapshot")):
                bad.append(f"{path.name}:{node.lineno}")
    assert bad == []
