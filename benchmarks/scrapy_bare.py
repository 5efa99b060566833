#!/usr/bin/env python3
"""The yardstick: a bare Scrapy crawl of one site.

A CrawlSpider that follows every same-site link (Scrapy's default LinkExtractor:
<a> and <area>, skipping pdf/doc/images …), with no item pipeline, 16 requests in
flight, no AutoThrottle, robots.txt ignored and logging at ERROR. It writes Scrapy's
own stats (responses, bytes, start/finish time) as JSON to ``--stats``.

    python3 benchmarks/scrapy_bare.py http://127.0.0.1:8080/ --stats out/scrapy.json
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from urllib.parse import urlsplit


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="bare Scrapy crawl of one site")
    p.add_argument("url")
    p.add_argument("--stats", default=None, help="write Scrapy's stats here as JSON")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--max-pages", type=int, default=0, help="CLOSESPIDER_PAGECOUNT (0: no limit)")
    p.add_argument("--urls", default=None, help="write the URLs of the pages crawled here, one a line")
    args = p.parse_args(argv)

    t_import = time.perf_counter()
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor
    from scrapy.spiders import CrawlSpider, Rule

    pages = {"html": 0}
    urls: list[str] = []

    class BareSpider(CrawlSpider):
        name = "bare"
        rules = (Rule(LinkExtractor(), callback="count", follow=True),)

        def __init__(self, start_url: str, *a, **kw):
            self.start_urls = [start_url]
            self.allowed_domains = [urlsplit(start_url).hostname]
            super().__init__(*a, **kw)

        def parse_start_url(self, response):
            return self.count(response)

        def count(self, response):
            pages["html"] += 1
            if args.urls:
                urls.append(response.url)
            return None

    settings = {
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "CLOSESPIDER_PAGECOUNT": args.max_pages,
        "DEPTH_LIMIT": 0,
    }
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(BareSpider)
    t0 = time.perf_counter()
    process.crawl(crawler, start_url=args.url)
    process.start()
    t1 = time.perf_counter()
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in (crawler.stats.get_stats() or {}).items()}
    out = {"url": args.url, "html_pages": pages["html"], "crawl_seconds": round(t1 - t0, 3),
           "import_seconds": round(t0 - t_import, 3), "scrapy_stats": stats}
    if args.urls:
        with open(args.urls, "w", encoding="utf-8") as fh:
            fh.write("".join(u + "\n" for u in sorted(urls)))
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2, default=str)
    else:
        print(json.dumps(out, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
