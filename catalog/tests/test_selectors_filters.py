"""Catalogue filters and sorting (``catalog.selectors``), alike on the page and in the API; unreadable
filters explained; the filter form offers the catalogue's sizes and colours."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductVariantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Five products with prices, sizes and colours."""
    tops = CategoryFactory(name="Tops", slug="tops")
    bottoms = CategoryFactory(name="Bottoms", slug="bottoms")
    made = {}
    for slug, category, price, sizes, colour in (
        ("navy-tee", tops, "19.00", ["S", "M", "L"], "navy"),
        ("red-tee", tops, "25.00", ["M"], "red"),
        ("blue-shirt", tops, "55.00", ["L", "XL"], "blue"),
        ("jeans", bottoms, "79.00", ["36", "38"], "blue"),
        ("chinos", bottoms, "59.00", ["M", "38"], "beige"),
    ):
        made[slug] = ProductFactory(
            slug=slug, name=slug.replace("-", " ").title(), category=category, price=Decimal(price),
            colour=colour,
        )  # fmt: skip
        for size in sizes:
            ProductVariantFactory(product=made[slug], size=size)
    # a size that is sold out does not count: the red tee's L
    ProductVariantFactory(product=made["red-tee"], size="L", stock=0)
    return made


def _web_slugs(client, **params) -> list[str]:
    response = client.get(reverse("catalog:product_list"), params)
    assert response.status_code == 200
    return [p.slug for p in response.context["products"]]


def _api_slugs(**params) -> list[str]:
    response = APIClient().get("/api/v1/products/", params)
    assert response.status_code == 200, response.json()
    return [p["slug"] for p in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sort": "price"}, ["navy-tee", "red-tee", "blue-shirt", "chinos", "jeans"]),
        ({"sort": "-price"}, ["jeans", "chinos", "blue-shirt", "red-tee", "navy-tee"]),
        ({"size": "M", "sort": "price"}, ["navy-tee", "red-tee", "chinos"]),
        ({"size": "38", "sort": "price"}, ["chinos", "jeans"]),
        ({"colour": "blue", "sort": "price"}, ["blue-shirt", "jeans"]),
        ({"min_price": "20", "max_price": "59", "sort": "price"}, ["red-tee", "blue-shirt", "chinos"]),
        ({"category": "bottoms", "size": "M"}, ["chinos"]),
        ({"q": "tee", "sort": "-price"}, ["red-tee", "navy-tee"]),
        ({"search": "tee", "sort": "-price"}, ["red-tee", "navy-tee"]),
    ],
)
def test_web_and_api_filter_and_sort_alike(client, shelf, params, expected):
    assert _web_slugs(client, **params) == expected
    assert _api_slugs(**params) == expected


def test_newest_first_by_default(client, shelf):
    assert _web_slugs(client) == ["chinos", "jeans", "blue-shirt", "red-tee", "navy-tee"]


def test_unreadable_filters_are_explained(client, shelf):
    # the API refuses with a sentence per parameter
    response = APIClient().get("/api/v1/products/", {"min_price": "cheap", "colour": "teal", "sort": "best"})
    assert response.status_code == 400
    assert response.json() == {
        "colour": [
            "Unknown colour “teal”: choose one of black, white, grey, beige, brown, red, pink, orange, "
            "yellow, green, blue, navy, purple, multi."
        ],
        "sort": ["Unknown sort “best”: choose one of newest, price, -price."],
        "min_price": ["“cheap” is not a price: use a number such as 25 or 19.90."],
    }
    # the page still lists the catalogue, and says what it left out
    response = client.get(reverse("catalog:product_list"), {"min_price": "cheap"})
    assert response.status_code == 200
    assert len(response.context["products"]) == 5
    assert "“cheap” is not a price" in response.content.decode()


def test_filter_form_offers_the_catalogues_sizes_and_colours(client, shelf):
    html = client.get(reverse("catalog:product_list")).content.decode()
    for size in ("S", "M", "L", "XL", "36", "38"):
        assert f'<option value="{size}">{size}</option>' in html
    assert '<option value="beige">Beige</option>' in html
    assert '<option value="black">' not in html  # no black product
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert 'aria-controls="main-nav"' in html
