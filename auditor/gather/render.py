"""The ``render`` gatherer: the homepage (and some pages) as a browser shows them.

Many government homepages build their navigation and lists with scripts; the crawl
reads the HTML as served. This gatherer loads pages in the system chromium
(auditor/browser.py) and records, per page: the rendered HTML and visible text, the
links that exist only after scripts ran, the viewport meta, and whether the page
overflows horizontally at phone width (document.scrollWidth > innerWidth). For the
homepage it also takes a desktop screenshot (1280 px wide) and a phone screenshot
(the first 390x844 screen as the phone shows it, device scale 2, saved at CSS size),
both PNG, the desktop one height-capped.

``--render`` (gather option ``render``; unset means never, so only the CLI's default
starts a browser): ``never`` records ``{"state": "disabled"}``;
``auto`` (default) renders the homepage and depth-1 pages whose static HTML looks
incomplete (few links and little text but scripts, a <noscript> warning, empty list
containers); ``always`` renders the homepage and depth-1 pages. Both stop at a cap.

Politeness: every navigation asks the crawl's rate limiter first
(``ctx.fetcher.limiter.wait(host)``) and the crawl's robots.txt policy (the same
rules the search gatherer applies). Sub-resources the page loads are not paced.
"""
from __future__ import annotations

import base64
import time

from ..gatherers import gatherer
from ..urls import host_of, normalize

AUTO_CAP = 5          # depth-1 pages rendered at most with --render auto
ALWAYS_CAP = 10       # ... with --render always
NAV_TIMEOUT = 15.0    # seconds per navigation (the 国办 probe's limit)
SETTLE = 1.5          # seconds to wait for the network to go quiet after load
TOTAL_BUDGET = 90.0   # seconds for the whole gatherer
MAX_HTML = 400_000
MAX_TEXT = 50_000
MAX_LINKS = 500
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DESKTOP_MAX_HEIGHT = 2400

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


def looks_incomplete(page) -> list[str]:
    """Why a page's static HTML probably needs scripts to show its content (empty: it does not)."""
    facts = page.facts
    if facts is None:
        return []
    reasons = []
    tree = page.tree
    scripts = len(facts.inline_scripts) + sum(1 for l in facts.links if l.tag == "script")
    anchors = [l for l in facts.links if l.tag in ("a", "area")]
    if scripts and len(anchors) < 5 and len(facts.text.strip()) < 200:
        reasons.append("few links and little text, but scripts")
    if tree is not None:
        for ns in tree.iter("noscript"):
            if (ns.text_content() or "").strip():
                reasons.append("noscript warning")
                break
        for el in tree.iter("ul", "ol", "tbody"):
            if len(el) == 0 and (el.get("id") or el.get("class")):
                reasons.append("empty list container")
                break
    return reasons


def pick_pages(snap, mode: str) -> list[dict]:
    """The depth-1 pages to render besides the homepage, with why."""
    home = snap.homepage
    if mode == "never" or home is None:
        return []
    cap = ALWAYS_CAP if mode == "always" else AUTO_CAP
    out = []
    for p in snap.pages_at_depth(1):
        if not p.is_html or not p.ok or p.final_url == home.final_url or not snap.in_site(p.final_url):
            continue
        why = ["always"] if mode == "always" else looks_incomplete(p)
        if why:
            out.append({"url": p.final_url, "why": why})
        if len(out) >= cap:
            break
    return out


def _shot(page, width: int, max_height: int, scroll_height: int, **kw) -> str:
    height = max(1, min(int(scroll_height or 0) or max_height, max_height))
    png = page.screenshot(type="png", full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height},
                          timeout=NAV_TIMEOUT * 1000, **kw)
    return base64.b64encode(png).decode("ascii")


class _Gate:
    """robots.txt and the rate limiter before each navigation."""

    def __init__(self, snap, ctx) -> None:
        self.fetcher = ctx.fetcher
        self.robots = None
        if self.fetcher is not None:
            from .search import _Robots

            ua = snap.options.get("user_agent") or self.fetcher.user_agent
            self.robots = _Robots(snap, self.fetcher, ua)

    def allows(self, url: str) -> bool:
        return self.robots is None or self.robots.allows(url)

    def wait(self, url: str) -> bool:
        if self.fetcher is None:
            return True
        return self.fetcher.limiter.wait(host_of(url), self.fetcher.stop)


def _visit(bpage, gate: _Gate, url: str) -> str | None:
    """Navigate; None when done, else why not ('robots', 'stopped', an error)."""
    if not gate.allows(url):
        return "robots"
    if not gate.wait(url):
        return "stopped"
    try:
        resp = bpage.goto(url, timeout=NAV_TIMEOUT * 1000, wait_until="load")
    except Exception as exc:  # noqa: BLE001 - playwright TimeoutError / net errors
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    try:
        bpage.wait_for_load_state("networkidle", timeout=SETTLE * 1000)
    except Exception:  # noqa: BLE001 - long-polling pages never go idle; load is enough
        pass
    if resp is not None and resp.status >= 400:
        return f"HTTP {resp.status}"
    return None


def _static_links(snap, url: str) -> set[str]:
    p = snap.page(url)
    if p is None:
        return set()
    return {normalize(l.url) or l.url for l in p.links if l.tag in ("a", "area")}


def _render_one(snap, bpage, gate, url: str, *, shots: bool) -> dict:
    rec: dict = {"url": url}
    why = _visit(bpage, gate, url)
    if why:
        rec["error"] = why
        return rec
    info = bpage.evaluate(_PAGE_JS)
    static = _static_links(snap, url)
    seen: set[str] = set()
    new_links = []
    for href, text in info["links"]:
        n = normalize(href) or href
        if n in static or n in seen:
            continue
        seen.add(n)
        new_links.append({"href": n, "text": text})
    html = bpage.content()
    rec.update({
        "final_url": bpage.url, "title": info["title"], "lang": info["lang"], "viewport": info["viewport"],
        "html": html[:MAX_HTML], "html_truncated": len(html) > MAX_HTML,
        "text": (info["text"] or "")[:MAX_TEXT], "links_count": len(info["links"]),
        "script_links": new_links,
    })
    if shots:
        rec["screenshot_desktop"] = _shot(bpage, DESKTOP["width"], DESKTOP_MAX_HEIGHT, info["scroll_height"])
    return rec


def _phone_one(bpage, gate, url: str, *, shots: bool) -> dict:
    why = _visit(bpage, gate, url)
    if why:
        return {"error": why}
    info = bpage.evaluate(_PAGE_JS)
    rec = {"scroll_width": info["scroll_width"], "inner_width": info["inner_width"],
           "overflow": info["scroll_width"] > info["inner_width"] + 1, "viewport": info["viewport"]}
    if shots:
        # The first screen as the phone shows it (a page without a viewport meta is zoomed out),
        # rendered at device scale 2 and saved at CSS size (390x844) to keep the report small.
        png = bpage.screenshot(type="png", scale="css", timeout=NAV_TIMEOUT * 1000)
        rec["screenshot"] = base64.b64encode(png).decode("ascii")
    return rec


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_NODES = 3


def _axe(bpage) -> dict:
    """axe-core (axe-playwright-python) on the rendered page: violations of WCAG 2.x A/AA rules."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return {"state": "not-installed"}
    try:
        results = Axe().run(bpage, options={"resultTypes": ["violations"],
                                            "runOnly": {"type": "tag", "values": AXE_TAGS}})
    except Exception as exc:  # noqa: BLE001 - a page that breaks axe: the check says unknown
        return {"state": "error", "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
    out = []
    for v in results.response.get("violations") or ():
        nodes = v.get("nodes") or ()
        out.append({"id": v.get("id"), "impact": v.get("impact") or "minor", "help": v.get("help", ""),
                    "help_url": v.get("helpUrl", ""), "tags": list(v.get("tags") or ()), "count": len(nodes),
                    "nodes": [{"target": " ".join(map(str, n.get("target") or ()))[:200],
                               "html": (n.get("html") or "")[:200]} for n in nodes[:AXE_NODES]]})
    return {"state": "done", "violations": out,
            "version": (results.response.get("testEngine") or {}).get("version", "")}


@gatherer("render")
def gather(snap, ctx) -> dict:
    # The CLI passes auto by default; a library caller (tests, fleet) that sets nothing gets no browser.
    mode = (ctx.options.get("render") or "never").lower()
    if mode == "never":
        return {"state": "disabled"}
    home = snap.homepage
    if home is None or not home.is_html or not home.ok:
        return {"state": "no-homepage"}
    from ..browser import launch

    started = time.monotonic()
    gate = _Gate(snap, ctx)
    targets = [{"url": home.final_url, "why": ["homepage"]}] + pick_pages(snap, mode)
    pages: list[dict] = []
    with launch() as browser:
        desktop = browser.new_context(viewport=DESKTOP, ignore_https_errors=True)
        phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                    ignore_https_errors=True)
        try:
            dpage, ppage = desktop.new_page(), phone.new_page()
            for i, t in enumerate(targets):
                if time.monotonic() - started > TOTAL_BUDGET:
                    pages.append({"url": t["url"], "why": t["why"], "error": "time budget"})
                    continue
                rec = _render_one(snap, dpage, gate, t["url"], shots=i == 0)
                if i == 0 and "error" not in rec:
                    rec["axe"] = _axe(dpage)
                rec["why"] = t["why"]
                if "error" not in rec:
                    rec["phone"] = _phone_one(ppage, gate, t["url"], shots=i == 0)
                pages.append(rec)
        finally:
            desktop.close()
            phone.close()
    homepage = pages[0]
    return {"state": "done" if "error" not in homepage else "failed", "mode": mode, "homepage": homepage,
            "pages": pages[1:], "seconds": round(time.monotonic() - started, 2)}


def render_facts(snap) -> dict | None:
    """The render gatherer's facts when it ran and rendered the homepage, else None."""
    facts = getattr(snap, "facts", {}).get("render")
    if isinstance(facts, dict) and facts.get("state") == "done":
        return facts
    return None
