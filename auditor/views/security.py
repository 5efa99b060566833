"""What the security/content veto family (security.*, content.*) reads in pages and scripts.

Shared by the checks and the ``cloaking``/``outbound``/``scripts`` gatherers: the data file of
vocabularies, names and known origins (auditor/profiles/data/security.toml, replaceable per
profile), injected-vocabulary search that leaves public-education quotations alone, script
unpacking (eval/atob/unescape/fromCharCode/escapes) down to a navigation, hidden outbound links
in static or rendered markup, 密级 stamps and mechanically decidable 严重表述错误.
"""
from __future__ import annotations

import base64
import binascii
import re
import threading
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

from auditor.crawl.parse import MAX_TEXT
from auditor.network.urls import host_of, resolve

DEFAULT_DATA = "security.toml"
# The rule every check of the family enforces: the 2019 检查指标's first 单项否决 item, whose
# serious problems include 严重表述错误, 泄露国家秘密, 发布或链接…色情等内容, 页面被挂马、内容被篡改 and
# 弄虚作假（如伪造发稿日期）. (The checks build their Clause from these: views sit below checking.)
VETO_DOCUMENT = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
VETO_ARTICLE = "单项否决指标 \"安全、泄密事故等严重问题\""
# The rule in docs/rules.md, when it took effect, and the item of the indicator each check serves.
VETO_RULE, VETO_EFFECTIVE = "R-veto-security", "2019-04-01"
QUOTE_ATTACK = "“对安全攻击(页面被挂马、内容被篡改等)没有及时有效处置造成严重安全事故”"
QUOTE_CONTENT = "“发布或链接反动、暴力、色情等内容”"
QUOTE_SECRET = "“泄露国家秘密”"
QUOTE_WORDING = "“严重表述错误”"
QUOTE_FORGED = "“弄虚作假(如伪造发稿日期)”"
REMEDIATION_HACKED = (
    "立即清除被植入的内容和代码（网页文件、模板、数据库、服务器配置与伪静态规则），排查入侵途径"
    "（弱口令、未修补的 CMS/中间件漏洞、WebShell、被篡改的 .htaccess/nginx 配置），修补后全站复查；"
    "按网络安全事件处置要求立即报告本地网信部门和公安机关，并向搜索引擎申请更新快照。",
    "Remove the injected content and code now (page files, templates, database, server and rewrite "
    "configuration), find how the attacker got in (weak passwords, unpatched CMS/middleware, web shells, "
    "altered server configuration), fix it and re-check the whole site; report the incident to the local "
    "Cyberspace Administration (网信) office and the police (公安) as incident rules require, and ask the "
    "search engines to refresh their snapshots.")
_LOCK = threading.Lock()


# -- the data file -----------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _load(path: str) -> dict:
    if path == DEFAULT_DATA:
        text = resources.files("auditor.profiles").joinpath("data", DEFAULT_DATA).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return tomllib.loads(text)


def data(profile=None) -> dict:
    """The security data file the profile names (``[security] data_file``), else the built-in one."""
    path = DEFAULT_DATA
    if profile is not None:
        path = str(profile.get("security.data_file", DEFAULT_DATA) or DEFAULT_DATA)
    with _LOCK:
        try:
            return _load(path)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"security data file {path!r} cannot be read ([security] data_file): {exc}") from None


def checked_dates(d: dict) -> dict[str, str]:
    """When each list was last checked (shown in the check's details)."""
    return {k: str(v.get("checked", "")) for k, v in d.items() if isinstance(v, dict) and v.get("checked")}


def fold(text: str) -> str:
    """NFKC (full-width to half-width) and lower case: 'ＰＫ１０' and 'pk10' are one term."""
    return unicodedata.normalize("NFKC", text or "").lower()


# -- hosts -------------------------------------------------------------------------------------
_SECOND_LEVEL = ("gov.cn", "com.cn", "org.cn", "net.cn", "edu.cn", "ac.cn", "gov.hk", "com.hk")


@lru_cache(maxsize=4096)
def registrable(host: str) -> str:
    """The registrable domain (example.gov.cn, example.com); an IP address is itself."""
    host = (host or "").lower().rstrip(".")
    if not host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host
    labels = host.split(".")
    for suffix in _SECOND_LEVEL:
        if host.endswith("." + suffix) and len(labels) >= 3:
            return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def host_matches(host: str, patterns) -> bool:
    host = (host or "").lower().rstrip(".")
    return any(host == p or host.endswith("." + p) for p in patterns)


def is_gov_host(host: str, d: dict) -> bool:
    return host_matches(host, d.get("scripts", {}).get("gov_suffixes", ()))


def same_site(host: str, site_host: str) -> bool:
    return bool(host) and registrable(host) == registrable(site_host)


def foreign_host(host: str, site_host: str, d: dict) -> bool:
    """Neither the site's own domain nor a government/Party site nor a known service."""
    return bool(host) and not same_site(host, site_host) and not is_gov_host(host, d) \
        and not host_matches(host, d.get("scripts", {}).get("known_hosts", ()))


def tld(host: str) -> str:
    return (host or "").rstrip(".").rsplit(".", 1)[-1].lower()


# -- injected vocabulary -----------------------------------------------------------------------
@dataclass(frozen=True)
class VocabHit:
    term: str
    kind: str      # gambling | porn | fake_certificate
    sentence: str


KINDS = {"gambling": ("赌博/博彩", "gambling"), "porn": ("色情", "pornography"),
         "fake_certificate": ("办证/发票等违法广告", "fake certificates/invoices")}
_SENTENCE_END = re.compile(r"[。！？!?；;\n\r|]")


@lru_cache(maxsize=8)
def _vocab_pattern(terms: tuple[tuple[str, str], ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(fold(t)) for t, _ in sorted(terms, key=lambda x: -len(x[0]))))


def _terms(d: dict) -> tuple[tuple[str, str], ...]:
    v = d.get("vocabulary", {})
    return tuple((t, kind) for kind in KINDS for t in v.get(kind, ()))


def sentence_at(text: str, start: int, end: int, limit: int = 80) -> str:
    """The sentence around text[start:end], at most ``limit`` characters each side."""
    left = start
    while left > 0 and start - left < limit and not _SENTENCE_END.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < limit and not _SENTENCE_END.match(text[right]):
        right += 1
    return text[left:right].strip()


def vocab_hits(text: str, d: dict, *, quoted_ok: bool = True) -> list[VocabHit]:
    """Injected-content terms in ``text``; a sentence that warns against them is not a hit."""
    terms = _terms(d)
    if not text or not terms:
        return []
    folded = fold(text)
    kinds = {fold(t): k for t, k in terms}
    context = [fold(w) for w in d.get("vocabulary", {}).get("education_context", ())]
    out: list[VocabHit] = []
    for m in _vocab_pattern(terms).finditer(folded):
        sentence = sentence_at(folded, m.start(), m.end())
        if quoted_ok and any(w in sentence for w in context):
            continue
        out.append(VocabHit(m.group(0), kinds.get(m.group(0), "gambling"), sentence_at(text, m.start(), m.end())))
    return out


def distinct_terms(hits: list[VocabHit]) -> list[str]:
    seen: list[str] = []
    for h in hits:
        if h.term not in seen:
            seen.append(h.term)
    return seen


# -- scripts -----------------------------------------------------------------------------------
_B64_CALL = re.compile(r"""atob\(\s*["']([A-Za-z0-9+/=\s]{8,})["']\s*\)""")
_UNESCAPE_CALL = re.compile(r"""(?:unescape|decodeURIComponent|decodeURI)\(\s*["']((?:%[0-9A-Fa-f]{2}|%u[0-9A-Fa-f]{4}|[^"'%]){4,})["']\s*\)""")
_CHARCODES = re.compile(r"String\.fromCharCode\(\s*((?:\d{1,6}\s*,\s*){3,}\d{1,6})\s*\)")
_ESCAPED = re.compile(r"""["']((?:\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\[0-7]{3}){6,}[^"']*)["']""")
_NAVIGATION = re.compile(
    r"(?:(?:window|document|self|top|parent)\s*\.\s*)?location(?:\s*\.\s*href)?\s*(?:=(?!=)|\.replace\s*\(|\.assign\s*\()"
    r"|window\s*\.\s*open\s*\(|<\s*meta[^>]+http-equiv\s*=\s*['\"]?refresh", re.I)
_WRITE_SCRIPT = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(\s*(.{0,600})", re.I | re.S)
_SRC = re.compile(r"""(?:src|href)\s*=\s*\\?["']?\s*((?:https?:)?//[^"'\\\s>]+)""", re.I)
_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?[^\s"'<>)]*""")
_REFERRER = re.compile(r"document\s*\.\s*referrer", re.I)
# A page covered by a full-window <iframe> of another site (挂马 "广告框架"), or whose own content
# a script hides wholesale.
_OVERLAY = re.compile(r"""<\s*ifr(?:ame)?\b[^>]*?(?:width\s*=\s*\\?["']?100%[^>]*height\s*=\s*\\?["']?100%"""
                      r"""|height\s*=\s*\\?["']?100%[^>]*width\s*=\s*\\?["']?100%)""", re.I)
_HIDE_ALL = re.compile(r"body\.children\[[^\]]+\]\.style\.display", re.I)
_EVAL_WRITE = re.compile(r"""\beval\s*\(\s*["']\s*document\s*\.\s*write""", re.I)
_COVER = re.compile(r"(?:html|body)\s*\{[^}]*overflow\s*:\s*hidden", re.I)
REFERRER_WINDOW = 600  # characters after document.referrer where the engine test and the jump must be
# A script that writes a whole page of its own over the site's and stops the loading: the visitor
# sees that page (a fake "404, page not found"), while search engines, which run no script, see the
# site's content — black-hat SEO cloaking by script. The fake error wording tells it from the
# "your browser is too old" notices some portals write the same way.
_WRITE = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(", re.I)
_STOP = re.compile(r"window\s*\.\s*stop\s*\(|execCommand\s*\(\s*['\"]stop['\"]", re.I)
_WHOLE_PAGE = re.compile(r"<\s*(?:html|body)\b", re.I)
_FAKE_ERROR = re.compile(r"404|无法找到该?网页|找不到(?:该|此)?网页|网页不存在|页面不存在|页面未找到|not\s+found", re.I)


# The written page, its error wording, the write and the stop sit together in such a script; in a
# large bundle the four words (a 404 status, an "<html" template, a document.write …) lie far apart.
PAGE_REPLACED_SPAN = 3000


def _page_replaced(whole: str) -> int | None:
    """Where a fake error page written over the site is (its error wording), or None."""
    for page in _WHOLE_PAGE.finditer(whole):
        lo, hi = max(0, page.start() - PAGE_REPLACED_SPAN), page.end() + PAGE_REPLACED_SPAN
        near = whole[lo:hi]
        error = _FAKE_ERROR.search(near)
        if error and _WRITE.search(near) and _STOP.search(near):
            return lo + error.start()
    return None


def _b64(s: str) -> str | None:
    s = re.sub(r"\s+", "", s)
    try:
        raw = base64.b64decode(s + "=" * (-len(s) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _unescape(s: str) -> str:
    s = re.sub(r"%u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), s)
    return unquote(s)


def _unbackslash(s: str) -> str:
    s = re.sub(r"\\x([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), s)
    s = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), s)
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), s)


# A literal split inside a word ("do"+"cu"+"ment", 'ifr'+'ame'): obfuscation, not string building.
_JOIN = re.compile(r"""(?<=[A-Za-z])(["'])\s*\+\s*\1(?=[A-Za-z])""")


def decoded_layers(script: str, depth: int = 3) -> list[str]:
    """Text hidden in the script by atob/unescape/fromCharCode/\\x escapes, outermost first."""
    out: list[str] = []
    todo = [script]
    for _ in range(depth):
        nxt: list[str] = []
        for text in todo:
            for m in _B64_CALL.finditer(text):
                dec = _b64(m.group(1))
                if dec:
                    nxt.append(dec)
            for m in _UNESCAPE_CALL.finditer(text):
                if "%" in m.group(1):
                    nxt.append(_unescape(m.group(1)))
            for m in _CHARCODES.finditer(text):
                try:
                    nxt.append("".join(chr(int(n)) for n in m.group(1).split(",")))
                except (ValueError, OverflowError):
                    pass
            for m in _ESCAPED.finditer(text):
                nxt.append(_unbackslash(m.group(1)))
        nxt = [t for t in nxt if t and t not in out]
        if not nxt:
            break
        out += nxt
        todo = nxt
    return out


@dataclass(frozen=True)
class ScriptFinding:
    kind: str       # packed-navigation | referrer-hijack | overlay-iframe | page-replaced | written-script
    url: str        # where the script sends visitors or what it loads ('' when not readable)
    decoded: str    # the decoded text (or the script's own excerpt)


def _foreign(url: str, site_host: str, d: dict) -> bool:
    h = host_of(url if "://" in url else "http:" + url) if url else ""
    return bool(h) and not same_site(h, site_host) and not is_gov_host(h, d) \
        and not host_matches(h, d.get("scripts", {}).get("known_hosts", ()))


def _first_foreign_url(text: str, site_host: str, d: dict) -> str:
    for m in _URL.finditer(text):
        if _foreign(m.group(0), site_host, d):
            return m.group(0)
    return ""


def analyse_script(script: str, site_host: str, d: dict) -> list[ScriptFinding]:
    """What an inline or included script does that injected code does and ordinary code does not.

    - a packed payload (atob/unescape/fromCharCode/escapes) that decodes to a navigation or a
      script/iframe from a foreign host;
    - a navigation off the site taken only for visitors whose ``document.referrer`` is a search
      engine (快照劫持 by script);
    - a full-window <iframe> of a foreign site over a page whose own content is hidden;
    - a whole fake error page written over the site's and the loading stopped (cloaking by script);
    - ``document.write`` of a ``<script src>`` from a foreign host (a weak sign by itself).
    Analytics, the 找错 script, share buttons and CDNs (the data file's known hosts), sister
    government sites and the site's own domain are never foreign.
    """
    out: list[ScriptFinding] = []
    if not script:
        return out
    layers = decoded_layers(script)
    # Split literals ("do"+"cu"+"ment.wr"+"ite") joined: read for the overlay and eval rules only
    # (libraries split '<scr'+'ipt>' innocently, so the joined text is no decoded payload).
    joined = _JOIN.sub("", script)
    whole = "\n".join([script] + layers + ([joined] if joined != script else []))
    for layer in layers:
        url = _first_foreign_url(layer, site_host, d)
        if url and (_NAVIGATION.search(layer) or re.search(r"<\s*(?:script|iframe)", layer, re.I)):
            out.append(ScriptFinding("packed-navigation", url, layer[:500]))
            break
    engines = d.get("scripts", {}).get("search_engines", ())
    for m in _REFERRER.finditer(whole):
        # The test, the engine names and the jump sit together in injected code; a big library
        # that reads document.referrer somewhere and navigates somewhere else is not one.
        near = whole[max(0, m.start() - REFERRER_WINDOW // 3): m.end() + REFERRER_WINDOW]
        url = _first_foreign_url(near, site_host, d)
        if url and _NAVIGATION.search(near) and any(e in near.lower() for e in engines):
            out.append(ScriptFinding("referrer-hijack", url, near[:500]))
            break
    for m in _EVAL_WRITE.finditer(joined if joined != script else ""):
        near = joined[max(0, m.start() - 800): m.end() + 600]
        url = _first_foreign_url(near, site_host, d)
        if url and re.search(r"<\s*(?:script|iframe)", near, re.I):
            out.append(ScriptFinding("packed-navigation", url, near[:500]))
            break
    overlay = _OVERLAY.search(whole)
    if overlay and (_HIDE_ALL.search(whole) or _COVER.search(whole)):
        url = _first_foreign_url(whole, site_host, d)
        if url:
            out.append(ScriptFinding("overlay-iframe", url, whole[max(0, overlay.start() - 200): overlay.end() + 300]))
    replaced = _page_replaced(whole)
    if replaced is not None:
        out.append(ScriptFinding("page-replaced", "document.write + window.stop()",
                                 whole[max(0, replaced - 200): replaced + 300]))
    for m in _WRITE_SCRIPT.finditer(script):
        arg = m.group(1)
        if re.search(r"<\s*(?:/\s*)?(?:script|iframe)", arg, re.I) or "\\x3c" in arg.lower():
            src = _SRC.search(_unbackslash(arg))
            if src and _foreign(src.group(1), site_host, d):
                out.append(ScriptFinding("written-script", src.group(1), arg[:300]))
                break
    return out


# -- hidden links --------------------------------------------------------------------------------
_HIDE_DECL = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|(?:^|;|\s)(?:left|top|margin-left|margin-top|text-indent)\s*:\s*-\s*\d{3,}"
    r"|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$|!)|(?:^|;|\s)(?:height|width)\s*:\s*[01](?:px)?\s*(?:;|$|!)[^{}]*overflow\s*:\s*hidden"
    r"|overflow\s*:\s*hidden[^{}]*(?:^|;|\s)(?:height|width)\s*:\s*[01](?:px)?\s*(?:;|$|!)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$|!)"
    r"|clip\s*:\s*rect\(\s*0", re.I)
_STYLE_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*[a-z0-9]*([.#])([A-Za-z0-9_-]+)\s*$", re.I)
_SCRIPT_HIDE = re.compile(
    r"""getElementById\(\s*["']([A-Za-z0-9_-]+)["']\s*\)\s*\.\s*style\s*\.\s*(?:display\s*=\s*["']none|visibility\s*=\s*["']hidden)"""
    r"""|\$\(\s*["']#([A-Za-z0-9_-]+)["']\s*\)\s*\.\s*hide\(""", re.I)
_COLOR = re.compile(r"(?:^|;|\s)color\s*:\s*([^;]+)", re.I)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*(#[0-9a-f]{3,6}|[a-z]+)\b", re.I)


@dataclass(frozen=True)
class HiddenLink:
    url: str
    text: str
    why: str        # the CSS or attribute that hides it
    container: str  # the hiding element, as a short tag description


def _hidden_rules(root) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """Classes and ids that <style> rules (simple selectors) or inline scripts hide."""
    classes, ids, why = _style_rules(tuple("".join(style.itertext()) for style in root.iter("style")))
    scripted: dict[str, str] = {}
    for script in root.iter("script"):
        for m in _SCRIPT_HIDE.finditer("".join(script.itertext())):
            i = m.group(1) or m.group(2)
            scripted["#" + i] = m.group(0)[:120]
    if not scripted:
        return classes, ids, why
    return classes, ids | {k[1:] for k in scripted}, {**why, **scripted}


@lru_cache(maxsize=64)
def _style_rules(styles: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    # Cached by the <style> texts: a site's template repeats them on every page, and reading their
    # rules was most of the dark-link check's time. (Scripts are not part of the key: a page's
    # inline scripts can be large and differ from page to page.) The dict is only read.
    classes: set[str] = set()
    ids: set[str] = set()
    why: dict[str, str] = {}
    for text in styles:
        css = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for m in _STYLE_RULE.finditer(css):
            decl = m.group(2)
            hide = _HIDE_DECL.search(decl)
            if not hide:
                continue
            for sel in m.group(1).split(","):
                s = _SIMPLE_SELECTOR.match(sel)
                if s:
                    (classes if s.group(1) == "." else ids).add(s.group(2))
                    why[s.group(1) + s.group(2)] = f"{sel.strip()} {{{hide.group(0).strip()}}}"
    return frozenset(classes), frozenset(ids), why


def _normal_color(value: str) -> str:
    v = value.strip().lower().replace(" ", "").replace("!important", "")
    names = {"white": "#ffffff", "#fff": "#ffffff", "black": "#000000", "#000": "#000000"}
    return names.get(v, v)


def _why_hidden(el, classes, ids, why) -> str | None:
    style = el.get("style") or ""
    m = _HIDE_DECL.search(style)
    if m:
        return f'style="{m.group(0).strip()}"'
    if el.get("hidden") is not None:
        return "hidden"
    if el.tag == "marquee":
        h, w = el.get("height", ""), el.get("width", "")
        if h.strip() in ("0", "1", "1px", "0px") or w.strip() in ("0", "1", "1px", "0px"):
            return f'<marquee height="{h}" width="{w}">'
    for c in (el.get("class") or "").split():
        if c in classes:
            return why.get("." + c, "." + c)
    i = el.get("id")
    if i and i in ids:
        return why.get("#" + i, "#" + i)
    return None


def _describe(el) -> str:
    out = f"<{el.tag}"
    for a in ("id", "class", "style"):
        if el.get(a):
            out += f' {a}="{el.get(a)[:60]}"'
    return out + ">"


def hidden_links(root, base_url: str) -> list[HiddenLink]:
    """<a href> elements a visitor cannot see: hidden themselves or inside a hidden element
    (inline style, hidden attribute, a tiny <marquee>, simple <style> class/id rules, a script
    that hides an element by id) or written in the colour of their container's background."""
    if root is None:
        return []
    classes, ids, why = _hidden_rules(root)
    hidden_at: dict[object, tuple[str, str] | None] = {}
    out: list[HiddenLink] = []

    def state(el):
        # Walk up to the nearest element already judged, then judge the path down (no recursion:
        # broken markup nests thousands of elements deep).
        path = []
        while el is not None and isinstance(el.tag, str) and el not in hidden_at:
            path.append(el)
            el = el.getparent()
        inherited = hidden_at.get(el) if el is not None else None
        for node in reversed(path):
            if inherited is None:
                w = _why_hidden(node, classes, ids, why)
                inherited = (w, _describe(node)) if w else None
            hidden_at[node] = inherited
        return inherited

    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        st = state(a)
        if st is None:
            st = _same_colour(a)
        if st is None:  # visible: most links, so judged before anything is resolved or joined
            continue
        url = resolve(base_url, href)
        if url:
            text = " ".join("".join(a.itertext()).split()) or (a.get("title") or "")
            out.append(HiddenLink(url, text[:120], st[0], st[1]))
    return out


def _same_colour(a) -> tuple[str, str] | None:
    m = _COLOR.search(a.get("style") or "")
    if not m:
        return None
    colour = _normal_color(m.group(1))
    el = a.getparent()
    while el is not None and isinstance(el.tag, str):
        bg = _BACKGROUND.search(el.get("style") or "")
        if bg:
            if _normal_color(bg.group(1)) == colour:
                return f"color:{colour} on background {colour}", _describe(el)
            return None
        el = el.getparent()
    return None


# -- 密级 stamps -----------------------------------------------------------------------------------
# A stamp is an element whose whole text is the marking (GB/T 9704: 密级★保密期限), or such a
# marking at the very start of the document body; the word 机密 in prose is not a stamp.
_STAMP = re.compile(r"^[（(]?\s*(绝密|机密|秘密)\s*[★☆*＊]\s*(?:\d{1,2}\s*(?:年|个月)|长期)?\s*[）)]?$")
_INTERNAL = re.compile(r"^[（(]?\s*(?:内部资料[，,、\s]*注意保存|内部文件[，,、\s]*注意保存|此件不公开|此件不得公开|此件不宜公开)\s*[）)]?$")
_STAMP_HINT = re.compile(r"[★☆*＊]|注意保存|不公开|不得公开|不宜公开")
_ID_NUMBER = re.compile(r"^\s*(?:份号\s*[:：]?\s*)?\d{6}\s*")


def page_stamps(page) -> list[str]:
    """stamps() of a crawled page. Its tree is parsed again only when its visible text (kept
    from the crawl, when not cut at MAX_TEXT) has one of the signs every stamp carries: most
    pages have none, and re-parsing every page was most of this check's time."""
    text = page.text
    if len(text) < MAX_TEXT and not _STAMP_HINT.search(text):
        return []
    return stamps(page.tree)


def stamps(root) -> list[str]:
    """密级 markings on a page: elements whose whole text is 绝密/机密/秘密★period or 内部资料 注意保存 / 此件不公开."""
    if root is None or not _STAMP_HINT.search("".join(root.itertext())):
        return []
    # The length of each element's whole text (what itertext() gives: comments' text left out,
    # tails kept), descendants first: only elements of at most 40 characters are read. Joining
    # every element's text from the top down cost the page's text times its depth.
    elements = list(root.iter())
    length: dict = {}
    for el in reversed(elements):
        if not isinstance(el.tag, str):
            continue
        n = len(el.text or "")
        for child in el:
            n += (length[child] if isinstance(child.tag, str) else 0) + len(child.tail or "")
        length[el] = n
    out: list[str] = []
    for el in elements:
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "title", "head", "textarea") \
                or length[el] > 40:
            continue
        own = "".join(el.itertext())
        text = unicodedata.normalize("NFKC", " ".join(own.split()))
        text = _ID_NUMBER.sub("", text).strip()
        if text and (_STAMP.match(text) or _INTERNAL.match(text)) and text not in out:
            out.append(text)
    return out


def text_stamps(text: str) -> list[str]:
    """密级 markings standing on a line of their own in extracted text (an attachment's first page)."""
    out: list[str] = []
    for line in (text or "").splitlines():
        t = unicodedata.normalize("NFKC", " ".join(line.split()))
        t = _ID_NUMBER.sub("", t).strip()
        if t and len(t) <= 40 and (_STAMP.match(t) or _INTERNAL.match(t)) and t not in out:
            out.append(t)
    return out


# -- 严重表述错误 --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Misstatement:
    kind: str      # leader | formulation
    wrong: str
    right: str
    sentence: str


def _one_off(a: str, b: str) -> bool:
    """Same length, exactly one character different (the rest compared as slices, in C)."""
    if len(a) != len(b):
        return False
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return a[i + 1:] == b[i + 1:]
    return False


_HAN = "[\u4e00-\u9fff]"


def _typo_at(term: str, i: int) -> str:
    """A regex for ``term`` with its character ``i`` replaced by another Chinese character."""
    return re.escape(term[:i]) + "(?!%s)%s" % (re.escape(term[i]), _HAN) + re.escape(term[i + 1:])


@lru_cache(maxsize=8)
def _near_miss_patterns(terms: tuple[str, ...]) -> list[tuple[re.Pattern, re.Pattern]]:
    """For each term, two regexes that find exactly its windows one Chinese character away:
    ``ahead`` (on the text) for a typo at the third character or later, ``behind`` (on the
    reversed text) for one in the first two. Each starts with a literal, so the regex engine
    jumps from one occurrence of that literal to the next in C, and a window that is the term
    itself, or more than one character off, is never handed to Python (this runs on every
    page's text). A match consumes only its literal: windows may overlap, as typos can."""
    out = []
    never = re.compile("(?!)")
    for term in terms:
        n, back = len(term), term[::-1]
        if not n:  # an empty term in a profile names no typo
            out.append((never, never))
            continue
        if n < 3:  # no literal to start from: one pattern, tried at every position
            any_typo = re.compile("(?=(?:%s))" % "|".join(_typo_at(term, i) for i in range(n)))
            out.append((any_typo, never))
            continue
        ahead = re.escape(term[:2]) + "(?=(?:%s))" % "|".join(_typo_at(term[2:], j) for j in range(n - 2))
        behind = re.escape(back[:n - 2]) + "(?=(?:%s))" % "|".join(_typo_at(back[n - 2:], i) for i in range(2))
        out.append((re.compile(ahead), re.compile(behind)))
    return out


def misstatements(text: str, d: dict) -> list[Misstatement]:
    """Misspelt leaders' names and organs, wrong fixed formulations (the data file's lists)."""
    out: list[Misstatement] = []
    if not text:
        return out
    leaders = d.get("leaders", {})
    known = set(leaders.get("known_names", ())) | {p["name"] for p in leaders.get("people", ())}
    seen: set[str] = set()

    def add(kind, wrong, right, start, end):
        if wrong in seen:
            return
        seen.add(wrong)
        out.append(Misstatement(kind, wrong, right, sentence_at(text, start, end)))

    for person in leaders.get("people", ()):
        name = person["name"]
        for w in person.get("wrong", ()):
            i = text.find(w) if w else -1  # add() keeps the first place a wrong name is written
            if i >= 0:
                add("leader", w, name, i, i + len(w))
        for title in person.get("titles", ()):
            if title not in text:  # both patterns need the title itself: skip the position-by-position search
                continue
            n = len(name)
            after = re.compile(r"(?<![副原前])(?=([\u4e00-\u9fff]{%d})%s)" % (n, re.escape(title)))
            before = re.compile(r"(?<![副原前])%s(?=([\u4e00-\u9fff]{%d}))" % (re.escape(title), n))
            for pat in (after, before):
                for m in pat.finditer(text):
                    cand = m.group(1)
                    start = m.start(1)
                    if cand in known or not _one_off(cand, name) or (n == 2 and cand[0] != name[0]):
                        continue
                    if any(text.startswith(k, start) or (start + n >= len(k) and text.startswith(k, start + n - len(k))) for k in known):
                        continue  # part of another leader's name (总理李克强)
                    add("leader", cand, name, start, start + n)
    forms = d.get("formulations", {})
    for w in forms.get("wrong", ()):
        i = text.find(w)
        if i >= 0:
            right = next((t for t in forms.get("near_miss", ()) if _one_off(t, w)), "")
            add("formulation", w, right, i, i + len(w))
    allowed = set(forms.get("allowed", ()))
    near = tuple(forms.get("near_miss", ()))
    backwards = text[::-1] if near else ""
    for term, (ahead, behind) in zip(near, _near_miss_patterns(near)):
        n = len(term)
        # Typos at the third character or later, found from the term's first two characters;
        # typos in the first two, found in the reversed text from the rest of the term.
        starts = [m.start() for m in ahead.finditer(text)]
        starts += sorted(len(text) - m.start() - n for m in behind.finditer(backwards))
        for s in starts:
            cand = text[s: s + n]
            if cand not in allowed:
                add("formulation", cand, term, s, s + n)
    return out


# -- which pages the re-fetching gatherers look at ------------------------------------------------
def sample_pages(snap, n: int) -> list:
    """The homepage and up to ``n`` other HTML pages the crawl read, nearest the homepage first
    (the pages a search engine shows most, and where injected code is put)."""
    home = snap.homepage
    out = [home] if home is not None and home.is_html and home.ok else []
    rest = sorted((p for p in snap.html_pages() if p is not home), key=lambda p: (p.depth, p.url))
    for p in rest:
        if len(out) > n:
            break
        if p.final_url not in {q.final_url for q in out}:
            out.append(p)
    return out


def control_of(page_rec: dict, snap) -> dict:
    """What a visitor gets (``cloaking`` facts): the direct browser request, else the crawl's copy."""
    direct = next((v for v in page_rec["variants"] if v["kind"] == "direct"), None)
    if direct and direct.get("status") and direct["status"] < 400 and not direct.get("error_kind"):
        return direct
    page = snap.page(page_rec["url"])
    return {"kind": "crawl", "status": page.status if page else None, "location": None,
            "title": page.title if page else "", "text": page.text if page else ""}


def script_sources(snap, facts: dict | None) -> list[tuple[str, str]]:
    """(url, script text): inline scripts of the pages the ``scripts`` gatherer sampled (``facts``,
    else the homepage), the homepage's same-site scripts the crawl kept, and the script files gathered."""
    out = []
    pages = [snap.page(u) for u in facts.get("pages", ())] if isinstance(facts, dict) else []
    pages = [p for p in pages if p is not None] or ([snap.homepage] if snap.homepage else [])
    for page in pages:
        f = page.static_facts or page.facts
        for s in f.inline_scripts if f else ():
            out.append((page.final_url, s))
    for src in snap.homepage_sources:
        out.append((src.url, src.text))
    if isinstance(facts, dict):
        for rec in facts.get("scripts", ()):
            if rec.get("text"):
                out.append((rec["url"], rec["text"]))
    return out
