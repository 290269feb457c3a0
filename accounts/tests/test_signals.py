"""Accounts announce their reference photo events; they never call the apps that listen."""

from contextlib import contextmanager

import pytest

from accounts import signals
from accounts.models import ReferencePhoto
from accounts.services import reference_photo_create, reference_photo_delete, reference_photo_set_primary
from accounts.tests.factories import UserFactory
from tests.support.images import image_upload

pytestmark = pytest.mark.django_db
NAMES = ("reference_photo_added", "reference_photo_made_primary", "reference_photo_removing")


@contextmanager
def heard():
    events: list[tuple[str, int]] = []
    receivers = {}
    for name in NAMES:

        def receiver(sender, photo, _name=name, **kwargs):
            events.append((_name, photo.pk))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, sender=ReferencePhoto)
    try:
        yield events
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver, sender=ReferencePhoto)


def test_photo_added_made_primary_and_removed_are_announced():
    user = UserFactory()
    with heard() as events:
        # when two photos are uploaded, the second made the main one, and then deleted
        first = reference_photo_create(user=user, file=image_upload("a.png"), kind="front")
        second = reference_photo_create(user=user, file=image_upload("b.png"), kind="side")
        reference_photo_set_primary(photo=second)
        first_id, second_id = first.pk, second.pk
        reference_photo_delete(photo=second)
    # then: added twice (the first became main on its own, without an event of its own), made
    # primary, removing, and the first photo made primary again as the best one left
    assert events == [
        ("reference_photo_added", first_id),
        ("reference_photo_added", second_id),
        ("reference_photo_made_primary", second_id),
        ("reference_photo_removing", second_id),
        ("reference_photo_made_primary", first_id),
    ]
