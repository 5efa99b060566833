"""Profiles: the rules that differ between a ministry, a province and a city, as data.

A profile is a TOML file. Built-ins live in ``auditor/profiles/``; a site's own
file can ``extends = "city"`` and override any key. Tables merge key by key; lists
and values replace.
"""
from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

BUILTIN = ("default", "ministry", "province", "city")


class ProfileError(Exception):
    pass


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _read_builtin(name: str) -> dict:
    text = resources.files("auditor.profiles").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def _load_raw(ref: str, seen: tuple[str, ...] = ()) -> dict:
    if ref in seen:
        raise ProfileError(f"profile inheritance loop: {' -> '.join(seen + (ref,))}")
    if ref in BUILTIN:
        data = _read_builtin(ref)
        origin = f"built-in profile {ref}"
    else:
        path = Path(ref)
        if not path.is_file():
            raise ProfileError(
                f"profile {ref!r} is neither a built-in ({', '.join(BUILTIN[1:])}) nor a readable file")
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(f"cannot read profile {ref}: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ProfileError(f"profile {ref} is not valid TOML: {exc}") from exc
        origin = str(path)
    if not isinstance(data, dict):
        raise ProfileError(f"{origin} is not a TOML table")
    if ref not in _VALID_BUILTINS:
        _check_layer(origin, data)
        if ref in BUILTIN:
            _VALID_BUILTINS.add(ref)  # they do not change while the process runs
    parent = data.get("extends")
    if parent is None and ref != "default":
        parent = "default"
    if parent:
        if not isinstance(parent, str):
            raise ProfileError(f"{origin}: 'extends' must be a profile name or path")
        if parent not in BUILTIN and ref not in BUILTIN and not Path(parent).is_absolute():
            parent = str(Path(ref).parent / parent)
        return _merge(_load_raw(parent, seen + (ref,)), data)
    return data


@dataclass(eq=False)  # hashed by identity: a view's parameter (auditor.views.cache)
class Profile:
    name: str
    data: dict[str, Any] = field(default_factory=dict)

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def keywords(self, name: str) -> list[str]:
        value = self.get(f"keywords.{name}", [])
        if not isinstance(value, list):
            raise ProfileError(f"profile {self.name}: keywords.{name} must be a list")
        return [str(v) for v in value]

    def threshold(self, name: str) -> float:
        """A number of [thresholds]. Its one default is in the built-in default profile, the base of
        every profile (a site's [thresholds] table merges key by key), not in the check."""
        value = self.get(f"thresholds.{name}")
        if value is None:
            raise ProfileError(f"profile {self.name}: thresholds.{name} is not set (the built-in default "
                               "profile sets it; a profile built without `extends` lacks it)")
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise ProfileError(f"profile {self.name}: thresholds.{name} must be a number") from exc

    def _check_table(self, check_id: str) -> dict:
        # Only the keys every check's table may hold are read here (enabled, weight); a check's
        # own settings are declared beside it and read through Check.settings_for.
        table = (self.get("checks", {}) or {}).get(check_id, {})
        return table if isinstance(table, dict) else {}

    def check_enabled(self, check_id: str) -> bool:
        return bool(self._check_table(check_id).get("enabled", True))

    def check_weight(self, check_id: str, default: float) -> float:
        return float(self._check_table(check_id).get("weight", default))

    def category_weight(self, category: str) -> float:
        return float(self.get(f"scoring.category_weights.{category}", 1.0))

    def to_json(self) -> dict:
        return {"name": self.name, "level": self.get("level", ""),
                "description": self.get("description", "")}


def load_profile(ref: str | None) -> Profile:
    ref = ref or "default"
    data = _load_raw(ref)
    _validate(ref, data)
    name = data.get("name") or (ref if ref in BUILTIN else Path(ref).stem)
    return Profile(str(name), data)


def _validate(ref: str, data: dict) -> None:
    for section in ("keywords", "thresholds", "checks", "scoring"):
        if section in data and not isinstance(data[section], dict):
            raise ProfileError(f"profile {ref}: [{section}] must be a table")
    for k, v in data.get("keywords", {}).items():
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ProfileError(f"profile {ref}: keywords.{k} must be a list of strings")
    for k, v in data.get("thresholds", {}).items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ProfileError(f"profile {ref}: thresholds.{k} must be a number")
    pass_line = data.get("scoring", {}).get("pass_line", 60)
    if not isinstance(pass_line, (int, float)) or not 0 <= pass_line <= 100:
        raise ProfileError(f"profile {ref}: scoring.pass_line must be between 0 and 100")


MAX_MESSAGES = 8
_VALID_BUILTINS: set[str] = set()


def _check_layer(origin: str, data: dict) -> None:
    """Validate one profile file against the profile schema (auditor.checking.profile_schema),
    before anything is crawled: every problem, with the file and the key."""
    from auditor.checking.profile_schema import validate

    problems = validate(data, profile_schema())
    if problems:
        more = len(problems) - MAX_MESSAGES
        text = "; ".join(problems[:MAX_MESSAGES]) + (f"; … and {more} more" if more > 0 else "")
        raise ProfileError(f"profile {origin}: {text}")


_SCHEMA: dict | None = None


def profile_schema() -> dict:
    """The schema of a profile file: types from the built-in profiles and the checks' own
    declared settings (built once per process)."""
    global _SCHEMA
    if _SCHEMA is None:
        from auditor.checking.profile_schema import build_schema

        defaults: dict = {}
        for name in BUILTIN:
            defaults = _merge(_read_builtin(name), defaults)  # default's types win
        _SCHEMA = build_schema(defaults, _declared_check_settings())
    return _SCHEMA


def _declared_check_settings() -> dict[str, dict] | None:
    """Check id -> the settings the check declares beside its code ({} when it declares none);
    None when the registry cannot be loaded (check ids are then not judged)."""
    try:
        from auditor.checking.registry import discover

        registry = discover()
    except Exception:  # noqa: BLE001 - a broken plugin is reported by the audit, not here
        return None
    out: dict[str, dict] = {}
    for cid, chk in registry.checks.items():
        settings = getattr(chk, "settings", None) or getattr(chk, "defaults", None)
        # Declared settings are Setting(default, doc): their defaults give the types.
        out[cid] = {k: getattr(v, "default", v) for k, v in settings.items()} if isinstance(settings, dict) else {}
    return out
