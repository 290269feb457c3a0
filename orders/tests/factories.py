from decimal import Decimal

from catalog.tests.factories import ProductFactory, ProductVariantFactory

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
