"""Labelled pages: a page's content as lines, and its ``label → value`` pairs.

办事指南 and 留言 detail pages are forms filled in by a CMS: a label (申请条件,
留言时间 …) and its value. Real templates write the label as

* a two-column table row — ``<tr><th>申请条件</th><td>…</td></tr>`` or a first
  ``<td>`` (TRS), sometimes four cells (label, value, label, value);
* a header row over a value row (``<tr><th>办理地点</th><th>办理时间</th></tr>``);
* a heading or bold paragraph followed by paragraphs (``<h3>四、申请条件</h3><p>…``,
  ``<p><strong>申请条件</strong></p>``), or Hanweb ``<div class="tit">`` / ``<div class="con">``;
* ``<dt>申请条件</dt><dd>…</dd>``;
* an inline label: ``申请条件：…``, several on one line (``留言时间：2026-06-15 办理状态：未回复``).

:func:`lines` flattens the content (navigation, breadcrumb and footer left out) to
lines; :func:`pairs` reads the pairs with a :class:`Vocabulary` — the known labels
and the category each names (the synonym tables live in the profile). Images in the
content become ``〔图:alt〕`` tokens, so a section holding only a flowchart is not empty.
A view module: pages are read once per audit (auditor.views.cache).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.views.cache import view
from auditor.views.page_text import compact, nfkc

BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "dt", "dd",
                        "table", "tbody", "thead", "tfoot", "ul", "ol", "dl", "section", "article", "blockquote",
                        "pre", "caption", "form", "center", "hr", "br", "fieldset", "legend", "main", "aside",
                        "figure", "figcaption", "address"})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option", "head", "title", "nav",
                       "header", "footer", "iframe", "button"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "legend", "caption"})
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|header|top|topbar|footer|foot|bottom|copyright|banquan|"
                     r"sidebar|sidenav|crumb|breadcrumb|position|location|weizhi|dqwz|share|toolbar|art-tools|"
                     r"dibu|bq|search-box|searchbox|pagination|pager)(?:$|[\s_-]|\d)", re.I)
IMG_TOKEN = "〔图〕"
MAX_LABEL = 20
# Numbering before a label: 一、 （一） 1. 1、 1.1 ① 第一条 ■ ● 【…】
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十百\d]+[条项章节部分]?[、.．:：\s]*|[一二三四五六七八九十]+[、.．]|"
                        r"[（(][一二三四五六七八九十\d]+[)）][、.．]?|\d+(?:\.\d+)*[、.．)）]?(?!\d)|[①-⑳]|"
                        r"[■□●○◆◇▲△★☆·•>※\-—*]+)\s*")
_BRACKETS = re.compile(r"^[【\[〖「『]\s*(.*?)\s*[】\]〗」』]$")
_SENTENCE_END = re.compile(r"[。；;！!？?]$")


def norm_label(text: str) -> str:
    """A label without numbering, brackets, whitespace and its trailing colon: "（四）申请条件：" → "申请条件"."""
    t = compact(text)
    for _ in range(2):
        t2 = _NUMBERING.sub("", t)
        m = _BRACKETS.match(t2)
        if m:
            t2 = m.group(1)
        t2 = t2.rstrip(":：.．、 ")
        if t2 == t:
            break
        t = t2
    return t


@dataclass(eq=False)  # hashed by identity: a parameter of the page_pairs view
class Vocabulary:
    """Known labels: category → synonyms, plus labels that only end the previous value."""

    categories: dict[str, list[str]]
    boundaries: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._syn = sorted({(compact(s), c) for c, syns in self.categories.items() for s in syns if s},
                           key=lambda x: -len(x[0]))
        self._bound = sorted({compact(b) for b in self.boundaries if b}, key=len, reverse=True)
        words = {s for s, _ in self._syn} | set(self._bound)
        alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        # A known label and a colon, at the start of a line or after a space or punctuation.
        self._inline = re.compile(rf"(?:^|(?<=[\s。；;，,、|）)】]))(?:{alt})\s*[:：]") if alt else None
        self._cache: dict[tuple[str, bool], tuple[str, ...] | None] = {}

    def classify(self, label: str, loose: bool = True) -> tuple[str, ...] | None:
        """The categories a label names (longest synonym wins; ties name several), () for a
        known boundary label, None when the label is not known.

        ``loose`` lets a synonym sit anywhere in a short label ("本事项收费标准"); otherwise
        the label must be the synonym or start with it ("申请材料目录"): a value line such
        as "不收费" is not a label.
        """
        key = norm_label(label)
        ck = (key, loose)
        if ck not in self._cache:
            self._cache[ck] = self._classify(key, loose)
        return self._cache[ck]

    @staticmethod
    def _match(key: str, syn: str, loose: bool) -> bool:
        if key == syn:
            return True
        if len(key) > len(syn) + 6:
            return False
        if loose:
            return syn in key
        return len(syn) >= 3 and key.startswith(syn)

    def _classify(self, key: str, loose: bool) -> tuple[str, ...] | None:
        if not key or len(key) > MAX_LABEL:
            return None
        best, cats = 0, []
        for syn, cat in self._syn:
            if len(syn) < best:
                break
            if self._match(key, syn, loose):
                best = len(syn)
                if cat not in cats:
                    cats.append(cat)
        bound = next((b for b in self._bound if self._match(key, b, loose)), None)
        if bound is not None and len(bound) > best:
            return ()
        if cats:
            return tuple(cats)
        return () if bound is not None else None

    def is_exact(self, label: str) -> bool:
        """Whether a label is exactly one of the known labels (after numbering and colon)."""
        key = norm_label(label)
        return any(key == s for s, _c in self._syn) or key in self._bound

    def inline_splits(self, text: str) -> list[int]:
        """Start offsets of ``label：`` occurrences in a line."""
        if self._inline is None:
            return []
        return [m.start() for m in self._inline.finditer(text)]


@dataclass
class Line:
    text: str
    tag: str  # the block element the text came from
    label_cell: bool = False  # a table cell in label position (<th>, first of a two-column row …)
    value_cell: bool = False  # a table cell in value position (second of a two-column row …)
    heading: bool = False  # from a heading tag, <dt>, <th>, <legend>, <caption>
    bold: bool = False  # all its text is bold
    imgs: list = field(default_factory=list)  # (src, alt, title) of images in the line
    links: list = field(default_factory=list)  # (href, text) of links in the line


# -- flattening the content ---------------------------------------------------------------
def content_root(tree):
    """The element holding the page's content: <body> (chrome is skipped while walking)."""
    if tree is None:
        return None
    body = tree.find(".//body")
    return body if body is not None else tree


def _is_chrome(el) -> bool:
    marks = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
    return bool(marks) and bool(_CHROME.search(marks))


class _Flattener:
    def __init__(self):
        self.out: list[Line] = []
        self._reset()
        self.tag = "div"

    def _reset(self) -> None:
        self.buf: list[str] = []
        self.imgs: list = []
        self.links: list = []
        self.bold_chars = 0

    def flush(self, tag: str | None = None, label_cell: bool = False, heading: bool = False,
              value_cell: bool = False) -> None:
        text = " ".join("".join(self.buf).split())
        if text:
            plain = compact(text.replace(IMG_TOKEN, ""))
            bold = 0 < len(plain) <= self.bold_chars
            self.out.append(Line(text, tag or self.tag, label_cell, value_cell, heading, bold, self.imgs, self.links))
        self._reset()

    def walk(self, el, in_bold: bool = False) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):  # comments, processing instructions
                if child.tail:
                    self._text(child.tail, in_bold)
                continue
            tag = tag.lower()
            if tag in SKIP_TAGS or _is_chrome(child):
                pass
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag == "img":
                self.buf.append(IMG_TOKEN)
                self.imgs.append((child.get("src") or "", child.get("alt") or "", child.get("title") or ""))
            elif tag in BLOCK_TAGS:
                self.flush()
                self.tag = tag
                head = tag in HEADING_TAGS
                if child.text:
                    self._text(child.text, in_bold or head)
                self.walk(child, in_bold or head)
                self.flush(tag, heading=head)
            else:
                if tag == "a":
                    self.links.append((child.get("href") or "", " ".join("".join(child.itertext()).split())))
                bold = in_bold or tag in ("strong", "b") or "bold" in (child.get("style") or "")
                # Adjacent inline elements are separate fields ("<span>实施主体</span><span>市局</span>").
                self.buf.append(" ")
                if child.text:
                    self._text(child.text, bold)
                self.walk(child, bold)
                self.buf.append(" ")
            if child.tail:
                self._text(child.tail, in_bold)

    def _text(self, text: str, bold: bool) -> None:
        self.buf.append(text)
        if bold:
            self.bold_chars += len(compact(text))

    def table(self, table) -> None:
        rows = [r for r in table.iter("tr") if _owner_table(r) is table]
        cells_of = [[c for c in r if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")] for r in rows]
        # A header row over a single value row: pair them up column by column.
        if len(rows) == 2 and len(cells_of[0]) == len(cells_of[1]) >= 2 and \
                all(c.tag.lower() == "th" for c in cells_of[0]) and \
                not all(c.tag.lower() == "th" for c in cells_of[1]):
            for head, value in zip(cells_of[0], cells_of[1]):
                self._cell(head, label_cell=True)
                self._cell(value, value_cell=True)
            return
        for cells in cells_of:
            n = len(cells)
            paired = n in (2, 4, 6) and all(_short(c) or c.tag.lower() == "th" for c in cells[::2])
            for i, cell in enumerate(cells):
                label_cell = cell.tag.lower() == "th" or (paired and i % 2 == 0)
                value_cell = paired and i % 2 == 1 and cell.tag.lower() == "td"
                self._cell(cell, label_cell=label_cell, value_cell=value_cell)

    def _cell(self, cell, label_cell: bool = False, value_cell: bool = False) -> None:
        tag = self.tag = cell.tag.lower()
        head = tag == "th"
        if cell.text:
            self._text(cell.text, head)
        self.walk(cell, head)
        self.flush(tag, label_cell=label_cell, heading=head, value_cell=value_cell)


def _owner_table(row):
    node = row.getparent()
    while node is not None and (not isinstance(node.tag, str) or node.tag.lower() != "table"):
        node = node.getparent()
    return node


def _short(cell) -> bool:
    text = compact("".join(cell.itertext()))
    return 0 < len(text) <= 15 and not re.fullmatch(r"[\d\-/.:年月日 ]+", text)


def lines(root) -> list[Line]:
    """The content under ``root`` as lines, in document order (chrome and scripts left out)."""
    if root is None:
        return []
    f = _Flattener()
    if root.text:
        f._text(root.text, False)
    f.walk(root)
    f.flush()
    return f.out


# -- reading label → value pairs -----------------------------------------------------------
@dataclass
class Pair:
    label: str  # as written
    categories: tuple[str, ...]  # () for a known or structural label of no category
    value: str = ""
    imgs: list = field(default_factory=list)
    links: list = field(default_factory=list)
    line: int = 0  # index of the label's line

    @property
    def key(self) -> str:
        return norm_label(self.label)


_LABEL_COLON = re.compile(r"^(.{1,15}?)\s*[:：]\s*(.*)$", re.S)
MAX_STRUCTURAL_LABEL = 12


def pairs(content: list[Line], vocab: Vocabulary) -> list[Pair]:
    """Label → value pairs of the content. A value runs until the next label.

    A line alone is a label when it is a known label (exactly, or loosely when it is
    a heading, a table label cell or all bold), or a short table label cell / heading
    of no known category, which only ends the previous value. ``label：value`` is read
    anywhere for known labels, and for unknown ones in label cells and headings.
    """
    out: list[Pair] = []
    current: Pair | None = None

    def start(label: str, cats, i: int, value: str = "", line: Line | None = None) -> Pair:
        p = Pair(label.strip(), tuple(cats or ()), value.strip(), line=i)
        if line is not None and value.strip():
            p.imgs.extend(line.imgs)
            p.links.extend(line.links)
        out.append(p)
        return p

    for i, line in enumerate(content):
        text = line.text.strip()
        if not text:
            continue
        plain = text.replace(IMG_TOKEN, "").strip()
        key = norm_label(plain)
        structural = line.label_cell or line.heading
        folded = fold_keep(text)
        # A line right under a label that has no value yet is that value, unless it is
        # plainly a label itself ("申请材料清单见附件" under 办理材料 is a value).
        waiting = current is not None and not current.value and not structural and not vocab.is_exact(plain)
        if line.value_cell or waiting:
            if _inline_or_append(vocab, folded, text, line, i, current, start, out):
                current = out[-1]
            continue
        # 1. a known label, a space, its value: "<span>实施机关</span> <span>市局</span>"
        first = folded.split(" ", 1)
        if not structural and len(first) == 2 and ":" not in first[0] and len(norm_label(first[0])) >= 2 \
                and first[1].strip():
            cats = vocab.classify(first[0], loose=False)
            if cats:
                current = start(first[0], cats, i, first[1], line)
                continue
        # 2. a label alone on its line
        if key and len(key) <= MAX_LABEL and ":" not in key:
            cats = vocab.classify(plain, loose=structural or line.bold)
            if cats is not None or (structural and len(key) <= MAX_STRUCTURAL_LABEL
                                    and not _SENTENCE_END.search(key)):
                current = start(plain, cats, i)
                continue
        # 3. inline known labels: "申请条件：…", possibly several on one line
        if _inline_or_append(vocab, folded, text, line, i, None, start, out, append=False):
            current = out[-1]
            continue
        m = _LABEL_COLON.match(folded)
        if m and structural and len(norm_label(m.group(1))) <= 10:
            current = start(m.group(1), (), i, m.group(2), line)
            continue
        if current is not None:
            _append(current, text, line)
    return out


def _inline_or_append(vocab, folded, text, line, i, current, start, out, append: bool = True) -> bool:
    """Read ``label：value`` segments of a line into new pairs (True), else append the line
    to ``current`` when ``append`` (False)."""
    splits = vocab.inline_splits(folded)
    if not splits:
        if append and current is not None:
            _append(current, text, line)
        return False
    head = folded[: splits[0]].strip()
    if head and out:
        _append(out[-1], head, line)
    bounds = splits + [len(folded)]
    made = False
    for a, b in zip(bounds, bounds[1:]):
        m = _LABEL_COLON.match(folded[a:b].strip())
        if m:
            start(m.group(1), vocab.classify(m.group(1)) or (), i, m.group(2), line)
            made = True
    return made


def fold_keep(text: str) -> str:
    """NFKC with whitespace runs kept as one space (offsets for inline splitting)."""
    return " ".join(nfkc(text).split())


def _append(pair: Pair, text: str, line: Line) -> None:
    pair.value = (pair.value + " " + text).strip() if pair.value else text
    pair.imgs.extend(line.imgs)
    pair.links.extend(line.links)


def is_empty_value(value: str, empty_values: list[str]) -> bool:
    """A value that says nothing: blank, or one of the placeholders (无, —, 暂无 …)."""
    t = compact(value).strip("。.，,;；:：")
    if not t:
        return True
    return t in {compact(v) for v in empty_values} or bool(re.fullmatch(r"[-—–_/\\·.…、]+", t))


@view
def lines_of(page) -> list[Line]:
    """lines() of a page's content, once per audit (reads the tree: few pages only)."""
    return lines(content_root(page.tree))


@view
def page_pairs(page, vocab: Vocabulary) -> list[Pair]:
    """pairs() of a page's content with ``vocab``, once per (page, vocabulary)."""
    return pairs(lines_of(page), vocab)
