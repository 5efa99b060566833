"""What an operator types (a start URL, a sites file's row), checked before any work, with
messages that quote the input only as far as a reader needs."""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from auditor.network.urls import normalize

QUOTE_MAX = 120  # characters of a bad input quoted back (a 100 KB URL is not echoed whole)
# 'https//x', 'http:/x', 'http:x', 'https:///x': a scheme typed wrong, which the 'add
# http://' rule would otherwise turn into a host called "https".
_BROKEN_SCHEME = re.compile(r"^\s*(https?)(:/?(?!/)|//|/(?!/)|:///)", re.I)


def quoted(text: str, limit: int = QUOTE_MAX) -> str:
    """repr() of ``text``, cut to ``limit`` characters with the length said."""
    if len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + f"… ({len(text):,} characters)"


def start_url(text: str) -> str:
    """The canonical start URL of a site, or ValueError saying what is wrong with ``text``."""
    raw = text.strip()
    if not raw:
        raise ValueError("the address is empty")
    if _BROKEN_SCHEME.match(raw) and "://" not in raw[:9]:
        raise ValueError(f"{quoted(raw)} is not a website address (the scheme is broken: write http:// or https://)")
    url = raw if "://" in raw else "http://" + raw
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) website address: only http and https sites can be audited, "
                         f"not {quoted(scheme, 20)}://")
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").rstrip(".")
    except ValueError as exc:
        raise ValueError(f"{quoted(raw)} is not a website address ({exc})") from None
    if port == 0:
        raise ValueError(f"{quoted(raw)}: port 0 is not a port a website can be on")
    if not host:
        raise ValueError(f"{quoted(raw)} is not a website address (no host name)")
    if host.lower() in ("http", "https"):
        raise ValueError(f"{quoted(raw)} is not a website address (the scheme is broken: write http:// or https://)")
    if not _is_host(host):
        raise ValueError(f"{quoted(raw)} is not a website address ({quoted(host, 60)} is not a host name)")
    norm = normalize(url)
    if norm is None:
        raise ValueError(f"{quoted(raw)} is not a usable website address")
    return norm


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    if any(c.isspace() for c in host) or len(host) > 253:
        return False
    return all(label and len(label) <= 63 and not label.startswith("-") and not label.endswith("-")
               for label in host.split("."))
