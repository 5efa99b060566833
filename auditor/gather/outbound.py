"""The ``outbound`` gatherer: what the site's outbound links lead to now, for
security.hijacked-links (a 友情链接 whose expired domain now serves a gambling site).

One polite GET per external host (the first link the crawl found to it; none when the crawl's
link check already found its name or port dead), with a 5-second timeout, through the crawl's
fetcher, at most ``[checks."security.hijacked-links"] max_hosts`` hosts (non-government hosts
first). A host whose name does not resolve is looked up once more with the audit's resolver to
tell "no such domain" (registrable again: a hijack risk) from a resolver that does not work.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from auditor.crawl.parse import extract
from auditor.gather import _net
from auditor.gather.base import gatherer
from auditor.network.decode import decode_html
from auditor.network.resolve import ResolveError, ip_family
from auditor.network.urls import host_of
from auditor.views.security import data, is_gov_host, same_site

MAX_HOSTS = 40
MAX_BYTES = 512 * 1024
MAX_TEXT = 8000
TIMEOUT = 5.0   # seconds: a linked site that does not answer by then is not waited for
WORKERS = 4     # hosts asked at once (each host is still paced by the shared rate limiter)


def _dns_state(resolver, host: str) -> str:
    try:
        found = resolver.addresses(host, "v4") or resolver.addresses(host, "v6")
    except ResolveError as exc:
        return exc.kind
    return "ok" if found else "no-address"


def _pinned(resolver, url: str) -> bool:
    """Whether --resolve fixed this host's address (its answer proves nothing about DNS)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    pinned = getattr(resolver, "pinned", None)
    return bool(pinned and pinned(parts.hostname or "", port))


@gatherer("outbound")
def gather(snap, ctx) -> dict:
    if ctx.fetcher is None:
        return {"state": "no-fetcher"}
    if _net.stopped(ctx):
        return {"state": "stopped"}
    d = data(ctx.profile)
    cap = MAX_HOSTS
    handed = ctx.settings.get("outbound", {})  # from the checks that declare these settings
    cap = int(handed.get("max_hosts", MAX_HOSTS))
    site = _net.site_host(snap)
    first: dict[str, dict] = {}
    own: dict[str, bool] = {}  # host -> one of the site's own (asked once per host, not per link)
    for page in snap.html_pages():
        for link in page.links:
            if link.tag not in ("a", "area") or not link.url.startswith(("http://", "https://")):
                continue
            host = host_of(link.url)
            if not host or host in first:
                continue
            mine = own.get(host)
            if mine is None:
                mine = own[host] = same_site(host, site)
            if mine or snap.in_site(link.url):
                continue
            first[host] = {"host": host, "url": link.url, "link_text": link.text, "page": page.final_url,
                           "gov": is_gov_host(host, d)}
    order = sorted(first.values(), key=lambda r: (r["gov"], r["host"]))
    resolver = _net.resolver_of(ctx)
    # What the crawl's own link checks already learnt about a host: a dead name or port is not asked again.
    known_dead: dict[str, object] = {}
    for url, f in snap.link_checks.items():
        if f.error_kind in ("dns", "connect", "timeout"):
            known_dead.setdefault(host_of(url), f)
    timeout = min(getattr(ctx.fetcher, "timeout", TIMEOUT) or TIMEOUT, TIMEOUT)

    def one(rec: dict) -> dict:
        if _net.stopped(ctx):
            return dict(rec, status=None, error="stopped", error_kind="stopped")
        f = known_dead.get(rec["host"]) or ctx.fetcher.fetch(rec["url"], max_bytes=MAX_BYTES, timeout=timeout)
        rec = dict(rec, status=f.status, final_url=f.final_url or rec["url"], error=f.error, error_kind=f.error_kind,
                   pinned=_pinned(resolver, rec["url"]), literal=ip_family(rec["host"]) is not None)
        if f.error_kind == "dns":
            rec["dns"] = _dns_state(resolver, rec["host"])
        if f.body and f.status is not None and f.status < 400:
            text, _ = decode_html(f.body, f.headers.get("content-type"))
            facts = extract(text, f.final_url)
            rec.update(title=facts.title, text=facts.text[:MAX_TEXT])
        return rec

    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="gov-audit-outbound") as pool:
        out = [r for r in pool.map(one, order[:cap]) if r.get("error_kind") != "stopped"]
    return {"state": "stopped" if _net.stopped(ctx) else "done", "hosts": out,
            "not_checked": max(0, len(order) - cap), "custom_resolver": bool(getattr(resolver, "custom", False)),
            "dns_server": bool(getattr(resolver, "dns_server", None))}
