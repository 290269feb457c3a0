"""Size advice on the pages (cards, product page) and the measurements page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import BodyMeasurements
from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from sizing.tests.factories import measured_user, top_with_chart, with_sizes

pytestmark = pytest.mark.django_db


def test_cards_show_the_shoppers_size(client):
    # given
    user = measured_user(chest=93.0, waist=79.0)
    top_with_chart(name="Linen shirt")
    client.force_login(user)

    # when
    page = client.get(reverse("catalog:product_list")).content.decode()

    # then
    assert 'data-size-advice="recommended"' in page
    assert "Your size: <strong>M</strong>" in page


def test_visitors_see_no_size(client):
    top_with_chart()

    page = client.get(reverse("catalog:product_list")).content.decode()

    assert "data-size-advice" not in page


def test_the_product_page_preselects_the_recommended_size_and_explains_it(client):
    # given: between M and L on the chest
    user = measured_user(chest=96.5, waist=80.0)
    product = top_with_chart()
    client.force_login(user)

    # when
    page = client.get(product.get_absolute_url()).content.decode()

    # then
    assert 'data-size="L" checked' in page
    assert 'data-size="S" checked' not in page
    assert "Between M and L: L for a looser fit, M snug at the chest." in page


def test_a_product_without_a_chart_says_so(client):
    user = measured_user(chest=93.0, waist=79.0)
    product = with_sizes(ProductFactory(), ["S", "M"])
    client.force_login(user)

    page = client.get(product.get_absolute_url()).content.decode()

    assert "No size chart for this product: we cannot advise a size." in page
    assert 'data-size="S" checked' in page


def test_the_shoppers_correction_decides_the_size(client):
    user = measured_user(chest=93.0, waist=79.0)
    BodyMeasurements.objects.filter(user=user).update(corrected={"chest": 100.0, "waist": 85.0})
    product = top_with_chart()
    client.force_login(user)

    page = client.get(product.get_absolute_url()).content.decode()

    assert 'data-size="L" checked' in page


def test_a_shopper_without_measurements_is_asked_for_them():
    user = UserFactory()
    top_with_chart()
    api = APIClient()
    api.force_authenticate(user)

    card = api.get("/api/v1/me/cards/").json()["results"][0]

    assert card["size_advice"]["status"] == "no_measurements"
    assert card["size_advice"]["size"] is None


def test_the_measurements_page_shows_the_estimates_and_saves_a_correction(client):
    # given
    user = measured_user(chest=93.0, waist=79.0)
    client.force_login(user)
    url = reverse("sizing:measurements")

    # when
    shown = client.get(url).content.decode()
    response = client.post(url, {"waist": "81.5", "chest": ""})

    # then
    assert "93.0 cm" in shown
    assert response.status_code == 302
    row = BodyMeasurements.objects.get(user=user)
    assert row.corrected == {"waist": 81.5}
    assert row.effective() == {"chest": 93.0, "waist": 81.5}


def test_a_bad_figure_on_the_measurements_page_is_refused(client):
    user = measured_user(chest=93.0)
    client.force_login(user)

    response = client.post(reverse("sizing:measurements"), {"waist": "3"})

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 10." in response.content.decode()
    assert BodyMeasurements.objects.get(user=user).corrected == {}


def test_the_measurements_page_needs_a_login(client):
    response = client.get(reverse("sizing:measurements"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
