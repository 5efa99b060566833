"""site.domain — the site's host follows the domain rules of 《政府网站发展指引》.

《政府网站发展指引》 domain section (✅ docs/rules.md#R-domain-gov-cn): government sites use English domains ending in ``.gov.cn``
(and Chinese ``.政务`` names); a portal (门户网站) is ``www.□□□.gov.cn`` (the central
portal ``www.gov.cn``); a department site (部门网站) uses a subdomain of its
government's or parent department's portal domain, ``○○○.□□□.gov.cn``.

The profile's ``[site] kind`` says which the site is: ``portal``, ``department`` or
``auto`` (either form passes; a .gov.cn host in neither form warns);
``[site] parent_domain`` (e.g. ``bd.gov.cn``) is the portal domain a department
site must sit under. The host judged is the one visitors land on (after redirects).
Sites audited by IP address or ``localhost`` are not applicable.
"""
from auditor.checking.check import Clause, Evidence, Result, T, check
from auditor.network.resolve import ip_family
from auditor.network.urls import host_of

ID = "site.domain"
ZHENGWU = ".xn--zfr164b"  # .政务


def form_of(host: str) -> str:
    """'portal', 'department', 'gov-other' (e.g. x.gov.cn), 'zhengwu' or 'other'."""
    if host.endswith(ZHENGWU):
        return "zhengwu"
    if host == "www.gov.cn":
        return "portal"
    if not host.endswith(".gov.cn"):
        return "other"
    labels = host[: -len(".gov.cn")].split(".")
    if len(labels) == 2 and labels[0] == "www":
        return "portal"
    if len(labels) >= 2:
        return "department"
    return "gov-other"


@check(
    id=ID,
    title=T("网站域名规范", "Domain name follows the rules"),
    category="identity",
    clause=Clause("《政府网站发展指引》（国办发〔2017〕47号）",
                  "规范网站名称和域名：域名",
                  confidence="✅", effective="2017-05-15", rule="R-domain-gov-cn",
                  quote="政府网站要使用以.gov.cn为后缀的英文域名和符合要求的中文域名，不得使用其他后缀的英文域名。"),
    weight=2,
    description=T("政府网站应使用以 .gov.cn 为后缀的英文域名（及 .政务 中文域名）；门户网站为 www.□□□.gov.cn，"
                  "部门网站使用本级政府或上级部门门户网站的下级域名 ○○○.□□□.gov.cn。网站类型在配置 [site] kind 中设定。",
                  "Government sites use .gov.cn English names (and .政务 Chinese names): a portal is www.□□□.gov.cn, "
                  "a department site a subdomain of its portal's domain, ○○○.□□□.gov.cn. The site kind is the "
                  "profile's [site] kind."),
    remediation=T("按《政府网站发展指引》使用 .gov.cn 域名：门户网站为 www.□□□.gov.cn，部门网站为门户域名的下级域名；"
                  "不符合要求的域名逐步注销，并做好跳转过渡。",
                  "Move to a .gov.cn name as the 发展指引 asks (portal www.□□□.gov.cn, departments under the portal's "
                  "domain); retire non-conforming names with redirects."),
)
def run(snap, profile):
    start = host_of(snap.start_url)
    home = snap.homepage or snap.start_page
    host = host_of(home.final_url) if home is not None and home.fetch.status is not None else start
    host = host or start
    if ip_family(host) or host == "localhost" or host.endswith(".localhost") or "." not in host:
        return Result.not_applicable(T(f"网站以 {host} 访问（IP 地址或本机名），不涉及域名规范",
                                       f"the site is audited as {host} (an IP address or local name)"))
    kind = str(profile.get("site.kind", "auto") or "auto").lower()
    parent = str(profile.get("site.parent_domain", "") or "").lower().strip(".")
    form = form_of(host)
    ev = [Evidence(home.final_url if home is not None else snap.start_url, host, T("网站主机名", "host name"))]
    if start != host:
        ev.append(Evidence(snap.start_url, f"{start} → {host}", T("访问地址跳转", "redirected")))
    details = {"host": host, "start_host": start, "form": form, "kind": kind, "parent_domain": parent or None}
    if form == "other":
        return Result.failed(T(f"网站域名 {host} 不是以 .gov.cn 为后缀的政府网站域名",
                               f"{host} is not a .gov.cn name"), ev, **details)
    if form == "zhengwu":
        return Result.passed(T(f"网站使用 .政务 中文域名（{host}）", f"the site uses a .政务 Chinese name ({host})"),
                             ev, **details)
    if kind == "department":
        if parent and host in (parent, "www." + parent):
            return Result.failed(T(f"部门网站使用了门户网站自身的域名 {host}，应使用其下级域名（○○○.{parent}）",
                                   f"the department site uses the portal's own name {host}, not a subdomain "
                                   f"(○○○.{parent})"), ev, **details)
        if parent and not host.endswith("." + parent):
            return Result.failed(T(f"部门网站域名 {host} 不是门户网站域名 {parent} 的下级域名",
                                   f"the department site {host} is not under its portal's domain {parent}"), ev, **details)
        if form != "department" and not parent:
            return Result.failed(T(f"部门网站域名 {host} 应为门户网站的下级域名（○○○.□□□.gov.cn）",
                                   f"a department site should use a subdomain of its portal (○○○.□□□.gov.cn), not {host}"),
                                 ev, **details)
        return Result.passed(T(f"部门网站使用门户网站的下级域名 {host}", f"the department site uses a subdomain: {host}"),
                             ev, **details)
    if kind == "portal":
        if form == "portal":
            return Result.passed(T(f"门户网站域名 {host} 符合 www.□□□.gov.cn 形式", f"{host} has the portal form www.□□□.gov.cn"),
                                 ev, **details)
        return Result.failed(T(f"门户网站域名应为 www.□□□.gov.cn 形式，实际为 {host}",
                               f"a portal's name should be www.□□□.gov.cn, not {host}"), ev, **details)
    if form in ("portal", "department"):
        what = T("门户网站形式 www.□□□.gov.cn", "the portal form www.□□□.gov.cn") if form == "portal" else \
            T("部门网站形式 ○○○.□□□.gov.cn", "the department form ○○○.□□□.gov.cn")
        return Result.passed(T(f"网站域名 {host} 使用 .gov.cn 后缀，符合{what.zh}", f"{host} is a .gov.cn name in {what.en}"),
                             ev, **details)
    return Result.warned(T(f"网站域名 {host} 虽以 .gov.cn 为后缀，但既不是 www.□□□.gov.cn 也不是 ○○○.□□□.gov.cn 形式",
                           f"{host} ends in .gov.cn but has neither the portal nor the department form"), ev, **details)
