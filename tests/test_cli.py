"""The command line: arguments, exit codes, gates, one-line errors, never a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.operations.cli import main
from servers import LoopbackSite, free_port_refusing, page

ROOT = Path(__file__).resolve().parent.parent
GOOD_FOOTER = "<div class='footer'>主办单位：示例市人民政府办公室 鲁ICP备12345678号-1</div>"
FILLER = "<p>" + "示例市人民政府门户网站信息。" * 30 + "</p>"


def run_cli(*args, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def one_line_error(proc):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr
    assert err.startswith("gov-audit:"), err
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("args, fragment", [
    (["audit"], "url"),
    (["audit", "http://127.0.0.1:1/", "--max-pages", "0"], "--max-pages"),
    (["audit", "http://127.0.0.1:1/", "--rate", "fast"], "--rate"),
    (["audit", "http://127.0.0.1:1/", "--rate", "-3"], "--rate"),
    (["audit", "http://127.0.0.1:1/", "--fail-under", "120"], "--fail-under"),
    (["audit", "http://127.0.0.1:1/", "--fail-on", "sometimes"], "--fail-on"),
    (["audit", "http://127.0.0.1:1/", "--lang", "fr"], "--lang"),
    (["audit", "http://127.0.0.1:1/", "--as-of", "yesterday"], "--as-of"),
    (["audit", "ftp://example.gov.cn/"], "http"),
    (["audit", "http://"], "address"),
    (["audit", "http://127.0.0.1:1/", "--profile", "no-such-profile"], "profile"),
    (["bogus-command"], "invalid choice"),
])
def test_bad_arguments_exit_2_with_one_line(args, fragment, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gov-audit: error:")
    assert len(err.splitlines()) == 1, err
    assert fragment.lower() in err.lower()


def test_bad_profile_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[thresholds\nx = ", "utf-8")
    assert main(["audit", "http://127.0.0.1:1/", "--profile", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and "Traceback" not in err


def test_profile_with_wrong_types_is_rejected(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "city"\n[keywords]\nsearch_labels = "搜索"\n', "utf-8")
    assert main(["audit", "http://127.0.0.1:1/", "--profile", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "keywords.search_labels" in capsys.readouterr().err


def test_unreachable_site_exits_2_and_still_writes_report(tmp_path):
    port = free_port_refusing()
    proc = run_cli("audit", f"http://127.0.0.1:{port}/", "--out", str(tmp_path), "--quiet")
    err = one_line_error(proc)
    assert "cannot audit" in err and "refused" in err
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["site"]["url"] == f"http://127.0.0.1:{port}/"


def test_out_path_that_is_a_file_is_refused(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["audit", "http://127.0.0.1:1/", "--out", str(f)]) == 2
    assert "not a folder" in capsys.readouterr().err


@pytest.fixture
def small_site():
    with LoopbackSite({
        "/": page("示例市人民政府", FILLER + "<a href='/a.html'>政府信息公开</a>" + GOOD_FOOTER),
        "/a.html": page("政府信息公开", FILLER),
    }) as s:
        yield s


def test_audit_writes_scorecard_and_json_and_exits_0(small_site, tmp_path, capsys):
    code = main(["audit", small_site.url, "--out", str(tmp_path), "--rate", "200", "--only", "identity.icp"])
    assert code == 0
    out = capsys.readouterr().out
    assert "scorecard.html" in out
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert [c["id"] for c in report["checks"]] == ["identity.icp"]
    assert report["checks"][0]["status"] == "pass"
    html = (tmp_path / "scorecard.html").read_text("utf-8")
    assert "<html lang=\"zh-CN\">" in html and "ICP" in html


def test_gates(small_site, tmp_path, capsys):
    base = ["audit", small_site.url, "--out", str(tmp_path), "--rate", "200", "--quiet"]
    # A site with no ICP number fails identity.icp.
    small_site.routes["/"] = page("示例市人民政府", FILLER + "<div class='footer'>主办单位：示例</div>")
    assert main(base + ["--only", "identity.icp", "--fail-on", "fail"]) == 1
    assert "gate failed" in capsys.readouterr().err
    assert main(base + ["--only", "identity.icp", "--fail-on", "veto"]) == 0
    assert main(base + ["--only", "identity.icp", "--fail-under", "0"]) == 0
    assert main(base + ["--only", "identity.icp", "--fail-under", "50"]) == 1
    capsys.readouterr()


def test_only_matching_nothing_is_an_error(small_site, tmp_path, capsys):
    assert main(["audit", small_site.url, "--out", str(tmp_path), "--only", "nope.*"]) == 2
    assert "no check" in capsys.readouterr().err


def test_english_scorecard(small_site, tmp_path, capsys):
    assert main(["audit", small_site.url, "--out", str(tmp_path), "--rate", "200", "--lang", "en",
                 "--only", "identity.*"]) == 0
    html = (tmp_path / "scorecard.html").read_text("utf-8")
    assert "<html lang=\"en\">" in html and "Government website audit" in html
    assert "results:" in capsys.readouterr().out


def test_checks_listing_json():
    proc = run_cli("checks", "--json")
    assert proc.returncode == 0, proc.stderr
    items = json.loads(proc.stdout)
    ids = {c["id"] for c in items}
    assert "identity.icp" in ids
    for c in items:
        assert c["title"]["zh"] and c["title"]["en"] and c["category"] and c["clause"]["document"]


def test_checks_listing_text(capsys):
    assert main(["checks"]) == 0
    assert "identity.icp" in capsys.readouterr().out


def test_python_m_auditor_is_the_same_command():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("gov-audit ")
