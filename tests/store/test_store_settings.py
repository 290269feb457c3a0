import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "storage": settings.STORAGES["default"]["BACKEND"],
    "storage_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "routes": settings.CELERY_TASK_ROUTES,
}))
"""


def _settings_in_a_fresh_process(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "AWS_"))
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "shop.settings", "SHOP_TESTING": "1", **env})
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=REPO_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_need_nothing_installed():
    result = _settings_in_a_fresh_process()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["broker"] == "filesystem://localhost//"
    assert values["storage"] == "django.core.files.storage.FileSystemStorage"
    assert values["eager"] is False
    assert values["routes"] == {
        "catalog.tasks.*": {"queue": "default"},
        "tryon.tasks.analyse_*": {"queue": "preprocess"},
        "tryon.tasks.render_*": {"queue": "render"},
        "sizing.tasks.measure_*": {"queue": "preprocess"},
    }


def test_environment_switches_to_postgres_redis_and_private_s3():
    result = _settings_in_a_fresh_process(
        DATABASE_URL="postgres://shop@db.internal:5432/shop",
        CELERY_BROKER_URL="redis://cache.internal:6379/1",
        AWS_STORAGE_BUCKET_NAME="shop-media",
        AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert (values["db"], values["db_name"]) == ("django.db.backends.postgresql", "shop")
    assert values["broker"] == "redis://cache.internal:6379/1"
    assert values["storage"] == "storages.backends.s3.S3Storage"
    options = values["storage_options"]
    assert (options["bucket_name"], options["default_acl"], options["querystring_auth"]) == (
        "shop-media",
        "private",
        True,
    )
    assert options["endpoint_url"] == "http://minio.internal:9000"


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_a_fresh_process(DJANGO_ENV="production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_ENV=production or DEBUG is off." in result.stderr


def test_production_starts_with_a_secret_key():
    result = _settings_in_a_fresh_process(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["debug"] is False
