"""Which pages the browser renders during the crawl, and what comes back (auditor.crawl.browser.renderer).

The crawler's coordinating thread offers it every page it fetched: the homepage is
always rendered, then pages whose static HTML looks script-built (``--render auto``)
or the depth-1 pages (``--render always``), up to a cap; the axe-core sample (column
and article pages) is picked as pages arrive. A finished render's DOM becomes the
page's facts, and the crawler follows the links it adds.

The plan knows nothing of the crawler: it is given the fetcher, the scope, the robots rule
for navigations and its settings, and it answers ``offer``/``take``. The browser is served
each page's main document from the crawl's own response, so a rendered page costs no
second request for its HTML.
"""
from __future__ import annotations

import time
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable

from auditor.crawl.browser.renderer import Renderer, script_links
from auditor.crawl.frontier import looks_like_article
from auditor.crawl.parse import extract
from auditor.crawl.snapshot import Page
from auditor.network.urls import normalize


@dataclass(frozen=True)
class AxeJob:
    """An axe-core run the browser was asked for during the crawl; ``result`` is awaited by the
    ``axe`` gatherer (it is not part of the snapshot, which holds no live objects)."""

    kind: str  # column | article
    url: str
    result: Future


def url_looks_like_article(page: Page, today: date) -> bool:
    return looks_like_article(page.final_url)


class RenderPlan:
    """Which pages the browser renders during the crawl, and what comes back.

    Lives in the coordinating thread: ``offer`` is called for each page fetched,
    ``take`` for each finished render; both return the pages whose facts are now the
    rendered DOM, for the crawler to follow their new links.
    """

    # Queue wait included: the browser's start (slow under load) and the jobs before this one.
    JOB_DEADLINE = 150.0

    def __init__(self, *, fetcher, scope, mode: str, cap: int | None, max_depth: int,
                 axe_sample: tuple[int, int], allow: Callable[[str], str | None],
                 is_article: Callable[[Page, date], bool] | None = None) -> None:
        """``allow(url)`` is the crawl's robots rule for a URL; ``is_article`` tells an article page
        from a list (the audit passes the views' judgement; by default the URL's shape)."""
        self.mode = mode
        self.cap = cap if cap is not None else (10 if mode == "always" else 8)
        self.max_depth = 1 if mode == "always" else max_depth
        self.scope = scope
        self.allow = allow
        self.named: set[str] = set()  # the page the user named, and where it led
        self.is_article = is_article or url_looks_like_article
        self.renderer = Renderer(fetcher, allow=self._allow_navigation, first_party=scope.in_scope).start()
        self.requested: dict[Future, tuple[Page, tuple[str, ...], bool, float]] = {}
        self.records: list[dict] = []
        self.homepage: dict | None = None
        self.sent_home = False
        self.others = 0
        self.parked: dict[str, tuple[dict, str, tuple[str, ...]]] = {}  # rendered at a URL not crawled yet
        self.axe_wanted = {"column": axe_sample[0], "article": axe_sample[1]}
        self.axe_jobs: list[AxeJob] = []
        self.today = datetime.now(timezone.utc).date()

    def name(self, url: str) -> None:
        """The page the user named: fetched even when robots.txt could not be read (see the crawler)."""
        self.named.add(url)

    def _allow_navigation(self, url: str) -> str | None:
        """The browser's navigations obey robots.txt as the crawl's fetches do, with the same
        one exception: the page the user named."""
        if url in self.named:
            return None
        return self.allow(url)

    def close(self) -> None:
        self.renderer.close()

    @property
    def pending(self) -> bool:
        return bool(self.requested)

    def futures(self) -> list[Future]:
        """The renders still awaited; one the browser has not answered in JOB_DEADLINE seconds
        is given up (its page keeps its static HTML), so a wedged browser never holds the crawl."""
        now = time.monotonic()
        for fut, (page, why, homepage, sent) in list(self.requested.items()):
            if not fut.done() and now - sent > self.JOB_DEADLINE:
                del self.requested[fut]
                fut.cancel()
                rec = {"url": page.final_url, "why": list(why),
                       "error": f"the browser did not answer in {self.JOB_DEADLINE:.0f} s"}
                if homepage:
                    self.homepage = rec
                else:
                    self.records.append(rec)
        return list(self.requested)

    def owns(self, fut: Future) -> bool:
        return fut in self.requested

    def offer(self, task, page: Page) -> list[Page]:
        applied = []
        parked = self.parked.pop(page.final_url, None)
        if parked is not None and page.is_html:
            if self._apply(page, *parked):
                applied.append(page)
        if task.kind != "page" or not page.is_html or not page.ok or page.rendered:
            return applied
        if task.depth == 0 and not self.sent_home:
            self.sent_home = True  # the page the user named, wherever its redirects went
            self.named.add(page.final_url)
            self._send(page, ("homepage",), homepage=True)
            return applied
        if not self.scope.in_scope(page.final_url):
            return applied
        self._sample_for_axe(task, page)
        if self.others >= self.cap or task.depth > self.max_depth:
            return applied
        why = ("always",) if self.mode == "always" else page.facts.script_built_signs
        if why:
            self.others += 1
            self._send(page, why, homepage=False)
        return applied

    def _sample_for_axe(self, task, page: Page) -> None:
        """axe-core's sample, picked as pages arrive so the browser tests them while the
        crawl goes on: list pages one click from the homepage, then articles."""
        if not any(self.axe_wanted.values()):
            return
        article = self.is_article(page, self.today)
        if article and task.depth >= 2:
            kind = "article"
        elif not article and task.depth == 1 and sum(1 for l in page.links if l.tag == "a") >= 10:
            kind = "column"  # a list page: many links, not an article
        else:
            return
        if self.axe_wanted[kind] > 0:
            self.axe_wanted[kind] -= 1
            self.axe_jobs.append(AxeJob(kind, page.final_url, self.renderer.axe(page.final_url)))

    def _send(self, page: Page, why: tuple[str, ...], homepage: bool) -> None:
        # The page's final URL: the browser is not sent through redirects the crawl has seen,
        # and gets the document the crawl already has instead of asking the server again.
        if page.ok and page.html_z:
            self.renderer.serve_document(page.final_url, page.fetch.status or 200, page.static_html,
                                         page.fetch.headers.get("set-cookie"))
        self.requested[self.renderer.render(page.final_url, homepage=homepage)] = (page, why, homepage,
                                                                                   time.monotonic())

    def take(self, fut: Future, pages: dict[str, Page]) -> list[Page]:
        page, why, homepage, _ = self.requested.pop(fut)
        try:
            rec = fut.result()
        except Exception as exc:  # noqa: BLE001 - BrowserUnavailable: no browser, no render
            rec = {"url": page.final_url, "error": f"{type(exc).__name__}: {exc}", "unavailable": True}
        rec["why"] = list(why)
        if "html" in rec:
            rec["script_links"] = script_links(rec, (l.url for l in page.facts.links if l.tag in ("a", "area")))
        if homepage:
            self.homepage = rec
        else:
            self.records.append(rec)
        if "error" in rec or "html" not in rec:
            return []
        # The DOM goes into the page (compressed); only the homepage's record keeps it too.
        html = rec["html"] if homepage else rec.pop("html")
        target = page
        final = rec.get("final_url") or page.final_url
        if normalize(final) != normalize(page.final_url):
            # Scripts or a meta refresh took the browser elsewhere (a stub homepage):
            # the DOM belongs to that page, which may not be crawled yet.
            target = next((p for p in pages.values() if p.final_url == final), None)
            if target is None:
                self.parked[final] = (rec, html, why)
                return []
        return [target] if self._apply(target, rec, html, why) else []

    def _apply(self, page: Page, rec: dict, html: str, why: tuple[str, ...]) -> bool:
        """The rendered DOM becomes the page's facts — unless the browser saw less than the
        server sent (a script that emptied the page, an error shown instead)."""
        if page.rendered or not page.is_html:
            return False
        static = page.facts
        facts = extract(html, page.final_url, keep_tree=static.tree is not None)
        if len(facts.text) < 0.5 * len(static.text) and len(facts.links) < len(static.links):
            rec["applied"] = False
            rec["not_applied_why"] = "the rendered page shows less than the HTML as served"
            return False
        page.use_rendered(facts, html, why)
        rec["applied"] = True
        return True

    def summary(self) -> dict:
        r = self.renderer
        return {"mode": self.mode, "homepage": self.homepage, "pages": self.records,
                "axe_jobs": [{"kind": j.kind, "url": j.url} for j in self.axe_jobs], "requests": r.requests, "served_from_crawl": r.served_from_crawl,
                "refused": dict(r.refused),
                "unavailable": str(r.error) if r.error is not None else None}
