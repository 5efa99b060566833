"""The snapshot: everything one crawl gathered, read by every check.

Pages keep their facts (title, meta, links, text, forms …) and their HTML
compressed; the parsed tree is kept for the homepage and the pages one click away
(the ones most checks read), and re-parsed on demand for the rest, so memory stays
linear and small in the number of pages.
"""
from __future__ import annotations

import re
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import urlsplit

from auditor.crawl.coverage import Coverage, Unvisited
from auditor.network.fetch import Fetch
from auditor.crawl.parse import Form, Link, ParsedPage, parse_html
from auditor.network.urls import host_of, origin_key

# The site root and its index files: /, /index.html, /index.htm, /default.htm, /index.shtml, /index.jsp …
_HOME_PATH = re.compile(r"^/(?:(?:index|default)\.(?:s?html?|jsp|aspx?|php))?$", re.I)


# The rendered homepage's markup kept for the checks (the browser's record can be larger).
MAX_RENDERED_HOMEPAGE_HTML = 400_000


def rendered_homepage_record(rec: Mapping[str, Any]) -> dict:
    """The browser's homepage record as the checks read it: its markup capped, without its links
    (those are the page's facts already)."""
    out = {k: v for k, v in rec.items() if k not in ("html", "links")}
    if "html" in rec:
        out["html"] = rec["html"][:MAX_RENDERED_HOMEPAGE_HTML]
        out["html_truncated"] = rec.get("html_truncated", False) or len(rec["html"]) > MAX_RENDERED_HOMEPAGE_HTML
    out.setdefault("script_links", [])
    return out


_TREE_CACHE: "OrderedDict[int, tuple[Page, Any]]" = OrderedDict()
_TREE_CACHE_SIZE = 64
_TREE_LOCK = threading.Lock()


@dataclass(frozen=True)
class ScriptSource:
    """A same-site script or frame the homepage pulls in (footers are often written by JS)."""

    url: str
    text: str


@dataclass(eq=False)  # identity, not field-by-field comparison: pages are compared and hashed often
class Page:
    url: str
    depth: int
    fetch: Fetch
    kind: str  # html | attachment | asset | other | error | skipped
    referrer: str | None = None
    encoding: str = ""
    facts: ParsedPage | None = None
    html_z: bytes | None = field(default=None, repr=False)
    # Set when the browser rendered the page (auditor.crawl.browser.renderer): facts and html_z are then
    # the rendered DOM's, and these keep the HTML as served.
    static_facts: ParsedPage | None = field(default=None, repr=False)
    static_html_z: bytes | None = field(default=None, repr=False)
    rendered_why: tuple[str, ...] = ()

    @property
    def rendered(self) -> bool:
        return self.static_facts is not None

    @property
    def static_html(self) -> str:
        """The HTML as the server sent it (the same as ``html`` for a page not rendered)."""
        z = self.static_html_z if self.static_facts is not None else self.html_z
        return zlib.decompress(z).decode("utf-8") if z else ""

    def use_rendered(self, facts: ParsedPage, html: str, why: tuple[str, ...]) -> None:
        """Make the browser's DOM the page's facts (the crawler does this before the snapshot exists)."""
        if self.static_facts is None:
            self.static_facts, self.static_html_z = self.facts, self.html_z
        self.facts = facts
        self.html_z = zlib.compress(html.encode("utf-8"), 1)
        self.rendered_why = tuple(why)
        with _TREE_LOCK:
            _TREE_CACHE.pop(id(self), None)

    @property
    def final_url(self) -> str:
        return self.fetch.final_url

    @property
    def status(self) -> int | None:
        return self.fetch.status

    @property
    def ok(self) -> bool:
        return self.fetch.ok and not self.fetch.blocked

    @property
    def is_html(self) -> bool:
        return self.kind == "html" and self.facts is not None

    # Convenience accessors, empty for non-HTML pages.
    @property
    def title(self) -> str:
        return self.facts.title if self.facts else ""

    @property
    def text(self) -> str:
        return self.facts.text if self.facts else ""

    @property
    def footer_text(self) -> str:
        return self.facts.footer_text if self.facts else ""

    @property
    def links(self) -> tuple[Link, ...]:
        return self.facts.links if self.facts else ()

    @property
    def forms(self) -> tuple[Form, ...]:
        return self.facts.forms if self.facts else ()

    @property
    def meta(self) -> Mapping[str, str]:
        return self.facts.meta if self.facts else {}

    @property
    def html(self) -> str:
        return zlib.decompress(self.html_z).decode("utf-8") if self.html_z else ""

    @property
    def tree(self):
        """The lxml tree; re-parsed from the stored HTML when it was not kept.

        Re-parsed trees are cached for the most recently used pages only, so
        several checks reading one deep page parse it once, and memory stays bounded.
        """
        if self.facts is None:
            return None
        if self.facts.tree is not None or not self.html_z:
            return self.facts.tree
        key = id(self)
        with _TREE_LOCK:
            hit = _TREE_CACHE.get(key)
            if hit is not None and hit[0] is self:
                _TREE_CACHE.move_to_end(key)
                return hit[1]
        tree = parse_html(self.html)  # the tree only: the facts are already extracted
        with _TREE_LOCK:  # checks and gatherers read pages from several threads
            _TREE_CACHE[key] = (self, tree)
            while len(_TREE_CACHE) > _TREE_CACHE_SIZE:
                _TREE_CACHE.popitem(last=False)
        return tree


@dataclass(frozen=True)
class LinkRecord:
    """The site's link graph as the crawl saw it."""

    inlinks: Mapping[str, list[str]] = field(default_factory=dict)  # URL -> pages linking to it (up to 20)
    checks: Mapping[str, Fetch] = field(default_factory=dict)  # link checks: URL -> status (no body)
    homepage_sources: tuple[ScriptSource, ...] = ()  # same-site scripts and frames of the homepage


@dataclass(frozen=True)
class CrawlRecord:
    """How the crawl went: when, what it cost, why it stopped, what it left unvisited."""

    started_at: datetime
    finished_at: datetime
    stats: Mapping[str, Any] = field(default_factory=dict)
    robots: Mapping[str, Any] = field(default_factory=dict)
    partial: bool = False  # stopped before the end (time budget, Ctrl-C, rate limiting)
    stop_reason: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=Coverage)


class Snapshot:
    """Immutable view of a crawl. Checks read it; they never fetch.

    Nothing is written to it after the crawl: what the audit adds — the gatherers' facts — reaches
    the checks beside it (auditor.gather.base.Audited). ``facts`` here is empty: the crawl gathered none.
    """

    def __init__(self, start_url: str, pages: dict[str, Page], links: LinkRecord, crawl: CrawlRecord,
                 render: Mapping[str, Any] | None = None, as_of: date | None = None) -> None:
        self.start_url = start_url
        self.pages: Mapping[str, Page] = MappingProxyType(pages)
        self.inlinks: Mapping[str, tuple[str, ...]] = MappingProxyType(
            {k: tuple(v) for k, v in links.inlinks.items()})
        self.link_checks: Mapping[str, Fetch] = MappingProxyType(dict(links.checks))
        self.homepage_sources: tuple[ScriptSource, ...] = tuple(links.homepage_sources)
        self.robots = MappingProxyType(dict(crawl.robots))
        self.started_at = crawl.started_at
        self.finished_at = crawl.finished_at
        self.stats = MappingProxyType(dict(crawl.stats))
        self.facts: Mapping[str, Any] = MappingProxyType({})
        self.partial = crawl.partial
        self.stop_reason = crawl.stop_reason
        self.options = MappingProxyType(dict(crawl.options))
        # What the crawl reached and what it left unvisited, and why (auditor.crawl.coverage).
        self.coverage: Coverage = crawl.coverage
        # URL -> why it was not fetched (a cause of auditor.crawl.coverage.CAUSES), as far as recorded.
        self.skipped: Mapping[str, str] = crawl.coverage.urls
        # What the browser did during the crawl (auditor.crawl.browser): mode, records, requests.
        self.render: Mapping[str, Any] = MappingProxyType(dict(render or {"mode": "never"}))
        # The date checks judge freshness against: the audit's (--as-of makes results
        # reproducible), else the day the crawl finished in Beijing time (the sites' own calendar).
        self.as_of: date = as_of or self.finished_at.astimezone(timezone(timedelta(hours=8))).date()
        self._by_final = {p.final_url: p for p in pages.values()}
        self._rendered_homepage = self._browser_homepage()

    # -- lookup ---------------------------------------------------------------
    def page(self, url: str) -> Page | None:
        return self.pages.get(url) or self._by_final.get(url)

    @property
    def start_page(self) -> Page | None:
        return self.pages.get(self.start_url)

    @cached_property
    def homepage(self) -> Page | None:
        """The page a visitor lands on: the start URL after HTTP, meta and JS redirects."""
        page = self.start_page
        seen = set()
        while page is not None and page.facts is not None and page.facts.refresh_to \
                and page.url not in seen and len(seen) < 4:
            seen.add(page.url)
            nxt = self.page(page.facts.refresh_to)
            if nxt is None or not nxt.is_html:
                break
            # A stub that only redirects has little text of its own.
            if len(page.text) > 400:
                break
            page = nxt
        return page

    @property
    def site_host(self) -> str:
        return host_of(self.start_url)

    def in_site(self, url: str) -> bool:
        return origin_key(url) == origin_key(self.start_url)

    def is_homepage_alias(self, page: Page) -> bool:
        """The homepage again under another name (/ and /index.html, /index.htm, /default.htm):
        not another page to judge."""
        home = self.homepage
        if home is None or page is home or page.final_url == home.final_url:
            return False
        a, b = urlsplit(page.final_url), urlsplit(home.final_url)
        return (a.scheme, a.netloc) == (b.scheme, b.netloc) and not a.query \
            and bool(_HOME_PATH.match(a.path or "/")) and bool(_HOME_PATH.match(b.path or "/"))

    def html_pages(self) -> Iterator[Page]:
        """Every readable HTML page once: the homepage's aliases (/index.html …) left out."""
        # Worked out once (the pages do not change after the crawl; the count guards a snapshot
        # built page by page in a test): twenty checks walk them, and judging each page an alias
        # or not took 0.7 s on 2,000 pages when done on every walk.
        cached = self.__dict__.get("_html_pages")
        if cached is None or cached[0] != len(self.pages):
            cached = (len(self.pages), tuple(p for p in self.pages.values()
                                             if p.is_html and p.ok and not self.is_homepage_alias(p)))
            self.__dict__["_html_pages"] = cached
        return iter(cached[1])

    def pages_at_depth(self, depth: int) -> Iterable[Page]:
        return (p for p in self.pages.values() if p.depth == depth)

    def rendered_homepage(self) -> dict | None:
        """The homepage as the browser showed it during the crawl, if it did (the ``render``
        gatherer hands the checks the same record)."""
        return self._rendered_homepage

    def _browser_homepage(self) -> dict | None:
        log = self.render
        if (log.get("mode") or "never") == "never" or log.get("unavailable"):
            return None
        home = log.get("homepage")
        return rendered_homepage_record(home) if isinstance(home, Mapping) and "error" not in home else None

    def why_not_fetched(self, url: str) -> str | None:
        """Why the crawl has no content for ``url`` (page_cap, time_budget, depth, robots, trap,
        error …, see auditor.crawl.coverage.CAUSES), or None if it has, or does not know."""
        page = self.pages.get(url)
        if page is not None and page.fetch.error_kind is None:
            return None
        if page is None and url in self.link_checks:
            return None
        return self.skipped.get(url)

    def unvisited_under(self, where: str) -> Unvisited:
        """URLs left unvisited in a part of the site — a section ("/hdjl/") or a URL whose folder
        is meant ("http://host/hdjl/ldxx/") — with how many per cause."""
        return self.coverage.unvisited_under(where)

    def unvisited_links(self, urls: Iterable[str]) -> Unvisited:
        """How many of these link URLs the crawl left unvisited, and why."""
        return self.coverage.unvisited_links(urls)

    def section_of(self, url: str) -> str:
        """The top-level section a URL is in, as coverage counts it ("/hdjl/")."""
        return self.coverage.section_key(url)

    def status_of(self, url: str) -> Fetch | None:
        """The fetch result for any URL the audit requested (page or link check)."""
        page = self.pages.get(url)
        if page is not None:
            return page.fetch
        return self.link_checks.get(url)

    def homepage_text_sources(self) -> list[tuple[str, str, str]]:
        """(where, url, text) for the homepage: visible text, footer, inline and linked scripts.

        Real footers are often written by ``document.write`` in an included script,
        so identity checks search all of these and say where they found the text.
        """
        page = self.homepage
        out: list[tuple[str, str, str]] = []
        if page is None or page.facts is None:
            return out
        out.append(("footer", page.final_url, page.footer_text))
        out.append(("page", page.final_url, page.text))
        if page.rendered:
            # The page as served too: a script may have replaced what it said, and a long
            # rendered page may push its footer past the text cap.
            out.append(("footer", page.final_url, page.static_facts.footer_text))
            out.append(("page", page.final_url, page.static_facts.text))
        for s in page.facts.inline_scripts:
            out.append(("inline-script", page.final_url, s))
        out.append(("html", page.final_url, page.html))
        for src in self.homepage_sources:
            out.append(("script", src.url, src.text))
        rendered = self.rendered_homepage()
        if rendered is not None and not page.rendered:
            # The browser's text when its DOM did not become the page's facts (it showed less
            # than the HTML as served); when it did, "page" above is that text already.
            out.append(("rendered", page.final_url, rendered.get("text") or ""))
        # Footers are sometimes a same-site frame.
        for link in page.links:
            if link.tag in ("iframe", "frame"):
                framed = self.pages.get(link.url)
                if framed is not None and framed.is_html:
                    out.append(("frame", framed.final_url, framed.text))
        return out
