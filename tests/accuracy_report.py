"""Print the verdict-accuracy table of the fixture sites (issue 4).

    python3 -m tests.accuracy_report        # or: python3 tests/accuracy_report.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy  # noqa: E402


def main() -> int:
    rows = accuracy.all_rows()
    print(accuracy.table(rows))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
