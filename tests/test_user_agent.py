"""The crawler says who it is: the default User-Agent names gov-audit and no address that does not
exist; --contact (or the profile's [crawl] contact) adds the operator's e-mail or page."""
from __future__ import annotations

import re

import pytest

from servers import LoopbackSite, page

BODY = "<p>" + "政府网站内容。" * 60 + "</p><a href='/a.html'>通知公告</a>"
ROUTES = {"/": page("示例市人民政府", BODY), "/a.html": page("通知公告", BODY),
          "/robots.txt": "User-agent: *\nAllow: /\n"}


def agents(site) -> set[str]:
    return {h.headers.get("user-agent", "") for h in site.hits()}


def test_default_user_agent_names_the_tool_and_no_web_address():
    from auditor import __version__
    from auditor.network.fetch import DEFAULT_USER_AGENT, user_agent_for

    assert f"gov-audit/{__version__}" in DEFAULT_USER_AGENT
    assert not re.search(r"https?://|www\.|\.com|\.org|\+", DEFAULT_USER_AGENT)
    assert user_agent_for(None) == DEFAULT_USER_AGENT
    assert user_agent_for("ops@example.gov.cn").endswith("; +mailto:ops@example.gov.cn)")
    assert user_agent_for("https://ops.example.gov.cn/audit").endswith("; +https://ops.example.gov.cn/audit)")


@pytest.mark.parametrize("bad", ["not an address", "ops@", "ftp://x.example/", "https://x.example/a b",
                                 "https://x.example/);evil", "ops@example.gov.cn\r\nX-Injected: 1"])
def test_a_contact_that_is_neither_email_nor_url_is_refused(bad):
    from auditor.network.fetch import parse_contact

    with pytest.raises(ValueError):
        parse_contact(bad)


def run(args, capsys):
    from auditor.operations.cli import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.err


def test_every_request_of_the_audit_carries_the_contact(tmp_path, capsys):
    with LoopbackSite(ROUTES) as site:
        code, err = run(["audit", site.url, "--out", str(tmp_path / "o"), "--only", "identity.*", "--rate", "500",
                         "--render", "never", "--quiet", "--contact", "ops@example.gov.cn"], capsys)
        seen, paths = agents(site), {h.path for h in site.hits()}
    assert code in (0, 1), err
    assert {"/robots.txt", "/", "/a.html"} <= paths
    assert len(seen) == 1
    (ua,) = seen
    assert "gov-audit/" in ua and "+mailto:ops@example.gov.cn" in ua


def test_profile_contact_and_what_overrides_it(tmp_path, capsys):
    prof = tmp_path / "ours.toml"
    prof.write_text('extends = "city"\n[crawl]\ncontact = "https://ops.example.gov.cn/audit"\n', "utf-8")
    base = ["--only", "identity.icp", "--rate", "500", "--render", "never", "--quiet", "--profile", str(prof)]
    with LoopbackSite(ROUTES) as site:
        run(["audit", site.url, "--out", str(tmp_path / "a")] + base, capsys)
        from_profile = agents(site)
        site.log.clear()
        run(["audit", site.url, "--out", str(tmp_path / "b"), "--contact", "me@example.gov.cn"] + base, capsys)
        from_option = agents(site)
        site.log.clear()
        run(["audit", site.url, "--out", str(tmp_path / "c"), "--user-agent", "OurAuditor/2"] + base, capsys)
        explicit = agents(site)
    assert len(from_profile) == 1 and next(iter(from_profile)).endswith("+https://ops.example.gov.cn/audit)")
    assert len(from_option) == 1 and next(iter(from_option)).endswith("+mailto:me@example.gov.cn)")
    assert explicit == {"OurAuditor/2"}


def test_bad_contacts_are_one_line_errors(tmp_path, capsys):
    code, err = run(["audit", "http://127.0.0.1:9/", "--out", str(tmp_path), "--contact", "nobody"], capsys)
    assert code == 2 and "--contact" in err and "e-mail" in err and len(err.strip().splitlines()) == 1
    prof = tmp_path / "bad.toml"
    prof.write_text('[crawl]\ncontact = "javascript:alert(1)"\n', "utf-8")
    with LoopbackSite(ROUTES) as site:
        code, err = run(["audit", site.url, "--out", str(tmp_path / "o"), "--profile", str(prof), "--quiet",
                         "--render", "never"], capsys)
        hits = site.hits()
    assert code == 2 and "[crawl] contact" in err and "Traceback" not in err
    assert hits == []  # refused before any request


def test_monitor_probes_carry_the_contact(tmp_path, capsys):
    with LoopbackSite(ROUTES) as site:
        code, err = run(["monitor", site.url, "--history", str(tmp_path / "h.db"), "--count", "1", "--quiet",
                         "--contact", "https://ops.example.gov.cn/"], capsys)
        seen = agents(site)
    assert code == 0, err
    assert seen and all(ua.endswith("+https://ops.example.gov.cn/)") for ua in seen)
