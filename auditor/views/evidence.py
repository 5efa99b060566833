"""What a finding is made of: a bilingual text (T) and a place on the site (Evidence).

Plain data, shared by the views (which find the places) and the checks (which judge them);
``auditor.checking.check`` exports both as part of the check API.
"""
from __future__ import annotations

from dataclasses import dataclass


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
class Evidence:
    """A place on the site that shows why: a URL and what was seen there."""

    url: str = ""
    excerpt: str = ""
    note: T | str = ""

    def to_json(self) -> dict:
        return {"url": self.url, "excerpt": self.excerpt, "note": as_text(self.note).to_json()}
