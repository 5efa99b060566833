"""The check plugin API.

A check is one module holding its metadata beside its logic::

    from auditor.checking.check import check, Result, Evidence, T

    @check(
        id="identity.icp",
        title=T("ICP 备案编号", "ICP registration number"),
        category="identity",
        clause=Clause("《政府网站发展指引》", "页面底部功能区", confidence="🟡"),
        weight=2,
    )
    def run(snap, profile):
        ...
        return Result.passed(T("找到备案号 …", "Found …"), evidence=[...])

The decorator returns a :class:`Check`; the module exposes it (conventionally as
``CHECK``) and the project registers it under the ``gov_audit.checks`` entry-point
group. A check is a pure function of the snapshot and the profile: it never fetches.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable


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
class T:
    """A user-facing text in Chinese and English."""

    zh: str
    en: str = ""

    def get(self, lang: str) -> str:
        if lang == "en" and self.en:
            return self.en
        return self.zh

    def to_json(self) -> dict:
        return {"zh": self.zh, "en": self.en or self.zh}


def as_text(value: "T | str | None") -> T:
    if value is None:
        return T("")
    if isinstance(value, T):
        return value
    return T(str(value), str(value))


@dataclass(frozen=True)
class Clause:
    """The rule a check enforces: document, article, and how sure the rule is.

    ``confidence`` uses the marks of the rules digest: ✅ verified, 🟡 secondary
    source, ❓ unverified. 🟡/❓ rules are profile settings and never veto items.
    """

    document: str
    article: str = ""
    confidence: str = "✅"
    note: str = ""

    def label(self) -> str:
        return f"{self.document} {self.article}".strip()

    def to_json(self) -> dict:
        return {"document": self.document, "article": self.article,
                "confidence": self.confidence, "note": self.note}


@dataclass(frozen=True)
class Evidence:
    """A place on the site that shows why: a URL and what was seen there."""

    url: str = ""
    excerpt: str = ""
    note: T | str = ""

    def to_json(self) -> dict:
        return {"url": self.url, "excerpt": self.excerpt, "note": as_text(self.note).to_json()}


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
    source: str = ""  # the module or distribution that provided the check

    def run(self, snapshot, profile) -> Result:
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
        }


def check(*, id: str, title: T, category: str, clause: Clause, weight: float = 1.0,
          veto: bool = False, description: T = T(""), remediation: T = T(""),
          gatherers: Iterable[str] = ()) -> Callable[[Callable[..., Result]], Check]:
    """Decorate a ``(snapshot, profile) -> Result`` function into a :class:`Check`."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; one of {sorted(CATEGORIES)}")
    if veto and clause.confidence != "✅":
        # The rules digest: 🟡/❓ rules are profile settings, never hard verdicts.
        raise ValueError(f"check {id}: a veto item needs a verified (✅) clause")

    def wrap(func: Callable[..., Result]) -> Check:
        return Check(id=id, title=title, category=category, clause=clause, func=func,
                     weight=weight, veto=veto, description=description,
                     remediation=remediation, gatherers=tuple(gatherers),
                     source=getattr(func, "__module__", ""))

    return wrap
