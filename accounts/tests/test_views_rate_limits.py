"""Sign-up, password reset and photo uploads are limited per client address or per user; password
reset says nothing about the address."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto, User
from accounts.tests.factories import UserFactory
from tests.support.images import image_upload

pytestmark = pytest.mark.django_db


def test_sign_up_is_limited_per_client_address(client, rates):
    # when
    answers = [client.post(reverse("accounts:signup"), {"email": f"new{n}@example.com"}) for n in range(4)]

    # then
    assert [r.status_code for r in answers] == [302, 302, 302, 429]
    assert User.objects.count() == 3
    assert len(mail.outbox) == 3


def test_password_reset_answers_the_same_for_any_address_and_is_limited(client, rates):
    # given
    UserFactory(email="ada@example.com")

    # when
    known = client.post(reverse("accounts:password_reset"), {"email": "ada@example.com"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    third = client.post(reverse("accounts:password_reset"), {"email": "ada@example.com"})

    # then
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert third.status_code == 429


def test_photo_uploads_are_limited_per_user_on_the_api_and_the_form(client, rates):
    # given
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    client.force_login(user)

    # when
    via_api = [api.post("/api/v1/me/photos/", {"image": image_upload(), "kind": "front"}) for _ in range(2)]
    third_api = api.post("/api/v1/me/photos/", {"image": image_upload(), "kind": "front"})
    via_form = client.post(reverse("accounts:photos"), {"image": image_upload(), "kind": "front"})
    listing = api.get("/api/v1/me/photos/")

    # then
    assert [r.status_code for r in via_api] == [201, 201]
    assert third_api.status_code == 429
    assert via_form.status_code == 429
    assert "Too many attempts" in via_form.content.decode()
    assert ReferencePhoto.objects.filter(user=user).count() == 2
    assert listing.status_code == 200  # reading is not limited
