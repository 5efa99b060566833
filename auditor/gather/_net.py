"""What the network gatherers (dns, https, tls, ipv6) share: the site's host and the
origins (http:80, https:443) it serves, the resolver, and a forced-IPv6 fetcher.

Everything is memoised on the GatherContext, so a homepage probed for the HTTPS
checks is not requested again for the IPv6 ones. Every request goes through the
crawl's fetcher or one that shares its rate limiter and resolver.
"""
from __future__ import annotations

import threading
from urllib.parse import urlsplit

from auditor.network.resolve import SYSTEM, Resolver
from auditor.network.urls import host_of

_LOCK = threading.Lock()
# Response headers kept with a probe (the HTTPS and security-header checks read them).
KEPT_HEADERS = ("strict-transport-security", "x-content-type-options", "x-frame-options",
                "content-security-policy", "content-security-policy-report-only", "location",
                "server", "content-type")
DEFAULT_PORT = {"http": 80, "https": 443}


def memo(ctx, key: str, make):
    """``make()`` once per audit (per GatherContext)."""
    with _LOCK:
        store = ctx.__dict__.setdefault("_net_memo", {})
        lock = store.setdefault("_lock:" + key, threading.Lock())
    with lock:
        if key not in store:
            store[key] = make()
        return store[key]


def resolver_of(ctx) -> Resolver:
    fetcher = getattr(ctx, "fetcher", None)
    if fetcher is not None and getattr(fetcher, "resolver", None) is not None:
        return fetcher.resolver

    def make():
        opts = ctx.options or {}
        if opts.get("dns_server") or opts.get("resolve") or opts.get("connect_to"):
            return Resolver.from_options(opts.get("resolve") or (), opts.get("dns_server"),
                                         opts.get("connect_to") or (),
                                         timeout=getattr(fetcher, "timeout", 5.0) or 5.0)
        return SYSTEM
    return memo(ctx, "resolver", make)


def stopped(ctx) -> bool:
    f = getattr(ctx, "fetcher", None)
    return f is not None and f.stop.is_set()


def site_host(snap) -> str:
    """The host visitors land on: the homepage's final host, else the start URL's."""
    home = snap.homepage or snap.start_page
    if home is not None and home.fetch.status is not None:
        h = host_of(home.final_url)
        if h:
            return h
    return host_of(snap.start_url)


def hosts(snap) -> list[str]:
    """The start host and, when redirects lead elsewhere, the host visitors land on."""
    out = [host_of(snap.start_url)]
    h = site_host(snap)
    if h and h not in out:
        out.append(h)
    return [h for h in out if h]


def _port_of(url: str) -> int | None:
    parts = urlsplit(url)
    try:
        return parts.port or DEFAULT_PORT.get(parts.scheme)
    except ValueError:
        return None


def origin_url(scheme: str, host: str, port: int) -> str:
    h = f"[{host}]" if ":" in host else host
    return f"{scheme}://{h}/" if port == DEFAULT_PORT[scheme] else f"{scheme}://{h}:{port}/"


def seen_origins(snap, host: str) -> list[tuple[str, int]]:
    """(scheme, port) of ``host`` seen in the homepage's redirect chain, in order."""
    urls = [snap.start_url]
    for page in (snap.start_page, snap.homepage):
        if page is None:
            continue
        urls += [u for u, _ in page.fetch.redirects] + [page.final_url]
    out: list[tuple[str, int]] = []
    for u in urls:
        if host_of(u) != host:
            continue
        key = (urlsplit(u).scheme, _port_of(u))
        if key[1] is not None and key not in out:
            out.append(key)
    return out


def candidate_origins(snap, host: str) -> dict[str, int | None]:
    """The port of each scheme to judge: the one seen in the crawl, else the default
    port when the site runs on default ports, else None (cannot tell where it would be)."""
    seen = seen_origins(snap, host)
    on_defaults = any(port == DEFAULT_PORT[s] for s, port in seen) or not seen
    out: dict[str, int | None] = {}
    for scheme in ("http", "https"):
        ports = [p for s, p in seen if s == scheme]
        out[scheme] = ports[0] if ports else (DEFAULT_PORT[scheme] if on_defaults else None)
    return out


def summarize(f, *, keep_body: bool = False) -> dict:
    """A probe's Fetch as plain data for snapshot.facts (JSON-friendly)."""
    rec = {"url": f.url, "final_url": f.final_url, "status": f.status, "error_kind": f.error_kind,
           "error": f.error, "tls_error": f.tls_error, "elapsed": round(f.elapsed, 3),
           "redirects": [[u, s] for u, s in f.redirects], "peer": f.peer, "blocked": f.blocked,
           "headers": {k: v for k, v in f.headers.items() if k in KEPT_HEADERS}}
    if keep_body:
        rec["body"] = f.body
    return rec


def crawl_fetch(snap, url: str):
    """The crawl's own fetch of ``url``, if it made one (page or link check)."""
    page = snap.pages.get(url)
    if page is not None:
        return page.fetch
    return snap.link_checks.get(url)


def origins(snap, ctx) -> dict:
    """The site's http and https homepages over IPv4 (the crawl's fetcher), once per audit:
    {"host", "http": rec|None, "https": rec|None, "ports": {scheme: port|None}}; a rec
    has ``served`` (the port answered HTTP at all) besides the probe's summary."""
    def make():
        host = site_host(snap)
        ports = candidate_origins(snap, host) if host else {"http": None, "https": None}
        out = {"host": host, "ports": ports, "http": None, "https": None}
        if not host or ctx.fetcher is None:
            return out
        for scheme in ("http", "https"):
            port = ports[scheme]
            if port is None:
                continue
            url = origin_url(scheme, host, port)
            f = crawl_fetch(snap, url)
            reused = f is not None
            if f is None:
                if stopped(ctx):
                    continue
                f = ctx.fetcher.fetch(url, max_bytes=256 * 1024)
            rec = summarize(f)
            rec.update({"scheme": scheme, "port": port, "served": f.status is not None, "reused": reused})
            out[scheme] = rec
        return out
    return memo(ctx, "origins", make)


def v6_fetcher(ctx):
    """A fetcher forced onto IPv6 (AAAA addresses, Host header and SNI unchanged) with the
    crawl's rate limiter, resolver, TLS settings and bounds; its own pools."""
    def make():
        from auditor.network.fetch import Fetcher

        base = ctx.fetcher
        f = Fetcher(user_agent=base.user_agent, timeout=base.timeout, total_timeout=base.total_timeout,
                    max_bytes=base.max_bytes, max_redirects=base.max_redirects, verify=base.verify,
                    limiter=base.limiter, resolver=resolver_of(ctx), family="v6",
                    address_policy=getattr(base, "address_policy", None))
        return f
    return memo(ctx, "v6_fetcher", make)
