"""The store is layered: ``shop`` < ``catalog``, ``accounts`` < ``orders``, ``sizing``, ``tryon``.

A lower app never imports a higher one (module level or inside a function) and its templates
never include, load or link a higher app's: the higher apps plug in through the lower apps'
events (``catalog.signals``, ``accounts.signals``) and hooks (``shop.hooks``, ``shop.media``,
``accounts.exports``, ``accounts.selectors.register_photo_checker``). Apps of one layer may use
each other; tests and migrations are not part of an app's code here.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

LAYERS = {"shop": 0, "catalog": 1, "accounts": 1, "orders": 2, "sizing": 2, "tryon": 2}
LOWER_APPS = ("catalog", "accounts", "orders")  # importable with try-on and sizing removed


def imported_modules(source: str, filename: str = "<source>") -> set[str]:
    """Every absolute module an import statement names, anywhere in the file (functions included)."""
    modules = set()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
            modules |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and _is_import_module_call(node):
            modules.add(node.args[0].value)
    return modules


def _is_import_module_call(node: ast.Call) -> bool:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return (
        name in ("import_module", "__import__")
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


TEMPLATE_REFERENCE = re.compile(
    r"""\{%\s*(?:include|extends)\s+["'](?P<template>\w+)/"""
    r"""|\{%\s*url\s+["'](?P<url>\w+):"""
    r"""|\{%\s*load\s+(?P<load>[\w\s]+?)\s*%\}"""
)


def template_references(text: str) -> set[str]:
    """The apps a template reaches into: included/extended folders, URL namespaces, tag libraries."""
    apps = set()
    for match in TEMPLATE_REFERENCE.finditer(text):
        if match["template"]:
            apps.add(match["template"])
        elif match["url"]:
            apps.add(match["url"])
        else:
            apps |= {library.removesuffix("_tags") for library in match["load"].split()}
    return apps


def _code_files(app: str) -> list[Path]:
    return [
        path
        for path in sorted((REPO_ROOT / app).rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(REPO_ROOT / app).parts)
    ]


def _higher(app: str, names: set[str]) -> set[str]:
    return {n for n in names if LAYERS.get(n.split(".")[0], -1) > LAYERS[app]}


def layering_violations() -> dict[str, list[str]]:
    violations = {}
    for app in LAYERS:
        for path in _code_files(app):
            bad = _higher(app, imported_modules(path.read_text(), str(path)))
            if bad:
                violations[str(path.relative_to(REPO_ROOT))] = sorted(bad)
        for path in sorted((REPO_ROOT / "templates" / app).rglob("*.html")):
            bad = _higher(app, template_references(path.read_text()))
            if bad:
                violations[str(path.relative_to(REPO_ROOT))] = sorted(bad)
    return violations


def test_no_lower_app_imports_or_includes_a_higher_one():
    # given every module and template of every app
    # then none of them reaches into an app of a higher layer
    assert layering_violations() == {}


def test_the_scan_covers_the_apps():
    # given the files the scan reads
    scanned = {app: len(_code_files(app)) for app in LAYERS}
    # then every app has modules in it, and the catalogue's views and services are among them
    assert all(count > 3 for count in scanned.values()), scanned
    assert {"views.py", "services.py", "apis.py"} <= {p.name for p in _code_files("catalog")}


def test_the_scan_sees_imports_inside_functions():
    # given a module whose imports hide in a function, a conditional and importlib
    source = (
        "import os\n"
        "def view(request):\n"
        "    if request:\n"
        "        from tryon.services import renders_ensure_for_shopper\n"
        "    import sizing.selectors\n"
        "    return importlib.import_module('orders.tasks')\n"
    )
    # then the scan names all of them, and they are higher than the catalogue
    modules = imported_modules(source)
    assert {"tryon.services", "sizing.selectors", "orders.tasks"} <= modules
    assert _higher("catalog", modules) == {
        "tryon.services",
        "tryon.services.renders_ensure_for_shopper",
        "sizing.selectors",
        "orders.tasks",
    }
    assert _higher("tryon", modules) == set()


def test_the_scan_sees_template_references():
    # given a template that includes, loads and links into higher apps
    text = (
        '{% load static tryon_tags %}{% include "sizing/_x.html" %}'
        "<a href=\"{% url 'orders:cart' %}\">{% include 'catalog/_card.html' %}"
    )
    # then each of them is found
    assert template_references(text) == {"static", "tryon", "sizing", "orders", "catalog"}
    assert _higher("catalog", template_references(text)) == {"tryon", "sizing", "orders"}


WITHOUT_PLUGINS = """
import importlib, pkgutil, sys
import django
from django.conf import settings
settings.INSTALLED_APPS  # load the settings module first
settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a not in ("tryon", "sizing")]
django.setup()
importlib.import_module(settings.ROOT_URLCONF)  # as a request would: registers the URL converters
for app in {apps!r}:
    package = importlib.import_module(app)
    for info in pkgutil.walk_packages(package.__path__, app + "."):
        if ".tests" in info.name or ".migrations" in info.name:
            continue
        importlib.import_module(info.name)
from django.core.management import call_command
call_command("check")
# and the store's pages still work: a product in the catalogue, seen by a signed-in shopper
call_command("migrate", verbosity=0)
from django.test import Client
from accounts.services import user_create
from catalog.services import category_get_or_create, product_create
product = product_create(category=category_get_or_create(name="Tops"), name="Tee", price="9.00",
                         garment_kind="top", variants=[{{"size": "M", "stock": 2}}])
client = Client()
client.force_login(user_create(email="s@example.com", password=None, validate=False))
pages = ["/", product.get_absolute_url(), "/accounts/photos/", "/api/v1/products/" + product.slug + "/"]
print("pages:", [client.get(url).status_code for url in pages])
print("loaded:", sorted(m for m in sys.modules if m.split(".")[0] in ("tryon", "sizing")))
"""


@pytest.mark.slow
def test_lower_apps_work_without_tryon_and_sizing(tmp_path):
    # given a fresh interpreter whose settings leave try-on and size advice out
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings", "DATABASE_URL": ""}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_PLUGINS.format(apps=LOWER_APPS)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # when it imports every module of catalog, accounts and orders, runs Django's checks and
    # shows the catalogue, a product page, the photos page and the product API to a shopper
    # then that works, and nothing of try-on or sizing was loaded on the way
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-2:] == ["pages: [200, 200, 200, 200]", "loaded: []"]
