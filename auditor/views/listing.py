"""Dated list items on column pages: the raw material of the freshness checks.

A column (栏目) page lists its items as rows — ``<li><a>标题</a><span>2026-11-18</span></li>``
(TRS, Hanweb), table rows (older ASP/JSP sites), ``<dd>``/``<p>`` rows — and JCMS
templates ship them inside ``<script type="text/xml"><record><![CDATA[<li>…</li>]]>``
for a script to render. Each row becomes an :class:`Item` with the date written
beside the link (or, failing that, in its URL).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import lxml.html

from auditor.views.dates import date_from_url, find_dates
from auditor.network.urls import resolve

ROW_TAGS = frozenset({"li", "tr", "dd", "dt", "p"})
MAX_ROW_TEXT = 400
MIN_TITLE_CHARS = 4
# A JCMS record: one list row inside <script type="text/xml"> (also read by letters and search).
JCMS_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_WS = re.compile(r"\s+")
EMPTY_MARKERS = ("暂无信息", "暂无数据", "暂无内容", "暂无记录", "没有记录", "无相关信息", "信息正在更新",
                 "栏目建设中", "正在建设中", "无数据", "暂无相关", "没有找到")


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    date: date | None
    date_source: str  # row | url | none


def row_of(a):
    """The list row (li, tr, dd, dt, p) an item link sits in, at most four levels up;
    the link's parent when there is none."""
    node = a
    for _ in range(4):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        if node.tag in ROW_TAGS:
            return node
    return a.getparent()


def _items_in(root, base: str, as_of: date | None) -> list[Item]:
    items: list[Item] = []
    # Keep the row elements themselves: lxml proxies are freed and their id() reused.
    seen_rows: set = set()
    for a in root.iter("a"):
        href = a.get("href")
        if not href:
            continue
        title = _WS.sub(" ", a.text_content()).strip() or (a.get("title") or "").strip()
        if len(title) < MIN_TITLE_CHARS:
            continue
        row = row_of(a)
        if row is None or row.tag in ("body", "html"):
            continue
        if row in seen_rows:
            continue
        seen_rows.add(row)
        row_text = _WS.sub(" ", row.text_content())[:MAX_ROW_TEXT]
        if len(row_text) > MAX_ROW_TEXT - 1 and row.tag not in ROW_TAGS:
            continue  # a whole block, not a row
        url = resolve(base, href)
        if url is None:
            continue
        # A title such as "关于2026年5月1日放假的通知" is not the item's date.
        outside = row_text.replace(title, " ", 1) if title in row_text else row_text
        dates = find_dates(outside, as_of)
        if dates:
            items.append(Item(url, title[:200], dates[-1][0], "row"))
            continue
        d = date_from_url(url, as_of)
        items.append(Item(url, title[:200], d, "url" if d else "none"))
    return items


def extract_items(root, base: str, as_of: date | None = None) -> list[Item]:
    """Rows with a link and (ideally) a date, from the page and its JCMS record scripts."""
    items = _items_in(root, base, as_of)
    for script in root.iter("script"):
        if (script.get("type") or "").lower() not in ("text/xml", "text/template", "text/html"):
            continue
        body = script.text or ""
        if "<record" not in body:
            continue
        for fragment in JCMS_RECORD.findall(body):
            try:
                frag = lxml.html.fragment_fromstring(fragment, create_parent="div")
            except Exception:  # noqa: BLE001 - one broken record must not spoil the rest
                continue
            items.extend(_items_in(frag, base, as_of))
    return items


def record_links(root) -> list[str]:
    """hrefs inside JCMS record scripts (links a script would render)."""
    hrefs: list[str] = []
    for script in root.iter("script"):
        body = script.text or ""
        if "<record" in body and "CDATA" in body:
            hrefs.extend(re.findall(r"""href\s*=\s*["']([^"']+)["']""", body))
    return hrefs


def says_empty(text: str) -> bool:
    """The page says it has nothing (暂无信息 …): the mark of a 空白栏目."""
    return any(m in text for m in EMPTY_MARKERS)
