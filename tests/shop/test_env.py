"""Every variable `.env.example` documents is read by the project (a documented knob that nothing
reads misleads the operator), and the render task budget, once documented but never read, is."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.support.paths import REPO_ROOT

SOURCES = (
    "shop",
    "accounts",
    "catalog",
    "tryon",
    "orders",
    "sizing",
    "ml",
    "scripts",
    "benchmarks",
    "tests/support",
)


def _documented() -> list[str]:
    text = (REPO_ROOT / ".env.example").read_text()
    return re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.M)


def _code() -> str:
    parts = [(REPO_ROOT / name).read_text() for name in ("Makefile", "conftest.py")]
    for folder in SOURCES:
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".sh") or "migrations" in path.parts:
                continue
            if "tests" in path.parts and folder != "tests/support":
                continue
            parts.append(path.read_text())
    return "\n".join(parts)


def test_every_documented_variable_is_read_somewhere():
    # given every variable .env.example documents, and the project's code (tests excluded)
    names = _documented()
    code = _code()
    assert len(names) > 40
    # then each one is read by name (env_str("X"), os.environ["X"], ${X}, $(X) ...)
    unread = [name for name in names if not re.search(rf"[\"' ${{(]{name}\b", code)]
    assert unread == []


def test_the_render_task_budget_is_read_from_the_environment():
    # given the budget set in the environment of a fresh process
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "shop.settings", "SHOP_TESTING": "1", "TRYON_RENDER_TASK_BUDGET_S": "7.5"}
    )
    script = (
        "import django; django.setup(); from django.conf import settings;"
        " print(settings.TRYON_RENDER_TASK_BUDGET_S)"
    )
    # when the settings load
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    # then it is the setting's value
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "7.5"
