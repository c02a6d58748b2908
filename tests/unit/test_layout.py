"""The house a newcomer can find their way in: no import loop (imports inside functions
included), no module over 800 lines, a domain layer with no database session and no Streamlit
(it may use the models' enums and the Swedish errors)."""

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "audit_app"
MAX_LINES = 800


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """Every audit_app module `name` imports, at the top or inside a function."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets.add(base)
            targets |= {f"{base}.{alias.name}" for alias in node.names}
    return {t for t in targets if t in modules and t != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, name, modules) for name, path in modules.items()}


def _loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
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
                loops.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return loops


def _package_reexports(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's __init__ that re-exports its own submodules is the package's front door;
    a submodule importing a sibling through that door would loop, so count only edges that
    leave the package or enter it from outside."""
    return {
        name: {t for t in targets if not (t.startswith(name + ".") and _is_package(name))}
        for name, targets in graph.items()
    }


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists()


def test_the_import_graph_has_no_loop() -> None:
    graph = _package_reexports(_graph())
    assert len(graph) > 80, "the walk finds the modules"
    assert _loops(graph) == []


def test_the_loop_finder_finds_a_loop() -> None:
    assert _loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _loops({"a": {"b"}, "b": set()}) == []


def test_no_module_is_over_800_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_domain_layer_has_no_database_and_no_streamlit() -> None:
    graph = _graph()
    for name, path in _modules().items():
        if not name.startswith("audit_app.domain"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots = {
            (alias.name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (node.names if isinstance(node, ast.Import) else [None])  # type: ignore[list-item]
        }
        assert not roots & {"streamlit", "sqlmodel", "sqlalchemy"}, name
        assert all(
            t.startswith("audit_app.domain") or t in {"audit_app.models", "audit_app.errors"}
            for t in graph[name]
        ), (
            name,
            graph[name],
        )


def test_our_own_modules_are_imported_by_their_names_not_short_aliases() -> None:
    """`from audit_app.services import followups as fu` hides what `fu.plan` is; say followups."""
    short = []
    for path in [
        *PACKAGE.rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        *(ROOT / "benchmarks").rglob("*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("audit_app"):
                short += [
                    f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.asname and len(alias.asname) <= 3
                ]
    assert short == []
