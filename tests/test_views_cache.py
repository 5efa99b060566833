"""The views' memo (auditor.views.cache): once per owner and parameters, thread-safe, and the
snapshot is never written."""
from __future__ import annotations

import threading

import pytest

from auditor.views.cache import computed, view


class Owner:
    """Stands for a snapshot or a page: any weak-referenceable object."""


def test_a_view_is_computed_once_per_owner_and_parameters():
    calls = []

    @view
    def double(owner, x):
        calls.append(x)
        return [x * 2]

    a, b = Owner(), Owner()
    assert double(a, 1) == [2] and double(a, 1) is double(a, 1)
    assert double(a, 2) == [4] and double(b, 1) == [2]
    assert calls == [1, 2, 1]
    assert computed(a) == 2 and computed(b) == 1
    assert vars(a) == {}  # nothing written on the owner


def test_concurrent_callers_wait_for_the_first_result():
    started, release = threading.Event(), threading.Event()
    calls = []

    @view
    def slow(owner):
        calls.append(1)
        started.set()
        release.wait(5)
        return object()

    owner = Owner()
    results = []
    first = threading.Thread(target=lambda: results.append(slow(owner)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: results.append(slow(owner))) for _ in range(3)]
    for t in others:
        t.start()
    release.set()
    for t in [first, *others]:
        t.join(5)
    assert len(calls) == 1 and len(results) == 4 and len({id(r) for r in results}) == 1


def test_an_error_is_raised_and_not_remembered():
    calls = []

    @view
    def flaky(owner):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("first time")
        return "ok"

    owner = Owner()
    with pytest.raises(ValueError):
        flaky(owner)
    assert flaky(owner) == "ok" and len(calls) == 2


def test_an_audit_leaves_the_snapshot_unwritten():
    """No view writes the snapshot or its pages (the old ``_derived`` and ``page.extra`` caches)."""
    from auditor.demo import DemoServer
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions

    with DemoServer() as s:
        outcome = run_audit(s.url, AuditConfig(crawl=CrawlOptions(rate=500), profile="city", as_of=s.as_of,
                                               only=["freshness.*", "disclosure.*", "services.*", "interaction.*"]),
                            None)
    snap = outcome.snapshot
    assert "_derived" not in vars(snap)
    assert all("extra" not in vars(p) for p in snap.pages.values())
    assert computed(snap) > 0
