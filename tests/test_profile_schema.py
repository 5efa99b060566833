"""Profiles are validated before any crawling (issue 15 item 8): one rule, one test; every
message names the file, the key and the reason."""
from __future__ import annotations

import pytest

from auditor.checking.profile import BUILTIN, ProfileError, load_profile
from auditor.operations.cli import main


def _profile(tmp_path, text: str, name: str = "site.toml"):
    path = tmp_path / name
    path.write_text('extends = "city"\n' + text, "utf-8")
    return path


def _error(tmp_path, text: str) -> str:
    path = _profile(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert str(path) in message  # the file
    assert "\n" not in message  # one line
    return message


@pytest.mark.parametrize("name", BUILTIN)
def test_the_builtin_profiles_are_valid(name):
    assert load_profile(name).name == name


def test_a_weight_that_is_not_a_number(tmp_path):
    msg = _error(tmp_path, '[checks."links.homepage"]\nweight = "heavy"\n')
    assert 'checks."links.homepage".weight: must be a number, not the string \'heavy\'' in msg


def test_a_negative_weight(tmp_path):
    msg = _error(tmp_path, '[checks."identity.footer"]\nweight = -3\n')
    assert 'checks."identity.footer".weight: must be 0 or more, not -3' in msg


def test_a_negative_category_weight(tmp_path):
    msg = _error(tmp_path, "[scoring.category_weights]\nlinks = -1\n")
    assert "scoring.category_weights.links: must be 0 or more" in msg


def test_enabled_must_be_a_boolean(tmp_path):
    msg = _error(tmp_path, '[checks."identity.psb"]\nenabled = "no"\n')
    assert 'checks."identity.psb".enabled: must be a boolean (true/false), not the string \'no\'' in msg


def test_missing_must_be_fail_or_warn(tmp_path):
    msg = _error(tmp_path, '[checks."identity.psb"]\nmissing = "maybe"\n')
    assert 'checks."identity.psb".missing: must be one of fail, warn, not the string \'maybe\'' in msg


def test_a_negative_or_zero_timeout(tmp_path):
    assert "thresholds.homepage_timeout_seconds: must be greater than 0, not -5" in \
        _error(tmp_path, "[thresholds]\nhomepage_timeout_seconds = -5\n")
    assert "thresholds.homepage_timeout_seconds: must be greater than 0, not 0" in \
        _error(tmp_path, "[thresholds]\nhomepage_timeout_seconds = 0\n")


def test_a_ratio_above_one(tmp_path):
    msg = _error(tmp_path, "[thresholds]\nuptime_fail_ratio = 5\n")
    assert "thresholds.uptime_fail_ratio: must be at most 1, not 5" in msg


@pytest.mark.parametrize("value", ["02-30", "13-01", "3-31", "March 31"])
def test_an_impossible_deadline(tmp_path, value):
    msg = _error(tmp_path, f'[deadlines]\nannual_report_deadline = "{value}"\n')
    assert "deadlines.annual_report_deadline: must be a real month and day as MM-DD" in msg


def test_a_possible_deadline_is_accepted(tmp_path):
    profile = load_profile(str(_profile(tmp_path, '[deadlines]\nannual_report_deadline = "02-29"\n')))
    assert profile.get("deadlines.annual_report_deadline") == "02-29"


def test_a_setting_takes_the_type_of_its_default(tmp_path):
    # links.homepage.dead_statuses defaults to a list of numbers, include_external to a boolean.
    msg = _error(tmp_path, '[checks."links.homepage"]\ndead_statuses = 404\ninclude_external = "yes"\n')
    assert 'checks."links.homepage".dead_statuses: must be a list, not 404' in msg
    assert 'checks."links.homepage".include_external: must be a boolean' in msg
    msg = _error(tmp_path, "[keywords]\nhotlines = \"12345\"\n")
    assert "keywords.hotlines: must be a list, not the string '12345'" in msg


def test_a_threshold_that_is_not_a_number(tmp_path):
    msg = _error(tmp_path, '[thresholds]\nhomepage_stale_days = "two weeks"\n')
    assert "thresholds.homepage_stale_days: must be a number" in msg


def test_an_unknown_key_is_reported_with_a_suggestion(tmp_path):
    msg = _error(tmp_path, '[checks."links.homepage"]\nwieght = 2\n')
    assert "checks.\"links.homepage\".wieght: unknown key (did you mean 'weight'?)" in msg
    msg = _error(tmp_path, "[thresholds]\nhomepage_stale_day = 20\n")
    assert "thresholds.homepage_stale_day: unknown key (did you mean 'homepage_stale_days'?)" in msg
    msg = _error(tmp_path, "[treshholds]\nhomepage_stale_days = 20\n")
    assert "treshholds: unknown section (did you mean 'thresholds'?)" in msg


def test_an_unknown_check_is_reported_with_a_suggestion(tmp_path):
    msg = _error(tmp_path, '[checks."links.homepag"]\nweight = 2\n')
    assert "checks.\"links.homepag\": unknown check (did you mean 'links.homepage'?)" in msg


def test_a_general_key_of_a_check_without_declared_settings_is_still_judged(tmp_path):
    # site.mobile has no table in the built-in profiles: its general keys are typed all the same.
    assert 'checks."site.mobile".weight: must be 0 or more' in _error(tmp_path, '[checks."site.mobile"]\nweight = -1\n')
    assert "did you mean 'enabled'" in _error(tmp_path, '[checks."site.mobile"]\nenabeld = false\n')


def test_an_invalid_regular_expression(tmp_path):
    msg = _error(tmp_path, '[checks."identity.meta-tags-pages"]\npubdate_format = "^(\\\\d{4}"\n')
    assert "pubdate_format: is not a valid regular expression" in msg


def test_every_problem_is_reported_at_once(tmp_path):
    msg = _error(tmp_path, '[checks."links.homepage"]\nweight = "heavy"\n[checks."identity.psb"]\nenabled = "no"\n')
    assert "weight" in msg and "enabled" in msg


def test_the_file_that_set_the_key_is_named(tmp_path):
    base = _profile(tmp_path, '[checks."identity.psb"]\nmissing = "maybe"\n', "base.toml")
    site = tmp_path / "site.toml"
    site.write_text('extends = "base.toml"\n', "utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(site))
    assert str(base) in str(info.value) and "missing" in str(info.value)


def test_documented_settings_absent_from_the_defaults_are_accepted(tmp_path):
    profile = load_profile(str(_profile(tmp_path, '''
[columns]
disclosure = "https://www.example.gov.cn/xxgk/"
[columns.named]
"通知公告" = { url = "https://www.example.gov.cn/tzgg/", class = "notice_policy" }
"规划计划" = "https://www.example.gov.cn/ghjh/"
[disclosure.pages]
guide = "https://www.example.gov.cn/xxgk/zn/"
[keywords]
social_weibo_urls = ["weibo.com/example"]
''')))
    assert profile.get("columns.named")["规划计划"].endswith("/ghjh/")


def test_the_cli_refuses_a_bad_profile_before_any_request(tmp_path, capsys):
    from servers import LoopbackSite, page

    path = _profile(tmp_path, '[checks."links.homepage"]\nweight = "heavy"\n')
    with LoopbackSite({"/": page("示例", "x")}) as site:
        url = site.url
        code = main(["audit", url, "--out", str(tmp_path / "out"), "--profile", str(path), "--quiet"])
        hits = list(site.log)
    err = capsys.readouterr().err.strip()
    assert code == 2 and hits == []
    assert err.startswith("gov-audit: error: profile ") and "weight" in err and "Traceback" not in err
    assert len(err.splitlines()) == 1
    # fleet too, before any site is audited
    csv = tmp_path / "sites.csv"
    csv.write_text(f"url,profile\n{url},{path}\n", "utf-8")
    code = main(["fleet", str(csv), "--out", str(tmp_path / "fleet"), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "weight" in err
