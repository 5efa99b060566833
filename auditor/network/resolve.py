"""Name resolution for every connection the audit makes, in one place.

The crawler, the gatherers and the IPv6 probes all connect through the same
:class:`Resolver`, so ``--dns-server``, ``--resolve`` and ``--connect-to`` mean the
same thing for every request:

1. ``--connect-to HOST1:PORT1:HOST2:PORT2`` (as curl's) sends a connection meant
   for HOST1:PORT1 to HOST2:PORT2 instead (an empty HOST2 keeps the host, an empty
   PORT2 the port; an empty HOST1 or PORT1 matches any). The Host header and the
   TLS SNI stay the name in the URL.
2. ``--resolve HOST:PORT:ADDR[,ADDR…]`` (as curl's) pins a name and port to
   addresses; nothing is looked up for it.
3. Otherwise ``--dns-server ADDR[:PORT]``, queried with dnspython (A, then AAAA
   only when no IPv4 address answers — or only the family a probe forces);
   CNAME chains are followed by the server's answer, as from any recursive resolver.
4. Otherwise the system resolver (``getaddrinfo``).

Answers are cached for the audit (one audit is minutes long; TTLs are not
honoured) so the DNS queries stay few. A failed lookup raises
:class:`ResolveError`, a ``socket.gaierror``, so urllib3 and
:func:`auditor.network.fetch.classify_error` report it as a DNS failure like any other.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from typing import Iterable, Iterator

FAMILIES = ("v4", "v6")
_AF = {"v4": socket.AF_INET, "v6": socket.AF_INET6}
_RDTYPE = {"v4": "A", "v6": "AAAA"}


class ResolveError(socket.gaierror):
    """A name could not be resolved (the message says why)."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(socket.EAI_NONAME, message)
        self.kind = kind  # nxdomain | timeout | servfail | no-config | no-address | error
        self.message = message

    def __str__(self) -> str:
        return self.message


# -- option parsing (one-line ValueError messages for the CLI) -------------------------
def _port(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what}: port must be a number, not {text!r}") from None
    if not 0 < value < 65536:
        raise ValueError(f"{what}: port {value} is out of range (1-65535)")
    return value


def _ip(text: str, what: str) -> str:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not an IP address") from None


def _host(text: str, what: str) -> str:
    host = text.strip().rstrip(".").lower()
    if host.startswith("[") and host.endswith("]"):
        return _ip(host, what)
    if not host or any(c.isspace() or c in "/:@" for c in host):
        raise ValueError(f"{what}: {text!r} is not a host name")
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise ValueError(f"{what}: {text!r} is not a host name") from None


def _split_host_port(text: str) -> tuple[str, str, str]:
    """'HOST:PORT:REST' where HOST may be a [bracketed] IPv6 literal."""
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1:end + 2] != ":":
            raise ValueError("bad bracketed address")
        host, rest = text[:end + 1], text[end + 2:]
    else:
        host, sep, rest = text.partition(":")
        if not sep:
            raise ValueError("missing ':'")
    port, sep, tail = rest.partition(":")
    if not sep:
        raise ValueError("missing ':'")
    return host, port, tail


@dataclass(frozen=True)
class Pin:
    """``--resolve HOST:PORT:ADDR[,ADDR…]``."""

    host: str
    port: int
    addrs: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> "Pin":
        what = repr(text)
        try:
            host, port, addrs = _split_host_port(text.strip())
        except ValueError:
            raise ValueError(f"{what}: expected HOST:PORT:ADDR (e.g. www.example.gov.cn:443:192.0.2.10)") from None
        items = [a for a in _split_addrs(addrs) if a]
        if not items:
            raise ValueError(f"{what}: no address given")
        return cls(_host(host, what), _port(port, what), tuple(_ip(a, what) for a in items))


def _split_addrs(text: str) -> list[str]:
    """'1.2.3.4,[::1],::2' -> items (bracketed IPv6 literals may hold no commas anyway)."""
    return [a.strip() for a in text.split(",")]


@dataclass(frozen=True)
class ConnectTo:
    """``--connect-to HOST1:PORT1:HOST2:PORT2``; empty fields match any / keep the original."""

    host1: str
    port1: int | None
    host2: str
    port2: int | None

    @classmethod
    def parse(cls, text: str) -> "ConnectTo":
        what = repr(text)
        try:
            host1, port1, rest = _split_host_port(text.strip())
            if rest.startswith("["):
                end = rest.find("]")
                host2, tail = rest[:end + 1], rest[end + 1:]
                if not tail.startswith(":"):
                    raise ValueError
                port2 = tail[1:]
            else:
                host2, sep, port2 = rest.rpartition(":")
                if not sep:
                    raise ValueError
        except ValueError:
            raise ValueError(f"{what}: expected HOST1:PORT1:HOST2:PORT2 (empty fields allowed)") from None
        return cls(_host(host1, what) if host1 else "", _port(port1, what) if port1 else None,
                   _host(host2, what) if host2 else "", _port(port2, what) if port2 else None)

    def matches(self, host: str, port: int) -> bool:
        return (not self.host1 or self.host1 == host) and (self.port1 is None or self.port1 == port)


def parse_dns_server(text: str) -> tuple[str, int]:
    """``ADDR[:PORT]``: 192.0.2.53, 192.0.2.53:5353, ::1, [::1]:5353."""
    what = repr(text)
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError(f"{what}: unclosed '['")
        addr, rest = text[1:end], text[end + 1:]
        if rest and not rest.startswith(":"):
            raise ValueError(f"{what}: expected ADDR[:PORT]")
        return _ip(addr, what), _port(rest[1:], what) if rest else 53
    if text.count(":") == 1:
        addr, port = text.split(":")
        return _ip(addr, what), _port(port, what)
    return _ip(text, what), 53


def ip_family(host: str) -> str | None:
    """'v4' / 'v6' for an IP literal (brackets allowed), else None."""
    try:
        return "v4" if ipaddress.ip_address(host.strip("[]")).version == 4 else "v6"
    except ValueError:
        return None


# -- the resolver ----------------------------------------------------------------------
class Resolver:
    """Where a connection to (host, port) goes; see the module docstring for the order."""

    def __init__(self, *, pins: Iterable[Pin] = (), dns_server: tuple[str, int] | None = None,
                 connect_to: Iterable[ConnectTo] = (), timeout: float = 5.0) -> None:
        self.pins = {(p.host, p.port): p.addrs for p in pins}
        self.dns_server = dns_server
        self.connect_to = tuple(connect_to)
        self.timeout = max(0.5, min(float(timeout), 10.0))
        self.queries = 0  # DNS queries sent (dnspython) or system lookups made
        self._cache: dict[tuple[str, str], list[str] | ResolveError] = {}
        self._lock = threading.Lock()
        self._dns = None

    @classmethod
    def from_options(cls, resolve: Iterable[str] = (), dns_server: str | None = None,
                     connect_to: Iterable[str] = (), timeout: float = 5.0) -> "Resolver":
        """Build from the CLI strings; raises ValueError with a one-line message."""
        return cls(pins=[Pin.parse(r) for r in resolve or ()],
                   dns_server=parse_dns_server(dns_server) if dns_server else None,
                   connect_to=[ConnectTo.parse(c) for c in connect_to or ()], timeout=timeout)

    @property
    def custom(self) -> bool:
        """Whether anything differs from plain system resolution."""
        return bool(self.pins or self.dns_server or self.connect_to)

    def describe(self) -> str:
        if self.dns_server:
            addr, port = self.dns_server
            return f"DNS server {'[' + addr + ']' if ':' in addr else addr}:{port}"
        return "system resolver"

    # -- where to connect --------------------------------------------------------------
    def route(self, host: str, port: int) -> tuple[str, int]:
        """Apply ``--connect-to``: the (host, port) a connection for (host, port) goes to."""
        host = host.strip("[]").rstrip(".").lower()
        for rule in self.connect_to:
            if rule.matches(host, port):
                return rule.host2 or host, rule.port2 or port
        return host, port

    def pinned(self, host: str, port: int) -> tuple[str, ...] | None:
        return self.pins.get((host.strip("[]").rstrip(".").lower(), port))

    def targets(self, host: str, port: int, family: str | None = None) -> Iterator[tuple[str, int]]:
        """(address, port) pairs to try in order. Lookups happen lazily: the AAAA query is
        only sent when every IPv4 address has been tried. Raises ResolveError when the
        name yields no address at all."""
        host, port = self.route(host, port)
        literal = ip_family(host)
        if literal is not None:
            if family and literal != family:
                raise ResolveError(f"{host} is not an IP{family} address", "no-address")
            yield str(ipaddress.ip_address(host)), port
            return
        pins = self.pinned(host, port)
        if pins is not None:
            wanted = [a for a in pins if family is None or ip_family(a) == family]
            if not wanted:
                raise ResolveError(f"--resolve pins {host}:{port} to no IP{family} address", "no-address")
            for a in wanted:
                yield a, port
            return
        errors: list[ResolveError] = []
        found = False
        for fam in ((family,) if family else FAMILIES):
            try:
                addrs = self.addresses(host, fam)
            except ResolveError as exc:
                errors.append(exc)
                if exc.kind == "nxdomain":
                    break
                continue
            for a in addrs:
                found = True
                yield a, port
        if not found:
            if errors:
                raise errors[0]
            what = f"IP{family}" if family else "IP"
            raise ResolveError(f"{host} has no {what} address", "no-address")

    def addresses(self, host: str, family: str) -> list[str]:
        """A (v4) or AAAA (v6) addresses of ``host`` ([] when the name has none of that
        family); raises ResolveError when the lookup fails (no such name, no answer)."""
        host = host.strip("[]").rstrip(".").lower()
        literal = ip_family(host)
        if literal is not None:
            return [host] if literal == family else []
        key = (host, family)
        with self._lock:
            hit = self._cache.get(key)
            if hit is None:
                try:
                    hit = self._lookup(host, family)
                except ResolveError as exc:
                    hit = exc
                self._cache[key] = hit
        if isinstance(hit, ResolveError):
            raise hit
        return list(hit)

    def _lookup(self, host: str, family: str) -> list[str]:
        self.queries += 1
        if self.dns_server is None:
            try:
                infos = socket.getaddrinfo(host, None, _AF[family], socket.SOCK_STREAM)
            except socket.gaierror as exc:
                if exc.errno in (getattr(socket, "EAI_NODATA", -5), getattr(socket, "EAI_ADDRFAMILY", -9)):
                    return []
                if exc.errno == socket.EAI_NONAME:
                    # glibc says "not known" both for no such name and for no address of
                    # this family: only the other family's answer could tell them apart.
                    return []
                raise ResolveError(f"DNS lookup of {host} failed: {exc.strerror or exc}") from None
            except (UnicodeError, OSError) as exc:
                raise ResolveError(f"DNS lookup of {host} failed: {exc}") from None
            out: list[str] = []
            for info in infos:
                addr = info[4][0].split("%", 1)[0]
                if addr not in out:
                    out.append(addr)
            return out
        answer = self.query(host, _RDTYPE[family], counted=False)
        return [r.address for r in answer.records]

    # -- DNS queries (dnspython) -------------------------------------------------------
    def dns(self):
        """The dnspython resolver: --dns-server, else the system configuration."""
        import dns.resolver

        if self._dns is None:
            if self.dns_server is not None:
                r = dns.resolver.Resolver(configure=False)
                addr, port = self.dns_server
                r.nameservers = [addr]
                r.port = port
            else:
                try:
                    r = dns.resolver.Resolver()
                except Exception as exc:  # noqa: BLE001 - NoResolverConfiguration, unreadable file
                    raise ResolveError(f"no DNS configuration: {exc}", "no-config") from None
            r.timeout = min(2.0, self.timeout)
            r.lifetime = self.timeout
            r.search = []
            r.use_search_by_default = False
            r.cache = None
            self._dns = r
        return self._dns

    def query(self, name: str, rdtype: str, counted: bool = True) -> "DnsAnswer":
        """One query through the DNS resolver; NoAnswer is an empty answer, other
        failures raise ResolveError (kind nxdomain, timeout, servfail, error)."""
        import dns.exception
        import dns.name
        import dns.resolver

        if counted:
            self.queries += 1
        qname = name.rstrip(".") + "."
        try:
            ans = self.dns().resolve(qname, rdtype, search=False, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            raise ResolveError(f"{name}: no such name (NXDOMAIN)", "nxdomain") from None
        except dns.resolver.LifetimeTimeout:
            raise ResolveError(f"{name}: the DNS server did not answer ({self.describe()})", "timeout") from None
        except dns.resolver.NoNameservers as exc:
            raise ResolveError(f"{name}: no DNS server answered usefully (SERVFAIL/REFUSED): {exc}",
                               "servfail") from None
        except dns.exception.DNSException as exc:
            raise ResolveError(f"{name}: DNS lookup failed: {exc}") from None
        except ResolveError:
            raise
        except (OSError, ValueError) as exc:
            raise ResolveError(f"{name}: DNS lookup failed: {exc}") from None
        records = list(ans.rrset) if ans.rrset is not None else []
        cnames: list[str] = []
        try:
            import dns.rdatatype

            for rrset in ans.response.answer:
                if rrset.rdtype == dns.rdatatype.CNAME:
                    cnames.extend(str(r.target).rstrip(".") for r in rrset)
        except AttributeError:
            pass
        return DnsAnswer(name, rdtype, records, cnames, str(ans.canonical_name).rstrip("."))


@dataclass
class DnsAnswer:
    name: str
    rdtype: str
    records: list
    cnames: list[str]
    canonical: str

    def texts(self) -> list[str]:
        out = []
        for r in self.records:
            value = getattr(r, "address", None) or str(getattr(r, "target", "") or r)
            out.append(value.rstrip("."))
        return out


SYSTEM = Resolver()


def is_global_v6(addr: str) -> bool:
    """A global unicast IPv6 address (not ::1, ::, ULA, link-local, documentation, 6to4 …)."""
    try:
        ip = ipaddress.IPv6Address(addr.split("%", 1)[0])
    except ValueError:
        return False
    if ip.ipv4_mapped is not None or ip.sixtofour is not None or ip.teredo is not None:
        return False
    return ip.is_global and not ip.is_multicast


# -- private addresses (requests the operator did not ask for) ---------------------------
# Addresses a link on a public page has no business sending the auditor to: on a CI runner
# inside a cloud, a request there is a server-side request forgery (the metadata services
# live at 169.254.169.254, 100.100.100.200 — CGNAT — and fd00:ec2::254 — ULA).
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.168.0.0/16", "192.0.0.0/24", "198.18.0.0/15",
    "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10"))
PRIVATE_ADDRESS_ERROR = "not requested: private address"


def is_private_address(addr: str) -> bool:
    """An address in one of PRIVATE_NETWORKS, an IPv4 one also when it hides in an IPv6
    form (::ffff:10.0.0.1, 64:ff9b::a00:1, 2002:a00:1::)."""
    try:
        ip = ipaddress.ip_address(addr.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return any(ip in net for net in PRIVATE_NETWORKS if net.version == ip.version)


class PrivateAddressRefused(OSError):
    """A connection was not made: every address of the name is private (see AddressPolicy)."""

    def __init__(self, host: str, addresses: Iterable[str]) -> None:
        self.host = host
        self.addresses = tuple(addresses)
        super().__init__(f"{PRIVATE_ADDRESS_ERROR} ({host} → {', '.join(self.addresses)})")


class AddressPolicy:
    """Which resolved addresses a connection may go to; asked at connect time, with the
    address actually about to be connected (a name that resolves to a public address
    first and a private one later — DNS rebinding — is judged on the later answer).

    Private addresses are refused unless ``allow_private`` (``--allow-private``) or the
    audited site itself lives on private addresses: then the addresses its name resolves
    to (both families) are allowed (an intranet site, a staging copy, the test suite's loopback
    sites), and any *other* private address stays refused.
    """

    SAMPLE = 20

    def __init__(self, allow_private: bool = False) -> None:
        self.allow_private = allow_private
        self.site_hosts: set[str] = set()
        self._sites: list[tuple[str, int]] = []
        self._site_addrs: set[str] | None = None
        self._lock = threading.Lock()
        self.refused_count = 0
        self.refused: list[str] = []  # "host → address", the first SAMPLE of them

    def add_site(self, url: str) -> None:
        """The audited site (its start URL); may be called again for the site's other URLs."""
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".").lower()
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return
        if not host:
            return
        with self._lock:
            self.site_hosts.add(host)
            self._sites.append((host, port))
            self._site_addrs = None

    def site_addresses(self, resolver: "Resolver") -> set[str]:
        with self._lock:
            if self._site_addrs is None:
                found: set[str] = set()
                for host, port in self._sites:
                    for family in FAMILIES:
                        try:
                            found.update(a for a, _ in resolver.targets(host, port, family))
                        except ResolveError:
                            pass
                self._site_addrs = found
            return self._site_addrs

    def permits(self, host: str, addr: str, resolver: "Resolver") -> bool:
        """Whether a connection for ``host`` may go to ``addr`` (the site's own private
        addresses are allowed whatever name leads there; its name leads nowhere else)."""
        if self.allow_private or not is_private_address(addr):
            return True
        return addr in self.site_addresses(resolver)

    def note_refused(self, host: str, addrs: Iterable[str]) -> None:
        with self._lock:
            self.refused_count += 1
            entry = f"{host} → {', '.join(addrs)}"
            if len(self.refused) < self.SAMPLE and entry not in self.refused:
                self.refused.append(entry)

    def summary(self) -> dict:
        return {"count": self.refused_count, "sample": list(self.refused)}
