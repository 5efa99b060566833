"""No browser thread outlives the audit: a renderer closed while chromium is still starting
waits for it and closes it, instead of leaving Playwright running into interpreter exit
(which crashed the process with SIGSEGV / abort after the report was written).

A slow-starting browser (a wrapper that sleeps before starting chromium) makes the race
certain instead of depending on the machine's load, as when the crawl of an unreachable
site ends long before the browser is up. (The crash itself is not asserted: it needs the
thread to be in the wrong native call at exit, which no test can arrange without timing.)
"""
from __future__ import annotations

import pytest

from auditor.crawl.browser import find_chromium, unavailable_reason
from auditor.crawl.browser.renderer import Renderer
from auditor.network.fetch import Fetcher

NO_BROWSER = unavailable_reason()
pytestmark = pytest.mark.skipif(NO_BROWSER is not None, reason=f"needs a browser: {NO_BROWSER}")

# Longer than the renderer used to wait in close() (5 s) before abandoning the thread.
STARTUP_DELAY = 6


@pytest.fixture
def slow_chromium(tmp_path, monkeypatch):
    script = tmp_path / "slow-chromium"
    script.write_text(f"#!/bin/sh\nsleep {STARTUP_DELAY}\nexec {find_chromium()} \"$@\"\n")
    script.chmod(0o755)
    monkeypatch.setenv("GOV_AUDIT_CHROMIUM", str(script))
    return script


@pytest.mark.timeout(120)
def test_close_while_the_browser_starts_ends_the_thread(slow_chromium):
    fetcher = Fetcher(rate=500, timeout=2)
    try:
        renderer = Renderer(fetcher).start()
        renderer.close()
        assert not renderer.running
    finally:
        fetcher.close()
