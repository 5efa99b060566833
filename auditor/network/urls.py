"""URL normalisation, scope and crawl-trap bounds.

Normalising a page's ~95 links with urljoin costs more than parsing the page, and
most hrefs (nav, footer) repeat on every page, so resolution is cached on the part
of the base URL the href actually depends on.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from functools import lru_cache
from typing import Callable
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

# Query parameters that only carry session state or presentation; dropping them
# folds endless variants of one page into one URL.
SESSION_PARAMS = frozenset({
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id", "aspsessionid",
    "cfid", "cftoken", "utm_source", "utm_medium", "utm_campaign", "utm_term",
    "utm_content", "spm", "_", "timestamp", "rnd", "random",
})
SORT_PARAMS = frozenset({"sort", "order", "orderby", "sortby", "sortfield", "dir", "desc"})
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
_DIGITS = re.compile(r"\d+")
SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "sms:", "ftp:", "file:", "#")

ATTACHMENT_EXTENSIONS = frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd",
    "zip", "rar", "7z", "gz", "tar", "txt", "csv", "rtf", "odt", "ods", "ceb", "caj",
    "mp4", "mp3", "avi", "wmv", "flv", "mov", "apk", "exe", "iso",
})
ASSET_EXTENSIONS = frozenset({
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "css", "js", "woff",
    "woff2", "ttf", "eot", "swf", "json", "xml",
})
MAX_URL_LENGTH = 2048


def extension(url: str) -> str:
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return ""
    return last.rsplit(".", 1)[-1].lower()


def is_attachment(url: str) -> bool:
    return extension(url) in ATTACHMENT_EXTENSIONS


def is_asset(url: str) -> bool:
    return extension(url) in ASSET_EXTENSIONS


def _clean_query(query: str) -> str:
    if not query:
        return ""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
             if k.lower() not in SESSION_PARAMS and k.lower() not in SORT_PARAMS]
    pairs.sort()
    return urlencode(pairs, doseq=True, quote_via=quote, safe="/:@,")


_ENCODED_SLASH = re.compile(r"%2[fF]")


@lru_cache(maxsize=200_000)
def normalize(url: str) -> str | None:
    """Canonical form of an absolute http(s) URL, or None when it is not crawlable."""
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    try:
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    else:
        netloc = host
    path = _PATH_SESSION.sub("", parts.path) or "/"
    # Re-quote so that %-encoded and raw non-ASCII spellings of one path compare equal.
    # An encoded slash is not a path separator (/a%2Fb and /a/b are different resources):
    # it stays encoded, the rest of the path is normalised around it.
    path = "%2F".join(quote(unquote(part), safe="/:@!$&'()*+,;=~-._") for part in _ENCODED_SLASH.split(path))
    query = _clean_query(parts.query)
    return SplitResult(scheme, netloc, path, query, "").geturl()


@lru_cache(maxsize=200_000)
def _join(base_key: str, href: str) -> str | None:
    return normalize(urljoin(base_key, href))


def resolve(base: str, href: str) -> str | None:
    """Resolve an href found on the page at ``base`` (cached)."""
    href = href.strip()
    if not href:
        return None
    low = href[:12].lower()
    if low.startswith(SKIP_SCHEMES):
        return None
    if low.startswith(("http://", "https://")):
        return normalize(href)
    if href.startswith("//"):
        return _join(base.split(":", 1)[0] + ":", href)
    if href.startswith("/"):
        # Depends only on scheme and authority.
        parts = urlsplit(base)
        return _join(f"{parts.scheme}://{parts.netloc}/", href)
    if href.startswith(("?", "#")):
        return _join(base, href)
    # Relative path: depends on the base's directory only.
    cut = base.split("?", 1)[0].split("#", 1)[0]
    directory = cut[: cut.rfind("/") + 1] if cut.count("/") >= 3 else cut + "/"
    return _join(directory, href)


def resolver(base: str) -> Callable[[str], str | None]:
    """``resolve(base, href)`` for the many hrefs of one page.

    The parts of ``base`` that resolution depends on (scheme, origin, directory)
    are worked out once per page instead of once per link.
    """
    scheme = base.split(":", 1)[0] + ":"
    cut = base.split("?", 1)[0].split("#", 1)[0]
    directory = cut[: cut.rfind("/") + 1] if cut.count("/") >= 3 else cut + "/"
    origin: list[str] = []  # worked out on first use, as resolve() does

    def res(href: str) -> str | None:
        href = href.strip()
        if not href:
            return None
        low = href[:12].lower()
        if low.startswith(SKIP_SCHEMES):
            return None
        if low.startswith(("http://", "https://")):
            return normalize(href)
        if href.startswith("//"):
            return _join(scheme, href)
        if href.startswith("/"):
            if not origin:
                parts = urlsplit(base)
                origin.append(f"{parts.scheme}://{parts.netloc}/")
            return _join(origin[0], href)
        if href.startswith(("?", "#")):
            return _join(base, href)
        return _join(directory, href)

    return res


@lru_cache(maxsize=20_000)
def host_of(url: str) -> str:
    # Cached: checks and gatherers ask it for every link of every page (170,000 calls on 2,000
    # pages, ~1 s), about a few thousand distinct URLs.
    return (urlsplit(url).hostname or "").lower()


def site_key(host: str) -> str:
    """The host without a leading ``www.``: www.x.gov.cn and x.gov.cn are one site."""
    return host[4:] if host.startswith("www.") else host


def origin_key(url: str) -> str:
    """Host (without www.) plus any non-default port: http and https of one host are one site."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    key = site_key((parts.hostname or "").lower())
    return key if port in (None, 80, 443) else f"{key}:{port}"


def url_pattern(url: str) -> str:
    """A shape shared by the URLs of one template: digits masked, query values dropped."""
    parts = urlsplit(url)
    keys = ",".join(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return f"{parts.netloc}{_DIGITS.sub('#', parts.path)}?{keys}"


def looks_like_trap(url: str, max_segments: int = 15) -> bool:
    """Paths that only machines generate: very deep, or the same segments repeating."""
    path = urlsplit(url).path
    segs = [s for s in path.split("/") if s]
    if len(segs) > max_segments:
        return True
    if len(segs) >= 6:
        counts = Counter(segs)
        if counts.most_common(1)[0][1] >= 3:
            return True
    return False


class Scope:
    """Which URLs belong to the audited site, and the per-pattern budget against traps."""

    def __init__(self, start_url: str, extra_hosts: tuple[str, ...] = (),
                 max_per_pattern: int = 300):
        self.start_url = start_url
        self.site = origin_key(start_url)
        self.extra = {origin_key("http://" + h.lower()) for h in extra_hosts}
        self.max_per_pattern = max_per_pattern
        self._patterns: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.trapped: Counter[str] = Counter()

    def in_scope(self, url: str) -> bool:
        key = origin_key(url)
        return key == self.site or key in self.extra

    def admit(self, url: str) -> bool:
        """Count the URL against its pattern; False once a pattern is exhausted."""
        if looks_like_trap(url):
            with self._lock:
                self.trapped["deep-or-repeating-path"] += 1
            return False
        pattern = url_pattern(url)
        with self._lock:
            if self._patterns[pattern] >= self.max_per_pattern:
                self.trapped[pattern] += 1
                return False
            self._patterns[pattern] += 1
            return True
