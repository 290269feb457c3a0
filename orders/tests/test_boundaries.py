"""Dependencies point one way: orders uses catalog and accounts, never tryon; the store core never
imports orders."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(app: str) -> set[str]:
    modules = set()
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.relative_to(ROOT / app).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
    return modules


@pytest.mark.parametrize(
    ("app", "forbidden"), [("orders", "tryon"), ("catalog", "orders"), ("accounts", "orders")]
)
def test_app_does_not_import(app, forbidden):
    offending = sorted(m for m in _imported_modules(app) if m == forbidden or m.startswith(forbidden + "."))
    assert offending == []


def test_the_scan_sees_imports():
    assert "catalog.models" in _imported_modules("orders")
