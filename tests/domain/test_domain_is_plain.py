"""The plain package wufei.domain imports no Django and no Django app (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import wufei.domain

DOMAIN = Path(wufei.domain.__file__).parent
MODULES = sorted(DOMAIN.glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_module_imports_django_or_an_app():
    offenders = {
        path.name: sorted(
            name
            for name in imported_modules(path)
            if name.split(".")[0] == "django"
            or (name.startswith("wufei.") and not name.startswith("wufei.domain"))
        )
        for path in MODULES
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_importing_the_demo_planner_loads_no_django():
    """In a fresh interpreter: the test process itself has Django set up by pytest-django."""
    modules = [f"wufei.domain.{p.stem}" for p in MODULES if p.stem.startswith("demo_")]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run(  # noqa: S603 — our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=DOMAIN.parent.parent,
    )
    assert result.stdout.strip() == "[]"
