"""The crawler: one polite, bounded pass over a site, producing a :class:`Snapshot`.

Workers only fetch and parse; all bookkeeping (frontier, link graph, budgets) stays
in the coordinating thread, so there is no shared mutable state to lock.
"""
from __future__ import annotations

import dataclasses
import heapq
import itertools
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urlsplit

from auditor.network import robots as robots_mod
from auditor.network.decode import decode_html
from auditor.network.fetch import Fetch, Fetcher, retry_after_seconds
from auditor.network.resolve import AddressPolicy
from auditor.crawl.parse import extract
from auditor.crawl.renderplan import RenderPlan
from auditor.crawl.snapshot import Page, ScriptSource, Snapshot
from auditor.network.urls import Scope, host_of, is_asset, is_attachment, normalize
from auditor.network.watchdog import WATCHDOG

MAX_SKIPPED_RECORDED = 20_000
FOLLOW_TAGS = frozenset({"a", "area", "iframe", "frame", "redirect"})
LINK_CHECK_TAGS = frozenset({"a", "area", "img", "script", "iframe", "frame", "embed", "source",
                             "link", "input"})
LINK_CHECK_SKIP_REL = ("dns-prefetch", "preconnect", "canonical", "alternate", "shortlink",
                       "search", "manifest", "pingback")


@dataclass
class CrawlOptions:
    max_pages: int = 300
    max_depth: int = 4
    concurrency: int = 4
    rate: float = 5.0
    timeout: float = 15.0
    total_timeout: float | None = None
    user_agent: str | None = None
    max_bytes: int = 5 * 1024 * 1024
    time_budget: float | None = None
    ignore_robots: bool = False
    link_check_depth: int = 0
    max_link_checks: int = 400
    max_attachments: int | None = None
    max_per_pattern: int | None = None
    keep_tree_depth: int = 0  # re-parsing a page costs ~0.6 ms; a kept tree ~260 KB
    max_kept_trees: int = 300
    extra_hosts: tuple[str, ...] = ()
    verify: bool | str = True
    max_homepage_scripts: int = 20
    # Name resolution for every connection (auditor.network.resolve): curl-style strings.
    dns_server: str | None = None  # ADDR[:PORT]
    resolve: tuple[str, ...] = ()  # HOST:PORT:ADDR
    connect_to: tuple[str, ...] = ()  # HOST1:PORT1:HOST2:PORT2
    ca_bundle: str | None = None  # an extra CA trusted besides the default ones
    # Private, loopback, link-local, CGNAT and metadata addresses are refused unless the site
    # itself lives there (auditor.network.resolve.AddressPolicy) or this is set.
    allow_private: bool = False
    # The browser (auditor.crawl.renderer): never | auto (the homepage and pages that look
    # script-built) | always (the homepage and every depth-1 page); up to render_cap pages.
    render: str = "never"
    render_cap: int | None = None
    render_max_depth: int = 3
    # axe-core on (column pages, article pages) picked while crawling; the audit sets it
    # from the a11y.axe check's settings when that check runs.
    axe_sample: tuple[int, int] = (0, 0)


# A Retry-After longer than this (seconds) is not waited out: the crawl stops and
# reports what it has ("rate-limited"); so does a site whose pauses add up past
# MAX_TOTAL_PAUSE.
MAX_RETRY_AFTER = 60.0
MAX_TOTAL_PAUSE = 300.0


@dataclass
class _Task:
    url: str
    depth: int
    referrer: str | None
    kind: str = "page"  # page | attachment | link | script
    retries: int = 0
    named: bool = False  # the start URL the user named (see run())


@dataclass
class _Result:
    task: _Task
    fetch: Fetch
    page: Page | None = None
    error: str | None = None


@dataclass
class Progress:
    done: int = 0
    queued: int = 0
    errors: int = 0
    phase: str = "crawl"
    started: float = field(default_factory=time.monotonic)


class Crawler:
    def __init__(self, options: CrawlOptions,
                 on_progress: Callable[[Progress], None] | None = None) -> None:
        from auditor.network.fetch import DEFAULT_USER_AGENT

        self.o = options
        self.user_agent = options.user_agent or DEFAULT_USER_AGENT
        self.on_progress = on_progress
        from auditor.network.resolve import Resolver

        resolver = Resolver.from_options(options.resolve, options.dns_server, options.connect_to,
                                         timeout=options.timeout)
        self.address_policy = AddressPolicy(allow_private=options.allow_private)
        self.fetcher = Fetcher(user_agent=self.user_agent, timeout=options.timeout,
                               total_timeout=options.total_timeout, rate=options.rate,
                               concurrency=options.concurrency, max_bytes=options.max_bytes,
                               verify=options.verify, resolver=resolver if resolver.custom else None,
                               ca_bundle=options.ca_bundle, address_policy=self.address_policy)
        self.stop = self.fetcher.stop
        self.stop_reason: str | None = None
        self.progress = Progress()
        self._unreachable: dict[str, Fetch] = {}
        self.renderer = None  # auditor.crawl.renderer.Renderer while rendering is on; the audit closes it

    # -- public ---------------------------------------------------------------
    def request_stop(self, reason: str) -> None:
        """Stop the crawl (thread-safe): in-flight requests are cut, the snapshot is partial."""
        if not self.stop.is_set():
            self.stop_reason = reason
            self.stop.set()
            WATCHDOG.kill_all(owner=self.fetcher)

    def _over_budget(self) -> bool:
        if self.o.time_budget and time.monotonic() - self._t0 > self.o.time_budget:
            self.request_stop("time-budget")
        return self.stop.is_set()

    def run(self, start_url: str) -> Snapshot:
        """Crawl the site. Ctrl-C (KeyboardInterrupt) in any phase ends it with a partial snapshot."""
        started_at = datetime.now(timezone.utc)
        t0 = self._t0 = time.monotonic()
        self.progress.started = t0
        start = normalize(start_url)
        if start is None:
            raise ValueError(f"not an http(s) URL: {start_url}")
        o = self.o
        self.address_policy.add_site(start)
        for extra in o.extra_hosts:
            self.address_policy.add_site(f"http://{extra}/")
            self.address_policy.add_site(f"https://{extra}/")
        per_pattern = o.max_per_pattern or max(50, o.max_pages // 4)
        scope = Scope(start, o.extra_hosts, max_per_pattern=per_pattern)
        self.scope = scope
        try:
            policy = robots_mod.load(self.fetcher, start, self.user_agent, ignore=o.ignore_robots)
        except KeyboardInterrupt:
            self.request_stop("interrupted")
            policy = robots_mod.RobotsPolicy(url=robots_mod.robots_url(start), state="unreachable",
                                             error="interrupted", ignored=o.ignore_robots)
        if policy.crawl_delay and not o.ignore_robots:
            self.fetcher.limiter.set_min_interval(host_of(start), policy.crawl_delay)
        self.policy = policy
        site_host = host_of(start)
        self.named_urls = {start}  # the page the user named, and where it led (see _allow_navigation)
        render = RenderPlan(self) if o.render in ("auto", "always") and not self.stop.is_set() else None
        paused = 0.0
        if policy.retry_after is not None and policy.retry_after > MAX_RETRY_AFTER:
            # Even robots.txt got "come back much later": do not knock again.
            self.request_stop("rate-limited")

        pages: dict[str, Page] = {}
        inlinks: dict[str, list[str]] = {}
        link_checks: dict[str, Fetch] = {}
        sources: list[ScriptSource] = []
        robots_blocked: list[str] = []
        errors: dict[str, int] = {}
        seen: set[str] = {start}
        frontier: list[tuple[int, int, _Task]] = []
        seq = itertools.count()
        attachments_budget = o.max_attachments if o.max_attachments is not None else o.max_pages
        counters = {"pages": 0, "attachments": 0, "depth_cut": 0, "page_cap_cut": 0,
                    "kept_trees": 0}

        def allow(url: str) -> str | None:
            if not scope.in_scope(url):
                return None  # an off-site redirect target is recorded, not crawled further
            if not policy.allows(url, self.user_agent):
                return "robots"
            return None

        def push(task: _Task) -> None:
            heapq.heappush(frontier, (task.depth, next(seq), task))

        # An unreachable robots.txt (5xx, 429, network error) means "disallow all"
        # (RFC 9309 2.3.1.4) for the crawl, but the one page the user named is still
        # requested, with its HTTP redirects, as a browser would: it tells an
        # unreachable site (refused, DNS, timeout) apart from one that forbids
        # crawling, and gives a homepage-only audit. Nothing else is fetched from
        # the site; the report says so and points at --ignore-robots.
        # A robots.txt that was read and disallows the start URL is obeyed: nothing
        # is fetched at all.
        if policy.allows(start, self.user_agent):
            push(_Task(start, 0, None))
        elif policy.state == "unreachable" and not self.stop.is_set():
            push(_Task(start, 0, None, named=True))
        else:
            robots_blocked.append(start)

        skipped: dict[str, str] = {}

        def skip(url: str, reason: str) -> None:
            # Why a URL the site links to was not fetched, for checks to say so.
            if len(skipped) < MAX_SKIPPED_RECORDED:
                skipped.setdefault(url, reason)

        def discover(page: Page) -> None:
            if page.facts is None:
                return
            for link in page.facts.links:
                url = link.url
                inl = inlinks.setdefault(url, [])
                if len(inl) < 20 and page.url not in inl:
                    inl.append(page.url)
                if url in seen or link.tag not in FOLLOW_TAGS or not scope.in_scope(url):
                    continue
                seen.add(url)
                if not policy.allows(url, self.user_agent):
                    robots_blocked.append(url)
                    skip(url, "robots")
                    continue
                if page.depth + 1 > o.max_depth:
                    counters["depth_cut"] += 1
                    skip(url, "max-depth")
                    continue
                if is_attachment(url):
                    if counters["attachments"] < attachments_budget:
                        counters["attachments"] += 1
                        push(_Task(url, page.depth + 1, page.url, "attachment"))
                    continue
                if is_asset(url):
                    continue
                if not scope.admit(url):
                    skip(url, "crawl-trap-bound")
                    continue
                push(_Task(url, page.depth + 1, page.url))

        executor = ThreadPoolExecutor(max_workers=o.concurrency, thread_name_prefix="gov-audit")
        inflight: dict[Future, _Task] = {}
        try:
            while (frontier or inflight or (render is not None and render.pending)) and not self.stop.is_set():
                while frontier and len(inflight) < o.concurrency * 2:
                    _, _, task = heapq.heappop(frontier)
                    if task.kind == "page":
                        if counters["pages"] >= o.max_pages:
                            counters["page_cap_cut"] += 1
                            skip(task.url, "max-pages")
                            continue
                        counters["pages"] += 1
                    keep = task.depth <= o.keep_tree_depth and counters["kept_trees"] < o.max_kept_trees
                    if keep and task.kind == "page":
                        counters["kept_trees"] += 1
                    inflight[executor.submit(self._work, task, keep)] = task
                waiting = list(inflight) + (render.futures() if render is not None else [])
                if not waiting:
                    break
                done, _ = wait(waiting, timeout=0.25, return_when=FIRST_COMPLETED)
                self._over_budget()  # pages already done are still kept below
                for fut in done:
                    if fut not in inflight:
                        continue  # a render result: taken below
                    task = inflight.pop(fut)
                    res: _Result = fut.result()
                    f = res.fetch
                    if f.error_kind == "stopped":
                        continue
                    if f.status in (429, 503):
                        # The fetcher has already slowed the host down (and paused it
                        # for Retry-After); here we decide whether to ask again.
                        wait_s = retry_after_seconds(f.headers.get("retry-after"))
                        if host_of(f.final_url) == site_host and wait_s is not None:
                            paused += min(wait_s, MAX_RETRY_AFTER)
                            if wait_s > MAX_RETRY_AFTER or paused > MAX_TOTAL_PAUSE:
                                # The site asks for a longer pause than an audit waits:
                                # stop politely and report what was gathered.
                                self.request_stop("rate-limited")
                        if task.retries < 2 and not self.stop.is_set() and \
                                (wait_s is None or wait_s <= MAX_RETRY_AFTER):
                            task.retries += 1
                            if task.kind == "page":
                                counters["pages"] -= 1
                            push(task)
                            continue
                    if f.error_kind:
                        errors[f.error_kind] = errors.get(f.error_kind, 0) + 1
                        self.progress.errors += 1
                    if f.error_kind == "robots":
                        robots_blocked.append(f.final_url)
                    page = res.page
                    pages[task.url] = page
                    if f.final_url != task.url and f.error_kind is None:
                        seen.add(f.final_url)  # a redirect target is not fetched again
                    self.progress.done += 1
                    discover(page)
                    if render is not None:
                        for rendered in render.offer(task, page):
                            discover(rendered)
                for fut in done:
                    if render is not None and render.owns(fut):
                        for rendered in render.take(fut, pages):
                            discover(rendered)
                self.progress.queued = len(frontier) + len(inflight)
                if self.on_progress:
                    self.on_progress(self.progress)
            if frontier and not self.stop.is_set():
                counters["page_cap_cut"] += sum(1 for _, _, t in frontier if t.kind == "page")
            for _, _, t in frontier:
                skip(t.url, "stopped" if self.stop.is_set() else "max-pages")
        except KeyboardInterrupt:
            self.request_stop("interrupted")
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

        # Second phase: link checks for the homepage (and shallow pages), and the
        # same-site scripts the homepage pulls in.
        if not self.stop.is_set():
            try:
                self._second_phase(start, pages, link_checks, sources, robots_blocked, policy)
            except KeyboardInterrupt:
                self.request_stop("interrupted")

        finished_at = datetime.now(timezone.utc)
        stats = {
            "pages": sum(1 for p in pages.values() if p.kind in ("html", "other", "error")),
            "html_pages": sum(1 for p in pages.values() if p.is_html),
            "attachments": sum(1 for p in pages.values() if p.kind == "attachment"),
            "link_checks": len(link_checks),
            "requests": self.fetcher.requests_made,
            "errors": errors,
            "robots_blocked": len(robots_blocked),
            "robots_blocked_sample": robots_blocked[:20],
            "trap_cut": dict(scope.trapped.most_common(10)),
            "depth_cut": counters["depth_cut"],
            "page_cap_cut": counters["page_cap_cut"],
            "duration": round(time.monotonic() - t0, 3),
            "bytes": sum(p.fetch.size for p in pages.values()),
            "rendered": sum(1 for p in pages.values() if p.rendered),
            "private_refused": self.address_policy.summary(),
        }
        self.fetcher.close()
        return Snapshot(start_url=start, pages=pages, inlinks=inlinks, link_checks=link_checks,
                        homepage_sources=sources, robots=policy.to_json(), started_at=started_at,
                        finished_at=finished_at, stats=stats, partial=self.stop.is_set(),
                        stop_reason=self.stop_reason, skipped=skipped,
                        render=render.summary() if render is not None else {"mode": "never"},
                        options={"max_pages": o.max_pages, "max_depth": o.max_depth,
                                 "link_check_depth": o.link_check_depth,
                                 "max_link_checks": o.max_link_checks,
                                 "rate": o.rate, "concurrency": o.concurrency,
                                 "timeout": o.timeout, "ignore_robots": o.ignore_robots,
                                 "user_agent": self.user_agent, "render": o.render,
                                 # Where the audit's connections went, for a reader of the report.
                                 "dns_server": o.dns_server, "resolve": list(o.resolve),
                                 "connect_to": list(o.connect_to), "ca_bundle": o.ca_bundle,
                                 "allow_private": o.allow_private})

    # -- workers --------------------------------------------------------------
    def _allow_navigation(self, url: str) -> str | None:
        """The browser's navigations obey robots.txt as the crawl's fetches do, with the same
        one exception: the page the user named, which the crawl fetches even when robots.txt
        could not be read (see run())."""
        if url in self.named_urls:
            return None
        return self._allow(url)

    def _allow(self, url: str) -> str | None:
        if self.scope.in_scope(url) and not self.policy.allows(url, self.user_agent):
            return "robots"
        return None

    def _work(self, task: _Task, keep_tree: bool) -> _Result:
        if task.kind in ("attachment", "link"):
            f = self.head(task.url)
            kind = "attachment" if task.kind == "attachment" else "other"
            return _Result(task, f, Page(task.url, task.depth, f, kind, task.referrer))
        # The page the user named is fetched with its redirects even when robots.txt
        # could not be read (see run()); every other fetch obeys robots.txt per hop.
        f = self.fetcher.fetch(task.url, allow=None if task.named else self._allow)
        return _Result(task, f.without_body(), self._make_page(task, f, keep_tree))

    def head(self, url: str, retry_rate_limited: bool = False) -> Fetch:
        """Status of a URL without downloading it: HEAD, then GET without body if HEAD is refused.

        Many servers answer HEAD with 405/403/500 or drop the connection while GET
        works; the GET fallback reads the status and headers, never the body.
        ``retry_rate_limited`` asks once more after a 429/503 with a short
        Retry-After (the fetcher has paused the host meanwhile).
        """
        # A host whose name did not resolve, or that refused the connection, fails
        # the same way for every URL on it: ask once, not once per link (an
        # unresolvable name can cost the resolver's 5 s timeout each time).
        key = _origin_key(url)
        known = self._unreachable.get(key)
        if known is not None:
            return dataclasses.replace(known, url=url, final_url=url, redirects=(), elapsed=0.0)
        f = self.fetcher.fetch(url, method="HEAD", want_body=False, allow=self._allow)
        if f.error_kind in ("dns", "private-address") or (f.error_kind == "connect" and "refused" in (f.error or "")):
            self._unreachable.setdefault(key, f.without_body())
        refused = (f.error_kind is None and f.status is not None and f.status >= 400
                   and f.status not in (429, 503)) or \
            f.error_kind in ("protocol", "incomplete") or \
            (f.error_kind == "connect" and "closed" in (f.error or ""))
        if refused and not self.stop.is_set():
            g = self.fetcher.fetch(url, method="GET", want_body=False, allow=self._allow)
            if g.error_kind is None:
                return g.without_body()
        if retry_rate_limited and f.status in (429, 503) and not self.stop.is_set():
            wait_s = retry_after_seconds(f.headers.get("retry-after"))
            if wait_s is not None and wait_s <= 10:
                return self.head(url)
        return f.without_body()

    def _make_page(self, task: _Task, f: Fetch, keep_tree: bool) -> Page:
        if f.error_kind:
            return Page(task.url, task.depth, f.without_body(), "error", task.referrer)
        ctype = f.content_type
        body = f.body or b""
        looks_html = ctype in ("text/html", "application/xhtml+xml") or (
            ctype in ("", "text/plain", "application/octet-stream")
            and body[:1024].lstrip()[:1] == b"<" and b"<html" in body[:4096].lower())
        if not looks_html:
            kind = "attachment" if is_attachment(f.final_url) or ctype.startswith("application/") else "other"
            return Page(task.url, task.depth, f.without_body(), kind, task.referrer)
        text, encoding = decode_html(body, f.headers.get("content-type"))
        facts = extract(text, f.final_url, keep_tree=keep_tree)
        html_z = zlib.compress(text.encode("utf-8"), 1)
        return Page(task.url, task.depth, f.without_body(), "html", task.referrer, encoding,
                    facts, html_z)

    def _second_phase(self, start, pages, link_checks, sources, robots_blocked, policy) -> None:
        o = self.o
        self.progress.phase = "links"
        home = pages.get(start)
        # Follow a stub homepage (meta refresh / JS redirect) to the real one.
        hops = 0
        while home is not None and home.facts is not None and home.facts.refresh_to \
                and len(home.text) <= 400 and hops < 3:
            nxt = pages.get(home.facts.refresh_to)
            if nxt is None:
                break
            home, hops = nxt, hops + 1
        targets: dict[str, str] = {}
        for page in pages.values():
            if page.depth > max(o.link_check_depth, hops) or page.facts is None:
                continue
            # A rendered page: the links scripts wrote are checked, but not the resources
            # scripts inserted (counters, beacons, ad slots), which a visitor never follows.
            served = {l.url for l in page.static_facts.links} if page.rendered else None
            for link in page.facts.links:
                if link.tag not in LINK_CHECK_TAGS:
                    continue
                if served is not None and link.tag not in ("a", "area") and link.url not in served:
                    continue
                if link.tag == "link" and any(r in link.rel for r in LINK_CHECK_SKIP_REL):
                    continue
                if link.url in pages or link.url in targets:
                    continue
                if self.scope.in_scope(link.url) and not policy.allows(link.url, self.user_agent):
                    continue
                targets[link.url] = page.url
        script_urls: list[str] = []
        if home is not None and home.facts is not None:
            for link in home.facts.links:
                if link.tag == "script" and self.scope.in_scope(link.url) \
                        and policy.allows(link.url, self.user_agent) \
                        and link.url not in script_urls:
                    script_urls.append(link.url)
        script_urls = script_urls[: o.max_homepage_scripts]
        check_urls = list(targets)[: o.max_link_checks]
        self.progress.queued = len(check_urls) + len(script_urls)
        ex = ThreadPoolExecutor(max_workers=o.concurrency, thread_name_prefix="gov-audit-links")
        try:
            futs = {ex.submit(self.fetcher.fetch, u, max_bytes=512 * 1024, allow=self._allow,
                              any_type=True): ("script", u)
                    for u in script_urls}
            futs.update({ex.submit(self.head, u, True): ("link", u) for u in check_urls})
            pending = set(futs)
            while pending and not self._over_budget():
                done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for fut in done:
                    kind, url = futs[fut]
                    f = fut.result()
                    if f.error_kind == "stopped":
                        continue
                    if kind == "script":
                        link_checks[url] = f.without_body()
                        if f.ok and f.body:
                            text, _ = decode_html(f.body, f.headers.get("content-type"))
                            sources.append(ScriptSource(url, text))
                    else:
                        link_checks[url] = f
                    self.progress.done += 1
                self.progress.queued = len(pending)
                if self.on_progress:
                    self.on_progress(self.progress)
        except KeyboardInterrupt:
            # Stop first, so the workers' requests are cut before we wait for them.
            self.request_stop("interrupted")
        finally:
            ex.shutdown(wait=True, cancel_futures=True)


def _origin_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"
