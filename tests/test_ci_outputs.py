"""CI outputs: JUnit XML (validated against the Jenkins/Ant junit-10 schema) and the Markdown summary."""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from reports.formats import parse_formats
from reports.junit import render_junit
from reports.markdown import md_escape, md_url, render_markdown
from servers import LoopbackSite, page

ROOT = Path(__file__).resolve().parent.parent
XSD = etree.XMLSchema(etree.parse(str(ROOT / "tests" / "data" / "junit.xsd")))
HOSTILE = '</failure><script>alert(1)</script> ]]> @all #12 | **bold** [x](javascript:alert(2)) \x00\x0b\x1b end'


def _check(cid, status, *, veto=False, category="identity", summary="说明", evidence=None, weight=1):
    return {"id": cid, "category": category, "status": status,
            "title": {"zh": f"标题 {cid}", "en": f"Title {cid}"},
            "clause": {"document": "《政府网站发展指引》", "article": "页面底部", "confidence": "✅", "note": ""},
            "summary": {"zh": summary, "en": summary}, "evidence": evidence or [],
            "remediation": {"zh": "整改", "en": "fix"} if status in ("fail", "warn") else None,
            "weight": weight, "veto": veto, "details": {"where": "x.py:1"} if status == "error" else {},
            "duration_ms": 1.5}


def crafted_report() -> dict:
    """A report with every status, a failed veto item and hostile text from 'the site'."""
    ev = [{"url": "http://www.example.gov.cn/a?b=1&c=<2>", "excerpt": HOSTILE, "note": {"zh": "首页", "en": "home"}},
          {"url": "javascript:alert(3)", "excerpt": "js", "note": {"zh": "", "en": ""}}]
    checks = [
        _check("site.available", "pass", category="availability"),
        _check("site.uptime", "fail", veto=True, category="availability", summary="占比 6.0%", evidence=ev),
        _check("identity.icp", "fail", summary=HOSTILE, evidence=ev),
        _check("identity.psb", "warn", summary="慢 " + HOSTILE, evidence=ev),
        _check("search.works", "unknown", category="search", summary="无法判断：脚本"),
        _check("privacy.personal-data", "na", category="privacy", summary="不适用"),
        _check("links.site", "error", category="links", summary="检查程序出错：KeyError: 'x'"),
    ]
    return {
        "schema_version": "1.1", "tool": {"name": "gov-audit", "version": "0.1.0"},
        "site": {"url": "http://www.example.gov.cn/", "homepage": "http://www.example.gov.cn/",
                 "title": "示例市 <script>x</script> @here"},
        "profile": {"name": "city", "level": "city", "description": ""},
        "started_at": "2026-11-20T01:00:00+00:00", "finished_at": "2026-11-20T01:01:00+00:00",
        "as_of": "2026-11-20", "partial": False, "stop_reason": None, "score": 55.0, "verdict": "fail",
        "pass_line": 60.0, "coverage": 0.8, "veto": {"failed": True, "checks": ["site.uptime"]},
        "counts": {"pass": 1, "warn": 1, "fail": 2, "na": 1, "unknown": 1, "error": 1},
        "categories": [], "checks": checks,
        "crawl": {"pages": 3, "errors": {}, "duration": 1.25, "requests": 4, "robots": {}}, "problems": [],
    }


def _validate(xml_text: str) -> etree._Element:
    doc = etree.fromstring(xml_text.encode("utf-8"))
    assert XSD.validate(doc), XSD.error_log
    return doc


def test_junit_validates_and_maps_every_status():
    report = crafted_report()
    doc = _validate(render_junit(report, "zh"))
    suite = doc.find("testsuite")
    cases = {c.get("name").split(":")[0]: c for c in suite.findall("testcase")}
    assert len(cases) == len(report["checks"]) == int(suite.get("tests"))
    assert suite.get("failures") == "2" and suite.get("errors") == "1" and suite.get("skipped") == "2"
    assert cases["site.uptime"].get("classname") == "availability"
    assert cases["site.uptime"].get("name") == "site.uptime: 标题 site.uptime"
    veto = cases["site.uptime"].find("failure")
    assert veto.get("type") == "veto" and veto.get("message").startswith("[单项否决]")
    assert "http://www.example.gov.cn/a?b=1&c=<2>" in veto.text  # evidence in the body
    assert cases["identity.icp"].find("failure").get("type") == "fail"
    # warn: a pass with the warning in system-out (default)
    warn = cases["identity.psb"]
    assert warn.find("failure") is None and warn.find("skipped") is None
    assert warn.find("system-out").text.startswith("[警告]")
    assert cases["search.works"].find("skipped").get("message") == "无法判断：脚本"
    assert cases["privacy.personal-data"].find("skipped") is not None
    assert cases["links.site"].find("error").get("type") == "check-error"
    assert cases["site.available"].find("*") is None  # a pass has no child element
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["verdict"] == "fail" and props["veto_failed"] == "site.uptime" and props["score"] == "55.0"


def test_junit_escapes_site_text_and_drops_bad_characters():
    text = render_junit(crafted_report(), "en")
    doc = _validate(text)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\x00" not in text and "\x1b" not in text
    failure = [c for c in doc.iter("testcase") if c.get("name").startswith("identity.icp")][0].find("failure")
    assert "</failure><script>alert(1)</script>" in failure.get("message")  # round-trips as text
    assert failure.get("message").count("\ufffd") == 3


@pytest.mark.parametrize("mode, child, failures, skipped", [("fail", "failure", 3, 2), ("skip", "skipped", 2, 3)])
def test_junit_warn_is_configurable(mode, child, failures, skipped):
    doc = _validate(render_junit(crafted_report(), "zh", warn=mode))
    suite = doc.find("testsuite")
    warn = [c for c in suite.iter("testcase") if c.get("name").startswith("identity.psb")][0]
    assert warn.find(child) is not None and warn.find("system-out") is None
    assert (int(suite.get("failures")), int(suite.get("skipped"))) == (failures, skipped)
    with pytest.raises(ValueError):
        render_junit(crafted_report(), warn="maybe")


def test_junit_of_an_empty_report_validates():
    report = crafted_report()
    report["checks"] = []
    report["score"] = None
    suite = _validate(render_junit(report)).find("testsuite")
    assert suite.get("tests") == "0"


def test_markdown_summary_lists_non_passing_checks_and_escapes():
    md = render_markdown(crafted_report(), "zh")
    assert md.startswith("## 政府网站检查: 示例市 &lt;script&gt;x&lt;/script&gt; @\u200bhere")
    assert "**得分: 55.0** / 100" in md and "不合格" in md and "`site.uptime`" in md
    table = md.split("<details>")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]
    assert [r.split("|")[2].split("`")[1] for r in rows] == ["site.uptime", "identity.icp", "links.site", "identity.psb"]
    assert "**单项否决**" in rows[0]
    assert "<details>" in md and "search.works" in md.split("<details>")[1]
    assert "site.available" not in md  # passes are not listed
    # Nothing the site wrote can make markup, links, mentions, or break the table.
    assert "<script>" not in md and "</failure>" not in md
    assert "@all" not in md and "#12" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md) and "\\[x\\](javascript:" in md
    assert "\\*\\*bold\\*\\*" in md and "\\|" in md
    for line in md.splitlines():
        if line.startswith("| "):
            assert len(re.findall(r"(?<!\\)\|", line)) == 6, line
    # The first evidence link, with the URL as a safe <...> destination.
    assert "(<http://www.example.gov.cn/a?b=1&c=%3C2%3E>)" in md


def test_markdown_helpers():
    assert md_escape("a\nb|c") == "a b\\|c"
    assert md_url("javascript:alert(1)") == ""
    assert md_url("https://x.gov.cn/a b)") == "<https://x.gov.cn/a%20b%29>"
    assert md_escape("x" * 500).endswith("…")


def test_format_names():
    assert parse_formats("html,json") == ("html", "json")
    assert parse_formats(" junit , markdown,junit ") == ("junit", "md")
    with pytest.raises(ValueError):
        parse_formats("pdf")
    with pytest.raises(ValueError):
        parse_formats(",")


def _cli(*args, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_audit_writes_every_format(tmp_path):
    body = "<p>" + "示例市人民政府门户网站。" * 30 + "</p><div class='footer'>主办单位：示例市 鲁ICP备12345678号-1</div>"
    with LoopbackSite({"/": page("示例市人民政府", body)}) as site:
        out = tmp_path / "out"
        proc = _cli("audit", site.url, "--out", str(out), "--rate", "200", "--format", "html,json,junit,md",
                    "--junit-warn", "fail", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    for name in ("scorecard.html", "report.json", "junit.xml", "summary.md"):
        assert (out / name).is_file(), name
    assert "junit:" in proc.stdout and "summary:" in proc.stdout
    report = json.loads((out / "report.json").read_text("utf-8"))
    doc = _validate((out / "junit.xml").read_text("utf-8"))
    assert len(doc.findall("testsuite/testcase")) == len(report["checks"])
    assert (out / "summary.md").read_text("utf-8").startswith("## Government website audit")
    # Only what was asked for
    only = tmp_path / "only"
    with LoopbackSite({"/": page("示例市人民政府", body)}) as site:
        proc = _cli("audit", site.url, "--out", str(only), "--rate", "200", "--format", "junit", "--quiet",
                    "--render", "never")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in only.iterdir()) == ["junit.xml"]


def test_bad_format_is_a_one_line_error(tmp_path):
    proc = _cli("audit", "http://127.0.0.1:1/", "--out", str(tmp_path), "--format", "html,pdf")
    assert proc.returncode == 2
    assert proc.stderr.startswith("gov-audit: error:") and "pdf" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_write_outputs_keeps_the_old_call(tmp_path):
    from reports.report import write_outputs

    paths = write_outputs(copy.deepcopy(crafted_report()), tmp_path, "zh")
    assert set(paths) == {"json", "html"}


def test_ci_templates_are_valid_and_use_real_options():
    yaml = pytest.importorskip("yaml")
    from auditor.operations.cli import build_parser

    gh = yaml.safe_load((ROOT / "examples" / "github-actions-nightly.yml").read_text("utf-8"))
    triggers = gh.get(True, gh.get("on"))  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    steps = gh["jobs"]["audit"]["steps"]
    assert any(s.get("uses", "").startswith("actions/upload-artifact") and s.get("if") == "always()" for s in steps)
    audit_step = next(s["run"] for s in steps if s.get("name") == "Audit")
    gl = yaml.safe_load((ROOT / "examples" / "gitlab-ci-nightly.yml").read_text("utf-8"))
    job = gl["gov-audit:nightly"]
    assert job["artifacts"]["reports"]["junit"] == "report/junit.xml" and job["artifacts"]["when"] == "always"
    assert any(r["if"] == '$CI_PIPELINE_SOURCE == "schedule"' for r in job["rules"])
    for script in (audit_step, job["script"][-1]):
        assert "--baseline" in script and "--format html,json,junit,md" in script and "--history" in script
    args = build_parser().parse_args(["audit", "https://www.example.gov.cn/", "--profile", "city", "--out", "report",
                                      "--format", "html,json,junit,md", "--history", "history.db",
                                      "--baseline", "baseline/report.json"])
    assert args.format == ("html", "json", "junit", "md") and args.baseline == "baseline/report.json"
    from auditor.operations.fleet import read_sites

    assert len(read_sites(ROOT / "examples" / "sites.csv")) == 3
