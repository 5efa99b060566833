"""Shared logic of the 互动交流 checks: the 互动交流 column, the consultation channels
(领导信箱, 我要写信, 网上咨询, 12345 …) and the letters (留言) published with their
replies. A view module.

Letters are read from list pages — a table whose header names 留言时间 and 回复时间 or
状态 (TRS, ASP/JSP boards), ``<li>`` rows with ``留言时间：… 回复时间：…`` (Hanweb),
rows under a header line, JCMS ``<record>`` scripts — and from detail pages (留言时间：…,
回复单位, 回复时间, 回复内容, 办理状态; label tables, headings or inline labels). A detail
page's reading wins over its list row. 在线访谈, 调查征集, 网上信访 and 纪检举报 columns are
not consultation columns and are left out (2019 互动回应差 veto wording).
"""
from __future__ import annotations

import re
import functools
import statistics
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import lxml.html

from auditor.views.evidence import Evidence, T
from auditor.views.dates import find_dates
from auditor.views.listing import JCMS_RECORD
from auditor.network.urls import resolve

from auditor.views.page_text import compact, homepage_links, judge_link
from auditor.views.disclosure import crawl_was_cut, crumbs_of, find_named, html_page, is_thin
from auditor.views.cache import view
from auditor.views.labelled import Vocabulary, is_empty_value, page_pairs
from auditor.views.guides import says_nothing

BOARD_ID = "interaction.message-board"
RESPONSE_ID = "interaction.response"

# -- the vocabulary of letters ---------------------------------------------------------------
LETTER_FIELDS: dict[str, list[str]] = {
    "asked": ["留言时间", "来信时间", "提问时间", "咨询时间", "写信时间", "提交时间", "发信时间", "来信日期", "留言日期",
              "提问日期", "咨询日期", "投诉时间", "反映时间", "诉求时间", "信件时间", "申请时间", "登记时间",
              # Last: when the office took the letter in — later than it was written, so a letter
              # dated by it only is never older than it is.
              "受理时间", "受理日期"],
    "answered": ["回复时间", "答复时间", "办结时间", "回复日期", "答复日期", "办结日期", "反馈时间", "处理时间",
                 "回应时间", "回复日", "答复日"],
    "reply": ["回复内容", "答复内容", "回复意见", "答复意见", "办理结果", "处理结果", "处理意见", "办理意见", "反馈内容",
              "反馈意见", "回复", "答复", "部门回复", "官方回复", "领导回复", "办理情况", "答复情况"],
    "status": ["办理状态", "处理状态", "回复状态", "信件状态", "答复状态", "状态", "办理情况状态"],
    "unit": ["回复单位", "答复单位", "办理单位", "承办单位", "处理单位", "受理单位", "回复部门", "答复部门", "办理部门",
             "答复机构", "承办部门"],
    "content": ["留言内容", "来信内容", "咨询内容", "信件内容", "问题描述", "诉求内容", "反映内容", "投诉内容", "内容"],
    "title": ["留言标题", "信件标题", "来信标题", "咨询标题", "标题", "主题", "信件主题", "留言主题"],
}
LETTER_BOUNDARIES = ["留言人", "来信人", "提问人", "咨询人", "网友", "写信人", "编号", "信件编号", "查询码", "类别", "留言类型",
                     "信件类型", "转办时间", "满意度", "评价", "浏览次数", "点击数"]
# A page showing one of these may list or show letters. Not 申请/登记/受理时间: 依申请公开 and
# 办事 pages show them too (those labels still date a letter once its page is read).
ASK_HINTS = tuple(w for w in LETTER_FIELDS["asked"] if w not in ("申请时间", "登记时间", "受理时间", "受理日期"))
# Links behind which a letter's answer is shown on a page of its own.
DEFAULT_REPLY_LINKS = ["办理动态", "办理进度", "办理过程", "办理情况", "办理结果", "处理结果", "查看答复", "查看回复", "答复详情",
                       "回复详情", "答复内容", "回复内容", "答复", "回复", "查看办理结果"]
ANSWERED_WORDS = ("已回复", "已答复", "已办结", "已处理", "已反馈", "已回应", "已解决", "已完成", "办结", "已公开")
PENDING_WORDS = ("未回复", "待回复", "未答复", "待答复", "未办结", "办理中", "处理中", "待处理", "未处理", "受理中",
                 "已受理", "已转办", "转办中", "待办理", "正在办理", "正在处理", "审核中", "未反馈", "待反馈", "未办理")
INVALID_WORDS = ("不予受理", "不受理", "无效", "重复留言", "重复件", "不属于受理范围", "不属于", "已删除", "退回", "转信访")
EMPTY_REPLY = ["暂无回复", "暂无答复", "暂无", "未回复", "待回复", "尚未回复", "无", "—", "-", "正在办理", "办理中", "正在处理",
               "处理中", "待处理", "等待回复", "暂未回复"]
DEFAULT_EXCLUDE_COLUMNS = ["在线访谈", "访谈", "调查征集", "意见征集", "征集", "民意调查", "网上调查", "网上信访", "信访",
                           "纪检", "举报", "监察", "12388"]
DEFAULT_INTERACTION_KEYWORDS = ["互动交流", "政民互动", "公众参与", "互动平台", "网上互动", "互动"]
DEFAULT_CHANNEL_LABELS = ["领导信箱", "市长信箱", "县长信箱", "区长信箱", "书记信箱", "局长信箱", "厅长信箱", "部长信箱",
                          "主任信箱", "信箱", "我要写信", "写信", "我要留言", "在线留言", "网民留言", "留言板", "留言",
                          "网上咨询", "在线咨询", "我要咨询", "政务咨询", "咨询投诉", "咨询建议", "建言献策", "我要建议",
                          "意见建议", "网络问政", "问政", "民意通道", "12345"]
DEFAULT_CHANNEL_EXCLUDE = ["信访", "纪检", "监察", "违纪", "12388", "电子信箱", "邮箱", "访谈", "征集", "调查"]
MAX_CHANNEL_LABEL = 16
DEFAULT_MAX_DETAIL_PAGES = 500
_FORM_HINTS = re.compile(r"留言|咨询|来信|写信|建议|诉求|问题描述|content|liuyan|message|question|advice", re.I)
# Forms that are not consultation channels: petitions and reports (their own channels), search,
# login, and the site's error-report form (网站纠错: 错别字, 出错页面地址, 出错问题描述). The error words
# name the page in error, so a letter form that only says "提交出错请重试" stays a channel.
_FORM_EXCLUDE = re.compile(r"信访|举报|纪检|搜索|检索|search|login|登录|密码|纠错|找错|错别字|"
                           r"出错(?:页面|网页|地址|网址|问题|内容|位置)|(?:网站|网页|页面)报错", re.I)


@functools.cache  # one object: page_pairs results are kept per vocabulary
def letter_vocab() -> Vocabulary:
    return Vocabulary(LETTER_FIELDS, LETTER_BOUNDARIES)


@dataclass
class Letter:
    url: str  # the detail page, or the list page when there is none
    title: str
    asked: date | None = None
    answered: date | None = None
    replied: bool | None = None  # True answered (date may be unknown), False not yet, None cannot tell
    status: str = ""
    unit: str = ""
    valid: bool = True
    source: str = "list"  # list | detail | list+detail
    list_url: str = ""
    reply_link: str = ""  # the page its answer is shown on (办理动态), when not on its own page

    def latency(self) -> int | None:
        if self.asked and self.answered and self.answered >= self.asked:
            return (self.answered - self.asked).days
        return None

    def age(self, as_of: date) -> int | None:
        return (as_of - self.asked).days if self.asked else None


def _reply_state(status: str) -> tuple[bool | None, bool]:
    """(replied, valid) from a status text."""
    s = compact(status)
    if not s:
        return None, True
    if any(w in s for w in INVALID_WORDS):
        return None, False
    if any(w in s for w in PENDING_WORDS):
        return False, True
    if any(w in s for w in ANSWERED_WORDS):
        return True, True
    return None, True


def _first_date(text: str, as_of: date | None) -> date | None:
    found = find_dates(text or "", as_of)
    return found[0][0] if found else None


def _excluded(page, words: list[str]) -> bool:
    meta = page.meta
    ctx = compact(" ".join([page.title, meta.get("columnname", ""), meta.get("columntype", ""), " ".join(crumbs_of(page))]))
    return any(compact(w) in ctx for w in words)


# -- list pages ------------------------------------------------------------------------------
def _cells(row) -> list:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _spaced(el) -> str:
    """Text of a row with its cells kept apart ("2026-09-01 2026-09-03", not "2026-09-012026-09-03")."""
    return " ".join(" ".join(el.itertext()).split())


def _row_link(row, base: str) -> tuple[str, str]:
    best = ("", "")
    for a in row.iter("a"):
        href = a.get("href") or ""
        text = _text(a) or a.get("title") or ""
        if not href or href.startswith(("javascript:", "#")) and not a.get("onclick"):
            if not best[1] and len(text) >= 2:
                best = ("", text)
            continue
        url = resolve(base, href) or ""
        if len(text) >= 2 and (not best[0] or len(text) > len(best[1])):
            best = (url, text)
    return best


def _header_map(cells, vocab: Vocabulary) -> dict[int, str] | None:
    cols: dict[int, str] = {}
    for i, c in enumerate(cells):
        text = _text(c)
        if len(compact(text)) > 12:
            return None
        cats = vocab.classify(text)
        if cats:
            cols.setdefault(i, cats[0])
    kinds = set(cols.values())
    if "asked" in kinds and kinds & {"answered", "status", "reply"}:
        return cols
    return None


def _table_letters(table, base: str, vocab: Vocabulary, as_of: date, list_url: str,
                   header: dict[int, str] | None = None) -> tuple[list[Letter], dict[int, str] | None]:
    out: list[Letter] = []
    cols = header
    for row in table.iter("tr"):
        cells = _cells(row)
        if not cells:
            continue
        if cols is None or (all(c.tag.lower() == "th" for c in cells) and _header_map(cells, vocab)):
            m = _header_map(cells, vocab)
            if m:
                cols = m
            continue
        if len(cells) < max(cols) + 1:
            continue
        url, title = _row_link(row, base)
        fields: dict[str, str] = {}
        for i, kind in cols.items():
            fields.setdefault(kind, _text(cells[i]))
        if "title" in fields and not title:
            title = fields["title"]
        asked = _first_date(fields.get("asked", ""), as_of)
        if asked is None or not (title or url):
            continue
        answered = _first_date(fields.get("answered", ""), as_of)
        replied, valid = _reply_state(fields.get("status", ""))
        if answered is not None:
            replied = True
        elif "reply" in fields and replied is None:
            replied = not is_empty_value(fields["reply"], EMPTY_REPLY)
        elif "answered" in fields and replied is None and "status" not in fields:
            # Only a reply-date column: empty means not answered (yet).
            replied = False if is_empty_value(fields["answered"], EMPTY_REPLY) else None
        out.append(Letter(url or list_url, title[:80], asked, answered, replied, fields.get("status", "")[:20],
                          fields.get("unit", "")[:30], valid, "list", list_url))
    return out, cols


_ROW_TAGS = ("li", "tr", "dd", "p", "div")


def _labelled(text: str, words: tuple[str, ...] | list[str], as_of: date) -> date | None:
    for w in words:
        i = text.find(w)
        while i >= 0:
            d = _first_date(text[i + len(w): i + len(w) + 30], as_of)
            if d:
                return d
            i = text.find(w, i + 1)
    return None


def _row_letters(root, base: str, as_of: date, list_url: str) -> list[Letter]:
    """Rows with a link and labelled dates: ``<li><a>…</a> 留言时间：… 回复时间：… 状态：…</li>``."""
    out: list[Letter] = []
    seen = []
    for a in root.iter("a"):
        row = a
        for _ in range(4):
            parent = row.getparent()
            if parent is None:
                break
            row = parent
            if isinstance(row.tag, str) and row.tag.lower() in _ROW_TAGS:
                break
        if row.tag in ("body", "html") or any(row is s for s in seen):
            continue
        text = _spaced(row)
        if len(text) > 600:
            continue
        asked = _labelled(text, LETTER_FIELDS["asked"], as_of)
        if asked is None:
            continue
        seen.append(row)
        answered = _labelled(text, LETTER_FIELDS["answered"], as_of)
        status = ""
        m = re.search(r"(?:办理状态|处理状态|回复状态|状态)\s*[:：]\s*(\S{2,6})", text)
        if m:
            status = m.group(1)
        else:
            hit = next((w for w in PENDING_WORDS + ANSWERED_WORDS if w in text), "")
            status = hit
        replied, valid = _reply_state(status)
        if answered is not None:
            replied = True
        url, title = _row_link(row, base)
        out.append(Letter(url or list_url, title[:80], asked, answered, replied, status, "", valid, "list", list_url))
    return out


def _positional_letters(root, base: str, vocab: Vocabulary, as_of: date, list_url: str) -> list[Letter]:
    """``<ul>`` lists whose first row is a header line (标题 留言时间 回复时间): dates in order."""
    out: list[Letter] = []
    for container in root.iter("ul", "ol", "dl", "div"):
        kids = [k for k in container if isinstance(k.tag, str)]
        if len(kids) < 2:
            continue
        head = kids[0]
        if next(head.iter("a"), None) is not None:
            continue
        parts = [_text(x) for x in head if isinstance(x.tag, str)] or _spaced(head).split()
        kinds = [(vocab.classify(p) or (None,))[0] for p in parts if p]
        dated = [k for k in kinds if k in ("asked", "answered")]
        if not dated or dated[0] != "asked":
            continue
        for kid in kids[1:]:
            url, title = _row_link(kid, base)
            if not title:
                continue
            text = _spaced(kid)
            dates = [d for d, _s, _e in find_dates(text.replace(title, " "), as_of)]
            if not dates:
                continue
            asked = dates[0]
            answered = dates[1] if len(dated) > 1 and len(dates) > 1 else None
            status = next((w for w in PENDING_WORDS + ANSWERED_WORDS if w in text), "")
            replied, valid = _reply_state(status)
            if answered is not None:
                replied = True
            elif len(dated) > 1 and replied is None and "status" not in kinds:
                replied = False
            out.append(Letter(url or list_url, title[:80], asked, answered, replied, status, "", valid, "list",
                              list_url))
        if out:
            return out
    return out




def list_letters(page, tree, as_of: date) -> list[Letter]:
    """Letters listed on a page (tables, labelled rows, header-positional lists, JCMS records)."""
    vocab = letter_vocab()
    base = page.final_url
    letters: list[Letter] = []
    header = None
    for table in tree.iter("table"):
        if table.find(".//table") is not None:
            continue  # a layout table: its inner tables are read on their own
        found, cols = _table_letters(table, base, vocab, as_of, base)
        letters += found
        header = header or cols
    if not letters:
        letters = _row_letters(tree, base, as_of, base)
    if not letters:
        letters = _positional_letters(tree, base, vocab, as_of, base)
    # JCMS: rows shipped in <script type="text/xml"><record><![CDATA[…]]></record> for a script to render.
    for script in tree.iter("script"):
        body = script.text or ""
        if "<record" not in body:
            continue
        frags = JCMS_RECORD.findall(body)
        if not frags:
            continue
        joined = "".join(frags)
        try:
            wrapper = "<table>" + joined + "</table>" if joined.lstrip().lower().startswith("<tr") else joined
            frag = lxml.html.fragment_fromstring(wrapper, create_parent="div")
        except Exception:  # noqa: BLE001 - a broken record must not spoil the page
            continue
        got: list[Letter] = []
        for table in frag.iter("table"):
            got += _table_letters(table, base, vocab, as_of, base, header)[0]
        if not got:
            got = _row_letters(frag, base, as_of, base)
        letters += got
    return letters


# -- detail pages -----------------------------------------------------------------------------
def detail_letter(page, tree, as_of: date, reply_links: list[str] | None = None) -> Letter | None:
    """The letter a detail page shows, or None when the page shows no 留言时间."""
    found = page_pairs(page, letter_vocab())
    by: dict[str, list] = {}
    for p in found:
        for c in p.categories:
            by.setdefault(c, []).append(p)
    asked = next((d for p in by.get("asked", []) if (d := _first_date(p.value, as_of))), None)
    if asked is None:
        asked = _labelled(page.text, LETTER_FIELDS["asked"], as_of)
    if asked is None:
        return None
    answered = next((d for p in by.get("answered", []) if (d := _first_date(p.value, as_of))), None)
    if answered is None and not by.get("answered"):
        answered = _labelled(page.text, [w for w in LETTER_FIELDS["answered"]], as_of)
    status = next((p.value for p in by.get("status", []) if p.value), "")
    replied, valid = _reply_state(status)
    replies = [p for p in by.get("reply", [])]
    reply_text = " ".join(p.value for p in replies).strip()
    if answered is None and reply_text and not is_empty_value(reply_text, EMPTY_REPLY):
        # An undated label: the reply often ends with its date ("……示例市城市管理局 2026年9月12日").
        dates = [d for d, _s, _e in find_dates(reply_text, as_of) if d >= asked]
        if dates:
            answered = dates[-1]
    if answered is not None and answered >= asked:
        replied = True
    elif answered is not None:
        answered = None  # a reply dated before the letter: a template error, not a date
    elif replied is None and replies:
        replied = not is_empty_value(reply_text, EMPTY_REPLY)
    elif replied is None and by.get("answered"):
        replied = False if all(is_empty_value(p.value, EMPTY_REPLY) for p in by["answered"]) else None
    title_pair = next((p.value for p in by.get("title", []) if p.value), "")
    title = title_pair or page.meta.get("articletitle", "") or next(iter(page.facts.headings), "") or page.title
    unit = next((p.value for p in by.get("unit", []) if p.value and not is_empty_value(p.value, EMPTY_REPLY)), "")
    letter = Letter(page.final_url, title[:80], asked, answered, replied, status[:20], unit[:30], valid, "detail")
    if answered is None and replied is not True:
        letter.reply_link = _reply_link(tree, page.final_url, reply_links or DEFAULT_REPLY_LINKS)
    return letter


def _reply_link(tree, base: str, labels: list[str]) -> str:
    """The link a letter's page shows its answer behind (办理动态, 查看答复 …)."""
    words = {compact(w) for w in labels}
    for a in tree.iter("a"):
        href = a.get("href") or ""
        if href and not href.startswith(("javascript:", "#")) and compact(_text(a)) in words:
            return resolve(base, href) or ""
    return ""


def _progress(page, asked: date, as_of: date) -> tuple[date | None, bool | None]:
    """(answered, replied) from a letter's 办理动态 page: an answer date, the steps' state."""
    text = page.text
    answered = _labelled(text, LETTER_FIELDS["answered"], as_of)
    if answered is not None and answered >= asked:
        return answered, True
    if any(w in text for w in ANSWERED_WORDS):
        dates = [d for d, _s, _e in find_dates(text, as_of) if d >= asked]
        return (max(dates) if dates else None), True
    if any(w in text for w in PENDING_WORDS):
        return None, False
    return None, None


# -- the scan ----------------------------------------------------------------------------------
@dataclass
class LetterScan:
    letters: list[Letter] = field(default_factory=list)
    list_pages: list[str] = field(default_factory=list)
    detail_pages: list[str] = field(default_factory=list)
    looked_at: list[str] = field(default_factory=list)  # interaction pages read without finding letters
    excluded_pages: list[str] = field(default_factory=list)
    skipped_pages: list[str] = field(default_factory=list)  # 留言时间 seen outside interaction columns
    capped: int = 0


DEFAULT_LETTER_CONTEXT = ["互动", "信箱", "咨询", "留言", "来信", "问政", "投诉", "诉求", "建言", "写信", "hdjl", "hudong",
                          "liuyan", "xinxiang", "zxts", "ldxx", "gbook", "guestbook", "message", "letter", "consult",
                          "mailbox", "szxx", "wsdc", "zxzx", "wszx"]


@dataclass(frozen=True)
class LetterSettings:
    """Where letters and channels are looked for: the parameters of this module's views
    (hashable: a view's key). The interaction checks build one from their settings
    (auditor.checking.view_settings.letter_settings)."""

    column_keywords: tuple[str, ...] = tuple(DEFAULT_INTERACTION_KEYWORDS)
    channel_labels: tuple[str, ...] = tuple(DEFAULT_CHANNEL_LABELS)
    channel_exclude: tuple[str, ...] = tuple(DEFAULT_CHANNEL_EXCLUDE)
    exclude_columns: tuple[str, ...] = tuple(DEFAULT_EXCLUDE_COLUMNS)
    letter_context: tuple[str, ...] = tuple(DEFAULT_LETTER_CONTEXT)
    max_detail_pages: int = DEFAULT_MAX_DETAIL_PAGES
    reply_link_labels: tuple[str, ...] = tuple(DEFAULT_REPLY_LINKS)


@view
def letters_of(snap, profile, settings: LetterSettings = LetterSettings()) -> LetterScan:
    """The letters (留言) the site publishes, read from its interaction pages."""
    return _scan_letters(snap, profile, settings)


def _letter_context(page, words: list[str]) -> bool:
    """Whether a page sits in an interaction column (title, meta, breadcrumb, URL)."""
    meta = page.meta
    ctx = compact(" ".join([page.title, meta.get("columnname", ""), meta.get("columntype", ""), " ".join(crumbs_of(page))]))
    url = page.final_url.lower()
    return any((w in url) if w.isascii() else (w in ctx) for w in words)


def _scan_letters(snap, profile, settings: LetterSettings) -> LetterScan:
    as_of = snap.as_of
    exclude = list(settings.exclude_columns)
    context = list(settings.letter_context)
    cap = int(settings.max_detail_pages)
    reply_links = list(settings.reply_link_labels)
    out = LetterScan()
    lists: dict = {}
    details: list[Letter] = []
    pages = list(snap.html_pages())
    # JCMS lists keep their rows (and their 留言时间 column) in record scripts, not in the text.
    hinted = [p for p in pages if any(h in p.text for h in ASK_HINTS)
              or any(h in script for script in p.facts.inline_scripts if "<record" in script
                     for h in ASK_HINTS)]
    hinted.sort(key=lambda p: (p.depth, p.url))
    # Pages in an interaction column (or near the homepage, or linked from such a column)
    # first; a "latest letters" widget on every page must not make every page a letter list.
    in_context = {p.url for p in pages if _letter_context(p, context)}
    primary = [p for p in hinted if p.depth <= 1 or p.url in in_context
               or any(ref in in_context for ref in snap.inlinks.get(p.url, ()))]
    done = set()

    def read(page, allow_list: bool) -> None:
        if _excluded(page, exclude):
            out.excluded_pages.append(page.final_url)
            return
        if len(out.list_pages) + len(details) >= cap:
            out.capped += 1
            return
        tree = page.tree
        if tree is None:
            return
        listed = list_letters(page, tree, as_of) if allow_list else []
        if len(listed) >= 2 or (listed and listed[0].url != page.final_url and page.depth <= 1):
            out.list_pages.append(page.final_url)
            for letter in listed:
                lists.setdefault(_key(snap, letter), letter)
            return
        letter = detail_letter(page, tree, as_of, reply_links)
        if letter is not None:
            if letter.reply_link:
                # The answer is on its 办理动态 page: read it there; not read, the state is unknown.
                shown = snap.page(letter.reply_link)
                if shown is not None and shown.is_html and shown.ok:
                    answered, replied = _progress(shown, letter.asked, as_of)
                    letter.answered = answered
                    letter.replied = replied if replied is not None else letter.replied
                else:
                    letter.replied = None
            details.append(letter)
            out.detail_pages.append(page.final_url)

    for page in primary:
        done.add(page.url)
        read(page, True)
    listed_urls = {k for k in lists if isinstance(k, str)}
    for page in hinted:
        if page.url not in done and (page.final_url in listed_urls or page.url in listed_urls):
            done.add(page.url)
            read(page, False)
    out.skipped_pages = [p.final_url for p in hinted if p.url not in done][:50]
    merged = dict(lists)
    for letter in details:
        k = _key(snap, letter)
        row = merged.get(k)
        merged[k] = letter if row is None else _merge(row, letter)
    out.letters = sorted(merged.values(), key=lambda l: (l.asked or date.min, l.url), reverse=True)
    return out


def _key(snap, letter: Letter):
    if letter.url and letter.url != letter.list_url:
        page = snap.page(letter.url)
        return page.final_url if page is not None else letter.url
    return (letter.title, letter.asked)


def _merge(row: Letter, detail: Letter) -> Letter:
    """The detail page's reading, completed by the list row where the page is silent."""
    return replace(detail,
                   asked=detail.asked or row.asked,
                   answered=detail.answered or (row.answered if detail.replied is not False else None),
                   replied=detail.replied if detail.replied is not None else row.replied,
                   status=detail.status or row.status,
                   valid=detail.valid and row.valid,
                   source="list+detail", list_url=row.list_url)


def working_days(a: date, b: date) -> int:
    """Weekdays after ``a`` up to and including ``b`` (public holidays not known: ❓)."""
    if b <= a:
        return 0
    days = (b - a).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (a + timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


# -- channels ----------------------------------------------------------------------------------
@dataclass
class Channel:
    kind: str  # link | form
    url: str
    label: str
    where: str  # the page it was seen on
    state: str = "ok"  # ok | unknown | suspect | dead
    reason: str = ""

    def evidence(self) -> Evidence:
        what = "咨询留言入口" if self.kind == "link" else "留言表单"
        state = f"（{self.reason}）" if self.state in ("dead", "suspect") else ""
        return Evidence(self.url, f"“{self.label}”{state}（见 {self.where}）" if self.where != self.url
                        else f"“{self.label}”{state}", T(what, "consultation entry" if self.kind == "link" else "letter form"))


@view
def interaction_column(snap, profile, settings: LetterSettings = LetterSettings()):
    """(Named, page or None) of the 互动交流 column, or (None, None)."""
    words = list(settings.column_keywords)
    named = find_named(snap, profile, "interaction", words, ["访谈", "征集"])
    home = snap.homepage
    home_url = home.final_url if home is not None else ""
    named.sort(key=lambda n: 0 if n.how == "profile" else 1 if (n.how == "link" and n.where == home_url) else 2)
    result = (None, None)
    for n in named:
        page = html_page(snap, n.url)
        if page is not None and page is home:
            continue
        result = (n, page if page is not None and (not is_thin(page) or says_nothing(page.text)) else None)
        break
    return result


def _label_kind(text: str, labels: list[str], exclude: list[str], cache: dict) -> str | None:
    """'channel', 'excluded' (信访/纪检举报 …) or None for a link label (memoised in ``cache``)."""
    if len(text) > 3 * MAX_CHANNEL_LABEL:
        return None
    if text not in cache:
        cache[text] = _kind(text, labels, exclude)
    return cache[text]


def _kind(text: str, labels: list[str], exclude: list[str]) -> str | None:
    t = compact(text)
    if not t or len(t) > MAX_CHANNEL_LABEL:
        return None
    # The label is most of the link text: "领导信箱（我要写信）", not a letter titled "…留言…".
    hit = any(compact(l) in t and len(t) <= len(compact(l)) + 6 for l in labels)
    if any(compact(x) in t for x in exclude):
        return "excluded" if hit or "举报" in t or "信访" in t else None
    return "channel" if hit else None


def _rank(label: str, labels: list[str]) -> int:
    """Position of the first (most specific) configured label in a channel's text."""
    t = compact(label)
    return next((i for i, l in enumerate(labels) if compact(l) in t), len(labels))


def find_channels(snap, profile, pages, settings: LetterSettings = LetterSettings()) -> tuple[list[Channel], list[Channel]]:
    """(channels, excluded channels) linked or embedded on ``pages`` [(where, links, forms)]."""
    labels = list(settings.channel_labels)
    exclude = list(settings.channel_exclude)
    found: dict[str, Channel] = {}
    excluded: dict[str, Channel] = {}
    kinds: dict[str, str | None] = {}
    for where, links, forms in pages:
        for link in links:
            if link.tag not in ("a", "area") or link.url.startswith(("javascript:", "mailto:")):
                continue
            kind = _label_kind(link.text, labels, exclude, kinds)
            if kind is None and "12345" in link.url.split("?")[0] and "信访" not in link.text:
                kind = "channel"
            if kind == "channel" and link.url not in found:
                state, reason = judge_link(snap, link.url)
                if state == "dead" and not reason.startswith("HTTP"):
                    # Refused connections to another host may be the auditor's network: not proof.
                    state = "suspect" if not snap.in_site(link.url) else state
                found[link.url] = Channel("link", link.url, link.text or link.url, where, state, reason)
            elif kind == "excluded" and link.url not in excluded:
                excluded[link.url] = Channel("link", link.url, link.text, where)
        for form in forms:
            types = {f.type for f in form.fields}
            if "textarea" not in types:
                continue
            names = " ".join(f"{f.name} {f.placeholder}" for f in form.fields)
            text = f"{form.text} {names}"
            if _FORM_EXCLUDE.search(form.text) or not _FORM_HINTS.search(text):
                continue
            key = f"form:{where}:{form.action}"
            if key not in found:
                found[key] = Channel("form", where, clip_label(form.text), where, "ok", "")
    ranked = sorted(found.values(), key=lambda c: (c.kind != "link", _rank(c.label, labels)))
    return ranked, list(excluded.values())


def clip_label(text: str, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def channel_pages(snap, profile, everywhere: bool = False, settings: LetterSettings = LetterSettings()):
    """Pages searched for channels: the homepage (and its frames), the 互动交流 column, the pages
    its channel links lead to; with ``everywhere``, every crawled page."""
    out = []
    home = snap.homepage
    if home is not None and home.facts is not None:
        forms = list(home.forms)
        out.append((home.final_url, homepage_links(snap), forms))
    named, page = interaction_column(snap, profile, settings)
    if page is not None:
        out.append((page.final_url, list(page.links), list(page.forms)))
    if everywhere:
        seen = {w for w, _l, _f in out}
        for p in snap.html_pages():
            if p.final_url not in seen:
                out.append((p.final_url, list(p.links), list(p.forms)))
    return out


def crawl_cut(snap) -> bool:
    return crawl_was_cut(snap)
