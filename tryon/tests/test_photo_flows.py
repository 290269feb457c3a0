"""The shopper's photo flows from the walk-through (issue 15): upper-body photos, unusable photos,
deleting the main photo, progress that completes, what the product page says, the photos API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto
from accounts.services import reference_photo_create, reference_photo_delete, reference_photo_set_primary
from ml.errors import NoPersonFound
from tryon import selectors
from tryon.models import AnalysisStatus, ReferencePhotoAnalysis, Render, RenderStatus
from tryon.tests.support import client_for, jpeg, make_product, make_shopper, upload

pytestmark = pytest.mark.django_db

NO_PERSON = "No person could be found in this photo."
UPPER_BODY = (288, 384)


def _add_photo(create, user, size, kind="front"):
    return create(
        reference_photo_create, user=user, file=upload(jpeg(size=size, colour=(90, 90, 90))), kind=kind
    )


@pytest.fixture
def catalogue(tasks, create, fake_renderer, fake_analyzer):
    """Two tops and two bottoms, as packshots (the warp renderer's usual catalogue)."""
    return {
        "tops": [create(make_product, n, kind="top")[0] for n in (1, 2)],
        "bottoms": [create(make_product, n, kind="bottom", colour=(30, 30, 160))[0] for n in (3, 4)],
    }


# --------------------------------------------------------------------------- points 1, 3, 6


def test_upper_body_photo_says_bottoms_need_a_full_body_photo_and_progress_completes(
    catalogue, create, run_all, fake_analyzer
):
    # given a shopper whose only photo shows their upper body
    fake_analyzer.upper_body_sizes.add(UPPER_BODY)
    user, _ = create(make_shopper)

    # when every card has been tried
    run_all()

    # then the bottoms are not rendered, and their cards say so instead of promising the model
    bottoms = {p.pk for p in catalogue["bottoms"]}
    cards = selectors.card_states(
        user=user, product_ids=[p.pk for p in catalogue["tops"] + catalogue["bottoms"]]
    )
    for product_id, card in cards.items():
        if product_id in bottoms:
            assert (card.status, card.card_url, card.needs) == (RenderStatus.UNAVAILABLE, "", "full_body")
            assert card.reason == (
                "Needs a full-body photo: yours shows only your upper body, so this is the product photo."
            )
        else:
            assert card.status == RenderStatus.DONE and card.reason == ""
    # and the progress completes, counting the two product photos
    progress = selectors.render_progress(user=user)
    assert progress.as_dict() == {
        "done": 2,
        "finished": 4,
        "total": 4,
        "held_back": 0,
        "as_product_photos": 2,
        "pending": 0,
        "complete": True,
        "needs_full_body": 2,
    }
    html = client_for(user).get(reverse("catalog:product_list")).content.decode()
    assert '<strong id="tryon-done">2</strong> of <strong id="tryon-total">4</strong> on you' in html
    assert (
        '<strong id="tryon-as-photos-count">2</strong> shown as product <span id="tryon-as-photos-word">'
        "photos</span>" in html
    )
    assert 'data-finished="true"' in html
    assert 'For <strong id="tryon-fix-count">2</strong> of them a full-body photo of you is needed' in html
    assert "shown on the model instead" not in html
    # and the API says the same of the render
    api = APIClient()
    api.force_authenticate(user)
    render = Render.objects.get(product=catalogue["bottoms"][0])
    assert api.get(f"/api/v1/me/renders/{render.pk}/").json()["reason"] == (
        "Needs a full-body photo: yours shows only your upper body, so this is the product photo."
    )


def test_progress_counts_pending_cards_until_they_are_made(catalogue, create, fake_analyzer):
    # given a shopper whose photo is analysed but whose cards are not made yet
    user, _ = create(make_shopper)
    ReferencePhotoAnalysis.objects.update(status=AnalysisStatus.PENDING)
    # then nothing is done and everything is pending
    progress = selectors.render_progress(user=user)
    assert (progress.done, progress.as_product_photos, progress.pending, progress.complete) == (
        0,
        0,
        4,
        False,
    )


def test_product_page_says_what_its_picture_really_is(catalogue, create, run_all, fake_analyzer):
    # given an upper-body shopper whose top is rendered and whose trousers are not
    fake_analyzer.upper_body_sizes.add(UPPER_BODY)
    user, _ = create(make_shopper)
    run_all()
    client = client_for(user)

    # when they open the trousers' page
    trousers = catalogue["bottoms"][0]
    html = client.get(trousers.get_absolute_url()).content.decode()
    # then the note shown is "not rendered", with the way to fix it, and no render image
    assert 'data-note="unavailable" data-needs="full_body"' in html
    assert "upload a full-body photo" in html
    assert 'class="tryon-render"' not in html.split('data-tryon-pane="pose"')[0]

    # when they open the top's page, the note shown is "rendered on your photo"
    html = client.get(catalogue["tops"][0].get_absolute_url()).content.decode()
    assert 'data-note="done-tryon" data-needs=""' in html
    assert f'alt="{catalogue["tops"][0].name} on you"' in html


# --------------------------------------------------------------------------- points 5, 7


def test_a_photo_without_a_person_is_kept_but_never_the_main_photo(catalogue, create, run_all, fake_analyzer):
    # given a new shopper whose first photo has nobody in it
    fake_analyzer.error = NoPersonFound(NO_PERSON)
    user, photo = create(make_shopper)

    # when it is analysed
    run_all()

    # then it is stored, marked unusable with its reason, and is no longer the main photo
    photo.refresh_from_db()
    assert photo.is_primary is False
    assert ReferencePhotoAnalysis.objects.get(photo=photo).failure_reason == NO_PERSON
    assert Render.objects.filter(owner=user).count() == 0
    # and the catalogue explains it once, not on every card
    html = client_for(user).get(reverse("catalog:product_list")).content.decode()
    assert html.count(NO_PERSON) == 1
    assert "tryon-layer" not in html
    # and the photos page marks it, with no way to make it the main photo
    html = client_for(user).get(reverse("accounts:photos")).content.decode()
    assert "Cannot be used" in html and NO_PERSON in html
    assert reverse("accounts:photo_set_primary", args=[photo.pk]) not in html


def test_making_an_unusable_photo_the_main_one_is_refused(catalogue, create, run_all, fake_analyzer):
    # given a shopper with a good main photo and a second photo where no person was found
    user, good = create(make_shopper)
    run_all()
    fake_analyzer.error = NoPersonFound(NO_PERSON)
    empty = _add_photo(create, user, (300, 400))
    run_all()

    # when they try to make it the main photo (web and API)
    response = client_for(user).post(reverse("accounts:photo_set_primary", args=[empty.pk]), follow=True)
    api = APIClient()
    api.force_authenticate(user)
    api_response = api.post(f"/api/v1/me/photos/{empty.pk}/primary/")

    # then both say why, and the good photo stays the main one
    assert f"This photo cannot be your main photo: {NO_PERSON}" in response.content.decode()
    assert api_response.status_code == 400
    assert api_response.json() == {"detail": [f"This photo cannot be your main photo: {NO_PERSON}"]}
    assert list(ReferencePhoto.objects.filter(is_primary=True)) == [good]


def test_next_upload_becomes_the_main_photo_after_an_unusable_one(catalogue, create, run_all, fake_analyzer):
    # given a shopper whose only photo turned out unusable
    fake_analyzer.error = NoPersonFound(NO_PERSON)
    user, empty = create(make_shopper)
    run_all()
    # when they upload a good one
    fake_analyzer.error = None
    good = _add_photo(create, user, (300, 400))
    run_all()
    # then it is the main photo and the catalogue is rendered on it
    good.refresh_from_db()
    assert good.is_primary is True
    assert set(Render.objects.filter(photo=good).values_list("status", flat=True)) == {RenderStatus.DONE}
    assert not Render.objects.filter(photo=empty).exists()


def test_a_too_small_photo_is_refused_by_the_api_with_the_reason(catalogue):
    from accounts.services import user_create

    user = user_create(email="api@example.com", password="x", validate=False)
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        "/api/v1/me/photos/", {"image": upload(jpeg(size=(200, 300))), "kind": "front"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {
        "image": [
            "This photo is too small (200×300 pixels): try-on needs at least 256 pixels on its shorter side, "
            "or the clothes shown on you would look blurry. Please upload a larger photo."
        ]
    }
    assert ReferencePhoto.objects.count() == 0


# --------------------------------------------------------------------------- point 2


def test_deleting_the_main_photo_asks_and_promotes_the_chosen_usable_photo(
    catalogue, create, run_all, fake_analyzer
):
    # given a main photo, an older full-body photo, a newer upper-body one and a newest unusable one
    user, main = create(make_shopper)
    full = _add_photo(create, user, (300, 400), kind="full_body")
    fake_analyzer.upper_body_sizes.add((312, 416))
    upper = _add_photo(create, user, (312, 416))
    run_all()
    ReferencePhotoAnalysis.objects.filter(photo=upper).update(
        findings=[
            {"code": "legs_not_visible", "severity": "warning", "message": "Only your upper body is visible."}
        ]
    )
    fake_analyzer.error = NoPersonFound(NO_PERSON)
    empty = _add_photo(create, user, (324, 432))
    run_all()
    client = client_for(user)

    # when they ask to delete the main photo
    page = client.get(reverse("accounts:photo_delete", args=[main.pk]))

    # then the page asks which photo replaces it: usable ones only, the one with fewer warnings first
    html = page.content.decode()
    assert "Only your upper body is visible." in html
    assert page.status_code == 200
    assert ReferencePhoto.objects.filter(pk=main.pk).exists()  # nothing deleted by looking
    options = [int(v) for v in re.findall(r'name="new_primary" value="(\d+)"', html)]
    assert options == [full.pk, upper.pk]
    assert empty.pk not in options

    # when they confirm with the upper-body photo chosen
    response = client.post(
        reverse("accounts:photo_delete", args=[main.pk]), {"new_primary": upper.pk}, follow=True
    )

    # then the main photo is gone, the chosen one is main, and the message says so
    assert not ReferencePhoto.objects.filter(pk=main.pk).exists()
    upper.refresh_from_db()
    assert upper.is_primary is True
    assert "The photo is deleted. Your main photo is now your front photo from" in response.content.decode()


def test_nobody_else_can_see_or_delete_a_photo(catalogue, create, run_all, fake_analyzer):
    _owner, photo = create(make_shopper)
    other, _ = create(make_shopper, "other@example.com")
    client = client_for(other)
    assert client.get(reverse("accounts:photo_delete", args=[photo.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:photo_delete", args=[photo.pk]), {"new_primary": ""}).status_code == 404
    )
    assert ReferencePhoto.objects.filter(pk=photo.pk, is_primary=True).exists()


def test_deleting_the_main_photo_can_leave_no_main_photo(catalogue, create, run_all, fake_analyzer):
    user, main = create(make_shopper)
    other = _add_photo(create, user, (300, 400))
    run_all()
    response = client_for(user).post(
        reverse("accounts:photo_delete", args=[main.pk]), {"new_primary": ""}, follow=True
    )
    other.refresh_from_db()
    assert other.is_primary is False
    assert "You have no main photo now" in response.content.decode()
    html = client_for(user).get(reverse("catalog:product_list")).content.decode()
    assert "Choose your main photo to see the catalogue on you." in html


def test_deleting_the_main_photo_without_a_choice_never_promotes_an_unusable_photo(
    catalogue, create, run_all, fake_analyzer
):
    # given a main photo and, newer, a photo with nobody in it
    user, main = create(make_shopper)
    run_all()
    fake_analyzer.error = NoPersonFound(NO_PERSON)
    empty = _add_photo(create, user, (300, 400))
    run_all()
    # when the main photo is deleted through the service (the API's DELETE)
    result = create(reference_photo_delete, photo=main)
    # then there is no main photo rather than an unusable one
    empty.refresh_from_db()
    assert (result, empty.is_primary) == (None, False)


def test_set_primary_service_refuses_an_unusable_photo(catalogue, create, run_all, fake_analyzer):
    from django.core.exceptions import ValidationError

    user, _ = create(make_shopper)
    run_all()
    fake_analyzer.error = NoPersonFound(NO_PERSON)
    empty = _add_photo(create, user, (300, 400))
    run_all()
    with pytest.raises(ValidationError) as error:
        reference_photo_set_primary(photo=empty)
    assert error.value.messages == [f"This photo cannot be your main photo: {NO_PERSON}"]


# --------------------------------------------------------------------------- point 11


def test_photos_api_gives_the_analysis_status_and_findings(catalogue, create, run_all, fake_analyzer):
    # given a good photo and one with nobody in it
    user, good = create(make_shopper)
    run_all()
    fake_analyzer.error = NoPersonFound(NO_PERSON)
    empty = _add_photo(create, user, (300, 400))
    run_all()
    api = APIClient()
    api.force_authenticate(user)

    # when the client lists the photos
    photos = {p["id"]: p for p in api.get("/api/v1/me/photos/").json()}

    # then each carries its check
    assert photos[good.pk]["analysis"] == {"status": "done", "usable": True, "reason": "", "findings": []}
    assert photos[empty.pk]["analysis"] == {
        "status": "failed",
        "usable": False,
        "reason": NO_PERSON,
        "findings": [],
    }
    assert photos[empty.pk]["is_primary"] is False


def test_cards_api_pages_like_the_product_list(catalogue, create, run_all, fake_analyzer):
    user, _ = create(make_shopper)
    run_all()
    api = APIClient()
    api.force_authenticate(user)
    first = api.get("/api/v1/me/cards/", {"page_size": 3, "sort": "price"}).json()
    products = api.get("/api/v1/products/", {"page_size": 3, "sort": "price"}).json()
    assert (first["count"], len(first["results"])) == (4, 3)
    assert first["next"].endswith("/api/v1/me/cards/?page=2&page_size=3&sort=price")
    assert first["previous"] is None
    assert [c["product_id"] for c in first["results"]] == [p["id"] for p in products["results"]]
    assert (first["rendered"], first["shown_as_product_photos"], first["pending"], first["total"]) == (
        4,
        0,
        0,
        4,
    )
