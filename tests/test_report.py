"""The scorecard is self-contained and escapes everything that came from the crawled site."""
from __future__ import annotations

import json
import re

from servers import page

HOSTILE_TITLE = '</title><script>alert("t")</script><img src=x onerror=alert(1)>'
HOSTILE_FOOTER = ('<div class="footer">主办单位：&lt;script&gt;alert(2)&lt;/script&gt; '
                  '鲁ICP备12345678号 "><svg onload=alert(3)></div>')


def test_hostile_page_content_is_escaped(audit_site):
    body = "<p>" + "正文内容" * 100 + "</p>" + HOSTILE_FOOTER + '<a href="javascript:alert(4)">x</a>'
    out = audit_site({"/": page(HOSTILE_TITLE.replace("</title>", "&lt;/title&gt;"), body)})
    html = out.paths["html"].read_text("utf-8")
    # The site's title and excerpts are shown, but only as text.
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<svg" not in html
    assert "&lt;script&gt;alert" in html
    assert 'href="javascript:' not in html
    # Self-contained: no external scripts, styles, fonts or images.
    assert "<script" not in html
    assert not re.search(r'<link[^>]+stylesheet', html)
    assert not re.search(r'src="https?://', html)
    assert "@import" not in html and "url(http" not in html


def test_evidence_links_only_http(audit_site):
    from reports.report import safe_href

    assert safe_href("javascript:alert(1)") == ""
    assert safe_href("data:text/html,x") == ""
    assert safe_href("https://www.gov.cn/") == "https://www.gov.cn/"


def test_report_json_has_the_documented_fields(audit_site):
    out = audit_site({"/": page("示例市人民政府", "<p>" + "文字" * 200 + "</p>")})
    r = json.loads(out.paths["json"].read_text("utf-8"))
    for key in ("schema_version", "site", "started_at", "finished_at", "score", "veto", "categories",
                "checks", "crawl", "verdict", "partial"):
        assert key in r, key
    assert r["schema_version"] == "1.1"
    for c in r["checks"]:
        for key in ("id", "category", "status", "title", "clause", "summary", "evidence", "weight", "veto"):
            assert key in c, (c["id"], key)
        assert c["status"] in ("pass", "warn", "fail", "na", "unknown", "error")
    for key in ("pages", "errors", "duration"):
        assert key in r["crawl"]
    assert r["crawl"]["pages"] >= 1


def test_report_validates_against_the_published_schema(audit_site):
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("reports").joinpath("report.schema.json").read_text("utf-8"))
    out = audit_site({"/": page("示例市人民政府", "<p>" + "文字" * 200 + "</p>"
                                '<a href="/missing">坏链接</a>')})
    report = json.loads(out.paths["json"].read_text("utf-8"))
    jsonschema.validate(report, schema, format_checker=jsonschema.FormatChecker())
    assert report["as_of"]


def test_outputs_are_readable_by_others(audit_site):
    import os
    import stat

    out = audit_site({"/": page("示例市人民政府", "<p>" + "文字" * 200 + "</p>")})
    for path in out.paths.values():
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o666 & ~_umask(), (path, oct(mode))


def _umask():
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
