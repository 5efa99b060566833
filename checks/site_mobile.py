"""site.mobile — the homepage works at phone width (rendered in the system chromium).

A page without ``<meta name="viewport" content="width=device-width">`` is laid out
980 px wide and shrunk on a phone; a page wider than the phone screen
(document.scrollWidth > innerWidth at 390 px) makes visitors scroll sideways.
Needs the ``render`` gatherer: with ``--render never`` or no browser, unknown.
"""
from auditor.checking.check import Clause, Evidence, Result, T, check

ID = "site.mobile"


def _overflow_evidence(rec: dict) -> Evidence:
    phone = rec.get("phone") or {}
    return Evidence(rec.get("final_url") or rec["url"],
                    f"scrollWidth {phone.get('scroll_width')} > innerWidth {phone.get('inner_width')}",
                    T("手机宽度（390 像素）下页面横向溢出", "wider than a 390 px phone screen"))


@check(
    id=ID,
    title=T("移动端适配", "Works on phones"),
    category="accessibility",
    clause=Clause("GB/T 37668-2019《信息技术 互联网内容无障碍可访问性技术要求与测试方法》",
                  "（未找到对应条款；以 WCAG 2.1 1.4.10 重排为代理）",
                  confidence="❓", effective="2020-03-01", rule="R-mobile-reflow",
                  note="作为无障碍代理指标，仅供参考"),
    weight=2,
    description=T("首页应设置 viewport，并在手机宽度下不出现横向滚动。",
                  "The homepage sets a viewport and does not scroll sideways at phone width."),
    remediation=T("在页面 <head> 中加入 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">，"
                  "并用响应式布局（百分比宽度、媒体查询）避免固定宽度的表格和版面超出手机屏幕。",
                  "Add <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"> and use a "
                  "responsive layout so fixed-width tables and frames do not exceed a phone's screen."),
    gatherers=("render",),
)
def run(snap, profile):
    facts = snap.facts["render"]
    if facts.get("state") == "disabled":
        return Result.unknown(T("未渲染页面（--render never），无法判断移动端适配",
                                "pages were not rendered (--render never); phone layout not judged"))
    if facts.get("state") != "done":
        err = (facts.get("homepage") or {}).get("error") or facts.get("state")
        return Result.unknown(T(f"首页未能在浏览器中打开（{err}）", f"the homepage could not be rendered ({err})"))
    home = facts["homepage"]
    phone = home.get("phone") or {}
    if "overflow" not in phone:
        return Result.unknown(T(f"手机宽度下未能打开首页（{phone.get('error')}）",
                                f"the homepage could not be rendered at phone width ({phone.get('error')})"))
    viewport = home.get("viewport")
    has_vp = bool(viewport) and "width" in viewport.replace(" ", "").lower()
    details = {"viewport": viewport, "scroll_width": phone.get("scroll_width"),
               "inner_width": phone.get("inner_width")}
    if phone["overflow"]:
        ev = [_overflow_evidence(home)]
        if not has_vp:
            ev.insert(0, Evidence(home.get("final_url") or home["url"], "", T("首页未设置 viewport", "no viewport meta")))
        return Result.failed(T(f"手机宽度下首页横向溢出（内容宽 {phone['scroll_width']} 像素，屏幕 {phone['inner_width']} 像素）"
                               + ("，且未设置 viewport" if not has_vp else ""),
                               f"the homepage is {phone['scroll_width']} px wide at a {phone['inner_width']} px phone "
                               "viewport" + (" and has no viewport meta" if not has_vp else "")), ev, **details)
    if not has_vp:
        return Result.warned(T("首页未设置 viewport，手机上页面按桌面宽度缩小显示",
                               "no viewport meta: phones show the desktop layout shrunk"),
                             [Evidence(home.get("final_url") or home["url"], str(viewport or ""),
                                       T("首页未设置 viewport", "no viewport meta"))], **details)
    return Result.passed(T("首页设置了 viewport，手机宽度下无横向溢出",
                           "viewport set; no horizontal overflow at phone width"),
                         [Evidence(home.get("final_url") or home["url"], viewport, T("viewport", "viewport"))],
                         **details)
