"""Audit the real-site corpus with default options and measure how often the verdicts are right.

Each site in corpus/manifest.toml is a copy of a real government website kept in a public
repository (HTTrack/wget copies, saved portals). For each site this script:

1. brings the copy back into DATA/<host>/ from the repository's bare mirror
   (/work/.mirror/<owner>+<name>/repo, or --mirror-root), checking out the manifest's commit;
2. re-executes itself inside a new network namespace with only loopback (`unshare -n`, root),
   serves the copy on 127.0.0.1:80 under the site's own host name, and runs
   `gov-audit audit http://<host>/ --resolve <host>:80:127.0.0.1 --as-of <date>` with default
   options (plus the manifest's profile when the site is a city/province/ministry site), so no
   request leaves the machine;
3. compares each check's status with the verdict a careful inspector gave it from the pages
   (manifest `[site.expected]`) and writes the accuracy table to corpus/RESULTS.md.

The mirrored pages are others' content: they live outside git (DATA defaults to
/work/corpus-data, or $GOV_AUDIT_CORPUS_DATA); never commit them.

    sudo .venv/bin/python corpus/run.py               # every site, one at a time
    .venv/bin/python corpus/run.py --site zhecheng    # one site
    .venv/bin/python corpus/run.py --score-only       # rescore the last reports
"""
from __future__ import annotations

import argparse
import http.server
import json
import mimetypes
import os
import shutil
import ssl
import subprocess
import sys
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MANIFEST = HERE / "manifest.toml"
RESULTS = HERE / "RESULTS.md"
DEFAULT_DATA = Path(os.environ.get("GOV_AUDIT_CORPUS_DATA", "/work/corpus-data"))
DEFAULT_MIRRORS = Path(os.environ.get("GOV_AUDIT_MIRROR_ROOT", "/work/.mirror"))
DEFAULT_OUT = Path(os.environ.get("GOV_AUDIT_CORPUS_OUT", "/work/corpus-out"))
ANALYSIS_MARK = "<!-- analysis: kept across runs -->"

VERDICTS = ("pass", "warn", "fail", "na", "unknown")
FAILING = ("fail", "warn")


# --------------------------------------------------------------------------- manifest

@dataclass
class Expected:
    check: str
    verdict: str          # pass | warn | fail | na | unknown-expected
    page: str
    why: str


@dataclass
class Site:
    id: str
    host: str
    repository: str
    commit: str
    subdir: str
    as_of: str
    profile: str
    cms: str
    level: str
    pages: int
    copied: str
    note: str = ""
    scheme: str = "http"
    start: str = "/"              # the audited URL's path (a single-page copy: the saved page's own path)
    single_page: bool = False     # a saved page and its assets, not a site: assets are found by suffix
    expected: list[Expected] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.start}"

    @property
    def mirror_name(self) -> str:
        return self.repository.replace("/", "+")


def load_manifest(path: Path = MANIFEST) -> list[Site]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sites = []
    for raw in data.get("site", []):
        expected = [Expected(check=cid, verdict=e["verdict"], page=e.get("page", ""), why=e.get("why", ""))
                    for cid, e in raw.get("expected", {}).items()]
        sites.append(Site(
            id=raw["id"], host=raw["host"], repository=raw["repository"], commit=raw["commit"],
            subdir=raw.get("subdir", ""), as_of=raw["as_of"], profile=raw.get("profile", "default"),
            cms=raw.get("cms", ""), level=raw.get("level", ""), pages=int(raw.get("pages", 0)),
            copied=raw.get("copied", ""), note=raw.get("note", ""), scheme=raw.get("scheme", "http"),
            start=raw.get("start", "/"), single_page=bool(raw.get("single_page", False)), expected=expected))
    return sites


# --------------------------------------------------------------------------- data

def site_root(site: Site, data: Path) -> Path:
    return data / site.host


def bring_back(site: Site, data: Path, mirrors: Path) -> Path | None:
    """The site's files in DATA/<host>/, checked out from the repository's mirror when absent."""
    root = site_root(site, data)
    if (root / "index.html").exists() or (root / "index.htm").exists():
        return root
    git_dir = mirrors / site.mirror_name / "repo"
    if not git_dir.is_dir():
        print(f"[{site.id}] no copy in {root} and no mirror at {git_dir}.\n"
              f"    Get it with the session's `fetch` tool (github:{site.repository}), or\n"
              f"    git clone --bare https://github.com/{site.repository} {git_dir}\n"
              f"    then run this again (commit {site.commit}).", file=sys.stderr)
        return None
    staging = root.with_name(root.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    missing = extract_tree(git_dir, site.commit, site.subdir, staging)
    if missing:  # a snapshot lacks files of 4 MiB and more, and now and then an image: say so, go on
        print(f"[{site.id}] {len(missing)} file(s) absent from the snapshot, left out: {', '.join(missing[:5])}",
              file=sys.stderr)
    source = staging / site.subdir if site.subdir else staging
    shutil.rmtree(root, ignore_errors=True)
    source.rename(root) if site.subdir else staging.rename(root)
    shutil.rmtree(staging, ignore_errors=True)
    return root


def extract_tree(git_dir: Path, commit: str, subdir: str, into: Path) -> list[str]:
    """Writes the files of ``commit`` (under ``subdir``) into ``into`` and returns the paths whose
    blob the mirror does not hold. `git checkout` would stop at the first absent blob; a
    snapshot lacks its largest files, so each file is read on its own."""
    args = ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-z", commit]
    if subdir:
        args += ["--", subdir]
    listing = subprocess.run(args, capture_output=True, check=True).stdout.split(b"\0")
    missing = []
    for entry in filter(None, listing):
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode == b"120000":  # submodules and symlinks are not part of a copy
            continue
        rel = path.decode("utf-8", "surrogateescape")
        blob = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "blob", sha.decode()], capture_output=True)
        if blob.returncode != 0:
            missing.append(rel)
            continue
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return missing


# --------------------------------------------------------------------------- server

class MirrorHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a saved copy as its site served it: directories answer with index.html/index.htm,
    missing files 404, and the query string is ignored (HTTrack rewrote query links to files).

    A single-page copy (a page saved with its assets) answers its own path with the saved page,
    and an asset the page asks for relative to that path (static/css/x.css) from the copy's
    folder of that name."""

    server_version = "corpus-mirror"
    sys_version = ""
    start = "/"
    single_page = False
    https_port = 0

    def translate_path(self, path: str) -> str:
        root = Path(self.directory).resolve()
        url_path = unquote(urlsplit(path).path)
        if self.single_page and url_path == self.start:
            return str(root / "index.html")
        rel = url_path.lstrip("/")
        target = (root / rel).resolve()
        if root not in target.parents and target != root:
            return str(root / "__outside__")
        if target.is_dir():
            for name in ("index.html", "index.htm", "default.htm"):
                if (target / name).is_file():
                    return str(target / name)
        if self.single_page and not target.exists():
            parts = rel.split("/")
            for i in range(1, len(parts)):  # /a/b/static/css/x.css -> static/css/x.css
                candidate = (root / "/".join(parts[i:])).resolve()
                if root in candidate.parents and candidate.is_file() and candidate.name != "index.html":
                    return str(candidate)
        return str(target)

    def send_head(self):
        if self.https_port and not isinstance(self.connection, ssl.SSLSocket):
            self.send_response(301)  # as the real site: plain HTTP goes to HTTPS
            self.send_header("Location", f"https://{self.headers.get('Host', '').split(':')[0]}{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def list_directory(self, path):  # a real site shows no directory listings
        self.send_error(404)
        return None

    def guess_type(self, path):
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith("text/html"):
            return "text/html; charset=utf-8" if _is_utf8(path) else "text/html"
        return kind

    def log_message(self, fmt, *args):
        pass


def _is_utf8(path: str) -> bool:
    try:
        Path(path).read_bytes().decode("utf-8")
        return True
    except (OSError, UnicodeDecodeError):
        return False


def serve(root: Path, site: Site, port: int = 80, tls: ssl.SSLContext | None = None,
          https_port: int = 0) -> http.server.ThreadingHTTPServer:
    attrs = {"start": site.start, "single_page": site.single_page, "https_port": https_port if tls is None else 0}
    handler_class = type("SiteHandler", (MirrorHandler,), attrs)
    handler = lambda *a, **kw: handler_class(*a, directory=str(root), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def tls_context(host: str, out: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context for ``host`` signed by a throwaway trustme CA, and the CA's PEM file."""
    import trustme
    ca = trustme.CA()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(host).configure_cert(ctx)
    pem = out / "corpus-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ctx, pem


# --------------------------------------------------------------------------- audit

def audit_command(site: Site, out: Path, ca_pem: Path | None = None, extra: list[str] | None = None) -> list[str]:
    """Default options: only what serving a copy needs (name pinning, the copy's date, its CA).
    ``extra`` (tests, experiments) is appended; RESULTS.md is only ever made without it."""
    gov_audit = str(Path(sys.executable).with_name("gov-audit"))
    cmd = [gov_audit, "audit", site.url, "--resolve", f"{site.host}:80:127.0.0.1",
           "--as-of", site.as_of, "--out", str(out), "--quiet"]
    if site.scheme == "https":
        cmd += ["--resolve", f"{site.host}:443:127.0.0.1"]
    if ca_pem is not None:
        cmd += ["--ca-bundle", str(ca_pem)]
    if site.profile and site.profile != "default":
        cmd += ["--profile", site.profile]
    return cmd + list(extra or [])


def run_inside(site: Site, root: Path, out: Path, extra: list[str] | None = None) -> int:
    """Runs in the fresh network namespace: loopback up, serve the copy, audit it."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    out.mkdir(parents=True, exist_ok=True)
    servers, ca_pem = [], None
    if site.scheme == "https":
        ctx, ca_pem = tls_context(site.host, out)
        servers.append(serve(root, site, 443, tls=ctx))
        servers.append(serve(root, site, 80, https_port=443))
    else:
        servers.append(serve(root, site, 80))
    try:
        return subprocess.run(audit_command(site, out, ca_pem, extra)).returncode
    finally:
        for server in servers:
            server.shutdown()


def can_isolate() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None and shutil.which("ip") is not None


def run_isolated(site: Site, root: Path, out: Path, extra: list[str] | None = None) -> int:
    """The audit in a new network namespace holding only loopback: no request leaves the machine."""
    if not can_isolate():
        print("unshare -n needs root, unshare and ip: run this as root", file=sys.stderr)
        return 2
    cmd = ["unshare", "-n", sys.executable, str(Path(__file__).resolve()), "--inside", site.id,
           "--data", str(root.parent), "--out", str(out.parent)]
    cmd += [f"--audit-arg={a}" for a in extra or []]
    return subprocess.run(cmd).returncode


# --------------------------------------------------------------------------- scoring

@dataclass
class Row:
    site: str
    check: str
    expected: str
    actual: str
    veto: bool
    outcome: str          # right | false-fail | false-pass | unknown | wrong-other | not-run
    page: str
    why: str
    said: str


def classify(expected: str, actual: str) -> str:
    """Outcome of one verdict. ``expected`` may allow several verdicts ("warn|fail": a problem,
    whichever its severity; "pass|na")."""
    allowed = set(expected.split("|"))
    if actual == "":
        return "not-run"
    if actual in allowed:
        return "right"
    if actual == "unknown":
        return "unknown"
    if actual in FAILING and not allowed & set(FAILING):
        return "false-fail"
    if actual == "fail" and "warn" in allowed:
        return "false-fail"  # a problem, judged more severe than it is
    if actual == "pass" and allowed & set(FAILING):
        return "false-pass"
    return "wrong-other"


def score_site(site: Site, report: dict) -> list[Row]:
    checks = {c["id"]: c for c in report.get("checks", [])}
    rows = []
    for exp in site.expected:
        if exp.verdict == "unknown-expected":
            continue
        c = checks.get(exp.check, {})
        said = c.get("summary", "")
        if isinstance(said, dict):
            said = said.get("zh") or said.get("en") or ""
        rows.append(Row(site=site.id, check=exp.check, expected=exp.verdict, actual=c.get("status", ""),
                        veto=bool(c.get("veto")), outcome=classify(exp.verdict, c.get("status", "")),
                        page=exp.page, why=exp.why, said=str(said)))
    return rows


OUTCOMES = ("right", "false-fail", "false-pass", "unknown", "wrong-other", "not-run")


def table(rows_by_site: dict[str, list[Row]]) -> str:
    """Accuracy per site. Expectations of ``na`` (a rule not yet in force on the copy's date)
    are not judged verdicts: they are counted apart, so they neither raise nor lower the score."""
    head = "| site | judged | " + " | ".join(OUTCOMES) + " | right % | rule not in force: na right |"
    lines = [head, "|" + " --- |" * (len(OUTCOMES) + 4)]
    total: dict[str, int] = {o: 0 for o in OUTCOMES}
    total_judged = total_na = total_na_right = 0
    for site, rows in rows_by_site.items():
        judged = [r for r in rows if r.expected != "na"]
        na_rows = [r for r in rows if r.expected == "na"]
        counts = {o: sum(r.outcome == o for r in judged) for o in OUTCOMES}
        for o in OUTCOMES:
            total[o] += counts[o]
        na_right = sum(r.outcome == "right" for r in na_rows)
        total_judged, total_na, total_na_right = total_judged + len(judged), total_na + len(na_rows), total_na_right + na_right
        lines.append(_line(site, len(judged), counts, na_right, len(na_rows)))
    lines.append(_line("**total**", total_judged, total, total_na_right, total_na))
    return "\n".join(lines)


def _line(name: str, judged: int, counts: dict[str, int], na_right: int, na_total: int) -> str:
    pct = f"{100 * counts['right'] / judged:.0f} %" if judged else "–"
    return (f"| {name} | {judged} | " + " | ".join(str(counts[o]) for o in OUTCOMES) + f" | {pct} | "
            f"{na_right} / {na_total} |")


def write_results(sites: list[Site], out: Path) -> str:
    rows_by_site: dict[str, list[Row]] = {}
    crawl_lines = []
    revisions = set()
    for site in sites:
        report_path = out / site.id / "report.json"
        if not report_path.exists():
            continue
        report = json.loads(report_path.read_text(encoding="utf-8"))
        rev_file = out / site.id / "code-revision.txt"
        revisions.add(rev_file.read_text(encoding="utf-8").strip() if rev_file.exists() else "unknown")
        rows_by_site[site.id] = score_site(site, report)
        crawl = report.get("crawl", {})
        crawl_lines.append(f"| {site.id} | {site.host} | {site.cms} | {site.level} | {site.pages} | "
                           f"{crawl.get('pages', crawl.get('pages_fetched', '?'))} | {site.as_of} | "
                           f"{report.get('score', '?')} | {report.get('verdict', '?')} |")
    vetoes = {s: [r for r in rows if r.veto] for s, rows in rows_by_site.items()}
    wrong = [r for rows in rows_by_site.values() for r in rows if r.outcome != "right"]
    parts = [
        "# Real-site corpus: accuracy of gov-audit with default options",
        "",
        f"Code: `{', '.join(sorted(revisions)) or 'none'}` (the revision each report was made with). Generated by `corpus/run.py` from `corpus/manifest.toml`; "
        "each site served on loopback under its own host name inside `unshare -n`, audited with "
        "default options, `--as-of` the copy's date.",
        "",
        "| site | host | CMS | level | pages in copy | URLs fetched (4xx included) | as of | score | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *crawl_lines,
        "",
        "## All judged verdicts",
        "",
        table(rows_by_site),
        "",
        "## Veto items only",
        "",
        table(vetoes),
        "",
        "## Wrong verdicts (generated)",
        "",
        "| site | check | veto | expected | audit | proving page | audit said |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[f"| {r.site} | `{r.check}` | {'veto' if r.veto else ''} | {r.expected} | {r.actual or 'not run'} | "
          f"{r.page} | {_cell(r.said)} |" for r in wrong],
        "",
    ]
    generated = "\n".join(parts)
    analysis = ""
    if RESULTS.exists():
        old = RESULTS.read_text(encoding="utf-8")
        if ANALYSIS_MARK in old:
            analysis = old[old.index(ANALYSIS_MARK):]
    RESULTS.write_text(generated + "\n" + (analysis or ANALYSIS_MARK + "\n"), encoding="utf-8")
    return generated


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:160]


def code_revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty", "--abbrev=7"],
                             capture_output=True, text=True, check=True).stdout.strip()
        return rev
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", action="append", help="only this site id (repeatable)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="where the copies live")
    ap.add_argument("--mirror-root", type=Path, default=DEFAULT_MIRRORS, help="bare mirrors <owner>+<name>/repo")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where each site's report goes")
    ap.add_argument("--score-only", action="store_true", help="do not audit, rescore the reports in --out")
    ap.add_argument("--audit-arg", action="append", default=[],
                    help="extra gov-audit argument (experiments only: RESULTS.md is for default options)")
    ap.add_argument("--inside", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    sites = load_manifest()
    if args.inside:
        site = next(s for s in sites if s.id == args.inside)
        return run_inside(site, site_root(site, args.data), args.out / site.id, args.audit_arg)

    chosen = [s for s in sites if not args.site or s.id in args.site]
    if not args.score_only:
        for site in chosen:  # one at a time: the machine is shared
            root = bring_back(site, args.data, args.mirror_root)
            if root is None:
                continue
            print(f"[{site.id}] auditing {site.url} (as of {site.as_of}) ...", flush=True)
            code = run_isolated(site, root, args.out / site.id, args.audit_arg)
            # which code made this report: the table says it, even when rescored later
            (args.out / site.id / "code-revision.txt").write_text(code_revision() + "\n", encoding="utf-8")
            print(f"[{site.id}] gov-audit exit code {code}", flush=True)
    if args.audit_arg:
        print("extra audit arguments given: RESULTS.md left as it is (it reports default options)")
        return 0
    print(write_results(sites, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
