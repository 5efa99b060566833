"""SIGTERM and SIGINT to real `gov-audit audit` and `gov-audit fleet` processes (issue 15
items 1–3): the work stops, what was gathered is written and marked partial, the exit code is 2
for both commands, and no process of the command's process group is left behind."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from servers import LoopbackSite, Response, page

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.timeout(60)


def slow_site(seconds: float = 0.5, pages: int = 40) -> dict:
    def route(handler):
        time.sleep(seconds)
        n = handler.path.strip("/").split(".")[0]
        return Response(page(f"慢页面 {n}", f"<a href='/{n}x.html'>更多</a>"))
    links = "".join(f"<a href='/p{i}.html'>p{i}</a>" for i in range(pages))
    return {"/": page("首页", links), "/robots.txt": Response("", 404), "*": route}


def start(*args: str) -> subprocess.Popen:
    """The command in a process group of its own (its pgid is its pid), as a CI job runs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "auditor", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT, start_new_session=True)


def group_members(pgid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(entry))
    return out


def wait_for(cond, what: str, limit: float = 30.0) -> None:
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return proc.returncode, out, err


def assert_group_gone(pgid: int) -> None:
    """Every process of the command (audits, forkserver, resource tracker, pacer manager) ends."""
    try:
        wait_for(lambda: not group_members(pgid), f"every process of group {pgid} to end", 15)
    finally:
        for pid in group_members(pgid):
            os.kill(pid, signal.SIGKILL)


def page_hits(site: LoopbackSite) -> int:
    return len([h for h in site.hits() if h.path.startswith("/p")])


AUDIT = ("--rate", "100", "--concurrency", "2", "--render", "never", "--only", "identity.icp")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_audit_writes_its_partial_report_and_exits_2(tmp_path, sig):
    with LoopbackSite(slow_site()) as site:
        proc = start("audit", site.url, "--out", str(tmp_path), *AUDIT)
        wait_for(lambda: page_hits(site) >= 3, "the crawl to be under way")
        proc.send_signal(sig)
        code, out, err = finish(proc)
        assert_group_gone(proc.pid)
        after = len(site.hits())
        time.sleep(0.3)
        assert len(site.hits()) == after  # nobody left crawling
    assert code == 2, err
    assert "Traceback" not in err
    assert f"interrupted ({signal.Signals(sig).name}): partial report written to" in err
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["partial"] is True and report["stop_reason"] == "interrupted"
    assert (tmp_path / "scorecard.html").exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_a_second_ctrl_c_does_not_lose_the_partial_report(tmp_path):
    with LoopbackSite(slow_site()) as site:
        proc = start("audit", site.url, "--out", str(tmp_path), *AUDIT)
        wait_for(lambda: page_hits(site) >= 3, "the crawl to be under way")
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGTERM)
        code, out, err = finish(proc)
        assert_group_gone(proc.pid)
    assert code == 2 and "Traceback" not in err, err
    assert "still writing the partial report" in err
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["partial"] is True and report["stop_reason"] == "interrupted"


def _fleet_csv(tmp_path, sites) -> Path:
    csv = tmp_path / "sites.csv"
    csv.write_text("url,name\n" + "".join(f"{s.url},site{i}\n" for i, s in enumerate(sites)), "utf-8")
    return csv


@pytest.mark.parametrize("how", ["sigterm-coordinator", "sigint-group"])
def test_a_stopped_fleet_writes_partial_reports_ends_every_process_and_exits_2(tmp_path, how):
    with LoopbackSite(slow_site()) as a, LoopbackSite(slow_site()) as b:
        csv = _fleet_csv(tmp_path, [a, b])
        out = tmp_path / "fleet"
        proc = start("fleet", str(csv), "--out", str(out), "--workers", "2", "--render", "never",
                     "--only", "identity.icp", "--concurrency", "2", "--host-rate", "100")
        wait_for(lambda: page_hits(a) >= 2 and page_hits(b) >= 2, "both audits to be under way")
        if how == "sigterm-coordinator":
            proc.send_signal(signal.SIGTERM)  # the coordinator only: it must end its children itself
        else:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C on a terminal: the whole process group
        code, stdout, err = finish(proc)
        assert_group_gone(proc.pid)
        after = len(a.hits()) + len(b.hits())
        time.sleep(0.3)
        assert len(a.hits()) + len(b.hits()) == after  # no audit lives on
    assert code == 2, err
    assert "Traceback" not in err and "interrupted (SIG" in err
    summary = json.loads((out / "fleet.json").read_text("utf-8"))
    assert (out / "index.html").exists()
    assert [r["state"] for r in summary["ranking"]] == ["interrupted", "interrupted"]
    for row in summary["ranking"]:
        report = json.loads((out / row["report"]).read_text("utf-8"))  # what was gathered is kept
        assert report["partial"] is True and report["stop_reason"] == "interrupted"


def test_ctrl_c_while_the_history_is_locked_keeps_the_outputs(tmp_path):
    db = tmp_path / "h.db"
    lock: list[sqlite3.Connection] = []
    with LoopbackSite(slow_site(0.05, pages=6)) as site:
        proc = start("audit", site.url, "--out", str(tmp_path / "out"), "--history", str(db), *AUDIT)
        try:
            # Once the audit is crawling (its up-front history check is done), another writer
            # takes the history's write lock and keeps it.
            wait_for(lambda: page_hits(site) >= 1, "the crawl to start")
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            lock.append(holder)
            # The outputs are written before the history is touched ...
            wait_for(lambda: (tmp_path / "out" / "report.json").exists(), "the report to be written")
            proc.send_signal(signal.SIGINT)  # ... and the wait for the lock ends at Ctrl-C
            code, out, err = finish(proc)
        finally:
            for holder in lock:
                holder.execute("ROLLBACK")
                holder.close()
        assert_group_gone(proc.pid)
    assert code == 2, err
    assert "Traceback" not in err
    assert "interrupted while another process held its lock" in err
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["partial"] is False  # the audit itself had finished
    assert any("interrupted while another process held its lock" in p for p in report["problems"])
