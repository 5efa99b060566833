"""report.json as JUnit XML, the test-report format every CI system reads
(Jenkins, GitLab ``artifacts:reports:junit``, GitHub test-report actions, Azure).

One ``<testcase>`` per check: ``classname`` is the category, ``name`` the check id
and title. ``fail`` becomes ``<failure>`` (the summary as its message, the evidence
in its body), ``error`` (the check itself raised) ``<error>``, ``na`` and ``unknown``
``<skipped>`` with the reason. A ``warn`` is a pass with the warning in
``<system-out>`` by default; ``warn="fail"`` or ``warn="skip"`` report it as a
failure or a skip instead. The document follows the Jenkins/Ant "junit-10" layout
(``tests/data/junit.xsd``); text the crawled site supplied is escaped by the XML
serializer, and characters XML 1.0 cannot carry are replaced.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from lxml import etree

from reports.formats import pick, xml_text

WARN_MODES = ("pass", "fail", "skip")
MAX_BODY_EVIDENCE = 20

_LABELS = {
    "zh": {"veto": "单项否决", "clause": "依据", "evidence": "证据", "fix": "整改建议",
           "warn": "警告", "more": "条证据未列出", "effective": "施行日期"},
    "en": {"veto": "veto item", "clause": "Rule", "evidence": "Evidence", "fix": "How to fix",
           "warn": "Warning", "more": "more evidence items not listed", "effective": "In force from"},
}


def _seconds(ms) -> str:
    try:
        return f"{float(ms or 0) / 1000:.3f}"
    except (TypeError, ValueError):
        return "0.000"


def _timestamp(iso: str | None) -> str:
    """xs:dateTime without a zone (the Ant schema's form), in UTC."""
    try:
        dt = datetime.fromisoformat(iso).astimezone(timezone.utc)
    except (TypeError, ValueError):
        dt = datetime.now(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def _detail(check: dict, lang: str, L: dict) -> str:
    """Plain-text body: summary, rule, evidence, remediation."""
    lines = [pick(check.get("summary"), lang)]
    clause = check.get("clause") or {}
    rule = f"{clause.get('document', '')} {clause.get('article', '')}".strip()
    if rule:
        lines.append(f"{L['clause']}: {rule} ({clause.get('confidence', '')})")
        if clause.get("quote"):
            lines.append(f"  “{clause['quote']}”")
        if clause.get("effective"):
            lines.append(f"  {L['effective']}: {clause['effective']}")
    evidence = check.get("evidence") or []
    if evidence:
        lines.append(f"{L['evidence']}:")
        for e in evidence[:MAX_BODY_EVIDENCE]:
            note = pick(e.get("note"), lang)
            parts = [p for p in (e.get("url", ""), e.get("excerpt", "")) if p]
            lines.append("  - " + (f"[{note}] " if note else "") + " — ".join(parts))
        more = len(evidence) - MAX_BODY_EVIDENCE + int((check.get("details") or {}).get("evidence_truncated") or 0)
        if more > 0:
            lines.append(f"  … {more} {L['more']}")
    fix = pick(check.get("remediation"), lang)
    if fix and check.get("status") in ("fail", "warn"):
        lines.append(f"{L['fix']}: {fix}")
    return xml_text("\n".join(lines))


def render_junit(report: dict, lang: str = "zh", warn: str = "pass") -> str:
    if warn not in WARN_MODES:
        raise ValueError(f"warn must be one of {WARN_MODES}, not {warn!r}")
    L = _LABELS["en" if lang == "en" else "zh"]
    checks = report.get("checks") or []
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    site = (report.get("site") or {}).get("url", "")
    total_time = sum(float(c.get("duration_ms") or 0) for c in checks)
    crawl_time = float((report.get("crawl") or {}).get("duration") or 0.0)

    suites = etree.Element("testsuites")
    suite = etree.SubElement(suites, "testsuite")
    props = etree.SubElement(suite, "properties")
    veto = report.get("veto") or {}
    for name, value in (
        ("site", site), ("homepage", (report.get("site") or {}).get("homepage") or ""),
        ("title", (report.get("site") or {}).get("title") or ""),
        ("profile", (report.get("profile") or {}).get("name", "")),
        ("score", "" if report.get("score") is None else report.get("score")),
        ("verdict", report.get("verdict", "")), ("pass_line", report.get("pass_line", "")),
        ("coverage", report.get("coverage", "")), ("veto_failed", ",".join(veto.get("checks") or [])),
        ("partial", str(bool(report.get("partial"))).lower()), ("as_of", report.get("as_of", "")),
        ("tool_version", (report.get("tool") or {}).get("version", "")),
    ):
        etree.SubElement(props, "property", name=name, value=xml_text(value))

    for c in checks:
        status = c.get("status")
        title = pick(c.get("title"), lang)
        case = etree.SubElement(suite, "testcase", classname=xml_text(c.get("category", "other")),
                                name=xml_text(f"{c.get('id', '')}: {title}" if title else c.get("id", "")),
                                time=_seconds(c.get("duration_ms")))
        summary = xml_text(pick(c.get("summary"), lang))
        if status == "fail" or (status == "warn" and warn == "fail"):
            msg = summary if status == "fail" else f"[{L['warn']}] {summary}"
            if c.get("veto") and status == "fail":
                msg = f"[{L['veto']}] {msg}"
            el = etree.SubElement(case, "failure", message=msg,
                                  type="veto" if c.get("veto") and status == "fail" else status)
            el.text = _detail(c, lang, L)
            counts["failures"] += 1
        elif status == "error":
            el = etree.SubElement(case, "error", message=summary, type="check-error")
            where = (c.get("details") or {}).get("where")
            el.text = xml_text(summary + (f"\n{where}" if where else ""))
            counts["errors"] += 1
        elif status in ("na", "unknown") or (status == "warn" and warn == "skip"):
            msg = summary if status != "warn" else f"[{L['warn']}] {summary}"
            etree.SubElement(case, "skipped", message=msg)
            counts["skipped"] += 1
        if status == "warn" and warn == "pass":
            out = etree.SubElement(case, "system-out")
            out.text = f"[{L['warn']}] " + _detail(c, lang, L)

    host = urlsplit(site).hostname or "localhost"
    suite.set("name", xml_text(f"gov-audit {site}"))
    suite.set("tests", str(len(checks)))
    suite.set("failures", str(counts["failures"]))
    suite.set("errors", str(counts["errors"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("time", f"{crawl_time + total_time / 1000:.3f}")
    suite.set("timestamp", _timestamp(report.get("started_at")))
    suite.set("hostname", xml_text(host))
    suite.set("id", "0")
    suite.set("package", "gov-audit")
    suites.set("name", "gov-audit")
    suites.set("tests", str(len(checks)))
    suites.set("failures", str(counts["failures"]))
    suites.set("errors", str(counts["errors"]))
    suites.set("time", suite.get("time"))
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
