"""Sites that cannot be reached: the fetcher reports, the crawler records, the CLI explains."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.network.fetch import Fetcher
from servers import LoopbackSite, free_port_refusing, page

ROOT = Path(__file__).resolve().parent.parent
DNS_FAIL = "http://nonexistent.invalid/"  # RFC 2606: never resolves, no network needed


def run_cli(*args, timeout=30):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


@pytest.fixture
def fetcher():
    f = Fetcher(rate=500, timeout=2)
    yield f
    f.close()


@pytest.mark.timeout(10)
def test_connection_refused_is_data_not_an_exception(fetcher):
    f = fetcher.fetch(f"http://127.0.0.1:{free_port_refusing()}/")
    assert f.error_kind == "connect" and f.error == "connection refused"
    assert f.status is None and not f.ok


@pytest.mark.timeout(10)
def test_dns_failure_is_data_not_an_exception(fetcher):
    f = fetcher.fetch(DNS_FAIL)
    assert f.error_kind == "dns" and f.error == "DNS lookup failed"
    head = fetcher.fetch(DNS_FAIL + "a.pdf", method="HEAD", want_body=False)
    assert head.error_kind == "dns"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("url", ["refused", DNS_FAIL])
def test_crawl_of_an_unreachable_site_ends_quickly_with_the_reason(url):
    if url == "refused":
        url = f"http://127.0.0.1:{free_port_refusing()}/"
    t0 = time.monotonic()
    snap = Crawler(CrawlOptions(rate=5, timeout=2)).run(url)
    assert time.monotonic() - t0 < 3
    assert snap.robots["state"] == "unreachable"
    home = snap.start_page
    assert home is not None and home.kind == "error"
    assert home.fetch.error_kind == ("dns" if "invalid" in url else "connect")
    assert not snap.partial and len(snap.pages) == 1


@pytest.mark.timeout(10)
def test_dead_links_to_unreachable_hosts_are_told_apart():
    refused = f"http://127.0.0.1:{free_port_refusing()}/x.html"
    body = f"<a href='{refused}'>关停</a><a href='http://gone.invalid/y.html'>失效域名</a>"
    with LoopbackSite({"/": page("首页", body)}) as s:
        snap = Crawler(CrawlOptions(rate=500, timeout=2)).run(s.url)
    assert snap.link_checks[refused].error_kind == "connect"
    assert snap.link_checks["http://gone.invalid/y.html"].error_kind == "dns"


def _one_line_exit_2(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("gov-audit:"), err
    return err


@pytest.mark.timeout(40)
def test_cli_connection_refused_exits_2_with_one_line(tmp_path):
    url = f"http://127.0.0.1:{free_port_refusing()}/"
    proc = run_cli("audit", url, "--out", str(tmp_path), "--quiet")
    err = _one_line_exit_2(proc)
    assert "connection refused" in err
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))["site"]["url"] == url


@pytest.mark.timeout(40)
def test_cli_dns_failure_exits_2_with_one_line(tmp_path):
    proc = run_cli("audit", DNS_FAIL, "--out", str(tmp_path))
    err = _one_line_exit_2(proc)
    assert "DNS lookup failed" in err and "nonexistent.invalid" in err


def test_unreachable_external_host_is_asked_once(site):
    """Every link to a host that refuses is recorded as dead, but the host is tried once."""
    from auditor.crawl.crawler import CrawlOptions, Crawler
    from servers import free_port_refusing, page

    port = free_port_refusing()
    links = "".join(f'<a href="http://127.0.0.1:{port}/p{i}.html">外链{i}</a>' for i in range(6))
    site.routes["/"] = page("示例", links)
    snap = Crawler(CrawlOptions(rate=500)).run(site.url)
    checks = [snap.link_checks[f"http://127.0.0.1:{port}/p{i}.html"] for i in range(6)]
    assert all(c.error_kind == "connect" for c in checks)
    assert all(c.url.endswith(f"/p{i}.html") for i, c in enumerate(checks))
    assert snap.stats["requests"] <= 2 + 2 + 4  # robots, homepage, and a few racing first attempts
