"""Attachments are checked with HEAD (GET without body as a fallback), never downloaded."""
from __future__ import annotations

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from servers import ByteCounter, LoopbackSite, big_body, page

MB = 1024 * 1024
TOTAL = 50 * MB


@pytest.mark.timeout(20)
def test_attachments_are_headed_and_never_downloaded():
    pdf, doc, xls, wps = ByteCounter(), ByteCounter(), ByteCounter(), ByteCounter()
    routes = {
        "/": page("首页", "<a href='/files/report.pdf'>年度报告</a><a href='/files/old.doc'>旧文件</a>"
                        "<a href='/files/gone.xls'>统计表</a><a href='/files/notice.wps'>通知</a>"),
        # HEAD answered properly.
        "/files/report.pdf": big_body(TOTAL, content_type="application/pdf", counter=pdf),
        # HEAD refused (405): GET, but the body is never read.
        "/files/old.doc": big_body(TOTAL, content_type="application/msword", counter=doc, head_status=405),
        # Gone for HEAD and GET alike.
        "/files/gone.xls": big_body(TOTAL, content_type="text/html", counter=xls, head_status=404, status=404),
        # HEAD answered with 500, GET streams it chunked.
        "/files/notice.wps": big_body(TOTAL, content_type="application/octet-stream", counter=wps,
                                      head_status=500, chunked=True),
    }
    with LoopbackSite(routes) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=500, timeout=3)).run(base)
    report = snap.page(base + "files/report.pdf")
    assert report.kind == "attachment" and report.status == 200 and report.fetch.method == "HEAD"
    assert report.fetch.headers["content-type"] == "application/pdf"
    assert report.fetch.headers["content-length"] == str(TOTAL)
    assert pdf.requests == ["HEAD"] and pdf.sent == 0

    old = snap.page(base + "files/old.doc")
    assert old.kind == "attachment" and old.status == 200 and old.fetch.method == "GET"
    assert old.fetch.size == 0 and old.fetch.headers["content-type"] == "application/msword"
    assert doc.requests == ["HEAD", "GET"]
    assert doc.sent < 8 * MB, doc.sent  # closed after the headers: at most socket buffers

    wps_page = snap.page(base + "files/notice.wps")
    assert wps_page.status == 200 and wps_page.fetch.method == "GET" and wps.sent < 8 * MB

    gone = snap.page(base + "files/gone.xls")
    assert gone.kind == "attachment" and gone.status == 404
    assert xls.requests == ["HEAD", "GET"] and xls.sent < 8 * MB
    assert snap.stats["attachments"] == 4
    assert snap.stats["bytes"] < 1 * MB


@pytest.mark.timeout(20)
def test_a_page_url_that_serves_a_binary_is_not_downloaded():
    """A link without an attachment extension whose answer is a PDF: headers only."""
    counter = ByteCounter()
    routes = {"/": page("首页", "<a href='/download?id=7'>下载</a>"),
              "/download": big_body(TOTAL, content_type="application/pdf", counter=counter)}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=500, timeout=3)).run(base)
    p = snap.page(base + "download?id=7")
    assert p.kind == "attachment" and p.status == 200 and p.fetch.size == 0
    assert counter.sent < 8 * MB


@pytest.mark.timeout(20)
def test_attachment_budget_is_respected():
    links = "".join(f"<a href='/f{i}.pdf'>{i}</a>" for i in range(10))
    routes = {"/": page("首页", links), "*": big_body(1000, content_type="application/pdf")}
    with LoopbackSite(routes) as s:
        snap = Crawler(CrawlOptions(rate=500, timeout=3, max_attachments=3)).run(s.url)
        heads = [h.path for h in s.hits() if h.method == "HEAD" and h.path.endswith(".pdf")]
    assert snap.stats["attachments"] == 3
    # The other seven are still link-checked from the homepage (HEAD as well).
    assert len(heads) == 10 and len(set(heads)) == 10
