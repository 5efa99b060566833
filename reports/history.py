"""The history store: every audit run and every availability probe, in one SQLite file.

``gov-audit audit --history DB`` records each run (site, time, score, verdict, each
check's status); ``gov-audit monitor --history DB`` records homepage probes, which
the ``site.uptime`` check judges (站点无法访问: a week of ≥ 20 probes a day). The
scorecard draws the score trend and each check's last results from it.

The file is created on first use. Its schema is versioned: ``schema_migrations``
lists the migrations applied, and opening a file made by an older gov-audit
applies the missing ones (in a transaction each); a file from a newer gov-audit is
refused rather than misread. WAL mode and a busy timeout let a monitor write
samples while audits read them.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from auditor.network.urls import normalize


class HistoryError(Exception):
    """The history file cannot be used (not a database, newer schema, unwritable)."""


MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "runs, run checks and availability samples", """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            site TEXT NOT NULL,
            host TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            finished_ts REAL NOT NULL,
            score REAL,
            verdict TEXT NOT NULL,
            veto_failed TEXT NOT NULL DEFAULT '',
            coverage REAL,
            partial INTEGER NOT NULL DEFAULT 0,
            profile TEXT,
            tool_version TEXT,
            as_of TEXT,
            counts TEXT
        );
        CREATE INDEX runs_site ON runs(site, finished_ts);
        CREATE TABLE run_checks (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            check_id TEXT NOT NULL,
            category TEXT,
            status TEXT NOT NULL,
            veto INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, check_id)
        );
        CREATE INDEX run_checks_check ON run_checks(check_id);
        CREATE TABLE samples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            site TEXT NOT NULL,
            host TEXT NOT NULL,
            url TEXT NOT NULL,
            at REAL NOT NULL,
            ok INTEGER NOT NULL,
            status INTEGER,
            elapsed REAL,
            error_kind TEXT,
            error TEXT,
            timeout REAL NOT NULL
        );
        CREATE INDEX samples_site ON samples(site, at);
        CREATE INDEX samples_host ON samples(host, at);
    """),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def site_key(url: str) -> str:
    """The key a site is stored under: its normalised start URL."""
    return normalize(url) or url


def host_key(url: str) -> str:
    return urlsplit(site_key(url)).netloc.lower()


def _ts(iso: str | None) -> float:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except (TypeError, ValueError):
        return time.time()


@dataclass(frozen=True)
class Sample:
    at: float  # unix seconds
    ok: bool
    status: int | None
    elapsed: float | None
    error_kind: str | None
    error: str | None
    timeout: float
    url: str = ""


LOCK_WAIT = 30.0  # seconds a write waits for another process's lock
SQLITE_MAGIC = b"SQLite format 3\x00"


class History:
    """``cancel``: an Event that ends a wait for another process's lock at once (a stop
    signal); the wait is made of short tries in Python, so a signal is noticed promptly."""

    def __init__(self, path: str | Path, *, cancel=None, lock_wait: float = LOCK_WAIT,
                 check_writable: bool = False) -> None:
        self.path = Path(path)
        self.cancel = cancel
        self.lock_wait = lock_wait
        if self.path.is_dir():
            raise HistoryError(f"history {self.path} is a folder, not a file")
        if self.path.parent and not self.path.parent.exists():
            raise HistoryError(f"history {self.path}: folder {self.path.parent} does not exist")
        self._refuse_foreign()
        try:
            self.db = sqlite3.connect(str(self.path), timeout=0.1, isolation_level=None,
                                      check_same_thread=False)
        except sqlite3.Error as exc:
            raise HistoryError(self._explain(exc, "cannot open")) from exc
        try:
            self.db.execute("PRAGMA busy_timeout = 100")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            try:
                self._locked(lambda: self.db.execute("PRAGMA journal_mode = WAL"))
            except sqlite3.OperationalError:
                pass  # a read-only folder or a network file system: the default journal will do
            if check_writable:
                self._check_writable()
        except sqlite3.Error as exc:
            self.db.close()
            raise HistoryError(self._explain(exc)) from exc
        except BaseException:
            self.db.close()
            raise

    # -- what may be opened, and what went wrong ------------------------------------
    def _refuse_foreign(self) -> None:
        """Refuse a file that is not a gov-audit history before writing anything to it (no
        schema_migrations table, no WAL switch, no journal left beside it)."""
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except FileNotFoundError:
            return  # created on first use
        except OSError as exc:
            raise HistoryError(f"cannot read history {self.path}: {exc.strerror or exc}") from None
        if not head:
            return  # an empty file: a new history
        if head != SQLITE_MAGIC:
            raise HistoryError(f"history {self.path} is not a gov-audit history database "
                               "(not an SQLite file); it was left untouched")
        try:
            probe = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=0.1)
        except sqlite3.Error:
            return  # judged when opened for real
        try:
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.Error:
            return
        finally:
            probe.close()
        if tables and "schema_migrations" not in tables:
            listed = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
            raise HistoryError(f"history {self.path} is an SQLite database of something else (tables: {listed}), "
                               "not a gov-audit history; it was left untouched")

    def _read_only_fs(self) -> bool:
        import os

        try:
            return bool(os.statvfs(self.path.parent or ".").f_flag & os.ST_RDONLY)
        except (OSError, AttributeError):
            return False

    def _disk_nearly_full(self) -> bool:
        """SQLite says "disk I/O error" when it cannot grow its -shm/-wal files on a full disk."""
        import os

        try:
            st = os.statvfs(self.path.parent or ".")
            return st.f_bavail * st.f_frsize < 64 * 1024
        except (OSError, AttributeError):
            return False

    def _explain(self, exc: BaseException, doing: str = "cannot use") -> str:
        text = str(exc)
        low = text.lower()
        if self._read_only_fs():
            return f"history {self.path} cannot be written: it is on a read-only file system ({text})"
        if "full" in low or (("i/o" in low or "unable to open" in low) and self._disk_nearly_full()):
            return f"history {self.path} cannot be written: the disk is full ({text})"
        if "readonly" in low or "read-only" in low:
            return f"history {self.path} cannot be written: it is read-only ({text})"
        if "locked" in low or "busy" in low:
            return f"history {self.path} is locked by another process ({text})"
        if "i/o" in low or "unable to open" in low:
            return f"{doing} history {self.path}: {text}"
        if "not a database" in low or "malformed" in low or "encrypted" in low:
            return f"history {self.path} is not a gov-audit history database: {text}"
        return f"{doing} history {self.path}: {text}"

    def _locked(self, action):
        """Run ``action`` (a statement that takes the write lock), waiting up to ``lock_wait``
        seconds while another process holds it, in short tries: ``cancel`` ends the wait."""
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                low = str(exc).lower()
                if "locked" not in low and "busy" not in low:
                    raise
                if self.cancel is not None and self.cancel.is_set():
                    raise HistoryError(f"history {self.path} not updated: interrupted while another "
                                       "process held its lock") from None
                if time.monotonic() > deadline:
                    raise HistoryError(f"history {self.path} is locked by another process "
                                       f"(waited {self.lock_wait:g} s)") from None
                if self.cancel is not None:
                    self.cancel.wait(0.05)
                else:
                    time.sleep(0.05)

    def _begin(self) -> None:
        self._locked(lambda: self.db.execute("BEGIN IMMEDIATE"))

    def _check_writable(self) -> None:
        """Fail now, not after the audit, when the file cannot be written (a read-only file,
        folder or file system). Nothing is changed: the write is rolled back."""
        self._begin()
        try:
            version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            self.db.execute(f"PRAGMA user_version = {version}")
        finally:
            self.db.execute("ROLLBACK")

    # -- lifecycle -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, **kwargs) -> "History":
        return cls(path, **kwargs)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        current = self.version() if "schema_migrations" in tables else 0
        if current > SCHEMA_VERSION:
            raise HistoryError(f"history {self.path} has schema version {current}, newer than this "
                               f"gov-audit understands ({SCHEMA_VERSION}); upgrade gov-audit")
        if current >= SCHEMA_VERSION:
            return  # nothing to write: a read-only history can still be read
        for version, name, sql in MIGRATIONS:
            if version <= current:
                continue
            self._begin()
            try:
                self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                # Another process may have migrated while this one waited for the lock.
                if self.db.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                    self.db.execute("COMMIT")
                    continue
                for statement in (s.strip() for s in sql.split(";")):
                    if statement:
                        self.db.execute(statement)
                self.db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                (version, name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def version(self) -> int:
        row = self.db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- audit runs ------------------------------------------------------------
    def record_run(self, report: dict) -> int:
        """Store one audit run; raises HistoryError (full disk, read-only, locked) in one line."""
        try:
            return self._record_run(report)
        except sqlite3.Error as exc:
            raise HistoryError(self._explain(exc, "cannot record the run in")) from exc

    def _record_run(self, report: dict) -> int:
        site = site_key(report["site"]["url"])
        veto = report.get("veto") or {}
        self._begin()
        try:
            cur = self.db.execute(
                "INSERT INTO runs (site, host, started_at, finished_at, finished_ts, score, verdict, veto_failed,"
                " coverage, partial, profile, tool_version, as_of, counts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (site, host_key(site), report.get("started_at", ""), report.get("finished_at", ""),
                 _ts(report.get("finished_at")), report.get("score"), report.get("verdict", "unknown"),
                 ",".join(veto.get("checks") or []), report.get("coverage"), int(bool(report.get("partial"))),
                 (report.get("profile") or {}).get("name"), (report.get("tool") or {}).get("version"),
                 report.get("as_of"), json.dumps(report.get("counts") or {})))
            run_id = int(cur.lastrowid)
            self.db.executemany(
                "INSERT OR REPLACE INTO run_checks (run_id, check_id, category, status, veto) VALUES (?,?,?,?,?)",
                [(run_id, c["id"], c.get("category"), c["status"], int(bool(c.get("veto"))))
                 for c in report.get("checks") or []])
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return run_id

    def runs(self, site: str, limit: int = 30) -> list[dict]:
        """The site's last ``limit`` runs, oldest first."""
        rows = self.db.execute(
            "SELECT id, finished_at, score, verdict, veto_failed, partial FROM runs WHERE site = ?"
            " ORDER BY finished_ts DESC, id DESC LIMIT ?", (site_key(site), limit)).fetchall()
        return [{"id": r[0], "finished_at": r[1], "score": r[2], "verdict": r[3],
                 "veto": [v for v in (r[4] or "").split(",") if v], "partial": bool(r[5])}
                for r in reversed(rows)]

    def check_results(self, run_ids: list[int]) -> dict[str, dict[int, str]]:
        """check id -> {run id: status} over the given runs."""
        if not run_ids:
            return {}
        marks = ",".join("?" * len(run_ids))
        out: dict[str, dict[int, str]] = {}
        for run_id, check_id, status in self.db.execute(
                f"SELECT run_id, check_id, status FROM run_checks WHERE run_id IN ({marks})", run_ids):
            out.setdefault(check_id, {})[run_id] = status
        return out

    def trend(self, site: str, limit: int = 30, check_limit: int = 10) -> dict:
        """What the scorecard shows: the score over the last runs, each check's last results."""
        runs = self.runs(site, limit)
        recent = runs[-check_limit:]
        by_check = self.check_results([r["id"] for r in recent])
        checks = {cid: [{"finished_at": r["finished_at"], "status": results.get(r["id"])} for r in recent]
                  for cid, results in by_check.items()}
        return {"runs": runs, "checks": checks}

    # -- availability samples ----------------------------------------------------
    def add_sample(self, url: str, *, at: float, ok: bool, status: int | None, elapsed: float | None,
                   error_kind: str | None, error: str | None, timeout: float, probed_url: str | None = None) -> None:
        self.add_samples(url, [Sample(at, ok, status, elapsed, error_kind, error, timeout, probed_url or url)])

    def add_samples(self, url: str, samples: list[Sample]) -> None:
        """Store probes; raises HistoryError (full disk, read-only, locked) in one line."""
        try:
            self._add_samples(url, samples)
        except sqlite3.Error as exc:
            raise HistoryError(self._explain(exc, "cannot store the probes in")) from exc

    def _add_samples(self, url: str, samples: list[Sample]) -> None:
        site = site_key(url)
        host = host_key(site)
        self._begin()
        try:
            self.db.executemany(
                "INSERT INTO samples (site, host, url, at, ok, status, elapsed, error_kind, error, timeout)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(site, host, s.url or site, s.at, int(bool(s.ok)), s.status, s.elapsed, s.error_kind,
                  (s.error or "")[:500] or None, s.timeout) for s in samples])
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def samples(self, url: str, since: float, until: float | None = None, limit: int = 200_000) -> list[Sample]:
        """Probes of the site between ``since`` and ``until`` (unix seconds), oldest first.

        Probes are stored under the monitored URL; when none match the audited URL
        exactly, those of the same host (and port) are used.
        """
        until = until if until is not None else time.time() + 1
        cols = "at, ok, status, elapsed, error_kind, error, timeout, url"
        rows = self.db.execute(f"SELECT {cols} FROM samples WHERE site = ? AND at >= ? AND at <= ?"
                               " ORDER BY at LIMIT ?", (site_key(url), since, until, limit)).fetchall()
        if not rows:
            rows = self.db.execute(f"SELECT {cols} FROM samples WHERE host = ? AND at >= ? AND at <= ?"
                                   " ORDER BY at LIMIT ?", (host_key(url), since, until, limit)).fetchall()
        return [Sample(r[0], bool(r[1]), r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def sparkline(scores: list[float | None], pass_line: float = 60, width: int = 240, height: int = 48,
              pad: int = 4) -> dict:
    """Points of an SVG polyline for the scores (0-100 on a fixed scale); gaps for unscored runs."""
    n = len(scores)
    if n == 0:
        return {"width": width, "height": height, "segments": [], "dots": [], "count": 0}
    step = (width - 2 * pad) / max(n - 1, 1)
    segments: list[str] = []
    dots: list[dict] = []
    current: list[str] = []
    for i, s in enumerate(scores):
        x = pad + i * step if n > 1 else width / 2
        if s is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        y = pad + (100 - max(0.0, min(100.0, float(s)))) / 100 * (height - 2 * pad)
        current.append(f"{x:.1f},{y:.1f}")
        dots.append({"x": round(x, 1), "y": round(y, 1), "score": s})
    if current:
        segments.append(" ".join(current))
    return {"width": width, "height": height, "segments": segments, "dots": dots, "count": n,
            "pass_y": round(pad + (100 - max(0.0, min(100.0, float(pass_line)))) / 100 * (height - 2 * pad), 1)}
