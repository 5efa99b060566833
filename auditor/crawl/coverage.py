"""How much of the site the crawl saw: answers by HTTP status class, and the URLs it left
unvisited, by cause and by top-level section.

A check that concludes something is missing needs this: "no 领导信箱 found" is a
failure only where the crawl reached the part of the site where it would be
(``Coverage.unvisited_under``); otherwise the answer is "could not determine", naming
what was not reached.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from auditor.crawl.frontier import section_of

# Why a URL the site links to was not visited.
CAUSES = {
    "page_cap": ("页数上限", "page cap"),
    "time_budget": ("时间上限", "time budget"),
    "stopped": ("抓取中止", "crawl stopped"),
    "depth": ("深度上限", "depth limit"),
    "robots": ("robots.txt 禁止", "robots.txt"),
    "trap": ("疑似爬虫陷阱", "crawl-trap bound"),
    "error": ("无应答", "no answer"),
    "attachment_cap": ("附件数上限", "attachment cap"),
    "off_site": ("其他网站", "another site"),
}
# The causes that leave part of *this* site unseen (off-site links are not the site's pages).
IN_SITE = tuple(c for c in CAUSES if c != "off_site")
# The crawl's own bounds: when one of these cut it, the report says "partial".
BOUNDS = ("page_cap", "time_budget", "stopped")
MAX_URLS_RECORDED = 20_000
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx", "error")


def status_class(status: int | None, error_kind: str | None) -> str:
    if error_kind or status is None:
        return "error"
    return f"{min(max(status // 100, 2), 5)}xx"


class CoverageLog:
    """Filled by the crawler as it goes (one thread): counts are exact, URLs kept up to a cap."""

    def __init__(self, start_url: str) -> None:
        self.start_url = start_url
        self._start = urlsplit(start_url)
        self.by_cause: Counter[str] = Counter()
        self.by_section: dict[str, Counter[str]] = {}
        self.urls: dict[str, str] = {}
        self.off_site: set[str] = set()

    def section(self, url: str) -> str:
        """The section key: "/hdjl/" on the start host, "host/hdjl/" on another host of the site."""
        parts = urlsplit(url)
        key = section_of(url)
        if parts.netloc.lower() != self._start.netloc.lower():
            return parts.netloc.lower() + key
        return key

    def unvisited(self, url: str, cause: str) -> None:
        if cause == "off_site":
            if len(self.off_site) < 100_000:
                self.off_site.add(url)
            return
        if url in self.urls and self.urls[url] == cause:
            return
        self.by_cause[cause] += 1
        self.by_section.setdefault(self.section(url), Counter())[cause] += 1
        if len(self.urls) < MAX_URLS_RECORDED:
            self.urls.setdefault(url, cause)

    def record(self, pages: Mapping, link_checks: Mapping) -> "Coverage":
        by_status = Counter({k: 0 for k in STATUS_CLASSES})
        visited: Counter[str] = Counter()
        for page in pages.values():
            by_status[status_class(page.fetch.status, page.fetch.error_kind)] += 1
            if page.fetch.error_kind is None:
                visited[self.section(page.url)] += 1
        links = Counter({k: 0 for k in STATUS_CLASSES})
        for f in link_checks.values():
            links[status_class(f.status, f.error_kind)] += 1
        off_site = len([u for u in self.off_site if u not in link_checks])
        causes = {c: n for c, n in self.by_cause.items() if n}
        if off_site:
            causes["off_site"] = off_site
        return Coverage(pages_by_status=dict(by_status), links_by_status=dict(links), by_cause=causes,
                        section_causes={s: dict(c) for s, c in self.by_section.items()},
                        visited_sections=dict(visited), urls=dict(self.urls),
                        start_netloc=self._start.netloc.lower())


@dataclass(frozen=True)
class Unvisited:
    """What was left unvisited in one part of the site (or among some links)."""

    total: int = 0
    by_cause: Mapping[str, int] = field(default_factory=dict)
    where: str = ""

    def __bool__(self) -> bool:
        return self.total > 0

    def causes_text(self, lang: str) -> str:
        i = 0 if lang == "zh" else 1
        sep = "、" if lang == "zh" else ", "
        # "因页数上限 752 个" / "page cap: 752": a count by cause, not the cap's value.
        def one(cause: str, n: int) -> str:
            label = CAUSES.get(cause, (cause, cause))[i]
            if lang != "zh":
                return f"{label}: {n}"
            return f"因{' ' if label[:1].isascii() else ''}{label} {n} 个"  # 因 robots.txt 禁止, 因页数上限
        return sep.join(one(c, n) for c, n in sorted(self.by_cause.items(), key=lambda kv: -kv[1]))


@dataclass(frozen=True)
class Coverage:
    pages_by_status: Mapping[str, int] = field(default_factory=dict)
    links_by_status: Mapping[str, int] = field(default_factory=dict)
    by_cause: Mapping[str, int] = field(default_factory=dict)
    section_causes: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    visited_sections: Mapping[str, int] = field(default_factory=dict)
    urls: Mapping[str, str] = field(default_factory=dict)  # URL -> cause, up to MAX_URLS_RECORDED
    start_netloc: str = ""

    def __post_init__(self) -> None:
        for name in ("pages_by_status", "links_by_status", "by_cause", "visited_sections", "urls"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        object.__setattr__(self, "section_causes", MappingProxyType(
            {k: MappingProxyType(dict(v)) for k, v in self.section_causes.items()}))

    # -- the whole crawl ------------------------------------------------------------
    @property
    def unvisited_total(self) -> int:
        """URLs of this site left unvisited (off-site links are counted apart, in by_cause)."""
        return sum(n for c, n in self.by_cause.items() if c in IN_SITE)

    @property
    def complete(self) -> bool:
        return self.unvisited_total == 0

    @property
    def cut_by_bounds(self) -> bool:
        """The page cap, the time budget or a stop left pages unvisited."""
        return any(self.by_cause.get(c) for c in BOUNDS)

    def by_section(self) -> dict[str, int]:
        totals = {s: sum(c.values()) for s, c in self.section_causes.items()}
        return dict(sorted(((s, n) for s, n in totals.items() if n), key=lambda kv: (-kv[1], kv[0])))

    # -- queries for checks -------------------------------------------------------------
    def unvisited_under(self, where: str) -> Unvisited:
        """Unvisited URLs in a part of the site: a section ("/hdjl/") or a URL ("http://h/hdjl/xjxd/").

        A section's counts are exact; a deeper URL prefix is answered from the URLs recorded
        (all of them unless the crawl left more than MAX_URLS_RECORDED)."""
        if where.startswith(("http://", "https://")):
            prefix = _folder(where)
            causes: Counter[str] = Counter(c for u, c in self.urls.items() if u.startswith(prefix))
            if _folder_is_section(prefix):  # a whole section: exact counts
                causes = Counter(self.section_causes.get(self.section_key(where), {}))
            return Unvisited(sum(causes.values()), dict(causes), _display(prefix))
        causes = Counter(self.section_causes.get(where, {}))
        return Unvisited(sum(causes.values()), dict(causes), where)

    def unvisited_links(self, urls: Iterable[str]) -> Unvisited:
        causes: Counter[str] = Counter()
        for url in dict.fromkeys(urls):
            cause = self.urls.get(url)
            if cause is not None:
                causes[cause] += 1
        return Unvisited(sum(causes.values()), dict(causes))

    def section_key(self, url: str) -> str:
        """The section a URL is in, as the counts are keyed ("/hdjl/", or "host/hdjl/" off the start host)."""
        netloc = urlsplit(url).netloc.lower()
        key = section_of(url)
        return key if not self.start_netloc or netloc == self.start_netloc else netloc + key

    def visited_under(self, section: str) -> int:
        return self.visited_sections.get(section, 0)

    def everywhere(self) -> Unvisited:
        causes = {c: n for c, n in self.by_cause.items() if c in IN_SITE}
        return Unvisited(sum(causes.values()), causes, "/")

    # -- the report -------------------------------------------------------------------
    def summary(self) -> dict[str, str]:
        st = self.pages_by_status
        fetched = sum(st.values())
        zh = (f"抓取 {fetched} 个网址（2xx {st.get('2xx', 0)}、3xx {st.get('3xx', 0)}、4xx {st.get('4xx', 0)}、"
              f"5xx {st.get('5xx', 0)}、无应答 {st.get('error', 0)}）")
        en = (f"{fetched} URLs fetched (2xx {st.get('2xx', 0)}, 3xx {st.get('3xx', 0)}, 4xx {st.get('4xx', 0)}, "
              f"5xx {st.get('5xx', 0)}, no answer {st.get('error', 0)})")
        broken = self.links_by_status.get("4xx", 0) + self.links_by_status.get("5xx", 0)
        if broken:
            zh += f"，链接检查 {broken} 个返回 4xx/5xx"
            en += f"; {broken} checked links answered 4xx/5xx"
        if self.complete:
            return {"zh": zh + "；站内链接均已访问", "en": en + "; every link on the site was visited"}
        rest = self.everywhere()
        top = list(self.by_section())[:3]
        zh += f"；未访问站内链接 {rest.total} 个（{rest.causes_text('zh')}），主要在 {'、'.join(top)}"
        en += f"; {rest.total} links on the site not visited ({rest.causes_text('en')}), mostly in {', '.join(top)}"
        return {"zh": zh, "en": en}

    def to_json(self) -> dict:
        return {"pages_by_status": dict(self.pages_by_status), "links_by_status": dict(self.links_by_status),
                "unvisited": {"total": self.unvisited_total, "by_cause": dict(self.by_cause),
                              "by_section": self.by_section()},
                "visited_by_section": dict(sorted(self.visited_sections.items())),
                "complete": self.complete, "summary": self.summary()}


def _folder(url: str) -> str:
    """The URL as a prefix: up to its last "/" (a page's folder), without query."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if not path.endswith("/"):
        path = path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _folder_is_section(prefix: str) -> bool:
    return len([p for p in urlsplit(prefix).path.split("/") if p]) <= 1


def _display(prefix: str) -> str:
    return urlsplit(prefix).path or "/"
