"""The 问题清单 as a spreadsheet (--format xlsx) and CSV, and `gov-audit diff --xlsx/--csv`
marking each row 新增 / 仍存在 / 已整改; the xlsx opens in LibreOffice."""
from __future__ import annotations

import copy
import csv
import io
import json
import shutil
import subprocess

import pytest

from office_report import demo_like_report
from servers import LoopbackSite, page

HEADER = ["序号", "类别", "检查项", "结论", "问题描述", "页面/链接", "证据", "依据条款", "整改建议", "责任栏目",
          "整改期限", "整改情况"]


def report_with_actions(**kw):
    from reports.actions import build_actions

    report = demo_like_report(**kw)
    report["actions"] = build_actions(report)
    return report


def read_xlsx(path):
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def test_xlsx_lists_every_finding_ranked_with_the_office_columns(tmp_path):
    from reports.report import write_outputs

    report = report_with_actions()
    # Crawled text that looks like a formula stays text.
    report["actions"][1]["evidence"] = {"zh": '=HYPERLINK("http://evil.example/","点此")', "en": "=1+1"}
    paths = write_outputs(report, tmp_path, "zh", ("xlsx",))
    assert paths["xlsx"].name == "findings.xlsx"
    rows, ws = read_xlsx(paths["xlsx"])
    header_at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert rows[header_at] == HEADER
    body = rows[header_at + 1:]
    assert [r[0] for r in body] == list(range(1, 20))
    first = dict(zip(HEADER, body[0]))
    assert first["检查项"] == "检查项 P01（interaction.p01）" and first["结论"] == "不通过（单项否决）"
    assert first["整改期限"] == "立即整改（5个工作日内）" and first["整改情况"] is None
    assert first["页面/链接"].startswith("http://") and first["整改建议"].startswith("整改建议：")
    assert first["依据条款"].startswith("《政府网站发展指引》") and first["类别"] == "互动交流"
    assert {r[3] for r in body} == {"不通过（单项否决）", "不通过", "警告"}
    evil = ws.cell(row=header_at + 3, column=HEADER.index("证据") + 1)
    assert evil.data_type == "s" and evil.value.startswith("=HYPERLINK")
    assert ws.cell(row=header_at + 2, column=HEADER.index("页面/链接") + 1).hyperlink is not None


def test_csv_is_utf8_with_bom_and_never_a_formula(tmp_path):
    from reports.report import write_outputs

    report = report_with_actions()
    report["actions"][0]["column"] = "@SUM(A1)"
    paths = write_outputs(report, tmp_path, "en", ("csv",))
    data = paths["csv"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["No.", "Category", "Check", "Result"] and len(rows) == 20
    assert rows[1][9] == "'@SUM(A1)"
    assert rows[1][3] == "fail (veto item)"


def _soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:  # scripts/setup --dev installs libreoffice-calc-nogui
        pytest.fail("LibreOffice is missing: run scripts/setup --dev (apt-get install -y libreoffice-calc-nogui)")
    return exe


def test_xlsx_opens_in_libreoffice(tmp_path):
    from reports.report import write_outputs

    exe = _soffice()
    report = report_with_actions()
    paths = write_outputs(report, tmp_path, "zh", ("xlsx",))
    out = tmp_path / "lo"
    proc = subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out),
                           str(paths["xlsx"])], capture_output=True, text=True, timeout=180)
    converted = out / "findings.csv"
    assert converted.is_file(), proc.stdout + proc.stderr
    rows = list(csv.reader(io.StringIO(converted.read_text("utf-8"))))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    assert rows[header_at] == HEADER
    body = [r for r in rows[header_at + 1:] if any(r)]
    assert len(body) == 19
    assert body[0][:4] == ["1", "互动交流", "检查项 P01（interaction.p01）", "不通过（单项否决）"]
    assert body[0][HEADER.index("整改建议")] == report["actions"][0]["remediation"]["zh"]


# -- diff: 新增 / 仍存在 / 已整改 ----------------------------------------------------------------

def two_audits(tmp_path):
    """Older audit: p02 fails, p03 fails, p04 fails. Newer: p02 still fails, p03 passes, p04 unknown, p05 new."""
    from reports.actions import build_actions

    old = demo_like_report(problems=4)
    new = copy.deepcopy(old)
    status = {c["id"]: c for c in new["checks"]}
    ids = [c["id"] for c in old["checks"] if c["status"] == "fail"]
    p03, p04 = ids[2], ids[3]
    status[p03]["status"] = "pass"
    status[p04]["status"] = "unknown"
    new["checks"].append(dict(copy.deepcopy(status[ids[1]]), id="links.p05", category="links",
                              title={"zh": "检查项 P05", "en": "Check P05"}))
    for r in (old, new):
        r["actions"] = build_actions(r)
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new, ensure_ascii=False), "utf-8")
    return ids, p03, p04


def test_diff_marks_each_row_new_fixed_or_still_open(tmp_path, capsys):
    from auditor.operations.cli import main

    ids, p03, p04 = two_audits(tmp_path)
    code = main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"),
                 "--xlsx", str(tmp_path / "progress.xlsx"), "--csv", str(tmp_path / "progress.csv")])
    assert code == 0
    capsys.readouterr()
    rows, _ws = read_xlsx(tmp_path / "progress.xlsx")
    header_at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    header = rows[header_at]
    assert header[4] == "对比上次" and header[-1] == "整改情况"
    marks = {r[2].split("（")[1].rstrip("）"): (r[4], r[3]) for r in rows[header_at + 1:]}
    assert marks[ids[0]][0] == "仍存在" and marks[ids[1]][0] == "仍存在"
    assert marks["links.p05"][0] == "新增"
    assert marks[p03] == ("已整改", "通过")
    assert marks[p04] == ("未能复查", "无法判断")  # not judged this time: not called fixed
    text = (tmp_path / "progress.csv").read_bytes().decode("utf-8-sig")
    assert "已整改" in text and "新增" in text and "对比上次" in text.splitlines()[0]


def test_diff_sheet_works_on_a_report_without_actions(tmp_path, capsys):
    """Reports written before actions[] existed: the list is derived from their checks."""
    from auditor.operations.cli import main

    ids, p03, _p04 = two_audits(tmp_path)
    old = json.loads((tmp_path / "old.json").read_text("utf-8"))
    del old["actions"]
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--lang", "en",
                 "--csv", str(tmp_path / "p.csv")]) == 0
    capsys.readouterr()
    rows = list(csv.reader(io.StringIO((tmp_path / "p.csv").read_text("utf-8-sig"))))
    assert rows[0][4] == "Since last audit"
    assert any(r[4] == "fixed" and p03 in r[2] for r in rows[1:])


def test_diff_sheet_to_an_unwritable_place_is_one_line(tmp_path, capsys):
    from auditor.operations.cli import main

    two_audits(tmp_path)
    code = main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"),
                 "--xlsx", str(tmp_path / "no-such-dir" / "x.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write --xlsx" in err and "Traceback" not in err


def test_audit_format_xlsx_and_csv(tmp_path, capsys):
    from auditor.operations.cli import main

    body = "<p>" + "政府网站内容。" * 60 + "</p><div class='footer'>主办单位：示例市人民政府办公室</div>"
    with LoopbackSite({"/": page("示例市人民政府", body)}) as site:
        code = main(["audit", site.url, "--out", str(tmp_path / "o"), "--only", "identity.icp", "--rate", "500",
                     "--render", "never", "--format", "json,xlsx,csv"])
    out = capsys.readouterr().out
    assert code == 0 and "findings.xlsx" in out and "findings.csv" in out
    rows, _ws = read_xlsx(tmp_path / "o" / "findings.xlsx")
    header_at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    row = dict(zip(HEADER, rows[header_at + 1]))
    assert row["检查项"].endswith("（identity.icp）") and row["责任栏目"] == "首页" and row["结论"] == "不通过"
