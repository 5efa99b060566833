"""Which URL the crawl fetches next: the parts of the site the checks read, before the rest.

A breadth-first crawl of a 3,000-page portal spends its page budget on the first
sections' pagination and article trees and never reaches 互动交流 or the disclosure
guide. The frontier ranks every link when it is found:

1. the start URL;
2. links whose text names what a check looks for (信息公开指南, 年报, 领导信箱 … — the
   profile's ``[keywords] crawl_priority``, data not code);
3. the homepage's links (its navigation and every first-level column);
4. list and column pages (the first page of each list);
5. a couple of articles per list page (``ARTICLES_PER_LIST``);
6. every other article;
7. pagination (下一页, ``index_2.html``, ``?pageNum=3``) and archives.

Within a rank shallower pages come first, then the section (first path segment) that
has had fewest links of that rank so far, so every section gets its turn.
"""
from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

START, WANTED, NAVIGATION, LIST, ARTICLE, DEEP_ARTICLE, PAGINATION = range(7)
RANK_NAMES = ("start", "wanted", "navigation", "list", "article", "deep-article", "pagination")
ARTICLES_PER_LIST = 2

_PAGINATION_TEXT = re.compile(r"^\s*(?:\d{1,4}|第?\s*\d{1,4}\s*页|下一?页|上一?页|尾页|末页|前一?页|后一?页|"
                              r"next|prev(?:ious)?|last|first|>>?|<<?|»|«|›|‹|…|\.\.\.)\s*$", re.I)
_PAGINATION_URL = re.compile(
    r"(?:index|list|default|more)[_-]\d+\.s?html?$"                     # TRS index_2.html
    r"|[?&](?:page|pagenum|pageno|pageindex|curpage|cpage|currpage|pn|p|start)=\d+"  # ?pageNum=3
    r"|/page/\d+/?$|_\d+_\d+\.s?html?$", re.I)
_ARCHIVE_URL = re.compile(r"/(?:archive|archives|lsda|wqhg|history)/", re.I)
_ARTICLE_URL = re.compile(
    r"/t\d{8}_\d+"                                   # TRS t20240315_1234567.html
    r"|/art_\d+_\d+|/art/\d{4}/"                     # Hanweb art_1234_5678.html
    r"|/(?:19|20)\d{2}[-_]?\d{2}(?:[-_]?\d{2})?/[^/]+$"  # /202403/xxx.html, /2024-03-15/…
    r"|/\d{5,}\.s?html?$|/content_\d+|/c\d{5,}/content"
    r"|(?:detail|content|article|show|view|info)[^/]*\.(?:s?html?|jsp|aspx?|php)(?:\?|$)"
    r"|[?&](?:id|articleid|infoid|docid|contentid|newsid|aid)=\w", re.I)


def section_of(url: str) -> str:
    """The top-level section a URL is in: its first path segment ("/hdjl/"), or "/" at the root."""
    path = urlsplit(url).path or "/"
    parts = [p for p in path.split("/") if p]
    if len(parts) <= 1 and (not parts or "." in parts[0]):
        return "/"
    return f"/{parts[0]}/"


def is_pagination(url: str, text: str = "") -> bool:
    """A further page of a list (下一页, ``index_2.html``, ``?pageNum=3``) or an archive."""
    if text and text.strip() and _PAGINATION_TEXT.match(text):
        return True
    return bool(_PAGINATION_URL.search(url) or _ARCHIVE_URL.search(url))


def looks_like_article(url: str) -> bool:
    return bool(_ARTICLE_URL.search(url))


@dataclass
class Entry:
    """What the frontier holds: the crawler's task and the rank it got."""

    task: object
    rank: int


class Frontier:
    """A priority queue of crawl tasks (any object with ``url``, ``depth`` and ``referrer``)."""

    def __init__(self, wanted_words: tuple[str, ...] = (), articles_per_list: int = ARTICLES_PER_LIST) -> None:
        self.wanted_words = tuple(w for w in wanted_words if w)
        self.articles_per_list = articles_per_list
        self._heap: list[tuple[int, int, int, int, Entry]] = []
        self._seq = itertools.count()
        self._articles_from: Counter[str] = Counter()
        self._wanted_articles_from: Counter[str] = Counter()
        self._per_section: Counter[tuple[int, str]] = Counter()
        self.ranks: Counter[str] = Counter()  # how many tasks each rank got, for the report

    def __len__(self) -> int:
        return len(self._heap)

    def __bool__(self) -> bool:
        return bool(self._heap)

    def names_wanted(self, text: str) -> bool:
        """The link text names what a check looks for (the profile's crawl_priority words)."""
        text = (text or "").strip()
        return bool(text) and any(w in text for w in self.wanted_words)

    def rank(self, url: str, depth: int, text: str = "", referrer: str | None = None,
             from_homepage: bool = False) -> int:
        if depth == 0:
            return START
        label = (text or "").strip()
        if is_pagination(url, label):
            return PAGINATION
        article = looks_like_article(url)
        key = referrer or ""
        if self.names_wanted(label):
            # A column or page named for what a check needs. Articles whose titles merely
            # mention such a word (a list of 咨询 letters) get a few places per page, no more.
            if not article:
                return WANTED
            if self._wanted_articles_from[key] < self.articles_per_list:
                self._wanted_articles_from[key] += 1
                return WANTED
        if from_homepage and not article:
            return NAVIGATION
        if not article:
            return LIST
        if self._articles_from[key] < self.articles_per_list:
            self._articles_from[key] += 1
            return ARTICLE
        return DEEP_ARTICLE

    def push(self, task, text: str = "", from_homepage: bool = False, rank: int | None = None) -> int:
        if rank is None:
            rank = self.rank(task.url, task.depth, text, task.referrer, from_homepage)
        section = section_of(task.url)
        turn = self._per_section[(rank, section)]
        self._per_section[(rank, section)] += 1
        self.ranks[RANK_NAMES[rank]] += 1
        heapq.heappush(self._heap, (rank, task.depth, turn, next(self._seq), Entry(task, rank)))
        return rank

    def peek(self):
        return self._heap[0][-1].task

    def pop(self):
        return heapq.heappop(self._heap)[-1].task

    def drain(self) -> Iterator[object]:
        """Every task still queued (the crawl ended before them), emptying the frontier."""
        while self._heap:
            yield heapq.heappop(self._heap)[-1].task
