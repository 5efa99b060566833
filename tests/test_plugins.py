"""Checks register through the gov_audit.checks entry-point group, third-party ones too,
and a check that raises becomes 'error' while the audit goes on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from servers import LoopbackSite, page

ROOT = Path(__file__).resolve().parent.parent

PLUGIN = textwrap.dedent('''
    from auditor.checking.check import Clause, Result, T, check

    @check(id="thirdparty.boom", title=T("会出错的检查", "A check that raises"), category="other",
           clause=Clause("测试文件", "第一条"), weight=1)
    def BOOM(snap, profile):
        raise RuntimeError("plugin bug")

    @check(id="thirdparty.title", title=T("标题检查", "Title check"), category="other",
           clause=Clause("测试文件", "第二条"), weight=1)
    def TITLE(snap, profile):
        return Result.passed(T("标题：" + snap.homepage.title, "title: " + snap.homepage.title))

    CALLS = []

    def gather_pages(snap, ctx):
        CALLS.append(1)
        return {"count": len(snap.pages), "calls": len(CALLS)}

    def gather_broken(snap, ctx):
        raise OSError("resolver unreachable")

    @check(id="thirdparty.uses-fact", title=T("用采集数据", "Uses a fact"), category="other",
           clause=Clause("测试文件", "第三条"), gatherers=("thirdparty.pages",))
    def USES(snap, profile):
        fact = snap.facts["thirdparty.pages"]
        return Result.passed(T(f"{fact['count']} 页，采集 {fact['calls']} 次", f"{fact['count']} pages, gathered {fact['calls']}x"))

    @check(id="thirdparty.uses-fact-too", title=T("也用采集数据", "Uses it too"), category="other",
           clause=Clause("测试文件", "第四条"), gatherers=("thirdparty.pages",))
    def USES_TOO(snap, profile):
        return Result.passed(T(str(snap.facts["thirdparty.pages"]["calls"])))

    @check(id="thirdparty.needs-broken", title=T("依赖坏采集器", "Needs a broken gatherer"), category="other",
           clause=Clause("测试文件", "第五条"), gatherers=("thirdparty.broken-gatherer",))
    def NEEDS_BROKEN(snap, profile):
        raise AssertionError("must not run")
''')


def make_distribution(tmp_path: Path) -> Path:
    """An installed distribution as importlib.metadata sees one: a module plus .dist-info."""
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "gov_audit_thirdparty.py").write_text(PLUGIN, "utf-8")
    info = site / "gov_audit_thirdparty-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gov-audit-thirdparty\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[gov_audit.checks]\n"
        "thirdparty.boom = gov_audit_thirdparty:BOOM\n"
        "thirdparty.title = gov_audit_thirdparty:TITLE\n"
        "thirdparty.uses-fact = gov_audit_thirdparty:USES\n"
        "thirdparty.uses-fact-too = gov_audit_thirdparty:USES_TOO\n"
        "thirdparty.needs-broken = gov_audit_thirdparty:NEEDS_BROKEN\n"
        "thirdparty.broken = gov_audit_thirdparty_missing:X\n"
        "[gov_audit.gatherers]\n"
        "thirdparty.pages = gov_audit_thirdparty:gather_pages\n"
        "thirdparty.broken-gatherer = gov_audit_thirdparty:gather_broken\n")
    return site


def run_cli(args, site_packages: Path):
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(site_packages), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=60, env=env, cwd=ROOT)


def test_third_party_checks_are_listed(tmp_path):
    site = make_distribution(tmp_path)
    proc = run_cli(["checks", "--json"], site)
    assert proc.returncode == 0, proc.stderr
    ids = {c["id"] for c in json.loads(proc.stdout)}
    assert {"thirdparty.boom", "thirdparty.title", "identity.icp"} <= ids
    # A plugin that cannot be imported is reported, not fatal.
    assert "thirdparty.broken" in proc.stderr and "Traceback" not in proc.stderr


def test_raising_check_becomes_error_and_audit_goes_on(tmp_path):
    site = make_distribution(tmp_path)
    with LoopbackSite({"/": page("示例市人民政府", "<p>" + "文字" * 200 + "</p>")}) as web:
        proc = run_cli(["audit", web.url, "--out", str(tmp_path / "out"), "--rate", "200",
                        "--only", "thirdparty.*", "--quiet"], site)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    by_id = {c["id"]: c for c in report["checks"]}
    assert by_id["thirdparty.boom"]["status"] == "error"
    assert "plugin bug" in by_id["thirdparty.boom"]["summary"]["en"]
    assert by_id["thirdparty.title"]["status"] == "pass"
    assert "示例市人民政府" in by_id["thirdparty.title"]["summary"]["zh"]
    # A gatherer runs once however many checks read its facts.
    assert by_id["thirdparty.uses-fact"]["status"] == "pass"
    assert "gathered 1x" in by_id["thirdparty.uses-fact"]["summary"]["en"]
    assert by_id["thirdparty.uses-fact-too"]["summary"]["zh"] == "1"
    # A gatherer that fails makes its checks 'unknown' with the reason, never 'error' or 'fail'.
    assert by_id["thirdparty.needs-broken"]["status"] == "unknown"
    assert "resolver unreachable" in by_id["thirdparty.needs-broken"]["summary"]["en"]
    # An error is neither a pass nor a fail: the score counts only the judged checks.
    assert report["score"] == 100.0


def test_builtin_checks_come_from_entry_points():
    from importlib.metadata import entry_points

    from auditor.checking.registry import discover

    reg = discover(include_builtin_scan=False)
    names = {ep.name for ep in entry_points(group="gov_audit.checks")}
    if "identity.icp" not in names:
        import pytest

        pytest.skip("gov-audit is not installed (pip install -e .); entry points unavailable")
    assert "identity.icp" in reg.checks
