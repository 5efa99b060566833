"""One audit: crawl, run checks, score, write the report. Used by the CLI and by tests."""
from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from auditor.crawl.crawler import CrawlOptions, Crawler, Progress
from auditor.gather.base import BUILTIN_FACTS, Audited, GatherContext, GatherError, run_gatherers
from auditor.checking.check import gatherer_settings
from auditor.checking.profile import Profile, load_profile
from auditor.checking.registry import discover
from reports.report import build_report, write_outputs
from auditor.checking.runner import run_checks
from auditor.checking.scoring import score
from auditor.crawl.snapshot import Snapshot
from auditor.operations.signals import INTERRUPTED
from auditor.views.columns import is_article_page


@dataclass
class AuditConfig:
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    profile: str | None = None
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    lang: str = "zh"
    as_of: date | None = None
    gather_options: dict = field(default_factory=dict)
    formats: tuple[str, ...] = ("html", "json")  # reports.formats.FILES
    history: str | None = None  # SQLite history store (reports.history): record the run, show the trend
    junit_warn: str = "pass"  # how JUnit reports a warn: pass (with system-out), fail or skip
    pdf: bool = False  # also print scorecard.html to scorecard.pdf with the system chromium


@dataclass
class AuditOutcome:
    report: dict
    snapshot: Snapshot
    paths: dict[str, Path]


class NoChecksSelected(Exception):
    pass


def run_audit(url: str, config: AuditConfig, out_dir: Path | None,
              on_progress: Callable[[Progress], None] | None = None,
              on_crawler: Callable[[Crawler], None] | None = None,
              profile: Profile | None = None) -> AuditOutcome:
    profile = profile or load_profile(config.profile)
    registry = discover()
    selected = [c for c in registry.select(config.only, config.skip) if profile.check_enabled(c.id)]
    if not selected:
        raise NoChecksSelected("no check matches --only/--skip")
    crawl = with_contact(config.crawl, profile)
    mode = render_mode(config, selected)
    # What the checks hand their gatherers (sample sizes, probes): from every registered check,
    # so a gatherer has its settings whichever checks are selected.
    handed = gatherer_settings(registry.checks.values(), profile)
    axe = (0, 0)
    if mode != "never" and any("axe" in c.gatherers for c in selected):
        sample = handed.get("axe", {})  # the browser renders the axe sample during the crawl
        axe = (int(sample.get("sample_columns", 0)), int(sample.get("sample_articles", 0)))
    # The crawl checks links only for checks that read link results (Lighthouse's
    # requiredArtifacts): `--only 'identity.*'` sends no link checks.
    link_checks = crawl.link_checks and any("links" in c.gatherers for c in selected)
    crawl = dataclasses.replace(crawl, render=mode, axe_sample=axe, link_checks=link_checks,
                                priority_words=crawl.priority_words or tuple(profile.keywords("crawl_priority")))
    crawler = Crawler(crawl, on_progress, is_article=is_article_page)
    if on_crawler:
        on_crawler(crawler)
    try:
        return _audit(url, config, out_dir, profile, registry, selected, crawler, handed)
    finally:
        if crawler.renderer is not None:
            crawler.renderer.close()


def with_contact(crawl: CrawlOptions, profile: Profile) -> CrawlOptions:
    """The crawl options with the profile's [crawl] contact in the User-Agent, unless one was given."""
    from auditor.checking.profile import ProfileError
    from auditor.network.fetch import user_agent_for

    contact = profile.get("crawl.contact")
    if crawl.user_agent or not contact:
        return crawl
    try:
        if not isinstance(contact, str):
            raise ValueError("it must be a string")
        return dataclasses.replace(crawl, user_agent=user_agent_for(contact))
    except ValueError as exc:
        raise ProfileError(f"profile {profile.name}: [crawl] contact: {exc}") from None


# Gatherers that only probe the network: checks reading nothing else gain nothing from a browser.
NETWORK_GATHERERS = frozenset({"dns", "https", "ipv6", "nameservers", "tls", "uptime"})


def render_mode(config: AuditConfig, selected) -> str:
    """The browser's mode for this audit: --render (gather option ``render``; a library caller
    that sets neither gets ``never``), or never when every selected check only probes the network."""
    mode = (config.gather_options.get("render") or config.crawl.render or "never").lower()
    if mode not in ("auto", "always"):
        return "never"
    if all(c.gatherers and set(c.gatherers) <= NETWORK_GATHERERS for c in selected):
        return "never"
    return mode


def _audit(url, config, out_dir, profile, registry, selected, crawler, handed) -> AuditOutcome:
    snapshot = crawler.run(url, as_of=config.as_of)
    # After Ctrl-C the user wants the report now, not more network calls.
    needed = set() if snapshot.stop_reason == "interrupted" else {g for c in selected for g in c.gatherers}
    if crawler.renderer is not None:
        needed.add("render")  # the browser's records, for every check reading the rendered homepage
    gather_options = dict(config.gather_options)
    for key in ("dns_server", "resolve", "connect_to", "ca_bundle"):  # the network checks' options
        gather_options.setdefault(key, getattr(config.crawl, key, None))
    if config.history:
        gather_options.setdefault("history", config.history)
    ctx = GatherContext(options=gather_options, fetcher=crawler.fetcher, profile=profile, settings=handed,
                        probe_samples=probe_reader(gather_options.get("history")), axe_jobs=crawler.axe_jobs,
                        renderer=crawler.renderer)
    audited, runs = gather_and_check(selected, needed, snapshot, ctx, profile)
    facts = audited.facts
    card = score(runs, profile)
    problems = list(registry.problems)
    if isinstance(facts.get("render"), GatherError):  # e.g. no chromium: say how to get one
        problems.append(f"render skipped: {facts['render'].message}")
    if config.pdf or crawler.renderer is not None:
        from auditor.crawl.browser import cjk_font_problem

        font = cjk_font_problem()  # the audit goes on; the report says once what to install
        if font:
            problems.append(font)
    robots = snapshot.robots
    if robots.get("state") == "unreachable" and not robots.get("ignored"):
        problems.append(f"robots.txt could not be read ({robots.get('error')}): as RFC 9309 asks, "
                        "only the homepage was fetched; use --ignore-robots for a site you run")
    report = build_report(audited, runs, card, profile, problems=problems)

    def write(trend=None):
        if out_dir is None:
            return {}
        return write_outputs(report, out_dir, config.lang, config.formats, history=trend,
                             junit_warn=config.junit_warn, screenshots=_screenshots(audited))

    # The outputs first: a history file locked by another process (or a stop signal while
    # waiting for it) must never cost the report. Then the history, and the outputs again
    # with the trend (or the history problem) in them.
    paths = write()
    if config.history:
        before = len(report.get("problems") or [])
        trend = record_history(report, config.history)
        if trend is not None or len(report.get("problems") or []) != before:
            paths = write(trend)
    if config.pdf and "html" in paths:
        pdf = write_pdf(paths["html"], report)
        if pdf is not None:
            paths["pdf"] = pdf
    return AuditOutcome(report, audited, paths)


# Gatherers that only package what the crawl recorded: instant, and read by checks that
# do not declare them (the rendered homepage), so they run before any check.
CRAWL_RECORD_GATHERERS = frozenset({"render"})


def gather_and_check(selected, needed: set[str], snapshot, ctx: GatherContext, profile):
    """Run the gatherers and the checks; returns (the audited snapshot, runs in selection order).

    The checks that read only the crawl run while the slower gatherers (search queries,
    axe-core runs still in the browser, network probes) work: most of those wait on the
    network or the browser, so the checks' CPU time is no longer added after them. Each group
    gets the snapshot with the facts gathered for it (:class:`Audited`); the snapshot itself is
    never written.
    """
    first = needed & CRAWL_RECORD_GATHERERS
    facts, timing = run_gatherers(first, snapshot, ctx)
    early = Audited(snapshot, facts, timing)
    ready = [c for c in selected if set(c.gatherers) <= BUILTIN_FACTS | first]
    later = [c for c in selected if c not in ready]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gov-audit-gatherers") as pool:
        pending = pool.submit(run_gatherers, needed - first, snapshot, ctx)
        early_runs = run_checks(ready, early, profile)
        more, more_timing = pending.result()
    # Stopped after the crawl (while the gatherers probed): what they missed is unknown.
    interrupted = INTERRUPTED.is_set() and snapshot.stop_reason != "interrupted"
    audited = Audited(snapshot, {**facts, **more}, {**timing, **more_timing}, interrupted=interrupted)
    by_id = {r.check.id: r for r in early_runs + run_checks(later, audited, profile)}
    return audited, [by_id[c.id] for c in selected]


def probe_reader(path: str | None):
    """The uptime gatherer's access to the probes `gov-audit monitor` stored (None: no store)."""
    if not path:
        return None

    def samples(url: str, since: float, until: float) -> list:
        if not Path(path).is_file():
            return []
        from reports.history import History

        with History.open(path) as store:
            return store.samples(url, since=since, until=until)

    return samples


def record_history(report: dict, path: str) -> dict | None:
    """Store the run in the history file; returns the trend for the scorecard.

    The audit is done by now: a history that cannot be written is reported in the
    report's ``problems``, never allowed to lose the report.
    """
    from reports.history import History

    try:
        with History.open(path, cancel=INTERRUPTED) as store:
            store.record_run(report)
            return store.trend(report["site"]["url"])
    except Exception as exc:  # noqa: BLE001 - HistoryError, sqlite3 and OS errors alike
        report.setdefault("problems", []).append(f"history not updated: {exc}")
        return None


def _screenshots(snapshot) -> dict | None:
    """The render gatherer's homepage screenshots (base64 PNG) for the scorecard, if taken."""
    from auditor.gather.render import render_facts

    facts = render_facts(snapshot)
    if facts is None:
        return None
    home = facts["homepage"]
    shots = {"desktop": home.get("screenshot_desktop"), "phone": (home.get("phone") or {}).get("screenshot")}
    return {k: v for k, v in shots.items() if v} or None


def write_pdf(html_path: Path, report: dict) -> Path | None:
    """scorecard.pdf beside scorecard.html; a browser problem goes to the report's problems."""
    from auditor.crawl.browser import BrowserUnavailable, html_to_pdf

    target = html_path.with_suffix(".pdf")
    try:
        html_to_pdf(html_path, target)
    except BrowserUnavailable as exc:
        report.setdefault("problems", []).append(f"pdf not written: {exc}")
        return None
    except Exception as exc:  # noqa: BLE001 - the HTML scorecard is written; the PDF is extra
        report.setdefault("problems", []).append(f"pdf not written: {type(exc).__name__}: {str(exc)[:200]}")
        return None
    return target
