"""The import graph between the apps has no cycles, counting every import: top-level, inside
functions and under `if TYPE_CHECKING:` (docs/code-map.md shows the allowed directions).

Each module is parsed with `ast` (nothing is imported), and each import becomes an edge between
the apps: `waitroom`, `groups`, `resources`, `demo`, `sessions`, and each package inside an app
(`sessions.invitations`, `sessions.scheduling`, `waitroom.messaging`, ...) apart from the ones
Django's app layout puts there (management commands, migrations, template tags). Migrations
are history and are left out; so are the project's wiring modules in the `waitroom` package
(settings, URLconf, Celery app, ASGI/WSGI), which exist to put every app together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("waitroom", "groups", "resources", "sessions", "demo")
# Whole-project wiring that happens to live in the core package: it may import any app.
PROJECT_WIRING = {
    "waitroom.settings",
    "waitroom.settings_test",
    "waitroom.urls",
    "waitroom.celery",
    "waitroom.asgi",
    "waitroom.wsgi",
}

# Packages inside an app that are part of it, as Django lays an app out; every other package
# inside an app (sessions/invitations, waitroom/messaging, ...) is a node of its own.
NOT_PACKAGES_OF_THEIR_OWN = {"management", "migrations", "templatetags"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_of(module: str) -> str | None:
    """The app a dotted module belongs to, or None outside the project's apps."""
    parts = module.split(".")
    if parts[0] not in APPS:
        return None
    package = ROOT.joinpath(*parts[:2])
    if parts[1:] and parts[1] not in NOT_PACKAGES_OF_THEIR_OWN and package.is_dir():
        return f"{parts[0]}.{parts[1]}"
    return parts[0]


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, int]]:
    """Every module `tree` imports, anywhere in it, as (dotted name, line). For `from x import
    y` both `x` and `x.y` count, since `y` may be a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            found.append((source, node.lineno))
            found += [(f"{source}.{alias.name}", node.lineno) for alias in node.names]
    return found


def import_edges() -> dict[tuple[str, str], dict[str, list[int]]]:
    """(importing app, imported app) → {file: [lines]} for every import between two apps."""
    edges: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = _module_name(path)
            if module in PROJECT_WIRING:
                continue
            source = app_of(module)
            tree = ast.parse(path.read_text(), filename=str(path))
            for name, line in imported_modules(tree, module, path.name == "__init__.py"):
                target = app_of(name)
                if target and target != source:
                    lines = edges[source, target][str(path.relative_to(ROOT))]
                    if line not in lines:
                        lines.append(line)
    return edges


def _graph(edges):
    graph: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(dict)
    for (source, target), files in edges.items():
        graph[source][target] = dict(files)
    return graph


def find_cycle(graph: dict[str, dict]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def describe(cycle: list[str], graph) -> str:
    lines = [" -> ".join(cycle)]
    for source, target in zip(cycle, cycle[1:], strict=False):
        where = ", ".join(
            f"{f}:{','.join(map(str, ls))}" for f, ls in graph[source][target].items()
        )
        lines.append(f"  {source} -> {target}: {where}")
    return "\n".join(lines)


def test_the_imports_between_apps_form_no_cycle():
    graph = _graph(import_edges())
    cycle = find_cycle(graph)
    assert cycle is None, "Import cycle between apps:\n" + describe(cycle, graph)


def test_the_core_app_imports_no_other_app():
    """`waitroom` (people, clinics, access, audit, messaging) is the bottom of the graph."""
    edges = import_edges()
    upwards = {
        (source, target): dict(files)
        for (source, target), files in edges.items()
        if source.split(".")[0] == "waitroom" and target.split(".")[0] != "waitroom"
    }
    assert upwards == {}


# The member's pages (groups/members/): they may import the apps and packages below them, and
# only the project's URLconf (wiring, left out above) may import them.
MEMBER_PACKAGE = "groups.members"


def test_nothing_imports_the_member_package():
    edges = import_edges()
    assert app_of("groups.members.views.invitation") == MEMBER_PACKAGE
    importers = {
        source: dict(files) for (source, target), files in edges.items() if target == MEMBER_PACKAGE
    }
    assert importers == {}


def test_the_member_package_imports_the_feature_packages_it_may():
    """What it is allowed to reach (and does): the feature packages above `groups`. If it stopped
    importing them the member pages would have moved elsewhere, and this map must follow."""
    edges = import_edges()
    imported = {target for (source, target) in edges if source == MEMBER_PACKAGE}
    assert {"sessions.invitations", "sessions.facilitation", "sessions.calendars", "resources"} <= (
        imported
    )


def test_no_app_imports_the_demo():
    edges = import_edges()
    assert {source: dict(files) for (source, t), files in edges.items() if t == "demo"} == {}


def test_imports_inside_functions_and_relative_imports_count():
    source = (
        "from .models import Clinic\n"
        "def f():\n"
        "    from sessions.invitations.tasks import plan_session\n"
        "    import groups.models\n"
    )
    found = imported_modules(ast.parse(source), "sessions.scheduling.services", False)
    assert {app_of(name) for name, _ in found} == {
        "sessions.scheduling",
        "sessions.invitations",
        "groups",
    }


def test_a_cycle_is_found_and_shown_with_where_it_is():
    graph = {"a": {"b": {"a/x.py": [3]}}, "b": {"c": {"b/y.py": [5]}}, "c": {"a": {"c/z.py": [7]}}}
    cycle = find_cycle(graph)
    assert cycle == ["a", "b", "c", "a"]
    assert "c -> a: c/z.py:7" in describe(cycle, graph)
