"""The catalogue announces its product image events; it never calls the apps that listen."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError

from catalog import signals
from catalog.models import ProductImage
from catalog.services import product_image_create, product_image_delete, product_image_replace_file
from catalog.tests.factories import ProductFactory
from tests.support.images import image_upload

pytestmark = pytest.mark.django_db


@contextmanager
def heard():
    events: list[tuple[str, int, bool]] = []
    receivers = {}
    for name in ("product_image_added", "product_image_replaced", "product_image_removing"):

        def receiver(sender, product_image, _name=name, **kwargs):
            still_there = ProductImage.objects.filter(pk=product_image.pk).exists()
            events.append((_name, product_image.pk, still_there))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, sender=ProductImage)
    try:
        yield events
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver, sender=ProductImage)


def test_image_added_replaced_and_removed_are_announced_once_each():
    product = ProductFactory()
    with heard() as events:
        # when an image is added, its file replaced, and the image deleted
        image = product_image_create(product=product, file=image_upload("a.png"), role="packshot")
        product_image_replace_file(product_image=image, file=image_upload("b.png", colour=(1, 2, 3)))
        image_id = image.pk
        product_image_delete(product_image=image)
    # then each event was sent once, in order, the removal while the row still existed
    assert events == [
        ("product_image_added", image_id, True),
        ("product_image_replaced", image_id, True),
        ("product_image_removing", image_id, True),
    ]
    assert not ProductImage.objects.filter(pk=image_id).exists()


def test_a_refused_upload_announces_nothing():
    product = ProductFactory()
    with heard() as events, pytest.raises(ValidationError, match="too small"):
        product_image_create(product=product, file=image_upload("tiny.png", 20, 20), role="packshot")
    assert events == []
