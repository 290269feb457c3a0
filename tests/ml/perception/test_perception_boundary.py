"""ml/ is plain Python: no module may import Django, DRF or Celery."""

import ast
from pathlib import Path

ML = Path(__file__).resolve().parents[3] / "ml"
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
