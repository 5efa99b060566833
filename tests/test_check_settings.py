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


# -- one place per setting (issue 11): the check declares it, profiles only override --------
import ast
import tomllib
from importlib import resources
from pathlib import Path

from auditor.checking.check import GENERAL_KEYS, declared_values
from auditor.checking.profile import BUILTIN, ProfileError
from auditor.checking.view_settings import guide_settings, letter_settings
from auditor.views.guides import GuideSettings
from auditor.views.letters import LetterSettings

ROOT = Path(__file__).resolve().parent.parent


def _builtin_tables(name: str) -> dict:
    """The [checks.*] tables written in one built-in profile file (not inherited)."""
    data = tomllib.loads(resources.files("auditor.profiles").joinpath(f"{name}.toml").read_text("utf-8"))
    return data.get("checks", {})


@pytest.mark.parametrize("name", BUILTIN)
def test_every_key_a_profile_sets_is_declared_by_its_check(name):
    checks = discover().checks
    for cid, table in _builtin_tables(name).items():
        assert cid in checks, f"{name}.toml sets [checks.{cid!r}], which no check registers"
        undeclared = set(table) - set(checks[cid].settings) - set(GENERAL_KEYS)
        assert not undeclared, f"{name}.toml: {cid} does not declare {sorted(undeclared)}"


@pytest.mark.parametrize("name", BUILTIN)
def test_no_profile_repeats_a_default_its_check_declares(name):
    """A default is written once, beside the check: a profile sets only values that differ."""
    checks = discover().checks
    for cid, table in _builtin_tables(name).items():
        for key, value in table.items():
            if key in checks[cid].settings:
                assert value != checks[cid].settings[key].default, f"{name}.toml repeats {cid}.{key}'s default"


def test_no_check_reads_a_setting_by_check_id():
    """Checks, views and the checking layer read a check's table only through its declared
    settings (Check.settings_for): no profile.check_setting, no profile.get("checks", …)."""
    offenders = []
    allowed = {ROOT / "auditor" / "checking" / "check.py", ROOT / "auditor" / "checking" / "profile.py",
               ROOT / "auditor" / "checking" / "profile_schema.py"}
    # (reports and operations read report.json's "checks", not a profile's)
    stages = ("checking", "views", "gather", "crawl", "network")
    for path in [*ROOT.joinpath("checks").glob("*.py"), *(p for s in stages for p in ROOT.joinpath("auditor", s).rglob("*.py"))]:
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "check_setting":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} check_setting")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and str(node.args[0].value).split(".")[0] == "checks"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} get('checks…')")
    assert not offenders, offenders


def test_a_check_gets_only_its_declared_settings():
    chk = _demo_check()
    values = chk.settings_for(Profile("p", {"checks": {"demo.settings": {"limit": 4, "weight": 2}}}))
    assert values == {"limit": 4, "mode": "warn"}
    with pytest.raises(KeyError):
        values["undeclared"]


def test_a_table_setting_merges_entry_by_entry_and_defaults_are_copies():
    declared = {"elements": Setting({"a": ["x"], "b": ["y"]}), "words": Setting(["w"])}
    values = declared_values(declared, {"elements": {"b": ["z"], "c": ["q"]}})
    assert values["elements"] == {"a": ["x"], "b": ["z"], "c": ["q"]}
    values["words"].append("changed")
    assert declared_values(declared, {})["words"] == ["w"]


def test_the_shared_views_get_the_declared_defaults_and_the_profiles_overrides():
    default = load_profile("default")
    assert guide_settings(default) == GuideSettings()
    assert letter_settings(default) == LetterSettings()
    over = Profile("p", {"checks": {"services.guides": {"min_elements": 5},
                                    "services.guide-elements": {"elements": {"事项名称": ["名称"]}},
                                    "interaction.response": {"max_detail_pages": 7}}})
    guides = guide_settings(over)
    assert guides.min_elements == 5 and guides.elements_table["事项名称"] == ["名称"]
    assert len(guides.elements) == len(GuideSettings().elements)  # the other categories kept
    assert letter_settings(over).max_detail_pages == 7


def _load(tmp_path, text: str) -> str:
    path = tmp_path / "site.toml"
    path.write_text('extends = "city"\n' + text, "utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    return str(info.value)


def test_an_undeclared_key_is_reported_with_the_nearest_declared_one(tmp_path):
    msg = _load(tmp_path, '[checks."freshness.homepage"]\nportal_min_date = 5\n')
    assert 'checks."freshness.homepage".portal_min_date: unknown key (did you mean \'portal_min_dated\'?)' in msg
    # a check that declares no settings takes only the general keys
    msg = _load(tmp_path, '[checks."site.available"]\nmissing = "warn"\n')
    assert 'checks."site.available".missing: unknown key' in msg


def test_missing_is_fail_or_warn_where_declared(tmp_path):
    msg = _load(tmp_path, '[checks."identity.psb"]\nmissing = "maybe"\n')
    assert 'checks."identity.psb".missing: must be one of fail, warn' in msg


def test_every_threshold_a_check_reads_has_its_one_default_in_the_default_profile():
    """[thresholds] are shared by several checks (homepage_timeout_seconds): their defaults are in
    default.toml only, and a check reads them without a fallback of its own."""
    thresholds = tomllib.loads(resources.files("auditor.profiles").joinpath("default.toml")
                               .read_text("utf-8"))["thresholds"]
    read = set()
    for path in ROOT.joinpath("checks").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "threshold":
                assert len(node.args) == 1 and not node.keywords, f"{path.name}:{node.lineno} repeats a default"
                read.add(node.args[0].value)
    assert read and read <= set(thresholds), sorted(read - set(thresholds))
    with pytest.raises(ProfileError, match="thresholds.homepage_stale_days is not set"):
        Profile("bare", {}).threshold("homepage_stale_days")
