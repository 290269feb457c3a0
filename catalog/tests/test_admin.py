"""The product admin: a product with its photos made through the services, bad uploads refused, the
list and its search; the state of an app that prepares images read only through its hook."""

from unittest import mock

import pytest
from django.core.files.storage import default_storage

from accounts.tests.factories import UserFactory
from catalog import admin as catalog_admin
from catalog import tasks
from catalog.models import Product, ProductImage
from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
)
from tests.support.images import image_upload, text_upload
from tests.support.media import stored_files

pytestmark = pytest.mark.django_db


def test_without_an_app_preparing_images_the_admin_has_nothing_to_wait_for(monkeypatch, db):
    # given no app registered as preparing product images (try-on not installed)
    monkeypatch.setattr(catalog_admin, "_image_preparation", [])
    image = ProductImageFactory()
    # then the admin selects no relation of another app and calls an image with a thumbnail final
    assert catalog_admin._preparation_related() == []
    status = catalog_admin.image_status(image)
    assert (status["analysis_status"], status["final"]) == ("done", bool(image.thumbnail))
    # while with try-on installed its analysis is the relation read
    monkeypatch.undo()
    assert catalog_admin._preparation_related() == ["tryon_analysis"]
    assert catalog_admin.image_status(image)["analysis_status"] == "pending"


def _inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _product_form(category, **extra) -> dict:
    data = {
        "category": str(category.pk),
        "name": "Admin shirt",
        "slug": "admin-shirt",
        "description": "Made in the admin.",
        "price": "45.00",
        "currency": "EUR",
        "garment_kind": "top",
        "add_sizes": "XS, S, M, L",
        "add_sizes_stock": "4",
        "is_active": "on",
        **_inline_management("variants", 0),
        **_inline_management("images", 2),
        **_inline_management("size_chart", 1),
        "size_chart-0-size": "M",
        "size_chart-0-order": "0",
        "size_chart-0-chest_min": "92",
        "size_chart-0-chest_max": "97",
    }
    data.update(extra)
    return data


def test_admin_creates_a_product_with_two_photos_through_the_services(
    client, django_capture_on_commit_callbacks
):
    # given
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    category = CategoryFactory()
    data = _product_form(
        category,
        **{
            "images-0-image": image_upload("front.png", 300, 400),
            "images-0-role": "on_model",
            "images-0-order": "0",
            "images-1-image": image_upload("flat.png", 350, 260, colour=(10, 20, 200)),
            "images-1-role": "packshot",
            "images-1-order": "1",
        },
    )

    # when
    with (
        mock.patch.object(tasks.product_image_make_thumbnail, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/admin/catalog/product/add/", data)

    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get(slug="admin-shirt")
    images = list(product.images.order_by("order"))
    assert [(i.role, i.width, i.height) for i in images] == [("on_model", 300, 400), ("packshot", 350, 260)]
    assert all(default_storage.exists(i.image.name) for i in images)
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(i.pk for i in images)
    assert [(r.size, r.chest_min, r.chest_max) for r in product.size_chart.all()] == [("M", 92, 97)]
    assert [(v.size, v.sku, v.stock) for v in product.variants.all()] == [
        ("XS", "ADMIN-SHIRT-XS", 4),
        ("S", "ADMIN-SHIRT-S", 4),
        ("M", "ADMIN-SHIRT-M", 4),
        ("L", "ADMIN-SHIRT-L", 4),
    ]


def test_admin_refuses_a_non_image_and_stores_nothing(client, settings):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = _product_form(
        CategoryFactory(),
        **{"images-0-image": text_upload("x.png"), "images-0-role": "on_model", "images-0-order": "0"},
    )
    response = client.post("/admin/catalog/product/add/", data)
    assert response.status_code == 200
    assert Product.objects.count() == 0
    assert ProductImage.objects.count() == 0
    assert stored_files(settings) == []


def test_admin_lists_and_searches_products(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    ProductFactory(name="Findable coat")
    ProductFactory(name="Other")
    page = client.get("/admin/catalog/product/", {"q": "findable"}).content.decode()
    assert "Findable coat" in page
    assert ">Other<" not in page
    for url in ("/admin/catalog/category/", "/admin/accounts/user/", "/admin/accounts/referencephoto/"):
        assert client.get(url).status_code == 200
