"""Repository-wide pytest fixtures.

The real on-model photos live outside the project, in ``../shared/fixtures/people`` beside the
checkout (CI has the same folder); ``TRYON_PEOPLE_DIR`` points elsewhere when needed.
"""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
PEOPLE_DIR = Path(os.environ.get("TRYON_PEOPLE_DIR", REPO_ROOT.parent / "shared" / "fixtures" / "people"))


def people_photos() -> list[Path]:
    return sorted(PEOPLE_DIR.glob("onmodel_*.jpg"))


@pytest.fixture(scope="session")
def people_dir() -> Path:
    if not people_photos():
        pytest.fail(f"The real test photos are missing: expected them in {PEOPLE_DIR}")
    return PEOPLE_DIR


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (the cache) start empty in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ml_config():
    """Configure ``ml`` for one test, ``ml_config(adgan_checkpoint=...)``; the previous one is restored."""
    from dataclasses import replace

    from ml import config

    saved = config.current()
    yield lambda **changes: config.configure(replace(saved, **changes))
    config.configure(saved)


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on loopback, for the whole session (started on first use)."""
    from tests.support.s3 import start_s3_server

    server = start_s3_server()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """Media on the loopback S3 (an empty bucket per test), through django-storages."""
    from tests.support.s3 import BUCKET, s3_storages

    client = s3_server.client()
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if BUCKET in existing:
        for key in s3_server.object_keys():
            client.delete_object(Bucket=BUCKET, Key=key)
    else:
        client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = s3_storages(settings.STORAGES, s3_server.endpoint)
    return s3_server
