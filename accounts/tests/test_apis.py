"""The accounts API: token and session authentication, the shopper's profile and reference photos."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto
from accounts.services import reference_photo_create
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.images import image_upload, text_upload
from tests.support.media import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_token_auth(api):
    # given
    user = UserFactory(email="ada@example.com")

    # when
    bad = api.post("/api/v1/auth/token/", {"email": "ada@example.com", "password": "wrong"}, format="json")
    good = api.post(
        "/api/v1/auth/token/", {"email": "ADA@example.com", "password": DEFAULT_PASSWORD}, format="json"
    )

    # then
    assert bad.status_code == 401
    assert good.status_code == 200
    token = Token.objects.get(user=user)
    assert good.json() == {
        "token": token.key,
        "expires_at": (token.created + timedelta(seconds=settings.API_TOKEN_TTL_S))
        .isoformat()
        .replace("+00:00", "Z"),
    }
    api.credentials(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert api.get("/api/v1/me/").json()["email"] == "ada@example.com"


def test_me_needs_authentication(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_me_session_auth_and_patch(api):
    user = UserFactory(height_cm=170)
    api.force_authenticate(user)
    assert api.get("/api/v1/me/").json()["height_cm"] == 170
    assert api.patch("/api/v1/me/", {"height_cm": 183}, format="json").json()["height_cm"] == 183
    assert api.patch("/api/v1/me/", {"height_cm": 20}, format="json").status_code == 400
    user.refresh_from_db()
    assert user.height_cm == 183


def test_session_login_works_for_the_api():
    user = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.login(username=user.email, password=DEFAULT_PASSWORD)
    assert client.get("/api/v1/me/").json()["id"] == user.pk


def test_photo_upload_list_primary_and_delete(api, django_capture_on_commit_callbacks):
    # given
    user = UserFactory()
    api.force_authenticate(user)

    # when
    first = api.post(
        "/api/v1/me/photos/", {"image": image_upload("a.png"), "kind": "front"}, format="multipart"
    )
    second = api.post(
        "/api/v1/me/photos/", {"image": image_upload("b.png"), "kind": "side"}, format="multipart"
    )

    # then
    assert first.status_code == 201
    assert first.json()["is_primary"] is True
    assert second.json()["is_primary"] is False
    listed = api.get("/api/v1/me/photos/").json()
    assert [p["id"] for p in listed] == [first.json()["id"], second.json()["id"]]
    primary = api.post(f"/api/v1/me/photos/{second.json()['id']}/primary/")
    assert primary.json()["is_primary"] is True
    name = ReferencePhoto.objects.get(pk=second.json()["id"]).image.name
    with django_capture_on_commit_callbacks(execute=True):
        deleted = api.delete(f"/api/v1/me/photos/{second.json()['id']}/")
    assert deleted.status_code == 204
    assert default_storage.exists(name) is False
    assert ReferencePhoto.objects.get().is_primary is True


@pytest.mark.parametrize(
    ("upload", "field_error"),
    [
        (text_upload(), "This file is not an image we can read (use a JPEG, PNG or WebP photo)."),
        (text_upload(content=b""), "The submitted file is empty."),
    ],
)
def test_bad_photo_upload_is_a_400_and_stores_nothing(api, settings, upload, field_error):
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/me/photos/", {"image": upload, "kind": "front"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"image": [field_error]}
    assert ReferencePhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_too_large_photo_upload_is_a_400(api, settings):
    settings.MAX_UPLOAD_BYTES = 500
    api.force_authenticate(UserFactory())
    response = api.post(
        "/api/v1/me/photos/", {"image": image_upload("big.png", 300, 300, fmt="BMP")}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"image": ["The file is too large: the limit is 500\xa0bytes."]}
    assert ReferencePhoto.objects.count() == 0


def test_other_users_photos_are_404(api):
    photo = reference_photo_create(user=UserFactory(), file=image_upload(), kind="front")
    api.force_authenticate(UserFactory())
    assert api.delete(f"/api/v1/me/photos/{photo.pk}/").status_code == 404
    assert api.post(f"/api/v1/me/photos/{photo.pk}/primary/").status_code == 404
    assert api.get("/api/v1/me/photos/").json() == []
    assert ReferencePhoto.objects.filter(pk=photo.pk).exists() is True
