"""The whole try-on pipeline with REAL Celery worker processes, a real photo and the warp renderer.

Runs on whatever the environment configures (SQLite + filesystem broker by default; PostgreSQL
and Redis in CI with DATABASE_URL / CELERY_BROKER_URL).
"""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import reference_photo_create, user_create
from catalog.models import ProductImage
from catalog.services import product_image_replace_file
from tests.e2e.tryon_support import make_catalogue, packshot_upload, wait_for
from tryon import services
from tryon.models import AnalysisStatus, ProductImageAnalysis, ReferencePhotoAnalysis, Render, RenderStatus

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _cards(user) -> dict[int, Render]:
    return {r.product_id: r for r in Render.objects.filter(owner=user, kind="card", mode="tryon")}


def test_shopper_photo_to_every_card_rendered_cached_and_invalidated(
    celery_worker_factory, people_dir, settings
):
    settings.TRYON_RENDERER = "warp"
    # given a catalogue of 4 drawn products and one real worker consuming all three queues
    # (the quality gate off: this test is about the pipeline; the gate has its own tests)
    worker = celery_worker_factory(
        queues=("default", "preprocess", "render"),
        env={"TRYON_RENDERER": "warp", "TRYON_QUALITY_GATE": "0"},
    )
    products = make_catalogue()
    wait_for(
        lambda: ProductImageAnalysis.objects.filter(status=AnalysisStatus.DONE).count() == 4,
        timeout=120,
        what="the product images' analyses",
        worker=worker,
    )

    # when a shopper uploads a real photo of themselves
    user = user_create(email="e2e-shopper@example.com", password="a-long-password-1", validate=False)
    data = (people_dir / "onmodel_01.jpg").read_bytes()
    photo = reference_photo_create(
        user=user, file=SimpleUploadedFile("me.jpg", data, "image/jpeg"), kind="full_body"
    )

    # then the photo is analysed by the preprocess task ...
    analysis = wait_for(
        lambda: ReferencePhotoAnalysis.objects.filter(photo=photo, status__in=["done", "failed"]).first(),
        timeout=120,
        what="the shopper photo's analysis",
        worker=worker,
    )
    assert analysis.status == AnalysisStatus.DONE, analysis.failure_reason
    assert analysis.source_hash == photo.content_hash
    assert default_storage.exists(analysis.data.name) and analysis.metadata["keypoints"][1] is not None
    # ... and every card of the catalogue is rendered on them by the render task
    wait_for(
        lambda: len(_cards(user)) == 4 and all(r.is_final for r in _cards(user).values()),
        timeout=180,
        what="all four cards",
        worker=worker,
    )
    cards = _cards(user)
    assert {pid: r.status for pid, r in cards.items()} == {p.pk: RenderStatus.DONE for p in products}, {
        pid: r.reason for pid, r in cards.items()
    }
    assert all(
        default_storage.exists(r.card.name) and default_storage.exists(r.image.name) for r in cards.values()
    )
    assert {r.renderer for r in cards.values()} == {"warp"}
    # and the worker measured each card for the quality gate (confidence and measures stored)
    assert all(0.0 <= r.confidence <= 1.0 and "leftover_share" in r.quality for r in cards.values())

    # when the shopper comes back: everything is cached, nothing new is made
    again = services.renders_ensure_for_shopper(user=user)
    assert (again.created, again.replaced, again.queued) == (0, 0, 0)

    # when one product's image is replaced
    changed = products[0]
    image = ProductImage.objects.get(product=changed)
    file, _ = packshot_upload("top", "tshirt", (240, 200, 40), seed=99)
    product_image_replace_file(product_image=image, file=file)

    # then exactly that card is re-rendered, from the new image; the others are the same renders
    wait_for(
        lambda: (r := _cards(user).get(changed.pk)) is not None
        and r.pk != cards[changed.pk].pk
        and r.is_final,
        timeout=120,
        what="the changed card's new render",
        worker=worker,
    )
    after = _cards(user)
    assert after[changed.pk].status == RenderStatus.DONE
    assert (
        after[changed.pk].garments.get().content_hash
        == ProductImage.objects.get(product=changed).content_hash
    )
    for product in products[1:]:
        assert (after[product.pk].pk, after[product.pk].finished_at) == (
            cards[product.pk].pk,
            cards[product.pk].finished_at,
        )
    assert not default_storage.exists(cards[changed.pk].card.name)
    assert Render.objects.filter(owner=user).count() == 4
