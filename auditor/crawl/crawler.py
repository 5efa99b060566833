"""The crawler: one polite, bounded pass over a site, producing a :class:`Snapshot`.

Workers only fetch and parse; all bookkeeping (frontier, link graph, budgets, coverage)
stays in the coordinating thread, so there is no shared mutable state to lock. The
order is the frontier's (auditor.crawl.frontier): the parts of the site the checks read
come first. Answers 4xx/5xx and failed requests do not spend the page budget (up to
their own bound): they are link results, not pages read.
"""
from __future__ import annotations

import dataclasses
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from datetime import date
from typing import Callable
from urllib.parse import urlsplit

from auditor.network import robots as robots_mod
from auditor.network.decode import decode_html
from auditor.network.fetch import Fetch, Fetcher, Request, retry_after_seconds
from auditor.network.resolve import AddressPolicy
from auditor.crawl.coverage import CoverageLog
from auditor.crawl.frontier import DEEP_ARTICLE, WANTED, Frontier
from auditor.crawl.parse import extract
from auditor.crawl.snapshot import CrawlRecord, LinkRecord, Page, ScriptSource, Snapshot
from auditor.network.urls import Scope, host_of, is_asset, is_attachment, normalize
from auditor.network.watchdog import WATCHDOG

FOLLOW_TAGS = frozenset({"a", "area", "iframe", "frame", "redirect"})
LINK_CHECK_TAGS = frozenset({"a", "area", "img", "script", "iframe", "frame", "embed", "source",
                             "link", "input"})
LINK_CHECK_SKIP_REL = ("dns-prefetch", "preconnect", "canonical", "alternate", "shortlink",
                       "search", "manifest", "pingback")


@dataclass
class CrawlOptions:
    max_pages: int = 300
    # Answers 4xx/5xx and failed requests do not count against max_pages up to this many
    # (None: max_pages, at least ERROR_PAGES); past it they do.
    max_error_pages: int | None = None
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
    # The browser (auditor.crawl.browser): never | auto (the homepage and pages that look
    # script-built) | always (the homepage and every depth-1 page); up to render_cap pages.
    render: str = "never"
    render_cap: int | None = None
    render_max_depth: int = 3
    # axe-core on (column pages, article pages) picked while crawling; the audit sets it
    # from the a11y.axe check's settings when that check runs.
    axe_sample: tuple[int, int] = (0, 0)
    # Link texts that name what the checks look for (the profile's [keywords] crawl_priority):
    # such links are fetched first (auditor.crawl.frontier).
    priority_words: tuple[str, ...] = ()
    # Check the status of the links on the homepage (and shallow pages): only when a selected
    # check reads link results (it declares the "links" gatherer).
    link_checks: bool = True


# A Retry-After longer than this (seconds) is not waited out: the crawl stops and
# reports what it has ("rate-limited"); so does a site whose pauses add up past
# MAX_TOTAL_PAUSE.
MAX_RETRY_AFTER = 60.0
# Broken links a crawl follows without spending its page budget, at least (see max_error_pages).
ERROR_PAGES = 100
MAX_TOTAL_PAUSE = 300.0


@dataclass
class _Task:
    url: str
    depth: int
    referrer: str | None
    kind: str = "page"  # page | attachment | link | script
    retries: int = 0
    named: bool = False  # the start URL the user named (see _seed())
    rank: int | None = None  # the frontier's rank, kept for a retry


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
                 on_progress: Callable[[Progress], None] | None = None,
                 is_article: Callable[[Page, date], bool] | None = None) -> None:
        """``is_article(page, today)`` tells an article from a list page, for the browser's
        axe-core sample (the audit passes the views' judgement; by default the URL's shape)."""
        from auditor.network.fetch import DEFAULT_USER_AGENT
        from auditor.network.resolve import Resolver

        self.o = options
        self.user_agent = options.user_agent or DEFAULT_USER_AGENT
        self.on_progress = on_progress
        self.is_article = is_article
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
        self._as_of: date | None = None  # the audit's date, given to run(): the snapshot's as_of
        self.progress = Progress()
        self._unreachable: dict[str, Fetch] = {}
        self.browser = None  # auditor.crawl.browser.plan.RenderPlan while rendering is on

    # -- public ---------------------------------------------------------------
    @property
    def renderer(self):
        """The browser (auditor.crawl.browser.renderer.Renderer) while rendering is on; the audit closes it."""
        return self.browser.renderer if self.browser is not None else None

    @property
    def axe_jobs(self) -> list:
        """axe-core runs the browser was asked for (AxeJob: kind, url, result future), for the axe gatherer."""
        return list(self.browser.axe_jobs) if self.browser is not None else []

    def request_stop(self, reason: str) -> None:
        """Stop the crawl (thread-safe): in-flight requests are cut, the snapshot is partial."""
        if not self.stop.is_set():
            self.stop_reason = reason
            self.stop.set()
            WATCHDOG.kill_all(owner=self.fetcher)

    def run(self, start_url: str, as_of: date | None = None) -> Snapshot:
        """Crawl the site. Ctrl-C (KeyboardInterrupt) in any phase ends it with a partial snapshot.
        ``as_of``: the audit's date (default: the day the crawl ends, Beijing time)."""
        self._as_of = as_of
        self._begin(start_url)
        self._crawl_pages()
        # Second phase: link checks for the homepage (and shallow pages), and the
        # same-site scripts the homepage pulls in.
        if not self.stop.is_set():
            try:
                self._second_phase()
            except KeyboardInterrupt:
                self.request_stop("interrupted")
        return self._snapshot()

    # -- the crawl, step by step ---------------------------------------------------
    def _begin(self, start_url: str) -> None:
        self.started_at = datetime.now(timezone.utc)
        self._t0 = self.progress.started = time.monotonic()
        start = normalize(start_url)
        if start is None:
            raise ValueError(f"not an http(s) URL: {start_url}")
        o = self.o
        self.start = start
        self.address_policy.add_site(start)
        for extra in o.extra_hosts:
            self.address_policy.add_site(f"http://{extra}/")
            self.address_policy.add_site(f"https://{extra}/")
        self.site_host = host_of(start)
        self.scope = Scope(start, o.extra_hosts, max_per_pattern=o.max_per_pattern or max(50, o.max_pages // 4))
        self.policy = self._load_robots(start)
        self.pages: dict[str, Page] = {}
        self.inlinks: dict[str, list[str]] = {}
        self.link_checks: dict[str, Fetch] = {}
        self.sources: list[ScriptSource] = []
        self.robots_blocked: list[str] = []
        self.errors: dict[str, int] = {}
        self.seen: set[str] = {start}
        self.frontier = Frontier(o.priority_words)
        self.coverage = CoverageLog(start)
        self.paused = 0.0
        self.budget = {"pages": 0, "error_pages": 0, "attachments": 0, "kept_trees": 0, "depth_cut": 0,
                       "page_cap_cut": 0}
        if o.render in ("auto", "always") and not self.stop.is_set():
            from auditor.crawl.browser.plan import RenderPlan

            self.browser = RenderPlan(fetcher=self.fetcher, scope=self.scope, mode=o.render, cap=o.render_cap,
                                      max_depth=o.render_max_depth, axe_sample=o.axe_sample, allow=self._allow,
                                      is_article=self.is_article)
            self.browser.name(start)
        self._seed(start)

    def _load_robots(self, start: str):
        o = self.o
        try:
            policy = robots_mod.load(self.fetcher, start, self.user_agent, ignore=o.ignore_robots)
        except KeyboardInterrupt:
            self.request_stop("interrupted")
            policy = robots_mod.RobotsPolicy(url=robots_mod.robots_url(start), state="unreachable",
                                             error="interrupted", ignored=o.ignore_robots)
        if policy.crawl_delay and not o.ignore_robots:
            self.fetcher.limiter.set_min_interval(host_of(start), policy.crawl_delay)
        if policy.retry_after is not None and policy.retry_after > MAX_RETRY_AFTER:
            # Even robots.txt got "come back much later": do not knock again.
            self.request_stop("rate-limited")
        return policy

    def _seed(self, start: str) -> None:
        # An unreachable robots.txt (5xx, 429, network error) means "disallow all"
        # (RFC 9309 2.3.1.4) for the crawl, but the one page the user named is still
        # requested, with its HTTP redirects, as a browser would: it tells an
        # unreachable site (refused, DNS, timeout) apart from one that forbids
        # crawling, and gives a homepage-only audit. Nothing else is fetched from
        # the site; the report says so and points at --ignore-robots.
        # A robots.txt that was read and disallows the start URL is obeyed: nothing
        # is fetched at all.
        if self.policy.allows(start, self.user_agent):
            self.frontier.push(_Task(start, 0, None))
        elif self.policy.state == "unreachable" and not self.stop.is_set():
            self.frontier.push(_Task(start, 0, None, named=True))
        else:
            self.robots_blocked.append(start)
            self.coverage.unvisited(start, "robots")

    def _crawl_pages(self) -> None:
        o = self.o
        executor = ThreadPoolExecutor(max_workers=o.concurrency, thread_name_prefix="gov-audit")
        inflight: dict[Future, _Task] = {}
        try:
            while (self.frontier or inflight or self._renders_pending()) and not self.stop.is_set():
                self._dispatch(executor, inflight)
                waiting = list(inflight) + (self.browser.futures() if self.browser is not None else [])
                if not waiting:
                    break
                done, _ = wait(waiting, timeout=0.25, return_when=FIRST_COMPLETED)
                self._over_budget()  # pages already done are still kept below
                for fut in done:
                    if fut in inflight:
                        self._collect(inflight.pop(fut), fut.result())
                for fut in done:
                    if self.browser is not None and self.browser.owns(fut):
                        for rendered in self.browser.take(fut, self.pages):
                            self._discover(rendered)
                self.progress.queued = len(self.frontier) + len(inflight)
                if self.on_progress:
                    self.on_progress(self.progress)
        except KeyboardInterrupt:
            # Stop first, so the workers' requests are cut before we wait for them.
            self.request_stop("interrupted")
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
            for task in inflight.values():  # the crawl stopped before their answers were read
                self._leave(task)
            self._leave_frontier()

    def _renders_pending(self) -> bool:
        return self.browser is not None and self.browser.pending

    def _dispatch(self, executor: ThreadPoolExecutor, inflight: dict[Future, _Task]) -> None:
        """Hand the workers the frontier's next tasks, within the page budget."""
        o = self.o
        while self.frontier and len(inflight) < o.concurrency * 2:
            task = self.frontier.peek()
            if task.kind == "page" and self.budget["pages"] >= o.max_pages:
                if any(t.kind == "page" for t in inflight.values()):
                    return  # an error answer in flight may hand its page back
                self.frontier.pop()
                self._leave(task, "page_cap")
                continue
            self.frontier.pop()
            if task.kind == "page":
                self.budget["pages"] += 1
            keep = task.depth <= o.keep_tree_depth and self.budget["kept_trees"] < o.max_kept_trees
            if keep and task.kind == "page":
                self.budget["kept_trees"] += 1
            inflight[executor.submit(self._work, task, keep)] = task

    def _collect(self, task: _Task, res: _Result) -> None:
        """One finished fetch: retry it, or record the page and follow its links."""
        f = res.fetch
        if f.error_kind == "stopped":
            self._leave(task)
            return
        if f.status in (429, 503) and self._retry_rate_limited(task, f):
            return
        if task.kind == "page" and (f.error_kind or (f.status or 0) >= 400):
            # A broken link is a link result, not a page read: it gives its page back.
            bound = self.o.max_error_pages if self.o.max_error_pages is not None else \
                max(self.o.max_pages, ERROR_PAGES)
            if self.budget["error_pages"] < bound:
                self.budget["error_pages"] += 1
                self.budget["pages"] -= 1
        if f.error_kind:
            self.errors[f.error_kind] = self.errors.get(f.error_kind, 0) + 1
            self.progress.errors += 1
            self.coverage.unvisited(task.url, "robots" if f.error_kind == "robots" else "error")
        if f.error_kind == "robots":
            self.robots_blocked.append(f.final_url)
        page = res.page
        self.pages[task.url] = page
        if f.final_url != task.url and f.error_kind is None:
            self.seen.add(f.final_url)  # a redirect target is not fetched again
        self.progress.done += 1
        self._discover(page)
        if self.browser is not None:
            for rendered in self.browser.offer(task, page):
                self._discover(rendered)

    def _retry_rate_limited(self, task: _Task, f: Fetch) -> bool:
        """After 429/503: True when the task goes back in the frontier to be asked again."""
        # The fetcher has already slowed the host down (and paused it for Retry-After);
        # here we decide whether to ask again.
        wait_s = retry_after_seconds(f.headers.get("retry-after"))
        if host_of(f.final_url) == self.site_host and wait_s is not None:
            self.paused += min(wait_s, MAX_RETRY_AFTER)
            if wait_s > MAX_RETRY_AFTER or self.paused > MAX_TOTAL_PAUSE:
                # The site asks for a longer pause than an audit waits: stop politely
                # and report what was gathered.
                self.request_stop("rate-limited")
        if task.retries < 2 and not self.stop.is_set() and (wait_s is None or wait_s <= MAX_RETRY_AFTER):
            task.retries += 1
            if task.kind == "page":
                self.budget["pages"] -= 1
            self.frontier.push(task, rank=task.rank)
            return True
        return False

    def _discover(self, page: Page) -> None:
        """Queue the links of a page that the crawl may follow, each ranked by the frontier;
        record why the others are not followed."""
        if page.facts is None:
            return
        o, scope = self.o, self.scope
        for link in page.facts.links:
            url = link.url
            inl = self.inlinks.setdefault(url, [])
            if len(inl) < 20 and page.url not in inl:
                inl.append(page.url)
            if url in self.seen or link.tag not in FOLLOW_TAGS:
                continue
            if not scope.in_scope(url):
                self.coverage.unvisited(url, "off_site")
                continue
            self.seen.add(url)
            if not self.policy.allows(url, self.user_agent):
                self.robots_blocked.append(url)
                self.coverage.unvisited(url, "robots")
                continue
            if page.depth + 1 > o.max_depth:
                self.budget["depth_cut"] += 1
                self.coverage.unvisited(url, "depth")
                continue
            if is_attachment(url):
                budget = o.max_attachments if o.max_attachments is not None else o.max_pages
                if self.budget["attachments"] < budget:
                    self.budget["attachments"] += 1
                    self._push(_Task(url, page.depth + 1, page.url, "attachment"), link.text, page)
                else:
                    self.coverage.unvisited(url, "attachment_cap")
                continue
            if is_asset(url):
                continue
            if not scope.admit(url):
                self.coverage.unvisited(url, "trap")
                continue
            self._push(_Task(url, page.depth + 1, page.url), link.text, page)

    def _push(self, task: _Task, text: str, referrer: Page) -> None:
        rank = None
        if task.kind == "attachment":
            # Documents are checked with HEAD, on a budget of their own: after the pages, unless
            # their name is what a check looks for (一份年度报告.pdf).
            rank = WANTED if self.frontier.names_wanted(text) else DEEP_ARTICLE
        task.rank = self.frontier.push(task, text, from_homepage=referrer.depth == 0, rank=rank)

    def _leave(self, task: _Task, cause: str | None = None) -> None:
        """A task the crawl will not do: say why, for the coverage."""
        if cause is None:
            cause = "time_budget" if self.stop_reason == "time-budget" else "stopped"
        if cause == "page_cap":
            self.budget["page_cap_cut"] += 1
        self.coverage.unvisited(task.url, cause)

    def _leave_frontier(self) -> None:
        for task in self.frontier.drain():
            self._leave(task, None if self.stop.is_set() else "page_cap")

    def _over_budget(self) -> bool:
        if self.o.time_budget and time.monotonic() - self._t0 > self.o.time_budget:
            self.request_stop("time-budget")
        return self.stop.is_set()

    def _snapshot(self) -> Snapshot:
        o = self.o
        pages, link_checks = self.pages, self.link_checks
        stats = {
            "pages": sum(1 for p in pages.values() if p.kind in ("html", "other", "error")),
            "html_pages": sum(1 for p in pages.values() if p.is_html),
            "attachments": sum(1 for p in pages.values() if p.kind == "attachment"),
            "link_checks": len(link_checks),
            "requests": self.fetcher.requests_made,
            "errors": self.errors,
            "robots_blocked": len(self.robots_blocked),
            "robots_blocked_sample": self.robots_blocked[:20],
            "trap_cut": dict(self.scope.trapped.most_common(10)),
            "depth_cut": self.budget["depth_cut"],
            "page_cap_cut": self.budget["page_cap_cut"],
            "error_pages": self.budget["error_pages"],
            "frontier_ranks": dict(self.frontier.ranks),
            "duration": round(time.monotonic() - self._t0, 3),
            "bytes": sum(p.fetch.size for p in pages.values()),
            "rendered": sum(1 for p in pages.values() if p.rendered),
            "private_refused": self.address_policy.summary(),
        }
        self.fetcher.close()
        options = {"max_pages": o.max_pages, "max_depth": o.max_depth, "link_check_depth": o.link_check_depth,
                   "max_link_checks": o.max_link_checks, "link_checks": o.link_checks,
                   "rate": o.rate, "concurrency": o.concurrency, "timeout": o.timeout,
                   "ignore_robots": o.ignore_robots, "user_agent": self.user_agent, "render": o.render,
                   # Where the audit's connections went, for a reader of the report.
                   "dns_server": o.dns_server, "resolve": list(o.resolve),
                   "connect_to": list(o.connect_to), "ca_bundle": o.ca_bundle,
                   "allow_private": o.allow_private}
        crawl = CrawlRecord(started_at=self.started_at, finished_at=datetime.now(timezone.utc), stats=stats,
                            robots=self.policy.to_json(), partial=self.stop.is_set(), stop_reason=self.stop_reason,
                            options=options, coverage=self.coverage.record(pages, link_checks))
        links = LinkRecord(self.inlinks, link_checks, tuple(self.sources))
        render = self.browser.summary() if self.browser is not None else {"mode": "never"}
        return Snapshot(self.start, pages, links, crawl, render=render, as_of=self._as_of)

    # -- workers --------------------------------------------------------------
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
        # could not be read (see _seed()); every other fetch obeys robots.txt per hop.
        f = self.fetcher.fetch(Request(task.url, allow=None if task.named else self._allow))
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
        f = self.fetcher.fetch(Request(url, method="HEAD", want_body=False, allow=self._allow))
        if f.error_kind in ("dns", "private-address") or (f.error_kind == "connect" and "refused" in (f.error or "")):
            self._unreachable.setdefault(key, f.without_body())
        refused = (f.error_kind is None and f.status is not None and f.status >= 400
                   and f.status not in (429, 503)) or \
            f.error_kind in ("protocol", "incomplete") or \
            (f.error_kind == "connect" and "closed" in (f.error or ""))
        if refused and not self.stop.is_set():
            g = self.fetcher.fetch(Request(url, method="GET", want_body=False, allow=self._allow))
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

    def _second_phase(self) -> None:
        """Link checks for the homepage (and shallow pages), and the same-site scripts the
        homepage pulls in (footers written by scripts)."""
        self.progress.phase = "links"
        home, hops = self._real_homepage()
        check_urls = list(self._link_check_targets(hops))[: self.o.max_link_checks] if self.o.link_checks else []
        self._fetch_second_phase(self._homepage_scripts(home), check_urls)

    def _real_homepage(self) -> tuple[Page | None, int]:
        """The homepage after a stub's meta refresh / JS redirect, and how many hops that took."""
        home = self.pages.get(self.start)
        hops = 0
        while home is not None and home.facts is not None and home.facts.refresh_to \
                and len(home.text) <= 400 and hops < 3:
            nxt = self.pages.get(home.facts.refresh_to)
            if nxt is None:
                break
            home, hops = nxt, hops + 1
        return home, hops

    def _link_check_targets(self, hops: int) -> dict[str, str]:
        """Links of the shallow pages to check without crawling them: URL -> the page linking it."""
        targets: dict[str, str] = {}
        for page in self.pages.values():
            if page.depth > max(self.o.link_check_depth, hops) or page.facts is None:
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
                if link.url in self.pages or link.url in targets:
                    continue
                if self._allow(link.url):
                    continue
                targets[link.url] = page.url
        return targets

    def _homepage_scripts(self, home: Page | None) -> list[str]:
        urls: list[str] = []
        if home is not None and home.facts is not None:
            for link in home.facts.links:
                if link.tag == "script" and self.scope.in_scope(link.url) \
                        and self.policy.allows(link.url, self.user_agent) and link.url not in urls:
                    urls.append(link.url)
        return urls[: self.o.max_homepage_scripts]

    def _fetch_second_phase(self, script_urls: list[str], check_urls: list[str]) -> None:
        self.progress.queued = len(check_urls) + len(script_urls)
        ex = ThreadPoolExecutor(max_workers=self.o.concurrency, thread_name_prefix="gov-audit-links")
        try:
            futs = {ex.submit(self.fetcher.fetch, Request(u, max_bytes=512 * 1024, allow=self._allow,
                                                          any_type=True)): ("script", u)
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
                    self.link_checks[url] = f.without_body()
                    if kind == "script" and f.ok and f.body:
                        text, _ = decode_html(f.body, f.headers.get("content-type"))
                        self.sources.append(ScriptSource(url, text))
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
