"""gov-audit fleet: many sites at once; one that hangs, refuses or raises never stops the fleet."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from auditor.crawl.browser import unavailable_reason
from auditor.crawl.crawler import CrawlOptions
from auditor.operations.fleet import FleetError, FleetJob, Pacer, SharedLimiter, audit_site, read_sites, run_local
from auditor.network.ratelimit import RateLimiter
from servers import LoopbackSite, RawServer, free_port_refusing, max_in_window, page, silent

ROOT = Path(__file__).resolve().parent.parent
FOOTER = "<div class='footer'>主办单位：示例市人民政府办公室 鲁ICP备12345678号-1</div>"


def _cli(*args, timeout=90):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def _site(i: int, *, footer: bool = True) -> LoopbackSite:
    body = f"<p>{'示例市人民政府门户网站。' * 30}</p><a href='/xwzx/'>新闻中心</a>" + (FOOTER if footer else "")
    return LoopbackSite({"/": page(f"示例{i}市人民政府", body),
                         "/xwzx/": page("新闻中心", "<ul><li><a href='/xwzx/1.html'>要闻</a> 2026-11-01</li></ul>"),
                         "/xwzx/1.html": page("要闻", "<p>正文</p>")}).start()


# -- the sites file ----------------------------------------------------------------------
@pytest.mark.parametrize("content, fragment", [
    (b"", "empty"),
    (b"name,address\n\xe7\xa4\xba\xe4\xbe\x8b,http://x.gov.cn/\n", "'url' column"),
    (b"url,name\n", "no sites"),
    (b"url\nftp://x.gov.cn/\n", ":2: not an http(s)"),
    (b"url,name\n   \n,\nhttp://a.gov.cn/,a\n,only-name\n", ":5: the url is empty"),
    (b"url\nhttp://a.gov.cn/\nhttps://b.gov.cn\nA.GOV.CN\n", ":4: http://a.gov.cn/ is listed twice (first on line 2)"),
    (b"url,profile\nhttp://a.gov.cn/,no-such-profile\n", "sites.csv:2: profile"),
    (b"url,url\nhttp://a.gov.cn/,x\n", "appears twice"),
    (b"url\nhttp://a.gov.cn/,x,y\n", "fields but the header has 1"),
    (b"\xff\xfe\x00\x00\xff", "neither UTF-8 nor GB18030"),
])
def test_bad_sites_file(tmp_path, content, fragment):
    f = tmp_path / "sites.csv"
    f.write_bytes(content)
    with pytest.raises(FleetError) as err:
        read_sites(f)
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_sites_file_forms(tmp_path):
    (tmp_path / "mine.toml").write_text('extends = "city"\n', "utf-8")
    f = tmp_path / "sites.csv"
    # GB18030 as Excel saves it in a Chinese locale, a comment, an extra column, a relative profile.
    f.write_bytes("# 抽查名单\nURL,名称,Name,Profile\nwww.a.gov.cn,x,甲市,mine.toml\n"
                  "https://b.gov.cn:8443/bm/,y,,province\n".encode("gb18030"))
    sites = read_sites(f)
    assert [(s.url, s.name, s.slug, s.line) for s in sites] == [
        ("http://www.a.gov.cn/", "甲市", "www.a.gov.cn", 3), ("https://b.gov.cn:8443/bm/", "", "b.gov.cn-8443-bm", 4)]
    assert sites[0].profile == str((tmp_path / "mine.toml").resolve()) and sites[1].profile == "province"


def test_bad_csv_exits_2_with_one_line(tmp_path):
    f = tmp_path / "sites.csv"
    f.write_text("name\nx\n", "utf-8")
    proc = _cli("fleet", str(f), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and proc.stderr.startswith("gov-audit: error:") and "'url' column" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = _cli("fleet", str(tmp_path / "missing.csv"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert not (tmp_path / "out").exists()


# -- a dozen sites ------------------------------------------------------------------------------
def test_fleet_of_a_dozen_with_a_hanging_and_a_refusing_site(tmp_path):
    sites = [_site(i, footer=i % 3 != 0) for i in range(10)]
    hang = RawServer(silent).start()  # accepts, reads, never answers
    refusing = f"http://127.0.0.1:{free_port_refusing()}/"
    csv_file = tmp_path / "sites.csv"
    rows = ["url,name"] + [f"{s.url},示例{i}市" for i, s in enumerate(sites)]
    rows[4:4] = [f"{hang.url},挂起的网站", f"{refusing},拒绝连接的网站"]
    csv_file.write_text("\n".join(rows) + "\n", "utf-8")
    out = tmp_path / "fleet"
    try:
        # The security family re-requests pages as search-engine crawlers (dozens of requests a
        # site, all inside the fleet-wide 20 a second): left out here, where the fleet is tested.
        proc = _cli("fleet", str(csv_file), "--out", str(out), "--workers", "6", "--rate", "20", "--host-rate", "100",
                    "--timeout", "1", "--site-budget", "90", "--history", str(tmp_path / "h.db"), "--as-of", "2026-11-20",
                    "--skip", "security.*", "--skip", "content.*", timeout=600)  # a hang guard only
        times = sorted(h.at for s in sites for h in s.hits())
    finally:
        for s in sites:
            s.stop()
        hang.stop()
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == 12 and lines[-1].startswith("[12/12]")
    assert "12 sites, 10 audited" in proc.stdout and "2 could not be audited" in proc.stdout
    assert "挂起的网站: unreachable" in proc.stderr and "拒绝连接的网站: unreachable: connection refused" in proc.stderr
    # The fleet-wide cap held, measured on the servers' side: 20 requests a second at most.
    assert len(times) >= 40
    assert max_in_window(times, 1.0) <= 20, max_in_window(times, 1.0)
    summary = json.loads((out / "fleet.json").read_text("utf-8"))
    assert summary["sites"] == 12 and summary["audited"] == 10 and summary["failed"] == 2
    assert summary["states"] == {"audited": 10, "unreachable": 2}
    ranking = summary["ranking"]
    assert [x["rank"] for x in ranking[:10]] == list(range(1, 11))
    assert {x["name"] for x in ranking[10:]} == {"挂起的网站", "拒绝连接的网站"}
    scores = [x["score"] for x in ranking[:10]]
    assert scores == sorted(scores, reverse=True)
    hung = [x for x in ranking if x["name"] == "挂起的网站"][0]
    assert hung["state"] == "unreachable", hung  # given up on after its timeouts, not waited for
    # One scorecard per site (the unreachable ones too: their report says why).
    for s in read_sites(csv_file):
        assert (out / s.slug / "scorecard.html").is_file() and (out / s.slug / "report.json").is_file()
    # Each site was rendered as 'audit' renders it (--render auto by default); the browser is
    # handed the crawl's own answer for the homepage, so these plain pages cost it no request.
    first = json.loads((out / read_sites(csv_file)[0].slug / "report.json").read_text("utf-8"))
    assert first["crawl"]["render"]["mode"] == "auto"
    if unavailable_reason() is None:
        assert first["crawl"]["render"]["pages"][0]["why"] == ["homepage"]
    # Shared findings: the footer is missing on 4 of the 10 sites.
    icp = [f for f in summary["shared_findings"] if f["id"] == "identity.icp"]
    assert icp and len(icp[0]["fail"]) == 4
    cats = {c["id"]: c for c in summary["categories"]}
    assert cats["identity"]["sites_failing"] >= 4 and 0 < cats["identity"]["pass_rate"] < 1
    html = (out / "index.html").read_text("utf-8")
    assert "<script" not in html and "网站排名" in html and "共性问题" in html and "分类通过率" in html
    assert "无法访问" in html and "挂起的网站" in html
    # Every run went into the history store.
    import sqlite3

    with sqlite3.connect(tmp_path / "h.db") as db:
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 12


# -- budgets, crashes, pacing ---------------------------------------------------------------------
def fleet_test_audit(site: dict, job: dict, pacer=None) -> dict:
    """audit_fn for run_local (imported by name in the worker processes)."""
    if site["name"] == "hangs-forever":
        time.sleep(120)
    if site["name"] == "raises":
        raise RuntimeError("boom in the audit")
    return audit_site(site, job, pacer)


def test_run_local_kills_an_audit_past_its_budget_and_survives_a_crash(tmp_path):
    from auditor.operations.fleet import SiteSpec

    sites = [_site(i) for i in range(2)]
    first_url = sites[0].url
    try:
        specs = [SiteSpec(sites[0].url, "ok-1", slug="a"), SiteSpec("http://127.0.0.1:9/", "hangs-forever", slug="b"),
                 SiteSpec("http://127.0.0.1:7/", "raises", slug="c"), SiteSpec(sites[1].url, "ok-2", slug="d")]
        job = FleetJob(crawl=asdict(CrawlOptions(rate=200, timeout=2)), site_budget=5, grace=0.5, total_rate=None)
        seen = []
        outcomes = run_local(specs, job, workers=4, on_done=seen.append, audit_fn=fleet_test_audit)
    finally:
        for s in sites:
            s.stop()
    states = {o.site.name: o for o in outcomes}
    assert [o.site.name for o in outcomes] == ["ok-1", "hangs-forever", "raises", "ok-2"]  # CSV order
    assert states["ok-1"].state == "audited" and states["ok-2"].state == "audited"
    assert states["ok-1"].report["site"]["url"] == first_url
    assert states["hangs-forever"].state == "timeout" and "site budget of 5 s" in states["hangs-forever"].reason
    assert states["hangs-forever"].duration >= 5, states["hangs-forever"].duration  # killed at its budget, not before
    assert states["raises"].state == "error" and "RuntimeError: boom in the audit" in states["raises"].reason
    assert seen[-1].site.name == "hangs-forever" and len(seen) == 4


def test_pacer_keeps_per_host_and_total_spacing(monkeypatch):
    # The slots the pacer books, read on a clock of our own: what is tested is the schedule, not
    # how promptly a loaded machine wakes the threads that wait for it.
    import auditor.operations.fleet as fleet_module

    clock = [1000.0]
    monkeypatch.setattr(fleet_module.time, "monotonic", lambda: clock[0])
    pacer = Pacer(total_rate=20)
    slots: list[tuple[str, float]] = []
    for step in range(5):
        for host in ("a", "a", "b", "c"):
            slots.append((host, clock[0] + pacer.reserve(host, 0.2)))
        clock[0] += 0.01 * step  # callers come back at uneven times
    all_slots = sorted(t for _, t in slots)
    assert min(b - a for a, b in zip(all_slots, all_slots[1:])) >= pacer.global_interval >= 0.05
    a_slots = sorted(t for h, t in slots if h == "a")
    assert min(b - a for a, b in zip(a_slots, a_slots[1:])) >= 0.2
    assert pacer.count() == 20


def test_shared_limiter_stops_and_survives_a_lost_pacer():
    class Gone:
        def reserve(self, host, interval):
            raise ConnectionError("manager went away")

    class Slow:
        def reserve(self, host, interval):
            return 5.0

    inner = RateLimiter(100)
    lim = SharedLimiter(inner, Gone())
    assert lim.wait("h") is True and lim.broken.startswith("ConnectionError")
    assert lim.interval("h") == inner.interval("h")  # everything else is the audit's own limiter
    stop = threading.Event()
    threading.Timer(0.1, stop.set).start()
    t0 = time.monotonic()
    assert SharedLimiter(inner, Slow()).wait("h", stop) is False
    assert time.monotonic() - t0 < 2


def test_fleet_takes_the_audits_network_options(tmp_path):
    """Two sites named in the CSV by names no DNS knows, pinned to loopback with --resolve (an
    intranet fleet behind its own resolver): both are audited, not 'unreachable'."""
    sites = [_site(i) for i in range(2)]
    ports = [s.port for s in sites]
    try:
        csv_file = tmp_path / "sites.csv"
        names = [f"www.s{i}.example.gov.cn" for i in range(2)]
        csv_file.write_text("url,name\n" + "".join(f"http://{n}:{s.port}/,示例{i}市\n"
                                                    for i, (n, s) in enumerate(zip(names, sites))), "utf-8")
        pins = [a for n, s in zip(names, sites) for a in ("--resolve", f"{n}:{s.port}:127.0.0.1")]
        proc = _cli("fleet", str(csv_file), "--out", str(tmp_path / "fleet"), "--workers", "2", "--timeout", "2",
                    "--render", "never", "--only", "site.available", *pins)
        hosts = [s.hits("/")[0].headers["host"] for s in sites]
    finally:
        for s in sites:
            s.stop()
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((tmp_path / "fleet" / "fleet.json").read_text("utf-8"))
    assert summary["states"] == {"audited": 2}, summary["states"]
    assert hosts == [f"{n}:{p}" for n, p in zip(names, ports)]
