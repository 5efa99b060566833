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

from . import __version__
from .audit import AuditConfig, NoChecksSelected, run_audit
from .crawler import CrawlOptions, Progress
from .profile import ProfileError, load_profile
from .urls import normalize

EXIT_OK, EXIT_GATE, EXIT_CANNOT = 0, 1, 2
DEFAULT_RATE = 5.0


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
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")


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
    return parser


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
        rate=args.rate if args.rate is not None else DEFAULT_RATE, timeout=args.timeout, user_agent=args.user_agent,
        max_bytes=int(args.max_page_size * 1024 * 1024), time_budget=args.time_budget,
        ignore_robots=args.ignore_robots, link_check_depth=args.link_check_depth,
        max_per_pattern=args.max_per_pattern, extra_hosts=tuple(args.also_host))
    return AuditConfig(crawl=crawl, profile=args.profile, only=_globs(args.only),
                       skip=_globs(args.skip), lang=args.lang, as_of=args.as_of)


def _normalise_start(url: str) -> str:
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise CliError(f"only http and https sites can be audited, not {scheme}://")
    norm = normalize(url)
    if norm is None:
        raise CliError(f"not a usable website address: {url!r}")
    return norm


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
        print(f"  scorecard: {paths['html']}\n  results:   {paths['json']}")
    else:
        print(f"{report['site']['url']}：得分 {report['score']}，结论 {verdict[0]}"
              f"{'（单项否决：' + '、'.join(report['veto']['checks']) + '）' if report['veto']['failed'] else ''}")
        print(f"  不通过 {counts['fail']}，警告 {counts['warn']}，通过 {counts['pass']}，"
              f"无法判断 {counts['unknown']}，不适用 {counts['na']}，出错 {counts['error']}；"
              f"抓取 {report['crawl']['pages']} 页，用时 {report['crawl']['duration']} 秒")
        print(f"  检查报告：{paths['html']}\n  结果数据：{paths['json']}")
    if report.get("partial"):
        print("  (partial: " + str(report.get("stop_reason")) + ")" if lang == "en"
              else "  （未完成：" + str(report.get("stop_reason")) + "）")


def cmd_audit(args, url: str) -> int:
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        raise CliError(str(exc))
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create --out folder {out}: {exc.strerror or exc}")
    if not os.access(out, os.W_OK):
        raise CliError(f"cannot write to --out folder {out}")
    config = _config(args)
    progress = ProgressLine(args.lang, enabled=not args.quiet and sys.stderr.isatty())
    try:
        outcome = run_audit(url, config, out, on_progress=progress, profile=profile)
    except NoChecksSelected as exc:
        raise CliError(str(exc))
    finally:
        progress.done()
    report = outcome.report
    if not args.quiet:
        _print_summary(report, outcome.paths, args.lang)
    home = outcome.snapshot.homepage
    if home is None or not home.ok:
        reason = "robots.txt disallows the homepage (use --ignore-robots for a site you run)" \
            if home is None and outcome.snapshot.stats.get("robots_blocked") else \
            (home.fetch.error or f"HTTP {home.fetch.status}") if home is not None else "no page fetched"
        print(f"gov-audit: cannot audit {url}: {reason} (report written to {outcome.paths['json']})",
              file=sys.stderr)
        return EXIT_CANNOT
    failures = _gate(report, args)
    for f in failures:
        print(f"gov-audit: gate failed: {f}", file=sys.stderr)
    return EXIT_GATE if failures else EXIT_OK


def cmd_checks(args) -> int:
    from .registry import discover

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
    from .demo import DemoServer

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
