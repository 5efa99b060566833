#!/usr/bin/env python3
"""What starting the browser costs before it loads a page: the floor under issue 14's targets.

    python3 benchmarks/browser_floor.py --repeat 3     # as root (CPU from a cgroup)

For each run, the exact CPU (CpuGroup in run.py: every process started, chromium's included) of
* Python importing Playwright;
* Playwright's launch() of the system chromium, one context, one about:blank tab, then close;
* chromium alone, driven over --remote-debugging-pipe with no node driver: one context, one tab;
* the whole demo audit with ``--render never``;
and the memory (PSS, by process kind) that Playwright's node driver and chromium hold with one
blank tab open. Figures in benchmarks/README.md ("What is left").
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from run import CpuGroup  # noqa: E402

_LAUNCH = ("from auditor.crawl.browser.chromium import launch\n"
           "with launch() as b:\n"
           "    c = b.new_context(); p = c.new_page(); p.goto('about:blank'); c.close()\n")


def _pipe_chromium() -> None:
    """chromium over --remote-debugging-pipe (fds 3 and 4, NUL-separated JSON): one context and
    one about:blank tab, then Browser.close — what the browser costs without Playwright's driver."""
    from auditor.crawl.browser.chromium import PLAYWRIGHT_SWITCHES, find_chromium

    to_browser, from_us = os.pipe()
    to_us, from_browser = os.pipe()

    def fds() -> None:
        a, b = os.dup(to_browser), os.dup(from_browser)
        os.dup2(a, 3)
        os.dup2(b, 4)
        os.set_inheritable(3, True)
        os.set_inheritable(4, True)

    exe = os.path.realpath(find_chromium() or "chromium")
    if exe == "/usr/bin/chromium" and os.path.exists("/usr/lib/chromium/chromium"):
        exe = "/usr/lib/chromium/chromium"  # Debian's wrapper script, not the browser
    profile = tempfile.mkdtemp(prefix="gov-audit-floor-")
    proc = subprocess.Popen([exe, *PLAYWRIGHT_SWITCHES, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                             "about:blank"], preexec_fn=fds, close_fds=False,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(to_browser)
    os.close(from_browser)
    buf = b""
    ids = iter(range(1, 1000))

    def call(method: str, params: dict | None = None, session: str | None = None) -> dict:
        nonlocal buf
        i = next(ids)
        msg = {"id": i, "method": method, "params": params or {}, **({"sessionId": session} if session else {})}
        os.write(from_us, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == i:
                    return reply.get("result", {})
            chunk = os.read(to_us, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            buf += chunk

    ctx = call("Target.createBrowserContext")["browserContextId"]
    target = call("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call("Runtime.evaluate", {"expression": "1"}, session)
    try:
        call("Browser.close")
    except RuntimeError:
        pass
    proc.wait(30)


def _exact(cmd: list[str], env: dict | None = None) -> float | None:
    group = CpuGroup(f"gov-audit-floor-{os.getpid()}-{time.monotonic_ns()}")
    subprocess.run(cmd, preexec_fn=group.join if group.path else None, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    used = group.usage_s()
    group.remove()
    return used


def _memory() -> dict:
    """PSS by process kind with one blank tab open (MB)."""
    import psutil

    from auditor.crawl.browser.chromium import launch

    me = psutil.Process()
    with launch() as browser:
        ctx = browser.new_context()
        ctx.new_page().goto("about:blank")
        time.sleep(1)
        kinds: dict[str, float] = {}
        for proc in me.children(recursive=True):
            try:
                cmd = proc.cmdline()
                kind = next((a.split("=", 1)[1] for a in cmd if a.startswith("--type=")),
                            "chromium" if "chrom" in os.path.basename(cmd[0]) else os.path.basename(cmd[0]))
                kinds[kind] = kinds.get(kind, 0.0) + proc.memory_full_info().pss / 2**20
            except (psutil.Error, IndexError):
                pass
        ctx.close()
    return {k: round(v) for k, v in sorted(kinds.items())}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="the browser's cost before its first page")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--pipe-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.pipe_child:
        _pipe_chromium()
        return 0
    py = sys.executable
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rows = {"python importing playwright": [py, "-c", "import playwright.sync_api"],
            "playwright launch + context + blank tab": [py, "-c", _LAUNCH],
            "chromium over a pipe, no node driver, one tab": [py, __file__, "--pipe-child"],
            "demo audit, --render never": [py, "-m", "auditor", "demo", "--out",
                                           tempfile.mkdtemp(prefix="gov-audit-floor-demo-"), "--quiet",
                                           "--render", "never"]}
    for label, cmd in rows.items():
        runs = [_exact(cmd, env) for _ in range(args.repeat)]
        shown = ", ".join("?" if r is None else f"{r:.2f}" for r in runs)
        print(f"{label:48s} CPU s: {shown}")
    pss = _memory()
    print(f"PSS MB with one blank tab: {pss}; node driver + chromium {sum(v for k, v in pss.items() if k != 'python')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
