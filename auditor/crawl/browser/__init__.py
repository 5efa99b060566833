"""The browser during the crawl, all in one place.

- ``chromium``: finding and launching the system chromium (and printing a PDF with it), or
  connecting to the one a fleet worker keeps running across its sites (``BrowserService``);
- ``renderer``: one chromium on a thread of its own, rendering pages and running axe-core,
  every request it makes going through the crawl's fetcher;
- ``plan``: which pages the crawl hands the browser, and what comes back.

The crawler (auditor.crawl.crawler) uses ``plan``; nothing here imports the crawler.
"""
from auditor.crawl.browser.chromium import (BrowserService, BrowserUnavailable, chinese_fonts, cjk_font_problem, find_chromium,
                                            html_to_pdf, launch, process_service, unavailable_reason,
                                            use_shared)

__all__ = ["BrowserService", "BrowserUnavailable", "chinese_fonts", "cjk_font_problem", "find_chromium", "html_to_pdf", "launch",
           "process_service", "unavailable_reason", "use_shared"]
