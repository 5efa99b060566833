#!/usr/bin/env python3
"""Where an audit's time and memory go: one in-process audit of a generated site.

    python3 benchmarks/profile_audit.py --pages 2000              # phases + memory
    python3 benchmarks/profile_audit.py --pages 2000 --cprofile   # + top functions
    python3 benchmarks/profile_audit.py --url http://127.0.0.1:8080/ --pages 2000

Starts nginx on the generated site (as benchmarks/run.py does) unless ``--url`` is
given, then runs ``auditor.operations.audit.run_audit`` in this process and prints

* the time of each phase: crawl (with the time at which 500/1000/… pages were
  done), link checks, checks, report;
* the peak and final RSS, and what the snapshot holds: compressed HTML, facts
  (text, links, …), kept lxml trees (measured by dropping them), the link graph,
  and the URL caches of auditor/urls.py;
* with ``--cprofile``, the functions that cost the most (all threads are profiled:
  ``threading.setprofile``), written in full to benchmarks/out/audit.prof.

For a sampling profile of the real CLI run instead (no profiler overhead in the
threads), use py-spy (``pip install py-spy``)::

    python3 benchmarks/run.py --serve 2000 &
    py-spy record -r 250 --threads -f raw -o out/audit.txt -- \\
        python3 -m auditor audit http://127.0.0.1:PORT/ --max-pages 2050 --rate 1000 \\
        --concurrency 16 --quiet --ignore-robots --out benchmarks/out/audit-prof
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def deep_str_bytes(values) -> int:
    return sum(sys.getsizeof(v) for v in values if v)


def memory_report(snapshot) -> list[tuple[str, float]]:
    from auditor.network import urls

    pages = list(snapshot.pages.values())
    html = [p for p in pages if p.facts is not None]
    rows = []
    rows.append(("compressed HTML (html_z)", sum(len(p.html_z or b"") for p in pages)))
    rows.append(("page text + footer text", sum(deep_str_bytes((p.facts.text, p.facts.footer_text)) for p in html)))
    rows.append(("inline scripts", sum(deep_str_bytes(p.facts.inline_scripts) for p in html)))
    n_links = sum(len(p.facts.links) for p in html)
    link_objs = sum(sys.getsizeof(link) + sys.getsizeof(link.__dict__) if hasattr(link, "__dict__")
                    else sys.getsizeof(link) for p in html for link in p.facts.links)
    label_objs = {id(link.text): link.text for p in html for link in p.facts.links if link.text}
    labels = sum(sys.getsizeof(t) for t in label_objs.values())
    rows.append((f"Link objects ({n_links}, {n_links / max(1, len(html)):.0f}/page)", link_objs))
    rows.append((f"link labels ({len(label_objs)} str objects)", labels))
    unique_urls = {link.url for p in html for link in p.facts.links}
    rows.append((f"distinct link URLs ({len(unique_urls)})", deep_str_bytes(unique_urls)))
    rows.append(("meta dicts", sum(sys.getsizeof(p.facts.meta) + deep_str_bytes(p.facts.meta.values())
                                   for p in html)))
    inl = snapshot.inlinks
    rows.append((f"inlinks ({len(inl)} URLs)", sys.getsizeof(inl) + sum(sys.getsizeof(v) for v in inl.values())))
    for name in ("normalize", "_join"):
        fn = getattr(urls, name, None)
        if fn is not None and hasattr(fn, "cache_info"):
            info = fn.cache_info()
            rows.append((f"urls.{name} cache: {info.currsize} entries (estimate 250 B each)", info.currsize * 250))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--url", default=None, help="audit this URL instead of starting nginx")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--rate", type=float, default=1000)
    p.add_argument("--audit-root", default=None, metavar="DIR",
                   help="import auditor from this copy of the repository (to compare versions)")
    p.add_argument("--cprofile", action="store_true")
    p.add_argument("--top", type=int, default=35)
    args = p.parse_args(argv)

    if args.audit_root:
        sys.path.insert(0, str(Path(args.audit_root).resolve()))
    rss0 = rss_mb()
    t_import = time.perf_counter()
    from auditor.operations.audit import AuditConfig, run_audit
    import auditor
    from auditor.crawl.crawler import CrawlOptions
    import auditor.operations.audit as audit_mod
    t_imported = time.perf_counter()
    rss_imports = rss_mb()

    server = None
    url = args.url
    if url is None:
        import run as bench

        bench.check_requirements(need_scrapy=False)
        site, _ = bench.ensure_site(args.pages, args.seed)
        server = bench.Nginx(site, HERE / "out" / f"nginx-profile-{os.getpid()}").start()
        url = server.url

    marks: dict[str, float] = {}
    done_at: dict[int, float] = {}

    def on_progress(pr):
        now = time.perf_counter()
        marks.setdefault(pr.phase, now)
        if pr.phase == "crawl":
            marks["crawl_last"] = now
            for k in range(500, args.pages + 501, 500):
                if pr.done >= k:
                    done_at.setdefault(k, now)

    orig_checks = audit_mod.run_checks

    def timed_checks(*a, **kw):
        marks["checks_start"] = time.perf_counter()
        try:
            return orig_checks(*a, **kw)
        finally:
            marks["checks_end"] = time.perf_counter()

    audit_mod.run_checks = timed_checks
    orig_gather = getattr(audit_mod, "run_gatherers", None)
    if orig_gather is not None:
        def timed_gather(*a, **kw):
            marks["gather_start"] = time.perf_counter()
            try:
                return orig_gather(*a, **kw)
            finally:
                marks["gather_end"] = time.perf_counter()

        audit_mod.run_gatherers = timed_gather

    # Count the trees re-parsed after the crawl (Page.tree of a page whose tree was not kept).
    from auditor.crawl import snapshot as snapshot_mod

    reparse = {"n": 0, "s": 0.0}
    tree_prop = snapshot_mod.Page.tree

    def counted_tree(page):
        if page.facts is not None and page.facts.tree is None and page.html_z:
            t = time.perf_counter()
            try:
                return tree_prop.fget(page)
            finally:
                reparse["n"] += 1
                reparse["s"] += time.perf_counter() - t
        return tree_prop.fget(page)

    snapshot_mod.Page.tree = property(counted_tree, doc=tree_prop.__doc__)
    cfg = AuditConfig(crawl=CrawlOptions(max_pages=args.pages + 50, max_depth=10, concurrency=args.concurrency,
                                         rate=args.rate, ignore_robots=True, timeout=30))
    profilers: list = []
    if args.cprofile:
        import cProfile

        def start_thread_profiler(*_):
            # First profile event of a new thread: swap in a cProfile of its own.
            prof = cProfile.Profile()
            profilers.append(prof)
            prof.enable()

        threading.setprofile(start_thread_profiler)
        main_prof = cProfile.Profile()
        profilers.append(main_prof)
        main_prof.enable()
    t0 = time.perf_counter()
    try:
        outcome = run_audit(url, cfg, HERE / "out" / "audit-profile", on_progress=on_progress)
    finally:
        if args.cprofile:
            main_prof.disable()
            threading.setprofile(None)
        if server is not None:
            server.stop()
    t_end = time.perf_counter()
    audit_mod.run_checks = orig_checks
    if orig_gather is not None:
        audit_mod.run_gatherers = orig_gather
    snapshot_mod.Page.tree = tree_prop
    snap = outcome.snapshot
    stats = snap.stats

    def at(key):
        return marks.get(key, float("nan")) - t0

    print(f"auditor from {Path(auditor.__file__).parent}")
    print(f"audit of {url}: {stats['html_pages']} HTML pages, {stats['attachments']} attachments, "
          f"{stats['link_checks']} link checks, {stats['requests']} requests")
    print(f"  imports             {t_imported - t_import:6.2f} s")
    print(f"  crawl               {at('crawl_last'):6.2f} s  ({stats['html_pages'] / max(0.001, at('crawl_last')):.0f} pages/s;"
          + "".join(f" {k} done at {v - t0:.2f} s;" for k, v in sorted(done_at.items())) + ")")
    if "gather_start" in marks:
        print(f"  link checks         {at('gather_start') - at('crawl_last'):6.2f} s")
        print(f"  gatherers           {at('gather_end') - at('gather_start'):6.2f} s  "
              + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(getattr(snap, 'gather_timing', {}).items(),
                                                               key=lambda kv: -kv[1])[:6]))
        print(f"  checks              {at('checks_end') - at('checks_start'):6.2f} s  "
              + ", ".join(f"{c['id']} {c['duration_ms'] / 1000:.2f} s" for c in
                          sorted(outcome.report["checks"], key=lambda c: -c["duration_ms"])[:5]))
    else:
        print(f"  link checks         {at('checks_start') - at('crawl_last'):6.2f} s")
        print(f"  checks              {at('checks_end') - at('checks_start'):6.2f} s")
    print(f"  report              {t_end - marks.get('checks_end', t0):6.2f} s")
    print(f"  total               {t_end - t0:6.2f} s")
    print(f"  of which re-parsing {reparse['s']:6.2f} s  ({reparse['n']} Page.tree calls on pages whose tree "
          f"was not kept)")
    print()
    print(f"RSS: at start {rss0:.0f} MB, after imports {rss_imports:.0f} MB, peak {peak_rss_mb():.0f} MB, "
          f"now {rss_mb():.0f} MB")
    total = 0
    for label, size in memory_report(snap):
        total += size
        print(f"  {size / 2**20:7.1f} MB  {label}")
    print(f"  {total / 2**20:7.1f} MB  total of the above (Python objects; shared strings counted once per holder)")
    kept = [p for p in snap.pages.values() if p.facts is not None and p.facts.tree is not None]
    gc.collect()
    before = rss_mb()
    for page in kept:
        page.facts.tree = None
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    print(f"  {before - rss_mb():7.1f} MB  RSS freed by dropping the {len(kept)} kept lxml trees (+ malloc_trim)")

    if profilers:
        import pstats

        out = HERE / "out" / "audit.prof"
        st = pstats.Stats(profilers[0])
        for prof in profilers[1:]:
            st.add(prof)
        st.dump_stats(out)
        print(f"\ncProfile of all {len(profilers)} threads (times are summed over threads and "
              f"inflated by the profiler; compare shares, not seconds); full data in {out}:")
        st.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
