"""Scoring, as the README's table documents it.

- Each judged check earns credit: pass 1, warn 0.5, fail 0. ``na``, ``unknown`` and
  ``error`` are left out of the denominator: what could not be judged neither helps
  nor hurts, and the coverage figure says how much was judged.
- A category's score is 100 x (sum of weight x credit) / (sum of weights judged).
- The overall score is the category scores averaged with the profile's category
  weights, over categories with at least one judged check.
- A failing veto item (单项否决) makes the site 不合格 whatever its score, as the
  国办 indicators do; otherwise a score below the profile's pass line (60) does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from auditor.checking.check import CATEGORIES, Status
from auditor.checking.profile import Profile
from auditor.checking.runner import CheckRun

CREDIT = {Status.PASS: 1.0, Status.WARN: 0.5, Status.FAIL: 0.0}


@dataclass
class CategoryScore:
    id: str
    score: float | None
    weight: float
    counts: dict[str, int] = field(default_factory=dict)
    judged_weight: float = 0.0
    total_weight: float = 0.0


@dataclass
class Scorecard:
    score: float | None
    verdict: str  # pass | fail | unknown
    veto_failed: list[str]
    categories: list[CategoryScore]
    coverage: float
    pass_line: float
    counts: dict[str, int]


def score(runs: list[CheckRun], profile: Profile) -> Scorecard:
    by_cat: dict[str, list[CheckRun]] = {}
    for run in runs:
        by_cat.setdefault(run.check.category, []).append(run)
    cats: list[CategoryScore] = []
    for cat_id in [c for c in CATEGORIES if c in by_cat] + [c for c in by_cat if c not in CATEGORIES]:
        items = by_cat[cat_id]
        counts = {s.value: 0 for s in Status}
        num = den = total = 0.0
        for run in items:
            counts[run.result.status.value] += 1
            total += run.weight
            if run.result.status in CREDIT:
                num += run.weight * CREDIT[run.result.status]
                den += run.weight
        cats.append(CategoryScore(cat_id, round(100 * num / den, 1) if den else None,
                                  profile.category_weight(cat_id), counts, den, total))
    judged = [c for c in cats if c.score is not None and c.weight > 0]
    wsum = sum(c.weight for c in judged)
    overall = round(sum(c.score * c.weight for c in judged) / wsum, 1) if wsum else None
    veto_failed = [r.check.id for r in runs if r.check.veto and r.result.status == Status.FAIL]
    pass_line = float(profile.get("scoring.pass_line", 60))
    if veto_failed:
        verdict = "fail"
    elif overall is None:
        verdict = "unknown"
    else:
        verdict = "pass" if overall >= pass_line else "fail"
    all_weight = sum(r.weight for r in runs)
    judged_weight = sum(r.weight for r in runs if r.result.status in CREDIT)
    counts = {s.value: sum(1 for r in runs if r.result.status == s) for s in Status}
    return Scorecard(overall, verdict, veto_failed, cats,
                     round(judged_weight / all_weight, 3) if all_weight else 0.0, pass_line, counts)
