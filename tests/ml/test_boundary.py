"""ml/ is plain Python: no module may import Django, DRF or Celery."""

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

ML = REPO_ROOT / "ml"
FORBIDDEN = {"django", "rest_framework", "celery"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_ml_module_imports_the_web_stack():
    files = sorted(ML.rglob("*.py"))
    assert len(files) > 10
    offenders = {str(f.relative_to(ML)): sorted(imported_roots(f) & FORBIDDEN) for f in files}
    assert {name: roots for name, roots in offenders.items() if roots} == {}


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from django.conf import settings\nimport celery.app\n")
    assert imported_roots(sample) & FORBIDDEN == {"django", "celery"}


def test_the_scan_covers_every_ml_package():
    # given the files the boundary scan reads
    scanned = {f.relative_to(ML).parts[0] for f in ML.rglob("*.py") if len(f.relative_to(ML).parts) > 1}
    # then the sub-packages of every engineer are among them, the renderers included
    assert {"adgan", "render", "parsing", "cli", "garments"} <= scanned
    assert (ML / "render" / "warp").is_dir() and any((ML / "render" / "warp").rglob("*.py"))


@pytest.mark.slow
def test_importing_all_of_ml_loads_no_web_stack():
    # given a fresh interpreter that imports every ml module (python -m ml's entry point aside)
    import subprocess
    import sys

    script = (
        "import importlib, pkgutil, sys, ml\n"
        "for info in pkgutil.walk_packages(ml.__path__, 'ml.'):\n"
        "    if not info.name.endswith('__main__'):\n"
        "        importlib.import_module(info.name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ML.parent, capture_output=True, text=True, timeout=300
    )
    # then it succeeds and neither Django, DRF nor Celery was loaded on the way
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
