"""Media on an S3-compatible server (moto's, on loopback) through django-storages, as in production.

Photos are private objects, reachable only through signed URLs that expire, which only their
owner is given; deleting a photo leaves no object behind. (moto's server checks signatures'
presence but not their expiry: the expiry test goes through ``SigV4Gateway``, which checks the
signature and its lifetime as S3 does, in front of moto.)
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto
from accounts.tests.factories import UserFactory
from tests.support.images import image_upload
from tests.support.s3 import BUCKET

pytestmark = pytest.mark.django_db


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_a_photo_is_a_private_object_reachable_only_through_an_expiring_signed_url(s3_storage):
    # given
    owner, other = UserFactory(), UserFactory()
    api, stranger = APIClient(), APIClient()
    api.force_authenticate(owner)
    stranger.force_authenticate(other)

    # when
    created = api.post("/api/v1/me/photos/", {"image": image_upload("me.png"), "kind": "front"})

    # then the object is stored under the owner's prefix, private
    assert created.status_code == 201
    photo = ReferencePhoto.objects.get(user=owner)
    assert s3_storage.object_keys() == [photo.image.name]
    assert photo.image.name.startswith(f"private/reference/{owner.pk}/")
    client = s3_storage.client()
    grants = client.get_object_acl(Bucket=BUCKET, Key=photo.image.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("URI" not in g["Grantee"] for g in grants)  # no AllUsers / AuthenticatedUsers grant
    assert client.head_object(Bucket=BUCKET, Key=photo.image.name)["ContentDisposition"] == "inline"
    # an unsigned request is refused; the signed URL the owner gets works and expires
    unsigned = f"{s3_storage.endpoint}/{BUCKET}/{photo.image.name}"
    assert _fetch(unsigned)[0] == 403
    signed = created.json()["url"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(signed).query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    status, body = _fetch(signed)
    assert status == 200
    with photo.image.open("rb") as handle:
        assert body == handle.read()
    # another user is not given it
    assert stranger.get(f"/api/v1/me/photos/{photo.pk}/").status_code == 404
    assert stranger.get("/api/v1/me/photos/").json() == []


def test_deleting_a_photo_leaves_no_object(s3_storage, django_capture_on_commit_callbacks):
    # given
    owner = UserFactory()
    api = APIClient()
    api.force_authenticate(owner)
    first = api.post("/api/v1/me/photos/", {"image": image_upload("a.png"), "kind": "front"}).json()
    second = api.post("/api/v1/me/photos/", {"image": image_upload("b.png"), "kind": "side"}).json()
    assert len(s3_storage.object_keys()) == 2

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/v1/me/photos/{first['id']}/")

    # then
    assert response.status_code == 204
    assert s3_storage.object_keys() == [ReferencePhoto.objects.get(pk=second["id"]).image.name]


@pytest.fixture
def s3_gateway(s3_storage):
    from tests.support.s3 import SigV4Gateway

    gateway = SigV4Gateway(s3_storage.endpoint)
    yield gateway
    gateway.stop()


def test_a_signed_url_works_until_it_expires_and_its_lifetime_cannot_be_extended(
    s3_storage, s3_gateway, settings
):
    # given photo URLs signed for 2 seconds (AWS_QUERYSTRING_EXPIRE), checked as S3 checks them
    from tests.support.s3 import s3_storages

    settings.STORAGES = s3_storages(settings.STORAGES, s3_storage.endpoint, expire=2)
    owner = UserFactory()
    api = APIClient()
    api.force_authenticate(owner)
    signed = api.post("/api/v1/me/photos/", {"image": image_upload("me.png"), "kind": "front"}).json()["url"]
    assert urllib.parse.parse_qs(urllib.parse.urlparse(signed).query)["X-Amz-Expires"] == ["2"]
    with ReferencePhoto.objects.get(user=owner).image.open("rb") as handle:
        stored = handle.read()

    # when it is used at once, then it works
    assert s3_gateway.fetch(signed) == (200, stored)
    # when its lifetime is changed by hand, then the signature no longer matches
    stretched = signed.replace("X-Amz-Expires=2", "X-Amz-Expires=3600")
    status, body = s3_gateway.fetch(stretched)
    assert (status, b"<Code>SignatureDoesNotMatch</Code>" in body) == (403, True)
    # when it is used after its 2 seconds (the gateway's clock 3 s on), then it is refused
    s3_gateway.skew = 3
    status, body = s3_gateway.fetch(signed)
    assert (status, b"Request has expired" in body) == (403, True)
    # and a URL signed now works again
    fresh = api.get("/api/v1/me/photos/").json()[0]["url"]
    s3_gateway.skew = 0
    assert s3_gateway.fetch(fresh) == (200, stored)
