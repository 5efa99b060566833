"""The ``ipv6`` gatherer: the homepage and the site's links over IPv6, for ipv6.reachable,
ipv6.parity and ipv6.links — the national IPv6 monitoring's indicators (docs/rules.md,
R-ipv6-deploy and R-ipv6-link-levels) measured the way it describes them.

Every IPv6 request goes through a fetcher forced onto the AAAA addresses (the Host
header and the TLS SNI stay the site's name) that shares the crawl's rate limiter and
resolver, so ``--dns-server``/``--resolve``/``--connect-to`` apply here too.

* Reachability: on every port the site serves over IPv4 (80 and 443 where served),
  ``probes`` requests for the homepage over IPv6, redirects not followed — the answer
  of that port is what is judged; the success ratio is the monitoring's
  首页 IPv6 访问成功率. A port that fails its first three probes for want of a
  connection is not asked further.
* Parity: the homepage fetched over IPv4 and over IPv6 back to back (redirects
  followed, the first ``max_bytes`` of each body): status, final URL, and a similarity
  of the two bodies (see :func:`similarity`). When they are less alike than
  ``min_similarity``, the homepage is loaded once more over IPv4: a page that differs
  from itself as much (rotating content) is not blamed on IPv6.
* Links: the homepage's same-domain links (二级) and the links of the pages they lead
  to (三级), as many as ``max_links_per_level`` each; a link counts when it works over
  IPv4 (the crawl's answer) and is tested over IPv6 with HEAD (GET without body when
  HEAD is refused), redirects not followed. A host without AAAA fails its links with
  no request. Pages (homepage and 二级) that embed resources from hosts without AAAA
  are the "IPv6 天窗".

When this machine has no route to the site's IPv6 addresses (an auditor on an
IPv4-only network) nothing is probed and the state says so: the checks then cannot
judge, rather than blame the site. Bounded by a time budget (``time_budget_seconds``)
and the caps above; failures are recorded, never raised.
"""
from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from auditor.network.decode import decode_html
from auditor.gather.base import gatherer
from auditor.network.resolve import ResolveError, ip_family
from auditor.network.urls import host_of, normalize
from auditor.gather import _net

FOLLOW_TAGS = ("a", "area", "iframe", "frame")
RESOURCE_TAGS = ("img", "script", "iframe", "frame", "embed", "source", "input")
RESOURCE_LINK_RELS = ("stylesheet", "icon")
MAX_RESOURCE_HOSTS = 40
MAX_PROBES = 30
CONNECT_KINDS = ("connect", "timeout", "deadline", "dns", "tls")
# Second-level domains under which a registrable name has three labels.
_SLD = ("gov.cn", "edu.cn", "com.cn", "org.cn", "net.cn", "ac.cn", "mil.cn")


def domain_key(host: str) -> str:
    """The registrable domain: www.beijing.gov.cn → beijing.gov.cn (its sites are 内链)."""
    host = host.lower().rstrip(".")
    if ip_family(host) or "." not in host:
        return host
    labels = host.split(".")
    for sld in _SLD:
        if host.endswith("." + sld):
            return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# -- content comparison ------------------------------------------------------------------
_NONCE = re.compile(r"""\snonce\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_STATE_INPUT = re.compile(r"""<input\b[^>]*\bname\s*=\s*["']?(?:__VIEWSTATE\w*|__EVENTVALIDATION|"""
                          r"""__RequestVerificationToken|csrf[\w-]*|_csrf|_token|authenticity_token)\b[^>]*>""", re.I)
_CSRF_META = re.compile(r"""<meta\b[^>]*\bname\s*=\s*["']?(?:csrf[\w-]*|_token)\b[^>]*>""", re.I)
_TOKENS = re.compile(r"<[^>]{0,2000}>|[^<\s]+")


def strip_volatile(html: str) -> str:
    """Nonces and view-state/CSRF fields removed (as internet.nl does before comparing)."""
    html = _NONCE.sub("", html)
    html = _STATE_INPUT.sub("", html)
    return _CSRF_META.sub("", html)


def similarity(a: str, b: str) -> dict:
    """How alike two pages are, 0..1.

    ``tokens``: difflib's ratio over the sequence of tags and words of each page
    (volatile attributes stripped) — the measure judged. ``internetnl``: internet.nl's
    own measure for comparison, ``SequenceMatcher.quick_ratio`` over the characters
    (an upper bound that lets pages of similar size and alphabet look alike; it
    allows 10 % difference)."""
    a, b = strip_volatile(a), strip_volatile(b)
    ta, tb = _TOKENS.findall(a), _TOKENS.findall(b)
    if not ta and not tb:
        tokens = 1.0
    else:
        tokens = SequenceMatcher(None, ta, tb).ratio()
    quick = SequenceMatcher(None, a, b).quick_ratio() if (a or b) else 1.0
    return {"tokens": round(tokens, 4), "internetnl": round(quick, 4), "tokens_v4": len(ta), "tokens_v6": len(tb)}


def _title(html: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip()[:120] if m else ""


# -- the gatherer ------------------------------------------------------------------------
class _Budget:
    def __init__(self, seconds: float, stop) -> None:
        self.end = time.monotonic() + seconds
        self.stop = stop

    def over(self) -> bool:
        return time.monotonic() > self.end or self.stop.is_set()


def _ok(f) -> bool:
    return f is not None and f.error_kind is None and f.status is not None and f.status < 400 and not f.blocked


def _probe_rec(f) -> dict:
    return {"status": f.status, "error_kind": f.error_kind, "error": f.error, "elapsed": round(f.elapsed, 3),
            "peer": f.peer, "tls_error": f.tls_error}


def probe_port(v6, url: str, count: int, budget: _Budget) -> list[dict]:
    out: list[dict] = []
    for _ in range(count):
        if budget.over():
            break
        f = v6.fetch(url, follow=False, max_bytes=64 * 1024)
        rec = _probe_rec(f)
        rec["ok"] = f.status is not None and f.error_kind is None and f.status < 400
        out.append(rec)
        if len(out) >= 3 and not any(r["ok"] for r in out) and all(r["error_kind"] in CONNECT_KINDS for r in out):
            break  # no connection three times running: the port is not served over IPv6
    return out


def _fetch_pair(v4, v6, url: str, max_bytes: int) -> tuple:
    f4 = v4.fetch(url, max_bytes=max_bytes)
    f6 = v6.fetch(url, max_bytes=max_bytes)
    return f4, f6


def _page_of(f) -> dict:
    rec = _net.summarize(f)
    rec.pop("headers", None)
    return rec


def _text(f) -> str:
    return decode_html(f.body, f.headers.get("content-type"))[0]


def compare(f4, f6) -> dict:
    out = {"v4": _page_of(f4), "v6": _page_of(f6)}
    out["same_status"] = f4.status == f6.status
    out["same_final_url"] = (normalize(f4.final_url) or f4.final_url) == (normalize(f6.final_url) or f6.final_url)
    if f4.body is not None and f6.body is not None and f4.status is not None and f6.status is not None:
        t4, t6 = _text(f4), _text(f6)
        out["similarity"] = similarity(t4, t6)
        out["title_v4"], out["title_v6"] = _title(t4), _title(t6)
        out["bytes"] = [len(f4.body), len(f6.body)]
    return out


def parity(snap, ctx, v6, max_bytes: int, need: float) -> dict:
    v4 = ctx.fetcher
    start = snap.start_url
    f4, f6 = _fetch_pair(v4, v6, start, max_bytes)
    out = {"url": start, **compare(f4, f6)}
    pair, judged4 = out, f4
    home = snap.homepage
    if home is not None and _ok(f4) and _ok(f6) and home.final_url != f4.final_url and \
            normalize(home.final_url) != normalize(f4.final_url):
        # The start URL lands on a stub that sends visitors on (meta/JS redirect): compare
        # the page they reach as well, and judge the content on that one.
        h4, h6 = _fetch_pair(v4, v6, home.final_url, max_bytes)
        out["homepage"] = pair = {"url": home.final_url, **compare(h4, h6)}
        judged4 = h4
    sim = (pair.get("similarity") or {}).get("tokens")
    if sim is not None and sim < need and _ok(judged4):
        # Unlike enough: is it IPv6, or a page that changes on every load (rotating news,
        # counters)? One more IPv4 load measures the page against itself.
        again = v4.fetch(judged4.url, max_bytes=max_bytes)
        if _ok(again) and again.body is not None:
            pair["baseline"] = similarity(_text(judged4), _text(again))["tokens"]
    return out


class _LinkJudge:
    """Tests links over IPv6 with per-host AAAA and per-origin liveness memory."""

    def __init__(self, snap, ctx, v6, resolver, budget: _Budget, dead_origins: set[str]) -> None:
        self.snap = snap
        self.v6 = v6
        self.v4 = ctx.fetcher
        self.resolver = resolver
        self.budget = budget
        self.dead = set(dead_origins)
        self.fails: dict[str, int] = {}
        self.alive: set[str] = set()
        self.lock = threading.Lock()
        self.requests = 0

    def aaaa(self, host: str) -> tuple[list[str] | None, str | None]:
        fam = ip_family(host)
        if fam:
            return ([host.strip("[]")] if fam == "v6" else []), None
        try:
            return self.resolver.addresses(host, "v6"), None
        except ResolveError as exc:
            if exc.kind == "nxdomain":
                return [], exc.message
            return None, exc.message

    def has_ipv4(self, host: str) -> bool:
        """Whether the name exists with an A record (a name that resolves to nothing is a
        dead link, not an IPv6 gap)."""
        if ip_family(host):
            return ip_family(host) == "v4"
        try:
            return bool(self.resolver.addresses(host, "v4"))
        except ResolveError:
            return False

    def v4_fetch(self, url: str):
        f = _net.crawl_fetch(self.snap, url)
        if f is None:
            page = self.snap.page(url)
            f = page.fetch if page is not None else None
        return f

    def _head(self, fetcher, url: str):
        f = fetcher.fetch(url, method="HEAD", want_body=False, follow=False)
        if (f.error_kind is None and f.status is not None and f.status >= 400 and f.status not in (429, 503)) \
                or f.error_kind in ("protocol", "incomplete"):
            g = fetcher.fetch(url, method="GET", want_body=False, follow=False)
            if g.error_kind is None:
                return g
        return f

    def judge(self, url: str, level: int) -> dict:
        rec = {"url": url, "level": level}
        host = host_of(url)
        v4 = self.v4_fetch(url)
        if v4 is not None and not _ok(v4):
            why = v4.error or (f"HTTP {v4.status}" if v4.status else "no answer")
            return {**rec, "result": "excluded", "reason": f"broken over IPv4 too ({why})"}
        addrs, err = self.aaaa(host)
        if addrs is None:
            return {**rec, "result": "excluded", "reason": f"DNS lookup failed: {err}"}
        if not addrs and not self.resolver.pinned(*self.resolver.route(host, _port(url))):
            if v4 is None and not self.has_ipv4(host):
                return {**rec, "result": "excluded", "reason": f"{host} does not resolve at all"}
            return {**rec, "result": "fail", "reason": f"{host} has no AAAA record"}
        origin = _origin(url)
        if v4 is None and self.snap.in_site(url):
            why = self.snap.why_not_fetched(url) or "not fetched by the crawl"
            return {**rec, "result": "excluded", "reason": f"not tested ({why})"}
        with self.lock:
            dead = origin in self.dead
        if dead:
            return {**rec, "result": "fail", "reason": f"{origin} does not answer over IPv6"}
        if self.budget.over():
            return {**rec, "result": "excluded", "reason": "not tested (time budget)"}
        f6 = self._head(self.v6, url)
        with self.lock:
            self.requests += 1
        if _ok(f6):
            with self.lock:
                self.alive.add(origin)
            return {**rec, "result": "ok", "status6": f6.status, "peer": f6.peer}
        if f6.blocked or f6.status in (429, 503) or f6.error_kind == "stopped":
            return {**rec, "result": "excluded", "reason": f"rate-limited or stopped over IPv6 ({f6.error or f6.status})"}
        if f6.error_kind in CONNECT_KINDS:
            with self.lock:
                self.fails[origin] = self.fails.get(origin, 0) + 1
                if self.fails[origin] >= 3 and origin not in self.alive:
                    self.dead.add(origin)
        if v4 is None:
            # An off-site link the crawl did not check: is it a link that is down anyway?
            f4 = self._head(self.v4, url)
            with self.lock:
                self.requests += 1
            if not _ok(f4):
                return {**rec, "result": "excluded", "reason": f"broken over IPv4 too ({f4.error or f4.status})"}
        why = f6.error or f"HTTP {f6.status}"
        return {**rec, "result": "fail", "reason": f"over IPv6: {why}", "status6": f6.status,
                "error_kind6": f6.error_kind}


def local_route(addr: str) -> str | None:
    """None when this machine has a route to the IPv6 address ``addr``, else why not.
    (A UDP connect only looks the route up; nothing is sent.)"""
    import socket

    if not socket.has_ipv6:
        return "this Python has no IPv6 support"
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.connect((addr, 9))
    except OSError as exc:
        return f"no IPv6 route from this machine to {addr} ({exc.strerror or exc})"
    return None


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _port(url: str) -> int:
    p = urlsplit(url)
    try:
        return p.port or _net.DEFAULT_PORT.get(p.scheme, 80)
    except ValueError:
        return 80


def link_levels(snap, max_links: int) -> tuple[list[str], list[str], dict]:
    """(二级 links, 三级 links, counts before the cap): same-domain http(s) links."""
    home = snap.homepage
    if home is None or not home.is_html:
        return [], [], {"level2": 0, "level3": 0}
    site_dom = domain_key(host_of(home.final_url) or snap.site_host)
    homes = {normalize(snap.start_url), normalize(home.final_url), snap.start_url, home.final_url}

    def same_domain(url: str) -> bool:
        return url.startswith(("http://", "https://")) and domain_key(host_of(url)) == site_dom

    level2: list[str] = []
    for link in home.links:
        if link.tag in FOLLOW_TAGS and same_domain(link.url) and link.url not in homes \
                and normalize(link.url) not in homes and link.url not in level2:
            level2.append(link.url)
    seen = set(level2) | {h for h in homes if h}
    level3: list[str] = []
    for url in level2:
        page = snap.page(url)
        if page is None or not page.is_html:
            continue
        for link in page.links:
            if link.tag in FOLLOW_TAGS and same_domain(link.url) and link.url not in seen \
                    and normalize(link.url) not in seen:
                seen.add(link.url)
                level3.append(link.url)
    counts = {"level2": len(level2), "level3": len(level3)}
    return level2[:max_links], level3[:max_links], counts


def skylights(snap, judge: _LinkJudge, level2: list[str], site_host: str) -> list[dict]:
    """Pages (homepage, 二级) embedding resources from hosts without AAAA (IPv6 天窗)."""
    pages = [snap.homepage] + [snap.page(u) for u in level2]
    checked: dict[str, bool | None] = {}
    out = []
    seen_pages = set()
    for page in pages:
        if page is None or not page.is_html or page.final_url in seen_pages:
            continue
        seen_pages.add(page.final_url)
        found = []
        for link in page.links:
            if link.tag == "link":
                if not any(r in (link.rel or "") for r in RESOURCE_LINK_RELS):
                    continue
            elif link.tag not in RESOURCE_TAGS:
                continue
            if not link.url.startswith(("http://", "https://")):
                continue
            host = host_of(link.url)
            if host == site_host:
                continue
            if host not in checked:
                if len(checked) >= MAX_RESOURCE_HOSTS:
                    continue
                addrs, _ = judge.aaaa(host)
                # IPv4-only: no AAAA but an A record (a name that does not resolve is a dead link).
                checked[host] = None if addrs is None else (bool(addrs) or not judge.has_ipv4(host))
            if checked[host] is False:
                found.append({"url": link.url, "host": host, "tag": link.tag})
        if found:
            out.append({"page": page.final_url, "resources": found[:10], "count": len(found)})
    return out


@gatherer("ipv6")
def gather(snap, ctx) -> dict:
    host = _net.site_host(snap)
    out: dict = {"host": host}
    if not host:
        return {**out, "state": "no-host"}
    if ip_family(host) == "v4":
        return {**out, "state": "ipv4-literal"}
    if host == "localhost" or host.endswith(".localhost"):
        return {**out, "state": "local-name"}
    if ctx.fetcher is None:
        return {**out, "state": "no-fetcher"}
    if _net.stopped(ctx):
        return {**out, "state": "stopped", "reason": snap.stop_reason}
    # Handed down by the ipv6.* checks (their declared settings): probes, max_bytes, min_similarity,
    # max_links_per_level, time_budget_seconds.
    setting = ctx.settings["ipv6"]
    probes = max(1, min(MAX_PROBES, int(setting["probes"])))
    max_bytes = int(setting["max_bytes"])
    max_links = max(0, int(setting["max_links_per_level"]))
    budget = _Budget(float(setting["time_budget_seconds"]), ctx.fetcher.stop)
    resolver = _net.resolver_of(ctx)
    out["resolver"] = resolver.describe()
    try:
        out["aaaa"] = resolver.addresses(host, "v6")
        out["dns_error"] = None
    except ResolveError as exc:
        out["aaaa"], out["dns_error"], out["dns_error_kind"] = [], exc.message, exc.kind
    o = _net.origins(snap, ctx)
    ports = [(s, o[s]["port"]) for s in ("http", "https") if o[s] is not None and o[s]["served"]]
    if not ports:
        start = urlsplit(snap.start_url)
        ports = [(start.scheme, _port(snap.start_url))]
    v6 = _net.v6_fetcher(ctx)
    out["ports"] = []
    reachable = False
    dead: set[str] = set()
    for scheme, port in ports:
        url = _net.origin_url(scheme, host, port)
        entry = {"scheme": scheme, "port": port, "url": url, "v4_served": bool(o[scheme] and o[scheme]["served"])}
        try:
            entry["addresses"] = [f"{a}" if p == port else f"{a} (port {p})"
                                  for a, p in resolver.targets(host, port, "v6")]
            entry["error"] = None
        except ResolveError as exc:
            entry["addresses"], entry["error"] = [], exc.message
        no_route = [local_route(a.split(" ")[0]) for a in entry["addresses"]]
        if entry["addresses"] and all(no_route):
            # The auditing machine cannot reach IPv6 at all: no probe could tell anything.
            out["ports"].append(entry)
            return {**out, "state": "no-local-ipv6", "error": no_route[0]}
        if entry["addresses"]:
            entry["probes"] = probe_port(v6, url, probes, budget)
        else:
            entry["probes"] = []
        entry["ok"] = sum(1 for p in entry["probes"] if p["ok"])
        entry["total"] = len(entry["probes"])
        entry["planned"] = probes
        if entry["addresses"] and entry["ok"] == 0:
            dead.add(_origin(url))
        # A port that answers at all (even with an error page) is compared for ipv6.parity.
        reachable = reachable or any(p["status"] is not None for p in entry["probes"])
        out["ports"].append(entry)
    has_v6 = any(e["addresses"] for e in out["ports"])
    out["has_v6"] = has_v6
    if has_v6 and reachable and not budget.over():
        out["parity"] = parity(snap, ctx, v6, max_bytes, float(setting["min_similarity"]))
    # Links (二级/三级) and 天窗.
    judge = _LinkJudge(snap, ctx, v6, resolver, budget, dead)
    level2, level3, counts = link_levels(snap, max_links)
    jobs = [(u, 2) for u in level2] + [(u, 3) for u in level3]
    workers = max(1, min(4, int(snap.options.get("concurrency") or 4)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gov-audit-ipv6") as ex:
        results = list(ex.map(lambda job: judge.judge(*job), jobs))
    out["links"] = {"level2": [r for r in results if r["level"] == 2],
                    "level3": [r for r in results if r["level"] == 3],
                    "found": counts, "cap": max_links}
    out["skylights"] = skylights(snap, judge, level2, host) if host else []
    out["requests"] = sum(e["total"] for e in out["ports"]) + judge.requests + (2 if "parity" in out else 0) \
        + (2 if "homepage" in out.get("parity", {}) else 0)
    out["budget_exhausted"] = budget.over() and not ctx.fetcher.stop.is_set()
    out["state"] = "ok" if has_v6 else "no-aaaa"
    v6.close()
    return out
