#!/usr/bin/env python3
"""Fail when a views module reads records straight from a model's manager.

Views get the clinic from `waitroom.access.clinic_view` and every object through their app's
clinic-scoped selectors, so that no view can fetch a record outside what the user may reach
(docs/adr/0006-access-by-construction.md, docs/adr/0028-where-each-kind-of-rule-lives.md).
This lint holds views to that: in a views module (`views.py`, `*_views.py`, or any module in a
`views/` package) it reports

- `<anything>.objects` (and `_default_manager` / `_base_manager`): a model's global manager;
- `get_object_or_404(...)` / `get_list_or_404(...)`: a getter, which belongs in a selector.

Usage: `python scripts/lint_model_usage.py [PATH ...]` (default: the project root). Prints one
`path:line:col: message` per finding and exits 1 if there is any. Run by `make lint`.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGERS = {"objects", "_default_manager", "_base_manager"}
GETTERS = {"get_object_or_404", "get_list_or_404"}
# Directories that hold no app code (tests build bad samples on purpose).
SKIP_DIRS = {"tests", "migrations", "node_modules", "mutants", "static", "staticfiles", "venv"}


def is_views_module(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py") or "views" in path.parts[:-1]


def views_modules(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_file():
            if path.suffix == ".py" and is_views_module(path):
                yield path
            continue
        for found in sorted(path.rglob("*.py")):
            inside = found.relative_to(path).parts[:-1]
            if any(part.startswith(".") or part in SKIP_DIRS for part in inside):
                continue
            if is_views_module(found.relative_to(path.parent)):
                yield found


def problems(source: str) -> Iterator[tuple[int, int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            yield (
                node.lineno,
                node.col_offset,
                f"`{ast.unparse(node)}` in a view: fetch records through a clinic-scoped "
                "selector in the app's selectors.py",
            )
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if isinstance(node.func, ast.Attribute):
                name = node.func.attr
            if name in GETTERS:
                yield (
                    node.lineno,
                    node.col_offset,
                    f"`{name}` in a view: put the getter in the app's selectors.py, scoped to "
                    "the clinic the view was handed",
                )


def main(argv: list[str]) -> int:
    paths = [Path(arg).resolve() for arg in argv] or [ROOT]
    found = 0
    for module in views_modules(paths):
        for line, col, message in sorted(problems(module.read_text(encoding="utf-8"))):
            shown = module.relative_to(ROOT) if module.is_relative_to(ROOT) else module
            print(f"{shown}:{line}:{col + 1}: {message}")
            found += 1
    if found:
        print(f"{found} direct model use(s) in views (see scripts/lint_model_usage.py)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
