"""Verdict accuracy on the fixture sites (issue 4): serve, audit, compare with expected.toml.

Sites: ``ministry`` and ``province`` (static files in tests/fixtures/sites/<name>/www, built by
tests/fixtures/build_sites.py) and ``city`` (the bundled demo, served by DemoServer).
Each is audited with its profile and as_of 2026-11-20, and every verdict listed in
tests/fixtures/sites/<name>/expected.toml is compared with the audit's.
"""
from __future__ import annotations

import sys
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from servers import LoopbackSite, Response  # noqa: E402

SITES_DIR = HERE / "fixtures" / "sites"
AS_OF = date(2026, 11, 20)
PROFILES = {"ministry": "ministry", "province": "province", "city": "city"}
_TYPES = {".js": "application/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".png": "image/png", ".gif": "image/gif", ".txt": "text/plain; charset=utf-8"}
#: per site: the charset its HTML pages are served with, and pages served with a wrong header
HTML_CHARSET = {"ministry": "gbk", "province": "utf-8"}
WRONG_HEADER = {"ministry": {"/zwgk/ndbg/index.html": "utf-8"}}   # GBK bytes, utf-8 header


def static_routes(name: str) -> dict[str, Response]:
    root = SITES_DIR / name / "www"
    routes: dict[str, Response] = {}
    for f in sorted(root.rglob("*")):
        if not f.is_file():
            continue
        path = "/" + f.relative_to(root).as_posix()
        if f.suffix == ".html":
            cs = WRONG_HEADER.get(name, {}).get(path, HTML_CHARSET[name])
            ctype = f"text/html; charset={cs}"
        else:
            ctype = _TYPES.get(f.suffix, "application/octet-stream")
        resp = Response(f.read_bytes(), content_type=ctype)
        routes[path] = resp
        if f.name == "index.html":
            routes[path[: -len("index.html")]] = resp
    return routes


@contextmanager
def serve(name: str):
    """Yield the base url of the named fixture site on loopback."""
    if name == "city":
        from auditor.demo import DemoServer
        with DemoServer() as s:
            yield s.url
        return
    s = LoopbackSite(static_routes(name)).start()
    try:
        yield s.url
    finally:
        s.stop()


def audit(name: str, render: str = "never") -> dict:
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    with serve(name) as url:
        outcome = run_audit(url, AuditConfig(crawl=CrawlOptions(rate=500), profile=PROFILES[name], as_of=AS_OF,
                                             gather_options={"render": render}), None)
    return {c["id"]: c for c in outcome.report["checks"]}


def expected(name: str) -> dict[str, dict]:
    return tomllib.loads((SITES_DIR / name / "expected.toml").read_text("utf-8"))


@dataclass
class Row:
    site: str
    check: str
    want: str
    got: str
    reason: str

    @property
    def ok(self) -> bool:
        return self.want == self.got


def compare(name: str, render: str = "never") -> list[Row]:
    got = audit(name, render)
    rows = []
    for cid, spec in sorted(expected(name).items()):
        actual = got[cid]["status"] if cid in got else "(missing)"
        rows.append(Row(name, cid, spec["status"], actual, spec.get("reason", "")))
    return rows


def table(rows: list[Row]) -> str:
    """Accuracy per site and per check family (the part of the id before the dot)."""
    out = []
    sites = sorted({r.site for r in rows})
    out.append("per site:  expected = actual / total")
    for s in sites:
        rs = [r for r in rows if r.site == s]
        out.append(f"  {s:10s} {sum(r.ok for r in rs):3d} / {len(rs):3d}")
    out.append("per check family:")
    fams = sorted({r.check.split(".")[0] for r in rows})
    for fam in fams:
        cells = []
        for s in sites:
            rs = [r for r in rows if r.site == s and r.check.split(".")[0] == fam]
            cells.append(f"{s}={sum(r.ok for r in rs)}/{len(rs)}" if rs else f"{s}=-")
        rs = [r for r in rows if r.check.split(".")[0] == fam]
        out.append(f"  {fam:14s} {sum(r.ok for r in rs):3d} / {len(rs):3d}   ({', '.join(cells)})")
    out.append(f"total: {sum(r.ok for r in rows)} / {len(rows)}")
    bad = [r for r in rows if not r.ok]
    for r in bad:
        out.append(f"  MISMATCH {r.site} {r.check}: expected {r.want}, got {r.got} ({r.reason})")
    return "\n".join(out)


def all_rows(render: str = "never") -> list[Row]:
    return [r for name in PROFILES for r in compare(name, render)]
