#!/usr/bin/env python3
"""The fleet benchmark: ``gov-audit fleet`` over 20 generated sites of ~200 pages on loopback.

    python3 benchmarks/fleet.py                          # in-process workers, then 2 Celery workers
    python3 benchmarks/fleet.py --modes local --before-root /tmp/before   # before/after, interleaved

Each site is ``generate_site.py --pages 200 --seed K`` (K = 1…20) served by an nginx of its
own on a free 127.0.0.1 port. The fleet runs with its default options (``--render auto``,
300 pages and depth 4 per site, the default workers) except the request rates: the defaults
(20 requests a second fleet-wide, 5 per host, and every site here is on 127.0.0.1) would make
the run last 4,000 pages / 20 per second = 200 s whatever the CPU does, so ``--rate`` and
``--host-rate`` are raised to 1000 to measure what the machine can do.

Modes:

* ``local``: ``gov-audit fleet sites.csv`` (each site in a process of its own, the default
  number of workers at a time);
* ``celery``: a redis-server and 2 ``gov-audit worker --concurrency 1`` started here, then
  ``gov-audit fleet sites.csv --broker …``.

For each run: wall time, sites per hour per core (sites / wall hours / CPU count), CPU seconds
per site (user+system of the fleet command and all its children, plus the Celery workers'),
the peak memory of every process involved (summed RSS and PSS, polled), and the number of
chromium browsers started (main processes seen) — one per worker slot when the browser is
reused across sites, one per site when it is not. Writes benchmarks/out/fleet.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402


def _tree_cpu(pid: int) -> float:
    import psutil

    try:
        p = psutil.Process(pid)
        total = sum(p.cpu_times()[:4])  # user, system, children_user, children_system
        for c in p.children(recursive=True):
            try:
                total += sum(c.cpu_times()[:2])
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0.0


def start_redis(work: Path) -> tuple[subprocess.Popen, str]:
    import redis

    port = bench.free_port()
    proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(work)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return proc, f"redis://127.0.0.1:{port}/0"
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)


def stop(proc: subprocess.Popen, sig=signal.SIGTERM, wait: float = 20.0) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def fleet_cmd(csv: Path, out: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "auditor", "fleet", str(csv), "--out", str(out), "--quiet",
            "--rate", "1000", "--host-rate", "1000", *extra]


def run_mode(mode: str, csv: Path, out: Path, root: Path, tag: str, n_sites: int, extra: list[str]) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    dest = out / f"fleet-{tag}"
    shutil.rmtree(dest, ignore_errors=True)
    workers: list[subprocess.Popen] = []
    group = bench.CpuGroup(f"gov-audit-bench-workers-{os.getpid()}-{time.monotonic_ns()}")
    redis_proc = None
    try:
        cmd = fleet_cmd(csv, dest, extra)
        if mode == "celery":
            (out / "redis").mkdir(exist_ok=True)
            redis_proc, broker = start_redis(out / "redis")
            for i in range(2):
                log = open(out / f"fleet-{tag}-worker{i}.log", "w")
                workers.append(subprocess.Popen(
                    [sys.executable, "-m", "auditor", "worker", "--broker", broker, "--concurrency", "1",
                     "--loglevel", "INFO", "--hostname", f"bench{i}@%h"],
                    stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root,
                    preexec_fn=group.join if group.path else None))
                log.close()
            time.sleep(3)  # the workers' start is not the fleet's work
            cmd += ["--broker", broker, "--queue-timeout", "900"]
        def workers_cpu() -> float:  # exact from their cgroup, else polled
            exact = group.usage_s(settle=0)
            return exact if exact is not None else sum(_tree_cpu(w.pid) for w in workers)

        cpu0 = workers_cpu()
        tree = bench.TreeMemory(*(w.pid for w in workers)).start() if workers else None
        m = bench.measure(cmd, out / f"fleet-{tag}", env, cwd=root)
        if tree is not None:
            wm = tree.stop()
            m["workers_cpu_s"] = round(workers_cpu() - cpu0, 2)
            m["workers_peak_tree_pss_mb"] = wm.get("peak_tree_pss_mb")
            m["workers_peak_tree_rss_mb"] = wm.get("peak_tree_rss_mb")
            m["browsers_started"] = m.get("browsers_started", 0) + wm.get("browsers_started", 0)
    finally:
        for w in workers:
            stop(w)  # warm shutdown: the pool processes end, and their chromium with them
        if redis_proc is not None:
            stop(redis_proc)
        group.usage_s()  # waits for the workers' last processes to end
        group.remove()
    summary_file = dest / "fleet.json"
    if not summary_file.exists():
        err = Path(f"{out / f'fleet-{tag}'}.stderr").read_text("utf-8", "replace")[-3000:]
        raise RuntimeError(f"the fleet failed (exit {m['returncode']}):\n{err}")
    summary = json.loads(summary_file.read_text("utf-8"))
    cpus = os.cpu_count() or 1
    cpu = (m.get("cpu_s") or 0) + m.get("workers_cpu_s", 0)  # cpu_s: see run.measure's cpu_source
    done = summary.get("audited") or 0  # an interrupted run: per audited site (an upper bound)
    m.update({"mode": mode, "root": str(root), "audited": done, "states": summary.get("states"),
              "total_cpu_s": round(cpu, 2), "cpu_s_per_site": round(cpu / max(1, done), 2),
              "sites_per_hour_per_core": round(done / (m["wall_s"] / 3600) / cpus, 1),
              "peak_pss_mb": round((m.get("peak_tree_pss_mb") or 0) + (m.get("workers_peak_tree_pss_mb") or 0), 1),
              "verdicts": _verdicts(dest)})
    return m


def _verdicts(dest: Path) -> dict:
    out = {}
    for rep in sorted(dest.glob("*/report.json")):
        r = json.loads(rep.read_text("utf-8"))
        out[rep.parent.name] = {c["id"]: c["status"] for c in r.get("checks") or ()}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="gov-audit fleet over 20 generated sites on loopback")
    p.add_argument("--sites", type=int, default=20)
    p.add_argument("--pages", type=int, default=200)
    p.add_argument("--modes", default="local,celery")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--before-root", default=None, metavar="DIR", help="also run this copy, interleaved")
    p.add_argument("--fleet-arg", action="append", default=[], metavar="ARG")
    p.add_argument("--out", default=str(HERE / "out"))
    p.add_argument("--results", default="fleet.json")
    args = p.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    have = bench.check_requirements(need_scrapy=False)
    modes = [m for m in args.modes.split(",") if m]
    if "celery" in modes and not shutil.which("redis-server"):
        print("redis-server is missing (apt-get install -y redis-server)", file=sys.stderr)
        return 2
    roots = [("after", ROOT)] + ([("before", Path(args.before_root).resolve())] if args.before_root else [])
    results: dict = {"machine": bench.machine_info(), "sites": args.sites, "pages": args.pages, "runs": []}
    with ExitStack() as stack:
        urls = []
        for k in range(1, args.sites + 1):
            site, _ = bench.ensure_site(args.pages, k)
            srv = stack.enter_context(bench.Nginx(site, out / f"nginx-fleet-{k}", 1, False, have["nginx"]))
            urls.append(srv.url)
        csv = out / "fleet-sites.csv"
        csv.write_text("url,name\n" + "".join(f"{u},站点{k + 1}\n" for k, u in enumerate(urls)), "utf-8")
        for i in range(args.repeat):
            for mode in modes:
                for label, root in roots:
                    tag = f"{mode}-{label}-r{i + 1}"
                    m = run_mode(mode, csv, out, root, tag, args.sites, args.fleet_arg)
                    m["label"] = label
                    results["runs"].append(m)
                    print(f"{tag}: wall {m['wall_s']:.1f} s, CPU {m['total_cpu_s']:.1f} s "
                          f"({m['cpu_s_per_site']:.2f} s/site), {m['sites_per_hour_per_core']:.0f} sites/h/core, "
                          f"peak PSS {m['peak_pss_mb']:.0f} MB, browsers started {m.get('browsers_started')}, "
                          f"audited {m['audited']}/{args.sites} {m['states']}", file=sys.stderr)
    for mode in modes:
        a = [r for r in results["runs"] if r["mode"] == mode and r["label"] == "after"]
        b = [r for r in results["runs"] if r["mode"] == mode and r["label"] == "before"]
        if a and b:
            same = all(x["verdicts"] == y["verdicts"] for x, y in zip(a, b))
            print(f"{mode}: verdicts of every site the same before and after: {same}")
    (out / args.results).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {out / args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
