"""Parse a page once with lxml and pull out the facts every check shares.

This is the per-page hot path: one lxml parse, one walk over the link elements,
cached URL resolution. BeautifulSoup stays off this path (it is ~15x slower and
holds the GIL); a check that needs it can use it on the few pages it looks at.

It runs in up to ``--concurrency`` threads at once, so it avoids what serialises
threads in lxml (measured in benchmarks/, see benchmarks/README.md):

* a module-level ``etree.XPath`` object (and ``HtmlElement.text_content()``, which
  is one) holds a lock per call and drops and retakes the GIL; a hundred calls a
  page made 16 threads 2.5x slower than one. Element text is joined from
  ``itertext()`` instead, which gives the same string (XPath ``string()``: all
  descendant text, no comments or processing instructions).
* one parser shared by all threads parses one document at a time: each thread has
  its own parsers.
* ``lxml.html`` trees call a Python element-class lookup for every element touched;
  facts are read from a plain ``etree`` tree of the same parse, and an ``lxml.html``
  tree is built only when the crawler keeps it.

Link labels repeat on every page of a site (navigation, footer, sidebars): they
are interned, so a crawl keeps one copy of each instead of one per page.
"""
from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from auditor.network.urls import resolve, resolver

SKIP_TEXT_TAGS = frozenset({"script", "style", "template", "head", "title", "meta", "link"})
_WS = re.compile(r"\s+")
_FOOTER_HINT = re.compile(r"foot|bottom|copyright|banquan|dibu|\bbq\b|\bdb\b|site-?info", re.I)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|document\.|self\.|top\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*["']([^"']{1,500})["']""")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)
_RECORD_LINK = re.compile(r"""<a\b[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>""", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
MAX_TEXT = 60_000
MAX_SCRIPT_TEXT = 20_000
# The link-like elements. Kept for callers; extract() walks _LINK_TAGS instead, since
# one XPath object shared by threads evaluates under a lock.
LINK_XPATH = etree.XPath(
    "//a[@href]|//area[@href]|//img[@src]|//script[@src]|//link[@href]|//iframe[@src]"
    "|//frame[@src]|//embed[@src]|//form|//source[@src]|//input[@type='image'][@src]")
# LINK_XPATH as a walk in document order: tag -> the attribute the element needs
# (the attribute must be there and not empty; <input> only with type="image").
_LINK_TAGS = {"a": "href", "area": "href", "img": "src", "script": "src", "link": "href",
              "iframe": "src", "frame": "src", "embed": "src", "form": "action", "source": "src",
              "input": "src"}
_TAG_NAMES = {t: t for t in _LINK_TAGS}  # one str object per tag name, shared by all Links
# Text nodes under <body> whose parent element is not one of SKIP_TEXT_TAGS (the
# parent of a text node is the element it sits in, for an element's text and for a
# tail alike: what the Python loop this replaces found with getparent()).
_VISIBLE_TEXT_XPATH = ("//body//text()[not(contains('|" + "|".join(sorted(SKIP_TEXT_TAGS))
                       + "|', concat('|', local-name(..), '|')))]")
_FOOTER_XPATH = "//footer|//*[@id or @class]"
_local = threading.local()


def collapse(text: str) -> str:
    # str.split() and re's \s agree on what whitespace is (str.isspace): this is
    # _WS.sub(" ", text).strip(), twice as fast.
    return " ".join(text.split())


def _text(el) -> str:
    """``el.text_content()`` without its shared XPath lock: all descendant text."""
    return "".join(el.itertext())


def _parsers():
    """This thread's (lxml.html parser, plain parser, compiled XPaths)."""
    p = getattr(_local, "parsers", None)
    if p is None:
        # The plain parser's tree is read once and dropped: no ID index needed.
        p = _local.parsers = (lxml.html.HTMLParser(), etree.HTMLParser(collect_ids=False),
                              etree.XPath(_VISIBLE_TEXT_XPATH, smart_strings=False),
                              etree.XPath(_FOOTER_XPATH))
    return p


# Slots: a crawl holds ~100 Links a page (200,000 for 2,000 pages); without a
# __dict__ each takes 64 bytes instead of 150.
@dataclass(frozen=True, slots=True)
class Link:
    url: str
    tag: str
    text: str = ""
    rel: str = ""


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    type: str
    placeholder: str = ""


@dataclass(frozen=True, slots=True)
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
    # Why the static HTML looks built by scripts (auditor.crawl.browser.renderer renders such pages).
    script_built_signs: tuple[str, ...] = ()
    tree: object = None


def parse_html(text: str):
    """lxml tree of a page; tolerant of broken markup and encoding declarations."""
    return _parse(text, html=True)


def _parse(text: str, html: bool):
    """One parse with this thread's parser: an ``lxml.html`` tree, or a plain one
    (same nodes, no Python element-class lookup) when ``html`` is false."""
    parsers = _parsers()
    parser = parsers[0] if html else parsers[1]
    if not text.strip():
        text = "<html></html>"
    try:
        return _fromstring(text, parser)
    except ValueError:
        # "Unicode strings with encoding declaration are not supported"
        parser = lxml.html.HTMLParser(encoding="utf-8") if html else etree.HTMLParser(encoding="utf-8")
        return _fromstring(text.encode("utf-8"), parser)
    except etree.ParserError:
        return _fromstring("<html><body>" + text + "</body></html>", parser)


def _fromstring(text, parser):
    # lxml.html.document_fromstring, with the parser given.
    value = etree.fromstring(text, parser)
    if value is None:
        raise etree.ParserError("Document is empty")
    return value


# An empty <div> whose id or class names a list (list, lb 列表, news, data, items, ajax,
# letter, xj 信件, liuyan 留言, msg): the box a script fills. Plain layout boxes
# (content, con, tab) are left out: they are empty on many static pages.
_LISTISH_BOX = re.compile(r"list|\blb|news|data|items|ajax|letter|\bxj|liuyan|msg", re.I)
# An empty <nav>, or an empty box whose id or class names a navigation bar or menu.
_NAV_BOX = re.compile(r"nav|menu|daohang|\bdh\b", re.I)


def _script_built_signs(root, page: ParsedPage) -> tuple[str, ...]:
    """Signs that scripts write part of the page: thin page with scripts, a <noscript>
    warning, an empty list container. Empty when the page has no script at all."""
    if not page.inline_scripts and not any(l.tag == "script" for l in page.links):
        return ()
    hints = []
    anchors = sum(1 for l in page.links if l.tag in ("a", "area"))
    if anchors < 5 and len(page.text) < 200:
        hints.append("few links and little text, but scripts")
    for ns in root.iter("noscript"):
        if _text(ns).strip():
            hints.append("noscript warning")
            break
    empty_list = empty_nav = False
    for el in root.iter("ul", "ol", "tbody", "table", "div", "nav"):
        if len(el) or (el.text or "").strip():
            continue
        ident = f"{el.get('id') or ''} {el.get('class') or ''}".strip()
        if el.tag == "nav" or (ident and _NAV_BOX.search(ident)):
            empty_nav = True
        elif ident and (el.tag != "div" or _LISTISH_BOX.search(ident)):
            empty_list = True
    if empty_nav and anchors < 20:  # an empty sub-menu on a page full of links is no sign
        hints.append("empty navigation")
    if empty_list:
        hints.append("empty list container")
    return tuple(hints)


def _visible_text(root) -> str:
    parts: list[str] = []
    size = 0
    for t in _parsers()[2](root):
        s = t.strip()
        if s:
            parts.append(s)
            size += len(s)
            if size > MAX_TEXT:
                break
    return collapse(" ".join(parts))[:MAX_TEXT]


def _footer_text(root, text: str) -> str:
    chunks: list[str] = []
    for el in _parsers()[3](root):
        if el.tag == "footer" or _FOOTER_HINT.search((el.get("id") or "") + " " + (el.get("class") or "")):
            if el.tag in ("body", "html"):
                continue
            t = collapse(_text(el))
            if t and len(t) < 4000 and not any(t in c for c in chunks):
                chunks = [c for c in chunks if c not in t]
                chunks.append(t)
    tail = text[-1500:]
    joined = " ".join(chunks)
    return joined if joined else tail


def extract(text: str, base_url: str, keep_tree: bool = False) -> ParsedPage:
    root = _parse(text, html=keep_tree)
    page = ParsedPage()
    base_el = root.find(".//base[@href]")
    base = resolve(base_url, base_el.get("href")) if base_el is not None else None
    base = base or base_url
    res = resolver(base)

    title = next(root.iter("title"), None)
    page.title = collapse(_text(title)) if title is not None else ""
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
    for el in root.iter(*_LINK_TAGS):  # the elements LINK_XPATH selects, in the same order
        tag = _TAG_NAMES[el.tag]
        if tag == "form":
            action = el.get("action") or ""
            url = res(action) if action else base_url
            fields = tuple(FormField(i.get("name") or i.get("id") or "", (i.get("type") or i.tag).lower(),
                                     i.get("placeholder") or "")
                           for i in el.iter("input", "select", "textarea"))
            forms.append(Form(url or "", (el.get("method") or "get").lower(), fields,
                              collapse(_text(el))[:300]))
            if url:
                links.append(Link(url, "form"))
            continue
        raw = el.get(_LINK_TAGS[tag])
        if not raw or (tag == "input" and el.get("type") != "image"):
            continue
        url = res(raw)
        if url is None:
            continue
        if tag in ("a", "area"):
            label = collapse(_text(el)) or el.get("title") or el.get("alt") or ""
            if not label:
                img = el.find(".//img")
                if img is not None:
                    label = img.get("alt") or img.get("title") or ""
            links.append(Link(url, tag, sys.intern(label[:200]), (el.get("rel") or "")))
        elif tag == "link":
            links.append(Link(url, "link", "", (el.get("rel") or "").lower()))
        else:
            links.append(Link(url, tag, sys.intern((el.get("alt") or el.get("title") or "")[:200])))

    scripts: list[str] = []
    total = 0
    for s in root.iter("script"):
        if s.get("src"):
            continue
        body = s.text or ""
        if body.strip() and total < MAX_SCRIPT_TEXT:
            scripts.append(body[:MAX_SCRIPT_TEXT - total])
            total += len(body)
            if "<record" in body and "CDATA" in body:
                # JCMS lists ship their rows in <script type="text/xml"><record><![CDATA[…]]>
                # for a script to render: their links are the column's items.
                for href, inner in _RECORD_LINK.findall(body):
                    url = res(href)
                    if url is not None:
                        label = collapse(_TAGS.sub("", inner))
                        links.append(Link(url, "a", sys.intern(label[:200])))
            if page.refresh_to is None and len(body) < 3000:
                mm = _JS_REDIRECT.search(body)
                if mm:
                    page.refresh_to = resolve(base, mm.group(1))
    page.inline_scripts = tuple(scripts)
    if page.refresh_to:
        links.append(Link(page.refresh_to, "redirect"))
    page.links = tuple(links)
    page.forms = tuple(forms)
    headings = []
    for h in root.iter("h1", "h2", "h3"):
        t = _text(h)
        if t.strip():
            headings.append(collapse(t)[:200])
    page.headings = tuple(headings)[:50]
    page.text = _visible_text(root)
    page.footer_text = _footer_text(root, page.text)
    page.script_built_signs = _script_built_signs(root, page)
    if keep_tree:
        page.tree = root  # an lxml.html tree: parsed with the lxml.html parser above
    return page
