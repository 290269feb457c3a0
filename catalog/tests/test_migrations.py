"""The data migration that turns the old ``Product.sizes`` JSON list into variants (and back)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("catalog", "0002_productvariant")]
AFTER = [("catalog", "0004_remove_product_sizes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_sizes_become_variants_with_skus_and_no_stock(back_to_latest):
    # given two products with sizes in the old JSON field
    old = _migrate(BEFORE)
    category = old.get_model("catalog", "Category").objects.create(name="Tops", slug="tops")
    Product = old.get_model("catalog", "Product")
    tee = Product.objects.create(
        category=category, name="Tee", slug="tee", price="10", garment_kind="top", sizes=["XS", "S", " S", ""]
    )
    Product.objects.create(category=category, name="Cap", slug="cap", price="5", garment_kind="top", sizes=[])

    # when
    new = _migrate(AFTER)

    # then each size is one variant, in order, with a SKU and 0 in stock (the JSON never held stock)
    Variant = new.get_model("catalog", "ProductVariant")
    assert list(
        Variant.objects.order_by("product_id", "order").values_list("product__slug", "size", "sku", "stock")
    ) == [
        ("tee", "XS", "TEE-XS", 0),
        ("tee", "S", "TEE-S", 0),
    ]

    # when migrated back, the sizes come back from the variants
    again = _migrate(BEFORE)
    assert again.get_model("catalog", "Product").objects.get(pk=tee.pk).sizes == ["XS", "S"]
