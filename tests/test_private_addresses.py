"""Requests the operator did not ask for (issue 15 item 11): links, redirects and resources that
lead to private, loopback, link-local, CGNAT or metadata addresses are refused at connect time,
before any packet is sent, unless the audited site itself lives there or --allow-private is given.

The audited site is on 127.0.0.1 under a pinned name. Another name is pinned to 127.0.0.2 — a
real server listens there and must see nothing — and others to 10.x and 169.254.169.254: for
those, a guard around urllib3's create_connection fails the test (and sends nothing) if a
connection is ever attempted.
"""
from __future__ import annotations

import json

import pytest
import urllib3.util.connection

from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.network.fetch import Fetcher
from auditor.network.resolve import AddressPolicy, Resolver, is_private_address
from auditor.operations.cli import main
from servers import LoopbackSite, Response, page

pytestmark = pytest.mark.timeout(60)
FILL = "<p>" + "示例市人民政府门户网站发布政务信息。" * 30 + "</p>"


@pytest.mark.parametrize("addr", [
    "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "127.0.0.2", "169.254.169.254",
    "100.100.100.200", "100.64.0.1", "0.0.0.0", "::1", "::", "fc00::1", "fd00:ec2::254", "fe80::1",
    "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:a00:1::1"])
def test_private_addresses(addr):
    assert is_private_address(addr)


@pytest.mark.parametrize("addr", ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2400:3200::1", "::ffff:8.8.8.8",
                                  "not-an-address"])
def test_public_addresses(addr):
    assert not is_private_address(addr)


@pytest.fixture
def no_connection_beyond(monkeypatch):
    """Fail (without connecting) any connection attempt to an address other than the allowed ones;
    record every attempt."""
    attempts: list[str] = []
    allowed = {"127.0.0.1"}
    real = urllib3.util.connection.create_connection

    def guarded(address, *args, **kwargs):
        attempts.append(address[0])
        if address[0] not in allowed:
            raise OSError(f"test guard: a connection to {address[0]} was attempted")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", guarded)
    return attempts, allowed


def _sites():
    inner = LoopbackSite({"*": page("内网", "secret")}, host="127.0.0.2").start()
    site = LoopbackSite().start()
    site.routes.update({
        "/": page("示例市人民政府", FILL
                  + f"<a href='http://intranet.test:{inner.port}/admin'>内网</a>"
                  + "<a href='http://metadata.test/latest/meta-data/'>元数据</a>"
                  + "<a href='http://169.254.169.254/latest/'>字面地址</a>"
                  + "<a href='/go'>跳转</a>"
                  + f"<a href='http://mirror.test:{site.port}/a.html'>同址别名</a>"
                  + "<a href='/a.html'>文章</a>"),
        "/a.html": page("文章", FILL),
        "/go": Response("", 302, {"Location": f"http://intranet.test:{inner.port}/redirected"}),
    })
    pins = (f"www.site.test:{site.port}:127.0.0.1", f"mirror.test:{site.port}:127.0.0.1",
            f"intranet.test:{inner.port}:127.0.0.2", "metadata.test:80:10.20.30.40")
    return site, inner, pins


def test_links_and_redirects_to_private_addresses_are_refused_before_connecting(no_connection_beyond):
    attempts, _ = no_connection_beyond
    site, inner, pins = _sites()
    try:
        crawler = Crawler(CrawlOptions(rate=500, timeout=2, resolve=pins, max_pages=10))
        snap = crawler.run(f"http://www.site.test:{site.port}/")
    finally:
        site.stop()
        inner.stop()
    assert inner.log == []  # the server on 127.0.0.2 never saw a request
    assert set(attempts) == {"127.0.0.1"}, attempts  # no attempt to 127.0.0.2, 10.x or 169.254.x
    checks = {u: f for u, f in snap.link_checks.items()}
    refused = [u for u, f in checks.items() if f.error_kind == "private-address"]
    assert any("intranet.test" in u for u in refused)
    assert any("metadata.test" in u for u in refused)
    assert any("169.254.169.254" in u for u in refused)
    go = next(p.fetch for u, p in snap.pages.items() if u.endswith("/go"))
    assert go.error_kind == "private-address" and go.error == "not requested: private address"
    # Another name on the site's own address is the site's: allowed.
    mirror = next(f for u, f in checks.items() if "mirror.test" in u)
    assert mirror.error_kind is None and mirror.status == 200
    summary = snap.stats["private_refused"]
    assert summary["count"] >= 3
    assert any("10.20.30.40" in s for s in summary["sample"])


def test_allow_private_requests_them(no_connection_beyond):
    attempts, allowed = no_connection_beyond
    allowed.add("127.0.0.2")
    site, inner, pins = _sites()
    try:
        crawler = Crawler(CrawlOptions(rate=500, timeout=2, resolve=pins, max_pages=10, allow_private=True))
        crawler.run(f"http://www.site.test:{site.port}/")
    finally:
        site.stop()
        inner.stop()
    assert any(h.path in ("/admin", "/redirected") for h in inner.log)
    # 10.x was attempted (and stopped by the guard, not by the auditor).
    assert "10.20.30.40" in attempts


def test_the_check_is_made_on_the_connected_address_dns_rebinding(no_connection_beyond):
    """The policy judges the address handed to connect, not an earlier answer: a name whose
    answer turns private between two requests is refused on the second."""
    attempts, _ = no_connection_beyond
    with LoopbackSite({"*": page("公开", "ok")}) as site:
        policy = AddressPolicy()
        policy.add_site("http://www.public.test/")  # the audited site: on a public address
        resolver = Resolver.from_options([f"www.public.test:80:203.0.113.7"])
        fetcher = Fetcher(rate=500, timeout=2, resolver=resolver, address_policy=policy)
        # The rebinding name's answer changes from public to private between lookups.
        resolver.pins[("rebind.test", site.port)] = ("8.8.8.8",)
        first = fetcher.fetch(f"http://rebind.test:{site.port}/")
        resolver.pins[("rebind.test", site.port)] = ("127.0.0.1",)
        fetcher.session.close()  # a new connection, as after the pooled one closed
        second = fetcher.fetch(f"http://rebind.test:{site.port}/")
        fetcher.close()
    assert first.error_kind == "connect"  # the guard stopped 8.8.8.8: the auditor allowed it
    assert second.error_kind == "private-address"
    assert attempts == ["8.8.8.8"] and site.log == []


def test_the_report_and_scorecard_show_what_was_not_requested(tmp_path, capsys, no_connection_beyond):
    site, inner, pins = _sites()
    try:
        code = main(["audit", f"http://www.site.test:{site.port}/", "--out", str(tmp_path / "out"), "--quiet",
                     "--rate", "500", "--timeout", "2", "--render", "never", "--only", "links.homepage",
                     *[x for p in pins for x in ("--resolve", p)]])
    finally:
        site.stop()
        inner.stop()
    assert code in (0, 1), capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["crawl"]["private_refused"]["count"] >= 3
    links = next(c for c in report["checks"] if c["id"] == "links.homepage")
    # Refused links are "not checked", never "dead".
    assert not any("intranet.test" in d["url"] or "metadata.test" in d["url"]
                   for d in links["details"].get("dead_links", []))
    assert "not requested: private address" in links["details"]["unchecked_reasons"]
    html = (tmp_path / "out" / "scorecard.html").read_text("utf-8")
    assert "未请求（指向内网等私有地址）" in html and "10.20.30.40" in html
    assert inner.log == []


def test_the_browser_obeys_the_same_rule(tmp_path, capsys, no_connection_beyond):
    """A script on the page asks for an intranet URL: the browser's request goes through the
    crawl's fetcher and is refused there, before any connection."""
    from auditor.crawl.browser import unavailable_reason

    if unavailable_reason() is not None:
        pytest.skip(f"needs a browser: {unavailable_reason()}")
    inner = LoopbackSite({"*": page("内网", "secret")}, host="127.0.0.2").start()
    site = LoopbackSite().start()
    script = (f"<div id='x'></div><script>fetch('http://intranet.test:{inner.port}/api')"
              ".then(function (r) { return r.text(); }).then(function (t) { document.getElementById('x').textContent = t; })"
              ".catch(function () { document.getElementById('x').textContent = 'refused'; });</script>")
    site.routes.update({"/": page("示例市人民政府", FILL + script)})
    try:
        code = main(["audit", f"http://www.site.test:{site.port}/", "--out", str(tmp_path / "out"), "--quiet",
                     "--rate", "500", "--timeout", "3", "--render", "always", "--only", "site.available",
                     "--resolve", f"www.site.test:{site.port}:127.0.0.1",
                     "--resolve", f"intranet.test:{inner.port}:127.0.0.2"])
    finally:
        site.stop()
        inner.stop()
    assert code in (0, 1), capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["crawl"]["render"]["mode"] == "always"
    assert inner.log == [] and "127.0.0.2" not in no_connection_beyond[0]
    assert any("intranet.test" in s for s in report["crawl"]["private_refused"]["sample"])
