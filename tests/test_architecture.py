"""The import graph of ``toolkit`` (docs/architecture.md): no cycles, no back-edges.

Every module is parsed with ``ast`` (imports inside functions count too: a lazy import is still
a dependency). The checks run on the real package and, to show they can fail, on small
synthetic graphs with a cycle and with each kind of back-edge.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "toolkit"

# (importer prefix, imported prefix, why it is forbidden)
FORBIDDEN = [
    ("toolkit.assign", "toolkit.check", "assign asks the domain layer, never a rule module"),
    ("toolkit.report", "toolkit.check", "report asks the domain layer, never a rule module"),
    ("toolkit.automate", "toolkit.check", "automate asks the domain layer, never a rule module"),
    ("toolkit.read", "toolkit.report", "read is below report"),
    ("toolkit.read", "toolkit.check", "read is below check"),
    ("toolkit.read", "toolkit.assign", "read is below assign"),
    ("toolkit.read", "toolkit.automate", "read is below automate"),
    ("toolkit.read", "toolkit.pipeline", "read is below the facade"),
    ("toolkit.domain", "toolkit.read", "the domain layer is below every stage"),
    ("toolkit.domain", "toolkit.check", "the domain layer is below every stage"),
    ("toolkit.domain", "toolkit.assign", "the domain layer is below every stage"),
    ("toolkit.domain", "toolkit.report", "the domain layer is below every stage"),
    ("toolkit.domain", "toolkit.automate", "the domain layer is below every stage"),
    ("toolkit.domain", "toolkit.pipeline", "the domain layer is below every stage"),
    ("toolkit.check", "toolkit.assign", "check is below assign"),
    ("toolkit.check", "toolkit.report", "check is below report"),
    ("toolkit.check", "toolkit.automate", "check is below automate"),
    ("toolkit.assign", "toolkit.report", "assign is below report"),
    ("toolkit.assign", "toolkit.automate", "assign is below automate"),
    ("toolkit.report", "toolkit.automate", "report is below automate"),
]
RULE_REGISTRY = "toolkit.check"          # the only importer of rule modules


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """module → the toolkit modules it imports (anywhere in its body)."""
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        deps: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                # ``from toolkit.check import data`` imports the submodule toolkit.check.data
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target.startswith("toolkit") and target != name:
                    deps.add(target)
        graph[name] = deps
    return graph


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _ancestor_packages(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def package_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Cycles, ignoring a module's edges to its own enclosing packages (``toolkit.check.data``
    importing ``rule`` from ``toolkit.check`` while that package loads its rule modules is the
    registry pattern, not a layering cycle)."""
    pruned = {m: {d for d in deps if d not in _ancestor_packages(m)} for m, deps in graph.items()}
    return cycles(pruned)


def violations(graph: dict[str, set[str]]) -> list[str]:
    out = []
    for module, deps in sorted(graph.items()):
        for dep in sorted(deps):
            for importer, imported, why in FORBIDDEN:
                if _within(module, importer) and _within(dep, imported):
                    out.append(f"{module} imports {dep}: {why}")
            # a rule module (toolkit.check.<x>) is imported only by the registry
            if _within(dep, RULE_REGISTRY) and dep != RULE_REGISTRY \
                    and module != RULE_REGISTRY and not _within(module, RULE_REGISTRY):
                out.append(f"{module} imports rule module {dep}: only the rule registry may")
    return out


# ------------------------------------------------------------------------- the real package

def test_the_package_has_no_import_cycle():
    assert package_cycles(import_graph()) == []


def test_the_package_has_no_back_edge():
    assert violations(import_graph()) == []


def test_the_graph_sees_lazy_and_relative_imports(tmp_path):
    pkg = tmp_path / "toolkit"
    (pkg / "report").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "report" / "__init__.py").write_text("")
    (pkg / "report" / "staff.py").write_text(
        "def f():\n    from toolkit.check.requests import stage\n    return stage\n")
    (pkg / "report" / "town.py").write_text("from . import staff\nfrom .staff import f\n")
    (pkg / "check").mkdir()
    (pkg / "check" / "__init__.py").write_text("")
    (pkg / "check" / "requests.py").write_text("")
    graph = import_graph(pkg)
    assert graph["toolkit.report.staff"] == {"toolkit.check.requests"}
    assert graph["toolkit.report.town"] == {"toolkit.report.staff"}


def test_the_real_graph_is_not_empty():
    graph = import_graph()
    assert "toolkit.domain.requests" in graph["toolkit.report.staff"]
    assert "toolkit.check" in graph["toolkit.pipeline"]


# ------------------------------------------------------------------ the checks can fail

def test_a_cycle_is_found():
    graph = {"toolkit.check.care": {"toolkit.check.data"},
             "toolkit.check.data": {"toolkit.check.context"},
             "toolkit.check.context": {"toolkit.check.care"},
             "toolkit.model": set()}
    assert package_cycles(graph) == [["toolkit.check.care", "toolkit.check.context",
                                      "toolkit.check.data"]]


@pytest.mark.parametrize("importer, imported", [
    ("toolkit.report.staff", "toolkit.check.requests"),
    ("toolkit.assign.followups", "toolkit.check.care"),
    ("toolkit.automate.history", "toolkit.check.requests"),
    ("toolkit.read.annotate", "toolkit.report.writer"),
    ("toolkit.domain.care", "toolkit.check"),
    ("toolkit.pipeline", "toolkit.check.elderly"),
])
def test_a_back_edge_is_found(importer, imported):
    assert violations({importer: {imported}, imported: set()}) != []


def test_the_registry_may_load_its_rules():
    assert violations({"toolkit.check": {"toolkit.check.data"},
                       "toolkit.check.data": {"toolkit.check", "toolkit.domain.care"}}) == []
