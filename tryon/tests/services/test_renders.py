"""The cards a shopper gets (``tryon.services.renders``): the catalogue page first, one render per
request, renders replaced when the photo, the product image or the renderer changes, pose mode,
the main photo switching (fake renderer and analyzer, real database)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from accounts.services import reference_photo_create, reference_photo_delete, reference_photo_set_primary
from catalog.selectors import product_list
from catalog.services import product_image_create, product_image_replace_file
from ml import pipeline
from tryon import selectors, services
from tryon import tasks as tryon_tasks
from tryon.models import AnalysisStatus, ReferencePhotoAnalysis, Render, RenderStatus
from tryon.tests.support import jpeg, make_product, make_shopper, upload

pytestmark = pytest.mark.django_db


def test_shopper_photo_analysis_renders_the_whole_catalogue_page_first(
    tasks, create, run_all, fake_renderer, fake_analyzer, settings
):
    # given 5 analysed products and a page size of 2
    settings.CATALOG_PAGE_SIZE = 2
    products = [create(make_product, n)[0] for n in range(5)]
    run_all()
    # when a shopper uploads a photo (analysed by the preprocess task)
    user, photo = create(make_shopper)
    assert tasks.names("analyse_reference_photo") == [(photo.pk,)]
    tryon_tasks.analyse_reference_photo(photo.pk)
    # then one queued render per product exists, the first page (newest products) first
    renders = list(Render.objects.filter(owner=user).order_by("-priority", "id"))
    assert len(renders) == 5
    assert all(r.status == RenderStatus.QUEUED for r in renders)
    first_page = {p.pk for p in list(product_list())[:2]}
    assert {r.product_id for r in renders[:2]} == first_page
    assert renders[0].priority > 0 and renders[2].priority == 0
    assert {r.product_id for r in renders} == {p.pk for p in products}


def test_duplicate_requests_create_one_render(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given a shopper with all cards rendered
    product, _ = create(make_product, 1)
    user, _ = create(make_shopper)
    run_all()
    assert Render.objects.count() == 1
    # when the catalogue is visited again and the same card is asked for twice
    result = create(services.renders_ensure_for_shopper, user=user, page_product_ids=[product.pk])
    first = create(services.render_request, user=user, product_ids=[product.pk])
    second = create(services.render_request, user=user, product_ids=[product.pk])
    # then no render was added and both requests got the cached one
    assert result.created == 0
    assert first.pk == second.pk
    assert Render.objects.count() == 1
    assert tasks.names("render_pending") == []


def test_deleting_the_photo_removes_its_renders_and_files(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a shopper with rendered cards
    create(make_product, 1)
    create(make_product, 2)
    user, photo = create(make_shopper)
    run_all()
    files = [name for r in Render.objects.all() for name in r.file_names()]
    analysis_files = ReferencePhotoAnalysis.objects.get(photo=photo).file_names()
    assert len(files) == 4 and all(default_storage.exists(n) for n in files + analysis_files)
    # when the photo is deleted
    create(reference_photo_delete, photo=photo)
    # then its renders, analysis and all their files are gone
    assert not Render.objects.filter(owner=user).exists()
    assert not ReferencePhotoAnalysis.objects.exists()
    assert not any(default_storage.exists(n) for n in files + analysis_files)


def test_changed_product_image_re_renders_exactly_that_card(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given two products rendered for a shopper
    product_a, image_a = create(make_product, 1)
    product_b, _ = create(make_product, 2)
    _user, _ = create(make_shopper)
    run_all()
    before = {r.product_id: r for r in Render.objects.all()}
    fake_renderer.batches.clear()
    # when product A's image file is replaced
    create(product_image_replace_file, product_image=image_a, file=upload(jpeg(colour=(20, 140, 40))))
    # then A's old render is gone and a new one waits for the new analysis; B is untouched
    assert not Render.objects.filter(pk=before[product_a.pk].pk).exists()
    assert Render.objects.get(pk=before[product_b.pk].pk).status == RenderStatus.DONE
    run_all()
    after = {r.product_id: r for r in Render.objects.all()}
    assert after[product_a.pk].status == RenderStatus.DONE
    assert after[product_a.pk].pk != before[product_a.pk].pk
    assert after[product_b.pk].pk == before[product_b.pk].pk
    assert fake_renderer.batches == [1]
    assert not default_storage.exists(before[product_a.pk].card.name)


def test_renderer_version_change_replaces_renders(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given a card rendered by version 1 of the renderer
    product, _ = create(make_product, 1)
    user, _ = create(make_shopper)
    run_all()
    old = Render.objects.get()
    # when the renderer's version changes and the shopper visits
    fake_renderer.version = "2"
    pipeline.forget_renderer_choices()
    result = create(services.renders_ensure_for_shopper, user=user, page_product_ids=[product.pk])
    run_all()
    # then the old render was replaced by one of version 2
    assert (result.created, result.replaced) == (1, 1)
    new = Render.objects.get()
    assert (new.renderer_version, new.status) == ("2", RenderStatus.DONE)
    assert new.pk != old.pk and not default_storage.exists(old.card.name)


def test_products_added_later_are_rendered_at_the_next_visit(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a shopper whose catalogue is rendered
    create(make_product, 1)
    user, _ = create(make_shopper)
    run_all()
    # when a product is added and the shopper visits
    later, _ = create(make_product, 2)
    run_all()
    create(services.renders_ensure_for_shopper, user=user)
    run_all()
    # then its card is rendered too
    assert Render.objects.get(product=later).status == RenderStatus.DONE


def test_upper_body_photo_shows_bottoms_on_the_model(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given an on-model trousers photo and a shopper photo showing only the upper body
    trousers, _ = create(make_product, 1, kind="bottom", role="on_model")
    fake_analyzer.upper_body_sizes.add((288, 384))
    _user, _ = create(make_shopper)
    # when the card is rendered
    run_all()
    # then it is made in "pose" mode and carries the finding's sentence
    render = Render.objects.get(product=trousers)
    assert (render.status, render.mode, render.result_mode) == (RenderStatus.DONE, "tryon", "pose")
    assert (
        render.reason
        == "Only your upper body is visible: trousers and skirts will be shown on the model instead."
    )


def test_pose_mode_is_made_from_the_on_model_photo_when_the_packshot_comes_first(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a top whose first image is a packshot (the card's default source) and second an on-model photo
    top, packshot = create(make_product, 1, kind="top")
    on_model = create(
        product_image_create, product=top, file=upload(jpeg(colour=(20, 90, 160))), role="on_model"
    )
    user, _ = create(make_shopper)
    run_all()
    # when the shopper asks for the model in their pose
    pose = create(services.render_request, user=user, product_ids=[top.pk], mode="pose")
    run_all()
    # then the pose render is made from the on-model photo and shown, while the card keeps the packshot
    pose.refresh_from_db()
    assert [g.product_image_id for g in pose.garments.all()] == [on_model.pk]
    assert (pose.status, pose.result_mode) == (RenderStatus.DONE, "pose")
    card = Render.objects.get(product=top, mode="tryon")
    assert [g.product_image_id for g in card.garments.all()] == [packshot.pk]


def test_pose_mode_is_refused_for_a_product_without_an_on_model_photo(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a product with a packshot only
    top, _ = create(make_product, 1, kind="top")
    user, _ = create(make_shopper)
    run_all()
    tasks.clear()
    # when the shopper asks for the model in their pose
    with pytest.raises(ValueError, match="has no photo of a model wearing it"):
        create(services.render_request, user=user, product_ids=[top.pk], mode="pose")
    # then no pose render is made or queued
    assert not Render.objects.filter(product=top, mode="pose").exists()
    assert tasks.names("render_pending") == []


def test_card_states_and_ensure_do_not_grow_queries_with_the_catalogue(
    tasks, create, run_all, fake_renderer, fake_analyzer, django_assert_max_num_queries
):
    # given a shopper with 3 rendered products
    for n in range(3):
        create(make_product, n)
    user, _ = create(make_shopper)
    run_all()

    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        ids = list(product_list().values_list("id", flat=True))
        with CaptureQueriesContext(connection) as ctx:
            selectors.card_states(user=user, product_ids=ids)
            services.renders_ensure_for_shopper(user=user, page_product_ids=ids)
        return len(ctx.captured_queries)

    small = measure()
    # when the catalogue grows to 12 products (all rendered)
    for n in range(3, 12):
        create(make_product, n)
    run_all()
    create(services.renders_ensure_for_shopper, user=user)
    run_all()
    # then the same calls make the same number of queries
    assert measure() == small
    ids = list(product_list().values_list("id", flat=True))
    with django_assert_max_num_queries(4):
        selectors.card_states(user=user, product_ids=ids)


def _second_photo(user):
    return reference_photo_create(
        user=user, file=upload(jpeg(size=(300, 396), colour=(60, 60, 90))), kind="front"
    )


def test_choosing_another_analysed_primary_photo_queues_its_cards_at_once(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given 3 products, a shopper whose first photo's cards are all made, and a second analysed photo
    for n in range(3):
        create(make_product, n)
    user, first = create(make_shopper)
    second = create(_second_photo, user)
    run_all()
    assert ReferencePhotoAnalysis.objects.get(photo=second).status == AnalysisStatus.DONE
    assert not Render.objects.filter(photo=second).exists()
    old = {r.pk: (r.status, r.card.name) for r in Render.objects.filter(photo=first)}
    assert [s for s, _ in old.values()] == [RenderStatus.DONE] * 3
    tasks.clear()
    # when the shopper makes the second photo the primary one
    create(reference_photo_set_primary, photo=second)
    # then its 3 cards are queued and a render task is on its way, without waiting for a visit
    assert (
        sorted(Render.objects.filter(photo=second).values_list("status", flat=True))
        == [RenderStatus.QUEUED] * 3
    )
    assert tasks.names("render_pending") == [(second.pk,)]
    assert tasks.names("analyse_reference_photo") == []
    # and the first photo's cards are untouched (kept as its cache)
    assert {r.pk: (r.status, r.card.name) for r in Render.objects.filter(photo=first)} == old
    # and the worker makes the new cards
    run_all()
    assert (
        sorted(Render.objects.filter(photo=second).values_list("status", flat=True))
        == [RenderStatus.DONE] * 3
    )


def test_choosing_a_primary_photo_still_being_analysed_queues_its_cards_after_the_analysis(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given 2 products, an analysed shopper and a second photo whose analysis has not run yet
    for n in range(2):
        create(make_product, n)
    user, _first = create(make_shopper)
    run_all()
    second = create(_second_photo, user)
    assert tasks.names("analyse_reference_photo") == [(second.pk,)]
    # when it becomes the primary photo
    create(reference_photo_set_primary, photo=second)
    # then nothing is queued for it yet (and no second analysis is scheduled)
    assert not Render.objects.filter(photo=second).exists()
    assert tasks.names("render_pending") == []
    assert tasks.names("analyse_reference_photo") == [(second.pk,)]
    # when its analysis finishes, its cards are queued and made
    run_all()
    assert (
        sorted(Render.objects.filter(photo=second).values_list("status", flat=True))
        == [RenderStatus.DONE] * 2
    )


def test_deleting_the_primary_photo_queues_the_cards_of_the_photo_that_takes_over(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a shopper with an analysed second photo and the primary photo's card made
    create(make_product, 1)
    user, first = create(make_shopper)
    second = create(_second_photo, user)
    run_all()
    tasks.clear()
    # when the primary photo is deleted
    create(reference_photo_delete, photo=first)
    # then the remaining photo is primary and its card is queued at once
    second.refresh_from_db()
    assert second.is_primary is True
    assert list(Render.objects.values_list("photo_id", "status")) == [(second.pk, RenderStatus.QUEUED)]
    assert tasks.names("render_pending") == [(second.pk,)]
