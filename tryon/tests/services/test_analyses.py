"""Analyses of product images and shopper photos (``tryon.services.analyses``): scheduled once,
idempotent, reused for identical bytes, failures kept apart, stale ones redone."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from catalog.selectors import product_list
from ml import pipeline
from tryon import services
from tryon import tasks as tryon_tasks
from tryon.models import AnalysisStatus, ProductImageAnalysis, ReferencePhotoAnalysis, Render, RenderStatus
from tryon.tests.support import make_product, make_shopper

pytestmark = pytest.mark.django_db


def test_product_image_upload_schedules_one_analysis(tasks, create, fake_renderer):
    # given/when a product image is created through the catalogue service
    _, image = create(make_product, 1)
    # then one analysis task is queued for it and its analysis row waits
    assert tasks.names("analyse_product_image") == [(image.pk,)]
    assert ProductImageAnalysis.objects.get(product_image=image).status == AnalysisStatus.PENDING


def test_analysis_is_idempotent_and_quiet_when_gone(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given an on-model product image analysed once
    _, image = create(make_product, 1, role="on_model")
    run_all()
    analysis = ProductImageAnalysis.objects.get(product_image=image)
    assert (analysis.status, fake_analyzer.calls) == (AnalysisStatus.DONE, 1)
    assert analysis.source_hash == image.content_hash
    assert analysis.data and default_storage.exists(analysis.data.name)
    assert analysis.metadata["analyzer_version"] == "fake-analyzer-1"
    # when the same task runs again
    tryon_tasks.analyse_product_image(image.pk)
    # then nothing is analysed again
    assert fake_analyzer.calls == 1
    # and a task for a deleted image returns quietly
    image_id = image.pk
    image.delete()
    tryon_tasks.analyse_product_image(image_id)
    assert fake_analyzer.calls == 1
    assert not ProductImageAnalysis.objects.filter(product_image_id=image_id).exists()


def test_an_on_model_photo_is_analysed_for_its_products_kind_and_a_shoppers_photo_for_none(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given an on-model image of a dress and a shopper's photo
    create(make_product, 1, kind="dress", role="on_model", colour=(10, 20, 200))
    create(make_shopper)
    # when both are analysed
    run_all()
    # then the product photo was analysed as a dress's (the renderers' findings for it: what they
    # cannot draw from it, told to the merchant), the shopper's photo as nobody's product
    assert sorted(fake_analyzer.garment_kinds, key=str) == [None, "dress"]


def test_identical_image_bytes_reuse_the_analysis(tasks, create, run_all, fake_renderer, fake_analyzer):
    # given two products whose on-model photos are the same bytes
    _, _first = create(make_product, 1, role="on_model")
    _, _second = create(make_product, 2, role="on_model")
    # when both are analysed
    run_all()
    # then the analyzer ran once and both analyses are done
    assert fake_analyzer.calls == 1
    statuses = set(ProductImageAnalysis.objects.values_list("status", flat=True))
    assert statuses == {AnalysisStatus.DONE}


def test_failed_analysis_keeps_the_product_on_sale(tasks, create, run_all, fake_renderer, fake_analyzer):
    from ml.errors import NoPersonFound

    # given an analyzer that finds nobody on the product photo
    fake_analyzer.error = NoPersonFound("We could not find a person in this photo.")
    product, image = create(make_product, 1, role="on_model")
    # when it is analysed
    run_all()
    # then the analysis failed with the sentence, and the product is still listed
    analysis = ProductImageAnalysis.objects.get(product_image=image)
    assert (analysis.status, analysis.failure_code) == (AnalysisStatus.FAILED, "no_person")
    assert analysis.failure_reason == "We could not find a person in this photo."
    assert list(product_list()) == [product]


def _analyser_versions() -> dict:
    return {
        **{("photo", a.photo_id): a.analyzer_version for a in ReferencePhotoAnalysis.objects.all()},
        **{("image", a.product_image_id): a.analyzer_version for a in ProductImageAnalysis.objects.all()},
    }


def test_a_new_analyzer_reanalyses_photos_and_products_by_itself_and_renders_follow(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a shopper's cards rendered from a packshot product and an on-model product
    _, packshot = create(make_product, 1)
    _, on_model = create(make_product, 2, role="on_model")
    _, photo = create(make_shopper)
    run_all()
    renders = dict(Render.objects.values_list("pk", "finished_at"))
    assert set(Render.objects.values_list("status", flat=True)) == {RenderStatus.DONE} and len(renders) == 2
    analysed, rendered = fake_analyzer.calls, len(fake_renderer.batches)
    # when the analyzer (its parser) gets a new version and the periodic task runs
    fake_analyzer.version = "fake-analyzer-2"
    create(tryon_tasks.analyse_stale)
    tasks_sent = sorted(tasks.names("analyse_reference_photo") + tasks.names("analyse_product_image"))
    run_all()
    # then the photo and the on-model product image were analysed again, the packshot was not
    assert tasks_sent == sorted([(photo.pk,), (on_model.pk,)])
    assert fake_analyzer.calls == analysed + 2
    assert _analyser_versions() == {
        ("photo", photo.pk): "fake-analyzer-2",
        ("image", on_model.pk): "fake-analyzer-2",
        ("image", packshot.pk): pipeline.packshot_analysis_version(),
    }
    # and both cards were made again from the new analyses
    again = dict(Render.objects.values_list("pk", "finished_at"))
    assert again.keys() == renders.keys() and all(again[pk] > renders[pk] for pk in renders)
    assert set(Render.objects.values_list("status", flat=True)) == {RenderStatus.DONE}
    assert len(fake_renderer.batches) > rendered
    # and the next pass finds nothing out of date
    tasks.clear()
    assert services.analyses_refresh_stale() == 0 and tasks.calls == []


def test_stale_analyses_are_redone_oldest_first_in_bounded_batches(
    tasks, create, run_all, fake_renderer, fake_analyzer, settings
):
    # given three analysed on-model product images, and then a new analyzer version
    images = [create(make_product, n, role="on_model")[1] for n in range(3)]
    run_all()
    fake_analyzer.version = "fake-analyzer-2"
    tasks.clear()
    # when a refresh may queue two
    queued = create(services.analyses_refresh_stale, limit=2)
    # then the two oldest go, and nothing more while they are pending (fresh uploads come first)
    assert (queued, tasks.names("analyse_product_image")) == (2, [(images[0].pk,), (images[1].pk,)])
    assert create(services.analyses_refresh_stale, limit=2) == 0
    run_all()
    # and once they are done, the next pass takes the last one
    tasks.clear()
    assert create(services.analyses_refresh_stale, limit=2) == 1
    assert tasks.names("analyse_product_image") == [(images[2].pk,)]


def test_a_changed_renderer_extras_version_makes_the_analysis_stale(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a shopper photo whose analysis holds the fake renderer's extras at version 1
    _, photo = create(make_shopper)
    run_all()
    ReferencePhotoAnalysis.objects.filter(photo=photo).update(extras_for="other@3,test-fake@1")
    tasks.clear()
    assert create(services.analyses_refresh_stale) == 0
    # when the renderer's version (and so its extras') changes
    fake_renderer.version = "2"
    pipeline.forget_renderer_choices()
    # then the analysis is redone
    assert create(services.analyses_refresh_stale) == 1
    assert tasks.names("analyse_reference_photo") == [(photo.pk,)]


def test_images_and_photos_whose_event_was_lost_are_analysed_by_the_stale_pass(
    tasks, create, run_all, fake_renderer, fake_analyzer, django_capture_on_commit_callbacks
):
    # given a product image and a shopper photo stored, but their events lost before any receiver
    # ran (the process killed right after the commit): the commit hooks are dropped
    with django_capture_on_commit_callbacks(execute=False):
        _, image = make_product(1, role="on_model")
        _, photo = make_shopper()
    assert (ProductImageAnalysis.objects.count(), ReferencePhotoAnalysis.objects.count(), tasks.calls) == (
        0,
        0,
        [],
    )
    # when the periodic pass runs
    queued = create(services.analyses_refresh_stale)
    # then both are scheduled, and once analysed the shopper's card follows
    assert queued == 2
    assert (tasks.names("analyse_product_image"), tasks.names("analyse_reference_photo")) == (
        [(image.pk,)],
        [(photo.pk,)],
    )
    run_all()
    assert ProductImageAnalysis.objects.get(product_image=image).status == AnalysisStatus.DONE
    assert ReferencePhotoAnalysis.objects.get(photo=photo).status == AnalysisStatus.DONE
    assert list(Render.objects.values_list("product_id", "status")) == [(image.product_id, RenderStatus.DONE)]
    # and the next pass finds nothing to do
    tasks.clear()
    assert create(services.analyses_refresh_stale) == 0 and tasks.calls == []


def test_an_analysis_of_an_earlier_file_is_redone_by_the_stale_pass(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given an analysed product image whose file was then replaced without its event reaching try-on
    _, image = create(make_product, 1, role="on_model")
    run_all()
    type(image).objects.filter(pk=image.pk).update(content_hash="0" * 64)
    tasks.clear()
    # when the periodic pass runs, then the analysis is redone
    assert create(services.analyses_refresh_stale) == 1
    assert tasks.names("analyse_product_image") == [(image.pk,)]


def test_a_real_parser_tuning_change_makes_every_person_analysis_stale(ml_config):
    # given the analyzer's version with the parser's default tuning
    from dataclasses import replace

    from ml.analysis import PhotoAnalyzer
    from ml.parsing.heuristic import BASE_VERSION, TUNING, HeuristicParser

    before = pipeline.current_analyzer_version()
    # when one tuning number of the parser changes
    changed = PhotoAnalyzer(parser=HeuristicParser(replace(TUNING, skin_max_cost=TUNING.skin_max_cost + 0.1)))
    # then the analyzer's version, the one stored analyses are compared with, changes too
    assert changed.version != before
    assert changed.version.startswith(f"perception-2+{BASE_VERSION}+")
    assert before.startswith(f"perception-2+{BASE_VERSION}+")


def test_a_packshot_analysis_holding_an_old_renderer_layer_is_redone(
    tasks, create, run_all, fake_renderer, fake_analyzer
):
    # given a packshot analysis that holds the fake renderer's per-packshot work at version 1
    _, image = create(make_product, 1)
    run_all()
    ProductImageAnalysis.objects.filter(product_image=image).update(extras_for="test-fake@1")
    tasks.clear()
    assert create(services.analyses_refresh_stale) == 0
    # when the renderer's version changes
    fake_renderer.version = "2"
    pipeline.forget_renderer_choices()
    # then the packshot is analysed again (its layer made by the new version)
    assert create(services.analyses_refresh_stale) == 1
    assert tasks.names("analyse_product_image") == [(image.pk,)]


def test_the_stale_pass_is_scheduled():
    from django.conf import settings

    # the periodic task is on beat's schedule and routed to the preprocess queue
    entry = settings.CELERY_BEAT_SCHEDULE["tryon-analyse-stale"]
    assert (entry["task"], entry["schedule"]) == (
        "tryon.tasks.analyse_stale",
        float(settings.TRYON_STALE_INTERVAL_S),
    )
    assert settings.CELERY_TASK_ROUTES["tryon.tasks.analyse_*"]["queue"] == settings.TRYON_QUEUE_PREPROCESS
