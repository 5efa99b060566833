#!/usr/bin/env python3
"""gov-audit vs. a bare Scrapy crawl of the same synthetic site, served by nginx.

    python3 benchmarks/run.py                    # sizes 500 and 2000
    python3 benchmarks/run.py --sizes 2000 --repeat 3

For each size N: generate the site into benchmarks/site/n<N>-s<SEED>/ (once), start
nginx on a free loopback port (a child process with its own config, pid, logs and
temp folders under benchmarks/out/nginx/), then run in subprocesses

  (a) ``python3 -m auditor audit URL --max-pages N+50 --rate 1000 --concurrency 16 …``
  (b) ``python3 benchmarks/scrapy_bare.py URL`` (CONCURRENT_REQUESTS=16)

measuring wall time, pages/second, peak RSS (``/usr/bin/time -v``, else psutil
polling) and CPU time, and the CPU nginx spent serving them. Prints a table and the
ratio audit/Scrapy, and writes benchmarks/out/results.json. Before each run the files it
will read (the site, the Python environment, chromium and its libraries, the fonts) are read
once, so no tool pays for a cold disk the one before it warmed (``--no-warm`` to skip).

Nothing is installed here: missing tools are named with the command that installs
them, and the run stops.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate_site  # noqa: E402
from auditor.crawl.browser.chromium import find_chromium, is_browser_main  # noqa: E402

NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
TIME_BIN = "/usr/bin/time"
TARGET_RATIO = 0.5
TARGET_RSS_MB = 300
TARGET_TREE_MB = 400  # gov-audit and its browser processes together (issue 14), PSS
TARGET_RSS_PAGES = 2000
CLI_MAX_RATE = 1000  # --rate's upper bound in auditor/cli.py


# -- requirements --------------------------------------------------------------
def _importable(module: str) -> bool:
    r = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                       capture_output=True, text=True)
    return r.returncode == 0


def find_nginx() -> str | None:
    for c in (shutil.which("nginx"), *NGINX_CANDIDATES):
        if c and os.path.exists(c) and os.access(c, os.X_OK):
            return c
    return None


def check_requirements(need_scrapy: bool) -> dict:
    """What is there; exits with install hints when something required is missing."""
    have = {
        "nginx": find_nginx(),
        "auditor": _importable("auditor.operations.cli"),
        "scrapy": _importable("scrapy") if need_scrapy else None,
        "psutil": _importable("psutil"),
        "time": os.access(TIME_BIN, os.X_OK),
    }
    missing = []
    if not have["nginx"]:
        missing.append("nginx (apt-get install -y nginx)")
    if not have["auditor"]:
        missing.append("gov-audit's dependencies (pip install -e .  from the repository root)")
    if need_scrapy and not have["scrapy"]:
        missing.append("scrapy (pip install scrapy psutil  — or pip install -e '.[bench]'; "
                       "or run with --skip-scrapy)")
    if missing:
        print("benchmarks/run.py: cannot run, missing:", file=sys.stderr)
        for m in missing:
            print(f"  - {m}", file=sys.stderr)
        sys.exit(2)
    notes = []
    if not have["time"]:
        notes.append("/usr/bin/time is missing (apt-get install -y time): peak RSS comes from "
                     + ("psutil polling" if have["psutil"] else "getrusage(RUSAGE_CHILDREN), a running maximum"))
    if not have["psutil"]:
        notes.append("psutil is missing (pip install psutil): nginx CPU time is not measured")
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    return have


# -- the site ------------------------------------------------------------------
def ensure_site(pages: int, seed: int, regenerate: bool = False, external: str = "loopback") -> tuple[Path, dict]:
    site = HERE / "site" / (f"n{pages}-s{seed}" + ("" if external == "loopback" else f"-{external}"))
    manifest = site / "site.json"
    if not regenerate and manifest.exists():
        m = json.loads(manifest.read_text("utf-8"))
        if m.get("generator_version") == generate_site.GENERATOR_VERSION and m.get("pages") == pages \
                and m.get("seed") == seed and m.get("external") == external:
            return site, m
    print(f"generating a {pages}-page site into {site.relative_to(ROOT)} …", file=sys.stderr)
    m = generate_site.generate(pages, site, seed, external)
    return site, m


# -- nginx ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX_CONF = """\
# generated by benchmarks/run.py
daemon off;
master_process on;
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    types {{
        text/html html htm;
        text/css css;
        application/javascript js;
        text/plain txt;
        image/png png;
        image/gif gif;
        image/jpeg jpg jpeg;
        image/x-icon ico;
        application/pdf pdf;
        application/msword doc;
        application/vnd.openxmlformats-officedocument.wordprocessingml.document docx;
        application/vnd.ms-excel xls;
        application/json json;
    }}
    default_type application/octet-stream;
    charset utf-8;
    access_log {access_log};
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    gzip on;
    gzip_comp_level 1;
    gzip_min_length 1024;
    gzip_types text/css application/javascript text/plain;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        index index.html;
        # Hanweb list pages: index.html?uid=U&pageNum=K is the file page_K.html.
        location ~ ^/col/col[0-9]+/index\\.html$ {{
            if ($arg_pageNum ~ "^[0-9]+$") {{
                rewrite ^(/col/col[0-9]+/)index\\.html$ $1page_${{arg_pageNum}}.html break;
            }}
        }}
    }}
}}
"""


class Nginx:
    """nginx as a non-daemon child process on a free loopback port."""

    def __init__(self, root: Path, prefix: Path, workers: int = 1, access_log: bool = False,
                 binary: str | None = None) -> None:
        self.root = root
        self.prefix = prefix
        self.workers = workers
        self.access_log = access_log
        self.binary = binary or find_nginx()
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "Nginx":
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        for attempt in range(5):
            self.port = free_port()
            conf = self.prefix / "nginx.conf"
            user = f"user {_user_name()};" if os.geteuid() == 0 else ""
            conf.write_text(NGINX_CONF.format(
                workers=self.workers, prefix=self.prefix, user=user, port=self.port, root=self.root,
                access_log=f"{self.prefix}/access.log" if self.access_log else "off"), "utf-8")
            err = open(self.prefix / "stderr.log", "ab")
            self.proc = subprocess.Popen([self.binary, "-p", str(self.prefix), "-c", str(conf),
                                          "-e", str(self.prefix / "error.log")],
                                         stdin=subprocess.DEVNULL, stdout=err, stderr=err)
            err.close()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with urllib.request.urlopen(self.url + "robots.txt", timeout=2) as r:
                        if r.status == 200:
                            return self
                except OSError:
                    time.sleep(0.05)
            self.stop()
        log = (self.prefix / "error.log")
        tail = log.read_text("utf-8", "replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"nginx did not start; see {log}\n{tail}")

    def cpu_seconds(self) -> float | None:
        """User+system CPU of the master and its workers so far (psutil), or None."""
        try:
            import psutil
        except ImportError:
            return None
        if self.proc is None:
            return None
        try:
            p = psutil.Process(self.proc.pid)
            total = sum(p.cpu_times()[:2])
            for c in p.children(recursive=True):
                total += sum(c.cpu_times()[:2])
            return total
        except psutil.Error:
            return None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGQUIT)  # graceful shutdown of master and workers
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _user_name() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


# -- measuring a subprocess ------------------------------------------------------
_TIME_FIELDS = {
    "Maximum resident set size (kbytes)": "max_rss_kb",
    "User time (seconds)": "user_s",
    "System time (seconds)": "sys_s",
    "Percent of CPU this job got": "cpu_percent",
    "Voluntary context switches": "voluntary_cs",
    "Involuntary context switches": "involuntary_cs",
}


class TreeMemory:
    """Peak memory of a process and all its descendants together (gov-audit, Playwright's
    node driver and chromium's processes), polled with psutil on a thread of its own.

    ``rss`` sums each process's resident set, so pages shared between chromium's processes
    (its binary, fonts) count once per process: an upper bound. ``pss`` (proportional set
    size, from /proc/PID/smaps_rollup) charges a shared page to the processes sharing it in
    parts, so the sum is what the tree really holds."""

    def __init__(self, *pids: int, interval: float = 0.05) -> None:
        import threading

        self.pids = pids
        self.interval = interval
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.browsers: set[int] = set()  # chromium main processes seen (not its --type= helpers)
        self._seen: set[int] = set()
        # CPU seconds of each process of the tree, as last seen: /usr/bin/time counts only the
        # children their parents waited for, which a fleet's forkserver children are not.
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def start(self) -> "TreeMemory":
        self._thread.start()
        return self

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        if not self.peak_rss:
            return {}
        return {"peak_tree_rss_mb": round(self.peak_rss / 2**20, 1),
                "peak_tree_pss_mb": round(self.peak_pss / 2**20, 1) if self.peak_pss else None,
                "peak_tree_procs": self.peak_procs, "browsers_started": len(self.browsers),
                "polled_tree_cpu_s": round(sum(self._cpu.values()), 2)}

    def _poll(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            roots = [psutil.Process(pid) for pid in self.pids]
        except psutil.Error:
            return
        while not self._stop.is_set():
            rss = pss = 0
            procs = []
            for root in roots:
                try:
                    procs += [root, *root.children(recursive=True)]
                except psutil.Error:
                    pass
            if not procs:
                break
            for proc in procs:
                if proc.pid not in self._seen:
                    try:
                        cmd = proc.cmdline()
                        if cmd and os.path.basename(cmd[0]) not in ("sh", "bash", "dash"):  # before its exec
                            self._seen.add(proc.pid)
                        if is_browser_main(proc):
                            self.browsers.add(proc.pid)
                    except psutil.Error:
                        pass
                try:
                    if proc.name() == "time":  # /usr/bin/time's own few hundred KB
                        continue
                    t = proc.cpu_times()
                    self._cpu[proc.pid] = t.user + t.system
                    full = proc.memory_full_info()
                    rss += full.rss
                    pss += getattr(full, "pss", 0)
                except psutil.Error:
                    pass
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(procs))
            self._stop.wait(self.interval)


class CpuGroup:
    """The exact CPU time of a command and of every process it ever started, from a cgroup of
    its own (cgroup v1 ``cpuacct`` or v2 ``cpu.stat``; needs root).

    Why not /usr/bin/time: it counts a child's CPU only when its parent waited for it.
    Chromium's renderer processes are forked by its zygote and outlive it at shutdown, so
    their CPU never reaches the audit's rusage: on the demo, /usr/bin/time showed 5.5 s for
    ``--render auto`` while the machine was busy for 10–11 s (/proc/stat, quiet machine), and
    the per-process polling of TreeMemory found the same ≈ 11 s. Without a writable cgroup
    hierarchy ``usage_s()`` is None and the polled sum is used instead."""

    ROOTS = (("/sys/fs/cgroup/cpuacct", "cpuacct.usage"), ("/sys/fs/cgroup/unified", "cpu.stat"),
             ("/sys/fs/cgroup", "cpu.stat"))

    def __init__(self, name: str) -> None:
        self.path = self.file = None
        for root, file in self.ROOTS:
            path = os.path.join(root, name)
            if not os.path.isfile(os.path.join(root, file if file != "cpu.stat" else "cgroup.procs")):
                continue
            try:
                os.makedirs(path, exist_ok=True)
            except OSError:
                continue
            if os.path.isfile(os.path.join(path, file)):
                self.path, self.file = path, file
                break
            os.rmdir(path)

    def join(self, pid: int | None = None) -> None:
        """Put ``pid`` (default: this process; for a preexec_fn) into the group."""
        if self.path:
            with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
                f.write(str(pid or os.getpid()))

    def usage_s(self, settle: float = 10.0) -> float | None:
        """CPU seconds so far, once the group's last process has ended (``settle`` s at most)."""
        if not self.path:
            return None
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline:
            with open(os.path.join(self.path, "cgroup.procs")) as f:
                if not f.read().strip():
                    break
            time.sleep(0.05)
        with open(os.path.join(self.path, self.file)) as f:
            text = f.read()
        if self.file == "cpuacct.usage":
            return int(text) / 1e9
        return int(re.search(r"usage_usec (\d+)", text).group(1)) / 1e6

    def remove(self) -> None:
        if self.path:
            try:
                os.rmdir(self.path)
            except OSError:
                pass


def measure(cmd: list[str], log_prefix: Path, env: dict | None = None, cwd: Path = ROOT) -> dict:
    """Run ``cmd``; wall time, peak RSS and CPU time of it and all its children (chromium's
    processes included: /usr/bin/time's figures cover the children it waited for), and the
    peak memory of the whole process tree together (TreeMemory)."""
    stdout = open(f"{log_prefix}.stdout", "wb")
    stderr = open(f"{log_prefix}.stderr", "wb")
    tfile = Path(f"{log_prefix}.time")
    use_time = os.access(TIME_BIN, os.X_OK)
    full = [TIME_BIN, "-v", "-o", str(tfile), *cmd] if use_time else cmd
    group = CpuGroup(f"gov-audit-bench-{os.getpid()}-{time.monotonic_ns()}")
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                            preexec_fn=group.join if group.path else None)
    tree = TreeMemory(proc.pid).start()
    rc = proc.wait()
    wall = time.perf_counter() - t0
    polled = tree.stop()
    exact = group.usage_s()
    group.remove()
    stdout.close()
    stderr.close()
    out = {"cmd": cmd, "returncode": rc, "wall_s": round(wall, 3), **polled}
    if use_time and tfile.exists():
        text = tfile.read_text("utf-8", "replace")
        for label, key in _TIME_FIELDS.items():
            m = re.search(re.escape(label) + r":\s*([\d.]+)", text)
            if m:
                out[key] = float(m.group(1))
        if "max_rss_kb" in out:
            out["peak_rss_mb"] = round(out["max_rss_kb"] / 1024, 1)
            out["rss_source"] = "/usr/bin/time -v (the largest single process)"
        if "user_s" in out:
            out["cpu_s_time"] = out["cpu_s"] = round(out["user_s"] + out["sys_s"], 2)
    elif polled:
        out["peak_rss_mb"] = polled["peak_tree_rss_mb"]
        out["rss_source"] = "psutil polling (50 ms), the process tree"
    else:
        import resource

        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["peak_rss_mb"] = round(ru.ru_maxrss / 1024, 1)
        out["rss_source"] = "getrusage(RUSAGE_CHILDREN) (running maximum over all children)"
        out["cpu_s"] = None
    # The CPU figure used everywhere: the cgroup's (exact), else the polled tree's (each process's
    # last reading, so short of the truth by up to 50 ms a process), else /usr/bin/time's.
    if exact is not None:
        out["cpu_s"], out["cpu_source"] = round(exact, 2), "cgroup (every process the command started)"
    elif polled.get("polled_tree_cpu_s"):
        out["cpu_s"] = max(out.get("cpu_s") or 0, polled["polled_tree_cpu_s"])
        out["cpu_source"] = "psutil polling (50 ms), the process tree"
    else:
        out["cpu_source"] = "/usr/bin/time (only the children that were waited for)"
    return out


# -- the two contenders -----------------------------------------------------------
def run_audit(server: Nginx, pages: int, out_dir: Path, concurrency: int, rate: float, tag: str,
              audit_root: Path = ROOT, extra_args: tuple[str, ...] = ()) -> dict:
    report_dir = out_dir / f"audit-{tag}"
    cmd = [sys.executable, "-m", "auditor", "audit", server.url, "--out", str(report_dir),
           "--max-pages", str(pages + 50), "--max-depth", "10", "--rate", f"{rate:g}",
           "--concurrency", str(concurrency), "--quiet", "--ignore-robots", "--timeout", "30", *extra_args]
    env = dict(os.environ, PYTHONPATH=str(audit_root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cpu0 = server.cpu_seconds()
    m = measure(cmd, out_dir / f"audit-{tag}", env, cwd=audit_root)
    cpu1 = server.cpu_seconds()
    m["server_cpu_s"] = round(cpu1 - cpu0, 2) if cpu0 is not None and cpu1 is not None else None
    if m["returncode"] not in (0, 1):
        err = Path(f"{out_dir / f'audit-{tag}'}.stderr").read_text("utf-8", "replace")[-2000:]
        raise RuntimeError(f"the audit failed (exit {m['returncode']}):\n{err}")
    report = json.loads((report_dir / "report.json").read_text("utf-8"))
    crawl = report["crawl"]
    m.update({"html_pages": crawl["html_pages"], "pages": crawl["pages"], "attachments": crawl["attachments"],
              "link_checks": crawl["link_checks"], "requests": crawl["requests"], "errors": crawl["errors"],
              "crawl_s": crawl["duration"], "bytes": crawl["bytes"], "trap_cut": crawl["trap_cut"],
              "page_cap_cut": crawl["page_cap_cut"], "partial": report["partial"]})
    m["pages_per_s"] = round(m["html_pages"] / m["wall_s"], 1)
    m["crawl_pages_per_s"] = round(m["html_pages"] / m["crawl_s"], 1) if m["crawl_s"] else None
    m["s_per_page_ms"] = round(1000 * m["wall_s"] / max(1, m["html_pages"]), 3)
    return m


def run_scrapy(server: Nginx, out_dir: Path, concurrency: int, tag: str) -> dict:
    stats = out_dir / f"scrapy-{tag}.json"
    cmd = [sys.executable, str(HERE / "scrapy_bare.py"), server.url, "--stats", str(stats),
           "--concurrency", str(concurrency)]
    cpu0 = server.cpu_seconds()
    m = measure(cmd, out_dir / f"scrapy-{tag}")
    cpu1 = server.cpu_seconds()
    m["server_cpu_s"] = round(cpu1 - cpu0, 2) if cpu0 is not None and cpu1 is not None else None
    if m["returncode"] != 0 or not stats.exists():
        err = Path(f"{out_dir / f'scrapy-{tag}'}.stderr").read_text("utf-8", "replace")[-2000:]
        raise RuntimeError(f"the Scrapy crawl failed (exit {m['returncode']}):\n{err}")
    data = json.loads(stats.read_text("utf-8"))
    s = data["scrapy_stats"]
    m.update({"html_pages": data["html_pages"], "requests": s.get("downloader/request_count"),
              "responses": s.get("response_received_count"), "crawl_s": data["crawl_seconds"],
              "bytes": s.get("downloader/response_bytes"),
              "errors": {k: v for k, v in s.items() if k.startswith(("log_count/ERROR", "downloader/exception_count"))}})
    m["pages_per_s"] = round(m["html_pages"] / m["wall_s"], 1)
    m["crawl_pages_per_s"] = round(m["html_pages"] / m["crawl_s"], 1) if m["crawl_s"] else None
    m["s_per_page_ms"] = round(1000 * m["wall_s"] / max(1, m["html_pages"]), 3)
    return m


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time, plus the spread of all runs."""
    ordered = sorted(runs, key=lambda r: r["wall_s"])
    best = dict(ordered[(len(ordered) - 1) // 2])
    best["runs_wall_s"] = [r["wall_s"] for r in runs]
    best["runs_peak_rss_mb"] = [r.get("peak_rss_mb") for r in runs]
    if len(runs) > 1:
        best["wall_s_stdev"] = round(statistics.stdev(r["wall_s"] for r in runs), 3)
    return best


# -- report -----------------------------------------------------------------------
TOOLS = ("audit", "audit-before", "audit-never", "scrapy")


def _fmt(v, spec=""):
    if v is None:
        return "–"
    return format(v, spec)


def print_table(results: dict) -> None:
    rows = [("size", "tool", "pages", "wall s", "crawl s", "rest s", "pages/s", "ms/page", "peak RSS MB",
             "tree RSS MB", "tree PSS MB", "CPU s", "nginx CPU s")]
    for size, r in results["sizes"].items():
        for tool in TOOLS:
            m = r.get(tool)
            if not m:
                continue
            rest = m["wall_s"] - m["crawl_s"] if m.get("crawl_s") is not None else None
            rows.append((size, tool, str(m["html_pages"]), _fmt(m["wall_s"], ".2f"), _fmt(m.get("crawl_s"), ".2f"),
                         _fmt(rest, ".2f"),
                         _fmt(m["pages_per_s"], ".1f"), _fmt(m["s_per_page_ms"], ".2f"),
                         _fmt(m.get("peak_rss_mb"), ".0f"), _fmt(m.get("peak_tree_rss_mb"), ".0f"),
                         _fmt(m.get("peak_tree_pss_mb"), ".0f"), _fmt(m.get("cpu_s"), ".1f"),
                         _fmt(m.get("server_cpu_s"), ".1f")))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(str(c).rjust(w) if j > 1 else str(c).ljust(w) for j, (c, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("crawl s: the audit's own crawl duration (report.json), Scrapy's crawl without its start-up; "
          "rest s: start-up, gatherers, checks, report")
    for size, r in results["sizes"].items():
        if r.get("ratio") is not None:
            print(f"N={size}: audit/Scrapy wall-time ratio {r['ratio']:.2f} (target ≤ {TARGET_RATIO}); "
                  f"crawl only {r['crawl_ratio']:.2f}"
                  + (f"; per run {', '.join(f'{x:.2f}' for x in r['run_ratios'])}" if r.get("run_ratios") else ""))
        if r.get("before_ratio") is not None:
            print(f"N={size}: audit-before/Scrapy {r['before_ratio']:.2f}; per run "
                  + ", ".join(f"{x:.2f}" for x in r["run_before_ratios"]))
        if r.get("never_ratio") is not None:
            print(f"N={size}: audit --render never / Scrapy {r['never_ratio']:.2f}; "
                  f"CPU auto / never {r['cpu_auto_over_never']:.2f}"
                  + (f"; per run {', '.join(f'{x:.2f}' for x in r['run_cpu_ratios'])}" if r.get("run_cpu_ratios") else ""))
    lin = results.get("linearity")
    if lin:
        for tool, v in lin.items():
            print(f"linearity {tool}: " + ", ".join(f"N={k}: {ms:.2f} ms/page" for k, ms in v["ms_per_page"].items())
                  + f"; marginal {v['marginal_ms_per_page']:.2f} ms/page between the sizes"
                  + f"; growth x{v['growth']:.2f}")
    for line in results.get("verdicts", []):
        print(line)


def verdicts(results: dict) -> list[str]:
    out = []
    sizes = results["sizes"]
    big = max(sizes, key=int)
    r = sizes[big]
    if r.get("ratio") is not None:
        out.append(f"target ratio audit/Scrapy ≤ {TARGET_RATIO} at N={big}: "
                   + ("MET" if r["ratio"] <= TARGET_RATIO else "MISSED") + f" ({r['ratio']:.2f})")
    a = r.get("audit")
    if a and a.get("peak_rss_mb") is not None:
        rss = a["peak_rss_mb"]
        if int(big) >= TARGET_RSS_PAGES:
            out.append(f"target peak RSS ≤ {TARGET_RSS_MB} MB for {TARGET_RSS_PAGES} pages: "
                       + ("MET" if rss <= TARGET_RSS_MB else "MISSED") + f" ({rss:.0f} MB at N={big})")
        else:
            out.append(f"target peak RSS ≤ {TARGET_RSS_MB} MB for {TARGET_RSS_PAGES} pages: not measured "
                       f"(largest size N={big}: {rss:.0f} MB)")
    if a and a.get("peak_tree_pss_mb") is not None and int(big) >= TARGET_RSS_PAGES:
        pss = a["peak_tree_pss_mb"]
        out.append(f"target peak memory of gov-audit + browser (PSS) ≤ {TARGET_TREE_MB} MB: "
                   + ("MET" if pss <= TARGET_TREE_MB else "MISSED") + f" ({pss:.0f} MB at N={big}; "
                   f"RSS summed over the processes {a.get('peak_tree_rss_mb', 0):.0f} MB)")
    lin = results.get("linearity", {}).get("audit")
    if lin:
        out.append("target cost linear in pages: " + ("MET" if lin["growth"] <= 1.15 else "CHECK")
                   + f" (ms/page grows x{lin['growth']:.2f} from the smallest to the largest size)")
    for size, s in sizes.items():
        a = s.get("audit")
        if a and a["html_pages"] < int(size):
            out.append(f"WARNING: the audit fetched {a['html_pages']} of {size} pages at N={size} "
                       f"(trap_cut {a.get('trap_cut')}, page_cap_cut {a.get('page_cap_cut')})")
        sc = s.get("scrapy")
        if sc and sc["html_pages"] < int(size):
            out.append(f"WARNING: Scrapy fetched {sc['html_pages']} of {size} pages at N={size}")
    return out


def linearity(results: dict) -> dict:
    sizes = sorted(results["sizes"], key=int)
    if len(sizes) < 2:
        return {}
    out = {}
    for tool in ("audit", "scrapy"):
        ms = {}
        walls = {}
        for s in sizes:
            m = results["sizes"][s].get(tool)
            if m:
                ms[s] = m["s_per_page_ms"]
                walls[s] = (m["wall_s"], m["html_pages"])
        if len(ms) < 2:
            continue
        lo, hi = sizes[0], sizes[-1]
        (w_lo, p_lo), (w_hi, p_hi) = walls[lo], walls[hi]
        out[tool] = {"ms_per_page": ms,
                     "marginal_ms_per_page": round(1000 * (w_hi - w_lo) / max(1, p_hi - p_lo), 3),
                     "growth": round(ms[hi] / ms[lo], 3)}
    return out


def warm_files(paths) -> float:
    """Read every file under ``paths`` once, so each measured run starts with them in the page
    cache; returns the seconds it took. The tools in a rotation run one after the other, and
    some machines drop file pages nobody touched for a minute (this VM's DAMON reclaim pages out
    memory unused for 60 s): without this the first run of a rotation paid for reading the
    site, Python's packages and chromium from disk, and its figure was 1.5-3x the others'."""
    t0 = time.perf_counter()
    for top in paths:
        if not top or not os.path.exists(top):
            continue
        files = [top] if os.path.isfile(top) else (os.path.join(folder, name) for folder, _, names in os.walk(top)
                                                   for name in names)
        for path in files:
            try:
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                with open(path, "rb") as f:
                    while f.read(1 << 20):
                        pass
            except OSError:
                continue
    return time.perf_counter() - t0


def cache_paths(site: Path, roots) -> list[str]:
    """What a measured run reads from disk: the site nginx serves, the Python environment (the
    audit's and Scrapy's packages, Playwright's node driver), the trees run, and chromium."""
    paths = [str(site), sys.prefix, sysconfig.get_paths()["stdlib"],
             *(str(root / part) for root in roots for part in ("auditor", "checks", "reports"))]
    try:
        chromium = os.path.realpath(find_chromium())
    except Exception:  # noqa: BLE001 - no browser here: nothing of it to warm
        return paths
    paths += [os.path.dirname(chromium), "/usr/share/fonts", "/var/cache/fontconfig"]
    try:  # the shared libraries chromium loads
        ldd = subprocess.run(["ldd", chromium], capture_output=True, text=True, timeout=30).stdout
        paths += re.findall(r"=> (/\S+)", ldd)
    except (OSError, subprocess.SubprocessError):
        pass
    return paths


def machine_info() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            m = re.search(r"model name\s*:\s*(.+)", fh.read())
            info["cpu_model"] = m.group(1).strip() if m else None
    except OSError:
        pass
    try:
        import lxml.etree as et

        info["lxml"] = ".".join(map(str, et.LXML_VERSION))
        info["libxml2"] = ".".join(map(str, et.LIBXML_VERSION))
    except ImportError:
        pass
    for mod in ("requests", "urllib3", "scrapy", "twisted"):
        r = subprocess.run([sys.executable, "-c", f"import {mod}; print({mod}.__version__)"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            info[mod] = r.stdout.strip()
    try:  # read-only: which code was measured
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)
        if rev.returncode == 0:
            info["git"] = rev.stdout.strip() + (f" + {len(dirty.stdout.splitlines())} modified files"
                                                if dirty.stdout.strip() else "")
    except OSError:
        pass
    try:
        r = subprocess.run([find_nginx() or "nginx", "-v"], capture_output=True, text=True)
        info["nginx"] = (r.stderr or r.stdout).strip().split("/")[-1]
    except OSError:
        pass
    return info


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="benchmark gov-audit against a bare Scrapy crawl")
    p.add_argument("--sizes", default="500,2000", help="comma-separated site sizes in pages (default 500,2000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1, help="runs per tool and size; the median is reported")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--rate", type=float, default=CLI_MAX_RATE,
                   help=f"the audit's --rate (its CLI allows at most {CLI_MAX_RATE}/s)")
    p.add_argument("--nginx-workers", type=int, default=1)
    p.add_argument("--access-log", action="store_true", help="write nginx's access log to benchmarks/out/nginx/")
    p.add_argument("--external", choices=generate_site.EXTERNAL_MODES, default="loopback",
                   help="where the site's external links point (see generate_site.py)")
    p.add_argument("--audit-root", default=str(ROOT), metavar="DIR",
                   help="run the audit from this copy of the repository (to compare versions)")
    p.add_argument("--audit-arg", action="append", default=[], metavar="ARG",
                   help="pass ARG on to the audit command line (repeat it: --audit-arg=--render --audit-arg=never)")
    p.add_argument("--before-root", default=None, metavar="DIR",
                   help="also run the audit from this copy of the repository (e.g. `git archive REV`), "
                        "interleaved with the others, as tool audit-before: before/after in one run")
    p.add_argument("--with-never", action="store_true",
                   help="also run the audit with --render never, interleaved (the browser's cost)")
    p.add_argument("--skip-scrapy", action="store_true")
    p.add_argument("--no-warm", action="store_true",
                   help="do not read the site, the Python environment and chromium into the page cache "
                        "before each run (see warm_files)")
    p.add_argument("--skip-audit", action="store_true")
    p.add_argument("--regenerate", action="store_true", help="rewrite the sites even if present")
    p.add_argument("--out", default=str(HERE / "out"))
    p.add_argument("--results", default="results.json", help="file name of the results in --out")
    p.add_argument("--serve", type=int, default=None, metavar="N",
                   help="only serve the N-page site until Ctrl-C (for profiling by hand)")
    args = p.parse_args(argv)

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.serve:
        have = check_requirements(need_scrapy=False)
        site, _ = ensure_site(args.serve, args.seed, args.regenerate, args.external)
        # SIGTERM too: a background job ignores Ctrl-C's SIGINT.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        with Nginx(site, out / f"nginx-serve-{os.getpid()}", args.nginx_workers, args.access_log,
                   have["nginx"]) as srv:
            print(f"serving {site} at {srv.url}  (Ctrl-C or kill {os.getpid()} to stop)", flush=True)
            try:
                srv.proc.wait()
            except KeyboardInterrupt:
                pass
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    have = check_requirements(need_scrapy=not args.skip_scrapy)
    if args.rate > CLI_MAX_RATE:
        print(f"note: the audit CLI refuses --rate above {CLI_MAX_RATE}; using {CLI_MAX_RATE}", file=sys.stderr)
        args.rate = CLI_MAX_RATE
    results = {"machine": machine_info(), "settings": {
        "concurrency": args.concurrency, "audit_rate": args.rate, "repeat": args.repeat,
        "nginx_workers": args.nginx_workers, "seed": args.seed, "external": args.external,
        "audit_root": str(Path(args.audit_root).resolve()),
        "audit_floor_s_per_1000_requests": round(1000 / args.rate, 2)}, "sizes": {}}
    for n in sizes:
        site, manifest = ensure_site(n, args.seed, args.regenerate, args.external)
        entry = {"site": manifest}
        with Nginx(site, out / "nginx", args.nginx_workers, args.access_log, have["nginx"]) as srv:
            print(f"N={n}: nginx on {srv.url}", file=sys.stderr)
            tools = [t for t, skip in (("audit", args.skip_audit), ("audit-before", not args.before_root),
                                       ("audit-never", not args.with_never),
                                       ("scrapy", args.skip_scrapy)) if not skip]
            runs: dict[str, list[dict]] = {t: [] for t in tools}
            for i in range(args.repeat):  # interleaved, so drift in the machine's speed hits both
                tag = f"n{n}" + (f"-r{i + 1}" if args.repeat > 1 else "")
                for tool in tools:
                    if not args.no_warm:
                        warm_files(cache_paths(site, {Path(args.audit_root).resolve(), *(
                            [Path(args.before_root).resolve()] if args.before_root else [])}))
                    if tool == "scrapy":
                        m = run_scrapy(srv, out, args.concurrency, tag)
                    else:
                        extra = tuple(args.audit_arg) + (("--render", "never") if tool == "audit-never" else ())
                        root = args.before_root if tool == "audit-before" else args.audit_root
                        m = run_audit(srv, n, out, args.concurrency, args.rate,
                                      tag if tool == "audit" else tool[len("audit-"):] + "-" + tag,
                                      Path(root).resolve(), extra)
                    print(f"  {tool:6s} run {i + 1}: {m['wall_s']:.2f} s, {m['html_pages']} pages, "
                          f"{m.get('peak_rss_mb', '?')} MB peak RSS", file=sys.stderr)
                    runs[tool].append(m)
            for tool in tools:
                entry[tool] = _median_run(runs[tool])
        if entry.get("audit") and entry.get("scrapy"):
            entry["ratio"] = round(entry["audit"]["wall_s"] / entry["scrapy"]["wall_s"], 3)
            entry["crawl_ratio"] = round(entry["audit"]["crawl_s"] / entry["scrapy"]["crawl_s"], 3)
            entry["run_ratios"] = [round(a["wall_s"] / b["wall_s"], 3) for a, b in zip(runs["audit"], runs["scrapy"])]
        if entry.get("audit-before") and entry.get("scrapy"):
            entry["before_ratio"] = round(entry["audit-before"]["wall_s"] / entry["scrapy"]["wall_s"], 3)
            entry["run_before_ratios"] = [round(a["wall_s"] / b["wall_s"], 3)
                                          for a, b in zip(runs["audit-before"], runs["scrapy"])]
        if entry.get("audit-never"):
            if entry.get("scrapy"):
                entry["never_ratio"] = round(entry["audit-never"]["wall_s"] / entry["scrapy"]["wall_s"], 3)
            if entry.get("audit") and entry["audit"].get("cpu_s") and entry["audit-never"].get("cpu_s"):
                entry["cpu_auto_over_never"] = round(entry["audit"]["cpu_s"] / entry["audit-never"]["cpu_s"], 3)
                entry["run_cpu_ratios"] = [round(a["cpu_s"] / b["cpu_s"], 3)
                                           for a, b in zip(runs["audit"], runs["audit-never"])]
        results["sizes"][str(n)] = entry
    results["linearity"] = linearity(results)
    results["verdicts"] = verdicts(results)
    (out / args.results).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print()
    print_table(results)
    print(f"\nwrote {out / args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
