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
    url = robots_url(site_url)
    f = fetcher.fetch(url, max_bytes=512 * 1024)
    policy = RobotsPolicy(url=url, status=f.status, ignored=ignore)
    if f.error_kind or f.status is None:
        # RFC 9309 2.3.1.4: unreachable robots.txt means complete disallow.
        policy.state, policy.error = "unreachable", f.error
    elif 200 <= f.status < 300:
        text = (f.body or b"").decode("utf-8", "replace")
        try:
            parser = Protego.parse(text)
        except Exception as exc:  # noqa: BLE001 - a broken robots.txt means no rules
            policy.state, policy.error = "absent", f"unparsable robots.txt: {exc}"
            return policy
        policy._parser = parser
        policy.state = "parsed"
        delay = parser.crawl_delay(ROBOTS_TOKEN) or parser.crawl_delay(user_agent)
        policy.crawl_delay = float(delay) if delay else None
    elif 400 <= f.status < 500:
        policy.state = "absent"
    else:
        policy.state, policy.error = "unreachable", f"HTTP {f.status}"
    return policy
