#!/usr/bin/env python3
"""What each part of the default browser work costs on the demo: issue 14's ≤ 2× target, rung by rung.

    python3 benchmarks/browser_ladder.py --repeat 3      # as root (CPU from a cgroup)

Runs ``gov-audit demo`` interleaved, ``--repeat`` times each, as four configurations:

* ``never``       — ``--render never``;
* ``bare-home``   — the browser renders the homepage's DOM only: no axe-core, no desktop or phone
                    screenshot, no phone view (a copy of this tree with those lines switched
                    off, made under a temporary directory), and no sample pages (the profile below);
* ``home``        — the homepage as by default (screenshots, phone view, axe-core), no sample pages;
* ``default``     — ``--render auto`` with the default samples (4 axe-core pages, 10 visibility pages).

"No sample pages" is a profile that sets ``a11y.axe`` ``sample_columns``/``sample_articles`` and
``security.dark-links`` ``computed_sample_pages`` to 0 (the visibility scan then reads the
homepage only). Prints the CPU (cgroup: every process, chromium's included) and the peak PSS of
the process tree of each run, and each configuration's CPU ÷ that of ``never`` in the same
rotation; writes benchmarks/out/browser_ladder.json. Figures in benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from browser_cost import run_once  # noqa: E402

NO_SAMPLES = """\
[checks."a11y.axe"]
sample_columns = 0
sample_articles = 0

[checks."security.dark-links"]
computed_sample_pages = 0
"""

# The homepage's extras in auditor/crawl/browser/renderer.py, switched off in the bare-home copy.
HOMEPAGE_EXTRAS = (
    ('                if homepage:\n'
     '                    rec["screenshot_desktop"] = _shot(bpage, DESKTOP["width"], DESKTOP_MAX_HEIGHT, info["scroll_height"])\n'
     '                    rec["axe"] = run_axe(bpage)\n'),
    ('            if homepage:\n'
     '                rec["phone"] = self._phone_view(url)\n'),
)


def bare_home_tree(dest: Path) -> Path:
    """A copy of this tree's HEAD whose homepage render keeps only the DOM."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    renderer = dest / "auditor" / "crawl" / "browser" / "renderer.py"
    text = renderer.read_text("utf-8")
    for block in HOMEPAGE_EXTRAS:
        if block not in text:
            raise SystemExit(f"browser_ladder: renderer.py changed; update HOMEPAGE_EXTRAS:\n{block}")
        text = text.replace(block, "")
    renderer.write_text(text, "utf-8")
    return dest


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="CPU of the demo audit, one part of the browser's work at a time")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", default=str(HERE / "out"))
    args = p.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gov-audit-ladder-") as tmp:
        profile = Path(tmp) / "no-samples.toml"
        profile.write_text(NO_SAMPLES, "utf-8")
        bare = bare_home_tree(Path(tmp) / "bare")
        no_samples = ["--profile", str(profile)]
        configs = {"never": ("never", [], ROOT), "bare-home": ("auto", no_samples, bare),
                   "home": ("auto", no_samples, ROOT), "default": ("auto", [], ROOT)}
        runs: dict[str, list[dict]] = {name: [] for name in configs}
        for i in range(args.repeat):
            for name, (mode, extra, root) in configs.items():
                m = run_once(mode, out, f"ladder-{name}-r{i + 1}", extra, root)
                runs[name].append(m)
                print(f"run {i + 1} {name:9s}: CPU {m.get('cpu_s', 0):6.2f} s  wall {m['wall_s']:6.2f} s  "
                      f"PSS {m.get('peak_tree_pss_mb')} MB", file=sys.stderr)
    summary = {}
    for name, rs in runs.items():
        ratios = [round(r["cpu_s"] / n["cpu_s"], 2) for r, n in zip(rs, runs["never"])]
        summary[name] = {"cpu_s_runs": [r["cpu_s"] for r in rs], "ratio_runs": ratios,
                         "ratio_median": statistics.median(ratios),
                         "peak_tree_pss_mb": statistics.median(r["peak_tree_pss_mb"] for r in rs)}
    (out / "browser_ladder.json").write_text(json.dumps({"runs": runs, "summary": summary}, ensure_ascii=False,
                                                        indent=2) + "\n", "utf-8")
    print(f"{'configuration':13s} {'CPU s per run':28s} {'÷ never per run':22s} peak PSS MB")
    for name, s in summary.items():
        print(f"{name:13s} {str(s['cpu_s_runs']):28s} {str(s['ratio_runs']):22s} {s['peak_tree_pss_mb']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
