"""The ``visibility`` gatherer: which outbound links a visitor cannot see, by the browser's
computed styles, for security.dark-links.

Runs only where the audit used the browser (``--render auto|always``). A sample of pages is
loaded into chromium from what the crawl stored (the rendered DOM where the page was rendered),
with the site's own stylesheets fetched through the crawl's fetcher and nothing else fetched:
scripts are off (their effect is already in a rendered DOM), so nothing on the page can navigate
or call out. For each link to another host the page's CSS engine says whether it is displayed,
its size, where it sits and the colours it is drawn in — what static rules cannot follow
(descendant selectors, external stylesheets, inherited colours).

A browser failure is recorded as ``{"state": "failed"}``: the check then falls back on the
static rules rather than saying unknown.
"""
from __future__ import annotations

from auditor.crawl.browser.renderer import NO_IMAGES_CSP
from auditor.gather import _net
from auditor.gather.base import gatherer
from auditor.views.security import sample_pages

DEFAULT_SAMPLE = 10
MAX_CSS_BYTES = 1024 * 1024
NAV_TIMEOUT_MS = 15_000
RENDERER_WAIT = 120.0  # seconds the crawl's browser may take to get to this job (axe-core runs first)

_HIDDEN_LINKS_JS = """(siteHost) => {
  const out = [];
  const width = Math.max(document.documentElement.scrollWidth, 1280);
  const transparent = (c) => !c || c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
  const background = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (!transparent(bg)) return bg;
      if (getComputedStyle(e).backgroundImage !== 'none') return null;  // drawn on a picture: unknown
    }
    return 'rgb(255, 255, 255)';
  };
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    let url;
    try { url = new URL(a.href); } catch (e) { continue; }
    if (!/^https?:$/.test(url.protocol) || url.hostname === siteHost) continue;
    let why = null;
    if (a.checkVisibility && !a.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) {
      why = 'not displayed (display/visibility/opacity)';
    } else {
      const r = a.getBoundingClientRect();
      const cs = getComputedStyle(a);
      if (r.width < 1 || r.height < 1) why = `zero size (${Math.round(r.width)}x${Math.round(r.height)})`;
      else if (r.right + scrollX <= 0 || r.bottom + scrollY <= 0 || r.left + scrollX >= width + 50)
        why = `off-screen at (${Math.round(r.left + scrollX)}, ${Math.round(r.top + scrollY)})`;
      else if (parseFloat(cs.fontSize) < 2 && !a.querySelector('img')) why = `font-size ${cs.fontSize}`;
      else {
        for (let e = a.parentElement; e && e !== document.body; e = e.parentElement) {
          const s = getComputedStyle(e), er = e.getBoundingClientRect();
          if (s.overflow !== 'visible' && (er.width < 1 || er.height < 1)) { why = 'inside a zero-size box'; break; }
        }
        const bg = why ? null : background(a);
        if (!why && bg && cs.color === bg && !a.querySelector('img')) why = `color ${cs.color} on background ${bg}`;
      }
    }
    if (why) out.push([a.href, (a.textContent || a.getAttribute('title') || '').trim().slice(0, 120), why]);
    if (out.length >= 500) break;
  }
  return out;
}"""


@gatherer("visibility")
def gather(snap, ctx) -> dict:
    log = getattr(snap, "render", None) or {}
    if (log.get("mode") or "never") == "never":
        return {"state": "disabled"}
    if log.get("unavailable"):
        return {"state": "unavailable", "reason": str(log["unavailable"])}
    if _net.stopped(ctx):
        return {"state": "stopped"}
    handed = ctx.settings.get("visibility", {})  # from the checks that declare these settings
    n = int(handed.get("computed_sample_pages", DEFAULT_SAMPLE))
    pages = sample_pages(snap, n)
    if not pages:
        return {"state": "no-pages"}
    try:
        return {"state": "done", "pages": _computed(snap, ctx, pages)}
    except Exception as exc:  # noqa: BLE001 - the static rules still judge; say why the browser did not
        return {"state": "failed", "error": f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"}


def _computed(snap, ctx, pages) -> list[dict]:
    """In the crawl's browser when it is running (a job in its kept tab: no second chromium, no
    new context or renderer process), else in a browser of its own."""
    renderer = getattr(ctx, "renderer", None)
    if renderer is not None and renderer.running and renderer.error is None:
        return renderer.run_in_tab(lambda tab: _scan(tab, snap, ctx, pages)).result(
            timeout=RENDERER_WAIT + NAV_TIMEOUT_MS / 1000 * len(pages))
    from auditor.crawl.browser import launch

    with launch() as browser:
        bctx = browser.new_context(java_script_enabled=False, service_workers="block",
                                   viewport={"width": 1280, "height": 800})
        try:
            return _scan(bctx.new_page(), snap, ctx, pages)
        finally:
            bctx.close()


def _scan(tab, snap, ctx, pages) -> list[dict]:
    """Each sample page loaded, one after the other, into ``tab`` (scripts off, 1280x800) from
    what the crawl stored; each site stylesheet is fetched once, nothing else is fetched."""
    out = []
    css: dict[str, bytes | None] = {}
    current = {"url": None, "html": ""}

    def route(r, request):
        if request.url == current["url"] and request.is_navigation_request():
            return r.fulfill(status=200, body=current["html"], headers={
                "content-type": "text/html; charset=utf-8",
                # The page asks for no image, media or font at all (each refusal below is a round
                # trip through Playwright's driver); blocked, they are drawn as failed, as before.
                "content-security-policy": NO_IMAGES_CSP})
        if request.resource_type == "stylesheet" and snap.in_site(request.url) and ctx.fetcher is not None:
            if request.url not in css:
                f = ctx.fetcher.fetch(request.url, any_type=True, max_bytes=MAX_CSS_BYTES)
                css[request.url] = f.body if f.ok and f.body is not None else None
            if css[request.url] is not None:
                return r.fulfill(status=200, content_type="text/css", body=css[request.url])
        return r.abort("blockedbyclient")

    tab.route("**/*", route)
    for page in pages:
        if _net.stopped(ctx):
            break
        if tab.is_closed():  # the renderer crashed on an earlier page
            out.append({"url": page.final_url, "error": "TargetClosedError"})
            continue
        current["url"], current["html"] = page.final_url, page.html
        try:
            tab.goto(page.final_url, wait_until="load", timeout=NAV_TIMEOUT_MS)
            links = tab.evaluate(_HIDDEN_LINKS_JS, _net.site_host(snap))
            out.append({"url": page.final_url, "hidden": links})
        except Exception as exc:  # noqa: BLE001 - one page's failure is that page's record
            out.append({"url": page.final_url, "error": f"{type(exc).__name__}"})
    return out
