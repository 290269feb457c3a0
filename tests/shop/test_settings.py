import json
import os
import subprocess
import sys

from tests.support.paths import REPO_ROOT

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
    "test_db_name": settings.DATABASES["default"].get("TEST", {}).get("NAME"),
    "key_prefix": getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}).get("global_keyprefix"),
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
        "orders.tasks.*": {"queue": "default"},
        "tryon.tasks.analyse_*": {"queue": "preprocess"},
        "tryon.tasks.render_*": {"queue": "render"},
        "sizing.tasks.measure_*": {"queue": "preprocess"},
        "sizing.tasks.draw_*": {"queue": "preprocess"},
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


def test_test_runs_side_by_side_on_postgres_and_redis_keep_apart():
    # given two test runs on one PostgreSQL and one Redis
    env = {
        "DATABASE_URL": "postgres://shop@127.0.0.1:5432/test",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }

    # when their settings load
    first = _settings_in_a_fresh_process(SHOP_TEST_RUN_ID="101", **env)
    second = _settings_in_a_fresh_process(SHOP_TEST_RUN_ID="202", **env)
    served = _settings_in_a_fresh_process(SHOP_TESTING="0", DJANGO_SECRET_KEY="x" * 50, **env)

    # then each has its own test database and its own Redis keys; the store itself has neither
    assert first.returncode == second.returncode == served.returncode == 0, first.stderr + served.stderr
    first, second, served = (json.loads(r.stdout.strip().splitlines()[-1]) for r in (first, second, served))
    assert (first["test_db_name"], first["key_prefix"]) == ("test_test_101", "test-101:")
    assert (second["test_db_name"], second["key_prefix"]) == ("test_test_202", "test-202:")
    assert (served["db_name"], served["test_db_name"], served["key_prefix"]) == ("test", None, None)


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_a_fresh_process(DJANGO_ENV="production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_ENV=production or DEBUG is off." in result.stderr


def test_production_starts_with_a_secret_key():
    result = _settings_in_a_fresh_process(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["debug"] is False


def _production_env() -> dict[str, str]:
    return {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-" + "z" * 30}


def test_check_deploy_is_clean_in_production_mode():
    # given
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "AWS_"))
    }
    env.update({"SHOP_TESTING": "1", **_production_env()})

    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PRINT_SECURITY = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "hsts": s.SECURE_HSTS_SECONDS, "subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE, "referrer": s.SECURE_REFERRER_POLICY,
    "hosts": s.ALLOWED_HOSTS, "csp": s.CONTENT_SECURITY_POLICY,
}))
"""


def test_production_security_settings_come_from_the_environment():
    # given
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "AWS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "SHOP_TESTING": "1",
            **_production_env(),
            "DJANGO_ALLOWED_HOSTS": "shop.example.com,www.shop.example.com",
            "DJANGO_HSTS_SECONDS": "600",
        }
    )

    # when
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SECURITY],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    # then
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] == 600
    assert values["subdomains"] is True
    assert values["ssl_redirect"] is True
    assert (values["session_secure"], values["csrf_secure"]) == (True, True)
    assert values["referrer"] == "same-origin"
    assert values["hosts"] == ["shop.example.com", "www.shop.example.com"]
    assert "script-src 'self'" in values["csp"]
    assert "frame-ancestors 'none'" in values["csp"]


PRINT_CELERY = """
import json, django
django.setup()
from celery.app.defaults import NAMESPACES, flatten
from django.conf import settings
from shop.celery import app
known = {name for name, _ in flatten(NAMESPACES)}
ours = {"CELERY_BROKER_DIR"}
unknown = sorted(
    name for name in dir(settings)
    if name.startswith("CELERY_") and name not in ours and name[len("CELERY_"):].lower() not in known
)
c = app.conf
print(json.dumps({
    "unknown": unknown,
    "acks_late": c.task_acks_late,
    "reject_on_worker_lost": c.task_reject_on_worker_lost,
    "prefetch": c.worker_prefetch_multiplier,
    "soft": c.task_soft_time_limit,
    "hard": c.task_time_limit,
    "serializer": c.task_serializer,
    "result_serializer": c.result_serializer,
    "accept": list(c.accept_content),
    "result_accept": list(c.result_accept_content),
    "visibility": c.broker_transport_options.get("visibility_timeout"),
    "beat": {k: v["task"] for k, v in c.beat_schedule.items()},
    "beat_every": [v["schedule"] for v in c.beat_schedule.values()],
    "eager": c.task_always_eager,
    "publish_retries": c.task_publish_retry_policy["max_retries"],
}))
"""


def test_celery_recovery_settings_are_real_celery_settings_with_the_right_values():
    # given the production broker
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "AWS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "SHOP_TESTING": "1",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
        }
    )

    # when the settings are loaded into the Celery app, as a worker loads them
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CELERY],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    # then every CELERY_* setting is one Celery knows (a misspelt one would be ignored silently)
    assert result.returncode == 0, result.stderr
    conf = json.loads(result.stdout.strip().splitlines()[-1])
    assert conf["unknown"] == []
    assert conf["acks_late"] is True
    assert conf["reject_on_worker_lost"] is True
    assert conf["prefetch"] == 1
    assert 0 < conf["soft"] < conf["hard"]
    assert conf["visibility"] > conf["hard"]
    assert (conf["serializer"], conf["result_serializer"]) == ("json", "json")
    assert conf["accept"] == ["json"] and conf["result_accept"] == ["json"]
    assert conf["beat"] == {
        "tryon-sweep": "tryon.tasks.sweep",
        "tryon-analyse-stale": "tryon.tasks.analyse_stale",
    }
    assert conf["beat_every"] == [10.0, 300.0]
    assert conf["eager"] is False
    assert conf["publish_retries"] == 2
