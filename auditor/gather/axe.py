"""The ``axe`` gatherer: axe-core's results on a sample of column and article pages.

The homepage's axe-core run happens while the crawl renders it (auditor.crawl.browser).
GB/T 37668 is judged on more than the homepage, so the crawl also picks a small
sample as pages arrive — list pages one click from the homepage, then article pages
(by default two of each: the check settings ``sample_columns`` and
``sample_articles`` of ``a11y.axe``) — and the browser runs axe-core on them while
the crawl goes on, paced by the same rate limiter. This gatherer waits for those
runs and hands their results to the check.
"""
from __future__ import annotations

import time

from auditor.gather.base import gatherer

WAIT = 60.0  # seconds for the whole sample after the crawl


@gatherer("axe")
def gather(snap, ctx) -> dict:
    log = getattr(snap, "render", None) or {}
    if (log.get("mode") or "never") == "never":
        return {"state": "disabled", "pages": []}
    deadline = time.monotonic() + WAIT
    pages = []
    for job in ctx.axe_jobs:
        try:
            rec = dict(job.result.result(timeout=max(0.1, deadline - time.monotonic())))
        except Exception as exc:  # noqa: BLE001 - timeout, no browser: that page is not judged
            job.result.cancel()
            rec = {"url": job.url, "error": f"{type(exc).__name__}: {exc}"[:200]}
        rec["kind"] = job.kind
        pages.append(rec)
    return {"state": "done", "pages": pages}
