"""The real-site corpus (corpus/manifest.toml, corpus/run.py; issue 10 item 12).

The manifest's structure is checked always. The mirror server and the scoring are tested on
a tiny site written here. One small corpus site is audited end to end only when its copy is
on this machine and the audit can be isolated in a loopback-only network namespace (root);
otherwise that test skips, saying why.
"""
from __future__ import annotations

import http.client
import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "corpus"))

import run as corpus  # noqa: E402

from auditor.checking import registry  # noqa: E402

VERDICTS = {"pass", "warn", "fail", "na", "unknown"}


@pytest.fixture(scope="module")
def sites():
    return corpus.load_manifest()


def test_manifest_lists_sites_with_where_and_when(sites):
    assert len(sites) >= 2
    ids = [s.id for s in sites]
    assert len(ids) == len(set(ids))
    for s in sites:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", s.repository), s.id
        assert re.fullmatch(r"[0-9a-f]{40}", s.commit), s.id
        assert re.fullmatch(r"[a-z0-9.-]+\.gov\.cn", s.host), s.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.as_of), s.id
        assert s.scheme in ("http", "https") and s.start.startswith("/"), s.id
        assert s.level in ("ministry", "province", "city", "county"), s.id
        assert s.profile in ("default", "ministry", "province", "city"), s.id
        assert s.cms and s.copied and s.pages >= 1, s.id


def test_every_expected_verdict_names_a_check_a_verdict_and_its_proof(sites):
    known = _known_check_ids()
    for s in sites:
        assert s.expected, s.id
        for e in s.expected:
            assert e.check in known, f"{s.id}: unknown check {e.check}"
            assert set(e.verdict.split("|")) <= VERDICTS, f"{s.id} {e.check}: {e.verdict}"
            assert e.page.startswith("/") and e.why.strip(), f"{s.id} {e.check}"


def _known_check_ids() -> set[str]:
    return set(registry.discover().checks)


@pytest.mark.parametrize("expected, actual, outcome", [
    ("pass", "pass", "right"),
    ("warn|fail", "warn", "right"),
    ("pass", "unknown", "unknown"),
    ("pass", "warn", "false-fail"),
    ("na", "fail", "false-fail"),
    ("warn", "fail", "false-fail"),
    ("fail", "pass", "false-pass"),
    ("warn|fail", "pass", "false-pass"),
    ("na", "pass", "wrong-other"),
    ("pass", "", "not-run"),
])
def test_outcome_of_a_verdict(expected, actual, outcome):
    assert corpus.classify(expected, actual) == outcome


def test_scoring_counts_each_outcome_and_singles_out_vetoes():
    site = corpus.Site(id="t", host="www.t.gov.cn", repository="o/r", commit="0" * 40, subdir="",
                       as_of="2020-01-01", profile="default", cms="x", level="county", pages=1, copied="x",
                       expected=[corpus.Expected("a.x", "pass", "/", "w"), corpus.Expected("b.y", "fail", "/", "w"),
                                 corpus.Expected("c.z", "unknown-expected", "/", "w"),
                                 corpus.Expected("d.w", "na", "/", "rule not yet in force")])
    report = {"checks": [{"id": "a.x", "status": "fail", "veto": True, "summary": {"zh": "没有"}},
                         {"id": "b.y", "status": "fail", "veto": False, "summary": "有"},
                         {"id": "d.w", "status": "na", "veto": False, "summary": "规则尚未施行"}]}
    rows = corpus.score_site(site, report)
    assert [(r.check, r.outcome, r.veto) for r in rows] == [("a.x", "false-fail", True), ("b.y", "right", False),
                                                            ("d.w", "right", False)]
    text = corpus.table({"t": rows})
    # a rule not yet in force is counted apart: it does not raise the score
    assert "| t | 2 | 1 | 1 | 0 | 0 | 0 | 0 | 50 % | 1 / 1 |" in text


@pytest.fixture
def tiny_copy(tmp_path):
    root = tmp_path / "www.t.gov.cn"
    (root / "xxgk").mkdir(parents=True)
    (root / "index.html").write_text("<title>首页</title>", encoding="utf-8")
    (root / "xxgk" / "index.html").write_text("<title>信息公开</title>", encoding="gbk")
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "a.css").write_text("body{}", encoding="utf-8")
    return root


def _get(port: int, path: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"Host": "www.t.gov.cn"})
        r = conn.getresponse()
        return r.status, r.read(), {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def test_mirror_server_serves_a_copy_as_its_site_did(tiny_copy):
    site = corpus.Site(id="t", host="www.t.gov.cn", repository="o/r", commit="0" * 40, subdir="", as_of="2020-01-01",
                       profile="default", cms="x", level="county", pages=2, copied="x")
    server = corpus.serve(tiny_copy, site, port=0)
    port = server.server_address[1]
    try:
        status, body, headers = _get(port, "/?link=hdjl")           # query ignored, / is index.html
        assert status == 200 and "首页" in body.decode("utf-8")
        assert headers["content-type"] == "text/html; charset=utf-8"
        status, body, headers = _get(port, "/xxgk/")                 # a folder answers with its index
        assert status == 200 and body.decode("gbk") == "<title>信息公开</title>"
        assert headers["content-type"] == "text/html"                 # not utf-8: the page's meta decides
        assert _get(port, "/xxgk/missing/")[0] == 404                # a page HTTrack did not save
        assert _get(port, "/a/b/static/css/a.css")[0] == 404         # no guessing on a site copy
        assert _get(port, "/../../etc/passwd")[0] == 404
    finally:
        server.shutdown()


def test_a_single_page_copy_answers_its_path_and_its_relative_assets(tiny_copy):
    site = corpus.Site(id="t", host="www.t.gov.cn", repository="o/r", commit="0" * 40, subdir="", as_of="2020-01-01",
                       profile="city", cms="x", level="city", pages=1, copied="x", start="/a/b/post_1.html",
                       single_page=True)
    server = corpus.serve(tiny_copy, site, port=0)
    port = server.server_address[1]
    try:
        assert "首页" in _get(port, "/a/b/post_1.html")[1].decode("utf-8")
        status, body, _ = _get(port, "/a/b/static/css/a.css")
        assert (status, body) == (200, b"body{}")
        assert _get(port, "/other/index.html")[0] == 404            # the saved page only at its own path
    finally:
        server.shutdown()


def test_the_audit_runs_with_default_options_and_only_pins_names(sites):
    site = next(s for s in sites if s.scheme == "https")
    cmd = corpus.audit_command(site, Path("/tmp/out"), Path("/tmp/ca.pem"))
    assert cmd[2] == site.url
    options = [a for a in cmd[3:] if a.startswith("--")]
    assert set(options) <= {"--resolve", "--as-of", "--out", "--quiet", "--ca-bundle", "--profile"}
    assert f"{site.host}:443:127.0.0.1" in cmd and f"{site.host}:80:127.0.0.1" in cmd


def test_results_table_is_recorded():
    text = (REPO / "corpus" / "RESULTS.md").read_text(encoding="utf-8")
    assert "## All judged verdicts" in text and "## Veto items only" in text and "**total**" in text
    assert corpus.ANALYSIS_MARK in text


def test_a_small_corpus_site_audited_on_loopback_only(sites, tmp_path):
    """The one-page Guangzhou copy, audited in a loopback-only namespace (identity checks only, at
    a fast rate, no browser: a short test); its identity verdicts must match the manifest's."""
    site = next(s for s in sites if s.id == "guangzhou-page")
    root = corpus.bring_back(site, corpus.DEFAULT_DATA, corpus.DEFAULT_MIRRORS) if (
        corpus.DEFAULT_MIRRORS / site.mirror_name).is_dir() or corpus.site_root(site, corpus.DEFAULT_DATA).is_dir() \
        else None
    if root is None:
        pytest.skip(f"no copy of {site.repository} here (fetch it, see corpus/run.py)")
    if not corpus.can_isolate():
        pytest.skip("needs root, unshare and ip to isolate the audit from the network")
    code = corpus.run_isolated(site, root, tmp_path / site.id, ["--only", "identity.*", "--rate", "200", "--render", "never"])
    assert code == 0
    report = json.loads((tmp_path / site.id / "report.json").read_text(encoding="utf-8"))
    rows = [r for r in corpus.score_site(site, report) if r.check.startswith("identity.")]
    assert len(rows) >= 6
    assert [r for r in rows if r.outcome != "right"] == []


def test_a_copy_is_brought_back_even_when_the_snapshot_lacks_some_files(tmp_path):
    """A fetched snapshot lacks its largest files (and now and then an image): the rest of the copy
    is extracted and the absent files are named, where `git checkout` would stop."""
    import subprocess
    work = tmp_path / "work"
    (work / "xxgk").mkdir(parents=True)
    (work / "index.html").write_text("<title>首页</title>", encoding="utf-8")
    (work / "xxgk" / "index.html").write_text("<title>信息公开</title>", encoding="utf-8")
    (work / "big.png").write_bytes(b"\x89PNG" + b"0" * 64)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(work)]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "copy"], check=True)
    commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    blob = subprocess.run(git + ["rev-parse", "HEAD:big.png"], capture_output=True, text=True, check=True).stdout.strip()
    (work / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # loose object: the snapshot's missing blob
    into = tmp_path / "data"
    missing = corpus.extract_tree(work / ".git", commit, "", into)
    assert missing == ["big.png"]
    assert (into / "xxgk" / "index.html").read_text(encoding="utf-8") == "<title>信息公开</title>"
    assert not (into / "big.png").exists()
