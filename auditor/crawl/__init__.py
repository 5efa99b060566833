"""Stage 2, crawl: walk the site once (frontier, crawler, browser render plan), parse each
page once with lxml, and freeze what was seen into the Snapshot."""
