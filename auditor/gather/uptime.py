"""The ``uptime`` gatherer: homepage availability probes from the history store.

``gov-audit monitor URL --history DB`` probes the homepage on a schedule and
stores each probe; an audit run with ``--history DB`` (``ctx.options["history"]``)
reads the probes of the audited site from the last weeks here (through
``ctx.probe_samples``, which the audit hands it), for the ``site.uptime`` check to judge.
It never uses the network.
"""
from __future__ import annotations

import time

from auditor.gather.base import gatherer

#: Probes older than this are not read (the check's window is a profile setting, 7 days by default).
MAX_WINDOW_DAYS = 31


@gatherer("uptime")
def gather_uptime(snapshot, ctx) -> dict:
    path = (ctx.options or {}).get("history")
    if not path or ctx.probe_samples is None:
        return {"state": "no-history"}
    end = snapshot.finished_at.timestamp() if getattr(snapshot, "finished_at", None) else time.time()
    samples = ctx.probe_samples(snapshot.start_url, end - MAX_WINDOW_DAYS * 86400, end + 60)
    return {"state": "ok", "history": str(path), "now": end,
            "samples": [{"at": s.at, "ok": s.ok, "status": s.status, "elapsed": s.elapsed,
                         "error_kind": s.error_kind, "error": s.error, "timeout": s.timeout, "url": s.url}
                        for s in samples]}
