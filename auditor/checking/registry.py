"""Finding checks: the ``gov_audit.checks`` entry-point group, and the built-in package.

Built-in checks are registered through the same entry-point group as third-party
ones (see pyproject.toml). The ``checks`` package is also scanned, so a source
checkout that was not installed still finds its own checks, and a new file dropped
into ``checks/`` works before the package is reinstalled.
"""
from __future__ import annotations

import fnmatch
import importlib
import pkgutil
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from auditor.checking.check import Check

ENTRY_POINT_GROUP = "gov_audit.checks"


@dataclass
class Registry:
    checks: dict[str, Check] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, chk: Check, source: str) -> None:
        if chk.id in self.checks:
            if self.checks[chk.id] is chk or self.checks[chk.id].func is chk.func:
                return
            self.problems.append(f"duplicate check id {chk.id} from {source}; kept the first")
            return
        self.checks[chk.id] = chk

    def select(self, only: list[str] | None = None, skip: list[str] | None = None) -> list[Check]:
        chosen = []
        for cid in sorted(self.checks):
            if only and not any(fnmatch.fnmatchcase(cid, g) for g in only):
                continue
            if skip and any(fnmatch.fnmatchcase(cid, g) for g in skip):
                continue
            chosen.append(self.checks[cid])
        return chosen


def _checks_in(obj) -> list[Check]:
    """A Check, a module exposing Checks, or a list of them."""
    if isinstance(obj, Check):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [c for c in obj if isinstance(c, Check)]
    return [v for v in vars(obj).values() if isinstance(v, Check)] if hasattr(obj, "__dict__") else []


def discover(include_builtin_scan: bool = True) -> Registry:
    reg = Registry()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the audit
            reg.problems.append(f"could not load check plugin {ep.name} ({ep.value}): {exc}")
            continue
        found = _checks_in(obj)
        if not found:
            reg.problems.append(f"plugin {ep.name} ({ep.value}) provides no check")
        for chk in found:
            reg.add(chk, ep.value)
    if include_builtin_scan:
        import checks as builtin

        for info in pkgutil.iter_modules(builtin.__path__):
            if info.name.startswith("_"):
                continue
            name = f"checks.{info.name}"
            try:
                module = importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001
                reg.problems.append(f"could not import {name}: {exc}")
                continue
            for chk in _checks_in(module):
                reg.add(chk, name)
    return reg
