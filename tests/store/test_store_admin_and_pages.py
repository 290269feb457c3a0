import json
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from accounts.services import reference_photo_create
from accounts.tests.factories import UserFactory
from catalog import tasks
from catalog.models import Product, ProductImage
from catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductVariantFactory,
)
from tests.support.images import image_bytes, image_upload, text_upload

pytestmark = pytest.mark.django_db


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
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_admin_lists_and_searches_products(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    ProductFactory(name="Findable coat")
    ProductFactory(name="Other")
    page = client.get("/admin/catalog/product/", {"q": "findable"}).content.decode()
    assert "Findable coat" in page
    assert ">Other<" not in page
    for url in ("/admin/catalog/category/", "/admin/accounts/user/", "/admin/accounts/referencephoto/"):
        assert client.get(url).status_code == 200


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


def test_protected_media_serves_reference_photos_to_their_owner_only(client):
    # given
    owner, other = UserFactory(), UserFactory()
    photo = reference_photo_create(user=owner, file=image_upload(), kind="front")
    url = f"/media/{photo.image.name}"

    # then
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes()
    assert response["Cache-Control"] == "private, no-store"


def test_protected_media_serves_private_files_to_the_owners_api_token_only(client):
    # given
    owner, other = UserFactory(), UserFactory()
    photo = reference_photo_create(user=owner, file=image_upload(), kind="front")
    url = f"/media/{photo.image.name}"
    owner_token, other_token = Token.objects.create(user=owner), Token.objects.create(user=other)

    # when / then
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {owner_token.key}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes()
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {other_token.key}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Bearer whatever").status_code == 404


def test_protected_media_serves_catalogue_images_publicly_and_refuses_the_rest(client):
    image = ProductImageFactory()
    response = client.get(f"/media/{image.image.name}")
    assert response.status_code == 200
    assert client.get("/media/private/other/secret.png").status_code == 404
    assert client.get("/media/catalog/../private/reference/1/x.png").status_code == 404
    assert client.get("/media/catalog/999/missing.png").status_code == 404


def _write_import_folder(folder):
    (folder / "shirt.png").write_bytes(image_bytes(300, 360, (200, 10, 10)))
    (folder / "shirt-flat.png").write_bytes(image_bytes(320, 280, (10, 200, 10)))
    (folder / "broken.png").write_bytes(b"not an image")
    (folder / "products.csv").write_text(
        "slug,name,category,garment_kind,price,currency,sizes,stock,description,images\n"
        'red-shirt,Red shirt,Tops,top,39.00,EUR,"S, M, L",7,Nice.,shirt.png|packshot:shirt-flat.png\n'
        "bad-kind,Hat,Hats,hat,10,EUR,,,,\n"
        "broken,Broken,Tops,top,10,EUR,,,,broken.png\n",
        encoding="utf-8",
    )


def test_import_catalog_csv_reports_bad_rows_and_is_idempotent(tmp_path):
    # given
    _write_import_folder(tmp_path)

    # when
    with pytest.raises(CommandError) as error:
        call_command("import_catalog", str(tmp_path), "--products", "products.csv", verbosity=0)
    with pytest.raises(CommandError):
        call_command("import_catalog", str(tmp_path), "--products", "products.csv", verbosity=0)

    # then
    assert str(error.value) == "2 row(s) had errors (see above); the other rows were imported."
    product = Product.objects.get()
    assert (product.slug, str(product.price)) == ("red-shirt", "39.00")
    assert [(v.size, v.sku, v.stock) for v in product.variants.all()] == [
        ("S", "RED-SHIRT-S", 7),
        ("M", "RED-SHIRT-M", 7),
        ("L", "RED-SHIRT-L", 7),
    ]
    assert list(product.images.order_by("order").values_list("role", "width")) == [
        ("on_model", 300),
        ("packshot", 320),
    ]
    assert Product.objects.filter(slug__in=["bad-kind", "broken"]).exists() is False


def test_import_catalog_json_updates_by_slug(tmp_path):
    (tmp_path / "a.png").write_bytes(image_bytes())
    rows = [
        {
            "slug": "tee",
            "name": "Tee",
            "category": "Tops",
            "garment_kind": "top",
            "price": "10",
            "sizes": ["M"],
            "variants": [{"size": "L", "colour": "Navy", "sku": "TEE-L-NAVY", "stock": 2, "price": "11"}],
            "images": [{"file": "a.png", "role": "packshot", "landmarks": {"hem_left": [1, 2]}}],
        }
    ]
    (tmp_path / "p.json").write_text(json.dumps(rows))
    call_command("import_catalog", str(tmp_path), "--products", "p.json", verbosity=0)
    rows[0]["price"] = "12.5"
    rows[0]["variants"][0]["stock"] = 6
    (tmp_path / "p.json").write_text(json.dumps(rows))
    call_command("import_catalog", str(tmp_path), "--products", "p.json", verbosity=0)
    product = Product.objects.get()
    assert str(product.price) == "12.50"
    assert [(v.size, v.colour, v.sku, v.stock, v.price) for v in product.variants.all()] == [
        ("M", "", "TEE-M", 0, Decimal("12.50")),
        ("L", "Navy", "TEE-L-NAVY", 6, Decimal("11.00")),
    ]
    assert list(product.images.values_list("landmarks", flat=True)) == [{"hem_left": [1, 2]}]
