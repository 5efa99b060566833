"""A network lab on loopback for the network checks: a DNS server (dnslib) with the
zones a test writes, and sites served on the same port over 127.0.0.1 and [::1].

With ``--dns-server`` pointing at :class:`DnsLab`, every connection the audit makes
resolves through it, so tests use real names (www.example.gov.cn → 127.0.0.1 / ::1)
without touching /etc/hosts; ``--connect-to`` sends ports 80/443 to the servers'
ephemeral ports, so the URLs look like a real site's.
"""
from __future__ import annotations

import socket
import ssl
import threading

from dnslib import AAAA, CNAME, NS, QTYPE, RCODE, RR, SOA, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from servers import LoopbackSite

_QUIET = DNSLogger("-recv,-send,-request,-reply,-truncated,-error,-data", prefix=False)
_RDATA = {"A": A, "AAAA": AAAA, "CNAME": CNAME, "NS": NS}


def _norm(name: str) -> str:
    return str(name).rstrip(".").lower()


class ZoneResolver(BaseResolver):
    """Answers from ``records``: {name: [(type, value), …]}. A name with an ``SOA``
    entry is a zone apex; names under a zone that have no records are NXDOMAIN.
    CNAME chains are followed inside the answer, as a recursive resolver does.
    ``refuse`` makes every answer REFUSED (a name server that does not serve the zone)."""

    def __init__(self, records: dict, refuse: bool = False) -> None:
        self.records = {_norm(k): list(v) for k, v in records.items()}
        self.refuse = refuse
        self.queries: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def _zone(self, name: str) -> str | None:
        labels = name.split(".")
        for i in range(len(labels)):
            cand = ".".join(labels[i:])
            if any(t == "SOA" for t, _ in self.records.get(cand, ())):
                return cand
        return None

    def _soa(self, zone: str) -> RR:
        return RR(zone + ".", QTYPE.SOA, ttl=60,
                  rdata=SOA(f"ns1.{zone}.", f"hostmaster.{zone}.", (1, 3600, 600, 86400, 60)))

    def resolve(self, request, handler):
        reply = request.reply()
        qname = _norm(request.q.qname)
        qtype = QTYPE[request.q.qtype]
        with self.lock:
            self.queries.append((qname, qtype))
        if self.refuse:
            reply.header.rcode = RCODE.REFUSED
            return reply
        name, seen = qname, set()
        while name not in seen:
            seen.add(name)
            recs = self.records.get(name)
            if recs is None:
                zone = self._zone(name)
                if zone is None:
                    reply.header.rcode = RCODE.REFUSED if name == qname else reply.header.rcode
                    return reply
                if name == qname:
                    reply.header.rcode = RCODE.NXDOMAIN
                reply.add_auth(self._soa(zone))
                return reply
            cnames = [v for t, v in recs if t == "CNAME"]
            if cnames and qtype != "CNAME":
                reply.add_answer(RR(name + ".", QTYPE.CNAME, ttl=60, rdata=CNAME(cnames[0] + ".")))
                name = _norm(cnames[0])
                continue
            matched = False
            for t, v in recs:
                if t == qtype:
                    matched = True
                    if t == "SOA":
                        reply.add_answer(self._soa(name))
                    else:
                        value = v + "." if t in ("NS", "CNAME") else v
                        reply.add_answer(RR(name + ".", getattr(QTYPE, t), ttl=60, rdata=_RDATA[t](value)))
            if not matched:
                zone = self._zone(name)
                if zone:
                    reply.add_auth(self._soa(zone))
            return reply
        return reply


class DnsLab:
    """dnslib on 127.0.0.1 (UDP and TCP, one port); optionally on [::1] at the same port
    (``v6=True``: the name servers' IPv6 side), answering or refusing (``v6_refuse``)."""

    def __init__(self, records: dict, *, v6: bool = False, v6_refuse: bool = False) -> None:
        self.resolver = ZoneResolver(records)
        self.v6 = v6
        self.v6_resolver = ZoneResolver(records, refuse=v6_refuse)
        self.servers: list[DNSServer] = []
        self.port = 0

    def start(self) -> "DnsLab":
        for _ in range(20):
            udp = DNSServer(self.resolver, address="127.0.0.1", port=0, logger=_QUIET)
            port = udp.server.server_address[1]
            extra = []
            try:
                extra.append(DNSServer(self.resolver, address="127.0.0.1", port=port, tcp=True, logger=_QUIET))
                if self.v6:
                    extra.append(DNSServer(self.v6_resolver, address="::1", port=port, logger=_QUIET))
                    extra.append(DNSServer(self.v6_resolver, address="::1", port=port, tcp=True, logger=_QUIET))
            except OSError:
                udp.server.server_close()
                for s in extra:
                    s.server.server_close()
                continue
            self.servers = [udp, *extra]
            self.port = port
            for s in self.servers:
                # dnslib's start_thread polls every 0.5 s, which makes every stop() slow.
                threading.Thread(target=s.server.serve_forever, kwargs={"poll_interval": 0.05},
                                 daemon=True).start()
            return self
        raise RuntimeError("no free port for the DNS lab")

    def stop(self) -> None:
        for s in self.servers:
            s.server.shutdown()
            s.server.server_close()
        self.servers = []

    def __enter__(self) -> "DnsLab":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def queries(self) -> list[tuple[str, str]]:
        with self.resolver.lock:
            return list(self.resolver.queries)

    def v6_queries(self) -> list[tuple[str, str]]:
        with self.v6_resolver.lock:
            return list(self.v6_resolver.queries)


class DualSite:
    """A site on 127.0.0.1:P and [::1]:P (same port P); either side may be left out
    (``v6_routes=False``: nothing listens on [::1]:P) or serve other routes."""

    def __init__(self, routes: dict, *, v6_routes: "dict | bool | None" = None,
                 tls_context: ssl.SSLContext | None = None, v4: bool = True) -> None:
        self.routes = routes
        self.v6_routes = routes if v6_routes is None or v6_routes is True else v6_routes
        self.tls_context = tls_context
        self.v4 = v4
        self.site4: LoopbackSite | None = None
        self.site6: LoopbackSite | None = None
        self.port = 0

    def start(self) -> "DualSite":
        for _ in range(30):
            if self.v4:
                s4 = LoopbackSite(self.routes, tls_context=self.tls_context).start()
                port = s4.port
            else:
                s4, port = None, _free_port_both()
            if not self.v6_routes:
                self.site4, self.port = s4, port
                return self
            try:
                s6 = LoopbackSite(self.v6_routes, host="::1", tls_context=self.tls_context, port=port).start()
            except OSError:
                if s4 is not None:
                    s4.stop()
                continue
            self.site4, self.site6, self.port = s4, s6, port
            return self
        raise RuntimeError("no port free on both 127.0.0.1 and ::1")

    def stop(self) -> None:
        for s in (self.site4, self.site6):
            if s is not None:
                s.stop()

    def __enter__(self) -> "DualSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def hits(self, family: str = "v4", path: str | None = None):
        site = self.site4 if family == "v4" else self.site6
        return site.hits(path) if site is not None else []


def _free_port_both() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zone(domain: str = "example.gov.cn", *, ns_v6: int = 2, **hosts) -> dict:
    """Records for ``domain``: SOA, two name servers (the first ``ns_v6`` with AAAA ::1),
    and hosts given as name=("v4", "v6") / ("v4",) / ("v6",) / "cname:target"."""
    recs: dict = {domain: [("SOA", ""), ("NS", f"ns1.{domain}"), ("NS", f"ns2.{domain}")]}
    for i in (1, 2):
        recs[f"ns{i}.{domain}"] = [("A", "127.0.0.1")] + ([("AAAA", "::1")] if i <= ns_v6 else [])
    for label, spec in hosts.items():
        name = f"{label.replace('_', '-')}.{domain}" if label != "apex" else domain
        if isinstance(spec, str) and spec.startswith("cname:"):
            recs[name] = [("CNAME", spec[6:])]
            continue
        rr = []
        if "v4" in spec:
            rr.append(("A", "127.0.0.1"))
        if "v6" in spec:
            rr.append(("AAAA", "::1"))
        recs.setdefault(name, []).extend(rr)
    return recs



# -- certificates and audits -------------------------------------------------------------
def server_context(cert=None, *, pem: bytes | None = None, min_version=None,
                   sni_log: list | None = None) -> ssl.SSLContext:
    """A server TLS context serving a trustme LeafCert (or a PEM with key and cert)."""
    import os
    import tempfile

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if min_version is not None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = min_version
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    if cert is not None:
        cert.configure_cert(ctx)
    else:
        fd, path = tempfile.mkstemp(suffix=".pem")
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        try:
            ctx.load_cert_chain(path)
        finally:
            os.unlink(path)
    if sni_log is not None:
        def record(sock, name, _ctx):
            sni_log.append(name)
        ctx.sni_callback = record
    return ctx


def self_signed_pem(*names: str) -> bytes:
    """A self-signed certificate (with its key) naming ``names`` in its SAN."""
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, hashes.SHA256()))
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()) + cert.public_bytes(serialization.Encoding.PEM)


def refusing_port() -> int:
    from servers import free_port_refusing

    return free_port_refusing()


def audit(url: str, dns: DnsLab, *, http: "DualSite | None" = None, https: "DualSite | None" = None,
          only=("ipv6.*", "https.*", "security.*", "site.domain"), profile: str | None = None,
          ca_bundle: str | None = None, gather: dict | None = None, connect_to=(), **crawl):
    """Audit ``url`` with every connection resolved by ``dns`` and ports 80/443 of every
    host sent to ``http``/``https`` (a refusing port when not given)."""
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions

    closed = refusing_port()
    ct = tuple(connect_to) + (f":80::{http.port if http else closed}", f":443::{https.port if https else closed}")
    crawl.setdefault("rate", 500)
    crawl.setdefault("timeout", 2)
    options = CrawlOptions(dns_server=dns.address, connect_to=ct, ca_bundle=ca_bundle, **crawl)
    gather_options = {"dns_ns_port": dns.port, **(gather or {})}
    config = AuditConfig(crawl=options, profile=profile, only=list(only), gather_options=gather_options)
    return run_audit(url, config, None)


def result(outcome, cid: str) -> dict:
    return next(c for c in outcome.report["checks"] if c["id"] == cid)


def profile_file(tmp_path, body: str) -> str:
    path = tmp_path / "site.toml"
    path.write_text('extends = "default"\n' + body, "utf-8")
    return str(path)
