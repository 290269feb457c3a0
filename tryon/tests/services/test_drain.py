"""The render queue drained (``tryon.services.drain``): cards made in batches, renderer errors
stored, gone rows skipped quietly, each product to the first renderer that can render it."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from accounts.services import reference_photo_delete
from ml import pipeline
from tryon import selectors
from tryon import tasks as tryon_tasks
from tryon.models import Render, RenderStatus
from tryon.tests.support import make_product, make_shopper

pytestmark = pytest.mark.django_db


def test_render_queue_makes_every_card_in_batches(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given 6 products and a shopper whose photo is analysed
    misses_before = pipeline.shopper_cache.misses  # the counter lives as long as the process
    for n in range(6):
        create(make_product, n)
    user, _ = create(make_shopper)
    # when the workers run everything
    run_all()
    # then every card is done, with files, in batches of at most 4 (TRYON_RENDER_BATCH)
    renders = list(Render.objects.filter(owner=user))
    assert [r.status for r in renders] == [RenderStatus.DONE] * 6
    assert all(default_storage.exists(r.card.name) and default_storage.exists(r.image.name) for r in renders)
    assert sorted(fake_renderer.batches) == [2, 4]
    # and the shopper's analysis was decoded once for all batches (per-process cache)
    assert pipeline.shopper_cache.misses - misses_before == 1
    progress = selectors.render_progress(user=user)
    assert (progress.done, progress.total) == (6, 6)


def test_renderer_errors_become_a_stored_status(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given a renderer that cannot show dresses and crashes on outerwear
    fake_renderer.fail_kinds = {"dress"}
    fake_renderer.crash_kinds = {"outerwear"}
    dress, _ = create(make_product, 1, kind="dress")
    coat, _ = create(make_product, 2, kind="outerwear")
    top, _ = create(make_product, 3, kind="top")
    _user, _ = create(make_shopper)
    # when the cards are rendered (no exception escapes the task)
    run_all()
    # then each card has its own outcome with a sentence
    by_product = {r.product_id: r for r in Render.objects.all()}
    assert by_product[dress.pk].status == RenderStatus.UNAVAILABLE
    assert by_product[dress.pk].reason == "This product cannot be shown on your photo."
    assert by_product[coat.pk].status == RenderStatus.FAILED
    assert "internal error (RuntimeError)" in by_product[coat.pk].reason
    assert by_product[top.pk].status == RenderStatus.DONE


def test_render_task_is_quiet_when_rows_are_gone(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given a queued render whose photo is then deleted
    create(make_product, 1)
    _user, photo = create(make_shopper)
    tryon_tasks.analyse_reference_photo(photo.pk)
    photo_id = photo.pk
    create(reference_photo_delete, photo=photo)
    # when the render task runs
    tryon_tasks.render_pending(photo_id)
    # then nothing was rendered and nothing failed
    assert fake_renderer.batches == []
    assert not Render.objects.exists()


def test_several_renderers_each_product_goes_to_the_first_that_can_render_it(
    tasks, create, run_all, fake_renderer, fake_analyzer, settings
):
    from tests.ml.render import example_renderer

    # given the example renderer (bottoms from packshots only) enabled before the fake one
    settings.TRYON_RENDERERS = [example_renderer.OutlineRenderer.name, "test-fake"]
    pipeline.forget_renderer_choices()
    top, _ = create(make_product, 1, kind="top")
    bottom, _ = create(make_product, 2, kind="bottom")
    # when a shopper's cards are made
    create(make_shopper)
    run_all()
    # then the bottom was rendered by the example and the top fell back to the fake renderer
    made = {
        pid: (name, status)
        for pid, name, status in Render.objects.values_list("product", "renderer", "status")
    }
    assert made == {
        top.pk: ("test-fake", RenderStatus.DONE),
        bottom.pk: ("example-outline", RenderStatus.DONE),
    }
    assert fake_renderer.batches == [1]
