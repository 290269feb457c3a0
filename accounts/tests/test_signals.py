"""Accounts announce their events after the commit; they never call the apps that listen."""

from contextlib import contextmanager

import pytest

from accounts import signals
from accounts.models import ReferencePhoto, User
from accounts.services import (
    reference_photo_create,
    reference_photo_delete,
    reference_photo_set_primary,
    user_delete,
    user_update_profile,
)
from accounts.tests.factories import UserFactory
from tests.support.images import image_upload

pytestmark = pytest.mark.django_db
PHOTO_EVENTS = ("reference_photo_added", "reference_photo_made_primary", "reference_photo_removed")


@contextmanager
def heard():
    events: list[tuple] = []
    receivers = []

    def listen(name, sender):
        def receiver(sender, _name=name, **payload):
            still_there = payload.get("photo_id") is None or (
                ReferencePhoto.objects.filter(pk=payload["photo_id"]).exists()
            )
            events.append((_name, payload.get("photo_id"), payload["user_id"], still_there))

        getattr(signals, name).connect(receiver, sender=sender)
        receivers.append((name, receiver, sender))

    for name in PHOTO_EVENTS:
        listen(name, ReferencePhoto)
    listen("user_deleted", User)
    try:
        yield events
    finally:
        for name, receiver, sender in receivers:
            getattr(signals, name).disconnect(receiver, sender=sender)


def test_photo_added_made_primary_and_removed_are_announced_after_each_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with heard() as events:
        # when two photos are uploaded, the second made the main one, and then deleted
        with django_capture_on_commit_callbacks(execute=True):
            first = reference_photo_create(user=user, file=image_upload("a.png"), kind="front")
            assert events == []  # nothing before the commit
        with django_capture_on_commit_callbacks(execute=True):
            second = reference_photo_create(user=user, file=image_upload("b.png"), kind="side")
        with django_capture_on_commit_callbacks(execute=True):
            reference_photo_set_primary(photo=second)
        first_id, second_id = first.pk, second.pk
        with django_capture_on_commit_callbacks(execute=True):
            reference_photo_delete(photo=second)
    # then: added twice (the first became main on its own, without an event of its own), made
    # primary, removed (once gone), and the first photo made primary again as the best one left
    assert events == [
        ("reference_photo_added", first_id, user.pk, True),
        ("reference_photo_added", second_id, user.pk, True),
        ("reference_photo_made_primary", second_id, user.pk, True),
        ("reference_photo_removed", second_id, user.pk, False),
        ("reference_photo_made_primary", first_id, user.pk, True),
    ]


def test_deleting_a_user_announces_it_once_the_rows_are_gone(django_capture_on_commit_callbacks):
    # given a user with a photo
    user = UserFactory()
    reference_photo_create(user=user, file=image_upload("a.png"), kind="front")
    user_id = user.pk
    with heard() as events, django_capture_on_commit_callbacks(execute=True):
        # when the account is deleted
        user_delete(user=user)
    # then the deletion is announced with the id, after the user and the photos are gone
    assert events == [("user_deleted", None, user_id, True)]
    assert not User.objects.filter(pk=user_id).exists()
    assert not ReferencePhoto.objects.filter(user_id=user_id).exists()


def test_body_inputs_changed_only_when_the_height_changes(django_capture_on_commit_callbacks):
    # given a user with a height, and a receiver of body_inputs_changed
    user = UserFactory(height_cm=170)
    heard_ids = []

    def receiver(sender, user_id, **kwargs):
        heard_ids.append(user_id)

    signals.body_inputs_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            user_update_profile(user=user, height_cm=170)  # unchanged
        with django_capture_on_commit_callbacks(execute=True):
            user_update_profile(user=user, height_cm=172)
    finally:
        signals.body_inputs_changed.disconnect(receiver)
    # then only the change was announced
    assert heard_ids == [user.pk]
