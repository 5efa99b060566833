"""The browser never starves behind the crawl (issue 10): during a long crawl, the homepage's
render, its resources and its phone view go ahead of the crawl in the per-host rate limiter,
so site.mobile and a11y.axe are decided; before, the render timed out behind the crawl's queue
and both were unknown. Skipped when no chromium or playwright is installed.
"""
from __future__ import annotations

import pytest

import portal
from servers import LoopbackSite, Response

from auditor.crawl.browser import unavailable_reason

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))

RESOURCES = "".join(f"<link rel='stylesheet' href='/s{i}.css'><script src='/j{i}.js'></script>"
                    f"<img src='/i{i}.png' alt='图{i}'>" for i in range(8))


def heavy_home_portal(handler) -> Response:
    """The 3,000-page portal, its homepage pulling in 24 resources (styles, scripts, images)."""
    path = handler.path
    if path in ("/", "/index.html"):
        return Response(portal.homepage().replace("<html>", "<html lang='zh-CN'>").replace(
            "<head>", "<head><meta name='viewport' content='width=device-width'>").replace("<body>", "<body>" + RESOURCES))
    if path.endswith(".css"):
        return Response("body{margin:0}", content_type="text/css")
    if path.endswith(".js"):
        return Response("var loaded = 1;", content_type="application/javascript")
    if path.endswith(".png"):
        return Response(b"\x89PNG\r\n\x1a\n", content_type="image/png")
    return portal.route(handler)


@pytest.mark.timeout(240)
def test_the_homepage_render_goes_ahead_of_a_long_crawl(monkeypatch):
    import auditor.crawl.browser.renderer as renderer
    from auditor.crawl.crawler import CrawlOptions
    from auditor.operations.audit import AuditConfig, run_audit

    # A 5 s navigation limit at 20 requests a second stands for the 15 s limit at the default
    # 5 a second: the homepage and its 24 resources need ~1.3 s of the rate on their own, but
    # ~11 s queued behind the crawl's 8 reserved requests each.
    monkeypatch.setattr(renderer, "NAV_TIMEOUT", 5.0)
    with LoopbackSite({"*": heavy_home_portal}) as site:
        out = run_audit(site.url, AuditConfig(crawl=CrawlOptions(rate=20, max_pages=300),
                                              only=["site.mobile", "a11y.axe"], gather_options={"render": "auto"}),
                        None)
        home_requests = len(site.hits("/"))
    status = {c["id"]: c["status"] for c in out.report["checks"]}
    home = out.snapshot.render["homepage"]
    assert "error" not in home, home.get("error")
    assert status["site.mobile"] == "pass", out.report["checks"]
    assert status["a11y.axe"] in ("pass", "warn", "fail"), out.report["checks"]
    assert out.snapshot.stats["pages"] == 300  # the crawl went on meanwhile
    assert home_requests == 1  # the browser was served the crawl's own response
