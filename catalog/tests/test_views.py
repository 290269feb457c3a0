"""The catalogue page (filters, search, pages) and the product page (gallery, sizes, size chart)."""

import pytest

from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductVariantFactory,
)

pytestmark = pytest.mark.django_db


def test_catalogue_page_filters_searches_and_paginates(client, settings):
    # given
    settings.CATALOG_PAGE_SIZE = 2
    tops = CategoryFactory(slug="tops", name="Tops")
    for index in range(3):
        ProductImageFactory(product=ProductFactory(category=tops, name=f"Linen top {index}"))
    ProductFactory(name="Wool coat")

    # when
    first = client.get("/", {"category": "tops"}).content.decode()
    second = client.get("/", {"category": "tops", "page": 2}).content.decode()
    search = client.get("/", {"q": "wool"}).content.decode()

    # then
    assert first.count('class="product-card"') == 2
    assert "Page 1 of 2" in first
    assert second.count('class="product-card"') == 1
    assert 'id="product-grid"' in first
    assert search.count('class="product-card"') == 1 and "Wool coat" in search


def test_product_page_shows_gallery_sizes_and_chart(client):
    product = ProductFactory(slug="tee", name="Tee")
    small = ProductVariantFactory(product=product, size="S", stock=0)
    medium = ProductVariantFactory(product=product, size="M", stock=2)
    ProductImageFactory(product=product, order=0)
    ProductImageFactory(product=product, order=1)
    product.size_chart.create(size="M", chest_min=92, chest_max=97)
    page = client.get("/products/tee/").content.decode()
    assert page.count("data-full=") == 2
    assert f'value="{small.pk}" data-size="S" disabled required' in page  # sold out
    assert f'value="{medium.pk}" data-size="M" checked required' in page  # the first in stock
    assert "92–97" in page
    assert client.get("/products/nope/").status_code == 404
