from servers import page


def test_pipeline_writes_report(audit_site):
    out = audit_site({"/": page("示例", "<div class='footer'>鲁ICP备12345678号-1</div>" + "文字" * 200)},
                     only=["identity.icp"])
    assert out.report["checks"][0]["status"] == "pass"
    assert out.paths["html"].read_text("utf-8").startswith("<!DOCTYPE html>")
