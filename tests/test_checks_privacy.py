"""privacy.personal-data against real loopback sites; full numbers must never reach the outputs."""
from __future__ import annotations

from datetime import date

import pytest

from servers import page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
AS_OF = date(2026, 11, 20)


def id_number(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


GOOD_ID = id_number("11010519850612301")       # valid check digit, birth 1985-06-12, 北京
X_ID = next(x for x in (id_number(f"44030419920101{i:03d}") for i in range(1000)) if x.endswith("X"))
BAD_CHECK = GOOD_ID[:17] + str((int(GOOD_ID[17]) + 1) % 10 if GOOD_ID[17] != "X" else 0)
MOBILE = "13912345678"


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def outputs_text(out) -> str:
    return "".join(p.read_text("utf-8", "replace") for p in out.paths.values() if p.is_file())


def site(article_body: str, title: str = "公示", footer: str = "") -> dict:
    foot = f'<div class="footer">{footer}</div>' if footer else ""
    return {
        "/": page("示例市人民政府", FILL + '<a href="/gs/1.html">公示</a><a href="/gs/2.html">通知</a>' + foot),
        "/gs/1.html": page(title, f"<h1>{title}</h1>" + article_body + foot),
        "/gs/2.html": page("通知", "<h1>通知</h1>" + FILL + foot),
    }


def test_valid_id_number_in_a_table_fails_and_is_masked_everywhere(audit_site):
    table = (f"<table><tr><th>姓名</th><th>身份证号码</th><th>手机</th></tr>"
             f"<tr><td>张三</td><td>{GOOD_ID}</td><td>{MOBILE}</td></tr>"
             f"<tr><td>李四</td><td>{X_ID}</td><td>137****5678</td></tr></table>")
    out = audit_site(site(table, "拟聘用人员公示"), only=["privacy.personal-data"], as_of=AS_OF)
    r = result(out, "privacy.personal-data")
    assert r["status"] == "fail", r["summary"]
    assert r["details"]["id_numbers"] == 2 and r["details"]["mobile_numbers"] == 1
    masked = GOOD_ID[:6] + "********" + GOOD_ID[-4:]
    assert any(masked in e["excerpt"] and e["url"].endswith("/gs/1.html") for e in r["evidence"])
    assert any("139****5678" in e["excerpt"] for e in r["evidence"])
    text = outputs_text(out)
    assert out.paths and GOOD_ID not in text and X_ID not in text and MOBILE not in text
    assert GOOD_ID not in str(out.report) and MOBILE not in str(out.report)


def test_only_mobile_numbers_warn(audit_site):
    body = f"<p>申请人王五（{MOBILE}）反映的问题已转交有关部门办理。</p>" + FILL
    r = result(audit_site(site(body, "留言回复"), only=["privacy.personal-data"], as_of=AS_OF), "privacy.personal-data")
    assert r["status"] == "warn", r["summary"]
    assert r["evidence"][0]["excerpt"].startswith("139****5678")
    # A list under a 联系电话 column header is a leak: the row's number and name come between.
    table = "<table><tr><th>序号</th><th>姓名</th><th>联系电话</th></tr><tr><td>1</td><td>张三</td><td>13600001111</td></tr></table>"
    r = result(audit_site(site(table + FILL, "补贴发放名单"), only=["privacy.personal-data"], as_of=AS_OF),
               "privacy.personal-data")
    assert r["status"] == "warn", r["summary"]
    assert r["details"]["mobile_pages"][0]["numbers"] == ["136****1111"]


def test_masked_invalid_and_non_personal_numbers_pass(audit_site):
    body = ("<p>身份证号：110105********3012，手机：139****5678。</p>"
            f"<p>编号：{BAD_CHECK}（校验位不符）；出生日期不存在：{id_number('11010519851332301')}。</p>"
            f"<p>统一社会信用代码：{id_number('11010519850612301')}</p>"
            "<p>联系电话：0531-12345678；咨询电话：13800001111；联系人：王科长，13800002222；"
            "联系人：李科长，手机：13800003333。</p>"
            "<p>订单 139123456789012；银行卡 6222021234567890123；时间戳 1700000000000。</p>" + FILL)
    r = result(audit_site(site(body, "通知"), only=["privacy.personal-data"], as_of=AS_OF), "privacy.personal-data")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["contact_numbers_skipped"] == 3


def test_published_footer_mobile_is_not_a_leak(audit_site):
    footer = "值班手机 13700001234"  # not after a contact label, but on every page's footer
    r = result(audit_site(site(FILL, "通知", footer=footer), only=["privacy.personal-data"], as_of=AS_OF),
               "privacy.personal-data")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["published_mobiles_skipped"] == ["137****1234"]


def test_exempt_context_and_profile_override(audit_site, tmp_path):
    table = f"<table><tr><td>赵六</td><td>{GOOD_ID}</td></tr></table>"
    routes = site(table, "失信被执行人名单公示")
    r = result(audit_site(routes, only=["privacy.personal-data"], as_of=AS_OF), "privacy.personal-data")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["exempt"] == {"失信被执行人": 1}
    prof = tmp_path / "p.toml"
    prof.write_text('extends = "city"\n[keywords]\nprivacy_exempt_contexts = []\n', "utf-8")
    r = result(audit_site(routes, only=["privacy.personal-data"], as_of=AS_OF, profile=str(prof)),
               "privacy.personal-data")
    assert r["status"] == "fail", r["summary"]


def test_full_width_digits_and_jcms_records(audit_site):
    wide = GOOD_ID.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    body = f"<p>身份证：{wide}</p>" + FILL
    r = result(audit_site(site(body), only=["privacy.personal-data"], as_of=AS_OF), "privacy.personal-data")
    assert r["status"] == "fail", r["summary"]
    record = ('<script type="text/xml"><datastore><recordset>'
              f'<record><![CDATA[<li><a href="/gs/3.html">补贴名单</a> 钱七 {GOOD_ID}</li>]]></record>'
              "</recordset></datastore></script>")
    r = result(audit_site(site(record + FILL), only=["privacy.personal-data"], as_of=AS_OF), "privacy.personal-data")
    assert r["status"] == "fail", r["summary"]


def test_no_page_text_is_unknown(audit_site):
    r = result(audit_site({"/": page("示例市人民政府", "")}, only=["privacy.personal-data"], as_of=AS_OF),
               "privacy.personal-data")
    assert r["status"] == "unknown", r["summary"]


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    from auditor.operations.audit import AuditConfig, run_audit
    from auditor.crawl.crawler import CrawlOptions
    from auditor.demo import DemoServer

    with DemoServer() as server:
        config = AuditConfig(crawl=CrawlOptions(rate=200), profile="city", as_of=server.as_of,
                             only=["privacy.personal-data"])
        yield run_audit(server.url, config, tmp_path_factory.mktemp("demo"))


def test_demo_leak_found_and_masked(demo_out):
    r = result(demo_out, "privacy.personal-data")
    assert r["status"] == "fail", r["summary"]
    assert [p["url"].split("/", 3)[3] for p in r["details"]["id_pages"]] == ["xxgk/rsxx/202506/t20250601_4103.html"]
    assert r["details"]["id_pages"][0]["numbers"] == ["370102********2310"]
    assert r["details"]["mobile_pages"][0]["numbers"] == ["138****2468"]
    text = outputs_text(demo_out)
    assert "370102199003072310" not in text and "13805312468" not in text
    assert "370102********2310" in text
