#!/usr/bin/env python3
"""Where the browser's time goes in one audit: timings of each browser step, in-process.

    python3 benchmarks/profile_browser.py                 # the bundled demo site
    python3 benchmarks/profile_browser.py --url http://127.0.0.1:PORT/ --pages 2000

Runs ``run_audit`` with ``--render auto`` in this process, wrapping the renderer's steps
(chromium's launch, each render job, the phone view, each axe-core run, each job of the
``visibility`` gatherer) with timers, and counting the browser's subresource requests by
type and by what was done with them (fetched, served from the crawl, refused). Prints a
timeline (seconds from the audit's start) and the totals. The figures are wall times on a
shared machine, so compare runs of one session; CPU is measured by browser_cost.py.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import os
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="timeline of the browser's work in one audit")
    p.add_argument("--url", default=None, help="audit this URL (default: the bundled demo site)")
    p.add_argument("--pages", type=int, default=300)
    args = p.parse_args(argv)

    from auditor.crawl.browser import renderer as rmod
    from auditor.crawl.browser import chromium
    from auditor.crawl.crawler import CrawlOptions
    from auditor.operations.audit import AuditConfig, run_audit

    t0 = time.perf_counter()
    events: list[tuple[float, float, str, float]] = []  # (at, wall s, step, browser CPU s)
    routes = collections.Counter()

    import psutil

    me = psutil.Process()
    live_cpu: dict[int, float] = {}

    def browser_cpu() -> float:
        """CPU seconds of the processes this one started (the node driver, chromium's), so far;
        a process that ended keeps its last reading."""
        for proc in me.children(recursive=True):
            try:
                t = proc.cpu_times()
                live_cpu[proc.pid] = t.user + t.system
            except psutil.Error:
                pass
        return sum(live_cpu.values())

    def timed(label_of, fn):
        def wrapper(*a, **kw):
            s, c = time.perf_counter(), browser_cpu()
            try:
                return fn(*a, **kw)
            finally:
                events.append((s - t0, time.perf_counter() - s, label_of(*a, **kw), browser_cpu() - c))
        return wrapper

    orig_launch = chromium.launch

    @contextlib.contextmanager
    def launch(*a, **kw):
        s, c = time.perf_counter(), browser_cpu()
        with orig_launch(*a, **kw) as browser:
            events.append((s - t0, time.perf_counter() - s, "launch chromium", browser_cpu() - c))
            yield browser

    chromium.launch = launch
    R = rmod.Renderer
    R._render = timed(lambda self, url, homepage=False: f"render {'homepage ' if homepage else ''}{url}", R._render)
    R._phone_view = timed(lambda self, url: f"  phone view {url}", R._phone_view)
    R._axe_only = timed(lambda self, url: f"axe page {url}", R._axe_only)
    rmod.run_axe = timed(lambda bpage: f"  axe-core {bpage.url}", rmod.run_axe)
    rmod._shot = timed(lambda bpage, *a: "  screenshot", rmod._shot)
    orig_goto = R._goto
    R._goto = timed(lambda self, bpage, url: f"  goto {url}", orig_goto)
    orig_route, orig_refuse = R._route, R._refuse
    routes = collections.Counter()
    renderers = []

    def route(self, r, request):
        routes[request.resource_type] += 1
        return orig_route(self, r, request)

    R._route = route
    refusals = collections.Counter()

    def refuse(self, r, why):
        refusals[(why, r.request.resource_type, r.request.url.split("?")[0][-60:])] += 1
        return orig_refuse(self, r, why)

    R._refuse = refuse
    orig_start = R.start

    def start(self):
        if self not in renderers:
            renderers.append(self)
        return orig_start(self)

    R.start = start
    try:
        from auditor.gather import visibility
        visibility._computed = timed(lambda snap, ctx, pages: f"visibility gatherer ({len(pages)} pages)",
                                     visibility._computed)
    except ImportError:
        pass

    cpu_by_pid: dict[int, tuple[str, float]] = {}
    stop_poll = threading.Event()

    def poll() -> None:
        """CPU of each process this one started (Playwright's driver, chromium's processes by --type)."""
        import psutil

        me = psutil.Process()
        while not stop_poll.wait(0.2):
            for proc in me.children(recursive=True):
                try:
                    cmd = proc.cmdline()
                    kind = next((a.split("=", 1)[1] for a in cmd if a.startswith("--type=")), None)
                    if kind is None:
                        kind = "browser" if cmd and "chrom" in os.path.basename(cmd[0]) else os.path.basename(cmd[0] if cmd else "?")
                    if kind == "utility":
                        kind += ":" + next((a.split("=", 1)[1] for a in cmd if a.startswith("--utility-sub-type=")), "?")
                    t = proc.cpu_times()
                    cpu_by_pid[proc.pid] = (kind, t.user + t.system)
                except psutil.Error:
                    pass

    threading.Thread(target=poll, daemon=True).start()
    server = None
    url = args.url
    if url is None:
        from auditor.demo import DemoServer

        server = DemoServer().__enter__()
        url = server.url
    cfg = AuditConfig(crawl=CrawlOptions(max_pages=args.pages, concurrency=16, rate=1000, max_depth=10, ignore_robots=True,
                                         render="auto"), gather_options={"render": "auto"})
    phases = {}

    def on_progress(pr):
        phases.setdefault(pr.phase, time.perf_counter() - t0)

    try:
        outcome = run_audit(url, cfg, HERE / "out" / "profile-browser", on_progress=on_progress)
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    total = time.perf_counter() - t0
    stop_poll.set()
    by_kind = collections.Counter()
    count = collections.Counter()
    for kind, cpu in cpu_by_pid.values():
        by_kind[kind] += cpu
        count[kind] += 1
    print(f"audit of {url}: {total:.2f} s wall, {outcome.report['crawl']['html_pages']} pages; "
          f"crawl {outcome.report['crawl']['duration']:.2f} s; phases first seen at "
          + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))
    print("       at     wall   browser CPU  step  (CPU: node driver and chromium, not this process)")
    for at, dur, label, cpu in sorted(events):
        print(f"  {at:7.2f} s  {dur:6.2f} s  {cpu:6.2f} s  {label}")
    print("requests the browser made, by resource type:", dict(routes))
    for r in renderers:
        print(f"  fetched through the crawl's fetcher {r.requests}, documents served from the crawl "
              f"{r.served_from_crawl}, served again from memory {getattr(r, 'memo_hits', '-')}")
    print("refused (why, type, url):")
    for k, n in sorted(refusals.items()):
        print("  ", n, *k)
    print("CPU seconds of the processes started (last seen 0.2 s before they ended), by kind:")
    for kind, cpu in by_kind.most_common():
        print(f"  {kind:40s} {cpu:6.2f} s in {count[kind]} process(es)")
    print("gatherers:", outcome.report["crawl"].get("gatherers"))
    ru = __import__("resource").getrusage(__import__("resource").RUSAGE_SELF)
    print(f"this process CPU {ru.ru_utime + ru.ru_stime:.2f} s; children (reaped) "
          f"{sum(getattr(__import__('resource').getrusage(__import__('resource').RUSAGE_CHILDREN), f) for f in ('ru_utime', 'ru_stime')):.2f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
