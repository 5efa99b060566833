"""The ``tls`` gatherer: the certificate the site serves and the TLS versions it accepts
(for https.certificate and https.tls).

Handshakes are made with the standard ``ssl`` module on the address the audit's
resolver gives (``--connect-to``, ``--resolve``, ``--dns-server``), with SNI = the
host name, each through the crawl's rate limiter and under the watchdog's deadline:

1. an unverified handshake that records what the server presents: the leaf
   certificate parsed with ``cryptography`` from the DER it sent, and the whole chain
   it sent when this Python exposes it (``SSLSocket.get_unverified_chain``, public in
   3.13, private ``_sslobj`` method since 3.10; else the leaf only, and the facts say so);
2. the chain verified against the default CAs (certifi's, which the crawl trusts),
   host name left out — the name is matched here, RFC 6125 style, against the SANs;
3. with ``--ca-bundle``, the chain verified against that file alone, recorded apart;
4. one handshake per protocol version (TLS 1.0, 1.1, 1.2, 1.3), the context pinned
   to it (``minimum_version = maximum_version``, ciphers ``ALL:@SECLEVEL=0`` so this
   side's security level does not refuse old versions). Whether the local OpenSSL can
   speak a version at all is tested once, in memory, against itself: a version it
   cannot speak is recorded ``untestable``, never taken for "refused".

At most 7 handshakes. Network failures are recorded, never raised.
"""
from __future__ import annotations

import os
import socket
import ssl
import tempfile
import threading
import time
import warnings
from datetime import datetime, timezone

from auditor.gather.base import gatherer
from auditor.network.resolve import ResolveError, ip_family
from auditor.network.watchdog import WATCHDOG, set_deadline
from auditor.gather import _net

VERSIONS = ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
_TLS_VERSION = {"TLSv1": "TLSv1", "TLSv1.1": "TLSv1_1", "TLSv1.2": "TLSv1_2", "TLSv1.3": "TLSv1_3"}

_support: dict[str, bool] | None = None
_support_lock = threading.Lock()


def _pinned_context(version: str, *, server: bool = False) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    if not server:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        v = getattr(ssl.TLSVersion, _TLS_VERSION[version])
        ctx.minimum_version = v
        ctx.maximum_version = v
    try:
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:
        pass
    return ctx


def local_support() -> dict[str, bool]:
    """Which versions this machine's OpenSSL can negotiate at all (once per process):
    an in-memory handshake of this OpenSSL with itself, per version."""
    global _support
    with _support_lock:
        if _support is None:
            _support = _self_test()
        return dict(_support)


def _self_test() -> dict[str, bool]:
    try:
        certfile = _throwaway_cert()
    except Exception:  # noqa: BLE001 - no cryptography: then nothing can be claimed
        return {v: False for v in VERSIONS}
    out = {}
    try:
        for version in VERSIONS:
            try:
                sctx = _pinned_context(version, server=True)
                sctx.load_cert_chain(certfile)
                cctx = _pinned_context(version)
                out[version] = _memory_handshake(cctx, sctx)
            except (ssl.SSLError, ValueError, OSError):
                out[version] = False
    finally:
        os.unlink(certfile)
    return out


def _memory_handshake(cctx: ssl.SSLContext, sctx: ssl.SSLContext) -> bool:
    cin, cout, sin, sout = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = cctx.wrap_bio(cin, cout, server_hostname="localhost")
    server = sctx.wrap_bio(sin, sout, server_side=True)
    c_done = s_done = False
    for _ in range(12):
        if not c_done:
            try:
                client.do_handshake()
                c_done = True
            except ssl.SSLWantReadError:
                pass
        sin.write(cout.read())
        if not s_done:
            try:
                server.do_handshake()
                s_done = True
            except ssl.SSLWantReadError:
                pass
        cin.write(sout.read())
        if c_done and s_done:
            return True
    return False


def _throwaway_cert() -> str:
    """A self-signed certificate and key in a temporary PEM file (for the self-test)."""
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))
    fd, path = tempfile.mkstemp(prefix="gov-audit-selftest-", suffix=".pem")
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return path


# -- certificates ----------------------------------------------------------------------
def describe_cert(der: bytes, now: datetime | None = None) -> dict:
    """What a DER certificate says: names, issuer, validity, key, fingerprint."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    now = now or datetime.now(timezone.utc)
    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        san_dns = [str(v) for v in san.get_values_for_type(x509.DNSName)]
        san_ip = [str(v) for v in san.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        san_dns, san_ip = [], []
    cn = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    issuer_cn = [str(a.value) for a in cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)]
    self_signed = False
    if cert.issuer == cert.subject:
        try:
            cert.verify_directly_issued_by(cert)
            self_signed = True
        except Exception:  # noqa: BLE001 - bad signature, unsupported key: not self-signed
            self_signed = False
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key_desc = f"RSA {key.key_size}"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_desc = f"EC {key.curve.name}"
    else:
        key_desc = type(key).__name__.replace("PublicKey", "").lstrip("_")
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    try:
        sig = cert.signature_hash_algorithm.name if cert.signature_hash_algorithm else ""
    except Exception:  # noqa: BLE001 - e.g. SM2/SM3 signatures cryptography does not know
        sig = ""
    return {"subject": cert.subject.rfc4514_string(), "cn": cn, "san_dns": san_dns, "san_ip": san_ip,
            "issuer": cert.issuer.rfc4514_string(), "issuer_cn": issuer_cn,
            "not_before": not_before.isoformat(), "not_after": not_after.isoformat(),
            "days_left": round((not_after - now).total_seconds() / 86400, 2),
            "not_yet_valid": not_before > now, "expired": not_after < now,
            "self_signed": self_signed, "serial": format(cert.serial_number, "x"),
            "signature_hash": sig, "signature_oid": cert.signature_algorithm_oid.dotted_string,
            "key": key_desc, "sha256": cert.fingerprint(hashes.SHA256()).hex()}


def name_matches(host: str, cert: dict) -> tuple[bool, str]:
    """RFC 6125 matching against the SANs (a wildcard only as the whole leftmost label);
    the CN is not used, as browsers no longer do. Returns (match, how)."""
    host = host.lower().rstrip(".")
    if ip_family(host):
        import ipaddress

        ip = ipaddress.ip_address(host.strip("[]"))
        ok = any(_same_ip(ip, v) for v in cert.get("san_ip", []))
        return ok, "IP SAN" if ok else "no IP SAN matches"
    for pattern in cert.get("san_dns", []):
        p = pattern.lower().rstrip(".")
        if p == host:
            return True, f"SAN {pattern}"
        if p.startswith("*.") and "." in host:
            first, rest = host.split(".", 1)
            if rest == p[2:] and first and rest.count(".") >= 1:
                return True, f"SAN {pattern}"
    if not cert.get("san_dns") and host in [c.lower() for c in cert.get("cn", [])]:
        return False, "the name is only in the CN (no SAN): browsers reject it"
    return False, "no SAN matches"


def _same_ip(ip, text: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(text) == ip
    except ValueError:
        return False


# -- handshakes ------------------------------------------------------------------------
class _Holder:
    """What the watchdog shuts down when a handshake passes its deadline."""

    sock = None
    watch_sock = None


def handshake(addr: str, port: int, host: str, ctx: ssl.SSLContext, timeout: float,
              want_chain: bool = False) -> dict:
    """One TLS handshake; returns version, cipher, the DER leaf (and chain) or the error."""
    holder = _Holder()
    set_deadline(time.monotonic() + timeout * 2)
    token = None
    raw = None
    t0 = time.monotonic()
    try:
        token = WATCHDOG.arm(holder)
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        raw = socket.socket(family, socket.SOCK_STREAM)
        holder.sock = raw
        raw.settimeout(timeout)
        raw.connect((addr, port))
        try:
            # wrap_socket detaches ``raw``: the watchdog shuts a duplicate down (see fetch._Watched).
            holder.watch_sock = raw.dup()
        except OSError:
            pass
        sni = None if ip_family(host) else host
        with ctx.wrap_socket(raw, server_hostname=sni, do_handshake_on_connect=False) as tls:
            tls.do_handshake()
            rec = {"ok": True, "version": tls.version(), "cipher": (tls.cipher() or ("",))[0],
                   "der": tls.getpeercert(binary_form=True)}
            if want_chain:
                rec["chain"] = _chain_of(tls)
        raw = None
        return {**rec, "elapsed": round(time.monotonic() - t0, 3)}
    except ssl.SSLCertVerificationError as exc:
        return {"ok": False, "kind": "verify", "verify_code": exc.verify_code,
                "error": (exc.verify_message or str(exc))[:300], "elapsed": round(time.monotonic() - t0, 3)}
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError) as exc:
        return {"ok": False, "kind": "tls", "error": _short(exc), "elapsed": round(time.monotonic() - t0, 3)}
    except OSError as exc:
        kind = "timeout" if isinstance(exc, (socket.timeout, TimeoutError)) else "connect"
        return {"ok": False, "kind": kind, "error": _short(exc), "elapsed": round(time.monotonic() - t0, 3)}
    finally:
        WATCHDOG.disarm(token)
        set_deadline(None)
        for sock in (raw, getattr(holder, "watch_sock", None)):
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass


def _chain_of(tls) -> list[bytes] | None:
    getter = getattr(tls, "get_unverified_chain", None)  # Python 3.13+
    try:
        if getter is not None:
            return [bytes(c) for c in getter() or []]
        sslobj = getattr(tls, "_sslobj", None)
        getter = getattr(sslobj, "get_unverified_chain", None)
        if getter is None:
            return None
        import _ssl

        return [c.public_bytes(_ssl.ENCODING_DER) for c in getter() or []]
    except Exception:  # noqa: BLE001 - a private API: without it, the leaf alone
        return None


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) < 300 else text[:297] + "..."


def _default_ca_file() -> str:
    from requests.utils import DEFAULT_CA_BUNDLE_PATH

    return DEFAULT_CA_BUNDLE_PATH


def _verify_context(cafile: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False  # the name is matched against the SANs here, apart
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


@gatherer("tls")
def gather(snap, ctx) -> dict:
    o = _net.origins(snap, ctx) if ctx.fetcher is not None else None
    if o is None:
        return {"state": "no-fetcher"}
    host, port = o["host"], o["ports"].get("https")
    out: dict = {"host": host, "port": port}
    if not host:
        return {**out, "state": "no-host"}
    if port is None:
        return {**out, "state": "unknown-port"}
    rec = o["https"]
    if _net.stopped(ctx):
        return {**out, "state": "stopped"}
    if rec is not None and not rec["served"] and rec["error_kind"] in ("connect", "dns", "timeout", "deadline"):
        return {**out, "state": "no-https", "error": rec["error"], "error_kind": rec["error_kind"]}
    out["local_support"] = local_support()
    resolver = _net.resolver_of(ctx)
    timeout = min(float(ctx.fetcher.timeout), 10.0)
    limiter, stop = ctx.fetcher.limiter, ctx.fetcher.stop
    addr = None
    info = None
    try:
        targets = list(resolver.targets(host, port, None))
    except ResolveError as exc:
        return {**out, "state": "no-https", "error": exc.message, "error_kind": "dns"}
    count = 0
    for a, p in targets[:4]:
        if not limiter.wait(host, stop):
            return {**out, "state": "stopped"}
        base = ssl.create_default_context()
        base.check_hostname = False
        base.verify_mode = ssl.CERT_NONE
        info = handshake(a, p, host, base, timeout, want_chain=True)
        count += 1
        if info["ok"] or info["kind"] == "tls":
            addr = (a, p)
            break
    if addr is None:
        return {**out, "state": "no-https", "error": info["error"] if info else "no address",
                "error_kind": info.get("kind") if info else "dns", "handshakes": count}
    now = datetime.now(timezone.utc)
    out.update({"address": addr[0], "connect_port": addr[1], "checked_at": now.isoformat()})

    def read_cert(der: bytes) -> None:
        try:
            out["certificate"] = describe_cert(der, now)
            out["name_match"], out["name_how"] = name_matches(host, out["certificate"])
        except Exception as exc:  # noqa: BLE001 - an unparsable certificate is a finding
            out["certificate"] = None
            out["certificate_error"] = _short(exc)

    if info["ok"]:
        out["negotiated"] = {"version": info["version"], "cipher": info["cipher"]}
        read_cert(info["der"])
        chain = info.get("chain")
        if chain:
            described = []
            for der in chain[:6]:
                try:
                    c = describe_cert(der, now)
                    described.append({k: c[k] for k in ("subject", "issuer", "not_after", "self_signed", "key")})
                except Exception:  # noqa: BLE001
                    described.append({"subject": "(unparsable)"})
            out["chain"] = described
            out["chain_note"] = "the chain as the server sent it"
        else:
            out["chain"] = None
            out["chain_note"] = "this Python cannot read the chain the server sent: the leaf and the verification result only"
    else:
        out["handshake_error"] = info["error"]

    def verify_with(cafile: str) -> dict:
        nonlocal count
        if not limiter.wait(host, stop):
            return {"ok": None, "error": "stopped"}
        count += 1
        r = handshake(addr[0], addr[1], host, _verify_context(cafile), timeout)
        r.pop("der", None)
        return {k: r.get(k) for k in ("ok", "kind", "verify_code", "error")}

    out["trust_default"] = verify_with(_default_ca_file())
    extra = (ctx.options or {}).get("ca_bundle")
    out["trust_extra"] = verify_with(extra) if extra else None
    out["ca_bundle"] = extra
    support = out["local_support"]
    versions: dict[str, dict] = {}
    for v in VERSIONS:
        if not support.get(v):
            versions[v] = {"result": "untestable", "error": "the local OpenSSL cannot negotiate it"}
            continue
        if not limiter.wait(host, stop):
            versions[v] = {"result": "untested", "error": "stopped"}
            continue
        count += 1
        r = handshake(addr[0], addr[1], host, _pinned_context(v), timeout)
        if r["ok"]:
            versions[v] = {"result": "accepted", "cipher": r.get("cipher")}
            if "certificate" not in out and r.get("der"):
                read_cert(r["der"])  # only an old version worked: still judge the certificate
        elif r["kind"] in ("tls", "verify"):
            versions[v] = {"result": "refused", "error": r["error"]}
        else:
            versions[v] = {"result": "error", "error": r["error"]}
    out["versions"] = versions
    out["handshakes"] = count
    out["state"] = "ok" if info["ok"] else "handshake-failed"
    return out
