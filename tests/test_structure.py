"""The stages import one way, down: network → crawl → views → gather → checks → report →
operations. Every import counts, those inside functions too, so no stage reaches up."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Package prefix -> stage rank. A module may import its own stage and lower ones.
STAGES = [
    ("auditor.network", 0),
    ("auditor.crawl", 1),
    ("auditor.views", 2),
    ("auditor.gather", 3),
    ("auditor.checking", 4),
    ("auditor.profiles", 4),
    ("checks", 4),
    ("reports", 5),
    ("auditor.operations", 6),
    ("auditor.demo", 6),
]


def stage_of(module: str) -> tuple[str, int] | None:
    for prefix, rank in STAGES:
        if module == prefix or module.startswith(prefix + "."):
            return prefix, rank
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = package
                for _ in range(node.level - 1):
                    pkg = pkg.rsplit(".", 1)[0]
                base = f"{pkg}.{base}" if base else pkg
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def sources():
    for top in ("auditor", "checks", "reports"):
        yield from sorted((ROOT / top).rglob("*.py"))


def upward_imports() -> list[str]:
    bad = []
    for path in sources():
        me = stage_of(module_name(path))
        if me is None:
            continue
        for line, target in imports_of(path):
            it = stage_of(target)
            if it is not None and it[1] > me[1]:
                bad.append(f"{path.relative_to(ROOT)}:{line} ({me[0]}) imports {target} ({it[0]})")
    return sorted(set(bad))


def test_every_module_belongs_to_a_stage():
    loose = [str(p.relative_to(ROOT)) for p in sources()
             if stage_of(module_name(p)) is None and module_name(p) not in ("auditor", "auditor.__main__")]
    assert loose == []


def test_stages_import_only_downwards():
    assert upward_imports() == []


def test_checks_do_not_import_sibling_checks():
    bad = []
    for path in sorted((ROOT / "checks").glob("*.py")):
        for line, target in imports_of(path):
            if target.startswith("checks.") and not target.startswith("checks._"):
                bad.append(f"{path.name}:{line} imports {target}")
    assert bad == []


def import_cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's SCC)."""
    modules = {module_name(p): p for p in sources()}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for _, target in imports_of(path):
            while target and target not in modules:
                target = target.rsplit(".", 1)[0] if "." in target else ""
            if target and target != name:
                graph[name].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return cycles


def test_no_import_circles():
    assert import_cycles() == []


def test_gatherers_read_no_check_settings():
    """Settings flow down: a check declares what its gatherer may do (gatherer_settings) and the
    audit hands the values over in GatherContext.settings; no gatherer looks a check up by id."""
    bad = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "auditor" / "gather").glob("*.py"))
           for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if "check_setting(" in line]
    assert bad == []
