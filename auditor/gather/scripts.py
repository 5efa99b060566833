"""The ``scripts`` gatherer: the script files the homepage and a sample of pages load, for
security.injected-scripts (挂马: packed code, foreign script origins, search-engine redirects).

The crawl keeps the homepage's same-site scripts (``snapshot.homepage_sources``); this fetches
the rest once each — same-site scripts of the sampled pages and scripts from other hosts (5 s
each, none from a host already found dead) — through the crawl's fetcher, obeying robots.txt for
the site's own URLs. Scripts from the data
file's known hosts (analytics, the 找错 script, share buttons, CDNs) are listed, not fetched.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from auditor.gather import _net
from auditor.gather.base import gatherer
from auditor.network import robots as robots_mod
from auditor.network.decode import decode_html
from auditor.network.urls import host_of
from auditor.views.security import data, host_matches, sample_pages

MAX_SCRIPTS = 30
TIMEOUT = 5.0   # seconds for a script on another host
WORKERS = 4
MAX_BYTES = 512 * 1024
DEFAULT_SAMPLE = 4


def _policy(snap, ctx):
    def make():
        return robots_mod.load(ctx.fetcher, snap.start_url, ctx.fetcher.user_agent,
                               ignore=bool(snap.robots.get("ignored")))
    return _net.memo(ctx, "security-robots", make)


@gatherer("scripts")
def gather(snap, ctx) -> dict:
    if ctx.fetcher is None:
        return {"state": "no-fetcher"}
    if _net.stopped(ctx):
        return {"state": "stopped"}
    d = data(ctx.profile)
    known = d.get("scripts", {}).get("known_hosts", ())
    n, cap = DEFAULT_SAMPLE, MAX_SCRIPTS
    handed = ctx.settings.get("scripts", {})  # from the checks that declare these settings
    n = int(handed.get("sample_pages", DEFAULT_SAMPLE))
    cap = int(handed.get("max_scripts", MAX_SCRIPTS))
    have = {s.url for s in snap.homepage_sources}
    pages = sample_pages(snap, n)
    wanted: dict[str, str] = {}
    listed: list[dict] = []
    for page in pages:
        facts = page.static_facts or page.facts
        for link in facts.links if facts else ():
            if link.tag != "script" or link.url in wanted or link.url in have:
                continue
            if host_matches(host_of(link.url), known):
                listed.append({"url": link.url, "page": page.final_url, "known": True})
                continue
            wanted[link.url] = page.final_url
    dead: set[str] = {host_of(u) for u, f in snap.link_checks.items() if f.error_kind in ("dns", "connect", "timeout")}
    timeout = min(getattr(ctx.fetcher, "timeout", TIMEOUT) or TIMEOUT, TIMEOUT)

    def one(item) -> dict:
        url, where = item
        host = host_of(url)
        if _net.stopped(ctx):
            return {"url": url, "page": where, "status": None, "error": "stopped", "text": ""}
        if host in dead:
            return {"url": url, "page": where, "status": None, "error": "host unreachable", "text": ""}
        if snap.in_site(url) and not _policy(snap, ctx).allows(url, ctx.fetcher.user_agent):
            return {"url": url, "page": where, "status": None, "error": "robots", "text": ""}
        f = ctx.fetcher.fetch(url, max_bytes=MAX_BYTES, any_type=True, timeout=None if snap.in_site(url) else timeout)
        if f.error_kind in ("dns", "connect", "timeout"):
            dead.add(host)  # the other scripts of a dead host are not waited for
        text = decode_html(f.body, f.headers.get("content-type"))[0] if f.ok and f.body else ""
        return {"url": url, "page": where, "status": f.status, "error": f.error, "text": text}

    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="gov-audit-scripts") as pool:
        out = [r for r in pool.map(one, list(wanted.items())[:cap]) if r["error"] != "stopped"]
    return {"state": "stopped" if _net.stopped(ctx) else "done", "scripts": out, "known": listed,
            "pages": [p.final_url for p in pages], "not_fetched": max(0, len(wanted) - cap)}
