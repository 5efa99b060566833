"""The ``render`` gatherer: what the browser saw during the crawl, as facts for the checks.

The crawl renders the homepage and the pages whose static HTML looks script-built
(auditor.crawl.browser, ``--render auto|always|never``), and already made their rendered
DOM the pages' facts. This gatherer hands the checks the browser's own records: for
the homepage its visible text, the links only scripts wrote, the viewport meta, the
phone-width layout (does the page overflow a 390 px screen), desktop and phone
screenshots and axe-core's results; for the other rendered pages why they were
rendered and what the browser found.

``{"state": "disabled"}`` with ``--render never``; a missing browser raises
:class:`auditor.crawl.browser.BrowserUnavailable` (the checks then say unknown, and the
report's problems say how to install chromium).
"""
from __future__ import annotations

from auditor.crawl.snapshot import rendered_homepage_record
from auditor.gather.base import gatherer

MAX_TEXT = 50_000


@gatherer("render")
def gather(snap, ctx) -> dict:
    log = getattr(snap, "render", None) or {}
    mode = log.get("mode") or "never"
    if mode == "never":
        return {"state": "disabled"}
    if log.get("unavailable"):
        from auditor.crawl.browser import BrowserUnavailable

        raise BrowserUnavailable(log["unavailable"])
    home = log.get("homepage")
    if home is None:
        return {"state": "no-homepage", "mode": mode}
    pages = [_slim(r) for r in log.get("pages") or ()]
    return {"state": "failed" if "error" in home else "done", "mode": mode, "homepage": rendered_homepage_record(home),
            "pages": pages, "requests": log.get("requests", 0), "refused": log.get("refused", {})}


def _slim(rec: dict) -> dict:
    """Another rendered page's record without its markup (that is in the snapshot's page)."""
    out = {k: v for k, v in rec.items() if k not in ("html", "links", "text")}
    out["text"] = (rec.get("text") or "")[:2000]
    out.setdefault("script_links", [])
    return out


def render_facts(snap) -> dict | None:
    """The render gatherer's facts when it ran and rendered the homepage, else None."""
    facts = getattr(snap, "facts", {}).get("render")
    if isinstance(facts, dict) and facts.get("state") == "done":
        return facts
    return None
