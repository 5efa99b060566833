"""One audit: crawl, run checks, score, write the report. Used by the CLI and by tests."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from .crawler import CrawlOptions, Crawler, Progress
from .gatherers import GatherContext, run_gatherers
from .profile import Profile, load_profile
from .registry import discover
from .report import build_report, write_outputs
from .runner import run_checks
from .scoring import score
from .snapshot import Snapshot


@dataclass
class AuditConfig:
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    profile: str | None = None
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    lang: str = "zh"
    as_of: date | None = None
    gather_options: dict = field(default_factory=dict)


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
    crawler = Crawler(config.crawl, on_progress)
    if on_crawler:
        on_crawler(crawler)
    snapshot = crawler.run(url)
    if config.as_of is not None:
        snapshot.as_of = config.as_of
    needed = {g for c in selected for g in c.gatherers}
    facts, timing = run_gatherers(needed, snapshot, GatherContext(options=dict(config.gather_options),
                                                                fetcher=crawler.fetcher))
    snapshot.add_facts(facts)
    snapshot.gather_timing = timing
    runs = run_checks(selected, snapshot, profile)
    card = score(runs, profile)
    problems = list(registry.problems)
    robots = snapshot.robots
    if robots.get("state") == "unreachable" and not robots.get("ignored"):
        problems.append(f"robots.txt could not be read ({robots.get('error')}): as RFC 9309 asks, "
                        "only the homepage was fetched; use --ignore-robots for a site you run")
    report = build_report(snapshot, runs, card, profile, problems=problems)
    paths = write_outputs(report, out_dir, config.lang) if out_dir is not None else {}
    return AuditOutcome(report, snapshot, paths)
