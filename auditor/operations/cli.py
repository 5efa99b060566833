"""The ``gov-audit`` command line.

Exit codes: 0 audit done and every gate passes; 1 audit done and a gate failed;
2 could not audit (bad arguments, unreachable site, bad profile), with a one-line
reason on stderr and never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

from auditor import __version__
from auditor.operations.audit import AuditConfig, NoChecksSelected, run_audit
from auditor.crawl.crawler import CrawlOptions, Progress
from auditor.checking.profile import ProfileError, load_profile
from auditor.network.urls import normalize
from auditor.views.homepage import homepage_unread
from auditor.operations.signals import INTERRUPTED, StopOnSignal
from reports.report import OutputError

EXIT_OK, EXIT_GATE, EXIT_CANNOT = 0, 1, 2
DEFAULT_RATE = CrawlOptions.rate  # requests per second to one site: the crawl's default, written once


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise CliError(f"{message} (see '{self.prog} --help')")


def _positive_int(name):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, not {text!r}")
        if value < 1:
            raise argparse.ArgumentTypeError(f"{name} must be at least 1")
        return value
    return parse


def _non_negative_int(name):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, not {text!r}")
        if value < 0:
            raise argparse.ArgumentTypeError(f"{name} must be 0 or more")
        return value
    return parse


def _positive_float(name, upper=None):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, not {text!r}")
        if not value > 0 or value != value:
            raise argparse.ArgumentTypeError(f"{name} must be greater than 0")
        if upper is not None and value > upper:
            raise argparse.ArgumentTypeError(f"{name} must be at most {upper}")
        return value
    return parse


def _score(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--fail-under must be a number from 0 to 100, not {text!r}")
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("--fail-under must be between 0 and 100")
    return value


def _iso_date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of must be a date like 2026-01-31, not {text!r}")


def _formats(text):
    from reports.formats import parse_formats

    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--format: {exc}")


def _interval(text):
    from auditor.operations.monitor import parse_interval

    try:
        return parse_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--every: {exc}")


def _net_option(parse_fn):
    """argparse type for --dns-server/--resolve/--connect-to: validated, kept as the text."""
    def parse(text):
        try:
            parse_fn(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc))
        return text.strip()
    return parse


def _ca_bundle(text):
    from auditor.network.fetch import check_ca_file

    try:
        check_ca_file(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc))
    return os.path.abspath(text)


def _contact(text):
    from auditor.network.fetch import parse_contact

    try:
        parse_contact(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--contact: {exc}")
    return text.strip()


def _agent(args) -> str | None:
    """--user-agent as given, else the default one with --contact's address (None: the audit decides)."""
    from auditor.network.fetch import user_agent_for

    if args.user_agent:
        return args.user_agent
    return user_agent_for(args.contact) if getattr(args, "contact", None) else None


def _globs(values):
    out = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def add_audit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", "-o", default="gov-audit-report", metavar="DIR",
                   help="where scorecard.html and report.json go (default: ./gov-audit-report)")
    g = p.add_argument_group("crawl")
    g.add_argument("--max-pages", type=_positive_int("--max-pages"), default=300,
                   help="pages to fetch at most (default 300)")
    g.add_argument("--max-depth", type=_non_negative_int("--max-depth"), default=4,
                   help="clicks from the homepage at most (default 4)")
    g.add_argument("--concurrency", type=_positive_int("--concurrency"), default=4,
                   help="requests in flight at once (default 4)")
    g.add_argument("--rate", type=_positive_float("--rate", 1000), default=None,
                   help="requests per second per host, never exceeded (default 5)")
    g.add_argument("--timeout", type=_positive_float("--timeout", 600), default=15.0,
                   help="seconds to wait for a server to answer (default 15, as the 国办 probe)")
    g.add_argument("--time-budget", type=_positive_float("--time-budget"), default=None,
                   metavar="SECONDS", help="stop crawling after this long and report what was gathered")
    g.add_argument("--user-agent", default=None, help="User-Agent header (default names gov-audit)")
    g.add_argument("--contact", type=_contact, default=None, metavar="EMAIL|URL",
                   help="your e-mail or web page, put in the User-Agent so the site's team can reach you "
                        "(default: the profile's [crawl] contact, else none)")
    g.add_argument("--max-page-size", type=_positive_float("--max-page-size", 1024), default=5.0,
                   metavar="MB", help="bytes kept per response, after decompression (default 5 MB)")
    g.add_argument("--ignore-robots", action="store_true",
                   help="do not honour robots.txt (only for a site you run)")
    g.add_argument("--link-check-depth", type=_non_negative_int("--link-check-depth"), default=0,
                   help="check every link on pages up to this depth (default 0: the homepage)")
    g.add_argument("--max-per-pattern", type=_positive_int("--max-per-pattern"), default=None,
                   help="URLs of one shape (crawl-trap bound; default max(50, max-pages/4))")
    g.add_argument("--also-host", action="append", default=[], metavar="HOST",
                   help="treat this host as part of the site (repeatable)")
    add_network_options(p)
    c = p.add_argument_group("checks and gates")
    c.add_argument("--profile", default=None,
                   help="ministry, province, city, or a TOML file (default: generic)")
    c.add_argument("--only", action="append", metavar="GLOB", help="run only checks matching (e.g. 'identity.*')")
    c.add_argument("--skip", action="append", metavar="GLOB", help="skip checks matching")
    c.add_argument("--as-of", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                   help="judge dates as of this day (reproducible results)")
    c.add_argument("--lang", choices=("zh", "en"), default="zh", help="scorecard language (default zh)")
    c.add_argument("--fail-under", type=_score, default=None, metavar="SCORE",
                   help="exit 1 when the score is below SCORE")
    c.add_argument("--fail-on", choices=("veto", "fail", "warn"), default=None,
                   help="exit 1 on a failed veto item / any fail / any fail or warning")
    c.add_argument("--baseline", default=None, metavar="REPORT.json",
                   help="gate only on regressions against this earlier report.json")
    o = p.add_argument_group("outputs and history")
    o.add_argument("--format", type=_formats, default=("html", "json"), metavar="LIST",
                   help="outputs to write, comma-separated: html,json,junit,md,xlsx,csv (default html,json); "
                        "xlsx/csv: the 问题清单 as a sheet to assign and track")
    o.add_argument("--junit-warn", choices=("pass", "fail", "skip"), default="pass",
                   help="how JUnit reports a warning: a pass with system-out (default), a failure or a skip")
    o.add_argument("--history", default=None, metavar="DB",
                   help="SQLite history file: record this run, show the score trend, judge site.uptime")
    o.add_argument("--pdf", action="store_true",
                   help="also print the scorecard to scorecard.pdf (A4) with the system chromium")
    r = p.add_argument_group("browser")
    r.add_argument("--render", choices=("auto", "always", "never"), default="auto",
                   help="render pages in the system chromium: the homepage and pages that look script-built "
                        "(auto, default), the homepage and depth-1 pages (always), or none (never)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")


def add_network_options(p, title: str = "network (every connection of the audit, crawl and checks alike)") -> None:
    """--dns-server, --resolve, --connect-to, --ca-bundle: for audit, monitor and fleet alike."""
    from auditor.network.resolve import ConnectTo, Pin, parse_dns_server

    n = p.add_argument_group(title)
    n.add_argument("--dns-server", type=_net_option(parse_dns_server), default=None, metavar="ADDR[:PORT]",
                   help="resolve names with this DNS server (e.g. a staging or internal resolver)")
    n.add_argument("--resolve", type=_net_option(Pin.parse), action="append", default=[],
                   metavar="HOST:PORT:ADDR", help="pin a name and port to an address, as curl's (repeatable)")
    n.add_argument("--connect-to", type=_net_option(ConnectTo.parse), action="append", default=[],
                   metavar="HOST1:PORT1:HOST2:PORT2",
                   help="connect to HOST2:PORT2 for HOST1:PORT1, as curl's (repeatable)")
    n.add_argument("--ca-bundle", type=_ca_bundle, default=None, metavar="FILE",
                   help="also trust the CA certificates in FILE (PEM), e.g. for a staging site")
    n.add_argument("--allow-private", action="store_true",
                   help="also request links, redirects and resources on private, loopback, link-local and "
                        "cloud-metadata addresses (refused by default unless the site itself is on one)")


def network_options(args) -> dict:
    """The network options of parsed arguments, as CrawlOptions fields."""
    return {"dns_server": args.dns_server, "resolve": tuple(args.resolve), "connect_to": tuple(args.connect_to),
            "ca_bundle": str(Path(args.ca_bundle).resolve()) if args.ca_bundle else None,
            "allow_private": bool(getattr(args, "allow_private", False))}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gov-audit",
                     description="Audit a Chinese government website against the rules it must follow.")
    parser.add_argument("--version", action="version", version=f"gov-audit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    a = sub.add_parser("audit", help="crawl a site and write its scorecard")
    a.add_argument("url", help="the site's homepage, e.g. https://www.example.gov.cn/")
    add_audit_options(a)
    d = sub.add_parser("demo", help="audit the bundled sample site (no network needed)")
    add_audit_options(d)
    d.add_argument("--serve", action="store_true", help="only serve the sample site until Ctrl-C")
    k = sub.add_parser("checks", help="list every registered check")
    k.add_argument("--json", action="store_true", help="machine-readable list")
    k.add_argument("--lang", choices=("zh", "en"), default="zh")
    add_fleet_commands(sub)
    return parser


def add_fleet_commands(sub) -> None:
    """diff, monitor, fleet and worker: scheduled and fleet audits (docs/fleet.md)."""
    df = sub.add_parser("diff", help="compare two report.json files: what got worse, what got better")
    df.add_argument("old", help="the earlier report.json")
    df.add_argument("new", help="the later report.json")
    df.add_argument("--html", metavar="FILE", help="also write the comparison as a self-contained HTML page")
    df.add_argument("--json", action="store_true", help="print the comparison as JSON")
    df.add_argument("--xlsx", metavar="FILE", help="also write the newer audit's 问题清单 as a spreadsheet, each row "
                    "marked 新增/仍存在, with the older problems now passing marked 已整改")
    df.add_argument("--csv", metavar="FILE", help="the same sheet as CSV (UTF-8 with BOM, opens in Excel)")
    df.add_argument("--fail-on-regression", action="store_true", help="exit 1 when anything got worse")
    df.add_argument("--lang", choices=("zh", "en"), default="zh")
    m = sub.add_parser("monitor", help="probe a homepage on a schedule and store the probes (for site.uptime)")
    m.add_argument("url", help="the site's homepage")
    m.add_argument("--history", required=True, metavar="DB", help="SQLite history file the probes go into")
    m.add_argument("--every", type=_interval, default=1800.0, metavar="INTERVAL",
                   help="time between probes: 200ms, 5s, 30m, 1h (default 30m; the 国办 rule needs >= 20 a day)")
    m.add_argument("--count", type=_positive_int("--count"), default=None, help="stop after N probes")
    m.add_argument("--timeout", type=_positive_float("--timeout", 600), default=15.0,
                   help="seconds a probe may take before it counts as failed (default 15, the 国办 limit)")
    m.add_argument("--user-agent", default=None, help="User-Agent header (default names gov-audit)")
    m.add_argument("--contact", type=_contact, default=None, metavar="EMAIL|URL",
                   help="your e-mail or web page, put in the User-Agent")
    m.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    add_network_options(m, "network (every probe)")
    f = sub.add_parser("fleet", help="audit every site of a CSV file and rank them")
    f.add_argument("csv", help="CSV with a header row: url, optional name and profile")
    f.add_argument("--out", "-o", default="gov-audit-fleet", metavar="DIR",
                   help="where DIR/index.html and DIR/<site>/scorecard.html go (default ./gov-audit-fleet)")
    f.add_argument("--workers", type=_positive_int("--workers"), default=None,
                   help="sites audited at once (default 2 per CPU, at most 8)")
    f.add_argument("--rate", type=_positive_float("--rate", 10000), default=20.0,
                   help="requests per second for the whole fleet, never exceeded (default 20)")
    f.add_argument("--host-rate", type=_positive_float("--host-rate", 1000), default=DEFAULT_RATE,
                   help="requests per second per host, fleet-wide (default 5)")
    f.add_argument("--site-budget", type=_positive_float("--site-budget"), default=900.0, metavar="SECONDS",
                   help="time one site may take; its crawl stops at 60%% of it, the audit is killed at the end (default 900)")
    f.add_argument("--timeout", type=_positive_float("--timeout", 600), default=15.0,
                   help="seconds to wait for a server (default 15)")
    f.add_argument("--max-pages", type=_positive_int("--max-pages"), default=300)
    f.add_argument("--max-depth", type=_non_negative_int("--max-depth"), default=4)
    f.add_argument("--concurrency", type=_positive_int("--concurrency"), default=4,
                   help="requests in flight at once per site (default 4)")
    f.add_argument("--link-check-depth", type=_non_negative_int("--link-check-depth"), default=0)
    f.add_argument("--render", choices=("auto", "always", "never"), default="auto",
                   help="render pages in the system chromium, as 'audit' does (default auto; "
                        "each worker keeps one browser for all its sites, with fresh contexts per site)")
    f.add_argument("--user-agent", default=None)
    f.add_argument("--contact", type=_contact, default=None, metavar="EMAIL|URL",
                   help="your e-mail or web page, put in the User-Agent (default: each profile's [crawl] contact)")
    f.add_argument("--profile", default=None, help="profile for rows without one (default: generic)")
    f.add_argument("--only", action="append", metavar="GLOB")
    f.add_argument("--skip", action="append", metavar="GLOB")
    f.add_argument("--as-of", type=_iso_date, default=None, metavar="YYYY-MM-DD")
    f.add_argument("--lang", choices=("zh", "en"), default="zh")
    f.add_argument("--format", type=_formats, default=("html", "json"), metavar="LIST",
                   help="per-site outputs: html,json,junit,md (default html,json)")
    f.add_argument("--junit-warn", choices=("pass", "fail", "skip"), default="pass")
    f.add_argument("--history", default=None, metavar="DB", help="record every site's run in this history file")
    f.add_argument("--broker", default=None, metavar="URL",
                   help="dispatch to Celery workers through this broker (e.g. redis://127.0.0.1:6379/0)")
    f.add_argument("--backend", default=None, metavar="URL", help="Celery result backend (default: the broker)")
    f.add_argument("--queue-timeout", type=_positive_float("--queue-timeout"), default=None, metavar="SECONDS",
                   help="with --broker: give up when no task starts or ends for this long")
    f.add_argument("--broker-patience", type=_positive_float("--broker-patience"), default=60.0, metavar="SECONDS",
                   help="with --broker: how long a broker outage is ridden out, reconnecting, before the sites "
                        "without a result are reported (default 60)")
    f.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    add_network_options(f, "network (every site's audit; a --ca-bundle file must be readable by the workers)")
    w = sub.add_parser("worker", help="run a Celery worker for 'gov-audit fleet --broker'")
    w.add_argument("--broker", required=True, metavar="URL", help="e.g. redis://127.0.0.1:6379/0")
    w.add_argument("--backend", default=None, metavar="URL", help="result backend (default: the broker)")
    w.add_argument("--concurrency", type=_positive_int("--concurrency"), default=2,
                   help="sites audited at once by this worker (default 2)")
    w.add_argument("--loglevel", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    w.add_argument("--hostname", default=None, help="Celery node name (default celery@HOST)")


class ProgressLine:
    """One self-rewriting status line on a terminal; silent otherwise."""

    def __init__(self, lang: str, enabled: bool) -> None:
        self.enabled = enabled
        self.lang = lang
        self.last = 0.0

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        elapsed = max(now - p.started, 0.001)
        if self.lang == "en":
            phase = "crawling" if p.phase == "crawl" else "checking links"
            text = f"{phase}: {p.done} done, {p.queued} queued, {p.errors} errors, {p.done / elapsed:.1f}/s"
        else:
            phase = "抓取页面" if p.phase == "crawl" else "检查链接"
            text = f"{phase}：已完成 {p.done}，队列 {p.queued}，错误 {p.errors}，{p.done / elapsed:.1f} 个/秒"
        sys.stderr.write("\r\033[K" + text)
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _config(args) -> AuditConfig:
    crawl = CrawlOptions(
        max_pages=args.max_pages, max_depth=args.max_depth, concurrency=args.concurrency,
        rate=args.rate if args.rate is not None else DEFAULT_RATE, timeout=args.timeout, user_agent=_agent(args),
        max_bytes=int(args.max_page_size * 1024 * 1024), time_budget=args.time_budget,
        ignore_robots=args.ignore_robots, link_check_depth=args.link_check_depth,
        max_per_pattern=args.max_per_pattern, extra_hosts=tuple(args.also_host), **network_options(args))
    return AuditConfig(crawl=crawl, profile=args.profile, only=_globs(args.only),
                       skip=_globs(args.skip), lang=args.lang, as_of=args.as_of,
                       formats=tuple(args.format), history=args.history, junit_warn=args.junit_warn,
                       gather_options={**({"history": args.history} if args.history else {}),
                                       "render": getattr(args, "render", "auto")},
                       pdf=bool(getattr(args, "pdf", False)))


def _normalise_start(url: str) -> str:
    from auditor.operations.inputs import start_url

    try:
        return start_url(url)
    except ValueError as exc:
        raise CliError(str(exc))


def _gate(report: dict, args) -> list[str]:
    failures = []
    if args.fail_under is not None:
        if report["score"] is None or report["score"] < args.fail_under:
            failures.append(f"score {report['score']} is below --fail-under {args.fail_under:g}")
    if args.fail_on:
        statuses = {"veto": set(), "fail": {"fail"}, "warn": {"fail", "warn"}}[args.fail_on]
        if report["veto"]["failed"]:
            failures.append("veto item failed: " + ", ".join(report["veto"]["checks"]))
        bad = [c["id"] for c in report["checks"] if c["status"] in statuses]
        if bad:
            failures.append(f"{len(bad)} check(s) with status {'/'.join(sorted(statuses))}: "
                            + ", ".join(bad[:10]) + (" …" if len(bad) > 10 else ""))
    return failures


def _print_summary(report: dict, paths: dict, lang: str) -> None:
    verdict = {"pass": ("合格", "PASS"), "fail": ("不合格", "FAIL"), "unknown": ("无法判断", "UNDETERMINED")}[report["verdict"]]
    counts = report["counts"]
    if lang == "en":
        print(f"{report['site']['url']}: score {report['score']}  verdict {verdict[1]}"
              f"{'  (veto: ' + ', '.join(report['veto']['checks']) + ')' if report['veto']['failed'] else ''}")
        print(f"  {counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass, "
              f"{counts['unknown']} unknown, {counts['na']} n/a, {counts['error']} error; "
              f"{report['crawl']['pages']} pages in {report['crawl']['duration']} s")
        for key, label in (("html", "scorecard"), ("json", "results"), ("junit", "junit"), ("md", "summary"), ("pdf", "pdf"),
                           ("xlsx", "sheet"), ("csv", "csv")):
            if key in paths:
                print(f"  {label + ':':<10} {paths[key]}")
    else:
        print(f"{report['site']['url']}：得分 {report['score']}，结论 {verdict[0]}"
              f"{'（单项否决：' + '、'.join(report['veto']['checks']) + '）' if report['veto']['failed'] else ''}")
        print(f"  不通过 {counts['fail']}，警告 {counts['warn']}，通过 {counts['pass']}，"
              f"无法判断 {counts['unknown']}，不适用 {counts['na']}，出错 {counts['error']}；"
              f"抓取 {report['crawl']['pages']} 页，用时 {report['crawl']['duration']} 秒")
        for key, label in (("html", "检查报告"), ("json", "结果数据"), ("junit", "JUnit"), ("md", "摘要"), ("pdf", "PDF"),
                           ("xlsx", "问题清单"), ("csv", "问题清单 CSV")):
            if key in paths:
                print(f"  {label}：{paths[key]}")
    if report.get("partial"):
        print("  (partial: " + str(report.get("stop_reason")) + ")" if lang == "en"
              else "  （未完成：" + str(report.get("stop_reason")) + "）")
    coverage = report.get("crawl", {}).get("coverage")
    if coverage and not coverage.get("complete"):  # what the crawl left unvisited, in one line
        print("  " + coverage["summary"]["en" if lang == "en" else "zh"])


def cmd_audit(args, url: str) -> int:
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        raise CliError(str(exc))
    out = _writable_out(args.out)
    baseline = _load_baseline(args.baseline) if getattr(args, "baseline", None) else None
    if getattr(args, "history", None):
        _check_history(args.history)
    config = _config(args)
    progress = ProgressLine(args.lang, enabled=not args.quiet and sys.stderr.isatty())
    # SIGINT and SIGTERM alike: before the crawl starts there is nothing to save (exit 2 at
    # once); from then on the crawl is stopped and the partial report written, whatever
    # further signals come.
    stopper = StopOnSignal(None, first="interrupted ({signal}): stopping; writing the partial report",
                           again="still writing the partial report; it will be there in a moment",
                           quiet=not sys.stderr.isatty())

    def on_crawler(crawler) -> None:
        stopper.on_stop = lambda _name: crawler.request_stop("interrupted")

    try:
        with stopper:
            outcome = run_audit(url, config, out, on_progress=progress, on_crawler=on_crawler, profile=profile)
    except (NoChecksSelected, ProfileError) as exc:
        raise CliError(str(exc))
    except OutputError as exc:  # a full disk, a folder made read-only meanwhile
        raise CliError(f"the audit ran but its report was not written: {exc}")
    finally:
        progress.done()
    report = outcome.report
    if not args.quiet:
        _print_summary(report, outcome.paths, args.lang)
    for problem in report.get("problems") or []:
        if problem.startswith(("history ", "pdf ", "render ", "font ")):
            print(f"gov-audit: warning: {problem}", file=sys.stderr)
    if stopper.stopped:
        # An interrupted audit is not a result to gate on (it would pass on a few pages).
        written = outcome.paths.get("json") or next(iter(outcome.paths.values()), args.out)
        what = "partial report" if report.get("partial") else "report"
        print(f"gov-audit: interrupted ({stopper.signame}): {what} written to {written}", file=sys.stderr)
        return EXIT_CANNOT
    unread = homepage_unread(outcome.snapshot)
    if unread is not None and unread.no_audit:
        reason = unread.reason + (" (use --ignore-robots for a site you run)" if unread.kind == "robots" else "")
        written = outcome.paths.get("json") or next(iter(outcome.paths.values()), args.out)
        print(f"gov-audit: cannot audit {url}: {reason} (report written to {written})",
              file=sys.stderr)
        return EXIT_CANNOT
    if any(p.startswith("history not updated") for p in report.get("problems") or []):
        return EXIT_CANNOT  # the outputs are written; the run the operator asked to record is not
    if baseline is not None:
        return _baseline_gate(report, baseline, args)
    failures = _gate(report, args)
    for f in failures:
        print(f"gov-audit: gate failed: {f}", file=sys.stderr)
    return EXIT_GATE if failures else EXIT_OK


def _load_baseline(path: str) -> dict:
    from reports.diff import DiffError, load_report

    try:
        return load_report(path)
    except DiffError as exc:
        raise CliError(f"--baseline: {exc}")


def _check_history(path: str) -> None:
    from reports.history import History, HistoryError

    try:
        # Every command that takes --history writes to it: a read-only, foreign or locked
        # file is refused now, before any site is audited.
        History.open(path, check_writable=True, cancel=INTERRUPTED).close()
    except HistoryError as exc:
        raise CliError(str(exc))


def _baseline_gate(report: dict, baseline: dict, args) -> int:
    """With --baseline the gate fails only on what got worse since the baseline report."""
    from reports.diff import diff_reports

    d = diff_reports(baseline, report)
    if args.fail_on is None and args.fail_under is None:
        failures = d.regressions()
    else:
        failures = []
        if args.fail_on:
            statuses = {"veto": set(), "fail": {"fail"}, "warn": {"fail", "warn"}}[args.fail_on]
            failures += [f"veto item {v} now fails" for v in d.veto_added]
            failures += [f"{c.id}: {c.old or 'new check'} → {c.new}" for c in d.changes
                         if c.new in statuses and c.old not in statuses and c.id not in d.veto_added]
        if args.fail_under is not None:
            now, before = report["score"], baseline.get("score")
            if (now is None or now < args.fail_under) and before is not None and (now is None or now < before):
                failures.append(f"score {now} is below --fail-under {args.fail_under:g} and below the "
                                f"baseline's {before}")
    if not args.quiet:
        delta = d.score_delta
        print(f"  baseline: {len(d.worse)} worse, {len(d.better)} better, {len(d.of('new'))} new"
              + (f", score {delta:+.1f}" if delta is not None else ""))
    for f in failures:
        print(f"gov-audit: regression: {f}", file=sys.stderr)
    return EXIT_GATE if failures else EXIT_OK


def cmd_diff(args) -> int:
    from reports.diff import DiffError, diff_reports, format_text, load_report, render_diff_html

    try:
        old, new = load_report(args.old), load_report(args.new)
    except DiffError as exc:
        raise CliError(str(exc))
    d = diff_reports(old, new)
    if args.json:
        print(json.dumps(d.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_text(d, args.lang))
    if args.html:
        target = Path(args.html)
        try:
            target.write_text(render_diff_html(d, args.lang), "utf-8")
        except OSError as exc:
            raise CliError(f"cannot write --html {target}: {exc.strerror or exc}")
    for option, target in (("--xlsx", args.xlsx), ("--csv", args.csv)):
        if target:
            _write_diff_sheet(option, Path(target), old, new, args.lang)
    regressions = d.regressions()
    if args.fail_on_regression and regressions:
        for r in regressions:
            print(f"gov-audit: regression: {r}", file=sys.stderr)
        return EXIT_GATE
    return EXIT_OK


def _write_diff_sheet(option: str, target: Path, old: dict, new: dict, lang: str) -> None:
    from reports.sheet import diff_rows, sheet_note, write_csv, write_xlsx

    header, rows = diff_rows(old, new, lang)
    try:
        if option == "--xlsx":
            write_xlsx(header, rows, target, title="整改对比" if lang == "zh" else "Progress", note=sheet_note(new, lang))
        else:
            write_csv(header, rows, target)
    except OSError as exc:
        raise CliError(f"cannot write {option} {target}: {exc.strerror or exc}")


def cmd_monitor(args) -> int:
    from reports.history import HistoryError
    from auditor.operations.monitor import MonitorError, run_monitor

    url = _normalise_start(args.url)
    _check_history(args.history)
    if args.every > 72 * 60 and not args.quiet:
        print(f"gov-audit: note: probing every {args.every / 60:g} min gives fewer than the 20 probes a day "
              "the 国办 rule needs; site.uptime will stay 'unknown'", file=sys.stderr)
    try:
        mon = run_monitor(url, args.history, every=args.every, count=args.count, timeout=args.timeout,
                          user_agent=_agent(args), quiet=args.quiet, **network_options(args))
    except (MonitorError, HistoryError) as exc:
        raise CliError(str(exc))
    if not args.quiet:
        print(mon.summary())
    return EXIT_OK


def cmd_fleet(args) -> int:
    from dataclasses import asdict

    from auditor.operations.fleet import FleetError, FleetJob, new_run_id, progress_line, read_sites, run_local, write_fleet, write_site

    try:
        sites = read_sites(args.csv)
    except FleetError as exc:
        raise CliError(str(exc))
    if args.profile:
        try:
            load_profile(args.profile)
        except ProfileError as exc:
            raise CliError(str(exc))
    out = _writable_out(args.out)
    if args.history:
        _check_history(args.history)
    crawl = CrawlOptions(max_pages=args.max_pages, max_depth=args.max_depth, concurrency=args.concurrency,
                         rate=args.host_rate, timeout=args.timeout, user_agent=_agent(args),
                         link_check_depth=args.link_check_depth, render=args.render, **network_options(args))
    job = FleetJob(crawl=asdict(crawl), profile=args.profile, only=_globs(args.only), skip=_globs(args.skip),
                   lang=args.lang, as_of=args.as_of.isoformat() if args.as_of else None,
                   site_budget=args.site_budget, history=str(Path(args.history).resolve()) if args.history else None,
                   total_rate=args.rate, formats=tuple(args.format), junit_warn=args.junit_warn, run_id=new_run_id())
    total = len(sites)
    finished = []

    def on_done(outcome) -> None:
        try:
            write_site(outcome, out, job)
        except Exception as exc:  # noqa: BLE001 - one site's outputs never stop the fleet
            outcome.state, outcome.reason = "error", f"could not write its outputs: {type(exc).__name__}: {exc}"
        finished.append(outcome)
        if not args.quiet:
            print(progress_line(outcome, len(finished), total), flush=True)

    started = time.monotonic()
    # SIGINT and SIGTERM alike: no new site starts, the running audits send their partial
    # reports, the fleet page covers what was done; exit 2.
    stopper = StopOnSignal(None if args.broker else (lambda _name: None), first="interrupted ({signal}): stopping the running audits; "
                           "writing what was gathered", again="still writing what was gathered; "
                           "the running audits are being ended", quiet=not sys.stderr.isatty())
    with stopper:
        outcomes = _run_fleet(args, sites, job, on_done, stopper)
    try:
        summary = write_fleet(outcomes, out, args.lang)
    except OSError as exc:
        done = sum(1 for o in outcomes if o.paths)
        raise CliError(f"the fleet page was not written to {out}: {exc.strerror or exc} "
                       f"({done} of {len(outcomes)} sites' own reports were written)")
    failed = [o for o in outcomes if o.failed]
    unrecorded = [p for o in outcomes for p in (o.report or {}).get("problems") or []
                  if p.startswith("history not updated")]
    if not args.quiet:
        print(f"fleet: {summary['sites']} sites, {summary['audited']} audited, {summary['passed']} passed, "
              f"{len(failed)} could not be audited; {time.monotonic() - started:.1f} s")
        print(f"  fleet page: {out / 'index.html'}")
    for o in failed:
        print(f"gov-audit: {o.site.label()}: {o.state}: {o.reason}", file=sys.stderr)
    if unrecorded:
        print(f"gov-audit: warning: {len(unrecorded)} site(s) not recorded in the history: {unrecorded[0]}",
              file=sys.stderr)
    if stopper.stopped or any(o.state == "interrupted" for o in outcomes):
        print(f"gov-audit: interrupted ({stopper.signame or 'SIGINT'}); the fleet page covers the sites done: "
              f"{out / 'index.html'}", file=sys.stderr)
        return EXIT_CANNOT
    infra = [o for o in outcomes if o.state == "worker-lost" or (o.reason or "").startswith("no result: the broker")]
    return EXIT_CANNOT if unrecorded or infra else EXIT_OK


def _writable_out(text: str) -> Path:
    """--out, created and proved writable before any work (a read-only or full disk is found
    now, not after every site was audited)."""
    from reports.report import check_writable

    out = Path(text)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out {out} exists and is not a folder")
    try:
        check_writable(out)
    except OutputError as exc:
        raise CliError(f"--out: {exc}")
    return out


def _run_fleet(args, sites, job, on_done, stopper):
    from auditor.operations.fleet import run_local

    if args.broker:
        from auditor.operations.fleet_celery import CeleryMissing, run_celery

        try:
            outcomes = run_celery(sites, job, args.broker, args.backend, on_done=on_done,
                                  queue_timeout=args.queue_timeout, broker_patience=args.broker_patience,
                                  say=lambda text: print(f"gov-audit: {text}", file=sys.stderr, flush=True))
        except CeleryMissing as exc:
            raise CliError(str(exc))
        except Exception as exc:  # noqa: BLE001 - broker down, bad URL: one line, not a traceback
            raise CliError(f"cannot use broker {args.broker}: {type(exc).__name__}: {exc}")
        return outcomes
    return run_local(sites, job, workers=args.workers or _default_workers(), on_done=on_done,
                     stop_requests=lambda: stopper.count)


def _default_workers() -> int:
    from auditor.operations.fleet import default_workers

    return default_workers()


def cmd_worker(args) -> int:
    from auditor.operations.fleet_celery import CeleryMissing, run_worker

    try:
        run_worker(args.broker, args.backend, concurrency=args.concurrency, loglevel=args.loglevel,
                   hostname=args.hostname)
    except CeleryMissing as exc:
        raise CliError(str(exc))
    return EXIT_OK


def cmd_checks(args) -> int:
    from auditor.checking.registry import discover

    reg = discover()
    items = [reg.checks[k] for k in sorted(reg.checks)]
    if args.json:
        print(json.dumps([c.meta_json() for c in items], ensure_ascii=False, indent=2))
    else:
        width = max((len(c.id) for c in items), default=10)
        for c in items:
            veto = " [否决]" if c.veto and args.lang == "zh" else (" [veto]" if c.veto else "")
            print(f"{c.id:<{width}}  {c.category:<13} {c.title.get(args.lang)}{veto}  — {c.clause.label()}")
    for p in reg.problems:
        print(f"gov-audit: {p}", file=sys.stderr)
    return EXIT_OK


def cmd_demo(args) -> int:
    from auditor.demo import DemoServer

    with DemoServer() as server:
        if args.serve:
            print(f"sample site: {server.url}  (Ctrl-C to stop)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return EXIT_OK
        # The sample site is ours: crawl it fast; its dates are judged as of its own day.
        if args.rate is None:
            args.rate = 200.0
        if args.as_of is None:
            args.as_of = server.as_of
        if args.profile is None:
            args.profile = "city"  # the sample site is a city portal
        if not args.quiet:
            print(f"示例网站 / sample site: {server.url}")
        return cmd_audit(args, server.url)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_CANNOT
        if args.command == "checks":
            return cmd_checks(args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command in ("diff", "monitor", "fleet", "worker"):
            return {"diff": cmd_diff, "monitor": cmd_monitor, "fleet": cmd_fleet, "worker": cmd_worker}[args.command](args)
        return cmd_audit(args, _normalise_start(args.url))
    except CliError as exc:
        print(f"gov-audit: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT
    except KeyboardInterrupt:
        print("gov-audit: interrupted", file=sys.stderr)
        return EXIT_CANNOT
    except BrokenPipeError:
        return EXIT_OK


def entry() -> None:
    sys.exit(main())
