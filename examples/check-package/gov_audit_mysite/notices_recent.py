"""mysite.notices-recent — the 通知公告 column published something in the last max_age_days."""
from auditor.checking.check import Clause, Evidence, Result, Setting, T, check
from auditor.views.columns import columns_of


@check(
    id="mysite.notices-recent",
    title=T("通知公告近期更新", "Recent notices"),
    category="freshness",
    clause=Clause("《本单位网站管理办法》", "第八条", confidence="✅"),
    weight=1,
    gatherers=("homepage",),  # the runner says 'unknown' for us when the homepage could not be read
    settings={"max_age_days": Setting(30, "days the newest notice may be old"),
              "names": Setting(["通知公告", "公告"], "column names that hold notices")},
)
def run(snap, profile, settings):
    # A view: the site's columns, found once per audit and shared with every check that asks.
    notices = [c for c in columns_of(snap, profile) if any(n in c.name for n in settings["names"])]
    dated = [c for c in notices if c.newest is not None]
    if not dated:
        return Result.unknown(T("未找到有日期的通知公告栏目", "no dated 通知公告 column was found"),
                              [Evidence(c.url, c.name) for c in notices])
    column = max(dated, key=lambda c: c.newest)
    age = column.age_days(snap.as_of)
    evidence = [Evidence(column.url, f"{column.name}：{column.newest}", T("最新一条", "newest item"))]
    if age <= settings["max_age_days"]:
        return Result.passed(T(f"通知公告 {age} 天前更新", f"notices updated {age} days ago"), evidence)
    return Result.failed(T(f"通知公告已 {age} 天未更新（要求 {settings['max_age_days']} 天内）",
                           f"no notice for {age} days (at most {settings['max_age_days']})"), evidence)
