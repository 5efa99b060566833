"""One HTTP exchange, bounded in time, size and redirects, recorded as a :class:`Fetch`.

Everything that can go wrong on a hostile or broken server ends as a Fetch with an
``error_kind``, never as an exception: the crawler and the checks decide what an
error means.
"""
from __future__ import annotations

import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Mapping

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import __version__
from .ratelimit import RateLimiter
from .urls import host_of, normalize, resolve
from .watchdog import WATCHDOG, set_deadline

DEFAULT_USER_AGENT = (f"Mozilla/5.0 (compatible; gov-audit/{__version__}; "
                      "+https://github.com/gov-audit/gov-audit)")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
BLOCK_STATUSES = (403, 429, 503, 405, 412, 418, 521, 555)

_armed = threading.local()


def _arm(conn) -> None:
    token = WATCHDOG.arm(conn)
    if token is not None:
        _armed.__dict__.setdefault("tokens", []).append(token)


def _disarm_all() -> None:
    for token in getattr(_armed, "tokens", ()):
        WATCHDOG.disarm(token)
    _armed.tokens = []


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args, **kwargs):
        _arm(self)
        return super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args, **kwargs):
        _arm(self)
        return super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool,
                                                   "https": _WatchedHTTPSPool}


@dataclass(frozen=True)
class Fetch:
    """What one request (with its redirects) returned."""

    url: str
    final_url: str
    status: int | None
    headers: Mapping[str, str] = field(default_factory=dict)
    redirects: tuple[tuple[str, int], ...] = ()
    elapsed: float = 0.0
    size: int = 0
    truncated: bool = False
    error: str | None = None
    error_kind: str | None = None
    method: str = "GET"
    tls_error: str | None = None
    body: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error_kind is None and self.status is not None and 200 <= self.status < 400

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def blocked(self) -> bool:
        """An answer that says 'not you, not now' rather than 'this is broken'."""
        return self.status in (429,) or (self.status in BLOCK_STATUSES and _looks_like_challenge(self))

    def without_body(self) -> "Fetch":
        return Fetch(self.url, self.final_url, self.status, self.headers, self.redirects,
                     self.elapsed, self.size, self.truncated, self.error, self.error_kind,
                     self.method, self.tls_error, None)

    def to_json(self) -> dict:
        return {"url": self.url, "final_url": self.final_url, "status": self.status,
                "redirects": [list(r) for r in self.redirects], "elapsed": round(self.elapsed, 3),
                "size": self.size, "truncated": self.truncated, "error": self.error,
                "error_kind": self.error_kind, "method": self.method, "tls_error": self.tls_error}


_CHALLENGE_MARKERS = (b"captcha", b"cf-chl", b"challenge", b"waf", "安全验证".encode(),
                      "访问过于频繁".encode(), "请求被拦截".encode(), "防火墙".encode(),
                      "安全狗".encode(), "云盾".encode(), b"yunsuo", b"safedog", b"aliyun")


def _looks_like_challenge(f: Fetch) -> bool:
    if f.status in (429, 503) and "retry-after" in f.headers:
        return True
    server = f.headers.get("server", "").lower()
    if any(w in server for w in ("cloudflare", "yunjiasu", "safedog", "waf", "yundun")):
        return True
    body = (f.body or b"")[:20000].lower()
    return any(m in body for m in _CHALLENGE_MARKERS)


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        dt = parsedate_to_datetime(value)
        return max(0.0, dt.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class _TooLarge(Exception):
    pass


def _decoder(encoding: str):
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return "deflate"  # zlib or raw deflate: decided on the first bytes
    raise ValueError(f"unsupported content-encoding {encoding!r}")


def read_capped(raw, content_encoding: str, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
    """Read and decompress a body, keeping at most ``max_bytes`` of decoded data.

    Compressed data is inflated with a bounded output per step, so a gzip bomb
    costs no more memory than the cap. Raises TimeoutError past the deadline.
    """
    dec = _decoder(content_encoding)
    out = bytearray()
    raw_read = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("deadline")
        chunk = raw.read1(65536, decode_content=False)
        if not chunk:
            break
        raw_read += len(chunk)
        if dec == "deflate":
            dec = zlib.decompressobj(zlib.MAX_WBITS if (chunk[0] & 0x0F) == 8 else -zlib.MAX_WBITS)
        if dec is None:
            out += chunk
        else:
            data = dec.decompress(chunk, max_bytes + 1 - len(out))
            out += data
            while dec.unconsumed_tail and len(out) <= max_bytes:
                out += dec.decompress(dec.unconsumed_tail, max_bytes + 1 - len(out))
        if len(out) > max_bytes or raw_read > max_bytes:
            return bytes(out[:max_bytes]), True
    return bytes(out), False


class Fetcher:
    """Shared, thread-safe HTTP client with pooling, pacing and hard bounds."""

    def __init__(self, *, user_agent: str = DEFAULT_USER_AGENT, timeout: float = 15.0,
                 total_timeout: float | None = None, rate: float = 5.0,
                 concurrency: int = 4, max_bytes: int = 5 * 1024 * 1024,
                 max_redirects: int = 10, verify: bool | str = True,
                 limiter: RateLimiter | None = None) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.total_timeout = total_timeout or max(timeout * 2, 30.0)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.verify = verify
        self.limiter = limiter or RateLimiter(rate)
        self.stop = threading.Event()
        self.session = requests.Session()
        self.session.trust_env = False  # audits never go through a stray proxy variable
        adapter = _WatchedAdapter(pool_connections=64, pool_maxsize=max(4, concurrency * 2),
                                  max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        })
        self.requests_made = 0
        self._count_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def fetch(self, url: str, *, method: str = "GET", want_body: bool = True,
              max_bytes: int | None = None, allow: Callable[[str], str | None] | None = None,
              timeout: float | None = None) -> Fetch:
        """Fetch ``url`` following redirects by hand, so each hop is paced and checked.

        ``allow(url)`` returns a reason string when a redirect target may not be
        fetched (robots.txt, out of scope), which stops the chain there.
        """
        start = time.monotonic()
        timeout = timeout or self.timeout
        total = self.total_timeout if timeout == self.timeout else max(timeout * 2, timeout + 5)
        max_bytes = max_bytes or self.max_bytes
        redirects: list[tuple[str, int]] = []
        seen = {url}
        current = url
        verify = self.verify
        tls_error = None
        while True:
            if self.stop.is_set():
                return Fetch(url, current, None, {}, tuple(redirects), time.monotonic() - start,
                             error="stopped", error_kind="stopped", method=method)
            if not self.limiter.wait(host_of(current), self.stop):
                continue
            try:
                resp, body, truncated = self._one(current, method, want_body, max_bytes,
                                                  timeout, time.monotonic() + total, verify)
            except requests.exceptions.SSLError as exc:
                if verify is not False and tls_error is None:
                    # Gather what the site serves anyway; the HTTPS checks judge the chain.
                    tls_error = _short(exc)
                    verify = False
                    continue
                return self._error(url, current, redirects, start, method, exc, tls_error)
            except Exception as exc:  # noqa: BLE001 - every failure becomes data
                return self._error(url, current, redirects, start, method, exc, tls_error)
            headers = {k.lower(): v for k, v in resp.headers.items()}
            status = resp.status_code
            if status in REDIRECT_STATUSES and "location" in headers:
                target = resolve(current, headers["location"])
                redirects.append((current, status))
                if target is None:
                    return Fetch(url, current, status, headers, tuple(redirects),
                                 time.monotonic() - start, error="redirect to an unusable URL",
                                 error_kind="bad-redirect", method=method, tls_error=tls_error)
                if target in seen:
                    return Fetch(url, target, status, headers, tuple(redirects),
                                 time.monotonic() - start, error="redirect loop",
                                 error_kind="redirect-loop", method=method, tls_error=tls_error)
                if len(redirects) > self.max_redirects:
                    return Fetch(url, target, status, headers, tuple(redirects),
                                 time.monotonic() - start, error="too many redirects",
                                 error_kind="too-many-redirects", method=method,
                                 tls_error=tls_error)
                reason = allow(target) if allow else None
                if reason:
                    return Fetch(url, target, status, headers, tuple(redirects),
                                 time.monotonic() - start, error=reason, error_kind=reason,
                                 method=method, tls_error=tls_error)
                seen.add(target)
                current = target
                if status == 303:
                    method = "GET" if method != "HEAD" else "HEAD"
                continue
            return Fetch(url, current, status, headers, tuple(redirects),
                         time.monotonic() - start, size=len(body or b""), truncated=truncated,
                         method=method, tls_error=tls_error, body=body)

    def _one(self, url, method, want_body, max_bytes, timeout, deadline, verify):
        with self._count_lock:
            self.requests_made += 1
        set_deadline(deadline)
        resp = None
        complete = False
        try:
            resp = self.session.request(method, url, allow_redirects=False, stream=True,
                                        timeout=(min(timeout, 10.0), timeout), verify=verify)
            body = None
            truncated = False
            ctype = resp.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if method != "HEAD" and want_body and (ctype in HTML_TYPES or ctype.endswith("+xml")
                                                    or ctype.startswith("text/")
                                                    or "javascript" in ctype
                                                    or resp.status_code >= 400):
                body, truncated = read_capped(resp.raw, resp.headers.get("content-encoding", ""),
                                              max_bytes, deadline)
                complete = not truncated
            return resp, body, truncated
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            if time.monotonic() >= deadline - 0.05:
                raise TimeoutError("total time limit reached") from exc
            raise
        finally:
            _disarm_all()
            set_deadline(None)
            if resp is not None:
                if complete:
                    resp.raw.release_conn()
                else:
                    resp.close()

    def _error(self, url, current, redirects, start, method, exc, tls_error) -> Fetch:
        kind, message = classify_error(exc)
        if kind != "deadline" and time.monotonic() - start >= self.total_timeout - 0.1:
            kind, message = "deadline", "total time limit reached"
        return Fetch(url, current, None, {}, tuple(redirects), time.monotonic() - start,
                     error=message, error_kind=kind, method=method, tls_error=tls_error)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 300 else text[:297] + "..."


def classify_error(exc: BaseException) -> tuple[str, str]:
    """Map an exception to (kind, message) a user can read."""
    chain = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 8:
        chain.append(e)
        e = e.__cause__ or e.__context__ or (e.args[0] if e.args and isinstance(e.args[0], BaseException) else None)
    text = " | ".join(str(c) for c in chain).lower()
    if isinstance(exc, TimeoutError) and "deadline" in str(exc) or "total time limit" in text:
        return "deadline", "total time limit reached"
    if isinstance(exc, ValueError) and "content-encoding" in str(exc):
        return "encoding", _short(exc)
    if any(isinstance(c, (socket.gaierror,)) for c in chain) or "name or service not known" in text \
            or "nodename nor servname" in text or "failed to resolve" in text \
            or "name resolution" in text or "no address associated" in text:
        return "dns", "DNS lookup failed"
    if any(isinstance(c, (requests.exceptions.SSLError, ssl.SSLError)) for c in chain):
        return "tls", _short(exc)
    if any(isinstance(c, (requests.exceptions.ConnectTimeout,)) for c in chain):
        return "timeout", "connection timed out"
    if any(isinstance(c, (requests.exceptions.ReadTimeout, socket.timeout, TimeoutError,
                          urllib3.exceptions.ReadTimeoutError)) for c in chain) or "timed out" in text:
        return "timeout", "read timed out"
    if "refused" in text:
        return "connect", "connection refused"
    if any(isinstance(c, (requests.exceptions.ConnectionError, ConnectionError)) for c in chain):
        if "reset" in text or "aborted" in text or "remotedisconnected" in text or "closed" in text:
            return "connect", "connection closed by the server"
        return "connect", "could not connect"
    if isinstance(exc, requests.exceptions.InvalidURL) or isinstance(exc, requests.exceptions.MissingSchema):
        return "bad-url", _short(exc)
    return "error", _short(exc) or type(exc).__name__


def same_document(a: str, b: str) -> bool:
    return normalize(a) == normalize(b)
