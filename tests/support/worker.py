"""Start a REAL Celery worker process against the configured broker and the test database.

The worker is ``celery -A shop worker`` in a subprocess. It reads the same settings as the test
process (``SHOP_TESTING=1``: files under ``var/test/``) and is pointed at the test database with
``SHOP_DATABASE_NAME`` and at the test's media folder with ``MEDIA_ROOT``. For SQLite the test
database is a real file (``DATABASES["default"]["TEST"]["NAME"]``), so use it from tests marked
``@pytest.mark.django_db(transaction=True)``: the worker only sees committed rows.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.db import connection

from shop.worker_process import REPO_ROOT, WorkerProcess, purge_queues, start_worker_process

__all__ = ["REPO_ROOT", "WorkerProcess", "purge_queues", "start_worker", "wait_for", "worker_environment"]


def worker_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SHOP_TESTING": "1",
            "SHOP_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SHOP_BROKER_DIR": str(settings.CELERY_BROKER_DIR),
            "SHOP_TEST_RUN_ID": settings.TEST_RUN_ID,
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def start_worker(
    *,
    queues: Sequence[str] = ("default",),
    log_dir: Path,
    pool: str = "solo",
    concurrency: int = 1,
    env: dict[str, str] | None = None,
    ready_timeout: float = 90.0,
) -> WorkerProcess:
    """Start ``celery -A shop worker -Q <queues>`` and wait until it says it is ready.

    ``pool="solo"`` runs tasks in the worker's main process (quick to start; no
    ``worker_process_init``); pass ``pool="prefork"`` to exercise per-process model loading.
    """
    log_path = log_dir / f"celery-worker-{'-'.join(queues)}-{os.getpid()}-{time.monotonic_ns()}.log"
    return start_worker_process(
        queues=queues,
        log_path=log_path,
        env=worker_environment(env),
        name=f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        pool=pool,
        concurrency=concurrency,
        ready_timeout=ready_timeout,
    )


def wait_for(
    condition: Callable[[], object],
    *,
    timeout: float = 60.0,
    interval: float = 0.25,
    worker: WorkerProcess | None = None,
):
    """Poll ``condition`` until it returns something truthy; fail with the worker's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if worker is not None and not worker.is_alive():
            break
        time.sleep(interval)
    details = f"\n--- worker log ---\n{worker.log()}" if worker is not None else ""
    raise AssertionError(f"Condition not met within {timeout:.0f} s{details}")
