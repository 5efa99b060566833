"""The ``search`` gatherer: submit the site search as an inspector does (for search.works).

Inspectors type the exact title of a recent article into the site search and expect
the article among the results ("搜不到" is a finding; docs/rules.md#R-search-finds-content). This
gatherer finds the search (auditor/views/search.py, shared with search.present), takes
the exact title of a recent article from the snapshot, submits it — a GET form as a
URL, a POST form as a POST — through the crawl's fetcher (same rate limit, bounds
and robots.txt policy), and parses the results page with lxml. A second query with a
nonsense string shows what the results page looks like when nothing matches, so a
page that always shows the same list (or a "latest news" sidebar that happens to
hold the article) is not taken for a working search.

At most four requests: robots.txt (when the site has rules), the article query
(a second article when the first is not found), and the nonsense query; a query
that times out or answers 5xx is asked once more before it counts.

Fetcher.fetch takes no request body, so a POST goes through a shallow copy of the
fetcher whose session adds the form data (_PostSession): the rate limiter, the
watchdog's time bounds, the size cap and the per-hop robots.txt check stay the same.
"""
from __future__ import annotations

import copy
import re
from collections import Counter
from datetime import timedelta
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from auditor.network import robots as robots_mod
from auditor.views.columns import TITLE_SEP, columns_of, page_items
from auditor.views.page_text import compact
from auditor.views.search import find_inner_search, find_search
from auditor.network.decode import decode_html
from auditor.gather.base import gatherer
from auditor.views.listing import JCMS_RECORD, says_empty
from auditor.crawl.parse import extract
from auditor.network.urls import normalize, origin_key, resolve

NONSENSE = "zqxjvkwp7391"
MAX_TITLE = 50
MIN_ARTICLE_AGE_DAYS = 3  # a search index may lag a day or two behind the newest article
MAX_ARTICLE_QUERIES = 2
_TRUNC = re.compile(r"(?:\.{2,}|…+|。。+)\s*$")
_NO_RESULTS = re.compile(r"未找到|没有找到|找不到|无相关|无搜索结果|无检索结果|没有检索到|没有搜索到|共\s*0\s*条|"
                         r"找到\s*0\s*条|0\s*条(?:相关)?(?:结果|记录|信息)|结果为空|no results", re.I)
_JS_SEARCH = re.compile(r"\$\.(?:ajax|get|post|getJSON)\s*\(|XMLHttpRequest|\bfetch\s*\(|axios|jsonp|"
                        r"location\.search|getQueryString|getUrlParam|getParameter|URLSearchParams", re.I)
# A search URL built by a script: '/jsearchfront/search.do?websiteid=1&q=' + encodeURI(kw)
_SCRIPT_URL = re.compile(r"""(["'])((?:https?:)?/[^"'\s<>]*?(?:search|sousuo|query|/so/|jrobot)[^"'\s<>]*?[?&][\w.]+=)\1\s*\+""",
                         re.I)


# -- the article to look for ------------------------------------------------------
def exact_title(page, list_title: str) -> str:
    """The article's own title: ArticleTitle meta, a heading or <title> part matching the list title."""
    meta = (page.meta.get("articletitle") or "").strip()
    if len(compact(meta)) >= 6:
        return meta
    stem = compact(_TRUNC.sub("", list_title))
    if len(stem) < 6:
        return ""
    candidates = list(page.facts.headings) + [p for p in TITLE_SEP.split(page.title) if p]
    for c in candidates:
        cc = compact(c)
        if cc == stem or (cc.startswith(stem) and len(cc) <= 120):
            return c.strip()
    if not _TRUNC.search(list_title):
        return list_title.strip()
    return ""


def pick_articles(snap, profile, limit: int = MAX_ARTICLE_QUERIES) -> list[dict]:
    """Recent dated articles with their exact titles, newest first (a few days old preferred)."""
    as_of = snap.as_of
    columns = columns_of(snap, profile)
    column_urls = {c.url for c in columns}
    sources = [(c.name, c.items) for c in columns]
    if snap.homepage is not None and snap.homepage.is_html:
        sources.append(("首页", page_items(snap.homepage, as_of)))
    found: dict[str, dict] = {}
    for name, items in sources:
        for item in items:
            if item.date is None or item.date > as_of:
                continue
            page = snap.page(item.url)
            if page is None or not page.is_html or not page.ok or page.final_url in column_urls:
                continue
            if page.final_url in found:
                continue
            title = exact_title(page, item.title)
            if title:
                found[page.final_url] = {"url": page.final_url, "title": title, "date": item.date.isoformat(),
                                         "column": name, "_date": item.date}
    settled = as_of - timedelta(days=MIN_ARTICLE_AGE_DAYS)
    ranked = sorted(found.values(), key=lambda a: (a["_date"] > settled, -a["_date"].toordinal()))
    out = []
    for a in ranked[:limit]:
        a.pop("_date")
        out.append(a)
    return out


# -- the request --------------------------------------------------------------------
class _PostSession:
    """The fetcher's session with a form body on the first POST; redirect hops become GETs,
    as browsers do. (Fetcher.fetch has no ``data`` argument; this keeps its bounds,
    pacing and redirect checks.)"""

    def __init__(self, session, data: bytes) -> None:
        self._session = session
        self._data = data
        self._sent = False

    def request(self, method, url, **kw):
        if method == "POST":
            if self._sent:
                method = "GET"
            else:
                self._sent = True
                kw["data"] = self._data
                kw["headers"] = {**(kw.get("headers") or {}),
                                 "Content-Type": "application/x-www-form-urlencoded"}
        return self._session.request(method, url, **kw)

    def __getattr__(self, name):
        return getattr(self._session, name)


def _form_element(page, form):
    """The lxml <form> behind a parsed Form: same action, else the same field names."""
    tree = page.tree
    if tree is None:
        return None
    base_el = tree.find(".//base[@href]")
    base = resolve(page.final_url, base_el.get("href")) if base_el is not None else None
    base = base or page.final_url
    names = [f.name for f in form.fields if f.name]
    fallback = None
    for el in tree.iter("form"):
        action = el.get("action") or ""
        url = (resolve(base, action) or "") if action else page.final_url
        if url == form.action:
            return el
        own = [i.get("name") or i.get("id") or "" for i in el.iter("input", "select", "textarea")]
        if fallback is None and [n for n in own if n] == names:
            fallback = el
    return fallback


def _form_values(page, form) -> list[tuple[str, str]]:
    """The values a browser would send (hidden fields included), read from the page's tree."""
    el = _form_element(page, form)
    if el is None:
        return []
    try:
        return [(k, v) for k, v in el.form_values() if k]
    except Exception:  # noqa: BLE001 - a malformed form: send the search field alone
        return []


def _charset(page, form_el_charset: str | None) -> str:
    enc = (form_el_charset or page.encoding or "utf-8").replace(",", " ").split()[0].strip().lower()
    try:
        "搜索".encode(enc)
    except LookupError:
        return "utf-8"
    return enc


def _accept_charset(page, form) -> str | None:
    el = _form_element(page, form)
    return el.get("accept-charset") if el is not None else None


class _Robots:
    """robots.txt policies by origin: the site's as the crawl read it, others fetched once."""

    def __init__(self, snap, fetcher, user_agent: str) -> None:
        self.snap = snap
        self.fetcher = fetcher
        self.ua = user_agent
        self.ignore = bool(snap.options.get("ignore_robots"))
        self._by_origin: dict[str, object] = {}

    def policy(self, url: str):
        key = origin_key(url)
        if key not in self._by_origin:
            same = key == origin_key(self.snap.start_url)
            robots = self.snap.robots
            if same and (self.ignore or robots.get("state") == "absent"):
                pol = robots_mod.RobotsPolicy(url=robots_mod.robots_url(url), state="absent", ignored=self.ignore)
            elif same and robots.get("state") == "unreachable":
                pol = robots_mod.RobotsPolicy(url=robots_mod.robots_url(url), state="unreachable")
            else:
                pol = robots_mod.load(self.fetcher, url, self.ua)
            self._by_origin[key] = pol
        return self._by_origin[key]

    def allows(self, url: str) -> bool:
        return self.policy(url).allows(url, self.ua)

    def allow_hook(self, url: str) -> str | None:
        return None if self.allows(url) else "robots"


def build_request(entry, page, query: str) -> tuple[str, str, bytes | None]:
    """(method, url, body) for submitting ``query`` through a search form."""
    form = entry.form
    values = _form_values(page, form)
    field = entry.field
    if field and not any(k == field for k, _ in values):
        values.append((field, ""))
    values = [(k, query if k == field else v) for k, v in values]
    enc = _charset(page, _accept_charset(page, form))
    data = urlencode(values, encoding=enc, errors="xmlcharrefreplace")
    if form.method == "post":
        return "POST", form.action, data.encode("ascii")
    parts = urlsplit(form.action)
    return "GET", urlunsplit((parts.scheme, parts.netloc, parts.path or "/", data, "")), None


def script_search_url(snap, entry) -> str | None:
    """A search URL template written in the homepage's scripts ('…search.do?q=' + keyword)."""
    page = snap.homepage
    texts = list(page.facts.inline_scripts) + [s.text for s in snap.homepage_sources]
    html = page.html
    texts.append(html)
    for text in texts:
        m = _SCRIPT_URL.search(text)
        if m:
            # urljoin, not resolve(): the template's parameter order must stay (it ends with "q=").
            url = urljoin(page.final_url, m.group(2).strip())
            if url.startswith(("http://", "https://")):
                return url
    return None


def _fetch(ctx, robots, method, url, body):
    allow = robots.allow_hook
    if method == "POST":
        poster = copy.copy(ctx.fetcher)
        poster.session = _PostSession(ctx.fetcher.session, body)
        return poster.fetch(url, method="POST", allow=allow)
    return ctx.fetcher.fetch(url, allow=allow)


def _links_of(facts, html: str, base: str) -> list[tuple[str, str]]:
    """(normalized url, text) of the page's anchors, JCMS record rows included."""
    out = [(normalize(l.url) or l.url, l.text) for l in facts.links if l.tag in ("a", "area")]
    if "<record" in html:
        for fragment in JCMS_RECORD.findall(html):
            for m in re.finditer(r"""<a\b[^>]*href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>""", fragment, re.S | re.I):
                url = resolve(base, m.group(1))
                if url:
                    out.append((normalize(url) or url, re.sub(r"<[^>]+>|\s+", "", m.group(2))))
    return out


def read_results(fetch, query: str) -> dict:
    """What a results page shows: its anchors, whether it says "nothing found", script hints."""
    rec = {"status": fetch.status, "final_url": fetch.final_url, "error": fetch.error, "error_kind": fetch.error_kind,
           "blocked": fetch.blocked, "content_type": fetch.content_type}
    body = fetch.body or b""
    if fetch.error_kind or not body:
        return rec
    text, _ = decode_html(body, fetch.headers.get("content-type"))
    facts = extract(text, fetch.final_url)
    links = _links_of(facts, text, fetch.final_url)
    rec.update({
        "title": facts.title[:120],
        "text_chars": len(facts.text),
        "says_empty": bool(_NO_RESULTS.search(facts.text)) or says_empty(facts.text),
        "js_hints": sorted({m.group(0).strip()[:20] for s in facts.inline_scripts for m in _JS_SEARCH.finditer(s)})[:8],
        "script_srcs": [l.url for l in facts.links if l.tag == "script"][:20],
        "links": links,
        "echo": compact(query) in compact(facts.text) or query in text,
    })
    m = _NO_RESULTS.search(facts.text)
    i = m.start() if m else 0
    rec["excerpt"] = facts.text[max(0, i - 40): i + 160] if m else facts.text[:200]
    return rec


def _self_link(url: str, rec: dict) -> bool:
    """A link back to the search itself ("相关搜索", pagination, the query echoed as a link)."""
    parts = urlsplit(url)
    here = urlsplit(rec.get("final_url") or rec.get("url") or "")
    return parts.path == here.path and parts.netloc == here.netloc


def _counts(rec: dict) -> Counter:
    """How many times each URL is linked from a results page (links back to the search left out)."""
    return Counter(u for u, _ in rec.get("links") or () if not _self_link(u, rec))


def _matches(rec: dict, article: dict, query: str, others: Counter) -> tuple[dict | None, dict | None]:
    """(match, ambiguous): the results-page anchor that is the article (by URL or title) and is
    specific to the query — linked more often than on the nonsense query's page; or one that is
    the article but shows as often for the nonsense query (a "latest news" box or the template:
    it proves nothing either way)."""
    target = normalize(article["url"]) or article["url"]
    tparts = urlsplit(target)
    tpath = tparts.path + ("?" + tparts.query if tparts.query else "")
    q = compact(query)
    own = _counts(rec)
    ambiguous = None
    for url, text in rec.get("links") or ():
        if _self_link(url, rec):
            continue
        parts = urlsplit(url)
        path = parts.path + ("?" + parts.query if parts.query else "")
        hit = None
        if url == target or path == tpath or (len(tparts.path) > 8 and tparts.path in url):
            hit = {"url": url, "text": text, "by": "url"}
        else:
            ct = compact(text)
            stem = compact(_TRUNC.sub("", text or ""))
            if q and len(q) >= 6 and (q in ct or (len(stem) >= 8 and _TRUNC.search(text or "") and q.startswith(stem))):
                hit = {"url": url, "text": text, "by": "title"}
        if hit is None:
            continue
        if own[url] <= others.get(url, 0):
            ambiguous = ambiguous or hit
            continue
        return hit, None
    return None, ambiguous


def _query(ctx, robots, entry, page, query, template=None):
    if template:
        method, url, body = "GET", template + _quote(query, page), None
    else:
        method, url, body = build_request(entry, page, query)
    rec = {"query": query, "method": method, "url": url}
    if not robots.allows(url):
        rec["robots"] = True
        return rec
    f = _fetch(ctx, robots, method, url, body)
    if (f.error_kind in ("timeout", "connect", "incomplete") or (f.status or 0) >= 500) and not f.blocked \
            and not ctx.fetcher.stop.is_set():
        f = _fetch(ctx, robots, method, url, body)  # once more: it may be a passing hiccup
    rec.update(read_results(f, query))
    return rec


def _quote(query: str, page) -> str:
    from urllib.parse import quote

    enc = _charset(page, None)
    return quote(query, encoding=enc, errors="xmlcharrefreplace")


@gatherer("search")
def gather(snap, ctx) -> dict:
    profile = ctx.profile
    if profile is None:
        raise ValueError("the search gatherer needs the audit's profile (GatherContext.profile)")
    home = snap.homepage
    if home is None or not home.is_html:
        return {"state": "no-homepage"}
    entry = find_search(snap, profile)
    page = home
    if entry is not None and entry.kind == "link":
        target = snap.page(entry.link)
        inner = find_search(snap, profile, target) if target is not None and target.is_html and target.ok else None
        if inner is None or inner.kind != "form":
            return {"state": "unsubmittable", "entry": _entry_json(entry),
                    "reason": "search page not crawled" if target is None else "no search form on the search page"}
        entry, page = inner, target
    if entry is None or (entry.kind == "script" and script_search_url(snap, entry) is None):
        # No search on the homepage (or one drawn by scripts we cannot submit): the inner pages' form.
        inner = find_inner_search(snap, profile)
        if inner is not None:
            entry, page = inner, snap.page(inner.page_url) or home
    if entry is None:
        return {"state": "no-search"}
    template = None
    if entry.kind in ("loose", "script"):
        template = script_search_url(snap, entry)
        if template is None:
            return {"state": "script-only", "entry": _entry_json(entry)}
    elif entry.kind == "form" and not (entry.form.action or "").startswith(("http://", "https://")):
        # action="javascript:…": the form is submitted by a script.
        template = script_search_url(snap, entry)
        if template is None:
            return {"state": "script-only", "entry": _entry_json(entry)}
    elif entry.kind == "form" and not entry.field:
        return {"state": "unsubmittable", "entry": _entry_json(entry), "reason": "no named text field"}
    articles = pick_articles(snap, profile)
    out = {"entry": _entry_json(entry), "template": template, "articles": articles, "queries": []}
    if not articles:
        return {**out, "state": "no-article"}
    if ctx.fetcher is None:
        return {**out, "state": "no-fetcher"}
    if snap.stop_reason == "rate-limited":
        return {**out, "state": "rate-limited"}
    ua = snap.options.get("user_agent") or ctx.fetcher.user_agent
    robots = _Robots(snap, ctx.fetcher, ua)
    first = _query(ctx, robots, entry, page, articles[0]["title"][:MAX_TITLE], template)
    first["article"] = articles[0]
    out["queries"].append(first)
    if first.get("robots"):
        return {**out, "state": "robots"}
    if first.get("error_kind") == "stopped":
        return {**out, "state": "stopped"}
    if first.get("links") is None or first.get("error_kind") or not 200 <= (first.get("status") or 0) < 400:
        first.pop("links", None)
        return {**out, "state": "done"}  # no results page to read: the check judges the answer
    nonsense = _query(ctx, robots, entry, page, NONSENSE, template)
    out["nonsense"] = {k: v for k, v in nonsense.items() if k != "links"}
    if nonsense.get("links") is not None:
        others = _counts(nonsense)
    else:
        # No baseline: at least leave out what the homepage and the search page link to anyway.
        others = Counter({normalize(l.url) or l.url: 99 for p in (home, page) for l in p.links})
    for article in articles[1:]:
        if _matches(first, articles[0], first["query"], others)[0] is not None:
            break
        rec = _query(ctx, robots, entry, page, article["title"][:MAX_TITLE], template)
        rec["article"] = article
        out["queries"].append(rec)
        if rec.get("links") is None:
            break
    for rec in out["queries"]:
        if rec.get("links") is None:
            continue
        rec["match"], rec["ambiguous"] = _matches(rec, rec["article"], rec["query"], others)
        own = _counts(rec)
        specific = [(u, t) for u, t in rec["links"] if own[u] > others.get(u, 0) and not _self_link(u, rec)]
        rec["same_as_nonsense"] = nonsense.get("links") is not None and own == others
        rec["specific_count"] = len({u for u, _ in specific})
        rec["specific"] = [t for _, t in specific if t][:5]
        rec.pop("links")
    out["state"] = "done"
    return out


def _entry_json(entry) -> dict:
    form = entry.form
    return {"kind": entry.kind, "page_url": entry.page_url, "field": entry.field, "link": entry.link,
            "action": form.action if form is not None else "", "method": form.method if form is not None else "",
            "hint": entry.hint}
