"""https.*, security.headers and site.domain against real HTTP and HTTPS servers on
loopback, certificates from trustme (valid, wrong name, expired, expiring, self-signed)."""
from __future__ import annotations

import ssl
from datetime import datetime, timedelta, timezone

import pytest
import trustme

from netlab import (DnsLab, DualSite, audit, profile_file, result, self_signed_pem, server_context, zone)
from servers import Response, page

pytestmark = pytest.mark.timeout(60)

URL = "http://www.example.gov.cn/"
HTTPS_URL = "https://www.example.gov.cn/"
FILL = "<p>" + "示例市人民政府门户网站发布政务信息。" * 30 + "</p>"
GOOD_HEADERS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
                "X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN",
                "Content-Security-Policy": "default-src 'self'"}
TO_HTTPS = {"*": Response("", 301, {"Location": HTTPS_URL})}
HTTPS_CHECKS = ["https.*", "security.headers"]


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def routes(headers=GOOD_HEADERS, body: str = FILL) -> dict:
    return {"/": Response(page("示例市人民政府", body), headers=dict(headers)),
            "/a.html": page("文章", FILL)}


@pytest.fixture
def dns():
    with DnsLab(zone(www=("v4", "v6"))) as lab:
        yield lab


def run(dns, ctx, *, https_routes=None, http_routes=None, url=URL, only=HTTPS_CHECKS, **kw):
    with DualSite(https_routes or routes(), tls_context=ctx, v6_routes=False) as tls, \
            DualSite(http_routes or TO_HTTPS, v6_routes=False) as plain:
        return audit(url, dns, http=plain, https=tls, only=only, **kw)


# -- a well-configured HTTPS site ---------------------------------------------------------
def test_good_https_site_passes(dns, ca, ca_file):
    sni: list = []
    ctx = server_context(ca.issue_cert("www.example.gov.cn"), sni_log=sni)
    out = run(dns, ctx, ca_bundle=ca_file)
    for cid in ("https.enabled", "https.redirect", "https.certificate", "https.hsts", "https.mixed-content",
                "security.headers"):
        r = result(out, cid)
        assert r["status"] == "pass", (cid, r["summary"], r["details"])
    tls = result(out, "https.tls")
    assert tls["status"] == "pass", tls["summary"]
    assert tls["details"]["versions"]["TLSv1.2"]["result"] == "accepted"
    cert = result(out, "https.certificate")
    assert "--ca-bundle" in cert["summary"]["en"]  # trusted through the staging CA only
    assert cert["details"]["trust_default"]["ok"] is False and cert["details"]["trust_extra"]["ok"] is True
    assert cert["details"]["certificate"]["san_dns"] == ["www.example.gov.cn"]
    assert cert["details"]["days_left"] > 30
    # Every handshake named the site (SNI), whatever address it connected to.
    assert sni and set(sni) == {"www.example.gov.cn"}
    assert out.snapshot.homepage.final_url == HTTPS_URL and out.snapshot.homepage.fetch.tls_error is None


def test_without_the_ca_bundle_the_certificate_fails_but_pages_are_still_read(dns, ca):
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    out = run(dns, ctx)
    r = result(out, "https.certificate")
    assert r["status"] == "fail" and "does not verify" in r["summary"]["en"], r["summary"]
    assert out.snapshot.homepage.ok and out.snapshot.homepage.fetch.tls_error
    assert result(out, "https.enabled")["status"] == "pass"


# -- certificates -----------------------------------------------------------------------
def test_wrong_name_fails_even_with_the_ca_bundle(dns, ca, ca_file):
    ctx = server_context(ca.issue_cert("www.another.gov.cn"))
    out = run(dns, ctx, ca_bundle=ca_file, only=["https.certificate"])
    r = result(out, "https.certificate")
    assert r["status"] == "fail" and "does not name www.example.gov.cn" in r["summary"]["en"], r["summary"]


def test_expired_certificate_fails_with_its_date(dns, ca, ca_file):
    now = datetime.now(timezone.utc)
    ctx = server_context(ca.issue_cert("www.example.gov.cn", not_before=now - timedelta(days=400),
                                       not_after=now - timedelta(days=3)))
    out = run(dns, ctx, ca_bundle=ca_file, only=["https.certificate"])
    r = result(out, "https.certificate")
    assert r["status"] == "fail" and "expired" in r["summary"]["en"], r["summary"]
    assert r["details"]["days_left"] < 0


def test_certificate_expiring_soon_warns_with_days_left(dns, ca, ca_file):
    now = datetime.now(timezone.utc)
    ctx = server_context(ca.issue_cert("www.example.gov.cn", not_before=now - timedelta(days=60),
                                       not_after=now + timedelta(days=10, hours=12)))
    out = run(dns, ctx, ca_bundle=ca_file, only=["https.certificate"])
    r = result(out, "https.certificate")
    assert r["status"] == "warn", r["summary"]
    assert "10 days left" in r["summary"]["en"]


def test_self_signed_certificate_fails(dns, ca_file):
    ctx = server_context(pem=self_signed_pem("www.example.gov.cn"))
    out = run(dns, ctx, ca_bundle=ca_file, only=["https.certificate"])
    r = result(out, "https.certificate")
    assert r["status"] == "fail" and "self-signed" in r["summary"]["en"], r["summary"]
    assert r["details"]["certificate"]["self_signed"] is True


# -- protocol versions ---------------------------------------------------------------------
def test_tls_1_0_offered_fails(dns, ca, ca_file):
    from auditor.gather.tls import local_support

    if not local_support()["TLSv1"]:
        pytest.skip("this machine's OpenSSL cannot speak TLS 1.0 (see the 'untestable' test)")
    ctx = server_context(ca.issue_cert("www.example.gov.cn"), min_version=ssl.TLSVersion.TLSv1)
    out = run(dns, ctx, ca_bundle=ca_file, only=["https.tls"])
    r = result(out, "https.tls")
    assert r["status"] == "fail" and "TLS 1.0" in r["summary"]["en"], (r["summary"], r["details"])
    assert r["details"]["versions"]["TLSv1"]["result"] == "accepted"


def test_tls_versions_the_local_openssl_cannot_offer_are_reported_not_passed(dns, ca, ca_file, monkeypatch):
    from auditor.gather import tls as tls_mod

    monkeypatch.setattr(tls_mod, "_support", {"TLSv1": False, "TLSv1.1": False, "TLSv1.2": True, "TLSv1.3": True})
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    out = run(dns, ctx, ca_bundle=ca_file, only=["https.tls"])
    r = result(out, "https.tls")
    assert r["status"] == "unknown" and "cannot offer" in r["summary"]["en"], r["summary"]
    assert r["details"]["versions"]["TLSv1"]["result"] == "untestable"


# -- HTTPS present, redirect, HSTS ---------------------------------------------------------
def test_site_without_https_fails_enabled_and_the_rest_is_not_applicable(dns):
    with DualSite(routes(), v6_routes=False) as plain:
        out = audit(URL, dns, http=plain, only=HTTPS_CHECKS)
    r = result(out, "https.enabled")
    assert r["status"] == "fail" and "not served over HTTPS" in r["summary"]["en"], r["summary"]
    for cid in ("https.redirect", "https.certificate", "https.tls", "https.hsts", "https.mixed-content"):
        assert result(out, cid)["status"] == "na", (cid, result(out, cid)["summary"])


def test_http_that_does_not_redirect_fails_redirect(dns, ca, ca_file):
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    out = run(dns, ctx, http_routes=routes(), ca_bundle=ca_file, only=["https.redirect", "https.enabled"])
    r = result(out, "https.redirect")
    assert r["status"] == "fail" and "does not redirect" in r["summary"]["en"], r["summary"]
    assert result(out, "https.enabled")["status"] == "pass"


def test_redirect_through_another_http_hop_warns(dns, ca, ca_file):
    hop = {"/": Response("", 302, {"Location": "http://www.example.gov.cn/index.html"}),
           "/index.html": Response("", 301, {"Location": HTTPS_URL})}
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    out = run(dns, ctx, http_routes=hop, ca_bundle=ca_file, only=["https.redirect"])
    r = result(out, "https.redirect")
    assert r["status"] == "warn", r["summary"]


def test_missing_hsts_fails_and_a_short_one_warns(dns, ca, ca_file):
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    no_hsts = {k: v for k, v in GOOD_HEADERS.items() if k != "Strict-Transport-Security"}
    out = run(dns, ctx, https_routes=routes(no_hsts), ca_bundle=ca_file, only=["https.hsts"])
    assert result(out, "https.hsts")["status"] == "fail"
    short = {**GOOD_HEADERS, "Strict-Transport-Security": "max-age=86400"}
    out = run(dns, ctx, https_routes=routes(short), ca_bundle=ca_file, only=["https.hsts"])
    r = result(out, "https.hsts")
    assert r["status"] == "warn" and r["details"]["max_age"] == 86400


# -- mixed content and headers --------------------------------------------------------------
def test_http_script_on_an_https_page_fails_mixed_content(dns, ca, ca_file):
    body = FILL + "<script src='http://www.example.gov.cn/js/app.js'></script>" \
        "<form action='http://www.example.gov.cn/search'><input name='q'></form>"
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    out = run(dns, ctx, https_routes=routes(body=body), ca_bundle=ca_file, only=["https.mixed-content"])
    r = result(out, "https.mixed-content")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["active"] == 2
    assert "http://www.example.gov.cn/js/app.js" in r["evidence"][0]["excerpt"]
    passive = FILL + "<img src='http://www.example.gov.cn/logo.png'><a href='http://www.example.gov.cn/old.html'>旧版</a>"
    out = run(dns, ctx, https_routes=routes(body=passive), ca_bundle=ca_file, only=["https.mixed-content"])
    r = result(out, "https.mixed-content")
    assert r["status"] == "warn" and r["details"]["passive"] == 1, r["summary"]  # the <a> is navigation


def test_missing_security_headers_fail_and_missing_csp_alone_warns(dns, ca, ca_file):
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    out = run(dns, ctx, https_routes=routes({}), ca_bundle=ca_file, only=["security.headers"])
    r = result(out, "security.headers")
    assert r["status"] == "fail" and "nosniff" in r["summary"]["en"]
    no_csp = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
    out = run(dns, ctx, https_routes=routes(no_csp), ca_bundle=ca_file, only=["security.headers"])
    assert result(out, "security.headers")["status"] == "warn"
    framed_by_csp = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "frame-ancestors 'self'"}
    out = run(dns, ctx, https_routes=routes(framed_by_csp), ca_bundle=ca_file, only=["security.headers"])
    assert result(out, "security.headers")["status"] == "pass"


# -- site.domain ----------------------------------------------------------------------------
def test_site_domain_portal_and_department_forms(tmp_path):
    records = {**zone(www=("v4",), slj=("v4",), apex=("v4",)), **zone("example.com", www=("v4",))}
    dept = profile_file(tmp_path, '[site]\nkind = "department"\nparent_domain = "example.gov.cn"\n')
    with DnsLab(records) as lab, DualSite(routes(), v6_routes=False) as plain:
        def status(url, profile=None):
            r = result(audit(url, lab, http=plain, only=["site.domain"], profile=profile), "site.domain")
            return r["status"], r["summary"]["en"]

        assert status("http://www.example.gov.cn/", "city")[0] == "pass"
        assert status("http://slj.example.gov.cn/", dept)[0] == "pass"
        assert status("http://www.example.com/")[0] == "fail"
        assert status("http://slj.example.gov.cn/", "city")[0] == "fail"  # a portal must be www.□□□.gov.cn
        assert status("http://example.gov.cn/")[0] == "warn"
        assert status("http://www.example.gov.cn/", dept)[0] == "fail"  # not under the portal's domain


def test_site_domain_is_not_applicable_for_an_ip_address(audit_site):
    out = audit_site({"/": page("示例", FILL)}, only=["site.domain", "https.*"])
    assert result(out, "site.domain")["status"] == "na"
    # A site on an unusual port shows no HTTPS address: the HTTPS checks cannot tell.
    assert result(out, "https.enabled")["status"] == "unknown"


def test_plain_http_on_the_https_port_fails_enabled_only(dns):
    with DualSite(routes(), v6_routes=False) as plain:
        out = audit(URL, dns, http=plain, https=plain, only=HTTPS_CHECKS)
    r = result(out, "https.enabled")
    assert r["status"] == "fail" and "TLS handshake" in r["summary"]["en"], r["summary"]
    assert result(out, "https.tls")["status"] == "na"
    assert result(out, "https.certificate")["status"] in ("na", "unknown")
    assert not any(c["status"] == "error" for c in out.report["checks"])
