"""gov-audit diff and audit --baseline: what got worse, what got better."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reports.diff import DiffError, diff_reports, format_text, load_report, render_diff_html
from servers import LoopbackSite, page
from test_ci_outputs import _check, crafted_report

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def _pair():
    old = crafted_report()
    old["veto"] = {"failed": False, "checks": []}
    old["verdict"], old["score"] = "pass", 75.0
    by_id = {c["id"]: c for c in old["checks"]}
    by_id["site.uptime"]["status"] = "pass"
    by_id["identity.icp"]["status"] = "warn"
    old["checks"].append(_check("identity.retired", "fail"))
    new = crafted_report()  # veto site.uptime fails, identity.icp fails, verdict fail, score 55
    by_new = {c["id"]: c for c in new["checks"]}
    by_new["identity.psb"]["status"] = "pass"  # warn -> pass: better
    by_new["search.works"]["status"] = "na"  # unknown -> na: changed, same rank
    by_new["privacy.personal-data"]["status"] = "warn"  # na -> warn: better
    new["checks"].append(_check("identity.brand-new", "fail", summary="新检查项 <b>x</b>"))
    return old, new


def test_diff_ranks_statuses_and_finds_new_and_removed():
    old, new = _pair()
    d = diff_reports(old, new)
    kinds = {c.id: c.kind for c in d.changes}
    assert kinds["site.uptime"] == "worse" and kinds["identity.icp"] == "worse"
    assert kinds["identity.psb"] == "better" and kinds["privacy.personal-data"] == "better"
    assert kinds["search.works"] == "changed"
    assert kinds["identity.brand-new"] == "new" and kinds["identity.retired"] == "removed"
    assert kinds["site.available"] == "same" and kinds["links.site"] == "same"
    assert d.score_delta == -20.0
    assert d.veto_added == ["site.uptime"] and d.veto_removed == []
    assert d.verdict_worse
    # Worse first, veto items first within a kind.
    assert [c.id for c in d.changes[:2]] == ["site.uptime", "identity.icp"]
    regressions = d.regressions()
    assert regressions[0].startswith("verdict went from pass to fail")
    assert "veto item site.uptime now fails" in regressions
    assert any(r.startswith("identity.icp: warn → fail") for r in regressions)
    assert not any("site.uptime:" in r for r in regressions)  # said once, as the veto
    # Status order: pass > warn > na/unknown > fail
    for a, b, kind in [("pass", "warn", "worse"), ("warn", "unknown", "worse"), ("na", "fail", "worse"),
                       ("error", "fail", "worse"), ("fail", "unknown", "better"), ("unknown", "error", "changed")]:
        o, n = copy.deepcopy(old), copy.deepcopy(old)
        o["checks"] = [_check("a.b", a)]
        n["checks"] = [_check("a.b", b)]
        assert diff_reports(o, n).changes[0].kind == kind, (a, b)


def test_reverse_diff_is_all_improvement():
    old, new = _pair()
    d = diff_reports(new, old)
    assert not d.worse or all(c.kind != "worse" for c in d.changes if c.id in ("site.uptime", "identity.icp"))
    assert d.veto_removed == ["site.uptime"] and d.score_delta == 20.0
    assert not any(r.startswith("verdict") for r in d.regressions())


def test_text_and_html(tmp_path):
    old, new = _pair()
    d = diff_reports(old, new)
    text = format_text(d, "en")
    assert "Score: 75.0 → 55.0 (-20.0)" in text and "Verdict: PASS → FAIL" in text
    assert "Veto items now failing: site.uptime" in text
    assert "  - identity.icp: warn → fail" in text and "  + identity.psb: warn → pass" in text
    assert "  * identity.brand-new: — → fail" in text and "  x identity.retired: fail → —" in text
    html = render_diff_html(d, "zh")
    assert "<script" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert 'href="javascript:' not in html and 'src="http' not in html
    assert "变差" in html and "-20.0" in html


def test_load_report_rejects_what_is_not_a_report(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(DiffError, match="not JSON"):
        load_report(bad)
    bad.write_text(json.dumps({"hello": 1}), "utf-8")
    with pytest.raises(DiffError, match="not a gov-audit report"):
        load_report(bad)
    with pytest.raises(DiffError, match="no such file"):
        load_report(tmp_path / "missing.json")
    r = crafted_report()
    r["schema_version"] = "2.0"
    bad.write_text(json.dumps(r), "utf-8")
    with pytest.raises(DiffError, match="schema"):
        load_report(bad)


def test_diff_command(tmp_path):
    old, new = _pair()
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new, ensure_ascii=False), "utf-8")
    html = tmp_path / "diff.html"
    proc = _cli("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--html", str(html))
    assert proc.returncode == 0, proc.stderr
    assert "得分: 75.0 → 55.0 (-20.0)" in proc.stdout and html.is_file()
    proc = _cli("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--fail-on-regression")
    assert proc.returncode == 1
    assert "gov-audit: regression: veto item site.uptime now fails" in proc.stderr
    assert "\x00" not in proc.stderr and "\x1b" not in proc.stderr  # site text is cleaned for the terminal
    proc = _cli("diff", str(tmp_path / "new.json"), str(tmp_path / "old.json"), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["score_delta"] == 20.0 and data["veto_removed"] == ["site.uptime"]
    assert not any("site.uptime" in r or r.startswith("verdict") for r in data["regressions"])
    proc = _cli("diff", str(tmp_path / "old.json"), str(tmp_path / "old.json"), "--fail-on-regression")
    assert proc.returncode == 0 and "8 项未变" in proc.stdout and "没有变化" in proc.stdout
    proc = _cli("diff", str(tmp_path / "old.json"), str(tmp_path / "nope.json"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and "nope.json" in proc.stderr


GOOD = ("<p>" + "示例市人民政府门户网站。" * 30 + "</p><a href='/a'>a</a>"
        "<div class='footer'>主办单位：示例市人民政府办公室 联系电话：0531-12345678 鲁ICP备12345678号-1</div>")


def test_audit_baseline_gates_only_on_regressions(tmp_path):
    site = LoopbackSite({"/": page("示例市人民政府", GOOD), "/a": page("a", "<p>x</p>")}).start()
    # The gate is what is tested, not the browser: --render never keeps each of the five audits short.
    try:
        base = tmp_path / "base"
        proc = _cli("audit", site.url, "--out", str(base), "--rate", "200", "--render", "never", "--quiet")
        assert proc.returncode == 0, proc.stderr
        baseline = base / "report.json"
        # The same site again: nothing got worse, so even --fail-on fail passes (identity checks fail in both).
        proc = _cli("audit", site.url, "--out", str(tmp_path / "same"), "--rate", "200", "--render", "never", "--baseline",
                    str(baseline), "--fail-on", "fail")
        assert proc.returncode == 0, proc.stderr
        assert "baseline: 0 worse" in proc.stdout
        # The footer goes away: identity checks that passed now fail -> regression, exit 1.
        site.routes["/"] = page("示例市人民政府", "<p>" + "示例市人民政府门户网站。" * 30 + "</p>")
        proc = _cli("audit", site.url, "--out", str(tmp_path / "worse"), "--rate", "200", "--render", "never", "--baseline",
                    str(baseline), "--quiet")
        assert proc.returncode == 1, (proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert lines and all(line.startswith("gov-audit: regression: ") for line in lines)
        assert any("identity.icp: pass → fail" in line for line in lines)
        # Without --baseline the classic gate is unchanged.
        proc = _cli("audit", site.url, "--out", str(tmp_path / "plain"), "--rate", "200", "--render", "never", "--quiet")
        assert proc.returncode == 0
        # A baseline that is not a report: exit 2 before anything is fetched.
        (tmp_path / "junk.json").write_text("[]", "utf-8")
        hits = len(site.hits())
        proc = _cli("audit", site.url, "--out", str(tmp_path / "x"), "--baseline", str(tmp_path / "junk.json"))
        assert proc.returncode == 2 and "--baseline" in proc.stderr and len(site.hits()) == hits
    finally:
        site.stop()
