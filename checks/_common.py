"""Helpers the built-in checks share: text normalisation, searching the homepage's
sources, excerpts. Not a check module (the registry skips names starting with _)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from auditor.check import Evidence, Result, T

# Homepages with less visible text than this are probably built by scripts we did
# not run: absence of a footer item there is "could not determine", not "fail".
THIN_PAGE_CHARS = 200


def nfkc(text: str) -> str:
    """Fold full-width digits, letters and colons (１２３ ： Ｉ Ｃ Ｐ) to their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


def excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    a = max(0, start - width)
    b = min(len(text), end + width)
    snippet = re.sub(r"\s+", " ", text[a:b]).strip()
    return ("…" if a > 0 else "") + snippet + ("…" if b < len(text) else "")


WHERE = {
    "footer": T("页面底部", "page footer"),
    "page": T("页面正文", "page text"),
    "inline-script": T("页面内脚本", "inline script"),
    "html": T("页面源代码", "page source"),
    "script": T("引用的脚本文件", "included script"),
    "frame": T("内嵌框架页面", "framed page"),
}


@dataclass
class Hit:
    where: str
    url: str
    match: re.Match
    text: str

    @property
    def visible(self) -> bool:
        """Shown to a visitor: in the page text, a framed page, or written by a script."""
        return self.where in ("footer", "page", "frame", "script", "inline-script")

    def evidence(self, note: T | None = None) -> Evidence:
        label = note or WHERE.get(self.where, T(self.where))
        return Evidence(self.url, excerpt(self.text, self.match.start(), self.match.end()), label)


def search_homepage(snap, pattern: re.Pattern, *, first_only: bool = False) -> list[Hit]:
    """Find ``pattern`` in the homepage's footer, text, scripts and frames (NFKC-folded)."""
    hits: list[Hit] = []
    for where, url, text in snap.homepage_text_sources():
        if not text:
            continue
        folded = nfkc(text)
        for m in pattern.finditer(folded):
            hits.append(Hit(where, url, m, folded))
            if first_only:
                return hits
    return hits


def homepage_is_thin(snap) -> bool:
    page = snap.homepage
    return page is None or len(page.text) < THIN_PAGE_CHARS


def missing_status(profile, check_id: str, default: str) -> str:
    """How a missing item is judged (fail or warn) is a profile setting."""
    value = str(profile.check_setting(check_id, "missing", default))
    return value if value in ("fail", "warn") else default


def missing_result(status: str, summary: T, evidence=()) -> Result:
    return (Result.failed if status == "fail" else Result.warned)(summary, evidence)


def footer_evidence(page) -> Evidence:
    """What the footer does say, so a reader can see the item is really missing."""
    return Evidence(page.final_url, page.footer_text[-200:], T("页面底部文字", "footer text"))


def thin_unknown(what: T) -> Result:
    return Result.unknown(T(
        f"首页可见文字过少（可能由脚本生成），无法确认是否有{what.zh}；可用 --render 渲染后再查",
        f"the homepage has little static text (probably built by scripts), so the {what.en} "
        "could not be confirmed absent"))
