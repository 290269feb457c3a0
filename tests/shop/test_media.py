"""Protected media (``shop.media``): private files for their owner (session or API token) only,
catalogue images for everybody."""

import pytest
from rest_framework.authtoken.models import Token

from accounts.services import reference_photo_create
from accounts.tests.factories import UserFactory
from catalog.tests.factories import (
    ProductImageFactory,
)
from tests.support.images import image_bytes, image_upload

pytestmark = pytest.mark.django_db


def test_protected_media_serves_reference_photos_to_their_owner_only(client):
    # given
    owner, other = UserFactory(), UserFactory()
    photo = reference_photo_create(user=owner, file=image_upload(), kind="front")
    url = f"/media/{photo.image.name}"

    # then
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes()
    assert response["Cache-Control"] == "private, no-store"


def test_protected_media_serves_private_files_to_the_owners_api_token_only(client):
    # given
    owner, other = UserFactory(), UserFactory()
    photo = reference_photo_create(user=owner, file=image_upload(), kind="front")
    url = f"/media/{photo.image.name}"
    owner_token, other_token = Token.objects.create(user=owner), Token.objects.create(user=other)

    # when / then
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {owner_token.key}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes()
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {other_token.key}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Bearer whatever").status_code == 404


def test_protected_media_serves_catalogue_images_publicly_and_refuses_the_rest(client):
    image = ProductImageFactory()
    response = client.get(f"/media/{image.image.name}")
    assert response.status_code == 200
    assert client.get("/media/private/other/secret.png").status_code == 404
    assert client.get("/media/catalog/../private/reference/1/x.png").status_code == 404
    assert client.get("/media/catalog/999/missing.png").status_code == 404
