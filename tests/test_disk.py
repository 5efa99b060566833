"""Full disks, read-only paths and foreign history files (issue 15 items 6 and 7): refused up
front where they can be, written atomically, never a traceback, one line and exit 2, and
nothing touched that is refused.

A full disk is a real small tmpfs filled up; a read-only path a tmpfs remounted read-only
(both need root and mount(2); skipped otherwise). Everything runs the real command line.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from reports.history import History
from servers import LoopbackSite, page

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.timeout(60)
FILL = "<p>" + "示例市人民政府门户网站发布政务信息。" * 30 + "</p>"


def _mount(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs; fill(free=N) leaves about N bytes free, read_only() remounts it ro."""
    mnt = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    if not _mount(mnt, "256k"):
        pytest.skip("needs root and mount(2) for a small tmpfs")

    class Disk:
        path = mnt

        @staticmethod
        def fill(free: int = 0) -> None:
            filler = mnt / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fd)
            if free:
                with open(filler, "r+b") as fh:
                    fh.truncate(max(0, filler.stat().st_size - free))

        @staticmethod
        def read_only() -> None:
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)

    try:
        yield Disk
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=50)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.strip()
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("gov-audit: error:")]
    assert len(lines) == 1, err
    return lines[0]


AUDIT = ("--rate", "200", "--render", "never", "--quiet", "--only", "identity.icp")


def test_a_full_disk_while_writing_the_report(small_disk):
    out = small_disk.path / "out"
    out.mkdir()
    small_disk.fill(free=8 * 1024)  # the up-front probe fits, the scorecard does not
    with LoopbackSite({"/": page("示例市人民政府", FILL)}) as site:
        proc = cli("audit", site.url, "--out", str(out), *AUDIT)
    line = one_line_error(proc)
    assert "report was not written" in line and "No space left on device" in line
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*tmp"))  # no stray temporaries


def test_a_full_disk_is_found_before_any_request(small_disk):
    small_disk.fill()
    with LoopbackSite({"/": page("示例市人民政府", FILL)}) as site:
        proc = cli("audit", site.url, "--out", str(small_disk.path / "out"), *AUDIT)
        hits = site.hits()
    line = one_line_error(proc)
    assert "--out" in line and "No space left on device" in line
    assert hits == []


def test_fleet_out_read_only_is_refused_before_any_site_is_audited(small_disk, tmp_path):
    small_disk.read_only()
    with LoopbackSite({"/": page("示例市人民政府", FILL)}) as site:
        csv = tmp_path / "sites.csv"
        csv.write_text(f"url\n{site.url}\n", "utf-8")
        proc = cli("fleet", str(csv), "--out", str(small_disk.path / "fleet"), "--render", "never", "--quiet")
        hits = site.hits()
    line = one_line_error(proc)
    assert "Read-only file system" in line
    assert hits == []


def _history_with_a_run(path: Path) -> None:
    with History.open(path) as h:
        h.add_sample("http://example.gov.cn/", at=1.0, ok=True, status=200, elapsed=0.1, error_kind=None,
                     error=None, timeout=15)


def test_monitor_on_a_read_only_history_is_one_line(small_disk):
    db = small_disk.path / "h.db"
    _history_with_a_run(db)
    small_disk.read_only()
    with LoopbackSite({"/": page("示例", FILL)}) as site:
        proc = cli("monitor", site.url, "--history", str(db), "--count", "1")
        hits = site.hits()
    line = one_line_error(proc)
    assert "read-only" in line and "not a gov-audit history" not in line
    assert hits == []


def test_fleet_history_read_only_is_refused_up_front(small_disk, tmp_path):
    db = small_disk.path / "h.db"
    _history_with_a_run(db)
    small_disk.read_only()
    with LoopbackSite({"/": page("示例", FILL)}) as site:
        csv = tmp_path / "sites.csv"
        csv.write_text(f"url\n{site.url}\n", "utf-8")
        proc = cli("fleet", str(csv), "--out", str(tmp_path / "fleet"), "--history", str(db), "--quiet")
        hits = site.hits()
    assert "read-only" in one_line_error(proc)
    assert hits == []


def test_a_history_on_a_full_disk_is_never_called_foreign(small_disk, tmp_path):
    db = small_disk.path / "h.db"
    _history_with_a_run(db)
    small_disk.fill()
    with LoopbackSite({"/": page("示例市人民政府", FILL)}) as site:
        proc = cli("audit", site.url, "--out", str(tmp_path / "out"), "--history", str(db), *AUDIT)
        hits = site.hits()
    line = one_line_error(proc)
    assert "the disk is full" in line and "not a gov-audit history" not in line
    assert hits == []  # found before the audit, not after


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path):
    db = tmp_path / "app.db"
    raw = sqlite3.connect(db)
    raw.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, what TEXT)")
    raw.execute("INSERT INTO runs (what) VALUES ('not ours')")
    raw.commit()
    raw.close()
    before = _digest(db)
    csv = tmp_path / "sites.csv"
    csv.write_text("url\nhttp://127.0.0.1:9/\n", "utf-8")
    for proc in (cli("fleet", str(csv), "--out", str(tmp_path / "fleet"), "--history", str(db), "--quiet"),
                 cli("audit", "http://127.0.0.1:9/", "--out", str(tmp_path / "o"), "--history", str(db)),
                 cli("monitor", "http://127.0.0.1:9/", "--history", str(db), "--count", "1")):
        line = one_line_error(proc)
        assert "SQLite database of something else (tables: runs)" in line and "left untouched" in line
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("app.db")) == ["app.db"]  # no -wal/-shm
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert tables == {"runs"}


def test_fleet_history_rows_lost_are_reported(tmp_path, monkeypatch):
    """A history that cannot take the runs after the audits (here: another program's file put in
    its place meanwhile) is said on stderr and on the fleet page, exit 2 — never silent."""
    from auditor.operations.fleet import FleetJob, SiteOutcome, SiteSpec, summarise, write_site

    db = tmp_path / "h.db"
    db.write_bytes(b"garbage that is not sqlite" * 10)
    outcome = SiteOutcome(SiteSpec("http://example.gov.cn/", slug="x"), "audited",
                          report={"site": {"url": "http://example.gov.cn/"}, "checks": [], "problems": [],
                                  "score": 80, "verdict": "pass", "veto": {"checks": []}, "counts": {}})
    from reports import report as report_mod

    monkeypatch.setattr(report_mod, "write_outputs", lambda *a, **k: {})  # about the history, not the outputs
    write_site(outcome, tmp_path / "fleet", FleetJob(history=str(db), formats=("json",)))
    summary = summarise([outcome])
    assert summary["problems"] and "not a gov-audit history" in summary["problems"][0]


def test_a_history_that_fills_the_disk_while_recording_says_so(small_disk):
    from reports.history import HistoryError

    db = small_disk.path / "h.db"
    _history_with_a_run(db)
    report = {"site": {"url": "http://example.gov.cn/"}, "checks": [{"id": f"c{i}", "status": "pass"} for i in range(400)],
              "score": 80, "verdict": "pass", "veto": {"checks": []}, "counts": {}, "finished_at": "2026-01-01T00:00:00"}
    with History.open(db) as h:
        small_disk.fill()
        with pytest.raises(HistoryError) as info:
            for _ in range(50):
                h.record_run(report)
    assert "the disk is full" in str(info.value) and "not a gov-audit" not in str(info.value)
