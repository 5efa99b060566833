"""The profile's JSON Schema, derived from the known defaults, and its one-line messages.

A profile is validated before any crawling, one file at a time, so each message names the
file that set the key: ``profile site.toml: checks."links.homepage".weight: must be a number,
not the string 'heavy'``.

The schema is not written out by hand for every check. Its general rules are fixed here
(a check's ``weight`` is a number >= 0, ``enabled`` a boolean, ``missing`` one of its
allowed values; timeouts > 0; ratios within 0–1; deadlines a real month and day). The type
of every other setting comes from its known default: the settings a check declares beside its
code (``Check.settings``, the one home of a check's defaults) and the built-in profiles (the
shared sections, and rows a level adds such as ``extra_areas``). A key nobody knows is reported
with the nearest known name.
"""
from __future__ import annotations

import copy
import difflib
import re
from datetime import date
from typing import Any, Iterable

# Sections a profile may have at the top; their content is derived from the defaults.
TOP_LEVEL = ("name", "level", "description", "extends", "scoring", "thresholds", "keywords", "columns",
             "checks", "services", "site", "identity", "deadlines", "disclosure")
# Tables whose keys are the profile author's own (a column's name, a page's role): their
# values share one shape, taken from the defaults' values, or given here when none exist.
OPEN_MAPS: dict[tuple[str, ...], dict] = {
    ("columns", "named"): {"anyOf": [{"type": "string"}, {
        "type": "object", "additionalProperties": False,
        "properties": {"url": {"type": "string"}, "class": {"type": "string"},
                       "first_level": {"type": "boolean"}}}]},
    ("columns", "classes"): {},
    ("disclosure", "pages"): {"type": "string"},
    ("checks", "services.guide-elements", "elements"): {},
}
# Settings the checks read that no built-in profile sets (documented in default.toml's comments).
DOCUMENTED = {"columns": {"disclosure": "", "named": {}}, "disclosure": {"pages": {}}}
# Keywords some checks read under names built at run time (channels.social).
KEYWORD_PATTERNS = (r"^social_(weibo|weixin|app)_(urls|labels|phrases)$",)
# What every check's table may hold, whatever the check (auditor.checking.check.GENERAL_KEYS).
GENERAL_CHECK_KEYS = {
    "enabled": {"type": "boolean"},
    "weight": {"type": "number", "minimum": 0},
}
ALLOWED_STRINGS = {"missing": ["fail", "warn"]}
_TOML_TYPES = {"boolean": "a boolean (true/false)", "number": "a number", "integer": "a whole number",
               "string": "a string", "array": "a list", "object": "a table"}


def _month_day(value: object) -> bool:
    if not isinstance(value, str):
        return True
    m = re.fullmatch(r"(\d{2})-(\d{2})", value)
    if not m:
        return False
    try:
        date(2000, int(m.group(1)), int(m.group(2)))  # a leap year: 02-29 is a real day
    except ValueError:
        return False
    return True


def _regex(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        re.compile(value)
    except re.error:
        return False
    return True


def _number_rules(key: str) -> dict:
    key = key.lower()
    if key == "pass_line":
        return {"minimum": 0, "maximum": 100}
    if key.startswith("grace_"):  # an allowance: none at all is a choice
        return {"minimum": 0}
    if "timeout" in key or key.endswith("_seconds") or key.endswith("_days") or key.endswith("_per_day"):
        return {"exclusiveMinimum": 0}
    if key.endswith(("_ratio", "_rate", "_share", "_coverage")) or key in ("min_share",):
        return {"minimum": 0, "maximum": 1}
    return {"minimum": 0}


def _string_rules(key: str) -> dict:
    key = key.lower()
    if key in ALLOWED_STRINGS:
        return {"enum": ALLOWED_STRINGS[key]}
    if "deadline" in key:
        return {"type": "string", "format": "month-day"}
    if key.endswith("_format") or key == "pattern":
        return {"type": "string", "format": "regex"}
    return {"type": "string"}


def _union(schemas: list[dict]) -> dict:
    """One schema for several examples of the same thing (table rows, map values)."""
    objects = [s for s in schemas if s.get("type") == "object"]
    if objects and len(objects) == len(schemas):
        props: dict = {}
        for s in objects:
            for k, v in s.get("properties", {}).items():
                props.setdefault(k, v)
        return {"type": "object", "properties": props, "additionalProperties": False}
    return schemas[0] if schemas else {}


def derive(value: Any, key: str = "", path: tuple[str, ...] = ()) -> dict:
    """The schema of a setting from its default value."""
    if path in OPEN_MAPS and isinstance(value, dict):
        given = OPEN_MAPS[path]
        values = [derive(v, k, path + (k,)) for k, v in value.items()]
        return {"type": "object", "additionalProperties": given or _union(values)}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, (int, float)):
        return {"type": "number", **_number_rules(key)}
    if isinstance(value, str):
        return _string_rules(key)
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            items = _union([derive(v, key, path) for v in value])
            items["properties"].setdefault("enabled", {"type": "boolean"})  # a row can be switched off
            return {"type": "array", "items": items}
        if value and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return {"type": "array", "items": {"type": "number"}}
        return {"type": "array", "items": {"type": "string"}}
    if isinstance(value, dict):
        props = {k: derive(v, k, path + (k,)) for k, v in value.items()}
        return {"type": "object", "properties": props, "additionalProperties": False}
    return {}


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        elif k not in out:
            out[k] = copy.deepcopy(v)
    return out


def build_schema(defaults: dict, checks: dict[str, dict] | None = None) -> dict:
    """The JSON Schema of one profile file.

    ``defaults``: every built-in profile merged (the known keys and their types);
    ``checks``: check id -> the settings the check declares (None when the registry is not at hand:
    check ids are then not judged, only their tables' general keys and known settings).
    """
    defaults = _merge(defaults, DOCUMENTED)
    schema = derive({k: v for k, v in defaults.items() if k != "checks"})
    props = schema["properties"]
    for key in TOP_LEVEL:
        props.setdefault(key, {"type": "object"} if key not in ("name", "level", "description", "extends")
                         else {"type": "string"})
    for key in ("name", "level", "description", "extends"):
        props[key] = {"type": "string"}
    props["keywords"] = {"type": "object", "properties": props.get("keywords", {}).get("properties", {}),
                         "patternProperties": {p: {"type": "array", "items": {"type": "string"}}
                                               for p in KEYWORD_PATTERNS},
                         "additionalProperties": False}
    props["deadlines"] = {"type": "object", "additionalProperties": _string_rules("deadline")}
    weights = props.get("scoring", {}).get("properties", {}).get("category_weights")
    if weights:
        for v in weights["properties"].values():
            v.update({"type": "number", "minimum": 0})
    known_checks = dict(defaults.get("checks") or {})
    declared = checks or {}
    check_props = {}
    for cid in sorted(set(known_checks) | set(declared)):
        settings = _merge(known_checks.get(cid) or {}, declared.get(cid) or {})
        sub = derive(settings, cid, ("checks", cid))
        sub["properties"] = {**sub["properties"], **copy.deepcopy(GENERAL_CHECK_KEYS)}
        # A registered check reads only the settings it declares: any other key is a mistake,
        # reported with the nearest declared name. Without the registry (or for a table no check
        # registers) nothing is known of its keys (a near miss of a general key is still reported).
        sub["additionalProperties"] = False if cid in declared else not settings
        check_props[cid] = sub
    general = {"type": "object", "properties": copy.deepcopy(GENERAL_CHECK_KEYS)}
    props["checks"] = {"type": "object", "properties": check_props,
                       "additionalProperties": False if checks is not None else general}
    schema["additionalProperties"] = False
    return schema


# -- messages ----------------------------------------------------------------------------
def _dotted(path: Iterable) -> str:
    out = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
            continue
        text = str(part)
        piece = text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else f'"{text}"'
        out.append(("." if out else "") + piece)
    return "".join(out) or "(top level)"


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {value[:60]!r}"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _messages(error) -> list[tuple[str, str]]:
    """(dotted key, reason) pairs of one jsonschema ValidationError."""
    path = list(error.absolute_path)
    v, inst, schema = error.validator, error.instance, error.schema
    if v == "additionalProperties" and isinstance(inst, dict):
        known = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        out = []
        for name in inst:
            if name in known or any(re.search(p, name) for p in patterns):
                continue
            what = "check" if path == ["checks"] else ("section" if not path else "key")
            out.append((_dotted(path + [name]), f"unknown {what}{_suggest(name, known)}"))
        return out or [(_dotted(path), error.message)]
    if v == "type":
        want = schema.get("type")
        want = " or ".join(_TOML_TYPES.get(t, t) for t in want) if isinstance(want, list) else _TOML_TYPES.get(want, want)
        return [(_dotted(path), f"must be {want}, not {_what(inst)}")]
    if v == "enum":
        return [(_dotted(path), f"must be one of {', '.join(map(str, schema['enum']))}, not {_what(inst)}")]
    if v == "minimum":
        return [(_dotted(path), f"must be {schema['minimum']:g} or more, not {_what(inst)}")]
    if v == "exclusiveMinimum":
        return [(_dotted(path), f"must be greater than {schema['exclusiveMinimum']:g}, not {_what(inst)}")]
    if v == "maximum":
        return [(_dotted(path), f"must be at most {schema['maximum']:g}, not {_what(inst)}")]
    if v == "format" and schema.get("format") == "month-day":
        return [(_dotted(path), f"must be a real month and day as MM-DD (e.g. 03-31), not {_what(inst)}")]
    if v == "format" and schema.get("format") == "regex":
        return [(_dotted(path), f"is not a valid regular expression: {_what(inst)}")]
    if v == "anyOf":
        return [(_dotted(path), f"must be a URL string or a table with url, class, first_level; not {_what(inst)}")]
    return [(_dotted(path), error.message)]


_VALIDATORS: dict[int, object] = {}


def _validator(schema: dict):
    import jsonschema

    key = id(schema)
    if key not in _VALIDATORS:
        checker = jsonschema.FormatChecker(formats=())
        checker.checks("month-day")(_month_day)
        checker.checks("regex")(_regex)
        _VALIDATORS.clear()
        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema, format_checker=checker)
    return _VALIDATORS[key]


def validate(data: dict, schema: dict) -> list[str]:
    """Every problem of one profile file, as 'key: reason' lines (sorted, de-duplicated)."""
    validator = _validator(schema)
    lines: list[str] = []
    for error in validator.iter_errors(data):
        for key, reason in _messages(error):
            line = f"{key}: {reason}"
            if line not in lines:
                lines.append(line)
    lines += _near_misses(data, schema)
    return sorted(set(lines))


def _near_misses(data: dict, schema: dict) -> list[str]:
    """Keys of an open check table (settings unknown) that look like a mistyped general key."""
    out = []
    checks = data.get("checks") if isinstance(data, dict) else None
    known = schema["properties"]["checks"].get("properties", {})
    if not isinstance(checks, dict):
        return out
    for cid, table in checks.items():
        sub = known.get(cid)
        if not isinstance(table, dict) or (sub is not None and sub.get("additionalProperties") is False):
            continue
        for key in table:
            if key in GENERAL_CHECK_KEYS or (sub and key in sub.get("properties", {})):
                continue
            hint = _suggest(key, GENERAL_CHECK_KEYS)
            if hint:
                out.append(f"{_dotted(['checks', cid, key])}: unknown key{hint}")
    return out
