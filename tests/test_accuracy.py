"""Verdict accuracy on fixture sites that look like real portals (issue 4).

Three sites — a TRS-style ministry portal (GBK, tables), a Hanweb/JCMS-style province portal
(UTF-8, record scripts) and the bundled city demo — are audited with their profile and
as_of 2026-11-20; every verdict in tests/fixtures/sites/<site>/expected.toml must match.
``python3 -m tests.accuracy_report`` prints the same table.
"""
from __future__ import annotations

import pytest

import accuracy


@pytest.fixture(scope="module")
def rows():
    return accuracy.all_rows()


def test_accuracy_table(rows, capsys):
    with capsys.disabled():
        print("\n" + accuracy.table(rows))
    assert rows
    assert {r.site for r in rows} == set(accuracy.PROFILES)


@pytest.mark.parametrize("site", sorted(accuracy.PROFILES))
def test_expected_verdicts(rows, site):
    bad = [f"{r.check}: expected {r.want}, got {r.got} ({r.reason})" for r in rows if r.site == site and not r.ok]
    assert not bad, "\n".join(bad)


def test_fixtures_are_built_from_the_script(tmp_path, monkeypatch):
    """The committed fixture files are exactly what tests/fixtures/build_sites.py writes."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_sites", accuracy.SITES_DIR.parent / "build_sites.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "ROOT", tmp_path)
    mod.main()
    for name in mod.SITES:
        built = {p.relative_to(tmp_path / name / "www").as_posix(): p.read_bytes()
                 for p in (tmp_path / name / "www").rglob("*") if p.is_file()}
        committed = {p.relative_to(accuracy.SITES_DIR / name / "www").as_posix(): p.read_bytes()
                     for p in (accuracy.SITES_DIR / name / "www").rglob("*") if p.is_file()}
        assert built == committed, name


def test_ministry_pages_are_gbk_with_one_wrong_header():
    routes = accuracy.static_routes("ministry")
    home = routes["/index.html"]
    assert home.content_type == "text/html; charset=gbk"
    home.payload().decode("gbk")
    try:
        home.payload().decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("ministry pages should be GBK bytes")
    assert routes["/zwgk/ndbg/index.html"].content_type == "text/html; charset=utf-8"


@pytest.mark.skipif(__import__("auditor.crawl.browser", fromlist=["x"]).unavailable_reason() is not None,
                    reason="needs chromium (apt-get install -y chromium)")
def test_the_browser_changes_no_verdict_on_the_fixture_sites():
    """--render auto (the CLI default) on the same sites: rendering the homepage and the
    script-built pages must not turn any expected verdict into another one."""
    bad = [f"{r.site} {r.check}: expected {r.want}, got {r.got}" for r in accuracy.all_rows("auto") if not r.ok]
    assert not bad, "\n".join(bad)
