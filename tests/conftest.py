"""Fixtures for the tests under ``tests/``: media isolation, a real Celery worker, a real browser.

The helpers themselves live in :mod:`tests.support` so that other test folders can import them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator, Sequence

import pytest

from tests.support.browser import launch_chromium
from tests.support.worker import WorkerProcess, start_worker


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's filesystem-broker folder (``var/test/broker-<pid>``), or on Redis this
    run's keys (``test-<pid>:*``: its queues and their bindings)."""
    from django.conf import settings

    broker_dir = getattr(settings, "CELERY_BROKER_DIR", None)
    if broker_dir is not None and broker_dir.name.startswith("broker-"):
        shutil.rmtree(broker_dir, ignore_errors=True)
    prefix = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}).get("global_keyprefix")
    if prefix and settings.CELERY_BROKER_URL.startswith("redis"):
        import redis

        with contextlib.suppress(redis.RedisError):
            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=3)
            keys = list(client.scan_iter(match=f"{prefix}*"))
            if keys:
                client.delete(*keys)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test writes its uploads into its own folder (the worker fixture passes it on)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def celery_worker_factory(tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start real ``celery -A shop worker`` processes: ``celery_worker_factory(queues=["default"])``.

    Use from ``@pytest.mark.django_db(transaction=True)`` tests; the workers stop at teardown.
    """
    workers: list[WorkerProcess] = []

    def factory(queues: Sequence[str] = ("default",), **kwargs) -> WorkerProcess:
        worker = start_worker(queues=queues, log_dir=tmp_path / "worker-logs", **kwargs)
        workers.append(worker)
        return worker

    yield factory
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker(celery_worker_factory) -> WorkerProcess:
    """One real worker on the ``default`` queue (thumbnails)."""
    return celery_worker_factory(queues=("default",))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()
