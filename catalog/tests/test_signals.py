"""The catalogue announces its product image events after the commit; it never calls the apps that listen."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from catalog import signals
from catalog.models import ProductImage
from catalog.services import product_image_create, product_image_delete, product_image_replace_file
from catalog.tests.factories import ProductFactory
from tests.support.images import image_upload

pytestmark = pytest.mark.django_db
NAMES = ("product_image_added", "product_image_replaced", "product_image_removed")


@contextmanager
def heard():
    events: list[tuple[str, int, int, bool, bool]] = []
    receivers = {}
    for name in NAMES:

        def receiver(sender, product_image_id, product_id, _name=name, **kwargs):
            still_there = ProductImage.objects.filter(pk=product_image_id).exists()
            in_transaction = transaction.get_connection().in_atomic_block
            events.append((_name, product_image_id, product_id, still_there, in_transaction))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, sender=ProductImage)
    try:
        yield events
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver, sender=ProductImage)


def test_image_added_replaced_and_removed_are_announced_once_each_after_the_commit(
    django_capture_on_commit_callbacks,
):
    # given a product
    product = ProductFactory()
    with heard() as events:
        # when an image is added, its file replaced, and the image deleted, each in its transaction
        with django_capture_on_commit_callbacks(execute=True):
            image = product_image_create(product=product, file=image_upload("a.png"), role="packshot")
            # then nothing is announced before the commit
            assert events == []
        with django_capture_on_commit_callbacks(execute=True):
            product_image_replace_file(product_image=image, file=image_upload("b.png", colour=(1, 2, 3)))
        image_id = image.pk
        with django_capture_on_commit_callbacks(execute=True):
            product_image_delete(product_image=image)
    # then each event went out once, in order, with ids; the removal once the row was gone
    assert events == [
        ("product_image_added", image_id, product.pk, True, True),
        ("product_image_replaced", image_id, product.pk, True, True),
        ("product_image_removed", image_id, product.pk, False, True),
    ]
    assert not ProductImage.objects.filter(pk=image_id).exists()


def test_a_refused_upload_announces_nothing(django_capture_on_commit_callbacks):
    product = ProductFactory()
    with (
        heard() as events,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError, match="too small"),
    ):
        product_image_create(product=product, file=image_upload("tiny.png", 20, 20), role="packshot")
    assert events == []
    assert callbacks == []


def test_a_rolled_back_change_announces_nothing(django_capture_on_commit_callbacks):
    # given a product, and an image added inside a transaction that then fails
    product = ProductFactory()
    with (
        heard() as events,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError, match="later step failed"),
        transaction.atomic(),
    ):
        product_image_create(product=product, file=image_upload("a.png"), role="packshot")
        raise RuntimeError("later step failed")
    # then no event went out and no image was kept
    assert events == []
    assert not ProductImage.objects.filter(product=product).exists()


def test_a_failing_receiver_is_logged_and_the_others_still_hear(django_capture_on_commit_callbacks, caplog):
    # given a receiver that fails and one that records
    product = ProductFactory()

    def failing(sender, **kwargs):
        raise ValueError("receiver broke")

    signals.product_image_added.connect(failing, sender=ProductImage)
    try:
        with heard() as events, django_capture_on_commit_callbacks(execute=True):
            # when an image is added
            image = product_image_create(product=product, file=image_upload("a.png"), role="packshot")
    finally:
        signals.product_image_added.disconnect(failing, sender=ProductImage)
    # then the image is kept, the other receiver heard, and the failure was logged with its cause
    assert ProductImage.objects.filter(pk=image.pk).exists()
    assert events == [("product_image_added", image.pk, product.pk, True, True)]
    assert [r.getMessage() for r in caplog.records if r.name == "shop.events"] == [
        f"receiver {failing.__qualname__} of ProductImage failed"
    ]
