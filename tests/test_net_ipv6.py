"""ipv6.dns, ipv6.ns, ipv6.reachable, ipv6.parity, ipv6.links against a real DNS server
(dnslib) and real HTTP servers on 127.0.0.1 and [::1]; no mocks of the network."""
from __future__ import annotations

import pytest

from netlab import DnsLab, DualSite, audit, profile_file, result, zone
from servers import ipv6_available, page

pytestmark = [pytest.mark.skipif(not ipv6_available(), reason="::1 cannot be bound on this machine"),
              pytest.mark.timeout(60)]

URL = "http://www.example.gov.cn/"
FILL = "<p>" + "示例市人民政府门户网站发布政务信息。" * 30 + "</p>"


def home(links: str = "", extra: str = "") -> str:
    return page("示例市人民政府", FILL + links + extra)


def site_routes(links: str = "", extra: str = "") -> dict:
    return {"/": home(links, extra), **{f"/p{i}.html": page(f"栏目{i}", FILL + "<a href='/a.html'>文章</a>")
                                        for i in range(4)},
            "/a.html": page("文章", FILL)}


LINKS = "".join(f"<a href='/p{i}.html'>栏目{i}</a>" for i in range(4))


@pytest.fixture
def quick(tmp_path):
    """A profile with 3 probes per port (the default is 10)."""
    return profile_file(tmp_path, '[checks."ipv6.reachable"]\nprobes = 3\n')


# -- dual-stack site: every IPv6 check passes ----------------------------------------------
def test_dual_stack_site_passes_every_ipv6_check(quick):
    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite(site_routes(LINKS)) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.*"])
        v6_hits = http.hits("v6")
    for cid in ("ipv6.dns", "ipv6.ns", "ipv6.reachable", "ipv6.parity", "ipv6.links"):
        r = result(out, cid)
        assert r["status"] == "pass", (cid, r["summary"], r["details"])
    reach = result(out, "ipv6.reachable")["details"]
    assert reach["success_ratio"] == 1.0
    assert [(p["scheme"], p["port"], p["ok"], p["total"]) for p in reach["ports"]] == [("http", 80, 3, 3)]
    # The IPv6 requests kept the site's name in the Host header.
    assert v6_hits and all(h.headers["host"] == "www.example.gov.cn" for h in v6_hits)
    links = result(out, "ipv6.links")["details"]
    assert (links["level2_ok"], links["level2_counted"]) == (4, 4)
    assert (links["level3_ok"], links["level3_counted"]) == (1, 1)
    dns_ev = result(out, "ipv6.dns")
    assert "::1" in " ".join(e["excerpt"] for e in dns_ev["evidence"])


def test_cname_chain_is_followed_to_the_aaaa_record(quick):
    records = zone(www="cname:edge-cdn.example.gov.cn", edge_cdn=("v4", "v6"))
    with DnsLab(records, v6=True) as dns, DualSite(site_routes()) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.dns"])
    r = result(out, "ipv6.dns")
    assert r["status"] == "pass", r["summary"]
    assert "www.example.gov.cn → edge-cdn.example.gov.cn" in r["evidence"][0]["excerpt"]


# -- IPv4-only site -------------------------------------------------------------------------
def test_ipv4_only_site_fails_dns_reachable_and_links_and_parity_is_na(quick):
    with DnsLab(zone(www=("v4",), ns_v6=0)) as dns, DualSite(site_routes(LINKS), v6_routes=False) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.*"])
        assert not http.hits("v6")
    statuses = {cid: result(out, cid)["status"] for cid in
                ("ipv6.dns", "ipv6.ns", "ipv6.reachable", "ipv6.parity", "ipv6.links")}
    assert statuses == {"ipv6.dns": "fail", "ipv6.ns": "fail", "ipv6.reachable": "fail",
                        "ipv6.parity": "na", "ipv6.links": "fail"}, statuses
    assert "AAAA" in result(out, "ipv6.dns")["summary"]["en"]
    links = result(out, "ipv6.links")["details"]
    assert links["level2_rate"] == 0 and links["level2_counted"] == 4
    assert all("no AAAA" in f["reason"] for f in links["failing"])
    assert not any(r["status"] == "error" for r in out.report["checks"])


def test_non_global_aaaa_fails_when_the_profile_does_not_accept_it(tmp_path):
    strict = profile_file(tmp_path, '[checks."ipv6.dns"]\nallow_non_global = "no"\n')
    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite(site_routes()) as http:
        out = audit(URL, dns, http=http, profile=strict, only=["ipv6.dns"])
    r = result(out, "ipv6.dns")
    assert r["status"] == "fail" and "not global" in r["summary"]["en"]


# -- name servers -----------------------------------------------------------------------------
def test_only_one_name_server_with_ipv6_fails_ns(quick):
    with DnsLab(zone(www=("v4", "v6"), ns_v6=1), v6=True) as dns, DualSite(site_routes()) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.ns"])
    r = result(out, "ipv6.ns")
    assert r["status"] == "fail" and "only 1 of the 2" in r["summary"]["en"]


def test_name_servers_refusing_over_ipv6_fail_ns(quick):
    with DnsLab(zone(www=("v4", "v6")), v6=True, v6_refuse=True) as dns, DualSite(site_routes()) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.ns"])
        asked = dns.v6_queries()
    r = result(out, "ipv6.ns")
    assert r["status"] == "fail" and "does not answer DNS over IPv6" in r["summary"]["en"]
    assert ("example.gov.cn", "SOA") in asked  # really asked over [::1]


def test_name_servers_silent_over_ipv6_fail_ns(quick):
    with DnsLab(zone(www=("v4", "v6"))) as dns, DualSite(site_routes()) as http:  # nothing on [::1]
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.ns"], timeout=1)
    r = result(out, "ipv6.ns")
    assert r["status"] == "fail", r["summary"]


# -- AAAA but unreachable ---------------------------------------------------------------------
def test_aaaa_but_nothing_listening_over_ipv6_fails_reachable_parity_and_links(quick):
    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite(site_routes(LINKS), v6_routes=False) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.*"])
    assert result(out, "ipv6.dns")["status"] == "pass"
    reach = result(out, "ipv6.reachable")
    assert reach["status"] == "fail", reach["summary"]
    assert reach["details"]["ports"][0]["ok"] == 0 and reach["details"]["ports"][0]["total"] == 3
    assert result(out, "ipv6.parity")["status"] == "fail"
    links = result(out, "ipv6.links")
    assert links["status"] == "fail"
    # The port that refused its homepage probes is not asked again for each link.
    assert all("does not answer over IPv6" in f["reason"] for f in links["details"]["failing"]), links["details"]


def test_probe_count_and_success_ratio_per_port(tmp_path):
    prof = profile_file(tmp_path, '[checks."ipv6.reachable"]\nprobes = 5\n')
    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite(site_routes()) as http:
        out = audit(URL, dns, http=http, profile=prof, only=["ipv6.reachable"])
        v6_home = [h for h in http.hits("v6", "/")]
    r = result(out, "ipv6.reachable")
    assert r["status"] == "pass"
    # five probes, and one more request for the IPv4/IPv6 comparison (ipv6.parity)
    assert r["details"]["ports"][0]["total"] == 5 and len(v6_home) == 5 + 1
    assert "5/5" in r["evidence"][0]["excerpt"]


def test_intermittent_ipv6_answers_fail_the_success_ratio(quick):
    state = {"n": 0}

    def flaky(handler):
        from servers import Response

        state["n"] += 1
        return Response(home(), 200) if state["n"] % 2 else Response("busy", 502)

    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, \
            DualSite(site_routes(), v6_routes={"/": flaky}) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.reachable"])
    r = result(out, "ipv6.reachable")
    assert r["status"] == "fail", r["summary"]
    assert 0 < r["details"]["success_ratio"] < 0.9


# -- IPv6 serves other content ----------------------------------------------------------------
def test_ipv6_placeholder_fails_parity(quick):
    placeholder = {"/": page("IPv6 建设中", "<h1>本站 IPv6 版本建设中，敬请期待</h1>")}
    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite(site_routes(LINKS), v6_routes=placeholder) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.parity", "ipv6.reachable"])
    r = result(out, "ipv6.parity")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["similarity"] < 0.5
    assert r["details"]["titles"] == ["示例市人民政府", "IPv6 建设中"]
    assert result(out, "ipv6.reachable")["status"] == "pass"  # it answers; it is not the same site


def test_ipv6_error_page_fails_parity(quick):
    from servers import Response

    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, \
            DualSite(site_routes(), v6_routes={"/": Response("<h1>502 Bad Gateway</h1>", 502)}) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.parity"])
    r = result(out, "ipv6.parity")
    assert r["status"] == "fail" and "502" in r["summary"]["en"]


def test_parity_tolerates_nonces_and_small_dynamic_changes(quick):
    import itertools

    counter = itertools.count()

    def dynamic(handler):
        from servers import Response

        n = next(counter)
        return Response(page("示例市人民政府", FILL + f"<script nonce='r{n}x'>var t={n};</script>"
                             f"<input type='hidden' name='__VIEWSTATE' value='{n * 7919}'>访问量 {n}"))

    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite({"/": dynamic}) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.parity"])
    r = result(out, "ipv6.parity")
    assert r["status"] == "pass", r["summary"]
    assert 0.9 <= r["details"]["similarity"] < 1.0


# -- links to IPv4-only hosts and IPv6 天窗 ------------------------------------------------------
def test_links_to_ipv4_only_hosts_lower_the_rate(quick):
    links = LINKS + "".join(f"<a href='http://v4only{i}.example.gov.cn/'>子站{i}</a>" for i in range(2)) \
        + "<a href='http://www.other.gov.cn/'>外部网站</a>"
    records = {**zone(www=("v4", "v6"), v4only0=("v4",), v4only1=("v4",)),
               **zone("other.gov.cn", www=("v4",))}
    with DnsLab(records, v6=True) as dns, DualSite(site_routes(links)) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.links"])
    r = result(out, "ipv6.links")
    d = r["details"]
    assert r["status"] == "fail", r["summary"]
    assert (d["level2_ok"], d["level2_counted"]) == (4, 6)  # www.other.gov.cn is not a 内链
    failing = {f["url"] for f in d["failing"]}
    assert failing == {"http://v4only0.example.gov.cn/", "http://v4only1.example.gov.cn/"}
    assert any("v4only0.example.gov.cn" in e["url"] for e in r["evidence"])


def test_pages_pulling_ipv4_only_resources_warn(quick):
    extra = "<img src='http://img.example.gov.cn/banner.png'><script src='http://cdn.v4only.com/x.js'></script>"
    records = {**zone(www=("v4", "v6"), img=("v4",)), **zone("v4only.com", cdn=("v4",))}
    with DnsLab(records, v6=True) as dns, DualSite(site_routes(LINKS, extra)) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.links"])
    r = result(out, "ipv6.links")
    assert r["status"] == "warn", r["summary"]
    sky = r["details"]["skylights"]
    assert len(sky) == 1 and sky[0]["page"] == URL
    assert {x["host"] for x in sky[0]["resources"]} == {"img.example.gov.cn", "cdn.v4only.com"}


def test_link_thresholds_come_from_the_profile(tmp_path):
    lenient = profile_file(tmp_path, '[checks."ipv6.links"]\nlevel2_pass = 0.5\nlevel3_pass = 0.5\n'
                                     '[checks."ipv6.reachable"]\nprobes = 1\n')
    links = LINKS + "<a href='http://v4only.example.gov.cn/'>子站</a>"
    with DnsLab(zone(www=("v4", "v6"), v4only=("v4",)), v6=True) as dns, DualSite(site_routes(links)) as http:
        out = audit(URL, dns, http=http, profile=lenient, only=["ipv6.links"])
    r = result(out, "ipv6.links")
    assert r["status"] == "pass" and r["details"]["level2_pass"] == 0.5
    assert r["details"]["level2_rate"] == pytest.approx(0.8)


# -- not applicable / unknown ------------------------------------------------------------------
def test_site_audited_by_ipv4_address_is_not_applicable(audit_site):
    out = audit_site({"/": home(LINKS)}, only=["ipv6.*"])
    for cid in ("ipv6.dns", "ipv6.ns", "ipv6.reachable", "ipv6.parity", "ipv6.links"):
        assert result(out, cid)["status"] == "na", cid


def test_unreachable_dns_server_makes_dns_checks_unknown(quick):
    """--resolve pins the site (the crawl works); the DNS server asked for records is gone."""
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from servers import free_port_refusing

    with DualSite(site_routes()) as http:
        opts = CrawlOptions(rate=500, timeout=0.5, dns_server=f"127.0.0.1:{free_port_refusing()}",
                            resolve=(f"www.example.gov.cn:{http.port}:127.0.0.1",),  # as curl: after --connect-to
                            connect_to=(f":80::{http.port}", f":443::{free_port_refusing()}"))
        out = run_audit(URL, AuditConfig(crawl=opts, profile=quick, only=["ipv6.dns", "ipv6.ns"]), None)
    assert out.snapshot.homepage.ok
    for cid in ("ipv6.dns", "ipv6.ns"):
        r = result(out, cid)
        assert r["status"] == "unknown", (cid, r["summary"])


def test_no_route_to_the_ipv6_address_from_this_machine_is_unknown_not_fail(quick):
    """An auditor that cannot route to the AAAA address judges nothing (it would blame the
    site for its own network). fe80::1 without a scope has no usable route anywhere."""
    records = zone(www=("v4",))
    records["www.example.gov.cn"].append(("AAAA", "fe80::1"))
    with DnsLab(records, v6=True) as dns, DualSite(site_routes(LINKS)) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.reachable", "ipv6.parity", "ipv6.links"])
    for cid in ("ipv6.reachable", "ipv6.parity", "ipv6.links"):
        r = result(out, cid)
        assert r["status"] == "unknown" and "IPv6 route" in r["summary"]["en"], (cid, r["summary"])


def test_a_homepage_that_changes_on_every_load_is_not_blamed_on_ipv6(quick):
    import itertools

    counter = itertools.count()

    def rotating(handler):
        from servers import Response

        n = next(counter)
        items = "".join(f"<li><a href='/n/{n}-{i}.html'>第{n}期要闻{i}：{'示例' * (i % 5 + 1)}</a></li>" for i in range(60))
        return Response(page("示例市人民政府", f"<ul>{items}</ul>"))

    with DnsLab(zone(www=("v4", "v6")), v6=True) as dns, DualSite({"/": rotating}) as http:
        out = audit(URL, dns, http=http, profile=quick, only=["ipv6.parity"])
    r = result(out, "ipv6.parity")
    assert r["status"] == "pass", (r["summary"], r["details"]["similarity"], r["details"]["baseline_similarity"])
    assert r["details"]["similarity"] < 0.9 and r["details"]["baseline_similarity"] < 0.9
