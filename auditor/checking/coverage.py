"""Absence needs coverage: "not found" is a failure only where the crawl reached the part of
the site where the thing would be; otherwise the verdict is unknown, saying what was not reached.

A check about to conclude "missing" asks :func:`not_reached` first, with where the thing
would be (a column's URL, a section such as "/hdjl/", or None for "anywhere on the site").
"""
from __future__ import annotations

from typing import Iterable

from auditor.checking.check import Evidence, Result, T
from auditor.crawl.coverage import Unvisited


def unvisited_where(snap, where: Iterable[str | None] | str | None) -> Unvisited:
    """Unvisited URLs in the sections of ``where`` (URLs or sections); None: anywhere on the site."""
    if where is None or (not isinstance(where, str) and all(w is None for w in where)):
        return snap.coverage.everywhere()
    places = [where] if isinstance(where, str) else [w for w in where if w]
    sections: dict[str, Unvisited] = {}
    for place in places:
        key = snap.section_of(place) if place.startswith(("http://", "https://")) else place
        if key not in sections:
            sections[key] = snap.unvisited_under(key)
    causes: dict[str, int] = {}
    for u in sections.values():
        for cause, n in u.by_cause.items():
            causes[cause] = causes.get(cause, 0) + n
    shown = "、".join(k for k, u in sections.items() if u)
    return Unvisited(sum(causes.values()), causes, shown)


def not_reached(snap, where, what: T, evidence: Iterable[Evidence] = (), **details) -> Result | None:
    """``unknown`` when the part of the site where ``what`` would be has links the crawl left
    unvisited (page cap, time budget, depth, robots.txt, trap bound, no answer); else None."""
    gap = unvisited_where(snap, where)
    if not gap:
        return None
    place = gap.where if gap.where and gap.where != "/" else "本站"
    place_en = gap.where if gap.where and gap.where != "/" else "the site"
    details = {**details, "unvisited": {"where": gap.where or "/", "total": gap.total, "by_cause": dict(gap.by_cause)}}
    return Result.unknown(T(f"未找到{what.zh}，但未抓取到 {place} 下 {gap.total} 个链接（{gap.causes_text('zh')}），无法确认",
                            f"no {what.en} found, but {gap.total} links in {place_en} were not visited "
                            f"({gap.causes_text('en')}): cannot tell"), list(evidence), **details)
