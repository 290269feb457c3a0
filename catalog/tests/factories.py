from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from catalog.models import Category, Product, ProductImage, ProductVariant, SizeChartRow
from tests.support.images import image_bytes


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "A well-made garment."
    price = Decimal("49.00")
    currency = "EUR"
    garment_kind = Product.GarmentKind.TOP
    is_active = True


class ProductImageFactory(factory.django.DjangoModelFactory):
    """A stored image row (bypasses the service: no thumbnail task is scheduled)."""

    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    role = ProductImage.Role.ON_MODEL
    order = factory.Sequence(lambda n: n)
    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="image.png"))
    content_hash = factory.Sequence(lambda n: f"{n:064x}")


class SizeChartRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SizeChartRow

    product = factory.SubFactory(ProductFactory)
    size = "M"
    chest_min = 92
    chest_max = 97


class ProductVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    size = "M"
    colour = ""
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    stock = 5
    order = factory.Sequence(lambda n: n)
