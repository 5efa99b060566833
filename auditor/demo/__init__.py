"""The bundled sample government website that ``gov-audit demo`` audits.

``site/`` holds a small, fictional city portal (示例市人民政府) as static files,
generated once by ``build_site.py`` and committed, so the demo needs no build step
and no network. It carries a known set of defects (see ``DEFECTS`` in
``build_site.py``) so every check has something to find — or to pass.

:class:`DemoServer` serves it on loopback::

    with DemoServer() as s:
        requests.get(s.url)          # http://127.0.0.1:PORT/
        s.as_of                      # the day the site's content is dated against
        s.requests                   # [(monotonic time, method, path), ...]

Besides the static files it answers ``/search?q=…`` (site search over the titles
of the article pages) and accepts the two form posts (依申请公开, 我要写信) with a
"received" page that stores nothing.
"""
from __future__ import annotations

import html
import mimetypes
import posixpath
import re
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["DemoServer", "SITE_DIR", "AS_OF", "GBK_PAGES"]

SITE_DIR = Path(__file__).resolve().parent / "site"
#: "Today" for the sample site: every date on it is written relative to this day,
#: so the demo's verdicts are the same whenever it is run.
AS_OF = date(2026, 11, 20)
#: Pages stored as GBK bytes (with <meta charset="gbk">) but served, like on many
#: real sites, with a ``charset=utf-8`` header: a deliberate mismatch.
GBK_PAGES = frozenset({"zjsl/lsyg.html"})

SITE_NAME = "示例市人民政府"
MAX_POST_BYTES = 64 * 1024

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}

_ART_TITLE = re.compile(r'<h1 class="art-title">(.*?)</h1>', re.S)
_ART_DATE = re.compile(r"(?:发布时间|更新时间|留言时间)[:：]\s*(\d{4}-\d{2}-\d{2})")
_TAG = re.compile(r"<[^>]+>")


def _page(title: str, body: str) -> bytes:
    """A dynamic page in the site's look (search results, 404, form receipts)."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - {SITE_NAME}</title>
<meta name="SiteName" content="{SITE_NAME}">
<link rel="stylesheet" type="text/css" href="/css/style.css">
</head>
<body>
<div class="header"><div class="w1200 clearfix">
<a class="logo" href="/"><img src="/images/logo.png" alt="{SITE_NAME}"></a>
<div class="search-box"><form action="/search" method="get"><input type="text" name="q" class="search-input" placeholder="请输入关键词"><input type="submit" class="search-btn" value="搜索"></form></div>
</div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk/index.html">政府信息公开</a></li><li><a href="/xwzx/ywdt/index.html">要闻动态</a></li><li><a href="/bsfw/index.html">办事服务</a></li><li><a href="/hdjl/index.html">互动交流</a></li></ul></div>
<div class="w1200 main">
{body}
</div>
<div class="footer"><div class="w1200"><div class="bq"><script type="text/javascript" src="/js/footer.js"></script></div></div></div>
</body>
</html>
""".encode("utf-8")


def _snippet(text: str, size: int = 80) -> str:
    """The first words of an article (or of a letter's question) for the results page."""
    m = re.search(r"<th>留言内容</th><td>(.*?)</td>", text, re.S)
    if m is None:
        body = text.split('class="content', 1)[-1]
        m = re.search(r"<(?:p|td)[^>]*>(.*?)</(?:p|td)>", body, re.S)
    if m is None:
        return ""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", m.group(1)))).strip()[:size]


class SearchIndex:
    """Titles and dates of the site's article pages, read once from the files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._entries: list[tuple[str, str, str, str]] | None = None
        self._lock = threading.Lock()

    def entries(self) -> list[tuple[str, str, str, str]]:
        """(url path, title, date, snippet) for every article page, newest first."""
        with self._lock:
            if self._entries is None:
                out = []
                for f in sorted(self.root.rglob("*.html")):
                    rel = f.relative_to(self.root).as_posix()
                    if rel in GBK_PAGES or rel.startswith("admin/"):
                        continue
                    text = f.read_text("utf-8")
                    m = _ART_TITLE.search(text)
                    if not m:
                        continue
                    title = html.unescape(_TAG.sub("", m.group(1))).strip()
                    d = _ART_DATE.search(text)
                    out.append(("/" + rel, title, d.group(1) if d else "", _snippet(text)))
                out.sort(key=lambda e: e[2], reverse=True)
                self._entries = out
            return self._entries

    def search(self, query: str) -> list[tuple[str, str, str, str]]:
        terms = [t.lower() for t in query.split() if t]
        if not terms:
            return []
        return [e for e in self.entries() if all(t in e[1].lower() for t in terms)]


def _highlight(title: str, query: str) -> str:
    out = html.escape(title)
    for term in sorted({t for t in query.split() if t}, key=len, reverse=True):
        esc = html.escape(term)
        out = re.sub(re.escape(esc), lambda m: f"<em>{m.group(0)}</em>", out, flags=re.I)
    return out


def search_page(index: SearchIndex, query: str) -> bytes:
    query = query.strip()
    q = html.escape(query)
    if not query:
        body = ('<div class="position">当前位置：<a href="/">首页</a> &gt; 站内搜索</div>\n'
                '<div class="search-result"><p class="tip">请输入检索关键词。</p></div>')
        return _page("站内搜索", body)
    hits = index.search(query)
    rows = []
    for path, title, day, snippet in hits[:50]:
        rows.append(f'<div class="result-item"><h3><a href="{path}" target="_blank">{_highlight(title, query)}</a></h3>'
                    f'<p>{html.escape(snippet)}</p><p class="result-url">{path}　<span>{day}</span></p></div>')
    if rows:
        summary = f'<p class="tip">搜索“<b>{q}</b>”，共找到 <b>{len(hits)}</b> 条相关结果，按发布时间排序。</p>'
    else:
        summary = (f'<p class="tip">未找到相关结果。</p><p>很抱歉，没有找到与“<b>{q}</b>”相关的信息，'
                   '建议检查输入是否正确，或换用其他关键词。</p>')
    body = ('<div class="position">当前位置：<a href="/">首页</a> &gt; 站内搜索</div>\n'
            f'<div class="search-result">\n<form action="/search" method="get"><input type="text" name="q" value="{q}">'
            '<input type="submit" value="搜索"></form>\n' + summary + "\n" + "\n".join(rows) + "\n</div>")
    return _page(f"“{query}”的搜索结果", body)


NOT_FOUND = _page("页面未找到", """<div class="error-page">
<h2>404 很抱歉，您访问的页面不存在或已被删除</h2>
<p>请检查您输入的网址是否正确，或者：</p>
<ul><li><a href="/">返回网站首页</a></li><li><a href="/sitemap.html">查看网站地图</a></li></ul>
</div>""")

RECEIVED = {
    "/xxgk/ysqgk/submit": ("申请已提交", "您的政府信息公开申请已提交。（示例网站：不保存任何数据）"),
    "/hdjl/submit": ("留言已提交", "您的留言已提交，我们将在审核后及时转交有关部门办理。（示例网站：不保存任何数据）"),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):  # never print tracebacks to stderr
        pass


class DemoServer:
    """Serve the sample site on 127.0.0.1 (a random free port unless told) in a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, root: Path | str | None = None,
                 as_of: date = AS_OF) -> None:
        self.host = host
        self.port = port
        self.root = Path(root).resolve() if root is not None else SITE_DIR
        self.as_of = as_of
        self.index = SearchIndex(self.root)
        self._requests: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> "DemoServer":
        if self._server is not None:
            return self
        if not (self.root / "index.html").is_file():
            raise FileNotFoundError(f"sample site not found in {self.root}")
        self._server = _Server((self.host, self.port), self._handler_class())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="gov-audit-demo", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "DemoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def requests(self) -> list[tuple[float, str, str]]:
        """Every request so far as (time.monotonic(), method, path with query); a copy."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _record(self, method: str, path: str) -> None:
        with self._lock:
            self._requests.append((time.monotonic(), method, path))

    # -- files -------------------------------------------------------------------
    def resolve_path(self, url_path: str) -> tuple[str, Path | None]:
        """('file', path) | ('redirect', None) | ('missing', None) for a URL path."""
        path = unquote(url_path)
        if "\x00" in path or "\\" in path:
            return "missing", None
        norm = posixpath.normpath("/" + path.lstrip("/"))
        rel = norm.lstrip("/")
        if any(part in ("..", ".") for part in rel.split("/")) or rel.startswith("."):
            return "missing", None
        target = (self.root / rel) if rel else self.root
        try:
            target = target.resolve()
            target.relative_to(self.root)
        except (ValueError, OSError):
            return "missing", None
        if target.is_dir():
            if not path.endswith("/"):
                return "redirect", None
            target = target / "index.html"
        if target.is_file():
            return "file", target
        return "missing", None

    def _handler_class(self):
        demo = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "gov-audit-demo"
            sys_version = ""
            timeout = 30

            def setup(self):
                super().setup()
                try:  # headers and body go out in two writes: don't let Nagle delay the second
                    self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                except OSError:
                    pass

            def log_message(self, format, *args):  # noqa: A002 - never log to stderr
                pass

            def parse_request(self):
                ok = super().parse_request()
                if ok:
                    demo._record(self.command, self.path)
                return ok

            def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                      headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
                    self.close_connection = True

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path == "/search":
                    q = parse_qs(parts.query, keep_blank_values=True).get("q", [""])[0]
                    self._send(200, search_page(demo.index, q), headers={"Cache-Control": "no-cache"})
                    return
                kind, target = demo.resolve_path(parts.path)
                if kind == "redirect":
                    location = parts.path + "/" + ("?" + parts.query if parts.query else "")
                    self._send(301, b"", headers={"Location": location})
                    return
                if kind == "missing" or target is None:
                    self._send(404, NOT_FOUND)
                    return
                try:
                    body = target.read_bytes()
                except OSError:
                    self._send(404, NOT_FOUND)
                    return
                # Deliberately the same utf-8 header for the GBK page (GBK_PAGES): a real-world mismatch.
                ctype = _TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] \
                    or "application/octet-stream"
                # No Last-Modified: one fixed date for every file would read as "all fresh".
                self._send(200, body, ctype)

            do_HEAD = do_GET

            def do_POST(self):
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = 0
                if 0 < length <= MAX_POST_BYTES:
                    self.rfile.read(length)  # read and discard: the sample site stores nothing
                elif length > MAX_POST_BYTES:
                    self.close_connection = True
                    self._send(413, _page("提交内容过大", "<p>提交内容过大。</p>"))
                    return
                path = urlsplit(self.path).path
                if path in RECEIVED:
                    title, text = RECEIVED[path]
                    self._send(200, _page(title, f'<div class="form-result"><h2>{title}</h2><p>{text}</p>'
                                                 '<p><a href="/">返回首页</a></p></div>'))
                else:
                    self.close_connection = True
                    self._send(405, _page("不支持的请求", "<p>该地址不接受提交。</p>"), headers={"Allow": "GET, HEAD"})

        return Handler


def serve(port: int = 8000, host: str = "127.0.0.1") -> None:
    """Serve the sample site until Ctrl-C (``python -m auditor.demo``)."""
    with DemoServer(host=host, port=port) as s:
        print(f"示例网站 / sample site: {s.url}  (as of {s.as_of.isoformat()}; Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
