from decimal import Decimal

from catalog.models import ProductVariant
from catalog.tests.factories import ProductFactory, ProductVariantFactory
from orders.services import cart_item_add

SHIPPING = {
    "email": "ada@example.com",
    "phone": "+44 20 7946 0000",
    "full_name": "Ada Lovelace",
    "address_line1": "12 St James's Square",
    "address_line2": "",
    "postcode": "SW1Y 4JH",
    "city": "London",
    "country": "United Kingdom",
}


def variant_in_stock(*, stock: int = 5, price: str = "49.00", size: str = "M", **product_fields):
    """A variant of a fresh product (in EUR unless told otherwise)."""
    product = ProductFactory(price=Decimal(price), **product_fields)
    return ProductVariantFactory(product=product, size=size, stock=stock)


def fill_cart(user, *lines) -> None:
    """Put ``(variant, quantity)`` lines into ``user``'s cart through the service."""
    for variant, quantity in lines:
        cart_item_add(user=user, session=None, variant=variant, quantity=quantity)


def stock_of(variant) -> int:
    """The variant's stock as stored now."""
    return ProductVariant.objects.get(pk=variant.pk).stock
