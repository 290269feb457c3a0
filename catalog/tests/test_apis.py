"""The catalogue API: products (pages, filters, search, detail, availability), categories, and
queries that do not grow with the catalogue."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductVariantFactory,
    SizeChartRowFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_product_list_paginates(api):
    # given
    for _ in range(5):
        ProductFactory()

    # when
    first = api.get("/api/v1/products/", {"page_size": 2}).json()
    last = api.get("/api/v1/products/", {"page_size": 2, "page": 3}).json()

    # then
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"].endswith("/api/v1/products/?page=2&page_size=2")
    assert first["previous"] is None
    assert len(last["results"]) == 1
    assert last["next"] is None


def test_product_list_filters_by_category_and_searches(api):
    # given
    tops = CategoryFactory(slug="tops", name="Tops")
    shirt = ProductFactory(category=tops, name="Linen shirt", price=Decimal("59.00"))
    ProductFactory(category=tops, name="Wool jumper")
    ProductFactory(name="Linen trousers")
    ProductFactory(category=tops, name="Linen hidden", is_active=False)

    # when
    body = api.get("/api/v1/products/", {"category": "tops", "search": "linen"}).json()

    # then
    assert body["count"] == 1
    item = body["results"][0]
    assert item["slug"] == shirt.slug
    assert item["price"] == "59.00"
    assert item["category"] == {"id": tops.pk, "name": "Tops", "slug": "tops"}
    assert item["primary_image"] is None


def test_product_detail_has_images_and_size_chart(api):
    product = ProductFactory(slug="tee")
    image = ProductImageFactory(product=product, role="packshot")
    SizeChartRowFactory(product=product, size="M", chest_min=92, chest_max=97)
    body = api.get("/api/v1/products/tee/").json()
    assert [i["id"] for i in body["images"]] == [image.pk]
    assert body["images"][0]["url"] == f"http://testserver/media/{image.image.name}"
    assert body["images"][0]["thumbnail_url"] is None
    assert body["size_chart"][0]["size"] == "M"
    assert body["size_chart"][0]["chest_min"] == 92
    assert api.get("/api/v1/products/missing/").status_code == 404


def test_products_show_each_variants_availability(api):
    # given a product with a sold-out size and a size at its own price
    product = ProductFactory(slug="tee", price=Decimal("30.00"), currency="EUR")
    small = ProductVariantFactory(product=product, size="S", sku="TEE-S", stock=0)
    large = ProductVariantFactory(
        product=product, size="L", colour="Navy", sku="TEE-L", stock=3, price_override=Decimal("32.50")
    )

    # when
    detail = api.get("/api/v1/products/tee/").json()
    listed = api.get("/api/v1/products/").json()["results"][0]

    # then
    expected = [
        {
            "id": small.pk,
            "sku": "TEE-S",
            "size": "S",
            "colour": "",
            "price": "30.00",
            "currency": "EUR",
            "stock": 0,
            "in_stock": False,
        },
        {
            "id": large.pk,
            "sku": "TEE-L",
            "size": "L",
            "colour": "Navy",
            "price": "32.50",
            "currency": "EUR",
            "stock": 3,
            "in_stock": True,
        },
    ]
    assert detail["variants"] == expected
    assert listed["variants"] == expected
    assert "sizes" not in detail


def test_categories(api):
    CategoryFactory(slug="b", name="B")
    CategoryFactory(slug="a", name="A")
    assert [c["slug"] for c in api.get("/api/v1/categories/").json()] == ["a", "b"]


def _queries(client, url: str) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


def _products_with_images(count: int) -> None:
    for _ in range(count):
        product = ProductFactory()
        ProductImageFactory(product=product, role="packshot", order=1)
        ProductImageFactory(product=product, role="on_model", order=0)
        SizeChartRowFactory(product=product)
        ProductVariantFactory(product=product, size="S")
        ProductVariantFactory(product=product, size="M")


def test_product_list_api_and_catalogue_page_queries_do_not_grow_with_the_catalogue(api, client):
    # given 2 products with two images each
    _products_with_images(2)
    urls = ["/api/v1/products/?page_size=50", "/"]
    small = {url: _queries(api if url.startswith("/api/") else client, url)[0] for url in urls}

    # when the catalogue has 8
    _products_with_images(6)
    count, response = _queries(api, urls[0])
    page_count, page = _queries(client, urls[1])

    # then both list every product with the same number of queries as before
    assert len(response.json()["results"]) == 8
    assert all(p["primary_image"]["role"] == "on_model" for p in response.json()["results"])
    assert page.content.decode().count('<article class="product-card"') == 8
    assert {urls[0]: count, urls[1]: page_count} == small
