"""Run the selected checks over one snapshot; a check that raises becomes ``error``."""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from datetime import date

from auditor.checking.check import Check, Result, Status, T
from auditor.gather.base import BUILTIN_FACTS, GatherError
from auditor.checking.profile import Profile
from auditor.crawl.snapshot import Snapshot
from auditor.views.homepage import homepage_unread


@dataclass
class CheckRun:
    check: Check
    result: Result
    weight: float
    duration: float


def _blocked_reason(snapshot: Snapshot) -> T | None:
    """When the homepage itself could not be read, checks that read it cannot judge."""
    unread = homepage_unread(snapshot)
    # A homepage that answered without a status code was read as far as it goes.
    return unread.text if unread is not None and unread.kind != "no-answer" else None


def _not_in_force(chk: Check, as_of: date | None) -> Result | None:
    """A rule that had not taken effect on the audit's as-of date is not applicable (na)."""
    if chk.clause.in_force(as_of):
        return None
    start = chk.clause.applies_from
    return Result(Status.NA,
                  T(f"规则尚未施行：{chk.clause.label()} 自 {start} 起施行（检查日期 {as_of}）",
                    f"rule not yet in force: {chk.clause.label()} applies from {start} (audit date {as_of})"),
                  details={"not_in_force": True, "effective": start, "as_of": str(as_of)})


def _not_gathered(chk: Check, snapshot: Snapshot) -> Result | None:
    """``unknown`` when facts the check needs are missing: its gatherer failed, or did not run
    (the audit was interrupted before it). A check therefore never guards against either itself."""
    facts = snapshot.facts
    for name in chk.gatherers:
        if name in BUILTIN_FACTS:
            continue
        value = facts.get(name)
        if isinstance(value, GatherError):
            return Result(Status.UNKNOWN, T(f"所需数据未能采集（{value.name}）：{value.message}",
                                            f"facts this check needs were not gathered ({value.name}): {value.message}"),
                          details={"not_gathered": name, "error": value.message})
        if value is None and name not in chk.optional:
            if snapshot.stop_reason == "interrupted":
                why = T("检查被中断，未进行该项采集", "the audit was interrupted before they were collected")
            else:
                why = T("采集程序未运行", "their gatherer did not run")
            return Result(Status.UNKNOWN, T(f"未采集 {name} 数据（{why.zh}），无法判断",
                                            f"the {name} facts were not gathered ({why.en})"),
                          details={"not_gathered": name})
    return None


def run_checks(checks: list[Check], snapshot: Snapshot, profile: Profile) -> list[CheckRun]:
    runs: list[CheckRun] = []
    blocked = _blocked_reason(snapshot)
    as_of = getattr(snapshot, "as_of", None)
    for chk in checks:
        weight = profile.check_weight(chk.id, chk.weight)
        t0 = time.perf_counter()
        not_in_force = _not_in_force(chk, as_of)
        if not_in_force is not None:
            result = not_in_force
        elif blocked is not None and "homepage" in chk.gatherers:
            result = Result(Status.UNKNOWN, blocked)
        elif (missing := _not_gathered(chk, snapshot)) is not None:
            result = missing
        else:
            try:
                result = chk.run(snapshot, profile)
            except Exception as exc:  # noqa: BLE001 - one broken check never stops the audit
                tb = traceback.extract_tb(exc.__traceback__)
                where = f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
                result = Result(Status.ERROR,
                                T(f"检查程序出错：{type(exc).__name__}: {exc}",
                                  f"the check raised {type(exc).__name__}: {exc}"),
                                details={"where": where})
        runs.append(CheckRun(chk, result, weight, time.perf_counter() - t0))
    return runs
