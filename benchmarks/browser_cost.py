#!/usr/bin/env python3
"""The browser's cost on the bundled demo site: ``gov-audit demo`` with the default
``--render auto`` against ``--render never``, run interleaved in one go.

    python3 benchmarks/browser_cost.py --repeat 5

For each run: wall time, user+system CPU of gov-audit and every process it started
(the demo server's thread, Playwright's node driver, chromium's processes: /usr/bin/time
counts the children it waited for), and the peak memory of the whole process tree
(psutil polling, RSS summed and PSS). Prints each run, the medians, and the ratio
CPU(auto) / CPU(never) per pair of runs, whose spread shows how much the shared machine
moved; writes benchmarks/out/browser_cost.json. ``--before-root DIR`` adds a third
command, ``--render auto`` from another copy of the repository, in the same rotation.
Where the browser's time goes within one audit: profile_browser.py.
"""
from __future__ import annotations

import argparse
import os
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import measure  # noqa: E402

TARGET = 2.0  # issue 14: the default audit of the demo takes at most twice the CPU of --render never


def run_once(mode: str, out: Path, tag: str, extra: list[str], root: Path = ROOT) -> dict:
    report_dir = out / f"demo-{tag}"
    cmd = [sys.executable, "-m", "auditor", "demo", "--out", str(report_dir), "--quiet", "--render", mode, *extra]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    m = measure(cmd, out / f"demo-{tag}", env, cwd=root)
    if m["returncode"] not in (0, 1):
        err = Path(f"{out / f'demo-{tag}'}.stderr").read_text("utf-8", "replace")[-2000:]
        raise RuntimeError(f"the demo audit failed (exit {m['returncode']}):\n{err}")
    report = json.loads((report_dir / "report.json").read_text("utf-8"))
    m["verdicts"] = {c["id"]: c.get("verdict") or c.get("status") for c in report.get("checks") or ()}
    return m


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="CPU of the demo audit with and without the browser")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", default=str(HERE / "out"))
    p.add_argument("--audit-arg", action="append", default=[], metavar="ARG")
    p.add_argument("--before-root", default=None, metavar="DIR",
                   help="also run --render auto from this copy of the repository, interleaved (before/after)")
    args = p.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[dict]] = {"auto": [], "never": []}
    if args.before_root:
        runs["auto-before"] = []
    for i in range(args.repeat):
        for mode in runs:
            root = Path(args.before_root).resolve() if mode == "auto-before" else ROOT
            m = run_once(mode.split("-")[0], out, f"{mode}-r{i + 1}", args.audit_arg, root)
            runs[mode].append(m)
            print(f"run {i + 1} --render {mode:5s}: wall {m['wall_s']:6.2f} s  CPU {m.get('cpu_s', 0):6.2f} s  "
                  f"tree RSS {m.get('peak_tree_rss_mb')} MB  PSS {m.get('peak_tree_pss_mb')} MB", file=sys.stderr)
    ratios = [round(a["cpu_s"] / b["cpu_s"], 2) for a, b in zip(runs["auto"], runs["never"])]
    before = [round(a["cpu_s"] / b["cpu_s"], 2) for a, b in zip(runs.get("auto-before", ()), runs["never"])]
    summary = {}
    for mode, rs in runs.items():
        summary[mode] = {k: statistics.median(r[k] for r in rs if r.get(k) is not None)
                         for k in ("wall_s", "cpu_s", "peak_tree_rss_mb", "peak_tree_pss_mb")}
        summary[mode]["cpu_s_runs"] = [r.get("cpu_s") for r in rs]
    same = all(r["verdicts"] == runs["auto"][0]["verdicts"] for r in runs["auto"])
    same_before = all(r["verdicts"] == runs["auto"][0]["verdicts"] for r in runs.get("auto-before", ()))
    result = {"runs": runs, "summary": summary, "cpu_ratio_runs": ratios, "before_cpu_ratio_runs": before,
              "before_verdicts_same": same_before,
              "cpu_ratio_median": statistics.median(ratios), "auto_verdicts_stable": same}
    (out / "browser_cost.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    for mode in runs:
        s = summary[mode]
        print(f"--render {mode:11s} median: wall {s['wall_s']:.2f} s, CPU {s['cpu_s']:.2f} s "
              f"(runs {s['cpu_s_runs']}), tree RSS {s['peak_tree_rss_mb']:.0f} MB, PSS {s['peak_tree_pss_mb']:.0f} MB")
    med = result["cpu_ratio_median"]
    print(f"CPU auto / never per run: {ratios}; median {med:.2f}; target ≤ {TARGET}: "
          + ("MET" if med <= TARGET else "MISSED"))
    if before:
        print(f"before: CPU auto / never per run: {before}; median {statistics.median(before):.2f}; "
              f"verdicts the same as after: {same_before}")
    print(f"verdicts of every auto run the same: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
