"""content.classified — 密级 stamps on published pages (泄露国家秘密).

A published page carrying a classification marking — 绝密/机密/秘密 with ★ and a period
(GB/T 9704 公文格式: 密级和保密期限), 内部资料 注意保存, 此件不公开 — is a page that should never
have been published. A stamp is an element whose whole text is the marking (optionally with
the 份号); the word 机密 in prose, or an article explaining the marking ("如‘秘密★1年’"),
is not a stamp. The ``attachments`` gatherer reads the first page of PDF/DOCX/TXT attachments,
where a stamp stands on a line of its own; attachments it could not read are counted.
"""
from auditor.checking.check import Clause, Setting, Evidence, Result, T, check
import auditor.views.security as security
from auditor.views.security import VETO_ARTICLE, VETO_DOCUMENT, page_stamps, text_stamps


ID = "content.classified"


@check(
    id=ID,
    title=T("涉密标识（密级标志）", "Classification stamps on published pages"),
    category="content",
    clause=Clause(VETO_DOCUMENT, VETO_ARTICLE, confidence="✅", quote=security.QUOTE_SECRET,
                  effective=security.VETO_EFFECTIVE, rule=security.VETO_RULE),
    veto=True,
    weight=3,
    gatherers=("homepage", "pages", "attachments"),
    optional=("attachments",),  # the pages are judged without the attachments' text
    settings={"max_pages": Setting(2000, "pages searched for a 密级 stamp at most"),
              "max_attachments": Setting(20, "PDF/DOCX/TXT attachments whose first page is read for a 密级 stamp (one request each)")},
    gatherer_settings={"attachments": ('max_attachments',)},
    description=T("公开发布的网页上出现“绝密/机密/秘密★期限”“内部资料 注意保存”“此件不公开”等密级或不公开标志，"
                  "说明涉密或内部文件被公开发布，可能泄露国家秘密。正文中提到“机密”二字不算。",
                  "A published page carrying a classification stamp (绝密/机密/秘密★period, 内部资料 注意保存, "
                  "此件不公开) shows a classified or internal document was published. The word 机密 in prose does not count."),
    remediation=T("立即撤下该页面及附件并清除各级缓存、镜像；排查发布审核流程（先审后发、保密审查）；"
                  "按保密规定报告本机关保密工作部门，涉嫌泄露国家秘密的报告保密行政管理部门，必要时报告网信、公安部门。",
                  "Take the page and its attachments down now and purge caches and mirrors; review the publishing "
                  "approval and confidentiality review; report to the unit's secrecy office and, for state secrets, to "
                  "the secrecy administration (and 网信/公安 where needed)."),
)
def run(snap, profile, settings):
    limit = int(settings["max_pages"])
    found = []
    pages = 0
    for page in snap.html_pages():
        if pages >= limit:
            break
        pages += 1
        for stamp in page_stamps(page):
            found.append(Evidence(page.final_url, f"「{stamp}」 — {page.title}",
                                  T("页面上有密级/不公开标志", "classification stamp on the page")))
    facts = snap.facts.get("attachments")
    read = 0
    for rec in (facts.get("attachments", ()) if isinstance(facts, dict) else ()):
        if rec.get("text"):
            read += 1
        for stamp in text_stamps(rec.get("text") or ""):
            found.append(Evidence(rec["url"], f"「{stamp}」（附件首页）",
                                  T("附件首页有密级/不公开标志", "classification stamp on the attachment's first page")))
    total = sum(1 for p in snap.pages.values() if p.kind == "attachment")
    details = {"pages": pages, "attachments": total, "attachments_read": read}
    if found:
        return Result.failed(T(f"{len(found)} 处公开发布的页面或附件带有密级或不公开标志",
                               f"{len(found)} published page(s) or attachment(s) carry a classification stamp"),
                             found, **details)
    if not pages:
        return Result.unknown(T("未抓取到可分析的网页", "no HTML page was crawled"))
    unread = total - read
    note = f"，读了 {read} 个附件首页" + (f"（{unread} 个附件未读：旧版 Office 格式、超出数量或无法解析）" if unread else "") \
        if total else ""
    return Result.passed(T(f"{pages} 个页面未见密级或不公开标志{note}",
                           f"no classification stamp on {pages} page(s)" + (f"; {read} attachment first page(s) read, "
                                                                           f"{unread} not" if total else "")),
                         **details)
