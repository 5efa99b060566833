"""Check settings are declared once, beside the check, with their defaults (issue 11): a profile
overrides them in the check's table, and gatherers get theirs handed down, never by check id."""
from __future__ import annotations

import pytest

from auditor.checking.check import Clause, Result, Setting, T, check, gatherer_settings
from auditor.checking.profile import Profile, load_profile
from auditor.checking.registry import discover


def _demo_check(**kw):
    @check(id="demo.settings", title=T("设置", "settings"), category="other", clause=Clause("测试"),
           settings={"limit": Setting(3, "how many"), "mode": "warn"}, **kw)
    def run(snap, profile, settings):
        return Result.passed(T(f"{settings['limit']} {settings['mode']}"))
    return run


def test_defaults_come_from_the_check_and_the_profile_overrides_them():
    chk = _demo_check()
    assert chk.run(None, Profile("p", {})).summary.zh == "3 warn"
    over = Profile("p", {"checks": {"demo.settings": {"limit": 7}}})
    assert chk.run(None, over).summary.zh == "7 warn"
    assert chk.meta_json()["settings"]["limit"] == {"default": 3, "doc": "how many"}


def test_two_argument_checks_still_work():
    @check(id="demo.plain", title=T("旧式", "plain"), category="other", clause=Clause("测试"))
    def run(snap, profile):
        return Result.passed(T("ok"))
    assert run.run(None, Profile("p", {})).status.value == "pass"


def test_gatherer_settings_are_handed_down_from_the_checks():
    chk = _demo_check(gatherers=("g",), gatherer_settings={"g": ("limit",)})
    assert gatherer_settings([chk], Profile("p", {"checks": {"demo.settings": {"limit": 9}}})) == {"g": {"limit": 9}}
    with pytest.raises(ValueError):
        _demo_check(gatherer_settings={"g": ("undeclared",)})


def test_builtin_gatherers_get_every_setting_they_read():
    """The ipv6 and axe gatherers read these keys; each has one default, on its check."""
    handed = gatherer_settings(discover().checks.values(), load_profile("default"))
    assert set(handed["ipv6"]) == {"probes", "max_bytes", "min_similarity", "max_links_per_level",
                                   "time_budget_seconds"}
    assert handed["ipv6"]["probes"] == 10 and handed["axe"] == {"sample_columns": 2, "sample_articles": 2}
    # a profile still sets them where it always did
    handed = gatherer_settings(discover().checks.values(),
                               Profile("p", {"checks": {"ipv6.reachable": {"probes": 3}}}))
    assert handed["ipv6"]["probes"] == 3
