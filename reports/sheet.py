"""The 问题清单 as a sheet an office assigns and tracks: ``--format xlsx`` (openpyxl) and ``csv``.

One row per finding (reports.actions), with the columns the office fills in left empty
(整改情况). ``gov-audit diff OLD NEW --xlsx FILE`` writes the same sheet for the newer audit with
each row marked 新增 / 仍存在 against the older one, and the older problems now passing as 已整改
(or 未能复查 when the check could not judge them this time).

Crawled text reaches the cells, so a cell never starts a formula: openpyxl is told each value is
a string, and the CSV prefixes a leading = + - @ with an apostrophe (as spreadsheets expect).
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

from auditor.checking.check import CATEGORIES
from reports.actions import actions_of
from reports.formats import VERDICT_TEXT, _beijing_time, pick

HEADERS = {
    "zh": ["序号", "类别", "检查项", "结论", "问题描述", "页面/链接", "证据", "依据条款", "整改建议", "责任栏目",
           "整改期限", "整改情况"],
    "en": ["No.", "Category", "Check", "Result", "Problem", "Page / link", "Evidence", "Rule", "How to fix",
           "Responsible column", "Time limit", "Progress"],
}
COMPARE_HEADER = {"zh": "对比上次", "en": "Since last audit"}
MARKS = {"zh": {"new": "新增", "fixed": "已整改", "open": "仍存在", "unjudged": "未能复查"},
         "en": {"new": "new", "fixed": "fixed", "open": "still open", "unjudged": "not re-judged"}}
RESULT = {"zh": {"fail": "不通过", "warn": "警告", "pass": "通过", "na": "不适用", "unknown": "无法判断",
                 "error": "检查出错"},
          "en": {"fail": "fail", "warn": "warning", "pass": "pass", "na": "n/a", "unknown": "could not determine",
                 "error": "check error"}}
VETO = {"zh": "（单项否决）", "en": " (veto item)"}
WIDTHS = [6, 14, 24, 12, 48, 36, 40, 36, 48, 14, 16, 24]  # characters, per column of HEADERS

# Characters XML (and so xlsx) cannot hold; crawled pages do contain them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell(value) -> str:
    return _ILLEGAL.sub("\ufffd", "" if value is None else str(value))



def _result(row: dict, lang: str, status: str | None = None) -> str:
    status = status or row.get("status", "")
    text = RESULT[lang].get(status, status)
    return text + (VETO[lang] if row.get("veto") and status == "fail" else "")


def _row(rank: int, a: dict, lang: str, status: str | None = None) -> list[str]:
    title = pick(a.get("title"), lang)
    category = CATEGORIES.get(a.get("category", ""))
    return [rank, category.get(lang) if category else a.get("category", ""),
            f"{title}（{a['id']}）" if lang == "zh" else f"{title} ({a['id']})",
            _result(a, lang, status), pick(a.get("problem"), lang), a.get("url", ""), pick(a.get("evidence"), lang),
            a.get("clause", ""), pick(a.get("remediation"), lang), a.get("column", ""),
            pick(a.get("time_limit"), lang), ""]


def findings_rows(report: dict, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the 问题清单 of one report."""
    return list(HEADERS[lang]), [_row(a.get("rank") or i, a, lang) for i, a in enumerate(actions_of(report), 1)]


def diff_rows(old: dict, new: dict, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the newer audit's 问题清单, each row marked against the older audit."""
    header = list(HEADERS[lang])
    header.insert(4, COMPARE_HEADER[lang])
    before = {a["id"]: a for a in actions_of(old)}
    now_status = {c["id"]: c.get("status") for c in new.get("checks") or []}
    rows = []
    current = actions_of(new)
    for a in current:
        row = _row(len(rows) + 1, a, lang)
        row.insert(4, MARKS[lang]["open" if a["id"] in before else "new"])
        rows.append(row)
    still = {a["id"] for a in current}
    for a in before.values():
        if a["id"] in still:
            continue
        status = now_status.get(a["id"])
        # Fixed only when the check now passes (or no longer applies); unknown proves nothing.
        mark = "fixed" if status in ("pass", "na") else "unjudged"
        row = _row(len(rows) + 1, a, lang, status or "unknown")
        row.insert(4, MARKS[lang][mark])
        rows.append(row)
    return header, rows


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_safe(_cell(v)) for v in row])
    return out.getvalue()


def write_csv(header, rows, path: Path) -> Path:
    """UTF-8 with a byte-order mark: Excel then opens the Chinese as Chinese."""
    _replace(path, render_csv(header, rows).encode("utf-8-sig"))
    return path


def write_xlsx(header: list[str], rows: list[list[str]], path: Path, *, title: str = "问题清单",
               note: str = "") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _cell(title)[:31] or "Sheet1"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    start = 1
    if note:
        ws.cell(row=1, column=1, value=_cell(note)).font = Font(bold=True)
        start = 3
    for col, name in enumerate(header, 1):
        cell = ws.cell(row=start, column=col, value=_cell(name))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.border = border
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start + 1):
        for col, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=col)
            if isinstance(value, int):  # 序号: a number, so the sheet sorts by it
                cell.value = value
            else:
                cell.value = value = _cell(value)
                cell.data_type = "s"  # crawled text is never a formula
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if header[col - 1] in (HEADERS["zh"][5], HEADERS["en"][5]) and value.startswith(("http://", "https://")):
                cell.hyperlink = value
    widths = dict(zip(HEADERS["zh"], WIDTHS)) | dict(zip(HEADERS["en"], WIDTHS))
    col_widths = [widths.get(name, 12) for name in header]
    for col, width in enumerate(col_widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    # Neither Excel nor LibreOffice grows a row for wrapped text written by a library: set it.
    for r, row in enumerate(rows, start + 1):
        lines = max((_lines(str(v), w) for v, w in zip(row, col_widths)), default=1)
        ws.row_dimensions[r].height = 15 * min(lines, 8)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    if rows:
        ws.auto_filter.ref = f"A{start}:{get_column_letter(len(header))}{start + len(rows)}"
    ws.print_options.gridLines = True
    ws.print_title_rows = f"{start}:{start}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    _replace(path, buf.getvalue())
    return path


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs: a CJK character is two columns wide, others one."""
    import unicodedata

    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, -(-units // max(int(width) - 1, 1)))


def sheet_note(report: dict, lang: str) -> str:
    """The line above the table: which site, when, what verdict."""
    site = report.get("site") or {}
    verdict = VERDICT_TEXT.get(report.get("verdict", "unknown"), VERDICT_TEXT["unknown"]).get(lang)
    if lang == "en":
        return (f"{site.get('title') or ''} {site.get('url', '')} — audited {_beijing_time(report.get('finished_at', ''))} "
                f"(UTC+8): {verdict}, score {report.get('score')}").strip()
    return (f"{site.get('title') or ''} {site.get('url', '')} — 检查时间 {_beijing_time(report.get('finished_at', ''))}："
            f"{verdict}，总分 {report.get('score')}").strip()


def _replace(path: Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    os.replace(tmp, path)
