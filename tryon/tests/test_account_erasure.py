"""Deleting an account removes everything of it, try-on data included, and lists storage to prove it.

The accounts app does not import tryon: the try-on's rows point at the user and the photos with
cascading foreign keys, and its ``post_delete`` receivers delete their files after the commit.
The download of one's data gathers every registered app's part.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto, User
from accounts.services import reference_photo_create, user_delete
from tests.support.media import stored_files
from tryon.models import ReferencePhotoAnalysis, Render, RenderStatus
from tryon.tests.support import jpeg, make_product, make_shopper, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_shoppers(tasks, create, run_all, fake_renderer, fake_analyzer):
    create(make_product, 1)
    create(make_product, 2)
    ada, _ = create(make_shopper, "ada@example.com")
    create(
        reference_photo_create, user=ada, file=upload(jpeg(size=(270, 360), colour=(80, 80, 80))), kind="side"
    )
    bob, _ = create(make_shopper, "bob@example.com")
    run_all()
    Token.objects.create(user=ada)
    assert Render.objects.filter(owner=ada, status=RenderStatus.DONE).count() == 2
    return ada, bob


def _files_of(user_id: int, files: set[str]) -> set[str]:
    prefixes = (
        f"private/reference/{user_id}/",
        f"private/tryon/analysis/photo/{user_id}/",
        f"private/tryon/renders/{user_id}/",
    )
    return {name for name in files if name.startswith(prefixes)}


def test_deleting_my_account_from_the_page_leaves_no_row_and_no_file(
    two_shoppers, settings, django_capture_on_commit_callbacks
):
    # given
    ada, bob = two_shoppers
    before = set(stored_files(settings))
    ada_files, bob_files = _files_of(ada.pk, before), _files_of(bob.pk, before)
    assert len(ada_files) >= 2 + 2 * 2 + 2  # 2 photos, 2 cards x 2 files, analysis files
    client = Client()
    client.force_login(ada)

    # when a wrong password is given, then nothing happens
    refused = client.post("/accounts/delete/", {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 400
    assert "The password is wrong." in refused.content.decode()
    assert User.objects.filter(pk=ada.pk).exists()

    # when confirmed with the password
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/delete/", {"password": "a-long-password-1", "confirm": "on"})

    # then
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=ada.pk).exists()
    for model, field in (
        (ReferencePhoto, "user_id"),
        (ReferencePhotoAnalysis, "owner_id"),
        (Render, "owner_id"),
        (Token, "user_id"),
    ):
        assert not model.objects.filter(**{field: ada.pk}).exists(), model
    after = set(stored_files(settings))
    assert _files_of(ada.pk, after) == set()
    assert after == before - ada_files
    assert _files_of(bob.pk, after) == bob_files
    assert Render.objects.filter(owner=bob).count() == 2


def test_the_tryon_rows_go_with_the_account_in_its_transaction_and_their_files_after_it(
    two_shoppers, settings, django_capture_on_commit_callbacks
):
    # given a shopper with analysed photos and finished cards
    ada, _ = two_shoppers
    ada_id = ada.pk
    ada_files = _files_of(ada_id, stored_files(settings))
    assert ada_files

    # when the account is deleted, before its transaction's commit hooks run
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_delete(user=ada)

    # then the try-on's rows are already gone (cascades, no event needed), the files still there
    assert not Render.objects.filter(owner_id=ada_id).exists()
    assert not ReferencePhotoAnalysis.objects.filter(owner_id=ada_id).exists()
    assert _files_of(ada_id, stored_files(settings)) == ada_files
    # and once the hooks run (the commit), the files go
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert _files_of(ada_id, stored_files(settings)) == set()


def test_deleting_my_account_through_the_api_needs_the_password(
    two_shoppers, settings, django_capture_on_commit_callbacks
):
    # given
    ada, _ = two_shoppers
    api = APIClient()
    api.force_authenticate(ada)

    # when
    refused = api.delete("/api/v1/me/", {"password": "nope"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        done = api.delete("/api/v1/me/", {"password": "a-long-password-1"}, format="json")

    # then
    assert refused.status_code == 400
    assert refused.json() == {"password": ["The password is wrong."]}
    assert done.status_code == 204
    assert not User.objects.filter(pk=ada.pk).exists()
    assert _files_of(ada.pk, set(stored_files(settings))) == set()


def test_a_user_deleted_in_the_admin_leaves_no_original_photo_on_disk(
    two_shoppers, settings, django_capture_on_commit_callbacks
):
    # given
    ada, _ = two_shoppers
    photo_files = {p.image.name for p in ReferencePhoto.objects.filter(user=ada)}

    # when (a cascade, as the admin's delete does)
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.filter(pk=ada.pk).delete()

    # then
    assert photo_files & set(stored_files(settings)) == set()


def test_download_my_data_holds_profile_photos_and_measurements(two_shoppers):
    # given
    ada, _ = two_shoppers
    client = Client()
    client.force_login(ada)

    # when
    response = client.post("/accounts/privacy/export/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="my-atelier-data.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    photos = list(ReferencePhoto.objects.filter(user=ada).order_by("id"))
    assert names == sorted(
        [
            "account/profile.json",
            *[f"photos/{p.pk}-{p.kind}.jpg" for p in photos],
            "tryon/measurements.json",
            "tryon/renders.json",
        ]
    )
    profile = json.loads(archive.read("account/profile.json"))
    assert profile["email"] == "ada@example.com"
    assert [p["id"] for p in profile["photos"]] == [p.pk for p in photos]
    with photos[0].image.open("rb") as handle:
        assert archive.read(f"photos/{photos[0].pk}-{photos[0].kind}.jpg") == handle.read()
    measurements = json.loads(archive.read("tryon/measurements.json"))
    assert sorted(m["photo_id"] for m in measurements) == [p.pk for p in photos]
    assert all(m["status"] == "done" and m["measurements"] for m in measurements)
    assert "bob@example.com" not in response.content.decode("latin-1")
    assert len(json.loads(archive.read("tryon/renders.json"))) == 2


def test_an_app_registered_exporter_lands_in_the_zip(two_shoppers, monkeypatch):
    # given an app (orders, say) registering its exporter
    from accounts import exports

    monkeypatch.setattr(exports, "_exporters", dict(exports._exporters))
    exports.register_user_exporter("orders", lambda user: [("orders.json", b'[{"id": 1}]')])
    ada, _ = two_shoppers
    api = APIClient()
    api.force_authenticate(ada)

    # when
    response = api.get("/api/v1/me/export/")

    # then
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("orders/orders.json") == b'[{"id": 1}]'


def test_deleting_my_account_on_s3_leaves_no_object_of_mine(
    s3_storage, two_shoppers, django_capture_on_commit_callbacks
):
    # given photos, analyses and renders of two shoppers as objects on the S3 server
    ada, bob = two_shoppers
    before = set(s3_storage.object_keys())
    ada_keys, bob_keys = _files_of(ada.pk, before), _files_of(bob.pk, before)
    assert len(ada_keys) >= 8 and bob_keys

    # when
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=ada)

    # then the bucket holds nothing of hers and all of his
    after = set(s3_storage.object_keys())
    assert _files_of(ada.pk, after) == set()
    assert after == before - ada_keys
    assert _files_of(bob.pk, after) == bob_keys
