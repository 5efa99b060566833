"""Stage 2, crawl: walk the site once in the frontier's order (the parts the checks read
first), parse each page once with lxml, render what needs a browser (``browser/``), record
what was left unvisited (coverage), and freeze what was seen into the Snapshot."""
