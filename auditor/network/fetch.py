"""One HTTP exchange, bounded in time, size and redirects, recorded as a :class:`Fetch`.

Everything that can go wrong on a hostile or broken server ends as a Fetch with an
``error_kind``, never as an exception: the crawler and the checks decide what an
error means.
"""
from __future__ import annotations

import http.client
import re
import dataclasses
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Mapping
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from auditor import __version__
from auditor.network.ratelimit import RateLimiter
from auditor.network.urls import host_of, resolve
from auditor.network.watchdog import WATCHDOG, set_deadline

# Names the tool and what it does, and no web address: the project has no public page to point
# to, and a link that does not resolve only makes a site's team suspicious. --contact (or the
# profile's [crawl] contact) adds the operator's e-mail or page, as polite crawlers do.
DEFAULT_USER_AGENT = f"Mozilla/5.0 (compatible; gov-audit/{__version__}; government website compliance audit)"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def parse_contact(text: str) -> str:
    """An operator contact for the User-Agent: an e-mail address or an http(s) URL, returned as
    ``mailto:…`` or the URL; ValueError with a one-line reason otherwise."""
    value = (text or "").strip()
    if _EMAIL.match(value):
        return f"mailto:{value}"
    if value.lower().startswith("mailto:") and _EMAIL.match(value[7:]):
        return value
    if re.match(r"^https?://[^\s()<>;\"\\]+$", value, re.I) and urlsplit(value).hostname:
        return value
    raise ValueError(f"contact must be an e-mail address or an http(s) URL without spaces, not {text!r}")


def user_agent_for(contact: str | None = None) -> str:
    """The User-Agent: the default, with ``+contact`` when the operator gives one."""
    if not contact:
        return DEFAULT_USER_AGENT
    return f"Mozilla/5.0 (compatible; gov-audit/{__version__}; +{parse_contact(contact)})"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
BLOCK_STATUSES = (403, 429, 503, 405, 412, 418, 521, 555)

_armed = threading.local()


def _arm(conn) -> None:
    """Watch ``conn`` until the end of the current request (once per request)."""
    conns = _armed.__dict__.setdefault("conns", [])
    if any(c is conn for c in conns):
        return
    token = WATCHDOG.arm(conn)
    if token is not None:
        conns.append(conn)
        _armed.__dict__.setdefault("tokens", []).append(token)
        fetcher = getattr(_armed, "fetcher", None)
        if fetcher is not None and fetcher.stop.is_set():
            WATCHDOG.kill(token)  # a stop came between the check and the send


def _disarm_all() -> bool:
    """Stop watching this thread's connections; True if the watchdog cut any of them."""
    fired = False
    for token in getattr(_armed, "tokens", ()):
        fired = WATCHDOG.disarm(token) or fired
    for conn in getattr(_armed, "conns", ()):
        dup = conn.__dict__.pop("watch_sock", None)
        if dup is not None:
            dup.close()
    _armed.tokens = []
    _armed.conns = []
    return fired


class _Watched:
    """Mixin: arm the watchdog when connecting (DNS, TCP, TLS handshake) and sending,
    and connect where the fetcher's name-resolution policy says.

    ``ssl.wrap_socket`` detaches the plain socket it wraps, so during a TLS
    handshake ``conn.sock`` is a dead object and shutting it down does nothing.
    A duplicate of the socket, taken as soon as it is connected and kept until
    the request ends, reaches the connection whatever object wraps it; the
    watchdog shuts that down (``Watchdog._shutdown`` prefers ``watch_sock``).
    """

    # Set per fetcher (see _WatchedAdapter): an auditor.network.resolve.Resolver and a forced
    # address family ("v4"/"v6"), or None for urllib3's own getaddrinfo.
    resolver = None
    family: str | None = None
    # An auditor.network.resolve.AddressPolicy: private addresses refused before connecting.
    address_policy = None
    peer: str | None = None

    def _new_conn(self):
        if self.resolver is None and self.family is None and self.address_policy is None:
            sock = super()._new_conn()
        else:
            sock = self._resolved_conn()
        try:
            self.peer = sock.getpeername()[0]
        except (OSError, IndexError, TypeError):
            self.peer = None
        _armed.new_connection = True
        if getattr(_armed, "tokens", None):
            try:
                self.watch_sock = sock.dup()
            except OSError:
                pass
        return sock

    def _resolved_conn(self):
        """Connect to the address the resolver gives (--connect-to, --resolve, --dns-server,
        the forced family), keeping ``host`` (the Host header and the TLS SNI) as it is:
        ``_dns_host`` and ``port`` are what urllib3 connects to, swapped for the attempt."""
        from auditor.network.resolve import SYSTEM, PrivateAddressRefused, ResolveError

        resolver = self.resolver or SYSTEM
        policy = self.address_policy
        host, port = self._dns_host, self.port
        last: Exception | None = None
        refused: list[str] = []
        try:
            for addr, target_port in resolver.targets(host.rstrip("."), port, self.family):
                if policy is not None and not policy.permits(host, addr, resolver):
                    refused.append(addr)  # checked here, on the address about to be connected
                    continue
                self._dns_host, self.port = addr, target_port
                try:
                    return super()._new_conn()
                except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
                    last = exc
                finally:
                    self._dns_host, self.port = host, port
        except ResolveError as exc:
            if last is not None:
                raise last
            if refused:
                policy.note_refused(host, refused)
                raise PrivateAddressRefused(host, refused) from None
            raise urllib3.exceptions.NameResolutionError(host, self, exc) from exc
        if last is not None:
            raise last
        if refused:
            policy.note_refused(host, refused)
            raise PrivateAddressRefused(host, refused)
        raise urllib3.exceptions.NameResolutionError(host, self, ResolveError(f"{host}: no address"))

    def connect(self):
        _arm(self)
        return super().connect()

    def request(self, *args, **kwargs):
        _arm(self)
        return super().request(*args, **kwargs)


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    # urllib3 opens HTTPS connections (TCP and the TLS handshake) before request():
    # a server that trickles its handshake must be cut by the deadline too.
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection

    def _validate_conn(self, conn) -> None:
        # urllib3's version, less its InsecureRequestWarning: the fetcher goes
        # unverified on purpose after a certificate error and records it in
        # Fetch.tls_error for the HTTPS checks; the warning would only be noise on
        # the user's terminal. (Not disable_warnings(): that is process-wide.)
        HTTPConnectionPool._validate_conn(self, conn)
        if conn.is_closed:
            conn.connect()


class _WatchedAdapter(HTTPAdapter):
    def __init__(self, *args, resolver=None, family: str | None = None, address_policy=None, **kwargs):
        # Pool and connection classes of this adapter's own: the resolver, the forced
        # family and the address policy belong to one fetcher (a forced-IPv6 fetcher
        # never shares a pool).
        if resolver is None and family is None and address_policy is None:
            self._pools = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}
        else:
            attrs = {"resolver": resolver, "family": family, "address_policy": address_policy}
            http_conn = type("_ResolvedHTTPConnection", (_WatchedHTTPConnection,), attrs)
            https_conn = type("_ResolvedHTTPSConnection", (_WatchedHTTPSConnection,), attrs)
            self._pools = {"http": type("_ResolvedHTTPPool", (_WatchedHTTPPool,), {"ConnectionCls": http_conn}),
                           "https": type("_ResolvedHTTPSPool", (_WatchedHTTPSPool,), {"ConnectionCls": https_conn})}
        super().__init__(*args, **kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._pools)


@dataclass(frozen=True)
class Request:
    """What to fetch and how (one object instead of a long list of keyword parameters).

    ``allow(url)`` returns a reason string when a redirect target may not be fetched
    (robots.txt, out of scope), which stops the chain there. The body is read for
    HTML-like and text types (and error pages), or for any type with ``any_type``.
    ``data``/``headers`` go with the first request only (a form POST). ``follow=False``
    returns the first answer, a redirect included. ``first`` puts the request ahead of
    the others waiting for the same host in the rate limiter (the browser's homepage),
    still within the rate.
    """

    url: str
    method: str = "GET"
    want_body: bool = True
    max_bytes: int | None = None
    allow: Callable[[str], str | None] | None = None
    timeout: float | None = None
    any_type: bool = False
    data: dict | bytes | None = None
    headers: dict | None = None
    follow: bool = True
    first: bool = False


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
    # Judged while the body was at hand: a firewall or captcha page, not the site's answer.
    challenge: bool = False
    # The address the last hop's connection went to (an IPv6 probe shows it went over IPv6).
    peer: str | None = None
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
        return self.status in (429,) or (self.status in BLOCK_STATUSES
                                         and (self.challenge or _looks_like_challenge(self)))

    def without_body(self) -> "Fetch":
        return dataclasses.replace(self, body=None)

    def to_json(self) -> dict:
        return {"url": self.url, "final_url": self.final_url, "status": self.status,
                "redirects": [list(r) for r in self.redirects], "elapsed": round(self.elapsed, 3),
                "size": self.size, "truncated": self.truncated, "error": self.error,
                "error_kind": self.error_kind, "method": self.method, "tls_error": self.tls_error,
                "blocked": self.blocked}


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
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        return seconds if 0 <= seconds < float("inf") else None
    try:
        from email.utils import parsedate_to_datetime

        dt = parsedate_to_datetime(value)
        return max(0.0, dt.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class EncodingError(ValueError):
    """A body whose Content-Encoding cannot be decoded (unsupported or corrupt)."""


class _Inflater:
    """gzip / deflate decoding with a bounded output per step.

    ``deflate`` is zlib-wrapped by the standard but raw in some servers: the first
    two bytes tell which. Concatenated gzip members are decoded one after another.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.dec = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
        self.pending = b""

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``, returning at most ``room`` bytes; the rest waits in the object."""
        if self.dec is None:
            self.pending += data
            if len(self.pending) < 2 and data:
                return b""
            head = self.pending[:2]
            zlib_wrapped = len(head) == 2 and (head[0] & 0x0F) == 8 and \
                ((head[0] << 8) | head[1]) % 31 == 0
            self.dec = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
            data, self.pending = self.pending, b""
        out = bytearray()
        try:
            out += self.dec.decompress(data, room)
            while len(out) < room:
                if self.dec.unconsumed_tail:
                    out += self.dec.decompress(self.dec.unconsumed_tail, room - len(out))
                elif self.dec.eof and self.encoding == "gzip" and \
                        self.dec.unused_data[:2] == b"\x1f\x8b":
                    rest = self.dec.unused_data
                    self.dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    out += self.dec.decompress(rest, room - len(out))
                else:
                    break
        except zlib.error as exc:
            raise EncodingError(f"corrupt {self.encoding} content-encoding: {exc}") from None
        return bytes(out)


def _inflater(encoding: str) -> _Inflater | None:
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity", "none"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return _Inflater("gzip")
    if encoding == "deflate":
        return _Inflater("deflate")
    raise EncodingError(f"unsupported content-encoding {encoding!r}")


def read_capped(raw, content_encoding: str, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
    """Read and decompress a body, keeping at most ``max_bytes`` of decoded data.

    Compressed data is inflated with a bounded output per step, so a gzip bomb
    costs no more memory than the cap. ``read1`` returns whatever one socket read
    brings, so a trickling body is checked against the deadline byte by byte.
    Raises TimeoutError past the deadline, EncodingError on an undecodable body.
    """
    dec = _inflater(content_encoding)
    out = bytearray()
    raw_read = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("deadline")
        chunk = raw.read1(65536, decode_content=False)
        if not chunk:
            break
        raw_read += len(chunk)
        if dec is None:
            out += chunk
        else:
            out += dec.feed(chunk, max_bytes + 1 - len(out))
        if len(out) > max_bytes or raw_read > max_bytes:
            return bytes(out[:max_bytes]), True
    return bytes(out), False


class Fetcher:
    """Shared, thread-safe HTTP client with pooling, pacing and hard bounds.

    ``timeout`` bounds each socket operation; ``total_timeout`` bounds the network
    time of one :meth:`fetch` (all its redirect hops together, the wait for a
    rate-limit slot not included), enforced by the watchdog whatever the server does.
    """

    def __init__(self, *, user_agent: str = DEFAULT_USER_AGENT, timeout: float = 15.0,
                 total_timeout: float | None = None, rate: float = 5.0,
                 concurrency: int = 4, max_bytes: int = 5 * 1024 * 1024,
                 max_redirects: int = 10, verify: bool | str = True,
                 limiter: RateLimiter | None = None, resolver=None, family: str | None = None,
                 ca_bundle: str | None = None, address_policy=None) -> None:
        """``resolver`` (auditor.network.resolve.Resolver) decides where every connection goes
        (--connect-to, --resolve, --dns-server); ``family`` ("v4"/"v6") forces the address
        family, keeping the Host header and the TLS SNI; ``ca_bundle`` is trusted besides
        the default CAs (``verify=True`` then means both); ``address_policy``
        (auditor.network.resolve.AddressPolicy) refuses private addresses at connect time:
        such a fetch ends with error_kind ``private-address``, no packet sent."""
        if family not in (None, "v4", "v6"):
            raise ValueError(f"family must be 'v4' or 'v6', not {family!r}")
        self.user_agent = user_agent
        self.timeout = timeout
        self.total_timeout = total_timeout or max(timeout * 2, 30.0)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.ca_bundle = ca_bundle
        if ca_bundle and verify is True:
            verify = combined_ca_bundle(ca_bundle)
        self.verify = verify
        self.resolver = resolver
        self.family = family
        self.address_policy = address_policy
        self.limiter = limiter or RateLimiter(rate)
        self.stop = threading.Event()
        self.session = requests.Session()
        self.session.trust_env = False  # audits never go through a stray proxy variable
        adapter = _WatchedAdapter(pool_connections=64, pool_maxsize=max(4, concurrency * 2),
                                  max_retries=0, resolver=resolver, family=family,
                                  address_policy=address_policy)
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
        # Hosts whose certificate failed verification once: later requests go
        # unverified at once (and carry the same tls_error) instead of failing first.
        self._tls_failed: dict[str, str] = {}

    def close(self) -> None:
        self.session.close()

    def fetch(self, request: "Request | str", **options) -> Fetch:
        """Fetch a :class:`Request` (or a URL with the Request's fields as options), following
        redirects by hand, so each hop is paced and checked (see :class:`Request`).

        ``Fetch.elapsed`` is network time: waiting for a rate-limit slot is not in it.
        A redirect after a POST is followed with GET, as browsers do.
        """
        req = request if isinstance(request, Request) else Request(request, **options)
        url, method, want_body, allow, any_type = req.url, req.method, req.want_body, req.allow, req.any_type
        data, headers = req.data, req.headers
        timeout = req.timeout or self.timeout
        total = self.total_timeout if timeout == self.timeout else max(timeout * 2, timeout + 5)
        max_bytes = req.max_bytes or self.max_bytes
        redirects: list[tuple[str, int]] = []
        visits = {url: 1}
        current = url
        spent = 0.0  # network time so far, all hops
        tls_error = None
        stale_retried = False
        peer = None

        def done(status=None, headers=None, *, final=None, error=None, kind=None, **kw) -> Fetch:
            return Fetch(url, final or current, status, headers or {}, tuple(redirects), spent,
                         error=error, error_kind=kind, method=method, tls_error=tls_error,
                         peer=peer, **kw)

        while True:
            if self.stop.is_set():
                return done(error="stopped", kind="stopped")
            host = host_of(current)
            if not self.limiter.wait(host, self.stop, first=req.first):
                continue
            origin = _origin(current)
            verify = self.verify
            if verify is not False and origin in self._tls_failed:
                verify, tls_error = False, tls_error or self._tls_failed[origin]
            hop_start = time.monotonic()
            try:
                resp, body, truncated = self._one(current, method, want_body, max_bytes,
                                                  timeout, hop_start + total - spent, verify,
                                                  any_type, data, headers)
            except requests.exceptions.SSLError as exc:
                spent += time.monotonic() - hop_start
                if verify is not False and not self.stop.is_set() and _is_certificate_error(exc):
                    # Gather what the site serves anyway; the HTTPS checks judge the chain.
                    # Remembered per origin, so this costs one failed handshake per site.
                    self._tls_failed.setdefault(origin, _short(exc))
                    tls_error = tls_error or self._tls_failed[origin]
                    continue
                return self._error(done, exc, spent, total)
            except _StaleConnection as exc:
                spent += time.monotonic() - hop_start
                if not stale_retried and not self.stop.is_set() and method in ("GET", "HEAD"):
                    # A kept-alive connection the server had closed meanwhile: ask
                    # again on a new one, as browsers do (GET and HEAD are idempotent).
                    stale_retried = True
                    continue
                return self._error(done, exc.__cause__ or exc, spent, total)
            except Exception as exc:  # noqa: BLE001 - every failure becomes data
                spent += time.monotonic() - hop_start
                return self._error(done, exc, spent, total)
            spent += time.monotonic() - hop_start
            peer = getattr(resp, "gov_audit_peer", None)
            headers = {k.lower(): v for k, v in resp.headers.items()}
            cookies = _set_cookies(resp)
            if len(cookies) > 1:
                # requests folds repeated Set-Cookie headers with ", ", which breaks cookies
                # holding an Expires date; one per line keeps them apart (the browser's
                # route.fulfill splits set-cookie on newlines).
                headers["set-cookie"] = "\n".join(cookies)
            status = resp.status_code
            if status == 429 or status == 503:
                # Slow the host down for every later request, pages and link checks alike.
                self.limiter.penalize(host, retry_after_seconds(headers.get("retry-after")))
            if status in REDIRECT_STATUSES and "location" in headers and req.follow:
                target = resolve(current, headers["location"])
                redirects.append((current, status))
                if target is None:
                    return done(status, headers, error="redirect to an unusable URL",
                                kind="bad-redirect")
                # A URL may come round once more after a hop that set a cookie (the
                # cookie-check redirects of many site firewalls); otherwise it is a loop.
                limit = 2 if "set-cookie" in headers else 1
                if visits.get(target, 0) >= limit:
                    return done(status, headers, final=target, error="redirect loop",
                                kind="redirect-loop")
                if len(redirects) > self.max_redirects:
                    return done(status, headers, final=target, error="too many redirects",
                                kind="too-many-redirects")
                reason = allow(target) if allow else None
                if reason:
                    return done(status, headers, final=target, error=reason, kind=reason)
                if spent >= total:
                    return done(error="total time limit reached", kind="deadline")
                visits[target] = visits.get(target, 0) + 1
                current = target
                if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
                    method, data = "GET", None
                continue
            result = done(status, headers, size=len(body or b""), truncated=truncated, body=body)
            if status in BLOCK_STATUSES and _looks_like_challenge(result):
                result = dataclasses.replace(result, challenge=True)
            return result

    def _one(self, url, method, want_body, max_bytes, timeout, deadline, verify, any_type=False,
             data=None, headers=None):
        """One request, no redirects: (response, body or None, truncated). Raises on failure."""
        with self._count_lock:
            self.requests_made += 1
        if time.monotonic() >= deadline:
            raise TimeoutError("total time limit reached")
        set_deadline(deadline, owner=self)
        _armed.fetcher = self
        _armed.new_connection = False
        resp = None
        body = None
        truncated = False
        complete = False
        failure: BaseException | None = None
        answered = False
        try:
            resp = self.session.request(method, url, allow_redirects=False, stream=True,
                                        timeout=(min(timeout, 10.0), timeout), verify=verify,
                                        data=data, headers=headers)
            answered = True
            conn = getattr(resp.raw, "_connection", None)
            resp.gov_audit_peer = getattr(conn, "peer", None)
            ctype = resp.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if method != "HEAD" and want_body and (any_type or ctype in HTML_TYPES
                                                    or ctype.endswith("+xml")
                                                    or ctype.startswith("text/")
                                                    or "javascript" in ctype
                                                    or resp.status_code >= 400):
                body, truncated = read_capped(resp.raw, resp.headers.get("content-encoding", ""),
                                              max_bytes, deadline)
                complete = not truncated
            elif method == "HEAD" or resp.raw.length_remaining == 0:
                complete = True  # nothing left to read: the connection can be reused
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            failure = exc
        finally:
            # Whatever happened (even KeyboardInterrupt), stop watching and let go
            # of the connection: back to the pool only when the answer was whole.
            cut = _disarm_all()
            set_deadline(None)
            _armed.fetcher = None
            if resp is not None:
                if complete and not cut and failure is None:
                    resp.raw.release_conn()
                else:
                    resp.close()
        if cut or (failure is not None and time.monotonic() >= deadline - 0.05):
            # The watchdog cut this exchange (deadline or stop): whatever came back,
            # a response that looks whole or an error, is not the server's answer.
            if self.stop.is_set():
                raise _Stopped() from failure
            raise TimeoutError("total time limit reached") from failure
        if failure is not None:
            if not answered and not _armed.new_connection and _closed_without_answer(failure):
                raise _StaleConnection() from failure
            raise failure
        return resp, body, truncated

    def _error(self, done, exc, spent, total) -> Fetch:
        if self.stop.is_set():
            return done(error="stopped", kind="stopped")
        kind, message = classify_error(exc)
        if kind not in ("deadline", "dns", "connect") and spent >= total - 0.1:
            kind, message = "deadline", "total time limit reached"
        return done(error=message, kind=kind)


_BUNDLES: dict[str, str] = {}
_BUNDLES_LOCK = threading.Lock()


def combined_ca_bundle(extra: str) -> str:
    """A CA file holding the default CAs (certifi's, which requests trusts) and ``extra``.

    Written once per extra file to a temporary file removed at exit. Raises ValueError
    when ``extra`` holds no certificate a TLS context can load.
    """
    import atexit
    import os
    import tempfile

    try:
        st = os.stat(extra)
        key = f"{os.path.abspath(extra)}:{st.st_mtime_ns}:{st.st_size}"  # a rewritten file is read again
    except OSError:
        key = os.path.abspath(extra)
    with _BUNDLES_LOCK:
        path = _BUNDLES.get(key)
        if path is not None and os.path.exists(path):
            return path
        check_ca_file(extra)
        from requests.utils import DEFAULT_CA_BUNDLE_PATH

        with open(DEFAULT_CA_BUNDLE_PATH, "rb") as f:
            default = f.read()
        with open(extra, "rb") as f:
            own = f.read()
        fd, path = tempfile.mkstemp(prefix="gov-audit-ca-", suffix=".pem")
        with os.fdopen(fd, "wb") as out:
            out.write(default.rstrip(b"\n") + b"\n" + own)
        atexit.register(_remove_quietly, path)
        _BUNDLES[key] = path
        return path


def _remove_quietly(path: str) -> None:
    import os

    try:
        os.unlink(path)
    except OSError:
        pass


def check_ca_file(path: str) -> None:
    """Raise ValueError (one line) unless ``path`` is a readable file of PEM CA certificates."""
    import os

    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such file")
    try:
        ssl.create_default_context(cafile=path)
    except ssl.SSLError as exc:
        raise ValueError(f"{path}: no CA certificate could be read ({exc.reason or exc})") from None
    except (OSError, UnicodeError) as exc:
        raise ValueError(f"{path}: cannot read it ({exc})") from None


class _Stopped(Exception):
    """The crawl was stopped while this request was in flight."""


class _StaleConnection(Exception):
    """A pooled connection turned out closed before the server answered anything."""


def _closed_without_answer(exc: BaseException) -> bool:
    return any(isinstance(c, (http.client.RemoteDisconnected, ConnectionResetError,
                              BrokenPipeError, ConnectionAbortedError)) for c in _chain(exc))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_certificate_error(exc: BaseException) -> bool:
    """A verification failure (worth retrying unverified), not a broken handshake."""
    return any(isinstance(c, ssl.SSLCertVerificationError) for c in _chain(exc)) or \
        "certificate" in str(exc).lower() or "hostname" in str(exc).lower()


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 300 else text[:297] + "..."


def _chain(exc: BaseException, limit: int = 16) -> list[BaseException]:
    """The exception and every exception it wraps (causes, contexts, args, reasons)."""
    out: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(out) < limit:
        e = todo.pop(0)
        if any(e is o for o in out):
            continue
        out.append(e)
        todo.extend(a for a in (e.__cause__, e.__context__, getattr(e, "reason", None), *e.args)
                    if isinstance(a, BaseException))
    return out


def classify_error(exc: BaseException) -> tuple[str, str]:
    """Map an exception to (kind, message) a user can read."""
    chain = _chain(exc)
    text = " | ".join(str(c) for c in chain).lower()

    def has(*types) -> bool:
        return any(isinstance(c, types) for c in chain)

    if isinstance(exc, _Stopped):
        return "stopped", "stopped"
    from auditor.network.resolve import PRIVATE_ADDRESS_ERROR, PrivateAddressRefused

    if has(PrivateAddressRefused):
        return "private-address", PRIVATE_ADDRESS_ERROR
    if isinstance(exc, TimeoutError) and "deadline" in str(exc) or "total time limit" in text:
        return "deadline", "total time limit reached"
    if has(EncodingError) or isinstance(exc, requests.exceptions.ContentDecodingError):
        return "encoding", _short(next(c for c in chain if isinstance(c, (EncodingError,
                                   requests.exceptions.ContentDecodingError))))
    if has(socket.gaierror) or "name or service not known" in text \
            or "nodename nor servname" in text or "failed to resolve" in text \
            or "name resolution" in text or "no address associated" in text:
        return "dns", "DNS lookup failed"
    if has(requests.exceptions.SSLError, ssl.SSLError):
        return "tls", _short(exc)
    if has(ConnectionRefusedError) or "refused" in text:
        return "connect", "connection refused"
    # (urllib3's NewConnectionError subclasses ConnectTimeoutError: not a timeout.)
    if has(requests.exceptions.ConnectTimeout) or any(
            type(c) is urllib3.exceptions.ConnectTimeoutError for c in chain):
        return "timeout", "connection timed out"
    if has(requests.exceptions.ReadTimeout, socket.timeout, TimeoutError,
           urllib3.exceptions.ReadTimeoutError) or "timed out" in text:
        return "timeout", "read timed out"
    if has(http.client.RemoteDisconnected):
        return "connect", "connection closed by the server without an answer"
    if has(http.client.IncompleteRead) and not has(urllib3.exceptions.InvalidChunkLength):
        return "incomplete", "connection closed before the whole body arrived"
    if has(http.client.HTTPException, urllib3.exceptions.ProtocolError) and not \
            has(ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
        return "protocol", "the server did not answer in HTTP: " + _short(
            next(c for c in reversed(chain) if isinstance(c, (http.client.HTTPException,
                                                              urllib3.exceptions.ProtocolError))))
    if has(requests.exceptions.ConnectionError, ConnectionError, urllib3.exceptions.ProtocolError):
        if "reset" in text or "aborted" in text or "closed" in text or "broken pipe" in text:
            return "connect", "connection closed by the server"
        return "connect", "could not connect"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema, urllib3.exceptions.LocationParseError)):
        return "bad-url", _short(exc)
    return "error", _short(exc) or type(exc).__name__


def _set_cookies(resp) -> list[str]:
    """Every Set-Cookie header of a response, one string each (urllib3 keeps them apart)."""
    raw = getattr(resp, "raw", None)
    getlist = getattr(getattr(raw, "headers", None), "getlist", None)
    try:
        return list(getlist("set-cookie")) if getlist else []
    except Exception:  # noqa: BLE001 - a response without raw headers: nothing to split
        return []
