"""What the homepage says and links to, shared by the identity, channel and link checks: text
normalisation, the homepage's text sources, markers, sponsors, excerpts, the state of a link."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from auditor.views.cache import view
from auditor.views.evidence import Evidence, T
from auditor.network.urls import is_attachment

# Homepages with less visible text than this are probably built by scripts we did
# not run: absence of a footer item there is "could not determine", not "fail".
THIN_PAGE_CHARS = 200


def nfkc(text: str) -> str:
    """Fold full-width digits, letters and colons (１２３ ： Ｉ Ｃ Ｐ) to their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


def excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    a = max(0, start - width)
    b = min(len(text), end + width)
    snippet = re.sub(r"\s+", " ", text[a:b]).strip()
    return ("…" if a > 0 else "") + snippet + ("…" if b < len(text) else "")


WHERE = {
    "footer": T("页面底部", "page footer"),
    "page": T("页面正文", "page text"),
    "inline-script": T("页面内脚本", "inline script"),
    "html": T("页面源代码", "page source"),
    "script": T("引用的脚本文件", "included script"),
    "frame": T("内嵌框架页面", "framed page"),
    "page-tail": T("页面末尾文字", "end of the page text"),
    "rendered": T("浏览器渲染后的页面", "the page as the browser rendered it"),
    "rendered-tail": T("浏览器渲染后的页面底部", "the end of the rendered page"),
    "rendered-html": T("浏览器渲染后的页面源代码", "the rendered page's markup"),
    "link": T("首页链接", "homepage link"),
    "comment": T("页面源代码注释（访问者看不到）", "an HTML comment (not shown)"),
}


@dataclass
class Hit:
    where: str
    url: str
    match: re.Match
    text: str

    @property
    def visible(self) -> bool:
        """Shown to a visitor: in the page text, a framed page, or written by a script."""
        return self.where in ("footer", "page", "page-tail", "frame", "script", "inline-script",
                              "rendered", "rendered-tail")

    def evidence(self, note: T | None = None) -> Evidence:
        label = note or WHERE.get(self.where, T(self.where))
        return Evidence(self.url, excerpt(self.text, self.match.start(), self.match.end()), label)


def search_homepage(snap, pattern: re.Pattern, *, first_only: bool = False) -> list[Hit]:
    """Find ``pattern`` in the homepage's footer, text, scripts and frames (NFKC-folded)."""
    return search_sources(snap.homepage_text_sources(), pattern, first_only=first_only)


def search_sources(sources, pattern: re.Pattern, *, first_only: bool = False) -> list[Hit]:
    """Find ``pattern`` in (where, url, text) sources, NFKC-folded."""
    hits: list[Hit] = []
    for where, url, text in sources:
        if not text:
            continue
        folded = nfkc(text)
        for m in pattern.finditer(folded):
            hits.append(Hit(where, url, m, folded))
            if first_only:
                return hits
    return hits


# Static-HTML signs (ParsedPage.script_built_signs) that the homepage's links are written by
# scripts: without the browser, what is absent from the HTML may be on the page.
SCRIPT_BUILT_SIGNS = ("empty navigation", "few links and little text, but scripts")


def homepage_is_thin(snap) -> bool:
    """Too little to judge absence: little text, or a navigation left empty for scripts
    (in the HTML as served, or still after the browser ran them)."""
    page = snap.homepage
    if page is None:
        return True
    # Also after rendering: a browser that could not run the page's scripts (a script host
    # that did not answer) leaves the navigation empty, and absence is not shown by that.
    if page.facts is not None and any(h in SCRIPT_BUILT_SIGNS for h in page.facts.script_built_signs):
        return True
    rendered = snap.rendered_homepage()
    rendered_len = len(rendered.get("text") or "") if rendered is not None else 0
    return max(len(page.text), rendered_len) < THIN_PAGE_CHARS


def footer_evidence(page) -> Evidence:
    """What the footer does say, so a reader can see the item is really missing."""
    return Evidence(page.final_url, page.footer_text[-200:], T("页面底部文字", "footer text"))


# -- where footer items and embedded widgets live ---------------------------------
FOOTER_TAIL_CHARS = 2000
_COMMENT = re.compile(r"<!--.*?-->", re.S)


# Comments in scripts are never shown: a library's header (Copyright … someone@example.com) is
# no footer. "//" after a colon or a quote is a URL, not a comment.
_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:'\"\\])//[^\n]*", re.S)


def footer_sources(snap) -> list[tuple[str, str, str]]:
    """The footer, the end of the page text, scripts and frames: where footer items are written.

    The parser's footer guess can pick a top-of-page block with a "bottom" class,
    so the end of the visible text is searched as well; the whole page text is
    not (news items say "由…主办" too).
    """
    out = []
    for where, url, text in snap.homepage_text_sources():
        if where in ("page", "rendered"):
            out.append((f"{where}-tail", url, text[-FOOTER_TAIL_CHARS:]))
        elif where in ("script", "inline-script"):
            out.append((where, url, _JS_COMMENT.sub(" ", text)))
        elif where != "html":
            out.append((where, url, text))
    return out


def markup_sources(snap) -> list[tuple[str, str, str]]:
    """Markup a widget can hide in: the page source without comments, inline and included
    scripts, framed pages' source. Comments are left out (a commented-out widget is not shown)."""
    page = snap.homepage
    if page is None or page.facts is None:
        return []
    out = [("html", page.final_url, _COMMENT.sub(" ", page.html))]
    for s in page.facts.inline_scripts:
        out.append(("inline-script", page.final_url, _unescaped(s)))
    for src in snap.homepage_sources:
        out.append(("script", src.url, _unescaped(src.text)))
    for link in page.links:
        if link.tag in ("iframe", "frame"):
            framed = snap.pages.get(link.url)
            if framed is not None and framed.is_html:
                out.append(("frame", framed.final_url, _COMMENT.sub(" ", framed.html)))
    return out


def _unescaped(script: str) -> str:
    """Widget snippets are often ``document.write(unescape("%3Cscript id%3D'_jiucuo_' …"))``."""
    if "%3c" in script.lower():
        return script + "\n" + unquote(script)
    return script


def homepage_links(snap) -> list:
    """The homepage's links plus those of the frames it embeds (footers are often a frame)."""
    page = snap.homepage
    if page is None:
        return []
    out = list(page.links)
    for link in page.links:
        if link.tag in ("iframe", "frame"):
            framed = snap.pages.get(link.url)
            if framed is not None and framed.is_html:
                out.extend(framed.links)
    return out


def commented_hits(snap, needles: list[str]) -> list[Evidence]:
    """Needles seen only inside HTML comments of the homepage (a widget switched off)."""
    page = snap.homepage
    if page is None or page.facts is None:
        return []
    out = []
    for m in _COMMENT.finditer(page.html):
        low = m.group(0).lower()
        for n in needles:
            i = low.find(n.lower())
            if i >= 0:
                out.append(Evidence(page.final_url, excerpt(m.group(0), i, i + len(n), 60), WHERE["comment"]))
                break
    return out


@dataclass
class Marker:
    """A widget marker found on the homepage."""

    where: str
    url: str  # the page or script it was seen in
    needle: str
    snippet: str
    target: str = ""  # the link/script/img URL carrying it, when known

    def evidence(self) -> Evidence:
        label = WHERE.get(self.where, T(self.where))
        return Evidence(self.target or self.url, self.snippet, label)


def is_text_marker(marker: str) -> bool:
    """A marker in Chinese is a visible label; anything else is a URL or id fragment."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in marker)


def find_markers(snap, markers: list[str]) -> list[Marker]:
    """Find widget markers on the homepage.

    URL/id markers (``conac.cn``, ``_jiucuo_``) are searched in link URLs and in the
    markup (page source, inline and included scripts, frames: widgets are often
    injected by ``document.write``); label markers (``我为政府网站找错``) in link texts
    and image alt texts and in the footer sources.
    """
    page = snap.homepage
    if page is None or page.facts is None:
        return []
    url_markers = [m.lower() for m in markers if m and not is_text_marker(m)]
    text_markers = [nfkc(m) for m in markers if m and is_text_marker(m)]
    found: list[Marker] = []
    for link in homepage_links(snap):
        low = link.url.lower()
        label = nfkc(link.text)
        for m in url_markers:
            if m in low:
                found.append(Marker("link", page.final_url, m, f"<{link.tag}> {link.text}".strip(), link.url))
                break
        else:
            for m in text_markers:
                if m in label:
                    found.append(Marker("link", page.final_url, m, f"<{link.tag}> {link.text}", link.url))
                    break
    for where, url, text in markup_sources(snap):
        low = text.lower()
        for m in url_markers:
            i = low.find(m)
            if i >= 0:
                found.append(Marker(where, url, m, excerpt(text, i, i + len(m), 80)))
    for hit in search_sources(footer_sources(snap), _alternation(text_markers)) if text_markers else ():
        found.append(Marker(hit.where, hit.url, hit.match.group(0),
                            excerpt(hit.text, hit.match.start(), hit.match.end())))
    return found


def _alternation(words: list[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


def label_pattern(words: list[str]) -> re.Pattern:
    """A regex matching any of ``words`` (longest first)."""
    return _alternation([nfkc(w) for w in words if w])


def compact(text: str) -> str:
    """NFKC-folded, without whitespace: how link labels are compared."""
    return re.sub(r"\s+", "", nfkc(text or ""))


# -- 主办单位 and 联系方式 ---------------------------------------------------------
_NAME = r"[\u4e00-\u9fa5A-Za-z0-9()·、]{3,40}"
NAME_STOPS = ("承办", "主管", "协办", "主办", "技术支持", "网站标识码", "政府网站标识码", "标识码", "ICP",
              "备案", "公网安备", "地址", "电话", "联系", "邮编", "传真", "版权", "维护", "运维",
              "Copyright", "建议使用", "推荐使用", "分辨率", "浏览器")
NAME_PREFIXES = ("版权所有", "Copyright", "copyright", "(C)", "(c)", "©", "All Rights Reserved")


def sponsor_pattern(labels: list[str]) -> re.Pattern:
    """``主办单位：X`` (colon optional after a ``…单位`` label) or ``X主办``."""
    long_labels = [nfkc(l) for l in labels if l.endswith("单位")]
    short = [nfkc(l) for l in labels if not l.endswith("单位")]
    parts = []
    if long_labels:
        parts.append(f"(?:{'|'.join(map(re.escape, sorted(long_labels, key=len, reverse=True)))})\\s*:?\\s*(?P<a>{_NAME})")
    if short:
        parts.append(f"(?:{'|'.join(map(re.escape, sorted(short, key=len, reverse=True)))})\\s*:\\s*(?P<b>{_NAME})")
    parts.append(r"(?P<c>[\u4e00-\u9fa5()]{4,30}?)\s*主办(?![单方的])")
    return re.compile("|".join(parts))


def clean_name(name: str) -> str:
    for p in NAME_PREFIXES:
        if name.startswith(p):
            name = name[len(p):]
    cut = len(name)
    for stop in NAME_STOPS:
        i = name.find(stop)
        if i == 0:
            return ""  # a label or boilerplate, not a name
        if 0 < i < cut:
            cut = i
    return name[:cut].strip(" :·、")


@dataclass
class Sponsor:
    name: str
    hit: Hit


# What only a footer says: the text nearest these is the footer, whatever the parser took for it.
_FOOTER_MARKS = re.compile(r"网站标识码|ICP备|ICP证|公网安备|版权所有|Copyright|技术支持|All Rights Reserved", re.I)
NEAR_FOOTER_MARK = 200    # characters: hits this near a footer mark are in the footer's cluster
FAR_FROM_FOOTER = 400     # characters: hits this far from every footer mark are the page's content


def footer_first(hits: list[Hit]) -> list[Hit]:
    """Footer-item hits, in the order a footer item is most likely among them.

    The parser's footer, then the end of the page text; in each, hits by how near they sit to what
    only footers say (网站标识码, ICP备, 版权所有 …), 主办 before 承办/主管 within the footer's
    cluster. Where such marks are, hits far from all of them are left out: the text above the
    footer is the page's content (an article's "主办单位：…" or its 联系方式), and a parser's
    footer guess on a short page is the whole page. Scripts and frames come last, in source order."""
    ranked = []
    for h in hits:
        if h.where != "footer" and not h.where.endswith("-tail"):
            ranked.append(((2, False, False, 0), h))
            continue
        marks = [m.start() for m in _FOOTER_MARKS.finditer(h.text)]
        distance = min((abs(m - h.match.start()) for m in marks), default=len(h.text) - h.match.start())
        if marks and distance > FAR_FROM_FOOTER:
            continue
        ranked.append((((0 if h.where == "footer" else 1), distance > NEAR_FOOTER_MARK,
                        "主办" not in h.match.group(0), distance), h))
    return [h for _k, h in sorted(ranked, key=lambda kh: kh[0])]


def find_sponsors(snap, labels: list[str]) -> list[Sponsor]:
    """主办/承办/主管单位 names written in the homepage's footer sources, footer first."""
    out = []
    for hit in footer_first(search_sources(footer_sources(snap), sponsor_pattern(labels))):
        g = hit.match.groupdict()
        raw = g.get("a") or g.get("b") or g.get("c") or ""
        name = clean_name(raw)
        if len(re.findall(r"[\u4e00-\u9fa5]", name)) >= 3:
            out.append(Sponsor(name, hit))
    return out


def longest_common_run(a: str, b: str) -> int:
    """Length of the longest common substring (short strings: page titles, unit names)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


# -- 网站标识码 -------------------------------------------------------------------
SITE_CODE_FORMAT = re.compile(r"^(?:\d{10}|bm\d{8})$")
# Province-level 行政区划代码 prefixes (GB/T 2260): the first two digits of a local code.
PROVINCE_PREFIXES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
                               "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
                               "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"})


def site_code_kind(code: str) -> str:
    """'bm' (国务院部门), 'local' (10 digits), or '' when the format is invalid."""
    code = code.lower()
    if not SITE_CODE_FORMAT.match(code):
        return ""
    return "bm" if code.startswith("bm") else "local"


# -- link status ------------------------------------------------------------------
DEAD_STATUSES_DEFAULT = (403, 404, 410)


def link_state(fetch, dead_statuses=DEAD_STATUSES_DEFAULT) -> tuple[str, str]:
    """Classify a fetch of a linked URL: ('ok'|'dead'|'suspect'|'unknown', reason).

    Confirmed dead: a dead status (404/410/403 by default, as 开普云 counts them),
    a failed DNS lookup, or a refused connection. Everything else that went wrong
    (timeouts, 5xx, TLS, resets, rate limits and challenges) is only suspect: it
    may be the network or the site's firewall, not a broken link.
    """
    if fetch is None:
        return "unknown", "not checked"
    kind = fetch.error_kind
    if kind == "robots":
        return "unknown", "robots.txt forbids it"
    if kind == "stopped":
        return "unknown", "audit stopped"
    if kind == "private-address":  # refused by the auditor (SSRF guard): says nothing of the link
        return "unknown", fetch.error or "not requested: private address"
    if kind == "dns":
        return "dead", "DNS lookup failed"
    if kind == "connect" and "refused" in (fetch.error or ""):
        return "dead", "connection refused"
    if kind:
        return "suspect", fetch.error or kind
    if fetch.blocked:
        return "suspect", f"HTTP {fetch.status} (blocked by a firewall or rate limit)"
    status = fetch.status
    if status is None:
        return "unknown", "no answer recorded"
    if status in dead_statuses:
        return "dead", f"HTTP {status}"
    if status >= 400:
        return "suspect", f"HTTP {status}"
    if fetch.tls_error:
        return "suspect", f"TLS certificate error: {fetch.tls_error[:120]}"
    return "ok", f"HTTP {status}"


# Which links of a page are checked, and how they are named in reports.
LINK_TAGS = frozenset({"a", "area", "img", "script", "link", "iframe", "frame", "embed", "source", "input"})
LINK_SKIP_REL = ("dns-prefetch", "preconnect", "canonical", "alternate", "shortlink", "search", "manifest",
                 "pingback", "prefetch", "preload")
LINK_KIND_TEXT = {"img": "图片", "script": "脚本", "link": "样式/资源", "iframe": "框架", "frame": "框架",
                  "embed": "嵌入对象", "source": "媒体", "input": "图片按钮"}
DNS_UNSURE = "DNS lookup failed (no external host resolved in this audit: check the auditor's DNS)"


def checkable_links(snap, page, include_external: bool = True) -> dict:
    """url -> first Link of ``page`` that a link check covers (pages, images, scripts,
    styles, frames, attachments; not hints such as dns-prefetch or canonical)."""
    links = {}
    for link in page.links:
        if link.tag not in LINK_TAGS or link.url in links:
            continue
        if link.tag == "link" and any(r in link.rel for r in LINK_SKIP_REL):
            continue
        if not include_external and not snap.in_site(link.url):
            continue
        links[link.url] = link
    return links


@view
def resolver_works(snap) -> bool:
    """Whether some external host answered during this audit.

    A DNS failure proves a dead link only if the auditor's resolver worked;
    offline or DNS-less auditors get "suspect" instead.
    """
    return any(f.status is not None and not snap.in_site(f.final_url) for f in snap.link_checks.values())


def judge_link(snap, url: str, dead_statuses=DEAD_STATUSES_DEFAULT, resolved: bool | None = None) -> tuple[str, str]:
    """link_state of a linked URL from the crawl's pages and link checks, with the DNS caveat."""
    fetch = snap.status_of(url)
    page = snap.pages.get(url)
    if fetch is None:
        page = snap.page(url)  # reached as another URL's redirect target
        fetch = page.fetch if page is not None else None
    state, reason = link_state(fetch, dead_statuses)
    if state == "dead" and page is not None and fetch is not None and fetch.status is not None \
            and really_blocked(page):
        # The crawler keeps no body, so Fetch.blocked missed a firewall page served as 403.
        return "suspect", f"HTTP {fetch.status} (blocked by a firewall or rate limit)"
    if state == "dead" and reason == "DNS lookup failed":
        if not (resolver_works(snap) if resolved is None else resolved):
            return "suspect", DNS_UNSURE
    return state, reason


def link_label(snap, link, reason: str) -> str:
    """"HTTP 404 · 站内图片：专题横幅" — what a report shows for one bad link."""
    kind = LINK_KIND_TEXT.get(link.tag) or ("附件" if is_attachment(link.url) else "链接")
    where = "站内" if snap.in_site(link.url) else "外部"
    return f"{reason} · {where}{kind}：{link.text or '（无文字）'}"


def really_blocked(page) -> bool:
    """Whether a page's fetch was a firewall/rate-limit challenge.

    ``Fetch.blocked`` looks at the body, which the crawler drops before storing the
    page; the stored HTML is put back for the test.
    """
    import dataclasses

    f = page.fetch
    if f.blocked:
        return True
    if f.body is None and page.html_z and f.status is not None and f.status >= 400:
        return dataclasses.replace(f, body=page.html.encode("utf-8", "replace")[:20000]).blocked
    return False


# -- the 找错 (jiucuo) script ---------------------------------------------------------
# A jiucuo script tag (also inside document.write strings, quotes escaped) and its sitecode.
JIUCUO_TAG = re.compile(r"<script\b[^>]*?(?:_jiucuo_|jiucuo\.js)[^>]*>", re.I)
SITECODE_ATTR = re.compile(r"""site_?code\s*=\s*\\?["']?\s*([A-Za-z0-9]+)""", re.I)
SITECODE_SETATTR = re.compile(r"""setAttribute\(\s*\\?["']site_?code\\?["']\s*,\s*\\?["']([A-Za-z0-9]+)""", re.I)


def jiucuo_sitecodes(snap) -> list[tuple[str, Evidence]]:
    """The ``sitecode`` of the 找错 script (tree, page source, scripts), lower-cased, with evidence."""
    out = []
    page = snap.homepage
    tree = page.tree
    if tree is not None:
        for el in tree.xpath("//script[@id='_jiucuo_' or contains(@src, 'jiucuo')][@sitecode]"):
            out.append((el.get("sitecode").strip().lower(),
                        Evidence(page.final_url, f'<script id="{el.get("id", "")}" sitecode="{el.get("sitecode")}">',
                                 T("找错脚本", "找错 script"))))
    for where, url, text in markup_sources(snap):
        if where == "html" and out:
            continue  # already read from the parsed tree
        for tag in JIUCUO_TAG.finditer(text):
            m = SITECODE_ATTR.search(tag.group(0))
            if m:
                out.append((m.group(1).lower(), Evidence(url, excerpt(text, tag.start(), tag.end(), 10),
                                                         T("找错脚本", "找错 script"))))
        for m in SITECODE_SETATTR.finditer(text):
            out.append((m.group(1).lower(), Evidence(url, excerpt(text, m.start(), m.end()), T("找错脚本", "找错 script"))))
    return out
