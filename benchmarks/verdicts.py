#!/usr/bin/env python3
"""Every check's verdict on the fixture portals, to show an optimisation changed none.

    python3 benchmarks/verdicts.py --root /tmp/before --out benchmarks/out/verdicts-before.json
    python3 benchmarks/verdicts.py --out benchmarks/out/verdicts-after.json
    python3 benchmarks/verdicts.py --compare benchmarks/out/verdicts-before.json benchmarks/out/verdicts-after.json

Audits the fixture sites of tests/accuracy.py (``ministry``, ``province``, and ``city`` = the
bundled demo) with ``--render auto`` and ``--render never`` from the repository at ``--root``
(a subprocess with that copy first on the path), and writes for each site and mode the map
check id → status, plus the browser's own findings the browser checks read (axe-core rule ids
per page, the phone view's overflow, the hidden outbound links found by the visibility
gatherer). ``--compare`` prints every difference and exits 1 when there is one.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1] + "/tests")
import accuracy
from auditor.operations.audit import AuditConfig, run_audit
from auditor.crawl.crawler import CrawlOptions
out = {}
for name in accuracy.PROFILES:
    for render in ("auto", "never"):
        with accuracy.serve(name) as url:
            o = run_audit(url, AuditConfig(crawl=CrawlOptions(rate=500), profile=accuracy.PROFILES[name],
                                           as_of=accuracy.AS_OF, gather_options={"render": render}), None)
        port = url.rsplit(":", 1)[1].split("/")[0]
        facts = o.snapshot.facts if hasattr(o.snapshot, "facts") else {}
        def strip(u):
            return (u or "").replace(port, "PORT")
        browser = {}
        r = facts.get("render") if isinstance(facts.get("render"), dict) else {}
        home = r.get("homepage") or {}
        if home:
            browser["homepage_axe"] = sorted(v["id"] for v in (home.get("axe") or {}).get("violations") or ())
            browser["phone_overflow"] = (home.get("phone") or {}).get("overflow")
            browser["script_links"] = sorted(strip(l["href"]) for l in home.get("script_links") or ())
        a = facts.get("axe") if isinstance(facts.get("axe"), dict) else {}
        browser["axe_pages"] = {strip(p.get("url")): sorted(v["id"] for v in (p.get("axe") or {}).get("violations") or ())
                                for p in a.get("pages") or ()}
        v = facts.get("visibility") if isinstance(facts.get("visibility"), dict) else {}
        browser["visibility_state"] = v.get("state")
        browser["hidden_links"] = {strip(p.get("url")): sorted(strip(h[0]) + " " + h[2] for h in p.get("hidden") or ())
                                   for p in v.get("pages") or ()}
        out[f"{name}/{render}"] = {"verdicts": {c["id"]: c["status"] for c in o.report["checks"]},
                                   "score": o.report.get("score"), "browser": browser}
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
"""


def collect(root: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(root)], cwd=root, env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the audits failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def diff(a: dict, b: dict, path: str = "") -> list[str]:
    out = []
    for k in sorted(set(a) | set(b)):
        p = f"{path}/{k}" if path else k
        if k not in a or k not in b:
            out.append(f"{p}: {a.get(k, '(absent)')!r} -> {b.get(k, '(absent)')!r}")
        elif isinstance(a[k], dict) and isinstance(b[k], dict):
            out += diff(a[k], b[k], p)
        elif a[k] != b[k]:
            out.append(f"{p}: {a[k]!r} -> {b[k]!r}")
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="verdict maps of the fixture portals, before and after")
    p.add_argument("--root", default=str(ROOT), help="the repository copy to audit with")
    p.add_argument("--out", default=None)
    p.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = p.parse_args(argv)
    if args.compare:
        a, b = (json.loads(Path(f).read_text("utf-8")) for f in args.compare)
        lines = diff(a, b)
        for line in lines:
            print(line)
        n = sum(len(v["verdicts"]) for v in b.values())
        print("SAME" if not lines else f"DIFFERENT ({len(lines)} differences)", f"— {n} verdicts in {len(b)} audits")
        return 1 if lines else 0
    data = collect(Path(args.root).resolve())
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if args.out:
        Path(args.out).write_text(text, "utf-8")
    else:
        print(text)
    print(f"{sum(len(v['verdicts']) for v in data.values())} verdicts in {len(data)} audits", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
