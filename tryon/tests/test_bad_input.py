"""No 500 from input: every malformed request gets a 4xx with a sentence, and changes nothing.

The shopper is signed in and ready (an analysed primary photo), so that ids reach the queries
that used to overflow (``pk__in`` with a number above 2^63).
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto
from tryon import services
from tryon.models import Render
from tryon.tests.support import make_product, make_shopper

pytestmark = pytest.mark.django_db

HUGE = str(2**63)  # one above the largest 64-bit key
HUGER = "9" * 40


@pytest.fixture
def ready(fake_analyzer, fake_renderer, tasks):
    user, photo = make_shopper()
    services.reference_photo_analyse(photo_id=photo.pk)
    product, _ = make_product(1)
    tasks.clear()
    return user, photo, product


def _message(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return str(body.get("detail") or body)
    return response.content.decode()


def test_bad_requests_get_4xx_with_a_message_and_change_nothing(ready, tasks, settings, tmp_path):
    # given
    user, photo, product = ready
    (tmp_path / "media" / "catalog" / "1").mkdir(parents=True, exist_ok=True)
    web, api = Client(), APIClient()
    web.force_login(user)
    api.force_authenticate(user)
    renders_before = set(Render.objects.values_list("pk", "status"))
    nested = "[" * 50_000 + "]" * 50_000
    walk = [
        ("folder under /media/", lambda: web.get("/media/catalog/1/"), 404),
        ("NUL in a media path", lambda: web.get("/media/catalog/%00x.png"), 400),
        ("NUL in ?q=", lambda: web.get("/?q=lin%00en"), 400),
        ("NUL in ?category=", lambda: web.get("/?category=to%00ps"), 400),
        ("NUL in API ?search=", lambda: api.get("/api/v1/products/?search=a%00"), 400),
        ("NUL in API ?category=", lambda: api.get("/api/v1/products/?category=%00"), 400),
        ("NUL in cards ?category=", lambda: api.get("/api/v1/me/cards/?category=%00"), 400),
        (
            "huge product id, API",
            lambda: api.post("/api/v1/me/renders/", {"product": int(HUGE)}, "json"),
            400,
        ),
        (
            "huge outfit ids, API",
            lambda: api.post("/api/v1/me/renders/", {"products": [product.pk, int(HUGER)]}, "json"),
            400,
        ),
        ("negative product id, API", lambda: api.post("/api/v1/me/renders/", {"product": -1}, "json"), 400),
        ("huge render id, API", lambda: api.get(f"/api/v1/me/renders/{HUGE}/"), 404),
        ("huge render id, page", lambda: web.get(f"/tryon/renders/{HUGER}/"), 404),
        ("huge photo id, API", lambda: api.delete(f"/api/v1/me/photos/{HUGE}/"), 404),
        ("huge photo id, form", lambda: web.post(f"/accounts/photos/{HUGE}/delete/"), 404),
        ("huge photo id, primary", lambda: api.post(f"/api/v1/me/photos/{HUGE}/primary/"), 404),
        ("huge outfit render id", lambda: web.get(f"/tryon/outfit/?render={HUGER}"), 404),
        (
            "JSON nested 50,000 deep",
            lambda: api.generic("POST", "/api/v1/me/renders/", nested, content_type="application/json"),
            400,
        ),
        (
            "JSON nested 40 deep",
            lambda: api.generic(
                "POST", "/api/v1/me/renders/", "[" * 40 + "]" * 40, content_type="application/json"
            ),
            400,
        ),
        (
            "oversized JSON",
            lambda: api.generic(
                "PATCH",
                "/api/v1/me/",
                '{"height_cm": 170, "x": "' + "a" * (settings.API_MAX_JSON_BYTES + 10) + '"}',
                content_type="application/json",
            ),
            413,
        ),
        (
            "invalid JSON",
            lambda: api.generic("POST", "/api/v1/me/renders/", "{nope", content_type="application/json"),
            400,
        ),
        (
            "NaN in JSON",
            lambda: api.generic(
                "PATCH", "/api/v1/me/", '{"height_cm": NaN}', content_type="application/json"
            ),
            400,
        ),
    ]

    # when
    outcomes = {name: request() for name, request, _ in walk}

    # then
    for name, _, expected in walk:
        response = outcomes[name]
        assert response.status_code == expected, (name, response.status_code)
    for name in ("NUL in ?q=", "NUL in API ?search=", "JSON nested 50,000 deep", "oversized JSON"):
        assert _message(outcomes[name]), name
    assert "NUL" in _message(outcomes["NUL in ?q="])
    assert "NUL" in outcomes["NUL in API ?search="].json()["detail"]
    assert "nested too deeply" in outcomes["JSON nested 50,000 deep"].json()["detail"]
    assert outcomes["oversized JSON"].json()["detail"] == (
        f"The JSON body is larger than {settings.API_MAX_JSON_BYTES} bytes."
    )
    assert set(Render.objects.values_list("pk", "status")) == renders_before
    assert ReferencePhoto.objects.filter(pk=photo.pk).exists()
    user.refresh_from_db()
    assert user.height_cm is None
    assert tasks.calls == []


def test_huge_ids_in_the_outfit_form_and_the_card_poll_are_refused_quietly(ready):
    # given
    user, _, product = ready
    web = Client()
    web.force_login(user)

    # when
    outfit = web.post("/tryon/outfit/", {"top": str(product.pk), "bottom": HUGER})
    poll = web.get(f"/tryon/cards/?ids={product.pk},{HUGE},{HUGER}")

    # then
    assert outfit.status_code == 200
    assert "One of these products does not exist." in outfit.content.decode()
    assert not Render.objects.filter(kind="outfit").exists()
    assert poll.status_code == 200
    assert [card["product_id"] for card in poll.json()["cards"]] == [product.pk]


def test_a_normal_json_request_still_works(ready):
    # given
    user, _, _ = ready
    api = APIClient()
    api.force_authenticate(user)

    # when
    response = api.patch("/api/v1/me/", {"height_cm": 181}, format="json")

    # then
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.height_cm == 181
