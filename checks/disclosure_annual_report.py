"""disclosure.annual-report — last year's 政府信息公开工作年度报告 is published on time,
and earlier years' reports are kept.

条例 第四十九条: 部门 publish the previous year's report by 1月31日; the 本级政府
report is published by 3月31日 (the profile's [deadlines] annual_report_deadline).
Reports for 2018 and earlier fell under the 2008 条例 (3月31日 for everyone).
The 2021 format (国办公开办函〔2021〕30号) has six section headings, checked on the
due report's page when it was read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date

from auditor.checking.coverage import not_reached
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.views.columns import page_items
from auditor.views.dates import date_from_url, labelled_date, meta_date

from auditor.views.page_text import nfkc
from auditor.views.columns import is_pagination

from auditor.views.disclosure import (crumbs_of, disclosure_root, find_named, html_page, label, main_text,
                                      not_fetched_reason, site_name)
from auditor.checking.verdicts import root_unknown

ID = "disclosure.annual-report"
COLUMN_KEYWORDS = ["政府信息公开年报", "信息公开年报", "政务公开年报", "政府信息公开工作年度报告", "信息公开年度报告",
                   "工作年度报告", "年度报告", "年报"]
_YEAR = r"((?:19|20)\d{2})"
# "示例市人民政府2024年政府信息公开工作年度报告", "2024年度政府信息公开工作报告", "政府信息公开工作年度报告（2024年）".
REPORT = re.compile(_YEAR + r"\s*年?\s*度?\s*(?:[^\d]{0,24}?)(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)"
                    r"|(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)\s*[(（\[【]?\s*" + _YEAR + r"\s*年?")
# In a 年报 column, a bare "2024年度报告" / "2024年报" names a report too.
SHORT = re.compile(r"^\s*(?:[^\d]{0,30}?)" + _YEAR + r"\s*年?\s*度?\s*(?:工作)?(?:年度)?(?:报告|年报)\s*$")
NOT_REPORT = re.compile(r"通知|格式|编制|模板|关于做好|更正|解读|说明会|工作要点|考核|评估|第[一二三四]季度|季度|半年")
HEADINGS = [
    ("一", "总体情况", re.compile(r"总\s*体\s*情\s*况")),
    ("二", "主动公开政府信息情况", re.compile(r"主动公开政府信息(?:情况)?")),
    ("三", "收到和处理政府信息公开申请情况", re.compile(r"收到和处理政府信息公开申请|政府信息公开申请(?:情况|办理)")),
    ("四", "政府信息公开行政复议、行政诉讼情况", re.compile(r"行政复议[、和及]?\s*行政诉讼")),
    ("五", "存在的主要问题及改进情况", re.compile(r"主要问题(?:及|和)?改进")),
    ("六", "其他需要报告的事项", re.compile(r"其他需要报告")),
]
FORMAT_2021_FROM = 2021
# A report page with less text than this is a cover for an attachment: its headings are not judged.
MIN_REPORT_TEXT = 600
NEW_RULES_FROM = 2019  # reports for 2019 on: the 2019 条例's deadlines


@dataclass
class Report:
    year: int
    url: str
    text: str
    where: str
    published: date | None = None
    date_source: str = ""
    own: bool | None = None

    def evidence(self, note) -> Evidence:
        when = f"（发布日期 {self.published.isoformat()}，{self.date_source}）" if self.published else ""
        return Evidence(self.url, f"{self.text[:80]}{when}", note)


@lru_cache(maxsize=20000)
def _year_of(text: str) -> int | None:
    folded = nfkc(text)
    if NOT_REPORT.search(folded):
        return None
    m = REPORT.search(folded)
    if m:
        return int(m.group(1) or m.group(2))
    return None


_SELF = ("本机关", "本部门", "本单位", "我局", "我委", "我厅", "我办", "本局", "本委")


def _title_prefix(text: str, year: int) -> str:
    """The unit a report's title names before its year ("示例县教育局2024年…" → 示例县教育局)."""
    folded = label(nfkc(text))
    i = folded.find(str(year))
    prefix = folded[:i] if i > 0 else ""
    return re.sub(r"^(?:关于)?", "", prefix)


def _owner(text: str, year: int, site: str) -> bool | None:
    """Whether the report is the site's own (True), another unit's (False), or unclear (None)."""
    prefix = _title_prefix(text, year)
    if not prefix or prefix in _SELF:
        return True
    if not site:
        return None
    return _names_owner(prefix, site)


def _names_owner(unit: str, site: str) -> bool:
    """Whether a unit named in a title is the site's owner: 示例县 for 示例县人民政府, or its general
    office; the owner's name followed by another unit (示例县人民法院, 示例县教育局) is that unit."""
    short_site, short_unit = site.replace("人民", ""), unit.replace("人民", "")
    if short_unit in short_site:
        return True
    return short_unit.startswith(short_site) and short_unit[len(short_site):] in _OWNER_OFFICES


_OWNER_OFFICES = ("", "政府", "政府办公室", "政府办公厅", "办公室", "办公厅")


def _owner_name(reports, sides: dict, site: str) -> str:
    """Whose reports these are: the site's name, unless no report in the owner's 政府年报 column
    bears it (a homepage titled 门户网站): then the shortest unit name those reports carry."""
    names = [p for p in (_title_prefix(r.text, r.year) for r in reports if sides[id(r)] == "own")
             if p and p not in _SELF]
    if not names or (site and any(_names_owner(n, site) for n in names)):
        return site
    return min(names, key=len)


DEFAULT_OWN_COLUMNS = ["政府年报", "本级年报", "本级政府年报", "本机关年报", "本部门年报", "本单位年报"]
DEFAULT_OTHER_COLUMNS = ["部门年报", "部门信息公开年报", "乡镇年报", "街道年报", "镇街年报", "乡镇（街道）年报", "单位年报",
                         "区直部门", "县直部门", "市直部门", "下级"]


def _column_side(snap, r: Report, own_words: list[str], other_words: list[str]) -> str | None:
    """Whether the column a report is listed in (or sits in) is the owner's 政府年报 ("own") or
    its departments' 部门年报 ("other"): the most specific name that says either decides."""
    names: list[str] = []
    for url in (r.where, r.url):
        page = html_page(snap, url)
        if page is None:
            continue
        crumbs = crumbs_of(page)
        names += [page.meta.get("columnname", ""), *reversed(crumbs[-3:]), (page.title or "").split("_")[0]]
    for name in (label(n) for n in names if n):
        if any(w in name for w in own_words):
            return "own"
        if any(w in name for w in other_words):
            return "other"
    return None


def _deadline(profile, settings, year: int) -> date:
    """When the report for ``year`` is due (published by this day of year + 1)."""
    if year < NEW_RULES_FROM:
        return date(year + 1, 3, 31)
    value = str(profile.get("deadlines.annual_report_deadline") or
                settings["deadline"])
    m = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", value)
    month, day = (int(m.group(1)), int(m.group(2))) if m else (3, 31)
    try:
        return date(year + 1, month, day)
    except ValueError:
        return date(year + 1, 3, 31)


def _is_report_column(page) -> bool:
    names = [page.meta.get("columnname", ""), page.title] + crumbs_of(page)[-1:]
    return any(k in label(n) for n in names for k in ("年报", "年度报告"))


def find_reports(snap, as_of, column_pages=()) -> list[Report]:
    """Every 年报 link or page in the crawl, with its year and publication date.

    ``column_pages`` (the 年报 columns found by name) are also read for list rows that
    scripts render (JCMS ``<record>`` data), whose links are not among the page's links.
    """
    found: dict[tuple[int, str], Report] = {}
    for page in column_pages:
        for item in page_items(page, as_of):
            t = nfkc(item.title)
            m = SHORT.search(t)
            year = _year_of(item.title) or (int(m.group(1)) if m and not NOT_REPORT.search(t) else None)
            if year is not None:
                found.setdefault((year, item.url), Report(year, item.url, item.title, page.final_url))
    list_pages: list = []
    titled: list = []
    for page in snap.html_pages():
        column = None
        listed = False
        for link in page.links:
            if link.tag not in ("a", "area") or not link.text:
                continue
            t = link.text
            year = None
            if "信息公开" in t or "政务公开" in t:
                year = _year_of(t)
            elif ("报告" in t or "年报" in t) and len(t) <= 40:
                if column is None:
                    column = _is_report_column(page)
                if column and not NOT_REPORT.search(t):
                    m = SHORT.search(nfkc(t))
                    year = int(m.group(1)) if m else None
            if year is None:
                continue
            listed = True
            found.setdefault((year, link.url), Report(year, link.url, t, page.final_url))
        if listed:
            list_pages.append(page)
        if page.title and ("信息公开" in page.title or "政务公开" in page.title):
            titled.append(page)
    # A report page reached some other way (its title names it).
    for page in titled:
        year = _year_of(page.title) or next((y for y in map(_year_of, page.facts.headings[:3]) if y), None)
        if year is not None and (year, page.url) not in found and (year, page.final_url) not in found:
            found[(year, page.final_url)] = Report(year, page.final_url, page.title, page.final_url)
    # Dates written beside the links on the list pages.
    dates: dict[str, date] = {}
    for page in list(column_pages) + list_pages:
        for item in page_items(page, as_of):
            if item.date is not None and item.date_source == "row":
                dates.setdefault(item.url, item.date)
    for r in found.values():
        page = html_page(snap, r.url)
        d, src = None, ""
        if page is not None:
            d, src = meta_date(page.meta, as_of), "PubDate"
            if d is None:
                d, src = labelled_date(page.text[:3000], ("发布时间", "发布日期", "公开日期", "发文日期", "印发日期"), as_of), "页面"
        if d is None and r.url in dates:
            d, src = dates[r.url], "列表"
        if d is None:
            d = date_from_url(r.url, as_of)
            src = "网址" if d else ""
        # A date before the end of the year reported on is not a publication date.
        if d is not None and d.year <= r.year:
            d, src = None, ""
        r.published, r.date_source = d, src
    return list(found.values())


@check(
    id=ID,
    title=T("政府信息公开工作年度报告", "Annual disclosure report"),
    category="disclosure",
    clause=Clause("《中华人民共和国政府信息公开条例》（2019年修订，国务院令第711号）",
                  "第四十九条（年度报告公布时限）、第五十条（年度报告内容）",
                  confidence="✅", effective="2019-05-15", rule="R-annual-report", since="2008-05-01",
                  quote="县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度政府信息公开工作年"
                        "度报告并向社会公布。县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府上一年"
                        "度政府信息公开工作年度报告。",
                  note="年报格式：国办公开办函〔2021〕30号"),
    weight=3,
    description=T("应按时公布上一年度政府信息公开工作年度报告（部门1月31日前，本级政府3月31日前，见检查配置 deadlines），"
                  "并保留历年年报。未到截止日期时检查再上一年度的年报。年报缺失记为不合格；历年年报有缺失、逾期发布，"
                  "或未按2021年格式列出六部分标题记为警告。",
                  "The previous year's annual disclosure report is published by the deadline (部门 31 Jan, 本级政府 31 Mar; "
                  "profile deadlines) and earlier reports are kept. Before the deadline the year before is judged. A missing "
                  "report fails; missing earlier years, late publication or missing 2021-format headings warn."),
    remediation=T("按条例第四十九条的时限公布上一年度政府信息公开工作年度报告（使用国办公开办函〔2021〕30号格式），"
                  "并在年报栏目保留历年年报。",
                  "Publish last year's annual report by the 条例 Art. 49 deadline in the 2021 format and keep every year's report online."),
    gatherers=("homepage", "links"),
    settings={
        "keywords": Setting(COLUMN_KEYWORDS, "names of the 年报 column"),
        "deadline": Setting("03-31", "the due date (MM-DD) when the profile gives no [deadlines] annual_report_deadline "
                                     "(ministry 01-31, province/city 03-31, 条例 第四十九条 ✅)"),
        "max_years_back": Setting(10, "earlier reports kept: years checked back from the due year"),
        # Whose report: the deadline is judged on the site owner's own 年报. The most specific column
        # name (ColumnName, breadcrumb, title) decides.
        "own_columns": Setting(DEFAULT_OWN_COLUMNS, "a report listed in (or sitting in) a column named with one of "
                                                    "these is the owner's"),
        "other_columns": Setting(DEFAULT_OTHER_COLUMNS, "one under these is a department's or a lower unit's (evidence "
                                                        "only), unless its title names the owner"),
    },
)
def run(snap, profile, settings):
    as_of = snap.as_of
    root = disclosure_root(snap, profile)
    columns = find_named(snap, profile, "annual_report", list(settings["keywords"]),
                         ["通知", "格式"], root)
    column_pages = [p for p in (html_page(snap, n.url) for n in columns[:3]) if p is not None]
    column = column_pages[0] if column_pages else None
    reports = find_reports(snap, as_of, column_pages)
    site = site_name(snap)
    own_words = [label(w) for w in settings["own_columns"]]
    other_words = [label(w) for w in settings["other_columns"]]
    others = []
    sides = {id(r): _column_side(snap, r, own_words, other_words) for r in reports}
    owner = _owner_name(reports, sides, site)
    for r in reports:
        r.own = _owner(r.text, r.year, owner)
        side = sides[id(r)]
        named = _title_prefix(r.text, r.year) not in ("", *_SELF)
        if side == "other" and not (named and r.own):
            r.own = False  # listed under 部门年报: a department's, unless its title names the owner
            others.append(r)
        elif side == "own" and not (named and r.own is False):
            r.own = True  # in the 政府年报 column, unless its title names another unit
    # Other units' reports (a city portal lists its departments') are evidence, not the verdict:
    # those listed in a department column never count; those only named for another unit count
    # only when the site's own reports cannot be told apart at all.
    reports = [r for r in reports if r not in others]
    if any(r.own for r in reports):
        reports = [r for r in reports if r.own is not False]

    last_deadline = _deadline(profile, settings, as_of.year - 1)
    due = as_of.year - 1 if as_of > last_deadline else as_of.year - 2
    deadline = _deadline(profile, settings, due)
    by_year: dict[int, list[Report]] = {}
    for r in reports:
        by_year.setdefault(r.year, []).append(r)
    for rs in by_year.values():
        rs.sort(key=lambda r: (r.own is not True, html_page(snap, r.url) is None, r.published is None))

    max_back = int(settings["max_years_back"])
    earliest = max(min((y for y in by_year if y <= due), default=due), due - max_back + 1, 2008)
    window = list(range(earliest, due + 1))
    missing_old = [y for y in window if y != due and y not in by_year]
    found_years = sorted(y for y in by_year if y <= due + 1)
    details = {"due_year": due, "deadline": deadline.isoformat(), "years_found": found_years,
               "years_missing": missing_old + ([due] if due not in by_year else []),
               "other_units_reports": len(others)}

    ev_column = [columns[0].evidence(T("年报栏目", "annual report column"))] if columns else []

    details["column"] = column.final_url if column is not None else None
    if due not in by_year:
        if column is None and columns and not any(r.year >= due - 1 for r in reports):
            n = columns[0]
            return Result.unknown(T(f"找到年报栏目（{n.text}），但未能抓取（{not_fetched_reason(snap, n.url)}），"
                                    f"无法确认{due}年度年报是否发布",
                                    f"found the annual report column ({n.text}) but it was not read; "
                                    f"the {due} report could not be confirmed"), [n.evidence()], **details)
        if not root.crawled and column is None:
            if not reports:
                return root_unknown(root, T(f"{due}年度政府信息公开工作年度报告是否发布", f"{due} annual report"), snap)
            return Result.unknown(T(f"找到{'、'.join(map(str, found_years))}年度的年报链接，但政府信息公开栏目和年报栏目均未能抓取，"
                                    f"无法确认{due}年度年报是否发布",
                                    f"reports for {', '.join(map(str, found_years))} are linked, but neither the disclosure "
                                    f"column nor the report column was read; the {due} report could not be confirmed"),
                                  [r.evidence(T(f"{r.year}年度年报", f"{r.year} report")) for r in reports[:5]], **details)
        ev = ev_column + [r.evidence(T(f"{r.year}年度年报", f"{r.year} report"))
                          for y in sorted(by_year, reverse=True)[:5] for r in by_year[y][:1]]
        ev += [r.evidence(T(f"{r.year}年度年报（所属部门/下级单位的，不计入本单位年报）",
                            f"{r.year} report of a department (not the site owner's)"))
               for r in sorted(others, key=lambda r: -r.year)[:3]]
        if not ev:
            ev = [root.evidence()]
        gap = not_reached(snap, [column.final_url if column is not None else None, root.url],
                          T(f"{due}年度政府信息公开工作年度报告", f"{due} annual report"), ev, **details)
        if gap is not None:
            return gap
        return Result.failed(T(f"未找到{due}年度政府信息公开工作年度报告（应于{deadline.isoformat()}前公布，条例第四十九条）"
                               + (f"；已找到的年报年份：{'、'.join(map(str, found_years))}" if found_years else ""),
                               f"no {due} annual disclosure report found (due by {deadline.isoformat()}, 条例 Art. 49)"
                               + (f"; years found: {', '.join(map(str, found_years))}" if found_years else "")),
                             ev, **details)

    report = by_year[due][0]
    ev = [report.evidence(T(f"{due}年度年报", f"{due} annual report"))]
    problems: list[T] = []
    late = report.published is not None and report.published > deadline
    details["published"] = report.published.isoformat() if report.published else None
    if late:
        problems.append(T(f"{due}年度年报于{report.published.isoformat()}发布，晚于截止日期{deadline.isoformat()}",
                          f"the {due} report was published on {report.published.isoformat()}, after {deadline.isoformat()}"))
    if missing_old:
        unread = _unread_pages(snap, column)
        if unread:
            details["unread_list_pages"] = unread[:5]
            problems_note = T(f"（年报列表有未抓取的翻页，{'、'.join(map(str, missing_old))}年度年报可能在其中，未计入问题）",
                              f" (the report list has unread pages; reports for {', '.join(map(str, missing_old))} may be there)")
        else:
            problems_note = None
            problems.append(T(f"缺少以下年度的年报：{'、'.join(map(str, missing_old))}",
                              f"reports missing for: {', '.join(map(str, missing_old))}"))
    else:
        problems_note = None
    older_late = [r.year for y in window if y != due for r in by_year.get(y, [])[:1]
                  if r.published is not None and r.published > _deadline(profile, settings, y)]
    if older_late:
        details["older_late"] = older_late
    # The six headings of the 2021 format, on the due report's page.
    page = html_page(snap, report.url)
    if due >= FORMAT_2021_FROM:
        text = nfkc(main_text(page)) if page is not None else ""
        if len(text) >= MIN_REPORT_TEXT:
            absent = [f"{n}、{h}" for n, h, p in HEADINGS if not p.search(text)]
            details["headings_missing"] = absent
            if absent:
                problems.append(T(f"{due}年度年报缺少2021年格式的部分标题：{'、'.join(absent)}",
                                  f"the {due} report lacks 2021-format sections: {', '.join(absent)}"))
        else:
            details["headings_missing"] = None  # an attachment, a short page pointing to one, or not read
    for y in sorted(by_year, reverse=True):
        if y != due and y in window:
            ev.append(by_year[y][0].evidence(T(f"{y}年度年报", f"{y} report")))
    when = f"（{report.published.isoformat()}发布）" if report.published else "（未能确定发布日期）"
    head = T(f"已公布{due}年度政府信息公开工作年度报告{when}；已找到年份：{'、'.join(map(str, found_years))}",
             f"the {due} annual report is published"
             + (f" ({report.published.isoformat()})" if report.published else " (publication date unknown)")
             + f"; years found: {', '.join(map(str, found_years))}")
    if problems_note is not None:
        head = T(head.zh + problems_note.zh, head.en + problems_note.en)
    if problems:
        return Result.warned(T(head.zh + "。问题：" + "；".join(p.zh for p in problems),
                               head.en + ". Problems: " + "; ".join(p.en for p in problems)), ev, **details)
    return Result.passed(head, ev, **details)


def _unread_pages(snap, column) -> list[str]:
    """Further pages of the report list that the crawl did not read."""
    if column is None:
        return []
    return [l.url for l in column.links
            if l.tag == "a" and (is_pagination(l.url) or l.text in ("下一页", "下页", "尾页", "末页"))
            and l.url != column.url and html_page(snap, l.url) is None]
