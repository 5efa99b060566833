"""The README's worked example of a third-party check package (examples/check-package) works:
its entry point names its check, and the check judges the demo site from a view, with its
declared settings and a profile's override."""
from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from auditor.checking.check import Check
from auditor.checking.profile import Profile

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "examples" / "check-package"


def _load_check() -> Check:
    meta = tomllib.loads((PACKAGE / "pyproject.toml").read_text("utf-8"))
    target = meta["project"]["entry-points"]["gov_audit.checks"]["mysite.notices-recent"]
    module, attr = target.split(":")
    path = PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
    spec = importlib.util.spec_from_file_location(module, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return getattr(mod, attr)


@pytest.fixture(scope="module")
def demo_snapshot():
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer
    from auditor.operations.audit import AuditConfig, run_audit

    with DemoServer() as s:
        return run_audit(s.url, AuditConfig(crawl=CrawlOptions(rate=500), profile="city", as_of=s.as_of,
                                            only=["freshness.columns"]), None).snapshot


def test_the_readme_shows_the_example_files():
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in ("pyproject.toml", "gov_audit_mysite/notices_recent.py"):
        assert (PACKAGE / name).read_text("utf-8").strip() in readme, name


def test_the_example_check_passes_and_fails_by_its_setting(demo_snapshot):
    chk = _load_check()
    assert isinstance(chk, Check) and chk.id == "mysite.notices-recent"
    from auditor.checking.profile import load_profile

    city = load_profile("city")
    stale = chk.run(demo_snapshot, city)  # the declared default, 30 days: the demo's notices are stale
    assert stale.status.value == "fail", stale.summary
    assert stale.evidence and stale.evidence[0].url.startswith("http://127.0.0.1")
    lenient = Profile("lenient", {**city.data, "checks": {"mysite.notices-recent": {"max_age_days": 3650}}})
    assert chk.run(demo_snapshot, lenient).status.value == "pass"
