"""--dns-server, --resolve, --connect-to and --ca-bundle: one name-resolution policy for
every connection the audit makes (crawl, gatherers, IPv6 probes), on real loopback
servers and a real DNS server."""
from __future__ import annotations

import json
import ssl

import pytest
import trustme

from auditor.operations.cli import main
from auditor.network.fetch import Fetcher, combined_ca_bundle
from auditor.network.resolve import ConnectTo, Pin, Resolver, ResolveError, parse_dns_server
from netlab import DnsLab, DualSite, server_context, zone
from servers import free_port_refusing, ipv6_available, page

pytestmark = pytest.mark.timeout(60)
requires_ipv6 = pytest.mark.skipif(not ipv6_available(), reason="::1 cannot be bound on this machine")
FILL = "<p>" + "示例市人民政府门户网站发布政务信息。" * 30 + "</p>"


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


# -- parsing ------------------------------------------------------------------------------
def test_option_parsing():
    assert Pin.parse("www.example.gov.cn:443:[::1],127.0.0.1") == Pin("www.example.gov.cn", 443, ("::1", "127.0.0.1"))
    assert Pin.parse("WWW.Example.gov.cn.:80:192.0.2.1").host == "www.example.gov.cn"
    assert parse_dns_server("[::1]:5353") == ("::1", 5353)
    assert parse_dns_server("2001:db8::53") == ("2001:db8::53", 53)
    assert parse_dns_server("192.0.2.53") == ("192.0.2.53", 53)
    assert ConnectTo.parse("www.example.gov.cn:80::8080") == ConnectTo("www.example.gov.cn", 80, "", 8080)
    assert ConnectTo.parse("::[::1]:81") == ConnectTo("", None, "::1", 81)
    for bad in ("www.example.gov.cn", "h:0:1.2.3.4", "h:80:", "h:80:999.1.1.1"):
        with pytest.raises(ValueError):
            Pin.parse(bad)


@pytest.mark.parametrize("args, fragment", [
    (["--resolve", "www.example.gov.cn"], "--resolve"),
    (["--resolve", "www.example.gov.cn:70000:127.0.0.1"], "out of range"),
    (["--resolve", "www.example.gov.cn:80:localhost"], "not an IP address"),
    (["--dns-server", "1.2.3"], "--dns-server"),
    (["--dns-server", "[::1]:port"], "--dns-server"),
    (["--connect-to", "a:b:c"], "--connect-to"),
    (["--ca-bundle", "/no/such/ca.pem"], "no such file"),
])
def test_bad_network_options_exit_2_with_one_line(args, fragment, capsys, tmp_path):
    assert main(["audit", "http://127.0.0.1:1/", "--out", str(tmp_path / "o"), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gov-audit: error:") and len(err.splitlines()) == 1, err
    assert fragment in err


def test_a_ca_bundle_that_holds_no_certificate_is_refused(capsys, tmp_path):
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate\n", "utf-8")
    assert main(["audit", "http://127.0.0.1:1/", "--out", str(tmp_path / "o"), "--ca-bundle", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "no CA certificate" in err and len(err.splitlines()) == 1


# -- the resolver in the fetcher -------------------------------------------------------------
def test_resolve_pin_wins_over_the_dns_server_and_keeps_the_host_header():
    with DnsLab(zone(www=("v4",))) as dns, DualSite({"/": page("pinned")}, v6_routes=False) as site:
        wrong = free_port_refusing()
        r = Resolver.from_options([f"www.example.gov.cn:{site.port}:127.0.0.1"], dns.address,
                                  [f"www.example.gov.cn:80::{site.port}", f"nope.example.gov.cn:80::{wrong}"])
        f = Fetcher(rate=500, timeout=2, resolver=r)
        try:
            got = f.fetch("http://www.example.gov.cn/")
            gone = f.fetch("http://nope.example.gov.cn/")
        finally:
            f.close()
        asked = dns.queries()
    assert got.ok and b"pinned" in got.body and got.peer == "127.0.0.1"
    assert site.hits()[0].headers["host"] == "www.example.gov.cn"
    assert ("www.example.gov.cn", "A") not in asked  # the pin answered; the DNS server was not asked
    assert gone.error_kind == "dns" and ("nope.example.gov.cn", "A") in asked


@requires_ipv6
def test_forced_ipv6_fetcher_keeps_host_and_sni_and_never_shares_a_pool(ca, ca_file):
    sni: list = []
    ctx = server_context(ca.issue_cert("www.example.gov.cn"), sni_log=sni)
    with DnsLab(zone(www=("v4", "v6"))) as dns, \
            DualSite({"/": page("over IPv4")}, v6_routes={"/": page("over IPv6")}, tls_context=ctx) as site:
        r = Resolver.from_options([], dns.address, [f":443::{site.port}"])
        v4 = Fetcher(rate=500, timeout=2, resolver=r, ca_bundle=ca_file)
        v6 = Fetcher(rate=500, timeout=2, resolver=r, ca_bundle=ca_file, family="v6", limiter=v4.limiter)
        try:
            answers = [(f.fetch("https://www.example.gov.cn/"), fam) for _ in range(3) for f, fam in ((v4, "4"), (v6, "6"))]
        finally:
            v4.close()
            v6.close()
    for got, fam in answers:
        assert got.ok and got.tls_error is None, got
        assert f"over IPv{fam}".encode() in got.body
        assert got.peer == ("127.0.0.1" if fam == "4" else "::1")
    assert set(sni) == {"www.example.gov.cn"}
    assert all(h.headers["host"] == "www.example.gov.cn" for h in site.hits("v6"))


@requires_ipv6
def test_ipv4_first_then_ipv6_when_no_ipv4_address_answers():
    with DnsLab(zone(www=("v4", "v6"))) as dns, DualSite({"/": page("v6 only")}, v4=False) as site:
        r = Resolver.from_options([], dns.address, [f":80::{site.port}"])
        f = Fetcher(rate=500, timeout=2, resolver=r)
        try:
            got = f.fetch("http://www.example.gov.cn/")
        finally:
            f.close()
        asked = dns.queries()
    assert got.ok and got.peer == "::1"
    assert asked.index(("www.example.gov.cn", "A")) < asked.index(("www.example.gov.cn", "AAAA"))


def test_dns_answers_are_cached_for_the_audit():
    with DnsLab(zone(www=("v4",))) as dns:
        r = Resolver.from_options([], dns.address)
        for _ in range(5):
            assert r.addresses("www.example.gov.cn", "v4") == ["127.0.0.1"]
            with pytest.raises(ResolveError):
                r.addresses("missing.example.gov.cn", "v4")
        assert dns.queries().count(("www.example.gov.cn", "A")) == 1
        assert dns.queries().count(("missing.example.gov.cn", "A")) == 1


def test_ca_bundle_adds_to_the_default_cas(ca, ca_file):
    from requests.utils import DEFAULT_CA_BUNDLE_PATH

    path = combined_ca_bundle(ca_file)
    text = open(path, encoding="utf-8").read()
    assert open(DEFAULT_CA_BUNDLE_PATH, encoding="utf-8").read().strip() in text  # the default CAs stay trusted
    assert ca.cert_pem.bytes().decode().strip() in text
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    with DualSite({"/": page("staging")}, tls_context=ctx, v6_routes=False) as site:
        f = Fetcher(rate=500, timeout=2, ca_bundle=ca_file)
        try:
            got = f.fetch(f"https://127.0.0.1:{site.port}/")
        finally:
            f.close()
    assert got.ok and got.tls_error is None


# -- the command line, end to end ------------------------------------------------------------
@requires_ipv6
def test_cli_audit_with_dns_server_connect_to_and_ca_bundle(ca, ca_file, tmp_path, capsys):
    ctx = server_context(ca.issue_cert("www.example.gov.cn"))
    https_routes = {"/": page("示例市人民政府", FILL + "<a href='/a.html'>文章</a>"), "/a.html": page("文章", FILL)}
    from servers import Response

    to_https = {"*": Response("", 301, {"Location": "https://www.example.gov.cn/"})}
    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite(https_routes, tls_context=ctx) as tls, \
            DualSite(to_https) as plain:
        code = main(["audit", "www.example.gov.cn", "--out", str(tmp_path / "out"), "--quiet", "--rate", "500",
                     "--timeout", "2", "--dns-server", dns.address, "--ca-bundle", ca_file,
                     "--connect-to", f":80::{plain.port}", "--connect-to", f":443::{tls.port}",
                     "--only", "ipv6.dns,ipv6.reachable,ipv6.parity,https.*,site.available"])
        v6_hits = tls.hits("v6") + plain.hits("v6")
    assert code == 0, capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    status = {c["id"]: c["status"] for c in report["checks"]}
    assert status["site.available"] == "pass"
    assert status["ipv6.dns"] == status["ipv6.reachable"] == status["ipv6.parity"] == "pass", status
    assert status["https.enabled"] == status["https.redirect"] == status["https.certificate"] == "pass", status
    assert v6_hits  # the IPv6 probes went through the same --dns-server and --connect-to
    reach = next(c for c in report["checks"] if c["id"] == "ipv6.reachable")
    assert [(p["scheme"], p["port"], p["ok"]) for p in reach["details"]["ports"]] == [("http", 80, 10), ("https", 443, 10)]


def test_cli_resolve_pins_the_site_without_any_dns(tmp_path, capsys):
    with DualSite({"/": page("示例市人民政府", FILL)}, v6_routes=False) as site:
        code = main(["audit", f"http://www.example.gov.cn:{site.port}/", "--out", str(tmp_path / "out"),
                     "--quiet", "--rate", "500", "--timeout", "2",
                     "--resolve", f"www.example.gov.cn:{site.port}:127.0.0.1", "--only", "site.available"])
        hits = site.hits("v4", "/")
    assert code == 0, capsys.readouterr().err
    assert hits and hits[0].headers["host"] == f"www.example.gov.cn:{site.port}"
    # The report says where the audit's connections went.
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["crawl"]["options"]["resolve"] == [f"www.example.gov.cn:{site.port}:127.0.0.1"]
