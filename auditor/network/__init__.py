"""Stage 1, network: fetch a URL politely (rate limit, watchdog, size caps), resolve names
(--resolve, --dns-server), read robots.txt, decode bytes to text, normalise URLs."""
