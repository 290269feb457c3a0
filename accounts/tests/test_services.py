import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError

from accounts.models import ReferencePhoto, User
from accounts.services import (
    reference_photo_create,
    reference_photo_delete,
    reference_photo_set_primary,
    user_create,
    user_update_profile,
)
from accounts.tests.factories import ReferencePhotoFactory, UserFactory
from tests.support.images import image_bytes, image_upload, text_upload
from tests.support.media import stored_files

pytestmark = pytest.mark.django_db


def test_user_create_normalises_email_and_hashes_password():
    # when
    user = user_create(email="Ada@Example.COM", password="a-long-safe-passphrase", height_cm=168)

    # then
    user.refresh_from_db()
    assert user.email == "ada@example.com"
    assert user.height_cm == 168
    assert user.check_password("a-long-safe-passphrase") is True
    assert user.password != "a-long-safe-passphrase"
    assert user.is_staff is False


def test_user_create_refuses_a_taken_email_and_creates_nothing():
    # given
    UserFactory(email="ada@example.com")

    # when / then
    with pytest.raises(ValidationError) as error:
        user_create(email="ADA@example.com", password="a-long-safe-passphrase")
    assert error.value.message_dict == {"email": ["An account with this e-mail address already exists."]}
    assert User.objects.count() == 1


def test_user_create_refuses_a_weak_password():
    with pytest.raises(ValidationError):
        user_create(email="bob@example.com", password="123")
    assert User.objects.filter(email="bob@example.com").exists() is False


def test_user_update_profile_saves_height_and_rejects_out_of_range():
    # given
    user = UserFactory(height_cm=None)

    # when
    user_update_profile(user=user, height_cm=181)

    # then
    user.refresh_from_db()
    assert user.height_cm == 181
    with pytest.raises(ValidationError):
        user_update_profile(user=user, height_cm=300)
    user.refresh_from_db()
    assert user.height_cm == 181


def test_first_photo_becomes_primary_and_file_is_stored_privately(settings):
    # given
    user = UserFactory()
    data = image_bytes(270, 360)

    # when
    first = reference_photo_create(user=user, file=image_upload("me.png", 270, 360), kind="front")
    second = reference_photo_create(user=user, file=image_upload("side.png", 260, 300), kind="side")

    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_primary is True
    assert second.is_primary is False
    assert (first.width, first.height) == (270, 360)
    assert first.content_hash == hashlib.sha256(data).hexdigest()
    assert first.image.name.startswith(f"private/reference/{user.pk}/")
    assert first.image.name.endswith(".png")
    assert default_storage.exists(first.image.name)
    assert len(stored_files(settings)) == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (text_upload(), "This file is not an image we can read (use a JPEG, PNG or WebP photo)."),
        (text_upload(content=b""), "The file is empty."),
    ],
)
def test_bad_photo_upload_stores_nothing(settings, upload, message):
    # given
    user = UserFactory()

    # when
    with pytest.raises(ValidationError) as error:
        reference_photo_create(user=user, file=upload, kind="front")

    # then
    assert error.value.messages == [message]
    assert ReferencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_too_large_photo_is_refused(settings):
    # given
    settings.MAX_UPLOAD_BYTES = 1000
    user = UserFactory()
    upload = image_upload("big.png", 400, 400, fmt="BMP")

    # when
    with pytest.raises(ValidationError) as error:
        reference_photo_create(user=user, file=upload, kind="front")

    # then
    assert error.value.messages == ["The file is too large: the limit is 1000\xa0bytes."]
    assert ReferencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_too_many_pixels_is_refused(settings):
    settings.MAX_UPLOAD_PIXELS = 100
    with pytest.raises(ValidationError):
        reference_photo_create(user=UserFactory(), file=image_upload("p.png", 20, 20), kind="front")
    assert ReferencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_unknown_kind_is_refused(settings):
    with pytest.raises(ValidationError):
        reference_photo_create(user=UserFactory(), file=image_upload(), kind="back")
    assert stored_files(settings) == []


def test_delete_removes_the_file_and_promotes_the_newest_remaining(
    settings, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory()
    oldest = reference_photo_create(user=user, file=image_upload("a.png"), kind="front")
    newest_other = reference_photo_create(
        user=user, file=image_upload("b.png", colour=(1, 2, 3)), kind="side"
    )
    middle = ReferencePhoto.objects.get(pk=newest_other.pk)
    name = oldest.image.name

    # when
    with django_capture_on_commit_callbacks(execute=True):
        reference_photo_delete(photo=oldest)

    # then
    assert default_storage.exists(name) is False
    assert ReferencePhoto.objects.filter(pk=oldest.pk).exists() is False
    middle.refresh_from_db()
    assert middle.is_primary is True
    assert default_storage.exists(middle.image.name) is True


def test_delete_keeps_files_until_commit(django_capture_on_commit_callbacks):
    # given
    photo = reference_photo_create(user=UserFactory(), file=image_upload(), kind="front")

    # when: the transaction has not committed yet
    with django_capture_on_commit_callbacks(execute=False):
        reference_photo_delete(photo=photo)

    # then
    assert default_storage.exists(photo.image.name) is True


def test_set_primary_leaves_exactly_one_primary():
    # given
    user = UserFactory()
    first = reference_photo_create(user=user, file=image_upload("a.png"), kind="front")
    second = reference_photo_create(user=user, file=image_upload("b.png"), kind="full_body")

    # when
    reference_photo_set_primary(photo=second)

    # then
    assert list(ReferencePhoto.objects.filter(user=user, is_primary=True).values_list("pk", flat=True)) == [
        second.pk
    ]
    first.refresh_from_db()
    assert first.is_primary is False


def test_database_refuses_two_primary_photos_for_one_user():
    user = UserFactory()
    ReferencePhotoFactory(user=user, is_primary=True)
    with pytest.raises(IntegrityError):
        ReferencePhotoFactory(user=user, is_primary=True)


def test_other_users_primary_photos_do_not_conflict():
    ReferencePhotoFactory(is_primary=True)
    ReferencePhotoFactory(is_primary=True)
    assert ReferencePhoto.objects.filter(is_primary=True).count() == 2
