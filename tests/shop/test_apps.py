"""The project package at start-up: settings read the environment in one place and have no side
effects; ``shop.apps`` makes the local folders and hands ``ml`` its configuration."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from ml import config
from ml.config import MLConfig
from tests.support.paths import REPO_ROOT

PACKAGES = ("shop", "accounts", "catalog", "tryon", "orders", "sizing")
ENVIRONMENT_MODULE = REPO_ROOT / "shop" / "env.py"  # the one place the store reads the environment
# entry points that only name the settings module for the processes they start
SETTINGS_MODULE_DEFAULTS = {"shop/asgi.py", "shop/wsgi.py", "shop/celery.py", "shop/settings_test.py"}


def _environment_uses(path: Path) -> list[int]:
    tree = ast.parse(path.read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("environ", "getenv")
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    ]


def test_only_shop_env_reads_the_environment():
    # given every module of the store's packages (tests and migrations aside)
    found = []
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            relative = path.relative_to(REPO_ROOT).as_posix()
            if "tests" in path.parts or "migrations" in path.parts or path == ENVIRONMENT_MODULE:
                continue
            if relative in SETTINGS_MODULE_DEFAULTS:
                continue
            found += [f"{relative}:{line}" for line in _environment_uses(path)]
    # then none touches os.environ: settings read it through shop.env, the rest reads settings
    assert found == []


def test_the_entry_points_only_name_the_settings_module():
    for relative in sorted(SETTINGS_MODULE_DEFAULTS - {"shop/settings_test.py"}):
        source = (REPO_ROOT / relative).read_text()
        assert 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")' in source
        assert len(_environment_uses(REPO_ROOT / relative)) == 1


@pytest.mark.slow
def test_importing_the_settings_creates_nothing_and_start_up_makes_the_folders(tmp_path):
    # given a fresh interpreter whose local folders do not exist yet
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update(
        {
            "SHOP_TESTING": "0",
            "SHOP_VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_SETTINGS_MODULE": "shop.settings",
        }
    )
    probe = (
        "import pathlib, sys\n"
        "import shop.settings\n"
        "root = pathlib.Path(sys.argv[1])\n"
        "print(sorted(p.name for p in root.iterdir()))\n"
        "import django\n"
        "django.setup()\n"
        "print(sorted(p.name for p in root.iterdir()), sorted(p.name for p in (root / 'var').iterdir()))\n"
    )
    # when it imports the settings, then sets Django up
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    # then the import made nothing, and start-up made the data, static and broker folders
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "['static', 'var'] ['broker']"]


def test_start_up_hands_ml_the_configured_settings():
    # given the settings the test run started with
    # then ml was configured from them
    assert config.current() == MLConfig(**settings.ML_CONFIG)
    assert set(settings.ML_CONFIG) == set(MLConfig.__dataclass_fields__)


def test_a_bad_ml_setting_stops_start_up_with_its_name(ml_config):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    shop_app = apps.get_app_config("shop")
    bad = {**settings.ML_CONFIG, "parser_labels": "coco"}
    original = settings.ML_CONFIG
    settings.ML_CONFIG = bad
    try:
        with pytest.raises(
            ImproperlyConfigured, match="ML_CONFIG: parser_labels must be one of lip, atr, cihp"
        ):
            shop_app.ready()
    finally:
        settings.ML_CONFIG = original
        shop_app.ready()
    assert config.current() == MLConfig(**original)
