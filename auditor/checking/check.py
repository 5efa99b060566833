"""The check plugin API.

A check is one module holding its metadata beside its logic::

    from auditor.checking.check import check, Result, Evidence, T

    @check(
        id="identity.icp",
        title=T("ICP 备案编号", "ICP registration number"),
        category="identity",
        clause=Clause("《非经营性互联网信息服务备案管理办法》（信息产业部令第33号）", "第十三条",
                      quote="非经营性互联网信息服务提供者应当在其网站开通时在主页底部的中央位置标明其备案编号……",
                      effective="2005-03-20", rule="R-footer-icp"),
        weight=2,
    )
    def run(snap, profile):
        ...
        return Result.passed(T("找到备案号 …", "Found …"), evidence=[...])

The decorator returns a :class:`Check`; the module exposes it (conventionally as
``CHECK``) and the project registers it under the ``gov_audit.checks`` entry-point
group. A check is a pure function of the snapshot and the profile: it never fetches.
It reads the snapshot through the views (``auditor.views``: columns, dates, the homepage's
text sources …, each computed once per audit). Its settings are declared with their defaults,
``settings={"max_age_days": Setting(30, "…")}``, and a function ``run(snap, profile, settings)``
gets them with the profile's overrides applied.
"""
from __future__ import annotations

import copy
import enum
from dataclasses import dataclass, field
import inspect
from datetime import date
from typing import Any, Callable, Iterable, Mapping

# The texts and evidence of a verdict are plain data the views produce too: defined below the
# checks' stage, and part of this API as ever.
from auditor.views.evidence import Evidence, T, as_text  # noqa: F401 - re-exported


class Status(str, enum.Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NA = "na"
    UNKNOWN = "unknown"
    ERROR = "error"

    @property
    def judged(self) -> bool:
        """Whether the status counts towards the score (na/unknown/error do not)."""
        return self in (Status.PASS, Status.WARN, Status.FAIL)


@dataclass(frozen=True)
class Clause:
    """The rule a check enforces, as a reader can look it up (docs/rules.md).

    ``document``: the official document's full title and number; ``article``: the clause
    (article, section or item) within it; ``quote``: the requirement's wording, verbatim, or ""
    when no copy of the official text was found (never paraphrase here); ``effective``: the ISO
    date the rule took effect — an audit whose as-of date is earlier reports the check ``na``;
    ``since``: when an earlier document already required the same (the 2015 census had the 2019
    vetoes; the 2008 条例 the annual report), the date that one took effect — the check applies
    from there; ``rule``: the rule's anchor in docs/rules.md (``R-…``). ``confidence``: ✅ verified (wording
    read in a copy of the official text), 🟡 secondary source, ❓ unverified. 🟡/❓ rules are
    profile settings and never veto items.
    """

    document: str
    article: str = ""
    confidence: str = "✅"
    note: str = ""
    quote: str = ""
    effective: str = ""
    rule: str = ""
    since: str = ""

    def __post_init__(self):
        if self.confidence not in ("✅", "🟡", "❓"):
            raise ValueError(f"clause confidence must be ✅, 🟡 or ❓, not {self.confidence!r}")
        for name in ("effective", "since"):
            value = getattr(self, name)
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"clause {name} date must be YYYY-MM-DD, not {value!r}") from None
        if self.since and (not self.effective or self.since >= self.effective):
            raise ValueError(f"clause since ({self.since}) must be earlier than its effective date ({self.effective})")

    @property
    def effective_date(self) -> date | None:
        """The date the rule took effect, or None when unknown."""
        return date.fromisoformat(self.effective) if self.effective else None

    @property
    def applies_from(self) -> str:
        """The first day the requirement was in force: ``since`` (an earlier document) or ``effective``."""
        return self.since or self.effective

    def in_force(self, as_of: date | None) -> bool:
        """Whether the requirement applies on ``as_of`` (one with no known date always does)."""
        start = date.fromisoformat(self.applies_from) if self.applies_from else None
        return start is None or as_of is None or as_of >= start

    def label(self) -> str:
        return f"{self.document} {self.article}".strip()

    def to_json(self) -> dict:
        return {"document": self.document, "article": self.article,
                "confidence": self.confidence, "note": self.note, "quote": self.quote,
                "effective": self.effective or None, "rule": self.rule, "since": self.since or None}


MAX_EVIDENCE = 50


@dataclass
class Result:
    status: Status
    summary: T
    evidence: list[Evidence] = field(default_factory=list)
    remediation: T | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        self.status = Status(self.status)
        self.summary = as_text(self.summary)
        if len(self.evidence) > MAX_EVIDENCE:
            extra = len(self.evidence) - MAX_EVIDENCE
            self.evidence = list(self.evidence[:MAX_EVIDENCE])
            self.details.setdefault("evidence_truncated", extra)

    @classmethod
    def passed(cls, summary, evidence: Iterable[Evidence] = (), **details) -> "Result":
        return cls(Status.PASS, as_text(summary), list(evidence), details=details)

    @classmethod
    def warned(cls, summary, evidence: Iterable[Evidence] = (), **details) -> "Result":
        return cls(Status.WARN, as_text(summary), list(evidence), details=details)

    @classmethod
    def failed(cls, summary, evidence: Iterable[Evidence] = (), **details) -> "Result":
        return cls(Status.FAIL, as_text(summary), list(evidence), details=details)

    @classmethod
    def not_applicable(cls, summary, evidence: Iterable[Evidence] = (), **details) -> "Result":
        return cls(Status.NA, as_text(summary), list(evidence), details=details)

    @classmethod
    def unknown(cls, summary, evidence: Iterable[Evidence] = (), **details) -> "Result":
        return cls(Status.UNKNOWN, as_text(summary), list(evidence), details=details)


CATEGORIES: dict[str, T] = {
    "availability": T("网站可用性", "Availability"),
    "identity": T("网站标识与备案", "Site identity"),
    "disclosure": T("政府信息公开", "Information disclosure"),
    "services": T("办事服务", "Online services"),
    "interaction": T("互动交流", "Interaction"),
    "freshness": T("信息更新", "Freshness"),
    "links": T("链接可用性", "Link health"),
    "search": T("站内搜索", "Site search"),
    "security": T("安全与 HTTPS", "Security and HTTPS"),
    "content": T("内容安全", "Content safety"),
    "ipv6": T("IPv6 支持", "IPv6 support"),
    "privacy": T("个人信息保护", "Privacy"),
    "accessibility": T("无障碍与适老化", "Accessibility"),
    "other": T("其他", "Other"),
}


@dataclass(frozen=True)
class Setting:
    """One setting of a check: its default and what it means. A profile overrides the default
    in the check's table (``[checks."a11y.basics"]``); the default is written here only."""

    default: Any
    doc: str = ""


def _as_setting(value: Any) -> Setting:
    return value if isinstance(value, Setting) else Setting(value)


# Keys any check's table may hold, whatever the check declares: the runner and the scoring read them.
GENERAL_KEYS = ("enabled", "weight")


def profile_table(profile, check_id: str) -> dict[str, Any]:
    """The profile's table for one check (``[checks."<id>"]``), {} when it has none."""
    if profile is None:
        return {}
    table = (profile.get("checks", {}) or {}).get(check_id, {})
    return table if isinstance(table, dict) else {}


def declared_values(declared: Mapping[str, Setting], table: Mapping[str, Any]) -> dict[str, Any]:
    """Each declared setting's value: the profile's where it sets one, else the default.

    Only declared keys are returned, so reading an undeclared one is a KeyError, never a silent
    default written somewhere else. A table-valued setting merges key by key (a profile adds or
    replaces one entry of ``elements``), as profiles merge; lists and values replace. Values are
    copies: a check cannot change a default for the next one.
    """
    values: dict[str, Any] = {}
    for key, setting in declared.items():
        value = copy.deepcopy(setting.default)
        if key in table:
            over = table[key]
            if isinstance(value, dict) and isinstance(over, dict):
                value.update(copy.deepcopy(over))
            else:
                value = copy.deepcopy(over)
        values[key] = value
    return values


@dataclass(frozen=True)
class Check:
    id: str
    title: T
    category: str
    clause: Clause
    func: Callable[..., Result]
    weight: float = 1.0
    veto: bool = False
    description: T = T("")
    remediation: T = T("")
    gatherers: tuple[str, ...] = ()
    # Gatherers among ``gatherers`` whose facts the check reads when they were gathered and
    # judges without otherwise (computed styles, a sample of attachments). Every other one is
    # needed: when it did not run or failed, the runner reports the check unknown, saying why.
    optional: tuple[str, ...] = ()
    source: str = ""  # the module or distribution that provided the check
    settings: Mapping[str, Setting] = field(default_factory=dict)
    # gatherer name -> the settings of this check that gatherer works with (probes, sample sizes);
    # the audit hands them down (auditor.operations.audit), so gatherers never read check settings.
    gatherer_settings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    takes_settings: bool = False  # the function is run(snap, profile, settings)

    def settings_for(self, profile) -> dict[str, Any]:
        """The declared settings with their defaults, overridden by the profile's table for this check."""
        return declared_values(self.settings, profile_table(profile, self.id))

    def run(self, snapshot, profile) -> Result:
        if self.takes_settings:
            result = self.func(snapshot, profile, self.settings_for(profile))
        else:
            result = self.func(snapshot, profile)
        if not isinstance(result, Result):
            raise TypeError(f"check {self.id} returned {type(result).__name__}, not Result")
        if result.remediation is None and result.status in (Status.FAIL, Status.WARN):
            result.remediation = self.remediation
        return result

    def meta_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title.to_json(),
            "category": self.category,
            "clause": self.clause.to_json(),
            "weight": self.weight,
            "veto": self.veto,
            "description": self.description.to_json(),
            "source": self.source,
            "settings": {k: {"default": s.default, "doc": s.doc} for k, s in self.settings.items()},
        }


def check(*, id: str, title: T, category: str, clause: Clause, weight: float = 1.0,
          veto: bool = False, description: T = T(""), remediation: T = T(""),
          gatherers: Iterable[str] = (), optional: Iterable[str] = (), settings: Mapping[str, Any] | None = None,
          gatherer_settings: Mapping[str, Iterable[str]] | None = None) -> Callable[[Callable[..., Result]], Check]:
    """Decorate a ``(snapshot, profile) -> Result`` function into a :class:`Check`.

    ``gatherers`` names the facts the check reads; the runner turns a needed one that was not
    gathered, or whose gatherer failed, into ``unknown`` with the reason, so the check itself
    carries no guard for it. ``optional`` names those among them the check can judge without.
    ``settings`` declares the check's settings: name -> :class:`Setting` (or a bare default).
    A function with a third parameter, ``run(snap, profile, settings)``, gets them as a dict,
    each the profile's value or else the default. ``gatherer_settings`` names those a gatherer
    works with: ``{"ipv6": ("probes",)}``.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; one of {sorted(CATEGORIES)}")
    if veto and clause.confidence != "✅":
        # docs/rules.md: 🟡/❓ rules are profile settings, never hard verdicts.
        raise ValueError(f"check {id}: a veto item needs a verified (✅) clause")

    declared = {k: _as_setting(v) for k, v in (settings or {}).items()}
    gatherers, optional = tuple(gatherers), tuple(optional)
    if not set(optional) <= set(gatherers):
        raise ValueError(f"check {id}: optional gatherers {sorted(set(optional) - set(gatherers))} are not in gatherers")
    handed = {g: tuple(keys) for g, keys in (gatherer_settings or {}).items()}
    for g, keys in handed.items():
        unknown = [k for k in keys if k not in declared]
        if unknown:
            raise ValueError(f"check {id}: gatherer_settings[{g!r}] names undeclared settings {unknown}")

    def wrap(func: Callable[..., Result]) -> Check:
        return Check(id=id, title=title, category=category, clause=clause, func=func,
                     weight=weight, veto=veto, description=description,
                     remediation=remediation, gatherers=gatherers, optional=optional,
                     source=getattr(func, "__module__", ""), settings=declared,
                     gatherer_settings=handed, takes_settings=_positional_count(func) >= 3)

    return wrap


def _positional_count(func: Callable) -> int:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 2
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def gatherer_settings(checks: Iterable[Check], profile) -> dict[str, dict[str, Any]]:
    """gatherer name -> the settings the checks hand it (each check's value under this profile)."""
    out: dict[str, dict[str, Any]] = {}
    for chk in checks:
        if not chk.gatherer_settings:
            continue
        values = chk.settings_for(profile)
        for g, keys in chk.gatherer_settings.items():
            out.setdefault(g, {}).update({k: values[k] for k in keys})
    return out
