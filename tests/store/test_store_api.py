from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto
from accounts.services import reference_photo_create
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductVariantFactory,
    SizeChartRowFactory,
)
from tests.support.images import image_upload, text_upload

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


def test_token_auth(api):
    # given
    user = UserFactory(email="ada@example.com")

    # when
    bad = api.post("/api/v1/auth/token/", {"email": "ada@example.com", "password": "wrong"}, format="json")
    good = api.post(
        "/api/v1/auth/token/", {"email": "ADA@example.com", "password": DEFAULT_PASSWORD}, format="json"
    )

    # then
    assert bad.status_code == 401
    assert good.status_code == 200
    token = Token.objects.get(user=user)
    assert good.json() == {
        "token": token.key,
        "expires_at": (token.created + timedelta(seconds=settings.API_TOKEN_TTL_S))
        .isoformat()
        .replace("+00:00", "Z"),
    }
    api.credentials(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert api.get("/api/v1/me/").json()["email"] == "ada@example.com"


def test_me_needs_authentication(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_me_session_auth_and_patch(api):
    user = UserFactory(height_cm=170)
    api.force_authenticate(user)
    assert api.get("/api/v1/me/").json()["height_cm"] == 170
    assert api.patch("/api/v1/me/", {"height_cm": 183}, format="json").json()["height_cm"] == 183
    assert api.patch("/api/v1/me/", {"height_cm": 20}, format="json").status_code == 400
    user.refresh_from_db()
    assert user.height_cm == 183


def test_session_login_works_for_the_api():
    user = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.login(username=user.email, password=DEFAULT_PASSWORD)
    assert client.get("/api/v1/me/").json()["id"] == user.pk


def test_photo_upload_list_primary_and_delete(api, django_capture_on_commit_callbacks):
    # given
    user = UserFactory()
    api.force_authenticate(user)

    # when
    first = api.post(
        "/api/v1/me/photos/", {"image": image_upload("a.png"), "kind": "front"}, format="multipart"
    )
    second = api.post(
        "/api/v1/me/photos/", {"image": image_upload("b.png"), "kind": "side"}, format="multipart"
    )

    # then
    assert first.status_code == 201
    assert first.json()["is_primary"] is True
    assert second.json()["is_primary"] is False
    listed = api.get("/api/v1/me/photos/").json()
    assert [p["id"] for p in listed] == [first.json()["id"], second.json()["id"]]
    primary = api.post(f"/api/v1/me/photos/{second.json()['id']}/primary/")
    assert primary.json()["is_primary"] is True
    name = ReferencePhoto.objects.get(pk=second.json()["id"]).image.name
    with django_capture_on_commit_callbacks(execute=True):
        deleted = api.delete(f"/api/v1/me/photos/{second.json()['id']}/")
    assert deleted.status_code == 204
    assert default_storage.exists(name) is False
    assert ReferencePhoto.objects.get().is_primary is True


@pytest.mark.parametrize(
    ("upload", "field_error"),
    [
        (text_upload(), "This file is not an image we can read (use a JPEG, PNG or WebP photo)."),
        (text_upload(content=b""), "The submitted file is empty."),
    ],
)
def test_bad_photo_upload_is_a_400_and_stores_nothing(api, settings, upload, field_error):
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/me/photos/", {"image": upload, "kind": "front"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"image": [field_error]}
    assert ReferencePhoto.objects.count() == 0
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_too_large_photo_upload_is_a_400(api, settings):
    settings.MAX_UPLOAD_BYTES = 500
    api.force_authenticate(UserFactory())
    response = api.post(
        "/api/v1/me/photos/", {"image": image_upload("big.png", 300, 300, fmt="BMP")}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"image": ["The file is too large: the limit is 500\xa0bytes."]}
    assert ReferencePhoto.objects.count() == 0


def test_other_users_photos_are_404(api):
    photo = reference_photo_create(user=UserFactory(), file=image_upload(), kind="front")
    api.force_authenticate(UserFactory())
    assert api.delete(f"/api/v1/me/photos/{photo.pk}/").status_code == 404
    assert api.post(f"/api/v1/me/photos/{photo.pk}/primary/").status_code == 404
    assert api.get("/api/v1/me/photos/").json() == []
    assert ReferencePhoto.objects.filter(pk=photo.pk).exists() is True


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/").content.decode()
    assert schema.status_code == 200
    assert b"/api/v1/me/photos/{photo_id}/primary/" in schema.content
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()


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
