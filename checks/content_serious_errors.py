"""content.serious-errors — 严重表述错误 that can be decided mechanically.

Misspelt names of current Party and state leaders (a known misspelling, or a name one
character off right before or after a title only that leader holds: 习近凭总书记), misspelt
names of the Party, the state and its organs (中华人民共合国) and wrong fixed formulations. The
lists live in the security data file (auditor/profiles/data/security.toml) with the date they
were last checked; a user updates them there or points ``[security] data_file`` at a copy.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
import auditor.views.security as security
from auditor.views.security import VETO_ARTICLE, VETO_DOCUMENT, checked_dates, data, misstatements


ID = "content.serious-errors"
KIND = {"leader": T("领导人姓名错误", "misspelt leader's name"), "formulation": T("规范表述错误", "wrong fixed formulation")}


@check(
    id=ID,
    title=T("严重表述错误（领导人姓名、规范表述）", "Serious misstatements (leaders' names, fixed formulations)"),
    category="content",
    clause=Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_WORDING,
                  effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE),
    veto=True,
    weight=3,
    gatherers=("homepage", "pages"),
    description=T("检查党和国家领导人姓名、党和国家机构名称、固定政治表述的错写（名单为可更新的数据文件，注明核对日期）。",
                  "Misspelt names of Party and state leaders and organs, and wrong fixed political formulations "
                  "(the lists are an updatable data file with the date they were checked)."),
    remediation=T("立即更正错误表述并排查全站同类错误，落实“三审三校”发布审核制度；已造成负面影响的按规定报告。",
                  "Correct the text now, check the whole site for the same error and enforce the three-level review "
                  "before publishing; report as required where it caused harm."),
    settings={"max_pages": Setting(2000, "pages whose text is searched for serious errors at most")},
)
def run(snap, profile, settings):
    d = data(profile)
    limit = int(settings["max_pages"])
    found = []
    pages = 0
    for page in snap.html_pages():
        if pages >= limit:
            break
        pages += 1
        for m in misstatements(page.title + "\n" + page.text, d):
            right = f"（应为“{m.right}”）" if m.right else ""
            found.append(Evidence(page.final_url, m.sentence[:200],
                                  T(f"{KIND[m.kind].zh}：“{m.wrong}”{right}", f"{KIND[m.kind].en}: {m.wrong} → {m.right}")))
    details = {"pages": pages, "data_checked": checked_dates(d)}
    if found:
        return Result.failed(T(f"发现 {len(found)} 处严重表述错误", f"{len(found)} serious misstatement(s)"), found, **details)
    if not pages:
        return Result.unknown(T("未抓取到可分析的网页", "no HTML page was crawled"))
    return Result.passed(T(f"{pages} 个页面未见领导人姓名或规范表述错误（名单核对日期 {d.get('leaders', {}).get('checked', '')}）",
                           f"no misspelt leader's name or wrong formulation in {pages} page(s)"), **details)
