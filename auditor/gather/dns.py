"""The ``dns`` and ``nameservers`` gatherers: the site's A/AAAA records (ipv6.dns) and its
zone's name servers over IPv6 (ipv6.ns).

Queries go through the audit's resolver (``--dns-server``, else the system's DNS
configuration) with dnspython; CNAME chains are recorded as the resolver answers
them. The zone is found as internet.nl does: the nearest name, walking up from the
host, that has NS records. Each name server's AAAA addresses are then asked for the
zone's SOA directly over IPv6 (UDP, TCP when truncated) — the monitoring's
"完整的 IPv6 域名授权体系" (docs/rules.md#R-ipv6-deploy). Authoritative servers listen on port 53
(``ctx.options["dns_ns_port"]`` changes it, for tests).

Bounded: at most 6 name servers, 2 IPv6 addresses each, about 30 queries in all,
each with the resolver's timeout. Failures are recorded, never raised.
"""
from __future__ import annotations

import time

from auditor.gather.base import gatherer
from auditor.network.resolve import ResolveError, ip_family
from auditor.gather import _net

MAX_NS = 6
MAX_NS_ADDRS = 2
MAX_WALK = 6


def _records(resolver, name: str, rdtype: str) -> dict:
    try:
        ans = resolver.query(name, rdtype)
    except ResolveError as exc:
        return {"records": [], "error": exc.message, "error_kind": exc.kind, "cname": []}
    return {"records": ans.texts(), "error": None, "error_kind": None, "cname": ans.cnames}


def host_records(resolver, host: str) -> dict:
    a = _records(resolver, host, "A")
    aaaa = _records(resolver, host, "AAAA") if a["error_kind"] != "nxdomain" else \
        {"records": [], "error": a["error"], "error_kind": "nxdomain", "cname": []}
    return {"host": host, "a": a["records"], "aaaa": aaaa["records"], "cname": aaaa["cname"] or a["cname"],
            "a_error": a["error"], "a_error_kind": a["error_kind"],
            "aaaa_error": aaaa["error"], "aaaa_error_kind": aaaa["error_kind"]}


def find_zone(resolver, host: str) -> tuple[str | None, list[str], str | None, bool]:
    """(zone apex, its NS names, error, resolver failed): the nearest name at or above
    ``host`` with NS records."""
    labels = host.rstrip(".").split(".")
    last_error = None
    for i in range(min(len(labels) - 1, MAX_WALK)):
        name = ".".join(labels[i:])
        try:
            ans = resolver.query(name, "NS")
        except ResolveError as exc:
            if exc.kind in ("timeout", "servfail", "no-config", "error"):
                return None, [], exc.message, True
            last_error = exc.message
            continue
        # A CNAME answer (www → elsewhere) names no zone here: go up a label.
        names = [t for t in ans.texts() if t] if not ans.cnames else []
        if names:
            return name, sorted(set(names))[:MAX_NS], None, False
    return None, [], last_error or f"no NS records found at or above {host}", False


def ask_over_ipv6(zone: str, addr: str, port: int, timeout: float) -> dict:
    """Ask ``addr`` (an IPv6 name server address) for the zone's SOA."""
    import dns.message
    import dns.query
    import dns.rcode

    q = dns.message.make_query(zone.rstrip(".") + ".", "SOA")
    t0 = time.monotonic()
    try:
        resp, tcp = dns.query.udp_with_fallback(q, addr, timeout=timeout, port=port)
    except Exception as exc:  # noqa: BLE001 - timeouts, refused, unreachable: all are "no answer"
        return {"addr": addr, "ok": False, "rcode": None, "error": f"{type(exc).__name__}: {exc}"[:200],
                "elapsed": round(time.monotonic() - t0, 3)}
    rcode = dns.rcode.to_text(resp.rcode())
    ok = resp.rcode() in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN)
    return {"addr": addr, "ok": ok, "rcode": rcode, "tcp": tcp,
            "error": None if ok else f"answered {rcode}", "elapsed": round(time.monotonic() - t0, 3)}


def _start(snap, ctx) -> tuple[dict, list[str], object]:
    resolver = _net.resolver_of(ctx)
    names = _net.hosts(snap)
    out: dict = {"resolver": resolver.describe()}
    if not names:
        return {**out, "state": "no-host"}, [], resolver
    if all(ip_family(h) for h in names):
        return {**out, "state": "ip-literal", "host": names[-1]}, [], resolver
    names = [h for h in names if not ip_family(h)]
    out["host"] = names[-1]
    if names[-1] == "localhost" or names[-1].endswith(".localhost"):
        return {**out, "state": "local-name"}, [], resolver
    try:
        resolver.dns()
    except ResolveError as exc:
        return {**out, "state": "resolver-error", "error": exc.message}, [], resolver
    return out, names, resolver


@gatherer("dns")
def gather(snap, ctx) -> dict:
    """A/AAAA (and the CNAME chain) of the start host and the host visitors land on."""
    out, names, resolver = _start(snap, ctx)
    if "state" in out:
        return out
    before = resolver.queries
    out["hosts"], out["pins"] = [], []
    for h in names:
        out["hosts"].append(host_records(resolver, h))
        for port in (80, 443):
            pinned = resolver.pinned(*resolver.route(h, port))
            if pinned:
                out["pins"].append({"host": h, "port": port, "addrs": list(pinned)})
    out["queries"] = resolver.queries - before
    failed = ("timeout", "servfail", "error")
    if all(r["a_error_kind"] in failed and r["aaaa_error_kind"] in failed for r in out["hosts"]):
        out["state"] = "resolver-error"
        out["error"] = out["hosts"][0]["aaaa_error"] or out["hosts"][0]["a_error"]
        return out
    out["state"] = "ok"
    return out


@gatherer("nameservers")
def gather_nameservers(snap, ctx) -> dict:
    """The zone's name servers, their addresses, and whether each IPv6 address answers."""
    out, names, resolver = _start(snap, ctx)
    if "state" in out:
        return out
    before = resolver.queries
    zone, ns_names, error, failed = find_zone(resolver, names[-1])
    out.update({"zone": zone, "zone_error": error, "ns": []})
    if failed:
        return {**out, "state": "resolver-error", "error": error}
    port = int((ctx.options or {}).get("dns_ns_port") or 53)
    timeout = min(3.0, resolver.timeout)
    for ns in ns_names:
        rec = host_records(resolver, ns)
        entry = {"name": ns, "a": rec["a"], "aaaa": rec["aaaa"],
                 "error": rec["aaaa_error"] if rec["aaaa_error_kind"] not in (None, "nxdomain") else None,
                 "v6_answers": []}
        for addr in rec["aaaa"][:MAX_NS_ADDRS]:
            entry["v6_answers"].append(ask_over_ipv6(zone, addr, port, timeout))
        out["ns"].append(entry)
    out["ns_port"] = port
    out["queries"] = resolver.queries - before + sum(len(n["v6_answers"]) for n in out["ns"])
    out["state"] = "ok"
    return out
