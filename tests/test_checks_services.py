"""services.guides, services.guide-elements, services.flowchart against real loopback servers
(TRS tables, headings, Hanweb divs, dl/dt/dd, a GBK page) and on the bundled demo site."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest

from servers import Response, page

AS_OF = date(2026, 11, 20)
IDS = ["services.guides", "services.guide-elements", "services.flowchart"]
FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
NAV = ('<div class="nav"><a href="/">首页</a> <a href="/bsfw/">办事服务</a> <a href="/xxgk/">政府信息公开</a></div>')

COMPLETE = [
    ("事项名称", "食品经营许可（新办）"),
    ("设定依据", "《中华人民共和国食品安全法》第三十五条"),
    ("申请条件", "具有与经营的食品品种、数量相适应的场所和设备。"),
    ("申请材料", "1.食品经营许可申请书；2.营业执照复印件。"),
    ("办理流程", "申请 → 受理 → 审查 → 决定 → 送达。"),
    ("办理时限", "10个工作日"),
    ("收费标准", "不收费。"),
    ("办理地点", "市政务服务中心二楼B12窗口"),
    ("实施机关", "示例市行政审批服务局"),
    ("办公时间", "周一至周五 9:00—17:00"),
    ("咨询电话", "0531-12345601"),
]
INCOMPLETE = [("事项名称", "社会团体成立登记"), ("申请条件", "有50个以上的个人会员。"), ("申请材料", "1.登记申请书。"),
              ("办理时限", "60日")]


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def results(out):
    return {cid: result(out, cid) for cid in IDS}


def guide_table(name, elements, chart=""):
    rows = "".join(f"<tr><th>{h}</th><td>{v}{chart if h == '办理流程' else ''}</td></tr>" for h, v in elements)
    return page(f"{name}办事指南_示例市", NAV + f'<div class="position">当前位置：首页 &gt; 办事服务 &gt; 办事指南</div>'
                f'<h1>{name}办事指南</h1><table class="bszn">{rows}</table>')


def guide_trs_td(name, elements, chart=""):
    """TRS: label in the first <td>, four cells a row."""
    cells = [f"<td>{h}</td><td>{v}{chart if h == '办理流程' else ''}</td>" for h, v in elements]
    rows = "".join("<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2))
    return page(f"{name}_服务指南", NAV + f"<h1>{name}</h1><table border='1'>{rows}</table>",
                head='<meta name="ColumnName" content="服务指南">')


def guide_headings(name, elements, chart=""):
    numerals = "一二三四五六七八九十"
    parts = []
    for i, (h, v) in enumerate(elements):
        label = numerals[i] if i < 10 else "十" + numerals[i - 10]
        parts.append(f"<h3>{label}、{h}</h3><p>{v}</p>" + (chart if h == "办理流程" else ""))
    return page(f"{name}办事指南", NAV + f"<h1>{name}办事指南</h1>" + "".join(parts))


def guide_hanweb(name, elements, chart=""):
    items = "".join(f'<div class="bs-item"><div class="tit">{h}</div><div class="con">{v}'
                    f'{chart if h == "办理流程" else ""}</div></div>' for h, v in elements)
    return page(name, NAV + f'<div class="bszn-detail"><h2>{name}</h2>{items}</div>')


def guide_dl(name, elements, chart=""):
    items = "".join(f"<dt>{h}</dt><dd>{v}{chart if h == '办理流程' else ''}</dd>" for h, v in elements)
    return page(f"{name}_办事指南", NAV + f"<h1>{name}</h1><dl>{items}</dl>")


def site(guides: dict[str, str], column_extra: str = "", home_extra: str = "") -> dict:
    links = "".join(f'<li><a href="{path}">{name}</a></li>' for path, name in
                    ((p, f"事项{i}") for i, p in enumerate(guides, 1)))
    routes = {"/": page("示例市人民政府", NAV + FILL + home_extra),
              "/bsfw/": page("办事服务_示例市人民政府", NAV + '<div class="position">当前位置：首页 &gt; 办事服务</div>'
                             f"<h2>办事指南</h2><ul>{links}</ul>{column_extra}")}
    routes.update(guides)
    return routes


def run(audit_site, routes, **kw):
    return audit_site(routes, only=IDS, as_of=AS_OF, **kw)


# -- pass -----------------------------------------------------------------------------------
def test_complete_guides_in_varied_markup_pass(audit_site):
    gbk = guide_table("城镇污水排入排水管网许可", COMPLETE, '<img src="/img/a.png" alt="办理流程图">')
    gbk = gbk.replace('<meta charset="utf-8">', '<meta charset="gbk">')
    guides = {
        "/bsfw/1.html": guide_table("食品经营许可", COMPLETE, '<br><img src="/img/lct1.png" alt="办理流程图">'),
        "/bsfw/2.html": guide_headings("建设工程消防验收", COMPLETE, '<p><img src="/img/p2.png"></p>'),
        "/bsfw/3.html": guide_hanweb("公共场所卫生许可", COMPLETE, ' <a href="/files/流程图.pdf">办理流程图下载</a>'),
        "/bsfw/4.html": guide_dl("临时占用城市道路审批", COMPLETE, '<img src="/upload/lct_4.jpg">'),
        "/bsfw/5.html": guide_trs_td("排水许可", COMPLETE, '<img src="/img/liuchengtu5.gif" alt="">'),
        "/bsfw/6.html": Response(gbk.encode("gbk"), content_type="text/html"),
    }
    routes = site(guides, home_extra='<a href="/xxgk/zn.html">政府信息公开指南</a>')
    routes["/xxgk/zn.html"] = page("政府信息公开指南", NAV + "<h1>政府信息公开指南</h1><p>办公地址：市府路1号</p>"
                                   "<p>办公时间：工作日</p><p>联系电话：0531-1</p><p>申请条件：无</p><p>申请材料：申请表</p>")
    for path in ("/img/lct1.png", "/img/p2.png", "/files/" + quote("流程图.pdf"), "/upload/lct_4.jpg", "/img/liuchengtu5.gif",
                 "/img/a.png"):
        routes[path] = Response(b"\x89PNG....", content_type="image/png")
    r = results(run(audit_site, routes))
    assert r["services.guides"]["status"] == "pass", r["services.guides"]["summary"]
    assert r["services.guides"]["details"]["guides"] == 6  # the 信息公开指南 is not a service guide
    assert r["services.guides"]["details"]["listing_pages"][0].endswith("/bsfw/")
    assert r["services.guide-elements"]["status"] == "pass", r["services.guide-elements"]["evidence"]
    assert r["services.flowchart"]["status"] == "pass", r["services.flowchart"]["evidence"]
    assert r["services.flowchart"]["details"]["with_flowchart"] == 6


# -- services.guide-elements -------------------------------------------------------------------
def test_five_incomplete_guides_are_a_veto(audit_site):
    guides = {f"/bsfw/{i}.html": guide_table(f"事项{i}", INCOMPLETE) for i in range(1, 6)}
    guides["/bsfw/9.html"] = guide_table("食品经营许可", COMPLETE)
    r = results(run(audit_site, site(guides)))
    el = r["services.guide-elements"]
    assert el["status"] == "fail", el["summary"]
    assert el["details"]["missing_4_or_more"] == 5 and el["details"]["guides"] == 6
    assert "单项否决" in el["summary"]["zh"]
    assert any("设定依据" in e["excerpt"] and e["url"].endswith("/bsfw/1.html") for e in el["evidence"])
    assert r["services.flowchart"]["status"] == "fail"  # 6 guides, none with a flowchart


def test_fewer_than_five_guides_all_incomplete_is_a_veto(audit_site):
    guides = {"/bsfw/1.html": guide_headings("事项一", INCOMPLETE), "/bsfw/2.html": guide_dl("事项二", INCOMPLETE)}
    el = results(run(audit_site, site(guides)))["services.guide-elements"]
    assert el["status"] == "fail", el["summary"]
    assert "不足" in el["summary"]["zh"]


def test_some_elements_blank_warns_and_no_fee_counts(audit_site):
    partial = [(h, "—" if h == "办公时间" else v) for h, v in COMPLETE if h != "咨询电话"]
    no_fee = [(h, "无" if h == "收费标准" else v) for h, v in COMPLETE]
    guides = {"/bsfw/1.html": guide_table("事项一", partial), "/bsfw/2.html": guide_table("事项二", no_fee),
              "/bsfw/3.html": guide_table("事项三", COMPLETE)}
    el = results(run(audit_site, site(guides)))["services.guide-elements"]
    assert el["status"] == "warn", el["summary"]
    assert el["details"]["missing_1_to_3"] == 1 and el["details"]["complete"] == 2
    row = next(g for g in el["details"]["per_guide"] if g["url"].endswith("/1.html"))
    assert set(row["missing"]) == {"办理时间", "联系电话"} and row["empty"] == ["办理时间"]


# -- fail / unknown / na -------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["<p>暂无办事指南信息。本栏目正在建设中，敬请期待。</p>" * 3, "<p>暂无办事指南信息。</p>"])
def test_column_without_guides_fails(audit_site, text):
    r = results(run(audit_site, site({}, column_extra=text)))  # a short page that says it is empty is read
    assert r["services.guides"]["status"] == "fail", r["services.guides"]["summary"]
    assert r["services.guides"]["evidence"][0]["url"].endswith("/bsfw/")
    assert r["services.guide-elements"]["status"] == "na"
    assert r["services.flowchart"]["status"] == "na"


def test_no_column_is_unknown(audit_site):
    routes = {"/": page("示例市人民政府", '<a href="/xwzx/">新闻中心</a>' + FILL),
              "/xwzx/": page("新闻中心", "<p>" + "新闻" * 100 + "</p>")}
    r = results(run(audit_site, routes))
    assert r["services.guides"]["status"] == "unknown", r["services.guides"]["summary"]
    assert "services" in r["services.guides"]["summary"]["zh"]  # says how to name it in the profile
    assert r["services.guide-elements"]["status"] == "unknown"
    assert r["services.flowchart"]["status"] == "na"


def test_column_on_an_external_platform_is_unknown(audit_site):
    routes = {"/": page("示例市人民政府", '<a href="http://127.0.0.2:1/zwfw/">办事服务</a>' + FILL)}
    r = results(run(audit_site, routes))
    assert r["services.guides"]["status"] == "unknown", r["services.guides"]["summary"]
    assert "127.0.0.2" in r["services.guides"]["summary"]["zh"]


def test_department_without_external_services_is_na(audit_site, tmp_path):
    prof = tmp_path / "dept.toml"
    prof.write_text('extends = "ministry"\n[services]\nexternal_services = false\n', "utf-8")
    r = results(run(audit_site, site({}), profile=str(prof)))
    assert {cid: x["status"] for cid, x in r.items()} == {cid: "na" for cid in IDS}


def test_broken_flowchart_does_not_count(audit_site):
    guides = {f"/bsfw/{i}.html": guide_table(f"事项{i}", COMPLETE) for i in (1, 2)}
    guides["/bsfw/3.html"] = guide_table("事项3", COMPLETE, '<img src="/img/missing-lct.png" alt="办理流程图">')
    # Images on inner pages are only link-checked to the depth asked for.
    fc = results(run(audit_site, site(guides), link_check_depth=2))["services.flowchart"]
    assert fc["status"] == "fail", fc["summary"]
    assert fc["details"]["broken"] == 1
    assert any("无法打开" in e["excerpt"] for e in fc["evidence"])


# -- the bundled demo site ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=500), profile="city", only=IDS, as_of=server.as_of)
        out = run_audit(server.url, config, None)
    return {c["id"]: c for c in out.report["checks"]}


def test_demo_guides(demo):
    r = demo["services.guides"]
    assert r["status"] == "pass" and r["details"]["guides"] == 6


def test_demo_guide_elements(demo):
    r = demo["services.guide-elements"]
    assert r["status"] == "warn", r["summary"]  # 3 incomplete guides: below the veto's 5
    assert r["details"]["missing_4_or_more"] == 3 and r["details"]["complete"] == 3
    assert {e["url"].rsplit("_", 1)[-1] for e in r["evidence"]} == {"3004.html", "3005.html", "3006.html"}


def test_demo_flowchart(demo):
    r = demo["services.flowchart"]
    assert r["status"] == "warn", r["summary"]
    assert (r["details"]["with_flowchart"], r["details"]["guides"]) == (3, 6)


def test_guide_with_a_related_guides_box_is_still_a_guide(audit_site):
    related = '<div class="xgsx"><h4>相关事项</h4><ul>' + "".join(
        f'<li><a href="/bsfw/{i}.html">相关事项{i}</a></li>' for i in (2, 3, 4)) + "</ul></div>"
    guides = {f"/bsfw/{i}.html": guide_table(f"事项{i}", COMPLETE) for i in (2, 3, 4)}
    guides["/bsfw/1.html"] = guide_table("事项1", COMPLETE).replace("</body>", related + "</body>")
    r = results(run(audit_site, site(guides)))
    assert r["services.guides"]["details"]["guides"] == 4, r["services.guides"]["summary"]


def test_column_linking_items_to_an_external_platform_is_unknown_not_fail(audit_site):
    items = "".join(f'<li><a href="http://127.0.0.2:1/zwfw/item{i}">事项{i}办事指南</a></li>' for i in range(3))
    routes = site({}, column_extra=f"<ul>{items}</ul>" + "<p>以下事项请到政务服务网办理。</p>" * 5)
    r = results(run(audit_site, routes))
    assert r["services.guides"]["status"] == "unknown", r["services.guides"]["summary"]
    assert r["services.guide-elements"]["status"] == "unknown"


def test_guide_labels_are_found_where_a_label_stands():
    """labels_in: a synonym is a label at the start of the text or after a delimiter, followed by
    a colon, a space, a closing bracket or the end — the same labels the earlier lookbehind
    regex found, consecutive bracketed labels included."""
    import re

    from auditor.views.guides import GuideSettings, label_regex, labels_in

    patterns, syn = label_regex(GuideSettings().elements_table)
    alt = "|".join(re.escape(s) for s in sorted(syn, key=len, reverse=True))
    lookbehind = re.compile(rf"(?:^|(?<=[\s、.．)）】\]【\[「]))({alt})(?=\s*[:：]|[\s】\]」]|$)")
    texts = ["申请条件：有住所 办理时限 5个工作日",
             "【申请条件】【办理时间】【收费标准】",
             "四、申请条件 有住所。五、办理地点：市民中心",
             "本事项的申请条件是有住所",          # inside prose: no label
             "收费标准",                           # the whole text
             "「办理时限」 「申请材料」",
             "一.申请材料：身份证 (办理时限) 3日"]
    for text in texts:
        assert labels_in(text, patterns) == set(lookbehind.findall(text)), text
    assert labels_in(texts[1], patterns) == {"申请条件", "办理时间", "收费标准"}
    assert labels_in(texts[3], patterns) == set()
