"""Reads of carts and orders. A cart is re-checked against the catalogue each time it is read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Prefetch, QuerySet, Sum

from catalog.models import ProductImage, ProductVariant
from orders.models import CartItem, Order

SESSION_CART_KEY = "cart"


@dataclass
class CartLine:
    variant_id: int
    variant: ProductVariant | None
    quantity: int
    price_seen: Decimal | None
    problem: str = ""

    @property
    def product(self):
        return self.variant.product if self.variant is not None else None

    @property
    def unit_price(self) -> Decimal:
        if self.variant is not None:
            return self.variant.price
        return self.price_seen or Decimal("0.00")

    @property
    def currency(self) -> str:
        return self.variant.currency if self.variant is not None else settings.SHOP_CURRENCY

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def price_changed(self) -> bool:
        return (
            self.variant is not None and self.price_seen is not None and self.price_seen != self.variant.price
        )


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)
    currency: str = ""

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def subtotal(self) -> Decimal:
        """The sum of the lines that can be bought (lines with a problem are left out)."""
        return sum((line.line_total for line in self.lines if not line.problem), Decimal("0.00"))

    @property
    def problems(self) -> list[str]:
        return [line.problem for line in self.lines if line.problem]

    @property
    def price_changes(self) -> list[CartLine]:
        return [line for line in self.lines if line.price_changed]

    @property
    def can_checkout(self) -> bool:
        return bool(self.lines) and not self.problems


def _is_user(user) -> bool:
    return user is not None and user.is_authenticated


def session_cart_items(session: SessionBase) -> list[tuple[int, int, Decimal | None]]:
    """(variant id, quantity, price seen) of a guest's cart, skipping anything malformed."""
    raw = session.get(SESSION_CART_KEY) or {}
    items = []
    for key, value in raw.items() if isinstance(raw, dict) else []:
        try:
            variant_id, quantity = int(key), int(value["quantity"])
            price_seen = Decimal(str(value["price_seen"])) if value.get("price_seen") is not None else None
        except (KeyError, TypeError, ValueError, ArithmeticError):
            continue
        if quantity > 0:
            items.append((variant_id, quantity, price_seen))
    return items


def _raw_items(*, user, session: SessionBase | None) -> list[tuple[int, int, Decimal | None]]:
    if _is_user(user):
        return list(
            CartItem.objects.filter(user=user)
            .order_by("created_at", "id")
            .values_list("variant_id", "quantity", "price_seen")
        )
    return session_cart_items(session) if session is not None else []


def cart_get(*, user, session: SessionBase | None = None) -> Cart:
    """The shopper's cart (the account's when signed in, else the session's), with current prices and
    stock: each line that cannot be bought as it is says why in ``problem``."""
    items = _raw_items(user=user, session=session)
    variants = ProductVariant.objects.filter(
        pk__in=[variant_id for variant_id, _, _ in items]
    ).select_related("product", "product__category")
    variants = variants.prefetch_related(
        Prefetch("product__images", queryset=ProductImage.objects.order_by("order", "id"))
    )
    by_id = {variant.pk: variant for variant in variants}
    cart = Cart()
    for variant_id, quantity, price_seen in items:
        variant = by_id.get(variant_id)
        line = CartLine(variant_id=variant_id, variant=variant, quantity=quantity, price_seen=price_seen)
        if variant is None or not variant.product.is_active:
            line.problem = "This product is no longer sold: please remove it."
        else:
            cart.currency = cart.currency or variant.currency
            if variant.currency != cart.currency:
                line.problem = (
                    f"{variant.product.name} is priced in {variant.currency}, the rest of your cart in "
                    f"{cart.currency}: please buy it separately."
                )
            elif variant.stock == 0:
                line.problem = f"{variant.product.name} is sold out in size {variant.label}."
            elif variant.stock < quantity:
                line.problem = (
                    f"Only {variant.stock} left of {variant.product.name} in size {variant.label}: "
                    "please lower the quantity."
                )
        cart.lines.append(line)
    cart.currency = cart.currency or settings.SHOP_CURRENCY
    return cart


def cart_count(*, user, session: SessionBase | None = None) -> int:
    """Items in the cart, for the header (one small query; no catalogue check)."""
    if _is_user(user):
        return CartItem.objects.filter(user=user).aggregate(n=Sum("quantity"))["n"] or 0
    return sum(quantity for _, quantity, _ in session_cart_items(session)) if session is not None else 0


def order_list(*, user) -> QuerySet[Order]:
    return Order.objects.filter(user=user).prefetch_related("lines").order_by("-created_at", "-id")


def order_get(*, user, number: str) -> Order | None:
    """The order only when it belongs to ``user`` (anyone else gets None, i.e. a 404)."""
    if not _is_user(user):
        return None
    return Order.objects.filter(user=user, number=number).prefetch_related("lines").first()


def order_last_shipping(*, user) -> dict:
    """The contact and address of the shopper's last order, to fill the checkout form in."""
    last = Order.objects.filter(user=user).order_by("-created_at", "-id").first()
    if last is None:
        return {"email": user.email}
    fields = ("email", "phone", "full_name", "address_line1", "address_line2", "postcode", "city", "country")
    return {name: getattr(last, name) for name in fields}
