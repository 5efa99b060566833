"""Output formats beyond the scorecard: JUnit XML for CI test reports, Markdown for
job summaries and merge-request notes, the 问题清单 as a spreadsheet (xlsx) or CSV for the
office (reports.sheet). ``report.write_outputs`` writes the formats
asked for (``gov-audit audit --format html,json,junit,md``).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from auditor.checking.check import T

#: format name -> file written in the output folder
FILES = {"html": "scorecard.html", "json": "report.json", "junit": "junit.xml", "md": "summary.md",
         "xlsx": "findings.xlsx", "csv": "findings.csv"}
DEFAULT_FORMATS = ("html", "json")
ALIASES = {"markdown": "md", "xml": "junit", "junit-xml": "junit", "htm": "html", "excel": "xlsx"}

# Characters XML 1.0 cannot carry at all (crawled pages do contain them).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def parse_formats(text: str) -> tuple[str, ...]:
    """``"html,json,junit"`` -> ("html", "json", "junit"); ValueError on an unknown name."""
    out: list[str] = []
    for part in (text or "").split(","):
        name = part.strip().lower()
        if not name:
            continue
        name = ALIASES.get(name, name)
        if name not in FILES:
            raise ValueError(f"unknown output format {part.strip()!r} (choose from {', '.join(FILES)})")
        if name not in out:
            out.append(name)
    if not out:
        raise ValueError("no output format given (choose from " + ", ".join(FILES) + ")")
    return tuple(out)


def xml_text(value) -> str:
    """Text safe for XML 1.0: characters XML cannot represent become U+FFFD."""
    return _XML_BAD.sub("\ufffd", "" if value is None else str(value))


def pick(value, lang: str) -> str:
    """A {zh, en} text in ``lang`` (Chinese when the English is missing)."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


# The verdict's words and the time officials read, shared by the scorecard, the spreadsheet,
# the diff and the fleet page.
VERDICT_TEXT = {"pass": T("合格", "Pass"), "fail": T("不合格", "Fail"),
                "unknown": T("无法判断", "Undetermined")}


def _beijing_time(iso: str) -> str:
    """Officials read times in 北京时间 (UTC+8), to the minute."""
    try:
        dt = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return dt.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
