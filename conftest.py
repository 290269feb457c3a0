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
