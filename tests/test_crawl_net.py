"""IPv6 and HTTPS (certificates from a test CA made by trustme), on real loopback servers."""
from __future__ import annotations

import ssl
import time

import pytest
import trustme

from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.network.fetch import Fetcher
from servers import LoopbackSite, RawServer, Response, ipv6_available, page, silent

PNG = Response(b"\x89PNG\r\n\x1a\n", content_type="image/png")


def routes() -> dict:
    return {"/": page("首页", "<a href='/a.html'>a</a><img src='/logo.png'><a href='/gone.html'>gone</a>"),
            "/a.html": page("子页", "<a href='/'>home</a>"), "/logo.png": PNG}


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_bundle(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="module")
def server_context(ca):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost", "::1").configure_cert(ctx)
    return ctx


requires_ipv6 = pytest.mark.skipif(not ipv6_available(), reason="::1 cannot be bound on this machine")


@requires_ipv6
@pytest.mark.timeout(15)
def test_ipv6_site_is_crawled_and_its_links_checked():
    with LoopbackSite(routes(), host="::1") as s:
        base = s.url
        assert base.startswith("http://[::1]:")
        snap = Crawler(CrawlOptions(rate=500, timeout=2)).run(base)
        paths = {(h.method, h.path) for h in s.hits()}
    assert snap.robots["status"] == 404
    assert snap.start_page.ok and snap.start_page.title == "首页"
    assert snap.page(base + "a.html").title == "子页"
    assert snap.link_checks[base + "logo.png"].status == 200
    assert snap.page(base + "gone.html").status == 404
    assert ("HEAD", "/logo.png") in paths and ("GET", "/a.html") in paths


@pytest.mark.timeout(15)
def test_https_with_the_ca_bundle_crawls_cleanly(server_context, ca_bundle):
    with LoopbackSite(routes(), tls_context=server_context) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=500, timeout=2, verify=ca_bundle)).run(base)
    assert base.startswith("https://")
    assert snap.start_page.ok and snap.page(base + "a.html").title == "子页"
    fetches = [p.fetch for p in snap.pages.values()] + list(snap.link_checks.values())
    assert all(f.tls_error is None and f.error_kind is None for f in fetches), fetches
    assert snap.link_checks[base + "logo.png"].status == 200


@pytest.mark.timeout(15)
def test_https_with_an_unknown_ca_still_gathers_pages_and_records_the_tls_error(server_context):
    with LoopbackSite(routes(), tls_context=server_context) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=500, timeout=2)).run(base)  # default verify: certifi
        hits = s.hits()
    assert snap.start_page.ok and snap.page(base + "a.html").title == "子页"
    fetches = [p.fetch for p in snap.pages.values()] + list(snap.link_checks.values())
    assert all(f.tls_error and "certificate" in f.tls_error.lower() for f in fetches), fetches
    assert snap.link_checks[base + "logo.png"].status == 200
    # Verification failed once; every later request went unverified at once.
    assert snap.stats["requests"] == len(hits) + 1


@pytest.mark.timeout(15)
def test_unverified_retry_does_not_leak_into_verified_fetches(server_context, ca_bundle):
    """Pooled connections are per verify setting: a clean answer is a verified one."""
    with LoopbackSite(routes(), tls_context=server_context) as s:
        loose = Fetcher(rate=500, timeout=2)
        strict = Fetcher(rate=500, timeout=2, verify=ca_bundle)
        try:
            first = loose.fetch(s.url)
            second = loose.fetch(s.url + "a.html")
            clean = strict.fetch(s.url)
            # A verified session to the same server after unverified ones: still verified.
            loose.verify = ca_bundle
            loose._tls_failed.clear()
            verified = loose.fetch(s.url)
            loose.verify = True
            loose._tls_failed.clear()
            again = loose.fetch(s.url)
        finally:
            loose.close()
            strict.close()
    assert first.ok and first.tls_error and second.ok and second.tls_error
    assert clean.ok and clean.tls_error is None
    assert verified.ok and verified.tls_error is None
    assert again.ok and again.tls_error, "an unverified pooled connection must not pass as verified"


@pytest.mark.timeout(15)
def test_tls_handshake_that_never_comes_is_cut_by_the_total_deadline():
    with RawServer(silent) as srv:
        f = Fetcher(rate=500, timeout=5, total_timeout=1.5)
        try:
            t0 = time.monotonic()
            got = f.fetch(f"https://127.0.0.1:{srv.port}/")
            elapsed = time.monotonic() - t0
        finally:
            f.close()
    assert got.error_kind == "deadline", got
    assert elapsed < 2.5  # not the 5 s socket timeout


@pytest.mark.timeout(15)
def test_plain_http_to_an_https_port_and_back():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(ctx)
    with LoopbackSite({"/": page("tls")}, tls_context=ctx) as tls_site, LoopbackSite({"/": page("plain")}) as plain:
        f = Fetcher(rate=500, timeout=1, total_timeout=2)
        try:
            http_to_tls = f.fetch(f"http://127.0.0.1:{tls_site.port}/")
            tls_to_http = f.fetch(f"https://127.0.0.1:{plain.port}/")
        finally:
            f.close()
    assert http_to_tls.error_kind is not None and http_to_tls.status is None
    assert tls_to_http.error_kind == "tls" and tls_to_http.tls_error is None
