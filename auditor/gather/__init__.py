"""Stage 3, gather: facts beyond the crawl (DNS, TLS, IPv6, HTTPS probes, search queries,
axe-core, uptime samples), each collected once for the checks that declare it. ``base``
is the framework; every other module here is one built-in gatherer."""
