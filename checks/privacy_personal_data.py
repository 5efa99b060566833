"""privacy.personal-data — published pages do not expose 身份证号 or mobile numbers.

MOT 2018 work points item 20: personal privacy in published information must be
去标识化 (de-identified), except for 惩戒公示 and 强制性信息披露. Every crawled
page's visible text (tables included, and JCMS record rows) is scanned once for
18-digit 居民身份证号码 with a valid GB 11643 check digit, a real birth date and a
province prefix, and for 11-digit mainland mobile numbers. Masked forms
(370102********2310, 138****2468) are what the rule asks for and never match.

Not counted as leaks: pages whose title, column or breadcrumb names an exempt
context (profile ``privacy_exempt_contexts``), a mobile number written right after a
contact label (联系电话：…, 联 系 人：王科长 …, also after a landline the label lists first: a
published work contact, profile ``privacy_contact_labels``) unless a private person is named
right before it (申请人：张某 联系电话：…, profile ``privacy_citizen_labels``), and the site's own published numbers — a mobile number
in the homepage footer or on at least ``privacy_published_min_pages`` pages is a contact
the site publishes on purpose, not someone's leaked data. ID numbers are never
excused that way. The report shows masked numbers only.
"""
import re
from collections import defaultdict

from auditor.checking.check import Clause, Evidence, Result, T, check
from auditor.views.columns import breadcrumb

from auditor.views.page_text import excerpt, footer_sources, label_pattern
from auditor.views.personal_data import (after_area_code, candidates, citizen_pattern, contact_pattern, fold_digits,
                                         id_valid, is_published_contact, mask_id, mask_mobile, mask_text,
                                         not_person_id)

ID = "privacy.personal-data"
DEFAULT_EXEMPT = ["惩戒公示", "失信惩戒", "失信被执行人", "强制性信息披露"]
DEFAULT_CONTACT_LABELS = ["联系电话", "联系人", "咨询电话", "举报电话", "监督电话", "投诉电话", "服务电话", "服务热线",
                          "热线", "值班电话", "办公电话", "联系方式", "报名电话", "受理电话", "客服电话", "传真"]
# Labels of a private person: a mobile right after one is that person's, contact label or not.
DEFAULT_CITIZEN_LABELS = ["申请人", "申报人", "补助对象", "救助对象", "受助人", "获得者", "户主", "当事人", "举报人：",
                          "投诉人：", "来信人", "留言人", "业主：", "承租人"]
WINDOW = 30
CONTACT_WINDOW = 60  # a label may list a landline or two before the mobile
_TAGS = re.compile(r"<[^>]+>|<!\[CDATA\[|\]\]>")


def _texts(page):
    """The page's visible text, and the rows JCMS ships in <script type="text/xml"> records."""
    yield page.text
    for s in page.facts.inline_scripts:
        if "<record" in s:
            yield _TAGS.sub(" ", s)


def _exempt_context(page, exempt) -> str | None:
    if exempt is None:
        return None
    where = " ".join([page.title, page.meta.get("columnname", ""), " ".join(breadcrumb(page.text))])
    m = exempt.search(where)
    return m.group(0) if m else None


@check(
    id=ID,
    title=T("个人信息去标识化", "Personal data de-identified"),
    category="privacy",
    clause=Clause("《交通运输部2018年政务公开工作要点》（交通运输部办公厅 2018年5月6日印发）",
                  "第20项（个人隐私去标识化）",
                  confidence="✅", effective="2018-05-06", rule="R-personal-data",
                  quote="要依法保护好个人隐私，除惩戒公示、强制性信息披露外，对于其他涉及个人隐私的政府信息，公开时要去标识化处理，"
                        "选择恰当的方式和范围。"),
    weight=3,
    description=T("扫描抓取到的全部页面正文（含表格）：出现校验位有效的 18 位居民身份证号码为不合格；出现完整的 11 位手机号码为警告。"
                  "已打码的号码（370102********2310、138****2468）符合要求。惩戒公示等豁免页面（配置项）、紧跟“联系电话”等标签的"
                  "工作联系电话、页面底部或多个页面重复出现的网站公开电话不计。报告中的号码一律打码。",
                  "Scans every crawled page's text (tables included): an 18-digit ID number with a valid check digit "
                  "fails; a full 11-digit mobile number warns. Masked numbers are fine. Exempt pages (profile), work "
                  "contacts after a label such as 联系电话, and numbers the site publishes in footers or on many pages "
                  "are not counted. Numbers are masked in the report."),
    remediation=T("对已公开信息中的身份证号码、手机号码等个人信息进行去标识化处理（如 370102********2310、138****2468），"
                  "并建立发布前的隐私审查机制；附件中的名单同样处理。",
                  "De-identify ID and mobile numbers in published information (e.g. 370102********2310, 138****2468) "
                  "and review personal data before publishing, attachments included."),
    gatherers=("pages",),
)
def run(snap, profile):
    exempt_words = profile.keywords("privacy_exempt_contexts") if profile.get("keywords.privacy_exempt_contexts") \
        is not None else DEFAULT_EXEMPT
    exempt = label_pattern(exempt_words) if exempt_words else None
    contact = contact_pattern(profile.keywords("privacy_contact_labels") or DEFAULT_CONTACT_LABELS)
    citizen_words = profile.keywords("privacy_citizen_labels") if profile.get("keywords.privacy_citizen_labels") \
        is not None else DEFAULT_CITIZEN_LABELS
    citizen = citizen_pattern(citizen_words)
    min_pages = profile.threshold("privacy_published_min_pages")
    as_of = snap.as_of

    scanned = 0
    chars = 0
    ids = []        # (page, number, excerpt)
    mobiles = []    # (page, number, excerpt)
    exempt_hits = defaultdict(int)
    contacts = 0
    pages_of_mobile = defaultdict(set)
    for page in snap.html_pages():
        scanned += 1
        found_here = []
        for text in _texts(page):
            if not text:
                continue
            chars += len(text)
            text = fold_digits(text)
            masked = None  # the whole text masked (same length) once it has a hit: excerpts never hold a full number
            for kind, number, start, end in candidates(text):
                before = text[max(0, start - WINDOW):start]
                if kind == "id":
                    if not id_valid(number, as_of) or not_person_id(before):
                        continue
                else:
                    if after_area_code(before):
                        continue
                    if is_published_contact(text[max(0, start - CONTACT_WINDOW):start], contact, citizen):
                        contacts += 1
                        continue
                if masked is None:
                    masked = mask_text(text)
                found_here.append((kind, number, excerpt(masked, start, end)))
        if not found_here:
            continue
        context = _exempt_context(page, exempt)
        if context:
            exempt_hits[context] += len(found_here)
            continue
        for kind, number, exc in found_here:
            if kind == "id":
                ids.append((page, number, exc))
            else:
                pages_of_mobile[number].add(page.final_url)
                mobiles.append((page, number, exc))
    if scanned == 0 or chars == 0:
        return Result.unknown(T("没有可读取正文的页面，无法检查个人信息", "no page text to scan"))
    published = {n for n, urls in pages_of_mobile.items() if len(urls) >= min_pages}
    if pages_of_mobile:
        # The homepage footer (also when a script writes it) lists the site's own contacts.
        footer = " ".join(fold_digits(t) for _, _, t in footer_sources(snap))
        published |= {n for n in pages_of_mobile if n in footer}
    mobiles = [x for x in mobiles if x[1] not in published]

    def group(items, masker):
        by_page: dict[str, dict] = {}
        for page, number, exc in items:
            row = by_page.setdefault(page.final_url, {"url": mask_text(page.final_url), "title": mask_text(page.title[:80]),
                                                      "numbers": [], "excerpt": exc})
            masked = masker(number)
            if masked not in row["numbers"]:
                row["numbers"].append(masked)
        return list(by_page.values())

    id_pages = group(ids, mask_id)
    mobile_pages = group(mobiles, mask_mobile)
    details = {"pages_scanned": scanned, "id_numbers": len({n for _, n, _ in ids}),
               "mobile_numbers": len({n for _, n, _ in mobiles}), "id_pages": id_pages, "mobile_pages": mobile_pages,
               "exempt": dict(exempt_hits), "contact_numbers_skipped": contacts,
               "published_mobiles_skipped": sorted(mask_mobile(n) for n in published)}
    evidence = [Evidence(r["url"], f"{'、'.join(r['numbers'])} · {r['excerpt']}"[:240],
                         T("未打码的身份证号码（校验位有效）", "unmasked ID number (valid check digit)")) for r in id_pages]
    evidence += [Evidence(r["url"], f"{'、'.join(r['numbers'])} · {r['excerpt']}"[:240],
                          T("未打码的手机号码", "unmasked mobile number")) for r in mobile_pages]
    tail_zh = f"（豁免页面中另有 {sum(exempt_hits.values())} 处）" if exempt_hits else ""
    tail_en = f" ({sum(exempt_hits.values())} more on exempt pages)" if exempt_hits else ""
    if ids:
        mob_zh = f"，{len(mobile_pages)} 个页面有未打码的手机号码" if mobile_pages else ""
        mob_en = f"; {len(mobile_pages)} pages show full mobile numbers" if mobile_pages else ""
        return Result.failed(T(f"{len(id_pages)} 个页面公开了未去标识化的身份证号码（共 {details['id_numbers']} 个）{mob_zh}{tail_zh}",
                               f"{len(id_pages)} pages publish {details['id_numbers']} unmasked ID numbers{mob_en}{tail_en}"),
                             evidence, **details)
    if mobiles:
        return Result.warned(T(f"{len(mobile_pages)} 个页面公开了完整的手机号码（共 {details['mobile_numbers']} 个），应去标识化{tail_zh}",
                               f"{len(mobile_pages)} pages publish {details['mobile_numbers']} full mobile numbers{tail_en}"),
                             evidence, **details)
    return Result.passed(T(f"已扫描 {scanned} 个页面，未发现未打码的身份证号码或手机号码{tail_zh}",
                           f"{scanned} pages scanned: no unmasked ID or mobile numbers{tail_en}"), **details)
