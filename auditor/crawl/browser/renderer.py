"""The browser during the crawl: one chromium on a thread of its own, rendering pages on request.

The crawler hands it the homepage and the pages whose static HTML looks script-built
(``ParsedPage.script_built_signs`` from the parse); what the browser shows comes back as a record
(rendered HTML, visible text, links, viewport, screenshots, axe-core results) and
the crawler puts the rendered DOM into the snapshot, so every check reads the page as
a visitor sees it, and follows the links that only scripts wrote.

Politeness: the browser fetches nothing by itself. Every request it makes — the page,
its scripts, styles, images and XHRs — is intercepted (``context.route``) and fetched
through the crawl's :class:`auditor.network.fetch.Fetcher`, then handed back to the browser
(``route.fulfill``). So rendering shares the crawl's per-host rate limit, timeouts,
size caps, name resolution (``--resolve``, ``--dns-server``, ``--connect-to``) and
trusted CAs (``--ca-bundle``); a navigation (the page itself, redirects, frames) is
refused when robots.txt disallows it, as the crawl would. Fonts, audio and video are
not fetched at all (they change neither the DOM nor what the checks judge), and
images only for the screenshots. A script, stylesheet or image fetched once is served
again from memory (``_memo``) for the rest of the audit: the homepage's phone view and
every sampled page use the same site CSS and scripts, which the server is asked for once.

What costs CPU here is chromium's, not Python's: each new tab starts a renderer process
(about 0.2 s of CPU), so the renderer keeps one tab per context and navigates it from page
to page (to ``about:blank`` between jobs, so no page's scripts run while it waits; Playwright
starts chromium without the back/forward cache, so the page left is destroyed, not frozen). The
``visibility`` gatherer runs in this tab too (``run_in_tab``), not in a context or browser of its own.

Playwright's sync API is bound to the thread that started it, so all browser work
happens on the renderer's thread; other threads submit jobs and get futures.
"""
from __future__ import annotations

import base64
import itertools
import queue
import threading
import time
from concurrent.futures import Future
from typing import Callable

from auditor.network.fetch import Request
from auditor.network.urls import normalize, origin_key, resolve

NAV_TIMEOUT = 15.0     # seconds per navigation (the 国办 probe's limit)
SETTLE = 1.5           # seconds to wait for the network to go quiet after load
TOTAL_BUDGET = 120.0   # seconds of browser work for the whole audit
MAX_HTML = 5_000_000  # the DOM handed to the crawl; the report keeps less
MAX_TEXT = 50_000
MAX_LINKS = 500
MAX_RESOURCE_BYTES = 3 * 1024 * 1024
THIRD_PARTY_TIMEOUT = 3.0  # a CDN the closed network cannot reach must not hold the page for long
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PHONE_SCALE = 2
DESKTOP_MAX_HEIGHT = 2400
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_NODES = 3
MAX_REDIRECTS = 5
RENDER_FIRST, AXE_LATER, STOP = 0, 1, 2  # job priorities (gatherers' jobs share AXE_LATER, in order)
# Subresources kept for the rest of the audit (see the module docstring), and their total size.
MEMO_TYPES = frozenset({"script", "stylesheet", "image"})
MEMO_BYTES = 24 * 1024 * 1024
# How long close() waits for the renderer's thread to end: a browser still starting
# (launch's own 30 s timeout) and then one job whose browser requests are all refused.
# Longer than any of those bounds, so in practice close() returns when the thread has ended.
CLOSE_WAIT = 90.0
# Request headers the browser's request passes on to the fetcher (the fetcher sets its
# own User-Agent, Accept-Encoding and Host; hop-by-hop headers do not travel).
FORWARD_HEADERS = ("accept", "accept-language", "cookie", "referer", "origin", "content-type",
                   "x-requested-with", "authorization")
# Response headers not handed back: the body is already decoded and re-framed.
DROP_RESPONSE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection",
                                   "keep-alive"})
SKIP_TYPES = frozenset({"font", "media", "websocket", "eventsource", "manifest", "texttrack"})
# Added to a page's own response headers when its images are not wanted: the page then never
# asks for them (a request refused in _route costs a round trip through Playwright's driver and
# this process, ≈ 10 ms of CPU each), and a blocked image is drawn as a failed one, as before.
NO_IMAGES_CSP = "img-src 'none'; media-src 'none'; font-src 'none'"

_PAGE_JS = """() => {
  const vp = document.querySelector('meta[name="viewport" i]');
  const links = [];
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const h = a.href;
    if (!h || !/^https?:/i.test(h)) continue;
    links.push([h, (a.innerText || a.getAttribute('title') || a.getAttribute('aria-label') || '').trim().slice(0, 120)]);
    if (links.length >= %d) break;
  }
  const de = document.documentElement;
  return {
    title: document.title || '',
    lang: de.getAttribute('lang') || '',
    viewport: vp ? (vp.getAttribute('content') || '') : null,
    text: document.body ? document.body.innerText : '',
    links: links,
    scroll_width: Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0),
    scroll_height: Math.max(de.scrollHeight, document.body ? document.body.scrollHeight : 0),
    inner_width: window.innerWidth,
  };
}""" % MAX_LINKS


class Renderer:
    """A system chromium serving render jobs on its own thread (see the module docstring).

    ``allow(url)`` returns a reason ("robots") when a navigation may not be fetched;
    ``first_party(url)`` tells the audited site's URLs from third parties (CDNs, counters),
    which get a shorter timeout and are given up after one failure.
    ``start()`` launches the browser in the background; a browser that cannot start
    fails every job with :class:`auditor.crawl.browser.BrowserUnavailable` (``self.error``).
    """

    def __init__(self, fetcher, *, allow: Callable[[str], str | None] | None = None,
                 first_party: Callable[[str], bool] | None = None, budget: float = TOTAL_BUDGET) -> None:
        self.fetcher = fetcher
        self.allow = allow
        self.first_party = first_party
        self.budget = budget
        self.error: Exception | None = None
        self.requests = 0          # requests the browser made, all through the fetcher
        self.refused: dict[str, int] = {}  # why requests were not made: robots, skipped type, unreachable host
        # (priority, sequence, job): pages to render before axe-core runs; None stops the thread.
        self._jobs: "queue.PriorityQueue[tuple[int, int, tuple[Future, Callable] | None]]" = queue.PriorityQueue()
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None
        self._started = 0.0
        self._images = False       # whether the current job fetches images (screenshots)
        # Whether the current job's requests go ahead of the crawl's in the rate limiter (the
        # homepage, its resources and its phone view: the browser checks must not starve).
        self._first = False
        # Main documents the crawl already fetched (URL -> status, HTML): served to the browser
        # instead of asking the server again.
        self._documents: dict[str, tuple[int, str, dict[str, str]]] = {}
        self._documents_lock = threading.Lock()
        self.served_from_crawl = 0
        self._dead_origins: set[str] = set()
        self._redirect_to: str | None = None
        self._closing = False
        self._browser = None
        self._tabs: dict[int, object] = {}  # id(context) -> its one kept tab (see the module docstring)
        # GET subresources already fetched: URL -> (status, headers, body); renderer thread only.
        self._memo: dict[str, tuple[int, dict, bytes]] = {}
        self._memo_bytes = 0
        self.memo_hits = 0

    # -- any thread -----------------------------------------------------------------
    def start(self) -> "Renderer":
        if self._thread is None:
            self._started = time.monotonic()
            self._thread = threading.Thread(target=self._serve, name="gov-audit-render", daemon=True)
            self._thread.start()
        return self

    def over_budget(self) -> bool:
        return bool(self._started) and time.monotonic() - self._started > self.budget

    def serve_document(self, url: str, status: int, html: str, set_cookie: str | None = None) -> None:
        """Give the browser this page's HTML as the crawl received it (any thread); the HTML is
        the decoded text, so it goes as UTF-8 (the header's charset overrides a meta charset)."""
        headers = {"content-type": "text/html; charset=utf-8"}
        if set_cookie:
            headers["set-cookie"] = set_cookie  # a firewall's cookie the page's scripts may need
        with self._documents_lock:
            self._documents[normalize(url) or url] = (status, html, headers)

    def render(self, url: str, *, homepage: bool = False) -> Future:
        """The page's rendered record; the homepage also gets screenshots, axe and the phone view."""
        return self._submit(lambda: self._render(url, homepage=homepage), RENDER_FIRST)

    def axe(self, url: str) -> Future:
        """axe-core on one page: ``{"url", "final_url", "axe"}`` or ``{"url", "error"}``."""
        return self._submit(lambda: self._axe_only(url), AXE_LATER)

    def run_in_tab(self, job: Callable[[object], object]) -> Future:
        """``job(tab)`` on the renderer's thread, after the renders and axe-core runs queued so
        far, in the kept desktop tab with the page's scripts off (as a context made without
        JavaScript) — for a gatherer that loads stored pages (auditor.gather.visibility). It
        opens no context and no tab of its own, so no renderer process starts for it. The job
        routes its own requests with ``tab.route`` (a page's routes come before the context's);
        they are removed after it, scripts are switched back on, and the tab parked. Not bound
        by the render budget, only by the crawl's stop; the future holds what the job returns
        (or raises)."""
        def call() -> object:
            if self._browser is None:
                raise RuntimeError("the browser is not running")
            tab = self._tab(self._desktop)
            try:
                cdp = self._desktop.new_cdp_session(tab)
                cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
                try:
                    return job(tab)
                finally:
                    tab.unroute_all(behavior="ignoreErrors")
                    cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
                    cdp.detach()
            except BaseException:
                self._drop_tab(self._desktop)  # a tab left in an unknown state is not reused
                raise
            finally:
                self._park(self._desktop)
        return self._submit(call, AXE_LATER, raw=True)

    def close(self, wait: float = CLOSE_WAIT) -> None:
        """Stop the thread and close the browser; queued jobs are cancelled, the browser's
        requests from now on refused. Returns when the thread has ended (``wait`` seconds
        at most, see CLOSE_WAIT): a browser still starting is closed as soon as it is up.

        Why wait: the thread runs Playwright (greenlets, an asyncio loop, the node driver).
        Left running while the interpreter finalizes (it is a daemon), it crashed the
        process at exit — SIGSEGV, or abort on a corrupted heap — after the report was
        written; an unreachable site did it most often, its crawl ending while chromium
        was still launching."""
        self._closing = True
        if self._thread is None:
            return
        while True:
            try:
                _, _, item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        self._jobs.put((STOP, next(self._seq), None))
        self._thread.join(timeout=wait)

    @property
    def running(self) -> bool:
        """Whether the renderer's thread (and so possibly the browser) is still alive."""
        return self._thread is not None and self._thread.is_alive()

    def _submit(self, job: Callable, priority: int, raw: bool = False) -> Future:
        """``raw``: the job's return value is the result as is, and its exception the future's."""
        fut: Future = Future()
        if raw:
            fut.raw = True  # type: ignore[attr-defined]
        self.start()
        self._jobs.put((priority, next(self._seq), (fut, job)))
        return fut

    # -- the renderer's thread ----------------------------------------------------------
    def _serve(self) -> None:
        from auditor.crawl.browser.chromium import launch

        if self._closing:  # closed before the browser started: do not start it at all
            return
        try:
            with launch() as browser:
                if self._closing:  # closed while it was launching: leaving the with closes it
                    return
                self._browser = browser
                self._desktop = self._context(browser, viewport=DESKTOP)
                try:
                    self._loop()
                finally:
                    for ctx in (self._desktop,):
                        try:
                            ctx.close()
                        except Exception:  # noqa: BLE001 - a crashed browser is closed anyway
                            pass
        except Exception as exc:  # noqa: BLE001 - BrowserUnavailable, launch errors, a browser crash
            self.error = exc
            self._fail_all(exc)

    def _loop(self) -> None:
        while True:
            _, _, item = self._jobs.get()
            if item is None:
                return
            fut, job = item
            if not fut.set_running_or_notify_cancel():
                continue
            if getattr(fut, "raw", False):
                if self.fetcher.stop.is_set():
                    fut.set_exception(RuntimeError("stopped"))
                    continue
                try:
                    fut.set_result(job())
                except BaseException as exc:  # noqa: BLE001 - the caller decides what a failure means
                    fut.set_exception(exc)
                continue
            if self.over_budget() or self.fetcher.stop.is_set():
                fut.set_result({"error": "time budget" if self.over_budget() else "stopped"})
                continue
            t0 = time.monotonic()
            try:
                rec = job()
            except Exception as exc:  # noqa: BLE001 - one page's failure is that page's record
                rec = {"error": f"{type(exc).__name__}: {_first_line(exc)}"}
            rec["seconds"] = round(time.monotonic() - t0, 2)
            rec["at"] = round(t0 - self._started, 2)  # when the job started, from the browser's start
            fut.set_result(rec)

    def _fail_all(self, exc: Exception) -> None:
        while True:
            _, _, item = self._jobs.get()
            if item is None:
                return
            fut, _ = item
            if fut.set_running_or_notify_cancel():
                fut.set_exception(exc)

    def _context(self, browser, **kw):
        ctx = browser.new_context(ignore_https_errors=True, service_workers="block", **kw)
        ctx.set_default_timeout(NAV_TIMEOUT * 1000)
        ctx.route("**/*", self._route)
        return ctx

    def _route(self, route, request) -> None:
        """Every request the browser makes: fetched through the crawl's fetcher, or refused."""
        url = request.url
        if not url.startswith(("http://", "https://")):
            route.continue_()
            return
        if self._closing:
            return self._refuse(route, "closing")
        kind = request.resource_type
        if kind in SKIP_TYPES or (kind == "image" and not self._images):
            return self._refuse(route, "skipped-type")
        origin = origin_key(url)  # scheme, host and port: one dead port is not a dead host
        if origin in self._dead_origins:
            return self._refuse(route, "unreachable-host")
        navigation = request.is_navigation_request()
        if navigation and self.allow is not None and self.allow(url):
            return self._refuse(route, "robots")
        # The page's own navigation gets its redirects one hop at a time (see below); anything
        # else is followed by the fetcher, since Chromium would follow a fulfilled redirect
        # itself, past this route (frames' hops obey robots.txt on the way).
        main_frame = navigation and request.frame.parent_frame is None
        if main_frame and request.method == "GET":
            with self._documents_lock:
                doc = self._documents.get(normalize(url) or url)
            if doc is not None:
                self.served_from_crawl += 1
                try:
                    route.fulfill(status=doc[0], headers=self._page_headers(doc[2]), body=doc[1].encode("utf-8"))
                except Exception:  # noqa: BLE001 - the page went away meanwhile
                    pass
                return
        memo_key = url if request.method == "GET" and kind in MEMO_TYPES else None
        if memo_key is not None and memo_key in self._memo:
            status, out, body = self._memo[memo_key]
            self.memo_hits += 1
            try:
                route.fulfill(status=status, headers=out, body=body)
            except Exception:  # noqa: BLE001 - the page went away meanwhile
                pass
            return
        try:
            headers = request.all_headers()
        except Exception:  # noqa: BLE001 - the request was cancelled meanwhile
            headers = request.headers
        send = {k: v for k, v in headers.items() if k.lower() in FORWARD_HEADERS}
        third_party = self.first_party is not None and not self.first_party(url)
        self.requests += 1
        f = self.fetcher.fetch(Request(url, method=request.method, data=request.post_data_buffer, headers=send,
                                       follow=not main_frame, allow=self.allow if navigation else None,
                                       any_type=True, max_bytes=MAX_RESOURCE_BYTES, first=self._first,
                                       timeout=THIRD_PARTY_TIMEOUT if third_party else None))
        if f.error_kind or f.status is None:
            if f.error_kind in ("dns", "connect", "timeout") and third_party:
                self._dead_origins.add(origin)
            return self._refuse(route, f.error_kind or "error")
        location = f.headers.get("location") if f.status in (301, 302, 303, 307, 308) else None
        if location and main_frame:
            # _goto navigates to the target, so every hop goes through the fetcher. (An empty
            # page stands in for the hop: an aborted navigation would leave an error page
            # racing the next one.)
            self._redirect_to = resolve(url, location)
            try:
                route.fulfill(status=200, content_type="text/html", body=b"")
            except Exception:  # noqa: BLE001
                pass
            return
        out = {k: v for k, v in f.headers.items() if k not in DROP_RESPONSE_HEADERS}
        body = f.body or b""
        if (memo_key is not None and f.status == 200 and "no-store" not in f.headers.get("cache-control", "")
                and self._memo_bytes + len(body) <= MEMO_BYTES):
            self._memo[memo_key] = (f.status, out, body)
            self._memo_bytes += len(body)
        try:
            route.fulfill(status=f.status, headers=self._page_headers(out) if main_frame else out, body=body)
        except Exception:  # noqa: BLE001 - the page went away while we fetched
            pass

    def _page_headers(self, headers: dict) -> dict:
        """A page's response headers, with NO_IMAGES_CSP when this job fetches no images (a
        second policy only narrows the site's own: both are enforced)."""
        if self._images:
            return headers
        return {**{k: v for k, v in headers.items() if k.lower() != "content-security-policy"},
                "content-security-policy": ", ".join(
                    [v for k, v in headers.items() if k.lower() == "content-security-policy"] + [NO_IMAGES_CSP])}

    def _refuse(self, route, why: str) -> None:
        self.refused[why] = self.refused.get(why, 0) + 1
        try:
            route.abort("blockedbyclient")
        except Exception:  # noqa: BLE001
            pass

    def _goto(self, bpage, url: str) -> str | None:
        """Navigate; None when the page loaded, else why not."""
        for _ in range(MAX_REDIRECTS + 1):
            if self.allow is not None and self.allow(url):
                return "robots"
            self._redirect_to = None
            try:
                resp = bpage.goto(url, timeout=NAV_TIMEOUT * 1000, wait_until="load")
            except Exception as exc:  # noqa: BLE001 - playwright TimeoutError / net errors
                return f"{type(exc).__name__}: {_first_line(exc)}"
            if self._redirect_to is None:
                break
            url = self._redirect_to
        else:
            return "too many redirects"
        try:
            bpage.wait_for_load_state("networkidle", timeout=SETTLE * 1000)
        except Exception:  # noqa: BLE001 - long-polling pages never go idle; load is enough
            pass
        if resp is not None and resp.status >= 400:
            return f"HTTP {resp.status}"
        return None

    def _render(self, url: str, *, homepage: bool) -> dict:
        rec: dict = {"url": url}
        self._images = homepage  # images only for the homepage's screenshots
        self._first = homepage
        try:
            bpage = self._tab(self._desktop)
            try:
                why = self._goto(bpage, url)
                if why:
                    rec["error"] = why
                    return rec
                info = bpage.evaluate(_PAGE_JS)
                html = bpage.content()
                rec.update({
                    "final_url": bpage.url, "title": info["title"], "lang": info["lang"], "viewport": info["viewport"],
                    "html": html[:MAX_HTML], "html_truncated": len(html) > MAX_HTML,
                    "text": (info["text"] or "")[:MAX_TEXT], "links": info["links"],
                    "links_count": len(info["links"]),
                })
                if homepage:
                    rec["screenshot_desktop"] = _shot(bpage, DESKTOP["width"], DESKTOP_MAX_HEIGHT, info["scroll_height"])
                    rec["axe"] = run_axe(bpage)
            except BaseException:
                self._drop_tab(self._desktop)
                raise
            finally:
                self._park(self._desktop)
            if homepage:
                rec["phone"] = self._phone_view(url)
            return rec
        finally:
            self._images = self._first = False

    def _phone_view(self, url: str) -> dict:
        """The page as a phone shows it, in the kept desktop tab switched to a phone's screen
        for this one load: the device emulation a context made with ``is_mobile``/``has_touch``
        applies (390x844 at scale 2, touch, and a page without a viewport meta laid out wide
        and zoomed out), then switched back. A context of its own would start a renderer
        process (≈ 0.5 s of CPU) for one page; the layout and the screenshot are the same."""
        bpage = self._tab(self._desktop)
        cdp = self._desktop.new_cdp_session(bpage)
        try:
            cdp.send("Emulation.setDeviceMetricsOverride", {
                "width": PHONE["width"], "height": PHONE["height"], "deviceScaleFactor": PHONE_SCALE, "mobile": True,
                "screenWidth": PHONE["width"], "screenHeight": PHONE["height"]})
            cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
            why = self._goto(bpage, url)
            if why:
                return {"error": why}
            info = bpage.evaluate(_PAGE_JS)
            # The first screen as the phone shows it (a page without a viewport meta is zoomed out):
            # the visual viewport, rendered at device scale 2 and saved at CSS size (390x844) to
            # keep the report small (what Playwright's screenshot(scale="css") gives).
            vv = bpage.evaluate("({x: visualViewport.pageLeft, y: visualViewport.pageTop,"
                                " w: visualViewport.width, h: visualViewport.height})")
            shot = cdp.send("Page.captureScreenshot", {"format": "png", "clip": {
                "x": vv["x"], "y": vv["y"], "width": vv["w"], "height": vv["h"],
                "scale": PHONE["width"] / max(vv["w"], 1) / PHONE_SCALE}})
            return {"scroll_width": info["scroll_width"], "inner_width": info["inner_width"],
                    "overflow": info["scroll_width"] > info["inner_width"] + 1, "viewport": info["viewport"],
                    "screenshot": shot["data"]}
        except BaseException:
            self._drop_tab(self._desktop)
            raise
        finally:
            try:
                cdp.send("Emulation.clearDeviceMetricsOverride")
                cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": False})
                cdp.detach()
                if not bpage.is_closed():
                    bpage.set_viewport_size(DESKTOP)  # Playwright's own desktop emulation, as before
            except Exception:  # noqa: BLE001 - a tab that cannot be switched back is not reused
                self._drop_tab(self._desktop)
            self._park(self._desktop)

    def _axe_only(self, url: str) -> dict:
        self._images = False
        bpage = self._tab(self._desktop)
        try:
            why = self._goto(bpage, url)
            if why:
                return {"url": url, "error": why}
            return {"url": url, "final_url": bpage.url, "axe": run_axe(bpage)}
        except BaseException:
            self._drop_tab(self._desktop)
            raise
        finally:
            self._park(self._desktop)

    def _tab(self, ctx):
        """The context's kept tab (a new one the first time, or after a failed job)."""
        tab = self._tabs.get(id(ctx))
        if tab is None or tab.is_closed():
            tab = self._tabs[id(ctx)] = ctx.new_page()
        return tab

    def _park(self, ctx) -> None:
        """Between jobs the kept tab shows about:blank: the last page's scripts and timers stop."""
        tab = self._tabs.get(id(ctx))
        if tab is None or tab.is_closed():
            return
        try:
            tab.goto("about:blank", timeout=NAV_TIMEOUT * 1000)
        except Exception:  # noqa: BLE001 - a tab that cannot leave its page is replaced
            self._drop_tab(ctx)

    def _drop_tab(self, ctx) -> None:
        tab = self._tabs.pop(id(ctx), None)
        if tab is not None:
            _close(tab)


def run_axe(bpage) -> dict:
    """axe-core (axe-playwright-python) on the rendered page: violations of WCAG 2.x A/AA rules."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return {"state": "not-installed"}
    try:
        results = Axe().run(bpage, options={"resultTypes": ["violations"],
                                            "runOnly": {"type": "tag", "values": AXE_TAGS}})
    except Exception as exc:  # noqa: BLE001 - a page that breaks axe: the check says unknown
        return {"state": "error", "error": f"{type(exc).__name__}: {_first_line(exc)}"}
    out = []
    for v in results.response.get("violations") or ():
        nodes = v.get("nodes") or ()
        out.append({"id": v.get("id"), "impact": v.get("impact") or "minor", "help": v.get("help", ""),
                    "help_url": v.get("helpUrl", ""), "tags": list(v.get("tags") or ()), "count": len(nodes),
                    "nodes": [{"target": " ".join(map(str, n.get("target") or ()))[:200],
                               "html": (n.get("html") or "")[:200]} for n in nodes[:AXE_NODES]]})
    return {"state": "done", "violations": out,
            "version": (results.response.get("testEngine") or {}).get("version", "")}


def script_links(rec: dict, static_links) -> list[dict]:
    """The rendered page's links that the static HTML did not have (written by scripts)."""
    static = {normalize(u) or u for u in static_links}
    seen: set[str] = set()
    out = []
    for href, text in rec.get("links") or ():
        n = normalize(href) or href
        if n in static or n in seen:
            continue
        seen.add(n)
        out.append({"href": n, "text": text})
    return out


def _shot(bpage, width: int, max_height: int, scroll_height: int) -> str:
    height = max(1, min(int(scroll_height or 0) or max_height, max_height))
    png = bpage.screenshot(type="png", full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height},
                           timeout=NAV_TIMEOUT * 1000)
    return base64.b64encode(png).decode("ascii")


def _close(bpage) -> None:
    try:
        bpage.close()
    except Exception:  # noqa: BLE001
        pass


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]
