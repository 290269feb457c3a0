"""Size advice and measurements in the API: cards and product detail carry the advice, the shopper's
measurements read and corrected."""

import pytest
from rest_framework.test import APIClient

from accounts.models import BodyMeasurements
from catalog.tests.factories import ProductFactory
from sizing.tests.factories import measured_user, top_with_chart

pytestmark = pytest.mark.django_db


def test_me_cards_api_carries_the_size_advice():
    # given
    user = measured_user(chest=93.0, waist=79.0)
    product = top_with_chart()
    ProductFactory()  # no chart
    api = APIClient()
    api.force_authenticate(user)

    # when
    response = api.get("/api/v1/me/cards/")

    # then
    assert response.status_code == 200
    by_slug = {card["slug"]: card["size_advice"] for card in response.json()["results"]}
    assert by_slug[product.slug] == {
        "status": "recommended",
        "size": "M",
        "other_size": None,
        "note": "M fits you.",
        "details": {},
    }
    assert [a["status"] for s, a in by_slug.items() if s != product.slug] == ["no_chart"]


def test_product_detail_api_has_the_advice_for_the_signed_in_shopper_only():
    user = measured_user(chest=93.0, waist=79.0)
    product = top_with_chart()
    api = APIClient()

    anonymous = api.get(f"/api/v1/products/{product.slug}/").json()
    api.force_authenticate(user)
    signed_in = api.get(f"/api/v1/products/{product.slug}/").json()

    assert "size_advice" not in anonymous
    assert signed_in["size_advice"]["size"] == "M"


def test_me_measurements_api_reads_and_corrects():
    user = measured_user(chest=93.0, waist=79.0)
    api = APIClient()
    api.force_authenticate(user)

    before = api.get("/api/v1/me/measurements/").json()
    patched = api.patch("/api/v1/me/measurements/", {"corrected": {"hips": 101}}, format="json")
    refused = api.patch("/api/v1/me/measurements/", {"corrected": {"hips": 1000}}, format="json")

    assert before["status"] == "done"
    assert before["estimated"]["chest"] == {"value_cm": 93.0, "uncertainty_cm": 1.0}
    assert patched.status_code == 200
    assert patched.json()["effective"] == {"chest": 93.0, "waist": 79.0, "hips": 101.0}
    assert refused.status_code == 400
    assert "hips" in refused.json()
    assert BodyMeasurements.objects.get(user=user).corrected == {"hips": 101.0}


def test_me_measurements_api_needs_authentication():
    assert APIClient().get("/api/v1/me/measurements/").status_code == 401
