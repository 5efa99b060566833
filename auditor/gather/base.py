"""Gatherers: facts beyond the crawl (DNS answers, TLS handshakes, IPv6 probes, a
rendered DOM), collected once after the crawl and stored in ``snapshot.facts``.

A check names the gatherers it needs in its metadata (``gatherers=("dns",)``); the
audit runs each needed gatherer once, whatever number of checks read its facts —
Lighthouse's gatherer/audit split. Gatherers register through the
``gov_audit.gatherers`` entry-point group (a name and a callable), so a plugin
package can bring its own. A gatherer that raises stores a :class:`GatherError`
under its name; the checks that need it then say ``unknown``.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import Any, Callable, Mapping

ENTRY_POINT_GROUP = "gov_audit.gatherers"
# Pseudo-gatherers provided by the crawl itself.
# What the crawl itself provides: the homepage, the pages, and the link checks ("links": the
# crawl checks the homepage's links only when a selected check declares it reads them).
BUILTIN_FACTS = frozenset({"homepage", "pages", "links"})


@dataclass(frozen=True)
class GatherError:
    name: str
    message: str


@dataclass
class GatherContext:
    """What a gatherer may use: the audit's network settings and politeness limits."""

    options: dict[str, Any] = field(default_factory=dict)
    fetcher: Any = None  # auditor.network.fetch.Fetcher sharing the crawl's rate limiter
    profile: Any = None  # the audit's Profile (keywords, thresholds)
    # axe-core runs the browser started during the crawl (auditor.crawl.browser.plan.AxeJob):
    # live futures, handed over here, never through the snapshot.
    axe_jobs: list = field(default_factory=list)
    # The crawl's browser (auditor.crawl.browser.renderer.Renderer) while it runs, for a gatherer
    # that needs chromium (visibility): one browser per audit, not one per gatherer.
    renderer: Any = None
    log: list[str] = field(default_factory=list)
    # gatherer name -> the settings checks hand it (Check.gatherer_settings: probes, sample sizes),
    # with each check's default or profile value: gatherers never read check settings themselves.
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The availability probes of a site stored by `gov-audit monitor`: (url, since, until) -> samples
    # with .at .ok .status .elapsed .error_kind .error .timeout .url; set by the audit when it has a
    # history store (the uptime gatherer reads them and never opens a report store itself).
    probe_samples: Callable[[str, float, float], list] | None = None


class Audited:
    """The snapshot as the checks see it: the crawl's :class:`~auditor.crawl.snapshot.Snapshot`
    with what the audit added after the crawl — the gatherers' facts, how long they took, and
    whether the audit was stopped while they ran. Built once the facts are in (the checks that
    read only the crawl get one with none but the crawl's records), then never written; the
    snapshot itself is never written after the crawl. Everything else is the snapshot's.
    """

    __slots__ = ("snapshot", "facts", "gather_timing", "partial", "stop_reason", "__weakref__")

    def __init__(self, snapshot, facts: Mapping[str, Any] | None = None,
                 timing: Mapping[str, float] | None = None, interrupted: bool = False) -> None:
        set_ = object.__setattr__
        set_(self, "snapshot", snapshot)
        set_(self, "facts", MappingProxyType(dict(facts or {})))
        set_(self, "gather_timing", MappingProxyType(dict(timing or {})))
        # Stopped after the crawl (while the gatherers probed): the report is partial too.
        set_(self, "partial", True if interrupted else snapshot.partial)
        set_(self, "stop_reason", "interrupted" if interrupted else snapshot.stop_reason)

    @property
    def view_owner(self):
        """Views are functions of the crawl's snapshot: memoised on it (auditor.views.cache),
        whichever Audited of the same audit asks."""
        return self.snapshot

    def __getattr__(self, name: str) -> Any:
        return getattr(self.snapshot, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"an audited snapshot is not written ({name})")

    def __repr__(self) -> str:
        return f"Audited({self.snapshot.start_url!r}, facts={sorted(self.facts)})"


_registry: dict[str, Callable] = {}


def gatherer(name: str) -> Callable[[Callable], Callable]:
    """Register a built-in gatherer function ``(snapshot, ctx) -> facts``."""

    def wrap(func: Callable) -> Callable:
        _registry[name] = func
        return func

    return wrap


def _import_builtins() -> None:
    import importlib
    import pkgutil

    from auditor import gather

    for info in pkgutil.iter_modules(gather.__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"{gather.__name__}.{info.name}")


def available() -> dict[str, Callable]:
    _import_builtins()
    found = dict(_registry)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            continue
        try:
            found[ep.name] = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the audit
            found[ep.name] = _broken(ep.name, exc)
    return found


def _broken(name: str, exc: Exception) -> Callable:
    def fail(snapshot, ctx):
        raise RuntimeError(f"gatherer plugin {name} could not be loaded: {exc}")

    return fail


def run_gatherers(names: set[str], snapshot, ctx: GatherContext) -> tuple[dict[str, Any], dict[str, float]]:
    """Run each named gatherer once, concurrently; returns (facts by name, seconds by name).

    Gatherers are independent and mostly wait — on a browser process, on the network
    (paced by the shared rate limiter), on DNS — so they overlap rather than queue.
    """
    registry = available()
    facts: dict[str, Any] = {}
    timing: dict[str, float] = {}

    def one(name: str) -> None:
        func = registry.get(name)
        t0 = time.perf_counter()
        if func is None:
            facts[name] = GatherError(name, f"no gatherer named {name!r} is installed")
        else:
            try:
                facts[name] = func(snapshot, ctx)
            except Exception as exc:  # noqa: BLE001
                facts[name] = GatherError(name, f"{type(exc).__name__}: {exc}")
        timing[name] = round(time.perf_counter() - t0, 3)

    todo = sorted(names - BUILTIN_FACTS)
    if len(todo) <= 1:
        for name in todo:
            one(name)
    else:
        with ThreadPoolExecutor(max_workers=min(8, len(todo)), thread_name_prefix="gov-audit-gather") as pool:
            list(pool.map(one, todo))
    return facts, timing
