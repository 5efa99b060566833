#!/usr/bin/env python3
"""Prove that auditor/parse.py and auditor/urls.py still extract the same facts.

Loads a reference copy of ``auditor/parse.py`` and ``auditor/urls.py`` from a git
revision (read-only ``git show``; default ``--ref be33c97``, the version before the
benchmark-driven optimisation) next to the working-tree modules, runs both over

  * every HTML page of a generated site (``--site``) and of the bundled demo site,
  * a corpus of awkward pages (base href, meta refresh, JS redirects, forms,
    frames, comments in text, broken markup, encoding declarations, …), and
  * a corpus of awkward hrefs resolved against several bases,

and compares every fact (title, lang, meta, links, text, footer text, scripts,
forms, headings, refresh target, whether a tree is kept) and every URL helper
(resolve, normalize, extension, is_attachment, is_asset, url_pattern,
looks_like_trap, origin_key, Scope). Exits 1 on the first differences (it prints
up to 10). It then times both versions over the site's pages: one thread, and
16 threads as the crawler runs them.

    python3 benchmarks/compare_facts.py --site benchmarks/site/n2000-s1
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

DEFAULT_REF = "be33c97"

EDGE_PAGES = [
    ("http://www.example.gov.cn/a/b/c.html",
     """<html lang="zh-CN"><head><base href="/x/y/"><title> 标题
     <!-- c --> 二 </title><meta name="Keywords" content=" k "><meta http-equiv="refresh" content="0; URL='../z.html'">
     <meta property="og:title" content="og"><meta NAME="keywords" content="dup"></head>
     <body><a href="p.html">相对</a><a href=" //cdn.example.com/x.js ">cdn</a><a href="?q=1#f">q</a>
     <a href="#top">top</a><a href="javascript:void(0)">js</a><a href="mailto:a@b.cn">m</a>
     <a href="HTTP://WWW.EXAMPLE.GOV.CN:80/%7Euser/./a/../b;jsessionid=123?b=2&a=1&utm_source=x">abs</a>
     <a href="/路径/文件.html">中文</a><a href="tel:123">t</a><a href=""></a><a href="data:text/html,x">d</a>
     <a href="x.html"><img src="i.png" alt="图片说明"></a><a href="y.html" title="标题属性"></a>
     <a href="z.html"><img src="i2.png" title="img title"></a><area href="/map.html" alt="区域">
     <link rel="Stylesheet canonical" href="/s.css"><link rel="dns-prefetch" href="//dns.example.com">
     <iframe src="/frame.html" title="框架"></iframe><frame src="f2.html"><embed src="/e.swf">
     <source src="/v.mp4"><input type="image" src="/btn.png" alt="按钮"><input type="IMAGE" src="/btn2.png">
     <form action="/search" method="POST"><input name="q" placeholder="搜索"><select id="s"></select>
     <textarea name="t"></textarea><input type="submit"></form><form><input name="x"></form>
     <script>var a = 1; window.location.href = "/moved.html";</script><script src="/a.js"></script>
     <style>.a{}</style><h1> 一级 <span>标题</span></h1><h2></h2><h3>三</h3>
     <div id="footer">主办单位：某某 <!-- comment --> 网站标识码 <?pi x?> 1234<script>document.write('x')</script></div>
     <div class="copyright"><div class="bottom">内层</div>外层</div><footer>页脚</footer>
     <template><p>模板</p></template><p>正文<b>加粗</b>尾巴</p>&nbsp;&#x4e2d;&amp;
     </body></html>"""),
    ("https://example.gov.cn/", "<?xml version='1.0' encoding='gbk'?><html><body><p>x</p></body></html>"),
    ("https://example.gov.cn/", ""),
    ("https://example.gov.cn/", "   "),
    ("https://example.gov.cn/", "just text, no markup <b>bold</b>"),
    ("https://example.gov.cn/", "<html><head><script>location.replace('https://other.gov.cn/')</script></head></html>"),
    ("https://example.gov.cn/d/", "<html><head><meta http-equiv='Refresh' content='5;url=index_1.html'></head>"
                                  "<body>跳转中<script>top.location='x.html'</script></body></html>"),
    ("http://127.0.0.1:8080/q?x=1", "<html><body><a href='../../../../up.html'>up</a><a href='./'>dot</a>"
                                    "<a href='.'>d</a><a href='..'>dd</a><a href='index.html?b=&a=2&sort=x'>s</a>"
                                    "<a href='http://[::1]:8080/v6'>v6</a><a href='http://例子.中国/'>idn</a>"
                                    "<a href='http://bad host/'>bad</a><a href='http://x.cn:99999/'>port</a>"
                                    "<a href='ftp://x.cn/'>ftp</a><a href='   '>blank</a></body></html>"),
    ("http://example.gov.cn/", "<html><body><p>" + "很长的正文。" * 20000 + "</p><div class=foot>f</div></body></html>"),
    ("http://example.gov.cn/", "<html><body><div class='site-info'>" + "x" * 5000 + "</div>"
                               "<div class='bq'>版权</div><div class='db'>底部</div></body></html>"),
    ("http://example.gov.cn/", "<html><body>" + "".join(f"<script>var s{i}='{'y' * 3000}';</script>" for i in range(10))
                               + "</body></html>"),
    ("http://example.gov.cn/", "<html><body><body><p>二重</p></body><p>after</p></html>"),
    ("http://example.gov.cn/", "<HTML><BODY><A HREF='/UP.HTML'>UP</A><IMG SRC='x.JPG' ALT='大写'></BODY></HTML>"),
    ("http://example.gov.cn/a", "<html><body><a href='b' rel='Nofollow'>rel</a><a href='c'>  多个   空白\n\t </a></body></html>"),
]

EDGE_HREFS = [
    "", " ", "#", "#x", "?", "?a=1", "?b=2&a=1", "./", ".", "..", "../", "../../..", "/", "//", "///x",
    "//example.gov.cn", "//example.gov.cn:8080/a", "a", "a/b/../c", "a/./b", "a//b", "/a%2Fb", "/%E4%B8%AD",
    "/中文/路径.html", "index.html;jsessionid=ABC", "x?jsessionid=1&phpsessid=2&sid=3&keep=4",
    "x?utm_source=a&spm=1&_=2&timestamp=3&rnd=4&random=5&q=6", "x?sort=a&order=b&orderby=c&q=1",
    "x?a=1&a=2&b=", "x?a=%20b&c=d+e", "x#frag?notquery", "HTTP://EXAMPLE.GOV.CN/A", "https://example.gov.cn:443/",
    "http://example.gov.cn:80/", "http://example.gov.cn:8080/", "https://example.gov.cn./", "http://例子.中国/x",
    "http://[::1]/", "http://[::1]:8080/", "http://user:pw@example.gov.cn/", "http://exa mple.gov.cn/",
    "http://example.gov.cn:abc/", "javascript:;", "JavaScript:void(0)", "mailto:x@y", "tel:1", "data:x",
    "about:blank", "sms:1", "ftp://x", "file:///etc/passwd", "ws://x", "\thttp://example.gov.cn/t\n",
    "a.pdf", "a.PDF", "a.docx?x=1", "a.jpg", "a.JS", "a.tar.gz", "dir.d/", "x" * 3000, "/a/" + "b/" * 20,
    "/a/b/a/b/a/b/a/b", "/art/2024/3/15/art_1234_5678.html", "index_12.html", "t20240315_1234567.html",
    "http://other.gov.cn/x", "https://www.example.gov.cn/x", "http://example.gov.cn.invalid/",
]
EDGE_BASES = [
    "http://example.gov.cn/", "http://example.gov.cn/a/b/c.html", "http://example.gov.cn/a/b/",
    "http://example.gov.cn/a/b/c.html?x=1#f", "https://www.example.gov.cn:8443/a", "http://127.0.0.1:8080/q?x=1",
    "http://example.gov.cn", "http://example.gov.cn/a/b/c.html?x=/y/z",
]


def load_reference(rev: str):
    """The revision's auditor/parse.py and urls.py as the package ``_ref_auditor``."""
    tmp = Path(tempfile.mkdtemp(prefix="ref-auditor-"))
    pkg = tmp / "_ref_auditor"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", "utf-8")
    for name in ("parse.py", "urls.py"):
        src = subprocess.run(["git", "show", f"{rev}:auditor/{name}"], cwd=ROOT, capture_output=True,
                             text=True)
        if src.returncode != 0:
            raise SystemExit(f"cannot read auditor/{name} at {rev}: {src.stderr.strip()}")
        (pkg / name).write_text(src.stdout, "utf-8")
    sys.path.insert(0, str(tmp))
    return importlib.import_module("_ref_auditor.parse"), importlib.import_module("_ref_auditor.urls")


def plain(page) -> dict:
    d = {}
    for f in dataclasses.fields(page):
        v = getattr(page, f.name)
        if f.name == "tree":
            d["tree"] = None if v is None else (type(v).__name__, v.tag, len(list(v.iter())))
        elif f.name in ("links", "forms"):
            d[f.name] = [dataclasses.astuple(x) for x in v]
        else:
            d[f.name] = v
    return d


def site_pages(site: Path) -> list[tuple[str, str]]:
    out = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        out.append((f"http://127.0.0.1:8080/{rel}", f.read_text("utf-8")))
    return out


def demo_pages() -> list[tuple[str, str]]:
    """The bundled demo site (hand-made defects, GBK pages …), decoded as the crawler does."""
    from auditor.network.decode import decode_html

    demo = ROOT / "auditor" / "demo" / "site"
    out = []
    for f in sorted(demo.rglob("*.htm*")) if demo.is_dir() else ():
        rel = f.relative_to(demo).as_posix()
        out.append((f"http://127.0.0.1:8000/{rel}", decode_html(f.read_bytes(), None)[0]))
    return out


def compare(ref_parse, ref_urls, pages, problems: list[str]) -> None:
    from auditor.crawl import parse as new_parse
    from auditor.network import urls as new_urls

    for url, text in pages:
        for keep in (False, True):
            a = plain(ref_parse.extract(text, url, keep_tree=keep))
            b = plain(new_parse.extract(text, url, keep_tree=keep))
            if a != b:
                diff = [k for k in a if a[k] != b[k]]
                problems.append(f"facts differ for {url} (keep_tree={keep}) in {diff}: "
                                + "; ".join(f"{k}: {str(a[k])[:200]!r} != {str(b[k])[:200]!r}" for k in diff[:2]))
        for link in ref_parse.extract(text, url).links:
            _compare_url(ref_urls, new_urls, link.url, problems)
    for base in EDGE_BASES:
        for href in EDGE_HREFS:
            a, b = ref_urls.resolve(base, href), new_urls.resolve(base, href)
            if a != b:
                problems.append(f"resolve({base!r}, {href!r}): {a!r} != {b!r}")
            for u in (href, base):
                _compare_url(ref_urls, new_urls, u, problems)
    for start in EDGE_BASES:
        norm = ref_urls.normalize(start)
        if not norm:
            continue
        sa, sb = ref_urls.Scope(norm, ("cdn.example.com",), 3), new_urls.Scope(norm, ("cdn.example.com",), 3)
        for href in EDGE_HREFS * 2:
            u = ref_urls.resolve(start, href)
            if u is None:
                continue
            ra = (sa.in_scope(u), sa.admit(u))
            rb = (sb.in_scope(u), sb.admit(u))
            if ra != rb:
                problems.append(f"Scope({norm}) on {u}: {ra} != {rb}")
        if sa.trapped != sb.trapped:
            problems.append(f"Scope({norm}).trapped: {sa.trapped} != {sb.trapped}")


_URL_FUNCS = ("normalize", "extension", "is_attachment", "is_asset", "url_pattern", "looks_like_trap",
              "origin_key", "host_of")


def _compare_url(ref_urls, new_urls, url: str, problems: list[str]) -> None:
    for name in _URL_FUNCS:
        try:
            a = getattr(ref_urls, name)(url)
        except Exception as exc:  # noqa: BLE001
            a = ("raises", type(exc).__name__)
        try:
            b = getattr(new_urls, name)(url)
        except Exception as exc:  # noqa: BLE001
            b = ("raises", type(exc).__name__)
        if a != b:
            problems.append(f"{name}({url!r}): {a!r} != {b!r}")


def timing(label: str, parse_mod, urls_mod, pages, threads: int) -> float:
    for fn in (getattr(urls_mod, "_join", None), urls_mod.normalize):
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()
    clear = getattr(urls_mod, "clear_caches", None)
    if clear:
        clear()
    t0 = time.perf_counter()
    if threads == 1:
        for url, text in pages:
            parse_mod.extract(text, url)
    else:
        with ThreadPoolExecutor(threads) as ex:
            list(ex.map(lambda p: parse_mod.extract(p[1], p[0]), pages))
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--site", default=str(HERE / "site" / "n2000-s1"))
    p.add_argument("--ref", default=DEFAULT_REF, help=f"git revision of the reference (default {DEFAULT_REF})")
    p.add_argument("--limit", type=int, default=0, help="compare only the first N site pages")
    p.add_argument("--threads", type=int, default=16)
    p.add_argument("--rounds", type=int, default=3, help="timing rounds; the best is shown")
    p.add_argument("--no-timing", action="store_true")
    args = p.parse_args(argv)

    ref_parse, ref_urls = load_reference(args.ref)
    site = Path(args.site)
    if not (site / "site.json").exists():
        raise SystemExit(f"no generated site at {site} (python3 benchmarks/generate_site.py --pages 2000)")
    pages = site_pages(site)
    if args.limit:
        pages = pages[: args.limit]
    problems: list[str] = []
    demo = demo_pages()
    compare(ref_parse, ref_urls, EDGE_PAGES + demo + pages, problems)
    if problems:
        print(f"DIFFERENT: {len(problems)} differences; the first ones:")
        for line in problems[:10]:
            print("  " + line)
        return 1
    print(f"SAME: facts of {len(pages)} site pages, {len(demo)} demo-site pages and {len(EDGE_PAGES)} edge-case pages, and "
          f"{len(EDGE_HREFS) * len(EDGE_BASES)} edge-case hrefs, are identical to {args.ref}")
    if args.no_timing:
        return 0
    from auditor.crawl import parse as new_parse
    from auditor.network import urls as new_urls

    for threads in (1, args.threads):
        ref_t = min(timing("ref", ref_parse, ref_urls, pages, threads) for _ in range(args.rounds))
        new_t = min(timing("new", new_parse, new_urls, pages, threads) for _ in range(args.rounds))
        print(f"extract() over {len(pages)} pages, {threads:2d} thread(s), cold URL caches: "
              f"{args.ref} {ref_t:.2f} s ({1000 * ref_t / len(pages):.2f} ms/page), "
              f"now {new_t:.2f} s ({1000 * new_t / len(pages):.2f} ms/page), x{ref_t / new_t:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
