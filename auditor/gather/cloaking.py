"""The ``cloaking`` gatherer: the homepage and a sample of pages requested again as search-engine
crawlers (Baiduspider, Sogou, 360Spider, Googlebot User-Agents), as a browser arriving from a
search engine (a search-engine ``Referer``), and as a browser arriving directly — for
security.cloaking (快照劫持: another page for crawlers) and security.hijack (visitors from a
search engine sent elsewhere).

Every request goes through the crawl's fetcher (rate limit, deadlines, size caps, --resolve),
only to URLs the crawl already fetched (so robots.txt already allowed them), without following
redirects: a redirect is itself the evidence. The identities and Referers are data
(auditor/profiles/data/security.toml); the sample size is the profile's
``[checks."security.cloaking"] sample_pages``.
"""
from __future__ import annotations

from auditor.crawl.parse import extract
from auditor.gather import _net
from auditor.gather.base import gatherer
from auditor.network.decode import decode_html
from auditor.network.urls import resolve
from auditor.views.security import data, sample_pages

MAX_TEXT = 20_000
MAX_BYTES = 2 * 1024 * 1024
DEFAULT_SAMPLE = 3


def _record(f, kind: str, agent: str, headers: dict) -> dict:
    rec = {"kind": kind, "agent": agent, "headers": headers, "status": f.status, "error": f.error,
           "error_kind": f.error_kind, "location": None, "title": "", "text": "", "scripts": []}
    if f.status in (301, 302, 303, 307, 308) and f.headers.get("location"):
        rec["location"] = resolve(f.url, f.headers["location"])
    if f.body and f.status is not None and f.status < 400:
        text, _ = decode_html(f.body, f.headers.get("content-type"))
        facts = extract(text, f.url)
        rec.update({"title": facts.title, "text": facts.text[:MAX_TEXT], "refresh_to": facts.refresh_to,
                    "scripts": [s[:5000] for s in facts.inline_scripts][:20],
                    "links": [[l.url, l.text] for l in facts.links if l.tag in ("a", "area", "script", "iframe")][:300]})
    return rec


@gatherer("cloaking")
def gather(snap, ctx) -> dict:
    if ctx.fetcher is None:
        return {"state": "no-fetcher"}
    if _net.stopped(ctx):
        return {"state": "stopped"}
    d = data(ctx.profile)
    crawlers = d.get("crawlers", {})
    handed = ctx.settings.get("cloaking", {})  # from the checks that declare these settings
    n = int(handed.get("sample_pages", DEFAULT_SAMPLE))
    pages = sample_pages(snap, n)
    if not pages:
        return {"state": "no-pages"}
    browser = crawlers.get("browser_ua", "Mozilla/5.0")
    out = []
    for page in pages:
        url = page.final_url
        variants = []
        for agent in crawlers.get("agents", ()):
            if _net.stopped(ctx):
                break
            headers = {"User-Agent": agent["ua"]}
            f = ctx.fetcher.fetch(url, headers=headers, follow=False, max_bytes=MAX_BYTES)
            variants.append(_record(f, "crawler", agent["name"], headers))
        for referer in crawlers.get("referers", ()):
            if _net.stopped(ctx):
                break
            headers = {"User-Agent": browser, "Referer": referer}
            f = ctx.fetcher.fetch(url, headers=headers, follow=False, max_bytes=MAX_BYTES)
            variants.append(_record(f, "referer", referer, headers))
        if not _net.stopped(ctx):
            headers = {"User-Agent": browser}
            f = ctx.fetcher.fetch(url, headers=headers, follow=False, max_bytes=MAX_BYTES)
            variants.append(_record(f, "direct", "browser", headers))
        out.append({"url": url, "depth": page.depth, "title": page.title, "variants": variants})
    return {"state": "stopped" if _net.stopped(ctx) else "done", "pages": out}
