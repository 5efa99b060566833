"""Verdicts several checks give alike: an item missing (fail or warn), a homepage too thin to
judge absence, a page that is a dead link, a 政府信息公开 column that was not found or read.

The views find things; these turn a finding every check shares into the same Result.
"""
from __future__ import annotations

from auditor.checking.check import Evidence, Result, T
from auditor.views.disclosure import Root
from auditor.views.page_text import link_state


def missing_status(settings: dict) -> str:
    """How a missing item is judged (fail or warn): the check's ``missing`` setting (the profile
    schema allows only these two values)."""
    return "warn" if settings["missing"] == "warn" else "fail"


def missing_result(status: str, summary: T, evidence=()) -> Result:
    return (Result.failed if status == "fail" else Result.warned)(summary, evidence)


def thin_unknown(what: T) -> Result:
    return Result.unknown(T(
        f"首页的文字或导航可能由脚本生成而未能读到，无法确认是否有{what.zh}（未渲染时可用 --render auto 再查）",
        f"the homepage's text or navigation is probably built by scripts and could not be read, so the {what.en} "
        "could not be confirmed absent (if it was not rendered, audit with --render auto)"))



def dead_result(snap, named: list, what: T) -> Result | None:
    """A failure when every page found for ``what`` is a confirmed dead link (404/410/403, DNS, refused)."""
    if not named:
        return None
    states = [(n, link_state(snap.status_of(n.url))) for n in named]
    if all(state == "dead" for _n, (state, _r) in states):
        n, (_s, reason) = states[0]
        return Result.failed(T(f"{what.zh}的链接无法打开（{reason}）", f"the {what.en} link does not open ({reason})"),
                             [n.evidence(T("失效的链接", "dead link"))], url=n.url, target=reason)
    return None


def root_unknown(root: Root, what: T, snap=None) -> Result:
    """The verdict when the 政府信息公开 column could not be found or read."""
    if not root.found:
        home = snap.homepage if snap is not None else None
        ev = [Evidence(home.final_url, " | ".join(l.text for l in home.links if l.tag == "a" and l.text)[:300],
                       T("首页链接文字（无政府信息公开栏目）", "homepage link texts (no 政府信息公开 column)"))] if home else []
        return Result.unknown(T(f"未找到政府信息公开栏目，无法判断{what.zh}；可在检查配置中指定栏目地址（columns.disclosure）",
                                f"the 政府信息公开 column was not found, so the {what.en} could not be judged; "
                                "set it in the profile (columns.disclosure)"), ev)
    return Result.unknown(T(f"政府信息公开栏目（{root.url}）未能抓取或内容由脚本生成（{root.reason}），无法判断{what.zh}；"
                            "若栏目在其他域名，可用 --extra-host 加入抓取范围",
                            f"the 政府信息公开 column ({root.url}) was not read ({root.reason}) or is built by scripts, "
                            f"so the {what.en} could not be judged"), [root.evidence()])


def services_not_applicable() -> Result:
    """The profile says the department offers no services: the services.* checks do not apply."""
    return Result.not_applicable(T("配置说明本部门无对外服务职能（services.external_services = false），不检查办事服务",
                                   "the profile says the department has no external services "
                                   "(services.external_services = false): 办事服务 is not inspected"))
