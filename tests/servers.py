"""Real servers on loopback for the tests: no mocks of the network.

``LoopbackSite`` serves a table of routes over HTTP or HTTPS on 127.0.0.1 or
[::1], logs every request with its arrival time (so tests can measure the rate
limit from the server's side), and lets a route take over the socket for hostile
behaviours (trickling, bombs, loops).
"""
from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
import zlib
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
            # Headers and body go out in separate writes: without this, Nagle's
            # algorithm and the client's delayed ACK add 40 ms to every response.
            disable_nagle_algorithm = True

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


# -- hostile behaviours (routes and raw servers) -----------------------------------
# Every loop below is bounded in time (``HOSTILE_MAX_SECONDS``) and stops as soon as
# the peer goes away, so a test that fails never leaves a server spinning.

HOSTILE_MAX_SECONDS = 30.0


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The most timestamps that fall in any half-open interval [t, t + window)."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def _write(handler, data: bytes) -> bool:
    try:
        handler.wfile.write(data)
        handler.wfile.flush()
        return True
    except OSError:
        return False


def trickle_body(interval: float = 0.2, content_type: str = "text/html; charset=utf-8",
                 max_seconds: float = HOSTILE_MAX_SECONDS, chunked: bool = False):
    """Route: headers at once, then one body byte every ``interval`` (no end).

    Without a length (read until close), or ``chunked``: one 1-byte chunk a tick.
    """

    def route(handler):
        framing = "Transfer-Encoding: chunked\r\n" if chunked else ""
        first = b"<html><title>slow</title>"
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n{framing}"
                "Connection: close\r\n\r\n").encode()
        head += b"%x\r\n%s\r\n" % (len(first), first) if chunked else first
        if not _write(handler, head):
            return None
        end = time.monotonic() + max_seconds
        while time.monotonic() < end and _write(handler, b"1\r\n \r\n" if chunked else b" "):
            time.sleep(interval)
        return None

    return route


def trickle_headers(interval: float = 0.2, max_seconds: float = HOSTILE_MAX_SECONDS):
    """Route: a status line, then one header byte every ``interval``, headers never end."""

    def route(handler):
        if not _write(handler, b"HTTP/1.1 200 OK\r\n"):
            return None
        end = time.monotonic() + max_seconds
        n = 0
        while time.monotonic() < end:
            # A very long header line, kept under http.client's 64 KiB line limit
            # by starting a new header now and then.
            n += 1
            if not _write(handler, b"X-Slow: " if n % 200 == 1 else (b"\r\n" if n % 200 == 0 else b"a")):
                break
            time.sleep(interval)
        return None

    return route


def raw_reply(data: bytes, *, linger: float = 0.0):
    """Route: write ``data`` as is (not HTTP, or broken HTTP), then close the connection."""

    def route(handler):
        _write(handler, data)
        if linger:
            time.sleep(linger)
        return None

    return route


def short_body(declared: int, body: bytes = b"<html><title>short</title>",
               content_type: str = "text/html; charset=utf-8"):
    """Route: Content-Length ``declared`` but only ``body`` is sent, then the connection closes."""
    return raw_reply(f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
                     f"Content-Length: {declared}\r\nConnection: close\r\n\r\n".encode() + body)


class ByteCounter:
    """Counts the body bytes a streaming route managed to write (shared with the test)."""

    def __init__(self) -> None:
        self.sent = 0
        self.requests: list[str] = []
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.sent += n


def big_body(total: int, *, content_type: str = "text/html; charset=utf-8",
             chunk: bytes | None = None, counter: ByteCounter | None = None,
             head_status: int | None = None, chunked: bool = False,
             prefix: bytes = b"<html><head><title>big</title></head><body>", status: int = 200):
    """Route: a ``total``-byte body streamed in chunks (never held in memory).

    ``status`` is the GET answer's; ``head_status`` answers HEAD requests with that
    status instead (e.g. 405); ``chunked`` uses Transfer-Encoding: chunked instead
    of Content-Length.
    """
    chunk = chunk or (b"<p>" + "政府信息公开".encode() * 100 + b"</p>\n") * 16

    def route(handler):
        if counter is not None:
            counter.requests.append(handler.command)
        code = head_status if (head_status and handler.command == "HEAD") else status
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
        head = (f"HTTP/1.1 {code} X\r\nContent-Type: {content_type}\r\n{framing}\r\n"
                "Connection: close\r\n\r\n").encode()
        if not _write(handler, head) or handler.command == "HEAD":
            return None
        sent = 0
        end = time.monotonic() + HOSTILE_MAX_SECONDS
        piece = prefix
        while sent < total and time.monotonic() < end:
            piece = (piece or chunk)[: total - sent]
            data = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
            if not _write(handler, data):
                return None
            sent += len(piece)
            if counter is not None:
                counter.add(len(piece))
            piece = b""
        if chunked:
            _write(handler, b"0\r\n\r\n")
        return None

    return route


def _affine_crc_zeros(block: bytes):
    """zlib.crc32 over ``block`` (all zeros) as an affine map on the running CRC."""
    const = zlib.crc32(block, 0)
    cols = [zlib.crc32(block, 1 << i) ^ const for i in range(32)]
    return cols, const


def _apply(m, c: int) -> int:
    cols, const = m
    out = const
    i = 0
    while c:
        if c & 1:
            out ^= cols[i]
        c >>= 1
        i += 1
    return out


def _square(m):
    cols, const = m
    lin = (cols, 0)
    return [_apply(lin, _apply(lin, 1 << i)) for i in range(32)], _apply(m, const)


_BOMB_CACHE: dict[tuple[int, int], tuple[bytes, bytes, bytes, int]] = {}


def gzip_bomb_parts(block_mib: int = 5, doublings: int = 10) -> tuple[bytes, bytes, bytes, int]:
    """A valid gzip stream of ``block_mib * 2**doublings`` MiB of zeros, in three parts.

    Returns (head, block, tail, repeats): the stream is head + block * repeats + tail.
    Each block is the same full-flushed deflate output of ``block_mib`` MiB of zeros,
    so the stream is made in milliseconds and served without holding it in memory.
    The defaults inflate to 5 GiB from about 5 MB (deflate cannot beat ~1030:1).
    """
    key = (block_mib, doublings)
    if key not in _BOMB_CACHE:
        zeros = bytes(block_mib << 20)
        co = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        block = co.compress(zeros) + co.flush(zlib.Z_FULL_FLUSH)
        final = co.flush(zlib.Z_FINISH)
        m = _affine_crc_zeros(zeros)
        for _ in range(doublings):
            m = _square(m)
        repeats = 1 << doublings
        size = (block_mib << 20) * repeats
        crc = _apply(m, 0)
        head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        tail = final + struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)
        _BOMB_CACHE[key] = (head, block, tail, repeats)
    return _BOMB_CACHE[key]


def gzip_bomb(counter: ByteCounter | None = None, content_type: str = "text/html; charset=utf-8",
              **parts):
    """Route: a gzip bomb served with Content-Encoding: gzip (streamed, never held whole)."""
    head, block, tail, repeats = gzip_bomb_parts(**parts)

    def route(handler):
        hdr = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Encoding: gzip\r\n"
               f"Content-Length: {len(head) + len(block) * repeats + len(tail)}\r\n"
               "Connection: close\r\n\r\n").encode()
        if not _write(handler, hdr + head):
            return None
        end = time.monotonic() + HOSTILE_MAX_SECONDS
        for _ in range(repeats):
            if time.monotonic() > end or not _write(handler, block):
                return None
            if counter is not None:
                counter.add(len(block))
        _write(handler, tail)
        return None

    return route


class RawServer:
    """A TCP server on loopback that hands each accepted connection to ``behaviour``.

    ``behaviour(conn, stop_event)`` runs in its own thread; use it for servers that
    do not speak HTTP at all (accept and stay silent, answer garbage ...).
    """

    def __init__(self, behaviour: Callable[[socket.socket, threading.Event], None],
                 host: str = "127.0.0.1") -> None:
        self.behaviour = behaviour
        self.host = host
        self.stopped = threading.Event()
        self.connections = 0
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            self.behaviour(conn, self.stopped)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def start(self) -> "RawServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(2)
        self.sock.close()

    def __enter__(self) -> "RawServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """RawServer behaviour: accept, read the request, never answer."""
    conn.settimeout(0.1)
    end = time.monotonic() + HOSTILE_MAX_SECONDS
    while not stop.is_set() and time.monotonic() < end:
        try:
            if conn.recv(65536) == b"":
                return
        except socket.timeout:
            continue


def garbage(conn: socket.socket, stop: threading.Event) -> None:
    """RawServer behaviour: answer any request with bytes that are not HTTP, then close."""
    conn.settimeout(2)
    try:
        conn.recv(65536)
    except socket.timeout:
        pass
    conn.sendall(b"\x00\xffSSH-2.0-garbage\r\n" + bytes(range(256)) * 8 + b"\r\n\r\n")
