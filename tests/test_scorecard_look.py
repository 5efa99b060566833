"""What the scorecard looks like in chromium (issue 13): nothing wider than a desktop window or an
A4 page, statuses readable on a black-and-white printer, long findings that split across pages
instead of leaving them half blank."""
from __future__ import annotations

import pytest

from office_report import check, demo_like_report

A4_CSS_WIDTH = 718  # 190 mm (A4 less the PDF's 10 mm margins) at 96 px per inch


def _require_browser():
    from auditor.crawl.browser import unavailable_reason

    reason = unavailable_reason()
    if reason:
        pytest.fail(f"these tests need chromium: {reason}")


def _report():
    from reports.actions import build_actions

    report = demo_like_report()
    report["actions"] = build_actions(report)
    return report


OVERFLOW_JS = """() => { const w = document.documentElement.clientWidth; const bad = [];
  for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) bad.push(el.tagName + '.' + el.className); }
  return bad; }"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_is_wider_than_a_desktop_window_or_an_a4_page(tmp_path, lang):
    from auditor.crawl.browser import launch
    from reports.report import render_html

    _require_browser()
    src = tmp_path / "scorecard.html"
    src.write_text(render_html(_report(), lang), "utf-8")
    with launch() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(src.as_uri())
        assert page.evaluate(OVERFLOW_JS) == []
        page.set_viewport_size({"width": A4_CSS_WIDTH, "height": 1000})
        page.emulate_media(media="print")
        assert page.evaluate(OVERFLOW_JS) == []


def test_statuses_and_veto_marks_print_in_black_and_white(tmp_path):
    """A status is a black word in a black box in print: no colour, no background needed."""
    from auditor.crawl.browser import launch
    from reports.report import render_html

    _require_browser()
    src = tmp_path / "scorecard.html"
    src.write_text(render_html(_report(), "zh"), "utf-8")
    with launch() as browser:
        page = browser.new_page()
        page.goto(src.as_uri())
        page.emulate_media(media="print")
        styles = page.evaluate("""() => [...document.querySelectorAll('.status, .veto-tag')].map(el => {
            const s = getComputedStyle(el);
            return {text: el.textContent.trim(), color: s.color, bg: s.backgroundColor,
                    border: parseFloat(s.borderTopWidth), borderColor: s.borderTopColor}; })""")
    assert len(styles) > 40 and any(s["text"] == "否决项" for s in styles)
    for s in styles:
        assert s["text"], s
        assert s["color"] == "rgb(0, 0, 0)" and s["border"] >= 1 and s["borderColor"] == "rgb(0, 0, 0)", s
        assert s["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), s


def test_a_long_finding_fills_the_page_it_starts_on(tmp_path):
    """A finding taller than what is left of a page starts there, its header with its first
    evidence, instead of leaving the rest of the page blank (chromium does not split a CSS grid
    across pages, and findings used to be kept whole)."""
    from pypdf import PdfReader

    from auditor.crawl.browser import html_to_pdf
    from reports.actions import build_actions
    from reports.report import render_html

    _require_browser()
    report = demo_like_report(problems=3)
    # The heaviest failure opens the details, right below the table of categories on page 2.
    big = check("links.big", "fail", weight=9, category="links")
    big["evidence"] = [{"url": f"http://127.0.0.1:9/p{i}.html", "excerpt": f"EV-{i:02d} " + "摘录" * 40,
                        "note": {"zh": "证据", "en": "evidence"}} for i in range(8)]
    report["checks"].append(big)
    report["actions"] = build_actions(report)
    src = tmp_path / "scorecard.html"
    src.write_text(render_html(report, "zh"), "utf-8")
    html_to_pdf(src, tmp_path / "scorecard.pdf")
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "scorecard.pdf")).pages]
    categories_page = next(i for i, text in enumerate(pages) if i > 0 and "IPv6" in text)
    assert "links.big" in pages[categories_page] and "EV-00" in pages[categories_page]
    assert "EV-07" in "".join(pages[categories_page:categories_page + 2])
