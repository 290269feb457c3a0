"""Store fixes from the walk-through (issue 15): catalogue filters and sorting, one search parameter,
error pages, product image minimum size, the admin's thumbnails and analysis state."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from catalog.models import ProductImage
from catalog.services import product_image_create
from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductVariantFactory,
)
from tests.support.images import image_upload
from tryon.models import AnalysisStatus, ProductImageAnalysis

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


def test_a_missing_page_has_the_store_header_and_a_way_back(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html and 'id="error-page" data-status="404"' in html
    assert f'href="{reverse("catalog:product_list")}">Back to the catalogue</a>' in html


def test_the_server_error_page_has_the_store_header():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'class="site-header"' in html and 'id="error-page" data-status="500"' in html
    assert 'href="/">Back to the catalogue</a>' in html


def test_a_too_small_product_image_is_refused_and_nothing_is_stored(settings):
    product = ProductFactory()
    with pytest.raises(ValidationError) as error:
        product_image_create(product=product, file=image_upload("a.png", 400, 255), role="packshot")
    assert error.value.messages == [
        "This image is too small (400×255 pixels): product images need at least 256 pixels on their "
        "shorter side, or they look blurry on the product page and in try-on."
    ]
    assert ProductImage.objects.count() == 0
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_product_list_shows_thumbnails_and_try_on_state(admin_client):
    # given a product whose image has a thumbnail and a finished analysis, and one still waiting
    ready = ProductImageFactory(role="packshot")
    ready.thumbnail.save("t.jpg", ContentFile(b"jpeg"), save=True)
    ProductImageAnalysis.objects.create(product_image=ready, status=AnalysisStatus.DONE)
    waiting = ProductImageFactory()
    ProductImageAnalysis.objects.create(product_image=waiting, status=AnalysisStatus.PENDING)

    # when the merchant opens the product list
    html = admin_client.get("/admin/catalog/product/").content.decode()

    # then the ready product shows its thumbnail and state, the other says what is going on
    assert f'<img src="{ready.thumbnail.url}" alt="{ready.product.name}"' in html
    assert "1 ready for try-on" in html
    assert "1 waiting" in html and "being made…" in html


def test_admin_product_page_shows_analysis_and_landmarks_and_serves_their_status(admin_client):
    # given a packshot without given landmarks whose analysis estimated them, and a failed on-model photo
    product = ProductFactory()
    packshot = ProductImageFactory(product=product, role="packshot", landmarks=None, order=0)
    ProductImageAnalysis.objects.create(
        product_image=packshot,
        status=AnalysisStatus.DONE,
        findings=[{"code": "landmarks_estimated", "severity": "info", "message": "Estimated."}],
    )
    photo = ProductImageFactory(product=product, role="on_model", order=1)
    ProductImageAnalysis.objects.create(
        product_image=photo, status=AnalysisStatus.FAILED, failure_reason="No person could be found."
    )

    # when the merchant opens the product page
    html = admin_client.get(f"/admin/catalog/product/{product.pk}/change/").content.decode()

    # then each image says its analysis state and where its landmarks come from (no red cross)
    assert f'<span data-image-analysis="{packshot.pk}" data-status="done"><b>Ready for try-on</b>' in html
    assert f'<span data-image-landmarks="{packshot.pk}">Estimated from the outline</span>' in html
    assert f'<span data-image-analysis="{photo.pk}" data-status="failed"><b>Failed</b>' in html
    assert "No person could be found." in html
    assert f'<span data-image-landmarks="{photo.pk}">Not needed (pose)</span>' in html
    assert "js/admin_product_images.js" in html

    # and the page's polling endpoint answers the same in JSON
    data = admin_client.get(f"/admin/catalog/product/{product.pk}/images/status/").json()
    assert [(i["id"], i["analysis_status"], i["landmarks"], i["final"]) for i in data["images"]] == [
        (packshot.pk, "done", "Estimated from the outline", False),
        (photo.pk, "failed", "Not needed (pose)", False),
    ]


def test_admin_status_endpoint_is_for_staff_only(client):
    product = ProductFactory()
    client.force_login(UserFactory())
    response = client.get(f"/admin/catalog/product/{product.pk}/images/status/")
    assert response.status_code == 302  # to the admin log-in
    assert "/admin/login/" in response["Location"]
