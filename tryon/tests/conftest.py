"""Fixtures of the try-on unit tests: the fake renderer and analyzer of :mod:`tryon.tests.support`
in place, tasks recorded instead of sent and run in-process on demand, media on the filesystem."""

from __future__ import annotations

import pytest

from ml import pipeline
from tryon.tests.support import (
    TASKS,
    FakeAnalyzer,
    FakeRenderer,
    TaskRecorder,
    fake_assess,
    make_product,
    make_shopper,
)


@pytest.fixture
def fake_analyzer(monkeypatch) -> FakeAnalyzer:
    fake = FakeAnalyzer()
    monkeypatch.setattr(pipeline, "analyse_person_photo", fake)
    monkeypatch.setattr(pipeline, "current_analyzer_version", lambda: fake.version)
    return fake


@pytest.fixture
def fake_renderer(settings, monkeypatch):
    import ml.quality

    settings.TRYON_RENDERER = "test-fake"
    settings.TRYON_RENDERERS = ["test-fake"]
    settings.TRYON_RENDER_BATCH = 4
    settings.TRYON_QUALITY_GATE = True
    settings.TRYON_QUALITY_THRESHOLD = 0.5
    monkeypatch.setattr(ml.quality, "assess", fake_assess)
    FakeRenderer.version = "1"
    FakeRenderer.batches = []
    FakeRenderer.fail_kinds = set()
    FakeRenderer.crash_kinds = set()
    FakeRenderer.confidence = {}
    pipeline.forget_renderer_choices()
    for cache in (pipeline.shopper_cache, pipeline.garment_cache):
        cache.clear()
        cache.hits = cache.misses = 0  # counters are per test, whatever ran before
    yield FakeRenderer
    pipeline.forget_renderer_choices()


@pytest.fixture
def tasks(monkeypatch) -> TaskRecorder:
    from catalog import tasks as catalog_tasks
    from tryon import tasks as tryon_tasks

    recorder = TaskRecorder()
    for module, name in (
        (tryon_tasks, "analyse_product_image"),
        (tryon_tasks, "analyse_reference_photo"),
        (tryon_tasks, "render_pending"),
        (catalog_tasks, "product_image_make_thumbnail"),
    ):
        task = getattr(module, name)
        monkeypatch.setattr(task, "delay", lambda *args, _name=name: recorder.calls.append((_name, args)))
    return recorder


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def create(django_capture_on_commit_callbacks):
    """Call a service and run its on-commit hooks (which record tasks)."""

    def call(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return call


@pytest.fixture
def run_all(tasks, django_capture_on_commit_callbacks):
    """Run the recorded try-on tasks in-process (as a worker would) until none are left."""

    def run(limit: int = 500) -> None:
        for _ in range(limit):
            pending = [(n, a) for n, a in tasks.calls if n in TASKS]
            tasks.calls[:] = [(n, a) for n, a in tasks.calls if n not in TASKS]
            if not pending:
                return
            for name, args in pending:
                with django_capture_on_commit_callbacks(execute=True):
                    TASKS[name](*args)
        raise AssertionError("tasks did not settle")

    return run


@pytest.fixture
def rendered(run_all, django_capture_on_commit_callbacks, fake_renderer, fake_analyzer):
    """A shopper whose 3 cards and one outfit are rendered, and a second account."""
    from tryon import services

    with django_capture_on_commit_callbacks(execute=True):
        top, _ = make_product(1, kind="top")
        bottom, _ = make_product(2, kind="bottom", colour=(30, 30, 160))
        dress, _ = make_product(3, kind="dress", colour=(30, 160, 30))
        owner, photo = make_shopper("owner@example.com")
        other, _ = make_shopper("other@example.com")
    run_all()
    with django_capture_on_commit_callbacks(execute=True):
        outfit = services.render_request(user=owner, product_ids=[top.pk, bottom.pk])
    run_all()
    outfit.refresh_from_db()
    return {
        "owner": owner,
        "other": other,
        "photo": photo,
        "products": [top, bottom, dress],
        "outfit": outfit,
    }
