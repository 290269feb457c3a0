"""Analysis (and so rendering) works on a copy bounded to TRYON_WORKING_MAX_SIDE on the long side."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ml import pipeline
from tryon import services
from tryon.models import ProductImageAnalysis
from tryon.tests.support import LANDMARKS, make_product, make_shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen_sizes(monkeypatch, fake_analyzer):
    sizes: list[tuple[int, int]] = []

    def recording(data: bytes, *, renderer=None):
        sizes.append(Image.open(io.BytesIO(data)).size)
        return fake_analyzer(data, renderer=renderer)

    monkeypatch.setattr(pipeline, "analyse_person_photo", recording)
    return sizes


def test_a_large_shopper_photo_is_analysed_on_a_bounded_copy(settings, seen_sizes, fake_renderer, tasks):
    # given
    settings.TRYON_WORKING_MAX_SIDE = 512
    _, photo = make_shopper(size=(900, 1200))

    # when
    services.reference_photo_analyse(photo_id=photo.pk)

    # then
    assert seen_sizes == [(384, 512)]
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (900, 1200)  # the stored original keeps its size


def test_a_small_shopper_photo_is_analysed_as_stored(settings, seen_sizes, fake_renderer, tasks):
    # given
    settings.TRYON_WORKING_MAX_SIDE = 512
    _, photo = make_shopper(size=(288, 384))

    # when
    services.reference_photo_analyse(photo_id=photo.pk)

    # then
    assert seen_sizes == [(288, 384)]


def test_packshot_landmarks_follow_the_bounded_copy(settings, monkeypatch, fake_renderer, tasks):
    # given
    settings.TRYON_WORKING_MAX_SIDE = 60
    received = {}
    real = pipeline.analyse_packshot

    def recording(data, *, kind, landmarks, renderer=None):
        received["size"] = Image.open(io.BytesIO(data)).size
        received["landmarks"] = landmarks
        received["renderers"] = [choice.name for choice in renderer or []]
        return real(data, kind=kind, landmarks=landmarks, renderer=renderer)

    monkeypatch.setattr(pipeline, "analyse_packshot", recording)
    _, image = make_product(1)  # a 270x360 packshot with LANDMARKS

    # when
    services.product_image_analyse(product_image_id=image.pk)

    # then
    assert received["size"] == (45, 60)
    scale = 45 / 270
    assert received["landmarks"] == {k: [x * scale, y * scale] for k, (x, y) in LANDMARKS.items()}
    assert received["renderers"] == ["test-fake", "warp"]  # the enabled ones prepare their work ahead
    assert ProductImageAnalysis.objects.get(product_image=image).status == "done"
