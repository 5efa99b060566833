"""One browser per audit, and one per fleet worker across its sites (issue 14).

The visibility gatherer runs in the crawl's chromium instead of starting a second one; a fleet
worker keeps one chromium running and each site's audit connects to it with fresh contexts
(no cookie of one site reaches the next); the renderer serves a subresource it already fetched
from memory. In this process Playwright's launches and connections are counted; in the fleet's
per-site processes, the chromium main processes (those without ``--type=``) that appear.
"""
from __future__ import annotations

import threading
from dataclasses import asdict

import psutil
import pytest

from auditor.crawl.browser import BrowserService, unavailable_reason, use_shared
from auditor.crawl.browser.chromium import is_browser_main
from auditor.crawl.crawler import CrawlOptions
from auditor.operations.audit import AuditConfig, run_audit
from auditor.operations.fleet import FleetJob, SiteSpec, run_local
from servers import LoopbackSite, Response, page

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=f"no browser: {unavailable_reason()}")

FOOTER = "<div class='footer'>主办单位：示例市人民政府办公室</div>"


class BrowserCounter:
    """The chromium main processes that appear under this process (polled) while it runs."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> "BrowserCounter":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.05):
            for proc in me.children(recursive=True):
                if is_browser_main(proc):
                    self.seen.add(proc.pid)


def _site(i: int, *, cookie: bool = False) -> LoopbackSite:
    home = Response(page(f"示例{i}市人民政府",
                         f"<link rel='stylesheet' href='/site.css'><p class='a'>{'示例市人民政府门户网站。' * 20}</p>"
                "<a href='/xwzx/'>新闻中心</a><a href='http://127.0.0.2:9/x'>友情链接</a>"
                         "<script src='/site.js'></script>" + FOOTER))
    if cookie:
        home.headers["Set-Cookie"] = "visited=site-a; Path=/"
    return LoopbackSite({
        "/": home,
        "/site.css": Response(".a { color: #333 }", content_type="text/css"),
        "/site.js": Response("document.body.setAttribute('data-ok', '1');", content_type="application/javascript"),
        "/xwzx/": page("新闻中心", "<link rel='stylesheet' href='/site.css'><ul>"
                       + "".join(f"<li><a href='/xwzx/{k}.html'>要闻{k}</a> 2026-11-0{k}</li>" for k in range(1, 6))
                       + "</ul><script src='/site.js'></script>"),
        **{f"/xwzx/{k}.html": page(f"要闻{k}", "<p>正文</p>") for k in range(1, 6)},
    }).start()


def _config(only: list[str]) -> AuditConfig:
    return AuditConfig(crawl=CrawlOptions(rate=200, timeout=5, render="auto"), only=only,
                       gather_options={"render": "auto"})


@pytest.fixture
def launches(monkeypatch):
    """Every chromium launch and connection Playwright is asked for in this process."""
    from playwright.sync_api import BrowserType

    calls: list[str] = []
    launch, connect = BrowserType.launch, BrowserType.connect_over_cdp

    def counted_launch(self, *a, **kw):
        calls.append("launch")
        return launch(self, *a, **kw)

    def counted_connect(self, *a, **kw):
        calls.append("connect")
        return connect(self, *a, **kw)

    monkeypatch.setattr(BrowserType, "launch", counted_launch)
    monkeypatch.setattr(BrowserType, "connect_over_cdp", counted_connect)
    return calls


def test_the_visibility_gatherer_uses_the_crawls_browser(launches):
    site = _site(1)
    try:
        outcome = run_audit(site.url, _config(["security.dark-links", "site.mobile"]), None)
    finally:
        site.stop()
    assert outcome.snapshot.facts["visibility"]["state"] == "done"  # it ran, in a browser
    assert outcome.snapshot.facts["visibility"]["pages"]
    assert launches == ["launch"]  # the crawl's: before, the gatherer launched a second chromium


def test_the_renderer_fetches_a_site_stylesheet_once():
    site = _site(1)
    try:
        run_audit(site.url, _config(["site.mobile", "a11y.axe"]), None)
    finally:
        site.stop()
    # The homepage (desktop and phone view) and the sampled list page all use both; the browser's
    # requests are those with its Referer (the crawl's own fetch of a script has none).
    for path in ("/site.css", "/site.js"):
        assert len([h for h in site.hits(path) if h.headers.get("referer")]) == 1, path


def test_audits_share_one_running_browser_with_fresh_contexts(launches):
    a, b = _site(1, cookie=True), _site(2)
    service = BrowserService().start()
    try:
        use_shared(service.endpoint)
        first = run_audit(a.url, _config(["site.mobile"]), None)
        second = run_audit(b.url, _config(["site.mobile"]), None)
        assert service.alive  # the audits closed their contexts, not the browser
    finally:
        use_shared(None)
        service.close()
        a.stop()
        b.stop()
    for outcome in (first, second):
        assert outcome.snapshot.facts["render"]["state"] == "done"
    assert launches == ["connect", "connect"]  # no browser started by the audits: the service's ran
    # Site A's cookie (same host, another port) never reached site B: a fresh context per audit.
    assert any("visited=site-a" in (h.headers.get("cookie") or "") for h in a.hits("/site.js"))
    assert not any("visited" in (h.headers.get("cookie") or "") for h in b.log)


def test_a_fleet_worker_starts_one_browser_for_all_its_sites():
    sites = [_site(i) for i in range(2)]
    job = FleetJob(crawl=asdict(CrawlOptions(rate=200, timeout=5, render="auto")), only=["site.mobile"],
                   site_budget=120, total_rate=None)
    try:
        with BrowserCounter() as counter:
            outcomes = run_local([SiteSpec(s.url, f"示例{i}", None, f"s{i}") for i, s in enumerate(sites)], job,
                                 workers=1)
    finally:
        for s in sites:
            s.stop()
    assert [o.state for o in outcomes] == ["audited"] * 2
    for o in outcomes:
        mobile = next(c for c in o.report["checks"] if c["id"] == "site.mobile")
        assert mobile["status"] != "unknown", mobile  # rendered, in the worker's browser
    assert len(counter.seen) == 1  # one chromium for both sites (before: one per site)


def _main_cmdline(root: psutil.Process) -> list[str]:
    for proc in [root, *root.children(recursive=True)]:
        if is_browser_main(proc):
            return proc.cmdline()
    return []


def test_the_shared_browser_starts_with_the_switches_playwright_launches_with():
    """A site must render the same in a fleet worker's chromium as in `gov-audit audit`'s: hidden
    scrollbars, the hover/pointer media features, no HTTPS upgrades... (a Playwright upgrade that
    changes its switches shows here)."""
    from auditor.crawl.browser import launch

    def switches(cmd: list[str]) -> set[str]:
        per_run = ("--user-data-dir=", "--remote-debugging-", "--no-startup-window")
        return {a for a in cmd[1:] if a.startswith("--") and not a.startswith(per_run)}

    with launch():
        launched = _main_cmdline(psutil.Process())
    service = BrowserService().start()
    try:
        shared = _main_cmdline(psutil.Process(service.proc.pid))
    finally:
        service.close()
    assert launched and shared
    assert switches(shared) == switches(launched)


def test_a_tab_job_runs_without_scripts_and_leaves_the_tab_as_it_was():
    """The visibility gatherer's job runs in the renderer's kept tab (no context of its own):
    its pages' scripts stay off and its routes answer its requests; after it, a render runs the
    page's scripts again and its requests go through the crawl's fetcher, not the job's route."""
    from auditor.crawl.browser.renderer import Renderer
    from auditor.network.fetch import Fetcher

    site = LoopbackSite({"/": page("示例", "<p id='p'>静态</p><script>document.getElementById('p')"
                                          ".textContent = '脚本写入';</script>")}).start()
    fetcher = Fetcher(rate=200, timeout=5)
    renderer = Renderer(fetcher).start()
    stored = "<html><body><p id='p'>静态</p><script>document.getElementById('p').textContent = '脚本写入';</script>"

    def job(tab):
        tab.route("**/*", lambda r, req: r.fulfill(status=200, content_type="text/html; charset=utf-8", body=stored))
        tab.goto(site.url, wait_until="load")
        return tab.evaluate("document.getElementById('p').textContent")

    try:
        assert renderer.run_in_tab(job).result(timeout=60) == "静态"  # the script did not run
        rec = renderer.render(site.url).result(timeout=60)
    finally:
        renderer.close()
        fetcher.close()
        site.stop()
    assert "error" not in rec, rec
    assert "脚本写入" in rec["text"]  # scripts on again
    assert len(site.hits("/")) == 1  # the render's request reached the site: the job's route is gone


def test_the_phone_view_in_the_kept_tab_is_a_phone_and_the_tab_is_a_desktop_again():
    """The homepage's phone view borrows the desktop tab (no context, so no renderer process, of
    its own): during it the page is laid out on a 390-wide touch screen at scale 2 — a page
    without a viewport meta is laid out wide and zoomed out, as a phone shows it — the
    screenshot is the first screen at CSS size; after it the tab is a 1280-wide desktop again."""
    import base64
    import struct

    from auditor.crawl.browser.renderer import Renderer
    from auditor.network.fetch import Fetcher

    wide = "<div style='width:1200px'>" + "<p>示例市人民政府门户网站</p>" * 40 + "</div>"
    site = LoopbackSite({"/": page("示例", wide)}).start()
    fetcher = Fetcher(rate=200, timeout=5)
    renderer = Renderer(fetcher).start()

    def desktop_metrics(tab):
        fitted = "<meta name='viewport' content='width=device-width,initial-scale=1'><p>示例</p>"
        tab.route("**/*", lambda r, req: r.fulfill(status=200, content_type="text/html; charset=utf-8", body=fitted))
        tab.goto(site.url + "next", wait_until="load")
        return tab.evaluate("[innerWidth, devicePixelRatio, navigator.maxTouchPoints]")

    try:
        rec = renderer.render(site.url, homepage=True).result(timeout=90)
        after = renderer.run_in_tab(desktop_metrics).result(timeout=60)
    finally:
        renderer.close()
        fetcher.close()
        site.stop()
    phone = rec["phone"]
    assert "error" not in phone, phone
    assert phone["viewport"] is None and phone["inner_width"] == phone["scroll_width"] >= 1200  # laid out wide
    assert struct.unpack(">II", base64.b64decode(phone["screenshot"])[16:24]) == (390, 844)
    assert after == [1280, 1, 0]


def test_pages_rendered_without_images_never_ask_for_them():
    """A page the browser loads for its DOM (not the homepage, whose screenshots need images)
    asks for no image at all — it used to ask, and each refusal cost a round trip — while the
    homepage still gets its images; the page's scripts and stylesheets still load."""
    from auditor.crawl.browser.renderer import Renderer
    from auditor.network.fetch import Fetcher

    body = ("<link rel='stylesheet' href='/site.css'><img src='/a.png' alt='图'>"
            "<p id='p'>静态</p><script src='/site.js'></script>")
    site = LoopbackSite({
        "/": page("首页", body), "/list.html": page("列表", body),
        "/a.png": Response(b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        "/site.css": Response("p { color: #333 }", content_type="text/css"),
        "/site.js": Response("document.getElementById('p').textContent = '脚本写入';",
                             content_type="application/javascript"),
    }).start()
    fetcher = Fetcher(rate=200, timeout=5)
    renderer = Renderer(fetcher).start()
    try:
        listing = renderer.render(site.url + "list.html").result(timeout=60)
        images_after_list = len(site.hits("/a.png"))
        home = renderer.render(site.url, homepage=True).result(timeout=90)
    finally:
        renderer.close()
        fetcher.close()
        site.stop()
    assert "error" not in listing and "脚本写入" in listing["text"]
    assert images_after_list == 0 and renderer.refused.get("skipped-type", 0) == 0
    assert "error" not in home and len(site.hits("/a.png")) == 1  # the homepage's screenshots have it
