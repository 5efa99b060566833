"""The scorecard's first page for the office (issue 13): conclusion, coverage, the ranked 问题清单,
on one printed A4 page in a Chinese font; the 责任栏目 of each finding; time limits from the profile."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest

from office_report import demo_like_report
from servers import LoopbackSite, page

FILLER = "<p>" + "政府网站内容。" * 60 + "</p>"


# -- the 问题清单 ---------------------------------------------------------------------------

def test_actions_put_failed_veto_items_first_then_rank_by_points_lost():
    from reports.actions import build_actions

    report = demo_like_report()
    # A failed veto item of small weight still heads the list.
    report["checks"][0]["weight"] = 0.5
    rows = build_actions(report)
    assert [r["rank"] for r in rows] == list(range(1, 20))
    assert rows[0]["id"] == "interaction.p01" and rows[0]["veto"]
    lost = [r["points_lost"] for r in rows[1:]]
    assert lost == sorted(lost, reverse=True) and lost[0] > rows[0]["points_lost"]
    assert {r["status"] for r in rows} == {"fail", "warn"}
    assert not any(r["id"].split(".")[-1].startswith("ok") for r in rows)  # passes are no problem


def test_points_lost_add_up_to_what_the_score_lost():
    """Each row's points are its share of 100 − score, as scoring.score computes the score."""
    from auditor.checking.check import Clause, Result, Status, T, check
    from auditor.checking.profile import load_profile
    from auditor.checking.runner import CheckRun
    from auditor.checking.scoring import score
    from reports.actions import points_lost

    profile = load_profile("city")
    runs = []
    for i, (status, weight, cat) in enumerate([("fail", 3, "identity"), ("warn", 2, "identity"), ("pass", 1, "identity"),
                                               ("fail", 5, "links"), ("pass", 2, "links"), ("warn", 1, "privacy"),
                                               ("unknown", 4, "privacy"), ("pass", 1, "search")]):
        chk = check(id=f"t.c{i}", title=T("x"), category=cat, clause=Clause("d"), weight=weight)(lambda s, p: None)
        runs.append(CheckRun(chk, Result(Status(status), T("s")), weight, 0.0))
    card = score(runs, profile)
    report = {"categories": [{"id": c.id, "weight": c.weight} for c in card.categories],
              "checks": [{"id": r.check.id, "category": r.check.category, "status": r.result.status.value,
                          "weight": r.weight} for r in runs]}
    lost = points_lost(report)
    assert set(lost) == {r.check.id for r in runs if r.result.status.judged}
    assert abs(sum(lost.values()) - (100 - card.score)) < 0.3
    assert lost["t.c7"] == 0 and lost["t.c3"] > lost["t.c0"]


def test_time_limits_come_from_the_profile(tmp_path):
    from auditor.checking.profile import load_profile
    from reports.actions import build_actions

    rows = {r["id"]: r for r in build_actions(demo_like_report(), profile=load_profile("city"))}
    assert rows["interaction.p01"]["time_limit"]["zh"] == "立即整改（5个工作日内）"
    heavy_fail = next(r for r in rows.values() if r["status"] == "fail" and not r["veto"] and r["weight"] >= 3)
    light_warn = next(r for r in rows.values() if r["status"] == "warn" and r["weight"] < 3)
    assert heavy_fail["time_limit"]["zh"] == "10个工作日内"
    assert light_warn["time_limit"] == {"zh": "下次检查前", "en": "Before the next audit"}
    own = tmp_path / "own.toml"
    own.write_text('extends = "city"\n[[remediation.time_limits]]\nwhen = "veto"\nzh = "当日整改"\nen = "Same day"\n'
                   '[[remediation.time_limits]]\nwhen = "fail"\nzh = "一周内"\nen = "Within a week"\n', "utf-8")
    rows = {r["id"]: r for r in build_actions(demo_like_report(), profile=load_profile(str(own)))}
    assert rows["interaction.p01"]["time_limit"]["zh"] == "当日整改"
    assert heavy_fail["id"] in rows and rows[heavy_fail["id"]]["time_limit"]["zh"] == "一周内"
    assert rows[light_warn["id"]]["time_limit"]["zh"] == ""  # the profile's list replaces the default's


def test_responsible_column_from_meta_breadcrumb_url_section_and_linking_page():
    from auditor.crawl.crawler import CrawlOptions, Crawler
    from reports.actions import responsible_column

    routes = {
        "/": page("示例市人民政府", FILLER + "<a href='/xxgk/'>信息公开</a><a href='/xwzx/tzgg/'>通知公告</a>"
                  "<a href='/hdjl/a.html'>留言</a><img src='/images/gone.png' alt='x'>"),
        "/xxgk/": page("信息公开", FILLER + "<a href='/xxgk/rsxx/t1.html'>人事</a>",
                       head='<meta name="ColumnName" content="政府信息公开">'),
        "/xxgk/rsxx/t1.html": page("公示", "<p>当前位置：首页 &gt; 信息公开 &gt; 人事信息 &gt; 正文</p>" + FILLER),
        "/xwzx/tzgg/": page("通知公告_示例市人民政府", FILLER + "<a href='/xwzx/tzgg/t2.html'>通知</a>"),
        "/xwzx/tzgg/t2.html": page("关于开展检查的通知", FILLER),
        "/hdjl/a.html": page("留言", FILLER, head='<meta name="ColumnName" content="领导信箱">'),
    }
    with LoopbackSite(routes) as site:
        root = site.url
        snap = Crawler(CrawlOptions(rate=500, max_pages=20)).run(root)
    u = root.rstrip("/")
    assert responsible_column(snap, root) == ("首页", "homepage")
    assert responsible_column(snap, u + "/hdjl/a.html") == ("领导信箱", "meta")
    assert responsible_column(snap, u + "/xxgk/rsxx/t1.html") == ("人事信息", "breadcrumb")
    assert responsible_column(snap, u + "/xwzx/tzgg/t2.html") == ("通知公告", "url")
    # A broken image on the homepage belongs to the page that shows it.
    assert responsible_column(snap, u + "/images/gone.png")[0] == "首页"
    assert responsible_column(snap, "") == ("", "")


def test_audit_report_carries_the_actions_with_columns(audit_site):
    body = FILLER + "<div class='footer'>主办单位：示例市人民政府办公室</div>"  # no ICP number: identity.icp fails
    out = audit_site({"/": page("示例市人民政府", body)}, only=["identity.icp"])
    actions = out.report["actions"]
    assert [a["id"] for a in actions] == ["identity.icp"]
    a = actions[0]
    assert a["status"] == "fail" and a["column"] == "首页" and a["time_limit"]["zh"] and a["remediation"]["zh"]
    assert a["clause"].startswith("《")


# -- the first page --------------------------------------------------------------------------

def test_scorecard_opens_with_conclusion_coverage_and_ranked_list():
    from reports.actions import build_actions
    from reports.report import render_html

    report = demo_like_report(coverage_summary={"zh": "覆盖：抓取 71 页，栏目全部到达", "en": "Coverage: 71 pages"})
    report["actions"] = build_actions(report)
    html = render_html(report, "zh")
    office, details = html.index('<section class="office">'), html.index("检查结果明细")
    first = html[office:details]
    assert "不合格：总分 65.0，达到合格线 60，但单项否决项“检查项 P01”不通过。" in first
    assert "覆盖：抓取 71 页，栏目全部到达" in first
    assert "问题清单（19 项）" in first
    ranks = [int(x) for x in re.findall(r'<td class="num">(\d+)</td>', first)]
    assert ranks == list(range(1, 20))
    order = re.findall(r'<a href="#([a-z.0-9]+)"><strong>', first)
    assert order == [a["id"] for a in report["actions"]] and order[0] == "interaction.p01"
    for word in ("整改建议", "整改期限", "页面/栏目", "立即整改（5个工作日内）"):
        assert word in first
    # Column names and evidence come from crawled pages: shown as text only.
    report["actions"][0]["column"] = "<script>alert(1)</script>"
    report["actions"][0]["url"] = "javascript:alert(2)"
    hostile = render_html(report, "zh")
    assert "<script>alert" not in hostile and "&lt;script&gt;alert(1)" in hostile
    assert 'href="javascript:' not in hostile
    # Without crawl.coverage the line is made from the crawl's own figures.
    del report["crawl"]["coverage"]
    from html import unescape

    first = unescape(render_html(report, "en").split("Findings")[0])
    assert "71 pages fetched" in first and "76% of the check weight judged" in first
    assert "Fail: score 65.0 reaches the pass line 60, but the veto item \"Check interaction.p01\" failed." in first


def test_a_clean_site_says_there_is_nothing_to_fix():
    from reports.report import render_html

    report = demo_like_report(problems=1)
    report["checks"] = [c for c in report["checks"] if c["status"] == "pass"]
    report.update(verdict="pass", score=100.0, veto={"failed": False, "checks": []}, actions=[])
    html = render_html(report, "zh")
    assert "合格：总分 100.0，达到合格线 60；无单项否决项不通过。" in html
    assert "未发现需要整改的问题" in html and '<table class="actions">' not in html


# -- PDF: one A4 page, a Chinese font ------------------------------------------------------

def _require_browser():
    from auditor.crawl.browser import unavailable_reason

    reason = unavailable_reason()
    if reason:  # scripts/setup installs chromium; a machine without it cannot print the PDF at all
        pytest.fail(f"the PDF tests need chromium: {reason}")


def pdf_fonts(pdf_path) -> set[str]:
    """Every font name and family a PDF embeds (Type 3 fonts too, which pdffonts shows as [none])."""
    from pypdf import PdfReader

    names = set()
    for pg in PdfReader(str(pdf_path)).pages:
        fonts = (pg.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts") or []]
            if font.get("/BaseFont"):
                names.add(str(font["/BaseFont"]))
            for d in descriptors:
                if d is not None:
                    d = d.get_object()
                    names.update(str(d[k]) for k in ("/FontName", "/FontFamily") if d.get(k))
    return names


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.split("+", 1)[-1].lower())


def assert_cjk_font_embedded(pdf_path):
    from auditor.crawl.browser import chinese_fonts, cjk_font_problem

    families = {_squash(f) for f in chinese_fonts()}
    assert families, cjk_font_problem()
    embedded = pdf_fonts(pdf_path)
    assert any(_squash(name).startswith(fam) for name in embedded for fam in families), \
        f"no Chinese font embedded in {pdf_path.name}: {sorted(embedded)}; {cjk_font_problem() or ''}"


def test_a_chinese_page_prints_with_a_chinese_font(tmp_path):
    from auditor.crawl.browser import html_to_pdf

    _require_browser()
    src = tmp_path / "zh.html"
    src.write_text("<!DOCTYPE html><html lang='zh-CN'><meta charset='utf-8'><body style='font-family:sans-serif'>"
                   "<h1>政府网站检查报告</h1><p>单项否决项不通过：互动回应差。</p></body></html>", "utf-8")
    html_to_pdf(src, tmp_path / "zh.pdf")
    assert_cjk_font_embedded(tmp_path / "zh.pdf")


def test_scorecard_pdf_first_page_holds_the_whole_list_in_a_chinese_font(tmp_path):
    from pypdf import PdfReader

    from auditor.crawl.browser import html_to_pdf
    from reports.actions import build_actions
    from reports.report import render_html

    _require_browser()
    report = demo_like_report()
    report["actions"] = build_actions(report)
    src = tmp_path / "scorecard.html"
    src.write_text(render_html(report, "zh"), "utf-8")
    html_to_pdf(src, tmp_path / "scorecard.pdf")
    assert_cjk_font_embedded(tmp_path / "scorecard.pdf")
    pages = PdfReader(str(tmp_path / "scorecard.pdf")).pages
    first, second = pages[0].extract_text(), pages[1].extract_text()
    # Every one of the 19 problems is on page 1 (the titles carry markers P01…P19) ...
    assert all(f"P{i:02d}" in first for i in range(1, 20)), first
    # ... and the details (each finding shows its check id) start on page 2.
    assert not re.search(r"[a-z0-9]+\.(p|ok)\d\d", first)
    assert re.search(r"[a-z0-9]+\.p\d\d", second)


# -- a machine without a Chinese font -------------------------------------------------------

@pytest.fixture
def no_fonts(tmp_path, monkeypatch):
    """fontconfig with this machine's fonts but not those that carry Chinese: what a fresh Debian
    machine with chromium (and its Latin fonts) sees."""
    from xml.sax.saxutils import escape

    if shutil.which("fc-list") is None:
        pytest.fail("fontconfig's fc-list is missing: scripts/setup installs fontconfig with the font")
    listed = subprocess.run(["fc-list", ":", "file"], capture_output=True, text=True).stdout
    chinese = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
    files = {line.split(":")[0].strip() for line in listed.splitlines() if line.strip()}
    rejected = {line.split(":")[0].strip() for line in chinese.splitlines() if line.strip()}
    dirs = sorted({os.path.dirname(f) for f in files})
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig>'
                    + "".join(f"<dir>{escape(d)}</dir>" for d in dirs)
                    + f"<cachedir>{escape(str(tmp_path))}</cachedir><selectfont><rejectfont>"
                    + "".join(f"<glob>{escape(f)}</glob>" for f in sorted(rejected))
                    + "</rejectfont></selectfont></fontconfig>", "utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    return conf


def test_missing_chinese_font_is_named_with_its_package(no_fonts):
    from auditor.crawl.browser import chinese_fonts, cjk_font_problem

    assert chinese_fonts() == []
    problem = cjk_font_problem()
    assert "apt-get install -y fonts-noto-cjk" in problem and "\n" not in problem


def test_pdf_audit_without_chinese_font_warns_once_and_goes_on(no_fonts, tmp_path, capsys):
    from auditor.operations.cli import main

    _require_browser()
    with LoopbackSite({"/": page("示例市人民政府", FILLER)}) as site:
        code = main(["audit", site.url, "--out", str(tmp_path / "o"), "--only", "identity.icp", "--pdf",
                     "--render", "never", "--rate", "500", "--quiet"])
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert err.count("fonts-noto-cjk") == 1 and "font missing" in err
    assert (tmp_path / "o" / "scorecard.pdf").is_file()
    import json

    problems = json.loads((tmp_path / "o" / "report.json").read_text("utf-8"))["problems"]
    assert sum("fonts-noto-cjk" in p for p in problems) == 1


def test_no_font_warning_when_nothing_is_rendered_or_printed(no_fonts, tmp_path, capsys):
    from auditor.operations.cli import main

    with LoopbackSite({"/": page("示例市人民政府", FILLER)}) as site:
        main(["audit", site.url, "--out", str(tmp_path / "o"), "--only", "identity.icp", "--render", "never",
              "--rate", "500", "--quiet"])
    assert "fonts-noto-cjk" not in capsys.readouterr().err
