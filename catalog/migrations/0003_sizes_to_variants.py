"""Data migration: every label of the old ``Product.sizes`` JSON list becomes a ProductVariant.

The JSON list never held stock, so the new variants start with 0 in stock (the merchant enters stock
in the admin; ``seed_demo`` tops the demo products up). Reversing copies the variants' sizes back.
"""

import re

from django.db import migrations


def _sku(slug: str, size: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Z0-9]+", "-", f"{slug}-{size}".upper()).strip("-")[:58] or "SKU"
    sku, n = base, 1
    while sku in taken:
        n += 1
        sku = f"{base}-{n}"
    taken.add(sku)
    return sku


def sizes_to_variants(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    ProductVariant = apps.get_model("catalog", "ProductVariant")
    taken = set(ProductVariant.objects.values_list("sku", flat=True))
    for product in Product.objects.order_by("pk"):
        seen = set(product.variants.values_list("size", flat=True))
        for order, raw in enumerate(product.sizes or []):
            size = str(raw).strip()[:16]
            if not size or size in seen:
                continue
            seen.add(size)
            ProductVariant.objects.create(
                product=product, size=size, colour="", sku=_sku(product.slug, size, taken), stock=0, order=order
            )


def variants_to_sizes(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    for product in Product.objects.order_by("pk"):
        sizes = []
        for size in product.variants.order_by("order", "id").values_list("size", flat=True):
            if size not in sizes:
                sizes.append(size)
        product.sizes = sizes
        product.save(update_fields=["sizes"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_productvariant")]

    operations = [migrations.RunPython(sizes_to_variants, variants_to_sizes)]
