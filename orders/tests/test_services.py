"""Placing and cancelling orders (``orders.services``): stock reserved and returned exactly once,
snapshots kept, stale prices and sold-out sizes refused, payment failures left awaiting payment."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from catalog.models import ProductVariant
from orders import tasks
from orders.models import CartItem, Order, OrderStatus
from orders.services import order_place, order_set_status
from orders.tests.factories import SHIPPING, fill_cart, stock_of, variant_in_stock

pytestmark = pytest.mark.django_db


def test_placing_an_order_reserves_stock_keeps_snapshots_and_empties_the_cart(
    django_capture_on_commit_callbacks, mailoutbox, test_payments
):
    # given
    user = UserFactory()
    tee = variant_in_stock(stock=5, price="49.00", name="Linen tee")
    trousers = variant_in_stock(stock=2, price="80.50", name="Wide trousers", size="38")
    fill_cart(user, (tee, 2), (trousers, 1))

    # when
    with (
        mock.patch.object(tasks.order_send_confirmation, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        order = order_place(user=user, expected_total=Decimal("178.50"), **SHIPPING)

    # then
    order.refresh_from_db()
    assert (order.status, order.total, order.currency) == (
        OrderStatus.AWAITING_PAYMENT,
        Decimal("178.50"),
        "EUR",
    )
    assert [
        (line.product_name, line.size, line.unit_price, line.quantity, line.line_total)
        for line in order.lines.all()
    ] == [
        ("Linen tee", "M", Decimal("49.00"), 2, Decimal("98.00")),
        ("Wide trousers", "38", Decimal("80.50"), 1, Decimal("80.50")),
    ]
    assert (stock_of(tee), stock_of(trousers)) == (3, 1)
    assert CartItem.objects.filter(user=user).exists() is False
    assert (order.payment_provider, order.payment_reference) == ("test", f"test-{order.number}")
    assert test_payments.started == [order.number]
    delay.assert_called_once_with(order.pk)
    assert mailoutbox == []  # the e-mail is the worker's job

    # when the worker runs the task (twice: it is idempotent)
    tasks.order_send_confirmation(order.pk)
    tasks.order_send_confirmation(order.pk)

    # then one confirmation went out
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.com"]
    assert mailoutbox[0].subject == f"Atelier: your order {order.number}"
    assert "2 × Linen tee — size M" in mailoutbox[0].body
    assert "Total: €178.50" in mailoutbox[0].body
    assert "Test payment started." in mailoutbox[0].body  # the provider's instructions


def test_an_order_keeps_its_prices_sizes_and_names_when_the_catalogue_changes(client):
    # given an order
    user = UserFactory()
    variant = variant_in_stock(stock=3, price="49.00", name="Linen tee")
    fill_cart(user, (variant, 1))
    order = order_place(user=user, **SHIPPING)

    # when the merchant renames the product, changes its price, renames the size, then deletes it
    product = variant.product
    product.name, product.price = "Linen tee (new season)", Decimal("59.00")
    product.save()
    variant.size = "Medium"
    variant.save()
    variant.delete()

    # then the order still says what was bought, at what price
    line = Order.objects.get(pk=order.pk).lines.get()
    assert (line.product_name, line.size, line.unit_price, line.line_total, line.variant_id) == (
        "Linen tee",
        "M",
        Decimal("49.00"),
        Decimal("49.00"),
        None,
    )
    client.force_login(user)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Linen tee" in page and "€49.00" in page and "(new season)" not in page


def test_an_order_is_refused_when_the_prices_changed_since_the_summary():
    # given
    user = UserFactory()
    variant = variant_in_stock(stock=3, price="49.00")
    fill_cart(user, (variant, 1))
    variant.product.price = Decimal("55.00")
    variant.product.save()

    # when
    with pytest.raises(ValidationError) as error:
        order_place(user=user, expected_total=Decimal("49.00"), **SHIPPING)

    # then nothing changed
    assert error.value.messages == [
        "The prices in your cart changed while you were checking out: please check the summary."
    ]
    assert Order.objects.count() == 0
    assert stock_of(variant) == 3
    assert CartItem.objects.filter(user=user).count() == 1


def test_an_order_is_refused_when_a_size_sold_out_after_it_was_added(test_payments):
    # given a cart with two lines, one of which sells out meanwhile
    user = UserFactory()
    fine, sold_out = variant_in_stock(stock=4), variant_in_stock(stock=1, name="Last one")
    fill_cart(user, (fine, 2), (sold_out, 1))
    ProductVariant.objects.filter(pk=sold_out.pk).update(stock=0)

    # when
    with pytest.raises(ValidationError) as error:
        order_place(user=user, **SHIPPING)

    # then no order, no stock taken from the other line, the cart is kept
    assert error.value.messages == ["Last one is sold out in size M."]
    assert (Order.objects.count(), stock_of(fine), stock_of(sold_out)) == (0, 4, 0)
    assert CartItem.objects.filter(user=user).count() == 2
    assert test_payments.started == []


def test_an_empty_cart_cannot_be_ordered():
    with pytest.raises(ValidationError) as error:
        order_place(user=UserFactory(), **SHIPPING)
    assert error.value.messages == ["Your cart is empty."]
    assert Order.objects.count() == 0


def test_cancelling_returns_the_stock_exactly_once():
    # given a placed order
    user = UserFactory()
    variant = variant_in_stock(stock=5)
    fill_cart(user, (variant, 2))
    order = order_place(user=user, **SHIPPING)
    assert stock_of(variant) == 3

    # when it is cancelled, and cancelled again
    order = order_set_status(order=order, status=OrderStatus.CANCELLED)
    order_set_status(order=order, status=OrderStatus.CANCELLED)

    # then the stock is back once and the order is cancelled for good
    assert stock_of(variant) == 5
    assert order.status == OrderStatus.CANCELLED and order.cancelled_at is not None
    with pytest.raises(ValidationError):
        order_set_status(order=order, status=OrderStatus.PAID)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_a_shipped_order_cannot_be_cancelled_and_keeps_its_stock_taken():
    user = UserFactory()
    variant = variant_in_stock(stock=5)
    fill_cart(user, (variant, 1))
    order = order_place(user=user, **SHIPPING)
    order_set_status(order=order, status=OrderStatus.PAID)
    order = order_set_status(order=order, status=OrderStatus.SHIPPED)
    with pytest.raises(ValidationError) as error:
        order_set_status(order=order, status=OrderStatus.CANCELLED)
    assert error.value.messages == ["An order that is shipped cannot become cancelled."]
    assert (stock_of(variant), Order.objects.get(pk=order.pk).status) == (4, OrderStatus.SHIPPED)
    assert order.paid_at is not None and order.shipped_at is not None


def test_a_payment_provider_failure_leaves_the_order_awaiting_payment(test_payments):
    user = UserFactory()
    variant = variant_in_stock(stock=2)
    fill_cart(user, (variant, 1))
    test_payments.fail_with = "The provider is down."
    order = order_place(user=user, **SHIPPING)
    order.refresh_from_db()
    assert (order.status, order.payment_provider, order.payment_reference) == (
        OrderStatus.AWAITING_PAYMENT,
        "test",
        "",
    )
    assert stock_of(variant) == 1
