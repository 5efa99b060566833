"""Encodings as government sites really serve them, and broken HTML that must still parse."""
from __future__ import annotations

import pytest

from auditor.crawl.crawler import CrawlOptions, Crawler
from auditor.network.decode import decode_html
from auditor.crawl.parse import extract
from servers import LoopbackSite, Response

TITLE = "某某市人民政府门户网站"
BODY = "<p>政府信息公开指南，依申请公开，政策解读。</p>" * 5


def doc(meta: str = "", title: str = TITLE, body: str = BODY) -> str:
    return f"<html><head>{meta}<title>{title}</title></head><body>{body}<a href='/x.html'>链接</a></body></html>"


CASES = {
    # GBK bytes, the header says UTF-8 (very common behind a misconfigured proxy).
    "gbk-labelled-utf8": Response(doc().encode("gbk"), content_type="text/html; charset=utf-8"),
    # GBK with no charset anywhere.
    "gbk-no-charset": Response(doc().encode("gbk"), content_type="text/html"),
    # UTF-8 bytes, labelled GB2312 in the header and the meta tag.
    "utf8-labelled-gb2312": Response(doc('<meta charset="gb2312">').encode("utf-8"),
                                     content_type="text/html; charset=gb2312"),
    # GB18030-only characters (outside GBK) with a GB2312 label.
    "gb18030-beyond-gbk": Response(doc(title=TITLE + "𠀀").encode("gb18030"),
                                   content_type="text/html; charset=gb2312"),
    # GBK labelled ISO-8859-1 (Tomcat's default) with the right meta.
    "gbk-labelled-latin1": Response(doc('<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
                                    .encode("gbk"), content_type="text/html; charset=ISO-8859-1"),
    # GBK with a few stray bytes that no decoder accepts.
    "gbk-with-garbage": Response(doc(body=BODY + "\x00").encode("gbk").replace(b"\x00", b"\x80\xff\xfe"),
                                 content_type="text/html; charset=gbk"),
    # UTF-8 with a few stray bytes: still UTF-8, not GB18030 mojibake.
    "utf8-with-garbage": Response(doc(body=BODY + "\x00").encode("utf-8").replace(b"\x00", b"\xff\xc3("),
                                  content_type="text/html"),
    # UTF-8 with a BOM and a contradicting meta.
    "utf8-bom": Response(b"\xef\xbb\xbf" + doc('<meta charset="gbk">').encode("utf-8"),
                         content_type="text/html"),
    # An XML declaration naming GBK, on a GBK page without any other label.
    "xml-declaration-gbk": Response(('<?xml version="1.0" encoding="gbk"?>' + doc()).encode("gbk"),
                                    content_type="application/xhtml+xml"),
    # An XML declaration naming UTF-8, on a UTF-8 page (lxml refuses str with a declaration).
    "xml-declaration-utf8": Response(('<?xml version="1.0" encoding="UTF-8"?>\n' + doc()).encode("utf-8"),
                                     content_type="text/html; charset=utf-8"),
    # UTF-16 with a BOM.
    "utf16": Response(b"\xff\xfe" + doc().encode("utf-16-le"), content_type="text/html"),
}


@pytest.fixture(scope="module")
def snapshot():
    routes = {f"/{name}": resp for name, resp in CASES.items()}
    links = "".join(f"<a href='/{name}'>{name}</a>" for name in CASES)
    routes["/"] = Response(doc(body=links))
    with LoopbackSite(routes) as s:
        snap = Crawler(CrawlOptions(rate=500, max_depth=1, timeout=3)).run(s.url)
        yield s.url, snap


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", list(CASES))
def test_chinese_title_survives_every_encoding(snapshot, name):
    base, snap = snapshot
    p = snap.page(base + name)
    assert p is not None and p.is_html, (name, p and p.fetch)
    expected = TITLE + ("𠀀" if name == "gb18030-beyond-gbk" else "")
    assert p.title == expected, (name, p.title, p.encoding)
    assert "政府信息公开指南" in p.text
    assert any(link.url == base + "x.html" for link in p.links)


def test_decode_picks_the_real_encoding():
    gbk = doc().encode("gbk")
    assert decode_html(gbk, "text/html; charset=utf-8") == (doc(), "gb18030")
    text, enc = decode_html(doc().encode("utf-8"), "text/html; charset=gbk")
    assert enc == "utf-8" and TITLE in text
    # A UTF-8 page cut inside a character by the size cap.
    cut = doc().encode("utf-8")[:-1] + "政".encode()[:2]
    text, enc = decode_html(cut, None)
    assert enc == "utf-8" and TITLE in text
    # Plain ASCII stays as it is whatever the label.
    assert decode_html(b"<title>x</title>", "text/html; charset=bogus-charset")[0] == "<title>x</title>"


@pytest.mark.parametrize("raw", [
    b"<html><head><title>\xe6\x9c\xaa\xe9\x97\xad\xe5\x90\x88<body><div><p><table><tr><td>cell<div>",
    b"<html>\x00<head><title>N\x00UL</title></head><body>a\x00b</body></html>",
    b"\x00\x00\x00\x00",
    b"\xff\xfe\xfd\xfc garbage <<<>>> </ ></html></html></body>",
    b'<?xml version="1.0" encoding="gbk"?><html><title>xml</title></html>',
    b'<?xml version="1.0" encoding="bogus"?><html><title>xml</title></html>',
    b"<html><title>ctl \x01\x02\x03\x0b\x0c\x1b\x7f</title></html>",
    b"<!DOCTYPE html><html><head><title>t</title></head><body>" + b"<div>" * 5000 + b"deep",
    b"<html><body><a href='http://[::1'>bad url</a><a href='http://a b.com/'>x</a><a href='javascript:'>j</a>"
    b"<a href='\x00'>nul</a><a href='http://xn--zz/'>idn</a><form action='?a=1'><input name='q'></form></body>",
    b"",
    b"   \r\n\t ",
    b"<script>document.write('<title>js</title>')</script><meta http-equiv='refresh' content='0;url=\x00'>",
])
def test_broken_html_parses_without_exceptions(raw):
    text, enc = decode_html(raw, "text/html")
    facts = extract(text, "http://127.0.0.1/", keep_tree=True)
    assert isinstance(facts.title, str) and isinstance(facts.text, str)


def test_nul_bytes_do_not_hide_the_rest_of_the_page():
    raw = "<html><head><title>标题\x00</title></head><body>正文\x00内容<a href='/a.html'>a</a></body></html>".encode()
    text, _ = decode_html(raw, "text/html")
    facts = extract(text, "http://127.0.0.1/")
    assert facts.title.startswith("标题") and "内容" in facts.text
    assert [link.url for link in facts.links] == ["http://127.0.0.1/a.html"]


@pytest.mark.timeout(20)
def test_broken_pages_in_a_crawl_are_recorded_not_fatal():
    routes = {"/": Response(b"<html><title>\xe9\xa6\x96\xe9\xa1\xb5</title><a href='/nul'>n</a>"
                            b"<a href='/xml'>x</a><a href='/bin'>b</a>"),
              "/nul": Response(b"<html><title>nul\x00</title>\x00\x00<a href='/after-nul'>z</a>"),
              "/after-nul": Response(b"<title>after</title>"),
              "/xml": Response(b'<?xml version="1.0" encoding="utf-8"?><html><title>xml</title></html>'),
              "/bin": Response(bytes(range(256)) * 40, content_type="text/html")}
    with LoopbackSite(routes) as s:
        base = s.url
        snap = Crawler(CrawlOptions(rate=500, timeout=3)).run(base)
    assert snap.start_page.title == "首页"
    assert snap.page(base + "xml").title == "xml"
    assert snap.page(base + "after-nul").title == "after"  # links after NUL bytes are found
    assert snap.page(base + "bin").fetch.ok


def test_jcms_record_links_are_followed(site):
    """JCMS column pages ship their rows inside <script type="text/xml"> records."""
    from auditor.crawl.crawler import CrawlOptions, Crawler
    from servers import page

    site.routes["/"] = page("示例", '<a href="/col/col1/index.html">通知公告</a>')
    site.routes["/col/col1/index.html"] = page("通知公告", """<div id="4321"><script type="text/xml">
      <datastore><recordset>
      <record><![CDATA[<li><a href="/art/2026/11/3/art_1_1.html" title="t">市政府召开常务会议</a><span>2026-11-03</span></li>]]></record>
      <record><![CDATA[<li><a href='/art/2026/10/8/art_1_2.html'>全市<b>经济运行</b>情况通报</a></li>]]></record>
      </recordset></datastore></script></div>""")
    site.routes["/art/2026/11/3/art_1_1.html"] = page("市政府召开常务会议", "正文")
    site.routes["/art/2026/10/8/art_1_2.html"] = page("全市经济运行情况通报", "正文")
    snap = Crawler(CrawlOptions(rate=500)).run(site.url)
    urls = set(snap.pages)
    assert site.url + "art/2026/11/3/art_1_1.html" in urls
    assert site.url + "art/2026/10/8/art_1_2.html" in urls
    col = snap.pages[site.url + "col/col1/index.html"]
    labels = {l.text for l in col.links if l.tag == "a"}
    assert "全市经济运行情况通报" in labels
