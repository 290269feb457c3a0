"""The catalogue import command (``import_catalog``): CSV and JSON, bad rows reported, idempotent,
updates by slug."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Product
from tests.support.images import image_bytes

pytestmark = pytest.mark.django_db


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
