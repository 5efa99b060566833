"""Shared fixtures: loopback sites and a helper that runs the real audit pipeline."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import LoopbackSite  # noqa: E402


@pytest.fixture
def site():
    """An empty LoopbackSite on 127.0.0.1; add routes to ``site.routes`` before crawling."""
    s = LoopbackSite().start()
    yield s
    s.stop()


@pytest.fixture
def audit_site(tmp_path):
    """Run the whole pipeline (crawl, checks, report) against a LoopbackSite.

    Returns a function ``(routes_or_site, **crawl_options) -> AuditOutcome``.
    """
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions

    started = []

    def run(routes, *, only=None, profile=None, out=True, as_of=None, **crawl):
        s = routes if isinstance(routes, LoopbackSite) else LoopbackSite(routes).start()
        if not isinstance(routes, LoopbackSite):
            started.append(s)
        crawl.setdefault("rate", 500)
        config = AuditConfig(crawl=CrawlOptions(**crawl), profile=profile, only=only or [], as_of=as_of)
        return run_audit(s.url, config, tmp_path / "out" if out else None)

    yield run
    for s in started:
        s.stop()
