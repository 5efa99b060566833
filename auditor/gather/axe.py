"""The ``axe`` gatherer: axe-core on a sample of column and article pages.

The homepage's axe-core run happens while the crawl renders it (auditor.renderer);
GB/T 37668 is judged on more than the homepage, so this gatherer adds a small
sample — by default the first two columns (list pages, shallowest first) and two
article pages, preferably from those columns — rendered in the same browser and
paced by the same rate limiter. The sample sizes are profile settings of the check
``a11y.axe``: ``sample_columns`` and ``sample_articles``.
"""
from __future__ import annotations

import time

from ..gatherers import gatherer

WAIT = 60.0  # seconds for the whole sample


def pick_sample(snap, profile, n_columns: int = 2, n_articles: int = 2) -> list[tuple[str, str]]:
    """[(kind, url)]: column pages, then article pages linked from them (or any article)."""
    from ..columns import columns_of, is_article_page

    home = snap.homepage
    home_url = home.final_url if home is not None else snap.start_url
    out: list[tuple[str, str]] = []
    columns = [c for c in columns_of(snap, profile) if c.url != home_url and not c.empty][:n_columns]
    out += [("column", c.url) for c in columns]
    wanted = {c.url for c in columns}
    candidates = [p for p in snap.html_pages() if p.depth >= 1 and snap.in_site(p.final_url)
                  and p.final_url != home_url]
    # Articles linked from a sampled column first, then any article, shallowest first.
    candidates.sort(key=lambda p: (p.referrer not in wanted, p.depth, p.url))
    taken: set[str] = {u for _, u in out}
    for p in candidates:
        if len(out) >= len(columns) + n_articles:
            break
        if p.final_url not in taken and is_article_page(p, snap.as_of):
            taken.add(p.final_url)
            out.append(("article", p.final_url))
    return out


@gatherer("axe")
def gather(snap, ctx) -> dict:
    renderer = ctx.renderer
    if renderer is None:
        return {"state": "disabled", "pages": []}
    profile = ctx.profile
    n_col = int(profile.check_setting("a11y.axe", "sample_columns", 2)) if profile is not None else 2
    n_art = int(profile.check_setting("a11y.axe", "sample_articles", 2)) if profile is not None else 2
    sample = pick_sample(snap, profile, n_col, n_art) if profile is not None else []
    jobs = [(kind, url, renderer.axe(url)) for kind, url in sample]
    deadline = time.monotonic() + WAIT
    pages = []
    for kind, url, fut in jobs:
        try:
            rec = fut.result(timeout=max(0.1, deadline - time.monotonic()))
        except Exception as exc:  # noqa: BLE001 - timeout, no browser: that page is not judged
            fut.cancel()
            rec = {"url": url, "error": f"{type(exc).__name__}: {exc}"[:200] or "timeout"}
        rec["kind"] = kind
        pages.append(rec)
    return {"state": "done", "pages": pages}
