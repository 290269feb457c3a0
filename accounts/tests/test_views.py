import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import ReferencePhoto, User
from accounts.services import reference_photo_create
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.images import image_upload, text_upload
from tests.support.media import stored_files

pytestmark = pytest.mark.django_db


def _confirm_link(message) -> str:
    return re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", message.body).group(1)


def test_sign_up_sends_a_link_that_sets_the_password_activates_and_signs_in(client):
    # when
    response = client.post(reverse("accounts:signup"), {"email": "New@Example.com", "height_cm": "170"})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_sent")
    user = User.objects.get()
    assert (user.email, user.height_cm, user.is_active, user.has_usable_password()) == (
        "new@example.com",
        170,
        False,
        False,
    )
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.com"]

    # when the link is followed and a password chosen
    link = _confirm_link(mail.outbox[0])
    page = client.get(link)
    done = client.post(link, {"new_password1": "plum-velvet-42x", "new_password2": "plum-velvet-42x"})

    # then
    assert page.status_code == 200
    assert done.status_code == 302 and done["Location"] == reverse("accounts:photos")
    user.refresh_from_db()
    assert user.is_active is True
    assert user.check_password("plum-velvet-42x")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(link).status_code == 400  # the link works once


def test_sign_up_with_a_registered_address_answers_the_same_and_changes_nothing(client):
    # given
    existing = UserFactory(email="ada@example.com")
    password_hash = existing.password

    # when
    known = client.post(reverse("accounts:signup"), {"email": "Ada@example.com"})
    unknown = client.post(reverse("accounts:signup"), {"email": "grace@example.com"})

    # then
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    existing.refresh_from_db()
    assert existing.password == password_hash and existing.is_active
    assert User.objects.count() == 2
    to_ada = [m for m in mail.outbox if m.to == ["ada@example.com"]]
    assert len(to_ada) == 1
    assert "you already have one" in to_ada[0].body
    assert "/accounts/signup/confirm/" not in to_ada[0].body


def test_sign_up_link_for_a_squatted_address_lets_the_owner_choose_the_password(client):
    # given someone else started a sign-up for this address
    client.post(reverse("accounts:signup"), {"email": "ada@example.com"})
    mail.outbox.clear()

    # when the owner signs up too
    client.post(reverse("accounts:signup"), {"email": "ada@example.com"})

    # then the owner gets a link where they choose the password themselves
    link = _confirm_link(mail.outbox[0])
    client.post(link, {"new_password1": "owner-chose-this-9", "new_password2": "owner-chose-this-9"})
    assert User.objects.get(email="ada@example.com").check_password("owner-chose-this-9")


def test_log_in_with_email_and_password(client):
    # given
    user = UserFactory(email="ada@example.com")

    # when
    response = client.post(
        reverse("accounts:login"), {"username": "ada@example.com", "password": DEFAULT_PASSWORD}
    )

    # then
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_log_in_with_a_wrong_password_fails(client):
    UserFactory(email="ada@example.com")
    response = client.post(reverse("accounts:login"), {"username": "ada@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_log_out(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client):
    # given
    user = UserFactory(email="ada@example.com")

    # when
    client.post(reverse("accounts:password_reset"), {"email": "ada@example.com"})

    # then
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-77") is True


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "another-pass-88",
            "new_password2": "another-pass-88",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-pass-88") is True


def test_profile_saves_height(client):
    user = UserFactory(height_cm=None)
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"height_cm": "165"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.height_cm == 165


def test_account_pages_need_sign_in(client):
    response = client.get(reverse("accounts:photos"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_photo_upload_through_the_page(client):
    # given
    user = UserFactory()
    client.force_login(user)

    # when
    response = client.post(reverse("accounts:photos"), {"kind": "full_body", "image": image_upload("me.png")})

    # then
    assert response.status_code == 302
    photo = ReferencePhoto.objects.get(user=user)
    assert photo.kind == "full_body"
    assert photo.is_primary is True
    page = client.get(reverse("accounts:photos")).content.decode()
    assert photo.image.url in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (text_upload(), "This file is not an image we can read"),
        (text_upload(content=b""), "The submitted file is empty."),
    ],
)
def test_bad_photo_upload_through_the_page_shows_an_error_and_stores_nothing(
    client, settings, upload, message
):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:photos"), {"kind": "front", "image": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReferencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_photo_delete_through_the_page_removes_the_file(client, django_capture_on_commit_callbacks):
    # given
    user = UserFactory()
    photo = reference_photo_create(user=user, file=image_upload(), kind="front")
    client.force_login(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:photo_delete", args=[photo.pk]))

    # then
    assert response.status_code == 302
    assert ReferencePhoto.objects.filter(pk=photo.pk).exists() is False
    assert default_storage.exists(photo.image.name) is False


def test_cannot_delete_another_users_photo(client):
    # given
    photo = reference_photo_create(user=UserFactory(), file=image_upload(), kind="front")
    client.force_login(UserFactory())

    # when
    response = client.post(reverse("accounts:photo_delete", args=[photo.pk]))

    # then
    assert response.status_code == 404
    assert ReferencePhoto.objects.filter(pk=photo.pk).exists() is True
    assert default_storage.exists(photo.image.name) is True


def test_choose_primary_through_the_page(client):
    user = UserFactory()
    reference_photo_create(user=user, file=image_upload("a.png"), kind="front")
    second = reference_photo_create(user=user, file=image_upload("b.png"), kind="side")
    client.force_login(user)
    response = client.post(reverse("accounts:photo_set_primary", args=[second.pk]))
    assert response.status_code == 302
    assert list(ReferencePhoto.objects.filter(is_primary=True).values_list("pk", flat=True)) == [second.pk]


def test_log_in_ignores_the_case_of_the_email(client):
    # given an account made with a lower-case address (sign-up and the API store it so)
    user = UserFactory(email="ada@example.com")

    # when the shopper types it with capitals
    response = client.post(
        reverse("accounts:login"), {"username": " Ada@Example.COM", "password": DEFAULT_PASSWORD}
    )

    # then they are signed in
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_log_in_with_a_wrong_password_still_fails_whatever_the_case(client):
    UserFactory(email="ada@example.com")
    response = client.post(reverse("accounts:login"), {"username": "ADA@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_too_small_photo_is_refused_with_the_reason_and_nothing_is_stored(client, settings):
    # given a signed-in shopper
    user = UserFactory()
    client.force_login(user)

    # when they upload a 255x400 photo
    response = client.post(
        reverse("accounts:photos"), {"image": image_upload("me.png", 255, 400), "kind": "front"}
    )

    # then the form says why, and nothing is stored
    assert response.status_code == 400
    assert (
        "This photo is too small (255×400 pixels): try-on needs at least 256 pixels on its shorter side"
        in response.content.decode()
    )
    assert ReferencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_the_smallest_allowed_photo_is_kept(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:photos"), {"image": image_upload("me.png", 256, 256), "kind": "front"}
    )
    assert response.status_code == 302
    assert list(ReferencePhoto.objects.values_list("width", "height")) == [(256, 256)]
