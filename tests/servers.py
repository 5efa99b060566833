"""Real servers on loopback for the tests: no mocks of the network.

``LoopbackSite`` serves a table of routes over HTTP or HTTPS on 127.0.0.1 or
[::1], logs every request with its arrival time (so tests can measure the rate
limit from the server's side), and lets a route take over the socket for hostile
behaviours (trickling, bombs, loops).
"""
from __future__ import annotations

import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit


@dataclass
class Response:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    encoding: str = "utf-8"

    def payload(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else self.body.encode(self.encoding)


def html(body: str, status: int = 200, **headers) -> Response:
    return Response(body, status, {k.replace("_", "-"): v for k, v in headers.items()})


def page(title: str, body: str = "", head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>{head}</head>"
            f"<body>{body}</body></html>")


@dataclass
class Hit:
    at: float
    method: str
    path: str
    headers: dict[str, str]


Route = "Response | bytes | str | Callable[[BaseHTTPRequestHandler], Response | None]"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class _Server6(_Server):
    address_family = socket.AF_INET6


class LoopbackSite:
    """A site on loopback. ``routes`` maps a path (optionally with query) to a route.

    A route is a Response, a str/bytes body (HTML 200), or a callable taking the
    request handler: it returns a Response, or None when it wrote to the socket itself.
    """

    def __init__(self, routes: dict | None = None, *, host: str = "127.0.0.1",
                 tls_context: ssl.SSLContext | None = None, port: int = 0) -> None:
        self.routes: dict[str, object] = dict(routes or {})
        self.host = host
        self.tls_context = tls_context
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        self._port = port
        self.server: _Server | None = None
        self.thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> "LoopbackSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "LoopbackSite/1.0"

            def log_message(self, *args):  # keep test output clean
                pass

            def _serve(self):
                with site._lock:
                    site.log.append(Hit(time.monotonic(), self.command, self.path,
                                        {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path)
                if route is None:
                    route = site.routes.get(urlsplit(self.path).path)
                if route is None:
                    route = site.routes.get("*")
                if route is None:
                    resp = Response("<html><title>404</title><body>not found</body></html>", 404)
                elif callable(route):
                    try:
                        resp = route(self)
                    except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                        self.close_connection = True
                        return
                    if resp is None:
                        self.close_connection = True
                        return
                elif isinstance(route, Response):
                    resp = route
                else:
                    resp = Response(route)
                body = resp.payload()
                try:
                    self.send_response(resp.status)
                    headers = {"Content-Type": resp.content_type, **resp.headers}
                    if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
                        headers["Content-Length"] = str(len(body))
                    for k, v in headers.items():
                        if v is not None:
                            self.send_header(k, v)
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                    self.close_connection = True

            do_GET = _serve
            do_HEAD = _serve
            do_POST = _serve

        cls = _Server6 if ":" in self.host else _Server
        self.server = cls((self.host, self._port), Handler)
        if self.tls_context is not None:
            self.server.socket = self.tls_context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> "LoopbackSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        scheme = "https" if self.tls_context is not None else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}/"

    def hits(self, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if path is None or h.path == path]


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def free_port_refusing() -> int:
    """A loopback port with nothing listening (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
