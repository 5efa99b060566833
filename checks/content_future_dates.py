"""content.future-dates — publish dates after the audit date (伪造发稿日期).

The 2019 检查指标 names 弄虚作假（如伪造发稿日期） among the serious problems: a page whose own
publish date — the PubDate meta tag (发展指引 网页标签) or its labelled 发布时间/发布日期 — lies
after the day of the audit (Beijing time) was back- or forward-dated. Dates in the text (an
event's date, a deadline, "成绩发布时间：" announcing a date to come) and dates in URLs are not
publish dates and are not read.
"""
import re
from datetime import timedelta

from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.views.dates import meta_date, parse_date, script_written_date
import auditor.views.security as security
from auditor.views.security import VETO_ARTICLE, VETO_DOCUMENT


ID = "content.future-dates"
# The page's own label only: not 成绩发布时间：… or 结果发布日期：… announcing a date to come.
_LABEL = re.compile(r"(?<![\u4e00-\u9fff])(?:发布时间|发布日期)\s*[:：]\s*")


def labelled_publish_date(text: str):
    m = _LABEL.search(text)
    return parse_date(text[m.end(): m.end() + 40]) if m else None


@check(
    id=ID,
    title=T("发布日期晚于检查日期（伪造发稿日期）", "Publish dates in the future"),
    category="content",
    clause=Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_FORGED,
                  effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE),
    veto=True,
    weight=2,
    gatherers=("homepage", "pages"),
    description=T("页面自身的发布日期（PubDate 标签或“发布时间”）晚于检查当天（北京时间），属伪造发稿日期。",
                  "A page's own publish date (PubDate meta or its 发布时间 label) after the audit day (Beijing time) "
                  "is a forged publish date."),
    remediation=T("更正发布日期为实际发布日期，排查内容管理系统的日期设置与发布流程，杜绝为应付检查修改发稿日期。",
                  "Correct the date to the real publish date, check the CMS's date settings and publishing workflow, "
                  "and stop changing dates to pass inspections."),
    settings={"grace_days": Setting(0, "days after the audit date (Beijing time) a publish date may lie before it counts as forged")},
)
def run(snap, profile, settings):
    grace = int(settings["grace_days"])
    limit = snap.as_of + timedelta(days=grace)
    found = []
    pages = dated = 0
    for page in snap.html_pages():
        pages += 1
        meta = meta_date({k: v for k, v in page.meta.items() if k in ("pubdate", "publishdate", "firstpublishedtime",
                                                                      "article:published_time")})
        label = labelled_publish_date(page.text[:3000]) or script_written_date(page.html)
        for when, how in ((meta, "PubDate"), (label, "发布时间")):
            if when is None:
                continue
            dated += 1
            if when > limit:
                found.append(Evidence(page.final_url, f"{how}: {when.isoformat()} — {page.title}",
                                      T(f"发布日期 {when.isoformat()} 晚于检查日期 {snap.as_of.isoformat()}",
                                        f"publish date {when.isoformat()} is after the audit date {snap.as_of.isoformat()}")))
                break
    details = {"pages": pages, "dates_read": dated, "as_of": snap.as_of.isoformat()}
    if found:
        return Result.failed(T(f"{len(found)} 个页面的发布日期晚于检查日期", f"{len(found)} page(s) dated after the audit date"),
                             found, **details)
    if not dated:
        return Result.unknown(T(f"{pages} 个页面均未读到发布日期，无法判断", f"no publish date found on {pages} page(s)"), **details)
    return Result.passed(T(f"读到 {dated} 个发布日期，均不晚于检查日期 {snap.as_of.isoformat()}",
                           f"{dated} publish date(s) read, none after {snap.as_of.isoformat()}"), **details)
