#!/usr/bin/env python3
"""How much of a big site a default crawl (300 pages) reaches where the checks look.

Serves two sites on loopback and crawls each with the default options (but a high rate,
which changes the speed, not the order):

- the benchmark site of ``generate_site.py`` (``--pages``, default 3,000): its sections and
  its 24 columns;
- the 3,000-page county portal of ``tests/portal.py``: 8 sections, 48 columns, and the pages
  the checks need three clicks deep (领导信箱, 我要写信, 信息公开指南, 年度报告).

``--root DIR`` crawls with the gov-audit found in DIR (another checkout, to compare
versions: ``git archive <rev> | tar -x -C /tmp/old``). Prints one JSON line per site.

    python3 benchmarks/coverage.py                     # this checkout
    python3 benchmarks/coverage.py --root /tmp/old     # an older one
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent


class _Static(SimpleHTTPRequestHandler):
    """The generated site's files; Hanweb list pages ``index.html?…&pageNum=K`` are ``page_K.html``."""

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        parts = urlsplit(path)
        num = parse_qs(parts.query).get("pageNum")
        if num and num[0].isdigit() and parts.path.endswith("/index.html"):
            path = parts.path[: -len("index.html")] + f"page_{num[0]}.html"
        return super().translate_path(path)


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Static, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _crawl(url: str):
    from auditor.crawl.crawler import CrawlOptions, Crawler

    options = CrawlOptions(rate=1000)
    try:  # this checkout: the profile's vocabulary and no link checks, as the audit would set them
        from auditor.checking.profile import load_profile

        options.priority_words = tuple(load_profile(None).keywords("crawl_priority"))
        options.link_checks = False
    except (AttributeError, TypeError):
        pass
    return Crawler(options).run(url)


def benchmark_site(pages: int) -> dict:
    sys.path.insert(0, str(HERE))
    from generate_site import generate

    folder = HERE / "site" / f"n{pages}-s1"
    if not (folder / "index.html").exists():
        generate(pages, folder, 1)
    sections = sorted(p.parent.name for p in folder.glob("*/index.html") if p.parent.name != "col")
    columns = sorted(str(p.parent.relative_to(folder)) for p in folder.glob("*/*/index.html"))
    server, url = _serve(folder)
    try:
        snap = _crawl(url)
    finally:
        server.shutdown()
    got = {urlsplit(p.final_url).path for p in snap.pages.values() if p.ok}
    reached_sections = [s for s in sections if f"/{s}/" in got or f"/{s}/index.html" in got]
    reached_columns = [c for c in columns if f"/{c}/" in got or f"/{c}/index.html" in got]
    with_articles = [c for c in columns if any(g.startswith(f"/{c}/") and "index" not in g and "page_" not in g
                                               and g != f"/{c}/" for g in got)]
    return {"site": f"generate_site n{pages}", "pages_fetched": len(snap.pages),
            "sections": f"{len(reached_sections)}/{len(sections)}", "columns": f"{len(reached_columns)}/{len(columns)}",
            "columns_with_an_article_read": f"{len(with_articles)}/{len(columns)}"}


def portal_site() -> dict:
    sys.path.insert(0, str(HERE.parent / "tests"))
    import portal
    from servers import LoopbackSite

    with LoopbackSite(portal.portal_routes()) as site:
        snap = _crawl(site.url)
        base = site.url
    got = {p.final_url for p in snap.pages.values() if p.ok}
    return {"site": f"tests/portal.py ({portal.page_count()} pages)", "pages_fetched": len(snap.pages),
            "sections": f"{sum(u in got for u in portal.section_urls(base))}/{len(portal.SECTIONS)}",
            "columns": f"{sum(u in got for u in portal.column_urls(base))}/{len(portal.column_urls(base))}",
            "wanted": f"{sum(base.rstrip('/') + w in got for w in portal.WANTED)}/{len(portal.WANTED)}"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=3000, help="size of the generate_site.py site (default 3000)")
    p.add_argument("--root", default=None, help="crawl with the gov-audit in this folder")
    args = p.parse_args(argv)
    if args.root:
        sys.path.insert(0, str(Path(args.root).resolve()))
    else:
        sys.path.insert(0, str(HERE.parent))
    for result in (benchmark_site(args.pages), portal_site()):
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
