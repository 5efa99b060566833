"""robots.txt, read with protego (a maintained RFC 9309 parser)."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

ROBOTS_TOKEN = "gov-audit"


@dataclass
class RobotsPolicy:
    url: str
    status: int | None = None
    state: str = "absent"  # parsed | absent (4xx: allow all) | unreachable (5xx/error: disallow all)
    error: str | None = None
    crawl_delay: float | None = None
    ignored: bool = False
    retry_after: float | None = None  # a 429/503 answer's Retry-After, in seconds
    _parser: Protego | None = field(default=None, repr=False)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.ignored:
            return True
        if self.state == "unreachable":
            return False
        if self._parser is None:
            return True
        return self._parser.can_fetch(url, ROBOTS_TOKEN) and self._parser.can_fetch(url, user_agent)

    def to_json(self) -> dict:
        return {"url": self.url, "status": self.status, "state": self.state, "error": self.error,
                "crawl_delay": self.crawl_delay, "ignored": self.ignored}


def robots_url(site_url: str) -> str:
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def load(fetcher, site_url: str, user_agent: str, ignore: bool = False) -> RobotsPolicy:
    """Fetch and read the site's robots.txt (RFC 9309).

    2xx: the rules (whatever the Content-Type); 4xx or a redirect loop: no rules;
    5xx, 429 and network errors: unreachable, which means complete disallow. (429 is
    a 4xx, but it says "too fast", not "no file": like the major crawlers we take
    it as the server error it stands for.) The fetch is paced by the fetcher's
    rate limiter like every other request.
    """
    url = robots_url(site_url)
    f = fetcher.fetch(url, max_bytes=512 * 1024, any_type=True)
    policy = RobotsPolicy(url=url, status=f.status, ignored=ignore)
    if f.status in (429, 503):
        from auditor.network.fetch import retry_after_seconds

        policy.retry_after = retry_after_seconds(f.headers.get("retry-after"))
    if f.error_kind in ("redirect-loop", "too-many-redirects"):
        # RFC 9309 2.3.1.2: past five redirects a crawler may take the file as unavailable.
        policy.state, policy.error = "absent", f.error
    elif f.error_kind or f.status is None:
        # RFC 9309 2.3.1.4: unreachable robots.txt means complete disallow.
        policy.state, policy.error = "unreachable", f.error
    elif 200 <= f.status < 300:
        body = f.body or b""
        if body.startswith(b"\xef\xbb\xbf"):
            body = body[3:]
        text = body.decode("utf-8", "replace")
        try:
            parser = Protego.parse(text)
        except Exception as exc:  # noqa: BLE001 - a broken robots.txt means no rules
            policy.state, policy.error = "absent", f"unparsable robots.txt: {exc}"
            return policy
        policy._parser = parser
        policy.state = "parsed"
        try:
            delay = parser.crawl_delay(ROBOTS_TOKEN) or parser.crawl_delay(user_agent)
        except (TypeError, ValueError):
            delay = None
        policy.crawl_delay = float(delay) if delay and delay > 0 else None
    elif f.status == 429:
        policy.state, policy.error = "unreachable", "HTTP 429"
    elif 400 <= f.status < 500:
        policy.state = "absent"
    else:
        policy.state, policy.error = "unreachable", f"HTTP {f.status}"
    return policy
