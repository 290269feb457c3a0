"""Cart, checkout and order writes. Views, the API, the admin and the sign-in receiver call these."""

from __future__ import annotations

import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from catalog.models import Product, ProductVariant
from catalog.services import product_variant_release_stock, product_variant_reserve_stock
from orders.models import CART_MAX_QUANTITY, ORDER_TRANSITIONS, CartItem, Order, OrderLine, OrderStatus
from orders.payments import PaymentError, PaymentProvider, payment_provider
from orders.selectors import SESSION_CART_KEY, Cart, cart_get, session_cart_items

logger = logging.getLogger(__name__)


class CartItemNotFound(LookupError):
    """The variant is not in this shopper's cart."""


def _is_user(user) -> bool:
    return user is not None and user.is_authenticated


# --- Cart ----------------------------------------------------------------------------------------


def _quantity_in_cart(*, user, session: SessionBase | None, variant_id: int) -> int:
    if _is_user(user):
        item = CartItem.objects.filter(user=user, variant_id=variant_id).first()
        return item.quantity if item else 0
    items = session_cart_items(session) if session is not None else []
    return next((quantity for vid, quantity, _ in items if vid == variant_id), 0)


def _store(*, user, session: SessionBase | None, variant: ProductVariant, quantity: int) -> None:
    """Write one line (quantity 0 deletes it), remembering the price the shopper is shown now."""
    if _is_user(user):
        if quantity == 0:
            CartItem.objects.filter(user=user, variant=variant).delete()
            return
        item = CartItem.objects.filter(user=user, variant=variant).first() or CartItem(
            user=user, variant=variant
        )
        item.quantity, item.price_seen = quantity, variant.price
        item.full_clean(validate_unique=False)
        item.save()
        return
    if session is None:
        raise ValueError("A guest's cart needs the session.")
    raw = dict(session.get(SESSION_CART_KEY) or {})
    if quantity == 0:
        raw.pop(str(variant.pk), None)
    else:
        raw[str(variant.pk)] = {"quantity": quantity, "price_seen": str(variant.price)}
    session[SESSION_CART_KEY] = raw


def _check_quantity(*, variant: ProductVariant, quantity: int) -> None:
    if quantity > CART_MAX_QUANTITY:
        raise ValidationError(f"At most {CART_MAX_QUANTITY} of one size per order.")
    if variant.stock == 0:
        raise ValidationError(f"{variant.product.name} is sold out in size {variant.label}.")
    if quantity > variant.stock:
        raise ValidationError(f"Only {variant.stock} left of {variant.product.name} in size {variant.label}.")


@transaction.atomic
def cart_item_add(*, user, session: SessionBase | None, variant: ProductVariant, quantity: int = 1) -> int:
    """Add ``quantity`` of a variant to the cart; returns the quantity now in the cart."""
    if quantity < 1:
        raise ValidationError("The quantity must be at least 1.")
    if not variant.product.is_active:
        raise ValidationError(f"{variant.product.name} is no longer sold.")
    cart = cart_get(user=user, session=session)
    if cart.lines and cart.currency != variant.currency and any(not line.problem for line in cart.lines):
        raise ValidationError(
            f"{variant.product.name} is priced in {variant.currency} and your cart in {cart.currency}: "
            "please buy it separately."
        )
    new_quantity = _quantity_in_cart(user=user, session=session, variant_id=variant.pk) + quantity
    _check_quantity(variant=variant, quantity=new_quantity)
    _store(user=user, session=session, variant=variant, quantity=new_quantity)
    return new_quantity


@transaction.atomic
def cart_item_set_quantity(*, user, session: SessionBase | None, variant_id: int, quantity: int) -> int:
    """Change a line's quantity (0 removes it). Lowering is always allowed; raising is checked."""
    if quantity < 0:
        raise ValidationError("The quantity cannot be negative.")
    current = _quantity_in_cart(user=user, session=session, variant_id=variant_id)
    if current == 0:
        raise CartItemNotFound(variant_id)
    variant = ProductVariant.objects.select_related("product").filter(pk=variant_id).first()
    if variant is None:  # the merchant deleted it meanwhile (the session keeps the id)
        if quantity:
            raise ValidationError("This product is no longer sold: please remove it.")
        cart_item_remove(user=user, session=session, variant_id=variant_id)
        return 0
    if quantity > current:
        _check_quantity(variant=variant, quantity=quantity)
    elif quantity > CART_MAX_QUANTITY:
        raise ValidationError(f"At most {CART_MAX_QUANTITY} of one size per order.")
    _store(user=user, session=session, variant=variant, quantity=quantity)
    return quantity


def cart_item_remove(*, user, session: SessionBase | None, variant_id: int) -> None:
    if _is_user(user):
        deleted, _ = CartItem.objects.filter(user=user, variant_id=variant_id).delete()
        if not deleted:
            raise CartItemNotFound(variant_id)
        return
    raw = dict((session.get(SESSION_CART_KEY) if session is not None else None) or {})
    if raw.pop(str(variant_id), None) is None:
        raise CartItemNotFound(variant_id)
    session[SESSION_CART_KEY] = raw


def cart_prices_acknowledge(*, user, session: SessionBase | None, cart: Cart) -> None:
    """The shopper has been shown the current prices: a price change is reported once, not forever."""
    for line in cart.price_changes:
        _store(user=user, session=session, variant=line.variant, quantity=line.quantity)


@transaction.atomic
def cart_merge_session_into_user(*, session: SessionBase, user) -> int:
    """On sign-in: add the guest cart's lines to the account's cart (quantities add up, capped at the
    per-line maximum) and empty the guest cart. Returns the number of lines merged."""
    items = session_cart_items(session)
    if not items:
        session.pop(SESSION_CART_KEY, None)
        return 0
    variants = ProductVariant.objects.in_bulk([variant_id for variant_id, _, _ in items])
    merged = 0
    for variant_id, quantity, price_seen in items:
        variant = variants.get(variant_id)
        if variant is None:
            continue
        item = CartItem.objects.select_for_update().filter(user=user, variant=variant).first()
        if item is None:
            item = CartItem(user=user, variant=variant, quantity=0, price_seen=price_seen or variant.price)
        item.quantity = min(item.quantity + quantity, CART_MAX_QUANTITY)
        item.full_clean(validate_unique=False)
        item.save()
        merged += 1
    session.pop(SESSION_CART_KEY, None)
    return merged


# --- Orders --------------------------------------------------------------------------------------

_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_order_number() -> str:
    while True:
        number = "AT-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
        if not Order.objects.filter(number=number).exists():
            return number


def order_place(
    *,
    user,
    email: str,
    full_name: str,
    address_line1: str,
    postcode: str,
    city: str,
    country: str,
    phone: str = "",
    address_line2: str = "",
    expected_total: Decimal | None = None,
    provider: PaymentProvider | None = None,
) -> Order:
    """Turn the shopper's cart into an order "awaiting payment".

    In one transaction: the variants are locked (``SELECT ... FOR UPDATE`` on PostgreSQL) and re-read,
    every line is checked, the stock is taken with a conditional UPDATE (never below zero), the order
    and its lines (copies of names, sizes and prices) are written and the cart emptied. Any problem
    raises ``ValidationError`` and changes nothing. ``expected_total`` is the total the shopper
    confirmed: when the prices changed meanwhile the order is refused so that they can look again.
    After the commit the payment provider is started, then the confirmation e-mail is queued.
    """
    if not _is_user(user):
        raise ValidationError("Please sign in to check out.")
    with transaction.atomic():
        # Locking the cart lines makes a double submit wait for the first one, then find the cart empty.
        items = list(CartItem.objects.select_for_update().filter(user=user).order_by("variant_id"))
        if not items:
            raise ValidationError("Your cart is empty.")
        variants = {
            variant.pk: variant
            for variant in ProductVariant.objects.select_for_update()
            .filter(pk__in=[item.variant_id for item in items])
            .order_by("pk")
        }
        products = Product.objects.in_bulk({variant.product_id for variant in variants.values()})
        errors, currency, total = [], None, Decimal("0.00")
        for item in items:
            variant = variants.get(item.variant_id)
            product = products.get(variant.product_id) if variant else None
            if variant is None or product is None or not product.is_active:
                errors.append("A product in your cart is no longer sold.")
                continue
            variant.product = product
            currency = currency or product.currency
            if product.currency != currency:
                errors.append(f"{product.name} is priced in {product.currency}, your cart in {currency}.")
            elif variant.stock < item.quantity:
                errors.append(
                    f"{product.name} is sold out in size {variant.label}."
                    if variant.stock == 0
                    else f"Only {variant.stock} left of {product.name} in size {variant.label}."
                )
            total += variant.price * item.quantity
        if errors:
            raise ValidationError(errors)
        if expected_total is not None and Decimal(str(expected_total)) != total:
            raise ValidationError(
                "The prices in your cart changed while you were checking out: please check the summary."
            )
        order = Order(
            number=_new_order_number(),
            user=user,
            status=OrderStatus.AWAITING_PAYMENT,
            email=email.strip(),
            phone=phone.strip(),
            full_name=full_name.strip(),
            address_line1=address_line1.strip(),
            address_line2=address_line2.strip(),
            postcode=postcode.strip(),
            city=city.strip(),
            country=country.strip(),
            currency=currency,
            total=total,
        )
        order.full_clean()
        order.save()
        for item in items:
            variant = variants[item.variant_id]
            # The lock above already serialises checkouts on PostgreSQL; the conditional UPDATE keeps
            # the stock right on databases without row locks too (and never lets it go negative).
            if not product_variant_reserve_stock(variant_id=variant.pk, quantity=item.quantity):
                raise ValidationError(
                    f"{variant.product.name} in size {variant.label} sold out while you were checking out."
                )
            line = OrderLine(
                order=order,
                variant=variant,
                product=variant.product,
                product_name=variant.product.name,
                product_slug=variant.product.slug,
                sku=variant.sku,
                size=variant.size,
                colour=variant.colour,
                unit_price=variant.price,
                quantity=item.quantity,
                line_total=variant.price * item.quantity,
            )
            line.full_clean()
            line.save()
        CartItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    order = order_payment_start(order=order, provider=provider)
    # Queued once the payment details are saved, so that the e-mail carries them.
    order_id = order.pk
    transaction.on_commit(lambda: _queue_confirmation(order_id))
    return order


def _queue_confirmation(order_id: int) -> None:
    from orders.tasks import order_send_confirmation

    order_send_confirmation.delay(order_id)


def order_payment_start(*, order: Order, provider: PaymentProvider | None = None) -> Order:
    """Start the payment at the provider and keep its reference. A provider failure leaves the order
    awaiting payment (logged); the shopper can still pay it another way or cancel it."""
    provider = provider or payment_provider()
    try:
        started = provider.start(order=order)
    except PaymentError:
        logger.exception("Payment provider %s could not start order %s", provider.name, order.number)
        order.payment_provider = provider.name
        order.save(update_fields=["payment_provider", "updated_at"])
        return order
    order.payment_provider, order.payment_reference = provider.name, started.reference[:200]
    order.payment_instructions, order.payment_url = started.instructions, started.redirect_url or ""
    order.full_clean()
    order.save(
        update_fields=[
            "payment_provider",
            "payment_reference",
            "payment_instructions",
            "payment_url",
            "updated_at",
        ]
    )
    return order


@transaction.atomic
def order_set_status(*, order: Order, status: str) -> Order:
    """Move an order on (awaiting payment → paid → shipped; cancelled from either of the first two).
    Cancelling puts every line's quantity back on its variant's stock, exactly once."""
    current = Order.objects.select_for_update().get(pk=order.pk)
    if status == current.status:
        return current
    if status not in ORDER_TRANSITIONS.get(current.status, set()):
        raise ValidationError(
            f"An order that is {current.get_status_display().lower()} cannot become "
            f"{OrderStatus(status).label.lower() if status in OrderStatus.values else status}."
        )
    now = timezone.now()
    current.status = status
    if status == OrderStatus.PAID:
        current.paid_at = now
    elif status == OrderStatus.SHIPPED:
        current.shipped_at = now
    elif status == OrderStatus.CANCELLED:
        current.cancelled_at = now
        for line in current.lines.order_by("variant_id"):  # the lock order of order_place
            if line.variant_id is not None:
                product_variant_release_stock(variant_id=line.variant_id, quantity=line.quantity)
    current.full_clean()
    current.save()
    return current


def order_cancel_by_shopper(*, order: Order) -> Order:
    """A shopper may cancel an order only while it awaits payment."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise ValidationError("Only an order that awaits payment can be cancelled here.")
    return order_set_status(order=order, status=OrderStatus.CANCELLED)


def order_send_confirmation_email(*, order: Order) -> bool:
    """Send the confirmation e-mail once (Django's mail; console backend by default)."""
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.confirmation_sent_at is not None:
            return False
        context = {"order": current, "lines": list(current.lines.all()), "shop_name": "Atelier"}
        subject = render_to_string("orders/email/confirmation_subject.txt", context).strip()
        body = render_to_string("orders/email/confirmation.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [current.email])
        current.confirmation_sent_at = timezone.now()
        current.save(update_fields=["confirmation_sent_at", "updated_at"])
    return True
