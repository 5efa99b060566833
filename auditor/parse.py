"""Parse a page once with lxml and pull out the facts every check shares.

This is the per-page hot path: one lxml parse, one pass of XPath queries, cached
URL resolution. BeautifulSoup stays off this path (it is ~15x slower and holds
the GIL); a check that needs it can use it on the few pages it looks at.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from .urls import resolve

SKIP_TEXT_TAGS = frozenset({"script", "style", "template", "head", "title", "meta", "link"})
_WS = re.compile(r"\s+")
_FOOTER_HINT = re.compile(r"foot|bottom|copyright|banquan|dibu|\bbq\b|\bdb\b|site-?info", re.I)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|document\.|self\.|top\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*["']([^"']{1,500})["']""")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)
MAX_TEXT = 60_000
MAX_SCRIPT_TEXT = 20_000
LINK_XPATH = etree.XPath(
    "//a[@href]|//area[@href]|//img[@src]|//script[@src]|//link[@href]|//iframe[@src]"
    "|//frame[@src]|//embed[@src]|//form|//source[@src]|//input[@type='image'][@src]")
_LINK_ATTR = {"a": "href", "area": "href", "link": "href", "form": "action"}


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class Link:
    url: str
    tag: str
    text: str = ""
    rel: str = ""


@dataclass(frozen=True)
class FormField:
    name: str
    type: str
    placeholder: str = ""


@dataclass(frozen=True)
class Form:
    action: str
    method: str
    fields: tuple[FormField, ...]
    text: str = ""


@dataclass
class ParsedPage:
    """The facts of one HTML page; the tree is kept only where the crawler decides."""

    title: str = ""
    lang: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    meta_names: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    text: str = ""
    footer_text: str = ""
    inline_scripts: tuple[str, ...] = ()
    forms: tuple[Form, ...] = ()
    headings: tuple[str, ...] = ()
    refresh_to: str | None = None
    tree: object = None


def parse_html(text: str):
    """lxml tree of a page; tolerant of broken markup and encoding declarations."""
    if not text.strip():
        text = "<html></html>"
    try:
        return lxml.html.document_fromstring(text)
    except ValueError:
        # "Unicode strings with encoding declaration are not supported"
        return lxml.html.document_fromstring(text.encode("utf-8"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except etree.ParserError:
        return lxml.html.document_fromstring("<html><body>" + text + "</body></html>")


def _visible_text(root) -> str:
    parts: list[str] = []
    size = 0
    for t in root.xpath("//body//text()"):
        parent = t.getparent()
        if t.is_tail:
            parent = parent.getparent() if parent is not None else None
        if parent is None or not isinstance(parent.tag, str) or parent.tag in SKIP_TEXT_TAGS:
            continue
        s = t.strip()
        if s:
            parts.append(s)
            size += len(s)
            if size > MAX_TEXT:
                break
    return collapse(" ".join(parts))[:MAX_TEXT]


def _footer_text(root, text: str) -> str:
    chunks: list[str] = []
    for el in root.xpath("//footer|//*[@id or @class]"):
        if el.tag == "footer" or _FOOTER_HINT.search((el.get("id") or "") + " " + (el.get("class") or "")):
            if el.tag in ("body", "html"):
                continue
            t = collapse(el.text_content())
            if t and len(t) < 4000 and not any(t in c for c in chunks):
                chunks = [c for c in chunks if c not in t]
                chunks.append(t)
    tail = text[-1500:]
    joined = " ".join(chunks)
    return joined if joined else tail


def extract(text: str, base_url: str, keep_tree: bool = False) -> ParsedPage:
    root = parse_html(text)
    page = ParsedPage()
    base_el = root.find(".//base[@href]")
    base = resolve(base_url, base_el.get("href")) if base_el is not None else None
    base = base or base_url

    titles = root.xpath("//title")
    page.title = collapse(titles[0].text_content()) if titles else ""
    page.lang = (root.get("lang") or root.get("xml:lang") or "").strip()

    meta: dict[str, str] = {}
    names: list[str] = []
    for m in root.iter("meta"):
        name = m.get("name") or m.get("property") or m.get("http-equiv")
        if not name:
            continue
        content = (m.get("content") or "").strip()
        names.append(name.strip())
        key = name.strip().lower()
        meta.setdefault(key, content)
        if key == "refresh" and content:
            mm = _REFRESH_URL.search(content)
            if mm:
                page.refresh_to = resolve(base, mm.group(1).strip())
    page.meta = meta
    page.meta_names = tuple(names)

    links: list[Link] = []
    forms: list[Form] = []
    for el in LINK_XPATH(root):
        tag = el.tag
        if tag == "form":
            action = el.get("action") or ""
            url = resolve(base, action) if action else base_url
            fields = tuple(FormField(i.get("name") or i.get("id") or "", (i.get("type") or i.tag).lower(),
                                     i.get("placeholder") or "")
                           for i in el.iter("input", "select", "textarea"))
            forms.append(Form(url or "", (el.get("method") or "get").lower(), fields,
                              collapse(el.text_content())[:300]))
            if url:
                links.append(Link(url, "form"))
            continue
        raw = el.get(_LINK_ATTR.get(tag, "src"))
        if not raw:
            continue
        url = resolve(base, raw)
        if url is None:
            continue
        if tag in ("a", "area"):
            label = collapse(el.text_content()) or el.get("title") or el.get("alt") or ""
            if not label:
                img = el.find(".//img")
                if img is not None:
                    label = img.get("alt") or img.get("title") or ""
            links.append(Link(url, tag, label[:200], (el.get("rel") or "")))
        elif tag == "link":
            links.append(Link(url, "link", "", (el.get("rel") or "").lower()))
        else:
            links.append(Link(url, tag, (el.get("alt") or el.get("title") or "")[:200]))

    scripts: list[str] = []
    total = 0
    for s in root.iter("script"):
        if s.get("src"):
            continue
        body = s.text or ""
        if body.strip() and total < MAX_SCRIPT_TEXT:
            scripts.append(body[:MAX_SCRIPT_TEXT - total])
            total += len(body)
            if page.refresh_to is None and len(body) < 3000:
                mm = _JS_REDIRECT.search(body)
                if mm:
                    page.refresh_to = resolve(base, mm.group(1))
    page.inline_scripts = tuple(scripts)
    if page.refresh_to:
        links.append(Link(page.refresh_to, "redirect"))
    page.links = tuple(links)
    page.forms = tuple(forms)
    page.headings = tuple(collapse(h.text_content())[:200] for h in root.iter("h1", "h2", "h3")
                          if h.text_content().strip())[:50]
    page.text = _visible_text(root)
    page.footer_text = _footer_text(root, page.text)
    if keep_tree:
        page.tree = root
    return page
