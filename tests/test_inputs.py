"""Input refused before any work (issue 15 items 9 and 10): reports given to diff/--baseline are
checked against the published schema; broken URLs and CSV rows, huge intervals, port 0 and huge
inputs get one clear line; a huge <title> is cut on the scorecard and the fleet page."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.operations.cli import main
from auditor.operations.fleet import FleetError, SiteOutcome, SiteSpec, read_sites, render_fleet_html, summarise
from auditor.operations.inputs import start_url
from reports.diff import DiffError, load_report
from reports.report import render_html
from servers import LoopbackSite, page
from test_ci_outputs import crafted_report

ROOT = Path(__file__).resolve().parent.parent


def _write(tmp_path, report: dict, name="r.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    return path


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


# -- item 9: reports ---------------------------------------------------------------------
@pytest.mark.parametrize("mutate, fragment", [
    (lambda r: r.update(score="75"), "score: '75' is not of type"),
    (lambda r: r.update(veto=["site.uptime"]), "veto: ['site.uptime'] is not of type 'object'"),
    (lambda r: r.update(verdict="ok"), "verdict: 'ok' is not one of"),
    (lambda r: r["checks"][0].update(weight="heavy"), "checks[0].weight: 'heavy' is not of type"),
    (lambda r: r.pop("counts"), "'counts' is a required property"),
])
def test_a_report_that_breaks_the_schema_is_refused(tmp_path, mutate, fragment):
    report = crafted_report()
    mutate(report)
    with pytest.raises(DiffError) as info:
        load_report(_write(tmp_path, report))
    assert "does not match the report schema" in str(info.value) and fragment in str(info.value)


def test_diff_and_baseline_refuse_a_bad_report_in_one_line_before_any_work(tmp_path, capsys):
    good, bad = crafted_report(), crafted_report()
    bad["score"] = "75"
    old, new = _write(tmp_path, good, "old.json"), _write(tmp_path, bad, "new.json")
    assert main(["diff", str(old), str(new)]) == 2
    assert "new.json does not match the report schema: score" in one_line(capsys)
    with LoopbackSite({"/": page("示例", "x")}) as site:
        code = main(["audit", site.url, "--out", str(tmp_path / "out"), "--baseline", str(new), "--quiet"])
        hits = site.hits()
    assert code == 2 and hits == []
    assert "--baseline" in one_line(capsys)


# -- item 10: URLs, CSV rows, intervals, ports, huge inputs -----------------------------
@pytest.mark.parametrize("text, fragment", [
    ("https//www.gov.cn", "the scheme is broken"),
    ("http:/127.0.0.1/", "the scheme is broken"),
    ("http:www.gov.cn", "the scheme is broken"),
    ("http://127.0.0.1:0/", "port 0"),
    ("http://www.gov.cn:99999/", "not a website address"),
    ("ftp://www.gov.cn/", "not an http(s) website address"),
    ("http://exa mple.gov.cn/", "not a host name"),
])
def test_bad_start_urls(text, fragment):
    with pytest.raises(ValueError) as info:
        start_url(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize("text", ["www.gov.cn", "http://www.gov.cn", "https://www.gov.cn:8443/a", "127.0.0.1:8080",
                                  "http://[::1]:8080/", "httpbin.example.gov.cn"])
def test_good_start_urls(text):
    assert start_url(text).startswith(("http://", "https://"))


def test_every_bad_csv_row_is_reported_with_its_line(tmp_path):
    csv = tmp_path / "sites.csv"
    csv.write_text("url\nhttps://www.gov.cn/\nhttps//www.gov.cn\nhttp:/127.0.0.1/\nhttp://a.gov.cn:0/\n", "utf-8")
    with pytest.raises(FleetError) as info:
        read_sites(csv)
    msg = str(info.value)
    assert msg.startswith("3 bad rows:")
    assert f"{csv}:3: " in msg and f"{csv}:4: " in msg and f"{csv}:5: " in msg and f"{csv}:2:" not in msg


def test_a_huge_url_is_not_echoed_whole(tmp_path, capsys):
    url = "http://www.gov.cn/" + "a" * 100_000 + " b"
    assert main(["audit", url, "--out", str(tmp_path / "o")]) == 2
    err = one_line(capsys)
    assert len(err) < 400 and "100,020 characters" in err


def test_monitor_interval_bounds(tmp_path, capsys):
    for every in ("99999999d", "8d", "0s"):
        assert main(["monitor", "http://127.0.0.1:9/", "--history", str(tmp_path / "h.db"), "--every", every]) == 2
        assert "--every" in one_line(capsys)


def test_a_huge_title_is_cut_with_the_whole_text_on_hover():
    report = crafted_report()
    title = "很长的标题" * 2000
    report["site"]["title"] = title
    html = render_html(report, "zh")
    header = html[html.index("<h1>"):html.index("</strong>", html.index("<h1>"))]
    assert title not in html.split("<body", 1)[1].replace(f'title="{title}"', "")  # whole only in the attribute
    assert f'title="{title}"' in header and "…" in header
    fleet = render_fleet_html(summarise([SiteOutcome(SiteSpec("http://a.gov.cn/", title, slug="a"), "audited",
                                                     report=report)]), "zh")
    assert fleet.count(title) == fleet.count(f'title="{title}"')  # the visible text is cut everywhere
