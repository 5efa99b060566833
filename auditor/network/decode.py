"""Turn the bytes of a page into text, whatever its headers claim.

Chinese government sites are often served as GBK/GB2312 while the header or the
meta tag says UTF-8 (or the other way round, or ISO-8859-1, a Java server's
default). The order of trust:

1. a byte-order mark;
2. strict UTF-8 validity: a very strong signal for non-ASCII text;
3. UTF-8 with a few stray bytes: when valid multi-byte sequences outnumber the
   invalid bytes many times over, it is UTF-8 with garbage, not GB18030 mojibake;
4. the declared charsets (header, then meta, then an XML declaration), GB* labels
   read as GB18030, their superset; single-byte Western labels are left for later,
   since they decode any bytes and are the usual wrong default;
5. GB18030;
6. the declared Western charsets;
7. whichever candidate loses the fewest characters (decoded with replacement),
   charset-normalizer only when even that loses many.

The text returned never contains NUL or other C0 control characters (except tab,
newline and carriage return): browsers show U+FFFD for NUL and ignore the rest,
while lxml refuses them outright. Never raises.
"""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)["']""", re.I)
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "euc-cn", "csgb2312",
              "gb_2312", "chinese", "csgbk", "iso-ir-58", "ms936", "windows-936"}
# Labels that decode any byte sequence and are most often a server's wrong default.
_WESTERN = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15", "us-ascii"}
# C0 controls lxml will not take; tab, LF and CR are kept. NUL becomes U+FFFD.
_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")


def _canonical(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Only text encodings: "rot13", "base64", "zip" ... are codecs too.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return "utf-8" if info.name in ("utf-8", "utf-8-sig", "utf8") else info.name


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^;\s\"']+)", content_type, re.I)
    return _canonical(m.group(1)) if m else None


def meta_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head[:4096])
    return _canonical(m.group(1).decode("ascii", "ignore")) if m else None


def xml_charset(head: bytes) -> str | None:
    m = _XML_ENCODING.search(head[:512])
    return _canonical(m.group(1).decode("ascii", "ignore")) if m else None


def _clean(text: str) -> str:
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return _CONTROLS.sub("", text)


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8 multi-byte characters outnumber the undecodable bytes ten to one."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good >= 10 * max(bad, 1)


def _losses(body: bytes, encoding: str) -> int:
    try:
        return body.decode(encoding, "replace").count("\ufffd")
    except LookupError:
        return len(body)


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Never raises."""
    text, encoding = _decode(body, content_type)
    return _clean(text), encoding


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", "replace"), "utf-16"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A page cut by the size cap may end inside a multi-byte character.
        if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
            try:
                return body[: exc.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    if _mostly_utf8(body):
        return body.decode("utf-8", "replace"), "utf-8"
    declared: list[str] = []
    for enc in (header_charset(content_type), meta_charset(body), xml_charset(body)):
        if enc and enc not in declared and enc != "utf-8":
            declared.append(enc)
    specific = [e for e in declared if e not in _WESTERN]
    western = [e for e in declared if e in _WESTERN]
    for enc in [*specific, *([] if "gb18030" in specific else ["gb18030"]), *western]:
        try:
            return body.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    # Nothing decodes cleanly: the candidate that loses the fewest characters.
    candidates = [*specific, "gb18030", "utf-8"]
    best = min(candidates, key=lambda e: _losses(body, e))
    if _losses(body, best) * 20 > len(body):
        try:
            from charset_normalizer import from_bytes

            guess = from_bytes(body[:200_000]).best()
            if guess is not None and _losses(body, guess.encoding) < _losses(body, best):
                best = guess.encoding
        except Exception:  # noqa: BLE001 - optional, and never fatal
            pass
    return body.decode(best, "replace"), best
