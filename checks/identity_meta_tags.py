"""identity.meta-tags — the homepage carries the site 网页标签 SiteName, SiteDomain, SiteIDCode.

Names are matched case-insensitively (real sites write ``sitename``, ``SITENAME``),
but a spelling other than the specification's CamelCase is reported.
"""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.network.urls import host_of, site_key

from auditor.views.page_text import nfkc

ID = "identity.meta-tags"
TAGS = {"SiteName": T("网站名称", "site name"), "SiteDomain": T("网站域名", "site domain"),
        "SiteIDCode": T("网站标识码", "site code")}


def _domain(value: str) -> str:
    v = nfkc(value).strip().lower()
    if "//" in v:
        v = host_of(v)
    return v.split("/", 1)[0].split(":", 1)[0].rstrip(".")


@check(
    id=ID,
    title=T("网页标签（网站类）", "Site meta tags"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "网页设计规范：网页标签（SiteName、SiteDomain、SiteIDCode 必选）",
                  confidence="🟡", effective="2017-05-15", rule="R-meta-tags-site",
                  note="标签表来自转录稿"),
    weight=1,
    description=T("首页 <head> 应包含网站类网页标签：<meta name=\"SiteName\">（网站名称）、"
                  "<meta name=\"SiteDomain\">（网站域名，应与实际域名一致）、<meta name=\"SiteIDCode\">（网站标识码），且内容非空。",
                  "The homepage <head> has the site meta tags SiteName, SiteDomain (equal to the site's host) "
                  "and SiteIDCode, with non-empty values."),
    remediation=T("在全站页面 <head> 中按《政府网站发展指引》网页标签规范添加 SiteName、SiteDomain、SiteIDCode，"
                  "名称使用规范大小写，SiteDomain 填写网站实际域名。",
                  "Add SiteName, SiteDomain and SiteIDCode meta tags (canonical spelling; SiteDomain = the real host) "
                  "to every page's <head>."),
    gatherers=("homepage",),
    settings={"spelling": Setting("warn", "non-canonical tag spelling (sitename for SiteName): \"warn\", or \"note\" "
                                           "to only mention it")},
)
def run(snap, profile, settings):
    page = snap.homepage
    spelling_status = str(settings["spelling"])
    names = {}
    for n in page.facts.meta_names:
        names.setdefault(n.lower(), n)
    present, missing, empty, misspelt = {}, [], [], []
    ev = []
    for tag in TAGS:
        key = tag.lower()
        if key not in names:
            missing.append(tag)
            continue
        value = page.meta.get(key, "").strip()
        spelt = names[key]
        if spelt != tag:
            misspelt.append((tag, spelt))
        if not value:
            empty.append(tag)
            continue
        present[tag] = value
        ev.append(Evidence(page.final_url, f'<meta name="{spelt}" content="{value[:80]}">', T("网页标签", "meta tag")))
    details = {"present": present, "missing": missing, "empty": empty,
               "non_canonical": {t: s for t, s in misspelt}}
    if not present:
        return Result.failed(T("首页缺少全部网站类网页标签（SiteName、SiteDomain、SiteIDCode）",
                               "the homepage has none of the SiteName, SiteDomain, SiteIDCode meta tags"),
                             [Evidence(page.final_url, ", ".join(page.facts.meta_names[:20]) or "（无 meta 标签）",
                                       T("首页已有的 meta 标签", "meta tags present"))], **details)
    problems: list[T] = []
    if missing:
        problems.append(T(f"缺少 {'、'.join(missing)} 标签", f"missing {', '.join(missing)}"))
    if empty:
        problems.append(T(f"{'、'.join(empty)} 标签内容为空", f"empty {', '.join(empty)}"))
    if "SiteDomain" in present:
        declared = _domain(present["SiteDomain"])
        hosts = {host_of(page.final_url), snap.site_host}
        if _is_address(host_of(page.final_url)):
            # Audited by IP address or on a staging host: the real domain cannot be compared.
            details["domain_note"] = "site audited by address; SiteDomain not compared"
        elif declared not in hosts and site_key(declared) not in {site_key(h) for h in hosts}:
            problems.append(T(f"SiteDomain“{present['SiteDomain']}”与网站实际域名 {host_of(page.final_url)} 不一致",
                              f"SiteDomain “{present['SiteDomain']}” is not the site's host {host_of(page.final_url)}"))
        elif declared not in hosts:
            details["domain_note"] = "differs only by www."
    notes = []
    if misspelt:
        spell = "、".join(f"{s}（应为 {t}）" for t, s in misspelt)
        spell_en = ", ".join(f"{s} (should be {t})" for t, s in misspelt)
        notes.append(T(f"标签名称大小写不规范：{spell}", f"non-canonical tag spelling: {spell_en}"))
    if problems or (notes and spelling_status == "warn"):
        allp = problems + notes
        return Result.warned(T("；".join(p.zh for p in allp), "; ".join(p.en for p in allp)), ev, **details)
    extra = f"；{notes[0].zh}" if notes else ""
    extra_en = f"; {notes[0].en}" if notes else ""
    return Result.passed(T(f"首页有 SiteName、SiteDomain、SiteIDCode 标签{extra}",
                           f"the homepage has SiteName, SiteDomain and SiteIDCode{extra_en}"), ev, **details)


def _is_address(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False
