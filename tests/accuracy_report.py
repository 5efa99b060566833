"""Print the verdict-accuracy table of the fixture sites (issue 4).

    python3 -m tests.accuracy_report                 # or: python3 tests/accuracy_report.py
    python3 -m tests.accuracy_report --render auto   # the same sites through the browser
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(description="verdict accuracy on the fixture sites")
    p.add_argument("--render", choices=("never", "auto", "always"), default="never",
                   help="audit with the browser too (needs chromium); default never, as the tests")
    args = p.parse_args(argv)
    rows = accuracy.all_rows(args.render)
    print(accuracy.table(rows))
    for r in rows:
        if not r.ok:
            print(f"  MISMATCH {r.site} {r.check}: expected {r.want}, got {r.got}")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
