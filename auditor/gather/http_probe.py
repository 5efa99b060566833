"""The ``https`` gatherer: the site's homepage over http:// and https:// (IPv4), for
https.enabled, https.redirect and https.hsts.

The ports are the ones the crawl saw in the homepage's redirect chain, else the
defaults (80 and 443) when the site runs on default ports; a site audited on another
port has no knowable HTTPS port unless its redirects show one. A URL the crawl
already fetched is not requested again. At most two requests, through the crawl's
fetcher (rate limit, deadlines, TLS retry recording ``tls_error``).
"""
from __future__ import annotations

from auditor.gather.base import gatherer
from auditor.gather import _net


@gatherer("https")
def gather(snap, ctx) -> dict:
    host = _net.site_host(snap)
    if not host:
        return {"state": "no-host"}
    if ctx.fetcher is None:
        return {"state": "no-fetcher", "host": host}
    if _net.stopped(ctx):
        return {"state": "stopped", "host": host, "reason": snap.stop_reason}
    o = _net.origins(snap, ctx)
    return {"state": "ok", "host": host, "ports": o["ports"], "http": o["http"], "https": o["https"],
            "start_url": snap.start_url}
