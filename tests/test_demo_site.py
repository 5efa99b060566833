"""The bundled sample site (auditor/demo): its server, its content and its planted defects."""
from __future__ import annotations

import http.client
import re
import socket
from collections import deque
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
import requests

from auditor.demo import AS_OF, GBK_PAGES, SITE_DIR, DemoServer

# Links that are broken on purpose (see DEFECTS in auditor/demo/build_site.py).
BROKEN_ON_PURPOSE = {
    "/xxgk/jcgk/index.html",               # homepage: internal link to a missing page
    "/images/missing-banner.jpg",          # homepage: broken image
    "/xxgk/files/P020250212_ys2025.pdf",   # 财政预决算: broken attachment
}
EXTERNAL_ALLOWED = {"bszs.conac.cn", "127.0.0.1:9"}


@pytest.fixture(scope="module")
def server():
    with DemoServer() as s:
        yield s


@pytest.fixture(scope="module")
def http_session():
    s = requests.Session()
    s.trust_env = False  # never go through a proxy to reach loopback
    # The server closes a keep-alive connection idle for 30 s; on a loaded machine the pooled one
    # may be gone by the next test: one retry opens a fresh connection (GET/HEAD only here).
    s.mount("http://", requests.adapters.HTTPAdapter(max_retries=1))
    yield s
    s.close()


def get(session, server, path, **kw):
    return session.get(urljoin(server.url, path), timeout=10, allow_redirects=False, **kw)


# -- server behaviour -------------------------------------------------------------------

def test_server_basics(server, http_session):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.url)
    assert server.as_of == AS_OF == date(2026, 11, 20)
    r = get(http_session, server, "/")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(r.headers["Content-Length"]) == len(r.content)
    text = r.content.decode("utf-8")
    assert "<title>示例市人民政府</title>" in text
    assert '<meta name="SiteName" content="示例市人民政府">' in text
    assert '<form action="/search" method="get"' in text and 'name="q"' in text


def test_content_types(server, http_session):
    expect = {
        "/css/style.css": "text/css",
        "/js/footer.js": "application/javascript",
        "/images/red.png": "image/png",
        "/xxgk/files/P020260210_ys2026.pdf": "application/pdf",
        "/xxgk/files/ysqgk_sqb.doc": "application/msword",
        "/xxgk/files/P020260825_js2025.xls": "application/vnd.ms-excel",
        "/robots.txt": "text/plain",
    }
    for path, ctype in expect.items():
        r = get(http_session, server, path)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"].split(";")[0] == ctype, path
    assert get(http_session, server, "/images/red.png").content.startswith(b"\x89PNG\r\n\x1a\n")
    pdf = get(http_session, server, "/xxgk/files/P020260210_ys2026.pdf").content
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    # the xref offsets of the hand-made PDF point at its objects
    xref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[xref:xref + 4] == b"xref"
    for n, off in enumerate(re.findall(rb"(\d{10}) 00000 n", pdf), 1):
        assert pdf[int(off):].startswith(b"%d 0 obj" % n)


def test_head(server, http_session):
    for path in ("/", "/xxgk/zn/index.html", "/images/red.png", "/search?q=供暖"):
        g = http_session.get(server.url.rstrip("/") + path, timeout=10)
        h = http_session.head(server.url.rstrip("/") + path, timeout=10)
        assert h.status_code == 200, path
        assert h.content == b""
        assert h.headers["Content-Type"] == g.headers["Content-Type"]
        assert h.headers["Content-Length"] == str(len(g.content))
    h = http_session.head(server.url + "no/such/page.html", timeout=10)
    assert h.status_code == 404 and h.content == b""


def test_404_page(server, http_session):
    r = get(http_session, server, "/no/such/page.html")
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "404" in r.text and "页面不存在" in r.text
    assert '<a href="/">返回网站首页</a>' in r.text


def test_directory_redirect_and_index(server, http_session):
    r = get(http_session, server, "/xxgk")
    assert r.status_code == 301 and r.headers["Location"] == "/xxgk/"
    r = get(http_session, server, "/xxgk/")
    assert r.status_code == 200 and "政府信息公开" in r.text
    assert get(http_session, server, "/xxgk/?from=nav").status_code == 200


def test_no_path_traversal(server):
    for raw in ("/../__init__.py", "/%2e%2e/__init__.py", "/..%2f__init__.py", "/css/../../build_site.py"):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            conn.request("GET", raw)
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        assert resp.status == 404, raw
        assert b"import" not in body


def test_gbk_page_has_wrong_header(server, http_session):
    assert GBK_PAGES == {"zjsl/lsyg.html"}
    r = get(http_session, server, "/zjsl/lsyg.html")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"  # deliberately wrong
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    text = r.content.decode("gbk")
    assert '<meta charset="gbk">' in text and "历史沿革" in text

    from auditor.network.decode import decode_html
    decoded, encoding = decode_html(r.content, r.headers["Content-Type"])
    assert encoding == "gb18030" and "历史沿革" in decoded


def test_search(server, http_session):
    title = "示例市召开2026年冬季安全生产工作会议"
    r = get(http_session, server, "/search", params={"q": title})
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "/xwzx/ywdt/202611/t20261118_1008.html" in r.text
    assert "共找到 <b>1</b> 条" in r.text
    root = lxml.html.fromstring(r.text)
    hrefs = [a.get("href") for a in root.xpath("//div[@class='result-item']//a")]
    texts = [a.text_content() for a in root.xpath("//div[@class='result-item']//a")]
    assert hrefs == ["/xwzx/ywdt/202611/t20261118_1008.html"] and texts == [title]

    r = get(http_session, server, "/search", params={"q": "示例市"})
    many = lxml.html.fromstring(r.text).xpath("//div[@class='result-item']//a/@href")
    assert len(many) >= 10
    assert len(set(many)) == len(many)

    r = get(http_session, server, "/search", params={"q": "量子纠缠火星基地"})
    assert r.status_code == 200 and "未找到相关结果" in r.text
    assert not lxml.html.fromstring(r.text).xpath("//div[@class='result-item']")

    r = get(http_session, server, "/search?q=")
    assert r.status_code == 200 and "请输入检索关键词" in r.text

    r = get(http_session, server, "/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text


def test_search_finds_every_article_by_its_title(server, http_session):
    entries = server.index.entries()
    assert len(entries) >= 30
    for path, title, day, _ in entries:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day), path
        r = get(http_session, server, "/search", params={"q": title})
        assert path in r.text, title


def test_robots(server, http_session):
    r = get(http_session, server, "/robots.txt")
    assert r.status_code == 200
    assert r.text == "User-agent: *\nDisallow: /admin/\n"
    assert get(http_session, server, "/admin/secret.html").status_code == 200


def test_forms_accept_posts(server, http_session):
    r = http_session.post(server.url + "hdjl/submit", data={"title": "测试", "content": "内容"}, timeout=10)
    assert r.status_code == 200 and "留言已提交" in r.text
    r = http_session.post(server.url + "xxgk/ysqgk/submit", data={"name": "张三"}, timeout=10)
    assert r.status_code == 200 and "申请已提交" in r.text
    r = http_session.post(server.url + "index.html", data={"a": "b"}, timeout=10)
    assert r.status_code == 405


def test_request_log(server, http_session):
    server.clear_requests()
    get(http_session, server, "/xxgk/index.html?x=1")
    http_session.head(server.url + "robots.txt", timeout=10)
    log = server.requests
    assert [(m, p) for _, m, p in log] == [("GET", "/xxgk/index.html?x=1"), ("HEAD", "/robots.txt")]
    assert log[0][0] <= log[1][0]
    log.clear()  # a copy: the server's log is untouched
    assert len(server.requests) == 2


def test_stop_frees_the_port():
    s = DemoServer().start()
    port = s.port
    s.stop()
    s.stop()  # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# -- the site: every link, every page -----------------------------------------------------

LINK_XPATH = "//a[@href]/@href|//img[@src]/@src|//script[@src]/@src|//link[@href]/@href|//iframe[@src]/@src"


def test_every_internal_link_resolves(server, http_session):
    """Walk the site from its homepage; every internal link is 200 except the deliberate ones."""
    base = server.url
    netloc = urlsplit(base).netloc
    seen_pages: set[str] = set()
    status: dict[str, int] = {}
    external: set[str] = set()
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen_pages:
            continue
        seen_pages.add(path)
        r = get(http_session, server, path)
        status[path] = r.status_code
        if r.status_code != 200 or not r.headers["Content-Type"].startswith("text/html"):
            continue
        text = r.content.decode("gbk" if path.lstrip("/") in GBK_PAGES else "utf-8")
        root = lxml.html.fromstring(text)
        for raw in root.xpath(LINK_XPATH):
            if raw.startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(base.rstrip("/") + path, raw)
            parts = urlsplit(url)
            if parts.netloc != netloc:
                external.add(parts.netloc)
                continue
            target = parts.path + ("?" + parts.query if parts.query else "")
            if target.endswith(".html") or target.endswith("/"):
                queue.append(target)
            elif target not in status:
                status[target] = get(http_session, server, target).status_code
    broken = {p for p, s in status.items() if s != 200}
    assert broken == BROKEN_ON_PURPOSE
    assert external == EXTERNAL_ALLOWED
    # every HTML file of the site is reachable by following links from the homepage
    files = {"/" + p.relative_to(SITE_DIR).as_posix() for p in SITE_DIR.rglob("*.html")}
    reached = {("/index.html" if p == "/" else p) for p in seen_pages}
    assert files <= reached, sorted(files - reached)
    assert 40 <= len(files) <= 75


def test_pages_are_small_and_well_formed(server, http_session):
    for f in sorted(SITE_DIR.rglob("*.html")):
        rel = f.relative_to(SITE_DIR).as_posix()
        data = f.read_bytes()
        assert len(data) <= 8 * 1024 + 512, rel
        text = data.decode("gbk" if rel in GBK_PAGES else "utf-8")
        root = lxml.html.fromstring(text)
        assert root.findtext(".//title"), rel
        if rel not in GBK_PAGES and not rel.startswith("admin/"):
            assert root.xpath("//meta[@name='SiteName']/@content") == ["示例市人民政府"], rel
            assert root.xpath("//script[@src='/js/footer.js']"), rel


def test_committed_site_matches_generator():
    from auditor.demo import build_site

    files = build_site.build_files()
    on_disk = {p.relative_to(SITE_DIR).as_posix(): p.read_bytes() for p in SITE_DIR.rglob("*") if p.is_file()}
    assert set(files) == set(on_disk), "run: python3 -m auditor.demo.build_site"
    changed = [k for k in files if files[k] != on_disk[k]]
    assert not changed, f"stale generated files {changed[:5]}; run: python3 -m auditor.demo.build_site"


# -- the planted defects ----------------------------------------------------------------------

def _id_ok(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], weights)) % 11] == number[17]


def test_planted_defects(server, http_session):
    home = get(http_session, server, "/").text
    footer = get(http_session, server, "/js/footer.js").text
    # identity: meta code differs from footer code; 13-digit 公安备案号; valid ICP; conac mark; no 找错
    assert '<meta name="SiteIDCode" content="3799000002">' in home
    assert "网站标识码：3799000001" in footer
    assert re.search(r"鲁ICP备12345678号-1", footer)
    psb = re.search(r"公网安备\s*(\d+)号", footer).group(1)
    assert len(psb) == 13
    assert "bszs.conac.cn" in home and "/images/red.png" in home
    for f in SITE_DIR.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".js"):
            assert b"jiucuo" not in f.read_bytes() and "找错".encode() not in f.read_bytes(), f
    # homepage links: internal 404, broken image, dead external
    assert 'href="/xxgk/jcgk/index.html"' in home and 'src="/images/missing-banner.jpg"' in home
    assert 'href="http://127.0.0.1:9/"' in home
    # annual reports: 2024, 2023, 2022 but not 2025
    nb = get(http_session, server, "/xxgk/ndbg/index.html").text
    years = set(re.findall(r"(\d{4})年政府信息公开工作年度报告", nb))
    assert years == {"2022", "2023", "2024"}
    assert "<span>2025-01-20</span>" in nb
    # freshness: newest item per column
    newest = {}
    for col in ("/xwzx/ywdt/index.html", "/xwzx/tzgg/index.html", "/zcwj/index.html", "/xxgk/rsxx/index.html"):
        newest[col] = max(re.findall(r"<span>(\d{4}-\d{2}-\d{2})</span>", get(http_session, server, col).text))
    assert newest == {"/xwzx/ywdt/index.html": "2026-11-18", "/xwzx/tzgg/index.html": "2026-03-02",
                      "/zcwj/index.html": "2026-09-10", "/xxgk/rsxx/index.html": "2025-06-01"}
    ghjh = get(http_session, server, "/xxgk/ghjh/index.html").text
    assert "暂无信息" in ghjh and "<li>" not in ghjh.split('class="list"')[1].split("</ul>")[0]
    assert "下一页" in get(http_session, server, "/xwzx/ywdt/index.html").text
    # key areas: 权责清单 absent, the others present
    xxgk = get(http_session, server, "/xxgk/index.html").text
    for name in ("财政预决算", "双随机一公开", "建议提案办理", "重大建设项目"):
        assert name in xxgk
    assert "权责清单" not in xxgk
    # privacy: an unmasked, valid 18-digit ID and an 11-digit mobile number
    leak = get(http_session, server, "/xxgk/rsxx/202506/t20250601_4103.html").text
    ids = re.findall(r"(?<!\d)(\d{17}[\dX])(?!\d)", leak)
    assert len(ids) == 1 and _id_ok(ids[0])
    assert re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", leak)


def test_letters(server, http_session):
    rows = []
    for page in ("/hdjl/index.html", "/hdjl/index_1.html"):
        root = lxml.html.fromstring(get(http_session, server, page).text)
        for tr in root.xpath("//table[@class='letter-list']//tr[td]"):
            cells = [c.text_content().strip() for c in tr.xpath("td")]
            rows.append(cells)
    assert len(rows) == 10
    late = unanswered_old = 0
    for title, asked, replied, state in rows:
        a = date.fromisoformat(asked)
        if state == "未回复":
            assert replied == "—"
            if (AS_OF - a).days > 90:
                unanswered_old += 1
        else:
            delay = (date.fromisoformat(replied) - a).days
            assert delay >= 0
            late += delay > 30
    assert unanswered_old == 1 and late == 1
    detail = get(http_session, server, "/hdjl/xx/202610/t20261012_6006.html").text
    for label in ("留言内容", "留言时间：2026-10-12", "回复单位", "回复时间", "回复内容"):
        assert label in detail


def test_guides(server, http_session):
    key = ("事项名称", "设定依据", "申请条件", "申请材料", "办理流程", "办理时限", "收费标准", "办理地点", "办理时间",
           "咨询电话")
    root = lxml.html.fromstring(get(http_session, server, "/bsfw/index.html").text)
    links = sorted(set(root.xpath("//table//a/@href")))
    assert len(links) == 6
    poor = complete = 0
    for href in links:
        page = lxml.html.fromstring(get(http_session, server, urljoin("/bsfw/index.html", href)).text)
        heads = {re.sub(r"^[一二三四五六七八九十]+、", "", h.text_content().strip())
                 for h in page.xpath("//table[@class='bszn-table']//th|//div[@class='content']/h3")}
        values = {}
        for th in page.xpath("//table[@class='bszn-table']//th"):
            values[th.text_content().strip()] = th.getnext().text_content().strip()
        for h3 in page.xpath("//div[@class='content']/h3"):
            values[re.sub(r"^[一二三四五六七八九十]+、", "", h3.text_content().strip())] = h3.getnext().text_content().strip()
        present = {k for k in key if k in heads and values.get(k) not in ("", "—", "无")}
        if len(key) - len(present) >= 4:
            poor += 1
        if present == set(key):
            complete += 1
            assert page.xpath("//img[@alt='办理流程图']")
    assert (complete, poor) == (3, 3)


# -- the real crawler and the demo command ----------------------------------------------------

def test_crawler_covers_the_site(server):
    from auditor.crawl.crawler import CrawlOptions, Crawler

    server.clear_requests()
    snap = Crawler(CrawlOptions(rate=500, max_pages=200)).run(server.url)
    assert snap.stats["pages"] >= 40
    assert snap.stats["robots_blocked"] >= 1
    assert any("/admin/" in u for u in snap.stats["robots_blocked_sample"])
    assert not snap.partial
    html_pages = {urlsplit(u).path for u, p in snap.pages.items() if p.is_html}
    assert "/zjsl/lsyg.html" in html_pages
    gbk = snap.pages[server.url + "zjsl/lsyg.html"]
    assert gbk.encoding == "gb18030" and "历史沿革" in gbk.facts.title
    assert snap.homepage is not None and snap.homepage.ok
    attachments = {urlsplit(u).path: p.fetch.status for u, p in snap.pages.items() if p.kind == "attachment"}
    assert attachments.get("/xxgk/files/P020250212_ys2025.pdf") == 404
    assert attachments.get("/xxgk/files/P020260210_ys2026.pdf") == 200
    paths = [path for _, _, path in server.requests]
    assert paths[0] == "/robots.txt"
    assert not any(p.startswith("/admin/") for p in paths)  # the crawler honoured robots.txt


def test_demo_command(tmp_path, capsys):
    from auditor.operations.cli import main

    code = main(["demo", "--out", str(tmp_path), "--quiet", "--only", "identity.icp"])
    assert code in (0, 1)
    assert (tmp_path / "scorecard.html").is_file()
    import json
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    icp = [c for c in report["checks"] if c["id"] == "identity.icp"]
    assert icp and icp[0]["status"] == "pass"
