"""interaction.zhaocuo against real loopback servers."""
from __future__ import annotations

from servers import Response, page

FILL = "<p>" + "本站发布本市政务信息、政策文件和办事服务指南。" * 20 + "</p>"
JIUCUO = '<script id="_jiucuo_" sitecode="3702000001" charset="utf-8" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'


def result(out, cid):
    return next(c for c in out.report["checks"] if c["id"] == cid)


def test_jiucuo_script_in_page(audit_site):
    out = audit_site({"/": page("示例市人民政府", FILL + f'<div class="footer">{JIUCUO}</div>')}, only=["interaction.zhaocuo"])
    r = result(out, "interaction.zhaocuo")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["sitecode"] == "3702000001"


def test_jiucuo_written_by_included_script(audit_site):
    script = ("document.write('<div class=\"foot\">主办单位：示例市人民政府办公室</div>');\n"
              "document.write('<script id=\\\"_jiucuo_\\\" sitecode=\\\"3702000001\\\" "
              "src=\\\"https://zfwzgl.www.gov.cn/exposure/jiucuo.js\\\"><\\/script>');")
    out = audit_site({"/": page("示例市人民政府", FILL + '<script src="/js/footer.js"></script>'),
                      "/js/footer.js": Response(script, content_type="application/javascript")},
                     only=["interaction.zhaocuo"])
    r = result(out, "interaction.zhaocuo")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["sitecode"] == "3702000001"
    assert "脚本" in r["summary"]["zh"]


def test_legacy_link_with_image_alt(audit_site):
    body = FILL + '<a href="http://www.gov.cn/c125533/jbxxk.htm"><img src="/img/zc.png" alt="我为政府网站找错"></a>'
    out = audit_site({"/": page("示例市人民政府", body)}, only=["interaction.zhaocuo"])
    assert result(out, "interaction.zhaocuo")["status"] == "pass"


def test_missing_or_commented_out_fails(audit_site):
    out = audit_site({"/": page("示例市人民政府", FILL + '<div class="footer">主办单位：示例市人民政府办公室</div>')},
                     only=["interaction.zhaocuo"])
    r = result(out, "interaction.zhaocuo")
    assert r["status"] == "fail"
    assert r["remediation"] is not None
    out = audit_site({"/": page("示例市人民政府", FILL + f"<!-- {JIUCUO} -->")}, only=["interaction.zhaocuo"])
    r = result(out, "interaction.zhaocuo")
    assert r["status"] == "fail"
    assert "注释" in r["summary"]["zh"]


def test_thin_page_is_unknown(audit_site):
    out = audit_site({"/": page("示例市人民政府", "<div id='app'></div>")}, only=["interaction.zhaocuo"])
    assert result(out, "interaction.zhaocuo")["status"] == "unknown"


def test_jiucuo_percent_escaped_in_inline_script(audit_site):
    inline = ('<script>document.write(unescape("%3Cscript id%3D%22_jiucuo_%22 sitecode%3D%22bm07000001%22 '
              'src%3D%22https://zfwzgl.www.gov.cn/exposure/jiucuo.js%22%3E%3C/script%3E"));</script>')
    out = audit_site({"/": page("某部网站", FILL + inline)}, only=["interaction.zhaocuo"])
    r = result(out, "interaction.zhaocuo")
    assert r["status"] == "pass", r["summary"]
    assert r["details"]["sitecode"] == "bm07000001"
