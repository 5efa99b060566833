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
# "No content" notices as templates write them (regular expressions; the profile's
# keywords.empty_column_notices replaces them): 暂无…信息/内容/数据, 此栏目…无…, 没有相关记录,
# 正在建设/更新中, 敬请期待. A notice is an element of its own with a short text.
DEFAULT_EMPTY_NOTICES = (
    r"暂无[^，。；,;！!]{0,8}?(?:信息|内容|数据|记录|文章|新闻|公告|文件|资料|动态)",
    r"(?:此|该|本)栏目[^，。；,;]{0,8}?(?:暂无|没有|无)",
    r"没有(?:相关|任何|找到相关)?(?:的)?(?:记录|信息|内容|数据|文章)",
    r"无相关(?:信息|内容|数据|记录)",
    r"(?:正在|尚在|仍在)(?:建设|更新|完善|整理|维护)(?:中|当中)?",
    r"(?:建设|更新|完善|整理)中[，,。.！!…]*(?:敬请期待)?",
    r"敬请期待",
    r"暂未(?:发布|公开|更新)",
    r"^\W*(?:暂无|无数据|无记录)\W*$",
)
# A notice element holds little else: longer texts are sentences that happen to say 暂无.
MAX_NOTICE_CHARS = 30


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    date: date | None
    date_source: str  # row | url | none
    box: int = -1  # which list container (the row's parent) of the page it sits in; -1 unknown


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


def _items_in(root, base: str, as_of: date | None, boxes: dict | None = None) -> list[Item]:
    items: list[Item] = []
    # Keep the row elements themselves: lxml proxies are freed and their id() reused.
    seen_rows: set = set()
    boxes = {} if boxes is None else boxes  # list container -> number, shared across record fragments
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
        parent = row.getparent()
        box = boxes.setdefault(parent, len(boxes)) if parent is not None else -1
        if dates:
            items.append(Item(url, title[:200], dates[-1][0], "row", box))
            continue
        d = date_from_url(url, as_of)
        items.append(Item(url, title[:200], d, "url" if d else "none", box))
    return items


def extract_items(root, base: str, as_of: date | None = None) -> list[Item]:
    """Rows with a link and (ideally) a date, from the page and its JCMS record scripts."""
    boxes: dict = {}
    items = _items_in(root, base, as_of, boxes)
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
            items.extend(_items_in(frag, base, as_of, boxes))
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
    """The page says it has nothing (暂无信息 …) somewhere in its text (columns: ``empty_notice``)."""
    return any(m in text for m in EMPTY_MARKERS)


_NOTICE_CACHE: dict = {}


def notice_pattern(notices=None) -> re.Pattern:
    """One pattern for the "no content" notices (the profile's, or the defaults)."""
    key = tuple(notices or DEFAULT_EMPTY_NOTICES)
    if key not in _NOTICE_CACHE:
        _NOTICE_CACHE[key] = re.compile("|".join(f"(?:{n})" for n in key), re.M)
    return _NOTICE_CACHE[key]


_SKIP_TEXT = frozenset({"script", "style", "noscript", "textarea", "option", "title", "head"})


def empty_notice(text: str, root, notices=None) -> str | None:
    """The short "no content" notice a page shows in an element of its own (此栏目暂无内容 …).

    The page text is searched first (cheap); the tree then confirms that the words stand
    in a short element — a sentence that merely says 暂无 is not a notice.
    """
    pattern = notice_pattern(notices)
    if pattern.search(text) is None:
        return None
    if root is None:
        return None
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TEXT:
            continue
        for piece, holder in ((el.text, el), (el.tail, el.getparent())):
            if not piece or holder is None or not pattern.search(_WS.sub("", piece)):
                continue
            whole = _WS.sub("", holder.text_content())
            if len(whole) <= MAX_NOTICE_CHARS and pattern.search(whole):
                return whole
    return None


# An empty list container (TRS/EmpireCMS list boxes: <ul class="list"></ul>, <div class="lb">).
_LIST_BOX = re.compile(r"list|\blb|news|items", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def empty_list_box(root) -> bool:
    """A list container with nothing in it: the list area of a column that lists nothing.

    Either a named box that is empty (<ul class="list"></ul>), or an unnamed empty list in a
    named box that holds nothing else but the column's heading (TRS: <div class="NewsList">
    <h1>扶贫工作</h1><ul></ul></div>). A box is not the list area when another box of the same
    class on the page holds something: tab panels (依申请公开说明 | 书面申请) of which one is empty."""
    if root is None:
        return False
    for el in root.iter("ul", "ol", "tbody", "table", "div", "dl"):
        if not _hollow(el):
            continue
        box = el if _LIST_BOX.search(_ident(el)) else None
        parent = el.getparent()
        if box is None and el.tag in ("ul", "ol", "tbody", "dl") and parent is not None \
                and _LIST_BOX.search(_ident(parent)) and all(
                    c is el or not isinstance(c.tag, str) or c.tag in _HEADINGS for c in parent):
            box = parent
        if box is not None and not _filled_twin(root, box):
            return True
    return False


def _ident(el) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}".strip()


def _hollow(el) -> bool:
    return not len(el) and not (el.text or "").strip()


def _filled_twin(root, box) -> bool:
    """Another element of the same tag and class as ``box`` that holds text."""
    cls = (box.get("class") or "").strip()
    if not cls:
        return False
    return any(other is not box and (other.get("class") or "").strip() == cls and other.text_content().strip()
               for other in root.iter(box.tag))
