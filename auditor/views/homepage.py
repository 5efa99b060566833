"""Whether the homepage could be read — one answer for the runner (checks that read the homepage
say "unknown"), the CLI ("cannot audit") and the fleet (state "unreachable")."""
from __future__ import annotations

from dataclasses import dataclass

from auditor.views.evidence import T


@dataclass(frozen=True)
class Unread:
    kind: str  # robots | no-page | blocked | error | http | no-answer | not-html
    reason: str  # English, for the command line and the fleet's table
    text: T  # for a check's summary

    @property
    def no_audit(self) -> bool:
        """Nothing of the site was read: the audit as a whole failed (a non-HTML homepage was read)."""
        return self.kind != "not-html"


def homepage_unread(snapshot) -> Unread | None:
    """Why the homepage could not be read, or None when it was."""
    page = snapshot.homepage
    if page is None:
        text = T("未能获取首页（robots.txt 禁止或未开始抓取）", "the homepage was not fetched (robots.txt or no crawl)")
        if snapshot.stats.get("robots_blocked"):
            return Unread("robots", "robots.txt disallows the homepage", text)
        stop = f" ({snapshot.stop_reason})" if snapshot.stop_reason else ""
        return Unread("no-page", "no page fetched" + stop, text)
    f = page.fetch
    if f.blocked:
        return Unread("blocked", f"HTTP {f.status} (blocked by a firewall or rate limit)",
                      T(f"首页被防火墙/限流拦截（HTTP {f.status}），无法判断",
                        f"the homepage was blocked by a firewall or rate limit (HTTP {f.status})"))
    if f.error_kind:
        return Unread("error", f.error or f.error_kind,
                      T(f"首页无法访问（{f.error}），无法判断", f"the homepage could not be read ({f.error})"))
    if f.status is not None and f.status >= 400:
        return Unread("http", f"HTTP {f.status}", T(f"首页返回 HTTP {f.status}，无法判断", f"the homepage answered HTTP {f.status}"))
    if not f.ok:
        return Unread("no-answer", f"HTTP {f.status}", T(f"首页未正常应答（HTTP {f.status}）", f"the homepage answered HTTP {f.status}"))
    if not page.is_html:
        return Unread("not-html", "the homepage is not an HTML page",
                      T("首页不是 HTML 页面，无法判断", "the homepage is not an HTML page"))
    return None
