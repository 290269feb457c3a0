"""No function in ml/render runs over 80 lines (from its def line to its last line)."""

import ast
from pathlib import Path

import ml.render

MAX_LINES = 80
RENDER = Path(ml.render.__file__).parent


def _long_functions(root: Path, limit: int) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_in_ml_render_is_over_80_lines():
    assert _long_functions(RENDER, MAX_LINES) == []


def test_the_scan_finds_a_function_just_over_the_limit(tmp_path):
    # given a module with one function of 81 lines and one of 80
    body = "\n".join(f"    x{i} = {i}" for i in range(79))
    (tmp_path / "module.py").write_text(f"def long():\n{body}\n    return 0\n\n\ndef short():\n{body}\n")
    # when it is scanned, then only the longer one is reported
    assert _long_functions(tmp_path, MAX_LINES) == ["module.py:1 long (81 lines)"]
