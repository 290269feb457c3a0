"""Log-in: the address locked after repeated wrong passwords (form, token endpoint and admin alike),
requests per client address limited; API tokens that expire and die with a password change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_log_in_form_locks_the_address_after_repeated_wrong_passwords(client, rates):
    # given
    user = UserFactory(email="ada@example.com")

    # when
    wrong = [
        client.post(reverse("accounts:login"), {"username": "ada@example.com", "password": f"nope{n}"})
        for n in range(5)
    ]
    right = client.post(
        reverse("accounts:login"), {"username": "ada@example.com", "password": DEFAULT_PASSWORD}
    )

    # then
    assert [r.status_code for r in wrong] == [200] * 5
    assert right.status_code == 200
    assert "Too many attempts. Please try again in" in right.content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_login is None


def test_token_endpoint_shares_the_lock_and_answers_429(rates):
    # given
    UserFactory(email="ada@example.com")
    api = APIClient()

    # when
    wrong = [
        api.post("/api/v1/auth/token/", {"email": "ada@example.com", "password": "x"}, format="json")
        for _ in range(5)
    ]
    right = api.post(
        "/api/v1/auth/token/", {"email": "ada@example.com", "password": DEFAULT_PASSWORD}, format="json"
    )

    # then
    assert [r.status_code for r in wrong] == [401] * 5
    assert right.status_code == 429
    assert right.json()["detail"].startswith("Too many attempts. Please try again in")
    assert int(right["Retry-After"]) > 0
    assert not Token.objects.exists()


def test_a_success_before_the_limit_resets_the_failure_count(client, rates):
    # given
    UserFactory(email="ada@example.com")
    for n in range(4):
        client.post(reverse("accounts:login"), {"username": "ada@example.com", "password": f"nope{n}"})

    # when
    ok = client.post(reverse("accounts:login"), {"username": "ada@example.com", "password": DEFAULT_PASSWORD})
    client.logout()
    again = [
        client.post(reverse("accounts:login"), {"username": "ada@example.com", "password": "nope"})
        for _ in range(4)
    ]
    still_ok = client.post(
        reverse("accounts:login"), {"username": "ada@example.com", "password": DEFAULT_PASSWORD}
    )

    # then
    assert ok.status_code == 302
    assert [r.status_code for r in again] == [200] * 4
    assert still_ok.status_code == 302


def test_log_in_requests_per_client_address_are_limited(client, settings, rates):
    # given
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"] = "3/minute"
    UserFactory(email="ada@example.com")

    # when
    answers = [
        client.post(reverse("accounts:login"), {"username": f"u{n}@example.com", "password": "x"})
        for n in range(4)
    ]

    # then
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert "Too many attempts" in answers[-1].content.decode()


def test_tokens_expire(settings):
    # given
    settings.API_TOKEN_TTL_S = 3600
    user = UserFactory()
    token = Token.objects.create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(seconds=3601))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    # when
    expired = api.get("/api/v1/me/")
    fresh = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )

    # then
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    assert fresh.status_code == 200
    assert fresh.json()["token"] != token.key
    assert list(Token.objects.values_list("key", flat=True)) == [fresh.json()["token"]]


def test_a_password_change_revokes_the_api_token(client):
    # given
    user = UserFactory()
    token = Token.objects.create(user=user)
    client.force_login(user)

    # when
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "fresh-plum-77x",
            "new_password2": "fresh-plum-77x",
        },
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    # then
    assert response.status_code == 302
    assert not Token.objects.filter(user=user).exists()
    assert api.get("/api/v1/me/").status_code == 401


def test_a_profile_save_keeps_the_token(client):
    # given
    user = UserFactory()
    token = Token.objects.create(user=user)
    client.force_login(user)

    # when
    client.post(reverse("accounts:profile"), {"height_cm": "180"})

    # then
    assert Token.objects.filter(key=token.key).exists()


def test_the_admin_log_in_shares_the_lock(client, rates):
    # given
    UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)

    # when
    wrong = [
        client.post("/admin/login/", {"username": "boss@example.com", "password": f"x{n}"}) for n in range(5)
    ]
    right = client.post("/admin/login/", {"username": "boss@example.com", "password": DEFAULT_PASSWORD})

    # then
    assert [r.status_code for r in wrong] == [200] * 5
    assert right.status_code == 200
    assert "Too many attempts. Please try again in" in right.content.decode()
    assert "_auth_user_id" not in client.session
