"""Scoring as the README documents it, and profiles as data."""
from __future__ import annotations

import pytest

from auditor.checking.check import Check, Clause, Result, Status, T
from auditor.checking.profile import ProfileError, load_profile
from auditor.checking.runner import CheckRun
from auditor.checking.scoring import score


def _run(cid, category, status, weight=1.0, veto=False):
    chk = Check(id=cid, title=T(cid, cid), category=category, clause=Clause("doc"),
                func=lambda s, p: None, weight=weight, veto=veto)
    return CheckRun(chk, Result(Status(status), T("x")), weight, 0.0)


def test_credit_weights_and_exclusions():
    profile = load_profile("default")
    runs = [_run("a", "identity", "pass", 2), _run("b", "identity", "fail", 2),
            _run("c", "identity", "warn", 4), _run("d", "identity", "unknown", 10),
            _run("e", "identity", "na", 10), _run("f", "identity", "error", 10)]
    card = score(runs, profile)
    cat = card.categories[0]
    # (2*1 + 2*0 + 4*0.5) / 8 = 50 %; unknown/na/error are not in the denominator.
    assert cat.score == 50.0
    assert card.score == 50.0
    assert card.verdict == "fail"  # below the pass line of 60
    assert card.coverage == round(8 / 38, 3)


def test_category_weights_average():
    profile = load_profile("default")
    runs = [_run("a", "identity", "pass"), _run("b", "links", "fail")]
    card = score(runs, profile)
    wi, wl = profile.category_weight("identity"), profile.category_weight("links")
    assert card.score == round(100 * wi / (wi + wl), 1)


def test_veto_fails_the_site_whatever_its_score():
    profile = load_profile("default")
    runs = [_run("a", "identity", "pass", 100), _run("v", "freshness", "fail", 0.1, veto=True)]
    card = score(runs, profile)
    assert card.veto_failed == ["v"]
    assert card.verdict == "fail"


def test_nothing_judged_is_undetermined():
    card = score([_run("a", "identity", "unknown")], load_profile("default"))
    assert card.score is None and card.verdict == "unknown"


def test_builtin_profiles_load_and_inherit():
    for name in ("ministry", "province", "city"):
        p = load_profile(name)
        assert p.name == name
        assert p.keywords("disclosure_column")  # inherited from default
    assert load_profile("ministry").get("identity.site_code_kind") == "bm"
    assert load_profile("city").get("identity.site_code_kind") == "local"


def test_site_profile_overrides_and_extends(tmp_path):
    f = tmp_path / "mysite.toml"
    f.write_text('extends = "city"\nname = "示例市"\n[scoring]\npass_line = 70\n'
                 '[keywords]\ndisclosure_column = ["政务公开"]\n'
                 '[checks."identity.psb"]\nweight = 5\nenabled = false\n', "utf-8")
    p = load_profile(str(f))
    assert p.name == "示例市"
    assert p.get("scoring.pass_line") == 70
    assert p.keywords("disclosure_column") == ["政务公开"]
    assert p.get("identity.site_code_kind") == "local"  # from city
    assert p.check_weight("identity.psb", 1) == 5 and not p.check_enabled("identity.psb")


def test_profile_errors(tmp_path):
    loop = tmp_path / "a.toml"
    loop.write_text('extends = "a.toml"\n', "utf-8")
    with pytest.raises(ProfileError, match="loop"):
        load_profile(str(loop))
    bad = tmp_path / "b.toml"
    bad.write_text('[scoring]\npass_line = 150\n', "utf-8")
    with pytest.raises(ProfileError, match="pass_line"):
        load_profile(str(bad))
    with pytest.raises(ProfileError, match="neither"):
        load_profile(str(tmp_path / "missing.toml"))
